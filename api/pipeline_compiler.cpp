#include "api/pipeline_compiler.hpp"

#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "storage/storage.hpp"

namespace grizzly {

namespace {

/// One execution of a compiled pipeline. Its code is either there from the
/// start, or polled for (`poll`) while a background compile builds it; the
/// driver interprets morsels until Ready().
class CompiledShapeRun : public runtime::CompiledPipelineRun {
public:
  CompiledShapeRun(runtime::ExecutionContext& ctx, codegen::ShapeCache& cache, std::string key,
                   std::unique_ptr<codegen::PipelineShape> shape, codegen::CompiledCodePtr code,
                   std::vector<::GzParamSlot> params, std::string description,
                   std::function<codegen::CompiledCodePtr()> poll = {})
      : cache_(cache), key_(std::move(key)), shape_(std::move(shape)), run_(shape_->NewRun()), code_(std::move(code)),
        poll_(std::move(poll)), params_(std::move(params)), description_(std::move(description)) {
      run_->BindContext(ctx);
  }

    /// Also takes up better code: when the optimized tier lands in the cache mid-run,
    /// the next morsels run it (the run's state is the same for both tiers).
    bool Ready() override {
        if (poll_ && (!code_ || code_->Stats().tier == codegen::Tier::Fast)) {
            codegen::CompiledCodePtr newer = poll_();
            if (newer && (!code_ || newer->Stats().tier == codegen::Tier::Optimized)) {
                if (!code_)
                    description_ = std::string("compiled (") + codegen::TierName(newer->Stats().tier) +
                                   " tier, compiled in the background during this run)";
                else
                    description_ += "; the optimized tier took over mid-run";
                changed_ = code_ != nullptr;
                code_ = std::move(newer);
            }
        }
        return code_ != nullptr;
    }

    void RunMorsel(const void* const* columns, const uint64_t* const* validity, uint64_t row_count) override {
        codegen::MorselInput input;
        input.columns = columns;
        input.validity = validity;
        input.row_count = row_count;
        run_->Morsel(code_, input, params_.empty() ? nullptr : params_.data());
    }

    void BindJoins(std::vector<const GzJoinTable*> joins) override { run_->BindJoins(std::move(joins)); }
    void BindLimit(GzLimit* limit) override { run_->BindLimit(limit); }
    bool EmitsRows() const override { return shape_->EmitsRows(); }
    size_t RowsEnter() const override { return shape_->RowsEnter(); }
    void BindOutput(std::function<bool(DataChunk&)> emit, std::vector<std::shared_ptr<StringHeap>> heaps) override {
        run_->BindOutput(std::move(emit), std::move(heaps));
    }
    bool Stopped() const override { return run_->Stopped(); }
    bool NeedsEveryMorsel() const override { return shape_->NeedsEveryMorsel(); }

    std::vector<DataChunk> Finish() override { return run_->Finish(); }

    Speed MeasuredSpeed() const override {
        codegen::ShapeCacheEntryInfo info;
        if (!cache_.Describe(key_, info)) return {};
        Speed speed = info.measured;
        if (!code_ || info.tier != code_->Stats().tier) speed.compiled = {};
        return speed;
    }

    void RecordSpeed(const Speed& add) override { cache_.RecordSpeed(key_, code_.get(), add); }

    bool CodeChanged() const override { return changed_; }

