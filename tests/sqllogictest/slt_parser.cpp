#include "tests/sqllogictest/slt_parser.hpp"

#include <cctype>
#include <charconv>

namespace grizzly::slt {

namespace {

struct Line {
    std::string_view text;
    uint32_t number;
};

bool IsBlank(std::string_view line) {
    for (char c : line) {
        if (!std::isspace(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t pos = 0; pos < a.size(); ++pos) {
        if (std::tolower(static_cast<unsigned char>(a[pos])) != std::tolower(static_cast<unsigned char>(b[pos]))) {
            return false;
        }
    }
    return true;
}

bool IsSqlState(std::string_view token) {
    if (token.size() != 5) return false;
    for (char c : token) {
        if (!std::isdigit(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

std::string JoinLines(const std::vector<Line>& lines, size_t begin, size_t end) {
    std::string out;
    for (size_t idx = begin; idx < end; ++idx) {
        if (idx > begin) out += '\n';
        out += lines[idx].text;
    }
    return out;
}

Record MakeInvalid(uint32_t line, std::vector<Condition> conditions, std::string error) {
    Record record;
    record.kind = RecordKind::Invalid;
    record.line = line;
    record.conditions = std::move(conditions);
    record.error = std::move(error);
    return record;
}

// Finds the `----` separator in lines [begin, end); returns `end` when absent.
size_t FindSeparator(const std::vector<Line>& lines, size_t begin, size_t end) {
    for (size_t idx = begin; idx < end; ++idx) {
        if (lines[idx].text == "----") return idx;
    }
    return end;
}

// Fills a statement record from its header tokens and body lines [body, end).
// Returns an error message, or an empty string on success.
std::string ParseStatement(const std::vector<std::string_view>& tokens, const std::vector<Line>& lines, size_t body,
                           size_t end, Record& record) {
    record.kind = RecordKind::Statement;
    if (tokens.size() < 2) return "statement needs 'ok' or 'error'";
    if (tokens[1] == "ok") {
        if (tokens.size() > 2) return "unexpected text after 'statement ok'";
    } else if (tokens[1] == "error") {
        record.expect_error = true;
        if (tokens.size() > 3) return "unexpected text after 'statement error'";
        if (tokens.size() == 3) {
            if (!IsSqlState(tokens[2])) return "'" + std::string(tokens[2]) + "' is not an SQLSTATE";
            record.expected_sqlstate = std::string(tokens[2]);
        }
    } else {
        return "statement needs 'ok' or 'error', not '" + std::string(tokens[1]) + "'";
    }
    size_t separator = FindSeparator(lines, body, end);
    if (separator == body) return "statement has no SQL";
    record.sql = JoinLines(lines, body, separator);
    if (separator != end) {
        if (!record.expect_error) return "'----' after 'statement ok'";
        record.expected_message = JoinLines(lines, separator + 1, end);
    }
    return {};
}

std::string ParseQuery(const std::vector<std::string_view>& tokens, const std::vector<Line>& lines, size_t body,
                       size_t end, Record& record) {
    record.kind = RecordKind::Query;
    if (tokens.size() < 2) return "query needs column type letters";
    for (char c : tokens[1]) {
        if (c != 'I' && c != 'R' && c != 'T') return "unknown column type letter '" + std::string(1, c) + "'";
    }
    record.types = std::string(tokens[1]);
    if (tokens.size() > 2) {
        if (tokens[2] == "nosort") record.sort_mode = SortMode::NoSort;
        else if (tokens[2] == "rowsort") record.sort_mode = SortMode::RowSort;
        else if (tokens[2] == "valuesort") record.sort_mode = SortMode::ValueSort;
        else return "unknown sort mode '" + std::string(tokens[2]) + "'";
    }
    if (tokens.size() > 3) record.label = std::string(tokens[3]);
    if (tokens.size() > 4) return "unexpected text after the query label";
    size_t separator = FindSeparator(lines, body, end);
    if (separator == body) return "query has no SQL";
    record.sql = JoinLines(lines, body, separator);
    if (separator != end) {
        record.expected_lines.reserve(end - separator - 1);
        for (size_t idx = separator + 1; idx < end; ++idx) record.expected_lines.emplace_back(lines[idx].text);
    }
    return {};
}

// Parses one blank-line-separated block. A block holds condition lines, then
// either control commands (one line each) or one statement/query that takes
// the rest of the block.
void ParseBlock(const std::vector<Line>& lines, std::vector<Record>& out) {
    std::vector<Condition> conditions;
    size_t idx = 0;
    while (idx < lines.size()) {
        const Line& line = lines[idx];
        std::vector<std::string_view> tokens = SplitWhitespace(line.text);
        std::string_view command = tokens[0];  // a block never holds blank lines
        if (command == "skipif" || command == "onlyif") {
            // Text after the engine name is a remark ("skipif mysql # not compatible").
            if (tokens.size() < 2) {
                out.push_back(MakeInvalid(line.number, std::move(conditions), "expected '" + std::string(command) +
                                                                                  " <engine>'"));
                return;
            }
            conditions.push_back(Condition{command == "onlyif", std::string(tokens[1])});
            ++idx;
            continue;
        }
        Record record;
        record.line = line.number;
        record.conditions = std::move(conditions);
        conditions.clear();
        std::string error;
        if (command == "hash-threshold") {
            record.kind = RecordKind::HashThreshold;
            int64_t threshold = -1;
            if (tokens.size() == 2) {
                auto [ptr, ec] = std::from_chars(tokens[1].data(), tokens[1].data() + tokens[1].size(), threshold);
                if (ec != std::errc() || ptr != tokens[1].data() + tokens[1].size()) threshold = -1;
            }
            if (threshold < 0) error = "expected 'hash-threshold <non-negative integer>'";
            record.hash_threshold = threshold;
            ++idx;
        } else if (command == "halt") {
            record.kind = RecordKind::Halt;
            if (tokens.size() != 1) error = "unexpected text after 'halt'";
            ++idx;
        } else if (command == "statement") {
            error = ParseStatement(tokens, lines, idx + 1, lines.size(), record);
            idx = lines.size();
        } else if (command == "query") {
            error = ParseQuery(tokens, lines, idx + 1, lines.size(), record);
            idx = lines.size();
        } else {
            error = "unknown record type '" + std::string(command) + "'";
            idx = lines.size();
        }
        if (!error.empty()) {
            out.push_back(MakeInvalid(record.line, std::move(record.conditions), std::move(error)));
        } else {
            out.push_back(std::move(record));
        }
    }
    if (!conditions.empty()) {
        out.push_back(MakeInvalid(lines.back().number, std::move(conditions), "condition without a record"));
    }
}

}  // namespace

std::vector<std::string_view> SplitWhitespace(std::string_view line) {
    std::vector<std::string_view> tokens;
    size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
        size_t start = pos;
        while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
        if (pos > start) tokens.push_back(line.substr(start, pos - start));
    }
    return tokens;
}

Script ParseScript(std::string_view text) {
    Script script;
    std::vector<Line> block;
    uint32_t line_number = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t newline = text.find('\n', pos);
        size_t line_end = newline == std::string_view::npos ? text.size() : newline;
        std::string_view line = text.substr(pos, line_end - pos);
        pos = newline == std::string_view::npos ? text.size() : newline + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        // Comments vanish before anything else, so they never end a record.
        if (!line.empty() && line.front() == '#') continue;
        if (IsBlank(line)) {
            if (!block.empty()) {
                ParseBlock(block, script.records);
                block.clear();
            }
            continue;
        }
        block.push_back(Line{line, line_number});
    }
    if (!block.empty()) ParseBlock(block, script.records);
    return script;
}

bool AppliesTo(const Record& record, std::string_view engine) {
    for (const Condition& condition : record.conditions) {
        bool same = EqualsIgnoreCase(condition.engine, engine);
        if (condition.only_if != same) return false;
    }
    return true;
}

}  // namespace grizzly::slt
