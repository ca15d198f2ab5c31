#include "tools/shell/output_formatter.hpp"

#include <algorithm>
#include <array>

#include "api/api.hpp"

namespace grizzly::shell {

namespace {

struct ModeName {
    std::string_view name;
    OutputMode mode;
};

// Canonical names first: OutputModeName() returns the first entry of a mode.
constexpr std::array<ModeName, 10> kModeNames = {{
    {"box", OutputMode::Box},
    {"table", OutputMode::Table},
    {"csv", OutputMode::Csv},
    {"tsv", OutputMode::Tsv},
    {"json", OutputMode::Json},
    {"jsonl", OutputMode::JsonLines},
    {"markdown", OutputMode::Markdown},
    {"line", OutputMode::Line},
    {"tabs", OutputMode::Tsv},
    {"jsonlines", OutputMode::JsonLines},
}};

// Decodes one UTF-8 code point at `pos` and advances it; invalid bytes decode
// as themselves so that odd data still renders instead of vanishing.
uint32_t DecodeUtf8(std::string_view text, size_t& pos) {
    auto byte = static_cast<unsigned char>(text[pos]);
    size_t extra = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
    if (extra == 0 || pos + extra >= text.size()) {
        ++pos;
        return byte;
    }
    uint32_t cp = extra == 0 ? byte : extra == 1 ? (byte & 0x1F) : extra == 2 ? (byte & 0x0F) : (byte & 0x07);
    for (size_t k = 1; k <= extra; ++k) {
        auto cont = static_cast<unsigned char>(text[pos + k]);
        if ((cont & 0xC0) != 0x80) {
            ++pos;
            return byte;
        }
        cp = (cp << 6) | (cont & 0x3F);
    }
    pos += extra + 1;
    return cp;
}

// Terminal columns of one code point (a compact wcwidth that does not depend on
// the process locale, which is often "C" in scripts and CI).
size_t CodePointWidth(uint32_t cp) {
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x20D0 && cp <= 0x20FF))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

// The longest prefix of `text` that fits in `width` columns.
std::string_view PrefixOfWidth(std::string_view text, size_t width) {
    size_t pos = 0, used = 0;
    while (pos < text.size()) {
        size_t next = pos;
        size_t w = CodePointWidth(DecodeUtf8(text, next));
        if (used + w > width) break;
        used += w;
        pos = next;
    }
    return text.substr(0, pos);
}

enum class Align : uint8_t { Left, Right, Center };

std::string Pad(std::string_view text, size_t width, Align align) {
    size_t w = DisplayWidth(text);
    size_t gap = w >= width ? 0 : width - w;
    size_t left = align == Align::Right ? gap : align == Align::Center ? gap / 2 : 0;
    std::string out(left, ' ');
    out += text;
    out.append(gap - left, ' ');
    return out;
}

std::string Repeat(std::string_view unit, size_t count) {
    std::string out;
    out.reserve(unit.size() * count);
    for (size_t k = 0; k < count; ++k) out += unit;
    return out;
}

std::string NullText(const FormatOptions& options) {
    if (options.null_value) return *options.null_value;
    return options.mode == OutputMode::Csv || options.mode == OutputMode::Tsv ? "" : "NULL";
}

size_t ShownRows(const TableSource& source, const FormatOptions& options) {
    size_t rows = source.RowCount();
    return options.max_rows == 0 ? rows : std::min(rows, options.max_rows);
}

// A JSON number literal: -?digits(.digits)?([eE][+-]?digits)?. Engine text such
// as "Infinity" or "NaN" is not one and gets quoted instead.
bool IsJsonNumber(std::string_view s) {
    size_t i = 0;
    auto digits = [&] {
        size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i > start;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits()) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == s.size();
}

/*----- box and table -----*/

struct FrameChars {
    std::string_view horizontal, vertical;
    std::string_view top_left, top_mid, top_right;
    std::string_view mid_left, mid_mid, mid_right;
    std::string_view bottom_left, bottom_mid, bottom_right;
    std::string_view ellipsis;       ///< ends a truncated cell
    std::string_view hidden_marker;  ///< one column wide: fills the column standing for hidden ones
};

constexpr FrameChars kBoxChars{"─", "│", "┌", "┬", "┐", "├", "┼", "┤", "└", "┴", "┘", "…", "…"};
constexpr FrameChars kAsciiChars{"-", "|", "+", "+", "+", "+", "+", "+", "+", "+", "+", "...", "."};

// Narrowest a column is squeezed to before columns are dropped instead.
constexpr size_t kMinColumnWidth = 5;

// Splits a cell into display lines; tabs and carriage returns would break the frame.
std::vector<std::string> CellLines(const std::string& text) {
    std::vector<std::string> lines(1);
    for (char c : text) {
        if (c == '\n') lines.emplace_back();
        else if (c == '\t') lines.back() += ' ';
        else if (c != '\r') lines.back() += c;
    }
    return lines;
}

std::string Truncate(std::string_view text, size_t width, const FrameChars& chars) {
    if (DisplayWidth(text) <= width) return std::string(text);
    size_t marker = DisplayWidth(chars.ellipsis);
    if (width <= marker) return std::string(PrefixOfWidth(text, width));
    return std::string(PrefixOfWidth(text, width - marker)) + std::string(chars.ellipsis);
}

// Frame width of columns `widths` plus, when `extra`, the one-character column
// that marks hidden columns.
size_t FrameWidth(const std::vector<size_t>& widths, size_t count, bool extra) {
    size_t total = 1;
    for (size_t col_idx = 0; col_idx < count; ++col_idx) total += widths[col_idx] + 3;
    return total + (extra ? 4 : 0);
}

// Chooses how many columns to show and how wide each is so that the frame fits
// `max_width`: first the widest columns are capped, then trailing columns dropped.
size_t FitColumns(std::vector<size_t>& widths, size_t max_width) {
    size_t count = widths.size();
    if (max_width == 0 || FrameWidth(widths, count, false) <= max_width) return count;
    std::vector<size_t> minimum(widths.size());
    for (size_t col_idx = 0; col_idx < widths.size(); ++col_idx)
        minimum[col_idx] = std::min(widths[col_idx], kMinColumnWidth);
    while (count > 1 && FrameWidth(minimum, count, count < widths.size()) > max_width) --count;
    bool extra = count < widths.size();
    auto capped = [&](size_t cap) {
        std::vector<size_t> out(count);
        for (size_t col_idx = 0; col_idx < count; ++col_idx)
            out[col_idx] = std::max(minimum[col_idx], std::min(widths[col_idx], cap));
        return out;
    };
    size_t lo = 0, hi = *std::max_element(widths.begin(), widths.begin() + static_cast<std::ptrdiff_t>(count));
    while (lo < hi) {  // the largest cap that still fits
        size_t mid = lo + (hi - lo + 1) / 2;
        if (FrameWidth(capped(mid), count, extra) <= max_width) lo = mid;
        else hi = mid - 1;
    }
    std::vector<size_t> fitted = capped(lo);
    std::copy(fitted.begin(), fitted.end(), widths.begin());
    return count;
}

void WriteFramed(const TableSource& source, const FormatOptions& options, const FrameChars& chars,
                 std::ostream& out) {
    size_t column_count = source.ColumnCount();
    size_t row_count = source.RowCount();
    size_t shown_rows = ShownRows(source, options);
    std::string null_text = NullText(options);

    std::vector<std::string> names(column_count);
    std::vector<Align> aligns(column_count);
    std::vector<size_t> widths(column_count, 1);
    for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
        names[col_idx] = source.ColumnName(col_idx);
        aligns[col_idx] = source.Kind(col_idx) == ColumnKind::Number ? Align::Right : Align::Left;
        if (options.headers) widths[col_idx] = std::max<size_t>(1, DisplayWidth(names[col_idx]));
    }
    // cells[row][col] holds the display lines of one cell.
    std::vector<std::vector<std::vector<std::string>>> cells(shown_rows);
    for (size_t row_idx = 0; row_idx < shown_rows; ++row_idx) {
        cells[row_idx].resize(column_count);
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            std::optional<std::string> cell = source.Cell(row_idx, col_idx);
            cells[row_idx][col_idx] = CellLines(cell ? *cell : null_text);
            for (const std::string& line : cells[row_idx][col_idx])
                widths[col_idx] = std::max(widths[col_idx], DisplayWidth(line));
        }
    }
    size_t shown_columns = FitColumns(widths, options.max_width);
    bool hidden_columns = shown_columns < column_count;

    auto rule = [&](std::string_view left, std::string_view mid, std::string_view right) {
        std::string line(left);
        for (size_t col_idx = 0; col_idx < shown_columns; ++col_idx) {
            if (col_idx > 0) line += mid;
            line += Repeat(chars.horizontal, widths[col_idx] + 2);
        }
        if (hidden_columns) line += std::string(mid) + Repeat(chars.horizontal, 3);
        out << line << right << '\n';
    };
    // One display row; `lines_of(col)` gives the lines of a column's cell.
    auto write_row = [&](const auto& lines_of, bool header) {
        size_t height = 1;
        for (size_t col_idx = 0; col_idx < shown_columns; ++col_idx)
            height = std::max(height, lines_of(col_idx).size());
        for (size_t line_idx = 0; line_idx < height; ++line_idx) {
            std::string line(chars.vertical);
            for (size_t col_idx = 0; col_idx < shown_columns; ++col_idx) {
                const std::vector<std::string>& lines = lines_of(col_idx);
                std::string text = line_idx < lines.size() ? Truncate(lines[line_idx], widths[col_idx], chars) : "";
                line += ' ' + Pad(text, widths[col_idx], header ? Align::Center : aligns[col_idx]) + ' ';
                line += chars.vertical;
            }
            if (hidden_columns)
                line += ' ' + std::string(line_idx == 0 ? chars.hidden_marker : " ") + ' ' + std::string(chars.vertical);
            out << line << '\n';
        }
    };

    rule(chars.top_left, chars.top_mid, chars.top_right);
    if (options.headers) {
        std::vector<std::vector<std::string>> header_lines(column_count);
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) header_lines[col_idx] = {names[col_idx]};
        write_row([&](size_t col_idx) -> const std::vector<std::string>& { return header_lines[col_idx]; }, true);
        rule(chars.mid_left, chars.mid_mid, chars.mid_right);
    }
    for (size_t row_idx = 0; row_idx < shown_rows; ++row_idx)
        write_row([&](size_t col_idx) -> const std::vector<std::string>& { return cells[row_idx][col_idx]; }, false);
    rule(chars.bottom_left, chars.bottom_mid, chars.bottom_right);

    std::string note;
    if (shown_rows < row_count)
        note = "… " + std::to_string(row_count - shown_rows) + " more row" + (row_count - shown_rows == 1 ? "" : "s") +
               " (" + std::to_string(row_count) + " in total; .maxrows 0 shows all)";
    if (hidden_columns) {
        size_t hidden = column_count - shown_columns;
        note += (note.empty() ? "… " : "; ") + std::to_string(hidden) + " more column" + (hidden == 1 ? "" : "s") +
                " hidden to fit the terminal:";
        for (size_t col_idx = shown_columns; col_idx < column_count; ++col_idx)
            note += (col_idx == shown_columns ? " " : ", ") + names[col_idx];
    }
    // A note longer than the terminal would wrap under the frame; cut it instead.
    if (options.max_width > 0 && DisplayWidth(note) > options.max_width)
        note = std::string(PrefixOfWidth(note, options.max_width - 1)) + std::string(kBoxChars.ellipsis);
    if (!note.empty()) out << note << '\n';
}

