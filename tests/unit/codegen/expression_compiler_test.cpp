#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "codegen_test_util.hpp"

using namespace grizzly;
using namespace grizzly::codegen;
using namespace grizzly::codegen::test;
using ir::CompareOp;
using ir::ExprType;
using ir::ScalarFunctionId;

namespace {

constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();

/// Runs `expr` expecting an error; returns it.
template <class T>
Error ExpectError(const ir::Expr& expr, const Input& input, Tier tier = Tier::Optimized) {
    try {
        Evaluate<T>(expr, input, tier);
    } catch (const Error& e) {
        return e;
    }
    FAIL("expected an error");
    return Error::Internal("unreachable");
}

}  // namespace

TEST_CASE("expression_compiler: BIGINT arithmetic with NULLs matches C++") {
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        const std::string tier_name = TierName(tier);
        CAPTURE(tier_name);
        Column<int64_t> a({1, std::nullopt, -7, 100, 0, kMax64 / 4});
        Column<int64_t> b({2, 3, std::nullopt, -3, 5, 2});
        Input input;
        input.Add(a).Add(b);
        // a + b * 2 - 1
        auto expr = Fn(ScalarFunctionId::Subtract, kBigInt,
                       Fn(ScalarFunctionId::Add, kBigInt, Col(0, kBigInt),
                          Fn(ScalarFunctionId::Multiply, kBigInt, Col(1, kBigInt), BigInt(2))),
                       BigInt(1));
        auto out = Evaluate<int64_t>(*expr, input, tier);
        for (size_t row = 0; row < a.values.size(); ++row) {
            CAPTURE(row);
            const bool valid = a.Valid(row) && b.Valid(row);
            CHECK(out.valid[row] == valid);
            if (valid) CHECK(out.values[row] == a.values[row] + b.values[row] * 2 - 1);
        }
    }
}

TEST_CASE("expression_compiler: integer division, modulo and negation follow the interpreter") {
    Column<int64_t> a({-7, 7, kMin64, kMin64, 9});
    Column<int64_t> b({2, -2, -1, 3, -1});
    Input input;
    input.Add(a).Add(b);
    auto div = Fn(ScalarFunctionId::Divide, kBigInt, Col(0, kBigInt), Col(1, kBigInt));
    auto mod = Fn(ScalarFunctionId::Modulo, kBigInt, Col(0, kBigInt), Col(1, kBigInt));
    // Row 2 (MIN / -1) overflows, so divide rows 0, 1, 3 and 4 separately.
    Input safe;
    Column<int64_t> sa({-7, 7, kMin64, 9}), sb({2, -2, 3, -1});
    safe.Add(sa).Add(sb);
    auto q = Evaluate<int64_t>(*div, safe);
    CHECK(q.values == std::vector<int64_t>{-3, -3, kMin64 / 3, -9});
    auto r = Evaluate<int64_t>(*mod, input);
    CHECK(r.values == std::vector<int64_t>{-1, 1, 0, kMin64 % 3, 0});  // MIN % -1 is 0

    Error e = ExpectError<int64_t>(*div, input);
    CHECK(std::string(e.Code()) == "22003");
    CHECK(e.Message() == "bigint out of range");

    Column<int32_t> x({5, std::numeric_limits<int32_t>::min()});
    Input xin;
    xin.Add(x);
    auto neg = Fn(ScalarFunctionId::Negate, kInteger, Col(0, kInteger));
    e = ExpectError<int32_t>(*neg, xin);
    CHECK(e.Message() == "integer out of range");
}

