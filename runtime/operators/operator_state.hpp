#pragma once
/// Run-time state of one physical operator for one execution. The physical
/// operator (ir::PhysicalOperator) is the immutable description; this object
/// holds what changes while it runs. One object serves every role its
/// operator plays: a hash join is the sink of its build pipeline and a
/// streaming operator of its probe pipeline.
///
/// Call order per pipeline: the source's GetData until it returns false, each
/// chunk pushed through Execute of the streaming operators into the sink's
/// Sink; then Flush of each streaming operator in order; the sink's Finalize
/// once every pipeline feeding it has finished.
///
/// Parallel pipelines (DESIGN.md, "Parallelism"): each worker runs the
/// pipeline's source and streaming operators through states of its own
/// (ForWorker) into sinks of its own (LocalSink), which Combine merges into the
/// sink; the streaming operators' Flush runs once, on the original states,
/// after every worker is done. An operator without these forms keeps its
/// pipelines on one worker.

#include "common/join_table.hpp"
#include "common/limit_counters.hpp"
#include "runtime/expression_executor.hpp"
#include "storage/table_data.hpp"

#include <functional>
#include <memory>

namespace grizzly::runtime {

/// Passes a chunk downstream; returns false once downstream needs no more rows.
using Emit = std::function<bool(DataChunk&)>;

class OperatorState {
public:
    virtual ~OperatorState() = default;
    /// Source role: fills `out` with the next rows; false when exhausted.
    virtual bool GetData(DataChunk& out);
    /// Streaming role: turns `input` into zero or more chunks passed to `emit`.
    /// Returns false to stop the pipeline early (LIMIT reached).
    virtual bool Execute(DataChunk& input, const Emit& emit);
    /// Streaming role, after the source is exhausted: emits rows held back.
    virtual bool Flush(const Emit& emit) {
        (void)emit;
        return true;
    }
    /// Sink role: consumes `input`, which came from the sink's input `child`.
    virtual void Sink(DataChunk& input, size_t child);
    /// Sink role (aggregates): merges partial aggregates that were computed
    /// elsewhere — by compiled code over the morsels it ran — with the groups
    /// Sink built. `partial` holds the group keys, then per aggregate:
    /// COUNT, COUNT(*): BIGINT count; SUM, MIN, MAX: a value of the aggregate's
    /// type, NULL when the group saw no input; AVG: DOUBLE sum, BIGINT count.
    virtual void CombinePartial(DataChunk& partial);
    /// The same for partial aggregates of distinct groups (a compiled run's), which
    /// the sink may keep as they are, merging them with what else it gets later.
    virtual void AdoptPartial(std::vector<DataChunk> partials) {
        for (DataChunk& partial : partials) CombinePartial(partial);
    }
    /// Streaming role (hash joins): the finalized table, for compiled probes;
    /// null when compiled code cannot probe it (not a single integer key).
    virtual const GzJoinTable* CompiledJoinTable() const { return nullptr; }
    /// Streaming role (LIMIT): the counts compiled code that covers the operator keeps.
    virtual GzLimit* CompiledLimit() { return nullptr; }
    /// Source role (table scans): the following GetData calls read rows [begin,
    /// end) of row group `row_group` only, one morsel.
    virtual void RestrictToMorsel(idx_t row_group, idx_t begin, idx_t end) {
        (void)row_group;
        (void)begin;
        (void)end;
    }
    /// Source and streaming roles: a state of the same operator for another
    /// worker, running in `ctx`; it shares what is read-only (a join's finalized
    /// table). Null: the operator's pipelines run on one worker.
    virtual std::unique_ptr<OperatorState> ForWorker(ExecutionContext& ctx) {
        (void)ctx;
        return nullptr;
    }
    /// Sink role: an empty sink of the same operator for one worker to fill
    /// (Sink, CombinePartial), merged by Combine. Null: no parallel form.
    virtual std::unique_ptr<OperatorState> LocalSink(ExecutionContext& ctx) {
        (void)ctx;
        return nullptr;
    }
    /// Sink role: whether local sinks must be combined in the scan's order, one
    /// per morsel (the rows of a result, a sort's input, a join's build side keep
    /// the order they have on one worker), or may be one per worker, combined in
    /// any order (a hash aggregate's groups).
    virtual bool CombinesInOrder() const { return true; }
    /// Sink role, for sinks combined in any order: whether the driver should give
    /// each worker a fixed, contiguous share of the morsels instead of a shared
    /// queue: when the result depends on which rows each local sink saw
    /// (floating-point sums; a query then computes the same value each time it
    /// evaluates it), or when contiguous shares make the merge cheaper.
    virtual bool PrefersFixedShares() const { return false; }
    /// Sink role: whether the result depends on which rows each partial state
    /// saw (floating-point sums, FIRST), beyond the rows themselves.
    virtual bool DependsOnSplit() const { return false; }
    /// Sink role: merges `local` (from LocalSink) into this sink.
    virtual void Combine(OperatorState& local) { (void)local; }
    /// Sink role, for sinks combined in any order: merges the locals of every
    /// worker, in order, and may use `workers` workers to do it.
    virtual void CombineAll(std::vector<std::unique_ptr<OperatorState>>& locals, size_t workers) {
        (void)workers;
        for (auto& local : locals) Combine(*local);
    }
    /// Sink role: called once after every pipeline feeding the sink finished.
    virtual void Finalize() {}
};

std::unique_ptr<OperatorState> CreateOperatorState(const ir::PhysicalOperator& op, ExecutionContext& ctx);

/// The scan filters of the form `column op constant` that zone maps can decide
/// (table columns; storage::VectorMayMatch tests them).
std::vector<storage::ZonePredicate> ZonePredicates(const ir::PhysicalOperator& scan);

// Factories of the operator families (one file each).
std::unique_ptr<OperatorState> MakeBasicOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx);
std::unique_ptr<OperatorState> MakeJoinOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx);
std::unique_ptr<OperatorState> MakeAggregateOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx);
std::unique_ptr<OperatorState> MakeSortOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx);
std::unique_ptr<OperatorState> MakeSetOpOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx);

/// The ResultCollector's rows, taken after execution.
ChunkCollection TakeResult(OperatorState& result_collector);

}  // namespace grizzly::runtime