/*----- markdown -----*/

std::string MarkdownCell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += "<br>";
        else if (c != '\r') out += c;
    }
    return out;
}

void WriteMarkdown(const TableSource& source, const FormatOptions& options, std::ostream& out) {
    size_t column_count = source.ColumnCount();
    size_t shown_rows = ShownRows(source, options);
    std::string null_text = NullText(options);
    std::vector<std::string> names(column_count);
    std::vector<size_t> widths(column_count, 3);  // a separator needs at least "---"
    std::vector<std::vector<std::string>> cells(shown_rows, std::vector<std::string>(column_count));
    for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
        names[col_idx] = MarkdownCell(source.ColumnName(col_idx));
        widths[col_idx] = std::max(widths[col_idx], DisplayWidth(names[col_idx]));
    }
    for (size_t row_idx = 0; row_idx < shown_rows; ++row_idx) {
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            std::optional<std::string> cell = source.Cell(row_idx, col_idx);
            cells[row_idx][col_idx] = MarkdownCell(cell ? *cell : null_text);
            widths[col_idx] = std::max(widths[col_idx], DisplayWidth(cells[row_idx][col_idx]));
        }
    }
    if (options.headers) {
        out << '|';
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx)
            out << ' ' << Pad(names[col_idx], widths[col_idx], Align::Center) << " |";
        out << "\n|";
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            bool right = source.Kind(col_idx) == ColumnKind::Number;
            out << std::string(widths[col_idx] + (right ? 1 : 2), '-') << (right ? ":|" : "|");
        }
        out << '\n';
    }
    for (size_t row_idx = 0; row_idx < shown_rows; ++row_idx) {
        out << '|';
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            Align align = source.Kind(col_idx) == ColumnKind::Number ? Align::Right : Align::Left;
            out << ' ' << Pad(cells[row_idx][col_idx], widths[col_idx], align) << " |";
        }
        out << '\n';
    }
    size_t rows = source.RowCount();
    if (shown_rows < rows)
        out << "… " << rows - shown_rows << " more row" << (rows - shown_rows == 1 ? "" : "s") << " ("
            << rows << " in total; .maxrows 0 shows all)\n";
}

