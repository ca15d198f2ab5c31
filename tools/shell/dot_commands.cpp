#include "tools/shell/dot_commands.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iostream>

#include "tools/shell/browser.hpp"
#include "tools/shell/csv_reader.hpp"
#include "tools/shell/help.hpp"
#include "tools/shell/line_editor.hpp"
#include "tools/shell/shell.hpp"

namespace grizzly::shell {

namespace {

// Rows per INSERT statement written by .import: large enough to amortize
// parsing, small enough to keep one statement's text a few hundred kilobytes.
constexpr size_t kImportBatchRows = 1000;

using Args = std::vector<std::string>;
using Handler = DotResult (*)(Shell&, const Args&);
// For commands whose argument is SQL: the text after the command name, as
// typed (trimmed, without a trailing ';'), since splitting into words would
// drop the quotes of string literals.
using TextHandler = DotResult (*)(Shell&, std::string_view);

DotResult UsageError(Shell& shell, std::string_view name);

bool ParseOnOff(const std::string& word, bool& out) {
    std::string lower = word;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "on" || lower == "1" || lower == "yes" || lower == "true") out = true;
    else if (lower == "off" || lower == "0" || lower == "no" || lower == "false") out = false;
    else return false;
    return true;
}

DotResult SetFlag(Shell& shell, const Args& args, std::string_view name, bool& flag) {
    if (args.size() != 2 || !ParseOnOff(args[1], flag)) return UsageError(shell, name);
    return DotResult::Ok;
}

std::string SqlString(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

std::string Lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/*----- one handler per command -----*/

DotResult Bail(Shell& shell, const Args& args) { return SetFlag(shell, args, ".bail", shell.Settings().bail); }

DotResult Headers(Shell& shell, const Args& args) {
    return SetFlag(shell, args, ".headers", shell.Settings().format.headers);
}

DotResult Timer(Shell& shell, const Args& args) { return SetFlag(shell, args, ".timer", shell.Settings().timer); }

DotResult Explain(Shell& shell, const Args& args) {
    if (args.size() == 1) {
        shell.Settings().explain = !shell.Settings().explain;
        shell.Out() << "explain " << (shell.Settings().explain ? "on" : "off") << "\n";
        return DotResult::Ok;
    }
    return SetFlag(shell, args, ".explain", shell.Settings().explain);
}

DotResult Quit(Shell& shell, const Args& args) {
    if (args.size() != 1) return UsageError(shell, args[0]);
    return DotResult::Quit;
}

DotResult Help(Shell& shell, const Args& args) {
    if (args.size() == 1) {
        shell.Out() << DotCommandsHelp();
        return DotResult::Ok;
    }
    std::string topic;
    for (size_t arg_idx = 1; arg_idx < args.size(); ++arg_idx) topic += (arg_idx > 1 ? " " : "") + args[arg_idx];
    std::string text;
    if (!TopicHelp(topic, text)) {
        shell.ReportError("no help for \"" + topic + "\"; .help sql lists the statements, .help functions the functions");
        return DotResult::Error;
    }
    shell.Out() << text;
    return DotResult::Ok;
}

DotResult Mode(Shell& shell, const Args& args) {
    if (args.size() == 1) {
        shell.Out() << "current output mode: " << OutputModeName(shell.Settings().format.mode) << "\n";
        return DotResult::Ok;
    }
    if (args.size() != 2 || !ParseOutputMode(Lower(args[1]), shell.Settings().format.mode))
        return UsageError(shell, ".mode");
    return DotResult::Ok;
}

DotResult NullValue(Shell& shell, const Args& args) {
    if (args.size() != 2) return UsageError(shell, ".nullvalue");
    shell.Settings().format.null_value = args[1];
    return DotResult::Ok;
}

DotResult MaxRows(Shell& shell, const Args& args) {
    size_t rows = 0;
    if (args.size() != 2) return UsageError(shell, ".maxrows");
    const std::string& text = args[1];
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), rows);
    if (error != std::errc() || end != text.data() + text.size()) return UsageError(shell, ".maxrows");
    shell.Settings().max_rows = rows;
    return DotResult::Ok;
}

