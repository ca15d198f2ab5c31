#pragma once
/// Column segments in checkpoints: the rows of one column in one row group,
/// as zone maps (kept outside the compressed bytes, so a reader could prune
/// without decompressing) followed by a frame holding the lightweight-encoded
/// values (encoding.hpp), compressed with lz4 or zstd only where that pays.
/// Checkpoints (checkpoint.cpp) and storage reports (storage_info.cpp) both
/// write segments through WriteColumnSegment, so reports describe exactly what
/// a checkpoint would store. Byte layout: storage/README.md.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/file/binary.hpp"
#include "storage/file/encoding.hpp"
#include "storage/table_data.hpp"

namespace grizzly::storage {

/// General-purpose compression of a frame; stored as one byte, never renumber.
enum class Codec : uint8_t { None = 0, Zstd = 1, Lz4 = 2 };

/// Lower-case name as reported by storage_info ("lz4").
const char* CodecName(Codec codec);

/// The codec for a frame of `raw_size` bytes that lz4 and zstd compress to the
/// given sizes (0 = failed): one must save at least a tenth, and lz4 is kept
/// unless zstd is more than 5% smaller than it.
Codec ChooseCodec(size_t raw_size, size_t lz4_size, size_t zstd_size);

/// Appends `raw` as a frame: compressed with lz4 or zstd when one saves at
/// least a tenth, lz4 preferred unless zstd is clearly smaller; returns the
/// codec used. Frames are limited to 4 GiB (54000 beyond).
Codec WriteFrame(BinaryWriter& w, std::string_view raw);
/// Reads a frame written by WriteFrame; XX001 on malformed bytes.
std::string ReadFrame(BinaryReader& r);

/// What writing one column segment produced.
struct SegmentReport {
    Encoding encoding = Encoding::Plain;
    Codec codec = Codec::None;
    uint64_t encoded_bytes = 0;  ///< after the lightweight encoding, before compression
    uint64_t stored_bytes = 0;   ///< bytes appended to the checkpoint: zone maps and frame
    uint64_t plain_bytes = 0;    ///< the values uncompressed: width per row, or string bytes plus a 4-byte length
};

/// Writes rows [0, count) of `chunk`: zone maps computed from the values by the
/// rule Append uses (so reading them back equals recomputing them), then the
/// encoded values in a frame.
SegmentReport WriteColumnSegment(BinaryWriter& w, const ColumnChunk& chunk, idx_t count);

/// One column segment read back: its values (strings owned by the vector) and zone maps.
struct ColumnSegment {
    Vector values;
    std::vector<Zone> zones;
};

/// Reads what WriteColumnSegment wrote for `count` rows of `type`; errors in the
/// values name them as `what` (e.g. `column "a" of table "t" in database file "x"`).
ColumnSegment ReadColumnSegment(BinaryReader& r, LogicalType type, idx_t count, const std::string& what);

}  // namespace grizzly::storage
