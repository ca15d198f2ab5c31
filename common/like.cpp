#include "common/like.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace grizzly {

namespace {

/// Byte offset of the character after the one at `pos` (UTF-8; a stray byte is one character).
size_t NextChar(std::string_view s, size_t pos) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    const size_t length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return std::min(s.size(), pos + length);
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

}  // namespace

bool LikeMatch(std::string_view text, std::string_view pattern, char escape, bool case_insensitive) {
    // Iterative matching that remembers the last '%': on a mismatch the '%' absorbs
    // one more character and matching resumes after it. Linear for one '%',
    // O(n·m) at worst, with no recursion.
    size_t t = 0, p = 0;
    size_t star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size()) {
            char c = pattern[p];
            size_t step = 1;
            // The escape is checked first so that ESCAPE '%' or '_' still works.
            if (escape != 0 && c == escape) {
                if (p + 1 >= pattern.size()) throw Error::LikePatternEndsWithEscape();
                c = pattern[p + 1];
                step = 2;
            } else if (c == '%') {
                while (p < pattern.size() && pattern[p] == '%') ++p;
                if (p == pattern.size()) return true;
                star_p = p;
                star_t = t;
                continue;
            } else if (c == '_') {
                t = NextChar(text, t);
                ++p;
                continue;
            }
            char x = text[t];
            if (case_insensitive ? AsciiLower(x) == AsciiLower(c) : x == c) {
                ++t;
                p += step;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        star_t = NextChar(text, star_t);
        t = star_t;
        p = star_p;
    }
    while (p < pattern.size() && pattern[p] == '%') ++p;
    if (p < pattern.size() && escape != 0 && pattern[p] == escape && p + 1 >= pattern.size())
        throw Error::LikePatternEndsWithEscape();
    return p == pattern.size();
}

char LikeEscape(std::string_view escape) {
    if (escape.empty()) return 0;
    if (escape.size() != 1) throw Error::InvalidEscapeString();
    return escape[0];
}

void LikePattern::Prepare(std::string_view pattern, char escape, bool case_insensitive) {
    pattern_.assign(pattern.data(), pattern.size());
    escape_ = escape;
    case_insensitive_ = case_insensitive;
    segments_.clear();
    simple_ = !case_insensitive && pattern.find('_') == std::string_view::npos &&
              (escape == 0 || pattern.find(escape) == std::string_view::npos);
    if (!simple_) return;
    anchored_start_ = pattern.empty() || pattern.front() != '%';
    anchored_end_ = pattern.empty() || pattern.back() != '%';
    size_t pos = 0;
    while (pos <= pattern.size()) {
        size_t next = pattern.find('%', pos);
        if (next == std::string_view::npos) next = pattern.size();
        if (next > pos) segments_.emplace_back(pos, next - pos);
        pos = next + 1;
    }
    has_percent_ = pattern.find('%') != std::string_view::npos;
}

bool LikePattern::Match(std::string_view text) const {
    if (!simple_) return LikeMatch(text, pattern_, escape_, case_insensitive_);
    const std::string_view pattern = pattern_;
    if (!has_percent_) return text == pattern;
    size_t begin = 0, end = text.size();
    size_t first = 0, last = segments_.size();
    if (anchored_start_) {
        std::string_view seg = pattern.substr(segments_[0].first, segments_[0].second);
        if (text.substr(0, seg.size()) != seg) return false;
        begin = seg.size();
        first = 1;
    }
    if (anchored_end_ && last > first) {
        std::string_view seg = pattern.substr(segments_[last - 1].first, segments_[last - 1].second);
        if (end - begin < seg.size() || text.substr(end - seg.size()) != seg) return false;
        end -= seg.size();
        --last;
    }
    for (size_t i = first; i < last; ++i) {
        std::string_view seg = pattern.substr(segments_[i].first, segments_[i].second);
        size_t found = text.substr(0, end).find(seg, begin);
        if (found == std::string_view::npos) return false;
        begin = found + seg.size();
    }
    return true;
}

}  // namespace grizzly
