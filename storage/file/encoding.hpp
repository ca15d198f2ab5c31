#pragma once
/// Lightweight encodings of one column segment: the values of one column in
/// one row group, written by checkpoints (see segment.hpp for the frame and
/// zone maps around them, storage/README.md for the byte layout).
///
/// The encoder tries every encoding that applies and keeps the smallest, so the
/// choice adapts to each segment's data. NULL rows carry no value of their own:
/// they repeat the previous non-NULL value, so they neither break runs, widen
/// bit widths nor add dictionary entries. The decoder checks every count,
/// width, code and length against the bytes it has, so malformed input raises
/// the reader's XX001 error and never reads out of bounds.

#include <cstdint>
#include <vector>

#include "common/vector.hpp"
#include "storage/file/binary.hpp"

namespace grizzly::storage {

/// Stored as one byte at the start of an encoded segment; never renumber.
enum class Encoding : uint8_t {
    Plain = 0,       ///< every value: fixed-width bytes, or string lengths (bit-packed) then bytes
    Constant = 1,    ///< one value for every row
    Rle = 2,         ///< run values, then bit-packed run lengths
    Dictionary = 3,  ///< distinct values, then bit-packed codes
    ForBitpack = 4,  ///< per 2048 values: minimum, bit width, packed offsets from the minimum (integer types)
};
inline constexpr uint8_t kEncodingCount = 5;

/// Lower-case name as reported by storage_info ("for_bitpack").
const char* EncodingName(Encoding encoding);

/// Encodes rows [0, count) of `values` (validity included) with the smallest
/// encoding that applies and appends them to `out`; returns the encoding used.
Encoding EncodeColumn(const Vector& values, idx_t count, BinaryWriter& out);

/// Encodes with `encoding` if it can represent the rows (Constant needs equal
/// values, ForBitpack an integer type); returns false and writes nothing
/// otherwise. For tests, and for comparing encodings.
bool EncodeColumnAs(const Vector& values, idx_t count, Encoding encoding, BinaryWriter& out);

/// Reads `count` rows of `type` written by EncodeColumn into `out`, which
/// must be a fresh vector of `type` with capacity for them; strings are copied
/// into `out`'s heap. Returns the encoding found. Raises r.Corrupt() (XX001) on
/// malformed bytes.
Encoding DecodeColumn(BinaryReader& r, LogicalType type, idx_t count, Vector& out);

/// The first `count` bits of `mask` (set = valid, or alive) as ceil(count / 64)
/// words, bits past `count` clear: how validity and deletion bitmaps are stored.
std::vector<uint64_t> BitmapWords(const ValidityMask& mask, idx_t count);
/// Reads BitmapWords' words for `count` rows into `mask` (materialized).
void ReadBitmap(BinaryReader& r, idx_t count, ValidityMask& mask);

}  // namespace grizzly::storage
