#pragma once
/// A hash table of distinct key tuples (GROUP BY, DISTINCT, set operations).
/// Groups are numbered densely in insertion order; their keys are stored in
/// columnar chunks, group g at chunk g / kVectorSize, row g % kVectorSize.
/// NULL keys are equal to each other, as grouping requires.

#include <vector>

#include "runtime/chunk_collection.hpp"
#include "runtime/functions/functions.hpp"
#include "runtime/vector_ops.hpp"

namespace grizzly::runtime {

class GroupTable {
public:
    explicit GroupTable(std::vector<LogicalType> key_types);

    /// For each row of `rows`, the id of its key tuple in `keys` (added when new).
    void FindOrCreate(const std::vector<Vector>& keys, Rows rows, uint32_t* group_ids);
    /// For each row of `rows`, the id of its key tuple, or kNotFound; adds nothing.
    void Find(const std::vector<Vector>& keys, Rows rows, uint32_t* group_ids) const;
    static constexpr uint32_t kNotFound = UINT32_MAX;
    uint32_t GroupCount() const { return group_count_; }
    const ChunkCollection& Keys() const { return keys_; }

private:
    ChunkCollection keys_;
    std::vector<RowEqualFn> equal_;  // per key column
    std::vector<uint64_t> hashes_;  // per group
    std::vector<uint64_t> slots_;   // hash tag (upper 32 bits) | group id + 1; 0 = empty
    bool int_key_ = false;          // one integer key column: compared inline
    std::vector<int64_t> int_keys_; // per group, when int_key_
    uint32_t null_group_ = UINT32_MAX;  // the group of the NULL key, when int_key_
    uint64_t mask_ = 0;
    uint32_t group_count_ = 0;
    TrackedMemory memory_;  // slots_, hashes_ and int_keys_ (keys_ counts its own)

    void Grow();
    uint32_t AddGroup(const std::vector<Vector>& keys, uint32_t row, uint64_t hash);
    bool KeysEqual(const std::vector<Vector>& keys, uint32_t row, uint32_t group) const;
};

}  // namespace grizzly::runtime
