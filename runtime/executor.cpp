#include "runtime/executor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include <atomic>
#include <mutex>

#include "runtime/expression_executor.hpp"
#include "runtime/operators/operator_state.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/vector_ops.hpp"
#include "storage/storage.hpp"

namespace grizzly::runtime {

namespace {

using States = std::vector<std::unique_ptr<OperatorState>>;

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
        // Also here, not only per source chunk: a join can make millions of rows of one.
        CheckInterrupt(ctx_);
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

/// Morsels are runs of this many vectors (16,384 rows): small enough that a
/// table of a few row groups keeps every worker busy, large enough that taking
/// one costs nothing next to running it.
constexpr idx_t kMorselVectors = 8;

/// Which executor runs a morsel of a compiled pipeline.
enum class Executor : uint8_t { Waiting, Sample, Slower, Compiled };

/// The CPU time of the calling thread: what a morsel cost, whatever else the
/// cores did meanwhile (the background compiler, the statement's other workers).
std::chrono::nanoseconds ThreadCpuTime() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

/// Adaptive mode runs a pipeline in whichever executor is faster on it. It
/// times morsels of each in CPU time per row while either has fewer than
/// kEnoughRows measured, and adds the times to the shape's cache entry at the
/// end of the run: a short pipeline is measured over several runs. The timed
/// morsels are spread over the run (Morsel::sample), alternating between the two
/// executors, so that both see the same stretches of a clustered table and the
/// same sizes of a hash table that grows as the run goes on; the others run the
/// executor that looks faster so far. Once both have enough, it runs the faster
/// one. A worker's first morsel is not timed: it pays for the worker's setup
/// (its states, the subqueries it evaluates). Pipelines of fewer than
/// kMeasuredMorsels morsels always run compiled: too short to lose much.
constexpr size_t kMeasuredMorsels = 4;
/// One timer serves every worker of a pipeline (a mutex: it is asked once per
/// morsel), so that they all run the executor the measurements chose.
class AdaptiveTimer {
public:
    static constexpr uint64_t kEnoughRows = 4 * kMorselVectors * kVectorSize;  // four morsels
    using Speed = CompiledPipelineRun::Speed;
    /// What runs a morsel, and whether its time is measured.
    struct Choice {
        Executor executor;
        bool timed;
    };
    /// `whole_run`: the sink's result depends on which rows each partial state
    /// saw (OperatorState::DependsOnSplit): the run is not mixed, but runs whole
    /// in the executor chosen at its first morsel (the interpreter if the code is
    /// not ready then), so that a statement evaluating the pipeline twice (TPC-H
    /// Q15's sum and max of sums) computes the same value both times. Its
    /// morsels are all timed, and the two executors measured in turn over runs.
    AdaptiveTimer(bool enabled, bool whole_run) : enabled_(enabled), whole_run_(whole_run) {}

