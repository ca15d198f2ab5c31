// Tests for the shape cache as SQL sees it — keys that ignore constants but
// name the tables' schema versions, invalidation by DDL, SET jit_cache_size,
// grizzly_jit_cache() — and for EXPLAIN CODEGEN and the compile times of
// EXPLAIN ANALYZE.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "api/api.hpp"
#include "tests/unit/api/sql_test_util.hpp"

using namespace grizzly;

namespace {

using testing::Ok;

int64_t Int(Connection& con, const std::string& sql) { return Ok(con, sql).GetValue(0, 0).GetInt64(); }

std::string Text(Connection& con, const std::string& sql) { return Ok(con, sql).GetValue(0, 0).ToString(); }

int64_t Entries(Connection& con) { return Int(con, "SELECT count(*) FROM grizzly_jit_cache()"); }

using testing::Contains;
using testing::ExplainText;

/// Two tables, compiled execution on (loaded interpreted: the loads' own shapes stay out of the cache).
void Setup(Connection& con) {
    Ok(con, "SET execution_mode = 'interpret'");
    Ok(con, "CREATE TABLE t (a INTEGER, b BIGINT)");
    Ok(con, "INSERT INTO t SELECT (n % 10)::INTEGER, n FROM range(1000) t(n)");
    Ok(con, "CREATE TABLE u (a INTEGER, b BIGINT)");
    Ok(con, "INSERT INTO u SELECT (n % 10)::INTEGER, n FROM range(100) t(n)");
    Ok(con, "SET execution_mode = 'jit'");
}

}  // namespace

TEST_CASE("jit_cache: a pipeline with a subquery compiles once; the run binds the statement's subquery") {
    Database db;
    Connection con{db};
    Setup(con);
    // The code calls the interpreter for the subquery at its site: its plan is not part of the shape.
    CHECK(Int(con, "SELECT count(*) FROM t WHERE b > (SELECT max(b) FROM u)") == 900);
    CHECK(Int(con, "SELECT count(*) FROM t WHERE b > (SELECT min(b) FROM u)") == 999);
    const std::string text =
        ExplainText(con, "EXPLAIN ANALYZE ", "SELECT count(*) FROM t WHERE b > (SELECT max(b) + 800 FROM u)");
    CHECK(Contains(text, "cache hit"));
    CHECK(Int(con, "SELECT count(*) FROM t WHERE b > (SELECT max(b) + 800 FROM u)") == 100);
    // One entry for the four statements' outer pipeline (the subqueries' own pipelines have theirs).
    CHECK(Int(con, "SELECT count(*) FROM grizzly_jit_cache() WHERE shape_key LIKE '%subquery%'") == 1);
    CHECK(Int(con, "SELECT hits FROM grizzly_jit_cache() WHERE shape_key LIKE '%subquery%'") == 3);
}

