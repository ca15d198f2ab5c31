#pragma once
/// `.browse`: a full-screen, scrollable view of a result too large for the
/// screen, in the spirit of `less -S` for tables. It takes over the terminal
/// (alternate screen, raw mode, hidden cursor) until the user quits and puts
/// everything back afterwards, also when an exception leaves it early.
///
/// Cells are read through TableSource, so only the rows on the screen (and the
/// rows a search passes over) are converted to text.

#include <string>
#include <string_view>

#include "tools/shell/output_formatter.hpp"

namespace grizzly::shell {

/// True when stdin and stdout are both terminals, which Browse needs.
bool CanBrowse();

/// Shows `source` full-screen until the user quits (q, Esc or Ctrl-C). Keys:
/// arrows scroll a row or a column, PgUp/PgDn/Space/b a screen, Home/End/g/G
/// jump to the first or last row, `/` searches forward for a cell containing
/// the typed text (ignoring ASCII case) and `n` repeats the search.
/// Requires CanBrowse(). Not reentrant: it owns SIGWINCH while it runs.
/// Throws what reading a cell throws, after restoring the terminal.
void Browse(const TableSource& source);

/// The SQL that `.browse ARGUMENT` runs: a query as given, and a single word
/// that does not start a statement as `SELECT * FROM word`.
std::string BrowseQuery(std::string_view argument);

}  // namespace grizzly::shell
