// Hash aggregation (GROUP BY, DISTINCT). Sink: evaluate group keys, map rows to
// group ids through a GroupTable, then update each aggregate's state arrays in
// a typed loop over the chunk. Finalize: turn states into result columns.
// Source: hand out groups vector by vector. Without GROUP BY there is exactly
// one group, even for empty input.
#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "runtime/hash/group_table.hpp"
#include "runtime/operators/operator_state.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/vector_ops.hpp"

namespace grizzly::runtime {

namespace {

using ir::AggregateKind;

/// State arrays of one aggregate, indexed by group id.
struct AggregateStates {
    const ir::AggregateExpr* expr = nullptr;
    PhysicalType input = PhysicalType::Int64;
    std::vector<int64_t> i64;     // count, integer/decimal sums, avg count
    std::vector<double> f64;      // double sums, avg sums
    std::vector<uint8_t> has;     // saw a non-null value
    std::vector<uint8_t> values;  // min/max/first: one value of the input's width per group
    std::shared_ptr<StringHeap> heap = std::make_shared<StringHeap>();
    std::vector<std::string> text;  // string_agg
    std::unique_ptr<GroupTable> seen;  // DISTINCT: (group, value) pairs already counted

    void Resize(size_t groups) {
        i64.resize(groups, 0);
        f64.resize(groups, 0);
        has.resize(groups, 0);
        if (expr->kind == AggregateKind::Min || expr->kind == AggregateKind::Max || expr->kind == AggregateKind::First)
            values.resize(groups * PhysicalSize(input), 0);
        if (expr->kind == AggregateKind::StringAgg) text.resize(groups);
    }
};

template <class T>
void UpdateSum(AggregateStates& s, const Vector& arg, const std::vector<uint32_t>& rows, const uint32_t* gids,
               const char* type_name) {
    const T* data = arg.Data<T>();
    for (size_t i = 0; i < rows.size(); ++i) {
        uint32_t r = rows[i];
        if (!arg.Validity().RowIsValid(r)) continue;
        uint32_t g = gids[i];
        s.has[g] = 1;
        if constexpr (std::is_same_v<T, double>) {
            s.f64[g] += data[r];
        } else {
            if (__builtin_add_overflow(s.i64[g], static_cast<int64_t>(data[r]), &s.i64[g]))
                throw Error::Overflow(type_name);
        }
    }
}

template <class T>
void UpdateMinMax(AggregateStates& s, const Vector& arg, const std::vector<uint32_t>& rows, const uint32_t* gids,
                  bool is_min) {
    const T* data = arg.Data<T>();
    T* state = reinterpret_cast<T*>(s.values.data());
    for (size_t i = 0; i < rows.size(); ++i) {
        uint32_t r = rows[i];
        if (!arg.Validity().RowIsValid(r)) continue;
        uint32_t g = gids[i];
        const T& v = data[r];
        bool replace;
        if (!s.has[g]) replace = true;
        else if constexpr (std::is_same_v<T, StringRef>) replace = is_min ? v.Compare(state[g]) < 0 : v.Compare(state[g]) > 0;
        else if constexpr (std::is_same_v<T, Interval>) replace = false;
        else replace = is_min ? v < state[g] : state[g] < v;
        if (!replace) continue;
        s.has[g] = 1;
        if constexpr (std::is_same_v<T, StringRef>) state[g] = s.heap->Add(v.View());
        else state[g] = v;
    }
}

void UpdateIntervalMinMax(AggregateStates& s, const Vector& arg, const std::vector<uint32_t>& rows,
                          const uint32_t* gids, bool is_min) {
    Interval* state = reinterpret_cast<Interval*>(s.values.data());
    Vector tmp(arg.Type(), 1);
    for (size_t i = 0; i < rows.size(); ++i) {
        uint32_t r = rows[i];
        if (!arg.Validity().RowIsValid(r)) continue;
        uint32_t g = gids[i];
        tmp.Data<Interval>()[0] = state[g];
        int c = s.has[g] ? CompareRows(arg, r, tmp, 0) : 0;
        if (!s.has[g] || (is_min ? c < 0 : c > 0)) {
            state[g] = arg.Data<Interval>()[r];
            s.has[g] = 1;
        }
    }
}

void UpdateMinMaxAny(AggregateStates& s, const Vector& arg, const std::vector<uint32_t>& rows, const uint32_t* gids,
                     bool is_min) {
    switch (arg.Physical()) {
    case PhysicalType::Bool: UpdateMinMax<uint8_t>(s, arg, rows, gids, is_min); break;
    case PhysicalType::Int32: UpdateMinMax<int32_t>(s, arg, rows, gids, is_min); break;
    case PhysicalType::Int64: UpdateMinMax<int64_t>(s, arg, rows, gids, is_min); break;
    case PhysicalType::Double: UpdateMinMax<double>(s, arg, rows, gids, is_min); break;
    case PhysicalType::String: UpdateMinMax<StringRef>(s, arg, rows, gids, is_min); break;
    case PhysicalType::Interval: UpdateIntervalMinMax(s, arg, rows, gids, is_min); break;
    }
}

void UpdateFirst(AggregateStates& s, const Vector& arg, const std::vector<uint32_t>& rows, const uint32_t* gids) {
    const uint32_t w = PhysicalSize(arg.Physical());
    for (size_t i = 0; i < rows.size(); ++i) {
        const uint32_t r = rows[i];
        if (s.has[gids[i]] || !arg.Validity().RowIsValid(r))
            continue;
        s.has[gids[i]] = 1;
        if (arg.Physical() == PhysicalType::String) {
            StringRef copy = s.heap->Add(arg.Data<StringRef>()[r].View());
            std::memcpy(s.values.data() + gids[i] * w, &copy, w);
        } else {
            std::memcpy(s.values.data() + gids[i] * w, arg.RawData() + r * w, w);
        }
    }
}

void UpdateBoolAndOr(AggregateStates& s, const Vector& arg, const std::vector<uint32_t>& rows, const uint32_t* gids,
                     bool is_and) {
    for (size_t i = 0; i < rows.size(); ++i) {
        const uint32_t r = rows[i];
        if (!arg.Validity().RowIsValid(r))
            continue;
        s.has[gids[i]] = 1;
        const bool v = arg.Data<uint8_t>()[r] != 0;
        if (is_and)
            s.i64[gids[i]] = s.i64[gids[i]] && v;
        else
            s.i64[gids[i]] = s.i64[gids[i]] || v;
    }
}

/// The type an integer SUM's overflow error names.
const char* SumTypeName(const ir::AggregateExpr& aggregate) {
    return aggregate.return_type.id == TypeId::Decimal ? "numeric" : "bigint";
}

double AsDouble(const Vector& arg, uint32_t r) {
    switch (arg.Physical()) {
    case PhysicalType::Int32: return arg.Data<int32_t>()[r];
    case PhysicalType::Int64:
        if (arg.Type().id == TypeId::Decimal)
            return static_cast<double>(arg.Data<int64_t>()[r]) / static_cast<double>(kPowersOfTen[arg.Type().scale]);
        return static_cast<double>(arg.Data<int64_t>()[r]);
    case PhysicalType::Double: return arg.Data<double>()[r];
    default: return 0;
    }
}

class HashAggregateState : public OperatorState {
public:
    HashAggregateState(const ir::PhysicalOperator& op, ExecutionContext& ctx)
        : op_(op), ctx_(ctx), executor_(ctx), groups_(ir::TypesOf(op.expressions)), collected_(op.children[0]->types) {
        for (auto& a : op.aggregates) {
            AggregateStates s;
            s.expr = &a;
            if (a.argument) s.input = a.argument->return_type.Physical();
            states_.push_back(std::move(s));
        }
        if (op.expressions.empty()) EnsureGroups(1);
    }

