#pragma once
/// The bridge from the interpreter's driver to codegen: a
/// runtime::PipelineCompiler that compiles the pipelines codegen supports
/// (table scan -> filters -> aggregate, grouped or not) through the database's
/// shape cache, lists that cache for grizzly_jit_cache(), and writes EXPLAIN
/// CODEGEN. Internal to the api module, which is the only module that sees
/// both runtime/ and codegen/.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
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

    /// What adaptive mode counts, per run, for a pipeline whose source is not a
    /// table scan (an aggregate's or a sort's output): its rows are not known
    /// before it runs, and are usually few.
    static constexpr uint64_t kChunkSourceRows = 2048;

    /// Looks the pipeline up in the cache under its shape, the scanned table's
    /// id and schema version and the host (codegen::ShapeCacheKey). On a miss,
    /// jit mode compiles it at once (fast tier) and caches it with the table as
    /// its dependency; adaptive mode, at once for a pipeline that runs long
    /// (kLongRunRows) and otherwise once the shape's runs have read
    /// `SET jit_above_rows` rows, queues the compile on the background compiler
    /// and returns a run that is not Ready() until the cache has the code, so
    /// the driver interprets morsels until then and switches mid-run.
    std::unique_ptr<runtime::CompiledPipelineRun> Compile(const ir::Pipeline& pipeline,
                                                          runtime::ExecutionContext& ctx) override;
    std::unique_ptr<runtime::CompiledPipelineRun> CompileForWorker(const ir::Pipeline& pipeline,
                                                                   runtime::ExecutionContext& ctx) override;
    /// One row per cache entry, in ir::JitCacheColumns() order, most recently used first.
    std::vector<std::vector<Value>> CacheEntries() override;

private:
    codegen::ShapeCache& cache_;
    codegen::BackgroundCompiler& background_;
    /// Adaptive mode: rows read so far by uncompiled shapes, by cache key.
    std::mutex read_mutex_;
    std::unordered_map<std::string, uint64_t> rows_read_;

    /// Adds a run's `rows` to what the shape of `key` has read; true once that
    /// reaches `threshold` (the shape is worth compiling).
    bool WorthCompiling(const std::string& key, uint64_t rows, uint64_t threshold);

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
