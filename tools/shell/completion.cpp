#include "tools/shell/completion.hpp"

#include <editline/readline.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <set>

#include "tools/shell/dot_commands.hpp"
#include "tools/shell/help.hpp"
#include "tools/shell/output_formatter.hpp"

namespace grizzly::shell {

namespace {

// The grammar's keywords (grammar/GrizzlySQL.g4) and the type names it accepts.
constexpr const char* kKeywords[] = {
    "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ANALYZE", "AND", "ANY", "AS", "ASC", "ATTACH", "BEFORE",
    "BEGIN", "BETWEEN", "BIGINT", "BOOLEAN", "BOTH", "BY", "CALL", "CASCADE", "CASE", "CAST", "CHECK", "CHECKPOINT",
    "COLLATE", "COLUMN", "COLUMNS", "COMMIT", "CONFLICT", "CONSTRAINT", "COPY", "CREATE", "CROSS", "CURRENT",
    "DATABASE", "DATE", "DAY", "DECIMAL", "DEFAULT", "DELETE", "DESC", "DESCRIBE", "DETACH", "DISTINCT", "DO",
    "DOUBLE", "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXECUTE", "EXISTS", "EXPLAIN", "EXTRACT", "FALSE",
    "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL", "FUNCTION", "GLOB", "GROUP", "HAVING", "HOUR",
    "IF", "IGNORE", "ILIKE", "IN", "INDEX", "INNER", "INSERT", "INSTEAD", "INTEGER", "INTERSECT", "INTERVAL", "INTO",
    "IS", "ISNULL", "JOIN", "KEY", "LAST", "LATERAL", "LEADING", "LEFT", "LIKE", "LIMIT", "MACRO", "MINUTE", "MONTH",
    "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OUTER",
    "OVER", "PARTITION", "PRAGMA", "PRECEDING", "PREPARE", "PRIMARY", "QUALIFY", "REAL", "RECURSIVE", "REFERENCES",
    "RENAME", "REPLACE", "RESET", "RESTRICT", "RETURNING", "RETURNS", "RIGHT", "ROLLBACK", "ROW", "ROWS", "SCHEMA",
    "SECOND", "SELECT", "SET", "SHOW", "SIMILAR", "SMALLINT", "SOME", "START", "TABLE", "TABLES", "TEMP",
    "TEMPORARY", "TEXT", "THEN", "TIES", "TIME", "TIMESTAMP", "TINYINT", "TO", "TRAILING", "TRANSACTION", "TRIGGER",
    "TRUE", "TYPE", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USE", "USING", "VACUUM", "VALUES", "VARCHAR", "VIEW",
    "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT", "WORK", "YEAR",
};

// Words that start a query, offered after `.browse` next to the table names.
constexpr const char* kQueryStarts[] = {"SELECT", "WITH", "VALUES"};

// Words after which only a table name makes sense.
constexpr const char* kTableContext[] = {"FROM", "JOIN", "INTO", "UPDATE", "TABLE", "DESCRIBE", "DESC"};

std::string Upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string Lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool HasPrefixIgnoringCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t pos = 0; pos < prefix.size(); ++pos)
        if (std::tolower(static_cast<unsigned char>(text[pos])) != std::tolower(static_cast<unsigned char>(prefix[pos])))
            return false;
    return true;
}

std::vector<std::string> SplitWords(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

void AddMatches(const std::vector<std::string>& names, std::string_view word, std::set<std::string>& out) {
    for (const std::string& name : names)
        if (HasPrefixIgnoringCase(name, word)) out.insert(name);
}

// Directory entries completing `word`; directories end in '/'. Dot files only
// when the typed name starts with a dot.
void AddFiles(std::string_view word, std::set<std::string>& out) {
    namespace fs = std::filesystem;
    std::string typed(word);
    size_t slash = typed.rfind('/');
    std::string dir_part = slash == std::string::npos ? "" : typed.substr(0, slash + 1);
    std::string name_part = slash == std::string::npos ? typed : typed.substr(slash + 1);
    std::error_code error;
    fs::directory_iterator entries(dir_part.empty() ? fs::path(".") : fs::path(dir_part), error);
    if (error) return;
    for (const fs::directory_entry& entry : entries) {
        std::string name = entry.path().filename().string();
        if (name.rfind(name_part, 0) != 0) continue;
        if (name[0] == '.' && (name_part.empty() || name_part[0] != '.')) continue;
        out.insert(dir_part + name + (entry.is_directory(error) ? "/" : ""));
    }
}

/*----- libedit glue -----*/

CatalogProvider g_catalog;
std::vector<std::string> g_matches;
size_t g_next_match = 0;

char* NextMatch(const char* /*text*/, int state) {
    if (state == 0) g_next_match = 0;
    if (g_next_match >= g_matches.size()) return nullptr;
    return strdup(g_matches[g_next_match++].c_str());
}

char** Complete(const char* text, int start, int end) {
    rl_attempted_completion_over = 1;  // never fall back to libedit's own file-name completion
    // An exception must not unwind through libedit's C frames: a failed catalog
    // query simply offers no completions.
    try {
        std::string_view line(rl_line_buffer, static_cast<size_t>(std::max(end, 0)));
        g_matches = CompletionCandidates(line, static_cast<size_t>(std::max(start, 0)), text, g_catalog);
    } catch (const std::exception&) {
        g_matches.clear();
    }
    if (g_matches.empty()) return nullptr;
    // A unique directory match keeps the cursor after its '/', ready for the next name.
    rl_completion_append_character = g_matches.size() == 1 && g_matches[0].back() == '/' ? '\0' : ' ';
    return rl_completion_matches(text, NextMatch);
}

// '.' and '/' are not word breaks: file names and `table.column` complete as one word.
char g_word_breaks[] = " \t\n\"'`(),;=<>+*|";

}  // namespace

