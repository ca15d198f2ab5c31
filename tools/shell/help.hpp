#pragma once
/// The shell's help texts: dot commands (`.help`), SQL statements (`HELP`,
/// `.help sql`), functions (`.help functions`) and one topic with syntax and an
/// example (`.help SELECT`, `.help substring`, `.help mode`).

#include <string>
#include <string_view>
#include <vector>

namespace grizzly::shell {

/// One documented SQL statement or function.
struct HelpTopic {
    std::string_view name;     ///< "CREATE TABLE", "substring"
    std::string_view syntax;   ///< one or more lines
    std::string_view summary;  ///< one line
    std::string_view example;  ///< runnable on an empty in-memory database unless it says otherwise
};

/// SQL statements, in the order `.help sql` lists them.
const std::vector<HelpTopic>& StatementTopics();

/// Scalar, aggregate and table functions, in the order `.help functions` lists them.
const std::vector<HelpTopic>& FunctionTopics();

/// The text of `.help`: every dot command with its usage.
std::string DotCommandsHelp();

/// The text of `HELP` and `.help sql`: every statement with its summary.
std::string StatementsHelp();

/// The text of `.help functions`.
std::string FunctionsHelp();

/// Help for `topic` (a statement, function or dot command, any case, the dot
/// optional). Returns false when nothing matches.
bool TopicHelp(std::string_view topic, std::string& text);

}  // namespace grizzly::shell
