#pragma once
/// Tab completion for the interactive shell: SQL keywords, function names,
/// table and column names from the catalog, dot commands and their arguments,
/// and file names (after .read/.open/.output/.once/.import and inside quotes).

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace grizzly::shell {

/// Catalog names offered by the completer.
struct CompletionCatalog {
    std::vector<std::string> tables;
    std::vector<std::string> columns;
};

/// Fetches the catalog; called on each Tab press so new tables show up at once.
using CatalogProvider = std::function<CompletionCatalog()>;

/// Every candidate that completes `word`, the text from `word_start` to the end
/// of `line` (the line up to the cursor). Sorted and without duplicates.
std::vector<std::string> CompletionCandidates(std::string_view line, size_t word_start, std::string_view word,
                                              const CatalogProvider& catalog);

/// Installs CompletionCandidates as libedit's completer for the process.
void InstallCompletion(CatalogProvider catalog);

/// True when `word` (any case) is an SQL keyword of Grizzly's grammar.
bool IsSqlKeyword(std::string_view word);

/// Function names for completion, lower case.
const std::vector<std::string>& FunctionNames();

}  // namespace grizzly::shell
