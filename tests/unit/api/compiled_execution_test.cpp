// Tests for compiled execution as the API exposes it: SET execution_mode,
// which executor EXPLAIN ANALYZE reports per pipeline, and the shape cache
// shared by the connections of one database. Results themselves are checked
// against the interpreter in tests/sql/jit/.
#include <doctest/doctest.h>

#include <string>

#include "api/api.hpp"
#include "api/client_context.hpp"
#include "tests/unit/api/sql_test_util.hpp"

using namespace grizzly;

namespace {

using testing::Ok;

std::string ExplainAnalyze(Connection& con, const std::string& sql) {
    return testing::ExplainText(con, "EXPLAIN ANALYZE ", sql);
}

using testing::Contains;

}  // namespace

TEST_CASE("compiled execution: EXPLAIN ANALYZE names the executor of each pipeline") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t (a INTEGER, b BIGINT)");
    Ok(con, "INSERT INTO t SELECT (n % 10)::INTEGER, n FROM range(1000) t(n)");

    std::string text = ExplainAnalyze(con, "SELECT sum(b) FROM t WHERE a > 5");
    INFO(text);
    CHECK(Contains(text, "Pipeline 0: interpreter"));
    CHECK_FALSE(Contains(text, "compiled ("));

    Ok(con, "SET execution_mode = 'jit'");
    text = ExplainAnalyze(con, "SELECT sum(b), count(*) FROM t WHERE a > 5");
    CHECK(Contains(text, "compiled (fast tier, cache miss)"));
    // The same shape with another constant reuses the code.
    text = ExplainAnalyze(con, "SELECT sum(b), count(*) FROM t WHERE a > 7");
    CHECK(Contains(text, "compiled (fast tier, cache hit)"));
    CHECK(Ok(con, "SELECT sum(b), count(*) FROM t WHERE a > 7").GetValue(0, 0).GetInt64() == 100700);

    // GROUP BY compiles too, and its shape is reused with other constants.
    text = ExplainAnalyze(con, "SELECT a, sum(b) FROM t WHERE b > 3 GROUP BY a");
    CHECK(Contains(text, "Pipeline 0: compiled (fast tier, cache miss)"));
    text = ExplainAnalyze(con, "SELECT a, sum(b) FROM t WHERE b > 4 GROUP BY a");
    CHECK(Contains(text, "Pipeline 0: compiled (fast tier, cache hit)"));

    // A pipeline with nothing to compute (the scan's columns into a sort) runs in the interpreter.
    text = ExplainAnalyze(con, "SELECT b, a FROM t ORDER BY b");
    CHECK(Contains(text, "interpreter"));
    CHECK_FALSE(Contains(text, "compiled ("));

    // The shape cache belongs to the database: another connection hits it.
    Connection other{db};
    Ok(other, "SET execution_mode = 'adaptive'");
    text = ExplainAnalyze(other, "SELECT sum(b), count(*) FROM t WHERE a > 1");
    // (Run three times, the shape may meanwhile have been recompiled in the optimized tier.)
    CHECK(Contains(text, " tier, cache hit)"));

    // Deleted rows: compiled code skips them.
    Ok(con, "DELETE FROM t WHERE b = 999");
    text = ExplainAnalyze(con, "SELECT sum(b), count(*) FROM t WHERE a > 7");
    CHECK(Contains(text, "compiled ("));
    CHECK(Contains(text, "1 of 1 morsels had deleted rows, which compiled code skipped"));
    CHECK(Ok(con, "SELECT sum(b), count(*) FROM t WHERE a > 7").GetValue(0, 0).GetInt64() == 99701);
}

TEST_CASE("compiled execution: execution_mode accepts the three modes") {
    Database db;
    Connection con{db};
    for (const char* mode : {"jit", "adaptive", "interpret"}) {
        Ok(con, std::string("SET execution_mode = '") + mode + "'");
        CHECK(Ok(con, "SHOW execution_mode").GetValue(0, 0).ToString() == mode);
    }
    Result r = con.Query("SET execution_mode = 'turbo'");
    REQUIRE_FALSE(r.Ok());
    CHECK(std::string(r.GetError().Code()) == "22023");
}

