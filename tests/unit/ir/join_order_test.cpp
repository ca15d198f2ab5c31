// Plan-equality tests for ir/passes/join_order.cpp (ReorderJoins).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>

#include "ir/optimizer.hpp"
#include "plan_builder.hpp"

using namespace grizzly;
using namespace grizzly::test;

namespace {

/// Three tables of different sizes: a (1000 rows), b (100 rows), c (10 rows).
/// Table indices in plans: a = 0, b = 1, c = 2.
struct JoinFixture {
    ir::OptimizerContext ctx;
    std::unique_ptr<storage::TableEntry> a = MakeTable("a", {"x", "y", "z"});
    std::unique_ptr<storage::TableEntry> b = MakeTable("b", {"x", "y"});
    std::unique_ptr<storage::TableEntry> c = MakeTable("c", {"y"});

    JoinFixture() {
        FillTable(*a, 1000);
        FillTable(*b, 100);
        FillTable(*c, 10);
    }

    LogicalOpPtr GetA() { return Get(*a, 0); }
    LogicalOpPtr GetB() { return Get(*b, 1); }
    LogicalOpPtr GetC() { return Get(*c, 2); }
    LogicalOpPtr GetByIndex(int i) { return i == 0 ? GetA() : i == 1 ? GetB() : GetC(); }

    LogicalOpPtr Reorder(LogicalOpPtr plan) { return ir::ReorderJoins(std::move(plan), ctx); }
};

ExprPtr AX() { return Col(0, 0); }
ExprPtr AY() { return Col(0, 1); }
ExprPtr AZ() { return Col(0, 2); }
ExprPtr BX() { return Col(1, 0); }
ExprPtr BY() { return Col(1, 1); }
ExprPtr CY() { return Col(2, 0); }

}  // namespace

