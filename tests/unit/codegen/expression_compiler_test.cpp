#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <random>

#include "codegen_test_util.hpp"
#include "common/datetime.hpp"
#include "runtime/runtime.hpp"

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

LogicalType Dec(uint8_t width, uint8_t scale) { return LogicalType::Decimal(width, scale); }
ir::ExprPtr DecConst(int64_t unscaled, uint8_t width, uint8_t scale) {
    return Const(Value::Decimal(unscaled, width, scale));
}

/// Columns with their SQL types, which the interpreter needs and compiled code does not.
struct TypedInput {
    Input input;
    std::vector<LogicalType> types;

    template <class T>
    TypedInput& Add(const Column<T>& column, LogicalType type) {
        input.Add(column);
        types.push_back(type);
        return *this;
    }
};

/// What one executor made of an expression: each row (nullopt = NULL), or its
/// error as "<SQLSTATE> <message>".
template <class T>
struct Outcome {
    std::vector<std::optional<T>> rows;
    std::string error;
};

template <class T>
Outcome<T> RunCompiled(const ir::Expr& expr, const TypedInput& typed, Tier tier, const std::vector<Value>& params) {
    Outcome<T> outcome;
    try {
        Output<T> out = Evaluate<T>(expr, typed.input, tier, params);
        for (size_t row = 0; row < out.values.size(); ++row)
            outcome.rows.push_back(out.valid[row] ? std::optional<T>(out.values[row]) : std::nullopt);
    } catch (const Error& e) {
        outcome.error = std::string(e.Code()) + " " + e.Message();
    }
    return outcome;
}

/// The reference: the same expression over the same columns in runtime's ExpressionExecutor.
template <class T>
Outcome<T> RunInterpreted(const ir::Expr& expr, const TypedInput& typed, const std::vector<Value>& params) {
    const uint64_t rows = typed.input.rows;
    DataChunk chunk;
    chunk.Initialize(typed.types, std::max<uint64_t>(rows, 1));
    chunk.size = rows;
    for (size_t col_idx = 0; col_idx < typed.types.size(); ++col_idx) {
        Vector& column = chunk.columns[col_idx];
        std::memcpy(column.RawData(), typed.input.columns[col_idx], rows * PhysicalSize(column.Physical()));
        const uint64_t* bitmap = typed.input.validity[col_idx];
        for (uint64_t row = 0; bitmap && row < rows; ++row)
            if (!((bitmap[row / 64] >> (row % 64)) & 1)) column.Validity().SetInvalid(row);
    }
    runtime::ExecutionContext context;
    context.parameters = params;
    runtime::ExpressionExecutor executor(context);
    Outcome<T> outcome;
    try {
        Vector result = executor.Evaluate(expr, chunk);
        for (uint64_t row = 0; row < rows; ++row)
            outcome.rows.push_back(result.Validity().RowIsValid(row) ? std::optional<T>(result.Data<T>()[row])
                                                                     : std::nullopt);
    } catch (const Error& e) {
        outcome.error = std::string(e.Code()) + " " + e.Message();
    }
    return outcome;
}

/// Checks that `expr` compiles and that both tiers give the interpreter's rows
/// (or its error, SQLSTATE and message); returns the interpreter's outcome.
template <class T>
Outcome<T> CheckLikeInterpreter(const ir::Expr& expr, const TypedInput& typed, const std::vector<Value>& params = {}) {
    CAPTURE(expr.ToString());
    REQUIRE(WhyNotCompilable(expr) == "");
    const Outcome<T> expected = RunInterpreted<T>(expr, typed, params);
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        const std::string tier_name = TierName(tier);
        CAPTURE(tier_name);
        const Outcome<T> compiled = RunCompiled<T>(expr, typed, tier, params);
        CHECK(compiled.error == expected.error);
        if (!expected.error.empty() || !compiled.error.empty()) continue;
        REQUIRE(compiled.rows.size() == expected.rows.size());
        for (size_t row = 0; row < expected.rows.size(); ++row) {
            CAPTURE(row);
            CHECK(compiled.rows[row].has_value() == expected.rows[row].has_value());
            if (compiled.rows[row] && expected.rows[row]) CHECK(*compiled.rows[row] == *expected.rows[row]);
        }
    }
    return expected;
}