    std::string Description() const override { return description_; }

private:
    codegen::ShapeCache& cache_;
    std::string key_;
    std::unique_ptr<codegen::PipelineShape> shape_;
    std::unique_ptr<codegen::PipelineShape::Run> run_;  // refers to shape_
    codegen::CompiledCodePtr code_;
    std::function<codegen::CompiledCodePtr()> poll_;
    std::vector<::GzParamSlot> params_;
    std::string description_;
    bool changed_ = false;  // newer code took over from code this run had run
};

std::string Millis(double ms) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.3f", ms);
    return buffer;
}

/// "fast tier 1.234 ms (emit 0.100, optimize 0.000, machine code 1.134)"
std::string CompileTimes(const codegen::CompileStats& stats) {
    return std::string(codegen::TierName(stats.tier)) + " tier " + Millis(stats.TotalMs()) + " ms (emit " +
           Millis(stats.emit_ms) + ", optimize " + Millis(stats.optimize_ms) + ", machine code " +
           Millis(stats.machine_code_ms) + ")";
}

/// "compiled (fast tier, cache hit); compile: ...": a hit paid its compile time
/// when the shape was first compiled.
std::string CodeDescription(const codegen::CompileStats& stats, bool hit) {
    return std::string("compiled (") + codegen::TierName(stats.tier) + " tier, " + (hit ? "cache hit" : "cache miss") +
           "); compile: " + CompileTimes(stats) + (hit ? " when first compiled" : "");
}

/// One operator of a pipeline as DescribePipeline names it.
std::string OperatorName(const ir::PhysicalOperator& op) {
    std::string name = ir::PhysicalOpName(op.type);
    if (op.type == ir::PhysicalOpType::TableScan && op.table) name += " " + op.table->Name();
    return name;
}

/// `text` with every line indented by `indent` spaces.
std::string Indent(const std::string& text, size_t indent) {
    std::string out;
    const std::string pad(indent, ' ');
    for (size_t start = 0; start < text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out += pad + text.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

/// What each region of the compiled function stands for (region names from RegionNames()).
std::string DescribeRegions(const ir::Pipeline& pipeline, const codegen::PipelineShape& shape) {
    std::string out = "  regions (each instruction ends with \"; <region>\"):\n";
    out += "    scan: " + OperatorName(*pipeline.source) + ", the loop over the morsel's rows and column loads\n";
    const std::vector<const ir::Expr*>& filters = shape.Filters();
    for (size_t filter_idx = 0; filter_idx < filters.size(); ++filter_idx) {
        out += "    filter." + std::to_string(filter_idx) + ": " + filters[filter_idx]->ToString();
        if (filter_idx < shape.FilterOperators().size()) {
            const ir::PhysicalOperator& op = *shape.FilterOperators()[filter_idx];
            out += op.type == ir::PhysicalOpType::TableScan ? ", pushed into " + OperatorName(op)
                                                            : ", from " + OperatorName(op);
        }
        out += "\n";
    }
    if (shape.EmitsRows()) {
        const size_t enter = shape.RowsEnter();
        if (shape.EndsInMarkingJoin()) {
            out += "    output: none; the code marks the build rows of " + OperatorName(*pipeline.operators[enter - 1]) +
                   ", which emits its rows into the rest, interpreted, when the probe side is done\n";
            return out;
        }
        out += "    output: the row appended to the batch that goes on to ";
        if (enter < pipeline.operators.size())
            out += OperatorName(*pipeline.operators[enter]) + " and on, in the interpreter (" + shape.StopReason() +
                   " is not compiled yet)\n";
        else
            out += "the sink, " + OperatorName(*pipeline.sink) + "\n";
        return out;
    }
    out += "    aggregate: " + OperatorName(*pipeline.sink);
    if (!pipeline.sink->expressions.empty()) {
        out += " GROUP BY";
        for (size_t key_idx = 0; key_idx < pipeline.sink->expressions.size(); ++key_idx)
            out += (key_idx ? ", " : " ") + pipeline.sink->expressions[key_idx]->ToString();
        out += ": hash, probe, new groups,";
    }
    out += " [";
    for (size_t agg_idx = 0; agg_idx < pipeline.sink->aggregates.size(); ++agg_idx)
        out += (agg_idx ? ", " : "") + pipeline.sink->aggregates[agg_idx].ToString();
    out += "]\n";
    return out;
}

}  // namespace

std::vector<codegen::ShapeDependency> PipelineDependencies(const ir::Pipeline& pipeline) {
    std::vector<codegen::ShapeDependency> tables;
    const ir::PhysicalOperator* scan = pipeline.source;
    if (scan && scan->type == ir::PhysicalOpType::TableScan && scan->table)
        tables.push_back(codegen::ShapeDependency{scan->table->Id(), scan->table->schema_version, scan->table->Name()});
    return tables;
}

std::string DescribePipeline(const ir::Pipeline& pipeline) {
    std::string out = pipeline.source ? OperatorName(*pipeline.source) : std::string("?");
    auto is_join = [](const ir::PhysicalOperator& op) {
        return op.type == ir::PhysicalOpType::HashJoin || op.type == ir::PhysicalOpType::NestedLoopJoin;
    };
    for (const ir::PhysicalOperator* op : pipeline.operators) {
        out += " -> " + OperatorName(*op);
        if (is_join(*op)) out += " (probe)";
    }
    if (pipeline.sink) {
        out += " -> " + OperatorName(*pipeline.sink);
        if (is_join(*pipeline.sink))
            out += " (build)";
        else if (pipeline.sink->type == ir::PhysicalOpType::SetOp)
            out += pipeline.sink_child == 0 ? " (left)" : " (right)";
    }
    return out;
}

void CodegenPipelineCompiler::CompileInBackground(const codegen::PipelineShape& shape, const std::string& key,
                                                  std::vector<codegen::ShapeDependency> tables, std::string description,
                                                  codegen::Tier tier, bool urgent) {
    std::string name = key + (tier == codegen::Tier::Optimized ? "#optimized" : "#fast");
    if (background_.Pending(name)) return;
    std::shared_ptr<const codegen::PipelineShape> owned = shape.Own();
    codegen::ShapeCache& cache = cache_;
    background_.Submit(name, [owned, key, tables = std::move(tables), description = std::move(description), tier,
                              &cache]() mutable {
        try {
            codegen::CompileOptions options;
            options.tier = tier;
            cache.Insert(key, owned->Compile(options), std::move(tables), std::move(description));
        } catch (const Error&) {
            // The shape stays interpreted; jit mode reports the same error when asked to compile it.
        }
    }, urgent);
}

bool CodegenPipelineCompiler::WorthCompiling(const std::string& key, uint64_t rows, uint64_t threshold) {
    if (rows >= threshold) return true;
    std::lock_guard<std::mutex> lock(read_mutex_);
    // Bounded: a session of many one-off queries forgets the counts (and compiles nothing early).
    if (rows_read_.size() > 100000) rows_read_.clear();
    uint64_t& read = rows_read_[key];
    read += rows;
    if (read < threshold) return false;
    rows_read_.erase(key);
    return true;
}

std::unique_ptr<runtime::CompiledPipelineRun> CodegenPipelineCompiler::Compile(const ir::Pipeline& pipeline,
                                                                               runtime::ExecutionContext& ctx) {
    if (ctx.mode == runtime::ExecutionMode::Interpret) return nullptr;
    try {
        std::unique_ptr<codegen::PipelineShape> shape = codegen::MatchPipeline(pipeline);
        std::vector<codegen::ShapeDependency> tables = PipelineDependencies(pipeline);
        const std::string key = codegen::ShapeCacheKey(shape->Key(), tables);
        codegen::CompiledCodePtr code = cache_.Find(key);
        const bool hit = code != nullptr;
        const bool adaptive = ctx.mode == runtime::ExecutionMode::Adaptive;
        const bool runs_long = pipeline.source->type == ir::PhysicalOpType::TableScan &&
                               pipeline.source->table->Data().RowCount() >= kLongRunRows;
        codegen::ShapeCache& cache = cache_;
        std::function<codegen::CompiledCodePtr()> poll = [&cache, key] { return cache.Peek(key); };
        if (!hit && adaptive) {
            // A compile costs tens of milliseconds of a core that the workers share. A
            // long pipeline compiles at once (the run itself takes the code up); a shorter
            // one runs interpreted until its runs have read enough rows for compiled code
            // to win that back.
            const uint64_t rows = pipeline.source->type == ir::PhysicalOpType::TableScan
                                      ? pipeline.source->table->Data().RowCount()
                                      : kChunkSourceRows;
            if (!runs_long && !WorthCompiling(key, rows, ctx.jit_above_rows)) return nullptr;
            // This run starts in the interpreter and switches once the cache has the code.
            // Nothing waits for it, so it is compiled once, in the optimized tier: compiling
            // the optimized IR takes about as long as the fast tier's unoptimized IR, and a
            // fast tier followed by an optimized one kept the compile thread busy (and the
            // cores shared with the workers) for runs after the first.
            CompileInBackground(*shape, key, std::move(tables), DescribePipeline(pipeline),
                                ctx.jit_optimize ? codegen::Tier::Optimized : codegen::Tier::Fast,
                                /*urgent=*/true);
            std::vector<::GzParamSlot> params = shape->Layout().Bind(ctx.parameters);
            return std::make_unique<CompiledShapeRun>(ctx, cache_, key, std::move(shape), nullptr, std::move(params),
                                                      "", std::move(poll));
        }
        // In either compiled mode, a shape that keeps running or runs long moves on to the
        // optimized tier in the background; this run takes it up at a morsel boundary.
        codegen::ShapeCacheEntryInfo info;
        const bool upgrade = ctx.jit_optimize &&
                             (hit ? code->Stats().tier == codegen::Tier::Fast &&
                                        (runs_long || (cache_.Describe(key, info) && info.hits >= kHotRuns))
                                  : runs_long);
        if (!hit) {
            codegen::CompileOptions options;
            options.tier = codegen::Tier::Fast;
            code = shape->Compile(options);
            cache_.Insert(key, code, tables, DescribePipeline(pipeline));
        }
        if (upgrade)
            CompileInBackground(*shape, key, std::move(tables), DescribePipeline(pipeline), codegen::Tier::Optimized);
        std::string description = CodeDescription(code->Stats(), hit);
        std::vector<::GzParamSlot> params = shape->Layout().Bind(ctx.parameters);
        return std::make_unique<CompiledShapeRun>(ctx, cache_, key, std::move(shape), std::move(code),
                                                  std::move(params), std::move(description),
                                                  upgrade ? std::move(poll) : nullptr);
    } catch (const Error& e) {
        // 0A000: the shape is not compiled yet; the interpreter runs it.
        if (e.State() == SqlState::FeatureNotSupported) return nullptr;
        throw;
    }
}

std::unique_ptr<runtime::CompiledPipelineRun>
CodegenPipelineCompiler::CompileForWorker(const ir::Pipeline& pipeline, runtime::ExecutionContext& ctx) {
    if (ctx.mode == runtime::ExecutionMode::Interpret) return nullptr;
    try {
        std::unique_ptr<codegen::PipelineShape> shape = codegen::MatchPipeline(pipeline);
        const std::string key = codegen::ShapeCacheKey(shape->Key(), PipelineDependencies(pipeline));
        codegen::CompiledCodePtr code = cache_.Peek(key);
        codegen::ShapeCache& cache = cache_;
        std::function<codegen::CompiledCodePtr()> poll = [&cache, key] { return cache.Peek(key); };
        std::string description = code ? CodeDescription(code->Stats(), /*hit=*/true) : "";
        std::vector<::GzParamSlot> params = shape->Layout().Bind(ctx.parameters);
        return std::make_unique<CompiledShapeRun>(ctx, cache_, key, std::move(shape), std::move(code),
                                                  std::move(params), std::move(description), std::move(poll));
    } catch (const Error& e) {
        if (e.State() == SqlState::FeatureNotSupported) return nullptr;
        throw;
    }
}

std::vector<std::vector<Value>> CodegenPipelineCompiler::CacheEntries() {
    std::vector<std::vector<Value>> rows;
    for (const codegen::ShapeCacheEntry& entry : cache_.Entries()) {
        const codegen::ShapeCacheEntryInfo& info = entry.info;
        std::string tables;
        for (const codegen::ShapeDependency& table : info.tables)
            tables += (tables.empty() ? "" : ", ") + table.table_name;
        rows.push_back({Value::Varchar(codegen::ShortKeyHash(entry.key)), Value::Varchar(entry.key),
                        Value::Varchar(info.description), Value::Varchar(codegen::TierName(info.tier)),
                        Value::BigInt(static_cast<int64_t>(info.hits)),
                        Value::FromDouble(LogicalType(TypeId::Double), info.compile_ms),
                        Value::BigInt(static_cast<int64_t>(info.code_bytes)),
                        Value::BigInt(static_cast<int64_t>(info.bytes)), Value::Varchar(tables)});
    }
    return rows;
}

std::string ExplainCodegen(const ir::PhysicalPlan& plan) {
    std::string out = "Codegen:\n";
    for (size_t pipeline_idx = 0; pipeline_idx < plan.pipelines.size(); ++pipeline_idx) {
        const ir::Pipeline& pipeline = plan.pipelines[pipeline_idx];
        out += "Pipeline " + std::to_string(pipeline_idx) + ": " + DescribePipeline(pipeline) + "\n";
        std::unique_ptr<codegen::PipelineShape> shape;
        codegen::CompiledCodePtr code;
        try {
            shape = codegen::MatchPipeline(pipeline);
            // The optimized tier, so the "after" IR shows what the vectorizer made of the loops.
            codegen::CompileOptions options;
            options.tier = codegen::Tier::Optimized;
            options.capture_ir = true;
            options.annotate = true;
            code = shape->Compile(options);
        } catch (const Error& e) {
            if (e.State() != SqlState::FeatureNotSupported) throw;
            out += "  runs in the interpreter: " + e.Message() + " (SQLSTATE " + e.Code() + ")\n";
            continue;
        }
        const codegen::CompileStats& stats = code->Stats();
        out += "  compiled: " + CompileTimes(stats) + ", " + std::to_string(stats.object_bytes) +
               " bytes of object code\n";
        out += DescribeRegions(pipeline, *shape);
        out += "  LLVM IR before optimization:\n" + Indent(code->IrBefore(), 4);
        out += "  LLVM IR after optimization (optimized tier):\n" + Indent(code->IrAfter(), 4);
    }
    return out;
}

}  // namespace grizzly