TEST_CASE("expression_compiler: overflow reports 22003 with the interpreter's message") {
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        const std::string tier_name = TierName(tier);
        CAPTURE(tier_name);
        SUBCASE("INTEGER") {
            Column<int32_t> x({1, kMax32});
            Input input;
            input.Add(x);
            auto expr = Fn(ScalarFunctionId::Add, kInteger, Col(0, kInteger), Int(1));
            Error e = ExpectError<int32_t>(*expr, input, tier);
            CHECK(std::string(e.Code()) == "22003");
            CHECK(e.Message() == "integer out of range");
        }
        SUBCASE("BIGINT") {
            Column<int64_t> x({kMax64 / 2, kMax64 / 2 + 1});
            Input input;
            input.Add(x);
            auto expr = Fn(ScalarFunctionId::Multiply, kBigInt, Col(0, kBigInt), BigInt(2));
            Error e = ExpectError<int64_t>(*expr, input, tier);
            CHECK(std::string(e.Code()) == "22003");
            CHECK(e.Message() == "bigint out of range");
        }
        SUBCASE("TINYINT checks its own range in 32-bit storage") {
            const LogicalType tiny(TypeId::TinyInt);
            Column<int32_t> x({100});
            Input input;
            input.Add(x);
            auto expr = Fn(ScalarFunctionId::Add, tiny, Col(0, tiny), Const(Value::FromInt(tiny, 100)));
            Error e = ExpectError<int32_t>(*expr, input, tier);
            CHECK(e.Message() == "tinyint out of range");
        }
        SUBCASE("a NULL row never raises") {
            Column<int32_t> x({1, std::nullopt});
            x.values[1] = kMax32;  // garbage under the NULL
            Input input;
            input.Add(x);
            auto expr = Fn(ScalarFunctionId::Add, kInteger, Col(0, kInteger), Int(1));
            auto out = Evaluate<int32_t>(*expr, input, tier);
            CHECK(out.values[0] == 2);
            CHECK(out.valid[1] == 0);
        }
    }
}

TEST_CASE("expression_compiler: division by zero reports 22012") {
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        const std::string tier_name = TierName(tier);
        CAPTURE(tier_name);
        Column<int64_t> x({10, 20});
        Column<int64_t> y({2, 0});
        Input input;
        input.Add(x).Add(y);
        for (auto id : {ScalarFunctionId::Divide, ScalarFunctionId::IntDivide, ScalarFunctionId::Modulo}) {
            auto expr = Fn(id, kBigInt, Col(0, kBigInt), Col(1, kBigInt));
            Error e = ExpectError<int64_t>(*expr, input, tier);
            CHECK(std::string(e.Code()) == "22012");
            CHECK(e.Message() == "division by zero");
        }
        Column<double> d({1.0, 2.0});
        Column<double> z({4.0, 0.0});
        Input dbl;
        dbl.Add(d).Add(z);
        auto expr = Fn(ScalarFunctionId::Divide, kDouble, Col(0, kDouble), Col(1, kDouble));
        Error e = ExpectError<double>(*expr, dbl, tier);
        CHECK(std::string(e.Code()) == "22012");
    }
}

TEST_CASE("expression_compiler: DOUBLE arithmetic reports overflow and underflow") {
    Column<double> x({1e308, 1e-300, 3.0});
    Column<double> y({10.0, 1e-300, 2.0});
    Input input;
    input.Add(x).Add(y);
    auto mul = Fn(ScalarFunctionId::Multiply, kDouble, Col(0, kDouble), Col(1, kDouble));
    Error e = ExpectError<double>(*mul, input);
    CHECK(e.Message() == "value out of range: overflow");
    Input tail;
    Column<double> tx({1e-300, 3.0}), ty({1e-300, 2.0});
    tail.Add(tx).Add(ty);
    e = ExpectError<double>(*mul, tail);
    CHECK(e.Message() == "value out of range: underflow");
    // Infinite operands are no error; // truncates; % is fmod.
    Column<double> a({INFINITY, -7.5, 7.5});
    Column<double> b({2.0, 2.0, -2.0});
    Input ok;
    ok.Add(a).Add(b);
    auto sum = Evaluate<double>(*Fn(ScalarFunctionId::Add, kDouble, Col(0, kDouble), Col(1, kDouble)), ok);
    CHECK(std::isinf(sum.values[0]));
    auto idiv = Evaluate<double>(*Fn(ScalarFunctionId::IntDivide, kDouble, Col(0, kDouble), Col(1, kDouble)), ok);
    CHECK(idiv.values[1] == -3.0);
    auto mod = Evaluate<double>(*Fn(ScalarFunctionId::Modulo, kDouble, Col(0, kDouble), Col(1, kDouble)), ok);
    CHECK(mod.values[1] == std::fmod(-7.5, 2.0));
    CHECK(mod.values[2] == std::fmod(7.5, -2.0));
}

