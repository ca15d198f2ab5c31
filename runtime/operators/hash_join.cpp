// Hash join and nested-loop join. The build side (children[1]) is materialized
// by the sink role; the probe side streams through Execute. LEFT joins emit
// unmatched probe rows per chunk; FULL joins also emit unmatched build rows in
// Flush, once the probe side is exhausted.
#include <cstring>
#include <deque>

#include "common/join_table.hpp"
#include "runtime/operators/operator_state.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/vector_ops.hpp"

namespace grizzly::runtime {

namespace {

/// What one worker's probes write; the join's table is read-only to them.
struct ProbeScratch {
    explicit ProbeScratch(ExecutionContext& ctx) : executor(ctx) {}
    ExpressionExecutor executor;
    std::vector<uint32_t> pairs_probe, pairs_build;
};

class JoinState : public OperatorState {
public:
    JoinState(const ir::PhysicalOperator& op, ExecutionContext& ctx)
        : op_(op), ctx_(ctx), executor_(ctx), build_(op.children[1]->types), build_keys_(ir::TypesOf(op.build_keys)),
          scratch_(ctx) {
        pair_types_ = op.children[0]->types;
        pair_types_.insert(pair_types_.end(), op.children[1]->types.begin(), op.children[1]->types.end());
        emit_pairs_ = op.join_type == ir::JoinType::Inner || op.join_type == ir::JoinType::Left ||
                      op.join_type == ir::JoinType::Full || op.join_type == ir::JoinType::Right;
        build_side_result_ = op.join_type == ir::JoinType::RightSemi || op.join_type == ir::JoinType::RightAnti;
        marks_build_ = build_side_result_ || op.join_type == ir::JoinType::Full || op.join_type == ir::JoinType::Right;
        for (size_t k = 0; k < op.build_keys.size(); ++k)
            equal_.push_back(GetRowEqual(op.build_keys[k]->return_type.Physical(), op.null_equal[k]));
    }

    void Sink(DataChunk& input, size_t) override {
        if (!op_.build_keys.empty()) build_keys_.Append(executor_.EvaluateAll(op_.build_keys, input));
        build_.Append(input);
    }
    std::unique_ptr<OperatorState> LocalSink(ExecutionContext& ctx) override {
        return std::make_unique<JoinState>(op_, ctx);
    }
    void Combine(OperatorState& local) override {
        auto& other = static_cast<JoinState&>(local);
        build_keys_.Append(std::move(other.build_keys_));
        build_.Append(std::move(other.build_));
    }
    std::unique_ptr<OperatorState> ForWorker(ExecutionContext& ctx) override;

