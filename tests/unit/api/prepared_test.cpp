// Tests for prepared statements through the C++ API: Connection::Prepare,
// PreparedStatement::Execute, parameter types, errors as results, binding once
// (and again after catalog changes), the writer lock of a prepared write, and
// compiled shapes shared by executions with different arguments. SQL PREPARE /
// EXECUTE / DEALLOCATE are covered in tests/sql/prepared/.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/api.hpp"
#include "tests/unit/api/sql_test_util.hpp"
#include "api/client_context.hpp"

using namespace grizzly;

namespace {

using testing::Ok;
using testing::Fails;
using testing::Scalar;

Result Run(PreparedStatement& stmt, const std::vector<Value>& args) {
    Result r = stmt.Execute(args);
    INFO(r.ErrorText());
    REQUIRE(r.Ok());
    return r;
}

std::string RunFails(PreparedStatement& stmt, const std::vector<Value>& args) {
    Result r = stmt.Execute(args);
    REQUIRE_FALSE(r.Ok());
    return r.GetError().Code();
}


PreparedStatement Prepare(Connection& con, const std::string& sql) {
    PreparedStatement stmt = con.Prepare(sql);
    INFO("SQL: " << sql);
    INFO(stmt.ErrorText());
    REQUIRE(stmt.Ok());
    return stmt;
}

}  // namespace

TEST_CASE("prepared: a statement is prepared once and executed with different arguments") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t (a INTEGER, b VARCHAR, c DOUBLE)");
    Ok(con, "INSERT INTO t VALUES (1, 'x', 0.5), (2, 'y', 1.5), (3, 'x', NULL)");

    PreparedStatement stmt = Prepare(con, "SELECT a, c FROM t WHERE a > $1 AND b = $2 ORDER BY a");
    REQUIRE(stmt.ParameterCount() == 2);
    CHECK(stmt.ParameterType(0) == LogicalType(TypeId::Integer));
    CHECK(stmt.ParameterType(1) == LogicalType(TypeId::Varchar));
    CHECK(stmt.ParameterType(2) == LogicalType());

    Result r = Run(stmt, {Value::Integer(0), Value::Varchar("x")});
    REQUIRE(r.RowCount() == 2);
    CHECK(r.Tag() == "SELECT");
    CHECK(r.ColumnName(0) == "a");
    CHECK(r.ColumnType(1) == LogicalType(TypeId::Double));
    CHECK(r.GetValue(0, 0).GetInt64() == 1);
    CHECK(r.GetValue(1, 0).GetInt64() == 3);
    CHECK(r.IsNull(1, 1));

    r = Run(stmt, {Value::Integer(1), Value::Varchar("y")});
    REQUIRE(r.RowCount() == 1);
    CHECK(r.GetValue(0, 1).GetDouble() == 1.5);

    // NULL arguments compare as NULL: no rows.
    CHECK(Run(stmt, {Value::Null(), Value::Varchar("x")}).RowCount() == 0);
    // Arguments are cast to the parameter types: a string and a BIGINT for the INTEGER.
    CHECK(Run(stmt, {Value::Varchar("2"), Value::Varchar("x")}).RowCount() == 1);
    CHECK(Run(stmt, {Value::BigInt(0), Value::Varchar("x")}).RowCount() == 2);

    // ? parameters, and declared types through SQL PREPARE.
    PreparedStatement question = Prepare(con, "SELECT count(*) FROM t WHERE c < ? OR b = ?");
    REQUIRE(question.ParameterCount() == 2);
    CHECK(question.ParameterType(0) == LogicalType(TypeId::Double));
    CHECK(Run(question, {Value::Double(1.0), Value::Varchar("none")}).GetValue(0, 0).GetInt64() == 1);
    // An untyped parameter takes its operand's type.
    CHECK(Prepare(con, "SELECT $1 + c FROM t").ParameterType(0) == LogicalType(TypeId::Double));
    CHECK(Prepare(con, "SELECT 1").ParameterCount() == 0);
}

