#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "runtime/functions/functions.hpp"

using grizzly::Error;
using grizzly::Interval;
using grizzly::LogicalType;
using grizzly::StringRef;
using grizzly::TypeId;
using grizzly::Value;
using grizzly::Vector;
using grizzly::ir::CompareOp;
using grizzly::ir::ScalarFunctionId;
using grizzly::runtime::CastValue;
using grizzly::runtime::CastVector;
using grizzly::runtime::CompareValues;
using grizzly::runtime::CompareVectors;
using grizzly::runtime::ExecuteScalarFunction;
using grizzly::runtime::ExtractResultType;
using grizzly::runtime::LikeMatch;
using grizzly::runtime::Rows;

namespace {

const LogicalType kInt(TypeId::Integer);
const LogicalType kSmallInt(TypeId::SmallInt);
const LogicalType kTinyInt(TypeId::TinyInt);
const LogicalType kBigInt(TypeId::BigInt);
const LogicalType kDouble(TypeId::Double);
const LogicalType kVarchar(TypeId::Varchar);
const LogicalType kBool(TypeId::Boolean);
const LogicalType kDate(TypeId::Date);
const LogicalType kTimestamp(TypeId::Timestamp);
const LogicalType kInterval(TypeId::Interval);

Vector Make(LogicalType type, std::initializer_list<Value> values) {
    Vector v(type, values.size() ? values.size() : 1);
    size_t row = 0;
    for (const Value& value : values) v.SetValue(row++, value);
    return v;
}

Value I(int32_t v) { return Value::Integer(v); }
Value B(int64_t v) { return Value::BigInt(v); }
Value D(double v) { return Value::Double(v); }
Value S(const std::string& v) { return Value::Varchar(v); }
Value Dec(int64_t unscaled, uint8_t scale, uint8_t width = 18) { return Value::Decimal(unscaled, width, scale); }
Value Null() { return Value(); }
Value DateV(const std::string& text) { return CastValue(S(text), kDate); }
Value TsV(const std::string& text) { return CastValue(S(text), kTimestamp); }
Value IvV(const std::string& text) { return CastValue(S(text), kInterval); }

/// Runs a function over dense rows 0..n-1 and returns the result vector.
Vector Call(ScalarFunctionId id, LogicalType result_type, std::vector<const Vector*> args, size_t rows = 0) {
    if (rows == 0) rows = args.empty() ? 1 : args[0]->Capacity();
    Vector result(result_type, rows);
    ExecuteScalarFunction(id, args.data(), args.size(), Rows{nullptr, rows}, result);
    return result;
}

/// One-row call over constants, result as text ("NULL" for NULL).
std::string Eval(ScalarFunctionId id, LogicalType result_type, std::initializer_list<std::pair<LogicalType, Value>> args) {
    std::vector<Vector> vectors;
    vectors.reserve(args.size());
    for (auto& [type, value] : args) vectors.push_back(Make(type, {value}));
    std::vector<const Vector*> ptrs;
    for (auto& v : vectors) ptrs.push_back(&v);
    Vector result = Call(id, result_type, ptrs, 1);
    return result.GetValue(0).ToString();
}

/// The SQLSTATE a callable raises, or "none".
template <class F>
std::string StateOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.Code();
    }
    return "none";
}

std::string Cast(const Value& v, LogicalType target) { return CastValue(v, target).ToString(); }

}  // namespace

// ---- arithmetic ----------------------------------------------------------------

TEST_CASE("functions: integer arithmetic and PostgreSQL division") {
    CHECK(Eval(ScalarFunctionId::Add, kInt, {{kInt, I(2)}, {kInt, I(3)}}) == "5");
    CHECK(Eval(ScalarFunctionId::Subtract, kBigInt, {{kBigInt, B(2)}, {kBigInt, B(10)}}) == "-8");
    CHECK(Eval(ScalarFunctionId::Multiply, kInt, {{kInt, I(-4)}, {kInt, I(6)}}) == "-24");
    CHECK(Eval(ScalarFunctionId::Divide, kInt, {{kInt, I(-7)}, {kInt, I(2)}}) == "-3");
    CHECK(Eval(ScalarFunctionId::Divide, kInt, {{kInt, I(7)}, {kInt, I(-2)}}) == "-3");
    CHECK(Eval(ScalarFunctionId::IntDivide, kBigInt, {{kBigInt, B(-7)}, {kBigInt, B(2)}}) == "-3");
    CHECK(Eval(ScalarFunctionId::Modulo, kInt, {{kInt, I(-7)}, {kInt, I(2)}}) == "-1");
    CHECK(Eval(ScalarFunctionId::Mod, kInt, {{kInt, I(7)}, {kInt, I(-3)}}) == "1");
    CHECK(Eval(ScalarFunctionId::Modulo, kInt, {{kInt, I(INT32_MIN)}, {kInt, I(-1)}}) == "0");
    CHECK(Eval(ScalarFunctionId::Divide, kDouble, {{kDouble, D(1)}, {kDouble, D(4)}}) == "0.25");
    CHECK(Eval(ScalarFunctionId::Negate, kInt, {{kInt, I(5)}}) == "-5");
    CHECK(Eval(ScalarFunctionId::Abs, kBigInt, {{kBigInt, B(-5)}}) == "5");
}

TEST_CASE("functions: integer overflow is an error named after the result type") {
    auto add = [](LogicalType type, int64_t a, int64_t b) {
        Vector x = Make(type, {Value::FromInt(type, a)});
        Vector y = Make(type, {Value::FromInt(type, b)});
        return Call(ScalarFunctionId::Add, type, {&x, &y});
    };
    CHECK(StateOf([&] { add(kInt, INT32_MAX, 1); }) == "22003");
    CHECK(StateOf([&] { add(kSmallInt, 32767, 1); }) == "22003");
    CHECK(StateOf([&] { add(kTinyInt, 100, 100); }) == "22003");
    CHECK(StateOf([&] { add(kBigInt, INT64_MAX, 1); }) == "22003");
    CHECK(add(kSmallInt, 32766, 1).GetValue(0).ToString() == "32767");
    try {
        add(kSmallInt, 32767, 1);
    } catch (const Error& e) {
        CHECK(e.Message() == "smallint out of range");
    }
    try {
        add(kInt, INT32_MIN, -1);
    } catch (const Error& e) {
        CHECK(e.Message() == "integer out of range");
    }
    CHECK(StateOf([] { Eval(ScalarFunctionId::Multiply, kBigInt, {{kBigInt, B(INT64_MAX / 2)}, {kBigInt, B(3)}}); }) ==
          "22003");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Divide, kInt, {{kInt, I(INT32_MIN)}, {kInt, I(-1)}}); }) == "22003");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Divide, kBigInt, {{kBigInt, B(INT64_MIN)}, {kBigInt, B(-1)}}); }) ==
          "22003");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Negate, kInt, {{kInt, I(INT32_MIN)}}); }) == "22003");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Abs, kBigInt, {{kBigInt, B(INT64_MIN)}}); }) == "22003");
    CHECK(StateOf([] {
              Eval(ScalarFunctionId::Negate, kTinyInt, {{kTinyInt, Value::FromInt(kTinyInt, -128)}});
          }) == "22003");
}