TEST_CASE("jit_cache: queries differing only in constants compile once") {
    Database db;
    Connection con{db};
    Setup(con);
    CHECK(Entries(con) == 0);
    CHECK(Int(con, "SELECT sum(b) FROM t WHERE a > 5") == 201000);
    CHECK(Int(con, "SELECT sum(b) FROM t WHERE a > 7") == 100700);
    Result r = Ok(con,
                  "SELECT key_hash, shape_key, description, tier, hits, compile_ms, code_bytes, cached_bytes, tables "
                  "FROM grizzly_jit_cache()");
    REQUIRE(r.RowCount() == 1);
    CHECK(r.GetValue(0, 0).ToString().size() == 16);
    const std::string key = r.GetValue(0, 1).ToString();
    INFO("key: " << key);
    CHECK(Contains(key, "filter["));
    CHECK(Contains(key, "|tables["));
    CHECK(Contains(key, "|host["));
    // Constants are parameter slots: neither 5 nor 7 is part of the shape's fingerprint.
    const std::string fingerprint = key.substr(0, key.find("|tables["));
    CHECK(Contains(fingerprint, "const:"));
    CHECK_FALSE(Contains(fingerprint, "5"));
    CHECK_FALSE(Contains(fingerprint, "7"));
    CHECK(r.GetValue(0, 2).ToString() == "TABLE_SCAN t -> HASH_AGGREGATE");
    CHECK(r.GetValue(0, 3).ToString() == "fast");
    CHECK(r.GetValue(0, 4).GetInt64() == 1);
    CHECK(r.GetValue(0, 5).GetDouble() > 0);
    CHECK(r.GetValue(0, 6).GetInt64() > 0);
    CHECK(r.GetValue(0, 7).GetInt64() >= r.GetValue(0, 6).GetInt64());
    CHECK(r.GetValue(0, 8).ToString() == "t");

    // Another shape, and the same shape over another table, are entries of their own.
    Ok(con, "SELECT count(*) FROM t WHERE b < 10");
    Ok(con, "SELECT sum(b) FROM u WHERE a > 5");
    CHECK(Entries(con) == 3);
    CHECK(Int(con, "SELECT count(*) FROM grizzly_jit_cache() WHERE tables = 'u'") == 1);

    // The interpreter does not touch the cache.
    Ok(con, "SET execution_mode = 'interpret'");
    Ok(con, "SELECT sum(b) FROM t WHERE a > 3");
    CHECK(Int(con, "SELECT sum(hits) FROM grizzly_jit_cache()") == 1);
}

TEST_CASE("jit_cache: DDL on a table removes that table's entries only") {
    Database db;
    Connection con{db};
    Setup(con);
    auto compile_both = [&] {
        Ok(con, "SELECT sum(b) FROM t WHERE a > 5");
        Ok(con, "SELECT sum(b) FROM u WHERE a > 5");
    };
    auto entries_of = [&](const std::string& table) {
        return Int(con, "SELECT count(*) FROM grizzly_jit_cache() WHERE tables = '" + table + "'");
    };
    compile_both();
    REQUIRE(Entries(con) == 2);

    SUBCASE("ALTER TABLE ADD COLUMN") {
        Ok(con, "ALTER TABLE t ADD COLUMN c INTEGER");
        CHECK(Entries(con) == 1);
        CHECK(entries_of("t") == 0);
        CHECK(entries_of("u") == 1);
        // The next run is a miss (a new schema version), the other table's a hit.
        CHECK(Contains(ExplainText(con, "EXPLAIN ANALYZE ", "SELECT sum(b) FROM t WHERE a > 5"), "cache miss"));
        CHECK(Contains(ExplainText(con, "EXPLAIN ANALYZE ", "SELECT sum(b) FROM u WHERE a > 5"), "cache hit"));
        CHECK(entries_of("t") == 1);
        CHECK(Int(con, "SELECT sum(b) FROM t WHERE a > 5") == 201000);
    }
    SUBCASE("ALTER TABLE RENAME COLUMN") {
        Ok(con, "ALTER TABLE t RENAME COLUMN b TO bb");
        CHECK(entries_of("t") == 0);
        CHECK(entries_of("u") == 1);
        CHECK(Int(con, "SELECT sum(bb) FROM t WHERE a > 5") == 201000);
    }
    SUBCASE("ALTER TABLE RENAME TO") {
        Ok(con, "ALTER TABLE t RENAME TO t2");
        CHECK(Entries(con) == 1);
        CHECK(entries_of("u") == 1);
    }
    SUBCASE("CREATE INDEX and DROP INDEX") {
        Ok(con, "CREATE UNIQUE INDEX t_b ON t (b)");
        CHECK(entries_of("t") == 0);
        CHECK(entries_of("u") == 1);
        Ok(con, "SELECT sum(b) FROM t WHERE a > 5");
        CHECK(entries_of("t") == 1);
        Ok(con, "DROP INDEX t_b");
        CHECK(entries_of("t") == 0);
        CHECK(entries_of("u") == 1);
    }
    SUBCASE("DROP TABLE") {
        Ok(con, "DROP TABLE t");
        CHECK(Entries(con) == 1);
        CHECK(entries_of("u") == 1);
    }
    SUBCASE("CREATE OR REPLACE TABLE") {
        Ok(con, "CREATE OR REPLACE TABLE t (a INTEGER, b BIGINT)");
        CHECK(entries_of("t") == 0);
        CHECK(entries_of("u") == 1);
        CHECK(Ok(con, "SELECT sum(b) FROM t WHERE a > 5").GetValue(0, 0).IsNull());
    }
    SUBCASE("a rolled-back ALTER drops what was compiled for the altered schema too") {
        Ok(con, "BEGIN");
        Ok(con, "ALTER TABLE t ADD COLUMN c INTEGER");
        CHECK(entries_of("t") == 0);
        Ok(con, "SELECT sum(b) FROM t WHERE a > 5");
        CHECK(entries_of("t") == 1);
        Ok(con, "ROLLBACK");
        CHECK(entries_of("t") == 0);
        CHECK(entries_of("u") == 1);
        CHECK(Int(con, "SELECT sum(b) FROM t WHERE a > 5") == 201000);
    }
    SUBCASE("DDL that fails changes nothing") {
        CHECK_FALSE(con.Query("ALTER TABLE t ADD COLUMN a INTEGER").Ok());
        CHECK(Entries(con) == 2);
    }
}