    void Sink(DataChunk& input, size_t) override {
        if (collecting_) {
            collected_.Append(input);
            return;
        }
        Rows rows = ActiveRows(input);
        std::vector<uint32_t> gids(rows.count, 0);
        if (!op_.expressions.empty()) {
            std::vector<Vector> keys;
            for (auto& e : op_.expressions) keys.push_back(executor_.Evaluate(*e, input, rows));
            groups_.FindOrCreate(keys, rows, gids.data());
            EnsureGroups(groups_.GroupCount());
        }
        std::vector<uint32_t> active(rows.count);
        for (idx_t i = 0; i < rows.count; ++i) active[i] = rows[i];
        for (auto& s : states_) Update(s, input, active, gids);
    }

    void CombinePartial(DataChunk& partial) override {
        Rows rows = ActiveRows(partial);
        std::vector<uint32_t> gids(rows.count, 0);
        const size_t key_count = op_.expressions.size();
        if (key_count > 0) {
            std::vector<Vector> keys(partial.columns.begin(), partial.columns.begin() + key_count);
            groups_.FindOrCreate(keys, rows, gids.data());
            EnsureGroups(groups_.GroupCount());
        }
        std::vector<uint32_t> active(rows.count);
        for (idx_t i = 0; i < rows.count; ++i) active[i] = rows[i];
        size_t column = key_count;
        for (auto& s : states_) {
            const Vector& value = partial.columns[column++];
            switch (s.expr->kind) {
            case AggregateKind::Count:
            case AggregateKind::CountStar:
                for (size_t i = 0; i < active.size(); ++i) s.i64[gids[i]] += value.Data<int64_t>()[active[i]];
                break;
            case AggregateKind::Sum:
                if (value.Physical() == PhysicalType::Double) UpdateSum<double>(s, value, active, gids.data(), "double");
                else UpdateSum<int64_t>(s, value, active, gids.data(), SumTypeName(*s.expr));
                break;
            case AggregateKind::Avg: {
                const int64_t* counts = partial.columns[column++].Data<int64_t>();
                for (size_t i = 0; i < active.size(); ++i) {
                    if (counts[active[i]] == 0) continue;
                    s.has[gids[i]] = 1;
                    s.f64[gids[i]] += value.Data<double>()[active[i]];
                    s.i64[gids[i]] += counts[active[i]];
                }
                break;
            }
            case AggregateKind::Min:
            case AggregateKind::Max:
                UpdateMinMaxAny(s, value, active, gids.data(), s.expr->kind == AggregateKind::Min);
                break;
            // A partial FIRST comes after the rows the sink saw: it counts where they gave none.
            case AggregateKind::First:
                UpdateFirst(s, value, active, gids.data());
                break;
            case AggregateKind::StringAgg:
                // Compiled runs with STRING_AGG see every morsel: their text is the group's whole.
                for (size_t i = 0; i < active.size(); ++i) {
                    if (!value.Validity().RowIsValid(active[i]))
                        continue;
                    if (s.has[gids[i]])
                        throw Error::Internal("a STRING_AGG merged with rows it did not see");
                    s.has[gids[i]] = 1;
                    s.text[gids[i]] = value.Data<StringRef>()[active[i]].Str();
                }
                break;
            // A partial BOOL_AND (BOOL_OR) is the AND (OR) of its group's values: combined the same way.
            case AggregateKind::BoolAnd:
            case AggregateKind::BoolOr:
                UpdateBoolAndOr(s, value, active, gids.data(), s.expr->kind == AggregateKind::BoolAnd);
                break;
            default: throw Error::Internal(std::string("no partial form of ") + ir::AggregateName(s.expr->kind));
            }
        }
    }