    void Finalize() override {
        idx_t n = build_.RowCount();
        build_matched_.assign(n, 0);
        if (op_.type != ir::PhysicalOpType::HashJoin) {
            ShareTable();  // a nested-loop join: compiled probes pair each row with every build row
            return;
        }
        size_t buckets = 16;
        while (buckets < n * 2) buckets <<= 1;
        memory_.Set(buckets * sizeof(uint32_t) + n * (sizeof(Entry) + sizeof(int64_t) + 1));
        mask_ = buckets - 1;
        heads_.assign(buckets, 0);
        entries_.assign(n, Entry{});
        // One integer key (the usual foreign key join) is compared inline, without
        // a call per candidate or a second cache miss on the key column.
        // Two 32-bit keys (TPC-H Q5's supplier and nation) are packed into one.
        auto physical = [&](size_t k, PhysicalType t) {
            return op_.build_keys[k]->return_type.Physical() == t && op_.probe_keys[k]->return_type.Physical() == t &&
                   !op_.null_equal[k];
        };
        size_t nkeys = op_.build_keys.size();
        packed_pair_ = nkeys == 2 && physical(0, PhysicalType::Int32) && physical(1, PhysicalType::Int32);
        int_key_ = packed_pair_ ||
                   (nkeys == 1 && (physical(0, PhysicalType::Int32) || physical(0, PhysicalType::Int64)));
        if (int_key_) int_keys_.assign(n, 0);
        // Two passes, each split among the workers (DESIGN.md, "Parallelism"):
        // the rows' hashes and integer keys by chunk, then the chains by bucket
        // range, each worker linking the rows of its buckets in row order, so
        // that every chain is the same on any number of workers.
        const size_t chunks = build_keys_.Chunks().size();
        const size_t workers = n >= kParallelBuildRows && !Scheduler::InWorker() ? std::min(ctx_.threads, chunks) : 1;
        std::vector<uint8_t> no_match(n, 0);  // a NULL key: never matches
        std::vector<KeyRange> ranges(workers);
        Scheduler::Instance().Run(workers, [&](size_t w) {
            std::vector<uint64_t> h(kVectorSize);
            for (size_t c = w; c < chunks; c += workers) {
                const DataChunk& chunk = build_keys_.Chunks()[c];
                Rows rows{nullptr, chunk.size};
                for (size_t k = 0; k < chunk.columns.size(); ++k) HashVector(chunk.columns[k], rows, h.data(), k == 0);
                for (uint32_t r = 0; r < chunk.size; ++r) {
                    auto global = static_cast<uint32_t>(c * kVectorSize + r);
                    entries_[global].hash = h[r];
                    if (HasNullKey(chunk, r)) {
                        no_match[global] = 1;
                        continue;
                    }
                    if (!int_key_) continue;
                    int_keys_[global] = KeyAt(chunk.columns, r);
                    if (chunk.columns[0].Validity().RowIsValid(r)) ranges[w].Add(IntKey(chunk.columns[0], r));
                }
            }
        });
        KeyRange keys;
        for (const KeyRange& range : ranges) keys.Add(range);
        direct_ = int_key_ && !packed_pair_ && ChooseDirect(n, keys);
        if (direct_) heads_.assign(static_cast<size_t>(max_key_ - min_key_) + 1, 0);
        const size_t bucket_count = heads_.size();
        Scheduler::Instance().Run(workers, [&](size_t w) {
            const size_t first = bucket_count * w / workers, end = bucket_count * (w + 1) / workers;
            for (uint32_t global = 0; global < n; ++global) {
                if (no_match[global]) continue;
                const size_t bucket = direct_ ? static_cast<size_t>(int_keys_[global] - min_key_)
                                              : entries_[global].hash & mask_;
                if (bucket < first || bucket >= end) continue;
                entries_[global].next = heads_[bucket];
                heads_[bucket] = global + 1;
            }
        });
        ShareTable();
    }

    const GzJoinTable* CompiledJoinTable() const override { return shared_ ? &compiled_ : nullptr; }

    bool Execute(DataChunk& input, const Emit& emit) override { return Probe(input, emit, scratch_); }

    /// The probe of one chunk, by any worker: `s` is the worker's own.
    bool Probe(DataChunk& input, const Emit& emit, ProbeScratch& s) {
        Rows rows = ActiveRows(input);
        std::vector<uint8_t> probe_matched;
        bool track_probe = op_.join_type != ir::JoinType::Inner && op_.join_type != ir::JoinType::Right &&
                           !build_side_result_;
        if (track_probe) probe_matched.assign(std::max<idx_t>(input.size, 1), 0);
        s.pairs_probe.clear();
        s.pairs_build.clear();
        if (op_.type == ir::PhysicalOpType::HashJoin) {
            if (!ProbeHash(input, rows, probe_matched, emit, s)) return false;
        } else {
            idx_t build_rows = build_.RowCount();
            for (idx_t i = 0; i < rows.count; ++i) {
                for (idx_t b = 0; b < build_rows; ++b) {
                    s.pairs_probe.push_back(rows[i]);
                    s.pairs_build.push_back(static_cast<uint32_t>(b));
                    if (s.pairs_probe.size() == kVectorSize && !EmitPairs(input, probe_matched, emit, s)) return false;
                }
            }
        }
        if (!s.pairs_probe.empty() && !EmitPairs(input, probe_matched, emit, s)) return false;
        if (op_.join_type == ir::JoinType::Semi || op_.join_type == ir::JoinType::Anti) {
            // The probe rows themselves: those with a match (SEMI) or without one (ANTI).
            bool want = op_.join_type == ir::JoinType::Semi;
            std::vector<uint32_t> selected;
            for (idx_t i = 0; i < rows.count; ++i)
                if ((probe_matched[rows[i]] != 0) == want) selected.push_back(rows[i]);
            if (selected.empty()) return true;
            input.has_sel = true;
            input.sel.indices = std::move(selected);
            return emit(input);
        }
        if (track_probe) {
            std::vector<uint32_t> unmatched;
            for (idx_t i = 0; i < rows.count; ++i)
                if (!probe_matched[rows[i]]) unmatched.push_back(rows[i]);
            if (!unmatched.empty()) {
                DataChunk out;
                out.Initialize(op_.types, unmatched.size());
                for (size_t c = 0; c < op_.probe_width; ++c)
                    Gather(input.columns[c], unmatched.data(), unmatched.size(), out.columns[c]);
                for (size_t c = 0; c < op_.build_width; ++c) SetNull(out.columns[op_.probe_width + c], unmatched.size());
                out.size = unmatched.size();
                if (!emit(out)) return false;
            }
        }
        return true;
    }

