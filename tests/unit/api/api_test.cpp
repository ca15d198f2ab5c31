// Tests for api/api.cpp: Database, Connection and Result as the shell, the
// server and the benchmarks see them.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "api/api.hpp"

using namespace grizzly;

namespace {

struct ApiFixture {
    Database db;
    Connection con{db};

    /// Runs SQL that must succeed and returns its result.
    Result Ok(std::string_view sql) {
        Result r = con.Query(sql);
        INFO("SQL: " << sql);
        INFO(r.ErrorText());
        REQUIRE(r.Ok());
        return r;
    }

    /// Runs SQL that must fail with `sqlstate` and returns its result.
    Result Fails(std::string_view sql, const char* sqlstate) {
        Result r = con.Query(sql);
        INFO("SQL: " << sql);
        REQUIRE_FALSE(r.Ok());
        CHECK(std::string(r.GetError().Code()) == sqlstate);
        return r;
    }

    int64_t Count(const std::string& table) {
        Result r = Ok("SELECT count(*) FROM " + table);
        return r.GetValue(0, 0).GetInt64();
    }

    /// Every row of `sql` as text, columns separated by '|'.
    std::vector<std::string> Rows(std::string_view sql) {
        Result r = Ok(sql);
        std::vector<std::string> out;
        for (size_t row = 0; row < r.RowCount(); ++row) {
            std::string line;
            for (size_t col = 0; col < r.ColumnCount(); ++col) {
                Value v = r.GetValue(row, col);
                line += (col ? "|" : "") + (v.IsNull() ? std::string("NULL") : v.ToString());
            }
            out.push_back(line);
        }
        return out;
    }
};

}  // namespace

TEST_CASE_FIXTURE(ApiFixture, "api: results carry typed values, column names and types") {
    Ok("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR, score DOUBLE, day DATE, ok BOOLEAN, big BIGINT, "
       "amount DECIMAL(10,2))");
    Ok("INSERT INTO t VALUES (1, 'one', 1.5, DATE '2024-01-02', true, 9000000000, 12.34), "
       "(2, NULL, NULL, NULL, NULL, NULL, NULL)");
    Result r = Ok("SELECT id, name, score, day, ok, big, amount, id + 1 AS next FROM t ORDER BY id");
    CHECK(r.Tag() == "SELECT");
    REQUIRE(r.ColumnCount() == 8);
    REQUIRE(r.RowCount() == 2);
    CHECK(r.ColumnName(0) == "id");
    CHECK(r.ColumnName(1) == "name");
    CHECK(r.ColumnName(7) == "next");
    CHECK(r.ColumnType(0) == LogicalType(TypeId::Integer));
    CHECK(r.ColumnType(1) == LogicalType(TypeId::Varchar));
    CHECK(r.ColumnType(2) == LogicalType(TypeId::Double));
    CHECK(r.ColumnType(3) == LogicalType(TypeId::Date));
    CHECK(r.ColumnType(4) == LogicalType(TypeId::Boolean));
    CHECK(r.ColumnType(5) == LogicalType(TypeId::BigInt));
    CHECK(r.ColumnType(6) == LogicalType::Decimal(10, 2));

    CHECK(r.GetValue(0, 0) == Value::Integer(1));
    CHECK(r.GetValue(0, 1) == Value::Varchar("one"));
    CHECK(r.GetValue(0, 2) == Value::Double(1.5));
    CHECK(r.GetValue(0, 3).ToString() == "2024-01-02");
    CHECK(r.GetValue(0, 4) == Value::Boolean(true));
    CHECK(r.GetValue(0, 5) == Value::BigInt(9000000000LL));
    CHECK(r.GetValue(0, 6) == Value::Decimal(1234, 10, 2));
    CHECK(r.GetValue(0, 7) == Value::Integer(2));

    // NULLs are typed with their column's type.
    for (size_t col = 1; col < 7; ++col) {
        CAPTURE(col);
        CHECK(r.IsNull(1, col));
        CHECK(r.GetValue(1, col).Type() == r.ColumnType(col));
    }
    CHECK_FALSE(r.IsNull(1, 0));
}