TEST_CASE("prepared: INSERT, UPDATE and DELETE report their tag and row count") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR NOT NULL)");
    PreparedStatement ins = Prepare(con, "INSERT INTO t VALUES ($1, $2)");
    PreparedStatement upd = Prepare(con, "UPDATE t SET v = v || $1 WHERE id <= $2");
    PreparedStatement del = Prepare(con, "DELETE FROM t WHERE id = $1");
    CHECK(ins.ParameterType(0) == LogicalType(TypeId::Integer));
    CHECK(ins.ParameterType(1) == LogicalType(TypeId::Varchar));

    for (int32_t id = 1; id <= 5; ++id) {
        Result r = Run(ins, {Value::Integer(id), Value::Varchar("v" + std::to_string(id))});
        CHECK(r.Tag() == "INSERT");
        CHECK(r.RowsChanged() == 1);
    }
    Result r = Run(upd, {Value::Varchar("!"), Value::Integer(2)});
    CHECK(r.Tag() == "UPDATE");
    CHECK(r.RowsChanged() == 2);
    r = Run(del, {Value::Integer(5)});
    CHECK(r.Tag() == "DELETE");
    CHECK(r.RowsChanged() == 1);
    r = Ok(con, "SELECT v FROM t ORDER BY id");
    REQUIRE(r.RowCount() == 4);
    CHECK(r.GetValue(0, 0).ToString() == "v1!");
    CHECK(r.GetValue(1, 0).ToString() == "v2!");
    CHECK(r.GetValue(3, 0).ToString() == "v4");

    // A failing execution changes nothing.
    CHECK(RunFails(ins, {Value::Integer(1), Value::Varchar("dup")}) == "23505");
    CHECK(RunFails(ins, {Value::Integer(9), Value::Null()}) == "23502");
    CHECK(Scalar(con, "SELECT count(*) FROM t") == 4);

    // In a transaction, rolled back like any statement.
    Ok(con, "BEGIN");
    Run(ins, {Value::Integer(10), Value::Varchar("ten")});
    Run(del, {Value::Integer(1)});
    CHECK(Scalar(con, "SELECT count(*) FROM t") == 4);
    Ok(con, "ROLLBACK");
    CHECK(Scalar(con, "SELECT count(*) FROM t WHERE id IN (1, 10)") == 1);

    // A failed execution aborts the transaction; the statement works after ROLLBACK.
    Ok(con, "BEGIN");
    CHECK(RunFails(ins, {Value::Integer(1), Value::Varchar("dup")}) == "23505");
    CHECK(RunFails(ins, {Value::Integer(11), Value::Varchar("eleven")}) == "25P02");
    Ok(con, "ROLLBACK");
    Run(ins, {Value::Integer(11), Value::Varchar("eleven")});
    CHECK(Scalar(con, "SELECT count(*) FROM t") == 5);
}

TEST_CASE("prepared: errors are returned, never thrown") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t (a INTEGER)");
    auto prepare_fails = [&](const std::string& sql) {
        PreparedStatement stmt = con.Prepare(sql);
        INFO("SQL: " << sql);
        REQUIRE_FALSE(stmt.Ok());
        CHECK(stmt.ErrorText().find("SQLSTATE") != std::string::npos);
        CHECK(stmt.ParameterCount() == 0);
        // Executing a statement that failed to prepare returns that error.
        Result r = stmt.Execute({});
        REQUIRE_FALSE(r.Ok());
        CHECK(std::string(r.GetError().Code()) == stmt.GetError().Code());
        return std::string(stmt.GetError().Code());
    };
    CHECK(prepare_fails("SELEC 1") == "42601");
    CHECK(prepare_fails("SELECT * FROM nosuch WHERE a = $1") == "42P01");
    CHECK(prepare_fails("SELECT nosuch FROM t") == "42703");
    CHECK(prepare_fails("SELECT $1") == "42P18");
    CHECK(prepare_fails("SELECT 1; SELECT 2") == "42601");
    CHECK(prepare_fails("") == "42601");
    CHECK(prepare_fails("CREATE TABLE u (x INTEGER)") == "42601");

    PreparedStatement stmt = Prepare(con, "SELECT count(*) FROM t WHERE a = $1");
    CHECK(RunFails(stmt, {}) == "42601");
    CHECK(RunFails(stmt, {Value::Integer(1), Value::Integer(2)}) == "42601");
    CHECK(RunFails(stmt, {Value::Varchar("one")}) == "22P02");
    CHECK(RunFails(stmt, {Value::BigInt(int64_t(1) << 40)}) == "22003");
    Result wrong_count = stmt.Execute({});
    CHECK(wrong_count.GetError().Message().find("wrong number of parameters") != std::string::npos);

    PreparedStatement empty;
    CHECK(empty.Ok());
    CHECK(empty.ParameterCount() == 0);
    CHECK_FALSE(empty.Execute({}).Ok());

    // SQL prepared statements belong to their connection.
    Ok(con, "PREPARE mine AS SELECT 1");
    Connection other{db};
    CHECK(Fails(other, "EXECUTE mine") == "26000");
    CHECK(Scalar(con, "EXECUTE mine") == 1);
}