const CompareOp kCompareOps[] = {CompareOp::Eq,   CompareOp::NotEq,        CompareOp::Lt,
                                 CompareOp::LtEq, CompareOp::Gt,           CompareOp::GtEq,
                                 CompareOp::DistinctFrom, CompareOp::NotDistinctFrom};

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
    // A VARCHAR value compiles inside a pipeline, but a lone expression's output is fixed-width.
    auto text = Const(Value::Varchar("abc"));
    CHECK(WhyNotCompilable(*text).empty());
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

TEST_CASE("expression_compiler: DATE comparisons, IS NULL and day arithmetic match the interpreter") {
    const int32_t d1994 = DaysFromCivil(1994, 1, 1), d1995 = DaysFromCivil(1995, 1, 1);
    Column<int32_t> d({d1994 - 1, d1994, d1994 + 200, std::nullopt, d1995, MinDateDays()});
    Column<int32_t> e({d1994, d1994, d1994, d1994, std::nullopt, d1995});
    Column<int64_t> n({1, -365, 0, 5, 7, 0});
    TypedInput input;
    input.Add(d, kDate).Add(e, kDate).Add(n, kBigInt);
    for (CompareOp op : kCompareOps) CheckLikeInterpreter<uint8_t>(*Cmp(op, Col(0, kDate), Col(1, kDate)), input);

    // TPC-H Q6's date range, with a constant and a parameter.
    auto range = ir::Expr::Conjunction(ExprType::And, Cmp(CompareOp::GtEq, Col(0, kDate), Const(Value::Date(d1994))),
                                       Cmp(CompareOp::Lt, Col(0, kDate), Param(0, kDate)));
    auto in_1994 = CheckLikeInterpreter<uint8_t>(*range, input, {Value::Date(d1995)});
    CHECK(in_1994.rows == std::vector<std::optional<uint8_t>>{0, 1, 1, std::nullopt, 0, 0});
    CheckLikeInterpreter<uint8_t>(*Unary(ExprType::IsNull, Col(0, kDate)), input);

    auto plus = CheckLikeInterpreter<int32_t>(*Fn(ScalarFunctionId::DateAddDays, kDate, Col(0, kDate), Int(31)), input);
    CHECK(plus.rows[1] == d1994 + 31);
    CheckLikeInterpreter<int32_t>(*Fn(ScalarFunctionId::DateSubDays, kDate, Col(0, kDate), Col(2, kBigInt)), input);
    auto diff = CheckLikeInterpreter<int32_t>(
        *Fn(ScalarFunctionId::DateDiffDays, kInteger, Col(0, kDate), Col(1, kDate)), input);
    CHECK(diff.rows[2] == 200);
    CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::DateDiffDays, kBigInt, Col(0, kDate), Col(1, kDate)), input);

    SUBCASE("leaving the DATE range is 22008 date out of range") {
        // Row 5 is the first day: one day earlier does not exist.
        auto before_first = CheckLikeInterpreter<int32_t>(
            *Fn(ScalarFunctionId::DateSubDays, kDate, Col(0, kDate), Int(1)), input);
        CHECK(before_first.error == "22008 date out of range");
        Column<int32_t> last({MaxDateDays(), d1994});
        Column<int64_t> days({0, std::numeric_limits<int64_t>::max()});
        TypedInput edge;
        edge.Add(last, kDate).Add(days, kBigInt);
        auto past = CheckLikeInterpreter<int32_t>(
            *Fn(ScalarFunctionId::DateAddDays, kDate, Col(0, kDate), Col(1, kBigInt)), edge);
        CHECK(past.error == "22008 date out of range");
    }
}