TEST_CASE("compiled execution: adaptive mode runs a cold shape in the interpreter and compiles it meanwhile") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t (a INTEGER, b BIGINT)");
    Ok(con, "INSERT INTO t SELECT (n % 10)::INTEGER, n FROM range(100000) t(n)");
    CHECK(Ok(con, "SHOW execution_mode").GetValue(0, 0).ToString() == "adaptive");  // the default
    codegen::BackgroundCompiler& background = db.Instance().background_compiler;

    // A small table: its pipeline is compiled once its runs have read jit_above_rows rows.
    CHECK(Ok(con, "SHOW jit_above_rows").GetValue(0, 0).ToString() == "20000000");
    Ok(con, "SET jit_above_rows = 250000");
    std::string text;
    for (int run = 0; run < 2; ++run) {
        text = ExplainAnalyze(con, "SELECT sum(b), count(*) FROM t WHERE a > 5");
        background.WaitIdle();
        CHECK(db.Instance().shape_cache.Entries().empty());
    }
    // Cold, the third run: this one does not wait for the compiler.
    text = ExplainAnalyze(con, "SELECT sum(b), count(*) FROM t WHERE a > 5");
    INFO(text);
    CHECK(Contains(text, "Pipeline 0: interpreter"));
    background.WaitIdle();
    CHECK(db.Instance().shape_cache.Entries().size() == 1);
    // Ready: the next run of the shape (another constant) is compiled, in the
    // optimized tier: nothing waited for it, so no fast tier came first.
    text = ExplainAnalyze(con, "SELECT sum(b), count(*) FROM t WHERE a > 6");
    CHECK(Contains(text, "compiled (optimized tier, cache hit)"));
    CHECK(Ok(con, "SELECT sum(b), count(*) FROM t WHERE a > 6").GetValue(0, 0).GetInt64() == 1500090000);
    CHECK(Ok(con, "SELECT sum(b), count(*) FROM t WHERE a > 8").GetValue(0, 1).GetInt64() == 10000);
    // Without jit_optimize, the background compile is the fast tier's. (0: compiled at its first run.)
    Ok(con, "SET jit_above_rows = 0");
    Ok(con, "SET jit_optimize = false");
    ExplainAnalyze(con, "SELECT sum(a), count(*) FROM t WHERE b > 5");
    background.WaitIdle();
    text = ExplainAnalyze(con, "SELECT sum(a), count(*) FROM t WHERE b > 6");
    CHECK(Contains(text, "compiled (fast tier, cache hit)"));
    Ok(con, "SET jit_optimize = true");

    // A shape that fails to compile in the background is no error: it stays interpreted.
    Ok(con, "SET execution_mode = 'interpret'");
    text = ExplainAnalyze(con, "SELECT sum(b), count(*) FROM t WHERE a > 3");
    CHECK_FALSE(Contains(text, "compiled"));
}

