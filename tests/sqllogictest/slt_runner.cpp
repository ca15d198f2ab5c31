#include "tests/sqllogictest/slt_runner.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <exception>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "api/api.hpp"
#include "tests/sqllogictest/slt_values.hpp"

namespace grizzly::slt {

Counts& Counts::operator+=(const Counts& other) {
    passed += other.passed;
    skipped += other.skipped;
    wrong_results += other.wrong_results;
    unexpected_errors += other.unexpected_errors;
    missing_errors += other.missing_errors;
    malformed += other.malformed;
    return *this;
}

namespace {

// Longest stretch of expected or actual values echoed per failure in verbose mode.
constexpr size_t kMaxEchoedLines = 25;

enum class Outcome : uint8_t { Passed, WrongResult, UnexpectedError, MissingError, Malformed };

struct RecordOutcome {
    Outcome outcome = Outcome::Passed;
    std::string reason;
    // Filled for queries that ran, so a failure report can show both sides.
    bool has_actual = false;
    PrintedResult actual;
};

void Tally(Outcome outcome, Counts& counts) {
    switch (outcome) {
    case Outcome::Passed: ++counts.passed; break;
    case Outcome::WrongResult: ++counts.wrong_results; break;
    case Outcome::UnexpectedError: ++counts.unexpected_errors; break;
    case Outcome::MissingError: ++counts.missing_errors; break;
    case Outcome::Malformed: ++counts.malformed; break;
    }
}

const char* OutcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Passed: return "passed";
    case Outcome::WrongResult: return "wrong result";
    case Outcome::UnexpectedError: return "unexpected error";
    case Outcome::MissingError: return "expected an error";
    case Outcome::Malformed: return "malformed record";
    }
    return "?";
}

void EchoIndented(std::ostream& out, std::string_view text) {
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        out << "    " << text.substr(start, end - start) << '\n';
        start = end + 1;
    }
}

// State of one script run: the connection and what earlier records set up.
class ScriptState {
public:
    ScriptState(Connection& connection, const std::string& path, std::string test_dir, std::ostream& log,
                bool differential)
        : connection_(connection), path_(path), test_dir_(std::move(test_dir)), log_(log), differential_(differential) {}

    // Runs one applicable record and returns how it went. Control records
    // return Passed but are not counted by the caller.
    RecordOutcome Run(const Record& record) {
        switch (record.kind) {
        case RecordKind::HashThreshold: hash_threshold_ = record.hash_threshold; return {};
        case RecordKind::Halt: halted_ = true; return {};
        case RecordKind::Invalid: return RecordOutcome{Outcome::Malformed, record.error, false, {}};
        case RecordKind::Statement: return RunStatement(record);
        case RecordKind::Query: return RunQuery(record);
        }
        return {};
    }

    bool Halted() const { return halted_; }

    void ReportFailure(const Record& record, const RecordOutcome& result) const {
        log_ << path_ << ':' << record.line << ": " << OutcomeName(result.outcome) << ": " << result.reason << '\n';
        if (!record.sql.empty()) EchoIndented(log_, record.sql);
        if (record.kind != RecordKind::Query) return;
        log_ << "  expected:\n";
        if (record.expected_lines.empty()) log_ << "    (no rows)\n";
        for (size_t idx = 0; idx < record.expected_lines.size() && idx < kMaxEchoedLines; ++idx) {
            log_ << "    " << record.expected_lines[idx] << '\n';
        }
        if (record.expected_lines.size() > kMaxEchoedLines) {
            log_ << "    ... " << record.expected_lines.size() - kMaxEchoedLines << " more lines\n";
        }
        if (!result.has_actual) return;
        log_ << "  actual:\n";
        const PrintedResult& actual = result.actual;
        // Show the result in the form the script would have to contain.
        if (hash_threshold_ > 0 && actual.values.size() > static_cast<size_t>(hash_threshold_)) {
            log_ << "    " << HashLine(actual.values) << '\n';
        }
        if (actual.values.empty()) log_ << "    (no rows)\n";
        size_t row_count = actual.RowCount();
        for (size_t row_idx = 0; row_idx < row_count && row_idx < kMaxEchoedLines; ++row_idx) {
            log_ << "    ";
            for (size_t col_idx = 0; col_idx < actual.column_count; ++col_idx) {
                if (col_idx > 0) log_ << '\t';
                log_ << actual.values[row_idx * actual.column_count + col_idx];
            }
            log_ << '\n';
        }
        if (row_count > kMaxEchoedLines) log_ << "    ... " << row_count - kMaxEchoedLines << " more rows\n";
    }

private:
    // __TEST_DIR__ names a scratch folder of this script (files written by COPY TO).
    std::string Substitute(const std::string& sql) const {
        static const std::string kTestDir = "__TEST_DIR__";
        std::string out = sql;
        for (size_t at = out.find(kTestDir); at != std::string::npos; at = out.find(kTestDir, at + test_dir_.size()))
            out.replace(at, kTestDir.size(), test_dir_);
        return out;
    }

