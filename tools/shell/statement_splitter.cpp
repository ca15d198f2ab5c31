#include "tools/shell/statement_splitter.hpp"

#include <cctype>

namespace grizzly::shell {

namespace {

// Upper-cased word starting at i, or "".
std::string WordAt(const std::string& s, size_t i) {
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_')) return "";
    std::string w;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_'))
        w += static_cast<char>(std::toupper(static_cast<unsigned char>(s[i++])));
    return w;
}

}  // namespace

std::vector<SplitStatement> SplitStatements(const std::string& text, std::string& rest, int first_line) {
    std::vector<SplitStatement> out;
    size_t start = 0;
    int line = first_line, start_line = first_line;
    bool in_trigger = false;  // CREATE TRIGGER ... BEGIN: semicolons belong to the body until END
    bool saw_begin = false;
    bool statement_started = false;
    std::string first_words;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\n') ++line;
        if (!statement_started && !std::isspace(static_cast<unsigned char>(c))) {
            statement_started = true;
            start_line = line;
        }
        if (c == '\'' || c == '"' || c == '`') {
            char quote = c;
            for (++i; i < text.size(); ++i) {
                if (text[i] == '\n') ++line;
                if (text[i] == quote) {
                    if (i + 1 < text.size() && text[i + 1] == quote) ++i;
                    else break;
                }
            }
            continue;
        }
        if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            while (i < text.size() && text[i] != '\n') ++i;
            if (i < text.size()) ++line;
            continue;
        }
        if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            for (i += 2; i + 1 < text.size() && !(text[i] == '*' && text[i + 1] == '/'); ++i)
                if (text[i] == '\n') ++line;
            ++i;
            continue;
        }
        if (c == '$' && i + 1 < text.size() && text[i + 1] == '$') {
            size_t end = text.find("$$", i + 2);
            for (size_t k = i; k < (end == std::string::npos ? text.size() : end); ++k)
                if (text[k] == '\n') ++line;
            i = end == std::string::npos ? text.size() : end + 1;
            continue;
        }
        if (std::isalpha(static_cast<unsigned char>(c))) {
            std::string w = WordAt(text, i);
            if (!w.empty()) {
                if (w == "TRIGGER" && !saw_begin) in_trigger = true;
                if (in_trigger && w == "BEGIN") saw_begin = true;
                if (in_trigger && saw_begin && w == "END") in_trigger = saw_begin = false;
                i += w.size() - 1;
                continue;
            }
        }
        if (c == ';' && !(in_trigger && saw_begin)) {
            std::string stmt = text.substr(start, i + 1 - start);
            bool blank = true;
            for (char ch : stmt) blank &= std::isspace(static_cast<unsigned char>(ch)) || ch == ';';
            if (!blank) out.push_back({stmt, start_line});
            start = i + 1;
            statement_started = false;
            in_trigger = saw_begin = false;
        }
    }
    rest = text.substr(start);
    return out;
}

bool IsComplete(const std::string& text) {
    std::string rest;
    auto statements = SplitStatements(text, rest);
    for (char c : rest)
        if (!std::isspace(static_cast<unsigned char>(c))) return false;
    return !statements.empty();
}

}  // namespace grizzly::shell
