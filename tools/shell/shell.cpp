#include "tools/shell/shell.hpp"

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cctype>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>

#include "tools/shell/completion.hpp"
#include "tools/shell/demo_data.hpp"
#include "tools/shell/dot_commands.hpp"
#include "tools/shell/help.hpp"
#include "tools/shell/line_editor.hpp"
#include "tools/shell/statement_splitter.hpp"

namespace grizzly::shell {

namespace {

// Rows shown in interactive box and table output unless `.maxrows` says otherwise.
constexpr size_t kInteractiveMaxRows = 40;
// Deepest nesting of .read, so a file that reads itself fails instead of overflowing the stack.
constexpr int kMaxReadDepth = 16;

bool IsBlank(std::string_view text) {
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string_view TrimLeft(std::string_view text) {
    size_t start = 0;
    while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
    return text.substr(start);
}

size_t CodePoints(std::string_view text) {
    size_t count = 0;
    for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return count;
}

bool StartsWithWord(std::string_view text, std::string_view word) {
    text = TrimLeft(text);
    if (text.size() < word.size()) return false;
    for (size_t pos = 0; pos < word.size(); ++pos)
        if (std::toupper(static_cast<unsigned char>(text[pos])) != word[pos]) return false;
    return text.size() == word.size() || !std::isalnum(static_cast<unsigned char>(text[word.size()]));
}

size_t TerminalWidth() {
    winsize size = {};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 0;
}

double Seconds(const timeval& time) { return static_cast<double>(time.tv_sec) + time.tv_usec / 1e6; }

std::string HomePath(const char* file) {
    const char* home = std::getenv("HOME");
    return std::string(home ? home : ".") + "/" + file;
}

}  // namespace

Shell::Shell(const std::string& path, const grizzly::DatabaseOptions& options)
    : database_(std::make_unique<grizzly::Database>(path, options)),
      connection_(std::make_unique<grizzly::Connection>(*database_)) {}

Shell::~Shell() = default;

bool Shell::LoadDemo() {
    grizzly::Result result = connection_->Query(kDemoSql);
    if (result.Ok()) return true;
    ReportError(result.ErrorText());
    return false;
}

RunStatus Shell::RunText(std::string_view text) {
    std::istringstream in{std::string(text)};
    return RunStream(in);
}

RunStatus Shell::RunStream(std::istream& in) {
    PendingSql pending;
    std::string line;
    int line_number = 0;
    while (std::getline(in, line)) {
        RunStatus status = FeedLine(line, ++line_number, pending);
        if (status != RunStatus::Continue) return status;
    }
    return FlushPending(pending);
}

RunStatus Shell::RunFile(const std::string& path) {
    if (read_depth_ >= kMaxReadDepth) {
        ReportError("cannot read \"" + path + "\": files nested more than " + std::to_string(kMaxReadDepth) +
                    " deep");
        return settings_.bail ? RunStatus::Bail : RunStatus::Continue;
    }
    std::ifstream in(path);
    if (!in) {
        ReportError("cannot open file \"" + path + "\"");
        return settings_.bail ? RunStatus::Bail : RunStatus::Continue;
    }
    ++read_depth_;
    RunStatus status = RunStream(in);
    --read_depth_;
    return status;
}

RunStatus Shell::RunInitFile() {
    std::string path = HomePath(".grizzlyrc");
    if (access(path.c_str(), R_OK) != 0) return RunStatus::Continue;
    return RunFile(path);
}

void Shell::RunInteractive() {
    interactive_ = true;
    LineEditor editor(HomePath(".grizzly_history"));
    InstallCompletion([this] {
        CompletionCatalog catalog;
        catalog.tables = TableNames();
        for (const std::string& table : catalog.tables)
            for (std::string& column : ColumnNames(table)) catalog.columns.push_back(std::move(column));
        return catalog;
    });
    std::cout << "Grizzly " << GRIZZLY_VERSION
              << " — SQL ends with ';'. .help for commands, HELP for SQL, Ctrl-D to quit.\n";
    PendingSql pending;
    std::string entry;  // the lines of the statement being typed, for the history
    int line_number = 0;
    while (true) {
        std::string line;
        ReadStatus read = editor.ReadLine(pending.text.empty() ? "grizzly> " : "    ...> ", line);
        if (read == ReadStatus::EndOfInput) {
            std::cout << '\n';
            break;
        }
        if (read == ReadStatus::Interrupted) {
            pending = PendingSql();
            entry.clear();
            continue;
        }
        // A line with "--" keeps its newline in the history; others join with a
        // space so that the entry recalls as one editable line.
        if (!IsBlank(line)) entry += entry.empty() ? line : ((entry.find("--") != std::string::npos ? "\n" : " ") + line);
        RunStatus status = FeedLine(line, ++line_number, pending);
        if (pending.text.empty() && !entry.empty()) {
            editor.AddHistory(entry);
            entry.clear();
        }
        if (status == RunStatus::Quit) break;
    }
    interactive_ = false;
}

RunStatus Shell::FeedLine(const std::string& line, int line_number, PendingSql& pending) {
    if (pending.text.empty()) {
        std::string_view trimmed = TrimLeft(line);
        if (!trimmed.empty() && trimmed[0] == '.') {
            std::cout.flush();
            switch (RunDotCommand(*this, trimmed)) {
            case DotResult::Ok: return RunStatus::Continue;
            case DotResult::Quit: return RunStatus::Quit;
            case DotResult::Error: return settings_.bail ? RunStatus::Bail : RunStatus::Continue;
            }
        }
        std::string topic;
        if (IsHelpCommand(trimmed, topic)) {
            std::string text;
            if (topic.empty()) text = StatementsHelp();
            else if (!TopicHelp(topic, text)) {
                ReportError("no help for \"" + topic + "\"; HELP lists the statements, .help functions the functions");
                return settings_.bail ? RunStatus::Bail : RunStatus::Continue;
            }
            Out() << text;
            return RunStatus::Continue;
        }
        if (IsBlank(line)) return RunStatus::Continue;
        pending.first_line = line_number;
    }
    pending.text += line;
    pending.text += '\n';
    return RunStatements(pending, false);
}

RunStatus Shell::FlushPending(PendingSql& pending) {
    if (IsBlank(pending.text)) return RunStatus::Continue;
    return RunStatements(pending, true);
}

RunStatus Shell::RunStatements(PendingSql& pending, bool at_end) {
    std::string rest;
    // At the end of input a statement may lack its ';', as in `-c "SELECT 1"`.
    std::string text = at_end ? pending.text + ";" : pending.text;
    std::vector<SplitStatement> statements = SplitStatements(text, rest, pending.first_line);
    if (at_end && statements.empty()) statements.push_back({pending.text, pending.first_line});
    size_t search_from = 0;
    RunStatus status = RunStatus::Continue;
    for (const SplitStatement& statement : statements) {
        // Re-create the statement's position in its lines: leading blank lines are
        // dropped and text before it on its first line becomes spaces, so that the
        // engine's line and column match the input.
        size_t start = text.find(statement.text, search_from);
        if (start == std::string::npos) start = search_from;
        size_t end = start + statement.text.size();
        search_from = end;
        size_t first = text.find_first_not_of(" \t\r\n", start);
        size_t line_start = first == 0 || first == std::string::npos ? 0 : text.rfind('\n', first - 1) + 1;
        std::string source = text.substr(line_start, end - std::min(line_start, end));
        std::string sql = line_start >= start
                              ? source
                              : std::string(CodePoints(std::string_view(text).substr(line_start, start - line_start)),
                                            ' ') +
                                    statement.text;
        size_t blanked = CodePoints(pending.prefix);
        if (line_start == 0 && !pending.prefix.empty() && source.size() >= blanked)
            source = pending.prefix + source.substr(blanked);
        if (!RunStatement(sql, statement.first_line, &source) && settings_.bail) {
            status = RunStatus::Bail;
            break;
        }
    }
    if (at_end || status != RunStatus::Continue || IsBlank(rest)) {
        pending = PendingSql();
        return status;
    }
    // Keep the unfinished statement, starting at its own line.
    size_t consumed = pending.text.size() - rest.size();
    size_t newline = consumed == 0 ? std::string::npos : pending.text.rfind('\n', consumed - 1);
    size_t line_start = newline == std::string::npos ? 0 : newline + 1;
    int lines_before = 0;
    for (size_t pos = 0; pos < line_start; ++pos) lines_before += pending.text[pos] == '\n';
    std::string kept = std::string(CodePoints(std::string_view(pending.text).substr(line_start, consumed - line_start)),
                                   ' ') +
                       rest;
    std::string prefix = pending.text.substr(line_start, consumed - line_start);
    if (line_start == 0) prefix = pending.prefix + prefix.substr(std::min(prefix.size(), CodePoints(pending.prefix)));
    pending.first_line += lines_before;
    pending.text = std::move(kept);
    pending.prefix = std::move(prefix);
    return status;
}

bool Shell::RunStatement(const std::string& sql, int first_line, const std::string* source) {
    std::string text = sql;
    std::string shown = source ? *source : sql;
    if (settings_.explain && !StartsWithWord(sql, "EXPLAIN")) {
        // On a line of its own, so that error positions stay those of the input.
        text = "EXPLAIN\n" + sql;
        shown = "EXPLAIN\n" + shown;
        --first_line;
    }
    rusage usage_before = {};
    getrusage(RUSAGE_SELF, &usage_before);
    auto started = std::chrono::steady_clock::now();
    SetStatementRunning(interactive_ ? connection_.get() : nullptr);
    grizzly::Result result = RunWithProgress(text);
    SetStatementRunning(nullptr);
    auto finished = std::chrono::steady_clock::now();
    rusage usage_after = {};
    getrusage(RUSAGE_SELF, &usage_after);

    bool ok = result.Ok();
    if (ok) PrintResult(result);
    else PrintStatementError(result.GetError(), shown, first_line);
    if (settings_.timer) {
        char line[128];
        std::snprintf(line, sizeof(line), "Run Time: real %.3f user %f sys %f\n",
                      std::chrono::duration<double>(finished - started).count(),
                      Seconds(usage_after.ru_utime) - Seconds(usage_before.ru_utime),
                      Seconds(usage_after.ru_stime) - Seconds(usage_before.ru_stime));
        Out() << line;
    }
    Out().flush();
    FinishOnce();
    return ok;
}

grizzly::Result Shell::RunWithProgress(const std::string& sql) {
    // A bar on stderr only for a person watching a terminal, and only once a
    // statement has run for a second; the statement runs on a worker thread
    // while this one polls the engine's progress.
    if (!interactive_ || !isatty(STDERR_FILENO)) return connection_->Query(sql);
    grizzly::Result result;
    std::atomic<bool> done{false};
    std::thread worker([&] {
        result = connection_->Query(sql);
        done.store(true);
    });
    auto started = std::chrono::steady_clock::now();
    bool drawn = false;
    while (!done.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (done.load() || std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) continue;
        double progress = connection_->Progress();
        if (progress < 0) continue;
        const int width = 40;
        int filled = static_cast<int>(progress * width);
        std::string bar = "\r[" + std::string(static_cast<size_t>(filled), '#') +
                          std::string(static_cast<size_t>(width - filled), ' ') + "] " +
                          std::to_string(static_cast<int>(progress * 100)) + "%";
        std::cerr << bar << std::flush;
        drawn = true;
    }
    worker.join();
    if (drawn) std::cerr << "\r\033[K" << std::flush;  // erase the bar
    return result;
}

void Shell::PrintResult(const grizzly::Result& result) {
    FormatOptions options = settings_.format;
    bool framed = options.mode == OutputMode::Box || options.mode == OutputMode::Table ||
                  options.mode == OutputMode::Markdown;
    bool to_terminal = output_file_ == nullptr && isatty(STDOUT_FILENO);
    options.max_rows = settings_.max_rows ? *settings_.max_rows : (interactive_ && to_terminal && framed ? kInteractiveMaxRows : 0);
    options.max_width = to_terminal && options.mode != OutputMode::Markdown ? TerminalWidth() : 0;
    // TODO(shell): .browse, a full-screen pager over results, plugs in here.
    WriteTable(ResultSource(result), options, Out());
}

void Shell::PrintStatementError(const grizzly::Error& error, const std::string& sql, int first_line) {
    std::cout.flush();
    std::cerr << "Error: " << error.Message() << " (SQLSTATE " << error.Code() << ")";
    if (error.Pos().Known()) {
        std::cerr << " at line " << (static_cast<int>(error.Pos().line) + first_line - 1) << ", column "
                  << error.Pos().column << "\n";
        std::istringstream lines(sql);
        std::string line;
        for (uint32_t line_idx = 1; std::getline(lines, line); ++line_idx) {
            if (line_idx != error.Pos().line) continue;
            std::cerr << "  " << line << "\n  " << std::string(error.Pos().column > 0 ? error.Pos().column - 1 : 0, ' ')
                      << "^";
            break;
        }
    }
    std::cerr << std::endl;
    any_failed_ = true;
}

void Shell::ReportError(std::string_view message) {
    std::cout.flush();
    if (message.rfind("Error: ", 0) == 0) std::cerr << message << std::endl;
    else std::cerr << "Error: " << message << std::endl;
    any_failed_ = true;
}

bool Shell::OpenDatabase(const std::string& path, bool read_only) {
    // Reopening the open file: close it first, since a file has one writer at a time.
    if (!path.empty() && path == database_path_) {
        connection_.reset();
        database_.reset();
        database_path_.clear();
    }
    try {
        grizzly::DatabaseOptions options;
        options.read_only = read_only;
        auto database = std::make_unique<grizzly::Database>(path, options);
        auto connection = std::make_unique<grizzly::Connection>(*database);
        connection_ = std::move(connection);
        database_ = std::move(database);
        database_path_ = path;
        return true;
    } catch (const grizzly::Error& error) {
        ReportError(std::string(error.Message()) + " (SQLSTATE " + std::string(error.Code()) + ")");
        if (!database_) {
            // Still a database to work with, as after starting without a file.
            database_ = std::make_unique<grizzly::Database>();
            connection_ = std::make_unique<grizzly::Connection>(*database_);
        }
        return false;
    }
}

bool Shell::RedirectOutput(const std::string& path, bool once) {
    output_file_.reset();
    output_once_ = false;
    if (path.empty() || path == "stdout") return true;
    auto file = std::make_unique<std::ofstream>(path, std::ios::out | std::ios::trunc);
    if (!*file) {
        ReportError("cannot open \"" + path + "\" for writing");
        return false;
    }
    output_file_ = std::move(file);
    output_once_ = once;
    return true;
}

std::ostream& Shell::Out() { return output_file_ ? *output_file_ : std::cout; }

void Shell::FinishOnce() {
    if (output_once_) {
        output_file_.reset();
        output_once_ = false;
    }
}

grizzly::Result Shell::QueryQuietly(const std::string& sql) { return connection_->Query(sql); }

std::vector<std::string> Shell::TableNames() {
    std::vector<std::string> names;
    grizzly::Result result = connection_->Query("SHOW TABLES");
    if (!result.Ok() || result.ColumnCount() == 0) return names;
    for (size_t row_idx = 0; row_idx < result.RowCount(); ++row_idx)
        if (!result.IsNull(row_idx, 0)) names.push_back(result.GetValue(row_idx, 0).ToString());
    return names;
}

std::vector<std::string> Shell::ColumnNames(const std::string& table) {
    std::vector<std::string> names;
    grizzly::Result result = connection_->Query("DESCRIBE " + QuoteIdentifier(table));
    if (!result.Ok() || result.ColumnCount() == 0) return names;
    for (size_t row_idx = 0; row_idx < result.RowCount(); ++row_idx)
        if (!result.IsNull(row_idx, 0)) names.push_back(result.GetValue(row_idx, 0).ToString());
    return names;
}

bool IsHelpCommand(std::string_view line, std::string& topic) {
    if (!StartsWithWord(line, "HELP")) return false;
    std::string_view rest = TrimLeft(TrimLeft(line).substr(4));
    while (!rest.empty() && (std::isspace(static_cast<unsigned char>(rest.back())) || rest.back() == ';'))
        rest.remove_suffix(1);
    topic = std::string(rest);
    return true;
}

std::string QuoteIdentifier(std::string_view name) {
    bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
    for (char c : name)
        plain &= std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    if (plain && !IsSqlKeyword(name)) return std::string(name);
    std::string quoted = "\"";
    for (char c : name) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

}  // namespace grizzly::shell