/*----- csv, tsv, json, jsonl, line -----*/

void WriteSeparated(const TableSource& source, const FormatOptions& options, std::ostream& out) {
    bool csv = options.mode == OutputMode::Csv;
    char separator = csv ? ',' : '\t';
    std::string null_text = NullText(options);
    size_t column_count = source.ColumnCount();
    if (options.headers) {
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            if (col_idx > 0) out << separator;
            std::string name = source.ColumnName(col_idx);
            out << (csv ? QuoteCsvField(name) : name);
        }
        out << '\n';
    }
    for (size_t row_idx = 0; row_idx < source.RowCount(); ++row_idx) {
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            if (col_idx > 0) out << separator;
            std::optional<std::string> cell = source.Cell(row_idx, col_idx);
            // NULL is written bare so that an empty nullvalue stays distinguishable from '' ("").
            if (!cell) out << null_text;
            else out << (csv ? QuoteCsvField(*cell) : *cell);
        }
        out << '\n';
    }
}

std::string JsonValue(const TableSource& source, size_t row_idx, size_t col_idx) {
    std::optional<std::string> cell = source.Cell(row_idx, col_idx);
    if (!cell) return "null";
    ColumnKind kind = source.Kind(col_idx);
    if (kind == ColumnKind::Number && IsJsonNumber(*cell)) return *cell;
    if (kind == ColumnKind::Boolean && (*cell == "true" || *cell == "false")) return *cell;
    return JsonString(*cell);
}

