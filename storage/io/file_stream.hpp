#pragma once
/// Byte streams over files for import and export. A path ending in ".zst" is
/// read and written through zstd's streaming API, so compressed dumps (such as
/// the shared TPC-H data) load without a temporary copy.

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace grizzly::storage {

class InputStream {
public:
    virtual ~InputStream() = default;
    /// Reads up to `size` bytes; returns 0 only at the end of the stream. Throws 58030 on I/O errors.
    virtual size_t Read(char* buffer, size_t size) = 0;
};

class OutputStream {
public:
    virtual ~OutputStream() = default;
    virtual void Write(std::string_view bytes) = 0;
    /// Flushes and closes; errors surface here (a full disk is only reported at close).
    virtual void Close() = 0;
};

/// Opens `path` for reading (42P01-like 58P01 when it does not exist).
std::unique_ptr<InputStream> OpenInput(const std::string& path);
/// Creates or truncates `path` for writing.
std::unique_ptr<OutputStream> OpenOutput(const std::string& path);

}  // namespace grizzly::storage