TEST_CASE("expression_compiler: DECIMAL arithmetic at mixed scales matches the interpreter") {
    const LogicalType d92 = Dec(9, 2), d64 = Dec(6, 4);
    // 123.45, -0.05, NULL, 999999.99, 0.00, -1.00
    Column<int64_t> a({12345, -5, std::nullopt, 99999999, 0, -100});
    // 0.0005, 1.2345, 1.0000, NULL, -9.9999, 0.0050
    Column<int64_t> b({5, 12345, 10000, std::nullopt, -99999, 50});
    Column<int32_t> i({3, -7, 0, 2147483647, std::nullopt, 1});
    TypedInput input;
    input.Add(a, d92).Add(b, d64).Add(i, kInteger);

    // As the binder builds a + b: both operands cast to DECIMAL(18,4) first.
    auto bound_sum = CheckLikeInterpreter<int64_t>(
        *Fn(ScalarFunctionId::Add, Dec(12, 4), ir::Expr::Cast(Col(0, d92), Dec(18, 4)),
            ir::Expr::Cast(Col(1, d64), Dec(18, 4))),
        input);
    CHECK(bound_sum.rows[0] == 1234505);  // 123.4505
    CHECK(bound_sum.rows[1] == 11845);    // 1.1845
    // Without the casts the operator aligns the scales itself.
    CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Add, Dec(12, 4), Col(0, d92), Col(1, d64)), input);
    CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Subtract, Dec(12, 4), Col(1, d64), Col(0, d92)), input);
    // An integer operand enters at scale 0.
    auto minus_int = CheckLikeInterpreter<int64_t>(
        *Fn(ScalarFunctionId::Subtract, Dec(13, 2), Col(0, d92), Col(2, kInteger)), input);
    CHECK(minus_int.rows[1] == 695);  // -0.05 - -7
    auto product =
        CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Multiply, Dec(15, 6), Col(0, d92), Col(1, d64)), input);
    CHECK(product.rows[1] == -61725);  // -0.05 * 1.2345 = -0.061725
    CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Multiply, Dec(18, 2), Col(0, d92), Col(2, kInteger)), input);
    CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Multiply, Dec(12, 4), DecConst(2, 1, 0), Col(1, d64)), input);
    auto remainder =
        CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Modulo, Dec(9, 4), Col(0, d92), Col(1, d64)), input);
    CHECK(remainder.rows[0] == 0);  // 123.45 % 0.0005
    CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Negate, d92, Col(0, d92)), input);

    SUBCASE("a decimal remainder by zero is 22012") {
        Column<int64_t> zero({100, 0});
        Column<int64_t> x({7, 7});
        TypedInput divide;
        divide.Add(x, d92).Add(zero, d92);
        auto out = CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Modulo, d92, Col(0, d92), Col(1, d92)), divide);
        CHECK(out.error == "22012 division by zero");
    }
}

