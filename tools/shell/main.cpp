// grizzly-jit: the interactive shell and batch runner.
#include <CLI/CLI.hpp>
#include <editline/readline.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/api.hpp"
#include "tools/shell/demo_data.hpp"
#include "tools/shell/statement_splitter.hpp"

namespace {

using grizzly::shell::SplitStatement;

struct ShellState {
    grizzly::Connection& connection;
    bool any_failed = false;
};

// Prints the result of one statement; errors go to stderr with a caret under the position.
void PrintResult(const grizzly::Result& result, const SplitStatement& stmt) {
    if (!result.Ok()) {
        const grizzly::Error& e = result.GetError();
        std::cerr << "Error: " << e.Message() << " (SQLSTATE " << e.Code() << ")";
        if (e.Pos().Known()) {
            std::cerr << " at line " << (e.Pos().line + static_cast<uint32_t>(stmt.first_line) - 1) << ", column "
                      << e.Pos().column;
            std::cerr << "\n";
            // Show the offending line of the statement with a caret.
            std::istringstream lines(stmt.text);
            std::string line;
            for (uint32_t i = 1; std::getline(lines, line); ++i) {
                if (i != e.Pos().line) continue;
                std::cerr << "  " << line << "\n  " << std::string(e.Pos().column > 0 ? e.Pos().column - 1 : 0, ' ')
                          << "^";
                break;
            }
        }
        std::cerr << std::endl;
        return;
    }
    if (result.ColumnCount() > 0) std::cout << result.ToTable() << std::flush;
}

bool RunText(ShellState& state, const std::string& text, bool bail) {
    std::string rest;
    auto statements = grizzly::shell::SplitStatements(text + "\n;", rest);
    for (auto& stmt : statements) {
        grizzly::Result result = state.connection.Query(stmt.text);
        PrintResult(result, stmt);
        if (!result.Ok()) {
            state.any_failed = true;
            if (bail) return false;
        }
    }
    return true;
}

void Interactive(ShellState& state) {
    std::string history = std::string(getenv("HOME") ? getenv("HOME") : ".") + "/.grizzly_history";
    using_history();
    read_history(history.c_str());
    std::cout << "Grizzly " << GRIZZLY_VERSION << " — enter SQL terminated by ';', .quit to exit\n";
    std::string buffer;
    while (true) {
        char* line = readline(buffer.empty() ? "grizzly> " : "    ...> ");
        if (!line) break;
        std::string text(line);
        free(line);
        if (buffer.empty() && (text == ".quit" || text == ".exit")) break;
        if (buffer.empty() && text.empty()) continue;
        buffer += (buffer.empty() ? "" : "\n") + text;
        if (!grizzly::shell::IsComplete(buffer)) continue;
        add_history(buffer.c_str());
        write_history(history.c_str());
        RunText(state, buffer, false);
        buffer.clear();
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"grizzly-jit: an embedded analytical SQL database"};
    std::string file;
    std::vector<std::string> commands;
    std::string script;
    bool demo = false, bail = false, version = false;
    app.add_option("database", file, "database file (in memory when omitted)");
    app.add_option("-c", commands, "run SQL and exit (may be repeated)");
    app.add_option("-f", script, "run the SQL in FILE and exit");
    app.add_flag("--demo", demo, "load demo tables into the in-memory database");
    app.add_flag("-b,--bail", bail, "stop at the first error");
    app.add_flag("--version", version, "print the version");
    CLI11_PARSE(app, argc, argv);
    if (version) {
        std::cout << "grizzly-jit " << GRIZZLY_VERSION << "\n";
        return 0;
    }
    try {
        grizzly::Database db(file);
        grizzly::Connection connection(db);
        ShellState state{connection};
        if (demo) {
            grizzly::Result r = connection.Query(grizzly::shell::kDemoSql);
            if (!r.Ok()) {
                std::cerr << r.ErrorText() << std::endl;
                return 1;
            }
        }
        if (!commands.empty() || !script.empty()) {
            for (auto& c : commands)
                if (!RunText(state, c, bail)) return 1;
            if (!script.empty()) {
                std::ifstream in(script);
                if (!in) {
                    std::cerr << "Error: cannot open file \"" << script << "\"" << std::endl;
                    return 1;
                }
                std::stringstream ss;
                ss << in.rdbuf();
                RunText(state, ss.str(), bail);
            }
            return state.any_failed ? 1 : 0;
        }
        if (!isatty(STDIN_FILENO)) {
            std::stringstream ss;
            ss << std::cin.rdbuf();
            RunText(state, ss.str(), bail);
            return state.any_failed ? 1 : 0;
        }
        if (demo) std::cout << "Demo tables loaded: customers, orders (try: SELECT * FROM customers LIMIT 5;)\n";
        Interactive(state);
        return 0;
    } catch (const grizzly::Error& e) {
        std::cerr << "Error: " << e.Message() << " (SQLSTATE " << e.Code() << ")" << std::endl;
        return 1;
    }
}