TEST_CASE_FIXTURE(ApiFixture, "api: unnamed expressions and constants") {
    Result r = Ok("SELECT 1, 'a', 2.5::DOUBLE, NULL, true");
    REQUIRE(r.RowCount() == 1);
    CHECK(r.ColumnName(0) == "?column?");
    CHECK(r.GetValue(0, 0) == Value::Integer(1));
    CHECK(r.GetValue(0, 1) == Value::Varchar("a"));
    CHECK(r.GetValue(0, 2) == Value::Double(2.5));
    CHECK(r.IsNull(0, 3));
    CHECK(r.GetValue(0, 4) == Value::Boolean(true));
}

TEST_CASE_FIXTURE(ApiFixture, "api: RowsChanged counts the rows of INSERT, UPDATE and DELETE") {
    Result create = Ok("CREATE TABLE t (a INTEGER, b VARCHAR)");
    CHECK(create.RowsChanged() == 0);
    CHECK(create.ColumnCount() == 0);
    Result insert = Ok("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    CHECK(insert.RowsChanged() == 3);
    CHECK(insert.Tag() == "INSERT");
    CHECK(Ok("INSERT INTO t SELECT a + 10, b FROM t WHERE a > 1").RowsChanged() == 2);
    Result update = Ok("UPDATE t SET b = 'w' WHERE a >= 2");
    CHECK(update.RowsChanged() == 4);
    CHECK(update.Tag() == "UPDATE");
    CHECK(Ok("UPDATE t SET b = 'none' WHERE a > 100").RowsChanged() == 0);
    Result del = Ok("DELETE FROM t WHERE a > 10");
    CHECK(del.RowsChanged() == 2);
    CHECK(del.Tag() == "DELETE");
    CHECK(Ok("SELECT * FROM t").RowsChanged() == 0);
    CHECK(Rows("SELECT a, b FROM t ORDER BY a") == std::vector<std::string>{"1|x", "2|w", "3|w"});
}

TEST_CASE_FIXTURE(ApiFixture, "api: error results carry the SQLSTATE and the source position") {
    Ok("CREATE TABLE t (a INTEGER)");
    SUBCASE("undefined column") {
        Result r = Fails("SELECT nope FROM t", "42703");
        CHECK(r.GetError().State() == SqlState::UndefinedColumn);
        CHECK(r.GetError().Pos().line == 1);
        CHECK(r.GetError().Pos().column == 8);
        CHECK(r.ErrorText() == "Error: column \"nope\" does not exist (SQLSTATE 42703) at line 1, column 8");
    }
    SUBCASE("undefined table on a later line") {
        Result r = Fails("SELECT 1;\nSELECT *\n  FROM missing", "42P01");
        CHECK(r.GetError().Pos().line == 3);
        CHECK(r.GetError().Pos().column == 8);
    }
    SUBCASE("syntax error") {
        Result r = Fails("SELEC 1", "42601");
        CHECK(r.GetError().Pos().Known());
        CHECK(r.GetError().Pos().line == 1);
        CHECK(r.GetError().Pos().column == 1);
    }
    SUBCASE("division by zero at run time") {
        Result r = Fails("SELECT 1 / (a - a) FROM (SELECT 1 AS a) s", "22012");
        CHECK(r.ErrorText().find("(SQLSTATE 22012)") != std::string::npos);
    }
    SUBCASE("invalid text for a type") { Fails("SELECT 'abc'::INTEGER", "22P02"); }
    SUBCASE("an error result has no columns or rows") {
        Result r = Fails("SELECT nope", "42703");
        CHECK(r.ColumnCount() == 0);
        CHECK(r.RowCount() == 0);
        CHECK(r.RowsChanged() == 0);
    }
}

TEST_CASE_FIXTURE(ApiFixture, "api: a failed statement leaves the data unchanged") {
    Ok("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    Ok("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
    const std::vector<std::string> before = {"1|10", "2|20", "3|30"};

    SUBCASE("unique violation in the middle of a multi-row insert") {
        Fails("INSERT INTO t VALUES (4, 40), (2, 99), (5, 50)", "23505");
    }
    SUBCASE("unique violation within the inserted rows") { Fails("INSERT INTO t VALUES (7, 1), (7, 2)", "23505"); }
    SUBCASE("not-null violation") { Fails("INSERT INTO t VALUES (4, 40), (5, NULL)", "23502"); }
    SUBCASE("division by zero in a later row of an UPDATE") { Fails("UPDATE t SET v = 100 / (id - 3)", "22012"); }
    SUBCASE("an UPDATE that would create a duplicate key") { Fails("UPDATE t SET id = 1 WHERE id = 3", "23505"); }
    SUBCASE("division by zero in a DELETE predicate") { Fails("DELETE FROM t WHERE 10 / (id - 2) > 0", "22012"); }
    SUBCASE("INSERT ... SELECT failing in its source") {
        Fails("INSERT INTO t SELECT id + 10, v / (id - 2) FROM t", "22012");
    }

    CHECK(Rows("SELECT id, v FROM t ORDER BY id") == before);
    // The primary key still works after the rollback: old keys conflict, new ones do not.
    Fails("INSERT INTO t VALUES (1, 0)", "23505");
    CHECK(Ok("INSERT INTO t VALUES (4, 0)").RowsChanged() == 1);
}

TEST_CASE_FIXTURE(ApiFixture, "api: Query stops at the first error, QueryAll continues after it") {
    Ok("CREATE TABLE t (a INTEGER)");
    SUBCASE("Query") {
        Result r = con.Query("INSERT INTO t VALUES (1); SELECT 1 / 0; INSERT INTO t VALUES (2)");
        REQUIRE_FALSE(r.Ok());
        CHECK(std::string(r.GetError().Code()) == "22012");
        CHECK(Rows("SELECT a FROM t") == std::vector<std::string>{"1"});
    }
    SUBCASE("QueryAll") {
        std::vector<Result> results =
            con.QueryAll("INSERT INTO t VALUES (1); SELECT 1 / 0; INSERT INTO t VALUES (2); SELECT count(*) FROM t");
        REQUIRE(results.size() == 4);
        CHECK(results[0].Ok());
        CHECK_FALSE(results[1].Ok());
        CHECK(std::string(results[1].GetError().Code()) == "22012");
        CHECK(results[2].Ok());
        CHECK(results[2].RowsChanged() == 1);
        REQUIRE(results[3].Ok());
        CHECK(results[3].GetValue(0, 0).GetInt64() == 2);
    }
    SUBCASE("a syntax error anywhere stops the text before anything runs") {
        std::vector<Result> results = con.QueryAll("INSERT INTO t VALUES (1); SELEC 2");
        REQUIRE(results.size() == 1);
        CHECK(std::string(results[0].GetError().Code()) == "42601");
        CHECK(Count("t") == 0);
    }
    SUBCASE("empty text") {
        CHECK(con.QueryAll("").empty());
        Result r = con.Query("  ");
        CHECK(r.Ok());
        CHECK(r.ColumnCount() == 0);
    }
}

TEST_CASE_FIXTURE(ApiFixture, "api: transactions roll back and a failed transaction refuses commands") {
    Ok("CREATE TABLE t (a INTEGER PRIMARY KEY)");
    Ok("INSERT INTO t VALUES (1)");
    Ok("BEGIN");
    Ok("INSERT INTO t VALUES (2)");
    Ok("DELETE FROM t WHERE a = 1");
    CHECK(Rows("SELECT a FROM t") == std::vector<std::string>{"2"});
    Ok("ROLLBACK");
    CHECK(Rows("SELECT a FROM t") == std::vector<std::string>{"1"});

    Ok("BEGIN");
    Ok("INSERT INTO t VALUES (3)");
    Fails("INSERT INTO t VALUES (1)", "23505");
    Fails("SELECT 1", "25P02");
    Ok("ROLLBACK");
    CHECK(Rows("SELECT a FROM t") == std::vector<std::string>{"1"});
    Ok("INSERT INTO t VALUES (3)");  // the key index was restored with the data
    CHECK(Count("t") == 2);
}

TEST_CASE_FIXTURE(ApiFixture, "api: connections of one database share its tables") {
    Connection other(db);
    Ok("CREATE TABLE shared (a INTEGER)");
    Ok("INSERT INTO shared VALUES (5)");
    Result r = other.Query("SELECT a FROM shared");
    REQUIRE(r.Ok());
    CHECK(r.GetValue(0, 0) == Value::Integer(5));
}

TEST_CASE_FIXTURE(ApiFixture, "api: ToTable prints NULL, aligns numbers right and pads unicode by character") {
    Ok("CREATE TABLE t (id INTEGER, name VARCHAR)");
    Ok("INSERT INTO t VALUES (1, 'ünï'), (22, NULL)");
    Result r = Ok("SELECT id, name FROM t ORDER BY id");
    CHECK(r.ToTable() == " id | name\n"
                         "----+------\n"
                         "  1 | ünï \n"
                         " 22 | NULL\n"
                         "(2 rows)\n");
    CHECK(Ok("SELECT 'é' AS e").ToTable() == " e\n---\n é\n(1 row)\n");
    CHECK(Ok("SELECT id FROM t WHERE id > 100").ToTable() == " id\n----\n(0 rows)\n");
    CHECK(Ok("CREATE TABLE u (a INTEGER)").ToTable().empty());
    Result err = con.Query("SELECT nope");
    CHECK(err.ToTable() == err.ErrorText() + "\n");
}

TEST_CASE("api: an in-memory database is the default") {
    Database memory(":memory:");
    Connection con(memory);
    CHECK(con.Query("SELECT 1").Ok());
}

TEST_CASE_FIXTURE(ApiFixture, "api: ToTable pads wide characters by their display width") {
    Result r = Ok("SELECT '日本' AS name");
    CHECK(r.ToTable() == " name\n------\n 日本\n(1 row)\n");
}

TEST_CASE_FIXTURE(ApiFixture, "api: inserting an untyped NULL into a DATE column") {
    Ok("CREATE TABLE x (d DATE, s VARCHAR)");
    CHECK(con.Query("INSERT INTO x VALUES (NULL, 'a')").Ok());
    CHECK(con.Query("INSERT INTO x VALUES (NULL, NULL), (NULL, NULL)").Ok());
}

TEST_CASE_FIXTURE(ApiFixture, "api: ROLLBACK of CREATE TABLE with a primary key plus INSERT") {
    Ok("BEGIN");
    Ok("CREATE TABLE t (a INTEGER PRIMARY KEY)");
    Ok("INSERT INTO t VALUES (1)");
    Ok("ROLLBACK");
    Fails("SELECT * FROM t", "42P01");
}

TEST_CASE_FIXTURE(ApiFixture, "api: Interrupt from another thread cancels the running statement") {
    Ok("CREATE TABLE big AS SELECT i AS k FROM range(0, 1000000) r(i)");
    Ok("CREATE TABLE kept (a INTEGER)");
    Ok("INSERT INTO kept VALUES (1)");
    std::atomic<bool> finished{false};
    Result result;
    std::thread runner([&] {
        // A nested-loop join of 10^6 x 10^4 rows: far longer than the interrupt takes to arrive.
        result = con.Query("INSERT INTO kept SELECT 2 FROM big a, (SELECT k FROM big LIMIT 10000) b WHERE a.k + b.k >= 0");
        finished = true;
    });
    // Keep asking until it stops: a request that lands before the statement starts is reset by it.
    while (!finished) {
        con.Interrupt();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    runner.join();
    REQUIRE_FALSE(result.Ok());
    CHECK(std::string(result.GetError().Code()) == "57014");
    // Nothing of the cancelled INSERT is left, and the connection still works.
    CHECK(Ok("SELECT count(*) FROM kept").GetValue(0, 0).GetInt64() == 1);
}
