#pragma once
/// The shape cache: compiled code keyed by shape key, bounded in bytes, least
/// recently used entries evicted first (DESIGN.md, "Shape cache").
///
/// A cache key (ShapeCacheKey) is the shape's fingerprint (constants lifted
/// into parameter slots), the id and schema version of every table the code
/// reads, and the host CPU the JIT targets. Each entry also lists those tables,
/// and the cache indexes entries by table id, so that DDL on a table removes
/// exactly that table's entries (EraseTable) instead of leaving them to age out.
///
/// Threading: every method may be called from any thread (one mutex). Code
/// handed out stays valid while its holder keeps the pointer, even after
/// eviction, erasure or Clear(). Compilation runs outside the lock, so two
/// threads that miss on one key may both compile it; the later insert replaces
/// the earlier.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "codegen/compiled_code.hpp"
#include "common/executor_time.hpp"

namespace grizzly::codegen {

/// A table whose layout compiled code was built for.
struct ShapeDependency {
    uint64_t table_id = 0;        ///< storage::TableEntry::Id(), unique for the process's life
    uint64_t schema_version = 0;  ///< storage::TableEntry::schema_version when the code was compiled
    std::string table_name;       ///< for listings only; never part of the key
};

/// The cache key of a shape: `fingerprint` (e.g. PipelineShapeKey), the
/// tables' ids and schema versions, and the JIT's target (triple, CPU and a
/// hash of its features), so a key never matches code built for another
/// layout or machine.
std::string ShapeCacheKey(const std::string& fingerprint, const std::vector<ShapeDependency>& tables);

/// The JIT's target as it appears in cache keys: "<triple> <cpu> <feature hash>".
const std::string& HostTargetKey();

/// A short, stable hash of a key (16 hex digits of FNV-1a 64) for listings.
std::string ShortKeyHash(const std::string& key);

struct ShapeCacheStats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;      ///< entries dropped to stay within the capacity
    uint64_t invalidations = 0;  ///< entries removed by EraseTable / EraseIf (schema changes)
    size_t entries = 0;
    size_t bytes = 0;           ///< bytes charged for the entries now cached
    size_t capacity_bytes = 0;
    double compile_ms = 0;      ///< total compile time of everything inserted
};

/// What the cache knows about one entry (for EXPLAIN, grizzly_jit_cache() and statistics).
struct ShapeCacheEntryInfo {
    Tier tier = Tier::Fast;
    double compile_ms = 0;
    size_t bytes = 0;       ///< charged against the capacity: code, captured IR and key
    size_t code_bytes = 0;  ///< the object code the JIT linked
    uint64_t hits = 0;
    std::string description;  ///< readable summary of what was compiled (may be empty)
    std::vector<ShapeDependency> tables;
    /// Adaptive mode's measurements, accumulated over runs. A new tier replaces
    /// the entry: its code is measured again, the interpreter's time is kept.
    ExecutorTimes measured;
};

/// One entry as Entries() lists it.
struct ShapeCacheEntry {
    std::string key;
    ShapeCacheEntryInfo info;
};

class ShapeCache {
public:
    explicit ShapeCache(size_t capacity_bytes);

    /// The code cached for `key` (counted as a hit, and made most recent) or null (a miss).
    CompiledCodePtr Find(const std::string& key);
    /// The code cached for `key` or null, counting neither a hit nor a miss (polling
    /// for a background compile's result).
    CompiledCodePtr Peek(const std::string& key) const;
    /// Caches `code` under `key`, replacing an entry already there (a tier
    /// upgrade, which keeps its hit count and the interpreter's measured time), then evicts least recently used
    /// entries until the bytes fit. An entry larger than the whole capacity is
    /// not kept. `tables` are what EraseTable drops the entry for.
    void Insert(const std::string& key, CompiledCodePtr code, std::vector<ShapeDependency> tables = {},
                std::string description = {});
    /// Find, or on a miss `compile()` and Insert (without dependencies).
    CompiledCodePtr GetOrCompile(const std::string& key, const std::function<CompiledCodePtr()>& compile);

    /// Removes every entry that depends on table `table_id` (its schema changed
    /// or it was dropped); returns how many.
    size_t EraseTable(uint64_t table_id);
    /// Removes every entry for which `predicate(key, info)` holds; returns how many.
    /// `predicate` runs under the cache's lock and must not call back into it.
    size_t EraseIf(const std::function<bool(const std::string&, const ShapeCacheEntryInfo&)>& predicate);
    /// Drops every entry.
    void Clear();

    /// Changes the byte bound, evicting least recently used entries until the rest fit.
    void SetCapacity(size_t capacity_bytes);
    size_t Capacity() const;

    ShapeCacheStats Stats() const;
    /// Adds a run's measurements to the entry of `key`; the compiled side only
    /// if the entry still holds `code`. Each side keeps at most about
    /// kMeasuredRowsKept rows' worth: older time counts for less.
    void RecordSpeed(const std::string& key, const CompiledCode* code, const ExecutorTimes& add);
    /// Drops the entry's measurements: both executors are measured again.
    void ForgetSpeed(const std::string& key);
    static constexpr uint64_t kMeasuredRowsKept = uint64_t{1} << 22;
    /// Information about the entry for `key`; false when it is not cached. Does not count as a hit.
    bool Describe(const std::string& key, ShapeCacheEntryInfo& out) const;
    /// Every entry, most recently used first. Does not count as hits.
    std::vector<ShapeCacheEntry> Entries() const;

private:
    struct Entry {
        std::string key;
        CompiledCodePtr code;
        ShapeCacheEntryInfo info;
    };
    using Lru = std::list<Entry>;  ///< most recent first

    /// Unlinks `it` from the list and both indexes and uncharges its bytes (lock held).
    void Remove(Lru::iterator it);
    void EvictToFit();

    mutable std::mutex mutex_;
    size_t capacity_bytes_;
    Lru lru_;
    std::unordered_map<std::string, Lru::iterator> index_;
    /// Keys of the entries that depend on each table id.
    std::unordered_map<uint64_t, std::unordered_set<std::string>> by_table_;
    ShapeCacheStats stats_;
};

}  // namespace grizzly::codegen
