#include "common/value.hpp"

#include "common/datetime.hpp"

namespace grizzly {

Value Value::Null(LogicalType type) {
    Value v;
    v.type_ = type;
    return v;
}

Value Value::FromInt(LogicalType type, int64_t raw) {
    Value v;
    v.type_ = type;
    v.is_null_ = false;
    v.i64_ = raw;
    return v;
}

Value Value::Boolean(bool b) { return FromInt(TypeId::Boolean, b ? 1 : 0); }
Value Value::Integer(int32_t i) { return FromInt(TypeId::Integer, i); }
Value Value::BigInt(int64_t i) { return FromInt(TypeId::BigInt, i); }
Value Value::Decimal(int64_t unscaled, uint8_t width, uint8_t scale) {
    return FromInt(LogicalType::Decimal(width, scale), unscaled);
}
Value Value::Date(int32_t days) { return FromInt(TypeId::Date, days); }
Value Value::Timestamp(int64_t micros) { return FromInt(TypeId::Timestamp, micros); }

Value Value::Double(double d) {
    Value v;
    v.type_ = TypeId::Double;
    v.is_null_ = false;
    v.dbl_ = d;
    return v;
}

Value Value::FromDouble(LogicalType type, double d) {
    Value v = Double(d);
    v.type_ = type;
    return v;
}

Value Value::Varchar(std::string s) {
    Value v;
    v.type_ = TypeId::Varchar;
    v.is_null_ = false;
    v.str_ = std::move(s);
    return v;
}

Value Value::FromInterval(Interval iv) {
    Value v;
    v.type_ = TypeId::Interval;
    v.is_null_ = false;
    v.interval_ = iv;
    return v;
}

std::string Value::ToString() const {
    if (is_null_) return "NULL";
    switch (type_.id) {
    case TypeId::Null: return "NULL";
    case TypeId::Boolean: return i64_ ? "true" : "false";
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt: return std::to_string(i64_);
    case TypeId::Real:
    case TypeId::Double: return FormatDouble(dbl_);
    case TypeId::Decimal: return FormatDecimal(i64_, type_.scale);
    case TypeId::Varchar: return str_;
    case TypeId::Date: return FormatDate(static_cast<int32_t>(i64_));
    case TypeId::Timestamp: return FormatTimestamp(i64_);
    case TypeId::Interval: return FormatInterval(interval_);
    }
    return "?";
}

std::string Value::ToSqlLiteral() const {
    if (is_null_) return "NULL";
    switch (type_.id) {
    case TypeId::Varchar: {
        std::string out = "'";
        for (char c : str_) {
            if (c == '\'') out += '\'';
            out += c;
        }
        return out + "'";
    }
    case TypeId::Date: return "DATE '" + ToString() + "'";
    case TypeId::Timestamp: return "TIMESTAMP '" + ToString() + "'";
    case TypeId::Interval: return "INTERVAL '" + ToString() + "'";
    default: return ToString();
    }
}

bool Value::operator==(const Value& other) const {
    if (type_ != other.type_ || is_null_ != other.is_null_) return false;
    if (is_null_) return true;
    switch (type_.Physical()) {
    case PhysicalType::Double: return dbl_ == other.dbl_;
    case PhysicalType::String: return str_ == other.str_;
    case PhysicalType::Interval: return interval_ == other.interval_;
    default: return i64_ == other.i64_;
    }
}

}  // namespace grizzly