TEST_CASE("prepared: bound once, and bound again only when the catalog changes") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t (a INTEGER, b INTEGER)");
    Ok(con, "INSERT INTO t VALUES (1, 10), (2, 20)");
    PreparedStatement stmt = Prepare(con, "SELECT * FROM t WHERE a >= $1 ORDER BY a");
    CHECK(stmt.BindCount() == 1);
    for (int32_t arg = 0; arg < 5; ++arg) Run(stmt, {Value::Integer(arg)});
    // Changed rows are read at execution: no new binding.
    Ok(con, "INSERT INTO t VALUES (3, 30)");
    Ok(con, "UPDATE t SET b = b + 1");
    Result r = Run(stmt, {Value::Integer(0)});
    CHECK(r.RowCount() == 3);
    CHECK(r.GetValue(2, 1).GetInt64() == 31);
    CHECK(stmt.BindCount() == 1);

    // A new column: bound again, and the result has it.
    Ok(con, "ALTER TABLE t ADD COLUMN c VARCHAR DEFAULT 'new'");
    r = Run(stmt, {Value::Integer(3)});
    REQUIRE(r.ColumnCount() == 3);
    CHECK(r.GetValue(0, 2).ToString() == "new");
    CHECK(stmt.BindCount() == 2);
    Run(stmt, {Value::Integer(1)});
    CHECK(stmt.BindCount() == 2);

    // Dropped: a clear error, until a table of that name exists again.
    Ok(con, "DROP TABLE t");
    Result gone = stmt.Execute({Value::Integer(0)});
    REQUIRE_FALSE(gone.Ok());
    CHECK(std::string(gone.GetError().Code()) == "42P01");
    Ok(con, "CREATE TABLE t (a BIGINT)");
    Ok(con, "INSERT INTO t VALUES (7)");
    r = Run(stmt, {Value::Integer(5)});
    REQUIRE(r.ColumnCount() == 1);
    CHECK(r.GetValue(0, 0).GetInt64() == 7);
    // The parameter types stay those of PREPARE.
    CHECK(stmt.ParameterType(0) == LogicalType(TypeId::Integer));

    // DDL from another connection is noticed too.
    Connection other{db};
    Ok(other, "ALTER TABLE t ADD COLUMN d INTEGER");
    r = Run(stmt, {Value::Integer(0)});
    REQUIRE(r.ColumnCount() == 2);
    CHECK(r.ColumnName(1) == "d");
}

TEST_CASE("prepared: executing a prepared write takes the writer lock before it starts") {
    Database db;
    Connection a{db};
    Connection b{db};
    Ok(a, "CREATE TABLE t (id INTEGER PRIMARY KEY)");
    Ok(a, "INSERT INTO t VALUES (1)");
    PreparedStatement ins = Prepare(b, "INSERT INTO t VALUES ($1)");
    PreparedStatement count = Prepare(b, "SELECT count(*) FROM t WHERE id > $1");
    Ok(b, "PREPARE sql_ins AS INSERT INTO t VALUES ($1)");

    Ok(a, "BEGIN");
    Ok(a, "INSERT INTO t VALUES (2)");
    // One writer at a time: b's prepared INSERT fails at once (lock_timeout 0), its reads do not.
    CHECK(RunFails(ins, {Value::Integer(3)}) == "40001");
    CHECK(Fails(b, "EXECUTE sql_ins(3)") == "40001");
    CHECK(Run(count, {Value::Integer(0)}).GetValue(0, 0).GetInt64() == 1);
    Ok(a, "COMMIT");
    Run(ins, {Value::Integer(3)});
    Ok(b, "EXECUTE sql_ins(4)");
    CHECK(Scalar(a, "SELECT count(*) FROM t") == 4);
}

TEST_CASE("prepared: executions with different arguments share one compiled shape") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t (a INTEGER, b BIGINT)");
    Ok(con, "INSERT INTO t SELECT (n % 10)::INTEGER, n FROM range(1000) t(n)");
    const int64_t above5 = Scalar(con, "SELECT sum(b) FROM t WHERE a > 5");
    const int64_t above8 = Scalar(con, "SELECT sum(b) FROM t WHERE a > 8");
    Ok(con, "SET execution_mode = 'jit'");
    codegen::ShapeCache& cache = db.Instance().shape_cache;

    PreparedStatement stmt = Prepare(con, "SELECT sum(b), count(*) FROM t WHERE a > $1");
    const codegen::ShapeCacheStats before = cache.Stats();
    Result r = Run(stmt, {Value::Integer(5)});
    CHECK(r.GetValue(0, 0).GetInt64() == above5);
    const codegen::ShapeCacheStats first = cache.Stats();
    CHECK(first.misses == before.misses + 1);

    r = Run(stmt, {Value::Integer(7)});
    CHECK(r.GetValue(0, 0).GetInt64() == 100700);
    CHECK(r.GetValue(0, 1).GetInt64() == 200);
    const codegen::ShapeCacheStats second = cache.Stats();
    CHECK(second.hits == first.hits + 1);
    CHECK(second.misses == first.misses);

    // SQL EXECUTE reuses the same code: compiled once.
    Ok(con, "PREPARE q AS SELECT sum(b), count(*) FROM t WHERE a > $1");
    CHECK(Scalar(con, "EXECUTE q(8)") == above8);
    r = Ok(con, "EXECUTE q(NULL)");
    CHECK(r.IsNull(0, 0));
    CHECK(r.GetValue(0, 1).GetInt64() == 0);
    const codegen::ShapeCacheStats third = cache.Stats();
    CHECK(third.misses == second.misses);
    CHECK(third.hits > second.hits);
}