TEST_CASE("functions: division and modulo by zero") {
    CHECK(StateOf([] { Eval(ScalarFunctionId::Divide, kInt, {{kInt, I(1)}, {kInt, I(0)}}); }) == "22012");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Modulo, kBigInt, {{kBigInt, B(1)}, {kBigInt, B(0)}}); }) == "22012");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Divide, kDouble, {{kDouble, D(1)}, {kDouble, D(0)}}); }) == "22012");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Modulo, kDouble, {{kDouble, D(1)}, {kDouble, D(0)}}); }) == "22012");
    const LogicalType dec = LogicalType::Decimal(18, 2);
    CHECK(StateOf([&] { Eval(ScalarFunctionId::Modulo, dec, {{dec, Dec(100, 2)}, {dec, Dec(0, 2)}}); }) == "22012");
    try {
        Eval(ScalarFunctionId::Divide, kInt, {{kInt, I(1)}, {kInt, I(0)}});
    } catch (const Error& e) {
        CHECK(e.Message() == "division by zero");
    }
}

TEST_CASE("functions: double overflow and underflow are errors") {
    CHECK(StateOf([] { Eval(ScalarFunctionId::Multiply, kDouble, {{kDouble, D(1e308)}, {kDouble, D(10)}}); }) ==
          "22003");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Multiply, kDouble, {{kDouble, D(1e-308)}, {kDouble, D(1e-308)}}); }) ==
          "22003");
    // Infinity in, infinity out is not an overflow.
    CHECK(Eval(ScalarFunctionId::Add, kDouble, {{kDouble, D(INFINITY)}, {kDouble, D(1)}}) == "Infinity");
}

TEST_CASE("functions: decimal arithmetic keeps exact scale") {
    const LogicalType d2 = LogicalType::Decimal(18, 2);
    const LogicalType d1 = LogicalType::Decimal(18, 1);
    const LogicalType d3 = LogicalType::Decimal(18, 3);
    CHECK(Eval(ScalarFunctionId::Add, d2, {{d2, Dec(150, 2)}, {d2, Dec(275, 2)}}) == "4.25");
    CHECK(Eval(ScalarFunctionId::Subtract, d2, {{d2, Dec(150, 2)}, {d2, Dec(275, 2)}}) == "-1.25");
    CHECK(Eval(ScalarFunctionId::Multiply, d3, {{d2, Dec(150, 2)}, {d1, Dec(25, 1)}}) == "3.750");
    CHECK(Eval(ScalarFunctionId::Modulo, d2, {{d2, Dec(700, 2)}, {d2, Dec(250, 2)}}) == "2.00");
    CHECK(Eval(ScalarFunctionId::Negate, d2, {{d2, Dec(150, 2)}}) == "-1.50");
    CHECK(Eval(ScalarFunctionId::Abs, d2, {{d2, Dec(-150, 2)}}) == "1.50");
    // Past 18 digits is numeric overflow.
    const int64_t big = 999999999999999999LL;
    CHECK(StateOf([&] { Eval(ScalarFunctionId::Add, d2, {{d2, Dec(big, 2)}, {d2, Dec(1, 2)}}); }) == "22003");
    CHECK(StateOf([&] { Eval(ScalarFunctionId::Multiply, d3, {{d2, Dec(big, 2)}, {d1, Dec(20, 1)}}); }) == "22003");
    try {
        Eval(ScalarFunctionId::Add, d2, {{d2, Dec(big, 2)}, {d2, Dec(1, 2)}});
    } catch (const Error& e) {
        CHECK(e.Message() == "numeric out of range");
    }
}

TEST_CASE("functions: bit operators and shifts") {
    CHECK(Eval(ScalarFunctionId::BitAnd, kInt, {{kInt, I(12)}, {kInt, I(10)}}) == "8");
    CHECK(Eval(ScalarFunctionId::BitOr, kInt, {{kInt, I(12)}, {kInt, I(10)}}) == "14");
    CHECK(Eval(ScalarFunctionId::BitXor, kBigInt, {{kBigInt, B(12)}, {kBigInt, B(10)}}) == "6");
    CHECK(Eval(ScalarFunctionId::BitNot, kInt, {{kInt, I(0)}}) == "-1");
    CHECK(Eval(ScalarFunctionId::ShiftLeft, kInt, {{kInt, I(1)}, {kInt, I(4)}}) == "16");
    CHECK(Eval(ScalarFunctionId::ShiftRight, kBigInt, {{kBigInt, B(-16)}, {kInt, I(2)}}) == "-4");
    CHECK(Eval(ScalarFunctionId::ShiftLeft, kBigInt, {{kBigInt, B(1)}, {kInt, I(40)}}) == "1099511627776");
}

// ---- NULLs and selections -----------------------------------------------------------