    /// The executor for a morsel of `rows` rows of `run`. `sample`: one of the
    /// morsels spread over the run that may be timed; `warm_up`: the worker's first morsel.
    Choice Choose(CompiledPipelineRun& run, uint64_t rows, bool sample, bool warm_up) {
        const bool ready = run.Ready();
        if (!enabled_) return {ready ? Executor::Compiled : Executor::Waiting, false};
        std::lock_guard<std::mutex> lock(mutex_);
        if (!loaded_) {
            known_ = run.MeasuredSpeed();
            loaded_ = true;
        }
        if (whole_run_) {
            if (!pinned_) {
                pinned_ = true;
                pin_ = !ready                                      ? Executor::Waiting
                       : known_.compiled.rows < kEnoughRows        ? Executor::Compiled
                       : known_.interpreted.rows < kEnoughRows     ? Executor::Sample
                       : Faster()                                  ? Executor::Compiled
                                                                   : Executor::Slower;
            }
            // (Code this worker cannot see yet, though another one could: rare, and mixed.)
            return {pin_ == Executor::Compiled && !ready ? Executor::Waiting : pin_, !warm_up};
        }
        if (!ready) return {Executor::Waiting, !warm_up};
        const uint64_t interpreted = known_.interpreted.rows + assigned_interpreted_;
        const uint64_t compiled = known_.compiled.rows + assigned_compiled_;
        const bool measuring = interpreted < kEnoughRows || compiled < kEnoughRows;
        if (measuring && sample && !warm_up) {
            const bool interpret = interpreted < kEnoughRows && (compiled >= kEnoughRows || interpreted <= compiled);
            (interpret ? assigned_interpreted_ : assigned_compiled_) += rows;
            return {interpret ? Executor::Sample : Executor::Compiled, true};
        }
        const bool guess = measuring && (known_.interpreted.rows + run_.interpreted.rows == 0 ||
                                         known_.compiled.rows + run_.compiled.rows == 0);
        return {guess || Faster() ? Executor::Compiled : Executor::Slower, false};
    }
    /// A timed morsel's CPU time since `start`.
    void Interpreted(std::chrono::nanoseconds start, uint64_t rows) { Add(run_.interpreted, start, rows); }
    void Compiled(std::chrono::nanoseconds start, uint64_t rows, bool code_changed) {
        Add(run_.compiled, start, rows);
        if (code_changed) mixed_tiers_ = true;
    }
    /// After the run: its measurements into the shape's cache entry (compiled
    /// times only when one tier's code ran them all).
    void Record(CompiledPipelineRun& run) {
        if (!enabled_) return;
        std::lock_guard<std::mutex> lock(mutex_);
        if (mixed_tiers_) run_.compiled = {};
        if (run_.interpreted.rows > 0 || run_.compiled.rows > 0) run.RecordSpeed(run_);
        run_ = {};
    }
    /// Whether both executors have enough rows measured to be compared.
    static bool Measured(const Speed& speed) {
        return speed.interpreted.rows >= kEnoughRows && speed.compiled.rows >= kEnoughRows;
    }
    static std::string Verdict(const Speed& speed) {
        char text[160];
        std::snprintf(text, sizeof(text), "compiled code measured %.2f ns/row against the interpreter's %.2f",
                      speed.compiled.NsPerRow(), speed.interpreted.NsPerRow());
        return text;
    }

private:
    void Add(ExecutorTime& time, std::chrono::nanoseconds start, uint64_t rows) {
        const double ns = static_cast<double>((ThreadCpuTime() - start).count());
        std::lock_guard<std::mutex> lock(mutex_);
        time.ns += ns;
        time.rows += rows;
    }
    /// Whether compiled code is faster, by what was known and what this run measured.
    bool Faster() const {
        auto per_row = [](const ExecutorTime& known, const ExecutorTime& now) {
            return (known.ns + now.ns) / static_cast<double>(std::max<uint64_t>(1, known.rows + now.rows));
        };
        return per_row(known_.compiled, run_.compiled) <= per_row(known_.interpreted, run_.interpreted);
    }

