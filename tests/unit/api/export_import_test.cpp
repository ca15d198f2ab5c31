// Tests for api/export_import.cpp: EXPORT DATABASE from one database and
// IMPORT DATABASE into a fresh one (in memory and file-backed) give equal
// tables; the directory's scripts order and quote what they re-create. The
// SQL-level cases (every type, constraints, errors) are in tests/sql/export/.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "tests/unit/file_test_util.hpp"

using namespace grizzly;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

Result Exec(Connection& con, const std::string& sql) {
    Result r = con.Query(sql);
    INFO("SQL: " << sql << "\n" << r.ErrorText());
    REQUIRE(r.Ok());
    return r;
}

// Every row of `sql` as text, sorted (NULL apart from any string).
std::vector<std::string> SortedRows(Connection& con, const std::string& sql) {
    Result r = Exec(con, sql);
    std::vector<std::string> rows;
    for (size_t row_idx = 0; row_idx < r.RowCount(); ++row_idx) {
        std::string line;
        for (size_t col_idx = 0; col_idx < r.ColumnCount(); ++col_idx) {
            Value v = r.GetValue(row_idx, col_idx);
            line += (col_idx ? "|" : "") + (v.IsNull() ? std::string("\\N") : "'" + v.ToString() + "'");
        }
        rows.push_back(line);
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

std::vector<std::string> TableNames(Connection& con) {
    Result r = Exec(con, "SHOW TABLES");
    std::vector<std::string> names;
    for (size_t row_idx = 0; row_idx < r.RowCount(); ++row_idx) names.push_back(r.GetValue(row_idx, 0).ToString());
    return names;
}

std::string QuoteName(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// The same tables and views with the same rows.
void CheckSameContents(Connection& a, Connection& b) {
    std::vector<std::string> names = TableNames(a);
    REQUIRE(names == TableNames(b));
    for (const std::string& name : names) {
        INFO("table " << name);
        CHECK(SortedRows(a, "SELECT * FROM " + QuoteName(name)) == SortedRows(b, "SELECT * FROM " + QuoteName(name)));
    }
}

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("export_import: TPC-H tables round trip into a fresh database") {
    TempDir tmp;
    Database source;
    Connection src(source);
    Exec(src, "CALL dbgen(sf = 0.01)");
    Exec(src, "EXPORT DATABASE '" + tmp.Path("tpch") + "'");

    Database target;
    Connection dst(target);
    Result imported = Exec(dst, "IMPORT DATABASE '" + tmp.Path("tpch") + "'");
    CHECK(imported.Tag() == "IMPORT DATABASE");
    CHECK(imported.RowsChanged() > 80000);
    CheckSameContents(src, dst);
    // The keys of the schema hold: NOT NULL is back.
    Result r = dst.Query("INSERT INTO region VALUES (NULL, 'x', 'y')");
    REQUIRE_FALSE(r.Ok());
    CHECK(std::string(r.GetError().Code()) == "23502");
}

TEST_CASE("export_import: every kind of object into a file-backed database, kept across reopening") {
    TempDir tmp;
    Database source;
    Connection src(source);
    for (const char* sql : {
             "CREATE MACRO twice(x) AS x * 2",
             "CREATE TABLE \"Odd \"\"Name\"\"\" (\"select\" INTEGER PRIMARY KEY, \"Value\" VARCHAR DEFAULT 'd', "
             "amount DECIMAL(12,3) CHECK (twice(amount) >= 0), at TIMESTAMP, span INTERVAL, ok BOOLEAN, f DOUBLE)",
             "INSERT INTO \"Odd \"\"Name\"\"\" VALUES (1, 'a,b', 1.5, TIMESTAMP '2024-05-06 07:08:09.5', "
             "INTERVAL '2 days', true, CAST('NaN' AS DOUBLE)), (2, '', NULL, NULL, NULL, NULL, -0.5), "
             "(3, NULL, 0, NULL, INTERVAL '1 month', false, 1e-300)",
             "CREATE TABLE log (msg VARCHAR)",
             "CREATE VIEW b_view AS SELECT \"select\" FROM \"Odd \"\"Name\"\"\"",
             "CREATE VIEW a_view AS SELECT count(*) AS n FROM b_view",
             "CREATE UNIQUE INDEX value_idx ON \"Odd \"\"Name\"\"\" (\"Value\")",
             "CREATE TRIGGER logger AFTER INSERT ON \"Odd \"\"Name\"\"\" BEGIN INSERT INTO log VALUES ('row'); END",
             "INSERT INTO \"Odd \"\"Name\"\"\" (\"select\") VALUES (4)",
         })
        Exec(src, sql);
    Exec(src, "EXPORT DATABASE '" + tmp.Path("objects") + "'");

    SUBCASE("the scripts: macros before tables, a view after the view it reads, triggers after the rows") {
        std::string schema = ReadFile(tmp.dir / "objects" / "schema.sql");
        std::string load = ReadFile(tmp.dir / "objects" / "load.sql");
        INFO(schema << load);
        CHECK(schema.find("CREATE MACRO twice(x) AS x * 2;") != std::string::npos);
        CHECK(schema.find("CREATE MACRO") < schema.find("CREATE TABLE"));
        CHECK(schema.find("CREATE TABLE \"Odd \"\"Name\"\"\" (") != std::string::npos);
        CHECK(schema.find("\"select\" INTEGER NOT NULL") != std::string::npos);
        CHECK(schema.find("\"Value\" VARCHAR DEFAULT 'd'") != std::string::npos);
        CHECK(schema.find("    amount DECIMAL(12,3),") != std::string::npos);
        CHECK(schema.find("PRIMARY KEY (\"select\")") != std::string::npos);
        CHECK(schema.find("CREATE VIEW b_view") < schema.find("CREATE VIEW a_view"));
        CHECK(schema.find("CREATE UNIQUE INDEX value_idx ON \"Odd \"\"Name\"\"\" (\"Value\");") != std::string::npos);
        CHECK(schema.find("TRIGGER") == std::string::npos);
        CHECK(load.find("COPY \"Odd \"\"Name\"\"\" FROM 'Odd__Name_.csv' (FORMAT csv") != std::string::npos);
        CHECK(load.find("COPY log FROM 'log.csv'") != std::string::npos);
        CHECK(load.find("COPY log") < load.find("CREATE TRIGGER logger AFTER INSERT"));
        CHECK(fs::exists(tmp.dir / "objects" / "Odd__Name_.csv"));
    }

    SUBCASE("import into a database file") {
        std::string file = tmp.Path("target.griz");
        {
            Database target(file);
            Connection dst(target);
            Exec(dst, "IMPORT DATABASE '" + tmp.Path("objects") + "'");
            CheckSameContents(src, dst);
        }
        Database reopened(file);
        Connection dst(reopened);
        CheckSameContents(src, dst);
        CHECK(SortedRows(dst, "SELECT n FROM a_view") == std::vector<std::string>{"'4'"});
        // The trigger fired once per row before the export, not again on import; it fires now.
        CHECK(SortedRows(dst, "SELECT count(*) FROM log") == std::vector<std::string>{"'1'"});
        Exec(dst, "INSERT INTO \"Odd \"\"Name\"\"\" (\"select\", \"Value\") VALUES (5, 'e')");
        CHECK(SortedRows(dst, "SELECT count(*) FROM log") == std::vector<std::string>{"'2'"});
        Result dup = dst.Query("INSERT INTO \"Odd \"\"Name\"\"\" (\"select\", \"Value\") VALUES (6, 'e')");
        REQUIRE_FALSE(dup.Ok());
        CHECK(std::string(dup.GetError().Code()) == "23505");
        Result check = dst.Query("INSERT INTO \"Odd \"\"Name\"\"\" (\"select\", amount) VALUES (7, -1)");
        REQUIRE_FALSE(check.Ok());
        CHECK(std::string(check.GetError().Code()) == "23514");
    }

    SUBCASE("a failed import leaves a database file unchanged") {
        std::string file = tmp.Path("busy.griz");
        {
            Database target(file);
            Connection dst(target);
            Exec(dst, "CREATE TABLE log (x INTEGER)");
            Exec(dst, "INSERT INTO log VALUES (42)");
            Result r = dst.Query("IMPORT DATABASE '" + tmp.Path("objects") + "'");
            REQUIRE_FALSE(r.Ok());
            CHECK(std::string(r.GetError().Code()) == "42P07");
            CHECK(r.GetError().Message().find("schema.sql") != std::string::npos);
        }
        Database reopened(file);
        Connection dst(reopened);
        CHECK(TableNames(dst) == std::vector<std::string>{"log"});
        CHECK(SortedRows(dst, "SELECT * FROM log") == std::vector<std::string>{"'42'"});
    }
}
