// Sources (table scan, VALUES, table functions), streaming operators (filter,
// projection, limit) and the result collector.
#include <algorithm>
#include <cmath>

#include "runtime/operators/operator_state.hpp"
#include "runtime/vector_ops.hpp"
#include "storage/storage.hpp"

namespace grizzly::runtime {

bool OperatorState::GetData(DataChunk&) { throw Error::Internal("operator is not a source"); }
bool OperatorState::Execute(DataChunk&, const Emit&) { throw Error::Internal("operator is not a streaming operator"); }
void OperatorState::Sink(DataChunk&, size_t) { throw Error::Internal("operator is not a sink"); }
void OperatorState::CombinePartial(DataChunk&) {
    throw Error::Internal("operator cannot take partial aggregates");
}

namespace {

// Narrows the chunk's selection to the rows where every conjunct is true.
template <class Conjuncts>
void ApplyFilters(const Conjuncts& conjuncts, ExpressionExecutor& executor, DataChunk& chunk) {
    std::vector<uint32_t> selected;
    for (auto& conjunct : conjuncts) {
        executor.Select(*conjunct, chunk, ActiveRows(chunk), selected);
        chunk.sel.indices.swap(selected);
        chunk.has_sel = true;
        if (chunk.sel.indices.empty()) return;
    }
}

}  // namespace

std::vector<storage::ZonePredicate> ZonePredicates(const ir::PhysicalOperator& scan) {
    using Op = storage::ZonePredicate::Op;
    std::vector<storage::ZonePredicate> out;
    for (const auto& f : scan.table_filters) {
        ir::ColumnComparison match;
        if (!ir::MatchColumnComparison(*f, match)) continue;
        const ir::Expr* column = match.column;
        const ir::Expr* constant = match.constant;
        ir::CompareOp cmp = match.op;
        if (constant->value.IsNull() || !(column->return_type == constant->return_type)) continue;
        uint32_t id = scan.column_ids[column->position];
        if (id == ir::LogicalOperator::kRowIdColumn) continue;
        storage::ZoneKind kind = storage::ZoneKindOf(column->return_type);
        if (kind == storage::ZoneKind::None) continue;
        storage::ZonePredicate p{id, Op::Eq, {}};
        switch (cmp) {
        case ir::CompareOp::Eq: p.op = Op::Eq; break;
        case ir::CompareOp::Lt: p.op = Op::Lt; break;
        case ir::CompareOp::LtEq: p.op = Op::LtEq; break;
        case ir::CompareOp::Gt: p.op = Op::Gt; break;
        case ir::CompareOp::GtEq: p.op = Op::GtEq; break;
        default: continue;
        }
        if (kind == storage::ZoneKind::Floating) {
            p.constant.min.d = constant->value.GetDouble();
            if (std::isnan(p.constant.min.d)) continue;
        } else {
            p.constant.min.i = constant->value.GetInt64();
        }
        out.push_back(p);
    }
    return out;
}

namespace {

// `column op constant` on an integer column, merged per column into one
// inclusive range [lo, hi] that a branch-free loop applies without building a
// boolean vector (TPC-H filters on date ranges everywhere).
struct IntRange {
    uint32_t position;  // in the scan's output
    int64_t lo = INT64_MIN, hi = INT64_MAX;
};

// Splits the scan's conjuncts into integer ranges and the rest (kept in order).
void SplitRangeFilters(const ir::PhysicalOperator& scan, std::vector<IntRange>& ranges,
                       std::vector<const ir::Expr*>& rest) {
    for (const auto& f : scan.table_filters) {
        ir::ColumnComparison match;
        bool matched = ir::MatchColumnComparison(*f, match);
        const ir::Expr* column = matched ? match.column : nullptr;
        const ir::Expr* constant = match.constant;
        ir::CompareOp cmp = match.op;
        PhysicalType physical = column ? column->return_type.Physical() : PhysicalType::Bool;
        bool usable = column && !constant->value.IsNull() &&
                      column->return_type == constant->return_type &&
                      (physical == PhysicalType::Int32 || physical == PhysicalType::Int64) &&
                      (cmp == ir::CompareOp::Eq || cmp == ir::CompareOp::Lt || cmp == ir::CompareOp::LtEq ||
                       cmp == ir::CompareOp::Gt || cmp == ir::CompareOp::GtEq);
        int64_t c = usable ? constant->value.GetInt64() : 0;
        // Strict bounds at the ends of int64 cannot become inclusive ones.
        usable = usable && !(cmp == ir::CompareOp::Lt && c == INT64_MIN) && !(cmp == ir::CompareOp::Gt && c == INT64_MAX);
        if (!usable) {
            rest.push_back(f.get());
            continue;
        }
        auto it = std::find_if(ranges.begin(), ranges.end(), [&](const IntRange& r) { return r.position == column->position; });
        if (it == ranges.end()) it = ranges.insert(ranges.end(), IntRange{column->position});
        if (cmp == ir::CompareOp::Eq || cmp == ir::CompareOp::GtEq) it->lo = std::max(it->lo, c);
        if (cmp == ir::CompareOp::Eq || cmp == ir::CompareOp::LtEq) it->hi = std::min(it->hi, c);
        if (cmp == ir::CompareOp::Gt) it->lo = std::max(it->lo, c + 1);
        if (cmp == ir::CompareOp::Lt) it->hi = std::min(it->hi, c - 1);
    }
}

template <class T>
size_t SelectInRange(const Vector& v, const IntRange& range, const uint32_t* sel, size_t count, uint32_t* out) {
    const T* data = v.Data<T>();
    const ValidityMask& valid = v.Validity();
    // v in [lo, hi] <=> (v - lo) as unsigned <= (hi - lo) as unsigned: one compare, no branch.
    const uint64_t lo = static_cast<uint64_t>(range.lo);
    const uint64_t width = static_cast<uint64_t>(range.hi) - lo;
    size_t n = 0;
    if (range.lo > range.hi) return 0;
    auto in = [&](uint32_t r) { return static_cast<uint64_t>(static_cast<int64_t>(data[r])) - lo <= width; };
    if (!valid.AllValid()) {
        for (size_t i = 0; i < count; ++i) {
            uint32_t r = sel ? sel[i] : static_cast<uint32_t>(i);
            out[n] = r;
            n += in(r) & valid.RowIsValid(r);
        }
    } else if (sel) {
        for (size_t i = 0; i < count; ++i) {
            out[n] = sel[i];
            n += in(sel[i]);
        }
    } else {
        for (size_t i = 0; i < count; ++i) {
            out[n] = static_cast<uint32_t>(i);
            n += in(static_cast<uint32_t>(i));
        }
    }
    return n;
}

class TableScanState : public OperatorState {
public:
    TableScanState(const ir::PhysicalOperator& op, ExecutionContext& ctx)
        : op_(op), ctx_(ctx), executor_(ctx), counts_progress_(ctx.interrupt && ctx.top_level),
          prune_(ZonePredicates(op)) {
        SplitRangeFilters(op, ranges_, other_filters_);
        for (uint32_t id : op.column_ids) {
            if (id == ir::LogicalOperator::kRowIdColumn) with_row_ids_ = true;
            else data_columns_.push_back(id);
        }
    }
    void RestrictToMorsel(idx_t row_group, idx_t begin, idx_t end) override {
        cursor_ = storage::TableData::ScanCursor{row_group, begin, row_group, end};
    }
    std::unique_ptr<OperatorState> ForWorker(ExecutionContext& ctx) override {
        return std::make_unique<TableScanState>(op_, ctx);
    }

