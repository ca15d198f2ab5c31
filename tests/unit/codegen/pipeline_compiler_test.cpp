#include <doctest/doctest.h>

#include <limits>
#include <random>
#include <regex>
#include <sstream>

#include "codegen_test_util.hpp"
#include "common/datetime.hpp"

using namespace grizzly;
using namespace grizzly::codegen;
using namespace grizzly::codegen::test;
using ir::AggregateKind;
using ir::CompareOp;
using ir::ScalarFunctionId;

namespace {

constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();

/// The pipeline `WHERE x > <threshold> → SUM(x), COUNT(*), COUNT(x)` over BIGINT column 0.
struct FilteredSum {
    ir::ExprPtr filter;
    ir::ExprPtr sum_arg = Col(0, kBigInt);
    ir::ExprPtr count_arg = Col(0, kBigInt);
    FilterAggregateSpec spec;

    explicit FilteredSum(int64_t threshold) : filter(Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(threshold))) {
        spec.filters = {filter.get()};
        spec.aggregates = {AggregateSpec{AggregateKind::Sum, kBigInt, sum_arg.get()},
                           AggregateSpec{AggregateKind::CountStar, kBigInt, nullptr},
                           AggregateSpec{AggregateKind::Count, kBigInt, count_arg.get()}};
    }
};

struct Expected {
    int64_t sum = 0;
    int64_t count_star = 0;
    int64_t count = 0;
};

Expected FilteredSumInCpp(const Column<int64_t>& x, int64_t threshold) {
    Expected e;
    for (size_t row = 0; row < x.values.size(); ++row) {
        if (!x.Valid(row) || x.values[row] <= threshold) continue;
        e.sum += x.values[row];
        ++e.count_star;
        ++e.count;
    }
    return e;
}

Column<int64_t> RandomColumn(size_t rows, double null_fraction, uint32_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> values(-1000000, 1000000);
    std::bernoulli_distribution is_null(null_fraction);
    std::vector<std::optional<int64_t>> data(rows);
    for (auto& v : data) v = is_null(rng) ? std::nullopt : std::optional<int64_t>(values(rng));
    return Column<int64_t>(std::move(data));
}

/// Runs `compiled` over `input` in morsels of `morsel_rows`.
std::vector<AggregateState> RunInMorsels(const CompiledPipeline& compiled, const FilterAggregateSpec& spec,
                                         const Column<int64_t>& x, size_t morsel_rows) {
    std::vector<GzParamSlot> params = spec.Layout().Bind({});
    std::vector<AggregateState> states(spec.aggregates.size());
    for (size_t begin = 0; begin < x.values.size(); begin += morsel_rows) {
        // A morsel starting mid-bitmap would need its own bitmap; keep morsels word-aligned.
        REQUIRE(begin % 64 == 0);
        const void* columns[] = {x.values.data() + begin};
        const uint64_t* validity[] = {x.bitmap.empty() ? nullptr : x.bitmap.data() + begin / 64};
        const uint64_t rows = std::min<uint64_t>(morsel_rows, x.values.size() - begin);
        compiled.RunMorsel(MorselInput{columns, validity, rows}, params.data(), states.data());
    }
    return states;
}

}  // namespace

TEST_CASE("pipeline_compiler: a filtered SUM/COUNT over BIGINT matches C++, with and without NULLs") {
    FilteredSum pipeline(100);
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        CompileOptions options;
        options.tier = tier;
        CompiledPipeline compiled = CompilePipeline(pipeline.spec, options);
        for (double null_fraction : {0.0, 0.1}) {
            const std::string tier_name = TierName(tier);
        CAPTURE(tier_name);
            CAPTURE(null_fraction);
            // More than one 65,536-row block per morsel, and a ragged tail.
            Column<int64_t> x = RandomColumn(200003, null_fraction, 42);
            Expected expected = FilteredSumInCpp(x, 100);
            for (size_t morsel_rows : {size_t{200003}, size_t{4096}, size_t{64}}) {
                CAPTURE(morsel_rows);
                auto states = RunInMorsels(compiled, pipeline.spec, x, morsel_rows);
                CHECK(FinalizeAggregate(pipeline.spec.aggregates[0], states[0]) == Value::BigInt(expected.sum));
                CHECK(states[1].count == expected.count_star);
                CHECK(states[2].count == expected.count);
            }
        }
    }
}