TEST_CASE("jit_cache: SET jit_cache_size resizes the shared cache") {
    Database db;
    Connection con{db};
    Setup(con);
    CHECK(Text(con, "SHOW jit_cache_size") == std::to_string(size_t(64) << 20));
    Ok(con, "SELECT sum(b) FROM t WHERE a > 5");
    Ok(con, "SELECT count(*) FROM t WHERE b < 10");
    Ok(con, "SELECT sum(b) FROM u WHERE a > 5");
    REQUIRE(Entries(con) == 3);
    // Room for the largest entry only: the two least recently used go.
    const int64_t largest = Int(con, "SELECT max(cached_bytes) FROM grizzly_jit_cache()");
    Ok(con, "SET jit_cache_size = " + std::to_string(largest));
    CHECK(Entries(con) == 1);
    CHECK(Text(con, "SHOW jit_cache_size") == std::to_string(largest));
    CHECK(Int(con, "SELECT sum(cached_bytes) FROM grizzly_jit_cache()") <= largest);

    // One cache per database: another connection sees the size and the entries.
    Connection other{db};
    CHECK(Text(other, "SHOW jit_cache_size") == std::to_string(largest));
    CHECK(Entries(other) == 1);

    Ok(con, "SET jit_cache_size = '1MB'");
    CHECK(Text(con, "SHOW jit_cache_size") == "1048576");
    Ok(con, "SET jit_cache_size = 0");
    CHECK(Entries(con) == 0);
    Ok(con, "SELECT sum(b) FROM t WHERE a > 5");  // nothing is kept
    CHECK(Entries(con) == 0);
    Ok(con, "RESET jit_cache_size");
    CHECK(Text(con, "SHOW jit_cache_size") == std::to_string(size_t(64) << 20));
    Ok(con, "SELECT sum(b) FROM t WHERE a > 5");
    CHECK(Entries(con) == 1);

    for (const char* bad : {"'lots'", "'-1MB'", "'12 parsecs'", "'1e30 GB'"}) {
        Result r = con.Query(std::string("SET jit_cache_size = ") + bad);
        INFO(bad);
        REQUIRE_FALSE(r.Ok());
        CHECK(std::string(r.GetError().Code()) == "22023");
    }
    CHECK(Text(con, "SHOW jit_cache_size") == std::to_string(size_t(64) << 20));
}

