#include "codegen/shape_cache.hpp"

#include <cstdio>

#include "codegen/jit.hpp"
#include "common/error.hpp"

namespace grizzly::codegen {

namespace {

uint64_t Fnv1a64(const std::string& text) {
    uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

std::string Hex64(uint64_t value) {
    char buffer[17];
    std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

}  // namespace

const std::string& HostTargetKey() {
    // "<triple> <cpu> <features>"; the feature list is long, so keys carry its hash.
    static const std::string key = [] {
        const std::string& host = Jit::Get(Tier::Optimized).HostDescription();
        const size_t cpu_end = host.find(' ', host.find(' ') + 1);
        if (cpu_end == std::string::npos) return host;
        return host.substr(0, cpu_end) + " " + Hex64(Fnv1a64(host.substr(cpu_end + 1)));
    }();
    return key;
}

std::string ShapeCacheKey(const std::string& fingerprint, const std::vector<ShapeDependency>& tables) {
    std::string key = fingerprint;
    key += "|tables[";
    for (size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
        if (table_idx) key += ',';
        key += std::to_string(tables[table_idx].table_id) + '@' + std::to_string(tables[table_idx].schema_version);
    }
    key += "]|host[" + HostTargetKey() + ']';
    return key;
}

std::string ShortKeyHash(const std::string& key) { return Hex64(Fnv1a64(key)); }

ShapeCache::ShapeCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {
    stats_.capacity_bytes = capacity_bytes;
}

CompiledCodePtr ShapeCache::Peek(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : it->second->code;
}

CompiledCodePtr ShapeCache::Find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) {
        ++stats_.misses;
        return nullptr;
    }
    ++stats_.hits;
    ++it->second->info.hits;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->code;
}

void ShapeCache::Insert(const std::string& key, CompiledCodePtr code, std::vector<ShapeDependency> tables,
                        std::string description) {
    GZ_CHECK(code != nullptr, "caching no code");
    std::lock_guard<std::mutex> lock(mutex_);
    ShapeCacheEntryInfo info;
    info.tier = code->Stats().tier;
    info.compile_ms = code->Stats().TotalMs();
    info.bytes = code->MemoryBytes() + key.size();
    info.code_bytes = code->Stats().object_bytes;
    info.description = std::move(description);
    info.tables = std::move(tables);
    stats_.compile_ms += info.compile_ms;
    // Code larger than the whole capacity is not kept (and does not flush the rest on its way out).
    if (info.bytes > capacity_bytes_) return;
    if (auto it = index_.find(key); it != index_.end()) {
        info.hits = it->second->info.hits;
        info.measured.interpreted = it->second->info.measured.interpreted;
        Remove(it->second);
    }
    lru_.push_front(Entry{key, std::move(code), std::move(info)});
    index_[key] = lru_.begin();
    for (const ShapeDependency& table : lru_.front().info.tables) by_table_[table.table_id].insert(key);
    stats_.bytes += lru_.front().info.bytes;
    EvictToFit();
    stats_.entries = lru_.size();
}

CompiledCodePtr ShapeCache::GetOrCompile(const std::string& key, const std::function<CompiledCodePtr()>& compile) {
    if (CompiledCodePtr cached = Find(key)) return cached;
    CompiledCodePtr code = compile();
    Insert(key, code);
    return code;
}

void ShapeCache::Remove(Lru::iterator it) {
    stats_.bytes -= it->info.bytes;
    for (const ShapeDependency& table : it->info.tables) {
        auto keys = by_table_.find(table.table_id);
        if (keys == by_table_.end()) continue;
        keys->second.erase(it->key);
        if (keys->second.empty()) by_table_.erase(keys);
    }
    index_.erase(it->key);
    lru_.erase(it);
}

void ShapeCache::EvictToFit() {
    while (stats_.bytes > capacity_bytes_ && !lru_.empty()) {
        Remove(std::prev(lru_.end()));
        ++stats_.evictions;
    }
}

size_t ShapeCache::EraseTable(uint64_t table_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = by_table_.find(table_id);
    if (found == by_table_.end()) return 0;
    // Remove() edits this set, so work from a copy.
    const std::unordered_set<std::string> keys = found->second;
    for (const std::string& key : keys)
        if (auto it = index_.find(key); it != index_.end()) Remove(it->second);
    stats_.invalidations += keys.size();
    stats_.entries = lru_.size();
    return keys.size();
}

size_t ShapeCache::EraseIf(const std::function<bool(const std::string&, const ShapeCacheEntryInfo&)>& predicate) {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t erased = 0;
    for (auto it = lru_.begin(); it != lru_.end();) {
        auto next = std::next(it);
        if (predicate(it->key, it->info)) {
            Remove(it);
            ++erased;
        }
        it = next;
    }
    stats_.invalidations += erased;
    stats_.entries = lru_.size();
    return erased;
}

void ShapeCache::Clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    lru_.clear();
    index_.clear();
    by_table_.clear();
    stats_.bytes = 0;
    stats_.entries = 0;
}

void ShapeCache::SetCapacity(size_t capacity_bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    capacity_bytes_ = capacity_bytes;
    stats_.capacity_bytes = capacity_bytes;
    EvictToFit();
    stats_.entries = lru_.size();
}

size_t ShapeCache::Capacity() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return capacity_bytes_;
}

ShapeCacheStats ShapeCache::Stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
}

void ShapeCache::RecordSpeed(const std::string& key, const CompiledCode* code, const ExecutorTimes& add) {
    auto accumulate = [](ExecutorTime& total, const ExecutorTime& more) {
        total.ns += more.ns;
        total.rows += more.rows;
        while (total.rows > kMeasuredRowsKept) {
            total.ns /= 2;
            total.rows /= 2;
        }
    };
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return;
    accumulate(it->second->info.measured.interpreted, add.interpreted);
    if (it->second->code.get() == code) accumulate(it->second->info.measured.compiled, add.compiled);
}

void ShapeCache::ForgetSpeed(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) it->second->info.measured = {};
}

bool ShapeCache::Describe(const std::string& key, ShapeCacheEntryInfo& out) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    out = it->second->info;
    return true;
}

std::vector<ShapeCacheEntry> ShapeCache::Entries() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<ShapeCacheEntry> entries;
    entries.reserve(lru_.size());
    for (const Entry& entry : lru_) entries.push_back(ShapeCacheEntry{entry.key, entry.info});
    return entries;
}

}  // namespace grizzly::codegen