    /// Distinct groups from compiled code are kept as they are: hashing them again
    /// would redo what the code did. Groups the sink has of its own (interpreted
    /// morsels) are usually far fewer: ResolveAdopted merges those two sets by
    /// looking the adopted groups up in the sink's table, not the other way round.
    void AdoptPartial(std::vector<DataChunk> partials) override {
        if (op_.expressions.empty() || !adopted_.empty()) {
            for (DataChunk& partial : partials) CombinePartial(partial);
            return;
        }
        adopted_ = std::move(partials);
    }

    void Finalize() override {
        ResolveAdopted();
        const bool adopted = !adopted_.empty();
        for (DataChunk& partial : adopted_) results_.push_back(FinalFromPartial(partial));
        adopted_.clear();
        if (adopted && groups_.GroupCount() == 0) return;
        const size_t nkeys = op_.expressions.size();
        for (DataChunk& chunk : GroupChunks(op_.types, [&](DataChunk& out, uint32_t start, idx_t n) {
                 for (size_t a = 0; a < states_.size(); ++a) Produce(states_[a], start, n, out.columns[nkeys + a]);
             }))
            results_.push_back(std::move(chunk));
    }

    /// Adopted groups the sink's table also has are combined into it and
    /// deselected from their chunk: afterwards the two sets are disjoint.
    void ResolveAdopted() {
        if (adopted_.empty() || groups_.GroupCount() == 0) return;
        const size_t nkeys = op_.expressions.size();
        std::vector<uint32_t> gids(kVectorSize);
        for (DataChunk& chunk : adopted_) {
            const Rows rows = ActiveRows(chunk);
            std::vector<Vector> keys(chunk.columns.begin(), chunk.columns.begin() + static_cast<long>(nkeys));
            groups_.Find(keys, rows, gids.data());
            std::vector<uint32_t> found, kept;
            for (idx_t i = 0; i < rows.count; ++i) (gids[i] == GroupTable::kNotFound ? kept : found).push_back(rows[i]);
            if (found.empty()) continue;
            DataChunk view = Selected(chunk, std::move(found));
            CombinePartial(view);
            chunk.has_sel = true;
            chunk.sel.indices = std::move(kept);
        }
    }

