#include "storage/file/segment.hpp"

#include <lz4.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace grizzly::storage {

namespace {

// Below this size compression does not pay for its header and time.
constexpr size_t kCompressMin = 256;
// zstd's fastest level: higher ones cost write time for a few percent.
constexpr int kZstdLevel = 1;
// lz4 output never exceeds its input by this factor (255 bytes per length byte,
// plus slack); a larger claimed size is corrupt and must not be allocated.
constexpr uint64_t kLz4MaxRatio = 256;

}  // namespace

const char* CodecName(Codec codec) {
    switch (codec) {
    case Codec::None: return "none";
    case Codec::Zstd: return "zstd";
    case Codec::Lz4: return "lz4";
    }
    return "unknown";
}

Codec ChooseCodec(size_t raw_size, size_t lz4_size, size_t zstd_size) {
    // A codec must save a tenth of the bytes to be worth decompressing; lz4
    // (several times faster to decode) wins unless zstd is over 5% smaller.
    size_t limit = raw_size - raw_size / 10;
    bool lz4_pays = lz4_size > 0 && lz4_size <= limit;
    bool zstd_pays = zstd_size > 0 && zstd_size <= limit;
    if (!lz4_pays && !zstd_pays) return Codec::None;
    return lz4_pays && (!zstd_pays || lz4_size * 100 <= zstd_size * 105) ? Codec::Lz4 : Codec::Zstd;
}

Codec WriteFrame(BinaryWriter& w, std::string_view raw) {
    if (raw.size() > UINT32_MAX)
        throw Error(SqlState::ProgramLimitExceeded,
                    "a column segment of " + std::to_string(raw.size()) + " bytes exceeds the 4 GiB frame limit");
    auto write_raw = [&] {
        w.U8(static_cast<uint8_t>(Codec::None));
        w.Str(raw);
        return Codec::None;
    };
    if (raw.size() < kCompressMin) return write_raw();
    // Output buffers are not zeroed: the codecs write every byte they report.
    std::unique_ptr<char[]> lz4;
    size_t lz4_size = 0;
    if (raw.size() <= LZ4_MAX_INPUT_SIZE) {
        int bound = LZ4_compressBound(static_cast<int>(raw.size()));
        lz4 = std::make_unique_for_overwrite<char[]>(static_cast<size_t>(bound));
        int n = LZ4_compress_default(raw.data(), lz4.get(), static_cast<int>(raw.size()), bound);
        lz4_size = n > 0 ? static_cast<size_t>(n) : 0;
    }
    size_t zstd_bound = ZSTD_compressBound(raw.size());
    auto zstd = std::make_unique_for_overwrite<char[]>(zstd_bound);
    size_t zstd_size = ZSTD_compress(zstd.get(), zstd_bound, raw.data(), raw.size(), kZstdLevel);
    if (ZSTD_isError(zstd_size)) zstd_size = 0;
    Codec codec = ChooseCodec(raw.size(), lz4_size, zstd_size);
    if (codec == Codec::None) return write_raw();
    w.U8(static_cast<uint8_t>(codec));
    w.U64(raw.size());
    w.Str(codec == Codec::Lz4 ? std::string_view(lz4.get(), lz4_size) : std::string_view(zstd.get(), zstd_size));
    return codec;
}

std::string ReadFrame(BinaryReader& r) {
    uint8_t id = r.U8();
    if (id == static_cast<uint8_t>(Codec::None)) return r.Str();
    if (id != static_cast<uint8_t>(Codec::Zstd) && id != static_cast<uint8_t>(Codec::Lz4))
        throw r.Corrupt("unknown compression " + std::to_string(id));
    uint64_t raw_size = r.U64();
    uint32_t packed_size = r.U32();
    const char* packed = r.Take(packed_size);
    if (raw_size > UINT32_MAX) throw r.Corrupt("implausible frame size");
    // Check the claimed size before allocating it.
    if (id == static_cast<uint8_t>(Codec::Lz4)) {
        if (raw_size > uint64_t(packed_size) * kLz4MaxRatio + 64) throw r.Corrupt("implausible frame size");
        std::string raw(raw_size, '\0');
        int n = LZ4_decompress_safe(packed, raw.data(), static_cast<int>(packed_size), static_cast<int>(raw_size));
        if (n < 0 || static_cast<uint64_t>(n) != raw_size) throw r.Corrupt("undecodable lz4 data");
        return raw;
    }
    if (ZSTD_getFrameContentSize(packed, packed_size) != raw_size) throw r.Corrupt("undecodable zstd data");
    std::string raw(raw_size, '\0');
    size_t n = ZSTD_decompress(raw.data(), raw.size(), packed, packed_size);
    if (ZSTD_isError(n) || n != raw_size) throw r.Corrupt("undecodable zstd data");
    return raw;
}

SegmentReport WriteColumnSegment(BinaryWriter& w, const ColumnChunk& chunk, idx_t count) {
    SegmentReport report;
    size_t start = w.Size();
    const uint8_t* data = chunk.data.data();
    std::vector<Zone> zones;
    if (chunk.zone_kind != ZoneKind::None) {
        for (idx_t row = 0; row < count; ++row) {
            if (chunk.null_count > 0 && !chunk.validity.RowIsValid(row)) continue;
            size_t z = row / kVectorSize;
            if (z >= zones.size()) zones.resize(z + 1);
            WidenZone(zones[z], chunk.zone_kind, chunk.width, data + row * chunk.width);
        }
    }
    w.U32(static_cast<uint32_t>(zones.size()));
    for (const Zone& zone : zones) {
        w.U8(zone.has_values);
        if (!zone.has_values) continue;
        w.Raw(&zone.min, 8);
        w.Raw(&zone.max, 8);
    }
    Vector values = Vector::Borrow(chunk.type, const_cast<uint8_t*>(data));
    if (chunk.null_count > 0) values.Validity() = chunk.validity;
    BinaryWriter encoded;
    report.encoding = EncodeColumn(values, count, encoded);
    report.encoded_bytes = encoded.Size();
    report.codec = WriteFrame(w, encoded.Bytes());
    report.stored_bytes = w.Size() - start;
    if (chunk.type.Physical() == PhysicalType::String) {
        const auto* s = reinterpret_cast<const StringRef*>(data);
        for (idx_t row = 0; row < count; ++row)
            report.plain_bytes += 4 + (chunk.validity.RowIsValid(row) ? s[row].Size() : 0);
    } else {
        report.plain_bytes = count * chunk.width;
    }
    return report;
}

ColumnSegment ReadColumnSegment(BinaryReader& r, LogicalType type, idx_t count, const std::string& what) {
    ColumnSegment segment;
    uint32_t zone_count = r.U32();
    if (zone_count > (count + kVectorSize - 1) / kVectorSize || (zone_count > 0 && ZoneKindOf(type) == ZoneKind::None))
        throw r.Corrupt("zone map count out of range");
    segment.zones.resize(zone_count);
    for (Zone& zone : segment.zones) {
        uint8_t has_values = r.U8();
        if (has_values > 1) throw r.Corrupt("bad zone map");
        zone.has_values = has_values != 0;
        if (!zone.has_values) continue;
        std::memcpy(&zone.min, r.Take(8), 8);
        std::memcpy(&zone.max, r.Take(8), 8);
    }
    std::string bytes = ReadFrame(r);
    BinaryReader values(bytes, what);
    segment.values = Vector(type, std::max<idx_t>(count, 1));
    DecodeColumn(values, type, count, segment.values);
    if (!values.AtEnd()) throw values.Corrupt("trailing bytes after a column segment");
    return segment;
}

}  // namespace grizzly::storage
