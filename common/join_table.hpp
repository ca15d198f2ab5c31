#pragma once
/// The interpreter's hash join table as compiled probes read it: a C layout
/// shared by runtime/ (the join fills it once its build side is finalized) and
/// the code codegen/ generates, so both executors probe one table.
///
/// Every hash join shares it. A probe key k finds its chain at heads[bucket].
/// One integer key (the interpreter's `int_key_` form, `int_keys` non-null):
/// bucket is k - min_key in direct mode (when k - min_key < bucket_count; every
/// entry of the chain has the key) and MixBits(k) & mask otherwise (entries
/// must then match the hash and int_keys). Other keys (several, or not
/// integers): bucket is the interpreter's combined key hash (HashVector) & mask,
/// and an entry matches when its hash and each build key do; build row g's
/// key k is in key_columns[chunk * key_count + k] (NULL only in a key compared
/// with IS NOT DISTINCT FROM: rows with a NULL in another key are not in the
/// table; a NULL key hashes as the interpreter's kNullHash). Entries link build rows: global row + 1, 0 ends
/// a chain. Build row g's values are in chunk g / kVectorSize, row
/// g % kVectorSize: columns[chunk * build_width + column], validity likewise
/// (null: no NULLs). RIGHT and FULL probes set matched[g] for every build row
/// they pair with (the join emits the others when the probe side is done).

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
    uint64_t key_count;
    const void* const* key_columns;
    const uint64_t* const* key_validity;  ///< likewise (null: no NULLs; only IS NOT DISTINCT FROM keys have them)
    uint8_t* matched;
    /// Build rows. A nested-loop join (no keys) has no buckets: every build row is a candidate.
    uint64_t row_count;
    /// For C++ readers only: a `const std::shared_ptr<grizzly::StringHeap>*` that keeps
    /// the build rows' strings alive (rows copied out keep it alive instead of copying bytes).
    const void* strings;
} GzJoinTable;

}  // extern "C"
