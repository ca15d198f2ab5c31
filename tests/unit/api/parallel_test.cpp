// Parallel execution as the API exposes it: SET threads, which EXPLAIN ANALYZE
// reports; cancelling a statement from another thread while its workers run;
// SET memory_limit. Results on several workers are checked in tests/sql/parallel/.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "api/api.hpp"
#include "tests/unit/api/sql_test_util.hpp"

using namespace grizzly;

namespace {

using testing::Contains;
using testing::Ok;
using testing::Scalar;

/// The bound on cancel latency: 100 ms, ten times that in sanitizer builds,
/// whose instrumented code runs several times slower (their point is the
/// reports, which stop the run).
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr double kCancelBoundMs = 1000;
#else
constexpr double kCancelBoundMs = 100;
#endif

/// Milliseconds from a cancel request to `sql` returning 57014: the statement
/// runs on another thread and is cancelled once it has run for `after`.
double CancelLatencyMs(Connection& con, const std::string& sql, std::chrono::milliseconds after) {
    Result result;
    std::atomic<bool> finished{false};
    std::chrono::steady_clock::time_point returned;
    std::thread runner([&] {
        result = con.Query(sql);
        returned = std::chrono::steady_clock::now();
        finished = true;
    });
    std::this_thread::sleep_for(after);
    const auto requested = std::chrono::steady_clock::now();
    con.Interrupt();
    runner.join();
    REQUIRE_FALSE(result.Ok());
    CHECK(std::string(result.GetError().Code()) == "57014");
    const double ms = std::chrono::duration<double, std::milli>(returned - requested).count();
    MESSAGE("cancelled after " << ms << " ms");
    return ms;
}

}  // namespace

TEST_CASE("parallel: EXPLAIN ANALYZE names the workers a pipeline ran on") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t AS SELECT i AS x, i % 7 AS y FROM range(100000) r(i)");  // 7 morsels
    for (std::string mode : {"interpret", "jit"}) {
        CAPTURE(mode);
        Ok(con, std::string("SET execution_mode = '") + mode + "'");
        Ok(con, "SET threads = 4");
        std::string text = testing::ExplainText(con, "EXPLAIN ANALYZE ", "SELECT y, sum(x) FROM t GROUP BY y");
        INFO(text);
        CHECK(Contains(text, "Pipeline 0: " + std::string(mode == "interpret" ? "interpreter" : "compiled")));
        CHECK(Contains(text, "; 4 workers"));
        // More workers than morsels: one per morsel.
        Ok(con, "SET threads = 64");
        CHECK(Contains(testing::ExplainText(con, "EXPLAIN ANALYZE ", "SELECT sum(x) FROM t"), "; 7 workers"));
        // One worker: no parallel run to report.
        Ok(con, "SET threads = 1");
        CHECK_FALSE(Contains(testing::ExplainText(con, "EXPLAIN ANALYZE ", "SELECT sum(x) FROM t"), "workers"));
    }
}

TEST_CASE("parallel: a cancelled statement returns within 100 ms and the connection goes on") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE big AS SELECT i AS k FROM range(1000000) r(i)");
    Ok(con, "CREATE TABLE kept AS SELECT 1 AS a");
    // Each probe row matches 1,000 build rows: 10^9 rows, far longer than the test waits.
    const std::string join = "SELECT count(*) FROM big a JOIN big b ON a.k % 1000 = b.k % 1000";
    for (std::string mode : {"interpret", "jit", "adaptive"}) {
        for (std::string threads : {"1", "2", "8"}) {
            CAPTURE(mode);
            CAPTURE(threads);
            Ok(con, std::string("SET execution_mode = '") + mode + "'");
            Ok(con, std::string("SET threads = ") + threads);
            CHECK(CancelLatencyMs(con, join, std::chrono::milliseconds(400)) < kCancelBoundMs);
            // The same with the workers busy in a DML statement: nothing of it is left.
            CHECK(CancelLatencyMs(con, "INSERT INTO kept " + join, std::chrono::milliseconds(400)) < kCancelBoundMs);
            CHECK(Scalar(con, "SELECT count(*) FROM kept") == 1);
            CHECK(Scalar(con, "SELECT count(*) FROM big WHERE k % 2 = 0") == 500000);
        }
    }
}

TEST_CASE("parallel: a statement over memory_limit fails with 53200 and the next one runs") {
    Database db;
    Connection con{db};
    Ok(con, "CREATE TABLE t AS SELECT i AS x FROM range(1000000) r(i)");
    Ok(con, "SET memory_limit = '16MB'");
    for (std::string threads : {"1", "2", "8"}) {
        CAPTURE(threads);
        Ok(con, std::string("SET threads = ") + threads);
        CHECK(testing::Fails(con, "SELECT x FROM t ORDER BY x DESC") == "53200");
        CHECK(Scalar(con, "SELECT count(*) FROM t WHERE x % 3 = 0") == 333334);
    }
    // What a statement counted is given back when it ends: a limit never fills up across statements.
    for (int run = 0; run < 20; ++run)
        CHECK(Scalar(con, "SELECT count(*) FROM (SELECT x FROM t LIMIT 500000) s") == 500000);
    Ok(con, "RESET memory_limit");
    CHECK(Scalar(con, "SELECT x FROM t ORDER BY x DESC LIMIT 1") == 999999);
}
