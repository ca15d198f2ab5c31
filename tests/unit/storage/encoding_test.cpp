// Tests for storage/file/encoding.cpp: every encoding round-trips every
// physical type (extremes, NaN, empty strings, NULLs), the encoder picks the
// expected encoding for shaped data, and malformed bytes raise XX001.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "storage/file/encoding.hpp"

using namespace grizzly;
using storage::BinaryReader;
using storage::BinaryWriter;
using storage::Encoding;

namespace {

const std::vector<Encoding> kAllEncodings = {Encoding::Plain, Encoding::Constant, Encoding::Rle, Encoding::Dictionary,
                                             Encoding::ForBitpack};

/// A vector of `type` holding `values` (std::nullopt is NULL).
Vector MakeVector(LogicalType type, const std::vector<std::optional<Value>>& values) {
    Vector v(type, std::max<size_t>(values.size(), 1));
    for (size_t row = 0; row < values.size(); ++row) v.SetValue(row, values[row] ? *values[row] : Value::Null(type));
    return v;
}

/// Rows equal bit for bit (so NaN equals NaN), NULLs in the same places.
void CheckSameRows(const Vector& expected, const Vector& actual, idx_t count) {
    uint32_t width = PhysicalSize(expected.Physical());
    for (idx_t row = 0; row < count; ++row) {
        INFO("row " << row);
        bool valid = expected.Validity().RowIsValid(row);
        REQUIRE(actual.Validity().RowIsValid(row) == valid);
        if (!valid) continue;
        if (expected.Physical() == PhysicalType::String) {
            REQUIRE(actual.Data<StringRef>()[row].View() == expected.Data<StringRef>()[row].View());
        } else {
            REQUIRE(std::memcmp(actual.RawData() + row * width, expected.RawData() + row * width, width) == 0);
        }
    }
}

Vector Decode(const std::string& bytes, LogicalType type, idx_t count, Encoding* found = nullptr) {
    BinaryReader r(bytes, "test segment");
    Vector out(type, std::max<idx_t>(count, 1));
    Encoding e = storage::DecodeColumn(r, type, count, out);
    REQUIRE(r.AtEnd());
    if (found) *found = e;
    return out;
}

/// Encodes with the encoder's own choice, decodes, compares; returns the choice.
Encoding RoundTrip(const Vector& v, idx_t count) {
    BinaryWriter w;
    Encoding chosen = storage::EncodeColumn(v, count, w);
    Encoding found;
    Vector back = Decode(w.Bytes(), v.Type(), count, &found);
    CHECK(found == chosen);
    CheckSameRows(v, back, count);
    return chosen;
}

/// Round-trips with every encoding that can represent the rows; returns how many could.
int RoundTripEveryEncoding(const Vector& v, idx_t count) {
    int applied = 0;
    for (Encoding e : kAllEncodings) {
        INFO("encoding " << storage::EncodingName(e));
        BinaryWriter w;
        if (!storage::EncodeColumnAs(v, count, e, w)) continue;
        ++applied;
        Encoding found;
        Vector back = Decode(w.Bytes(), v.Type(), count, &found);
        CHECK(found == e);
        CheckSameRows(v, back, count);
    }
    RoundTrip(v, count);
    return applied;
}

/// `n` values from `make(row)`, with NULL at rows where `null_at(row)`.
template <class Make, class NullAt>
std::vector<std::optional<Value>> Rows(idx_t n, Make make, NullAt null_at) {
    std::vector<std::optional<Value>> out;
    for (idx_t row = 0; row < n; ++row)
        out.push_back(null_at(row) ? std::nullopt : std::optional<Value>(make(row)));
    return out;
}

auto NoNulls = [](idx_t) { return false; };

// An error with SQLSTATE XX001.
void CheckCorrupt(const std::string& bytes, LogicalType type, idx_t count) {
    BinaryReader r(bytes, "test segment");
    Vector out(type, std::max<idx_t>(count, 1));
    try {
        storage::DecodeColumn(r, type, count, out);
        FAIL("decoding succeeded");
    } catch (const Error& e) {
        CHECK(e.State() == SqlState::DataCorrupted);
    }
}

// Decoding either succeeds or raises XX001; nothing else (and, under ASan, no bad access).
void DecodeOrCorrupt(const std::string& bytes, LogicalType type, idx_t count) {
    BinaryReader r(bytes, "test segment");
    Vector out(type, std::max<idx_t>(count, 1));
    try {
        storage::DecodeColumn(r, type, count, out);
    } catch (const Error& e) {
        REQUIRE(e.State() == SqlState::DataCorrupted);
    }
}

/// Value generators for each type, from a row index and a random source.
struct TypeCase {
    const char* name;
    LogicalType type;
    std::function<Value(std::mt19937_64&)> random;
    std::vector<Value> extremes;
};

int64_t Uniform(std::mt19937_64& rng, int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

double UniformReal(std::mt19937_64& rng, double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

std::vector<TypeCase> TypeCases() {
    const LogicalType tiny(TypeId::TinyInt), small(TypeId::SmallInt), real(TypeId::Real),
        dec = LogicalType::Decimal(15, 2);
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const int64_t big_decimal = 999999999999999;
    std::vector<TypeCase> cases;
    cases.push_back({"TINYINT", tiny, [=](auto& rng) { return Value::FromInt(tiny, Uniform(rng, -128, 127)); },
                     {Value::FromInt(tiny, -128), Value::FromInt(tiny, 127), Value::FromInt(tiny, 0)}});
    cases.push_back({"SMALLINT", small, [=](auto& rng) { return Value::FromInt(small, Uniform(rng, -32768, 32767)); },
                     {Value::FromInt(small, -32768), Value::FromInt(small, 32767)}});
    cases.push_back({"INTEGER", LogicalType(TypeId::Integer),
                     [](auto& rng) { return Value::Integer(static_cast<int32_t>(Uniform(rng, INT32_MIN, INT32_MAX))); },
                     {Value::Integer(INT32_MIN), Value::Integer(INT32_MAX), Value::Integer(-1), Value::Integer(0)}});
    cases.push_back({"BIGINT", LogicalType(TypeId::BigInt),
                     [](auto& rng) { return Value::BigInt(Uniform(rng, INT64_MIN, INT64_MAX)); },
                     {Value::BigInt(INT64_MIN), Value::BigInt(INT64_MAX), Value::BigInt(-1), Value::BigInt(0)}});
    cases.push_back({"DATE", LogicalType(TypeId::Date),
                     [](auto& rng) { return Value::Date(static_cast<int32_t>(Uniform(rng, -800000, 800000))); },
                     {Value::Date(-719528), Value::Date(2932896)}});
    cases.push_back({"TIMESTAMP", LogicalType(TypeId::Timestamp),
                     [](auto& rng) { return Value::Timestamp(Uniform(rng, -(int64_t(1) << 50), int64_t(1) << 50)); },
                     {Value::Timestamp(INT64_MIN + 1), Value::Timestamp(INT64_MAX)}});
    cases.push_back({"DECIMAL", dec,
                     [=](auto& rng) { return Value::Decimal(Uniform(rng, -big_decimal, big_decimal), 15, 2); },
                     {Value::Decimal(-big_decimal, 15, 2), Value::Decimal(big_decimal, 15, 2)}});
    cases.push_back({"DOUBLE", LogicalType(TypeId::Double),
                     [](auto& rng) { return Value::Double(UniformReal(rng, -1e9, 1e9)); },
                     {Value::Double(nan), Value::Double(-0.0), Value::Double(inf), Value::Double(-inf),
                      Value::Double(std::numeric_limits<double>::denorm_min()),
                      Value::Double(std::numeric_limits<double>::max())}});
    cases.push_back({"REAL", real, [=](auto& rng) { return Value::FromDouble(real, UniformReal(rng, -1, 1)); },
                     {Value::FromDouble(real, nan), Value::FromDouble(real, 0.5)}});
    cases.push_back({"BOOLEAN", LogicalType(TypeId::Boolean), [](auto& rng) { return Value::Boolean(rng() & 1); },
                     {Value::Boolean(true), Value::Boolean(false)}});
    cases.push_back({"VARCHAR", LogicalType(TypeId::Varchar),
                     [](auto& rng) {
                         std::string s(rng() % 40, 'x');
                         for (char& c : s) c = static_cast<char>('a' + rng() % 26);
                         return Value::Varchar(s);
                     },
                     {Value::Varchar(""), Value::Varchar(std::string("nul\0byte", 8)),
                      Value::Varchar(std::string(5000, 'L')), Value::Varchar("twelve bytes"),
                      Value::Varchar("thirteen byte")}});
    cases.push_back({"INTERVAL", LogicalType(TypeId::Interval),
                     [](auto& rng) {
                         return Value::FromInterval({static_cast<int32_t>(Uniform(rng, -100, 100)),
                                                     static_cast<int32_t>(Uniform(rng, -100, 100)),
                                                     Uniform(rng, -1000000, 1000000)});
                     },
                     {Value::FromInterval({INT32_MIN, INT32_MAX, INT64_MIN}), Value::FromInterval({0, 0, 0})}});
    return cases;
}

}  // namespace

TEST_CASE("encoding: every encoding round-trips every type, shape and NULL pattern") {
    std::mt19937_64 rng(20240611);
    for (const TypeCase& tc : TypeCases()) {
        INFO("type " << tc.name);
        std::vector<Value> pool = tc.extremes;
        for (int i = 0; i < 8; ++i) pool.push_back(tc.random(rng));
        auto random = [&](idx_t) { return tc.random(rng); };
        auto few = [&](idx_t row) { return pool[(row * 7919) % pool.size()]; };
        auto runs = [&](idx_t row) { return pool[(row / 100) % pool.size()]; };
        auto extremes = [&](idx_t row) { return tc.extremes[row % tc.extremes.size()]; };
        auto constant = [&](idx_t) { return tc.extremes[0]; };
        auto some_nulls = [](idx_t row) { return row % 7 == 3; };
        auto all_nulls = [](idx_t) { return true; };
        auto leading_nulls = [](idx_t row) { return row < 70; };
        for (idx_t n : std::vector<idx_t>{0, 1, 2, 63, 64, 65, kVectorSize, 5000}) {
            INFO("rows " << n);
            CHECK(RoundTripEveryEncoding(MakeVector(tc.type, Rows(n, random, NoNulls)), n) >= 3);
            RoundTripEveryEncoding(MakeVector(tc.type, Rows(n, few, NoNulls)), n);
            RoundTripEveryEncoding(MakeVector(tc.type, Rows(n, runs, some_nulls)), n);
            RoundTripEveryEncoding(MakeVector(tc.type, Rows(n, extremes, some_nulls)), n);
            RoundTripEveryEncoding(MakeVector(tc.type, Rows(n, constant, NoNulls)), n);
            RoundTripEveryEncoding(MakeVector(tc.type, Rows(n, random, leading_nulls)), n);
            RoundTripEveryEncoding(MakeVector(tc.type, Rows(n, random, all_nulls)), n);
        }
    }
}

TEST_CASE("encoding: the smallest encoding is chosen for shaped data") {
    const LogicalType integer(TypeId::Integer), big(TypeId::BigInt), varchar(TypeId::Varchar), dbl(TypeId::Double);
    const idx_t n = kVectorSize;
    std::mt19937_64 rng(7);
    // `n` rows of `type` from make(row), NULL where null_at(row).
    auto column = [&](LogicalType type, auto make, auto null_at) { return MakeVector(type, Rows(n, make, null_at)); };
    SUBCASE("sorted integers are bit-packed from a per-block minimum") {
        auto v = column(integer, [](idx_t row) { return Value::Integer(1000000 + static_cast<int32_t>(row) * 3); },
                        NoNulls);
        CHECK(RoundTrip(v, n) == Encoding::ForBitpack);
        BinaryWriter w;
        storage::EncodeColumn(v, n, w);
        CHECK(w.Size() < n * 2);  // 13 bits a row instead of 32
    }
    SUBCASE("negative BIGINTs near the minimum are bit-packed too") {
        auto v = column(big, [&](idx_t) { return Value::BigInt(INT64_MIN + static_cast<int64_t>(rng() % 1000)); },
                        NoNulls);
        CHECK(RoundTrip(v, n) == Encoding::ForBitpack);
    }
    SUBCASE("few distinct strings become a dictionary") {
        const char* words[] = {"MAIL", "SHIP", "AIR", "RAIL", "TRUCK", "REG AIR", "FOB"};
        auto v = column(varchar, [&](idx_t) { return Value::Varchar(words[rng() % 7]); }, NoNulls);
        CHECK(RoundTrip(v, n) == Encoding::Dictionary);
    }
    SUBCASE("few distinct doubles become a dictionary") {
        auto v = column(dbl, [&](idx_t) { return Value::Double(0.01 * static_cast<double>(rng() % 11)); }, NoNulls);
        CHECK(RoundTrip(v, n) == Encoding::Dictionary);
    }
    SUBCASE("long runs become run-length pairs") {
        auto v = column(varchar, [](idx_t row) { return Value::Varchar("status " + std::to_string(row / 500)); },
                        NoNulls);
        CHECK(RoundTrip(v, n) == Encoding::Rle);
        auto ints = column(big, [](idx_t row) { return Value::BigInt(static_cast<int64_t>(row / 300) * 1000003); },
                           NoNulls);
        CHECK(RoundTrip(ints, n) == Encoding::Rle);
    }
    SUBCASE("equal values, NULLs aside, are one constant") {
        auto v = column(varchar, [](idx_t) { return Value::Varchar("same"); }, [](idx_t row) { return row % 5 == 0; });
        CHECK(RoundTrip(v, n) == Encoding::Constant);
        auto nulls = column(integer, [](idx_t) { return Value::Integer(1); }, [](idx_t) { return true; });
        CHECK(RoundTrip(nulls, n) == Encoding::Constant);
        auto one = MakeVector(dbl, {Value::Double(std::nan(""))});
        CHECK(RoundTrip(one, 1) == Encoding::Constant);
    }
    SUBCASE("random doubles and distinct strings stay plain") {
        auto v = column(dbl, [&](idx_t) { return Value::Double(UniformReal(rng, 0, 1)); }, NoNulls);
        CHECK(RoundTrip(v, n) == Encoding::Plain);
        auto s = column(varchar, [&](idx_t row) { return Value::Varchar(std::to_string(rng()) + std::to_string(row)); },
                        NoNulls);
        CHECK(RoundTrip(s, n) == Encoding::Plain);
    }
    SUBCASE("the validity bitmap costs a bit a row, and nothing without NULLs") {
        auto five = [](idx_t) { return Value::Integer(5); };
        auto with = column(integer, five, [](idx_t row) { return row == 17; });
        auto without = column(integer, five, NoNulls);
        BinaryWriter a, b;
        storage::EncodeColumn(with, n, a);
        storage::EncodeColumn(without, n, b);
        CHECK(a.Size() == b.Size() + n / 8);
    }
}

TEST_CASE("encoding: truncated and damaged segments raise XX001, never read out of bounds") {
    std::mt19937_64 rng(99);
    for (const TypeCase& tc : TypeCases()) {
        INFO("type " << tc.name);
        std::vector<Value> pool = tc.extremes;
        for (int i = 0; i < 4; ++i) pool.push_back(tc.random(rng));
        const idx_t n = 300;
        auto v = MakeVector(tc.type, Rows(n, [&](idx_t row) { return pool[(row / 3) % pool.size()]; },
                                          [](idx_t row) { return row % 11 == 0; }));
        for (Encoding e : kAllEncodings) {
            INFO("encoding " << storage::EncodingName(e));
            BinaryWriter w;
            if (!storage::EncodeColumnAs(v, n, e, w)) continue;
            const std::string& bytes = w.Bytes();
            // Every position near the start (headers, widths, counts), then sparser.
            auto next = [](size_t at) { return at + 1 + at / 64; };
            for (size_t len = 0; len < bytes.size(); len = next(len)) CheckCorrupt(bytes.substr(0, len), tc.type, n);
            CheckCorrupt(bytes.substr(0, bytes.size() - 1), tc.type, n);
            for (size_t at = 0; at < bytes.size(); at = next(at)) {
                for (uint8_t flip : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xff)}) {
                    std::string damaged = bytes;
                    damaged[at] = static_cast<char>(damaged[at] ^ flip);
                    DecodeOrCorrupt(damaged, tc.type, n);
                }
            }
        }
    }
}

