#pragma once
/// Printing result values the way sqllogictest prescribes, MD5 result hashes,
/// and the comparison of a printed result with a query record's expectation.
/// Nothing here talks to the engine, so all of it is unit-testable.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/value.hpp"
#include "tests/sqllogictest/slt_parser.hpp"

namespace grizzly::slt {

/// Hash threshold used until a script sets one with `hash-threshold`.
inline constexpr int64_t kDefaultHashThreshold = 8;

/// Prints `value` for the column type letter `type_letter` ('I', 'R' or 'T').
/// NULL prints as "NULL" under every letter.
std::string FormatValue(const Value& value, char type_letter);

/// 'I': a plain decimal integer. Doubles and decimals are truncated toward
/// zero, booleans are 1/0, and text is read as SQLite reads it (the leading
/// integer prefix, 0 when there is none).
std::string FormatInteger(const Value& value);
/// 'R': three decimals, ties away from zero, as SQLite's "%.3f" prints.
std::string FormatReal(const Value& value);
/// 'T': the engine's text form; "" prints as "(empty)" and every byte outside
/// printable ASCII as '@'.
std::string FormatText(const Value& value);

/// "%.3f" of `v` with ties rounded away from zero and, like SQLite, at most
/// 16 significant digits (later digits print as 0).
std::string FormatRealNumber(double v);
/// SQLite's text-to-integer conversion: optional leading whitespace and sign,
/// then the longest digit prefix; 0 without digits; clamped on overflow.
int64_t TextToInteger(std::string_view text);
/// SQLite's text-to-real conversion of the longest numeric prefix; 0 without one.
double TextToReal(std::string_view text);

/// Lowercase hex MD5 of every value followed by "\n", in the given order.
std::string Md5OfValues(const std::vector<std::string>& values);
/// The hashed form of a result: "<count> values hashing to <md5>".
std::string HashLine(const std::vector<std::string>& values);
/// True when `line` has the form "<count> values hashing to <32 hex digits>".
bool IsHashLine(std::string_view line);

/// A query result after printing: row-major values, `column_count` per row.
struct PrintedResult {
    size_t column_count = 0;
    std::vector<std::string> values;

    size_t RowCount() const { return column_count == 0 ? 0 : values.size() / column_count; }
};

/// Sorts the values as `mode` asks: rows compared column by column, or all
/// values one by one; both byte-wise, so "10" sorts before "9".
void SortValues(SortMode mode, size_t column_count, std::vector<std::string>& values);

/// The verdict on one query result.
struct QueryCheck {
    bool ok = false;
    std::string reason;  ///< why it failed; empty when ok
};

/// Compares `actual` (printed, not yet sorted) with the expectation of the query
/// `record`. Sorts `actual.values` in place as the record's sort mode asks, so
/// the caller can hash them afterwards for label checks.
///
/// Expected results may be a hash line, one value per line, or (DuckDB style)
/// one row per line with values separated by tabs or spaces; which one is
/// decided by the line count against the actual row and column counts.
QueryCheck CheckQueryResult(const Record& record, PrintedResult& actual);

}  // namespace grizzly::slt