    bool GetData(DataChunk& out) override {
        const auto& data = op_.table->Data();
        while (data.Scan(cursor_, data_columns_, with_row_ids_, out, prune_.empty() ? nullptr : &prune_)) {
            if (counts_progress_) ctx_.interrupt->rows_scanned.fetch_add(out.size, std::memory_order_relaxed);
            // Put the row id column where the plan expects it.
            if (with_row_ids_) {
                size_t pos = 0;
                while (op_.column_ids[pos] != ir::LogicalOperator::kRowIdColumn) ++pos;
                if (pos != out.columns.size() - 1) {
                    Vector ids = std::move(out.columns.back());
                    out.columns.pop_back();
                    out.columns.insert(out.columns.begin() + static_cast<long>(pos), std::move(ids));
                }
            }
            if (!ranges_.empty()) ApplyRanges(out);
            if (!other_filters_.empty() && out.ActiveCount() > 0) ApplyFilters(other_filters_, executor_, out);
            if (out.ActiveCount() > 0) return true;
        }
        return false;
    }

private:
    const ir::PhysicalOperator& op_;
    ExecutionContext& ctx_;
    ExpressionExecutor executor_;
    bool counts_progress_;
    std::vector<storage::ZonePredicate> prune_;
    std::vector<IntRange> ranges_;
    std::vector<const ir::Expr*> other_filters_;
    std::vector<uint32_t> selection_;

