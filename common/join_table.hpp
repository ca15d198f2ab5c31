#pragma once
/// The interpreter's hash join table as compiled probes read it: a C layout
/// shared by runtime/ (the join fills it once its build side is finalized) and
/// the code codegen/ generates, so both executors probe one table.
///
/// Single integer key joins only (the interpreter's `int_key_` form). A probe
/// key k finds its chain at heads[bucket], where bucket is k - min_key in
/// direct mode (when k - min_key < bucket_count; every entry of the chain has
/// the key) and MixBits(k) & mask otherwise (entries must then match the hash
/// and int_keys). Entries link build rows: global row + 1, 0 ends a chain.
/// Build row g's values are in chunk g / kVectorSize, row g % kVectorSize:
/// columns[chunk * build_width + column], validity likewise (null: no NULLs).

#include <cstdint>

extern "C" {

typedef struct GzJoinEntry {
    uint64_t hash;
    uint32_t next;
    uint32_t padding;
} GzJoinEntry;

typedef struct GzJoinTable {
    const uint32_t* heads;
    const GzJoinEntry* entries;
    const int64_t* int_keys;
    uint64_t mask;
    int64_t min_key;
    uint64_t bucket_count;
    uint64_t direct;
    uint64_t build_width;
    const void* const* columns;
    const uint64_t* const* validity;
    /// For C++ readers only: a `const std::shared_ptr<grizzly::StringHeap>*` that keeps
    /// the build rows' strings alive (rows copied out keep it alive instead of copying bytes).
    const void* strings;
} GzJoinTable;

}  // extern "C"