    /// DISTINCT and STRING_AGG cannot be merged from parts (CombinePartial): a
    /// grouped sink with one collects its input instead, which CombineAll splits
    /// by group and aggregates whole; ungrouped, it runs on one worker.
    std::unique_ptr<OperatorState> LocalSink(ExecutionContext& ctx) override {
        if (Unmergeable() && op_.expressions.empty()) return nullptr;
        auto local = std::make_unique<HashAggregateState>(op_, ctx);
        local->collecting_ = Unmergeable();
        return local;
    }
    bool CombinesInOrder() const override { return false; }
    bool PrefersFixedShares() const override {
        // Collected input split by contiguous shares stays in input order: STRING_AGG's order.
        if (Unmergeable()) return true;
        // Contiguous shares keep clustered integer keys apart (AdoptClusteredKeys).
        if (op_.expressions.size() == 1) {
            const PhysicalType type = op_.expressions[0]->return_type.Physical();
            if (type == PhysicalType::Int32 || type == PhysicalType::Int64) return true;
        }
        return DependsOnSplit();
    }
    bool DependsOnSplit() const override {
        for (const AggregateStates& s : states_) {
            const AggregateKind kind = s.expr->kind;
            if (kind == AggregateKind::First ||
                ((kind == AggregateKind::Sum || kind == AggregateKind::Avg) && s.input == PhysicalType::Double))
                return true;
        }
        return false;
    }
    void Combine(OperatorState& local) override {
        auto& other = static_cast<HashAggregateState&>(local);
        if (other.collecting_) {
            for (DataChunk& chunk : other.collected_.Chunks()) Sink(chunk, 0);
            return;
        }
        for (DataChunk& partial : other.Partials()) CombinePartial(partial);
    }

    /// The partitioned merge: each local's groups (or collected rows) are split
    /// by a hash of their keys, and each partition is aggregated by one worker
    /// into a table of its own, the locals taken in worker order. The
    /// partitions' groups are disjoint: together they are the result.
    void CombineAll(std::vector<std::unique_ptr<OperatorState>>& locals, size_t workers) override {
        if (op_.expressions.empty() || workers < 2 || groups_.GroupCount() > 0 || !adopted_.empty()) {
            OperatorState::CombineAll(locals, workers);
            return;
        }
        const bool collected = Unmergeable();
        const size_t partitions = std::min<size_t>(256, workers * 4);
        std::vector<Split> splits(locals.size());
        const size_t splitters = std::min(workers, locals.size());
        Scheduler::Instance().Run(splitters, [&](size_t w) {
            for (size_t i = w; i < locals.size(); i += splitters) {
                auto& local = static_cast<HashAggregateState&>(*locals[i]);
                splits[i].chunks = collected ? std::move(local.collected_.Chunks()) : local.Partials();
                locals[i].reset();
            }
        });
        if (!collected && AdoptClusteredKeys(splits)) return;
        Scheduler::Instance().Run(splitters, [&](size_t w) {
            std::unique_ptr<ExecutionContext> ctx = ctx_.ForWorker();
            ExpressionExecutor executor(*ctx);
            std::vector<uint64_t> hashes(kVectorSize);
            for (size_t i = w; i < locals.size(); i += splitters) {
                for (const DataChunk& chunk : splits[i].chunks) {
                    const Rows all{nullptr, chunk.size};
                    for (size_t k = 0; k < op_.expressions.size(); ++k) {
                        // Partial chunks start with the keys; collected rows are the sink's input.
                        const Vector key =
                            collected ? executor.Evaluate(*op_.expressions[k], chunk, all) : chunk.columns[k];
                        HashVector(key, all, hashes.data(), k == 0);
                    }
                    // The top bits: the partition's own table places groups by the low ones.
                    // Partial chunks may select their rows (ResolveAdopted).
                    auto& rows = splits[i].rows.emplace_back(partitions);
                    const Rows active = ActiveRows(chunk);
                    for (idx_t a = 0; a < active.count; ++a)
                        rows[(hashes[active[a]] >> 56) % partitions].push_back(active[a]);
                }
            }
        });
        std::vector<std::vector<DataChunk>> merged(partitions);
        Scheduler::Instance().Run(workers, [&](size_t w) {
            std::unique_ptr<ExecutionContext> ctx = ctx_.ForWorker();
            for (size_t p = w; p < partitions; p += workers) {
                HashAggregateState part(op_, *ctx);
                for (Split& split : splits) {
                    for (size_t c = 0; c < split.chunks.size(); ++c) {
                        if (split.rows[c][p].empty()) continue;
                        DataChunk view = Selected(split.chunks[c], std::move(split.rows[c][p]));
                        if (collected) part.Sink(view, 0);
                        else part.CombinePartial(view);
                    }
                }
                merged[p] = part.Partials();
            }
        });
        for (std::vector<DataChunk>& chunks : merged)
            for (DataChunk& chunk : chunks) adopted_.push_back(std::move(chunk));
    }