TEST_CASE("functions: NULL propagation and selection vectors") {
    Vector a = Make(kInt, {I(1), Null(), I(3), I(4), I(5)});
    Vector b = Make(kInt, {I(10), I(20), Null(), I(0), I(50)});
    SUBCASE("dense rows") {
        Vector zero = Make(kInt, {I(1), I(1), I(1), I(1), I(1)});
        Vector result = Call(ScalarFunctionId::Add, kInt, {&a, &b});
        CHECK(result.GetValue(0).ToString() == "11");
        CHECK(result.GetValue(1).IsNull());
        CHECK(result.GetValue(2).IsNull());
        CHECK(result.GetValue(3).ToString() == "4");
        CHECK(result.GetValue(4).ToString() == "55");
    }
    SUBCASE("a zero divisor in an unselected row is never evaluated") {
        const uint32_t sel[] = {0, 2, 4};
        Vector result(kInt, 5);
        for (int i = 0; i < 5; ++i) result.Data<int32_t>()[i] = -99;
        const Vector* args[] = {&a, &b};
        ExecuteScalarFunction(ScalarFunctionId::Divide, args, 2, Rows{sel, 3}, result);
        CHECK(result.GetValue(0).ToString() == "0");
        CHECK(result.GetValue(2).IsNull());
        CHECK(result.GetValue(4).ToString() == "0");
        // Positions outside the selection are left untouched.
        CHECK(result.Data<int32_t>()[1] == -99);
        CHECK(result.Data<int32_t>()[3] == -99);
        CHECK(result.Validity().RowIsValid(3));
    }
    SUBCASE("a zero divisor in a NULL row is not an error") {
        Vector x = Make(kInt, {I(1), Null()});
        Vector y = Make(kInt, {I(1), I(0)});
        y.Validity().SetInvalid(1);  // garbage under a NULL must not raise
        Vector result = Call(ScalarFunctionId::Divide, kInt, {&x, &y});
        CHECK(result.GetValue(0).ToString() == "1");
        CHECK(result.GetValue(1).IsNull());
    }
    SUBCASE("the selected error row raises") {
        const uint32_t sel[] = {3};
        Vector result(kInt, 5);
        const Vector* args[] = {&a, &b};
        CHECK(StateOf([&] { ExecuteScalarFunction(ScalarFunctionId::Divide, args, 2, Rows{sel, 1}, result); }) ==
              "22012");
    }
    SUBCASE("strings with NULLs and a selection") {
        Vector s = Make(kVarchar, {S("abc"), Null(), S("a much longer string value")});
        Vector t = Make(kVarchar, {S("x"), S("y"), S("!")});
        const uint32_t sel[] = {1, 2};
        Vector result(kVarchar, 3);
        const Vector* args[] = {&s, &t};
        ExecuteScalarFunction(ScalarFunctionId::Concat, args, 2, Rows{sel, 2}, result);
        CHECK(result.GetValue(1).IsNull());
        CHECK(result.GetValue(2).ToString() == "a much longer string value!");
    }
    SUBCASE("a NULL-typed argument gives NULL") {
        Vector n(LogicalType(TypeId::Null), 2);
        Vector x = Make(kInt, {I(1), I(2)});
        Vector result = Call(ScalarFunctionId::Add, kInt, {&x, &n});
        CHECK(result.GetValue(0).IsNull());
        CHECK(result.GetValue(1).IsNull());
    }
    SUBCASE("a validity mask shorter than the vector") {
        // SetInvalid materializes only the words up to the row it touches.
        const size_t n = 200;
        Vector x(kInt, n), y(kInt, n);
        for (size_t i = 0; i < n; ++i) x.Data<int32_t>()[i] = y.Data<int32_t>()[i] = static_cast<int32_t>(i);
        x.Validity().SetInvalid(3);
        const uint32_t sel[] = {3, 150, 199};
        Vector result(kInt, n);
        const Vector* args[] = {&x, &y};
        ExecuteScalarFunction(ScalarFunctionId::Add, args, 2, Rows{sel, 3}, result);
        CHECK(!result.Validity().RowIsValid(3));
        CHECK(result.Data<int32_t>()[150] == 300);
        CHECK(result.Data<int32_t>()[199] == 398);
        Vector co(kInt, n);
        ExecuteScalarFunction(ScalarFunctionId::Coalesce, args, 2, Rows{sel, 3}, co);
        CHECK(co.Data<int32_t>()[3] == 3);
        CHECK(co.Data<int32_t>()[199] == 199);
    }
    SUBCASE("a long dense vector with scattered NULLs") {
        const size_t n = 3000;
        Vector x(kBigInt, n), y(kBigInt, n);
        for (size_t i = 0; i < n; ++i) {
            x.Data<int64_t>()[i] = static_cast<int64_t>(i);
            y.Data<int64_t>()[i] = 2;
            if (i % 7 == 0) y.Validity().SetInvalid(i);
        }
        Vector result = Call(ScalarFunctionId::Multiply, kBigInt, {&x, &y}, n);
        for (size_t i = 0; i < n; ++i) {
            if (i % 7 == 0) CHECK(!result.Validity().RowIsValid(i));
            else CHECK(result.Data<int64_t>()[i] == static_cast<int64_t>(2 * i));
        }
    }
}

// ---- casts ----------------------------------------------------------------------------

TEST_CASE("functions: text to integer is strict") {
    CHECK(Cast(S("12"), kInt) == "12");
    CHECK(Cast(S("  -12  "), kInt) == "-12");
    CHECK(Cast(S("+7"), kBigInt) == "7");
    CHECK(StateOf([] { CastValue(S("1.5"), kInt); }) == "22P02");
    CHECK(StateOf([] { CastValue(S("abc"), kInt); }) == "22P02");
    CHECK(StateOf([] { CastValue(S(""), kInt); }) == "22P02");
    CHECK(StateOf([] { CastValue(S("1e3"), kBigInt); }) == "22P02");
    CHECK(StateOf([] { CastValue(S("99999999999"), kInt); }) == "22003");
    CHECK(StateOf([] { CastValue(S("99999999999999999999"), kBigInt); }) == "22003");
    CHECK(Cast(S("-9223372036854775808"), kBigInt) == "-9223372036854775808");
    try {
        CastValue(S("abc"), kInt);
    } catch (const Error& e) {
        CHECK(e.Message() == "invalid input syntax for type integer: \"abc\"");
    }
}

TEST_CASE("functions: integer narrowing is range checked") {
    CHECK(Cast(I(32767), kSmallInt) == "32767");
    CHECK(StateOf([] { CastValue(I(40000), kSmallInt); }) == "22003");
    CHECK(StateOf([] { CastValue(I(200), kTinyInt); }) == "22003");
    CHECK(StateOf([] { CastValue(B(int64_t(1) << 40), kInt); }) == "22003");
    try {
        CastValue(I(40000), kSmallInt);
    } catch (const Error& e) {
        CHECK(e.Message() == "smallint out of range");
    }
    CHECK(Cast(B(-5), kInt) == "-5");
    CHECK(Cast(I(1), kBool) == "true");
    CHECK(Cast(Value::Boolean(true), kInt) == "1");
}

