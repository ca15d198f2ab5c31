#pragma once
/// The shell driver: one database and connection, the settings that dot
/// commands change, and the loops that feed it input — the interactive
/// line editor, files (-f, .read, ~/.grizzlyrc), -c arguments and stdin.
///
/// Input is processed line by line: a line starting with '.' while no SQL is
/// pending is a dot command; other lines accumulate until the statement
/// splitter sees a top-level ';', and each complete statement runs on its own
/// so that errors carry their own line and column.

#include <cstddef>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"
#include "tools/shell/output_formatter.hpp"

namespace grizzly::shell {

/// Everything the dot commands change.
struct ShellSettings {
    FormatOptions format;             ///< mode, headers, nullvalue (max_rows and max_width are set per result)
    std::optional<size_t> max_rows;   ///< `.maxrows`; nullopt: 40 in interactive box/table output, else all
    bool timer = false;               ///< `.timer`: print real/user/sys time after each statement
    bool explain = false;             ///< `.explain`: run statements as EXPLAIN statement
    bool bail = false;                ///< `.bail`, -bail: stop the current input at the first error
};

/// What processing input asks of the caller.
enum class RunStatus : uint8_t {
    Continue,  ///< the input was processed (possibly with errors)
    Bail,      ///< an error stopped it (bail is on)
    Quit,      ///< `.quit` / `.exit`
};

/// One shell session. Not thread-safe; the SIGINT handler only touches
/// signal-safe flags.
class Shell {
public:
    /// Opens `path`, or an in-memory database when empty. Throws grizzly::Error
    /// when the engine refuses the file.
    explicit Shell(const std::string& path, const grizzly::DatabaseOptions& options = {});
    ~Shell();
    Shell(const Shell&) = delete;
    Shell& operator=(const Shell&) = delete;

    ShellSettings& Settings() { return settings_; }
    grizzly::Connection& Connection() { return *connection_; }
    /// True once any statement or dot command failed (the batch exit status).
    bool AnyFailed() const { return any_failed_; }
    /// True while reading from the terminal: prompts, history, row limits.
    bool Interactive() const { return interactive_; }

    /// Runs the demo schema and data (--demo); false with an error printed on failure.
    bool LoadDemo();
    /// Runs `text` (a -c argument) like the lines of a file.
    RunStatus RunText(std::string_view text);
    /// Runs every line of `in`.
    RunStatus RunStream(std::istream& in);
    /// Runs a file of dot commands and SQL (-f, .read); a missing file is an error.
    RunStatus RunFile(const std::string& path);
    /// Runs ~/.grizzlyrc when it exists.
    RunStatus RunInitFile();
    /// The interactive loop on the terminal, until .quit or Ctrl-D.
    void RunInteractive();

    /*----- used by the dot commands -----*/

    /// Replaces the database with `path` (in memory when empty); on failure
    /// prints the engine's error, keeps the current database and returns false.
    bool OpenDatabase(const std::string& path, bool read_only = false);
    /// Sends results to `path` (stdout when empty); with `once`, for the next
    /// statement only. Returns false with an error printed when it cannot be opened.
    bool RedirectOutput(const std::string& path, bool once);
    /// Where results go now.
    std::ostream& Out();
    /// Runs one SQL statement and prints its result or error. `first_line` is
    /// the line of `sql`'s first line in its input, for error positions;
    /// `source`, when given, is the input text of those lines, shown under
    /// an error instead of `sql` (which blanks out earlier statements on its
    /// first line).
    bool RunStatement(const std::string& sql, int first_line = 1, const std::string* source = nullptr);
    /// Runs `sql` without printing; errors are left in the Result.
    grizzly::Result QueryQuietly(const std::string& sql);
    /// Table and view names (SHOW TABLES), empty when the query fails.
    std::vector<std::string> TableNames();
    /// Column names of `table` (DESCRIBE), empty when the query fails.
    std::vector<std::string> ColumnNames(const std::string& table);
    /// Prints "Error: <message>" to stderr and records the failure.
    void ReportError(std::string_view message);

private:
    struct PendingSql {
        std::string text;    ///< starts at the beginning of a line
        int first_line = 1;  ///< line of text's first line in the input
        /// Input before `text` on its first line (statements already run), which
        /// `text` holds as spaces so that columns stay those of the input.
        std::string prefix;
    };

    RunStatus FeedLine(const std::string& line, int line_number, PendingSql& pending);
    RunStatus FlushPending(PendingSql& pending);
    RunStatus RunStatements(PendingSql& pending, bool at_end);
    void PrintResult(const grizzly::Result& result);
    /// Runs one statement, drawing a progress bar on a terminal when it takes long.
    grizzly::Result RunWithProgress(const std::string& sql);
    void PrintStatementError(const grizzly::Error& error, const std::string& sql, int first_line);
    void FinishOnce();

    ShellSettings settings_;
    std::unique_ptr<grizzly::Database> database_;
    std::string database_path_;  ///< "" for an in-memory database
    std::unique_ptr<grizzly::Connection> connection_;
    std::unique_ptr<std::ofstream> output_file_;
    bool output_once_ = false;
    bool any_failed_ = false;
    bool interactive_ = false;
    int read_depth_ = 0;  ///< nesting of .read, against a file that reads itself
};

/// The word "help" typed as SQL: `HELP`, `help;`, `HELP SELECT`. Sets `topic`.
bool IsHelpCommand(std::string_view line, std::string& topic);

/// Quotes `name` as a SQL identifier when it is not a plain lower-case name.
std::string QuoteIdentifier(std::string_view name);

}  // namespace grizzly::shell
