#pragma once
/// The sqllogictest record reader: turns the text of a `.test` script into a
/// list of records. It knows nothing about the engine, so it can be tested on
/// its own and reused by every execution mode.
///
/// The format is SQLite's (see the corpus README) plus DuckDB's extensions used
/// by our own tests: `statement error <SQLSTATE>`, an expected error message
/// after `----`, and expected rows written one row per line, tab-separated.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace grizzly::slt {

enum class RecordKind : uint8_t {
    Statement,      ///< `statement ok` / `statement error [SQLSTATE]`
    Query,          ///< `query <types> [sortmode] [label]`
    HashThreshold,  ///< `hash-threshold N`
    Halt,           ///< `halt`: stop running the script
    Invalid,        ///< a malformed record; `error` says why. Counted as a failure.
};

enum class SortMode : uint8_t { NoSort, RowSort, ValueSort };

/// A `skipif <engine>` or `onlyif <engine>` line in front of a record.
struct Condition {
    bool only_if = false;
    std::string engine;
};

/// One record of a script. Which fields are meaningful depends on `kind`.
struct Record {
    RecordKind kind = RecordKind::Invalid;
    uint32_t line = 0;  ///< 1-based line of the command (after any conditions)
    std::vector<Condition> conditions;

    /// Statement or query text, lines joined with '\n'.
    std::string sql;

    // ---- statement ----
    bool expect_error = false;
    std::string expected_sqlstate;  ///< empty: any error is accepted
    std::string expected_message;   ///< substring of the message; empty: not checked

    // ---- query ----
    std::string types;  ///< one letter per column: I, R or T
    SortMode sort_mode = SortMode::NoSort;
    std::string label;                        ///< empty when the query has none
    std::vector<std::string> expected_lines;  ///< lines after `----`, verbatim

    // ---- hash-threshold ----
    int64_t hash_threshold = 0;

    // ---- invalid ----
    std::string error;

    /// True for records that count as passed, failed or skipped; control records
    /// (hash-threshold, halt) are not counted.
    bool IsCounted() const {
        return kind == RecordKind::Statement || kind == RecordKind::Query || kind == RecordKind::Invalid;
    }
};

/// A parsed script: every record in file order.
struct Script {
    std::vector<Record> records;
};

/// Parses the full text of a script. Never fails: malformed records become
/// RecordKind::Invalid with a message, so the runner reports them in place.
/// Strips '\r' line endings, drops comment lines (first character '#')
/// wherever they occur, and separates records at blank lines.
Script ParseScript(std::string_view text);

/// Whether `record` runs on the engine named `engine` given its skipif/onlyif
/// conditions; names are compared without regard to case.
bool AppliesTo(const Record& record, std::string_view engine);

/// Splits `line` on whitespace runs (spaces and tabs), dropping empty tokens.
std::vector<std::string_view> SplitWhitespace(std::string_view line);

}  // namespace grizzly::slt