TEST_CASE("functions: double to integer rounds half away from zero") {
    CHECK(Cast(D(2.5), kInt) == "3");
    CHECK(Cast(D(-2.5), kInt) == "-3");
    CHECK(Cast(D(1.4999), kInt) == "1");
    CHECK(Cast(D(-0.4), kBigInt) == "0");
    CHECK(Cast(D(2147483647.4), kInt) == "2147483647");
    CHECK(StateOf([] { CastValue(D(2147483647.5), kInt); }) == "22003");
    CHECK(StateOf([] { CastValue(D(NAN), kInt); }) == "22003");
    CHECK(StateOf([] { CastValue(D(INFINITY), kBigInt); }) == "22003");
    CHECK(StateOf([] { CastValue(D(9.3e18), kBigInt); }) == "22003");
}

TEST_CASE("functions: decimal scaling and rounding") {
    const LogicalType d63 = LogicalType::Decimal(6, 3);
    const LogicalType d52 = LogicalType::Decimal(5, 2);
    const LogicalType d31 = LogicalType::Decimal(3, 1);
    CHECK(Cast(Dec(123456, 3, 6), d52) == "123.46");
    CHECK(Cast(Dec(-123455, 3, 6), d52) == "-123.46");
    CHECK(Cast(Dec(12345, 2, 5), d63) == "123.450");
    CHECK(Cast(Dec(123500, 3, 6), kInt) == "124");
    CHECK(Cast(Dec(-123500, 3, 6), kInt) == "-124");
    CHECK(Cast(Dec(125, 2, 5), kDouble) == "1.25");
    CHECK(Cast(I(42), d52) == "42.00");
    CHECK(StateOf([&] { CastValue(I(100), d31); }) == "22003");
    CHECK(StateOf([&] { CastValue(Dec(99999, 2, 5), d31); }) == "22003");
    // double -> decimal goes through the double's shortest text, so 0.285 stays 0.285.
    CHECK(Cast(D(0.285), d52) == "0.29");
    CHECK(Cast(D(-1.005), d52) == "-1.01");
    CHECK(Cast(S("1.005"), d52) == "1.01");
    CHECK(Cast(S(" -0.004 "), d52) == "0.00");
    CHECK(Cast(S("1.5e2"), d52) == "150.00");
    CHECK(Cast(S(".5"), d52) == "0.50");
    CHECK(StateOf([&] { CastValue(S("1.2.3"), d52); }) == "22P02");
    CHECK(StateOf([&] { CastValue(S("1000"), d52); }) == "22003");
    CHECK(Cast(Dec(-5, 2), kVarchar) == "-0.05");
}

TEST_CASE("functions: text to double accepts exponents, inf and nan") {
    CHECK(Cast(S("1.5e5"), kDouble) == "150000");
    CHECK(Cast(S(" -2.5 "), kDouble) == "-2.5");
    CHECK(Cast(S("inf"), kDouble) == "Infinity");
    CHECK(Cast(S("-Infinity"), kDouble) == "-Infinity");
    CHECK(Cast(S("NaN"), kDouble) == "NaN");
    CHECK(StateOf([] { CastValue(S("1e400"), kDouble); }) == "22003");
    CHECK(StateOf([] { CastValue(S("x1"), kDouble); }) == "22P02");
    CHECK(Cast(D(0.1), kVarchar) == "0.1");
    CHECK(Cast(D(1e20), kVarchar) == "1e+20");
}

TEST_CASE("functions: dates, timestamps and intervals to and from text") {
    CHECK(Cast(S("1994-01-01"), kDate) == "1994-01-01");
    CHECK(DateV("2000-02-29").GetInt64() == 11016);
    CHECK(Cast(Value::Date(0), kVarchar) == "1970-01-01");
    CHECK(StateOf([] { CastValue(S("1994-13-01"), kDate); }) == "22008");  // field out of range, as PostgreSQL
    CHECK(StateOf([] { CastValue(S("yesterday-ish"), kDate); }) == "22007");
    CHECK(Cast(S("2024-03-01 12:34:56.5"), kTimestamp) == "2024-03-01 12:34:56.5");
    CHECK(Cast(TsV("2024-03-01 12:34:56"), kDate) == "2024-03-01");
    CHECK(Cast(TsV("1969-12-31 23:00:00"), kDate) == "1969-12-31");
    CHECK(Cast(DateV("2024-03-01"), kTimestamp) == "2024-03-01 00:00:00");
    CHECK(Cast(S("1 year 2 months 3 days"), kInterval) == "1 year 2 mons 3 days");
    CHECK(Cast(S("1 day 02:30:00"), kInterval) == "1 day 02:30:00");
    CHECK(Cast(IvV("1 day 02:30:00"), kVarchar) == "1 day 02:30:00");
    CHECK(StateOf([] { CastValue(S("soon"), kInterval); }) == "22007");
}

TEST_CASE("functions: text to boolean and back") {
    for (const char* t : {"t", "true", "TRUE", " yes ", "on", "1", "y"}) CHECK(Cast(S(t), kBool) == "true");
    for (const char* f : {"f", "false", "no", "off", "0", "n"}) CHECK(Cast(S(f), kBool) == "false");
    CHECK(StateOf([] { CastValue(S("o"), kBool); }) == "22P02");
    CHECK(StateOf([] { CastValue(S("maybe"), kBool); }) == "22P02");
    CHECK(Cast(Value::Boolean(false), kVarchar) == "false");
}

TEST_CASE("functions: try_cast gives NULL and NULL input stays NULL") {
    CHECK(CastValue(S("abc"), kInt, true).IsNull());
    CHECK(CastValue(I(40000), kSmallInt, true).IsNull());
    CHECK(CastValue(Value(), kInt).IsNull());
    CHECK(CastValue(Value::Null(kVarchar), kDate).IsNull());
    Vector input = Make(kVarchar, {S("1"), S("x"), Null(), S("4")});
    Vector result(kInt, 4);
    CastVector(input, Rows{nullptr, 4}, result, true);
    CHECK(result.GetValue(0).ToString() == "1");
    CHECK(result.GetValue(1).IsNull());
    CHECK(result.GetValue(2).IsNull());
    CHECK(result.GetValue(3).ToString() == "4");
    Vector nulls(LogicalType(TypeId::Null), 3);
    Vector out(kDate, 3);
    CastVector(nulls, Rows{nullptr, 3}, out, false);
    CHECK(out.GetValue(0).IsNull());
    CHECK(out.GetValue(2).IsNull());
    CHECK(StateOf([&] { CastVector(input, Rows{nullptr, 4}, result, false); }) == "22P02");
}

// ---- comparisons ----------------------------------------------------------------------