    bool enabled_;
    bool whole_run_;
    std::mutex mutex_;
    bool loaded_ = false;
    bool pinned_ = false;  // whole runs: pin_ is the run's executor
    Executor pin_ = Executor::Compiled;
    Speed known_;  // from earlier runs
    Speed run_;    // timed in this run
    uint64_t assigned_interpreted_ = 0, assigned_compiled_ = 0;  // rows handed out to be timed
    bool mixed_tiers_ = false;
};

/// The compiled run of `pipeline`, its join tables bound, or null when the
/// compiler does not take it (or a join's table cannot be read by the code).
/// Workers after the first share the first one's code (CompileForWorker).
std::unique_ptr<CompiledPipelineRun> StartCompiled(const ir::Pipeline& pipeline,
                                                   std::vector<std::unique_ptr<OperatorState>>& states,
                                                   ExecutionContext& ctx, bool first_worker = true) {
    std::unique_ptr<CompiledPipelineRun> run =
        first_worker ? ctx.compiler->Compile(pipeline, ctx) : ctx.compiler->CompileForWorker(pipeline, ctx);
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
                    PipelineRunner& rest, CompiledPipelineRun& run, bool stopped, size_t compiled) {
    if (!stopped) rest.FlushFrom(0);
    // Row shapes handed their rows on as they came; aggregate shapes hand over their groups now.
    if (run.EmitsRows() || compiled == 0) return;
    states[pipeline.sink->id]->AdoptPartial(run.Finish());
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
    std::vector<std::vector<uint64_t>> padded(width + 1);  // one spare: GCC 12 cannot prove `width` is not SIZE_MAX
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
    FinishCompiled(pipeline, states, rest, run, stopped, compiled);
    std::string description = compiled > 0 ? run.Description() : "interpreter (compiled code not ready)";
    if (compiled > 0 && interpreted > 0)
        description += "; " + std::to_string(interpreted) + " of " + std::to_string(interpreted + compiled) +
                       " chunks ran in the interpreter (code not ready, or rows selected)";
    return description;
}

/// Runs a pipeline whose source is not a table scan through compiled code when
/// the compiler accepts it; "" when it does not.
std::string TryRunCompiledChunks(const ir::Pipeline& pipeline, States& states, ExecutionContext& ctx) {
    if (ctx.mode == ExecutionMode::Interpret || !ctx.compiler || !pipeline.source || !pipeline.sink) return "";
    std::unique_ptr<CompiledPipelineRun> run = StartCompiled(pipeline, states, ctx);
    // Chunks with a selection run interpreted: a run that needs every morsel does not start.
    if (!run || run->NeedsEveryMorsel()) return "";
    return RunCompiledChunks(pipeline, states, ctx, *run);
}

/// A morsel: rows [begin, end) of one row group of a table scan. `sample`:
/// adaptive mode may time it (about kSamplesPerRun of a pipeline's morsels, spread over it).
struct Morsel {
    idx_t row_group, begin, end;
    bool sample;
};
constexpr size_t kSamplesPerRun = 8;

/// Whether `alive`, a row group's bitmap of live rows, has a deleted row in the
/// morsel (which starts at a whole word), a word at a time.
bool HasDeleted(const ValidityMask& alive, const Morsel& morsel) {
    if (alive.AllValid()) return false;
    for (idx_t w = morsel.begin / 64; w * 64 < morsel.end && w < alive.WordCount(); ++w) {
        const idx_t rows = std::min<idx_t>(64, morsel.end - w * 64);
        const uint64_t live = rows == 64 ? ~uint64_t(0) : (uint64_t(1) << rows) - 1;
        if ((alive.Words()[w] & live) != live) return true;
    }
    return false;
}

/// Compiled code runs a morsel in calls (stretches) of whole vectors, as many
/// as take about this long: the code itself does not look for cancel requests,
/// so a join that makes thousands of rows per probe row gets calls of one
/// vector, and the driver sees a request between them within milliseconds.
constexpr double kStretchMs = 2.0;

std::vector<Morsel> ScanMorsels(const storage::TableData& data) {
    std::vector<Morsel> morsels;
    constexpr idx_t kRows = kMorselVectors * kVectorSize;
    for (idx_t g = 0; g < data.RowGroups().size(); ++g)
        for (idx_t begin = 0; begin < data.RowGroups()[g]->count; begin += kRows)
            morsels.push_back(Morsel{g, begin, std::min<idx_t>(begin + kRows, data.RowGroups()[g]->count), false});
    const size_t stride = std::max<size_t>(1, morsels.size() / kSamplesPerRun);
    for (size_t m = 0; m < morsels.size(); m += stride) morsels[m].sample = true;
    return morsels;
}

/// One worker's part of a pipeline over a table scan: each morsel runs in the
/// interpreter through the worker's operator states, or through the worker's
/// compiled run (null: interpreter only). Interpreted morsels: while the code
/// compiles, as the sample adaptive mode measures compiled code against, and
/// when compiled code measured slower.
class ScanWorker {
public:
    ScanWorker(const ir::Pipeline& pipeline, States& states, ExecutionContext& ctx, CompiledPipelineRun* run,
               AdaptiveTimer& timer)
        : pipeline_(pipeline), states_(states), ctx_(ctx), rest_(pipeline, states, ctx), run_(run),
          data_(pipeline.source->table->Data()), timer_(timer) {
        if (!run_) return;
        const ir::PhysicalOperator& scan = *pipeline.source;
        covered_ = run->EmitsRows() ? run->RowsEnter() : pipeline.operators.size();
        // Row shapes hand their chunks on to the operators they do not cover (or the sink).
        if (run->EmitsRows()) {
            std::vector<std::shared_ptr<StringHeap>> heaps;
            for (uint32_t id : scan.column_ids)
                heaps.push_back(data_.Types()[id].Physical() == PhysicalType::String ? data_.Heap(id) : nullptr);
            run->BindOutput([this](DataChunk& chunk) { return rest_.Push(chunk, covered_); }, std::move(heaps));
        }
        const size_t width = scan.column_ids.size();
        // The scan's columns, then the live-row test's column: its validity is the
        // row group's bitmap of live rows; its values (all true) are never needed.
        columns_.assign(width + 1, LiveValues().data());
        validity_.assign(width + 1, nullptr);
        padded_.resize(width + 1);
        stretch_columns_.assign(width + 1, nullptr);
        stretch_validity_.assign(width + 1, nullptr);
        widths_.assign(width + 1, 1);
        for (size_t col = 0; col < width; ++col)
            widths_[col] = PhysicalSize(data_.Types()[scan.column_ids[col]].Physical());
        prune_ = ZonePredicates(scan);
    }