    /// `rows` of `chunk`: its columns, shared, under a selection of their own.
    static DataChunk Selected(const DataChunk& chunk, std::vector<uint32_t> rows) {
        DataChunk view = chunk;
        view.has_sel = true;
        view.sel.indices = std::move(rows);
        return view;
    }

    /// Partial chunks, or collected rows, of one local, and their rows per partition.
    struct Split {
        std::vector<DataChunk> chunks;
        std::vector<std::vector<std::vector<uint32_t>>> rows;  // per chunk, per partition
    };

    /// DISTINCT and STRING_AGG states are not merged from parts.
    bool Unmergeable() const {
        for (const ir::AggregateExpr& a : op_.aggregates)
            if (a.distinct || a.kind == AggregateKind::StringAgg) return true;
        return false;
    }

    /// Clustered integer keys (ids in insertion order) give each worker's
    /// contiguous share of the morsels its own key range, the ranges meeting at
    /// most in a key or so where the shares meet. A key outside every overlap of
    /// two locals' ranges is in one local only: its group is in the result as it
    /// is. The few in an overlap are merged. Returns false, adopting nothing,
    /// unless there is a single integer key, no NULL key, and under 1/16 of the
    /// groups lie in an overlap.
    bool AdoptClusteredKeys(std::vector<Split>& splits) {
        if (op_.expressions.size() != 1) return false;
        const PhysicalType type = op_.expressions[0]->return_type.Physical();
        if (type != PhysicalType::Int32 && type != PhysicalType::Int64) return false;
        auto key = [type](const Vector& keys, uint32_t r) {
            return type == PhysicalType::Int32 ? int64_t{keys.Data<int32_t>()[r]} : keys.Data<int64_t>()[r];
        };
        std::vector<std::pair<int64_t, int64_t>> ranges;
        size_t groups = 0;
        for (const Split& split : splits) {
            bool any = false;
            int64_t low = 0, high = 0;
            for (const DataChunk& chunk : split.chunks) {
                const Vector& keys = chunk.columns[0];
                const Rows active = ActiveRows(chunk);  // partial chunks may select their rows (ResolveAdopted)
                for (idx_t a = 0; a < active.count; ++a) {
                    const uint32_t r = active[a];
                    if (!keys.Validity().RowIsValid(r)) return false;
                    low = any ? std::min(low, key(keys, r)) : key(keys, r);
                    high = any ? std::max(high, key(keys, r)) : key(keys, r);
                    any = true;
                }
                groups += active.count;
            }
            if (any) ranges.emplace_back(low, high);
        }
        std::vector<std::pair<int64_t, int64_t>> overlaps;
        for (size_t i = 0; i < ranges.size(); ++i)
            for (size_t j = i + 1; j < ranges.size(); ++j)
                if (std::max(ranges[i].first, ranges[j].first) <= std::min(ranges[i].second, ranges[j].second))
                    overlaps.emplace_back(std::max(ranges[i].first, ranges[j].first),
                                          std::min(ranges[i].second, ranges[j].second));
        auto contested = [&overlaps](int64_t k) {
            for (const auto& [low, high] : overlaps)
                if (k >= low && k <= high) return true;
            return false;
        };
        // Each chunk's rows split into those it keeps (its selection) and those merged.
        std::vector<std::vector<uint32_t>> kept, merged;
        size_t contested_rows = 0;
        for (const Split& split : splits) {
            for (const DataChunk& chunk : split.chunks) {
                kept.emplace_back();
                merged.emplace_back();
                const Rows active = ActiveRows(chunk);
                for (idx_t a = 0; a < active.count; ++a)
                    (contested(key(chunk.columns[0], active[a])) ? merged : kept).back().push_back(active[a]);
                contested_rows += merged.back().size();
                if (contested_rows * 16 > groups) return false;
            }
        }
        HashAggregateState overlap(op_, ctx_);
        size_t c = 0;
        for (Split& split : splits) {
            for (DataChunk& chunk : split.chunks) {
                if (!merged[c].empty()) {
                    DataChunk view = Selected(chunk, std::move(merged[c]));
                    overlap.CombinePartial(view);
                    chunk.has_sel = true;
                    chunk.sel.indices = std::move(kept[c]);
                }
                ++c;
                adopted_.push_back(std::move(chunk));
            }
        }
        for (DataChunk& chunk : overlap.Partials()) adopted_.push_back(std::move(chunk));
        return true;
    }

