#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "common/value.hpp"

using grizzly::Interval;
using grizzly::LogicalType;
using grizzly::TypeId;
using grizzly::Value;

TEST_CASE("value: NULL prints as NULL whatever its type") {
    CHECK(Value().IsNull());
    CHECK(Value().ToString() == "NULL");
    Value typed = Value::Null(TypeId::Integer);
    CHECK(typed.IsNull());
    CHECK(typed.Type().id == TypeId::Integer);
    CHECK(typed.ToString() == "NULL");
    CHECK(typed.ToSqlLiteral() == "NULL");
}

TEST_CASE("value: integers print as plain decimals") {
    CHECK(Value::Integer(42).ToString() == "42");
    CHECK(Value::Integer(-7).ToString() == "-7");
    CHECK(Value::BigInt(std::numeric_limits<int64_t>::min()).ToString() == "-9223372036854775808");
    CHECK(Value::BigInt(std::numeric_limits<int64_t>::max()).ToString() == "9223372036854775807");
    CHECK(Value::FromInt(TypeId::SmallInt, 300).ToString() == "300");
}

TEST_CASE("value: booleans print as true and false") {
    CHECK(Value::Boolean(true).ToString() == "true");
    CHECK(Value::Boolean(false).ToString() == "false");
    CHECK(Value::Boolean(true).GetBool());
}

TEST_CASE("value: doubles print as the shortest text that reads back") {
    CHECK(Value::Double(0.1).ToString() == "0.1");
    CHECK(Value::Double(2.5).ToString() == "2.5");
    CHECK(Value::Double(-3.0).ToString() == "-3");
    CHECK(Value::Double(1e20).ToString() == "1e+20");
    CHECK(Value::Double(std::numeric_limits<double>::infinity()).ToString() == "Infinity");
    CHECK(Value::Double(-std::numeric_limits<double>::infinity()).ToString() == "-Infinity");
    CHECK(Value::Double(std::nan("")).ToString() == "NaN");
}

TEST_CASE("value: decimals print with exactly their scale") {
    CHECK(Value::Decimal(12345, 10, 2).ToString() == "123.45");
    CHECK(Value::Decimal(-5, 5, 3).ToString() == "-0.005");
    CHECK(Value::Decimal(100, 5, 0).ToString() == "100");
    CHECK(Value::Decimal(0, 5, 2).ToString() == "0.00");
    Value v = Value::Decimal(150, 15, 2);
    CHECK(v.Type() == LogicalType::Decimal(15, 2));
    CHECK(v.GetInt64() == 150);
}

TEST_CASE("value: strings print as is and quote as SQL literals") {
    CHECK(Value::Varchar("hello world").ToString() == "hello world");
    CHECK(Value::Varchar("").ToString().empty());
    CHECK(Value::Varchar("it's").ToSqlLiteral() == "'it''s'");
}

TEST_CASE("value: dates timestamps and intervals print in ISO form") {
    CHECK(Value::Date(0).ToString() == "1970-01-01");
    CHECK(Value::Date(19782).ToString() == "2024-02-29");
    CHECK(Value::Date(0).ToSqlLiteral() == "DATE '1970-01-01'");
    CHECK(Value::Timestamp(86400LL * 1000000 + 1500000).ToString() == "1970-01-02 00:00:01.5");
    CHECK(Value::Timestamp(0).ToString() == "1970-01-01 00:00:00");
    CHECK(Value::FromInterval(Interval{14, 3, 3600LL * 1000000}).ToString() == "1 year 2 mons 3 days 01:00:00");
    CHECK(Value::FromInterval(Interval{}).ToString() == "00:00:00");
}

TEST_CASE("value: equality compares type and value") {
    CHECK(Value::Integer(1) == Value::Integer(1));
    CHECK_FALSE(Value::Integer(1) == Value::Integer(2));
    CHECK_FALSE(Value::Integer(1) == Value::BigInt(1));
    CHECK(Value::Null(TypeId::Integer) == Value::Null(TypeId::Integer));
    CHECK_FALSE(Value::Null(TypeId::Integer) == Value::Integer(0));
    CHECK(Value::Varchar("a") == Value::Varchar("a"));
    CHECK(Value::Decimal(100, 5, 2) == Value::Decimal(100, 5, 2));
    CHECK_FALSE(Value::Decimal(100, 5, 2) == Value::Decimal(100, 5, 1));
}