    void Run(const Morsel& morsel) {
        CheckInterrupt(ctx_);
        const idx_t rows = morsel.end - morsel.begin;
        const bool warm_up = !warm_;
        warm_ = true;
        const AdaptiveTimer::Choice choice =
            run_ ? timer_.Choose(*run_, rows, morsel.sample, warm_up) : AdaptiveTimer::Choice{Executor::Slower, false};
        const auto start = choice.timed ? ThreadCpuTime() : std::chrono::nanoseconds(0);
        if (choice.executor != Executor::Compiled) {
            states_[pipeline_.source->id]->RestrictToMorsel(morsel.row_group, morsel.begin, morsel.end);
            stopped_ = !rest_.Run(/*flush=*/false);
            if (!run_) return;
            ++(choice.executor == Executor::Waiting  ? waiting
               : choice.executor == Executor::Sample ? sampled
                                                     : slower);
            if (choice.timed) timer_.Interpreted(start, rows);
            return;
        }
        ++compiled;
        RunCompiled(morsel);
        if (choice.timed) timer_.Compiled(start, rows, run_->CodeChanged());
    }

    bool Stopped() const { return stopped_; }

    /// After the worker's last morsel: an aggregate shape's groups into the sink
    /// the worker fills, and with `flush` (one worker only) the streaming
    /// operators' flush, once for the whole pipeline: a RIGHT join's unmatched
    /// build rows, for one, come out there.
    void Finish(bool flush) {
        if (!run_) {
            if (flush && !stopped_) rest_.FlushFrom(0);
            return;
        }
        FinishCompiled(pipeline_, states_, rest_, *run_, stopped_ || !flush, compiled);
    }

    const CompiledPipelineRun* CompiledRun() const { return run_; }

    size_t waiting = 0, sampled = 0, slower = 0, compiled = 0, with_deletes = 0;

private:
    const ir::Pipeline& pipeline_;
    States& states_;
    ExecutionContext& ctx_;
    PipelineRunner rest_;
    CompiledPipelineRun* run_;
    const storage::TableData& data_;
    AdaptiveTimer& timer_;
    size_t covered_ = 0;
    bool stopped_ = false;  // no more rows wanted (a LIMIT is full)
    bool warm_ = false;     // has run a morsel
    idx_t row_group_ = ~idx_t(0);  // whose columns columns_ and validity_ hold
    std::vector<const void*> columns_;
    std::vector<const uint64_t*> validity_;
    std::vector<std::vector<uint64_t>> padded_;  // validity words a mask does not materialize
    std::vector<const void*> stretch_columns_;
    std::vector<const uint64_t*> stretch_validity_;
    std::vector<size_t> widths_;
    std::vector<storage::ZonePredicate> prune_;
    idx_t stretch_vectors_ = 1;  // vectors per call of the code (kStretchMs): from one, doubled while fast

