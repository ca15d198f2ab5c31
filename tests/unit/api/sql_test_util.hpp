#pragma once
/// Shared by the API unit tests: statements that must succeed or fail, and the
/// text of EXPLAIN output (one row per line).

#include <doctest/doctest.h>

#include <string>

#include "api/api.hpp"

namespace grizzly::testing {

/// Runs SQL that must succeed and returns its result.
inline Result Ok(Connection& con, const std::string& sql) {
    Result r = con.Query(sql);
    INFO("SQL: " << sql);
    INFO(r.ErrorText());
    REQUIRE(r.Ok());
    return r;
}

/// Runs SQL that must fail and returns its SQLSTATE.
inline std::string Fails(Connection& con, const std::string& sql) {
    Result r = con.Query(sql);
    INFO("SQL: " << sql);
    REQUIRE_FALSE(r.Ok());
    return r.GetError().Code();
}

/// The first value of the first row of SQL that must succeed, as BIGINT.
inline int64_t Scalar(Connection& con, const std::string& sql) { return Ok(con, sql).GetValue(0, 0).GetInt64(); }

/// Runs `prefix + sql` (e.g. "EXPLAIN ANALYZE ") and joins the rows with newlines.
inline std::string ExplainText(Connection& con, const std::string& prefix, const std::string& sql) {
    Result r = con.Query(prefix + sql);
    INFO("SQL: " << prefix << sql);
    INFO(r.ErrorText());
    REQUIRE(r.Ok());
    std::string text;
    for (size_t row = 0; row < r.RowCount(); ++row) text += r.GetValue(row, 0).ToString() + "\n";
    return text;
}

inline bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace grizzly::testing
