// Compiled execution, one thread: how long a shape takes to compile in each
// tier, what a shape-cache hit adds to an execution, and compiled against
// interpreted speed on the filtered sum, on a 1,000-group GROUP BY and on a
// filter + projection handing rows on, over 10M BIGINT rows (rows/s, the same
// query through SQL in every mode, so the ratio of the two is the figure to
// quote).
//
// GRIZZLY_BENCH_SMOKE=1 shrinks the table to 10k rows (the CTest smoke check).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "api/api.hpp"
#include "api/client_context.hpp"
#include "codegen/codegen.hpp"
#include "tests/unit/codegen/codegen_test_util.hpp"

namespace grizzly {
namespace {

using namespace codegen::test;

bool SmokeMode() {
    const char* env = std::getenv("GRIZZLY_BENCH_SMOKE");
    return env != nullptr && *env != '\0' && std::string(env) != "0";
}

/// WHERE x > $0 → SUM(x), COUNT(*) over BIGINT column 0: the filtered sum's shape.
struct FilteredSumSpec {
    ir::ExprPtr filter = Cmp(ir::CompareOp::Gt, Col(0, kBigInt), Param(0, kBigInt));
    ir::ExprPtr sum_arg = Col(0, kBigInt);
    codegen::FilterAggregateSpec spec;
    FilteredSumSpec() {
        spec.filters = {filter.get()};
        spec.aggregates = {codegen::AggregateSpec{ir::AggregateKind::Sum, kBigInt, sum_arg.get()},
                           codegen::AggregateSpec{ir::AggregateKind::CountStar, kBigInt, nullptr}};
    }
};

/// Compile latency of one tier: emit IR, optimize (optimized tier), machine code.
void BM_Codegen_Compile(benchmark::State& state) {
    FilteredSumSpec shape;
    codegen::CompileOptions options;
    options.tier = state.range(0) == 0 ? codegen::Tier::Fast : codegen::Tier::Optimized;
    for (auto _ : state) benchmark::DoNotOptimize(codegen::CompilePipeline(shape.spec, options));
    state.SetLabel(codegen::TierName(options.tier));
}

/// What a cache hit costs an execution: the shape key, the lookup, binding the parameters.
void BM_Codegen_CacheHit(benchmark::State& state) {
    FilteredSumSpec shape;
    codegen::ShapeCache cache(size_t(64) << 20);
    std::vector<codegen::ShapeDependency> tables = {codegen::ShapeDependency{1, 0, "t"}};
    const std::string key = codegen::ShapeCacheKey(codegen::PipelineShapeKey(shape.spec), tables);
    cache.Insert(key, codegen::CompilePipeline(shape.spec).SharedCode(), tables);
    std::vector<Value> parameters = {Value::BigInt(42)};
    for (auto _ : state) {
        std::string k = codegen::ShapeCacheKey(codegen::PipelineShapeKey(shape.spec), tables);
        codegen::CompiledCodePtr code = cache.Find(k);
        std::vector<::GzParamSlot> slots = shape.spec.Layout().Bind(parameters);
        benchmark::DoNotOptimize(code);
        benchmark::DoNotOptimize(slots);
    }
}

/// Runs `sql` over t (10M rows: x BIGINT, g = one of 1,000 groups) interpreted (variant 0), compiled
/// in the fast tier (1, jit mode with jit_optimize off), or compiled in the optimized tier (2,
/// adaptive mode once the shape is hot), after checking that the compiled answer is the interpreter's.
void RunModes(benchmark::State& state, const std::string& sql) {
    static Database db;
    static Connection con(db);
    static const int64_t rows = SmokeMode() ? 10'000 : 10'000'000;
    static const bool loaded = [] {
        return con.Query("CREATE TABLE t AS SELECT (i * 104729) % 1000003 AS x, (i * 7919) % 1000 AS g FROM range(0, " +
                         std::to_string(rows) + ") r(i)")
            .Ok();
    }();
    if (!loaded) return state.SkipWithError("loading failed");
    static const char* const kModes[] = {"interpret", "jit", "adaptive"};
    static const char* const kLabels[] = {"interpreted", "compiled, fast tier", "compiled, optimized tier"};
    const int64_t variant = state.range(0);
    const std::string ordered = sql + " ORDER BY 1";
    Result interpreted = con.Query("SET execution_mode = 'interpret'; " + ordered);
    // The fast tier's code stays only while nothing moves shapes on to the optimized tier.
    Result check = con.Query(std::string("SET jit_optimize = ") + (variant == 1 ? "off" : "on") +
                             "; SET execution_mode = '" + kModes[variant] + "'; " + ordered);
    if (variant == 2) {
        // Cold, then hot: the background compiler builds the fast code, then the optimized code.
        for (int run = 0; run < 4; ++run) {
            db.Instance().background_compiler.WaitIdle();
            check = con.Query(ordered);
        }
    }
    if (!interpreted.Ok() || !check.Ok() || check.RowCount() != interpreted.RowCount())
        return state.SkipWithError("a query failed");
    for (size_t row = 0; row < check.RowCount(); ++row)
        for (size_t column = 0; column < check.ColumnCount(); ++column)
            if (check.GetValue(row, column).ToString() != interpreted.GetValue(row, column).ToString())
                return state.SkipWithError("compiled and interpreted results differ");
    for (auto _ : state) {
        Result r = con.Query(sql);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations() * rows);
    state.SetLabel(kLabels[variant]);
}

/// The filtered sum: SELECT sum(x), count(*) FROM t WHERE x > half.
void BM_Codegen_FilteredSum(benchmark::State& state) {
    RunModes(state, "SELECT sum(x), count(*) FROM t WHERE x > 500000");
}

/// The GROUP BY: 1,000 groups, COUNT(*) and SUM.
void BM_Codegen_GroupBy(benchmark::State& state) { RunModes(state, "SELECT g, count(*), sum(x) FROM t GROUP BY g"); }

/// A filter and projection handing rows on (the row shape): ~1.43M of the 10M rows, one computed column,
/// into an aggregate over the projection's output, which stays in the interpreter (a light sink, so the
/// figure is mostly the pipeline's).
void BM_Codegen_FilterProject(benchmark::State& state) {
    RunModes(state, "SELECT max(y), count(*) FROM (SELECT x * 3 + g AS y FROM t WHERE x % 7 = 3) q");
}

BENCHMARK(BM_Codegen_Compile)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Codegen_CacheHit)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Codegen_FilteredSum)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Codegen_GroupBy)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Codegen_FilterProject)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace grizzly
