// Grizzly's side of the TPC-H harness (benchmarks/tpch/run.sh):
//
//   grizzly-tpch-bench --sf X [--export DIR] [--data DIR] --queries DIR
//                      [--mode interpret|jit|adaptive] [--threads N] [--runs N]
//
// Generates SF X with CALL dbgen (or loads DIR/<table>.tbl with COPY), can
// export every table as DIR/<table>.tbl for the peer engines, then runs each
// query once cold (the first run in this process: planning and, in compiled
// modes, compilation included) and --runs more times. Prints one tab-separated
// line per query: name, cold seconds, median seconds, rows, status.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.hpp"

namespace {

namespace fs = std::filesystem;

const char* const kTables[] = {"region", "nation", "part", "supplier", "partsupp", "customer", "orders", "lineitem"};

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

}  // namespace

int main(int argc, char** argv) {
    std::string sf, data, export_dir, queries, schema, mode = "adaptive", threads = "1";
    int runs = 3;
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
        else {
            std::cerr << "usage: grizzly-tpch-bench (--sf X | --data DIR --schema FILE) [--export DIR] --queries DIR\n"
                         "                          [--mode M] [--threads N] [--runs N]\n";
            return 2;
        }
    }
    try {
        grizzly::Database db;
        grizzly::Connection con(db);
        auto start = std::chrono::steady_clock::now();
        if (!sf.empty()) {
            Check(con.Query("CALL dbgen(sf = " + sf + ")"), "dbgen");
        } else {
            for (const auto& r : con.QueryAll(ReadFile(schema))) Check(r, "schema");
            for (const char* table : kTables)
                Check(con.Query("COPY " + std::string(table) + " FROM '" + (fs::path(data) / table).string() +
                                ".tbl' (DELIMITER '|')"),
                      std::string("load ") + table);
        }
        std::printf("#load\t%.3f\n", Seconds(start));
        if (!export_dir.empty()) {
            fs::create_directories(export_dir);
            start = std::chrono::steady_clock::now();
            for (const char* table : kTables)
                Check(con.Query("COPY " + std::string(table) + " TO '" + (fs::path(export_dir) / table).string() +
                                ".tbl' (DELIMITER '|')"),
                      std::string("export ") + table);
            std::printf("#export\t%.3f\n", Seconds(start));
        }
        if (queries.empty()) return 0;
        Check(con.Query("SET execution_mode = '" + mode + "'"), "mode");
        Check(con.Query("SET threads = " + threads), "threads");
        for (int q = 1; q <= 22; ++q) {
            char name[8];
            std::snprintf(name, sizeof(name), "q%02d", q);
            std::string sql = ReadFile(fs::path(queries) / (std::string(name) + ".sql"));
            std::vector<double> times;
            size_t rows = 0;
            std::string status = "ok";
            for (int run = 0; run <= runs; ++run) {
                auto t0 = std::chrono::steady_clock::now();
                grizzly::Result result = con.Query(sql);
                times.push_back(Seconds(t0));
                if (!result.Ok()) {
                    status = result.ErrorText();
                    break;
                }
                rows = result.RowCount();
            }
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