TEST_CASE("explain codegen: a filtered sum shows annotated IR, vectorized after optimization") {
    Database db;
    Connection con{db};
    Setup(con);
    for (const std::string type : {"INTEGER", "BIGINT"}) {
        CAPTURE(type);
        Ok(con, "CREATE OR REPLACE TABLE v (x " + type + ")");
        Ok(con, "INSERT INTO v SELECT n FROM range(100) t(n)");
        const int64_t cached = Entries(con);
        const std::string text = ExplainText(con, "EXPLAIN CODEGEN ", "SELECT sum(x) FROM v WHERE x > 5");
        // EXPLAIN CODEGEN neither reads nor fills the shape cache.
        CHECK(Entries(con) == cached);
        const size_t before = text.find("LLVM IR before optimization:");
        const size_t after = text.find("LLVM IR after optimization (optimized tier):");
        REQUIRE(before != std::string::npos);
        REQUIRE(after != std::string::npos);
        REQUIRE(before < after);
        const std::string ir_before = text.substr(before, after - before);
        const std::string ir_after = text.substr(after);
        CHECK(Contains(text, "Pipeline 0: TABLE_SCAN v -> HASH_AGGREGATE"));
        CHECK(Contains(text, "compiled: optimized tier"));
        // The legend, and every instruction marked with the operator it came from.
        // filter.0 skips deleted rows; the query's own filter comes next.
        CHECK(Contains(text, "filter.0: (live_row IS NOT NULL), pushed into TABLE_SCAN v"));
        CHECK(Contains(text, "filter.1: (x > 5), pushed into TABLE_SCAN v"));
        CHECK(Contains(text, "aggregate: HASH_AGGREGATE [sum("));
        for (const char* region : {"; scan", "; filter.1", "; aggregate"}) {
            CHECK(Contains(ir_before, region));
            CHECK(Contains(ir_after, region));
        }
        // The debug metadata that carries the marks is not shown.
        CHECK_FALSE(Contains(text, "!dbg"));
        CHECK_FALSE(Contains(text, "DISubprogram"));
        // Vector types after optimization only.
        const std::regex vector_type(R"(<(\d+) x i(32|64)>)");
        std::smatch match;
        CHECK_FALSE(std::regex_search(ir_before, vector_type));
        REQUIRE(std::regex_search(ir_after, match, vector_type));
        CHECK(std::stoi(match[1].str()) >= 2);
        // The vector compare is marked as the filter's.
        CHECK(std::regex_search(ir_after, std::regex(R"(icmp sgt <\d+ x i(32|64)>.*; filter\.1)")));
        MESSAGE("EXPLAIN CODEGEN, " << type << ", first vector instruction: " << match.str());
    }
}