    // FULL and RIGHT joins end with the build rows nothing matched (probe columns
    // NULL); RIGHT_SEMI / RIGHT_ANTI with the build rows something did / did not match.
    bool Flush(const Emit& emit) override {
        if (op_.join_type != ir::JoinType::Full && op_.join_type != ir::JoinType::Right && !build_side_result_)
            return true;
        bool want_matched = op_.join_type == ir::JoinType::RightSemi;
        size_t first_build_column = build_side_result_ ? 0 : op_.probe_width;
        std::vector<uint32_t> rows;
        auto flush = [&]() {
            DataChunk out;
            out.Initialize(op_.types, rows.size());
            for (size_t c = 0; c < first_build_column; ++c) SetNull(out.columns[c], rows.size());
            for (size_t c = 0; c < op_.build_width; ++c)
                build_.Gather(c, rows.data(), rows.size(), out.columns[first_build_column + c]);
            out.size = rows.size();
            rows.clear();
            return emit(out);
        };
        for (idx_t b = 0; b < build_.RowCount(); ++b) {
            if ((build_matched_[b] != 0) != want_matched) continue;
            rows.push_back(static_cast<uint32_t>(b));
            if (rows.size() == kVectorSize && !flush()) return false;
        }
        return rows.empty() || flush();
    }

private:
    const ir::PhysicalOperator& op_;
    ExecutionContext& ctx_;
    ExpressionExecutor executor_;
    ChunkCollection build_;
    ChunkCollection build_keys_;
    using Entry = GzJoinEntry;  // hash, next: global row + 1 of the next entry in the bucket; 0 ends the chain
    std::vector<uint32_t> heads_;  // global row + 1 of the first entry per bucket
    std::vector<Entry> entries_;   // per build row
    std::vector<RowEqualFn> equal_;
    std::vector<LogicalType> pair_types_;  // probe columns then build columns
    bool emit_pairs_ = true;               // false for SEMI / ANTI, which emit probe rows only
    bool build_side_result_ = false;       // RIGHT_SEMI / RIGHT_ANTI: the result is marked build rows
    bool marks_build_ = false;             // Flush reads which build rows matched
    TrackedMemory memory_;                 // the table's arrays (build_ counts its rows)
    std::vector<uint8_t> build_matched_;
    size_t mask_ = 0;
    ProbeScratch scratch_;  // this state's own probes
    bool int_key_ = false;
    bool packed_pair_ = false;       // int_key_ holds two 32-bit keys
    std::vector<int64_t> int_keys_;  // per build row, when int_key_
    // Integer keys in a dense range index the bucket array directly (a perfect hash:
    // TPC-H's keys are dense), instead of being hashed.
    bool direct_ = false;
    int64_t min_key_ = 0, max_key_ = 0;

    GzJoinTable compiled_{};                 // the table for compiled probes (ShareTable)
    bool shared_ = false;
    std::vector<const void*> chunk_columns_;  // compiled_.columns
    std::vector<const uint64_t*> chunk_validity_;
    std::vector<const void*> key_columns_;    // compiled_.key_columns
    std::vector<const uint64_t*> key_validity_;
    std::deque<std::vector<uint64_t>> padded_words_;  // SharedWords' copies (a deque: pointers stay put)

    const uint64_t* SharedWords(const ValidityMask& mask, idx_t rows) {
        return WholeValidityWords(mask, rows, padded_words_.emplace_back());
    }

