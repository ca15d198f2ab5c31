#pragma once
/// SQL LIKE matching, shared by the interpreter's LIKE and ILIKE and the
/// runtime helper compiled code calls (gz_rt_string_like), so both executors
/// match alike.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace grizzly {

/// SQL LIKE match with '%', '_' (one UTF-8 character) and an optional escape
/// character (0 = none). Throws 22025 for a pattern that ends with the escape.
bool LikeMatch(std::string_view text, std::string_view pattern, char escape, bool case_insensitive);

/// The escape character of an ESCAPE string: 0 for '' (no escape), else its
/// one character. Throws 22025 for a longer string.
char LikeEscape(std::string_view escape);

/// A LIKE pattern prepared once and reused while the pattern stays the same
/// (the usual constant pattern). Patterns made only of literal text and '%'
/// match by substring search: leftmost-first search of each segment is exact
/// for such patterns. Everything else goes through LikeMatch.
class LikePattern {
public:
    void Prepare(std::string_view pattern, char escape, bool case_insensitive);
    /// Whether this is the prepared form of `pattern` with these options.
    bool Matches(std::string_view pattern, char escape, bool case_insensitive) const {
        return valid_ && escape == escape_ && case_insensitive == case_insensitive_ && pattern == pattern_;
    }
    void MarkValid() { valid_ = true; }
    bool Match(std::string_view text) const;

private:
    std::string pattern_;
    char escape_ = 0;
    bool case_insensitive_ = false;
    bool valid_ = false;
    bool simple_ = false;
    bool has_percent_ = false;
    bool anchored_start_ = false;
    bool anchored_end_ = false;
    std::vector<std::pair<size_t, size_t>> segments_;  // offset, length into pattern_
};

}  // namespace grizzly
