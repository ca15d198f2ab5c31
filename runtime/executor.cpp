#include "runtime/executor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "runtime/operators/operator_state.hpp"
#include "runtime/vector_ops.hpp"
#include "storage/storage.hpp"

namespace grizzly::runtime {

namespace {

class PipelineRunner {
public:
    PipelineRunner(const ir::Pipeline& pipeline, std::vector<std::unique_ptr<OperatorState>>& states,
                   ExecutionContext& ctx)
        : pipeline_(pipeline), states_(states), ctx_(ctx) {}

    /// Returns false when the pipeline stopped early (no more rows wanted).
    /// Without `flush` the streaming operators keep what they hold back (the
    /// driver runs a pipeline morsel by morsel and flushes once at its end).
    bool Run(bool flush = true) {
        OperatorState& source = *states_[pipeline_.source->id];
        DataChunk chunk;
        while (true) {
            chunk.Reset();
            CheckInterrupt(ctx_);
            if (!source.GetData(chunk)) break;
            if (!Push(chunk, 0)) return false;
        }
        return !flush || FlushFrom(0);
    }

    /// Flushes the streaming operators from `first_op` on, in order.
    bool FlushFrom(size_t first_op) {
        for (size_t i = first_op; i < pipeline_.operators.size(); ++i) {
            if (!states_[pipeline_.operators[i]->id]->Flush([&](DataChunk& out) { return Push(out, i + 1); }))
                return false;
        }
        return true;
    }

    /// Pushes `chunk` into operator `op_index` (operators.size(): the sink).
    bool Push(DataChunk& chunk, size_t op_index) {
        if (chunk.ActiveCount() == 0) return true;
        if (op_index == pipeline_.operators.size()) {
            states_[pipeline_.sink->id]->Sink(chunk, pipeline_.sink_child);
            return true;
        }
        return states_[pipeline_.operators[op_index]->id]->Execute(
            chunk, [&](DataChunk& out) { return Push(out, op_index + 1); });
    }

private:
    const ir::Pipeline& pipeline_;
    std::vector<std::unique_ptr<OperatorState>>& states_;
    ExecutionContext& ctx_;
};

/// Which executor runs a morsel of a compiled pipeline.
enum class Executor : uint8_t { Waiting, Sample, Slower, Compiled };

/// Adaptive mode runs a pipeline in whichever executor is faster on it: it
/// times interpreted and compiled morsels (rows per nanosecond, per row group),
/// and once it has one interpreted and two compiled ones it records the two
/// speeds with the shape's code in the cache. Code measured slower than the
/// interpreter (by more than kSlack) is not run again until a new tier
/// replaces it. Pipelines over fewer than kMeasuredMorsels row groups always
/// run compiled: too short to measure, and too short to lose much.
constexpr size_t kMeasuredMorsels = 4;
class AdaptiveTimer {
public:
    static constexpr double kSlack = 1.1;
    explicit AdaptiveTimer(bool enabled) : enabled_(enabled) {}

    Executor Choose(CompiledPipelineRun& run) {
        if (!enabled_) return Executor::Compiled;
        if (interpreted_rows_ == 0 && !run.MeasuredSpeed().Measured()) return Executor::Sample;
        Record(run);  // as soon as there is enough to decide, mid-run
        const CompiledPipelineRun::Speed known = run.MeasuredSpeed();
        if (known.Measured()) return Faster(known) ? Executor::Compiled : Executor::Slower;
        return Executor::Compiled;
    }
    void Interpreted(std::chrono::steady_clock::time_point start, uint64_t rows) {
        interpreted_ns_ += Since(start);
        interpreted_rows_ += rows;
    }
    void Compiled(std::chrono::steady_clock::time_point start, uint64_t rows) {
        compiled_ns_ += Since(start);
        compiled_rows_ += rows;
        ++compiled_morsels_;
    }
    /// Keeps the measurement with the code, once there is enough of it.
    void Record(CompiledPipelineRun& run) {
        if (!enabled_ || compiled_morsels_ < 2 || interpreted_rows_ == 0 || run.MeasuredSpeed().Measured()) return;
        run.RecordSpeed(Current());
    }
    std::string Verdict(const CompiledPipelineRun& run) const {
        CompiledPipelineRun::Speed speed = run.MeasuredSpeed();
        char text[160];
        std::snprintf(text, sizeof(text), "compiled code measured %.2f ns/row against the interpreter's %.2f",
                      speed.compiled_ns_per_row, speed.interpreted_ns_per_row);
        return text;
    }

private:
    static double Since(std::chrono::steady_clock::time_point start) {
        return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    }
    static bool Faster(const CompiledPipelineRun::Speed& speed) {
        return speed.compiled_ns_per_row <= speed.interpreted_ns_per_row * kSlack;
    }
    CompiledPipelineRun::Speed Current() const {
        return {interpreted_ns_ / static_cast<double>(interpreted_rows_), compiled_ns_ / static_cast<double>(compiled_rows_)};
    }