DotResult Open(Shell& shell, const Args& args) {
    bool read_only = args.size() >= 2 && args[1] == "--readonly";
    size_t first = read_only ? 2 : 1;
    if (args.size() > first + 1) return UsageError(shell, ".open");
    return shell.OpenDatabase(args.size() == first + 1 ? args[first] : "", read_only) ? DotResult::Ok
                                                                                       : DotResult::Error;
}

DotResult Read(Shell& shell, const Args& args) {
    if (args.size() != 2) return UsageError(shell, ".read");
    bool failed_before = shell.AnyFailed();
    RunStatus status = shell.RunFile(args[1]);
    if (status == RunStatus::Quit) return DotResult::Quit;
    // Errors inside the file were reported there; Error only passes bail on.
    return status == RunStatus::Bail || (!failed_before && shell.AnyFailed() && shell.Settings().bail)
               ? DotResult::Error
               : DotResult::Ok;
}

DotResult Output(Shell& shell, const Args& args) {
    if (args.size() > 2) return UsageError(shell, ".output");
    return shell.RedirectOutput(args.size() == 2 ? args[1] : "", false) ? DotResult::Ok : DotResult::Error;
}

DotResult Once(Shell& shell, const Args& args) {
    if (args.size() != 2) return UsageError(shell, ".once");
    return shell.RedirectOutput(args[1], true) ? DotResult::Ok : DotResult::Error;
}

DotResult Tables(Shell& shell, const Args& args) {
    if (args.size() != 1) return UsageError(shell, ".tables");
    grizzly::Result result = shell.QueryQuietly("SHOW TABLES");
    if (!result.Ok()) {
        shell.ReportError(result.ErrorText());
        return DotResult::Error;
    }
    for (const std::string& name : shell.TableNames()) shell.Out() << name << "\n";
    return DotResult::Ok;
}

// CREATE TABLE text rebuilt from DESCRIBE: types, NOT NULL, single-column
// PRIMARY KEY and UNIQUE, DEFAULT. DESCRIBE does not report CHECK, foreign keys
// or multi-column keys, and does not tell views from tables, so neither can this.
// TODO(shell): print the stored statement once the catalog exposes it.
bool WriteSchema(Shell& shell, const std::string& table) {
    grizzly::Result result = shell.QueryQuietly("DESCRIBE " + QuoteIdentifier(table));
    if (!result.Ok()) {
        shell.ReportError(result.ErrorText());
        return false;
    }
    auto text = [&](size_t row_idx, size_t col_idx) {
        return result.IsNull(row_idx, col_idx) ? std::string() : result.GetValue(row_idx, col_idx).ToString();
    };
    std::string sql = "CREATE TABLE " + QuoteIdentifier(table) + " (";
    for (size_t row_idx = 0; row_idx < result.RowCount(); ++row_idx) {
        sql += row_idx == 0 ? "\n    " : ",\n    ";
        sql += QuoteIdentifier(text(row_idx, 0)) + " " + text(row_idx, 1);
        std::string key = text(row_idx, 3);
        if (key == "PRI") sql += " PRIMARY KEY";
        else if (text(row_idx, 2) == "NO") sql += " NOT NULL";
        if (key == "UNI") sql += " UNIQUE";
        std::string default_value = text(row_idx, 4);
        if (!default_value.empty()) sql += " DEFAULT " + default_value;
    }
    shell.Out() << sql << "\n);\n";
    return true;
}

DotResult Schema(Shell& shell, const Args& args) {
    if (args.size() > 2) return UsageError(shell, ".schema");
    if (args.size() == 2) return WriteSchema(shell, args[1]) ? DotResult::Ok : DotResult::Error;
    for (const std::string& table : shell.TableNames())
        if (!WriteSchema(shell, table)) return DotResult::Error;
    return DotResult::Ok;
}