TEST_CASE("expression_compiler: DECIMAL overflow is 22003 numeric out of range, as in the interpreter") {
    const LogicalType d180 = Dec(18, 0), d182 = Dec(18, 2);
    const int64_t six = 600000000000000000;  // 6 * 10^17
    auto expect_overflow = [](const ir::Expr& expr, const TypedInput& input) {
        auto out = CheckLikeInterpreter<int64_t>(expr, input);
        CHECK(out.error == "22003 numeric out of range");
    };
    auto expect_overflow_compare = [](const ir::Expr& expr, const TypedInput& input) {
        auto out = CheckLikeInterpreter<uint8_t>(expr, input);
        CHECK(out.error == "22003 numeric out of range");
    };
    Column<int64_t> x({1, six, -six});
    Column<int64_t> y({2, six - 1, std::nullopt});
    TypedInput input;
    input.Add(x, d180).Add(y, d180);
    SUBCASE("+ and - reach 18 digits") {
        expect_overflow(*Fn(ScalarFunctionId::Add, d180, Col(0, d180), Col(0, d180)), input);
        expect_overflow(*Fn(ScalarFunctionId::Subtract, d180, DecConst(-six, 18, 0), Col(0, d180)), input);
        // 6e17 + (6e17 - 1) has 19 digits; row 2 (NULL) is not computed.
        expect_overflow(*Fn(ScalarFunctionId::Add, d180, Col(0, d180), Col(1, d180)), input);
        Column<int64_t> fits({six, 399999999999999999});
        TypedInput ok;
        ok.Add(fits, d180);
        auto sum = CheckLikeInterpreter<int64_t>(
            *Fn(ScalarFunctionId::Add, d180, Col(0, d180), DecConst(399999999999999999, 18, 0)), ok);
        CHECK(sum.rows[0] == 999999999999999999);
    }
    SUBCASE("* past 18 digits, and past int64") {
        Column<int64_t> billion({1000000000, 5});
        Column<int64_t> factor({999999999, 4});
        TypedInput fits;
        fits.Add(billion, Dec(10, 0)).Add(factor, Dec(9, 0));
        CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Multiply, d180, Col(0, Dec(10, 0)), Col(1, Dec(9, 0))),
                                      fits);
        expect_overflow(*Fn(ScalarFunctionId::Multiply, d180, Col(0, Dec(10, 0)), Col(0, Dec(10, 0))), fits);
        expect_overflow(*Fn(ScalarFunctionId::Multiply, d180, Col(0, d180), DecConst(100, 3, 0)), input);
    }
    SUBCASE("casts check the target's digits; TRY_CAST gives NULL") {
        Column<int32_t> n({999, 1000, std::nullopt});
        TypedInput ints;
        ints.Add(n, kInteger);
        expect_overflow(*ir::Expr::Cast(Col(0, kInteger), Dec(5, 2)), ints);
        auto tried =
            CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, kInteger), Dec(5, 2), /*try_cast=*/true), ints);
        CHECK(tried.rows == std::vector<std::optional<int64_t>>{99900, std::nullopt, std::nullopt});
        expect_overflow(*ir::Expr::Cast(Col(0, d180), d182), input);
    }
    SUBCASE("comparing decimals of different scales scales the smaller one up, which can overflow") {
        Column<int64_t> big({1, 10000000000000000});  // 10^16 at scale 0 is 10^18 at scale 2
        Column<int64_t> cents({100, 5});
        TypedInput both;
        both.Add(big, d180).Add(cents, d182);
        expect_overflow_compare(*Cmp(CompareOp::Gt, Col(0, d180), Col(1, d182)), both);
        Column<int64_t> bigger({1, 100000000000000000});  // * 100 leaves int64
        TypedInput wide;
        wide.Add(bigger, d180).Add(cents, d182);
        expect_overflow_compare(*Cmp(CompareOp::Eq, Col(0, d180), Col(1, d182)), wide);
        // BIGINT against a decimal: the BIGINT becomes a decimal first.
        Column<int64_t> huge({5, 1000000000000000000});
        TypedInput mixed;
        mixed.Add(huge, kBigInt).Add(cents, Dec(10, 0));
        expect_overflow_compare(*Cmp(CompareOp::Lt, Col(0, kBigInt), Col(1, Dec(10, 0))), mixed);
    }
    SUBCASE("a NULL row never raises") {
        Column<int64_t> v({1, std::nullopt});
        v.values[1] = six;  // garbage under the NULL
        TypedInput nulls;
        nulls.Add(v, d180);
        auto out = CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Add, d180, Col(0, d180), Col(0, d180)), nulls);
        CHECK(out.rows == std::vector<std::optional<int64_t>>{2, std::nullopt});
    }
}

