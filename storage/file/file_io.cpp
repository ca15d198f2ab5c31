#include "storage/file/file_io.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.hpp"

namespace grizzly::storage {

std::atomic<int> FaultInjector::fail_write_in{0};
std::atomic<int> FaultInjector::fail_sync_in{0};

namespace {

Error IoError(const std::string& what, const std::string& path, int err) {
    return Error(SqlState::IoError, "could not " + what + " file \"" + path + "\": " + std::strerror(err));
}

bool Injected(std::atomic<int>& counter) {
    int n = counter.load();
    while (n > 0 && !counter.compare_exchange_weak(n, n - 1)) {
    }
    return n == 1;
}

}  // namespace

File::File(const std::string& path, Mode mode) : path_(path) {
    int flags = mode == Mode::ReadOnly ? O_RDONLY : (mode == Mode::ReadWrite ? O_RDWR : O_RDWR | O_CREAT | O_TRUNC);
    fd_ = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        if (errno == ENOENT)
            throw Error(SqlState::UndefinedFile, "could not open file \"" + path + "\": No such file or directory");
        throw IoError("open", path, errno);
    }
}

File::~File() { Close(); }

File::File(File&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }

File& File::operator=(File&& other) noexcept {
    if (this != &other) {
        Close();
        fd_ = other.fd_;
        path_ = std::move(other.path_);
        other.fd_ = -1;
    }
    return *this;
}

void File::Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

uint64_t File::Size() const {
    struct stat st;
    if (::fstat(fd_, &st) != 0) throw IoError("stat", path_, errno);
    return static_cast<uint64_t>(st.st_size);
}

void File::ReadAt(void* buffer, size_t n, uint64_t offset) const {
    auto* p = static_cast<char*>(buffer);
    while (n > 0) {
        ssize_t r = ::pread(fd_, p, n, static_cast<off_t>(offset));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw IoError("read", path_, errno);
        if (r == 0) throw Error(SqlState::DataCorrupted, "file \"" + path_ + "\" is truncated");
        p += r;
        n -= static_cast<size_t>(r);
        offset += static_cast<uint64_t>(r);
    }
}

void File::WriteAt(const void* data, size_t n, uint64_t offset) {
    if (Injected(FaultInjector::fail_write_in)) throw IoError("write", path_, EIO);
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
        ssize_t w = ::pwrite(fd_, p, n, static_cast<off_t>(offset));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) throw IoError("write", path_, errno);
        p += w;
        n -= static_cast<size_t>(w);
        offset += static_cast<uint64_t>(w);
    }
}

void File::Append(const void* data, size_t n) { WriteAt(data, n, Size()); }

void File::Truncate(uint64_t size) {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) throw IoError("truncate", path_, errno);
}

void File::Sync() {
    if (Injected(FaultInjector::fail_sync_in)) throw IoError("fsync", path_, EIO);
    if (::fdatasync(fd_) != 0) throw IoError("fsync", path_, errno);
}

bool File::TryLock(bool shared) { return ::flock(fd_, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0; }

bool FileExists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

void RenameDurably(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) throw IoError("rename", from, errno);
    std::string dir = to.find('/') == std::string::npos ? "." : to.substr(0, to.rfind('/'));
    if (dir.empty()) dir = "/";
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // the rename happened; a directory we cannot open cannot be synced either
    ::fsync(fd);
    ::close(fd);
}

}  // namespace grizzly::storage
