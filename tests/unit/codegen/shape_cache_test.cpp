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

TEST_CASE("shape_cache: decimal scales are part of the shape; DATE and DECIMAL values fill their own slots") {
    // Generated code scales by 10^scale, so DECIMAL(15,2) and DECIMAL(15,4) cannot share it.
    auto lt = [](uint8_t scale, int64_t unscaled) {
        return Cmp(CompareOp::Lt, Col(0, LogicalType::Decimal(15, scale)), Const(Value::Decimal(unscaled, 15, scale)));
    };
    CHECK(ShapeKey(*lt(2, 5)) == ShapeKey(*lt(2, 7)));
    CHECK(ShapeKey(*lt(2, 5)) != ShapeKey(*lt(4, 5)));

    CHECK(MakeParamSlot(Value::Decimal(-12345, 15, 2), LogicalType::Decimal(15, 2)).bits == uint64_t(-12345));
    CHECK(MakeParamSlot(Value::Date(-3), LogicalType(TypeId::Date)).bits == uint64_t(-3));
    CHECK(MakeParamSlot(Value::Null(LogicalType(TypeId::Date)), LogicalType(TypeId::Date)).is_null == 1);
    // Unscaled digits of another scale, or days read as a number, would be wrong values.
    CHECK_THROWS_AS(MakeParamSlot(Value::Decimal(5, 15, 3), LogicalType::Decimal(15, 2)), Error);
    CHECK_THROWS_AS(MakeParamSlot(Value::Decimal(5, 15, 2), kDouble), Error);
    CHECK_THROWS_AS(MakeParamSlot(Value::Date(5), kInteger), Error);
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

TEST_CASE("shape_cache: keys name the tables' schema versions and the host") {
    const std::string fingerprint = "filter[]aggregate[count_star:BIGINT]";
    const std::string v0 = ShapeCacheKey(fingerprint, {ShapeDependency{7, 0, "t"}});
    CHECK(v0.rfind(fingerprint, 0) == 0);
    CHECK(v0.find("|tables[7@0]") != std::string::npos);
    CHECK(v0.find("|host[" + HostTargetKey() + "]") != std::string::npos);
    CHECK(v0 != ShapeCacheKey(fingerprint, {ShapeDependency{7, 1, "t"}}));  // a schema change
    CHECK(v0 != ShapeCacheKey(fingerprint, {ShapeDependency{8, 0, "t"}}));  // another table
    CHECK(v0 == ShapeCacheKey(fingerprint, {ShapeDependency{7, 0, "renamed"}}));  // names are not part of it
    CHECK(ShortKeyHash(v0).size() == 16);
    CHECK(ShortKeyHash(v0) == ShortKeyHash(v0));
    CHECK(ShortKeyHash(v0) != ShortKeyHash(fingerprint));
    MESSAGE("cache key: " << v0);
}

TEST_CASE("shape_cache: erasing a table's entries, resizing, listing") {
    Query a(Cmp(CompareOp::Gt, Col(0, kBigInt), BigInt(1)));
    Query b(Cmp(CompareOp::Lt, Col(0, kBigInt), BigInt(1)));
    CompileOptions fast;
    fast.tier = Tier::Fast;
    CompiledCodePtr code_a = CompilePipeline(a.spec, fast).SharedCode();
    CompiledCodePtr code_b = CompilePipeline(b.spec, fast).SharedCode();
    ShapeCache cache(64 << 20);
    const ShapeDependency t{1, 0, "t"}, u{2, 0, "u"};
    cache.Insert("a|t", code_a, {t}, "a over t");
    cache.Insert("b|t", code_b, {t}, "b over t");
    cache.Insert("a|u", code_a, {u}, "a over u");
    cache.Insert("a|t,u", code_a, {t, u}, "a over t and u");
    REQUIRE(cache.Stats().entries == 4);
    CHECK(cache.Find("b|t") != nullptr);

    std::vector<ShapeCacheEntry> entries = cache.Entries();
    REQUIRE(entries.size() == 4);
    CHECK(entries[0].key == "b|t");  // most recently used first
    CHECK(entries[0].info.hits == 1);
    CHECK(entries[0].info.description == "b over t");
    CHECK(entries[0].info.code_bytes == code_b->Stats().object_bytes);
    CHECK(entries[0].info.tables.size() == 1);
    CHECK(entries[0].info.tables[0].table_name == "t");

    // Table t's entries go, whatever else they depend on; u's stay.
    CHECK(cache.EraseTable(1) == 3);
    CHECK(cache.EraseTable(1) == 0);
    CHECK(cache.Stats().entries == 1);
    CHECK(cache.Stats().invalidations == 3);
    CHECK(cache.Find("a|t") == nullptr);
    CHECK(cache.Find("a|u") != nullptr);
    // The index follows replacements: an entry re-inserted with other tables is erased by those.
    cache.Insert("a|u", code_a, {t}, "a over t now");
    CHECK(cache.EraseTable(2) == 0);
    CHECK(cache.EraseTable(1) == 1);
    CHECK(cache.Stats().bytes == 0);

    cache.Insert("a", code_a, {t});
    cache.Insert("b", code_b, {u});
    CHECK(cache.EraseIf([](const std::string& key, const ShapeCacheEntryInfo&) { return key == "a"; }) == 1);
    CHECK(cache.Stats().entries == 1);

    // Shrinking evicts least recently used entries until the rest fit; growing keeps them.
    cache.Insert("a", code_a, {t});
    cache.Insert("c", code_a, {u});
    REQUIRE(cache.Stats().entries == 3);
    CHECK(cache.Find("b") != nullptr);
    ShapeCacheEntryInfo info;
    REQUIRE(cache.Describe("b", info));
    cache.SetCapacity(info.bytes);
    CHECK(cache.Capacity() == info.bytes);
    CHECK(cache.Stats().capacity_bytes == info.bytes);
    CHECK(cache.Stats().entries == 1);
    CHECK(cache.Stats().evictions == 2);
    CHECK(cache.Find("b") != nullptr);
    CHECK(cache.EraseTable(1) == 0);  // the evicted entries left the table index too
    cache.SetCapacity(64 << 20);
    CHECK(cache.Stats().entries == 1);
    // Code larger than the whole capacity is not kept, and does not flush the rest.
    cache.SetCapacity(info.bytes);
    cache.Insert("too big for the cache, with this long a key", code_a, {t});
    CHECK(cache.Stats().entries == 1);
    CHECK(cache.Find("b") != nullptr);
    cache.SetCapacity(0);
    CHECK(cache.Stats().entries == 0);
    CHECK(cache.Stats().bytes == 0);
}
