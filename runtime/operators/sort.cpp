// ORDER BY: materialize the input with its evaluated sort keys, sort row
// references with a typed comparator, and emit rows in order. With a LIMIT
// (top-N) only the first offset + limit rows are ordered and kept.
#include <algorithm>
#include <iterator>

#include "runtime/operators/operator_state.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/vector_ops.hpp"

namespace grizzly::runtime {

namespace {

class SortState : public OperatorState {
public:
    SortState(const ir::PhysicalOperator& op, ExecutionContext& ctx)
        : op_(op), ctx_(ctx), executor_(ctx), rows_(op.types), keys_(ir::TypesOf(KeyExprs(op))) {}

    void Sink(DataChunk& input, size_t) override {
        std::vector<const ir::Expr*> exprs;
        for (auto& k : op_.sort_keys) exprs.push_back(k.expr.get());
        keys_.Append(executor_.EvaluateAll(exprs, input));
        rows_.Append(input);
        KeepTop();
    }
    std::unique_ptr<OperatorState> LocalSink(ExecutionContext& ctx) override {
        return std::make_unique<SortState>(op_, ctx);
    }
    void Combine(OperatorState& local) override {
        auto& other = static_cast<SortState&>(local);
        keys_.Append(std::move(other.keys_));
        rows_.Append(std::move(other.rows_));
        KeepTop();
    }

    void Finalize() override {
        idx_t n = rows_.RowCount();
        order_.resize(n);
        for (idx_t i = 0; i < n; ++i) order_[i] = static_cast<uint32_t>(i);
        auto less = [this](uint32_t a, uint32_t b) { return Less(a, b); };
        const idx_t keep = std::min<idx_t>(n, Top());
        // Per-worker runs (each its top `keep` rows), merged. Ties are broken by
        // row number, so the order is the same on any number of workers.
        const size_t workers = n >= kParallelSortRows && !Scheduler::InWorker() ? ctx_.threads : 1;
        std::vector<size_t> bounds(workers + 1);  // run w is order_[bounds[w], run_end[w])
        std::vector<size_t> run_end(workers);
        for (size_t w = 0; w <= workers; ++w) bounds[w] = n * w / workers;
        Scheduler::Instance().Run(workers, [&](size_t w) {
            auto first = order_.begin() + static_cast<long>(bounds[w]);
            auto last = order_.begin() + static_cast<long>(bounds[w + 1]);
            const idx_t run = std::min<idx_t>(keep, bounds[w + 1] - bounds[w]);
            if (run < bounds[w + 1] - bounds[w]) std::partial_sort(first, first + static_cast<long>(run), last, less);
            else std::sort(first, last, less);
            run_end[w] = bounds[w] + run;
        });
        if (workers == 1) {
            order_.resize(run_end[0]);
            next_ = std::min<idx_t>(static_cast<idx_t>(op_.offset), order_.size());
            return;
        }
        std::vector<uint32_t> merged(order_.begin(), order_.begin() + static_cast<long>(run_end[0]));
        for (size_t w = 1; w < workers; ++w) {
            std::vector<uint32_t> next;
            next.reserve(merged.size() + run_end[w] - bounds[w]);
            std::merge(merged.begin(), merged.end(), order_.begin() + static_cast<long>(bounds[w]),
                       order_.begin() + static_cast<long>(run_end[w]), std::back_inserter(next), less);
            if (next.size() > keep) next.resize(keep);
            merged = std::move(next);
        }
        order_ = std::move(merged);
        next_ = std::min<idx_t>(static_cast<idx_t>(op_.offset), order_.size());
    }

