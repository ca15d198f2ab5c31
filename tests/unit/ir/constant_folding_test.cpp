// Plan-equality tests for ir/passes/constant_folding.cpp (FoldConstants, FoldExpression).
#include <doctest/doctest.h>

#include "ir/optimizer.hpp"
#include "runtime/execution_context.hpp"
#include "runtime/expression_executor.hpp"
#include "plan_builder.hpp"

using namespace grizzly;
using namespace grizzly::test;

namespace {

/// An optimizer context whose evaluator is the interpreter's, as api/client_context.cpp wires it.
struct FoldingFixture {
    ir::OptimizerContext ctx;
    std::unique_ptr<storage::TableEntry> table = MakeTable("t", {"a", "b"});

    FoldingFixture() {
        ctx.evaluate = [this](const Expr& expr) {
            runtime::ExecutionContext exec;
            exec.optimizer = &ctx;
            return runtime::EvaluateConstant(expr, exec);
        };
    }

    /// PROJECTION #1 [exprs] over GET t #0.
    LogicalOpPtr Projection(std::vector<ExprPtr> exprs) { return Project(1, Get(*table, 0), std::move(exprs)); }

    /// Folds `input` as the only expression of a projection and compares with `expected`.
    void CheckFolds(ExprPtr input, ExprPtr expected) {
        auto plan = ir::FoldConstants(Projection(Exprs(std::move(input))), ctx);
        auto want = Projection(Exprs(std::move(expected)));
        GZ_CHECK_PLAN_EQ(*plan, *want);
    }
};

ExprPtr A() { return Col(0, 0); }
ExprPtr B() { return Col(0, 1); }

}  // namespace

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: 1 + 2 becomes 3") {
    CheckFolds(Add(Int(1), Int(2)), Int(3));
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: constant subtrees fold inside expressions over columns") {
    // a + (1 + 2) becomes a + 3; the column reference itself is never folded.
    CheckFolds(Add(A(), Add(Int(1), Int(2))), Add(A(), Int(3)));
    CheckFolds(Gt(A(), Add(Int(40), Int(2))), Gt(A(), Int(42)));
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: strict operations with a NULL operand become NULL") {
    SUBCASE("NULL > a") { CheckFolds(Gt(Null(kIntType), A()), Null(kBoolType)); }
    SUBCASE("a + NULL") { CheckFolds(Add(A(), Null(kIntType)), Null(kIntType)); }
    SUBCASE("NULL > a / 0 is NULL without evaluating the division") {
        CheckFolds(Gt(Null(kIntType), Div(A(), Int(0))), Null(kBoolType));
    }
    SUBCASE("NULL > 1 / 0 is NULL, not a division error") {
        CheckFolds(Gt(Null(kIntType), Div(Int(1), Int(0))), Null(kBoolType));
    }
    SUBCASE("NOT NULL") { CheckFolds(Not(Null(kBoolType)), Null(kBoolType)); }
    SUBCASE("NULL IN (a, 1)") { CheckFolds(In(Null(kIntType), Exprs(A(), Int(1))), Null(kBoolType)); }
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: non-strict operations keep their NULL operand") {
    SUBCASE("a IS DISTINCT FROM NULL") {
        CheckFolds(Cmp(CompareOp::DistinctFrom, A(), Null(kIntType)),
                   Cmp(CompareOp::DistinctFrom, A(), Null(kIntType)));
    }
    SUBCASE("a IS NULL") { CheckFolds(IsNull(A()), IsNull(A())); }
    SUBCASE("NULL IS NULL is evaluated") { CheckFolds(IsNull(Null(kIntType)), Bool(true)); }
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: AND/OR decided by a constant FALSE/TRUE") {
    SUBCASE("FALSE AND a > 1") { CheckFolds(And(Bool(false), Gt(A(), Int(1))), Bool(false)); }
    SUBCASE("a > 1 OR TRUE") { CheckFolds(Or(Gt(A(), Int(1)), Bool(true)), Bool(true)); }
    SUBCASE("NULL AND FALSE is FALSE") { CheckFolds(And(Null(kBoolType), Bool(false)), Bool(false)); }
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: CASE branches with constant conditions are pruned") {
    SUBCASE("FALSE and NULL branches dropped, TRUE branch becomes the ELSE") {
        CheckFolds(Case(kIntType, Exprs(Bool(false), Int(1), Null(kBoolType), Int(2), Gt(A(), Int(0)), Int(3),
                                        Bool(true), Int(4), Int(5))),
                   Case(kIntType, Exprs(Gt(A(), Int(0)), Int(3), Int(4))));
    }
    SUBCASE("a first TRUE branch replaces the whole CASE") {
        CheckFolds(Case(kIntType, Exprs(Bool(true), A(), Gt(A(), Int(0)), Int(1), Int(2))), A());
    }
    SUBCASE("conditions that fold to TRUE count as constant") {
        CheckFolds(Case(kIntType, Exprs(Eq(Int(1), Int(1)), B(), Int(0))), B());
    }
    SUBCASE("all conditions FALSE leaves the ELSE") {
        CheckFolds(Case(kIntType, Exprs(Bool(false), Int(1), Eq(Int(1), Int(2)), Int(2), A())), A());
    }
    SUBCASE("a guarded division by zero stays unevaluated in its branch") {
        // CASE WHEN a = 0 THEN 0 ELSE 10 / 0 END: the ELSE cannot fold, and must not raise now.
        CheckFolds(Case(kIntType, Exprs(Eq(A(), Int(0)), Int(0), Div(Int(10), Int(0)))),
                   Case(kIntType, Exprs(Eq(A(), Int(0)), Int(0), Div(Int(10), Int(0)))));
    }
    SUBCASE("a CASE of constants folds completely") {
        CheckFolds(Case(kIntType, Exprs(Gt(Int(1), Int(2)), Int(1), Int(7))), Int(7));
    }
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: COALESCE drops NULL constants and everything after a constant") {
    SUBCASE("COALESCE(NULL, a, 5, b) -> COALESCE(a, 5)") {
        CheckFolds(Coalesce(kIntType, Exprs(Null(kIntType), A(), Int(5), B())), Coalesce(kIntType, Exprs(A(), Int(5))));
    }
    SUBCASE("COALESCE(NULL, 7, a) -> 7") { CheckFolds(Coalesce(kIntType, Exprs(Null(kIntType), Int(7), A())), Int(7)); }
    SUBCASE("COALESCE(NULL, a) -> a") { CheckFolds(Coalesce(kIntType, Exprs(Null(kIntType), A())), A()); }
    SUBCASE("COALESCE(NULL, NULL) -> NULL") {
        CheckFolds(Coalesce(kIntType, Exprs(Null(kIntType), Null(kIntType))), Null(kIntType));
    }
    SUBCASE("COALESCE(a, b) unchanged") {
        CheckFolds(Coalesce(kIntType, Exprs(A(), B())), Coalesce(kIntType, Exprs(A(), B())));
    }
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: errors during folding leave the expression unfolded") {
    SUBCASE("1 / 0 stays") { CheckFolds(Div(Int(1), Int(0)), Div(Int(1), Int(0))); }
    SUBCASE("a > 1 / 0 stays") { CheckFolds(Gt(A(), Div(Int(1), Int(0))), Gt(A(), Div(Int(1), Int(0)))); }
    SUBCASE("integer overflow stays") {
        CheckFolds(Add(Int(2147483647), Int(1)), Add(Int(2147483647), Int(1)));
    }
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: volatile functions and parameters are not folded") {
    auto random = [] { return Fn(ScalarFunctionId::Random, kDoubleType, {}); };
    CheckFolds(Gt(random(), Dbl(0.5)), Gt(random(), Dbl(0.5)));
    CheckFolds(Add(Param(0), Add(Int(1), Int(1))), Add(Param(0), Int(2)));
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: TRUE conjuncts are removed from filters") {
    auto plan = ir::FoldConstants(
        Project(1, Filter(Get(*table, 0), Exprs(Eq(Int(1), Int(1)), Gt(A(), Add(Int(1), Int(1))), Bool(true))),
                Exprs(A())),
        ctx);
    auto want = Project(1, Filter(Get(*table, 0), Exprs(Gt(A(), Int(2)))), Exprs(A()));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: folds join conditions, aggregates and sort keys too") {
    auto other = MakeTable("u", {"x"});
    auto input = Sort(Aggregate(3, 4,
                                Join(JoinType::Inner, Get(*table, 0), Get(*other, 2),
                                     Exprs(Eq(A(), Add(Col(2, 0), Add(Int(1), Int(1)))))),
                                Exprs(A()), [] {
                                    std::vector<AggregateExpr> aggs;
                                    aggs.push_back(Agg(AggregateKind::Sum, kBigIntType, Add(B(), Add(Int(2), Int(3)))));
                                    return aggs;
                                }()),
                      Add(Col(3, 0), Add(Int(1), Int(2))));
    auto want = Sort(Aggregate(3, 4,
                               Join(JoinType::Inner, Get(*table, 0), Get(*other, 2),
                                    Exprs(Eq(A(), Add(Col(2, 0), Int(2))))),
                               Exprs(A()), [] {
                                   std::vector<AggregateExpr> aggs;
                                   aggs.push_back(Agg(AggregateKind::Sum, kBigIntType, Add(B(), Int(5))));
                                   return aggs;
                               }()),
                     Add(Col(3, 0), Int(3)));
    auto plan = ir::FoldConstants(std::move(input), ctx);
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: without an evaluator the plan is returned unchanged") {
    ir::OptimizerContext no_eval;
    auto plan = ir::FoldConstants(Projection(Exprs(Add(Int(1), Int(2)))), no_eval);
    auto want = Projection(Exprs(Add(Int(1), Int(2))));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(FoldingFixture, "constant_folding: running the pass twice changes nothing") {
    auto input = Project(
        1,
        Filter(Get(*table, 0), Exprs(Eq(Int(1), Int(1)), Gt(Null(kIntType), A()), Gt(A(), Div(Int(1), Int(0))))),
        Exprs(Add(Int(1), Int(2)), Case(kIntType, Exprs(Bool(false), Int(1), Gt(A(), Int(0)), Int(3), Int(4))),
              Coalesce(kIntType, Exprs(Null(kIntType), A(), Int(5), B())), Div(Int(1), Int(0)),
              In(A(), Exprs(Int(1), Null(kIntType)))));
    auto once = ir::FoldConstants(std::move(input), ctx);
    auto snapshot = once->Copy();
    auto twice = ir::FoldConstants(std::move(once), ctx);
    GZ_CHECK_PLAN_EQ(*twice, *snapshot);
}