    bool enabled_;
    double interpreted_ns_ = 0, compiled_ns_ = 0;
    uint64_t interpreted_rows_ = 0, compiled_rows_ = 0;
    size_t compiled_morsels_ = 0;
};

/// The compiled run of `pipeline`, its join tables bound, or null when the
/// compiler does not take it (or a join's table cannot be read by the code).
std::unique_ptr<CompiledPipelineRun> StartCompiled(const ir::Pipeline& pipeline,
                                                   std::vector<std::unique_ptr<OperatorState>>& states,
                                                   ExecutionContext& ctx) {
    std::unique_ptr<CompiledPipelineRun> run = ctx.compiler->Compile(pipeline, ctx);
    if (!run) return nullptr;
    const size_t covered = run->EmitsRows() ? run->RowsEnter() : pipeline.operators.size();
    std::vector<const GzJoinTable*> joins;
    for (size_t op_idx = 0; op_idx < covered; ++op_idx) {
        const ir::PhysicalOperator* op = pipeline.operators[op_idx];
        if (op->type == ir::PhysicalOpType::Limit)
            run->BindLimit(states[op->id]->CompiledLimit());
        if (op->type != ir::PhysicalOpType::HashJoin && op->type != ir::PhysicalOpType::NestedLoopJoin) continue;
        joins.push_back(states[op->id]->CompiledJoinTable());
        if (!joins.back()) return nullptr;
    }
    run->BindJoins(std::move(joins));
    return run;
}

/// The end of a compiled pipeline run: the streaming operators' flush (once
/// for the whole pipeline: a RIGHT join's unmatched build rows, for one, come
/// out here) and an aggregate shape's groups into the sink.
void FinishCompiled(const ir::Pipeline& pipeline, std::vector<std::unique_ptr<OperatorState>>& states,
                    PipelineRunner& rest, CompiledPipelineRun& run, bool stopped, size_t interpreted, size_t compiled) {
    if (!stopped) rest.FlushFrom(0);
    // Row shapes handed their rows on as they came; aggregate shapes hand over their groups now.
    if (run.EmitsRows() || compiled == 0) return;
    OperatorState& sink = *states[pipeline.sink->id];
    if (interpreted == 0) sink.AdoptPartial(run.Finish());
    else for (DataChunk& partial : run.Finish()) sink.CombinePartial(partial);
}

/// The live-row column's values: never read (its validity is the bitmap of live rows).
const std::vector<uint8_t>& LiveValues() {
    static const std::vector<uint8_t> values(storage::kRowGroupSize, 1);
    return values;
}

/// Runs a pipeline whose source is not a table scan (an aggregate's, a sort's
/// or a set operation's output, VALUES, a table function) through compiled
/// code: each chunk the source gives is a morsel. Chunks with a selection, and
/// those before the code is ready, run in the interpreter.
std::string RunCompiledChunks(const ir::Pipeline& pipeline, std::vector<std::unique_ptr<OperatorState>>& states,
                              ExecutionContext& ctx, CompiledPipelineRun& run) {
    PipelineRunner rest(pipeline, states, ctx);
    const size_t covered = run.EmitsRows() ? run.RowsEnter() : pipeline.operators.size();
    auto push = [&rest, covered](DataChunk& out) { return rest.Push(out, covered); };
    OperatorState& source = *states[pipeline.source->id];
    const size_t width = pipeline.source->types.size();
    std::vector<const void*> columns(width + 1, LiveValues().data());
    std::vector<const uint64_t*> validity(width + 1, nullptr);
    std::vector<std::vector<uint64_t>> padded(width);
    size_t interpreted = 0, compiled = 0;
    bool stopped = false;
    DataChunk chunk;
    while (!stopped) {
        chunk.Reset();
        CheckInterrupt(ctx);
        if (!source.GetData(chunk)) break;
        if (chunk.ActiveCount() == 0) continue;
        if (chunk.has_sel || !run.Ready()) {
            ++interpreted;
            stopped = !rest.Push(chunk, 0);
            continue;
        }
        ++compiled;
        for (size_t col = 0; col < width; ++col) {
            columns[col] = chunk.columns[col].RawData();
            validity[col] = WholeValidityWords(chunk.columns[col].Validity(), chunk.size, padded[col]);
        }
        if (run.EmitsRows()) {
            // The chunk's strings: gathered VARCHAR columns keep its heaps alive.
            std::vector<std::shared_ptr<StringHeap>> heaps;
            for (const Vector& column : chunk.columns) heaps.push_back(column.HeapPtr());
            run.BindOutput(push, std::move(heaps));
        }
        run.RunMorsel(columns.data(), validity.data(), chunk.size);
        stopped = run.Stopped();
    }
    FinishCompiled(pipeline, states, rest, run, stopped, interpreted, compiled);
    std::string description = compiled > 0 ? run.Description() : "interpreter (compiled code not ready)";
    if (compiled > 0 && interpreted > 0)
        description += "; " + std::to_string(interpreted) + " of " + std::to_string(interpreted + compiled) +
                       " chunks ran in the interpreter (code not ready, or rows selected)";
    return description;
}

/// Runs `pipeline` through compiled code when the compiler accepts it. A table
/// scan feeds whole row groups as morsels: those before the code is ready
/// (adaptive mode compiles in the background) run in the interpreter, so a cold
/// query switches to compiled code at the first morsel boundary after the
/// compile ends. Returns the executor's description; `ran` tells whether the
/// pipeline has run (else the caller interprets all of it).
std::string TryRunCompiled(const ir::Pipeline& pipeline, std::vector<std::unique_ptr<OperatorState>>& states,
                           ExecutionContext& ctx, bool& ran) {
    ran = false;
    if (ctx.mode == ExecutionMode::Interpret || !ctx.compiler || !pipeline.source || !pipeline.sink) return "";
    const ir::PhysicalOperator* scan = pipeline.source;
    if (scan->type != ir::PhysicalOpType::TableScan) {
        std::unique_ptr<CompiledPipelineRun> run = StartCompiled(pipeline, states, ctx);
        // Chunks with a selection run interpreted: a run that needs every morsel does not start.
        if (!run || run->NeedsEveryMorsel())
            return "";
        ran = true;
        return RunCompiledChunks(pipeline, states, ctx, *run);
    }
    for (uint32_t id : scan->column_ids)
        if (id == ir::LogicalOperator::kRowIdColumn) return "";
    const storage::TableData& data = scan->table->Data();
    std::unique_ptr<CompiledPipelineRun> run = StartCompiled(pipeline, states, ctx);
    if (!run) return "";
    // A run that must see every morsel cannot be measured against the interpreter
    // morsel by morsel: adaptive mode, which keeps the faster executor, leaves it to
    // the interpreter (jit mode runs it compiled).
    const bool every_morsel = run->NeedsEveryMorsel();
    if (every_morsel && (ctx.mode == ExecutionMode::Adaptive || !run->Ready()))
        return "";
    const size_t covered = run->EmitsRows() ? run->RowsEnter() : pipeline.operators.size();
    // Row shapes hand their chunks on to the operators they do not cover (or the sink).
    PipelineRunner rest(pipeline, states, ctx);
    if (run->EmitsRows()) {
        std::vector<std::shared_ptr<StringHeap>> heaps;
        for (uint32_t id : scan->column_ids)
            heaps.push_back(data.Types()[id].Physical() == PhysicalType::String ? data.Heap(id) : nullptr);
        run->BindOutput([&rest, covered](DataChunk& chunk) { return rest.Push(chunk, covered); }, std::move(heaps));
    }
    bool stopped = false;  // no more rows wanted (a LIMIT is full)
    const bool counts_progress = ctx.interrupt && ctx.top_level;
    const size_t width = scan->column_ids.size();
    // The scan's columns, then the live-row test's column: its validity is the
    // row group's bitmap of live rows; its values (all true) are never needed.
    std::vector<const void*> columns(width + 1, LiveValues().data());
    std::vector<const uint64_t*> validity(width + 1, nullptr);
    std::vector<std::vector<uint64_t>> padded(width + 1);  // validity words a mask does not materialize
    std::vector<const void*> stretch_columns(columns.size(), nullptr);
    std::vector<const uint64_t*> stretch_validity(validity.size(), nullptr);
    std::vector<size_t> widths(width + 1, 1);
    for (size_t col = 0; col < width; ++col) widths[col] = PhysicalSize(data.Types()[scan->column_ids[col]].Physical());
    const std::vector<storage::ZonePredicate> prune = ZonePredicates(*scan);
    static_assert(kVectorSize % 64 == 0, "a stretch starts at a whole validity word");
    // Interpreted morsels: while the code compiles, as the sample adaptive mode
    // measures compiled code against, and when compiled code measured slower.
    size_t waiting = 0, sampled = 0, slower = 0, compiled = 0, with_deletes = 0;
    AdaptiveTimer timer(ctx.mode == ExecutionMode::Adaptive && data.RowGroups().size() >= kMeasuredMorsels);
    for (size_t g = 0; g < data.RowGroups().size() && !stopped; ++g) {
        const auto& rg = data.RowGroups()[g];
        if (rg->count == 0) continue;
        CheckInterrupt(ctx);
        const auto start = std::chrono::steady_clock::now();
        const Executor executor = run->Ready() ? timer.Choose(*run) : Executor::Waiting;
        if (executor != Executor::Compiled) {
            states[scan->id]->RestrictToRowGroup(g);
            stopped = !rest.Run(/*flush=*/false);
            ++(executor == Executor::Waiting ? waiting : executor == Executor::Sample ? sampled : slower);
            timer.Interpreted(start, rg->count);
            continue;
        }
        ++compiled;
        if (rg->deleted_count > 0) ++with_deletes;
        if (counts_progress) ctx.interrupt->rows_scanned.fetch_add(rg->count, std::memory_order_relaxed);
        // A mask with its bits all set (nothing NULL, nothing deleted) is read as none.
        for (size_t col = 0; col < width; ++col) {
            const storage::ColumnChunk& chunk = rg->columns[scan->column_ids[col]];
            columns[col] = chunk.data.data();
            validity[col] = chunk.null_count > 0 ? WholeValidityWords(chunk.validity, rg->count, padded[col]) : nullptr;
        }
        validity[width] = rg->deleted_count > 0 ? WholeValidityWords(rg->alive, rg->count, padded[width]) : nullptr;
        // As the interpreter's scan does, skip the vectors zone maps rule out: the
        // morsel is run as the stretches of vectors that may match.
        const idx_t vectors = (rg->count + kVectorSize - 1) / kVectorSize;
        for (idx_t first = 0; first < vectors && !stopped;) {
            if (!prune.empty() && !storage::VectorMayMatch(*rg, first, prune)) {
                ++first;
                continue;
            }
            idx_t end = first + 1;
            while (end < vectors && (prune.empty() || storage::VectorMayMatch(*rg, end, prune))) ++end;
            const idx_t begin_row = first * kVectorSize;
            const idx_t end_row = std::min<idx_t>(end * kVectorSize, rg->count);
            for (size_t col = 0; col <= width; ++col) {
                stretch_columns[col] = static_cast<const uint8_t*>(columns[col]) + begin_row * widths[col];
                stretch_validity[col] = validity[col] ? validity[col] + begin_row / 64 : nullptr;
            }
            run->RunMorsel(stretch_columns.data(), stretch_validity.data(), end_row - begin_row);
            stopped = run->Stopped();
            first = end;
        }
        timer.Compiled(start, rg->count);
    }
    timer.Record(*run);
    ran = true;
    const size_t interpreted = waiting + sampled + slower;
    const std::string total = std::to_string(interpreted + compiled);
    std::string description = compiled > 0 ? run->Description() : "interpreter";
    if (compiled == 0 && waiting > 0) description = "interpreter (compiled code not ready)";
    FinishCompiled(pipeline, states, rest, *run, stopped, interpreted, compiled);
    if (waiting > 0 && compiled > 0)
        description += "; the first " + std::to_string(waiting) + " of " + total +
                       " morsels ran in the interpreter while it compiled";
    if (sampled > 0)
        description += "; " + std::to_string(sampled) + " of " + total +
                       " morsels ran in the interpreter to measure the compiled code against";
    if (slower > 0)
        description += "; " + std::to_string(slower) + " of " + total + " morsels ran in the interpreter: " +
                       timer.Verdict(*run);
    if (with_deletes > 0)
        description += "; " + std::to_string(with_deletes) + " of " + total +
                       " morsels had deleted rows, which compiled code skipped";
    return description;
}

void CreateStates(const ir::PhysicalOperator& op, ExecutionContext& ctx,
                  std::vector<std::unique_ptr<OperatorState>>& states) {
    states[op.id] = CreateOperatorState(op, ctx);
    for (auto& c : op.children) CreateStates(*c, ctx, states);
}

// Rows the plan's table scans will read (the denominator of progress).
uint64_t RowsToScan(const ir::PhysicalOperator& op) {
    uint64_t rows = op.type == ir::PhysicalOpType::TableScan ? op.table->Data().RowCount() : 0;
    for (auto& c : op.children) rows += RowsToScan(*c);
    return rows;
}

}  // namespace

void CheckInterrupt(const ExecutionContext& ctx) {
    if (ctx.interrupt && ctx.interrupt->requested.load(std::memory_order_relaxed))
        throw Error(SqlState::QueryCanceled, "canceling statement due to user request");
}

ChunkCollection ExecutePlan(const ir::PhysicalPlan& plan, ExecutionContext& ctx, std::vector<std::string>* executors) {
    if (ctx.interrupt && ctx.top_level) ctx.interrupt->rows_to_scan.fetch_add(RowsToScan(*plan.root));
    // Plans run from inside this one (subqueries) do not count towards progress.
    bool was_top_level = ctx.top_level;
    ctx.top_level = false;
    struct Restore {
        ExecutionContext& ctx;
        bool value;
        ~Restore() { ctx.top_level = value; }
    } restore{ctx, was_top_level};
    std::vector<std::unique_ptr<OperatorState>> states(plan.operator_count);
    CreateStates(*plan.root, ctx, states);
    // A sink is finalized when the last pipeline feeding it has run.
    std::vector<size_t> feeding(plan.operator_count, 0);
    for (auto& p : plan.pipelines) ++feeding[p.sink->id];
    for (auto& p : plan.pipelines) {
        bool ran = false;
        std::string executor = TryRunCompiled(p, states, ctx, ran);
        if (!ran) {
            PipelineRunner(p, states, ctx).Run();
            if (executor.empty()) executor = "interpreter";
        }
        if (executors) executors->push_back(std::move(executor));
        if (--feeding[p.sink->id] == 0) states[p.sink->id]->Finalize();
    }
    return TakeResult(*states[plan.root->id]);
}

ir::PhysicalPlan PlanQuery(const ir::LogicalOperator& logical, std::vector<std::string> names, ExecutionContext& ctx) {
    ir::LogicalOpPtr copy = logical.Copy();
    if (ctx.optimizer) copy = ir::Optimize(std::move(copy), *ctx.optimizer);
    return ir::CreatePhysicalPlan(*copy, std::move(names));
}

}  // namespace grizzly::runtime
