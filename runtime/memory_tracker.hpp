#pragma once
/// Per-statement memory accounting for `SET memory_limit`. The structures that
/// grow with their input — materialized chunks (results, sort input, join build
/// sides, group keys), hash tables and aggregate states — count their bytes
/// against the tracker of the statement that is running on their thread when
/// they grow. Passing the limit is error 53200, raised where the memory would
/// have been taken: the statement fails and its memory is freed as it unwinds.

#include <atomic>
#include <cstdint>
#include <memory>

namespace grizzly::runtime {

/// The default of `SET memory_limit`: 80% of the machine's memory, as DuckDB's.
uint64_t DefaultMemoryLimit();

class MemoryTracker {
public:
    explicit MemoryTracker(uint64_t limit) : limit_(limit) {}
    /// Counts `bytes` more; throws 53200, counting nothing, when that passes the limit.
    void Grow(uint64_t bytes);
    void Shrink(uint64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }
    uint64_t Used() const { return used_.load(std::memory_order_relaxed); }
    uint64_t Limit() const { return limit_; }

private:
    std::atomic<uint64_t> used_{0};
    uint64_t limit_;
};

/// Makes `tracker` the one this thread counts against while the scope lives
/// (the statement's thread and each of its workers hold one).
class MemoryScope {
public:
    explicit MemoryScope(std::shared_ptr<MemoryTracker> tracker);
    ~MemoryScope();
    MemoryScope(const MemoryScope&) = delete;
    MemoryScope& operator=(const MemoryScope&) = delete;
    /// The tracker of this thread's statement; null when none counts.
    static const std::shared_ptr<MemoryTracker>& Current();

private:
    std::shared_ptr<MemoryTracker> previous_;
};

/// The bytes one structure holds, counted against the tracker that was current
/// when it first grew (which it keeps alive: a result outlives its statement).
/// Copies start uncounted; moves take the count along.
class TrackedMemory {
public:
    TrackedMemory() = default;
    TrackedMemory(const TrackedMemory&) {}
    TrackedMemory& operator=(const TrackedMemory&) { return *this; }
    TrackedMemory(TrackedMemory&& other) noexcept { *this = std::move(other); }
    TrackedMemory& operator=(TrackedMemory&& other) noexcept;
    ~TrackedMemory() { Release(); }

    /// Counts `bytes` more; throws 53200 past the limit.
    void Grow(uint64_t bytes);
    /// Sets the count to `bytes` (grows or shrinks it).
    void Set(uint64_t bytes);
    /// Takes over what `other` counts.
    void Absorb(TrackedMemory& other);
    uint64_t Bytes() const { return bytes_; }

private:
    std::shared_ptr<MemoryTracker> tracker_;
    uint64_t bytes_ = 0;
    void Release();
};

}  // namespace grizzly::runtime
