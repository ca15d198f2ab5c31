#include "common/types.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>

namespace grizzly {

PhysicalType LogicalType::Physical() const {
    switch (id) {
    case TypeId::Boolean: return PhysicalType::Bool;
    case TypeId::Null:
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::Date: return PhysicalType::Int32;
    case TypeId::BigInt:
    case TypeId::Timestamp:
    case TypeId::Decimal: return PhysicalType::Int64;
    case TypeId::Real:
    case TypeId::Double: return PhysicalType::Double;
    case TypeId::Varchar: return PhysicalType::String;
    case TypeId::Interval: return PhysicalType::Interval;
    }
    return PhysicalType::Int32;
}

bool LogicalType::IsInteger() const {
    return id == TypeId::TinyInt || id == TypeId::SmallInt || id == TypeId::Integer || id == TypeId::BigInt;
}

bool LogicalType::IsNumeric() const {
    return IsInteger() || id == TypeId::Real || id == TypeId::Double || id == TypeId::Decimal;
}

std::string LogicalType::ToString() const {
    switch (id) {
    case TypeId::Null: return "NULL";
    case TypeId::Boolean: return "BOOLEAN";
    case TypeId::TinyInt: return "TINYINT";
    case TypeId::SmallInt: return "SMALLINT";
    case TypeId::Integer: return "INTEGER";
    case TypeId::BigInt: return "BIGINT";
    case TypeId::Real: return "REAL";
    case TypeId::Double: return "DOUBLE";
    case TypeId::Decimal: return "DECIMAL(" + std::to_string(width) + "," + std::to_string(scale) + ")";
    case TypeId::Varchar: return width ? "VARCHAR(" + std::to_string(width) + ")" : "VARCHAR";
    case TypeId::Date: return "DATE";
    case TypeId::Timestamp: return "TIMESTAMP";
    case TypeId::Interval: return "INTERVAL";
    }
    return "?";
}

uint32_t PhysicalSize(PhysicalType type) {
    switch (type) {
    case PhysicalType::Bool: return 1;
    case PhysicalType::Int32: return 4;
    case PhysicalType::Int64: return 8;
    case PhysicalType::Double: return 8;
    case PhysicalType::String: return sizeof(StringRef);
    case PhysicalType::Interval: return sizeof(Interval);
    }
    return 8;
}

bool IsBinaryCompatible(const LogicalType& from, const LogicalType& to) {
    if (from.Physical() != to.Physical()) return false;
    if (from.id == TypeId::Decimal || to.id == TypeId::Decimal)
        return from.id == to.id && from.scale == to.scale && (to.width == 0 || to.width >= from.width);
    if (from.id == to.id) return true;
    auto rank = [](TypeId id) {
        switch (id) {
        case TypeId::TinyInt: return 1;
        case TypeId::SmallInt: return 2;
        case TypeId::Integer: return 3;
        default: return 0;
        }
    };
    if (rank(from.id) && rank(to.id)) return rank(from.id) <= rank(to.id);
    return (from.id == TypeId::Real || from.id == TypeId::Double) && (to.id == TypeId::Real || to.id == TypeId::Double);
}

void IntegerBounds(TypeId id, int64_t& lo, int64_t& hi) {
    switch (id) {
    case TypeId::TinyInt: lo = -128, hi = 127; return;
    case TypeId::SmallInt: lo = -32768, hi = 32767; return;
    case TypeId::Integer:
        lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
        return;
    default: lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max(); return;
    }
}

bool LookupTypeName(std::string_view name, int mod_count, const int* mods, LogicalType& out) {
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    auto is = [&](std::initializer_list<const char*> names) {
        return std::any_of(names.begin(), names.end(), [&](const char* s) { return n == s; });
    };
    if (is({"boolean", "bool", "logical"})) out = TypeId::Boolean;
    else if (is({"tinyint", "int1"})) out = TypeId::TinyInt;
    else if (is({"smallint", "int2", "short"})) out = TypeId::SmallInt;
    else if (is({"integer", "int", "int4", "signed", "mediumint"})) out = TypeId::Integer;
    else if (is({"bigint", "int8", "long"})) out = TypeId::BigInt;
    else if (is({"real", "float4"})) out = TypeId::Real;
    else if (is({"double", "float8", "float", "double precision"})) out = TypeId::Double;
    else if (is({"decimal", "numeric", "dec"})) {
        int precision = mod_count > 0 ? mods[0] : kMaxDecimalWidth;
        int scale = mod_count > 1 ? mods[1] : (mod_count > 0 ? 0 : 3);
        if (precision < 1 || precision > kMaxDecimalWidth || scale < 0 || scale > precision) return false;
        out = LogicalType::Decimal(static_cast<uint8_t>(precision), static_cast<uint8_t>(scale));
        return true;
    } else if (is({"varchar", "text", "string", "char", "character", "character varying", "bpchar", "nvarchar",
                   "nchar", "clob"})) {
        out = TypeId::Varchar;
        return true;  // length limits are accepted and not enforced, as in SQLite and DuckDB
    } else if (is({"date"})) out = TypeId::Date;
    else if (is({"timestamp", "datetime", "timestamp without time zone"})) out = TypeId::Timestamp;
    else if (is({"interval"})) out = TypeId::Interval;
    else return false;
    return true;
}

}  // namespace grizzly