    /// The groups as partial aggregates, in the layout CombinePartial reads.
    std::vector<DataChunk> Partials() {
        ResolveAdopted();
        std::vector<DataChunk> adopted = std::move(adopted_);
        adopted_.clear();
        if (!adopted.empty() && groups_.GroupCount() == 0) return adopted;
        for (DataChunk& chunk : OwnPartials()) adopted.push_back(std::move(chunk));
        return adopted;
    }

    /// The sink's own groups (its table's) as partial aggregates.
    std::vector<DataChunk> OwnPartials() {
        const size_t nkeys = op_.expressions.size();
        std::vector<LogicalType> types(op_.types.begin(), op_.types.begin() + static_cast<long>(nkeys));
        for (size_t a = 0; a < states_.size(); ++a) {
            const bool avg = states_[a].expr->kind == AggregateKind::Avg;
            types.push_back(avg ? LogicalType(TypeId::Double) : op_.types[nkeys + a]);
            if (avg) types.push_back(LogicalType(TypeId::BigInt));
        }
        return GroupChunks(types, [&](DataChunk& out, uint32_t start, idx_t n) {
            size_t column = nkeys;
            for (AggregateStates& s : states_) {
                if (s.expr->kind != AggregateKind::Avg) {
                    Produce(s, start, n, out.columns[column++]);
                    continue;
                }
                double* sums = out.columns[column++].Data<double>();
                int64_t* counts = out.columns[column++].Data<int64_t>();
                for (idx_t i = 0; i < n; ++i) {
                    sums[i] = s.f64[start + i];
                    counts[i] = s.has[start + i] ? s.i64[start + i] : 0;
                }
            }
        });
    }

    /// The groups vector by vector, as chunks of `types`: the keys, then what `fill` puts after them.
    template <class Fill>
    std::vector<DataChunk> GroupChunks(const std::vector<LogicalType>& types, Fill fill) {
        std::vector<DataChunk> chunks;
        const uint32_t count = op_.expressions.empty() ? 1 : groups_.GroupCount();
        const size_t nkeys = op_.expressions.size();
        for (uint32_t start = 0; start < count; start += kVectorSize) {
            idx_t n = std::min<idx_t>(kVectorSize, count - start);
            DataChunk out;
            out.Initialize(types, n);
            if (nkeys > 0) {
                const DataChunk& keys = groups_.Keys().Chunks()[start / kVectorSize];
                for (size_t k = 0; k < nkeys; ++k) out.columns[k] = keys.columns[k];
            }
            fill(out, start, n);
            out.size = n;
            chunks.push_back(std::move(out));
        }
        return chunks;
    }

    /// The output rows of one chunk of partial aggregates (the CombinePartial layout).
    DataChunk FinalFromPartial(DataChunk& partial) {
        DataChunk out;
        out.Initialize(op_.types, partial.size);
        const size_t key_count = op_.expressions.size();
        for (size_t k = 0; k < key_count; ++k) out.columns[k] = std::move(partial.columns[k]);
        size_t column = key_count;
        for (size_t a = 0; a < states_.size(); ++a) {
            Vector& value = partial.columns[column++];
            if (states_[a].expr->kind != AggregateKind::Avg) {
                out.columns[key_count + a] = std::move(value);
                continue;
            }
            const int64_t* counts = partial.columns[column++].Data<int64_t>();
            Vector& avg = out.columns[key_count + a];
            for (idx_t row = 0; row < partial.size; ++row) {
                if (counts[row] == 0) avg.Validity().SetInvalid(row);
                else avg.Data<double>()[row] = value.Data<double>()[row] / static_cast<double>(counts[row]);
            }
        }
        out.size = partial.size;
        out.has_sel = partial.has_sel;  // adopted partials may select their rows (AdoptClusteredKeys)
        out.sel = std::move(partial.sel);
        return out;
    }

