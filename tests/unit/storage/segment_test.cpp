// Tests for storage/file/segment.cpp: the codec rule, compressed frames and
// their malformed forms, and column segments with their zone maps.
#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <string>

#include "storage/file/segment.hpp"

using namespace grizzly;
using storage::BinaryReader;
using storage::BinaryWriter;
using storage::Codec;

namespace {

std::string RoundTripFrame(const std::string& raw, Codec* codec) {
    BinaryWriter w;
    *codec = storage::WriteFrame(w, raw);
    BinaryReader r(w.Bytes(), "test frame");
    std::string back = storage::ReadFrame(r);
    CHECK(r.AtEnd());
    return back;
}

void FrameFails(const BinaryWriter& w, const std::string& part) {
    BinaryReader r(w.Bytes(), "test frame");
    try {
        storage::ReadFrame(r);
        FAIL("reading the frame succeeded");
    } catch (const Error& e) {
        CHECK(e.State() == SqlState::DataCorrupted);
        INFO(e.Message());
        CHECK(e.Message().find(part) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("segment: a codec is used only when it saves a tenth, and lz4 unless zstd is over 5% smaller") {
    CHECK(storage::ChooseCodec(1000, 950, 920) == Codec::None);
    CHECK(storage::ChooseCodec(1000, 0, 0) == Codec::None);
    CHECK(storage::ChooseCodec(1000, 900, 950) == Codec::Lz4);
    CHECK(storage::ChooseCodec(1000, 950, 900) == Codec::Zstd);
    CHECK(storage::ChooseCodec(1000, 500, 480) == Codec::Lz4);
    CHECK(storage::ChooseCodec(1000, 500, 470) == Codec::Zstd);
    CHECK(storage::ChooseCodec(1000, 0, 470) == Codec::Zstd);
}

TEST_CASE("segment: frames round-trip raw, lz4 and zstd bytes") {
    Codec codec;
    CHECK(RoundTripFrame("short", &codec) == "short");
    CHECK(codec == Codec::None);
    std::mt19937_64 rng(3);
    std::string noise(100000, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    CHECK(RoundTripFrame(noise, &codec) == noise);
    CHECK(codec == Codec::None);
    std::string text;
    for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i % 97) + " of a fairly repetitive text; ";
    CHECK(RoundTripFrame(text, &codec) == text);
    CHECK(codec != Codec::None);
    // Words drawn at random: lz4 finds the words but zstd's entropy coding wins clearly.
    const char* words[] = {"carefully", "final", "deposits", "sleep", "quickly", "among", "the", "ironic", "foxes"};
    std::string prose;
    for (int i = 0; i < 20000; ++i) prose += std::string(words[rng() % 9]) + " ";
    CHECK(RoundTripFrame(prose, &codec) == prose);
    CHECK(codec == Codec::Zstd);
}

TEST_CASE("segment: malformed frames raise XX001 before allocating what they claim") {
    std::string text(10000, 'a');
    SUBCASE("unknown codec") {
        BinaryWriter w;
        w.U8(9);
        FrameFails(w, "unknown compression");
    }
    SUBCASE("an lz4 frame claiming far more bytes than it could hold") {
        BinaryWriter w;
        w.U8(static_cast<uint8_t>(Codec::Lz4));
        w.U64(uint64_t(1) << 31);
        w.Str("abc");
        FrameFails(w, "implausible frame size");
    }
    SUBCASE("a frame claiming more than 4 GiB") {
        BinaryWriter w;
        w.U8(static_cast<uint8_t>(Codec::Zstd));
        w.U64(uint64_t(1) << 40);
        w.Str("abc");
        FrameFails(w, "implausible frame size");
    }
    SUBCASE("a zstd frame whose size disagrees with its header") {
        BinaryWriter good;
        REQUIRE(storage::WriteFrame(good, std::string(100000, 'z') + "tail") == Codec::Zstd);
        std::string bytes = good.Bytes();
        uint64_t wrong = 100005;
        std::memcpy(bytes.data() + 1, &wrong, 8);
        BinaryWriter w;
        w.Raw(bytes.data(), bytes.size());
        FrameFails(w, "undecodable zstd data");
    }
    SUBCASE("damaged compressed bytes") {
        for (size_t at = 13; at < 40; ++at) {
            for (const std::string& raw : {text + "lz4", std::string()}) {
                BinaryWriter w;
                Codec codec = storage::WriteFrame(w, raw.empty() ? text : raw);
                if (codec == Codec::None || at >= w.Size()) continue;
                std::string bytes = w.Bytes();
                bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
                BinaryReader r(bytes, "test frame");
                try {
                    storage::ReadFrame(r);
                } catch (const Error& e) {
                    CHECK(e.State() == SqlState::DataCorrupted);
                }
            }
        }
    }
    SUBCASE("truncated") {
        BinaryWriter good;
        storage::WriteFrame(good, text);
        for (size_t len = 0; len < good.Size(); ++len) {
            BinaryWriter w;
            w.Raw(good.Bytes().data(), len);
            FrameFails(w, "");
        }
    }
}

TEST_CASE("segment: a column segment carries its values and zone maps, and reports its sizes") {
    const LogicalType integer(TypeId::Integer);
    storage::ColumnChunk chunk(integer);
    const idx_t n = 3 * kVectorSize + 10;
    chunk.data.resize(n * 4);
    for (idx_t row = 0; row < n; ++row) {
        if (row >= kVectorSize && row < 2 * kVectorSize) {
            chunk.validity.SetInvalid(row);
            ++chunk.null_count;
            continue;
        }
        auto v = static_cast<int32_t>(row * 5) - 7000;
        std::memcpy(chunk.data.data() + row * 4, &v, 4);
        chunk.Observe(row, chunk.data.data() + row * 4);
    }
    BinaryWriter w;
    storage::SegmentReport report = storage::WriteColumnSegment(w, chunk, n);
    CHECK(report.encoding == storage::Encoding::ForBitpack);
    CHECK(report.stored_bytes == w.Size());
    CHECK(report.plain_bytes == n * 4);
    CHECK(report.encoded_bytes < n * 2);
    BinaryReader r(w.Bytes(), "test segment");
    storage::ColumnSegment segment = storage::ReadColumnSegment(r, integer, n, "test column");
    CHECK(r.AtEnd());
    REQUIRE(segment.zones.size() == 4);
    for (size_t z = 0; z < 4; ++z) {
        CHECK(segment.zones[z].has_values == chunk.zones[z].has_values);
        CHECK(segment.zones[z].min.i == chunk.zones[z].min.i);
        CHECK(segment.zones[z].max.i == chunk.zones[z].max.i);
    }
    CHECK_FALSE(segment.zones[1].has_values);
    for (idx_t row = 0; row < n; ++row) {
        bool valid = chunk.validity.RowIsValid(row);
        REQUIRE(segment.values.Validity().RowIsValid(row) == valid);
        if (valid) REQUIRE(std::memcmp(segment.values.RawData() + row * 4, chunk.data.data() + row * 4, 4) == 0);
    }
    SUBCASE("more zones than vectors is corrupt") {
        BinaryWriter bad;
        bad.U32(5);
        BinaryReader br(bad.Bytes(), "test segment");
        try {
            storage::ReadColumnSegment(br, integer, n, "test column");
            FAIL("read");
        } catch (const Error& e) {
            CHECK(e.State() == SqlState::DataCorrupted);
        }
    }
}
