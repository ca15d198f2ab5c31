// Tests for database files through the API: persistence across reopening,
// recovery from the write-ahead log, damaged files, failing writes and fsyncs
// (injected), and the single-writer lock. The crash test (tests/crash/) kills
// writers at random moments; these tests cover one case each.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "api/api.hpp"
#include "storage/storage.hpp"

#include <xxhash.h>

#include <cstring>

using namespace grizzly;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path dir = fs::temp_directory_path() / ("grizzly_file_test_" + std::to_string(getpid()));
    TempDir() {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~TempDir() { fs::remove_all(dir); }
    std::string Path(const std::string& name) const { return (dir / name).string(); }
};

void Exec(Connection& con, const std::string& sql) {
    for (const Result& r : con.QueryAll(sql)) {
        INFO("SQL: " << sql << "\n" << r.ErrorText());
        REQUIRE(r.Ok());
    }
}

int64_t Count(Connection& con, const std::string& table) {
    Result r = con.Query("SELECT count(*) FROM " + table);
    INFO(r.ErrorText());
    REQUIRE(r.Ok());
    return r.GetValue(0, 0).GetInt64();
}

// Opening `path` fails with `code`, and the message contains `part`.
void OpenFails(const std::string& path, const std::string& code, const std::string& part) {
    try {
        Database db(path);
        FAIL("opening " << path << " succeeded");
    } catch (const Error& e) {
        CHECK(std::string(e.Code()) == code);
        INFO(e.Message());
        CHECK(e.Message().find(part) != std::string::npos);
    }
}

void FlipByte(const std::string& path, uint64_t offset) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(&c, 1);
}

}  // namespace

TEST_CASE("database file: tables, rows, views and indexes survive reopening") {
    TempDir tmp;
    std::string path = tmp.Path("a.griz");
    {
        Database db(path);
        Connection con(db);
        Exec(con, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, price DECIMAL(10,2), day DATE)");
        Exec(con, "INSERT INTO t SELECT i, 'item ' || i, i * 1.5, DATE '2024-01-01' + CAST(i % 300 AS INTEGER) "
                  "FROM range(5000) r(i)");
        Exec(con, "CREATE VIEW cheap AS SELECT * FROM t WHERE price < 10");
        Exec(con, "DELETE FROM t WHERE id % 10 = 0");
        Exec(con, "UPDATE t SET name = 'renamed' WHERE id = 7");
    }
    Database db(path);
    Connection con(db);
    CHECK(Count(con, "t") == 4500);
    CHECK(Count(con, "cheap") == 6);
    Result r = con.Query("SELECT name FROM t WHERE id = 7");
    REQUIRE(r.Ok());
    CHECK(r.GetValue(0, 0).ToString() == "renamed");
    // The primary key still holds.
    CHECK(con.Query("INSERT INTO t VALUES (1, 'again', 1, NULL)").GetError().Code() == std::string("23505"));
}

TEST_CASE("database file: commits since the last checkpoint are replayed from the log; a torn tail is ignored") {
    TempDir tmp;
    std::string path = tmp.Path("wal.griz");
    {
        Database db(path);
        Connection con(db);
        Exec(con, "CREATE TABLE t (a INTEGER)");
    }
    // A process that dies leaves its log behind: copy file and log while the database is open.
    {
        Database db(path);
        Connection con(db);
        Exec(con, "INSERT INTO t SELECT * FROM range(100) r(i)");
        Exec(con, "DELETE FROM t WHERE a < 10");
        Exec(con, "UPDATE t SET a = a + 1000 WHERE a = 50");
        fs::copy_file(path, tmp.Path("copy.griz"));
        fs::copy_file(path + ".wal", tmp.Path("copy.griz.wal"));
    }
    {
        std::ofstream wal(tmp.Path("copy.griz.wal"), std::ios::app | std::ios::binary);
        wal << "torn record bytes";
    }
    Database db(tmp.Path("copy.griz"));
    Connection con(db);
    CHECK(Count(con, "t") == 90);
    Result r = con.Query("SELECT count(*) FROM t WHERE a = 1050");
    CHECK(r.GetValue(0, 0).GetInt64() == 1);
    Result check = con.Query("PRAGMA integrity_check");
    CHECK(check.GetValue(0, 0).ToString() == "ok");
}