std::vector<std::string> CompletionCandidates(std::string_view line, size_t word_start, std::string_view word,
                                              const CatalogProvider& catalog) {
    std::set<std::string> out;
    std::string_view before = line.substr(0, std::min(word_start, line.size()));
    std::vector<std::string> words = SplitWords(before);
    size_t first = line.find_first_not_of(" \t");

    /*----- dot commands and their arguments -----*/
    if (first != std::string_view::npos && line[first] == '.') {
        if (words.empty()) {
            for (const DotCommandInfo& command : DotCommandTable())
                if (command.name.rfind(word, 0) == 0) out.insert(std::string(command.name));
            return {out.begin(), out.end()};
        }
        const DotCommandInfo* info = nullptr;
        for (const DotCommandInfo& command : DotCommandTable())
            if (command.name == words[0]) info = &command;
        if (info != nullptr && info->first_argument == ArgumentKind::Query) {
            // A table name first, or a query whose words complete as SQL.
            if (words.size() == 1) {
                if (catalog) AddMatches(catalog().tables, word, out);
                for (const char* keyword : kQueryStarts)
                    if (HasPrefixIgnoringCase(keyword, word))
                        out.insert(!word.empty() && std::islower(static_cast<unsigned char>(word[0])) ? Lower(keyword)
                                                                                                     : keyword);
                return {out.begin(), out.end()};
            }
            size_t query_start = line.find(info->name) + info->name.size();
            return CompletionCandidates(line.substr(query_start), word_start - query_start, word, catalog);
        }
        if (info == nullptr || words.size() > 2) return {};
        ArgumentKind kind = words.size() == 1 ? info->first_argument : info->second_argument;
        switch (kind) {
        case ArgumentKind::File: AddFiles(word, out); break;
        case ArgumentKind::Table:
            if (catalog) AddMatches(catalog().tables, word, out);
            break;
        case ArgumentKind::Mode: AddMatches(OutputModeNames(), word, out); break;
        case ArgumentKind::OnOff: AddMatches({"on", "off"}, word, out); break;
        case ArgumentKind::HelpTopic: {
            std::vector<std::string> topics = {"sql", "functions"};
            for (const HelpTopic& topic : StatementTopics())
                if (topic.name.find(' ') == std::string_view::npos) topics.emplace_back(topic.name);
            for (const HelpTopic& topic : FunctionTopics()) topics.emplace_back(topic.name);
            AddMatches(topics, word, out);
            break;
        }
        case ArgumentKind::Query:
        case ArgumentKind::None: break;
        }
        return {out.begin(), out.end()};
    }

    /*----- SQL -----*/
    if (std::count(before.begin(), before.end(), '\'') % 2 == 1) {  // inside a string: a file name
        AddFiles(word, out);
        return {out.begin(), out.end()};
    }
    CompletionCatalog names = catalog ? catalog() : CompletionCatalog();
    size_t dot = word.rfind('.');
    if (dot != std::string_view::npos) {  // table.column
        std::string qualifier(word.substr(0, dot + 1));
        for (const std::string& column : names.columns)
            if (HasPrefixIgnoringCase(column, word.substr(dot + 1))) out.insert(qualifier + column);
        return {out.begin(), out.end()};
    }
    std::string previous = words.empty() ? "" : Upper(words.back());
    bool table_only = std::find(std::begin(kTableContext), std::end(kTableContext), previous) != std::end(kTableContext);
    AddMatches(names.tables, word, out);
    if (table_only) return {out.begin(), out.end()};
    AddMatches(names.columns, word, out);
    AddMatches(FunctionNames(), word, out);
    // Keywords follow the case of what was typed: "sel" completes to "select".
    bool lower = !word.empty() && std::islower(static_cast<unsigned char>(word[0]));
    for (const char* keyword : kKeywords)
        if (HasPrefixIgnoringCase(keyword, word)) out.insert(lower ? Lower(keyword) : std::string(keyword));
    return {out.begin(), out.end()};
}

void InstallCompletion(CatalogProvider catalog) {
    g_catalog = std::move(catalog);
    rl_attempted_completion_function = Complete;
    rl_basic_word_break_characters = g_word_breaks;
    rl_completer_word_break_characters = g_word_breaks;
}

bool IsSqlKeyword(std::string_view word) {
    std::string upper = Upper(word);
    for (const char* keyword : kKeywords)
        if (upper == keyword) return true;
    return false;
}

const std::vector<std::string>& FunctionNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out = {"ceiling", "pow", "char_length", "len", "substr", "strpos", "instr",
                                        "ucase", "lcase", "ifnull", "nvl", "date_part", "current_date", "today",
                                        "group_concat", "every", "mean", "prefix"};
        for (const HelpTopic& topic : FunctionTopics()) out.emplace_back(topic.name);
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }();
    return names;
}

}  // namespace grizzly::shell