TEST_CASE("pipeline_compiler: integer sums overflow exactly where the interpreter's per-row check does") {
    FilteredSum pipeline(-1);  // WHERE x > -1 keeps 0 and positives only in the first cases
    CompiledPipeline compiled = CompilePipeline(pipeline.spec);
    SUBCASE("a sum past INT64_MAX is 22003 bigint out of range") {
        Column<int64_t> x({kMax64 - 5, 3, 3});
        try {
            RunInMorsels(compiled, pipeline.spec, x, 1024);
            FAIL("expected an error");
        } catch (const Error& e) {
            CHECK(std::string(e.Code()) == "22003");
            CHECK(e.Message() == "bigint out of range");
        }
    }
    SUBCASE("a sum up to INT64_MAX exactly is fine") {
        Column<int64_t> x({kMax64 - 5, 3, 2, 0});
        auto states = RunInMorsels(compiled, pipeline.spec, x, 1024);
        CHECK(states[0].sum_int == kMax64);
    }
    SUBCASE("a prefix that overflows fails even when later rows would bring it back") {
        FilteredSum all(std::numeric_limits<int64_t>::min());
        CompiledPipeline every_row = CompilePipeline(all.spec);
        Column<int64_t> x({kMax64, 1, -1});
        CHECK_THROWS_AS(RunInMorsels(every_row, all.spec, x, 1024), Error);
        // Order matters, as it does for the interpreter: -1 first keeps every prefix in range.
        Column<int64_t> y({kMax64, -1, 1});
        auto states = RunInMorsels(every_row, all.spec, y, 1024);
        CHECK(states[0].sum_int == kMax64);
    }
}

TEST_CASE("pipeline_compiler: SUM over DOUBLE and INTEGER arguments, and an empty input") {
    Column<double> d({1.5, std::nullopt, -0.25, 8.0});
    Column<int32_t> i({1, 2, std::nullopt, 2147483647});
    auto filter = Cmp(CompareOp::Lt, Col(0, kDouble), Dbl(5.0));
    auto sum_d = Col(0, kDouble);
    auto sum_i = Col(1, kInteger);
    FilterAggregateSpec spec;
    spec.filters = {filter.get()};
    spec.aggregates = {AggregateSpec{AggregateKind::Sum, kDouble, sum_d.get()},
                       AggregateSpec{AggregateKind::Sum, kBigInt, sum_i.get()}};
    CompiledPipeline compiled = CompilePipeline(spec);
    Input input;
    input.Add(d).Add(i);
    std::vector<GzParamSlot> params = spec.Layout().Bind({});
    std::vector<AggregateState> states(2);
    compiled.RunMorsel(input.Morsel(), params.data(), states.data());
    CHECK(FinalizeAggregate(spec.aggregates[0], states[0]) == Value::Double(1.25));
    CHECK(FinalizeAggregate(spec.aggregates[1], states[1]) == Value::BigInt(1));  // row 2 is NULL in i

    std::vector<AggregateState> empty(2);
    compiled.RunMorsel(MorselInput{input.columns.data(), input.validity.data(), 0}, params.data(), empty.data());
    CHECK(FinalizeAggregate(spec.aggregates[0], empty[0]).IsNull());
    CHECK(FinalizeAggregate(spec.aggregates[1], empty[1]).IsNull());

    AggregateState global;
    CombineAggregate(spec.aggregates[1], states[1], global);
    CombineAggregate(spec.aggregates[1], states[1], global);
    CHECK(global.sum_int == 2);
    CHECK(global.count == 2);
}