TEST_CASE("database file: damaged, foreign and newer files are refused with a clear error") {
    TempDir tmp;
    std::string path = tmp.Path("d.griz");
    {
        Database db(path);
        Connection con(db);
        Exec(con, "CREATE TABLE t AS SELECT i FROM range(1000) r(i)");
    }
    fs::copy_file(path, tmp.Path("flipped.griz"));
    FlipByte(tmp.Path("flipped.griz"), 4096 + 100);
    OpenFails(tmp.Path("flipped.griz"), "XX001", "checksum mismatch in block 0");

    fs::copy_file(path, tmp.Path("header.griz"));
    FlipByte(tmp.Path("header.griz"), 20);
    OpenFails(tmp.Path("header.griz"), "XX001", "header checksum");

    fs::copy_file(path, tmp.Path("short.griz"));
    fs::resize_file(tmp.Path("short.griz"), 4096 + 1000);
    OpenFails(tmp.Path("short.griz"), "XX001", "truncated");

    {
        std::ofstream other(tmp.Path("other.griz"));
        other << "this is a text file, not a database\n";
    }
    OpenFails(tmp.Path("other.griz"), "XX001", "not a Grizzly database file");

    // A newer format version, with a header checksum that is right for it.
    fs::copy_file(path, tmp.Path("newer.griz"));
    {
        std::fstream f(tmp.Path("newer.griz"), std::ios::in | std::ios::out | std::ios::binary);
        std::string header(40, '\0');
        f.read(header.data(), 40);
        uint32_t version = 99;
        std::memcpy(header.data() + 8, &version, 4);
        uint64_t checksum = 0;
        // Recompute with the same hash the file uses.
        checksum = XXH64(header.data(), 40, 0);
        f.seekp(0);
        f.write(header.data(), 40);
        f.write(reinterpret_cast<const char*>(&checksum), 8);
    }
    OpenFails(tmp.Path("newer.griz"), "0A000", "format version 99");

    // The original is untouched by all this and still opens.
    Database db(path);
    Connection con(db);
    CHECK(Count(con, "t") == 1000);
}

TEST_CASE("database file: a failing write or fsync fails the commit and changes nothing") {
    TempDir tmp;
    std::string path = tmp.Path("f.griz");
    {
        Database db(path);
        Connection con(db);
        Exec(con, "CREATE TABLE t (a INTEGER)");
        Exec(con, "INSERT INTO t VALUES (1), (2)");

        storage::FaultInjector::fail_sync_in = 1;
        Result failed = con.Query("INSERT INTO t VALUES (3)");
        storage::FaultInjector::Reset();
        REQUIRE_FALSE(failed.Ok());
        CHECK(std::string(failed.GetError().Code()) == "58030");
        CHECK(Count(con, "t") == 2);

        storage::FaultInjector::fail_write_in = 1;
        Result commit = std::move(con.QueryAll("BEGIN; INSERT INTO t VALUES (4); COMMIT;").back());
        storage::FaultInjector::Reset();
        REQUIRE_FALSE(commit.Ok());
        CHECK(Count(con, "t") == 2);

        // DDL commits by checkpoint; a failed checkpoint leaves the old file in place.
        storage::FaultInjector::fail_sync_in = 1;
        Result ddl = con.Query("CREATE TABLE u (b INTEGER)");
        storage::FaultInjector::Reset();
        REQUIRE_FALSE(ddl.Ok());
        CHECK_FALSE(con.Query("SELECT * FROM u").Ok());

        // And the database goes on working.
        Exec(con, "INSERT INTO t VALUES (5)");
        CHECK(Count(con, "t") == 3);
    }
    Database db(path);
    Connection con(db);
    CHECK(Count(con, "t") == 3);
    CHECK_FALSE(con.Query("SELECT * FROM u").Ok());
}

TEST_CASE("database file: one process at a time") {
    TempDir tmp;
    std::string path = tmp.Path("l.griz");
    Database first(path);
    OpenFails(path, "55006", "in use");
}