    bool GetData(DataChunk& out) override {
        if (next_ >= results_.size()) return false;
        out = std::move(results_[next_++]);
        return true;
    }

private:
    const ir::PhysicalOperator& op_;
    ExecutionContext& ctx_;
    ExpressionExecutor executor_;
    GroupTable groups_;
    std::vector<AggregateStates> states_;
    std::vector<DataChunk> results_;
    std::vector<DataChunk> adopted_;  ///< AdoptPartial's chunks, the whole result
    size_t next_ = 0;
    size_t group_capacity_ = 0;
    TrackedMemory memory_;  // the states' arrays
    bool collecting_ = false;      // a local sink of an Unmergeable() aggregate: Sink collects
    ChunkCollection collected_;    // its input, for CombineAll

    void EnsureGroups(size_t n) {
        if (n <= group_capacity_) return;
        group_capacity_ = std::max(n, group_capacity_ * 2);
        for (auto& s : states_) {
            size_t old = s.has.size();
            s.Resize(group_capacity_);
            if (s.expr->kind == AggregateKind::BoolAnd)
                for (size_t g = old; g < group_capacity_; ++g) s.i64[g] = 1;
        }
        uint64_t group_bytes = 0;  // after Resize: the MIN/MAX/FIRST values exist now
        for (const AggregateStates& s : states_)
            group_bytes += sizeof(int64_t) + sizeof(double) + 1 + (s.values.empty() ? 0 : PhysicalSize(s.input));
        memory_.Set(group_capacity_ * group_bytes);
    }

    void Update(AggregateStates& s, const DataChunk& input, const std::vector<uint32_t>& all_rows,
                const std::vector<uint32_t>& all_gids) {
        const ir::AggregateExpr& a = *s.expr;
        if (!a.filter && !a.distinct) {
            UpdateRows(s, input, all_rows, all_gids);
            return;
        }
        std::vector<uint32_t> rows = all_rows, gids = all_gids;
        if (a.filter) {
            std::vector<uint32_t> keep;
            executor_.Select(*a.filter, input, Rows{rows.data(), rows.size()}, keep);
            std::vector<uint32_t> new_gids;
            size_t j = 0;
            for (size_t i = 0; i < rows.size() && j < keep.size(); ++i)
                if (rows[i] == keep[j]) {
                    new_gids.push_back(gids[i]);
                    ++j;
                }
            rows = std::move(keep);
            gids = std::move(new_gids);
        }
        UpdateRows(s, input, rows, gids);
    }