TEST_CASE("expression_compiler: comparisons, including NaN ordering and DISTINCT FROM") {
    Column<int64_t> x({1, 5, 9, 5});
    Column<int32_t> y({5, 5, 5, std::nullopt});
    Input input;
    input.Add(x).Add(y);
    struct Case {
        CompareOp op;
        bool (*expect)(int64_t, int64_t);
    };
    const Case cases[] = {{CompareOp::Eq, [](int64_t a, int64_t b) { return a == b; }},
                          {CompareOp::NotEq, [](int64_t a, int64_t b) { return a != b; }},
                          {CompareOp::Lt, [](int64_t a, int64_t b) { return a < b; }},
                          {CompareOp::LtEq, [](int64_t a, int64_t b) { return a <= b; }},
                          {CompareOp::Gt, [](int64_t a, int64_t b) { return a > b; }},
                          {CompareOp::GtEq, [](int64_t a, int64_t b) { return a >= b; }}};
    for (const Case& c : cases) {
        CAPTURE(ir::CompareOpSql(c.op));
        // BIGINT against INTEGER: compared as BIGINT.
        auto out = Evaluate<uint8_t>(*Cmp(c.op, Col(0, kBigInt), Col(1, kInteger)), input);
        for (size_t row = 0; row < 3; ++row) CHECK(out.values[row] == c.expect(x.values[row], y.values[row]));
        CHECK(out.valid[3] == 0);
    }
    auto distinct = Evaluate<uint8_t>(*Cmp(CompareOp::DistinctFrom, Col(0, kBigInt), Col(1, kInteger)), input);
    CHECK(distinct.values == std::vector<uint8_t>{1, 0, 1, 1});
    CHECK(distinct.valid == std::vector<uint8_t>{1, 1, 1, 1});

    const double nan = std::nan("");
    Column<double> d({nan, nan, 1.0, -0.0});
    Column<double> e({nan, 1e308, nan, 0.0});
    Input dbl;
    dbl.Add(d).Add(e);
    auto eq = Evaluate<uint8_t>(*Cmp(CompareOp::Eq, Col(0, kDouble), Col(1, kDouble)), dbl);
    CHECK(eq.values == std::vector<uint8_t>{1, 0, 0, 1});
    auto gt = Evaluate<uint8_t>(*Cmp(CompareOp::Gt, Col(0, kDouble), Col(1, kDouble)), dbl);
    CHECK(gt.values == std::vector<uint8_t>{0, 1, 0, 0});
    auto lt = Evaluate<uint8_t>(*Cmp(CompareOp::Lt, Col(0, kDouble), Col(1, kDouble)), dbl);
    CHECK(lt.values == std::vector<uint8_t>{0, 0, 1, 0});
}

TEST_CASE("expression_compiler: AND, OR, NOT and IS NULL use three-valued logic") {
    // All nine combinations of TRUE, FALSE, NULL.
    Column<uint8_t> p({1, 1, 1, 0, 0, 0, std::nullopt, std::nullopt, std::nullopt});
    Column<uint8_t> q({1, 0, std::nullopt, 1, 0, std::nullopt, 1, 0, std::nullopt});
    Input input;
    input.Add(p).Add(q);
    auto and_out = Evaluate<uint8_t>(*ir::Expr::Conjunction(ExprType::And, Col(0, kBoolean), Col(1, kBoolean)), input);
    auto or_out = Evaluate<uint8_t>(*ir::Expr::Conjunction(ExprType::Or, Col(0, kBoolean), Col(1, kBoolean)), input);
    // -1 = NULL
    const int expect_and[] = {1, 0, -1, 0, 0, 0, -1, 0, -1};
    const int expect_or[] = {1, 1, 1, 1, 0, -1, 1, -1, -1};
    for (size_t row = 0; row < 9; ++row) {
        CAPTURE(row);
        CHECK((and_out.valid[row] ? and_out.values[row] : -1) == expect_and[row]);
        CHECK((or_out.valid[row] ? or_out.values[row] : -1) == expect_or[row]);
    }
    auto not_out = Evaluate<uint8_t>(*Unary(ExprType::Not, Col(0, kBoolean)), input);
    CHECK(not_out.values[0] == 0);
    CHECK(not_out.values[3] == 1);
    CHECK(not_out.valid[6] == 0);
    auto is_null = Evaluate<uint8_t>(*Unary(ExprType::IsNull, Col(1, kBoolean)), input);
    CHECK(is_null.values == std::vector<uint8_t>{0, 0, 1, 0, 0, 1, 0, 0, 1});
    CHECK(is_null.valid == std::vector<uint8_t>(9, 1));
    auto is_not_null = Evaluate<uint8_t>(*Unary(ExprType::IsNotNull, Col(1, kBoolean)), input);
    CHECK(is_not_null.values == std::vector<uint8_t>{1, 1, 0, 1, 1, 0, 1, 1, 0});
}