TEST_CASE("expression_compiler: DECIMAL casts round half away from zero and comparisons align scales") {
    const LogicalType d104 = Dec(10, 4);
    // 1.2345, 1.2355, -1.2350, 0.5000, -0.5000, 0.4999, 1.5000, -1.5000, 1.4999, NULL
    Column<int64_t> v({12345, 12355, -12350, 5000, -5000, 4999, 15000, -15000, 14999, std::nullopt});
    Column<int32_t> i({1, 2, -1, 0, -1, 0, 1, -2, 2, 0});
    Column<double> f({1.2345, 1.2, -1.235, 0.5, -0.6, 0.4999, 2.0, -1.5, 1.5, 0.0});
    TypedInput input;
    input.Add(v, d104).Add(i, kInteger).Add(f, kDouble);

    auto to_scale_2 = CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, d104), Dec(10, 2)), input);
    CHECK(to_scale_2.rows == std::vector<std::optional<int64_t>>{123, 124, -124, 50, -50, 50, 150, -150, 150,
                                                                 std::nullopt});
    auto to_int = CheckLikeInterpreter<int32_t>(*ir::Expr::Cast(Col(0, d104), kInteger), input);
    CHECK(to_int.rows == std::vector<std::optional<int32_t>>{1, 1, -1, 1, -1, 0, 2, -2, 1, std::nullopt});
    CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, d104), kBigInt), input);
    CheckLikeInterpreter<int32_t>(*ir::Expr::Cast(Col(0, d104), LogicalType(TypeId::SmallInt)), input);
    CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, d104), Dec(12, 6)), input);
    CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, d104), Dec(18, 0)), input);
    auto narrow = CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, d104), Dec(2, 2)), input);
    CHECK(narrow.error == "22003 numeric out of range");  // 1.23 needs 3 digits
    auto as_double = CheckLikeInterpreter<double>(*ir::Expr::Cast(Col(0, d104), kDouble), input);
    CHECK(as_double.rows[0] == 12345 / 10000.0);
    CheckLikeInterpreter<double>(*ir::Expr::Cast(Col(0, d104), LogicalType(TypeId::Real)), input);
    CheckLikeInterpreter<uint8_t>(*ir::Expr::Cast(Col(0, d104), kBoolean), input);
    CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(1, kInteger), d104), input);
    CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Cmp(CompareOp::Gt, Col(1, kInteger), Int(0)), Dec(3, 2)), input);
    auto true_too_wide = CheckLikeInterpreter<int64_t>(
        *ir::Expr::Cast(Cmp(CompareOp::Gt, Col(1, kInteger), Int(0)), Dec(2, 2)), input);
    CHECK(true_too_wide.error == "22003 numeric out of range");  // 1.00 does not fit DECIMAL(2,2)

    for (CompareOp op : kCompareOps) {
        CAPTURE(ir::CompareOpSql(op));
        CheckLikeInterpreter<uint8_t>(*Cmp(op, Col(0, d104), DecConst(150, 9, 2)), input);      // 1.50
        CheckLikeInterpreter<uint8_t>(*Cmp(op, Col(0, d104), Col(1, kInteger)), input);         // at scale 4
        CheckLikeInterpreter<uint8_t>(*Cmp(op, Col(0, d104), Col(2, kDouble)), input);          // as DOUBLE
        CheckLikeInterpreter<uint8_t>(*Cmp(op, Col(0, d104), Param(0, Dec(5, 1))), input, {Value::Decimal(15, 5, 1)});
    }
    auto between = CheckLikeInterpreter<uint8_t>(
        *ir::Expr::Conjunction(ExprType::And, Cmp(CompareOp::GtEq, Col(0, d104), DecConst(5, 3, 2)),
                               Cmp(CompareOp::LtEq, Col(0, d104), DecConst(150, 3, 2))),
        input);
    CHECK(between.rows == std::vector<std::optional<uint8_t>>{1, 1, 0, 1, 0, 1, 1, 0, 1, std::nullopt});
}