std::string JsonObject(const TableSource& source, const std::vector<std::string>& keys, size_t row_idx) {
    std::string object = "{";
    for (size_t col_idx = 0; col_idx < keys.size(); ++col_idx) {
        if (col_idx > 0) object += ',';
        object += keys[col_idx] + ':' + JsonValue(source, row_idx, col_idx);
    }
    return object + '}';
}

void WriteJson(const TableSource& source, const FormatOptions& options, std::ostream& out) {
    std::vector<std::string> keys(source.ColumnCount());
    for (size_t col_idx = 0; col_idx < keys.size(); ++col_idx) keys[col_idx] = JsonString(source.ColumnName(col_idx));
    size_t rows = source.RowCount();
    if (options.mode == OutputMode::JsonLines) {
        for (size_t row_idx = 0; row_idx < rows; ++row_idx) out << JsonObject(source, keys, row_idx) << '\n';
        return;
    }
    // sqlite3's layout: one object per line, the array brackets on the first and last.
    if (rows == 0) {
        out << "[]\n";
        return;
    }
    for (size_t row_idx = 0; row_idx < rows; ++row_idx)
        out << (row_idx == 0 ? "[" : ",\n") << JsonObject(source, keys, row_idx);
    out << "]\n";
}

void WriteLines(const TableSource& source, const FormatOptions& options, std::ostream& out) {
    std::string null_text = NullText(options);
    size_t column_count = source.ColumnCount();
    std::vector<std::string> names(column_count);
    size_t name_width = 0;
    for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
        names[col_idx] = source.ColumnName(col_idx);
        name_width = std::max(name_width, DisplayWidth(names[col_idx]));
    }
    for (size_t row_idx = 0; row_idx < source.RowCount(); ++row_idx) {
        if (row_idx > 0) out << '\n';
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            std::optional<std::string> cell = source.Cell(row_idx, col_idx);
            out << Pad(names[col_idx], name_width, Align::Right) << " = " << (cell ? *cell : null_text) << '\n';
        }
    }
}

}  // namespace