TEST_CASE("pipeline_compiler: SUM over DECIMAL adds unscaled values and overflows as numeric") {
    const LogicalType price_type = LogicalType::Decimal(12, 2), sum_type = LogicalType::Decimal(18, 2);
    const int32_t d1994 = DaysFromCivil(1994, 1, 1);
    Column<int32_t> day({d1994 - 1, d1994, d1994 + 5, std::nullopt});
    Column<int64_t> price({100, 250, -5, 700});  // 1.00, 2.50, -0.05, 7.00
    auto filter = Cmp(CompareOp::GtEq, Col(0, kDate), Const(Value::Date(d1994)));
    auto sum_arg = Col(1, price_type);
    FilterAggregateSpec spec;
    spec.filters = {filter.get()};
    spec.aggregates = {AggregateSpec{AggregateKind::Sum, sum_type, sum_arg.get()}};
    CompiledPipeline compiled = CompilePipeline(spec);
    std::vector<GzParamSlot> params = spec.Layout().Bind({});
    Input input;
    input.Add(day).Add(price);
    AggregateState state;
    compiled.RunMorsel(input.Morsel(), params.data(), &state);
    const Value sum = FinalizeAggregate(spec.aggregates[0], state);
    CHECK(sum == Value::Decimal(245, 18, 2));
    CHECK(sum.ToString() == "2.45");

    Column<int32_t> days({d1994, d1994});
    Column<int64_t> huge({kMax64 - 1, 2});
    Input overflowing;
    overflowing.Add(days).Add(huge);
    AggregateState fresh;
    try {
        compiled.RunMorsel(overflowing.Morsel(), params.data(), &fresh);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(std::string(e.Code()) == "22003");
        CHECK(e.Message() == "numeric out of range");
    }
    AggregateState global, local;
    global.sum_int = kMax64;
    local.sum_int = 1;
    CHECK_THROWS_WITH(CombineAggregate(spec.aggregates[0], local, global), "numeric out of range");
}

TEST_CASE("pipeline_compiler: a failing filter expression raises from compiled code") {
    // WHERE 100 / x > 1 → COUNT(*)
    auto filter = Cmp(CompareOp::Gt, Fn(ScalarFunctionId::Divide, kBigInt, BigInt(100), Col(0, kBigInt)), BigInt(1));
    FilterAggregateSpec spec;
    spec.filters = {filter.get()};
    spec.aggregates = {AggregateSpec{AggregateKind::CountStar, kBigInt, nullptr}};
    CompiledPipeline compiled = CompilePipeline(spec);
    Column<int64_t> x({5, 50, std::nullopt, 0});
    try {
        RunInMorsels(compiled, spec, x, 1024);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(std::string(e.Code()) == "22012");
    }
    Column<int64_t> ok({5, 50, std::nullopt, 200});
    auto states = RunInMorsels(compiled, spec, ok, 1024);
    CHECK(states[0].count == 2);  // 100/5 = 20 and 100/50 = 2; NULL is not counted
}

TEST_CASE("pipeline_compiler: the optimized filtered sum over BIGINT is vectorized") {
    FilteredSum pipeline(5);
    CompileOptions optimized;
    optimized.tier = Tier::Optimized;
    optimized.capture_ir = true;
    CompiledPipeline compiled = CompilePipeline(pipeline.spec, optimized);
    const std::string& ir = compiled.Code().IrAfter();
    std::smatch match;
    REQUIRE(std::regex_search(ir, match, std::regex(R"(<(\d+) x i64>)")));
    MESSAGE("vector type in the optimized IR: " << match.str());
    CHECK(std::stoi(match[1].str()) >= 2);
    std::string evidence;
    std::istringstream lines(ir);
    int shown = 0;
    // Show the vector loop's loads, compares and reductions, not the splats.
    const std::regex vector_op(R"(= (load|icmp|select|add|and|lshr|ashr|call) .*<\d+ x i(64|1)>)");
    for (std::string line; std::getline(lines, line) && shown < 10;) {
        if (!std::regex_search(line, vector_op)) continue;
        evidence += line + "\n";
        ++shown;
    }
    MESSAGE("optimized IR, first vector instructions:\n" << evidence);
    // The unoptimized IR has none, and uses the overflow intrinsic in the checked loop.
    CHECK(compiled.Code().IrBefore().find(" x i64>") == std::string::npos);
    CHECK(compiled.Code().IrBefore().find("llvm.sadd.with.overflow.i64") != std::string::npos);
}

