// Grizzly's side of the TPC-H harness (benchmarks/tpch/run.sh):
//
//   grizzly-tpch-bench --sf X [--export DIR] [--data DIR] --queries DIR
//                      [--mode interpret|jit|adaptive] [--threads N] [--runs N] [--query N]
//                      [--timeout SEC] [--results DIR] [--first N] [--database FILE]
//
// Generates SF X with CALL dbgen (or loads DIR/<table>.tbl with COPY), can
// export every table as DIR/<table>.tbl for the peer engines, then runs each
// query once cold (the first run in this process: planning and, in compiled
// modes, compilation included) and --runs more times. Prints one tab-separated
// line per query: name, cold seconds, median seconds, rows, status.
//
// --timeout interrupts a run after SEC seconds (status "timeout", no more runs
// of that query). --results writes each query's answer, after the timed runs,
// as DIR/qNN.csv so the harness can compare it with the peers'. --first starts
// at query N, which lets the harness resume after a query crashed the process.
// --database loads into a new database file (it must not exist), closes it and
// opens it again, so the queries run on a cold-opened file; it prints the load,
// close (checkpoint) and open seconds and the file's size.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "api/api.hpp"
#include "storage/storage.hpp"

namespace {

namespace fs = std::filesystem;

// The eight tables in load order, as the generator defines them.
std::vector<std::string> TableNames() {
    std::vector<std::string> names;
    for (const auto& spec : grizzly::storage::tpch::Tables()) names.push_back(spec.name);
    return names;
}

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void Check(const grizzly::Result& result, const std::string& what) {
    if (!result.Ok()) throw std::runtime_error(what + ": " + result.ErrorText());
}

double Seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// --timeout: SIGALRM interrupts the running statement (Interrupt() only sets a flag,
// so it is safe in a signal handler) and records that the limit was hit. A statement
// that does not stop within kGraceSeconds ends the process with status 124, which
// the harness records as a timeout before resuming with the next query.
constexpr unsigned kGraceSeconds = 30;
grizzly::Connection* g_connection = nullptr;
volatile std::sig_atomic_t g_timed_out = 0;

void OnAlarm(int) {
    if (g_timed_out) _exit(124);
    g_timed_out = 1;
    if (g_connection) g_connection->Interrupt();
    alarm(kGraceSeconds);
}

}  // namespace

