#include "codegen/shape_cache.hpp"

#include "common/error.hpp"

namespace grizzly::codegen {

ShapeCache::ShapeCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {
    stats_.capacity_bytes = capacity_bytes;
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

void ShapeCache::Insert(const std::string& key, CompiledCodePtr code) {
    GZ_CHECK(code != nullptr, "caching no code");
    std::lock_guard<std::mutex> lock(mutex_);
    ShapeCacheEntryInfo info;
    info.tier = code->Stats().tier;
    info.compile_ms = code->Stats().TotalMs();
    info.bytes = code->MemoryBytes() + key.size();
    stats_.compile_ms += info.compile_ms;
    if (auto it = index_.find(key); it != index_.end()) {
        stats_.bytes -= it->second->info.bytes;
        info.hits = it->second->info.hits;
        lru_.erase(it->second);
        index_.erase(it);
    }
    lru_.push_front(Entry{key, std::move(code), info});
    index_[key] = lru_.begin();
    stats_.bytes += info.bytes;
    EvictToFit();
    stats_.entries = lru_.size();
}

CompiledCodePtr ShapeCache::GetOrCompile(const std::string& key, const std::function<CompiledCodePtr()>& compile) {
    if (CompiledCodePtr cached = Find(key)) return cached;
    CompiledCodePtr code = compile();
    Insert(key, code);
    return code;
}

void ShapeCache::EvictToFit() {
    while (stats_.bytes > capacity_bytes_ && !lru_.empty()) {
        Entry& victim = lru_.back();
        stats_.bytes -= victim.info.bytes;
        index_.erase(victim.key);
        lru_.pop_back();
        ++stats_.evictions;
    }
}

void ShapeCache::Clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    lru_.clear();
    index_.clear();
    stats_.bytes = 0;
    stats_.entries = 0;
}

ShapeCacheStats ShapeCache::Stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
}

bool ShapeCache::Describe(const std::string& key, ShapeCacheEntryInfo& out) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    out = it->second->info;
    return true;
}

}  // namespace grizzly::codegen
