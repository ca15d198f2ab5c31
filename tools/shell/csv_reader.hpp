#pragma once
/// A streaming RFC 4180 CSV reader for `.import`: comma-separated fields,
/// double-quoted fields with "" escapes and embedded newlines, LF or CRLF rows.

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace grizzly::shell {

struct CsvField {
    std::string text;
    bool quoted = false;  ///< written in quotes: "" is an empty string, an unquoted empty field is NULL
};

/// Reads one row at a time from a stream that outlives the reader.
class CsvReader {
public:
    explicit CsvReader(std::istream& in) : in_(in) {}

    /// Reads the next row into `row`; false at the end of input or on an
    /// unterminated quote (then Error() says so).
    bool Next(std::vector<CsvField>& row);
    /// Line on which the row last returned by Next starts (1-based).
    size_t RowLine() const { return row_line_; }
    /// Non-empty when reading stopped at malformed input.
    const std::string& Error() const { return error_; }

private:
    std::istream& in_;
    size_t line_ = 1;
    size_t row_line_ = 0;
    std::string error_;
};

}  // namespace grizzly::shell