TEST_CASE("expression_compiler: the right side of AND runs only where the left does not decide") {
    // x <> 0 AND 10 / x > 1: the interpreter never divides the row where x = 0.
    Column<int64_t> x({0, 2, 20, std::nullopt});
    Input input;
    input.Add(x);
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        auto expr = ir::Expr::Conjunction(
            ExprType::And, Cmp(CompareOp::NotEq, Col(0, kBigInt), BigInt(0)),
            Cmp(CompareOp::Gt, Fn(ScalarFunctionId::Divide, kBigInt, BigInt(10), Col(0, kBigInt)), BigInt(1)));
        auto out = Evaluate<uint8_t>(*expr, input, tier);
        CHECK(out.values == std::vector<uint8_t>{0, 1, 0, 0});
        CHECK(out.valid == std::vector<uint8_t>{1, 1, 1, 0});
    }
}

TEST_CASE("expression_compiler: casts between the numeric types") {
    Column<double> d({2.5, -2.5, 0.49, 1e10});
    Input input;
    input.Add(d);
    SUBCASE("DOUBLE to INTEGER rounds half away from zero and checks the range") {
        auto cast = ir::Expr::Cast(Col(0, kDouble), kInteger);
        Error e = ExpectError<int32_t>(*cast, input);
        CHECK(e.Message() == "integer out of range");
        auto try_cast = ir::Expr::Cast(Col(0, kDouble), kInteger, /*try_cast=*/true);
        auto out = Evaluate<int32_t>(*try_cast, input);
        CHECK(out.values[0] == 3);
        CHECK(out.values[1] == -3);
        CHECK(out.values[2] == 0);
        CHECK(out.valid == std::vector<uint8_t>{1, 1, 1, 0});
        auto wide = Evaluate<int64_t>(*ir::Expr::Cast(Col(0, kDouble), kBigInt), input);
        CHECK(wide.values[3] == 10000000000);
    }
    SUBCASE("BIGINT to INTEGER, INTEGER to DOUBLE, numbers to BOOLEAN") {
        Column<int64_t> big({7, -1, int64_t{kMax32} + 1});
        Input bin;
        bin.Add(big);
        Error e = ExpectError<int32_t>(*ir::Expr::Cast(Col(0, kBigInt), kInteger), bin);
        CHECK(e.Message() == "integer out of range");
        auto as_double = Evaluate<double>(*ir::Expr::Cast(Col(0, kBigInt), kDouble), bin);
        CHECK(as_double.values[1] == -1.0);
        auto as_bool = Evaluate<uint8_t>(*ir::Expr::Cast(Col(0, kBigInt), kBoolean), bin);
        CHECK(as_bool.values == std::vector<uint8_t>{1, 1, 1});
    }
}

TEST_CASE("expression_compiler: parameters and lifted constants come from the parameter block") {
    Column<int64_t> x({1, 5, 9});
    Input input;
    input.Add(x);
    // x > $0 AND x < 8
    auto expr = ir::Expr::Conjunction(ExprType::And, Cmp(CompareOp::Gt, Col(0, kBigInt), Param(0, kBigInt)),
                                      Cmp(CompareOp::Lt, Col(0, kBigInt), BigInt(8)));
    auto out = Evaluate<uint8_t>(*expr, input, Tier::Optimized, {Value::BigInt(2)});
    CHECK(out.values == std::vector<uint8_t>{0, 1, 0});
    auto null_param = Evaluate<uint8_t>(*expr, input, Tier::Optimized, {Value::Null(kBigInt)});
    // NULL AND (x < 8): NULL where x < 8, FALSE otherwise.
    CHECK(null_param.valid == std::vector<uint8_t>{0, 0, 1});
}

TEST_CASE("expression_compiler: unsupported expressions are 0A000 'not compiled yet'") {
    auto text = Const(Value::Varchar("abc"));
    CHECK(!WhyNotCompilable(*text).empty());
    try {
        CompileExpression(*text);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(std::string(e.Code()) == "0A000");
        CHECK(e.Message().find("not compiled yet") != std::string::npos);
    }
    auto abs = Fn(ScalarFunctionId::Abs, kBigInt, Col(0, kBigInt));
    CHECK_THROWS_AS(CompileExpression(*abs), Error);
}
