// Tests for ir/physical.cpp: CreatePhysicalPlan's operator choices and pipeline split.
#include <doctest/doctest.h>

#include "ir/physical.hpp"
#include "plan_builder.hpp"

using namespace grizzly;
using namespace grizzly::test;
using ir::PhysicalOperator;
using ir::PhysicalOpType;
using ir::PhysicalPlan;
using ir::Pipeline;

namespace {

/// a(x, y, z) at table index 0, b(x, y) at 1, c(y) at 2.
struct PhysicalFixture {
    std::unique_ptr<storage::TableEntry> a = MakeTable("a", {"x", "y", "z"});
    std::unique_ptr<storage::TableEntry> b = MakeTable("b", {"x", "y"});
    std::unique_ptr<storage::TableEntry> c = MakeTable("c", {"y"});

    LogicalOpPtr GetA() { return Get(*a, 0); }
    LogicalOpPtr GetB() { return Get(*b, 1); }
    LogicalOpPtr GetC() { return Get(*c, 2); }
};

void CheckExpr(const Expr* actual, const Expr* expected) {
    REQUIRE(actual != nullptr);
    REQUIRE(expected != nullptr);
    INFO("actual: " << actual->ToString() << "  expected: " << expected->ToString());
    CHECK(actual->Equals(*expected));
}

void CheckExprs(const std::vector<ExprPtr>& actual, const std::vector<ExprPtr>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
        CAPTURE(i);
        CheckExpr(actual[i].get(), expected[i].get());
    }
}

/// Every dependency of a pipeline comes before it in the list.
void CheckDependencyOrder(const PhysicalPlan& plan) {
    for (size_t p = 0; p < plan.pipelines.size(); ++p)
        for (size_t dep : plan.pipelines[p].dependencies) {
            CAPTURE(p);
            CHECK(dep < p);
        }
}

LogicalOpPtr Limit(LogicalOpPtr child, int64_t limit) {
    auto op = std::make_unique<LogicalOperator>(LogicalOpType::Limit);
    op->limit = Expr::Constant(Value::BigInt(limit));
    op->children.push_back(std::move(child));
    return op;
}

std::vector<LogicalType> kInts(size_t n) { return std::vector<LogicalType>(n, kIntType); }

}  // namespace

TEST_CASE_FIXTURE(PhysicalFixture, "physical: join + aggregate + sort splits into four pipelines in dependency order") {
    // SELECT a.y, count(*) FROM a JOIN b ON a.x = b.x GROUP BY a.y ORDER BY a.y
    std::vector<AggregateExpr> aggs;
    aggs.push_back(Agg(AggregateKind::CountStar, kBigIntType));
    auto logical = Sort(Aggregate(3, 4, Join(JoinType::Inner, GetA(), GetB(), Exprs(Eq(Col(0, 0), Col(1, 0)))),
                                  Exprs(Col(0, 1)), std::move(aggs)),
                        Col(3, 0));
    PhysicalPlan plan = ir::CreatePhysicalPlan(*logical, {"y", "count"});

    REQUIRE(plan.root->type == PhysicalOpType::ResultCollector);
    const PhysicalOperator& sort = *plan.root->children[0];
    REQUIRE(sort.type == PhysicalOpType::Sort);
    const PhysicalOperator& agg = *sort.children[0];
    REQUIRE(agg.type == PhysicalOpType::HashAggregate);
    const PhysicalOperator& join = *agg.children[0];
    REQUIRE(join.type == PhysicalOpType::HashJoin);
    const PhysicalOperator& scan_a = *join.children[0];
    const PhysicalOperator& scan_b = *join.children[1];
    CHECK(scan_a.table == a.get());
    CHECK(scan_b.table == b.get());
    CHECK(plan.operator_count == 6);
    CHECK(plan.names == std::vector<std::string>{"y", "count"});

    // Positional expressions: the group key a.y is column 1 of the join output, the sort key
    // is column 0 of the aggregate output.
    CheckExprs(agg.expressions, Exprs(ColAt(0, 1, 1)));
    REQUIRE(sort.sort_keys.size() == 1);
    CheckExpr(sort.sort_keys[0].expr.get(), ColAt(3, 0, 0).get());
    CHECK(agg.types == std::vector<LogicalType>{kIntType, kBigIntType});
    CHECK(join.types == kInts(5));

    REQUIRE(plan.pipelines.size() == 4);
    CheckDependencyOrder(plan);
    const Pipeline& build = plan.pipelines[0];
    CHECK(build.source == &scan_b);
    CHECK(build.operators.empty());
    CHECK(build.sink == &join);
    CHECK(build.dependencies.empty());

    const Pipeline& probe = plan.pipelines[1];
    CHECK(probe.source == &scan_a);
    CHECK(probe.operators == std::vector<PhysicalOperator*>{const_cast<PhysicalOperator*>(&join)});
    CHECK(probe.sink == &agg);
    CHECK(probe.dependencies == std::vector<size_t>{0});

    const Pipeline& aggregate = plan.pipelines[2];
    CHECK(aggregate.source == &agg);
    CHECK(aggregate.operators.empty());
    CHECK(aggregate.sink == &sort);
    CHECK(aggregate.dependencies == std::vector<size_t>{1});

    const Pipeline& result = plan.pipelines[3];
    CHECK(result.source == &sort);
    CHECK(result.operators.empty());
    CHECK(result.sink == plan.root.get());
    CHECK(result.dependencies == std::vector<size_t>{2});
}

