#include "runtime/hash/group_table.hpp"

#include "runtime/vector_ops.hpp"

namespace grizzly::runtime {

GroupTable::GroupTable(std::vector<LogicalType> key_types) : keys_(std::move(key_types)) {
    for (auto& t : keys_.Types()) equal_.push_back(GetRowEqual(t.Physical(), true));
    slots_.assign(1024, 0);
    mask_ = slots_.size() - 1;
}

void GroupTable::Grow() {
    slots_.assign(slots_.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (uint32_t g = 0; g < group_count_; ++g) {
        uint64_t slot = hashes_[g] & mask_;
        while (slots_[slot]) slot = (slot + 1) & mask_;
        slots_[slot] = g + 1;
    }
}

uint32_t GroupTable::AddGroup(const std::vector<Vector>& keys, uint32_t row, uint64_t hash) {
    keys_.AppendRow(keys, row);
    hashes_.push_back(hash);
    return group_count_++;
}

void GroupTable::FindOrCreate(const std::vector<Vector>& keys, Rows rows, uint32_t* group_ids) {
    std::vector<uint64_t> hashes(rows.count);
    for (size_t k = 0; k < keys.size(); ++k) HashVector(keys[k], rows, hashes.data(), k == 0);
    for (idx_t i = 0; i < rows.count; ++i) {
        uint32_t r = rows[i];
        uint64_t h = hashes[i];
        uint64_t slot = h & mask_;
        while (true) {
            uint32_t entry = slots_[slot];
            if (entry == 0) {
                uint32_t g = AddGroup(keys, r, h);
                slots_[slot] = g + 1;
                group_ids[i] = g;
                if (static_cast<uint64_t>(group_count_) * 2 > slots_.size()) Grow();
                break;
            }
            uint32_t g = entry - 1;
            if (hashes_[g] == h) {
                const DataChunk& stored = keys_.Chunks()[g / kVectorSize];
                bool equal = true;
                for (size_t k = 0; k < keys.size() && equal; ++k)
                    equal = equal_[k](keys[k], r, stored.columns[k], g % kVectorSize);
                if (equal) {
                    group_ids[i] = g;
                    break;
                }
            }
            slot = (slot + 1) & mask_;
        }
    }
}

}  // namespace grizzly::runtime