TEST_CASE("explain codegen: a pipeline that hands rows on shows its output region and where the interpreter takes over") {
    Database db;
    Connection con{db};
    Setup(con);
    Ok(con, "CREATE TABLE s (x BIGINT, name VARCHAR)");
    Ok(con, "INSERT INTO s SELECT n, 'n' || n::VARCHAR FROM range(100) t(n)");
    // The filter and the LIMIT compile; the code ends at the LIMIT, and its rows go on interpreted.
    const std::string text =
        ExplainText(con, "EXPLAIN CODEGEN ", "SELECT x * 2 FROM (SELECT x FROM s WHERE x > 5 LIMIT 20) t");
    CHECK(Contains(text, "Pipeline 0: TABLE_SCAN s -> PROJECTION -> LIMIT -> PROJECTION"));
    CHECK(Contains(text, "compiled: optimized tier"));
    CHECK(Contains(text, "filter.1: (x > 5), pushed into TABLE_SCAN s"));
    CHECK(Contains(text, "output: the row appended to the batch that goes on to PROJECTION and on, in the interpreter"));
    CHECK(Contains(text, "; output"));
    // Covering every operator, the batch goes to the sink.
    const std::string sorted = ExplainText(con, "EXPLAIN CODEGEN ", "SELECT x * 2, name FROM s WHERE x > 5 ORDER BY 1");
    CHECK(Contains(sorted, "Pipeline 0: TABLE_SCAN s -> PROJECTION -> SORT"));
    CHECK(Contains(sorted, "output: the row appended to the batch that goes on to the sink, SORT"));
    // A pipeline with nothing to compute is not compiled: the interpreter passes the scan's vectors on.
    CHECK(Contains(ExplainText(con, "EXPLAIN CODEGEN ", "SELECT name FROM s"),
                   "runs in the interpreter: a pipeline that only passes columns on is not compiled yet"));
    // VARCHAR comparisons, IN lists and LIKE compile: equality in place, LIKE through the shared matcher.
    const std::string strings = ExplainText(
        con, "EXPLAIN CODEGEN ", "SELECT count(*) FROM s WHERE name IN ('n1', 'n2') OR name LIKE 'n9%' OR name > 'n80'");
    CHECK(Contains(strings, "Pipeline 0: TABLE_SCAN s -> HASH_AGGREGATE\n  compiled: optimized tier"));
    CHECK(Contains(strings, "call i32 @gz_rt_string_like("));
    CHECK(Contains(strings, "call i32 @gz_rt_string_compare("));
    CHECK(Int(con, "SELECT count(*) FROM s WHERE name IN ('n1', 'n2') OR name LIKE 'n9%' OR name > 'n80'") == 2 + 11 + 9);  // n1 n2; n9 n90-n99; n81-n89
    // And EXPLAIN ANALYZE names the executor.
    CHECK(Contains(ExplainText(con, "EXPLAIN ANALYZE ", "SELECT upper(name), x * 2 FROM s WHERE x > 5"),
                   "Pipeline 0: compiled (fast tier"));
}

TEST_CASE("explain codegen: a GROUP BY on one integer key looks groups up in the direct window first") {
    Database db;
    Connection con{db};
    Setup(con);
    const std::string one_key = ExplainText(con, "EXPLAIN CODEGEN ", "SELECT a, sum(b) FROM t GROUP BY a");
    CHECK(Contains(one_key, "call i32 @gz_rt_group_index("));
    CHECK(Contains(one_key, "call ptr @gz_rt_group_new("));  // the hash table still holds every group
    // Two keys (or a VARCHAR key) hash.
    CHECK_FALSE(Contains(ExplainText(con, "EXPLAIN CODEGEN ", "SELECT a, b, count(*) FROM t GROUP BY a, b"),
                         "@gz_rt_group_index("));
    CHECK(Int(con, "SELECT sum(s) FROM (SELECT a, sum(b) AS s FROM t GROUP BY a) g") == 999 * 1000 / 2);
}

TEST_CASE("explain codegen: a TPC-H Q6-like filter over DATE and DECIMAL columns compiles") {
    Database db;
    Connection con{db};
    Setup(con);
    Ok(con, "CREATE TABLE li (shipdate DATE, price DECIMAL(12,2), discount DECIMAL(4,2), quantity DECIMAL(15,2))");
    Ok(con, "INSERT INTO li SELECT DATE '1993-06-01' + (n % 900)::INTEGER, (n % 1000) * 1.25, (n % 11) * 0.01, "
            "(n % 50)::DECIMAL(15,2) FROM range(1000) t(n)");
    const std::string q6 = "SELECT sum(price * discount) FROM li WHERE shipdate >= DATE '1994-01-01' AND "
                           "shipdate < DATE '1995-01-01' AND discount BETWEEN 0.05 AND 0.07 AND quantity < 24";
    const std::string text = ExplainText(con, "EXPLAIN CODEGEN ", q6);
    INFO(text);
    CHECK(Contains(text, "Pipeline 0: TABLE_SCAN li -> HASH_AGGREGATE"));
    CHECK(Contains(text, "compiled: optimized tier"));
    CHECK_FALSE(Contains(text, "runs in the interpreter: an expression of type"));
    // The decimal product's 18-digit check.
    CHECK(Contains(text, "llvm.smul.with.overflow.i64"));
    CHECK(Text(con, q6) == "1440.5625");
}

