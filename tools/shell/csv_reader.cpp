#include "tools/shell/csv_reader.hpp"

namespace grizzly::shell {

bool CsvReader::Next(std::vector<CsvField>& row) {
    row.clear();
    int c = in_.get();
    if (c == std::char_traits<char>::eof()) return false;
    row_line_ = line_;
    row.emplace_back();
    while (true) {
        if (c == std::char_traits<char>::eof()) return true;  // a last row without a newline
        if (c == '\n') {
            ++line_;
            return true;
        }
        if (c == '\r') {
            if (in_.peek() == '\n') in_.get();
            ++line_;
            return true;
        }
        if (c == ',') {
            row.emplace_back();
        } else if (c == '"' && row.back().text.empty() && !row.back().quoted) {
            row.back().quoted = true;
            while (true) {
                c = in_.get();
                if (c == std::char_traits<char>::eof()) {
                    error_ = "unterminated quoted field starting on line " + std::to_string(row_line_);
                    return false;
                }
                if (c == '"') {
                    if (in_.peek() != '"') break;
                    in_.get();
                }
                if (c == '\n') ++line_;
                row.back().text += static_cast<char>(c);
            }
        } else {
            row.back().text += static_cast<char>(c);
        }
        c = in_.get();
    }
}

}  // namespace grizzly::shell
