// Crash test for database files: a child process commits transactions
// (inserts, updates, deletes, and now and then DDL) against one file and
// reports each commit to the parent through a pipe; the parent kills it with
// SIGKILL at a random moment, reopens the file, runs PRAGMA integrity_check
// and compares the contents with a model of the acknowledged commits. The one
// transaction in flight at the kill may or may not have committed; anything
// else is a failure.
//
//   grizzly-crash-test [--kills N] [--seed S] [--dir DIR]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "api/api.hpp"

namespace {

namespace fs = std::filesystem;
using grizzly::Connection;
using grizzly::Database;
using grizzly::Result;

// What the database holds after a prefix of the transactions.
struct Model {
    std::map<int64_t, int64_t> kv;
    std::map<std::string, int64_t> extras;  // table name -> row count

    // Transaction k, exactly as Sql(k) does it.
    void Apply(int64_t k) {
        for (int64_t i = 0; i < k % 5; ++i) kv[k * 10 + i] = k;
        for (auto& [id, v] : kv)
            if (id % 7 == k % 7) ++v;
        for (auto it = kv.begin(); it != kv.end();) {
            if (it->first % 11 == k % 11 && it->second < k - 20) it = kv.erase(it);
            else ++it;
        }
        if (k % 10 == 0) {
            int64_t n = 0;
            for (auto& [id, v] : kv) n += id % 3 == 0;
            extras["extra_" + std::to_string(k)] = n;
            extras.erase("extra_" + std::to_string(k - 20));
        }
    }
};

std::string Sql(int64_t k) {
    std::string sql = "BEGIN;";
    for (int64_t i = 0; i < k % 5; ++i)
        sql += "INSERT INTO kv VALUES (" + std::to_string(k * 10 + i) + ", " + std::to_string(k) + ");";
    sql += "UPDATE kv SET v = v + 1 WHERE id % 7 = " + std::to_string(k % 7) + ";";
    sql += "DELETE FROM kv WHERE id % 11 = " + std::to_string(k % 11) + " AND v < " + std::to_string(k - 20) + ";";
    // Now and then the table is compacted, which rewrites the whole file at commit.
    if (k % 25 == 5) sql += "VACUUM kv;";
    if (k % 10 == 0) {
        sql += "CREATE TABLE extra_" + std::to_string(k) + " AS SELECT * FROM kv WHERE id % 3 = 0;";
        if (k > 20) sql += "DROP TABLE IF EXISTS extra_" + std::to_string(k - 20) + ";";
    }
    return sql + "COMMIT;";
}

[[noreturn]] void RunChild(const std::string& path, int64_t first, int ack_fd) {
    Database db(path);
    Connection con(db);
    for (int64_t k = first;; ++k) {
        for (const Result& r : con.QueryAll(Sql(k))) {
            if (!r.Ok()) {
                std::fprintf(stderr, "child: transaction %lld failed: %s\n", static_cast<long long>(k),
                             r.ErrorText().c_str());
                _exit(3);
            }
        }
        if (write(ack_fd, &k, sizeof(k)) != sizeof(k)) _exit(4);
    }
}

bool Matches(Connection& con, const Model& model, std::string& why) {
    Result rows = con.Query("SELECT id, v FROM kv ORDER BY id");
    if (!rows.Ok()) return why = rows.ErrorText(), false;
    if (rows.RowCount() != model.kv.size())
        return why = "kv has " + std::to_string(rows.RowCount()) + " rows, expected " + std::to_string(model.kv.size()),
               false;
    size_t i = 0;
    for (auto& [id, v] : model.kv) {
        if (rows.GetValue(i, 0).GetInt64() != id || rows.GetValue(i, 1).GetInt64() != v)
            return why = "kv row " + std::to_string(i) + " differs", false;
        ++i;
    }
    size_t extra_tables = 0;
    Result names = con.Query("SHOW TABLES");
    for (size_t r = 0; r < names.RowCount(); ++r)
        extra_tables += names.GetValue(r, 0).ToString().rfind("extra_", 0) == 0;
    if (extra_tables != model.extras.size())
        return why = std::to_string(extra_tables) + " extra tables, expected " + std::to_string(model.extras.size()),
               false;
    for (auto& [name, count] : model.extras) {
        Result c = con.Query("SELECT count(*) FROM " + name);
        if (!c.Ok() || c.GetValue(0, 0).GetInt64() != count) return why = "table " + name + " differs", false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    int kills = 200;
    uint64_t seed = 42;
    std::string dir = fs::temp_directory_path() / ("grizzly_crash_" + std::to_string(getpid()));
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string arg = argv[i];
        if (arg == "--kills") kills = std::atoi(argv[i + 1]);
        else if (arg == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
        else if (arg == "--dir") dir = argv[i + 1];
    }
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string path = dir + "/crash.griz";
    {
        Database db(path);
        Connection con(db);
        if (!con.Query("CREATE TABLE kv (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)").Ok()) return 1;
    }
    std::mt19937_64 rng(seed);
    Model model;
    int64_t next = 1;  // the first transaction the next child runs
    int64_t total_commits = 0;
    for (int round = 0; round < kills; ++round) {
        int fds[2];
        if (pipe(fds) != 0) return 1;
        pid_t child = fork();
        if (child == 0) {
            close(fds[0]);
            RunChild(path, next, fds[1]);
        }
        close(fds[1]);
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 30000));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        if (!WIFSIGNALED(status)) {
            std::fprintf(stderr, "round %d: the child exited by itself (status %d)\n", round, WEXITSTATUS(status));
            return 1;
        }
        int64_t acked;
        while (read(fds[0], &acked, sizeof(acked)) == sizeof(acked)) {
            if (acked != next) {
                std::fprintf(stderr, "round %d: acknowledgement out of order\n", round);
                return 1;
            }
            model.Apply(next++);
            ++total_commits;
        }
        close(fds[0]);
        // The file must open, pass its checks and hold exactly the acknowledged
        // commits, or those plus the one in flight.
        Database db(path);
        Connection con(db);
        Result check = con.Query("PRAGMA integrity_check");
        if (!check.Ok() || check.GetValue(0, 0).ToString() != "ok") {
            std::fprintf(stderr, "round %d: integrity_check: %s\n", round,
                         check.Ok() ? check.GetValue(0, 0).ToString().c_str() : check.ErrorText().c_str());
            return 1;
        }
        std::string why;
        if (!Matches(con, model, why)) {
            Model with_in_flight = model;
            with_in_flight.Apply(next);
            std::string why_next;
            if (!Matches(con, with_in_flight, why_next)) {
                std::fprintf(stderr, "round %d after %lld commits: %s (or, with the transaction in flight: %s)\n",
                             round, static_cast<long long>(next - 1), why.c_str(), why_next.c_str());
                return 1;
            }
            model = with_in_flight;  // it had committed; its acknowledgement was lost with the process
            ++next;
        }
    }
    std::printf("%d kills, %lld acknowledged commits, every one present after recovery\n", kills,
                static_cast<long long>(total_commits));
    fs::remove_all(dir);
    return 0;
}
