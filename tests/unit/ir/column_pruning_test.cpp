// Plan-equality tests for ir/passes/column_pruning.cpp (PruneColumns).
#include <doctest/doctest.h>

#include "ir/optimizer.hpp"
#include "plan_builder.hpp"

using namespace grizzly;
using namespace grizzly::test;

namespace {

/// t(a, b, c, d) at table index 0 and u(x, y, z) at table index 1.
struct PruneFixture {
    ir::OptimizerContext ctx;
    std::unique_ptr<storage::TableEntry> t = MakeTable("t", {"a", "b", "c", "d"});
    std::unique_ptr<storage::TableEntry> u = MakeTable("u", {"x", "y", "z"});

    LogicalOpPtr Prune(LogicalOpPtr plan) { return ir::PruneColumns(std::move(plan), ctx); }
};

}  // namespace

TEST_CASE_FIXTURE(PruneFixture, "column_pruning: a Get keeps only the referenced columns") {
    // SELECT b FROM t WHERE d > 0
    auto plan = Prune(Project(2, Filter(Get(*t, 0), Exprs(Gt(Col(0, 3), Int(0)))), Exprs(Col(0, 1))));
    auto want = Project(2, Filter(Get(*t, 0, {1, 3}), Exprs(Gt(Col(0, 3), Int(0)))), Exprs(Col(0, 1)));
    GZ_CHECK_PLAN_EQ(*plan, *want);
    // Types and names follow the kept ids.
    const auto& get = *plan->children[0]->children[0];
    CHECK(get.column_names == std::vector<std::string>{"t.b", "t.d"});
    CHECK(get.column_types.size() == 2);
    // Bindings are (table index, column id), so references need no renumbering.
    CHECK(get.OutputBindings() == std::vector<ColumnBinding>{{0, 1}, {0, 3}});
}

TEST_CASE_FIXTURE(PruneFixture, "column_pruning: join conditions, aggregates and sort keys keep their columns") {
    std::vector<AggregateExpr> aggs;
    aggs.push_back(Agg(AggregateKind::Sum, kBigIntType, Col(1, 2)));
    std::vector<AggregateExpr> want_aggs;
    want_aggs.push_back(Agg(AggregateKind::Sum, kBigIntType, Col(1, 2)));
    // SELECT t.a, sum(u.z) FROM t JOIN u ON t.c = u.x GROUP BY t.a ORDER BY t.a
    auto input = Sort(Aggregate(3, 4, Join(JoinType::Inner, Get(*t, 0), Get(*u, 1), Exprs(Eq(Col(0, 2), Col(1, 0)))),
                                Exprs(Col(0, 0)), std::move(aggs)),
                      Col(3, 0));
    auto want = Sort(Aggregate(3, 4,
                               Join(JoinType::Inner, Get(*t, 0, {0, 2}), Get(*u, 1, {0, 2}),
                                    Exprs(Eq(Col(0, 2), Col(1, 0)))),
                               Exprs(Col(0, 0)), std::move(want_aggs)),
                     Col(3, 0));
    auto plan = Prune(std::move(input));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(PruneFixture, "column_pruning: columns used only by pushed-down table filters are kept") {
    auto get = Get(*t, 0);
    get->table_filters.push_back(Lt(Col(0, 2), Int(10)));
    auto plan = Prune(Project(2, std::move(get), Exprs(Col(0, 0))));
    auto want_get = Get(*t, 0, {0, 2});
    want_get->table_filters.push_back(Lt(Col(0, 2), Int(10)));
    auto want = Project(2, std::move(want_get), Exprs(Col(0, 0)));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(PruneFixture, "column_pruning: two scans of one table are pruned independently") {
    // SELECT t1.a, t2.d FROM t t1 JOIN t t2 ON t1.b = t2.b
    auto input = Project(5, Join(JoinType::Inner, Get(*t, 0), Get(*t, 1), Exprs(Eq(Col(0, 1), Col(1, 1)))),
                         Exprs(Col(0, 0), Col(1, 3)));
    auto want = Project(5, Join(JoinType::Inner, Get(*t, 0, {0, 1}), Get(*t, 1, {1, 3}), Exprs(Eq(Col(0, 1), Col(1, 1)))),
                        Exprs(Col(0, 0), Col(1, 3)));
    auto plan = Prune(std::move(input));
    GZ_CHECK_PLAN_EQ(*plan, *want);
}

TEST_CASE_FIXTURE(PruneFixture, "column_pruning: outer columns read by a correlated subquery are kept") {
    // SELECT a FROM t WHERE EXISTS (SELECT ... WHERE u.x = t.c): t.c appears in the subquery's correlated list.
    auto exists = [] {
        auto e = std::make_unique<Expr>(ExprType::Subquery, kBoolType);
        e->subquery_type = ir::SubqueryType::Exists;
        e->correlated.push_back(Col(0, 2));
        return e;
    };
    auto plan = Prune(Project(2, Filter(Get(*t, 0), Exprs(exists())), Exprs(Col(0, 0))));
    // Subquery expressions never compare equal (Expr::Equals), so compare the scan directly.
    const auto& get = *plan->children[0]->children[0];
    CHECK(get.column_ids == std::vector<uint32_t>{0, 2});
    CHECK(get.column_types.size() == 2);
}

TEST_CASE_FIXTURE(PruneFixture, "column_pruning: columns of deeper (outer) references do not keep local columns") {
    // A reference with depth 1 names a column of an enclosing query, not of this plan's t.
    auto outer_ref = Col(0, 3);
    outer_ref->depth = 1;
    auto plan = Prune(Project(2, Filter(Get(*t, 0), Exprs(Gt(Col(0, 1), std::move(outer_ref)))), Exprs(Col(0, 0))));
    const auto& get = *plan->children[0]->children[0];
    CHECK(get.column_ids == std::vector<uint32_t>{0, 1});
}

TEST_CASE_FIXTURE(PruneFixture, "column_pruning: running the pass twice changes nothing") {
    auto input = Project(5, Filter(Join(JoinType::Inner, Get(*t, 0), Get(*u, 1), Exprs(Eq(Col(0, 1), Col(1, 1)))),
                                   Exprs(Gt(Col(1, 2), Int(3)))),
                         Exprs(Col(0, 3)));
    auto once = Prune(std::move(input));
    auto snapshot = once->Copy();
    auto twice = Prune(std::move(once));
    GZ_CHECK_PLAN_EQ(*twice, *snapshot);
    auto want = Project(5, Filter(Join(JoinType::Inner, Get(*t, 0, {1, 3}), Get(*u, 1, {1, 2}), Exprs(Eq(Col(0, 1), Col(1, 1)))),
                                  Exprs(Gt(Col(1, 2), Int(3)))),
                        Exprs(Col(0, 3)));
    GZ_CHECK_PLAN_EQ(*twice, *want);
}