    void RunCompiled(const Morsel& morsel) {
        const ir::PhysicalOperator& scan = *pipeline_.source;
        const auto& rg = data_.RowGroups()[morsel.row_group];
        if (rg->deleted_count > 0 && HasDeleted(rg->alive, morsel)) ++with_deletes;
        if (ctx_.interrupt && ctx_.top_level)
            ctx_.interrupt->rows_scanned.fetch_add(morsel.end - morsel.begin, std::memory_order_relaxed);
        const size_t width = scan.column_ids.size();
        if (row_group_ != morsel.row_group) {
            row_group_ = morsel.row_group;
            // A mask with its bits all set (nothing NULL, nothing deleted) is read as none.
            for (size_t col = 0; col < width; ++col) {
                const storage::ColumnChunk& chunk = rg->columns[scan.column_ids[col]];
                columns_[col] = chunk.data.data();
                validity_[col] =
                    chunk.null_count > 0 ? WholeValidityWords(chunk.validity, rg->count, padded_[col]) : nullptr;
            }
            validity_[width] =
                rg->deleted_count > 0 ? WholeValidityWords(rg->alive, rg->count, padded_[width]) : nullptr;
        }
        // As the interpreter's scan does, skip the vectors zone maps rule out: the
        // morsel is run as the stretches of vectors that may match, of at most
        // stretch_vectors_ each, so that a cancel request is seen between them.
        static_assert(kVectorSize % 64 == 0, "a stretch starts at a whole validity word");
        const idx_t vectors = (morsel.end + kVectorSize - 1) / kVectorSize;
        for (idx_t first = morsel.begin / kVectorSize; first < vectors && !stopped_;) {
            if (!prune_.empty() && !storage::VectorMayMatch(*rg, first, prune_)) {
                ++first;
                continue;
            }
            idx_t end = first + 1;
            while (end < vectors && end - first < stretch_vectors_ &&
                   (prune_.empty() || storage::VectorMayMatch(*rg, end, prune_)))
                ++end;
            if (first > morsel.begin / kVectorSize) CheckInterrupt(ctx_);
            const idx_t begin_row = first * kVectorSize;
            const idx_t end_row = std::min<idx_t>(end * kVectorSize, morsel.end);
            for (size_t col = 0; col <= width; ++col) {
                stretch_columns_[col] = static_cast<const uint8_t*>(columns_[col]) + begin_row * widths_[col];
                stretch_validity_[col] = validity_[col] ? validity_[col] + begin_row / 64 : nullptr;
            }
            const auto start = std::chrono::steady_clock::now();
            run_->RunMorsel(stretch_columns_.data(), stretch_validity_.data(), end_row - begin_row);
            stopped_ = run_->Stopped();
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            if (ms > 2 * kStretchMs && stretch_vectors_ > 1) stretch_vectors_ /= 2;
            else if (ms < kStretchMs / 2 && end - first == stretch_vectors_ && stretch_vectors_ < kMorselVectors)
                stretch_vectors_ *= 2;
            first = end;
        }
    }
};

/// How a table scan's pipeline ran, for EXPLAIN ANALYZE, from the counts of its workers.
std::string DescribeScanRun(const std::vector<ScanWorker*>& workers) {
    size_t waiting = 0, sampled = 0, slower = 0, compiled = 0, with_deletes = 0;
    const ScanWorker* slow = nullptr;
    const CompiledPipelineRun* run = nullptr;  // one that ran compiled morsels, whose code it names
    for (const ScanWorker* w : workers) {
        if (w->compiled > 0 || !run) run = w->CompiledRun();
        waiting += w->waiting;
        sampled += w->sampled;
        slower += w->slower;
        compiled += w->compiled;
        with_deletes += w->with_deletes;
        if (w->slower > 0) slow = w;
    }
    const std::string total = std::to_string(waiting + sampled + slower + compiled);
    std::string description = run && compiled > 0 ? run->Description() : "interpreter";
    if (run && compiled == 0 && waiting > 0) description = "interpreter (compiled code not ready)";
    if (workers.size() > 1) description += "; " + std::to_string(workers.size()) + " workers";
    if (waiting > 0 && compiled > 0)
        description += "; " + std::to_string(waiting) + " of " + total +
                       " morsels ran in the interpreter while it compiled";
    if (sampled > 0)
        description += "; " + std::to_string(sampled) + " of " + total +
                       " morsels ran in the interpreter to measure the compiled code against";
    if (slow) {
        description += "; " + std::to_string(slower) + " of " + total + " morsels ran in the interpreter: " +
                       AdaptiveTimer::Verdict(slow->CompiledRun()->MeasuredSpeed());
    } else if (run && compiled > 0) {
        const AdaptiveTimer::Speed speed = run->MeasuredSpeed();
        if (AdaptiveTimer::Measured(speed)) description += "; " + AdaptiveTimer::Verdict(speed);
    }
    if (with_deletes > 0)
        description += "; " + std::to_string(with_deletes) + " of " + total +
                       " morsels had deleted rows, which compiled code skipped";
    return description;
}

/// Local sinks combined in morsel order as the morsels complete: a worker that
/// finishes morsel m hands its sink over and, unless another worker is
/// combining, combines every sink next in line, outside the lock: the others
/// hand theirs over and go on scanning meanwhile.
class OrderedCombiner {
public:
    OrderedCombiner(OperatorState& sink, size_t morsels) : sink_(sink), done_(morsels) {}
    void Done(size_t morsel, std::unique_ptr<OperatorState> local) {
        std::unique_lock<std::mutex> lock(mutex_);
        done_[morsel] = std::move(local);
        if (combining_) return;
        combining_ = true;
        try {
            while (next_ < done_.size() && done_[next_]) {
                std::unique_ptr<OperatorState> ready = std::move(done_[next_++]);
                lock.unlock();
                sink_.Combine(*ready);
                ready.reset();
                lock.lock();
            }
        } catch (...) {
            if (!lock.owns_lock()) lock.lock();
            combining_ = false;
            throw;
        }
        combining_ = false;
    }

private:
    OperatorState& sink_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<OperatorState>> done_;
    size_t next_ = 0;
    bool combining_ = false;
};

/// Whether adaptive mode measures a pipeline of `morsels` morsels: shorter ones run compiled.
bool Measures(const ExecutionContext& ctx, size_t morsels) {
    return ctx.mode == ExecutionMode::Adaptive && morsels >= kMeasuredMorsels;
}

/// One worker of a parallel pipeline: its context, operator states and compiled run.
struct WorkerSlot {
    std::unique_ptr<ExecutionContext> ctx;
    States states;
    std::unique_ptr<CompiledPipelineRun> run;
    std::unique_ptr<ScanWorker> worker;
};

/// Whether a pipeline's scan reads row ids (UPDATE, DELETE): it runs interpreted, on one worker.
bool ReadsRowIds(const ir::Pipeline& pipeline) {
    const std::vector<uint32_t>& ids = pipeline.source->column_ids;
    return std::find(ids.begin(), ids.end(), ir::LogicalOperator::kRowIdColumn) != ids.end();
}

/// The compiled run for a worker, or null when it runs interpreted only.
std::unique_ptr<CompiledPipelineRun> WorkerRun(const ir::Pipeline& pipeline, States& states, ExecutionContext& ctx,
                                               bool parallel, bool first_worker = true) {
    if (ctx.mode == ExecutionMode::Interpret || !ctx.compiler || ReadsRowIds(pipeline)) return nullptr;
    std::unique_ptr<CompiledPipelineRun> run = StartCompiled(pipeline, states, ctx, first_worker);
    if (!run || !run->NeedsEveryMorsel()) return run;
    // A run that must see every morsel cannot be measured against the interpreter
    // morsel by morsel: adaptive mode, which keeps the faster executor, leaves it
    // to the interpreter (jit mode runs it compiled, on one worker).
    if (parallel || ctx.mode == ExecutionMode::Adaptive || !run->Ready()) return nullptr;
    return run;
}

/// The worker slots of a parallel run of `pipeline`, or none when one of its
/// operators has no parallel form.
std::vector<WorkerSlot> MakeWorkerSlots(const ir::Pipeline& pipeline, States& states, ExecutionContext& ctx,
                                        size_t workers) {
    if (ReadsRowIds(pipeline)) return {};
    std::vector<WorkerSlot> slots(workers);
    OperatorState& sink = *states[pipeline.sink->id];
    for (WorkerSlot& slot : slots) {
        slot.ctx = ctx.ForWorker();
        slot.states.resize(states.size());
        slot.states[pipeline.source->id] = states[pipeline.source->id]->ForWorker(*slot.ctx);
        if (!slot.states[pipeline.source->id]) return {};
        for (const ir::PhysicalOperator* op : pipeline.operators)
            if (!(slot.states[op->id] = states[op->id]->ForWorker(*slot.ctx))) return {};
        // Ordered sinks get a local sink per morsel as it starts.
        std::unique_ptr<OperatorState> local = sink.LocalSink(*slot.ctx);
        if (!local) return {};
        if (!sink.CombinesInOrder()) slot.states[pipeline.sink->id] = std::move(local);
    }
    return slots;
}

/// Runs a table scan's pipeline on `slots.size()` workers, which take morsels
/// from one queue; the scan's order is kept where the sink needs it.
std::string RunParallel(const ir::Pipeline& pipeline, States& states, ExecutionContext& ctx,
                        std::vector<WorkerSlot>& slots, const std::vector<Morsel>& morsels) {
    OperatorState& sink = *states[pipeline.sink->id];
    const bool ordered = sink.CombinesInOrder();
    for (size_t w = 0; w < slots.size(); ++w)
        slots[w].run = WorkerRun(pipeline, slots[w].states, *slots[w].ctx, /*parallel=*/true, /*first_worker=*/w == 0);
    AdaptiveTimer timer(slots[0].run && Measures(ctx, morsels.size()), sink.DependsOnSplit());
    for (WorkerSlot& slot : slots)
        slot.worker = std::make_unique<ScanWorker>(pipeline, slot.states, *slot.ctx, slot.run.get(), timer);
    OrderedCombiner combiner(sink, morsels.size());
    std::atomic<size_t> next{0};
    std::atomic<bool> stop{false};
    const size_t sink_id = pipeline.sink->id;
    // A fixed share per worker: morsels [first(w), first(w + 1)).
    const bool fixed_split = !ordered && sink.PrefersFixedShares();
    auto first = [&](size_t w) { return w * morsels.size() / slots.size(); };
    Scheduler::Instance().Run(slots.size(), [&](size_t w) {
        WorkerSlot& slot = slots[w];
        try {
            for (size_t own = first(w); !stop.load(std::memory_order_relaxed);) {
                const size_t m = fixed_split ? own++ : next.fetch_add(1, std::memory_order_relaxed);
                if (m >= (fixed_split ? first(w + 1) : morsels.size())) break;
                if (ordered) slot.states[sink_id] = sink.LocalSink(*slot.ctx);
                slot.worker->Run(morsels[m]);
                if (ordered) combiner.Done(m, std::move(slot.states[sink_id]));
                if (slot.worker->Stopped()) stop = true;
            }
            if (!ordered) slot.worker->Finish(/*flush=*/false);
        } catch (...) {
            stop = true;  // the other workers end at their next morsel
            throw;
        }
    });
    if (slots[0].run) timer.Record(*slots[0].run);
    // The streaming operators' flush, once: their own states saw no rows, but a
    // join's state is the table. Into the sink after the morsels' rows; for
    // sinks combined in any order, into one more local sink.
    std::vector<std::unique_ptr<OperatorState>> locals;
    if (!ordered)
        for (WorkerSlot& slot : slots) locals.push_back(std::move(slot.states[sink_id]));
    if (!stop) {
        if (!ordered) std::swap(states[sink_id], locals.emplace_back(sink.LocalSink(ctx)));
        PipelineRunner(pipeline, states, ctx).FlushFrom(0);
        if (!ordered) std::swap(states[sink_id], locals.back());
    }
    if (!ordered) sink.CombineAll(locals, slots.size());
    std::vector<ScanWorker*> workers;
    for (WorkerSlot& slot : slots) workers.push_back(slot.worker.get());
    return DescribeScanRun(workers);
}

/// Adds the uncorrelated subqueries in `expr` (not those nested in theirs) to `out`.
void CollectUncorrelated(const ir::Expr* expr, std::vector<const ir::Expr*>& out) {
    if (!expr) return;
    if (expr->type == ir::ExprType::Subquery && expr->correlated.empty()) out.push_back(expr);
    for (const ir::ExprPtr& child : expr->children) CollectUncorrelated(child.get(), out);
}

/// Runs the uncorrelated subqueries the operators of `pipeline` evaluate, on
/// this thread with every worker, for a parallel run's workers to read: each
/// would otherwise run them again, on one thread (a worker runs nothing in parallel).
void PrepareSubqueries(const ir::Pipeline& pipeline, ExecutionContext& ctx) {
    std::vector<const ir::Expr*> subqueries;
    std::vector<const ir::PhysicalOperator*> ops{pipeline.source};
    ops.insert(ops.end(), pipeline.operators.begin(), pipeline.operators.end());
    ops.push_back(pipeline.sink);
    for (const ir::PhysicalOperator* op : ops) {
        for (const auto* list : {&op->table_filters, &op->expressions, &op->probe_keys, &op->build_keys})
            for (const ir::ExprPtr& expr : *list) CollectUncorrelated(expr.get(), subqueries);
        CollectUncorrelated(op->join_condition.get(), subqueries);
        for (const ir::AggregateExpr& aggregate : op->aggregates) {
            CollectUncorrelated(aggregate.argument.get(), subqueries);
            CollectUncorrelated(aggregate.filter.get(), subqueries);
        }
    }
    if (subqueries.empty()) return;
    ExpressionExecutor executor(ctx);
    for (const ir::Expr* subquery : subqueries) {
        try {
            executor.PrepareShared(*subquery);
        } catch (const Error& e) {
            // A subquery's error is the pipeline's only if a row reaches it: the
            // workers run it again when one does, and raise it then.
            if (e.State() == SqlState::QueryCanceled || e.State() == SqlState::OutOfMemory) throw;
        }
    }
}

/// Runs a pipeline whose source is a table scan: on several workers when the
/// setting, the table and the pipeline's operators allow, else on this thread.
std::string RunScanPipeline(const ir::Pipeline& pipeline, States& states, ExecutionContext& ctx) {
    const std::vector<Morsel> morsels = ScanMorsels(pipeline.source->table->Data());
    const size_t workers = std::min(ctx.threads, morsels.size());
    if (workers > 1 && !Scheduler::InWorker()) {
        PrepareSubqueries(pipeline, ctx);
        std::vector<WorkerSlot> slots = MakeWorkerSlots(pipeline, states, ctx, workers);
        if (!slots.empty()) return RunParallel(pipeline, states, ctx, slots, morsels);
    }
    std::unique_ptr<CompiledPipelineRun> run = WorkerRun(pipeline, states, ctx, /*parallel=*/false);
    if (!run) {
        PipelineRunner(pipeline, states, ctx).Run();
        return "interpreter";
    }
    AdaptiveTimer timer(Measures(ctx, morsels.size()), states[pipeline.sink->id]->DependsOnSplit());
    ScanWorker worker(pipeline, states, ctx, run.get(), timer);
    for (const Morsel& morsel : morsels) {
        if (worker.Stopped()) break;
        worker.Run(morsel);
    }
    timer.Record(*run);
    worker.Finish(/*flush=*/true);
    return DescribeScanRun({&worker});
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
    MemoryScope memory(ctx.memory);
    std::vector<std::unique_ptr<OperatorState>> states(plan.operator_count);
    CreateStates(*plan.root, ctx, states);
    // A sink is finalized when the last pipeline feeding it has run.
    std::vector<size_t> feeding(plan.operator_count, 0);
    for (auto& p : plan.pipelines) ++feeding[p.sink->id];
    for (auto& p : plan.pipelines) {
        const auto start = std::chrono::steady_clock::now();
        std::string executor;
        if (p.source && p.sink && p.source->type == ir::PhysicalOpType::TableScan) {
            executor = RunScanPipeline(p, states, ctx);
        } else {
            executor = TryRunCompiledChunks(p, states, ctx);
            if (executor.empty()) {
                PipelineRunner(p, states, ctx).Run();
                executor = "interpreter";
            }
        }
        if (--feeding[p.sink->id] == 0) states[p.sink->id]->Finalize();
        if (executors) {
            // The pipeline's time, its sink's Finalize included (a join's table, a sort).
            char ms[48];
            std::snprintf(ms, sizeof(ms), " [%.3f ms]",
                          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            executors->push_back(executor + ms);
        }
    }
    return TakeResult(*states[plan.root->id]);
}

ir::PhysicalPlan PlanQuery(const ir::LogicalOperator& logical, std::vector<std::string> names, ExecutionContext& ctx) {
    ir::LogicalOpPtr copy = logical.Copy();
    if (ctx.optimizer) copy = ir::Optimize(std::move(copy), *ctx.optimizer);
    return ir::CreatePhysicalPlan(*copy, std::move(names));
}

}  // namespace grizzly::runtime
