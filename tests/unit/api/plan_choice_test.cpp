// Tests of physical plan choices that depend on table statistics, read from
// EXPLAIN: which side of a SEMI / ANTI join builds the hash table.
#include <doctest/doctest.h>

#include <string>

#include "api/api.hpp"
#include "tests/unit/api/sql_test_util.hpp"

using namespace grizzly;

namespace {

std::string Explain(Connection& con, const std::string& sql) { return testing::ExplainText(con, "EXPLAIN ", sql); }

using testing::Contains;

// A small and a big table, so that estimates pick a side.
void SmallAndBig(Connection& con) {
    REQUIRE(con.Query("CREATE TABLE small AS SELECT i AS k FROM range(10) t(i)").Ok());
    REQUIRE(con.Query("CREATE TABLE big AS SELECT i % 1000 AS k FROM range(20000) t(i)").Ok());
}

}  // namespace

TEST_CASE("plan choice: a semi or anti join builds on its outer side when that side is much smaller") {
    Database db;
    Connection con(db);
    SmallAndBig(con);
    std::string exists = Explain(con, "SELECT * FROM small WHERE EXISTS (SELECT 1 FROM big WHERE big.k = small.k)");
    CHECK(Contains(exists, "HASH_JOIN RIGHT_SEMI"));
    std::string not_exists =
        Explain(con, "SELECT * FROM small WHERE NOT EXISTS (SELECT 1 FROM big WHERE big.k = small.k)");
    CHECK(Contains(not_exists, "HASH_JOIN RIGHT_ANTI"));
    // The other way round, the inner side builds as usual.
    std::string reversed = Explain(con, "SELECT * FROM big WHERE EXISTS (SELECT 1 FROM small WHERE big.k = small.k)");
    CHECK(Contains(reversed, "HASH_JOIN SEMI"));
    CHECK_FALSE(Contains(reversed, "RIGHT_SEMI"));
}

TEST_CASE("plan choice: a LEFT JOIN with a small preserved side builds on that side") {
    Database db;
    Connection con(db);
    SmallAndBig(con);
    std::string left = Explain(con, "SELECT * FROM small LEFT JOIN big ON small.k = big.k");
    CHECK(Contains(left, "HASH_JOIN RIGHT"));
    std::string reversed = Explain(con, "SELECT * FROM big LEFT JOIN small ON small.k = big.k");
    CHECK(Contains(reversed, "HASH_JOIN LEFT"));
}
