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
#include "tests/unit/file_test_util.hpp"

using namespace grizzly;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

void Exec(Connection& con, const std::string& sql) {
    for (const Result& r : con.QueryAll(sql)) {
        INFO("SQL: " << sql << "\n" << r.ErrorText());
        REQUIRE(r.Ok());
    }
}

// PRAGMA integrity_check finds every checksum and catalog invariant sound.
void CheckIntact(Connection& con) {
    Result check = con.Query("PRAGMA integrity_check");
    REQUIRE(check.Ok());
    CHECK(check.GetValue(0, 0).ToString() == "ok");
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
    CheckIntact(con);
}

TEST_CASE("database file: damaged, foreign and newer files are refused with a clear error") {
    TempDir tmp;
    std::string path = tmp.Path("d.griz");
    {
        Database db(path);
        Connection con(db);
        Exec(con, "CREATE TABLE t AS SELECT i FROM range(1000) r(i)");
    }
    // Block 0 held the first, empty checkpoint's root and is free now; block 1 holds the table's rows.
    fs::copy_file(path, tmp.Path("flipped.griz"));
    FlipByte(tmp.Path("flipped.griz"), 4096 + 256 * 1024 + 100);
    OpenFails(tmp.Path("flipped.griz"), "XX001", "checksum mismatch in block 1");

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
    testing::SetFormatVersion(tmp.Path("newer.griz"), 99);
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

TEST_CASE("database file: read-only opening by several readers, never beside a writer") {
    TempDir tmp;
    std::string path = tmp.Path("ro.griz");
    {
        Database db(path);
        Connection con(db);
        Exec(con, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)");
        Exec(con, "INSERT INTO t VALUES (3)");  // stays in the log: readers must replay it
        DatabaseOptions read_only;
        read_only.read_only = true;
        try {
            Database reader(path, read_only);
            FAIL("a reader opened a file that a writer has open");
        } catch (const Error& e) {
            CHECK(std::string(e.Code()) == "55006");
        }
    }
    uintmax_t file_size = fs::file_size(path), wal_size = fs::file_size(path + ".wal");
    DatabaseOptions read_only;
    read_only.read_only = true;
    {
        Database first(path, read_only), second(path, read_only);
        Connection a(first), b(second);
        CHECK(Count(a, "t") == 3);
        CHECK(Count(b, "t") == 3);
        for (const char* sql : {"INSERT INTO t VALUES (4)", "CREATE TABLE u (y INTEGER)", "CHECKPOINT",
                                "UPDATE t SET x = 0", "DELETE FROM t"}) {
            Result r = a.Query(sql);
            INFO(sql);
            REQUIRE_FALSE(r.Ok());
            CHECK(std::string(r.GetError().Code()) == "25006");
        }
        CHECK(Count(a, "t") == 3);
        CheckIntact(a);
        OpenFails(path, "55006", "in use");
    }
    // Readers wrote nothing, not even at close.
    CHECK(fs::file_size(path) == file_size);
    CHECK(fs::file_size(path + ".wal") == wal_size);
    try {
        Database missing(tmp.Path("missing.griz"), read_only);
        FAIL("a missing file opened read-only");
    } catch (const Error& e) {
        CHECK(std::string(e.Code()) == "58P01");
    }
    CHECK_FALSE(fs::exists(tmp.Path("missing.griz")));
}

TEST_CASE("database file: attached files commit to their own file and survive reopening") {
    TempDir tmp;
    std::string main_path = tmp.Path("main.griz"), other_path = tmp.Path("other.griz");
    {
        Database db(main_path);
        Connection con(db);
        Exec(con, "ATTACH '" + other_path + "' AS other");
        Exec(con, "CREATE TABLE other.t (x INTEGER); INSERT INTO other.t VALUES (1), (2)");
        Exec(con, "CREATE TABLE m (y INTEGER); INSERT INTO m VALUES (10)");
        Exec(con, "USE other; INSERT INTO t VALUES (3); USE main");
    }
    {
        Database db(main_path);
        Connection con(db);
        CHECK(Count(con, "m") == 1);
        Result r = con.Query("SELECT * FROM t");
        CHECK_FALSE(r.Ok());  // t lives in the other file only
        Exec(con, "ATTACH '" + other_path + "'");  // named after the file: other
        CHECK(Count(con, "other.t") == 3);
        Result join = con.Query("SELECT count(*) FROM m, other.t");
        REQUIRE(join.Ok());
        CHECK(join.GetValue(0, 0).GetInt64() == 3);
    }
}

TEST_CASE("database file: VACUUM gives back the space of deleted rows") {
    TempDir tmp;
    std::string path = tmp.Path("vac.griz");
    Database db(path);
    Connection con(db);
    Exec(con, "CREATE TABLE t (id INTEGER PRIMARY KEY, pad VARCHAR)");
    Exec(con, "INSERT INTO t SELECT i, (i * 7919 % 100003)::VARCHAR || 'x' || (i * 104729 % 1000003)::VARCHAR FROM range(400000) r(i)");
    Exec(con, "CHECKPOINT");
    uintmax_t full = fs::file_size(path);
    Exec(con, "DELETE FROM t WHERE id % 10 <> 0");
    Exec(con, "CHECKPOINT");
    // Deleted rows stay in the file until VACUUM (row ids are stable).
    CHECK(fs::file_size(path) > full / 2);

    // Undone with its transaction: rows and keys as before.
    Exec(con, "BEGIN; VACUUM t; ROLLBACK");
    CHECK(Count(con, "t") == 40000);

    Exec(con, "VACUUM");
    uintmax_t vacuumed = fs::file_size(path);
    INFO("before " << full << " after " << vacuumed);
    CHECK(vacuumed < full / 4);
    CHECK(Count(con, "t") == 40000);
    Result sum = con.Query("SELECT sum(id) FROM t");
    REQUIRE(sum.Ok());
    CHECK(sum.GetValue(0, 0).GetInt64() == 7999800000);
    // Keys were indexed anew for the renumbered rows.
    Result dup = con.Query("INSERT INTO t VALUES (10, 'x')");
    REQUIRE_FALSE(dup.Ok());
    CHECK(std::string(dup.GetError().Code()) == "23505");
    Exec(con, "UPDATE t SET pad = 'changed' WHERE id = 30; DELETE FROM t WHERE id = 40");
    CheckIntact(con);
    Result bad = con.Query("VACUUM nosuch");
    REQUIRE_FALSE(bad.Ok());
    CHECK(std::string(bad.GetError().Code()) == "42P01");
}

TEST_CASE("database file: BACKUP TO writes a consistent copy while a writer goes on") {
    TempDir tmp;
    std::string path = tmp.Path("src.griz"), copy = tmp.Path("copy.griz");
    {
        Database db(path);
        Connection reader(db), writer(db);
        Exec(reader, "CREATE TABLE t (x INTEGER); INSERT INTO t SELECT * FROM range(1000)");
        Exec(writer, "BEGIN; INSERT INTO t VALUES (-1)");  // uncommitted: not in the copy
        Exec(reader, "BACKUP TO '" + copy + "'");
        Exec(writer, "COMMIT");
        Result self = reader.Query("BACKUP TO '" + path + "'");
        REQUIRE_FALSE(self.Ok());
        CHECK(std::string(self.GetError().Code()) == "22023");
    }
    Database restored(copy);
    Connection con(restored);
    CHECK(Count(con, "t") == 1000);
    CheckIntact(con);
}

TEST_CASE("database file: a checkpoint writes only the row groups that changed") {
    TempDir tmp;
    std::string path = tmp.Path("cow.griz");
    Database db(path);
    Connection con(db);
    // Ten row groups of poorly compressible values: several blocks.
    Exec(con, "CREATE TABLE big AS SELECT i, (i * 2654435761 % 4294967291)::BIGINT AS h FROM range(1228800) r(i)");
    uintmax_t size = fs::file_size(path);
    INFO("file " << size);
    // Catalog changes checkpoint; the table's blocks are kept, not written again or copied.
    for (int k = 0; k < 20; ++k) Exec(con, "CREATE VIEW v AS SELECT * FROM big; DROP VIEW v");
    CHECK(fs::file_size(path) <= size + 256 * 1024);
    // One changed row rewrites one row group.
    Exec(con, "UPDATE big SET h = -1 WHERE i = 5; CHECKPOINT");
    CHECK(fs::file_size(path) <= size + 2 * 256 * 1024);
    Exec(con, "UPDATE big SET h = -2 WHERE i = 7; CHECKPOINT");
    CHECK(fs::file_size(path) <= size + 2 * 256 * 1024);
    CheckIntact(con);
    Result r = con.Query("SELECT h FROM big WHERE i IN (5, 7) ORDER BY i");
    REQUIRE(r.Ok());
    CHECK(r.GetValue(0, 0).GetInt64() == -1);
    CHECK(r.GetValue(1, 0).GetInt64() == -2);
}

TEST_CASE("database file: the database's own settings are kept in its file") {
    TempDir tmp;
    std::string path = tmp.Path("settings.griz");
    {
        Database db(path);
        Connection con(db);
        Exec(con, "CREATE TABLE t (x INTEGER); SET checkpoint_threshold = '1KB'; CHECKPOINT");
    }
    Database db(path);
    Connection con(db);
    // Past 1 KB of log a commit checkpoints: the log is empty again.
    Exec(con, "INSERT INTO t SELECT * FROM range(5000)");
    Result size = con.Query("PRAGMA database_size");
    REQUIRE(size.Ok());
    CHECK(size.GetValue(0, 3).GetInt64() <= 64);
    Exec(con, "INSERT INTO t VALUES (1)");
    size = con.Query("PRAGMA database_size");
    REQUIRE(size.Ok());
    CHECK(size.GetValue(0, 3).GetInt64() > 32);  // a small commit is logged
}
