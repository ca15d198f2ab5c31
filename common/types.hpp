#pragma once
/// SQL types (logical) and their in-memory representation (physical). One
/// physical layout per logical type, shared by storage, the interpreter and
/// generated code.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace grizzly {

using idx_t = uint64_t;
using row_t = int64_t;

/// Rows per vector processed by the interpreter.
inline constexpr uint32_t kVectorSize = 2048;

enum class TypeId : uint8_t {
    Null,  ///< the type of an untyped NULL literal; becomes a real type by casting
    Boolean,
    TinyInt,
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Decimal,
    Varchar,
    Date,
    Timestamp,
    Interval,
};

/// In-memory layout of one value. TINYINT, SMALLINT, INTEGER and DATE are 32-bit;
/// BIGINT, TIMESTAMP and DECIMAL (precision ≤ 18, scaled) are 64-bit; REAL and
/// DOUBLE are IEEE doubles; VARCHAR is the 16-byte StringRef.
enum class PhysicalType : uint8_t { Bool, Int32, Int64, Double, String, Interval };

struct LogicalType {
    TypeId id = TypeId::Null;
    uint8_t width = 0;  ///< DECIMAL precision; VARCHAR length limit (0 = none, capped at 255 here)
    uint8_t scale = 0;  ///< DECIMAL scale

    constexpr LogicalType() = default;
    constexpr LogicalType(TypeId type_id, uint8_t w = 0, uint8_t s = 0) : id(type_id), width(w), scale(s) {}

    static constexpr LogicalType Decimal(uint8_t precision, uint8_t decimal_scale) {
        return LogicalType(TypeId::Decimal, precision, decimal_scale);
    }

    PhysicalType Physical() const;
    bool IsNumeric() const;
    bool IsInteger() const;
    /// SQL spelling, e.g. "INTEGER", "DECIMAL(15,2)".
    std::string ToString() const;

    bool operator==(const LogicalType& other) const {
        return id == other.id && (id != TypeId::Decimal || (width == other.width && scale == other.scale));
    }
    bool operator!=(const LogicalType& other) const { return !(*this == other); }
};

inline constexpr uint8_t kMaxDecimalWidth = 18;

/// Maps a type name with modifiers ("int4", "varchar"(8), "numeric"(15,2)) to a
/// type. Returns false when the name is unknown.
bool LookupTypeName(std::string_view name, int mod_count, const int* mods, LogicalType& out);

/// True when the bytes of a `from` value are already a valid `to` value (a cast
/// that changes nothing, e.g. SMALLINT to INTEGER): both executors skip it.
bool IsBinaryCompatible(const LogicalType& from, const LogicalType& to);

/// The range of an integer type (TINYINT, SMALLINT, INTEGER; BIGINT otherwise):
/// both executors check overflow against it.
void IntegerBounds(TypeId id, int64_t& lo, int64_t& hi);

/// Size in bytes of one value of `type`.
uint32_t PhysicalSize(PhysicalType type);

/// A span of months, days and microseconds (PostgreSQL's interval).
struct Interval {
    int32_t months = 0;
    int32_t days = 0;
    int64_t micros = 0;
    bool operator==(const Interval& o) const { return months == o.months && days == o.days && micros == o.micros; }
};

/// The 16-byte string layout: length, 4-byte prefix, then either the rest of
/// the bytes inline (strings of at most 12 bytes) or a pointer to the bytes.
/// The pointed-to bytes are owned by a StringHeap that outlives the reference.
struct StringRef {
    static constexpr uint32_t kInlineLength = 12;

    uint32_t length;
    char prefix[4];
    union {
        char inlined[8];
        const char* ptr;
    } rest;

    StringRef() : length(0), prefix{0, 0, 0, 0} { rest.ptr = nullptr; }
    /// Views `data`; the bytes must outlive this reference unless inline.
    StringRef(const char* data, uint32_t len) : length(len) {
        std::memset(prefix, 0, sizeof(prefix));
        rest.ptr = nullptr;
        if (len <= kInlineLength) {
            std::memset(rest.inlined, 0, sizeof(rest.inlined));
            std::memcpy(prefix, data, len < 4 ? len : 4);
            if (len > 4) std::memcpy(rest.inlined, data + 4, len - 4);
        } else {
            std::memcpy(prefix, data, 4);
            rest.ptr = data;
        }
    }
    bool IsInlined() const { return length <= kInlineLength; }
    const char* Data() const { return IsInlined() ? prefix : rest.ptr; }
    uint32_t Size() const { return length; }
    std::string_view View() const { return {Data(), length}; }
    std::string Str() const { return std::string(Data(), length); }

    bool operator==(const StringRef& other) const {
        if (length != other.length || std::memcmp(prefix, other.prefix, 4) != 0) return false;
        if (IsInlined()) return std::memcmp(rest.inlined, other.rest.inlined, 8) == 0;
        return std::memcmp(rest.ptr, other.rest.ptr, length) == 0;
    }
    /// Byte-wise three-way comparison (C collation).
    int Compare(const StringRef& other) const {
        int c = std::memcmp(prefix, other.prefix, 4);
        if (c != 0) return c;
        uint32_t min_len = length < other.length ? length : other.length;
        c = std::memcmp(Data(), other.Data(), min_len);
        if (c != 0) return c;
        return length < other.length ? -1 : (length > other.length ? 1 : 0);
    }
};
static_assert(sizeof(StringRef) == 16, "StringRef must stay 16 bytes: generated code relies on it");

}  // namespace grizzly