TEST_CASE("compiled execution: a cold run switches to compiled code at a morsel boundary, with the same answer") {
    Database db;
    Connection con{db};
    // 49 row groups: the fast tier's compile ends while the interpreter is part way through.
    Ok(con, "CREATE TABLE t AS SELECT i AS x, i % 7 AS y, (i % 1000)::DOUBLE AS d FROM range(6000000) r(i)");
    const char* queries[] = {"SELECT sum(x), count(*) FROM t WHERE y > 2",
                             "SELECT count(x), sum(y) FROM t WHERE x % 3 = 1",
                             "SELECT sum(d), count(*), sum(x) FROM t WHERE d < 500 AND y <> 4"};
    for (const char* sql : queries) {
        Ok(con, "SET execution_mode = 'interpret'");
        Result expected = Ok(con, sql);
        Ok(con, "SET execution_mode = 'adaptive'");
        // Cold: whichever morsels ran where, the same answer.
        Result cold = Ok(con, sql);
        for (size_t c = 0; c < expected.ColumnCount(); ++c)
            CHECK(cold.GetValue(0, c).ToString() == expected.GetValue(0, c).ToString());
        db.Instance().background_compiler.WaitIdle();
    }
    // What EXPLAIN ANALYZE says of a cold run: interpreted, switched part way, or (on a machine
    // where the compile wins the race) compiled from the first morsel.
    std::string text = ExplainAnalyze(con, "SELECT count(*), sum(y) FROM t WHERE x > 17");
    INFO(text);
    CHECK((Contains(text, "Pipeline 0: interpreter (compiled code not ready)") ||
           Contains(text, "compiled in the background during this run")));
}

TEST_CASE("compiled execution: compiled code skips deleted rows") {
    Database db;
    Connection con{db};
    // Three row groups of 122,880 rows, 20 morsels of up to 16,384 rows; rows are
    // deleted from two morsels of the second row group (its 1st and 5th).
    Ok(con, "SET threads = 1");
    Ok(con, "CREATE TABLE t AS SELECT i AS x, i % 5 AS y FROM range(300000) r(i)");
    Ok(con, "DELETE FROM t WHERE x BETWEEN 130000 AND 130999 OR x = 200000");
    Ok(con, "SET execution_mode = 'interpret'");
    Result expected = Ok(con, "SELECT sum(x), count(*) FROM t WHERE y <> 2");
    Ok(con, "SET execution_mode = 'jit'");
    std::string text = ExplainAnalyze(con, "SELECT sum(x), count(*) FROM t WHERE y <> 2");
    INFO(text);
    CHECK(Contains(text, "compiled (fast tier, cache miss)"));
    CHECK(Contains(text, "2 of 20 morsels had deleted rows, which compiled code skipped"));
    Result r = Ok(con, "SELECT sum(x), count(*) FROM t WHERE y <> 2");
    CHECK(r.GetValue(0, 0).ToString() == expected.GetValue(0, 0).ToString());
    CHECK(r.GetValue(0, 1).ToString() == expected.GetValue(0, 1).ToString());

    // A deleted row is never evaluated: its zero divisor raises nothing.
    Ok(con, "CREATE TABLE z AS SELECT i AS x, CASE WHEN i = 7 THEN 0 ELSE 1 END AS d FROM range(1000) r(i)");
    Ok(con, "DELETE FROM z WHERE d = 0");
    CHECK(Ok(con, "SELECT sum(x / d) FROM z").GetValue(0, 0).GetInt64() == 499500 - 7);
    Result groups = Ok(con, "SELECT d, count(*), sum(x / d) FROM z GROUP BY d");
    REQUIRE(groups.RowCount() == 1);
    CHECK(groups.GetValue(0, 1).GetInt64() == 999);
    CHECK(groups.GetValue(0, 2).GetInt64() == 499500 - 7);
}

TEST_CASE("compiled execution: a long-running shape gets the optimized tier after its first run") {
    Database db;
    Connection con{db};
    // 17 row groups: past CodegenPipelineCompiler::kLongRunRows.
    Ok(con, "CREATE TABLE t AS SELECT i AS x, i % 9 AS y FROM range(2100000) r(i)");
    Ok(con, "SET execution_mode = 'interpret'");
    Result expected = Ok(con, "SELECT sum(x), count(*) FROM t WHERE y < 4");
    Ok(con, "SET execution_mode = 'adaptive'");
    Result first = Ok(con, "SELECT sum(x), count(*) FROM t WHERE y < 4");
    CHECK(first.GetValue(0, 0).ToString() == expected.GetValue(0, 0).ToString());
    CHECK(first.GetValue(0, 1).ToString() == expected.GetValue(0, 1).ToString());
    // Fast and optimized compiles were queued together: no need to run it kHotRuns times.
    db.Instance().background_compiler.WaitIdle();
    std::string text = ExplainAnalyze(con, "SELECT sum(x), count(*) FROM t WHERE y < 5");
    INFO(text);
    CHECK(Contains(text, "compiled (optimized tier, cache hit)"));
}