DotResult Import(Shell& shell, const Args& args) {
    if (args.size() != 3) return UsageError(shell, ".import");
    const std::string& path = args[1];
    const std::string& table = args[2];
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        shell.ReportError("cannot open file \"" + path + "\"");
        return DotResult::Error;
    }
    CsvReader reader(in);
    std::vector<CsvField> header;
    if (!reader.Next(header)) {
        shell.ReportError(path + ": " + (reader.Error().empty() ? "empty file, expected a header row" : reader.Error()));
        return DotResult::Error;
    }
    std::vector<std::string> tables = shell.TableNames();
    bool exists = std::any_of(tables.begin(), tables.end(),
                              [&](const std::string& name) { return Lower(name) == Lower(table); });
    if (!exists) {
        std::string create = "CREATE TABLE " + QuoteIdentifier(table) + " (";
        for (size_t col_idx = 0; col_idx < header.size(); ++col_idx) {
            std::string name = header[col_idx].text.empty() ? "column" + std::to_string(col_idx + 1) : header[col_idx].text;
            create += (col_idx > 0 ? ", " : "") + QuoteIdentifier(name) + " VARCHAR";
        }
        if (!shell.RunStatement(create + ")")) return DotResult::Error;
    }
    // Statements are built per batch; a failing batch stops the import and the
    // rows of earlier batches stay (there is no way yet to tell whether the user
    // already opened a transaction, so none is opened here).
    std::string insert_prefix = "INSERT INTO " + QuoteIdentifier(table) + " VALUES\n";
    std::string batch;
    size_t batch_rows = 0, imported = 0;
    auto flush = [&] {
        if (batch_rows == 0) return true;
        grizzly::Result result = shell.QueryQuietly(insert_prefix + batch);
        if (!result.Ok()) {
            shell.ReportError(result.GetError().Message() + " (SQLSTATE " + std::string(result.GetError().Code()) +
                              ") while importing " + path + " into " + table + "; " + std::to_string(imported) +
                              " rows were imported");
            return false;
        }
        imported += batch_rows;
        batch.clear();
        batch_rows = 0;
        return true;
    };
    std::vector<CsvField> row;
    while (reader.Next(row)) {
        if (row.size() == 1 && row[0].text.empty() && !row[0].quoted) continue;  // blank line
        if (row.size() != header.size()) {
            shell.ReportError(path + " line " + std::to_string(reader.RowLine()) + ": expected " +
                              std::to_string(header.size()) + " fields, found " + std::to_string(row.size()) + "; " +
                              std::to_string(imported) + " rows were imported");
            return DotResult::Error;
        }
        batch += batch_rows == 0 ? "(" : ",\n(";
        for (size_t col_idx = 0; col_idx < row.size(); ++col_idx) {
            if (col_idx > 0) batch += ", ";
            // An empty unquoted field is NULL; "" is the empty string.
            batch += row[col_idx].text.empty() && !row[col_idx].quoted ? "NULL" : SqlString(row[col_idx].text);
        }
        batch += ")";
        if (++batch_rows == kImportBatchRows && !flush()) return DotResult::Error;
    }
    if (!reader.Error().empty()) {
        shell.ReportError(path + ": " + reader.Error() + "; " + std::to_string(imported) + " rows were imported");
        return DotResult::Error;
    }
    return flush() ? DotResult::Ok : DotResult::Error;
}

DotResult Browse(Shell& shell, std::string_view argument) {
    if (argument.empty()) return UsageError(shell, ".browse");
    if (!CanBrowse()) {
        shell.ReportError(".browse needs a terminal: stdin and stdout must both be one");
        return DotResult::Error;
    }
    // Interruptible with Ctrl-C like any statement (the line editor's handler).
    SetStatementRunning(shell.Interactive() ? &shell.Connection() : nullptr);
    grizzly::Result result = shell.QueryQuietly(BrowseQuery(argument));
    SetStatementRunning(nullptr);
    if (!result.Ok()) {
        // Without the position: it would point into the SELECT built for a table name.
        shell.ReportError(result.GetError().Message() + " (SQLSTATE " + std::string(result.GetError().Code()) + ")");
        return DotResult::Error;
    }
    if (result.ColumnCount() == 0) {
        shell.ReportError(".browse: the statement ran but returned no table to show");
        return DotResult::Error;
    }
    // Browse has restored the terminal by the time anything reaches here; a
    // cell that cannot be converted fails this command, not the whole shell.
    try {
        grizzly::shell::Browse(ResultSource(result));
    } catch (const grizzly::Error& error) {
        shell.ReportError(".browse: " + error.Message() + " (SQLSTATE " + std::string(error.Code()) + ")");
        return DotResult::Error;
    } catch (const std::exception& error) {
        shell.ReportError(std::string(".browse: ") + error.what());
        return DotResult::Error;
    }
    return DotResult::Ok;
}

struct DotCommand {
    DotCommandInfo info;
    Handler handler;
    TextHandler text_handler = nullptr;  ///< set instead of `handler` for commands taking SQL
};