TEST_CASE_FIXTURE(PhysicalFixture, "physical: streaming operators stay in the probe pipeline in push order") {
    // SELECT a.x, c.y FROM a JOIN b ON a.x = b.x JOIN c ON b.y = c.y WHERE a.z > 1
    auto logical = Project(9,
                           Filter(Join(JoinType::Inner,
                                       Join(JoinType::Inner, GetA(), GetB(), Exprs(Eq(Col(0, 0), Col(1, 0)))), GetC(),
                                       Exprs(Eq(Col(1, 1), Col(2, 0)))),
                                  Exprs(Gt(Col(0, 2), Int(1)))),
                           Exprs(Col(0, 0), Col(2, 0)));
    PhysicalPlan plan = ir::CreatePhysicalPlan(*logical, {"x", "y"});
    const PhysicalOperator& proj = *plan.root->children[0];
    const PhysicalOperator& filter = *proj.children[0];
    const PhysicalOperator& outer = *filter.children[0];
    const PhysicalOperator& inner = *outer.children[0];
    REQUIRE(proj.type == PhysicalOpType::Projection);
    REQUIRE(filter.type == PhysicalOpType::Filter);
    REQUIRE(outer.type == PhysicalOpType::HashJoin);
    REQUIRE(inner.type == PhysicalOpType::HashJoin);

    // c.y is column 5 of [a.x a.y a.z b.x b.y | c.y].
    CheckExprs(proj.expressions, Exprs(ColAt(0, 0, 0), ColAt(2, 0, 5)));
    CheckExprs(filter.expressions, Exprs(Gt(ColAt(0, 2, 2), Int(1))));
    CheckExprs(outer.probe_keys, Exprs(ColAt(1, 1, 4)));
    CheckExprs(outer.build_keys, Exprs(ColAt(2, 0, 0)));

    REQUIRE(plan.pipelines.size() == 3);
    CheckDependencyOrder(plan);
    CHECK(plan.pipelines[0].source == outer.children[1].get());  // scan c
    CHECK(plan.pipelines[0].sink == &outer);
    CHECK(plan.pipelines[1].source == inner.children[1].get());  // scan b
    CHECK(plan.pipelines[1].sink == &inner);
    const Pipeline& probe = plan.pipelines[2];
    CHECK(probe.source == inner.children[0].get());  // scan a
    auto p = [](const PhysicalOperator& op) { return const_cast<PhysicalOperator*>(&op); };
    CHECK(probe.operators == std::vector<PhysicalOperator*>{p(inner), p(outer), p(filter), p(proj)});
    CHECK(probe.sink == plan.root.get());
    CHECK(probe.dependencies == std::vector<size_t>{0, 1});
}

TEST_CASE_FIXTURE(PhysicalFixture, "physical: a RIGHT join is planned as a swapped LEFT join with a reordering projection") {
    // SELECT a.y, b.y FROM a RIGHT JOIN b ON a.x = b.x
    auto logical =
        Project(9, Join(JoinType::Right, GetA(), GetB(), Exprs(Eq(Col(0, 0), Col(1, 0)))), Exprs(Col(0, 1), Col(1, 1)));
    PhysicalPlan plan = ir::CreatePhysicalPlan(*logical, {"ay", "by"});

    const PhysicalOperator& top = *plan.root->children[0];
    REQUIRE(top.type == PhysicalOpType::Projection);
    // Output bindings [a.x a.y a.z b.x b.y] are restored, so a.y is at 1 and b.y at 4.
    CheckExprs(top.expressions, Exprs(ColAt(0, 1, 1), ColAt(1, 1, 4)));

    const PhysicalOperator& reorder = *top.children[0];
    REQUIRE(reorder.type == PhysicalOpType::Projection);
    // The join emits [b | a]; the projection puts a's three columns first again.
    CheckExprs(reorder.expressions, Exprs(Pos(2), Pos(3), Pos(4), Pos(0), Pos(1)));
    CHECK(reorder.types == kInts(5));

    const PhysicalOperator& join = *reorder.children[0];
    REQUIRE(join.type == PhysicalOpType::HashJoin);
    CHECK(join.join_type == JoinType::Left);
    CHECK(join.children[0]->table == b.get());  // probe: the preserved side
    CHECK(join.children[1]->table == a.get());  // build
    CHECK(join.probe_width == 2);
    CHECK(join.build_width == 3);
    CheckExprs(join.probe_keys, Exprs(ColAt(1, 0, 0)));
    CheckExprs(join.build_keys, Exprs(ColAt(0, 0, 0)));
    CHECK(join.join_condition == nullptr);

    REQUIRE(plan.pipelines.size() == 2);
    CHECK(plan.pipelines[0].source == join.children[1].get());
    CHECK(plan.pipelines[0].sink == &join);
    auto p = [](const PhysicalOperator& op) { return const_cast<PhysicalOperator*>(&op); };
    CHECK(plan.pipelines[1].operators == std::vector<PhysicalOperator*>{p(join), p(reorder), p(top)});
}