TEST_CASE("explain codegen: pipelines codegen does not compile say why") {
    Database db;
    Connection con{db};
    Setup(con);
    // A hash join's build pipeline computes nothing: the interpreter passes the scan's vectors to the table.
    const std::string text = ExplainText(con, "EXPLAIN CODEGEN ", "SELECT sum(t.b) FROM t JOIN u ON t.a = u.a");
    INFO(text);
    CHECK(Contains(text, "Pipeline 0: TABLE_SCAN u -> HASH_JOIN (build)\n  runs in the interpreter: a pipeline that "
                         "only passes columns on is not compiled yet (SQLSTATE 0A000)"));
    // A LIMIT inside a pipeline: the code counts its rows and ends there; the operators after it are interpreted.
    const std::string limited =
        ExplainText(con, "EXPLAIN CODEGEN ", "SELECT sum(x) FROM (SELECT b * 2 AS x FROM t WHERE b > 3 LIMIT 50) s");
    CHECK(Contains(limited,
                   "output: the row appended to the batch that goes on to PROJECTION and on, in the interpreter "
                   "(an operator after a LIMIT is not compiled yet)"));
    CHECK(Int(con, "SELECT sum(x) FROM (SELECT b * 2 AS x FROM t WHERE b > 3 LIMIT 50) s") > 0);
    CHECK(Int(con, "SELECT sum(x) FROM (SELECT b * 2 AS x FROM t WHERE b > 3 ORDER BY b LIMIT 50) s") ==
          2 * (4 + 53) * 50 / 2);

    // INNER, LEFT (with a residual condition), FULL and IS NOT DISTINCT FROM joins on one or two keys compile.
    for (const char* join : {"SELECT sum(t.b) FROM t JOIN u ON t.a = u.a WHERE t.b > 3",
                             "SELECT sum(t.b) FROM t JOIN u ON t.a IS NOT DISTINCT FROM u.a",
                             "SELECT sum(t.b) FROM t LEFT JOIN u ON t.a = u.a AND t.b < u.b",
                             "SELECT sum(t.b), sum(u.b) FROM t FULL JOIN u ON t.a = u.a AND t.b = u.b"}) {
        CAPTURE(join);
        CHECK(Contains(ExplainText(con, "EXPLAIN CODEGEN ", join),
                       "-> HASH_JOIN (probe) -> HASH_AGGREGATE\n  compiled: optimized tier"));
    }
    // So does a nested-loop join (no keys: every build row a candidate).
    CHECK(Contains(ExplainText(con, "EXPLAIN CODEGEN ", "SELECT sum(t.b) FROM t JOIN u ON t.a < u.a"),
                   "-> NESTED_LOOP_JOIN (probe) -> HASH_AGGREGATE\n  compiled: optimized tier"));
}

TEST_CASE("compiled execution: EXPLAIN ANALYZE shows compile milliseconds per tier") {
    Database db;
    Connection con{db};
    Setup(con);
    const std::regex compile_times(
        R"(compile: fast tier [0-9.]+ ms \(emit [0-9.]+, optimize [0-9.]+, machine code [0-9.]+\))");
    std::string text = ExplainText(con, "EXPLAIN ANALYZE ", "SELECT sum(b) FROM t WHERE a > 5");
    CHECK(Contains(text, "Pipeline 0: compiled (fast tier, cache miss); compile: fast tier"));
    CHECK(std::regex_search(text, compile_times));
    text = ExplainText(con, "EXPLAIN ANALYZE ", "SELECT sum(b) FROM t WHERE a > 6");
    CHECK(Contains(text, "compiled (fast tier, cache hit)"));
    CHECK(Contains(text, "when first compiled"));
    text = ExplainText(con, "EXPLAIN ANALYZE ", "SELECT b, a FROM t ORDER BY b");
    CHECK(Contains(text, "Pipeline 0: interpreter"));
    CHECK_FALSE(Contains(text, "compile:"));
}