    // Results that name the scratch folder are written with __TEST_DIR__ in the script.
    std::string Unsubstitute(std::string value) const {
        for (size_t at = value.find(test_dir_); at != std::string::npos && !test_dir_.empty();
             at = value.find(test_dir_, at + 1))
            value.replace(at, test_dir_.size(), "__TEST_DIR__");
        return value;
    }

    RecordOutcome RunStatement(const Record& record) {
        Result result = connection_.Query(Substitute(record.sql));
        if (!record.expect_error) {
            if (result.Ok()) return {};
            return RecordOutcome{Outcome::UnexpectedError, result.ErrorText(), false, {}};
        }
        if (result.Ok()) return RecordOutcome{Outcome::MissingError, "the statement succeeded", false, {}};
        const Error& error = result.GetError();
        if (!record.expected_sqlstate.empty() && record.expected_sqlstate != error.Code()) {
            return RecordOutcome{Outcome::WrongResult,
                                 "expected SQLSTATE " + record.expected_sqlstate + ", got " + result.ErrorText(),
                                 false,
                                 {}};
        }
        if (!record.expected_message.empty() &&
            error.Message().find(record.expected_message) == std::string::npos &&
            result.ErrorText().find(record.expected_message) == std::string::npos) {
            return RecordOutcome{Outcome::WrongResult,
                                 "expected an error containing '" + record.expected_message + "', got " +
                                     result.ErrorText(),
                                 false,
                                 {}};
        }
        return {};
    }

    PrintedResult Print(const Record& record, const Result& result) const {
        PrintedResult printed;
        printed.column_count = result.ColumnCount();
        if (printed.column_count != record.types.size()) return printed;
        size_t row_count = result.RowCount();
        printed.values.reserve(row_count * printed.column_count);
        for (size_t row_idx = 0; row_idx < row_count; ++row_idx)
            for (size_t col_idx = 0; col_idx < printed.column_count; ++col_idx)
                printed.values.push_back(
                    Unsubstitute(FormatValue(result.GetValue(row_idx, col_idx), record.types[col_idx])));
        return printed;
    }

    // Differential mode: the query again in compiled mode must give the interpreter's
    // answer (in the same order when the record does not sort), or the same error.
    std::string CompareCompiled(const Record& record, const Result& interpreted) {
        connection_.Query("SET execution_mode = 'jit'");
        Result compiled = connection_.Query(Substitute(record.sql));
        connection_.Query("SET execution_mode = 'interpret'");
        if (interpreted.Ok() != compiled.Ok())
            return "differential: the interpreter " + std::string(interpreted.Ok() ? "succeeded" : "failed") +
                   ", compiled code " + (compiled.Ok() ? "succeeded" : "failed: " + compiled.ErrorText());
        if (!compiled.Ok()) {
            if (std::string(compiled.GetError().Code()) == interpreted.GetError().Code()) return "";
            return "differential: the interpreter raised " + interpreted.ErrorText() + ", compiled code " +
                   compiled.ErrorText();
        }
        PrintedResult a = Print(record, interpreted), b = Print(record, compiled);
        SortValues(record.sort_mode, a.column_count, a.values);
        SortValues(record.sort_mode, b.column_count, b.values);
        if (a.column_count != b.column_count || a.values != b.values)
            return "differential: compiled code returned another result than the interpreter";
        return "";
    }

    RecordOutcome RunQuery(const Record& record) {
        Result result = connection_.Query(Substitute(record.sql));
        std::string difference = differential_ ? CompareCompiled(record, result) : "";
        if (!result.Ok()) return RecordOutcome{Outcome::UnexpectedError, result.ErrorText(), false, {}};
        RecordOutcome outcome;
        PrintedResult& actual = outcome.actual;
        actual = Print(record, result);
        outcome.has_actual = actual.column_count == record.types.size();
        if (!difference.empty()) {
            outcome.outcome = Outcome::WrongResult;
            outcome.reason = std::move(difference);
            return outcome;
        }
        QueryCheck check = CheckQueryResult(record, actual);
        if (!check.ok) {
            outcome.outcome = Outcome::WrongResult;
            outcome.reason = std::move(check.reason);
            return outcome;
        }
        if (!record.label.empty()) CheckLabel(record, outcome);
        return outcome;
    }

