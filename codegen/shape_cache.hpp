#pragma once
/// The shape cache: compiled code keyed by shape key, bounded in bytes, least
/// recently used entries evicted first (DESIGN.md, "Shape cache").
///
/// Threading: every method may be called from any thread (one mutex). Code
/// handed out stays valid while its holder keeps the pointer, even after
/// eviction or Clear(). Compilation runs outside the lock, so two threads that
/// miss on one key may both compile it; the later insert replaces the earlier.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "codegen/compiled_code.hpp"

namespace grizzly::codegen {

struct ShapeCacheStats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
    size_t entries = 0;
    size_t bytes = 0;           ///< bytes charged for the entries now cached
    size_t capacity_bytes = 0;
    double compile_ms = 0;      ///< total compile time of everything inserted
};

/// What the cache knows about one entry (for EXPLAIN and statistics).
struct ShapeCacheEntryInfo {
    Tier tier = Tier::Fast;
    double compile_ms = 0;
    size_t bytes = 0;
    uint64_t hits = 0;
};

class ShapeCache {
public:
    explicit ShapeCache(size_t capacity_bytes);

    /// The code cached for `key` (counted as a hit, and made most recent) or null (a miss).
    CompiledCodePtr Find(const std::string& key);
    /// Caches `code` under `key`, replacing an entry already there (a tier
    /// upgrade), then evicts least recently used entries until the bytes fit.
    /// An entry larger than the whole capacity is not kept.
    void Insert(const std::string& key, CompiledCodePtr code);
    /// Find, or on a miss `compile()` and Insert.
    CompiledCodePtr GetOrCompile(const std::string& key, const std::function<CompiledCodePtr()>& compile);

    /// Drops every entry (a schema change invalidates shapes).
    void Clear();
    ShapeCacheStats Stats() const;
    /// Information about the entry for `key`; false when it is not cached. Does not count as a hit.
    bool Describe(const std::string& key, ShapeCacheEntryInfo& out) const;

private:
    struct Entry {
        std::string key;
        CompiledCodePtr code;
        ShapeCacheEntryInfo info;
    };
    using Lru = std::list<Entry>;  ///< most recent first

    void EvictToFit();

    mutable std::mutex mutex_;
    size_t capacity_bytes_;
    Lru lru_;
    std::unordered_map<std::string, Lru::iterator> index_;
    ShapeCacheStats stats_;
};

}  // namespace grizzly::codegen
