#pragma once
/// Runs parsed sqllogictest scripts against Grizzly through the public API and
/// counts the outcome of every record.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "tests/sqllogictest/slt_parser.hpp"

namespace grizzly::slt {

/// Outcome counts over records (statements and queries; control records such
/// as hash-threshold and halt are not counted).
struct Counts {
    uint64_t passed = 0;
    uint64_t skipped = 0;            ///< not run: skipif/onlyif, or after halt
    uint64_t wrong_results = 0;      ///< wrong rows, or a failure with the wrong SQLSTATE/message
    uint64_t unexpected_errors = 0;  ///< failed (or threw) although it should succeed
    uint64_t missing_errors = 0;     ///< `statement error` that succeeded
    uint64_t malformed = 0;          ///< records the reader could not make sense of

    uint64_t Failed() const { return wrong_results + unexpected_errors + missing_errors + malformed; }
    Counts& operator+=(const Counts& other);
};

/// Settings for a run, shared by every file.
struct RunOptions {
    /// Value of `SET execution_mode`, issued as the first statement of every file.
    std::string mode = "interpret";
    /// Value of `SET threads` for every file; 0 keeps the default (one per core).
    uint64_t threads = 0;
    /// Name matched by skipif/onlyif.
    std::string engine = "grizzly";
    /// Print every failure with file:line, SQL, expected and actual.
    bool verbose = false;
    /// Stop at the first failing record.
    bool fail_fast = false;
};

/// The outcome of one file.
struct FileReport {
    Counts counts;
    /// The file could not be run at all (unreadable, or the execution mode was
    /// refused); `setup_error` says why and `counts` are empty.
    bool setup_failed = false;
    std::string setup_error;
    /// fail_fast stopped the file at a failure; later records were not counted.
    bool stopped = false;
};

/// Runs scripts, each on a fresh in-memory Database with one Connection.
/// Failure details go to `log` (verbose mode only). Not thread-safe.
class Runner {
public:
    Runner(RunOptions options, std::ostream& log);

    /// Reads the whole file into memory, parses it and runs it.
    FileReport RunFile(const std::string& path);
    /// Runs an already parsed script; `path` is only used in messages.
    FileReport RunScript(const Script& script, const std::string& path);

private:
    RunOptions options_;
    std::ostream& log_;
};

}  // namespace grizzly::slt
