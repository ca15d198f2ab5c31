// Tests for runtime/expression_executor.cpp: lazy evaluation of CASE, AND/OR and
// COALESCE (errors only for rows that reach them), Kleene logic, IN lists.
#include <doctest/doctest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "runtime/expression_executor.hpp"

using namespace grizzly;
using grizzly::ir::CompareOp;
using grizzly::ir::Expr;
using grizzly::ir::ExprPtr;
using grizzly::ir::ExprType;
using grizzly::ir::ScalarFunctionId;
using grizzly::runtime::EvaluateConstant;
using grizzly::runtime::ExecutionContext;
using grizzly::runtime::ExpressionExecutor;
using grizzly::runtime::Rows;

namespace {

const LogicalType kInt(TypeId::Integer);
const LogicalType kBool(TypeId::Boolean);
const LogicalType kVarchar(TypeId::Varchar);

using OptInt = std::optional<int32_t>;
using OptBool = std::optional<bool>;

template <class... E>
std::vector<ExprPtr> Exprs(E&&... e) {
    std::vector<ExprPtr> out;
    (out.push_back(std::forward<E>(e)), ...);
    return out;
}

/// Positional column reference into the evaluated chunk.
ExprPtr Column(uint32_t position, LogicalType type = kInt) {
    auto e = std::make_unique<Expr>(ExprType::ColumnRef, type);
    e->position = position;
    return e;
}
ExprPtr Int(int32_t v) { return Expr::Constant(Value::Integer(v)); }
ExprPtr Null(LogicalType type) { return Expr::Constant(Value::Null(type)); }
ExprPtr Str(const std::string& v) { return Expr::Constant(Value::Varchar(v)); }
ExprPtr Cmp(CompareOp op, ExprPtr l, ExprPtr r) { return Expr::Compare(op, std::move(l), std::move(r)); }
ExprPtr Div(ExprPtr l, ExprPtr r) { return Expr::Function(ScalarFunctionId::Divide, kInt, Exprs(std::move(l), std::move(r))); }
ExprPtr Conj(ExprType t, ExprPtr l, ExprPtr r) { return Expr::Conjunction(t, std::move(l), std::move(r)); }
ExprPtr Case(LogicalType type, std::vector<ExprPtr> children) {
    auto e = std::make_unique<Expr>(ExprType::Case, type);
    e->children = std::move(children);
    return e;
}
ExprPtr Coalesce(std::vector<ExprPtr> args) { return Expr::Function(ScalarFunctionId::Coalesce, kInt, std::move(args)); }
ExprPtr In(ExprPtr operand, std::vector<ExprPtr> list, bool negated = false) {
    auto e = std::make_unique<Expr>(ExprType::InList, kBool);
    e->negated = negated;
    e->children.push_back(std::move(operand));
    for (auto& item : list) e->children.push_back(std::move(item));
    return e;
}
ExprPtr Unary(ExprType t, ExprPtr child) {
    auto e = std::make_unique<Expr>(t, kBool);
    e->children.push_back(std::move(child));
    return e;
}

/// Zeroes the value bytes, so that kernels computing (and then discarding) results
/// for NULL rows read defined memory, as they do over storage data.
void ZeroData(DataChunk& chunk) {
    for (auto& column : chunk.columns)
        std::memset(column.RawData(), 0, PhysicalSize(column.Physical()) * column.Capacity());
}

/// A chunk of INTEGER columns (NULL = nullopt); all columns have the same length.
DataChunk IntChunk(const std::vector<std::vector<OptInt>>& columns) {
    DataChunk chunk;
    std::vector<LogicalType> types(columns.size(), kInt);
    idx_t n = columns.empty() ? 0 : columns[0].size();
    chunk.Initialize(types, std::max<idx_t>(n, 1));
    ZeroData(chunk);
    for (size_t c = 0; c < columns.size(); ++c)
        for (idx_t r = 0; r < n; ++r)
            chunk.columns[c].SetValue(r, columns[c][r] ? Value::Integer(*columns[c][r]) : Value::Null(kInt));
    chunk.size = n;
    return chunk;
}

DataChunk BoolChunk(const std::vector<std::vector<OptBool>>& columns) {
    DataChunk chunk;
    std::vector<LogicalType> types(columns.size(), kBool);
    idx_t n = columns[0].size();
    chunk.Initialize(types, n);
    ZeroData(chunk);
    for (size_t c = 0; c < columns.size(); ++c)
        for (idx_t r = 0; r < n; ++r)
            chunk.columns[c].SetValue(r, columns[c][r] ? Value::Boolean(*columns[c][r]) : Value::Null(kBool));
    chunk.size = n;
    return chunk;
}

std::vector<OptInt> Ints(const Vector& v, const DataChunk& chunk) {
    std::vector<OptInt> out;
    ForEachActive(chunk, [&](uint32_t r) {
        Value x = v.GetValue(r);
        out.push_back(x.IsNull() ? std::nullopt : OptInt(x.GetInt32()));
    });
    return out;
}

std::vector<OptBool> Bools(const Vector& v, const DataChunk& chunk) {
    std::vector<OptBool> out;
    ForEachActive(chunk, [&](uint32_t r) {
        Value x = v.GetValue(r);
        out.push_back(x.IsNull() ? std::nullopt : OptBool(x.GetBool()));
    });
    return out;
}

struct ExecutorFixture {
    ExecutionContext ctx;
    ExpressionExecutor executor{ctx};