    void ShareTable() {
        for (const DataChunk& chunk : build_.Chunks()) {
            for (const Vector& column : chunk.columns) {
                chunk_columns_.push_back(column.RawData());
                chunk_validity_.push_back(SharedWords(column.Validity(), chunk.size));
            }
        }
        for (const DataChunk& chunk : build_keys_.Chunks()) {
            for (const Vector& column : chunk.columns) {
                key_columns_.push_back(column.RawData());
                key_validity_.push_back(SharedWords(column.Validity(), chunk.size));
            }
        }
        compiled_.heads = heads_.data();
        compiled_.entries = entries_.data();
        compiled_.int_keys = int_key_ && !packed_pair_ ? int_keys_.data() : nullptr;
        compiled_.key_count = op_.build_keys.size();
        compiled_.key_columns = key_columns_.data();
        compiled_.key_validity = key_validity_.data();
        compiled_.matched = build_matched_.data();
        compiled_.row_count = build_.RowCount();
        shared_ = true;
        compiled_.mask = mask_;
        compiled_.min_key = min_key_;
        compiled_.bucket_count = heads_.size();
        compiled_.direct = direct_;
        compiled_.build_width = op_.build_width;
        compiled_.columns = chunk_columns_.data();
        compiled_.validity = chunk_validity_.data();
        compiled_.strings = &build_.Strings();
    }

    /// The smallest and largest of some integer keys.
    struct KeyRange {
        bool any = false;
        int64_t min = 0, max = 0;
        void Add(int64_t k) {
            min = any ? std::min(min, k) : k;
            max = any ? std::max(max, k) : k;
            any = true;
        }
        void Add(const KeyRange& other) {
            if (!other.any) return;
            Add(other.min);
            Add(other.max);
        }
    };

    /// Build sides of this many rows are hashed and linked by every worker.
    static constexpr idx_t kParallelBuildRows = 4 * kVectorSize;

    bool ChooseDirect(idx_t n, const KeyRange& keys) {
        if (!keys.any) return false;
        min_key_ = keys.min;
        max_key_ = keys.max;
        uint64_t range = static_cast<uint64_t>(max_key_) - static_cast<uint64_t>(min_key_);
        // Up to 4 buckets per row, or 1M buckets (4 MiB) for any build side: a small
        // table over a wide key range (a few hundred parts) still skips hashing.
        return range < (uint64_t(1) << 26) && range + 1 <= std::max<uint64_t>(4 * n, uint64_t(1) << 20);
    }

    static int64_t IntKey(const Vector& v, uint32_t row) {
        return v.Physical() == PhysicalType::Int32 ? v.Data<int32_t>()[row] : v.Data<int64_t>()[row];
    }

    int64_t KeyAt(const std::vector<Vector>& keys, uint32_t row) const {
        if (!packed_pair_) return IntKey(keys[0], row);
        auto high = static_cast<uint32_t>(keys[0].Data<int32_t>()[row]);
        auto low = static_cast<uint32_t>(keys[1].Data<int32_t>()[row]);
        return static_cast<int64_t>((static_cast<uint64_t>(high) << 32) | low);
    }

    bool BuildKeysEqual(const DataChunk& keys, uint32_t row, uint32_t b) const {
        const DataChunk& bk = build_keys_.Chunks()[b / kVectorSize];
        for (size_t k = 0; k < keys.columns.size(); ++k)
            if (!equal_[k](keys.columns[k], row, bk.columns[k], b % kVectorSize)) return false;
        return true;
    }

    /// Workers probe at once: a flag they may all set, read by Flush once they are done.
    void MarkMatched(uint32_t b) { __atomic_store_n(&build_matched_[b], uint8_t{1}, __ATOMIC_RELAXED); }

    bool HasNullKey(const DataChunk& keys, uint32_t row) const {
        for (size_t k = 0; k < keys.columns.size(); ++k)
            if (!op_.null_equal[k] && !keys.columns[k].Validity().RowIsValid(row)) return true;
        return false;
    }