int main(int argc, char** argv) {
    std::string sf, data, export_dir, queries, schema, results, mode = "adaptive", threads = "1";
    std::string database;
    int runs = 3, timeout = 0, first = 1, only = 0;  // only: --query N runs that query alone
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (arg == "--sf") sf = value();
        else if (arg == "--data") data = value();
        else if (arg == "--schema") schema = value();
        else if (arg == "--export") export_dir = value();
        else if (arg == "--queries") queries = value();
        else if (arg == "--mode") mode = value();
        else if (arg == "--threads") threads = value();
        else if (arg == "--runs") runs = std::max(1, std::atoi(value().c_str()));
        else if (arg == "--query") only = std::atoi(value().c_str());
        else if (arg == "--timeout") timeout = std::max(0, std::atoi(value().c_str()));
        else if (arg == "--results") results = value();
        else if (arg == "--first") first = std::max(1, std::atoi(value().c_str()));
        else if (arg == "--database") database = value();
        else {
            std::cerr << "usage: grizzly-tpch-bench (--sf X | --data DIR --schema FILE) [--export DIR] --queries DIR\n"
                         "                          [--mode M] [--threads N] [--runs N] [--timeout SEC]\n"
                         "                          [--results DIR] [--first N] [--database FILE]\n";
            return 2;
        }
    }
    try {
        if (!database.empty() && fs::exists(database)) {
            std::cerr << "error: " << database << " exists; --database loads into a new file\n";
            return 2;
        }
        auto db = std::make_unique<grizzly::Database>(database);
        auto connection = std::make_unique<grizzly::Connection>(*db);
        auto start = std::chrono::steady_clock::now();
        if (!sf.empty()) {
            Check(connection->Query("CALL dbgen(sf = " + sf + ")"), "dbgen");
        } else {
            for (const auto& r : connection->QueryAll(ReadFile(schema))) Check(r, "schema");
            for (const std::string& table : TableNames())
                Check(connection->Query("COPY " + std::string(table) + " FROM '" + (fs::path(data) / table).string() +
                                ".tbl' (DELIMITER '|')"),
                      std::string("load ") + table);
        }
        std::printf("#load\t%.3f\n", Seconds(start));
        if (!database.empty()) {
            // Bulk loads commit through checkpoints; closing folds any log into the file.
            start = std::chrono::steady_clock::now();
            connection.reset();
            db.reset();
            std::printf("#close\t%.3f\n", Seconds(start));
            std::printf("#file_bytes\t%ju\n", static_cast<uintmax_t>(fs::file_size(database)));
            start = std::chrono::steady_clock::now();
            db = std::make_unique<grizzly::Database>(database);
            connection = std::make_unique<grizzly::Connection>(*db);
            std::printf("#open\t%.3f\n", Seconds(start));
        }
        grizzly::Connection& con = *connection;
        if (!export_dir.empty()) {
            fs::create_directories(export_dir);
            start = std::chrono::steady_clock::now();
            for (const std::string& table : TableNames())
                Check(con.Query("COPY " + std::string(table) + " TO '" + (fs::path(export_dir) / table).string() +
                                ".tbl' (DELIMITER '|')"),
                      std::string("export ") + table);
            std::printf("#export\t%.3f\n", Seconds(start));
        }
        if (queries.empty()) return 0;
        Check(con.Query("SET execution_mode = '" + mode + "'"), "mode");
        Check(con.Query("SET threads = " + threads), "threads");
        if (!results.empty()) fs::create_directories(results);
        g_connection = &con;
        struct sigaction action {};
        action.sa_handler = OnAlarm;
        sigaction(SIGALRM, &action, nullptr);
        for (int q = first; q <= 22; ++q) {
            if (only && q != only) continue;
            char name[16];  // "q" and any int: sanitizer builds check the whole range
            std::snprintf(name, sizeof(name), "q%02d", q);
            std::string sql = ReadFile(fs::path(queries) / (std::string(name) + ".sql"));
            std::vector<double> times;
            size_t rows = 0;
            std::string status = "ok";
            for (int run = 0; run <= runs; ++run) {
                g_timed_out = 0;
                alarm(static_cast<unsigned>(timeout));  // 0 cancels: no limit
                auto t0 = std::chrono::steady_clock::now();
                grizzly::Result result = con.Query(sql);
                times.push_back(Seconds(t0));
                alarm(0);
                if (!result.Ok()) {
                    status = g_timed_out ? "timeout" : result.ErrorText();
                    break;
                }
                rows = result.RowCount();
            }
            if (!results.empty() && status == "ok") {
                // Untimed: the same query once more, its answer written as CSV.
                std::string body = sql.substr(0, sql.find_last_not_of(" \t\r\n;") + 1);
                std::string file = (fs::path(results) / (std::string(name) + ".csv")).string();
                grizzly::Result copy = con.Query("COPY (" + body + "\n) TO '" + file + "' (HEADER)");
                if (!copy.Ok()) std::cerr << name << ": writing the result failed: " << copy.ErrorText() << '\n';
            }
            std::replace(status.begin(), status.end(), '\t', ' ');  // one TSV line per query
            std::replace(status.begin(), status.end(), '\n', ' ');
            double cold = times[0];
            std::vector<double> warm(times.begin() + (times.size() > 1 ? 1 : 0), times.end());
            std::sort(warm.begin(), warm.end());
            std::printf("%s\t%.6f\t%.6f\t%zu\t%s\n", name, cold, warm[warm.size() / 2], rows, status.c_str());
            std::fflush(stdout);
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