    // Queries sharing a label are equivalent phrasings of one question. Only
    // results that already matched their own expectation are recorded or
    // checked, so one wrong answer is not reported twice.
    void CheckLabel(const Record& record, RecordOutcome& outcome) {
        std::string hash = Md5OfValues(outcome.actual.values);
        auto [it, inserted] = labels_.try_emplace(record.label, LabelEntry{hash, record.line});
        if (inserted || it->second.hash == hash) return;
        outcome.outcome = Outcome::WrongResult;
        outcome.reason = "result differs from the query labelled '" + record.label + "' at line " +
                         std::to_string(it->second.line);
    }

    struct LabelEntry {
        std::string hash;
        uint32_t line;
    };

    Connection& connection_;
    const std::string& path_;
    std::string test_dir_;
    std::ostream& log_;
    bool differential_;
    int64_t hash_threshold_ = kDefaultHashThreshold;
    bool halted_ = false;
    std::unordered_map<std::string, LabelEntry> labels_;
};

}  // namespace

Runner::Runner(RunOptions options, std::ostream& log) : options_(std::move(options)), log_(log) {}

FileReport Runner::RunFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        FileReport report;
        report.setup_failed = true;
        report.setup_error = "cannot open " + path + ": " + std::strerror(errno);
        return report;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
        FileReport report;
        report.setup_failed = true;
        report.setup_error = "cannot read " + path;
        return report;
    }
    std::string text = std::move(buffer).str();
    return RunScript(ParseScript(text), path);
}

FileReport Runner::RunScript(const Script& script, const std::string& path) {
    FileReport report;
    Database database;
    Connection connection(database);
    // Differential runs everything in the interpreter and each query again compiled.
    bool differential = options_.mode == "differential";
    Result mode_result =
        connection.Query("SET execution_mode = '" + (differential ? std::string("interpret") : options_.mode) + "'");
    // Small test tables would otherwise run interpreted in adaptive mode: compile every pipeline at its first run.
    if (mode_result.Ok()) mode_result = connection.Query("SET jit_above_rows = 0");
    if (!mode_result.Ok()) {
        report.setup_failed = true;
        report.setup_error = path + ": cannot set execution mode '" + options_.mode + "': " + mode_result.ErrorText();
        return report;
    }
    if (options_.threads > 0) {
        Result threads_result = connection.Query("SET threads = " + std::to_string(options_.threads));
        if (!threads_result.Ok()) {
            report.setup_failed = true;
            report.setup_error = path + ": cannot set threads: " + threads_result.ErrorText();
            return report;
        }
    }

    // A fresh scratch folder per script, removed when the script ends.
    namespace fs = std::filesystem;
    static int script_counter = 0;
    fs::path test_dir = fs::temp_directory_path() /
                        ("grizzly_slt_" + std::to_string(::getpid()) + "_" + std::to_string(++script_counter));
    std::error_code ignored;
    fs::create_directories(test_dir, ignored);
    struct RemoveDir {
        fs::path dir;
        ~RemoveDir() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{test_dir};
    ScriptState state(connection, path, test_dir.string(), log_, differential);
    for (const Record& record : script.records) {
        if (state.Halted() || !AppliesTo(record, options_.engine)) {
            if (record.IsCounted()) ++report.counts.skipped;
            continue;
        }
        RecordOutcome result;
        // The API never throws; this guard keeps one engine bug from ending
        // the whole run, and reports it as this record's failure.
        try {
            result = state.Run(record);
        } catch (const std::exception& e) {
            result = RecordOutcome{Outcome::UnexpectedError, std::string("exception: ") + e.what(), false, {}};
        } catch (...) {
            result = RecordOutcome{Outcome::UnexpectedError, "exception of unknown type", false, {}};
        }
        if (!record.IsCounted()) continue;
        Tally(result.outcome, report.counts);
        if (result.outcome == Outcome::Passed) continue;
        if (options_.verbose) state.ReportFailure(record, result);
        if (options_.fail_fast) {
            report.stopped = true;
            break;
        }
    }
    return report;
}

}  // namespace grizzly::slt
