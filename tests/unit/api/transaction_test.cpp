// Snapshot isolation between connections of one database: what a reader sees
// while another connection writes, the single writer, and rollback.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <unistd.h>

#include "api/api.hpp"
#include "tests/unit/api/sql_test_util.hpp"

using namespace grizzly;

namespace {

using testing::Ok;
using testing::Fails;
using testing::Scalar;

struct TwoConnections {
    Database db;
    Connection a{db};
    Connection b{db};
    TwoConnections() {
        Ok(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        Ok(a, "INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
    }
};

}  // namespace

TEST_CASE("a reader's snapshot is unaffected by a concurrent writer's commit") {
    TwoConnections f;
    Ok(f.a, "BEGIN");
    CHECK(Scalar(f.a, "SELECT sum(v) FROM t") == 60);
    Ok(f.b, "INSERT INTO t VALUES (4, 40)");
    Ok(f.b, "UPDATE t SET v = v + 1");
    Ok(f.b, "DELETE FROM t WHERE id = 1");
    CHECK(Scalar(f.b, "SELECT sum(v) FROM t") == 93);
    // Same transaction, same answer, row for row.
    CHECK(Scalar(f.a, "SELECT sum(v) FROM t") == 60);
    CHECK(Scalar(f.a, "SELECT count(*) FROM t WHERE id = 1") == 1);
    CHECK(Scalar(f.a, "SELECT v FROM t WHERE id = 2") == 20);
    Ok(f.a, "COMMIT");
    CHECK(Scalar(f.a, "SELECT sum(v) FROM t") == 93);
}

TEST_CASE("uncommitted changes are invisible to other connections") {
    TwoConnections f;
    Ok(f.a, "BEGIN");
    Ok(f.a, "INSERT INTO t VALUES (4, 40)");
    Ok(f.a, "UPDATE t SET v = 0 WHERE id = 1");
    CHECK(Scalar(f.a, "SELECT sum(v) FROM t") == 90);
    CHECK(Scalar(f.b, "SELECT sum(v) FROM t") == 60);
    CHECK(Scalar(f.b, "SELECT count(*) FROM t") == 3);
    Ok(f.a, "COMMIT");
    CHECK(Scalar(f.b, "SELECT sum(v) FROM t") == 90);
}

TEST_CASE("a second writer gets 40001, and may write once the first commits") {
    TwoConnections f;
    Ok(f.a, "BEGIN");
    Ok(f.a, "INSERT INTO t VALUES (4, 40)");
    CHECK(Fails(f.b, "INSERT INTO t VALUES (5, 50)") == "40001");
    CHECK(Fails(f.b, "CREATE TABLE u (x INTEGER)") == "40001");
    // Readers are not held up by the writer.
    CHECK(Scalar(f.b, "SELECT count(*) FROM t") == 3);
    Ok(f.a, "COMMIT");
    Ok(f.b, "INSERT INTO t VALUES (5, 50)");
    CHECK(Scalar(f.a, "SELECT count(*) FROM t") == 5);
}

TEST_CASE("with lock_timeout a second writer waits for the first to finish") {
    TwoConnections f;
    Ok(f.b, "SET lock_timeout = '5s'");
    Ok(f.a, "BEGIN");
    Ok(f.a, "INSERT INTO t VALUES (4, 40)");
    std::atomic<bool> done{false};
    std::thread writer([&] {
        Result r = f.b.Query("INSERT INTO t VALUES (5, 50)");
        CHECK(r.Ok());
        done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK_FALSE(done.load());
    Ok(f.a, "COMMIT");
    writer.join();
    CHECK(done.load());
    CHECK(Scalar(f.a, "SELECT count(*) FROM t") == 5);

    // A timeout that runs out is the same clear error.
    Ok(f.b, "SET lock_timeout = 20");
    Ok(f.a, "BEGIN");
    Ok(f.a, "DELETE FROM t");
    auto start = std::chrono::steady_clock::now();
    CHECK(Fails(f.b, "INSERT INTO t VALUES (6, 60)") == "40001");
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(20));
    Ok(f.a, "ROLLBACK");
    CHECK(Fails(f.b, "SET lock_timeout = 'soon'") == "22023");
}

TEST_CASE("a transaction whose snapshot is stale cannot write: first committer wins") {
    TwoConnections f;
    Ok(f.a, "BEGIN");
    CHECK(Scalar(f.a, "SELECT v FROM t WHERE id = 1") == 10);
    Ok(f.b, "UPDATE t SET v = 11 WHERE id = 1");
    CHECK(Fails(f.a, "UPDATE t SET v = v + 1 WHERE id = 1") == "40001");
    // As in PostgreSQL, the failed transaction ignores commands until it ends.
    CHECK(Fails(f.a, "SELECT 1") == "25P02");
    Ok(f.a, "ROLLBACK");
    Ok(f.a, "UPDATE t SET v = v + 1 WHERE id = 1");
    CHECK(Scalar(f.b, "SELECT v FROM t WHERE id = 1") == 12);
}

TEST_CASE("rollback restores every table touched, including created and dropped ones") {
    TwoConnections f;
    Ok(f.a, "CREATE TABLE u (x VARCHAR)");
    Ok(f.a, "INSERT INTO u VALUES ('keep')");
    Ok(f.a, "CREATE TABLE w (y INTEGER)");
    Ok(f.a, "BEGIN");
    Ok(f.a, "INSERT INTO t VALUES (4, 40)");
    Ok(f.a, "UPDATE t SET v = -1 WHERE id = 2");
    Ok(f.a, "DELETE FROM u");
    Ok(f.a, "DROP TABLE w");
    Ok(f.a, "CREATE TABLE fresh (z INTEGER)");
    Ok(f.a, "INSERT INTO fresh VALUES (1)");
    Ok(f.a, "ROLLBACK");
    for (Connection* con : {&f.a, &f.b}) {
        CHECK(Scalar(*con, "SELECT sum(v) FROM t") == 60);
        CHECK(Scalar(*con, "SELECT count(*) FROM u WHERE x = 'keep'") == 1);
        CHECK(Scalar(*con, "SELECT count(*) FROM w") == 0);
        CHECK(Fails(*con, "SELECT * FROM fresh") == "42P01");
    }
    // The writer lock went with the transaction.
    Ok(f.b, "INSERT INTO t VALUES (4, 40)");
}

TEST_CASE("a connection closed inside a transaction rolls it back and frees the writer lock") {
    Database db;
    Connection a(db);
    Ok(a, "CREATE TABLE t (x INTEGER)");
    {
        Connection b(db);
        Ok(b, "BEGIN");
        Ok(b, "INSERT INTO t VALUES (1)");
        Ok(b, "CREATE TABLE gone (y INTEGER)");
    }
    CHECK(Scalar(a, "SELECT count(*) FROM t") == 0);
    CHECK(Fails(a, "SELECT * FROM gone") == "42P01");
    Ok(a, "INSERT INTO t VALUES (2)");
}

TEST_CASE("a table altered after a reader's snapshot is a clear error for that reader") {
    TwoConnections f;
    Ok(f.a, "BEGIN");
    CHECK(Scalar(f.a, "SELECT count(*) FROM t") == 3);
    Ok(f.b, "ALTER TABLE t ADD COLUMN w INTEGER");
    CHECK(Fails(f.a, "SELECT * FROM t") == "40001");
    Ok(f.a, "ROLLBACK");
    CHECK(Scalar(f.a, "SELECT count(w) FROM t") == 0);
}

TEST_CASE("readers on other threads always see whole transactions") {
    // Transfers keep the total of two tables constant; a reader that saw half a
    // transaction, or one table at another moment than the other, would see another total.
    Database db;
    Connection setup(db);
    Ok(setup, "CREATE TABLE a (id INTEGER, balance BIGINT)");
    Ok(setup, "CREATE TABLE b (id INTEGER, balance BIGINT)");
    Ok(setup, "INSERT INTO a SELECT i, 100 FROM range(100) r(i)");
    Ok(setup, "INSERT INTO b SELECT i, 100 FROM range(100) r(i)");
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0}, reads{0};
    std::thread reader([&] {
        Connection con(db);
        while (!stop) {
            Result r = con.Query("SELECT (SELECT sum(balance) FROM a) + (SELECT sum(balance) FROM b)");
            if (!r.Ok() || r.GetValue(0, 0).GetInt64() != 20000) ++bad;
            ++reads;
        }
    });
    Connection writer(db);
    for (int i = 0; i < 200; ++i) {
        int id = i % 100;
        Ok(writer, "BEGIN");
        Ok(writer, "UPDATE a SET balance = balance - 7 WHERE id = " + std::to_string(id));
        Ok(writer, "INSERT INTO b VALUES (" + std::to_string(1000 + i) + ", 7)");
        Ok(writer, "COMMIT");
    }
    while (reads < 20) std::this_thread::yield();
    stop = true;
    reader.join();
    CHECK(bad == 0);
    CHECK(Scalar(setup, "SELECT (SELECT sum(balance) FROM a) + (SELECT sum(balance) FROM b)") == 20000);
}

TEST_CASE("readers on other threads of a database file see whole transactions while it checkpoints") {
    std::string path = (std::filesystem::temp_directory_path() / ("grizzly_txn_" + std::to_string(getpid()) + ".griz")).string();
    std::filesystem::remove(path);
    std::filesystem::remove(path + ".wal");
    {
        Database db(path);
        Connection setup(db);
        Ok(setup, "CREATE TABLE a (id INTEGER, balance BIGINT)");
        Ok(setup, "INSERT INTO a SELECT i, 100 FROM range(1000) r(i)");
        std::atomic<bool> stop{false};
        std::atomic<int> bad{0}, reads{0};
        std::thread reader([&] {
            Connection con(db);
            while (!stop) {
                Result sum = con.Query("SELECT sum(balance) FROM a");
                Result check = con.Query("PRAGMA integrity_check");
                Result size = con.Query("PRAGMA database_size");
                if (!sum.Ok() || sum.GetValue(0, 0).GetInt64() != 100000 || !check.Ok() ||
                    check.GetValue(0, 0).ToString() != "ok" || !size.Ok())
                    ++bad;
                ++reads;
            }
        });
        Connection writer(db);
        for (int i = 0; i < 60; ++i) {
            // Row changes go to the log; the view's DDL checkpoints.
            Ok(writer, "BEGIN; UPDATE a SET balance = balance - 1 WHERE id = " + std::to_string(i) +
                           "; UPDATE a SET balance = balance + 1 WHERE id = " + std::to_string(999 - i) + "; COMMIT");
            if (i % 10 == 0) Ok(writer, "CREATE OR REPLACE VIEW v AS SELECT count(*) FROM a");
        }
        while (reads < 10) std::this_thread::yield();
        stop = true;
        reader.join();
        CHECK(bad == 0);
    }
    Database reopened(path);
    Connection con(reopened);
    CHECK(Scalar(con, "SELECT sum(balance) FROM a") == 100000);
    CHECK(Scalar(con, "SELECT balance FROM a WHERE id = 999") == 101);
    std::filesystem::remove(path);
    std::filesystem::remove(path + ".wal");
}
