// Tests for the test-only plan comparison in plan_builder.hpp: a comparison that
// never fails would make every plan-equality test pass vacuously.
#include <doctest/doctest.h>

#include "plan_builder.hpp"

using namespace grizzly;
using namespace grizzly::test;

TEST_CASE("plan_builder: equal plans have no difference") {
    auto t = MakeTable("t", {"a", "b"});
    auto plan = Project(1, Filter(Get(*t, 0), Exprs(Gt(Col(0, 0), Int(1)))), Exprs(Col(0, 1)));
    CHECK(PlanDifference(*plan, *plan->Copy()).empty());
}

TEST_CASE("plan_builder: each kind of difference is reported") {
    auto t = MakeTable("t", {"a", "b"});
    auto u = MakeTable("u", {"a", "b"});
    auto base = [&] {
        return Join(JoinType::Inner, Filter(Get(*t, 0), Exprs(Gt(Col(0, 0), Int(1)))), Get(*u, 1),
                    Exprs(Eq(Col(0, 0), Col(1, 0))));
    };
    auto differs = [&](const LogicalOperator& other) { return !PlanDifference(*base(), other).empty(); };

    auto join_type = base();
    join_type->join_type = JoinType::Left;
    CHECK(differs(*join_type));

    auto condition = base();
    condition->conditions[0] = Eq(Col(0, 0), Col(1, 1));
    CHECK(differs(*condition));

    auto constant = base();
    constant->children[0]->expressions[0] = Gt(Col(0, 0), Int(2));
    CHECK(differs(*constant));

    auto columns = base();
    columns->children[1] = Get(*u, 1, {0});
    CHECK(differs(*columns));

    auto table = base();
    table->children[1] = Get(*t, 1);
    CHECK(differs(*table));

    auto table_index = base();
    table_index->children[1] = Get(*u, 2);
    CHECK(differs(*table_index));

    auto swapped = base();
    std::swap(swapped->children[0], swapped->children[1]);
    CHECK(differs(*swapped));

    auto missing_filter = base();
    missing_filter->children[0] = Get(*t, 0);
    CHECK(differs(*missing_filter));

    CHECK(HasCrossProduct(*Join(JoinType::Inner, Get(*t, 0), Get(*u, 1))));
    CHECK_FALSE(HasCrossProduct(*base()));
}