TEST_CASE_FIXTURE(PhysicalFixture, "physical: equi conditions become hash keys and the rest the residual condition") {
    auto logical = Join(JoinType::Inner, GetA(), GetB(),
                        Exprs(Eq(Col(0, 0), Col(1, 0)),                                // a.x = b.x: key
                              Lt(Col(0, 1), Col(1, 1)),                                // a.y < b.y: residual
                              Eq(Col(1, 1), Col(0, 2)),                                // b.y = a.z: key, flipped
                              Cmp(CompareOp::NotDistinctFrom, Col(0, 0), Col(1, 1)),  // null-safe key
                              Eq(Add(Col(0, 0), Col(1, 0)), Int(5)),                   // both sides on one side: residual
                              Eq(Col(0, 1), Col(0, 2)),                                // one relation only: residual
                              Eq(Col(0, 0), Int(1))));                                 // no column on one side: residual
    PhysicalPlan plan = ir::CreatePhysicalPlan(*logical, {});
    const PhysicalOperator& join = *plan.root->children[0];
    REQUIRE(join.type == PhysicalOpType::HashJoin);
    CHECK(join.join_type == JoinType::Inner);
    CheckExprs(join.probe_keys, Exprs(ColAt(0, 0, 0), ColAt(0, 2, 2), ColAt(0, 0, 0)));
    CheckExprs(join.build_keys, Exprs(ColAt(1, 0, 0), ColAt(1, 1, 1), ColAt(1, 1, 1)));
    CHECK(join.null_equal == std::vector<bool>{false, false, true});
    // Residual conjuncts are positional over [probe columns (3), build columns (2)], left-deep ANDed.
    auto residual = And(And(And(Lt(ColAt(0, 1, 1), ColAt(1, 1, 4)), Eq(Add(ColAt(0, 0, 0), ColAt(1, 0, 3)), Int(5))),
                            Eq(ColAt(0, 1, 1), ColAt(0, 2, 2))),
                        Eq(ColAt(0, 0, 0), Int(1)));
    CheckExpr(join.join_condition.get(), residual.get());
}

TEST_CASE_FIXTURE(PhysicalFixture, "physical: joins without an equality become nested loop joins") {
    SUBCASE("inequality only") {
        PhysicalPlan plan =
            ir::CreatePhysicalPlan(*Join(JoinType::Inner, GetA(), GetB(), Exprs(Lt(Col(0, 0), Col(1, 0)))), {});
        const PhysicalOperator& join = *plan.root->children[0];
        CHECK(join.type == PhysicalOpType::NestedLoopJoin);
        CHECK(join.probe_keys.empty());
        CheckExpr(join.join_condition.get(), Lt(ColAt(0, 0, 0), ColAt(1, 0, 3)).get());
        REQUIRE(plan.pipelines.size() == 2);
        CHECK(plan.pipelines[0].sink == &join);
    }
    SUBCASE("cross product") {
        PhysicalPlan plan = ir::CreatePhysicalPlan(*Join(JoinType::Cross, GetA(), GetB()), {});
        const PhysicalOperator& join = *plan.root->children[0];
        CHECK(join.type == PhysicalOpType::NestedLoopJoin);
        CHECK(join.join_type == JoinType::Inner);
        CHECK(join.join_condition == nullptr);
    }
}

TEST_CASE_FIXTURE(PhysicalFixture, "physical: LIMIT over ORDER BY becomes a top-N sort") {
    PhysicalPlan plan = ir::CreatePhysicalPlan(*Limit(Sort(GetA(), Col(0, 1), true), 10), {});
    const PhysicalOperator& sort = *plan.root->children[0];
    REQUIRE(sort.type == PhysicalOpType::Sort);
    CHECK(sort.limit == 10);
    CHECK(sort.offset == 0);
    CHECK(sort.sort_keys[0].descending);
    CHECK(plan.pipelines.size() == 2);
}

TEST_CASE_FIXTURE(PhysicalFixture, "physical: a column that is not in scope is an error, not a crash") {
    // A projection over a reading b's column: 42P10.
    auto logical = Project(9, GetA(), Exprs(Col(1, 0)));
    try {
        ir::CreatePhysicalPlan(*logical, {});
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.State() == SqlState::InvalidColumnReference);
    }
}
