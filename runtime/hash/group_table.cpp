#include "runtime/hash/group_table.hpp"

#include "runtime/vector_ops.hpp"

namespace grizzly::runtime {

GroupTable::GroupTable(std::vector<LogicalType> key_types) : keys_(std::move(key_types)) {
    for (auto& t : keys_.Types()) equal_.push_back(GetRowEqual(t.Physical(), true));
    int_key_ = keys_.Types().size() == 1 && (keys_.Types()[0].Physical() == PhysicalType::Int32 ||
                                             keys_.Types()[0].Physical() == PhysicalType::Int64);
    slots_.assign(1024, 0);
    mask_ = slots_.size() - 1;
}

namespace {

// A slot holds the upper half of the hash beside group id + 1, so most probes of
// a taken slot are decided without touching the group's hash or keys.
inline uint64_t MakeSlot(uint64_t hash, uint32_t group) { return (hash & ~uint64_t(0xFFFFFFFF)) | (group + 1u); }
inline bool TagMatches(uint64_t slot, uint64_t hash) { return ((slot ^ hash) >> 32) == 0; }
inline uint32_t SlotGroup(uint64_t slot) { return static_cast<uint32_t>(slot) - 1; }

int64_t IntAt(const Vector& v, uint32_t row) {
    return v.Physical() == PhysicalType::Int32 ? v.Data<int32_t>()[row] : v.Data<int64_t>()[row];
}

}  // namespace

void GroupTable::Grow() {
    // Per slot: itself, and half a group's hash and integer key (the table grows at half full).
    memory_.Set(slots_.size() * 2 * (sizeof(uint64_t) + (sizeof(uint64_t) + sizeof(int64_t)) / 2));
    slots_.assign(slots_.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (uint32_t g = 0; g < group_count_; ++g) {
        uint64_t slot = hashes_[g] & mask_;
        while (slots_[slot]) slot = (slot + 1) & mask_;
        slots_[slot] = MakeSlot(hashes_[g], g);
    }
}

uint32_t GroupTable::AddGroup(const std::vector<Vector>& keys, uint32_t row, uint64_t hash) {
    keys_.AppendRow(keys, row);
    hashes_.push_back(hash);
    if (int_key_) {
        bool valid = keys[0].Validity().RowIsValid(row);
        int_keys_.push_back(valid ? IntAt(keys[0], row) : 0);
        if (!valid) null_group_ = group_count_;
    }
    return group_count_++;
}

bool GroupTable::KeysEqual(const std::vector<Vector>& keys, uint32_t row, uint32_t group) const {
    if (int_key_) {
        if (!keys[0].Validity().RowIsValid(row)) return group == null_group_;
        return group != null_group_ && int_keys_[group] == IntAt(keys[0], row);
    }
    const DataChunk& stored = keys_.Chunks()[group / kVectorSize];
    for (size_t k = 0; k < keys.size(); ++k)
        if (!equal_[k](keys[k], row, stored.columns[k], group % kVectorSize)) return false;
    return true;
}

void GroupTable::FindOrCreate(const std::vector<Vector>& keys, Rows rows, uint32_t* group_ids) {
    std::vector<uint64_t> hashes(rows.count);
    for (size_t k = 0; k < keys.size(); ++k) HashVector(keys[k], rows, hashes.data(), k == 0);
    // Start every slot's cache miss before walking any of them.
    for (idx_t i = 0; i < rows.count; ++i) __builtin_prefetch(&slots_[hashes[i] & mask_]);
    for (idx_t i = 0; i < rows.count; ++i) {
        uint32_t r = rows[i];
        uint64_t h = hashes[i];
        uint64_t slot = h & mask_;
        while (true) {
            uint64_t entry = slots_[slot];
            if (entry == 0) {
                uint32_t g = AddGroup(keys, r, h);
                slots_[slot] = MakeSlot(h, g);
                group_ids[i] = g;
                if (static_cast<uint64_t>(group_count_) * 2 > slots_.size()) Grow();
                break;
            }
            if (TagMatches(entry, h) && KeysEqual(keys, r, SlotGroup(entry))) {
                group_ids[i] = SlotGroup(entry);
                break;
            }
            slot = (slot + 1) & mask_;
        }
    }
}

void GroupTable::Find(const std::vector<Vector>& keys, Rows rows, uint32_t* group_ids) const {
    std::vector<uint64_t> hashes(rows.count);
    for (size_t k = 0; k < keys.size(); ++k) HashVector(keys[k], rows, hashes.data(), k == 0);
    for (idx_t i = 0; i < rows.count; ++i) {
        uint64_t h = hashes[i];
        group_ids[i] = kNotFound;
        for (uint64_t slot = h & mask_; slots_[slot] != 0; slot = (slot + 1) & mask_) {
            uint64_t entry = slots_[slot];
            if (TagMatches(entry, h) && KeysEqual(keys, rows[i], SlotGroup(entry))) {
                group_ids[i] = SlotGroup(entry);
                break;
            }
        }
    }
}

}  // namespace grizzly::runtime
