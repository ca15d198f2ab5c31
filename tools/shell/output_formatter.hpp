#pragma once
/// Renders query results in the shell's output modes (box, table, csv, tsv,
/// json, jsonl, markdown, line), the way sqlite3 and duckdb users expect them.
/// The formatter reads cells through TableSource, so only the rows it prints
/// are converted to text: a 100,000-row result shown with `.maxrows 40` costs
/// 40 rows of work.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace grizzly {
class Result;
}

namespace grizzly::shell {

enum class OutputMode : uint8_t { Box, Table, Csv, Tsv, Json, JsonLines, Markdown, Line };

/// Parses a mode name as `.mode` takes it ("box", "csv", "jsonl", ...; "tabs" and
/// "jsonlines" are accepted aliases). Returns false for an unknown name.
bool ParseOutputMode(std::string_view name, OutputMode& out);

/// The canonical name of a mode, as `.mode` prints it.
std::string_view OutputModeName(OutputMode mode);

/// Every canonical mode name, for help text and tab completion.
const std::vector<std::string>& OutputModeNames();

/// How a column's values are aligned and quoted.
enum class ColumnKind : uint8_t {
    Text,     ///< left-aligned; quoted in JSON
    Number,   ///< right-aligned; unquoted in JSON when the text is a JSON number
    Boolean,  ///< left-aligned; true/false unquoted in JSON
};

/// A table of cells to render. Implementations are read-only views; the
/// formatter asks only for the cells it prints.
class TableSource {
public:
    virtual ~TableSource() = default;
    virtual size_t ColumnCount() const = 0;
    virtual std::string ColumnName(size_t col) const = 0;
    virtual ColumnKind Kind(size_t col) const = 0;
    virtual size_t RowCount() const = 0;
    /// The text of a cell, or nullopt for NULL.
    virtual std::optional<std::string> Cell(size_t row, size_t col) const = 0;
};

/// A TableSource over a successful grizzly::Result; the Result must outlive it.
class ResultSource : public TableSource {
public:
    explicit ResultSource(const grizzly::Result& result) : result_(result) {}
    size_t ColumnCount() const override;
    std::string ColumnName(size_t col) const override;
    ColumnKind Kind(size_t col) const override;
    size_t RowCount() const override;
    std::optional<std::string> Cell(size_t row, size_t col) const override;

private:
    const grizzly::Result& result_;
};

/// Options that the dot commands change; see `.help`.
struct FormatOptions {
    OutputMode mode = OutputMode::Box;
    bool headers = true;
    /// Text printed for NULL; nullopt means the mode's default ("" in csv and
    /// tsv, "NULL" in the others; JSON always writes null).
    std::optional<std::string> null_value;
    /// Rows printed in box, table and markdown modes before "… N more rows";
    /// 0 prints every row. Data modes (csv, tsv, json, jsonl, line) never drop rows.
    size_t max_rows = 0;
    /// Terminal width that box and table output must fit; 0 means no limit.
    size_t max_width = 0;
};

/// Writes `source` to `out` in `options.mode`. A source without columns
/// (a statement that returns nothing) writes nothing.
void WriteTable(const TableSource& source, const FormatOptions& options, std::ostream& out);

/// Columns a terminal cell of text occupies: UTF-8 decoded, combining marks
/// count 0, East Asian wide characters and emoji count 2.
size_t DisplayWidth(std::string_view text);

/// Quotes `text` as a CSV field (RFC 4180) when it needs quoting: it contains
/// a comma, a double quote, CR or LF, or is empty.
std::string QuoteCsvField(std::string_view text);

/// `text` as a JSON string literal, with its quotes.
std::string JsonString(std::string_view text);

}  // namespace grizzly::shell
