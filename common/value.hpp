#pragma once
/// A single boxed SQL value. Used for constants in plans, parameters and the
/// rows handed out by the public API — never inside a hot loop.

#include <string>

#include "common/types.hpp"

namespace grizzly {

class Value {
public:
    /// An untyped NULL.
    Value() = default;
    static Value Null(LogicalType type = TypeId::Null);
    static Value Boolean(bool v);
    static Value Integer(int32_t v);
    static Value BigInt(int64_t v);
    static Value Double(double v);
    /// A REAL or DOUBLE value.
    static Value FromDouble(LogicalType type, double v);
    /// `unscaled` holds the value times 10^scale.
    static Value Decimal(int64_t unscaled, uint8_t width, uint8_t scale);
    static Value Varchar(std::string v);
    static Value Date(int32_t days);
    static Value Timestamp(int64_t micros);
    static Value FromInterval(Interval v);
    /// A value of a 32- or 64-bit integer-backed type from its raw representation.
    static Value FromInt(LogicalType type, int64_t raw);

    const LogicalType& Type() const { return type_; }
    bool IsNull() const { return is_null_; }

    bool GetBool() const { return i64_ != 0; }
    int32_t GetInt32() const { return static_cast<int32_t>(i64_); }
    /// Raw integer representation (integers, dates, timestamps, unscaled decimals).
    int64_t GetInt64() const { return i64_; }
    double GetDouble() const { return dbl_; }
    const std::string& GetString() const { return str_; }
    Interval GetInterval() const { return interval_; }

    /// Text form as PostgreSQL prints it ("t"/"f" become "true"/"false").
    std::string ToString() const;
    /// SQL literal form, quoted where needed (for EXPLAIN and shape keys).
    std::string ToSqlLiteral() const;

    /// Structural equality (same type and same value, NULL equals NULL).
    bool operator==(const Value& other) const;

private:
    LogicalType type_;
    bool is_null_ = true;
    int64_t i64_ = 0;
    double dbl_ = 0;
    Interval interval_;
    std::string str_;
};

}  // namespace grizzly
