// UNION / INTERSECT / EXCEPT [ALL]. Both inputs are sunk into one GroupTable
// with per-group counts for each side; Finalize emits each group as many times
// as the operation asks, in first-seen order. UNION ALL just concatenates.
#include "runtime/hash/group_table.hpp"
#include "runtime/operators/operator_state.hpp"
#include "runtime/vector_ops.hpp"

namespace grizzly::runtime {

namespace {

class SetOpState : public OperatorState {
public:
    explicit SetOpState(const ir::PhysicalOperator& op) : op_(op), all_(op.types), groups_(op.types) {}

    void Sink(DataChunk& input, size_t child) override {
        if (op_.set_op == ir::SetOpType::UnionAll) {
            all_.Append(input);
            return;
        }
        Rows rows = ActiveRows(input);
        std::vector<uint32_t> gids(rows.count);
        groups_.FindOrCreate(input.columns, rows, gids.data());
        counts_[0].resize(groups_.GroupCount(), 0);
        counts_[1].resize(groups_.GroupCount(), 0);
        for (uint32_t g : gids) ++counts_[child][g];
    }

    std::unique_ptr<OperatorState> LocalSink(ExecutionContext&) override { return std::make_unique<SetOpState>(op_); }
    /// Locals come in scan order: their groups keep the order of first sight.
    void Combine(OperatorState& local_state) override {
        auto& local = static_cast<SetOpState&>(local_state);
        if (op_.set_op == ir::SetOpType::UnionAll) {
            all_.Append(std::move(local.all_));
            return;
        }
        const std::vector<DataChunk>& keys = local.groups_.Keys().Chunks();
        std::vector<uint32_t> gids(kVectorSize);
        for (size_t c = 0; c < keys.size(); ++c) {
            groups_.FindOrCreate(keys[c].columns, Rows{nullptr, keys[c].size}, gids.data());
            counts_[0].resize(groups_.GroupCount(), 0);
            counts_[1].resize(groups_.GroupCount(), 0);
            for (uint32_t r = 0; r < keys[c].size; ++r)
                for (int side = 0; side < 2; ++side) counts_[side][gids[r]] += local.counts_[side][c * kVectorSize + r];
        }
    }

    void Finalize() override {
        if (op_.set_op == ir::SetOpType::UnionAll) return;
        std::vector<uint32_t> out_groups;
        for (uint32_t g = 0; g < groups_.GroupCount(); ++g) {
            int64_t l = counts_[0][g], r = counts_[1][g], times = 0;
            switch (op_.set_op) {
            case ir::SetOpType::Union: times = 1; break;
            case ir::SetOpType::Intersect: times = l > 0 && r > 0; break;
            case ir::SetOpType::IntersectAll: times = std::min(l, r); break;
            case ir::SetOpType::Except: times = l > 0 && r == 0; break;
            case ir::SetOpType::ExceptAll: times = std::max<int64_t>(0, l - r); break;
            case ir::SetOpType::UnionAll: break;
            }
            for (int64_t t = 0; t < times; ++t) out_groups.push_back(g);
        }
        for (size_t start = 0; start < out_groups.size(); start += kVectorSize) {
            idx_t n = std::min<idx_t>(kVectorSize, out_groups.size() - start);
            DataChunk out;
            out.Initialize(op_.types, n);
            for (size_t c = 0; c < op_.types.size(); ++c)
                for (idx_t i = 0; i < n; ++i) {
                    uint32_t g = out_groups[start + i];
                    uint32_t local = g % kVectorSize;
                    Gather(groups_.Keys().Chunks()[g / kVectorSize].columns[c], &local, 1, out.columns[c], i);
                }
            out.size = n;
            all_.Chunks().push_back(std::move(out));
        }
    }

    bool GetData(DataChunk& out) override {
        if (next_ >= all_.Chunks().size()) return false;
        out = std::move(all_.Chunks()[next_++]);
        return true;
    }

private:
    const ir::PhysicalOperator& op_;
    ChunkCollection all_;
    GroupTable groups_;
    std::vector<int64_t> counts_[2];
    size_t next_ = 0;
};

}  // namespace

std::unique_ptr<OperatorState> MakeSetOpOperator(const ir::PhysicalOperator& op, ExecutionContext&) {
    return std::make_unique<SetOpState>(op);
}

}  // namespace grizzly::runtime
