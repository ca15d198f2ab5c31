#pragma once
/// The shell's dot commands (`.mode`, `.tables`, `.import`, ...): the table of
/// names and usages that help and completion read, and the dispatcher that runs
/// one command line against a Shell.

#include <string>
#include <string_view>
#include <vector>

namespace grizzly::shell {

class Shell;

/// How a dot command's arguments are completed.
enum class ArgumentKind : uint8_t {
    None,
    File,
    Table,
    Mode,
    OnOff,
    HelpTopic,
    Query,  ///< a table name or SQL running to the end of the line (`.browse`)
};

/// One dot command as `.help` lists it.
struct DotCommandInfo {
    std::string_view name;     ///< with the dot: ".mode"
    std::string_view usage;    ///< ".mode [MODE]"
    std::string_view summary;  ///< one line
    ArgumentKind first_argument;
    ArgumentKind second_argument;
};

/// Every dot command, in `.help` order.
const std::vector<DotCommandInfo>& DotCommandTable();

/// What running a dot command asks of the caller.
enum class DotResult : uint8_t {
    Ok,     ///< done
    Error,  ///< a one-line error was printed to stderr; counts as a failed statement
    Quit,   ///< `.quit` / `.exit`: leave the shell
};

/// Splits a dot-command line into words; single and double quotes group words
/// with spaces ("my file.csv").
std::vector<std::string> SplitDotCommand(std::string_view line);

/// Runs one dot-command line (starting with '.') against `shell`.
DotResult RunDotCommand(Shell& shell, std::string_view line);

}  // namespace grizzly::shell