TEST_CASE("functions: comparisons of every type") {
    auto cmp = [](CompareOp op, LogicalType type, Value a, Value b) {
        Vector x = Make(type, {a});
        Vector y = Make(type, {b});
        Vector result(kBool, 1);
        CompareVectors(op, x, y, Rows{nullptr, 1}, result);
        return result.GetValue(0).ToString();
    };
    CHECK(cmp(CompareOp::Lt, kInt, I(1), I(2)) == "true");
    CHECK(cmp(CompareOp::GtEq, kBigInt, B(1), B(2)) == "false");
    CHECK(cmp(CompareOp::Eq, kVarchar, S("a long string, longer than twelve"), S("a long string, longer than twelve")) ==
          "true");
    CHECK(cmp(CompareOp::Lt, kVarchar, S("abc"), S("abd")) == "true");
    CHECK(cmp(CompareOp::Lt, kVarchar, S("ab"), S("abc")) == "true");
    CHECK(cmp(CompareOp::Gt, kVarchar, S("b"), S("abc")) == "true");
    CHECK(cmp(CompareOp::Eq, kDouble, D(NAN), D(NAN)) == "true");
    CHECK(cmp(CompareOp::Gt, kDouble, D(NAN), D(INFINITY)) == "true");
    CHECK(cmp(CompareOp::Eq, kDouble, D(0.0), D(-0.0)) == "true");
    CHECK(cmp(CompareOp::Eq, kInterval, IvV("1 month"), IvV("30 days")) == "true");
    CHECK(cmp(CompareOp::Lt, kInterval, IvV("23 hours"), IvV("1 day")) == "true");
    CHECK(cmp(CompareOp::Eq, kInt, I(1), Null()) == "NULL");
    CHECK(cmp(CompareOp::DistinctFrom, kInt, I(1), Null()) == "true");
    CHECK(cmp(CompareOp::DistinctFrom, kInt, Null(), Null()) == "false");
    CHECK(cmp(CompareOp::NotDistinctFrom, kInt, Null(), Null()) == "true");
    CHECK(cmp(CompareOp::NotDistinctFrom, kVarchar, S("x"), S("x")) == "true");
    // Decimals of different scales compare by value.
    Vector x = Make(LogicalType::Decimal(18, 2), {Dec(150, 2)});
    Vector y = Make(LogicalType::Decimal(18, 1), {Dec(15, 1)});
    Vector result(kBool, 1);
    CompareVectors(CompareOp::Eq, x, y, Rows{nullptr, 1}, result);
    CHECK(result.GetValue(0).ToString() == "true");
}

TEST_CASE("functions: CompareValues orders boxed values") {
    CHECK(CompareValues(I(1), I(2)) < 0);
    CHECK(CompareValues(S("b"), S("a")) > 0);
    CHECK(CompareValues(D(NAN), D(1)) > 0);
    CHECK(CompareValues(Dec(150, 2), Dec(15, 1)) == 0);
    CHECK(CompareValues(I(3), B(3)) == 0);
    CHECK(CompareValues(DateV("2024-01-01"), TsV("2024-01-01 00:00:01")) < 0);
}

// ---- strings ---------------------------------------------------------------------------

TEST_CASE("functions: LIKE with wildcards and escapes") {
    CHECK(LikeMatch("hello", "h%o", 0, false));
    CHECK(LikeMatch("hello", "h_llo", 0, false));
    CHECK(!LikeMatch("hello", "h_lo", 0, false));
    CHECK(LikeMatch("", "%", 0, false));
    CHECK(!LikeMatch("", "_", 0, false));
    CHECK(LikeMatch("abcabc", "%abc", 0, false));
    CHECK(LikeMatch("mississippi", "%iss%ppi", 0, false));
    CHECK(LikeMatch("100%", "100\\%", '\\', false));
    CHECK(!LikeMatch("1000", "100\\%", '\\', false));
    CHECK(LikeMatch("a_b", "a#_b", '#', false));
    CHECK(!LikeMatch("axb", "a#_b", '#', false));
    CHECK(LikeMatch("HeLLo", "hel%", 0, true));
    CHECK(LikeMatch("naïve", "na_ve", 0, false));  // '_' is one character, not one byte
    CHECK(StateOf([] { LikeMatch("ab", "ab\\", '\\', false); }) == "22025");

    auto like = [](ScalarFunctionId id, std::initializer_list<std::pair<LogicalType, Value>> args) {
        return Eval(id, kBool, args);
    };
    // Two-argument LIKE escapes with backslash (PostgreSQL's default).
    CHECK(like(ScalarFunctionId::Like, {{kVarchar, S("50%")}, {kVarchar, S("50\\%")}}) == "true");
    CHECK(like(ScalarFunctionId::Like, {{kVarchar, S("the special requests")}, {kVarchar, S("%special%requests%")}}) ==
          "true");
    CHECK(like(ScalarFunctionId::Like, {{kVarchar, S("requests special")}, {kVarchar, S("%special%requests%")}}) ==
          "false");
    CHECK(like(ScalarFunctionId::Like, {{kVarchar, S("abc")}, {kVarchar, S("a%c")}, {kVarchar, S("")}}) == "true");
    CHECK(like(ScalarFunctionId::Like, {{kVarchar, S("a%c")}, {kVarchar, S("a!%c")}, {kVarchar, S("!")}}) == "true");
    CHECK(like(ScalarFunctionId::ILike, {{kVarchar, S("ABC")}, {kVarchar, S("a_c")}}) == "true");
    CHECK(like(ScalarFunctionId::Like, {{kVarchar, Null()}, {kVarchar, S("%")}}) == "NULL");
    CHECK(StateOf([&] { like(ScalarFunctionId::Like, {{kVarchar, S("a")}, {kVarchar, S("a")}, {kVarchar, S("ab")}}); }) ==
          "22025");
    CHECK(like(ScalarFunctionId::Glob, {{kVarchar, S("file.txt")}, {kVarchar, S("*.txt")}}) == "true");
    CHECK(like(ScalarFunctionId::Glob, {{kVarchar, S("File.txt")}, {kVarchar, S("f*")}}) == "false");
    CHECK(like(ScalarFunctionId::Glob, {{kVarchar, S("a7")}, {kVarchar, S("a[0-9]")}}) == "true");
    CHECK(like(ScalarFunctionId::Glob, {{kVarchar, S("ab")}, {kVarchar, S("a[^b]")}}) == "false");
    CHECK(like(ScalarFunctionId::Glob, {{kVarchar, S("abc")}, {kVarchar, S("a?c")}}) == "true");
}

