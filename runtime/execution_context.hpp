#pragma once
/// Per-statement execution state shared by all operators: parameters, the
/// frames of correlated subqueries, and compiled subquery plans with their
/// cached results.

#include "common/executor_time.hpp"
#include "common/join_table.hpp"
#include "common/limit_counters.hpp"
#include "ir/ir.hpp"
#include "runtime/chunk_collection.hpp"
#include "runtime/hash/group_table.hpp"
#include "runtime/memory_tracker.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace grizzly::runtime {

class ExecutionContext;

/// The result of running a subquery once for one set of correlated values.
struct SubqueryResult {
    ChunkCollection rows;
    /// For IN / ANY / ALL: the distinct non-null values as text keys, and whether a NULL occurred.
    std::unordered_set<std::string> keys;
    bool has_null = false;
    /// Uncorrelated x IN (subquery): the values in a typed hash set, built on first use.
    std::unique_ptr<GroupTable> set;
    /// Complete (its set built): the workers of a parallel pipeline read it (ForWorker).
    bool shared = false;
};

struct SubqueryState {
    ir::PhysicalPlan plan;  ///< planned on the first run (none for results handed to a worker)
    std::unordered_map<std::string, std::shared_ptr<SubqueryResult>> cache;
};

/// Cancellation and progress of one connection's running statement, shared with
/// other threads (the shell's Ctrl-C handler, its progress bar).
struct InterruptState {
    std::atomic<bool> requested{false};
    std::atomic<uint64_t> rows_scanned{0};
    std::atomic<uint64_t> rows_to_scan{0};
};

/// `SET execution_mode` (DESIGN.md, "Execution modes").
enum class ExecutionMode : uint8_t {
    Interpret,  ///< every pipeline in the interpreter
    Jit,        ///< pipelines codegen can compile run compiled
    Adaptive,   ///< the default: cached shapes run compiled; cold ones run interpreted while they compile in the background
};

/// One pipeline compiled by the codegen module, as the interpreter's driver
/// sees it (the runtime never includes codegen or LLVM headers). The driver
/// feeds the run its table scan's row groups as morsels. Aggregate shapes
/// ("table scan -> filters, join probes -> aggregate sink", grouped or not)
/// give partial aggregates, which the driver hands to the sink
/// (OperatorState::CombinePartial); row shapes hand chunks of rows on as they
/// fill, into the pipeline's operator RowsEnter() (or the sink). One object
/// serves one execution of one pipeline.
class CompiledPipelineRun {
public:
    virtual ~CompiledPipelineRun() = default;
    /// Whether the code is there: adaptive mode hands out a run while its code is
    /// still compiled in the background, and the driver interprets morsels until
    /// this turns true (asked once per morsel).
    virtual bool Ready() { return true; }
    /// Runs one morsel of `row_count` rows. `columns[i]` and `validity[i]` are
    /// the values and validity words (null: no NULLs) of output column i of the
    /// pipeline's table scan; one entry past those, the validity words are the
    /// morsel's live rows (null: none deleted) and the values all true (bytes).
    /// Throws Error.
    virtual void RunMorsel(const void* const* columns, const uint64_t* const* validity, uint64_t row_count) = 0;
    /// Before the first morsel: the finalized tables of the hash joins the
    /// pipeline probes, in pipeline order (OperatorState::CompiledJoinTable).
    virtual void BindJoins(std::vector<const GzJoinTable*> joins) { (void)joins; }
    /// Before the first morsel: the counts of the LIMIT the code covers (row shapes).
    virtual void BindLimit(GzLimit* limit) { (void)limit; }
    /// After the last morsel: the groups of the morsels it ran, as partial
    /// aggregates (the layout OperatorState::CombinePartial reads); nothing
    /// for row shapes.
    virtual std::vector<DataChunk> Finish() = 0;
    /// Row shapes: their chunks enter the pipeline's operator RowsEnter()
    /// (operators.size(): the sink) through `emit`, which returns false when no
    /// more rows are wanted; `heaps` keep the scan's strings alive (per scan column).
    virtual bool EmitsRows() const { return false; }
    virtual size_t RowsEnter() const { return 0; }
    virtual void BindOutput(std::function<bool(DataChunk&)> emit, std::vector<std::shared_ptr<StringHeap>> heaps) {
        (void)emit;
        (void)heaps;
    }
    /// The run must see every morsel of the pipeline or none (a DISTINCT
    /// aggregate's seen values cannot be merged with the interpreter's): the
    /// driver interprets the whole pipeline unless the code is ready at the
    /// start, and in adaptive mode, which could not measure it against the
    /// interpreter morsel by morsel.
    virtual bool NeedsEveryMorsel() const { return false; }
    /// Row shapes: true once `emit` returned false.
    virtual bool Stopped() const { return false; }
    /// Adaptive mode: CPU time spent on rows of the pipeline in each executor,
    /// added up over runs (the compiled side: of the run's current code).
    using Speed = ExecutorTimes;
    virtual Speed MeasuredSpeed() const { return {}; }
    /// Adaptive mode: adds a run's measurements for later runs.
    virtual void RecordSpeed(const Speed& add) { (void)add; }
    /// Whether newer code (the optimized tier) took over during this run.
    virtual bool CodeChanged() const { return false; }
    /// How the pipeline runs, for EXPLAIN ANALYZE: "compiled (fast tier, cache hit)".
    virtual std::string Description() const = 0;
};