    void UpdateRows(AggregateStates& s, const DataChunk& input, const std::vector<uint32_t>& rows_ref,
                    const std::vector<uint32_t>& gids_ref) {
        const ir::AggregateExpr& a = *s.expr;
        const std::vector<uint32_t>* rows_ptr = &rows_ref;
        const std::vector<uint32_t>* gids_ptr = &gids_ref;
        if (a.kind == AggregateKind::CountStar) {
            for (uint32_t g : *gids_ptr) ++s.i64[g];
            return;
        }
        Vector arg = executor_.Evaluate(*a.argument, input, Rows{rows_ptr->data(), rows_ptr->size()});
        std::vector<uint32_t> distinct_rows, distinct_gids;
        if (a.distinct) {
            const std::vector<uint32_t>& rows = *rows_ptr;
            const std::vector<uint32_t>& gids = *gids_ptr;
            // Keep only the first occurrence of each (group, value): a pair that
            // makes a new entry in the table of pairs seen so far.
            if (!s.seen) s.seen = std::make_unique<GroupTable>(std::vector<LogicalType>{LogicalType(TypeId::BigInt), arg.Type()});
            std::vector<Vector> pair{Vector(LogicalType(TypeId::BigInt), std::max<idx_t>(input.size, 1)), arg};
            int64_t* gid_column = pair[0].Data<int64_t>();
            std::vector<uint32_t> non_null;
            for (size_t i = 0; i < rows.size(); ++i) {
                if (!arg.Validity().RowIsValid(rows[i])) continue;
                gid_column[rows[i]] = gids[i];
                non_null.push_back(static_cast<uint32_t>(i));
            }
            std::vector<uint32_t> selected(non_null.size());
            for (size_t i = 0; i < non_null.size(); ++i) selected[i] = rows[non_null[i]];
            std::vector<uint32_t> pair_ids(selected.size());
            uint32_t before = s.seen->GroupCount();
            s.seen->FindOrCreate(pair, Rows{selected.data(), selected.size()}, pair_ids.data());
            // A pair created by this batch is fresh at its first row only.
            std::vector<uint8_t> taken(s.seen->GroupCount() - before, 0);
            std::vector<uint32_t> fresh_rows, fresh_gids;
            for (size_t i = 0; i < selected.size(); ++i) {
                if (pair_ids[i] < before || taken[pair_ids[i] - before]) continue;
                taken[pair_ids[i] - before] = 1;
                fresh_rows.push_back(selected[i]);
                fresh_gids.push_back(gids[non_null[i]]);
            }
            distinct_rows = std::move(fresh_rows);
            distinct_gids = std::move(fresh_gids);
            rows_ptr = &distinct_rows;
            gids_ptr = &distinct_gids;
        }
        const std::vector<uint32_t>& rows = *rows_ptr;
        const uint32_t* g = gids_ptr->data();
        switch (a.kind) {
        case AggregateKind::Count:
            for (size_t i = 0; i < rows.size(); ++i)
                if (arg.Validity().RowIsValid(rows[i])) ++s.i64[g[i]];
            break;
        case AggregateKind::Sum:
            switch (arg.Physical()) {
            case PhysicalType::Int32: UpdateSum<int32_t>(s, arg, rows, g, "bigint"); break;
            case PhysicalType::Int64: UpdateSum<int64_t>(s, arg, rows, g, SumTypeName(a)); break;
            case PhysicalType::Double: UpdateSum<double>(s, arg, rows, g, "double"); break;
            default: throw Error::NotSupported("sum(" + arg.Type().ToString() + ")");
            }
            break;
        case AggregateKind::Avg:
            for (size_t i = 0; i < rows.size(); ++i) {
                uint32_t r = rows[i];
                if (!arg.Validity().RowIsValid(r)) continue;
                s.has[g[i]] = 1;
                s.f64[g[i]] += AsDouble(arg, r);
                ++s.i64[g[i]];
            }
            break;
        case AggregateKind::Min:
        case AggregateKind::Max: UpdateMinMaxAny(s, arg, rows, g, a.kind == AggregateKind::Min); break;
        case AggregateKind::First:
            UpdateFirst(s, arg, rows, g);
            break;
        case AggregateKind::BoolAnd:
        case AggregateKind::BoolOr:
            UpdateBoolAndOr(s, arg, rows, g, a.kind == AggregateKind::BoolAnd);
            break;
        case AggregateKind::StringAgg: {
            Vector sep = executor_.Evaluate(*a.separator, input, Rows{rows.data(), rows.size()});
            for (size_t i = 0; i < rows.size(); ++i) {
                uint32_t r = rows[i];
                if (!arg.Validity().RowIsValid(r)) continue;
                if (s.has[g[i]] && sep.Validity().RowIsValid(r)) s.text[g[i]] += sep.Data<StringRef>()[r].View();
                s.has[g[i]] = 1;
                s.text[g[i]] += arg.Data<StringRef>()[r].View();
            }
            break;
        }
        case AggregateKind::CountStar: break;
        }
    }

    void Produce(AggregateStates& s, uint32_t start, idx_t n, Vector& out) {
        const ir::AggregateExpr& a = *s.expr;
        for (idx_t i = 0; i < n; ++i) {
            uint32_t g = start + static_cast<uint32_t>(i);
            bool counts = a.kind == AggregateKind::Count || a.kind == AggregateKind::CountStar;
            if (!counts && !s.has[g]) {
                out.Validity().SetInvalid(i);
                continue;
            }
            switch (a.kind) {
            case AggregateKind::Count:
            case AggregateKind::CountStar: out.Data<int64_t>()[i] = s.i64[g]; break;
            case AggregateKind::Sum:
                if (out.Physical() == PhysicalType::Double) out.Data<double>()[i] = s.f64[g];
                else out.Data<int64_t>()[i] = s.i64[g];
                break;
            case AggregateKind::Avg: out.Data<double>()[i] = s.f64[g] / static_cast<double>(s.i64[g]); break;
            case AggregateKind::Min:
            case AggregateKind::Max:
            case AggregateKind::First: {
                uint32_t w = PhysicalSize(out.Physical());
                std::memcpy(out.RawData() + i * w, s.values.data() + static_cast<size_t>(g) * w, w);
                break;
            }
            case AggregateKind::BoolAnd:
            case AggregateKind::BoolOr: out.Data<uint8_t>()[i] = s.i64[g] != 0; break;
            case AggregateKind::StringAgg: out.Data<StringRef>()[i] = out.AddString(s.text[g]); break;
            }
        }
        if (out.Physical() == PhysicalType::String) out.Heap().KeepAlive(s.heap);
    }
};

}  // namespace

std::unique_ptr<OperatorState> MakeAggregateOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx) {
    return std::make_unique<HashAggregateState>(op, ctx);
}

}  // namespace grizzly::runtime