TEST_CASE("functions: LIKE over a vector with a changing pattern") {
    Vector text = Make(kVarchar, {S("apple"), S("banana"), S("cherry"), S("apricot")});
    Vector pattern = Make(kVarchar, {S("a%"), S("a%"), S("%rr%"), S("%x%")});
    Vector result = Call(ScalarFunctionId::Like, kBool, {&text, &pattern});
    CHECK(result.GetValue(0).ToString() == "true");
    CHECK(result.GetValue(1).ToString() == "false");
    CHECK(result.GetValue(2).ToString() == "true");
    CHECK(result.GetValue(3).ToString() == "false");
}

TEST_CASE("functions: substring edge cases") {
    auto sub = [](const std::string& s, int64_t start, std::optional<int64_t> len) {
        if (len)
            return Eval(ScalarFunctionId::Substring, kVarchar, {{kVarchar, S(s)}, {kBigInt, B(start)}, {kBigInt, B(*len)}});
        return Eval(ScalarFunctionId::Substring, kVarchar, {{kVarchar, S(s)}, {kBigInt, B(start)}});
    };
    CHECK(sub("hello", 2, 3) == "ell");
    CHECK(sub("hello", 0, 3) == "he");
    CHECK(sub("hello", -1, 3) == "h");
    CHECK(sub("hello", -5, 3) == "");
    CHECK(sub("hello", 4, 100) == "lo");
    CHECK(sub("hello", 9, 2) == "");
    CHECK(sub("hello", 3, std::nullopt) == "llo");
    CHECK(sub("hello", -3, std::nullopt) == "hello");
    CHECK(sub("hello", 2, 0) == "");
    CHECK(sub("hello", 2, INT64_MAX) == "ello");
    CHECK(sub("héllo wörld, long enough", 2, 4) == "éllo");
    CHECK(sub("a string longer than twelve bytes", 3, 20) == "string longer than t");
    CHECK(StateOf([&] { sub("hello", 1, -1); }) == "22011");
}

TEST_CASE("functions: string functions count characters") {
    CHECK(Eval(ScalarFunctionId::Length, kBigInt, {{kVarchar, S("héllo")}}) == "5");
    CHECK(Eval(ScalarFunctionId::Length, kBigInt, {{kVarchar, S("")}}) == "0");
    CHECK(Eval(ScalarFunctionId::Upper, kVarchar, {{kVarchar, S("abc é xyz, and more")}}) == "ABC é XYZ, AND MORE");
    CHECK(Eval(ScalarFunctionId::Lower, kVarchar, {{kVarchar, S("ABC")}}) == "abc");
    CHECK(Eval(ScalarFunctionId::Position, kBigInt, {{kVarchar, S("lo")}, {kVarchar, S("héllo")}}) == "4");
    CHECK(Eval(ScalarFunctionId::Position, kBigInt, {{kVarchar, S("z")}, {kVarchar, S("hello")}}) == "0");
    CHECK(Eval(ScalarFunctionId::Position, kBigInt, {{kVarchar, S("")}, {kVarchar, S("hello")}}) == "1");
    CHECK(Eval(ScalarFunctionId::Trim, kVarchar, {{kVarchar, S("  hi  ")}}) == "hi");
    CHECK(Eval(ScalarFunctionId::LTrim, kVarchar, {{kVarchar, S("  hi  ")}}) == "hi  ");
    CHECK(Eval(ScalarFunctionId::RTrim, kVarchar, {{kVarchar, S("  hi  ")}}) == "  hi");
    CHECK(Eval(ScalarFunctionId::Trim, kVarchar, {{kVarchar, S("xxhixyx")}, {kVarchar, S("xy")}}) == "hi");
    CHECK(Eval(ScalarFunctionId::Trim, kVarchar, {{kVarchar, S("éhé")}, {kVarchar, S("é")}}) == "h");
    CHECK(Eval(ScalarFunctionId::Replace, kVarchar, {{kVarchar, S("abcabc")}, {kVarchar, S("b")}, {kVarchar, S("XYZ")}}) ==
          "aXYZcaXYZc");
    CHECK(Eval(ScalarFunctionId::Replace, kVarchar, {{kVarchar, S("abc")}, {kVarchar, S("")}, {kVarchar, S("X")}}) ==
          "abc");
    CHECK(Eval(ScalarFunctionId::Reverse, kVarchar, {{kVarchar, S("héllo")}}) == "olléh");
    CHECK(Eval(ScalarFunctionId::Repeat, kVarchar, {{kVarchar, S("ab")}, {kBigInt, B(3)}}) == "ababab");
    CHECK(Eval(ScalarFunctionId::Repeat, kVarchar, {{kVarchar, S("ab")}, {kBigInt, B(-1)}}) == "");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Repeat, kVarchar, {{kVarchar, S("ab")}, {kBigInt, B(INT64_MAX)}}); }) ==
          "54000");
    CHECK(Eval(ScalarFunctionId::Left, kVarchar, {{kVarchar, S("héllo")}, {kBigInt, B(2)}}) == "hé");
    CHECK(Eval(ScalarFunctionId::Left, kVarchar, {{kVarchar, S("hello")}, {kBigInt, B(-2)}}) == "hel");
    CHECK(Eval(ScalarFunctionId::Right, kVarchar, {{kVarchar, S("hello")}, {kBigInt, B(2)}}) == "lo");
    CHECK(Eval(ScalarFunctionId::Right, kVarchar, {{kVarchar, S("hello")}, {kBigInt, B(-2)}}) == "llo");
    CHECK(Eval(ScalarFunctionId::Right, kVarchar, {{kVarchar, S("hello")}, {kBigInt, B(10)}}) == "hello");
    CHECK(Eval(ScalarFunctionId::StartsWith, kBool, {{kVarchar, S("hello")}, {kVarchar, S("he")}}) == "true");
    CHECK(Eval(ScalarFunctionId::Contains, kBool, {{kVarchar, S("hello")}, {kVarchar, S("ll")}}) == "true");
    CHECK(Eval(ScalarFunctionId::Concat, kVarchar, {{kVarchar, S("a")}, {kVarchar, Null()}}) == "NULL");
}

// ---- math -------------------------------------------------------------------------------