TEST_CASE("compiled execution: adaptive mode measures compiled code and keeps the faster executor") {
    Database db;
    Connection con{db};
    // Five row groups, 39 morsels: long enough to measure. Loaded interpreted: only the query's
    // shape is cached. One worker: the counts below are of one adaptive timer.
    Ok(con, "SET threads = 1");
    Ok(con, "SET execution_mode = 'interpret'");
    Ok(con, "CREATE TABLE t AS SELECT i AS x, i % 7 AS y FROM range(600000) r(i)");
    const std::string sql = "SELECT y, sum(x) FROM t GROUP BY y ORDER BY y";
    const Result expected = Ok(con, sql);
    Ok(con, "SET execution_mode = 'jit'");  // compiles the shape into the cache
    Ok(con, sql);
    Ok(con, "SET execution_mode = 'adaptive'");
    // Hot: the optimized tier replaces the entry (unmeasured), and no later tier can race the checks below.
    for (int run = 0; run < 3; ++run) {
        Ok(con, sql);
        db.Instance().background_compiler.WaitIdle();
    }
    REQUIRE(db.Instance().shape_cache.Entries().size() == 1);
    REQUIRE(db.Instance().shape_cache.Entries()[0].info.tier == codegen::Tier::Optimized);
    // Forget what those runs measured.
    codegen::ShapeCache& cache = db.Instance().shape_cache;
    cache.ForgetSpeed(cache.Entries()[0].key);

    // An unmeasured cached shape: every fourth morsel (8 spread over the run) is
    // timed, alternately in the interpreter and in compiled code, until each has
    // four morsels' rows timed; the first, the worker's setup, is not. The others
    // run compiled.
    std::string text = ExplainAnalyze(con, sql);
    INFO(text);
    CHECK(Contains(text, "4 of 39 morsels ran in the interpreter to measure the compiled code against"));
    std::vector<codegen::ShapeCacheEntry> entries = cache.Entries();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].info.measured.interpreted.rows == 4 * 16384);
    CHECK(entries[0].info.measured.compiled.rows == 4 * 16384);
    CHECK(entries[0].info.measured.interpreted.ns > 0);
    CHECK(entries[0].info.measured.compiled.ns > 0);

    // Code measured slower than the interpreter is not run again. (Background
    // compiles finish first: a new tier would replace the entry and its measurement.)
    db.Instance().background_compiler.WaitIdle();
    auto measure = [&](double interpreted_ns_per_row, double compiled_ns_per_row) {
        const std::string key = cache.Entries()[0].key;
        cache.ForgetSpeed(key);
        const uint64_t rows = 1'000'000;
        cache.RecordSpeed(key, cache.Peek(key).get(),
                          {{interpreted_ns_per_row * rows, rows}, {compiled_ns_per_row * rows, rows}});
    };
    measure(1.0, 5.0);
    text = ExplainAnalyze(con, sql);
    CHECK(Contains(text, "39 of 39 morsels ran in the interpreter: compiled code measured 5.00 ns/row against the "
                         "interpreter's 1.00"));
    Result r = Ok(con, sql);
    REQUIRE(r.RowCount() == expected.RowCount());
    for (size_t row = 0; row < r.RowCount(); ++row) CHECK(r.GetValue(row, 1).ToString() == expected.GetValue(row, 1).ToString());

    // Faster code runs compiled throughout.
    db.Instance().background_compiler.WaitIdle();
    measure(5.0, 1.0);
    text = ExplainAnalyze(con, sql);
    CHECK(Contains(text, "compiled ("));
    CHECK_FALSE(Contains(text, "ran in the interpreter"));
}