TEST_CASE_FIXTURE(JoinFixture, "join_order: three relations connected by equalities never form a cross product") {
    // FROM <some order of a, b, c> WHERE a.x = b.x AND b.y = c.y: every FROM order gives the
    // same plan: the two smaller relations b and c join first, then a probes their result.
    std::array<int, 3> order = {0, 1, 2};
    do {
        CAPTURE(order[0]);
        CAPTURE(order[1]);
        CAPTURE(order[2]);
        auto input = Filter(Join(JoinType::Cross, Join(JoinType::Cross, GetByIndex(order[0]), GetByIndex(order[1])),
                                 GetByIndex(order[2])),
                            Exprs(Eq(AX(), BX()), Eq(BY(), CY())));
        auto plan = Reorder(std::move(input));
        CHECK_FALSE(HasCrossProduct(*plan));
        auto want = Join(JoinType::Inner, GetA(), Join(JoinType::Inner, GetB(), GetC(), Exprs(Eq(BY(), CY()))),
                         Exprs(Eq(AX(), BX())));
        GZ_CHECK_PLAN_EQ(*plan, *want);
    } while (std::next_permutation(order.begin(), order.end()));
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: a predicate over three relations waits for the join that has all three") {
    auto input = Filter(Join(JoinType::Cross, Join(JoinType::Cross, GetA(), GetB()), GetC()),
                        Exprs(Eq(AX(), BX()), Eq(Add(AX(), BX()), CY())));
    auto plan = Reorder(std::move(input));
    auto want = Join(JoinType::Inner, Join(JoinType::Inner, GetA(), GetB(), Exprs(Eq(AX(), BX()))), GetC(),
                     Exprs(Eq(Add(AX(), BX()), CY())));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: single-table predicates land on their relation") {
    SUBCASE("from a WHERE clause") {
        auto input = Filter(Join(JoinType::Cross, Join(JoinType::Cross, GetA(), GetB()), GetC()),
                            Exprs(Eq(AX(), BX()), Gt(AZ(), Int(5)), Eq(BY(), CY()), Lt(CY(), Int(3))));
        auto plan = Reorder(std::move(input));
        auto want = Join(JoinType::Inner, Filter(GetA(), Exprs(Gt(AZ(), Int(5)))),
                         Join(JoinType::Inner, GetB(), Filter(GetC(), Exprs(Lt(CY(), Int(3)))), Exprs(Eq(BY(), CY()))),
                         Exprs(Eq(AX(), BX())));
        GZ_CHECK_PLAN_EQ(*plan, *want);
    }
    SUBCASE("from an inner join's ON clause") {
        auto input = Join(JoinType::Inner, GetA(), GetB(), Exprs(Eq(AX(), BX()), Gt(AZ(), Int(5)), Lt(BY(), Int(7))));
        auto plan = Reorder(std::move(input));
        auto want = Join(JoinType::Inner, Filter(GetA(), Exprs(Gt(AZ(), Int(5)))), Filter(GetB(), Exprs(Lt(BY(), Int(7)))),
                         Exprs(Eq(AX(), BX())));
        GZ_CHECK_PLAN_EQ(*plan, *want);
    }
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: the larger relation is the probe (left) side") {
    // FROM c JOIN a: c is small, so a moves to the left (probe) and c builds.
    auto input = [&] { return Join(JoinType::Inner, GetC(), GetA(), Exprs(Eq(CY(), AY()))); };
    auto plan = Reorder(input());
    GZ_CHECK_PLAN_EQ(*plan, *Join(JoinType::Inner, GetA(), GetC(), Exprs(Eq(CY(), AY()))));

    // Grow c past a: now c probes.
    FillTable(*c, 5000);
    plan = Reorder(input());
    GZ_CHECK_PLAN_EQ(*plan, *Join(JoinType::Inner, GetC(), GetA(), Exprs(Eq(CY(), AY()))));
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: cardinality counts live rows only") {
    // b has 100 rows; appending 2000 and deleting them again leaves it smaller than a.
    FillTable(*b, 2000);
    for (row_t row = 100; row < 2100; ++row) CHECK(b->MutableData().Delete(row));
    auto plan = Reorder(Join(JoinType::Inner, GetB(), GetA(), Exprs(Eq(BX(), AX()))));
    GZ_CHECK_PLAN_EQ(*plan, *Join(JoinType::Inner, GetA(), GetB(), Exprs(Eq(BX(), AX()))));
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: a predicate touching no relation stays on top") {
    auto random_pred = [] { return Lt(Fn(ScalarFunctionId::Random, kDoubleType, {}), Dbl(0.5)); };
    auto input = Filter(Join(JoinType::Cross, GetB(), GetA()), Exprs(Eq(AX(), BX()), random_pred(), Gt(Param(0), Int(0))));
    auto plan = Reorder(std::move(input));
    auto want = Filter(Join(JoinType::Inner, GetA(), GetB(), Exprs(Eq(AX(), BX()))),
                       Exprs(random_pred(), Gt(Param(0), Int(0))));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: unconnected relations are joined by a cross product as a last resort") {
    auto input = Join(JoinType::Cross, GetC(), GetA());
    auto plan = Reorder(std::move(input));
    GZ_CHECK_PLAN_EQ(*plan, *Join(JoinType::Inner, GetA(), GetC()));
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: outer joins keep their sides; inner joins below them are reordered") {
    auto input = Join(JoinType::Left, Filter(Join(JoinType::Cross, GetC(), GetA()), Exprs(Eq(CY(), AY()))), GetB(),
                      Exprs(Eq(AX(), BX())));
    auto plan = Reorder(std::move(input));
    auto want = Join(JoinType::Left, Join(JoinType::Inner, GetA(), GetC(), Exprs(Eq(CY(), AY()))), GetB(),
                     Exprs(Eq(AX(), BX())));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: operators above the join tree stay in place") {
    auto input = Project(7, Filter(Join(JoinType::Cross, GetC(), GetA()), Exprs(Eq(CY(), AY()))), Exprs(AX(), CY()));
    auto plan = Reorder(std::move(input));
    auto want = Project(7, Join(JoinType::Inner, GetA(), GetC(), Exprs(Eq(CY(), AY()))), Exprs(AX(), CY()));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(JoinFixture, "join_order: running the pass twice changes nothing") {
    auto input = Filter(Join(JoinType::Cross, Join(JoinType::Cross, GetC(), GetA()), GetB()),
                        Exprs(Eq(AX(), BX()), Gt(AZ(), Int(5)), Eq(BY(), CY()), Lt(Fn(ScalarFunctionId::Random, kDoubleType, {}), Dbl(0.5))));
    auto once = Reorder(std::move(input));
    auto snapshot = once->Copy();
    auto twice = Reorder(std::move(once));
    GZ_CHECK_PLAN_EQ(*twice, *snapshot);
}