const std::vector<DotCommand>& Commands() {
    using AK = ArgumentKind;
    static const std::vector<DotCommand> commands = {
        {{".bail", ".bail on|off", "stop at the first error", AK::OnOff, AK::None}, Bail},
        {{".browse", ".browse TABLE|QUERY",
          "browse a table or query full-screen (arrows, PgUp/PgDn, / search, q quits)", AK::Query, AK::None},
         nullptr, Browse},
        {{".exit", ".exit", "leave the shell", AK::None, AK::None}, Quit},
        {{".explain", ".explain [on|off]", "run each statement as EXPLAIN (no argument: toggle)", AK::OnOff, AK::None},
         Explain},
        {{".headers", ".headers on|off", "show column names", AK::OnOff, AK::None}, Headers},
        {{".help", ".help [sql|functions|TOPIC]", "this list, the SQL statements, or one topic with an example",
          AK::HelpTopic, AK::None},
         Help},
        {{".import", ".import FILE TABLE", "load a CSV file with a header row (creates TABLE with VARCHAR columns)",
          AK::File, AK::Table},
         Import},
        {{".maxrows", ".maxrows N", "rows shown in box, table and markdown output (0: all)", AK::None, AK::None},
         MaxRows},
        {{".mode", ".mode box|table|csv|tsv|json|jsonl|markdown|line", "output format", AK::Mode, AK::None}, Mode},
        {{".nullvalue", ".nullvalue TEXT", "text shown for NULL", AK::None, AK::None}, NullValue},
        {{".once", ".once FILE", "write the next result to FILE", AK::File, AK::None}, Once},
        {{".open", ".open [--readonly] [FILE]", "open a database file (none: a new in-memory database)", AK::File, AK::None},
         Open},
        {{".output", ".output [FILE]", "write results to FILE (none: back to the terminal)", AK::File, AK::None},
         Output},
        {{".quit", ".quit", "leave the shell", AK::None, AK::None}, Quit},
        {{".read", ".read FILE", "run the SQL and dot commands in FILE", AK::File, AK::None}, Read},
        {{".schema", ".schema [TABLE]", "show CREATE TABLE statements", AK::Table, AK::None}, Schema},
        {{".tables", ".tables", "list tables and views", AK::None, AK::None}, Tables},
        {{".timer", ".timer on|off", "print real, user and sys seconds after each statement", AK::OnOff, AK::None},
         Timer},
    };
    return commands;
}

DotResult UsageError(Shell& shell, std::string_view name) {
    for (const DotCommand& command : Commands()) {
        if (command.info.name == name) {
            shell.ReportError("usage: " + std::string(command.info.usage));
            return DotResult::Error;
        }
    }
    shell.ReportError("wrong arguments for " + std::string(name));
    return DotResult::Error;
}

}  // namespace

const std::vector<DotCommandInfo>& DotCommandTable() {
    static const std::vector<DotCommandInfo> table = [] {
        std::vector<DotCommandInfo> out;
        for (const DotCommand& command : Commands()) out.push_back(command.info);
        return out;
    }();
    return table;
}

std::vector<std::string> SplitDotCommand(std::string_view line) {
    std::vector<std::string> words;
    size_t pos = 0;
    while (true) {
        while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
        if (pos >= line.size()) break;
        std::string word;
        if (line[pos] == '\'' || line[pos] == '"') {
            char quote = line[pos++];
            while (pos < line.size() && line[pos] != quote) word += line[pos++];
            ++pos;
        } else {
            while (pos < line.size() && !std::isspace(static_cast<unsigned char>(line[pos]))) word += line[pos++];
        }
        words.push_back(std::move(word));
    }
    return words;
}

DotResult RunDotCommand(Shell& shell, std::string_view line) {
    Args args = SplitDotCommand(line);
    if (args.empty()) return DotResult::Ok;
    for (const DotCommand& command : Commands()) {
        if (command.info.name != args[0]) continue;
        if (command.text_handler == nullptr) return command.handler(shell, args);
        std::string_view text = line.substr(line.find(command.info.name) + command.info.name.size());
        while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == ';'))
            text.remove_suffix(1);
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
        return command.text_handler(shell, text);
    }
    shell.ReportError("unknown command \"" + args[0] + "\"; .help lists the commands");
    return DotResult::Error;
}

}  // namespace grizzly::shell
