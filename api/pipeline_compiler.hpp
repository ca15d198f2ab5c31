#pragma once
/// The bridge from the interpreter's driver to codegen: a
/// runtime::PipelineCompiler that compiles the pipelines codegen supports
/// (table scan -> filters -> aggregate, grouped or not) through the database's
/// shape cache, lists that cache for grizzly_jit_cache(), and writes EXPLAIN
/// CODEGEN. Internal to the api module, which is the only module that sees
/// both runtime/ and codegen/.

#include <memory>
#include <string>
#include <vector>

#include "codegen/codegen.hpp"
#include "runtime/runtime.hpp"

namespace grizzly {

class CodegenPipelineCompiler : public runtime::PipelineCompiler {
public:
    CodegenPipelineCompiler(codegen::ShapeCache& cache, codegen::BackgroundCompiler& background)
        : cache_(cache), background_(background) {}

    /// A hit on a shape that has run kHotRuns times in the fast tier is
    /// recompiled in the optimized tier in the background (the fast code runs
    /// meanwhile, and the cache swaps the entry when the new code is ready), in
    /// jit mode as in adaptive mode.
    static constexpr uint64_t kHotRuns = 2;
    /// A pipeline over this many rows (16 row groups) runs long: its first compile is
    /// followed at once by the optimized tier, which a running query takes up mid-run.
    static constexpr uint64_t kLongRunRows = 16 * 122880;

    /// Looks the pipeline up in the cache under its shape, the scanned table's
    /// id and schema version and the host (codegen::ShapeCacheKey). On a miss,
    /// jit mode compiles it at once (fast tier) and caches it with the table as
    /// its dependency; adaptive mode queues the compile on the background
    /// compiler and returns a run that is not Ready() until the cache has the
    /// code, so the driver interprets morsels until then and switches mid-run.
    std::unique_ptr<runtime::CompiledPipelineRun> Compile(const ir::Pipeline& pipeline,
                                                          runtime::ExecutionContext& ctx) override;
    std::unique_ptr<runtime::CompiledPipelineRun> CompileForWorker(const ir::Pipeline& pipeline,
                                                                   runtime::ExecutionContext& ctx) override;
    /// One row per cache entry, in ir::JitCacheColumns() order, most recently used first.
    std::vector<std::vector<Value>> CacheEntries() override;

private:
    codegen::ShapeCache& cache_;
    codegen::BackgroundCompiler& background_;

    /// Queues a compile of `shape` (an owned copy: the plan may be gone when it
    /// runs). `urgent`: a running pipeline waits for it (a first compile), ahead of
    /// tier upgrades.
    void CompileInBackground(const codegen::PipelineShape& shape, const std::string& key,
                             std::vector<codegen::ShapeDependency> tables, std::string description,
                             codegen::Tier tier, bool urgent = false);
};

/// The tables compiled code for `pipeline` is built for: its scanned table.
std::vector<codegen::ShapeDependency> PipelineDependencies(const ir::Pipeline& pipeline);

/// The operators of `pipeline` in push order: "TABLE_SCAN t -> FILTER -> HASH_AGGREGATE".
std::string DescribePipeline(const ir::Pipeline& pipeline);

/// EXPLAIN CODEGEN: for each pipeline of `plan`, its operators and either the
/// LLVM IR codegen makes of it — before and after optimization in the
/// optimized tier, each instruction marked with the plan operator it came from
/// — or a line saying it runs in the interpreter and why (the 0A000 message).
/// Compiles privately: the shape cache is neither read nor changed.
std::string ExplainCodegen(const ir::PhysicalPlan& plan);

}  // namespace grizzly
