#include <doctest/doctest.h>

#include "codegen_test_util.hpp"

using namespace grizzly;
using namespace grizzly::codegen;
using namespace grizzly::codegen::test;
using ir::AggregateKind;
using ir::CompareOp;

namespace {

/// WHERE x > <threshold> → SUM(x)
struct Query {
    ir::ExprPtr filter;
    ir::ExprPtr argument = Col(0, kBigInt);
    FilterAggregateSpec spec;

    explicit Query(ir::ExprPtr f) : filter(std::move(f)) {
        spec.filters = {filter.get()};
        spec.aggregates = {AggregateSpec{AggregateKind::Sum, kBigInt, argument.get()}};
    }
};

int64_t Run(const CompiledPipeline& compiled, const FilterAggregateSpec& spec, const Column<int64_t>& x) {
    Input input;
    input.Add(x);
    std::vector<GzParamSlot> params = spec.Layout().Bind({});
    AggregateState state;
    compiled.RunMorsel(input.Morsel(), params.data(), &state);
    return state.sum_int;
}

}  // namespace

TEST_CASE("shape_cache: shape keys ignore constant values only") {
    auto gt5 = Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(5));
    auto gt7 = Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(7));
    CHECK(ShapeKey(*gt5) == ShapeKey(*gt7));
    CHECK(ShapeKey(*gt5) != ShapeKey(*Cmp(CompareOp::GtEq, Col(0, kBigInt), BigInt(5))));
    CHECK(ShapeKey(*gt5) != ShapeKey(*Cmp(CompareOp::Gt, Col(1, kBigInt), BigInt(5))));
    CHECK(ShapeKey(*gt5) != ShapeKey(*Cmp(CompareOp::Gt, Col(0, kBigInt), Col(1, kBigInt))));
    CHECK(ShapeKey(*gt5) != ShapeKey(*Cmp(CompareOp::Gt, Col(0, kBigInt), Param(0, kBigInt))));
    CHECK(ShapeKey(*gt5) != ShapeKey(*Cmp(CompareOp::Gt, Col(0, kInteger), Int(5))));
    MESSAGE("shape key of x > 5: " << ShapeKey(*gt5));
}

TEST_CASE("shape_cache: two queries differing only in constants share compiled code") {
    ShapeCache cache(64 << 20);
    Query q5(Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(5)));
    Query q7(Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(7)));
    CHECK(PipelineShapeKey(q5.spec) == PipelineShapeKey(q7.spec));

    CompiledPipeline first = CompilePipeline(q5.spec, CompileOptions{}, cache);
    CompiledPipeline second = CompilePipeline(q7.spec, CompileOptions{}, cache);
    CHECK(&first.Code() == &second.Code());
    ShapeCacheStats stats = cache.Stats();
    CHECK(stats.misses == 1);
    CHECK(stats.hits == 1);
    CHECK(stats.entries == 1);
    CHECK(stats.compile_ms > 0);
    ShapeCacheEntryInfo info;
    REQUIRE(cache.Describe(PipelineShapeKey(q5.spec), info));
    CHECK(info.tier == Tier::Optimized);
    CHECK(info.hits == 1);

    // One function, each query's own constant from its parameter block.
    Column<int64_t> x({4, 5, 6, 7, 8});
    CHECK(Run(first, q5.spec, x) == 6 + 7 + 8);
    CHECK(Run(second, q7.spec, x) == 8);

    Query other(Cmp(CompareOp::Lt, Col(0, kBigInt), BigInt(5)));
    CompilePipeline(other.spec, CompileOptions{}, cache);
    CHECK(cache.Stats().misses == 2);
    CHECK(cache.Stats().entries == 2);
}

TEST_CASE("shape_cache: bounded in bytes, least recently used first out") {
    Query a(Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(1)));
    Query b(Cmp(CompareOp::Lt, Col(0, kBigInt), BigInt(1)));
    Query c(Cmp(CompareOp::Eq, Col(0, kBigInt), BigInt(1)));
    CompileOptions fast;
    fast.tier = Tier::Fast;
    CompiledCodePtr code_a = CompilePipeline(a.spec, fast).SharedCode();
    CompiledCodePtr code_b = CompilePipeline(b.spec, fast).SharedCode();
    CompiledCodePtr code_c = CompilePipeline(c.spec, fast).SharedCode();
    const size_t entry_bytes = code_a->MemoryBytes() + PipelineShapeKey(a.spec).size();
    // Room for two entries of about this size, not three.
    ShapeCache cache(entry_bytes * 5 / 2);
    cache.Insert(PipelineShapeKey(a.spec), code_a);
    cache.Insert(PipelineShapeKey(b.spec), code_b);
    CHECK(cache.Find(PipelineShapeKey(a.spec)) != nullptr);  // a is now the most recent
    cache.Insert(PipelineShapeKey(c.spec), code_c);          // evicts b
    ShapeCacheStats stats = cache.Stats();
    CHECK(stats.evictions == 1);
    CHECK(stats.entries == 2);
    CHECK(stats.bytes <= stats.capacity_bytes);
    CHECK(cache.Find(PipelineShapeKey(b.spec)) == nullptr);
    CHECK(cache.Find(PipelineShapeKey(a.spec)) != nullptr);
    CHECK(cache.Find(PipelineShapeKey(c.spec)) != nullptr);

    // Evicted code stays callable while someone holds it.
    Column<int64_t> x({-3, 0, 2});
    CHECK(Run(CompiledPipeline(code_b), b.spec, x) == -3 + 0);

    cache.Clear();
    CHECK(cache.Stats().entries == 0);
    CHECK(cache.Stats().bytes == 0);
}
