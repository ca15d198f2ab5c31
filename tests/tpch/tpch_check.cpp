// Runs the 22 TPC-H queries on Grizzly and compares each result with the
// expected answers (../shared/tpch/README.md, "Comparing results"):
//
//   grizzly-tpch-check --data DIR | --dbgen SF  --queries DIR --answers DIR
//                      [--mode interpret|jit|adaptive] [--threads N] [--row-counts]
//
// --data loads DIR/<table>.tbl (or .tbl.zst) with COPY; --dbgen generates the
// tables with CALL dbgen. --row-counts only checks that each query's row count
// is within 10% of the answer's where that count exceeds 10 (for generated
// data, whose values differ from the reference generator's).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "storage/storage.hpp"

namespace {

namespace fs = std::filesystem;
using grizzly::Connection;
using grizzly::Database;
using grizzly::Result;

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

// One CSV record per line; fields quoted only when they contain , " or a line break.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
        } else if (c == '\n') {
            row.push_back(field);
            rows.push_back(row);
            row.clear();
            field.clear();
        } else if (c != '\r') {
            field += c;
        }
    }
    if (!field.empty() || !row.empty()) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

std::string RightTrim(std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

bool ParseNumber(const std::string& s, double& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size();
}

bool FieldsMatch(const std::string& actual, const std::string& expected) {
    if (RightTrim(actual) == RightTrim(expected)) return true;
    double a, e;
    return ParseNumber(actual, a) && ParseNumber(expected, e) && std::fabs(a - e) <= 0.01;
}

// Empty string when the result matches, else what differs.
std::string Compare(const Result& result, const std::vector<std::vector<std::string>>& expected, bool row_counts) {
    size_t expected_rows = expected.size() - 1;  // the header
    if (row_counts) {
        if (expected_rows <= 10) return "";
        double ratio = static_cast<double>(result.RowCount()) / static_cast<double>(expected_rows);
        if (ratio < 0.9 || ratio > 1.1)
            return std::to_string(result.RowCount()) + " rows, expected about " + std::to_string(expected_rows);
        return "";
    }
    if (result.RowCount() != expected_rows)
        return std::to_string(result.RowCount()) + " rows, expected " + std::to_string(expected_rows);
    for (size_t r = 0; r < expected_rows; ++r) {
        const auto& want = expected[r + 1];
        if (want.size() != result.ColumnCount())
            return std::to_string(result.ColumnCount()) + " columns, expected " + std::to_string(want.size());
        for (size_t c = 0; c < want.size(); ++c) {
            std::string got = result.IsNull(r, c) ? "" : result.GetValue(r, c).ToString();
            if (!FieldsMatch(got, want[c]))
                return "row " + std::to_string(r + 1) + ", column " + result.ColumnName(c) + ": got '" + got +
                       "', expected '" + want[c] + "'";
        }
    }
    return "";
}

void Check(const Result& result, const std::string& what) {
    if (!result.Ok()) throw std::runtime_error(what + ": " + result.ErrorText());
}

int Usage() {
    std::cerr << "usage: grizzly-tpch-check (--data DIR | --dbgen SF) --queries DIR --answers DIR [--schema FILE]\n"
                 "                          [--mode interpret|jit|adaptive] [--threads N] [--row-counts]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string data, dbgen, queries, answers, schema, mode = "interpret", threads;
    bool row_counts = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (arg == "--data") data = value();
        else if (arg == "--dbgen") dbgen = value();
        else if (arg == "--queries") queries = value();
        else if (arg == "--answers") answers = value();
        else if (arg == "--schema") schema = value();
        else if (arg == "--mode") mode = value();
        else if (arg == "--threads") threads = value();
        else if (arg == "--row-counts") row_counts = true;
        else return Usage();
    }
    if ((data.empty() == dbgen.empty()) || queries.empty() || answers.empty()) return Usage();
    try {
        Database db;
        Connection con(db);
        auto start = std::chrono::steady_clock::now();
        if (!dbgen.empty()) {
            Check(con.Query("CALL dbgen(sf = " + dbgen + ")"), "dbgen");
        } else {
            if (schema.empty()) return Usage();
            for (const Result& r : con.QueryAll(ReadFile(schema))) Check(r, "schema");
            for (const std::string& table : TableNames()) {
                fs::path file = fs::path(data) / (std::string(table) + ".tbl");
                if (!fs::exists(file)) file += ".zst";
                Check(con.Query("COPY " + std::string(table) + " FROM '" + file.string() + "' (DELIMITER '|')"),
                      std::string("loading ") + table);
            }
        }
        double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("loaded in %.2f s\n", load_s);
        Check(con.Query("SET execution_mode = '" + mode + "'"), "mode");
        // Small scale factors' tables would otherwise run interpreted in adaptive mode.
        Check(con.Query("SET jit_above_rows = 0"), "jit_above_rows");
        if (!threads.empty()) Check(con.Query("SET threads = " + threads), "threads");
        int failures = 0;
        for (int q = 1; q <= 22; ++q) {
            char name[16];
            std::snprintf(name, sizeof(name), "q%02d", q);
            std::string sql = ReadFile(fs::path(queries) / (std::string(name) + ".sql"));
            auto expected = ParseCsv(ReadFile(fs::path(answers) / (std::string(name) + ".csv")));
            auto t0 = std::chrono::steady_clock::now();
            Result result = con.Query(sql);
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            std::string problem = result.Ok() ? Compare(result, expected, row_counts) : result.ErrorText();
            std::printf("%s %-8s %8.1f ms  %s\n", name, problem.empty() ? "ok" : "MISMATCH", ms, problem.c_str());
            failures += !problem.empty();
        }
        std::printf("%d of 22 queries match (%s mode, %s threads)\n", 22 - failures, mode.c_str(),
                    threads.empty() ? "default" : threads.c_str());
        return failures == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