TEST_CASE("expression_compiler: random DECIMAL expressions give the interpreter's results and errors") {
    const uint32_t seed = 20240611;
    MESSAGE("seed " << seed);
    std::mt19937_64 rng(seed);
    // Magnitudes from 0 to 18 digits, so that results land on both sides of the limits.
    auto random_value = [&](int digits) {
        const int64_t bound = kPowersOfTen[std::uniform_int_distribution<int>(0, digits)(rng)];
        return std::uniform_int_distribution<int64_t>(-bound + 1, bound - 1)(rng);
    };
    auto random_decimal = [&] {
        const auto width = static_cast<uint8_t>(std::uniform_int_distribution<int>(1, 18)(rng));
        return Dec(width, static_cast<uint8_t>(std::uniform_int_distribution<int>(0, width)(rng)));
    };
    for (int round = 0; round < 25; ++round) {
        CAPTURE(round);
        const LogicalType a_type = random_decimal(), b_type = random_decimal();
        const LogicalType c_type = Dec(18, a_type.scale);
        std::vector<std::optional<int64_t>> a_rows, b_rows, c_rows;
        for (int row = 0; row < 40; ++row) {
            a_rows.push_back(row % 9 == 0 ? std::nullopt : std::optional<int64_t>(random_value(a_type.width)));
            b_rows.push_back(row % 7 == 0 ? std::nullopt : std::optional<int64_t>(random_value(b_type.width)));
            c_rows.push_back(random_value(c_type.width));
        }
        Column<int64_t> a(a_rows), b(b_rows), c(c_rows);
        TypedInput input;
        input.Add(a, a_type).Add(b, b_type).Add(c, c_type);
        const uint8_t scale = std::max(a_type.scale, b_type.scale);
        CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Add, Dec(18, scale), Col(0, a_type), Col(1, b_type)),
                                      input);
        CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Subtract, Dec(18, scale), Col(0, a_type), Col(1, b_type)),
                                      input);
        // Operands at one scale: a rescaling cast failing on another row than a zero divisor
        // would raise a different first error (the known gap in codegen/README.md).
        CheckLikeInterpreter<int64_t>(
            *Fn(ScalarFunctionId::Modulo, c_type, Col(0, a_type), Col(2, c_type)), input);
        if (a_type.scale + b_type.scale <= kMaxDecimalWidth)
            CheckLikeInterpreter<int64_t>(*Fn(ScalarFunctionId::Multiply,
                                              Dec(18, static_cast<uint8_t>(a_type.scale + b_type.scale)),
                                              Col(0, a_type), Col(1, b_type)),
                                          input);
        CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, a_type), b_type), input);
        CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, a_type), b_type, /*try_cast=*/true), input);
        CheckLikeInterpreter<int64_t>(*ir::Expr::Cast(Col(0, a_type), kBigInt), input);
        CheckLikeInterpreter<int32_t>(*ir::Expr::Cast(Col(0, a_type), kInteger, /*try_cast=*/true), input);
        CheckLikeInterpreter<double>(*ir::Expr::Cast(Col(0, a_type), kDouble), input);
        for (CompareOp op : kCompareOps) CheckLikeInterpreter<uint8_t>(*Cmp(op, Col(0, a_type), Col(1, b_type)), input);
    }
}

