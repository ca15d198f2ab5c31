#include "runtime/memory_tracker.hpp"

#include <string>

#include <unistd.h>

#include "common/error.hpp"

namespace grizzly::runtime {

namespace {

thread_local std::shared_ptr<MemoryTracker> t_current;

std::string Mebibytes(uint64_t bytes) {
    return std::to_string((bytes + (uint64_t(1) << 19)) >> 20) + " MiB";
}

}  // namespace

uint64_t DefaultMemoryLimit() {
    const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_size <= 0) return uint64_t(8) << 30;
    return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size) / 10 * 8;
}

void MemoryTracker::Grow(uint64_t bytes) {
    const uint64_t before = used_.fetch_add(bytes, std::memory_order_relaxed);
    if (before + bytes <= limit_) return;
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    throw Error(SqlState::OutOfMemory, "out of memory: the query needs more than memory_limit (" +
                                           Mebibytes(limit_) + "); " + Mebibytes(before) + " in use, " +
                                           Mebibytes(bytes) + " more asked for");
}

MemoryScope::MemoryScope(std::shared_ptr<MemoryTracker> tracker) : previous_(std::move(t_current)) {
    t_current = std::move(tracker);
}

MemoryScope::~MemoryScope() { t_current = std::move(previous_); }

const std::shared_ptr<MemoryTracker>& MemoryScope::Current() { return t_current; }

TrackedMemory& TrackedMemory::operator=(TrackedMemory&& other) noexcept {
    if (this == &other) return *this;
    Release();
    tracker_ = std::move(other.tracker_);
    bytes_ = other.bytes_;
    other.bytes_ = 0;
    return *this;
}

void TrackedMemory::Grow(uint64_t bytes) {
    if (!tracker_) {
        if (!MemoryScope::Current()) return;
        tracker_ = MemoryScope::Current();
    }
    tracker_->Grow(bytes);
    bytes_ += bytes;
}

void TrackedMemory::Set(uint64_t bytes) {
    if (bytes >= bytes_) {
        Grow(bytes - bytes_);
    } else if (tracker_) {
        tracker_->Shrink(bytes_ - bytes);
        bytes_ = bytes;
    }
}

void TrackedMemory::Absorb(TrackedMemory& other) {
    if (!other.tracker_) return;
    if (!tracker_) tracker_ = other.tracker_;
    if (tracker_ == other.tracker_) {
        bytes_ += other.bytes_;
        other.bytes_ = 0;
        return;
    }
    // Counted against another statement's tracker: count it here anew.
    const uint64_t bytes = other.bytes_;
    other.Release();
    Grow(bytes);
}

void TrackedMemory::Release() {
    if (tracker_ && bytes_ > 0) tracker_->Shrink(bytes_);
    bytes_ = 0;
}

}  // namespace grizzly::runtime
