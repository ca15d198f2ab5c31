#pragma once
/// The .griz file: a header, then fixed-size blocks, each with a checksum,
/// holding one checkpoint's bytes (catalog and table data, see checkpoint.hpp).
///
///   offset 0     header (kHeaderSize bytes): magic "GRIZZLY\0", format version,
///                block size, checkpoint sequence number, block count, payload
///                bytes, then an XXH64 checksum of those fields
///   offset 4096  block i at 4096 + i * block size: XXH64 of the rest of the
///                block, then block size - 8 bytes of payload (the last block
///                zero-padded)
///
/// A checkpoint is written to "<file>.tmp", synced, and renamed over the file,
/// so the file on disk is always either the old checkpoint or the new one.

#include <cstdint>
#include <string>

#include "storage/file/file_io.hpp"

namespace grizzly::storage {

/// Version 2 stores column data as encoded, compressed segments with zone maps
/// (checkpoint.hpp). Files of other versions are refused: there are no version 1
/// files to carry forward, so this build reads only its own version.
inline constexpr uint32_t kFormatVersion = 2;
inline constexpr uint32_t kBlockSize = 256 * 1024;
inline constexpr uint64_t kHeaderSize = 4096;

struct CheckpointImage {
    uint64_t sequence = 0;
    std::string payload;
};

/// Writes `image` as the new content of `path`, atomically.
void WriteCheckpointFile(const std::string& path, const CheckpointImage& image);
/// Reads and verifies the file: every checksum, the magic and the version.
CheckpointImage ReadCheckpointFile(const std::string& path);
/// Verifies the file without loading it; returns problems found (empty = sound).
std::string VerifyCheckpointFile(const std::string& path);

}  // namespace grizzly::storage