    bool ProbeHash(const DataChunk& input, Rows rows, std::vector<uint8_t>& probe_matched, const Emit& emit,
                   ProbeScratch& s) {
        DataChunk keys;
        for (auto& k : op_.probe_keys) keys.columns.push_back(s.executor.Evaluate(*k, input, rows));
        keys.size = input.size;
        std::vector<uint64_t> hashes(direct_ ? 0 : rows.count);
        std::vector<uint32_t> first(rows.count);
        if (direct_) {
            // The key is the bucket: no hashing, and every entry of a chain has the probe's key.
            const Vector& kv = keys.columns[0];
            const uint64_t range = heads_.size();
            for (idx_t i = 0; i < rows.count; ++i) {
                uint32_t r = rows[i];
                uint64_t offset = static_cast<uint64_t>(IntKey(kv, r)) - static_cast<uint64_t>(min_key_);
                first[i] = offset < range && kv.Validity().RowIsValid(r) ? heads_[offset] : 0;
            }
        } else {
            for (size_t k = 0; k < keys.columns.size(); ++k) HashVector(keys.columns[k], rows, hashes.data(), k == 0);
            // Two phases so that the cache misses on the bucket array overlap instead of queueing.
            for (idx_t i = 0; i < rows.count; ++i) __builtin_prefetch(&heads_[hashes[i] & mask_]);
            for (idx_t i = 0; i < rows.count; ++i) {
                first[i] = heads_[hashes[i] & mask_];
                if (first[i]) __builtin_prefetch(&entries_[first[i] - 1]);
            }
        }
        // SEMI and ANTI without a residual condition only need to know whether a match exists.
        bool any_match_only = !emit_pairs_ && !op_.join_condition;
        for (idx_t i = 0; i < rows.count; ++i) {
            uint32_t r = rows[i];
            if (!first[i] || HasNullKey(keys, r)) continue;
            uint64_t h = direct_ ? 0 : hashes[i];
            int64_t key = int_key_ ? KeyAt(keys.columns, r) : 0;
            for (uint32_t entry = first[i]; entry; entry = entries_[entry - 1].next) {
                uint32_t b = entry - 1;
                // In direct mode every entry of the chain has the probe's key by construction.
                if (!direct_) {
                    if (entries_[b].hash != h) continue;
                    if (int_key_ ? int_keys_[b] != key : !BuildKeysEqual(keys, r, b)) continue;
                }
                if (any_match_only) {
                    if (build_side_result_) {
                        MarkMatched(b);  // every build row with this key is a result row
                        continue;
                    }
                    probe_matched[r] = 1;
                    break;
                }
                s.pairs_probe.push_back(r);
                s.pairs_build.push_back(b);
                if (s.pairs_probe.size() == kVectorSize && !EmitPairs(input, probe_matched, emit, s)) return false;
            }
        }
        return true;
    }

    // Emits the collected (probe, build) pairs that satisfy the residual condition.
    bool EmitPairs(const DataChunk& input, std::vector<uint8_t>& probe_matched, const Emit& emit, ProbeScratch& s) {
        idx_t n = s.pairs_probe.size();
        DataChunk out;
        out.Initialize(pair_types_, n);
        for (size_t c = 0; c < op_.probe_width; ++c) Gather(input.columns[c], s.pairs_probe.data(), n, out.columns[c]);
        for (size_t c = 0; c < op_.build_width; ++c)
            build_.Gather(c, s.pairs_build.data(), n, out.columns[op_.probe_width + c]);
        out.size = n;
        if (op_.join_condition) {
            std::vector<uint32_t> selected;
            s.executor.Select(*op_.join_condition, out, Rows{nullptr, n}, selected);
            out.has_sel = true;
            out.sel.indices = std::move(selected);
        }
        idx_t active = out.ActiveCount();
        for (idx_t i = 0; i < active; ++i) {
            uint32_t row = out.ActiveRow(i);
            if (!probe_matched.empty()) probe_matched[s.pairs_probe[row]] = 1;
            if (marks_build_) MarkMatched(s.pairs_build[row]);
        }
        s.pairs_probe.clear();
        s.pairs_build.clear();
        if (active == 0 || !emit_pairs_) return true;
        return emit(out);
    }
};

/// A worker's probe side of a finalized join: its own scratch, the join's
/// table. The join's Flush (unmatched build rows) runs once, on the join itself.
class JoinProbeState : public OperatorState {
public:
    JoinProbeState(JoinState& join, ExecutionContext& ctx) : join_(join), scratch_(ctx) {}
    bool Execute(DataChunk& input, const Emit& emit) override { return join_.Probe(input, emit, scratch_); }
    const GzJoinTable* CompiledJoinTable() const override { return join_.CompiledJoinTable(); }

private:
    JoinState& join_;
    ProbeScratch scratch_;
};

std::unique_ptr<OperatorState> JoinState::ForWorker(ExecutionContext& ctx) {
    return std::make_unique<JoinProbeState>(*this, ctx);
}

}  // namespace

std::unique_ptr<OperatorState> MakeJoinOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx) {
    if (op.join_type == ir::JoinType::Mark || op.join_type == ir::JoinType::Single)
        throw Error::NotSupported(std::string(ir::JoinTypeName(op.join_type)) + " join execution");
    return std::make_unique<JoinState>(op, ctx);
}

}  // namespace grizzly::runtime