    void ApplyRanges(DataChunk& chunk) {
        selection_.resize(chunk.size);
        bool first = true;
        size_t n = 0;
        for (const IntRange& range : ranges_) {
            const uint32_t* sel = first ? (chunk.has_sel ? chunk.sel.indices.data() : nullptr) : selection_.data();
            size_t count = first ? chunk.ActiveCount() : n;
            const Vector& v = chunk.columns[range.position];
            n = v.Physical() == PhysicalType::Int32
                    ? SelectInRange<int32_t>(v, range, sel, count, selection_.data())
                    : SelectInRange<int64_t>(v, range, sel, count, selection_.data());
            first = false;
        }
        chunk.has_sel = true;
        chunk.sel.indices.assign(selection_.begin(), selection_.begin() + static_cast<long>(n));
    }
    storage::TableData::ScanCursor cursor_;
    std::vector<uint32_t> data_columns_;
    bool with_row_ids_ = false;
};

class ValuesState : public OperatorState {
public:
    ValuesState(const ir::PhysicalOperator& op, ExecutionContext& ctx) : op_(op), ctx_(ctx) {}
    bool GetData(DataChunk& out) override {
        if (next_row_ >= op_.values_rows) return false;
        size_t width = op_.types.size();
        idx_t n = std::min<idx_t>(kVectorSize, op_.values_rows - next_row_);
        out.Initialize(op_.types, n);
        for (idx_t row = 0; row < n; ++row) {
            for (size_t col = 0; col < width; ++col) {
                const ir::Expr& e = *op_.expressions[(next_row_ + row) * width + col];
                Value v = e.type == ir::ExprType::Constant ? e.value : EvaluateConstant(e, ctx_);
                out.columns[col].SetValue(row, v);
            }
        }
        out.size = n;
        next_row_ += n;
        return true;
    }

private:
    const ir::PhysicalOperator& op_;
    ExecutionContext& ctx_;
    idx_t next_row_ = 0;
};

class TableFunctionState : public OperatorState {
public:
    TableFunctionState(const ir::PhysicalOperator& op, ExecutionContext& ctx) : op_(op) {
        std::vector<int64_t> args;
        for (auto& e : op.expressions) {
            Value v = EvaluateConstant(*e, ctx);
            if (v.IsNull()) {
                done_ = true;
                return;
            }
            args.push_back(v.GetInt64());
        }
        bool inclusive = op.function == ir::TableFunctionKind::GenerateSeries;
        if (args.size() == 1) {
            start_ = inclusive ? 1 : 0;
            stop_ = args[0];
        } else {
            start_ = args[0];
            stop_ = args[1];
        }
        step_ = args.size() == 3 ? args[2] : 1;
        if (step_ == 0) throw Error(SqlState::InvalidParameterValue, "step size cannot equal zero");
        if (inclusive) {
            // generate_series includes its end point.
            if (__builtin_add_overflow(stop_, step_ > 0 ? 1 : -1, &stop_)) stop_ = step_ > 0 ? INT64_MAX : INT64_MIN;
        }
        next_ = start_;
    }
    bool GetData(DataChunk& out) override {
        if (done_) return false;
        out.Initialize(op_.types);
        int64_t* data = out.columns[0].Data<int64_t>();
        idx_t n = 0;
        while (n < kVectorSize && (step_ > 0 ? next_ < stop_ : next_ > stop_)) {
            data[n++] = next_;
            if (__builtin_add_overflow(next_, step_, &next_)) {
                done_ = true;
                break;
            }
        }
        out.size = n;
        if (n == 0) done_ = true;
        return n > 0;
    }

private:
    const ir::PhysicalOperator& op_;
    int64_t start_ = 0, stop_ = 0, step_ = 1, next_ = 0;
    bool done_ = false;
};

/// grizzly_jit_cache(): the entries the pipeline compiler reports, read once when the scan starts.
class JitCacheState : public OperatorState {
public:
    JitCacheState(const ir::PhysicalOperator& op, ExecutionContext& ctx) : op_(op) {
        if (ctx.compiler) rows_ = ctx.compiler->CacheEntries();
        for (auto& row : rows_) GZ_CHECK(row.size() == op.types.size(), "a grizzly_jit_cache() row of the wrong width");
    }
    bool GetData(DataChunk& out) override {
        if (next_row_ >= rows_.size()) return false;
        idx_t n = std::min<idx_t>(kVectorSize, rows_.size() - next_row_);
        out.Initialize(op_.types, n);
        for (idx_t row = 0; row < n; ++row)
            for (size_t col = 0; col < op_.types.size(); ++col)
                out.columns[col].SetValue(row, rows_[next_row_ + row][col]);
        out.size = n;
        next_row_ += n;
        return true;
    }

private:
    const ir::PhysicalOperator& op_;
    std::vector<std::vector<Value>> rows_;
    size_t next_row_ = 0;
};

class FilterState : public OperatorState {
public:
    FilterState(const ir::PhysicalOperator& op, ExecutionContext& ctx) : op_(op), executor_(ctx) {}
    std::unique_ptr<OperatorState> ForWorker(ExecutionContext& ctx) override {
        return std::make_unique<FilterState>(op_, ctx);
    }
    bool Execute(DataChunk& input, const Emit& emit) override {
        ApplyFilters(op_.expressions, executor_, input);
        if (input.ActiveCount() == 0) return true;
        return emit(input);
    }

private:
    const ir::PhysicalOperator& op_;
    ExpressionExecutor executor_;
};

class ProjectionState : public OperatorState {
public:
    ProjectionState(const ir::PhysicalOperator& op, ExecutionContext& ctx) : op_(op), executor_(ctx) {}
    std::unique_ptr<OperatorState> ForWorker(ExecutionContext& ctx) override {
        return std::make_unique<ProjectionState>(op_, ctx);
    }
    bool Execute(DataChunk& input, const Emit& emit) override {
        DataChunk out;
        out.columns.reserve(op_.expressions.size());
        for (auto& e : op_.expressions) out.columns.push_back(executor_.Evaluate(*e, input));
        out.size = input.size;
        out.has_sel = input.has_sel;
        out.sel = input.sel;
        return emit(out);
    }

private:
    const ir::PhysicalOperator& op_;
    ExpressionExecutor executor_;
};

class LimitState : public OperatorState {
public:
  explicit LimitState(const ir::PhysicalOperator& op) : counts_{op.offset, op.limit, 0, 0} {}
  bool Execute(DataChunk& input, const Emit& emit) override {
      const int64_t n = static_cast<int64_t>(input.ActiveCount());
      int64_t skip = 0;
      if (counts_.skipped < counts_.offset) {
          skip = std::min(n, counts_.offset - counts_.skipped);
          counts_.skipped += skip;
      }
      int64_t take = n - skip;
      if (counts_.limit >= 0)
          take = std::min(take, counts_.limit - counts_.emitted);
      if (take > 0) {
          std::vector<uint32_t> rows;
          for (int64_t i = skip; i < skip + take; ++i)
              rows.push_back(input.ActiveRow(static_cast<idx_t>(i)));
          input.sel.indices = std::move(rows);
          input.has_sel = true;
          counts_.emitted += take;
          if (!emit(input))
              return false;
      }
      return counts_.limit < 0 || counts_.emitted < counts_.limit;
    }
    GzLimit* CompiledLimit() override { return &counts_; }

