// Front-end latency for the 22 TPC-H queries, without execution:
//   BM_Frontend_Parse/<n>       SQL text → AST
//   BM_Frontend_TpchQuery/<n>   SQL text → AST → bound logical plan → optimized
//                               plan → physical plan (target: < 1 ms per query)
// on an in-memory database holding the TPC-H schema (empty tables).
//
// The engine plans a subquery expression lazily, when the interpreter first
// evaluates it; BM_Frontend_TpchQuery plans those here as well (optimize +
// physical planning of every subquery plan, recursively), so its time is the
// whole front-end work of a query. The `subplans` counter says how many there were.
//
// The schema comes from benchmarks/tpch/schema.sql and the queries from
// ../shared/tpch/queries/qNN.sql, both read at start-up from the source tree.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "api/client_context.hpp"  // DatabaseInstance: the catalog the binder resolves names in
#include "frontend/frontend.hpp"
#include "ir/ir.hpp"
#include "runtime/runtime.hpp"

namespace grizzly {
namespace {

constexpr int kTpchQueries = 22;

bool ReadFile(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream text;
    text << in.rdbuf();
    out = text.str();
    return true;
}

/// The database with the TPC-H schema, the query texts, and the optimizer
/// context wired as ClientContext wires it. Built once, on first use.
class TpchFrontend {
public:
    static TpchFrontend& Get() {
        static TpchFrontend instance;
        return instance;
    }

    /// Empty when set-up worked, else why it did not.
    const std::string& SetupError() const { return setup_error_; }
    /// Text of query `n` (1-based); empty when its file could not be read.
    const std::string& Query(int n) const { return queries_[n - 1]; }
    storage::Catalog& Catalog() { return db_.Instance().Default().catalog; }
    ir::OptimizerContext& Optimizer() { return optimizer_; }

private:
    Database db_;
    Connection conn_{db_};
    std::vector<std::string> queries_ = std::vector<std::string>(kTpchQueries);
    ir::OptimizerContext optimizer_;
    std::string setup_error_;

    TpchFrontend() {
        optimizer_.evaluate = [this](const ir::Expr& expr) {
            runtime::ExecutionContext ctx;
            ctx.optimizer = &optimizer_;
            return runtime::EvaluateConstant(expr, ctx);
        };
        const std::string source_dir = GRIZZLY_SOURCE_DIR;
        std::string schema;
        if (!ReadFile(source_dir + "/benchmarks/tpch/schema.sql", schema)) {
            setup_error_ = "cannot read " + source_dir + "/benchmarks/tpch/schema.sql";
            return;
        }
        Result result = conn_.Query(schema);
        if (!result.Ok()) {
            setup_error_ = "schema.sql: " + result.ErrorText();
            return;
        }
        for (int n = 1; n <= kTpchQueries; ++n) {
            char name[16];
            std::snprintf(name, sizeof(name), "q%02d.sql", n);
            std::string path = source_dir + "/../shared/tpch/queries/" + name;
            if (!ReadFile(path, queries_[n - 1])) queries_[n - 1].clear();
        }
    }
};

/// Optimizes and plans every subquery reachable from `plan`'s expressions, as
/// the interpreter would on first evaluation; appends their plans to `out`.
void PlanSubqueries(ir::LogicalOperator& plan, ir::OptimizerContext& optimizer, std::vector<ir::PhysicalPlan>& out);

void PlanSubqueriesOf(ir::Expr& expr, ir::OptimizerContext& optimizer, std::vector<ir::PhysicalPlan>& out) {
    if (expr.type == ir::ExprType::Subquery && expr.subquery) {
        ir::LogicalOpPtr optimized = ir::Optimize(expr.subquery->Copy(), optimizer);
        out.push_back(ir::CreatePhysicalPlan(*optimized, {}));
        PlanSubqueries(*optimized, optimizer, out);
    }
    for (auto& child : expr.children)
        if (child) PlanSubqueriesOf(*child, optimizer, out);
    for (auto& outer : expr.correlated)
        if (outer) PlanSubqueriesOf(*outer, optimizer, out);
}

void PlanSubqueries(ir::LogicalOperator& plan, ir::OptimizerContext& optimizer, std::vector<ir::PhysicalPlan>& out) {
    ir::ForEachExpression(plan, [&](ir::ExprPtr& expr) {
        if (expr) PlanSubqueriesOf(*expr, optimizer, out);
    });
    for (auto& child : plan.children)
        if (child) PlanSubqueries(*child, optimizer, out);
}

/// The front end of one SELECT: parse, bind, optimize, plan physically.
struct PlannedQuery {
    ir::PhysicalPlan plan;
    std::vector<ir::PhysicalPlan> subplans;
};

PlannedQuery PlanSelect(const std::string& sql, TpchFrontend& env) {
    std::vector<ast::StatementPtr> statements = frontend::ParseSql(sql);
    if (statements.size() != 1 || statements[0]->kind != ast::StatementKind::Select)
        throw Error::Internal("expected exactly one SELECT statement");
    const auto& select = static_cast<const ast::SelectStatement&>(*statements[0]);
    frontend::BinderShared shared{&env.Catalog(), 0, {}, nullptr, false, false, 0, env.Optimizer().evaluate, {}};
    frontend::Binder binder(shared);
    ir::BoundQuery bound = binder.BindQuery(*select.query);
    ir::LogicalOpPtr optimized = ir::Optimize(std::move(bound.plan), env.Optimizer());
    PlannedQuery planned;
    planned.plan = ir::CreatePhysicalPlan(*optimized, bound.names);
    PlanSubqueries(*optimized, env.Optimizer(), planned.subplans);
    return planned;
}

/// The query text for state.range(0), or null after SkipWithError.
const std::string* QueryFor(benchmark::State& state) {
    TpchFrontend& env = TpchFrontend::Get();
    if (!env.SetupError().empty()) {
        state.SkipWithError(env.SetupError().c_str());
        return nullptr;
    }
    const std::string& sql = env.Query(static_cast<int>(state.range(0)));
    if (sql.empty()) {
        state.SkipWithError("cannot read the query file (../shared/tpch/queries/qNN.sql)");
        return nullptr;
    }
    return &sql;
}

void BM_Frontend_Parse(benchmark::State& state) {
    const std::string* sql = QueryFor(state);
    if (!sql) return;
    try {
        frontend::ParseSql(*sql);  // once untimed: fail early
        for (auto _ : state) {
            std::vector<ast::StatementPtr> statements = frontend::ParseSql(*sql);
            benchmark::DoNotOptimize(statements);
        }
    } catch (const Error& e) {
        state.SkipWithError((std::string("parse: ") + e.what()).c_str());
    }
}

void BM_Frontend_TpchQuery(benchmark::State& state) {
    const std::string* sql = QueryFor(state);
    if (!sql) return;
    TpchFrontend& env = TpchFrontend::Get();
    size_t subplans = 0;
    try {
        subplans = PlanSelect(*sql, env).subplans.size();  // once untimed: fail early, count subplans
        for (auto _ : state) {
            PlannedQuery planned = PlanSelect(*sql, env);
            benchmark::DoNotOptimize(planned);
        }
    } catch (const Error& e) {
        state.SkipWithError(e.what());
        return;
    }
    state.counters["subplans"] = static_cast<double>(subplans);
}

BENCHMARK(BM_Frontend_Parse)->DenseRange(1, kTpchQueries)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Frontend_TpchQuery)->DenseRange(1, kTpchQueries)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace grizzly
