// grizzly-jit: the interactive shell and batch runner. This file only parses
// the command line; tools/shell/shell.hpp does the work.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "tools/shell/output_formatter.hpp"
#include "tools/shell/demo_data.hpp"
#include "tools/shell/shell.hpp"

namespace {

using grizzly::shell::OutputMode;
using grizzly::shell::RunStatus;

// sqlite3 and duckdb spell long options with one dash (-csv, -bail); CLI11
// would read those as bundles of short flags, so they get a second dash first.
std::vector<std::string> NormalizeArguments(int argc, char** argv) {
    static const char* const kSingleDash[] = {"-csv",   "-json", "-jsonl", "-markdown", "-box",  "-table",
                                              "-line",  "-tsv",  "-bail",  "-no-init",  "-demo", "-version",
                                              "-help",  "-header", "-noheader"};
    std::vector<std::string> args;
    for (int arg_idx = argc - 1; arg_idx >= 1; --arg_idx) {  // CLI11 takes them in reverse
        std::string arg = argv[arg_idx];
        for (const char* name : kSingleDash)
            if (arg == name) arg = "-" + arg;
        args.push_back(std::move(arg));
    }
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"grizzly-jit: the Grizzly SQL shell. Reads SQL and dot commands from the terminal, -c, -f or stdin.",
                 "grizzly-jit"};
    app.footer("In the shell: .help lists dot commands, HELP lists SQL statements, .help TOPIC shows one.\n"
               "Batch use (-c, -f, stdin) exits with status 1 when any statement failed.\n"
               "~/.grizzlyrc (dot commands and SQL) runs first unless --no-init is given.");
    std::string database;
    std::vector<std::string> commands;
    std::string script;
    bool demo = false, bail = false, version = false, no_init = false, read_only = false;
    bool headers = false, no_headers = false;
    OutputMode mode = OutputMode::Box;
    bool mode_given = false;
    app.add_option("database", database, "database file (in memory when omitted)");
    app.add_option("-c,--command", commands, "run SQL or a dot command, then exit (repeatable, in order)");
    app.add_option("-f,--file", script, "run the SQL and dot commands in FILE, then exit");
    app.add_flag("--readonly", read_only, "open the database file for reading only (several processes may)");
    app.add_flag("--demo", demo, "load the TPC-H demo tables (CALL dbgen(sf = 0.01))");
    app.add_flag("-b,--bail", bail, "stop at the first error");
    app.add_flag("--no-init", no_init, "do not read ~/.grizzlyrc");
    app.add_flag("--header", headers, "print column names (the default)");
    app.add_flag("--noheader", no_headers, "do not print column names");
    auto add_mode = [&](const char* flag, OutputMode flag_mode, const char* text) {
        app.add_flag_callback(
            flag,
            [&, flag_mode] {
                mode = flag_mode;
                mode_given = true;
            },
            text);
    };
    add_mode("--box", OutputMode::Box, "output mode box (the default)");
    add_mode("--table", OutputMode::Table, "output mode table (ASCII frame)");
    add_mode("--csv", OutputMode::Csv, "output mode csv");
    add_mode("--tsv", OutputMode::Tsv, "output mode tsv");
    add_mode("--json", OutputMode::Json, "output mode json");
    add_mode("--jsonl", OutputMode::JsonLines, "output mode jsonl");
    add_mode("--markdown", OutputMode::Markdown, "output mode markdown");
    add_mode("--line", OutputMode::Line, "output mode line");
    app.add_flag("--version", version, "print the version and exit");
    try {
        app.parse(NormalizeArguments(argc, argv));
    } catch (const CLI::ParseError& error) {
        // --help exits 0; a bad flag exits 1, like a failed statement.
        return app.exit(error) == 0 ? 0 : 1;
    }
    if (version) {
        std::cout << "grizzly-jit " << GRIZZLY_VERSION << "\n";
        return 0;
    }
    try {
        grizzly::DatabaseOptions options;
        options.read_only = read_only;
        grizzly::shell::Shell shell(database, options);
        grizzly::shell::ShellSettings& settings = shell.Settings();
        if (!no_init && shell.RunInitFile() == RunStatus::Quit) return shell.AnyFailed() ? 1 : 0;
        // Flags win over ~/.grizzlyrc.
        if (mode_given) settings.format.mode = mode;
        if (headers) settings.format.headers = true;
        if (no_headers) settings.format.headers = false;
        if (bail) settings.bail = true;
        if (demo && !shell.LoadDemo()) return 1;

        if (!commands.empty() || !script.empty()) {
            RunStatus status = RunStatus::Continue;
            for (const std::string& command : commands) {
                status = shell.RunText(command);
                if (status != RunStatus::Continue) break;
            }
            if (status == RunStatus::Continue && !script.empty()) shell.RunFile(script);
            return shell.AnyFailed() ? 1 : 0;
        }
        if (!isatty(STDIN_FILENO)) {
            shell.RunStream(std::cin);
            return shell.AnyFailed() ? 1 : 0;
        }
        if (demo)
            std::cout << "TPC-H demo tables loaded (sf " << grizzly::shell::kDemoScaleFactor
                      << "): " << grizzly::shell::kDemoTables
                      << "\n(try: SELECT n_name, count(*) FROM customer JOIN nation ON c_nationkey = n_nationkey GROUP BY n_name ORDER BY 2 DESC LIMIT 5;)\n";
        shell.RunInteractive();
        return 0;
    } catch (const grizzly::Error& e) {
        std::cerr << "Error: " << e.Message() << " (SQLSTATE " << e.Code() << ")" << std::endl;
        return 1;
    }
}
