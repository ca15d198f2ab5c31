#pragma once
/// POSIX file operations for database files, each turning failure into an
/// error (58030) — plus a fault injector, so tests can make the n-th write or
/// fsync fail and check that a commit then fails cleanly.

#include <atomic>
#include <string>

namespace grizzly::storage {

/// Test hook: when a counter is positive it counts down on each call, and the
/// call that brings it to zero fails as if the disk had refused it.
struct FaultInjector {
    static std::atomic<int> fail_write_in;
    static std::atomic<int> fail_sync_in;
    static void Reset() {
        fail_write_in = 0;
        fail_sync_in = 0;
    }
};

class File {
public:
    enum class Mode { ReadOnly, ReadWrite, Create };
    File() = default;
    File(const std::string& path, Mode mode);
    ~File();
    File(File&& other) noexcept;
    File& operator=(File&& other) noexcept;
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    bool IsOpen() const { return fd_ >= 0; }
    const std::string& Path() const { return path_; }
    uint64_t Size() const;
    void ReadAt(void* buffer, size_t n, uint64_t offset) const;  ///< exactly n bytes or an error
    void WriteAt(const void* data, size_t n, uint64_t offset);
    void Append(const void* data, size_t n);
    void Truncate(uint64_t size);
    void Sync();
    /// Takes an advisory lock (exclusive, or shared for readers); false if another
    /// process holds a conflicting one.
    bool TryLock(bool shared = false);
    void Close();

private:
    int fd_ = -1;
    std::string path_;
};

bool FileExists(const std::string& path);
/// rename(2) then fsync of the directory, so the new name survives a crash.
void RenameDurably(const std::string& from, const std::string& to);

}  // namespace grizzly::storage