/// Hands out compiled pipelines. Installed by the api module (which links codegen).
class PipelineCompiler {
public:
    virtual ~PipelineCompiler() = default;
    /// A compiled run of `pipeline`, or null when it must run in the interpreter
    /// (its shape is not compiled yet). Throws Error for real failures.
    virtual std::unique_ptr<CompiledPipelineRun> Compile(const ir::Pipeline& pipeline, ExecutionContext& ctx) = 0;
    /// Another worker's run of a pipeline this statement's Compile gave a run
    /// of: it shares that run's cached code (and takes up newer tiers) but counts
    /// no cache hit and starts no compile. Null when the pipeline is not compiled.
    virtual std::unique_ptr<CompiledPipelineRun> CompileForWorker(const ir::Pipeline& pipeline, ExecutionContext& ctx) {
        return Compile(pipeline, ctx);
    }
    /// The rows of grizzly_jit_cache(): one per cached compiled shape, with the
    /// values of ir::JitCacheColumns() in order. Called on the statement's thread.
    virtual std::vector<std::vector<Value>> CacheEntries() { return {}; }
};

class ExecutionContext {
public:
    /// Checked at every vector boundary; null when nothing can interrupt.
    InterruptState* interrupt = nullptr;
    /// True for the statement's top-level plan (progress counts its scans only).
    bool top_level = true;
    /// $n parameters and trigger NEW/OLD values (Parameter depth 0).
    std::vector<Value> parameters;
    /// Innermost last: values of correlated outer columns (Parameter depth 1).
    std::vector<const std::vector<Value>*> correlated_frames;
    ir::OptimizerContext* optimizer = nullptr;
    ExecutionMode mode = ExecutionMode::Interpret;
    /// `SET jit_optimize`: hot and long-running shapes move on to the optimized
    /// tier (off: the fast tier's code stays, as PostgreSQL's jit_optimize_above_cost = -1).
    bool jit_optimize = true;
    /// `SET jit_above_rows`: adaptive mode compiles a pipeline once its runs have
    /// read this many rows (one over a table of 16 row groups or more, at once): a
    /// compile costs about 50 ms of a core, which compiled code saves back over
    /// some 20 million rows (1-5 ns a row).
    uint64_t jit_above_rows = 20000000;
    /// Compiles pipelines when `mode` is not Interpret; null = interpreter only.
    PipelineCompiler* compiler = nullptr;
    /// `SET threads`: the workers a pipeline runs on (DESIGN.md, "Parallelism").
    size_t threads = 1;
    /// `SET memory_limit`: what the statement's structures count against (null: nothing).
    std::shared_ptr<MemoryTracker> memory;
    std::unordered_map<const ir::Expr*, std::unique_ptr<SubqueryState>> subqueries;

    /// The context of one worker of a parallel pipeline: the same settings and
    /// values, and subqueries of its own (their plans and results are per worker,
    /// so workers share nothing they write), but for the uncorrelated results
    /// prepared to be shared (ExpressionExecutor::PrepareShared), which they read.
    std::unique_ptr<ExecutionContext> ForWorker() const {
        auto worker = std::make_unique<ExecutionContext>();
        for (const auto& [expr, state] : subqueries) {
            auto uncorrelated = state->cache.find("");
            if (uncorrelated == state->cache.end() || !uncorrelated->second->shared) continue;
            auto& copy = worker->subqueries[expr];
            copy = std::make_unique<SubqueryState>();
            copy->cache.emplace("", uncorrelated->second);
        }
        worker->interrupt = interrupt;
        worker->top_level = top_level;
        worker->parameters = parameters;
        worker->correlated_frames = correlated_frames;
        worker->optimizer = optimizer;
        worker->mode = mode;
        worker->jit_optimize = jit_optimize;
        worker->jit_above_rows = jit_above_rows;
        worker->compiler = compiler;
        worker->threads = 1;
        worker->memory = memory;
        return worker;
    }
};

}  // namespace grizzly::runtime