    bool GetData(DataChunk& out) override {
        if (next_ >= order_.size()) return false;
        idx_t n = std::min<idx_t>(kVectorSize, order_.size() - next_);
        out.Initialize(op_.types, n);
        for (size_t c = 0; c < op_.types.size(); ++c) {
            for (idx_t i = 0; i < n; ++i) {
                uint32_t row = order_[next_ + i];
                uint32_t local = row % kVectorSize;
                Gather(rows_.Chunks()[row / kVectorSize].columns[c], &local, 1, out.columns[c], i);
            }
        }
        out.size = n;
        next_ += n;
        return true;
    }

private:
    /// Sorts of this many rows run on every worker.
    static constexpr idx_t kParallelSortRows = 8 * kVectorSize;
    /// Top-Ns of up to this many rows keep only their top rows as input comes.
    static constexpr idx_t kTopRows = 32 * kVectorSize;

    const ir::PhysicalOperator& op_;
    ExecutionContext& ctx_;
    ExpressionExecutor executor_;
    ChunkCollection rows_;
    ChunkCollection keys_;
    std::vector<uint32_t> order_;
    idx_t next_ = 0;

    /// Row a sorts before row b; ties go by row number, which makes the order total.
    bool Less(uint32_t a, uint32_t b) const {
        const DataChunk& ka = keys_.Chunks()[a / kVectorSize];
        const DataChunk& kb = keys_.Chunks()[b / kVectorSize];
        uint32_t ra = a % kVectorSize, rb = b % kVectorSize;
        for (size_t k = 0; k < op_.sort_keys.size(); ++k) {
            const auto& key = op_.sort_keys[k];
            bool va = ka.columns[k].Validity().RowIsValid(ra), vb = kb.columns[k].Validity().RowIsValid(rb);
            if (!va || !vb) {
                if (va == vb) continue;
                // NULL placement is independent of the direction.
                return key.nulls_first ? !va : !vb;
            }
            int c = CompareRows(ka.columns[k], ra, kb.columns[k], rb);
            if (c != 0) return key.descending ? c > 0 : c < 0;
        }
        return a < b;
    }

    /// The rows a top-N keeps (offset + limit); all of them without a LIMIT.
    idx_t Top() const {
        int64_t top = 0;
        if (op_.limit >= 0 && !__builtin_add_overflow(op_.limit, op_.offset, &top)) return static_cast<idx_t>(top);
        return ~idx_t(0);
    }

    /// A top-N of up to kTopRows rows keeps only its first rows as its input
    /// grows, so that it holds O(N) rows instead of all its input. The kept rows
    /// stay in sorted order, so ties among them and with later rows (which come
    /// after them in the input) keep their order.
    void KeepTop() {
        const idx_t top = Top();
        if (top > kTopRows || rows_.RowCount() < std::max<idx_t>(2 * top, 4 * kVectorSize)) return;
        std::vector<uint32_t> order(rows_.RowCount());
        for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
        std::partial_sort(order.begin(), order.begin() + static_cast<long>(top), order.end(),
                          [this](uint32_t a, uint32_t b) { return Less(a, b); });
        order.resize(top);
        rows_ = Gathered(rows_, order);
        keys_ = Gathered(keys_, order);
    }

    /// The rows `order` of `from`, in that order.
    static ChunkCollection Gathered(const ChunkCollection& from, const std::vector<uint32_t>& order) {
        ChunkCollection to(from.Types());
        for (size_t start = 0; start < order.size(); start += kVectorSize) {
            const idx_t n = std::min<idx_t>(kVectorSize, order.size() - start);
            DataChunk chunk;
            chunk.Initialize(from.Types(), n);
            for (size_t c = 0; c < from.Types().size(); ++c) from.Gather(c, order.data() + start, n, chunk.columns[c]);
            chunk.size = n;
            to.Append(chunk);
        }
        return to;
    }

    static std::vector<ir::ExprPtr> KeyExprs(const ir::PhysicalOperator& op) {
        std::vector<ir::ExprPtr> exprs;
        for (auto& k : op.sort_keys) exprs.push_back(k.expr->Copy());
        return exprs;
    }
};

}  // namespace

std::unique_ptr<OperatorState> MakeSortOperator(const ir::PhysicalOperator& op, ExecutionContext& ctx) {
    return std::make_unique<SortState>(op, ctx);
}

}  // namespace grizzly::runtime