bool ParseOutputMode(std::string_view name, OutputMode& out) {
    for (const ModeName& entry : kModeNames) {
        if (entry.name == name) {
            out = entry.mode;
            return true;
        }
    }
    return false;
}

std::string_view OutputModeName(OutputMode mode) {
    for (const ModeName& entry : kModeNames)
        if (entry.mode == mode) return entry.name;
    return "box";
}

const std::vector<std::string>& OutputModeNames() {
    static const std::vector<std::string> names = {"box", "table", "csv", "tsv", "json", "jsonl", "markdown", "line"};
    return names;
}

size_t ResultSource::ColumnCount() const { return result_.ColumnCount(); }

std::string ResultSource::ColumnName(size_t col) const { return result_.ColumnName(col); }

ColumnKind ResultSource::Kind(size_t col) const {
    switch (result_.ColumnType(col).id) {
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt:
    case TypeId::Real:
    case TypeId::Double:
    case TypeId::Decimal: return ColumnKind::Number;
    case TypeId::Boolean: return ColumnKind::Boolean;
    default: return ColumnKind::Text;
    }
}

size_t ResultSource::RowCount() const { return result_.RowCount(); }

std::optional<std::string> ResultSource::Cell(size_t row, size_t col) const {
    if (result_.IsNull(row, col)) return std::nullopt;
    return result_.GetValue(row, col).ToString();
}

void WriteTable(const TableSource& source, const FormatOptions& options, std::ostream& out) {
    if (source.ColumnCount() == 0) return;
    switch (options.mode) {
    case OutputMode::Box: WriteFramed(source, options, kBoxChars, out); break;
    case OutputMode::Table: WriteFramed(source, options, kAsciiChars, out); break;
    case OutputMode::Markdown: WriteMarkdown(source, options, out); break;
    case OutputMode::Csv:
    case OutputMode::Tsv: WriteSeparated(source, options, out); break;
    case OutputMode::Json:
    case OutputMode::JsonLines: WriteJson(source, options, out); break;
    case OutputMode::Line: WriteLines(source, options, out); break;
    }
}

size_t DisplayWidth(std::string_view text) {
    size_t width = 0;
    for (size_t pos = 0; pos < text.size();) width += CodePointWidth(DecodeUtf8(text, pos));
    return width;
}

std::string QuoteCsvField(std::string_view text) {
    if (!text.empty() && text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string JsonString(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += kHex[(c >> 4) & 0xF];
                out += kHex[c & 0xF];
            } else {
                out += c;
            }
        }
    }
    return out + '"';
}

}  // namespace grizzly::shell