    std::vector<OptInt> EvalInts(const Expr& e, const DataChunk& chunk) { return Ints(executor.Evaluate(e, chunk), chunk); }
    std::vector<OptBool> EvalBools(const Expr& e, const DataChunk& chunk) {
        return Bools(executor.Evaluate(e, chunk), chunk);
    }
};

constexpr std::nullopt_t N = std::nullopt;

/// CASE WHEN x = 0 THEN 0 ELSE 10 / x END
ExprPtr GuardedDivision() {
    return Case(kInt, Exprs(Cmp(CompareOp::Eq, Column(0), Int(0)), Int(0), Div(Int(10), Column(0))));
}

}  // namespace

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: unguarded division by zero raises 22012") {
    DataChunk chunk = IntChunk({{0, 5}});
    auto e = Div(Int(10), Column(0));
    try {
        executor.Evaluate(*e, chunk);
        FAIL("expected division by zero");
    } catch (const Error& err) {
        CHECK(err.State() == SqlState::DivisionByZero);
    }
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: CASE evaluates THEN/ELSE only on the rows that reach them") {
    DataChunk chunk = IntChunk({{0, 5, 2, N, 0, -10}});
    auto e = GuardedDivision();
    std::vector<OptInt> result;
    CHECK_NOTHROW(result = EvalInts(*e, chunk));
    // NULL = 0 is NULL, so a NULL x takes the ELSE branch: 10 / NULL is NULL.
    CHECK(result == std::vector<OptInt>{0, 2, 5, N, 0, -1});
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: CASE under a selection vector") {
    DataChunk chunk = IntChunk({{0, 5, 0, 2}});
    chunk.has_sel = true;
    chunk.sel.indices = {1, 2, 3};
    auto e = GuardedDivision();
    CHECK(EvalInts(*e, chunk) == std::vector<OptInt>{2, 0, 5});
    // An unguarded division over the same selection raises only if a selected row is 0.
    chunk.sel.indices = {1, 3};
    auto unguarded = Div(Int(10), Column(0));
    CHECK(EvalInts(*unguarded, chunk) == std::vector<OptInt>{2, 5});
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: CASE takes the first matching branch, NULL conditions do not match") {
    DataChunk chunk = IntChunk({{3, 1, -1, N}});
    // CASE WHEN x > 2 THEN 'big' WHEN x > 0 THEN 'small' ELSE 'other' END
    auto e = Case(kVarchar, Exprs(Cmp(CompareOp::Gt, Column(0), Int(2)), Str("big"), Cmp(CompareOp::Gt, Column(0), Int(0)),
                                  Str("small"), Str("other longer than twelve")));
    Vector v = executor.Evaluate(*e, chunk);
    CHECK(v.GetValue(0) == Value::Varchar("big"));
    CHECK(v.GetValue(1) == Value::Varchar("small"));
    CHECK(v.GetValue(2) == Value::Varchar("other longer than twelve"));
    CHECK(v.GetValue(3) == Value::Varchar("other longer than twelve"));
    // ELSE NULL yields NULL.
    auto no_else = Case(kInt, Exprs(Cmp(CompareOp::Gt, Column(0), Int(2)), Int(1), Null(kInt)));
    CHECK(EvalInts(*no_else, chunk) == std::vector<OptInt>{1, N, N, N});
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: AND and OR follow Kleene logic") {
    // All nine combinations of TRUE, FALSE, NULL.
    std::vector<OptBool> a = {true, true, true, false, false, false, N, N, N};
    std::vector<OptBool> b = {true, false, N, true, false, N, true, false, N};
    DataChunk chunk = BoolChunk({a, b});
    auto and_expr = Conj(ExprType::And, Column(0, kBool), Column(1, kBool));
    auto or_expr = Conj(ExprType::Or, Column(0, kBool), Column(1, kBool));
    CHECK(EvalBools(*and_expr, chunk) == std::vector<OptBool>{true, false, N, false, false, false, N, false, N});
    CHECK(EvalBools(*or_expr, chunk) == std::vector<OptBool>{true, true, true, true, false, N, true, N, N});

    // Three-way conjunctions (the binder may flatten them): a AND b AND NULL, a OR b OR NULL.
    auto and3 = std::make_unique<Expr>(ExprType::And, kBool);
    and3->children = Exprs(Column(0, kBool), Column(1, kBool), Null(kBool));
    CHECK(EvalBools(*and3, chunk) == std::vector<OptBool>{N, false, N, false, false, false, N, false, N});
    auto or3 = std::make_unique<Expr>(ExprType::Or, kBool);
    or3->children = Exprs(Column(0, kBool), Column(1, kBool), Null(kBool));
    CHECK(EvalBools(*or3, chunk) == std::vector<OptBool>{true, true, true, true, N, N, true, N, N});
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: the right side of AND/OR runs only on undecided rows") {
    DataChunk chunk = IntChunk({{0, 5, 20, N}});
    // x <> 0 AND 10 / x > 1: the division never sees x = 0.
    auto and_expr = Conj(ExprType::And, Cmp(CompareOp::NotEq, Column(0), Int(0)),
                         Cmp(CompareOp::Gt, Div(Int(10), Column(0)), Int(1)));
    std::vector<OptBool> and_result;
    CHECK_NOTHROW(and_result = EvalBools(*and_expr, chunk));
    CHECK(and_result == std::vector<OptBool>{false, true, false, N});
    // x = 0 OR 10 / x > 1
    auto or_expr = Conj(ExprType::Or, Cmp(CompareOp::Eq, Column(0), Int(0)),
                        Cmp(CompareOp::Gt, Div(Int(10), Column(0)), Int(1)));
    std::vector<OptBool> or_result;
    CHECK_NOTHROW(or_result = EvalBools(*or_expr, chunk));
    CHECK(or_result == std::vector<OptBool>{true, true, false, N});
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: NOT, IS NULL and IS NOT NULL") {
    DataChunk chunk = BoolChunk({{true, false, N}});
    CHECK(EvalBools(*Unary(ExprType::Not, Column(0, kBool)), chunk) == std::vector<OptBool>{false, true, N});
    CHECK(EvalBools(*Unary(ExprType::IsNull, Column(0, kBool)), chunk) == std::vector<OptBool>{false, false, true});
    CHECK(EvalBools(*Unary(ExprType::IsNotNull, Column(0, kBool)), chunk) == std::vector<OptBool>{true, true, false});
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: COALESCE returns the first non-NULL argument") {
    DataChunk chunk = IntChunk({{1, N, N}, {10, 20, N}});
    auto e = Coalesce(Exprs(Column(0), Column(1), Int(99)));
    CHECK(EvalInts(*e, chunk) == std::vector<OptInt>{1, 20, 99});
    auto all_null = Coalesce(Exprs(Column(0), Null(kInt)));
    CHECK(EvalInts(*all_null, chunk) == std::vector<OptInt>{1, N, N});
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: COALESCE is lazy") {
    auto e = Coalesce(Exprs(Column(0), Div(Int(1), Int(0))));
    SUBCASE("no row needs the second argument: no error") {
        DataChunk chunk = IntChunk({{1, 2, 3}});
        std::vector<OptInt> result;
        CHECK_NOTHROW(result = EvalInts(*e, chunk));
        CHECK(result == std::vector<OptInt>{1, 2, 3});
    }
    SUBCASE("a NULL row reaches the second argument: its error is raised") {
        DataChunk chunk = IntChunk({{1, N, 3}});
        try {
            executor.Evaluate(*e, chunk);
            FAIL("expected division by zero");
        } catch (const Error& err) {
            CHECK(err.State() == SqlState::DivisionByZero);
        }
    }
    SUBCASE("per-row: 10 / x runs only where y is NULL") {
        DataChunk chunk = IntChunk({{0, 5, 0}, {7, N, 8}});
        auto per_row = Coalesce(Exprs(Column(1), Div(Int(10), Column(0))));
        CHECK(EvalInts(*per_row, chunk) == std::vector<OptInt>{7, 2, 8});
    }
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: IN lists follow SQL's NULL rules") {
    DataChunk chunk = IntChunk({{1, 2, N, 3}});
    SUBCASE("x IN (1, 2)") {
        CHECK(EvalBools(*In(Column(0), Exprs(Int(1), Int(2))), chunk) == std::vector<OptBool>{true, true, N, false});
    }
    SUBCASE("x NOT IN (1, 2)") {
        CHECK(EvalBools(*In(Column(0), Exprs(Int(1), Int(2)), true), chunk) ==
              std::vector<OptBool>{false, false, N, true});
    }
    SUBCASE("x IN (1, NULL): a miss is NULL, not FALSE") {
        CHECK(EvalBools(*In(Column(0), Exprs(Int(1), Null(kInt))), chunk) == std::vector<OptBool>{true, N, N, N});
    }
    SUBCASE("x NOT IN (1, NULL): never TRUE") {
        CHECK(EvalBools(*In(Column(0), Exprs(Int(1), Null(kInt)), true), chunk) ==
              std::vector<OptBool>{false, N, N, N});
    }
    SUBCASE("list items can be columns") {
        DataChunk two = IntChunk({{1, 2, 3}, {1, N, 4}});
        CHECK(EvalBools(*In(Column(0), Exprs(Column(1), Int(2))), two) == std::vector<OptBool>{true, true, false});
    }
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: Select returns the rows where a predicate is TRUE") {
    DataChunk chunk = IntChunk({{5, N, 1, 7}});
    auto pred = Cmp(CompareOp::Gt, Column(0), Int(2));
    std::vector<uint32_t> out;
    executor.Select(*pred, chunk, Rows{nullptr, chunk.size}, out);
    CHECK(out == std::vector<uint32_t>{0, 3});  // NULL is not selected
    std::vector<uint32_t> subset = {1, 2, 3};
    executor.Select(*pred, chunk, Rows{subset.data(), subset.size()}, out);
    CHECK(out == std::vector<uint32_t>{3});
}

TEST_CASE_FIXTURE(ExecutorFixture, "expression_executor: EvaluateConstant") {
    auto sum = Expr::Function(ScalarFunctionId::Add, kInt, Exprs(Int(1), Int(2)));
    CHECK(EvaluateConstant(*sum, ctx) == Value::Integer(3));
    auto null_sum = Expr::Function(ScalarFunctionId::Add, kInt, Exprs(Int(1), Null(kInt)));
    Value v = EvaluateConstant(*null_sum, ctx);
    CHECK(v.IsNull());
    CHECK(v.Type() == kInt);  // a NULL result keeps the expression's type
    // CASE WHEN 0 = 0 THEN 0 ELSE 10 / 0 END: the ELSE never runs.
    auto guarded = Case(kInt, Exprs(Cmp(CompareOp::Eq, Int(0), Int(0)), Int(0), Div(Int(10), Int(0))));
    CHECK(EvaluateConstant(*guarded, ctx) == Value::Integer(0));
    auto bad = Div(Int(1), Int(0));
    CHECK_THROWS_AS(EvaluateConstant(*bad, ctx), Error);
}
