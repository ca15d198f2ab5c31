#include "api/pipeline_compiler.hpp"

#include <string>
#include <utility>
#include <vector>

namespace grizzly {

namespace {

/// One execution of a compiled filter + ungrouped aggregate pipeline.
class CompiledFilterAggregateRun : public runtime::CompiledPipelineRun {
public:
    CompiledFilterAggregateRun(codegen::FilterAggregateSpec spec, codegen::CompiledPipeline pipeline,
                               std::vector<::GzParamSlot> params, std::string description)
        : spec_(std::move(spec)),
          pipeline_(std::move(pipeline)),
          params_(std::move(params)),
          states_(spec_.aggregates.size()),
          description_(std::move(description)) {}

    void RunMorsel(const void* const* columns, const uint64_t* const* validity, uint64_t row_count) override {
        codegen::MorselInput input;
        input.columns = columns;
        input.validity = validity;
        input.row_count = row_count;
        pipeline_.RunMorsel(input, params_.empty() ? nullptr : params_.data(), states_.data());
    }

    std::vector<Value> Finish() override {
        std::vector<Value> row;
        for (size_t i = 0; i < spec_.aggregates.size(); ++i)
            row.push_back(codegen::FinalizeAggregate(spec_.aggregates[i], states_[i]));
        return row;
    }

    std::string Description() const override { return description_; }

private:
    codegen::FilterAggregateSpec spec_;
    codegen::CompiledPipeline pipeline_;
    std::vector<::GzParamSlot> params_;
    std::vector<codegen::AggregateState> states_;
    std::string description_;
};

}  // namespace

std::unique_ptr<runtime::CompiledPipelineRun> CodegenPipelineCompiler::Compile(const ir::Pipeline& pipeline,
                                                                               runtime::ExecutionContext& ctx) {
    if (ctx.mode == runtime::ExecutionMode::Interpret) return nullptr;
    try {
        codegen::FilterAggregateSpec spec = codegen::MatchFilterAggregate(pipeline);
        const std::string key = codegen::PipelineShapeKey(spec);
        codegen::CompiledCodePtr code = cache_.Find(key);
        const bool hit = code != nullptr;
        if (!hit) {
            // Both modes compile synchronously in the fast tier for now.
            // TODO(codegen): adaptive mode should start cold shapes in the
            // interpreter, compile on a background thread (and recompile hot
            // shapes in the optimized tier), and switch at a morsel boundary
            // through the per-pipeline executor pointer (STYLE.md §1 rule 4).
            codegen::CompileOptions options;
            options.tier = codegen::Tier::Fast;
            code = codegen::CompilePipeline(spec, options).SharedCode();
            cache_.Insert(key, code);
        }
        std::string description = std::string("compiled (") + codegen::TierName(code->Stats().tier) + " tier, " +
                                  (hit ? "cache hit" : "cache miss") + ")";
        std::vector<::GzParamSlot> params = spec.Layout().Bind(ctx.parameters);
        return std::make_unique<CompiledFilterAggregateRun>(std::move(spec), codegen::CompiledPipeline(std::move(code)),
                                                            std::move(params), std::move(description));
    } catch (const Error& e) {
        // 0A000: the shape is not compiled yet; the interpreter runs it.
        if (e.State() == SqlState::FeatureNotSupported) return nullptr;
        throw;
    }
}

}  // namespace grizzly
