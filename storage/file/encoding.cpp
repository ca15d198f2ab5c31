#include "storage/file/encoding.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <string_view>
#include <vector>

#include "common/hash.hpp"

namespace grizzly::storage {

namespace {

// Bit-packed integer arrays are cut into blocks of one vector's rows, each with
// its own minimum and width: a sorted column then packs as tightly as its spread
// within 2048 rows allows (not within the whole row group), and blocks line up
// with zone maps.
constexpr idx_t kPackBlock = kVectorSize;
constexpr uint8_t kHasNulls = 1;

// How a physical type's values are handled: integers (bit-packable), doubles
// (compared and stored as their bits) and byte strings (VARCHAR, and INTERVAL
// as its 16 bytes, which keeps the rare interval column out of the fast paths).
enum class Kind : uint8_t { Int, Float, Bytes };

Kind KindOf(PhysicalType physical) {
    switch (physical) {
    case PhysicalType::Bool:
    case PhysicalType::Int32:
    case PhysicalType::Int64: return Kind::Int;
    case PhysicalType::Double: return Kind::Float;
    case PhysicalType::String:
    case PhysicalType::Interval: return Kind::Bytes;
    }
    return Kind::Bytes;
}

uint8_t BitWidth(uint64_t x) { return x == 0 ? 0 : static_cast<uint8_t>(64 - __builtin_clzll(x)); }

size_t PackedBytes(idx_t n, uint8_t width) { return (n * width + 63) / 64 * 8; }

/*----- bit packing: blocks of (minimum as int64, width, packed offsets from the minimum) -----*/

void WritePacked(BinaryWriter& w, const uint64_t* values, idx_t n) {
    for (idx_t start = 0; start < n; start += kPackBlock) {
        idx_t m = std::min(kPackBlock, n - start);
        const uint64_t* v = values + start;
        auto lo = static_cast<int64_t>(v[0]), hi = lo;
        for (idx_t i = 1; i < m; ++i) {
            auto x = static_cast<int64_t>(v[i]);
            lo = std::min(lo, x);
            hi = std::max(hi, x);
        }
        auto base = static_cast<uint64_t>(lo);
        uint8_t width = BitWidth(static_cast<uint64_t>(hi) - base);
        w.I64(lo);
        w.U8(width);
        if (width == 0) continue;
        std::string& out = w.Bytes();
        size_t at = out.size();
        out.resize(at + PackedBytes(m, width));
        char* dst = out.data() + at;
        uint64_t acc = 0;
        unsigned used = 0;
        for (idx_t i = 0; i < m; ++i) {
            uint64_t d = v[i] - base;
            acc |= d << used;
            used += width;
            if (used >= 64) {
                std::memcpy(dst, &acc, 8);
                dst += 8;
                used -= 64;
                // The bits of d that did not fit start the next word.
                acc = used ? d >> (width - used) : 0;
            }
        }
        if (used > 0) std::memcpy(dst, &acc, 8);
    }
}

void ReadPacked(BinaryReader& r, uint64_t* out, idx_t n) {
    for (idx_t start = 0; start < n; start += kPackBlock) {
        idx_t m = std::min(kPackBlock, n - start);
        auto base = static_cast<uint64_t>(r.I64());
        uint8_t width = r.U8();
        if (width > 64) throw r.Corrupt("bit width " + std::to_string(width) + " above 64");
        uint64_t* o = out + start;
        if (width == 0) {
            std::fill(o, o + m, base);
            continue;
        }
        const char* src = r.Take(PackedBytes(m, width));
        uint64_t mask = width == 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
        for (idx_t i = 0; i < m; ++i) {
            uint64_t bit = i * width;
            uint64_t word = bit >> 6;
            unsigned off = bit & 63;
            uint64_t lo;
            std::memcpy(&lo, src + word * 8, 8);
            uint64_t x = lo >> off;
            // Straddles two words; PackedBytes rounds up, so the second exists.
            if (off + width > 64) {
                uint64_t hi;
                std::memcpy(&hi, src + word * 8 + 8, 8);
                x |= hi << (64 - off);
            }
            o[i] = base + (x & mask);
        }
    }
}

/*----- byte strings: bit-packed lengths, then the bytes -----*/

void WriteStrings(BinaryWriter& w, const std::string_view* values, idx_t n) {
    std::vector<uint64_t> lengths(n);
    size_t total = 0;
    for (idx_t i = 0; i < n; ++i) total += lengths[i] = values[i].size();
    WritePacked(w, lengths.data(), n);
    std::string& out = w.Bytes();
    out.reserve(out.size() + total);
    for (idx_t i = 0; i < n; ++i) out.append(values[i]);
}

void ReadStrings(BinaryReader& r, std::string_view* out, idx_t n) {
    std::vector<uint64_t> lengths(n);
    ReadPacked(r, lengths.data(), n);
    uint64_t total = 0;
    for (uint64_t len : lengths) {
        if (len > UINT32_MAX) throw r.Corrupt("string length out of range");
        total += len;
    }
    const char* p = r.Take(total);
    for (idx_t i = 0; i < n; ++i) {
        out[i] = std::string_view(p, lengths[i]);
        p += lengths[i];
    }
}

/*----- one segment's values, ready for the encoders -----*/

struct Column {
    PhysicalType physical = PhysicalType::Int32;
    Kind kind = Kind::Int;
    uint32_t width = 0;
    idx_t count = 0;
    bool has_nulls = false;
    std::vector<uint64_t> validity;      ///< one bit per row, set = valid
    std::vector<uint64_t> nums;          ///< Int (sign-extended), Float (bits): every row, NULL rows filled
    std::vector<std::string_view> strs;  ///< Bytes: every row, NULL rows filled
    idx_t runs = 0;                      ///< maximal runs of equal values
};

uint64_t LoadNumber(PhysicalType physical, const uint8_t* p) {
    switch (physical) {
    case PhysicalType::Bool: return *p;
    case PhysicalType::Int32: {
        int32_t v;
        std::memcpy(&v, p, 4);
        return static_cast<uint64_t>(static_cast<int64_t>(v));
    }
    default: {
        uint64_t v;
        std::memcpy(&v, p, 8);
        return v;
    }
    }
}

Column Load(const Vector& v, idx_t count) {
    Column c;
    c.physical = v.Physical();
    c.kind = KindOf(c.physical);
    c.width = PhysicalSize(c.physical);
    c.count = count;
    c.validity = BitmapWords(v.Validity(), count);
    for (size_t w = 0; w < c.validity.size(); ++w) {
        uint64_t full = w + 1 == c.validity.size() && count % 64 ? (uint64_t(1) << (count % 64)) - 1 : ~uint64_t(0);
        c.has_nulls |= c.validity[w] != full;
    }
    auto valid = [&](idx_t row) { return (c.validity[row >> 6] >> (row & 63)) & 1; };
    idx_t first_valid = 0;
    while (first_valid < count && !valid(first_valid)) ++first_valid;
    const uint8_t* data = v.RawData();
    if (c.kind != Kind::Bytes) {
        c.nums.resize(count);
        uint64_t prev = first_valid < count ? LoadNumber(c.physical, data + first_valid * c.width) : 0;
        for (idx_t row = 0; row < count; ++row) {
            if (valid(row)) prev = LoadNumber(c.physical, data + row * c.width);
            c.nums[row] = prev;
            c.runs += row == 0 || prev != c.nums[row - 1];
        }
    } else {
        auto view = [&](idx_t row) {
            if (c.physical == PhysicalType::String) return v.Data<StringRef>()[row].View();
            return std::string_view(reinterpret_cast<const char*>(data + row * c.width), c.width);
        };
        c.strs.resize(count);
        // With no value at all, NULL rows still need a well-formed one: an interval is 16 bytes.
        static const char kZeros[sizeof(Interval)] = {};
        std::string_view none = c.physical == PhysicalType::Interval ? std::string_view(kZeros, sizeof(kZeros)) : "";
        std::string_view prev = first_valid < count ? view(first_valid) : none;
        for (idx_t row = 0; row < count; ++row) {
            if (valid(row)) prev = view(row);
            c.strs[row] = prev;
            c.runs += row == 0 || prev != c.strs[row - 1];
        }
    }
    return c;
}

/*----- dictionaries: distinct values in first-seen order and a code per row -----*/

uint64_t HashOf(uint64_t v) { return MixBits(v); }
uint64_t HashOf(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

// Gives up (returns false) past `limit` distinct values.
template <class T>
bool BuildDictionary(const std::vector<T>& values, size_t limit, std::vector<T>& entries, std::vector<uint64_t>& codes) {
    std::vector<uint32_t> slots(64, 0);  // code + 1; 0 = empty
    size_t mask = slots.size() - 1;
    entries.clear();
    codes.resize(values.size());
    for (size_t row = 0; row < values.size(); ++row) {
        const T& v = values[row];
        if (row > 0 && v == values[row - 1]) {  // runs need no lookup
            codes[row] = codes[row - 1];
            continue;
        }
        size_t s = HashOf(v) & mask;
        while (slots[s] != 0 && !(entries[slots[s] - 1] == v)) s = (s + 1) & mask;
        if (slots[s] != 0) {
            codes[row] = slots[s] - 1;
            continue;
        }
        if (entries.size() == limit) return false;
        entries.push_back(v);
        codes[row] = entries.size() - 1;
        slots[s] = static_cast<uint32_t>(entries.size());
        size_t n = entries.size();
        if (n * 2 > slots.size()) {
            slots.assign(slots.size() * 2, 0);
            mask = slots.size() - 1;
            for (size_t code = 0; code < n; ++code) {
                size_t t = HashOf(entries[code]) & mask;
                while (slots[t] != 0) t = (t + 1) & mask;
                slots[t] = static_cast<uint32_t>(code + 1);
            }
        }
    }
    return true;
}

// Integer dictionaries are sorted, so their entries bit-pack like a sorted column.
void SortDictionary(std::vector<uint64_t>& entries, std::vector<uint64_t>& codes) {
    std::vector<uint32_t> order(entries.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        return static_cast<int64_t>(entries[a]) < static_cast<int64_t>(entries[b]);
    });
    std::vector<uint64_t> sorted(entries.size()), rank(entries.size());
    for (size_t i = 0; i < order.size(); ++i) {
        sorted[i] = entries[order[i]];
        rank[order[i]] = i;
    }
    for (auto& code : codes) code = rank[code];
    entries = std::move(sorted);
}

/*----- encoders: the body after the segment header -----*/

// Values inside runs and dictionaries: integers bit-packed, doubles as their bits, strings as strings.
void WriteNumbers(BinaryWriter& w, Kind kind, const std::vector<uint64_t>& values) {
    if (kind == Kind::Int) {
        WritePacked(w, values.data(), values.size());
        return;
    }
    w.Raw(values.data(), values.size() * 8);
}

void WritePlain(BinaryWriter& w, const Column& c) {
    if (c.kind == Kind::Bytes) {
        WriteStrings(w, c.strs.data(), c.count);
        return;
    }
    std::string& out = w.Bytes();
    size_t at = out.size();
    out.resize(at + c.count * c.width);
    char* dst = out.data() + at;
    for (idx_t row = 0; row < c.count; ++row) std::memcpy(dst + row * c.width, &c.nums[row], c.width);
}

void WriteRle(BinaryWriter& w, const Column& c) {
    std::vector<uint64_t> lengths;
    lengths.reserve(c.runs);
    w.U32(static_cast<uint32_t>(c.runs));
    if (c.kind == Kind::Bytes) {
        std::vector<std::string_view> values;
        values.reserve(c.runs);
        for (idx_t row = 0; row < c.count; ++row) {
            if (row > 0 && c.strs[row] == c.strs[row - 1]) {
                ++lengths.back();
                continue;
            }
            values.push_back(c.strs[row]);
            lengths.push_back(1);
        }
        WriteStrings(w, values.data(), values.size());
    } else {
        std::vector<uint64_t> values;
        values.reserve(c.runs);
        for (idx_t row = 0; row < c.count; ++row) {
            if (row > 0 && c.nums[row] == c.nums[row - 1]) {
                ++lengths.back();
                continue;
            }
            values.push_back(c.nums[row]);
            lengths.push_back(1);
        }
        WriteNumbers(w, c.kind, values);
    }
    WritePacked(w, lengths.data(), lengths.size());
}

bool WriteDictionary(BinaryWriter& w, const Column& c, size_t limit) {
    std::vector<uint64_t> codes;
    if (c.kind == Kind::Bytes) {
        std::vector<std::string_view> entries;
        if (!BuildDictionary(c.strs, limit, entries, codes)) return false;
        w.U32(static_cast<uint32_t>(entries.size()));
        WriteStrings(w, entries.data(), entries.size());
    } else {
        std::vector<uint64_t> entries;
        if (!BuildDictionary(c.nums, limit, entries, codes)) return false;
        if (c.kind == Kind::Int) SortDictionary(entries, codes);
        w.U32(static_cast<uint32_t>(entries.size()));
        WriteNumbers(w, c.kind, entries);
    }
    WritePacked(w, codes.data(), codes.size());
    return true;
}

void WriteConstant(BinaryWriter& w, const Column& c) {
    if (c.kind == Kind::Bytes) w.Str(c.strs[0]);
    else w.U64(c.nums[0]);
}

bool WriteBody(BinaryWriter& w, const Column& c, Encoding encoding, size_t dictionary_limit) {
    switch (encoding) {
    case Encoding::Plain: WritePlain(w, c); return true;
    case Encoding::Constant:
        if (c.count == 0 || c.runs != 1) return false;
        WriteConstant(w, c);
        return true;
    case Encoding::Rle: WriteRle(w, c); return true;
    case Encoding::Dictionary: return WriteDictionary(w, c, dictionary_limit);
    case Encoding::ForBitpack:
        if (c.kind != Kind::Int) return false;
        WritePacked(w, c.nums.data(), c.count);
        return true;
    }
    return false;
}

void WriteHeader(BinaryWriter& w, Encoding encoding, const Column& c) {
    w.U8(static_cast<uint8_t>(encoding));
    w.U8(c.has_nulls ? kHasNulls : 0);
    if (c.has_nulls) w.Raw(c.validity.data(), c.validity.size() * 8);
}

/*----- decoders: each row's value as a number, or as a 16-byte cell (StringRef or Interval) -----*/

void ReadNumbers(BinaryReader& r, Kind kind, uint64_t* out, idx_t n) {
    if (kind == Kind::Int) {
        ReadPacked(r, out, n);
        return;
    }
    const char* src = r.Take(n * 8);
    if (n > 0) std::memcpy(out, src, n * 8);  // an empty vector's data() may be null
}

// A count of runs or dictionary entries: at least one and at most one per row.
idx_t ReadEntryCount(BinaryReader& r, idx_t count, const char* what) {
    uint32_t n = r.U32();
    if (n > count || (n == 0 && count > 0)) throw r.Corrupt(std::string(what) + " count out of range");
    return n;
}

void CheckRuns(BinaryReader& r, const std::vector<uint64_t>& lengths, idx_t count) {
    uint64_t total = 0;
    for (uint64_t len : lengths) {
        if (len == 0 || len > count - total) throw r.Corrupt("run lengths do not add up to the row count");
        total += len;
    }
    if (total != count) throw r.Corrupt("run lengths do not add up to the row count");
}

// Expands entries (of `size` bytes each) to rows by run lengths or by codes.
void ExpandRuns(const uint8_t* entries, size_t size, const std::vector<uint64_t>& lengths, uint8_t* out) {
    for (size_t run = 0; run < lengths.size(); ++run)
        for (uint64_t k = 0; k < lengths[run]; ++k, out += size) std::memcpy(out, entries + run * size, size);
}

void ExpandCodes(BinaryReader& r, const uint8_t* entries, size_t size, idx_t entry_count,
                 const std::vector<uint64_t>& codes, uint8_t* out) {
    for (uint64_t code : codes) {
        if (code >= entry_count) throw r.Corrupt("dictionary code out of range");
        std::memcpy(out, entries + code * size, size);
        out += size;
    }
}

void DecodeNumbers(BinaryReader& r, Encoding encoding, const Column& c, std::vector<uint64_t>& out) {
    idx_t count = c.count;
    switch (encoding) {
    case Encoding::Plain: {
        const char* src = r.Take(count * c.width);
        for (idx_t row = 0; row < count; ++row) {
            uint8_t bytes[8];
            std::memcpy(bytes, src + row * c.width, c.width);
            out[row] = LoadNumber(c.physical, bytes);
        }
        return;
    }
    case Encoding::Constant: std::fill(out.begin(), out.end(), r.U64()); return;
    case Encoding::Rle: {
        idx_t runs = ReadEntryCount(r, count, "run");
        std::vector<uint64_t> values(runs), lengths(runs);
        ReadNumbers(r, c.kind, values.data(), runs);
        ReadPacked(r, lengths.data(), runs);
        CheckRuns(r, lengths, count);
        ExpandRuns(reinterpret_cast<const uint8_t*>(values.data()), 8, lengths, reinterpret_cast<uint8_t*>(out.data()));
        return;
    }
    case Encoding::Dictionary: {
        idx_t n = ReadEntryCount(r, count, "dictionary entry");
        std::vector<uint64_t> entries(n), codes(count);
        ReadNumbers(r, c.kind, entries.data(), n);
        ReadPacked(r, codes.data(), count);
        ExpandCodes(r, reinterpret_cast<const uint8_t*>(entries.data()), 8, n, codes,
                    reinterpret_cast<uint8_t*>(out.data()));
        return;
    }
    case Encoding::ForBitpack:
        if (c.kind != Kind::Int) throw r.Corrupt("bit-packed values in a non-integer column");
        ReadPacked(r, out.data(), count);
        return;
    }
}

void StoreNumbers(const Column& c, const std::vector<uint64_t>& values, Vector& out) {
    uint8_t* dst = out.RawData();
    switch (c.physical) {
    case PhysicalType::Bool:
        for (idx_t row = 0; row < c.count; ++row) dst[row] = values[row] != 0;
        return;
    case PhysicalType::Int32:
        for (idx_t row = 0; row < c.count; ++row) {
            auto v = static_cast<int32_t>(values[row]);
            std::memcpy(dst + row * 4, &v, 4);
        }
        return;
    default:
        if (c.count > 0) std::memcpy(dst, values.data(), c.count * 8);
        return;
    }
}

// Turns decoded strings into 16-byte cells: StringRefs into `out`'s heap, or intervals.
void StoreCells(BinaryReader& r, const std::string_view* values, idx_t n, Vector& out, uint8_t* cells) {
    for (idx_t i = 0; i < n; ++i) {
        if (out.Physical() == PhysicalType::String) {
            StringRef s = out.AddString(values[i]);
            std::memcpy(cells + i * 16, &s, 16);
        } else {
            if (values[i].size() != sizeof(Interval)) throw r.Corrupt("interval value of the wrong size");
            std::memcpy(cells + i * 16, values[i].data(), 16);
        }
    }
}

void DecodeBytes(BinaryReader& r, Encoding encoding, const Column& c, Vector& out) {
    static_assert(sizeof(StringRef) == 16 && sizeof(Interval) == 16, "cells are 16 bytes");
    idx_t count = c.count;
    uint8_t* dst = out.RawData();
    switch (encoding) {
    case Encoding::Plain: {
        std::vector<std::string_view> values(count);
        ReadStrings(r, values.data(), count);
        StoreCells(r, values.data(), count, out, dst);
        return;
    }
    case Encoding::Constant: {
        uint32_t len = r.U32();
        std::string_view value(r.Take(len), len);
        uint8_t cell[16];
        StoreCells(r, &value, 1, out, cell);
        for (idx_t row = 0; row < count; ++row) std::memcpy(dst + row * 16, cell, 16);
        return;
    }
    case Encoding::Rle: {
        idx_t runs = ReadEntryCount(r, count, "run");
        std::vector<std::string_view> values(runs);
        std::vector<uint64_t> lengths(runs);
        ReadStrings(r, values.data(), runs);
        ReadPacked(r, lengths.data(), runs);
        CheckRuns(r, lengths, count);
        std::vector<uint8_t> cells(runs * 16);
        StoreCells(r, values.data(), runs, out, cells.data());
        ExpandRuns(cells.data(), 16, lengths, dst);
        return;
    }
    case Encoding::Dictionary: {
        idx_t n = ReadEntryCount(r, count, "dictionary entry");
        std::vector<std::string_view> entries(n);
        ReadStrings(r, entries.data(), n);
        std::vector<uint64_t> codes(count);
        ReadPacked(r, codes.data(), count);
        std::vector<uint8_t> cells(n * 16);
        StoreCells(r, entries.data(), n, out, cells.data());
        ExpandCodes(r, cells.data(), 16, n, codes, dst);
        return;
    }
    case Encoding::ForBitpack: throw r.Corrupt("bit-packed values in a non-integer column");
    }
}

}  // namespace

const char* EncodingName(Encoding encoding) {
    switch (encoding) {
    case Encoding::Plain: return "plain";
    case Encoding::Constant: return "constant";
    case Encoding::Rle: return "rle";
    case Encoding::Dictionary: return "dictionary";
    case Encoding::ForBitpack: return "for_bitpack";
    }
    return "unknown";
}

std::vector<uint64_t> BitmapWords(const ValidityMask& mask, idx_t count) {
    std::vector<uint64_t> words((count + 63) / 64, ~uint64_t(0));
    if (!mask.AllValid())
        for (size_t w = 0; w < words.size() && w < mask.WordCount(); ++w) words[w] = mask.Words()[w];
    if (count % 64) words.back() &= (uint64_t(1) << (count % 64)) - 1;
    return words;
}

void ReadBitmap(BinaryReader& r, idx_t count, ValidityMask& mask) {
    size_t words = (count + 63) / 64;
    const char* bits = r.Take(words * 8);
    mask.Materialize(count);
    std::memcpy(mask.Words(), bits, words * 8);
}

Encoding EncodeColumn(const Vector& values, idx_t count, BinaryWriter& out) {
    Column c = Load(values, count);
    if (count > 0 && c.runs == 1) {
        WriteHeader(out, Encoding::Constant, c);
        WriteConstant(out, c);
        return Encoding::Constant;
    }
    // Every candidate is written in full and the smallest kept: exact sizes, and
    // no size formulas that could drift from the writers. Plain goes first so
    // that it wins ties (it decodes fastest). A dictionary holding more than
    // half as many entries as rows saves little and costs a lot to build; runs
    // averaging under two rows never beat the alternatives.
    BinaryWriter best, scratch;
    Encoding best_encoding = Encoding::Plain;
    WritePlain(best, c);
    auto consider = [&](Encoding encoding) {
        scratch.Bytes().clear();
        if (!WriteBody(scratch, c, encoding, count / 2)) return;
        if (scratch.Size() < best.Size()) {
            std::swap(best, scratch);
            best_encoding = encoding;
        }
    };
    if (c.kind == Kind::Int) consider(Encoding::ForBitpack);
    if (c.runs <= count / 2) consider(Encoding::Rle);
    consider(Encoding::Dictionary);
    WriteHeader(out, best_encoding, c);
    out.Raw(best.Bytes().data(), best.Size());
    return best_encoding;
}

bool EncodeColumnAs(const Vector& values, idx_t count, Encoding encoding, BinaryWriter& out) {
    Column c = Load(values, count);
    BinaryWriter body;
    if (!WriteBody(body, c, encoding, count)) return false;
    WriteHeader(out, encoding, c);
    out.Raw(body.Bytes().data(), body.Size());
    return true;
}

Encoding DecodeColumn(BinaryReader& r, LogicalType type, idx_t count, Vector& out) {
    GZ_CHECK(out.Capacity() >= count && out.Physical() == type.Physical(), "decode target too small");
    uint8_t id = r.U8();
    if (id >= kEncodingCount) throw r.Corrupt("unknown column encoding " + std::to_string(id));
    auto encoding = static_cast<Encoding>(id);
    uint8_t flags = r.U8();
    if (flags & ~kHasNulls) throw r.Corrupt("unknown column segment flags");
    if (flags & kHasNulls) ReadBitmap(r, count, out.Validity());
    Column c;
    c.physical = type.Physical();
    c.kind = KindOf(c.physical);
    c.width = PhysicalSize(c.physical);
    c.count = count;
    if (c.kind == Kind::Bytes) {
        DecodeBytes(r, encoding, c, out);
    } else {
        std::vector<uint64_t> values(count);
        DecodeNumbers(r, encoding, c, values);
        StoreNumbers(c, values, out);
    }
    return encoding;
}

}  // namespace grizzly::storage
