#pragma once
/// The text of EXPLAIN output (one row per line) for API unit tests.

#include <doctest/doctest.h>

#include <string>

#include "api/api.hpp"

namespace grizzly::testing {

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