  private:
    GzLimit counts_;
};

class ResultState : public OperatorState {
public:
    explicit ResultState(const ir::PhysicalOperator& op) : op_(op), rows_(op.types) {}
    void Sink(DataChunk& input, size_t) override { rows_.Append(input); }
    std::unique_ptr<OperatorState> LocalSink(ExecutionContext&) override { return std::make_unique<ResultState>(op_); }
    void Combine(OperatorState& local) override { rows_.Append(std::move(static_cast<ResultState&>(local).rows_)); }
    const ir::PhysicalOperator& op_;
    ChunkCollection rows_;
};

}  // namespace

ChunkCollection TakeResult(OperatorState& result_collector) {
    return std::move(static_cast<ResultState&>(result_collector).rows_);
}

std::unique_ptr<OperatorState> MakeBasicOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx) {
    switch (op.type) {
    case ir::PhysicalOpType::TableScan: return std::make_unique<TableScanState>(op, ctx);
    case ir::PhysicalOpType::Values: return std::make_unique<ValuesState>(op, ctx);
    case ir::PhysicalOpType::TableFunction:
        if (op.function == ir::TableFunctionKind::JitCache) return std::make_unique<JitCacheState>(op, ctx);
        return std::make_unique<TableFunctionState>(op, ctx);
    case ir::PhysicalOpType::Filter: return std::make_unique<FilterState>(op, ctx);
    case ir::PhysicalOpType::Projection: return std::make_unique<ProjectionState>(op, ctx);
    case ir::PhysicalOpType::Limit: return std::make_unique<LimitState>(op);
    case ir::PhysicalOpType::ResultCollector: return std::make_unique<ResultState>(op);
    default: return nullptr;
    }
}

std::unique_ptr<OperatorState> CreateOperatorState(const ir::PhysicalOperator& op, ExecutionContext& ctx) {
    switch (op.type) {
    case ir::PhysicalOpType::HashJoin:
    case ir::PhysicalOpType::NestedLoopJoin: return MakeJoinOperator(op, ctx);
    case ir::PhysicalOpType::HashAggregate: return MakeAggregateOperator(op, ctx);
    case ir::PhysicalOpType::Sort: return MakeSortOperator(op, ctx);
    case ir::PhysicalOpType::SetOp: return MakeSetOpOperator(op, ctx);
    default: return MakeBasicOperator(op, ctx);
    }
}

}  // namespace grizzly::runtime