TEST_CASE("functions: rounding on doubles, decimals and integers") {
    CHECK(Eval(ScalarFunctionId::Round, kDouble, {{kDouble, D(2.5)}}) == "3");
    CHECK(Eval(ScalarFunctionId::Round, kDouble, {{kDouble, D(-2.5)}}) == "-3");
    CHECK(Eval(ScalarFunctionId::Round, kDouble, {{kDouble, D(2.675)}, {kInt, I(2)}}) == "2.68");
    CHECK(Eval(ScalarFunctionId::Round, kDouble, {{kDouble, D(1234.5)}, {kInt, I(-2)}}) == "1200");
    CHECK(Eval(ScalarFunctionId::Round, kDouble, {{kDouble, D(0.1)}, {kInt, I(5)}}) == "0.1");
    const LogicalType d2 = LogicalType::Decimal(10, 2);
    const LogicalType d0 = LogicalType::Decimal(10, 0);
    CHECK(Eval(ScalarFunctionId::Round, d0, {{d2, Dec(250, 2, 10)}}) == "3");
    CHECK(Eval(ScalarFunctionId::Round, d0, {{d2, Dec(-250, 2, 10)}}) == "-3");
    CHECK(Eval(ScalarFunctionId::Round, d2, {{d2, Dec(12345, 2, 10)}, {kInt, I(1)}}) == "123.50");
    CHECK(Eval(ScalarFunctionId::Round, d2, {{d2, Dec(12345, 2, 10)}, {kInt, I(-1)}}) == "120.00");
    CHECK(Eval(ScalarFunctionId::Round, d2, {{d2, Dec(12345, 2, 10)}, {kInt, I(5)}}) == "123.45");
    CHECK(Eval(ScalarFunctionId::Floor, d0, {{d2, Dec(-150, 2, 10)}}) == "-2");
    CHECK(Eval(ScalarFunctionId::Ceil, d0, {{d2, Dec(-150, 2, 10)}}) == "-1");
    CHECK(Eval(ScalarFunctionId::Ceil, d0, {{d2, Dec(101, 2, 10)}}) == "2");
    CHECK(Eval(ScalarFunctionId::Trunc, d0, {{d2, Dec(-199, 2, 10)}}) == "-1");
    CHECK(Eval(ScalarFunctionId::Floor, kDouble, {{kDouble, D(-1.5)}}) == "-2");
    CHECK(Eval(ScalarFunctionId::Ceil, kDouble, {{kDouble, D(-1.5)}}) == "-1");
    CHECK(Eval(ScalarFunctionId::Trunc, kDouble, {{kDouble, D(-1.5)}}) == "-1");
    CHECK(Eval(ScalarFunctionId::Round, kInt, {{kInt, I(1250)}, {kInt, I(-2)}}) == "1300");
    CHECK(Eval(ScalarFunctionId::Round, kInt, {{kInt, I(17)}}) == "17");
    CHECK(Eval(ScalarFunctionId::Sign, kDouble, {{kDouble, D(-3)}}) == "-1");
    CHECK(Eval(ScalarFunctionId::Sign, kInt, {{kInt, I(0)}}) == "0");
    CHECK(Eval(ScalarFunctionId::Abs, kDouble, {{kDouble, D(-3.5)}}) == "3.5");
}

TEST_CASE("functions: math domain errors") {
    CHECK(Eval(ScalarFunctionId::Sqrt, kDouble, {{kDouble, D(16)}}) == "4");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Sqrt, kDouble, {{kDouble, D(-1)}}); }) == "2201F");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Ln, kDouble, {{kDouble, D(0)}}); }) == "2201E");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Log10, kDouble, {{kDouble, D(-10)}}); }) == "2201E");
    CHECK(Eval(ScalarFunctionId::Log10, kDouble, {{kDouble, D(1000)}}) == "3");
    CHECK(Eval(ScalarFunctionId::Power, kDouble, {{kDouble, D(2)}, {kDouble, D(10)}}) == "1024");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Power, kDouble, {{kDouble, D(0)}, {kDouble, D(-1)}}); }) == "2201F");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Power, kDouble, {{kDouble, D(-8)}, {kDouble, D(0.5)}}); }) == "2201F");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Power, kDouble, {{kDouble, D(10)}, {kDouble, D(400)}}); }) == "22003");
    CHECK(StateOf([] { Eval(ScalarFunctionId::Exp, kDouble, {{kDouble, D(1000)}}); }) == "22003");
    CHECK(Eval(ScalarFunctionId::Exp, kDouble, {{kDouble, D(0)}}) == "1");
    CHECK(Eval(ScalarFunctionId::Mod, kBigInt, {{kBigInt, B(10)}, {kBigInt, B(3)}}) == "1");
}

// ---- dates ---------------------------------------------------------------------------------

TEST_CASE("functions: extract fields") {
    auto extract = [](const char* field, LogicalType type, Value v) {
        return Eval(ScalarFunctionId::Extract, ExtractResultType(field), {{kVarchar, S(field)}, {type, v}});
    };
    CHECK(extract("year", kDate, DateV("1994-03-15")) == "1994");
    CHECK(extract("MONTH", kDate, DateV("1994-03-15")) == "3");
    CHECK(extract("day", kDate, DateV("1994-03-15")) == "15");
    CHECK(extract("quarter", kDate, DateV("1994-08-01")) == "3");
    CHECK(extract("dow", kDate, DateV("2024-03-03")) == "0");  // a Sunday
    CHECK(extract("isodow", kDate, DateV("2024-03-03")) == "7");
    CHECK(extract("doy", kDate, DateV("2024-12-31")) == "366");
    CHECK(extract("week", kDate, DateV("2021-01-03")) == "53");  // ISO week of 2020
    CHECK(extract("week", kDate, DateV("2024-12-30")) == "1");
    CHECK(extract("hour", kTimestamp, TsV("2024-03-01 13:45:30.25")) == "13");
    CHECK(extract("minute", kTimestamp, TsV("2024-03-01 13:45:30.25")) == "45");
    CHECK(extract("second", kTimestamp, TsV("2024-03-01 13:45:30.25")) == "30");
    CHECK(extract("epoch", kTimestamp, TsV("1970-01-02 00:00:01.5")) == "86401.5");
    CHECK(extract("epoch", kDate, DateV("1970-01-03")) == "172800");
    CHECK(extract("year", kTimestamp, TsV("1969-12-31 23:59:59")) == "1969");
    CHECK(extract("year", kInterval, IvV("1 year 14 months")) == "2");
    CHECK(extract("month", kInterval, IvV("1 year 14 months")) == "2");
    CHECK(extract("day", kInterval, IvV("3 days 04:05:06")) == "3");
    CHECK(extract("hour", kInterval, IvV("3 days 04:05:06")) == "4");
    CHECK(extract("epoch", kInterval, IvV("1 day 00:00:01")) == "86401");
    CHECK(ExtractResultType("epoch") == kDouble);
    CHECK(ExtractResultType("Year") == kBigInt);
    CHECK(StateOf([] { ExtractResultType("fortnight"); }) == "22023");
}

