// Interpreter throughput through SQL, one thread: a filtered sum, a grouped
// aggregation and a hash join over 10M BIGINT rows. Results read as rows/s
// (items = rows scanned, for the join rows probed).
//
// The data is loaded once, with SQL, into an in-memory database shared by all
// benchmarks of this file, before the first timed loop. Every column is a
// deterministic function of the row number (multiplicative hashing with fixed
// primes), so a run is reproducible and the expected results can be computed
// here in C++; each benchmark checks its query's result once before timing.
//
// GRIZZLY_BENCH_SMOKE=1 shrinks the input to 10k rows (the CTest smoke check).

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "api/api.hpp"

namespace grizzly {
namespace {

constexpr int64_t kFullRows = 10'000'000;
constexpr int64_t kSmokeRows = 10'000;
constexpr int64_t kGroups = 1'000;
constexpr int64_t kSmallFraction = 10;  // the join's build side has rows / 10 rows

bool SmokeMode() {
    const char* env = std::getenv("GRIZZLY_BENCH_SMOKE");
    return env != nullptr && *env != '\0' && std::string(env) != "0";
}

// The generators, mirrored by the CREATE TABLE statements below.
int64_t ShuffledKey(int64_t row, int64_t rows) { return (row * 1'000'003) % rows; }  // a permutation: 1000003 is prime
int64_t GroupOf(int64_t row) { return (row * 7'919) % kGroups; }
int64_t ValueOf(int64_t row) { return (row * 104'729) % 1'000'003; }

/// The shared database: t(k, s, g, v) with `rows` rows and small(k) with rows / 10.
///   t.k = row number (sorted), t.s = a shuffled permutation of 0..rows-1,
///   t.g = one of 1,000 groups, t.v = a value in [0, 1000003);
///   small.k = the first rows / 10 values of t.s (each matches exactly one t.k).
class BenchDatabase {
public:
    static BenchDatabase& Get() {
        static BenchDatabase instance;
        return instance;
    }

    Connection& Conn() { return conn_; }
    int64_t Rows() const { return rows_; }
    int64_t SmallRows() const { return rows_ / kSmallFraction; }
    /// Empty when loading worked, else the error text.
    const std::string& LoadError() const { return load_error_; }

private:
    Database db_;
    Connection conn_{db_};
    int64_t rows_ = SmokeMode() ? kSmokeRows : kFullRows;
    std::string load_error_;

    BenchDatabase() {
        const std::string n = std::to_string(rows_);
        const std::vector<std::string> statements = {
            "SET execution_mode = 'interpret'",
            "CREATE TABLE t AS SELECT i AS k, (i * 1000003) % " + n + " AS s, (i * 7919) % 1000 AS g, "
            "(i * 104729) % 1000003 AS v FROM range(0, " + n + ") r(i)",
            "CREATE TABLE small AS SELECT (i * 1000003) % " + n + " AS k FROM range(0, " +
                std::to_string(SmallRows()) + ") r(i)",
        };
        auto start = std::chrono::steady_clock::now();
        for (const auto& sql : statements) {
            Result result = conn_.Query(sql);
            if (!result.Ok()) {
                load_error_ = sql + ": " + result.ErrorText();
                return;
            }
        }
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "bench_runtime: loaded t (%lld rows) and small (%lld rows) with SQL in %.0f ms\n",
                     static_cast<long long>(rows_), static_cast<long long>(SmallRows()), ms);
    }
};

/// An integer result cell, whatever integer type the engine chose (BIGINT, HUGEINT).
int64_t AsInt(const Value& value) { return value.IsNull() ? INT64_MIN : std::stoll(value.ToString()); }

/// Runs `sql` once, untimed, into `out`; false (after SkipWithError) when it fails.
bool RunOnce(benchmark::State& state, const std::string& sql, Result& out) {
    BenchDatabase& db = BenchDatabase::Get();
    if (!db.LoadError().empty()) {
        state.SkipWithError(("loading failed: " + db.LoadError()).c_str());
        return false;
    }
    out = db.Conn().Query(sql);
    if (!out.Ok()) {
        state.SkipWithError((sql + ": " + out.ErrorText()).c_str());
        return false;
    }
    return true;
}

void Fail(benchmark::State& state, const std::string& what) { state.SkipWithError(("wrong result: " + what).c_str()); }

/// The timed loop shared by every benchmark: one statement per iteration.
void TimeQuery(benchmark::State& state, const std::string& sql, int64_t rows_per_iteration) {
    Connection& conn = BenchDatabase::Get().Conn();
    for (auto _ : state) {
        Result result = conn.Query(sql);
        if (!result.Ok()) {
            state.SkipWithError(result.ErrorText().c_str());
            break;
        }
        benchmark::DoNotOptimize(result);
    }
    state.SetItemsProcessed(state.iterations() * rows_per_iteration);
}

/// SELECT sum(v) FROM t WHERE <column> < rows / 2: half of the rows pass.
void FilteredSum(benchmark::State& state, const char* column) {
    BenchDatabase& db = BenchDatabase::Get();
    const int64_t rows = db.Rows();
    const std::string sql = std::string("SELECT sum(v) FROM t WHERE ") + column + " < " + std::to_string(rows / 2);
    Result check;
    if (!RunOnce(state, sql, check)) return;
    const bool sorted = std::string(column) == "k";
    int64_t expected = 0;
    for (int64_t row = 0; row < rows; ++row) {
        int64_t key = sorted ? row : ShuffledKey(row, rows);
        if (key < rows / 2) expected += ValueOf(row);
    }
    if (check.RowCount() != 1 || AsInt(check.GetValue(0, 0)) != expected)
        return Fail(state, "sum " + (check.RowCount() == 1 ? check.GetValue(0, 0).ToString() : "?") +
                               ", expected " + std::to_string(expected));
    TimeQuery(state, sql, rows);
}

/// (a) The filter runs over the sorted key: the selected rows are one contiguous half.
void BM_Runtime_FilteredSum(benchmark::State& state) { FilteredSum(state, "k"); }

/// (a') The same over a shuffled key: every vector is half selected, in no pattern.
void BM_Runtime_FilteredSumShuffled(benchmark::State& state) { FilteredSum(state, "s"); }

/// (b) SELECT g, count(*), sum(v) FROM t GROUP BY g: 1,000 groups.
void BM_Runtime_GroupBy(benchmark::State& state) {
    BenchDatabase& db = BenchDatabase::Get();
    const int64_t rows = db.Rows();
    const std::string sql = "SELECT g, count(*), sum(v) FROM t GROUP BY g";
    Result check;
    if (!RunOnce(state, sql, check)) return;
    std::vector<int64_t> expected_sum(kGroups, 0);
    std::vector<int64_t> expected_count(kGroups, 0);
    for (int64_t row = 0; row < rows; ++row) {
        expected_sum[GroupOf(row)] += ValueOf(row);
        ++expected_count[GroupOf(row)];
    }
    if (check.RowCount() != static_cast<size_t>(kGroups))
        return Fail(state, std::to_string(check.RowCount()) + " groups, expected " + std::to_string(kGroups));
    std::vector<bool> seen(kGroups, false);
    for (size_t row_idx = 0; row_idx < check.RowCount(); ++row_idx) {
        int64_t group = AsInt(check.GetValue(row_idx, 0));
        if (group < 0 || group >= kGroups || seen[group]) return Fail(state, "group " + std::to_string(group));
        seen[group] = true;
        if (AsInt(check.GetValue(row_idx, 1)) != expected_count[group] ||
            AsInt(check.GetValue(row_idx, 2)) != expected_sum[group])
            return Fail(state, "aggregates of group " + std::to_string(group));
    }
    TimeQuery(state, sql, rows);
}

/// (c) Hash join of t (probe, 10M rows) with small (build, 1M rows); every build
/// row matches one probe row. Items = probe rows.
void BM_Runtime_HashJoin(benchmark::State& state) {
    BenchDatabase& db = BenchDatabase::Get();
    const int64_t rows = db.Rows();
    const std::string sql = "SELECT count(*), sum(a.v) FROM t a JOIN small b ON a.k = b.k";
    Result check;
    if (!RunOnce(state, sql, check)) return;
    int64_t expected_sum = 0;
    for (int64_t row = 0; row < db.SmallRows(); ++row) expected_sum += ValueOf(ShuffledKey(row, rows));
    if (check.RowCount() != 1 || AsInt(check.GetValue(0, 0)) != db.SmallRows() ||
        AsInt(check.GetValue(0, 1)) != expected_sum)
        return Fail(state, "count/sum of the join");
    TimeQuery(state, sql, rows);
}

BENCHMARK(BM_Runtime_FilteredSum)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Runtime_FilteredSumShuffled)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Runtime_GroupBy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Runtime_HashJoin)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace grizzly