TEST_CASE("expression_compiler: what DECIMAL and DATE do not lower inline are row calls") {
    const LogicalType d92 = Dec(9, 2), d64 = Dec(6, 4);
    const LogicalType timestamp(TypeId::Timestamp);
    std::vector<ir::ExprPtr> calls;
    calls.push_back(Fn(ScalarFunctionId::Divide, Dec(18, 6), Col(0, d92), Col(1, d64)));
    // The product's scale is 6; the interpreter rounds it to 2.
    calls.push_back(Fn(ScalarFunctionId::Multiply, Dec(18, 2), Col(0, d92), Col(1, d64)));
    calls.push_back(ir::Expr::Cast(Col(0, kDouble), d92));
    calls.push_back(ir::Expr::Cast(Col(0, kDate), timestamp));
    calls.push_back(ir::Expr::Cast(Col(0, kInteger), kDate));
    calls.push_back(Fn(ScalarFunctionId::Add, kInteger, Col(0, kDate), Int(1)));
    calls.push_back(Fn(ScalarFunctionId::DateAddDays, kDate, Col(0, kDate), Dbl(1.0)));
    for (const ir::ExprPtr& expr : calls) {
        CAPTURE(expr->ToString());
        // Pipelines compile them as calls of the interpreter's code (runtime/row_calls.hpp) ...
        CHECK(WhyNotCompilable(*expr).empty());
        CHECK(NeedsRowCalls(*expr));
        // ... which a lone expression has no state for.
        try {
            CompileExpression(*expr);
            FAIL("expected 0A000");
        } catch (const Error& e) {
            CHECK(std::string(e.Code()) == "0A000");
            CHECK(e.Message() == "a call of the interpreter's " + expr->ToString() + " alone is not compiled yet");
        }
    }
    // A comparison across types the interpreter compares through a cast stays refused, with its reason.
    auto mixed = Cmp(CompareOp::Eq, Col(0, kDate), Col(1, kInteger));
    const std::string reason = WhyNotCompilable(*mixed);
    CHECK(reason == "a comparison of DATE with INTEGER");
    CHECK_THROWS_WITH(CompileExpression(*mixed), (reason + " is not compiled yet").c_str());
    // Interpreter code as such is not a row call: compiled comparisons and arithmetic are inline.
    CHECK(!NeedsRowCalls(*Fn(ScalarFunctionId::Add, kInteger, Col(0, kInteger), Int(1))));
}

TEST_CASE("expression_compiler: CASE takes the first true condition, and runs a branch only where chosen") {
    Column<int64_t> x({0, 2, 20, std::nullopt, -3, 7});
    TypedInput input;
    input.Add(x, kBigInt);
    auto make_case = [](std::vector<ir::ExprPtr> children, LogicalType type) {
        auto expr = std::make_unique<ir::Expr>(ExprType::Case, type);
        for (auto& child : children) expr->children.push_back(std::move(child));
        return expr;
    };
    // CASE WHEN x = 0 THEN -1 WHEN x > 5 THEN 100 / x ELSE x * 2 END: 100 / x never sees x = 0.
    std::vector<ir::ExprPtr> arms;
    arms.push_back(Cmp(CompareOp::Eq, Col(0, kBigInt), BigInt(0)));
    arms.push_back(BigInt(-1));
    arms.push_back(Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(5)));
    arms.push_back(Fn(ScalarFunctionId::Divide, kBigInt, BigInt(100), Col(0, kBigInt)));
    arms.push_back(Fn(ScalarFunctionId::Multiply, kBigInt, Col(0, kBigInt), BigInt(2)));
    auto chosen = CheckLikeInterpreter<int64_t>(*make_case(std::move(arms), kBigInt), input);
    CHECK(chosen.rows == std::vector<std::optional<int64_t>>{-1, 4, 5, std::nullopt, -6, 14});

    // A NULL condition is not true; the ELSE may be NULL.
    std::vector<ir::ExprPtr> nullable;
    nullable.push_back(Cmp(CompareOp::Lt, Col(0, kBigInt), BigInt(3)));
    nullable.push_back(Fn(ScalarFunctionId::Subtract, kBigInt, Col(0, kBigInt), BigInt(1)));
    nullable.push_back(Const(Value::Null(kBigInt)));
    auto with_nulls = CheckLikeInterpreter<int64_t>(*make_case(std::move(nullable), kBigInt), input);
    CHECK(with_nulls.rows == std::vector<std::optional<int64_t>>{-1, 1, std::nullopt, std::nullopt, -4, std::nullopt});

    // A failing branch that is chosen fails as in the interpreter.
    std::vector<ir::ExprPtr> failing;
    failing.push_back(Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(-5)));
    failing.push_back(Fn(ScalarFunctionId::Divide, kBigInt, BigInt(1), Col(0, kBigInt)));
    failing.push_back(BigInt(0));
    auto division = CheckLikeInterpreter<int64_t>(*make_case(std::move(failing), kBigInt), input);
    CHECK(division.error == "22012 division by zero");
}
