#pragma once
/// Files for tests: a scratch folder per test, and a database file whose
/// header claims another format version (with a checksum that is right for it).

#include <unistd.h>
#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace grizzly::testing {

/// A folder of its own under the system's temporary directory, removed at the end.
struct TempDir {
    std::filesystem::path dir;
    TempDir() {
        static int count = 0;
        dir = std::filesystem::temp_directory_path() /
              ("grizzly_test_" + std::to_string(getpid()) + "_" + std::to_string(++count));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    ~TempDir() { std::filesystem::remove_all(dir); }
    std::string Path(const std::string& name) const { return (dir / name).string(); }
};

/// Rewrites the header of the database file at `path` as if format `version` had written it:
/// magic, version and block size, then their XXH64.
inline void SetFormatVersion(const std::string& path, uint32_t version) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    std::string header(16, '\0');
    f.read(header.data(), 16);
    std::memcpy(header.data() + 8, &version, 4);
    uint64_t checksum = XXH64(header.data(), 16, 0);
    f.seekp(0);
    f.write(header.data(), 16);
    f.write(reinterpret_cast<const char*>(&checksum), 8);
}

}  // namespace grizzly::testing