TEST_CASE("functions: date and interval arithmetic") {
    CHECK(Eval(ScalarFunctionId::DateAddInterval, kTimestamp, {{kDate, DateV("2024-01-31")}, {kInterval, IvV("1 month")}}) ==
          "2024-02-29 00:00:00");
    CHECK(Eval(ScalarFunctionId::DateSubInterval, kTimestamp, {{kDate, DateV("2024-03-31")}, {kInterval, IvV("1 month")}}) ==
          "2024-02-29 00:00:00");
    CHECK(Eval(ScalarFunctionId::DateAddInterval, kTimestamp, {{kDate, DateV("1998-12-01")}, {kInterval, IvV("-90 days")}}) ==
          "1998-09-02 00:00:00");
    CHECK(Eval(ScalarFunctionId::TimestampAddInterval, kTimestamp,
               {{kTimestamp, TsV("2024-01-01 23:00:00")}, {kInterval, IvV("2 hours")}}) == "2024-01-02 01:00:00");
    CHECK(Eval(ScalarFunctionId::TimestampSubInterval, kTimestamp,
               {{kTimestamp, TsV("2024-01-01 00:00:00")}, {kInterval, IvV("1 year")}}) == "2023-01-01 00:00:00");
    CHECK(Eval(ScalarFunctionId::DateAddDays, kDate, {{kDate, DateV("2024-02-28")}, {kInt, I(2)}}) == "2024-03-01");
    CHECK(Eval(ScalarFunctionId::DateSubDays, kDate, {{kDate, DateV("2024-03-01")}, {kInt, I(1)}}) == "2024-02-29");
    CHECK(StateOf([] { Eval(ScalarFunctionId::DateAddDays, kDate, {{kDate, DateV("2024-02-28")}, {kInt, I(INT32_MAX)}}); }) ==
          "22008");
    CHECK(Eval(ScalarFunctionId::DateDiffDays, kInt, {{kDate, DateV("2024-03-01")}, {kDate, DateV("2024-02-01")}}) == "29");
    CHECK(Eval(ScalarFunctionId::TimestampDiff, kInterval,
               {{kTimestamp, TsV("2024-03-02 12:00:00")}, {kTimestamp, TsV("2024-03-01 00:00:00")}}) ==
          "1 day 12:00:00");
    CHECK(Eval(ScalarFunctionId::IntervalAdd, kInterval, {{kInterval, IvV("1 day")}, {kInterval, IvV("2 hours")}}) ==
          "1 day 02:00:00");
    CHECK(Eval(ScalarFunctionId::IntervalSub, kInterval, {{kInterval, IvV("1 month")}, {kInterval, IvV("3 days")}}) ==
          "1 mon -3 days");
    CHECK(Eval(ScalarFunctionId::IntervalNegate, kInterval, {{kInterval, IvV("2 days 01:00:00")}}) ==
          "-2 days -01:00:00");
    CHECK(Eval(ScalarFunctionId::IntervalMul, kInterval, {{kInterval, IvV("1 month")}, {kDouble, D(1.5)}}) ==
          "1 mon 15 days");
    CHECK(Eval(ScalarFunctionId::IntervalMul, kInterval, {{kInterval, IvV("1 day")}, {kDouble, D(0.5)}}) == "12:00:00");
    // The operator forms forward to the date functions.
    CHECK(Eval(ScalarFunctionId::Subtract, kInt, {{kDate, DateV("2024-03-01")}, {kDate, DateV("2024-02-01")}}) == "29");
}

TEST_CASE("functions: current_date and current_timestamp fill the rows") {
    Vector date = Call(ScalarFunctionId::CurrentDate, kDate, {}, 3);
    Vector ts = Call(ScalarFunctionId::CurrentTimestamp, kTimestamp, {}, 3);
    CHECK(date.GetValue(0).GetInt64() > 19000);  // after 2022
    CHECK(date.GetValue(2).GetInt64() == date.GetValue(0).GetInt64());
    CHECK(ts.GetValue(1).GetInt64() / grizzly::kMicrosPerDay >= date.GetValue(0).GetInt64() - 1);
}

// ---- conditional and misc -------------------------------------------------------------------

TEST_CASE("functions: coalesce, nullif, greatest, least, typeof, random") {
    Vector a = Make(kInt, {Null(), I(2), Null()});
    Vector b = Make(kInt, {I(10), I(20), Null()});
    Vector n(LogicalType(TypeId::Null), 3);
    Vector co = Call(ScalarFunctionId::Coalesce, kInt, {&n, &a, &b});
    CHECK(co.GetValue(0).ToString() == "10");
    CHECK(co.GetValue(1).ToString() == "2");
    CHECK(co.GetValue(2).IsNull());
    Vector gr = Call(ScalarFunctionId::Greatest, kInt, {&a, &b});
    CHECK(gr.GetValue(0).ToString() == "10");
    CHECK(gr.GetValue(1).ToString() == "20");
    CHECK(gr.GetValue(2).IsNull());
    Vector le = Call(ScalarFunctionId::Least, kInt, {&a, &b});
    CHECK(le.GetValue(1).ToString() == "2");
    Vector x = Make(kVarchar, {S("same"), S("differs"), Null()});
    Vector y = Make(kVarchar, {S("same"), S("other"), S("z")});
    Vector ni = Call(ScalarFunctionId::NullIf, kVarchar, {&x, &y});
    CHECK(ni.GetValue(0).IsNull());
    CHECK(ni.GetValue(1).ToString() == "differs");
    CHECK(ni.GetValue(2).IsNull());
    CHECK(Eval(ScalarFunctionId::Greatest, kVarchar, {{kVarchar, S("apple")}, {kVarchar, S("pear")}}) == "pear");
    CHECK(Eval(ScalarFunctionId::Typeof, kVarchar, {{LogicalType::Decimal(15, 2), Dec(1, 2, 15)}}) == "DECIMAL(15,2)");
    Vector r = Call(ScalarFunctionId::Random, kDouble, {}, 100);
    for (size_t i = 0; i < 100; ++i) {
        double v = r.Data<double>()[i];
        CHECK((v >= 0.0 && v < 1.0));
    }
}
