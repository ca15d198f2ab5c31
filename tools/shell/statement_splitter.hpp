#pragma once
/// Splits SQL text into statements at top-level semicolons, respecting quotes,
/// comments and trigger bodies (BEGIN ... END), so that the shell can run, and
/// report errors for, each statement separately.

#include <string>
#include <vector>

namespace grizzly::shell {

struct SplitStatement {
    std::string text;
    int first_line = 1;  ///< line of the statement's first character in the input
};

/// Splits `text` into complete statements; an unterminated tail is returned in `rest`.
std::vector<SplitStatement> SplitStatements(const std::string& text, std::string& rest, int first_line = 1);

/// True when `text` holds at least one complete statement (ends with ';' at top level).
bool IsComplete(const std::string& text);

}  // namespace grizzly::shell