TEST_CASE("encoding: each malformed field is named as corrupt") {
    const LogicalType integer(TypeId::Integer), dbl(TypeId::Double), varchar(TypeId::Varchar);
    auto header = [](BinaryWriter& w, Encoding e) {
        w.U8(static_cast<uint8_t>(e));
        w.U8(0);
    };
    auto packed_constant = [](BinaryWriter& w, int64_t value) {  // one block, width 0
        w.I64(value);
        w.U8(0);
    };
    auto fails_with = [](const BinaryWriter& w, LogicalType type, idx_t count, const std::string& part) {
        BinaryReader r(w.Bytes(), "test segment");
        Vector out(type, count);
        try {
            storage::DecodeColumn(r, type, count, out);
            FAIL("decoding succeeded");
        } catch (const Error& e) {
            CHECK(e.State() == SqlState::DataCorrupted);
            INFO(e.Message());
            CHECK(e.Message().find(part) != std::string::npos);
        }
    };
    SUBCASE("unknown encoding and flags") {
        BinaryWriter w;
        w.U8(storage::kEncodingCount);
        w.U8(0);
        fails_with(w, integer, 4, "unknown column encoding");
        BinaryWriter f;
        f.U8(0);
        f.U8(2);
        fails_with(f, integer, 4, "flags");
    }
    SUBCASE("bit width above 64") {
        BinaryWriter w;
        header(w, Encoding::ForBitpack);
        w.I64(0);
        w.U8(65);
        w.Raw(std::string(1024, '\xff').data(), 1024);
        fails_with(w, integer, 4, "bit width 65");
    }
    SUBCASE("bit-packing a type that is not an integer") {
        BinaryWriter w;
        header(w, Encoding::ForBitpack);
        packed_constant(w, 0);
        fails_with(w, dbl, 4, "non-integer");
        fails_with(w, varchar, 4, "non-integer");
    }
    SUBCASE("dictionary code out of range") {
        BinaryWriter w;
        header(w, Encoding::Dictionary);
        w.U32(1);
        packed_constant(w, 42);  // the entry
        packed_constant(w, 1);   // every code 1, past the one entry
        fails_with(w, integer, 4, "dictionary code out of range");
    }
    SUBCASE("more dictionary entries than rows, or none") {
        BinaryWriter w;
        header(w, Encoding::Dictionary);
        w.U32(1000000000);
        fails_with(w, integer, 4, "dictionary entry count");
        BinaryWriter z;
        header(z, Encoding::Dictionary);
        z.U32(0);
        fails_with(z, integer, 4, "dictionary entry count");
    }
    SUBCASE("run lengths past the row count, zero, or short of it") {
        for (int64_t len : {5, 0, 3}) {
            BinaryWriter w;
            header(w, Encoding::Rle);
            w.U32(1);
            packed_constant(w, 7);    // the run's value
            packed_constant(w, len);  // its length
            fails_with(w, integer, 4, "run lengths");
        }
        BinaryWriter big;
        header(big, Encoding::Rle);
        big.U32(2);
        packed_constant(big, 7);
        big.I64(INT64_MAX);  // two runs of 2^63 - 1 rows: the sum must not wrap
        big.U8(0);
        fails_with(big, integer, 4, "run lengths");
    }
    SUBCASE("string lengths beyond the bytes") {
        BinaryWriter w;
        header(w, Encoding::Plain);
        packed_constant(w, int64_t(1) << 40);
        fails_with(w, varchar, 2, "string length");
        BinaryWriter t;
        header(t, Encoding::Plain);
        packed_constant(t, 100);
        t.Raw("short", 5);
        fails_with(t, varchar, 2, "truncated");
    }
    SUBCASE("an interval of the wrong size") {
        BinaryWriter w;
        header(w, Encoding::Constant);
        w.Str("0123456789");
        fails_with(w, LogicalType(TypeId::Interval), 2, "interval");
    }
}