TEST_CASE("pipeline_compiler: annotated IR names the region of every instruction") {
    FilteredSum pipeline(5);
    CHECK(pipeline.spec.Regions() == std::vector<std::string>{"scan", "filter.0", "aggregate"});
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        CAPTURE(TierName(tier));
        CompileOptions options;
        options.tier = tier;
        options.capture_ir = true;
        options.annotate = true;
        CompiledPipeline compiled = CompilePipeline(pipeline.spec, options);
        for (const std::string* ir : {&compiled.Code().IrBefore(), &compiled.Code().IrAfter()}) {
            CHECK(std::regex_search(*ir, std::regex(R"(load i64, ptr .*; filter\.0)")));
            CHECK(ir->find("; scan") != std::string::npos);
            CHECK(ir->find("; aggregate") != std::string::npos);
            CHECK(ir->find("!dbg") == std::string::npos);
        }
        // The debug info that carried the regions does not change what the code computes.
        Column<int64_t> x = RandomColumn(5000, 0.1, 7);
        auto states = RunInMorsels(compiled, pipeline.spec, x, 1024);
        Expected expected = FilteredSumInCpp(x, 5);
        CHECK(states[0].sum_int == expected.sum);
        CHECK(states[1].count == expected.count_star);
        CHECK(states[2].count == expected.count);
    }
    // Without capture_ir there is nothing to annotate.
    CompileOptions quiet;
    quiet.annotate = true;
    CHECK(CompilePipeline(pipeline.spec, quiet).Code().IrAfter().empty());
}

TEST_CASE("pipeline_compiler: compile time per tier") {
    FilteredSum pipeline(5);
    for (Tier tier : {Tier::Fast, Tier::Optimized}) {
        CompileOptions options;
        options.tier = tier;
        CompilePipeline(pipeline.spec, options);  // warm up: JIT creation, first-use costs
        CompiledPipeline compiled = CompilePipeline(pipeline.spec, options);
        const CompileStats& stats = compiled.Code().Stats();
        MESSAGE(std::string(TierName(tier)) << " tier: emit " << stats.emit_ms << " ms, optimize " << stats.optimize_ms
                               << " ms, machine code " << stats.machine_code_ms << " ms, total " << stats.TotalMs()
                               << " ms, object " << stats.object_bytes << " bytes");
        CHECK(stats.tier == tier);
    }
}

TEST_CASE("pipeline_compiler: shapes are read off a physical pipeline") {
    ir::PhysicalOperator scan(ir::PhysicalOpType::TableScan);
    scan.types = {kBigInt};
    scan.table_filters.push_back(Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(0)));
    ir::PhysicalOperator filter(ir::PhysicalOpType::Filter);
    filter.expressions.push_back(Cmp(CompareOp::Lt, Col(0, kBigInt), BigInt(10)));
    ir::PhysicalOperator aggregate(ir::PhysicalOpType::HashAggregate);
    ir::AggregateExpr sum;
    sum.kind = AggregateKind::Sum;
    sum.return_type = kBigInt;
    sum.argument = Col(0, kBigInt);
    aggregate.aggregates.push_back(std::move(sum));
    ir::Pipeline pipeline;
    pipeline.source = &scan;
    pipeline.operators = {&filter};
    pipeline.sink = &aggregate;

    FilterAggregateSpec spec = MatchFilterAggregate(pipeline);
    CHECK(spec.filters.size() == 2);
    CompiledPipeline compiled = CompilePipeline(spec);
    Column<int64_t> x({-5, 3, 9, 12});
    auto states = RunInMorsels(compiled, spec, x, 1024);
    CHECK(states[0].sum_int == 12);

    aggregate.expressions.push_back(Col(0, kBigInt));  // GROUP BY: not this shape
    try {
        MatchFilterAggregate(pipeline);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(std::string(e.Code()) == "0A000");
    }
}
