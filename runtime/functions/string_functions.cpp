/// String functions: || , LIKE / ILIKE / GLOB, length, upper/lower, substring,
/// position, trim family, replace, reverse, repeat, left/right, starts_with,
/// contains. Positions and lengths count UTF-8 characters, not bytes (as
/// PostgreSQL with a UTF-8 database); upper/lower change ASCII letters only.
///
/// Results that are a piece of an input (substring, trim, left, right) point
/// into the input's bytes and keep its heap alive instead of copying; new
/// strings are built directly in the result's heap (short ones inline).

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "common/like.hpp"
#include "runtime/functions/kernels.hpp"

namespace grizzly::runtime {

namespace {

using ir::ScalarFunctionId;
using namespace kernels;

// ---- UTF-8 -------------------------------------------------------------------

inline bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/// Bytes in the UTF-8 sequence starting with `lead` (1 for stray bytes, so scans always advance).
inline size_t SequenceLength(unsigned char lead) {
    if (lead < 0xC0) return 1;
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    return 4;
}

/// Byte offset of the character after the next one at `pos`, clamped to the string.
inline size_t NextChar(std::string_view s, size_t pos) {
    return std::min(s.size(), pos + SequenceLength(static_cast<unsigned char>(s[pos])));
}

} // namespace

int64_t CharCount(std::string_view s) {
    int64_t count = 0;
    for (char c : s) count += !IsContinuation(static_cast<unsigned char>(c));
    return count;
}

namespace {

/// Byte offset after skipping `chars` characters (the size when the string is shorter).
size_t SkipChars(std::string_view s, int64_t chars) {
    size_t pos = 0;
    while (chars > 0 && pos < s.size()) {
        pos = NextChar(s, pos);
        --chars;
    }
    return pos;
}

/// Decodes the code point at `pos` (a stray byte decodes as itself).
uint32_t DecodeChar(std::string_view s, size_t pos, size_t& length) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    length = std::min(SequenceLength(lead), s.size() - pos);
    if (length == 1) return lead;
    uint32_t cp = lead & (0xFF >> (length + 1));
    for (size_t i = 1; i < length; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
    return cp;
}

inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
inline char AsciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

// ---- building results ------------------------------------------------------------

/// A new string of `length` bytes written by `fill(char*)`, inline when short.
template <class Fill>
StringRef BuildString(Vector& result, size_t length, Fill&& fill) {
    if (length > (size_t(1) << 30)) throw Error::RequestedLengthTooLarge();
    const auto len = static_cast<uint32_t>(length);
    if (len <= StringRef::kInlineLength) {
        char buf[StringRef::kInlineLength];
        fill(buf);
        return StringRef(buf, len);
    }
    char* dst = result.Heap().Allocate(len);
    fill(dst);
    return StringRef(dst, len);
}

/// A piece of an input string; the caller keeps the input's heap alive.
inline StringRef Slice(const StringRef& s, size_t begin, size_t end) {
    return StringRef(s.Data() + begin, static_cast<uint32_t>(end - begin));
}

} // namespace

// ---- LIKE ----------------------------------------------------------------------

namespace {

void ExecuteLike(Args args, size_t arg_count, Rows rows, Vector& result, bool case_insensitive) {
    LikePattern matcher;
    auto match = [&](const StringRef& text, const StringRef& pattern, char escape) -> uint8_t {
        if (!matcher.Matches(pattern.View(), escape, case_insensitive)) {
            matcher.Prepare(pattern.View(), escape, case_insensitive);
            matcher.MarkValid();
        }
        return matcher.Match(text.View()) ? 1 : 0;
    };
    if (arg_count == 2) {
        // Without ESCAPE, backslash escapes (PostgreSQL's default).
        BinaryMap<StringRef, StringRef, uint8_t>(*args[0], *args[1], rows, result,
                                                 [&](const StringRef& t, const StringRef& p) { return match(t, p, '\\'); });
        return;
    }
    TernaryExecute<StringRef, StringRef, StringRef, uint8_t>(
        *args[0], *args[1], *args[2], rows, result,
        [&](const StringRef& t, const StringRef& p, const StringRef& e, uint8_t& out) -> uint8_t {
            out = match(t, p, LikeEscape(e.View()));
            return kOk;
        },
        NoFail{});
}

// ---- GLOB ----------------------------------------------------------------------

/// Matches one bracket class starting after '[' at pattern[p]; sets p past ']'.
/// Returns false for an unterminated class (which then matches nothing).
bool MatchGlobClass(std::string_view pattern, size_t& p, uint32_t ch, bool& matched) {
    bool negate = false;
    if (p < pattern.size() && (pattern[p] == '^' || pattern[p] == '!')) {
        negate = true;
        ++p;
    }
    matched = false;
    bool first = true;
    while (p < pattern.size() && (first || pattern[p] != ']')) {
        size_t len;
        uint32_t lo = DecodeChar(pattern, p, len);
        p += len;
        uint32_t hi = lo;
        if (p + 1 < pattern.size() && pattern[p] == '-' && pattern[p + 1] != ']') {
            hi = DecodeChar(pattern, p + 1, len);
            p += 1 + len;
        }
        if (ch >= lo && ch <= hi) matched = true;
        first = false;
    }
    if (p >= pattern.size()) return false;
    ++p;  // ']'
    matched = matched != negate;
    return true;
}

/// SQLite's GLOB: '*' any run, '?' one character, '[...]' a class ('^' negates); case-sensitive.
bool GlobMatch(std::string_view text, std::string_view pattern) {
    size_t t = 0, p = 0;
    size_t star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size()) {
            char c = pattern[p];
            if (c == '*') {
                while (p < pattern.size() && pattern[p] == '*') ++p;
                if (p == pattern.size()) return true;
                star_p = p;
                star_t = t;
                continue;
            }
            if (c == '?') {
                t = NextChar(text, t);
                ++p;
                continue;
            }
            if (c == '[') {
                size_t len;
                uint32_t ch = DecodeChar(text, t, len);
                size_t q = p + 1;
                bool matched;
                if (!MatchGlobClass(pattern, q, ch, matched)) return false;
                if (matched) {
                    t += len;
                    p = q;
                    continue;
                }
            } else if (text[t] == c) {
                ++t;
                ++p;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        star_t = NextChar(text, star_t);
        t = star_t;
        p = star_p;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

// ---- substring family -------------------------------------------------------------

} // namespace

// PostgreSQL's substring(s from start for length): characters [start, start+length)
// of a 1-based string, where positions before 1 just shorten the result.
StringRef SubstringOf(const StringRef& s, int64_t start, int64_t length, bool has_length) {
    std::string_view view = s.View();
    if (has_length && length < 0) throw Error::NegativeSubstringLength();
    int64_t end_pos = 0;  // exclusive, 1-based; meaningful when has_length
    bool unbounded = !has_length || __builtin_add_overflow(start, length, &end_pos);
    if (!unbounded && end_pos <= 1) return StringRef();
    const int64_t first = std::max<int64_t>(start, 1);
    const size_t begin = SkipChars(view, first - 1);
    size_t end = view.size();
    if (!unbounded) {
        // Walk only the requested characters instead of the whole string.
        int64_t count = end_pos - first;
        size_t pos = begin;
        while (count > 0 && pos < view.size()) {
            pos = NextChar(view, pos);
            --count;
        }
        end = pos;
    }
    return Slice(s, begin, end);
}

namespace {

StringRef LeftOf(const StringRef& s, int64_t n) {
    std::string_view view = s.View();
    int64_t chars = n >= 0 ? n : std::max<int64_t>(CharCount(view) + n, 0);
    return Slice(s, 0, SkipChars(view, chars));
}

StringRef RightOf(const StringRef& s, int64_t n) {
    std::string_view view = s.View();
    // -n overflows for INT64_MIN; any skip past the end gives the empty string anyway.
    int64_t skip = n >= 0 ? std::max<int64_t>(CharCount(view) - n, 0)
                          : (n == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -n);
    return Slice(s, SkipChars(view, skip), view.size());
}

/// Whether the character at s[pos] (length len) is one of `chars` (a list of UTF-8 characters).
bool InCharSet(std::string_view chars, std::string_view s, size_t pos, size_t len) {
    std::string_view ch = s.substr(pos, len);
    for (size_t i = 0; i < chars.size();) {
        size_t clen = std::min(SequenceLength(static_cast<unsigned char>(chars[i])), chars.size() - i);
        if (chars.substr(i, clen) == ch) return true;
        i += clen;
    }
    return false;
}

StringRef TrimOf(const StringRef& s, std::string_view chars, bool left, bool right) {
    std::string_view view = s.View();
    size_t begin = 0, end = view.size();
    if (left) {
        while (begin < end) {
            size_t len = NextChar(view, begin) - begin;
            if (!InCharSet(chars, view, begin, len)) break;
            begin += len;
        }
    }
    if (right) {
        while (end > begin) {
            size_t start = end - 1;
            while (start > begin && IsContinuation(static_cast<unsigned char>(view[start]))) --start;
            if (!InCharSet(chars, view, start, end - start)) break;
            end = start;
        }
    }
    return Slice(s, begin, end);
}

// ---- the dispatcher's cases -----------------------------------------------------

void ExecuteTrim(ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result) {
    const bool left = id != ScalarFunctionId::RTrim, right = id != ScalarFunctionId::LTrim;
    if (arg_count == 1) {
        UnaryMap<StringRef, StringRef>(*args[0], rows, result,
                                       [&](const StringRef& s) { return TrimOf(s, " ", left, right); });
    } else {
        BinaryMap<StringRef, StringRef, StringRef>(
            *args[0], *args[1], rows, result,
            [&](const StringRef& s, const StringRef& chars) { return TrimOf(s, chars.View(), left, right); });
    }
    result.KeepStringsAlive(*args[0]);
}

void ExecuteReplace(Args args, Rows rows, Vector& result) {
    TernaryExecute<StringRef, StringRef, StringRef, StringRef>(
        *args[0], *args[1], *args[2], rows, result,
        [&](const StringRef& s, const StringRef& from, const StringRef& to, StringRef& out) -> uint8_t {
            std::string_view text = s.View(), needle = from.View(), replacement = to.View();
            if (needle.empty()) {
                out = s;
                return kOk;
            }
            size_t count = 0;
            for (size_t pos = text.find(needle); pos != std::string_view::npos;
                 pos = text.find(needle, pos + needle.size()))
                ++count;
            if (count == 0) {
                out = s;
                return kOk;
            }
            size_t length = text.size() - count * needle.size() + count * replacement.size();
            out = BuildString(result, length, [&](char* dst) {
                size_t pos = 0;
                for (size_t found = text.find(needle); found != std::string_view::npos;
                     found = text.find(needle, pos)) {
                    std::memcpy(dst, text.data() + pos, found - pos);
                    dst += found - pos;
                    std::memcpy(dst, replacement.data(), replacement.size());
                    dst += replacement.size();
                    pos = found + needle.size();
                }
                std::memcpy(dst, text.data() + pos, text.size() - pos);
            });
            return kOk;
        },
        NoFail{});
    result.KeepStringsAlive(*args[0]);
}

} // namespace

namespace kernels {

void ExecuteStringFunction(ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result) {
    std::optional<Vector> storage1, storage2;
    switch (id) {
    case ScalarFunctionId::Concat:
        BinaryMap<StringRef, StringRef, StringRef>(*args[0], *args[1], rows, result,
                                                   [&](const StringRef& a, const StringRef& b) {
                                                       return BuildString(result, size_t(a.Size()) + b.Size(),
                                                                          [&](char* dst) {
                                                                              std::memcpy(dst, a.Data(), a.Size());
                                                                              std::memcpy(dst + a.Size(), b.Data(),
                                                                                          b.Size());
                                                                          });
                                                   });
        return;
    case ScalarFunctionId::Like: ExecuteLike(args, arg_count, rows, result, false); return;
    case ScalarFunctionId::ILike: ExecuteLike(args, arg_count, rows, result, true); return;
    case ScalarFunctionId::Glob:
        BinaryMap<StringRef, StringRef, uint8_t>(
            *args[0], *args[1], rows, result,
            [](const StringRef& t, const StringRef& p) -> uint8_t { return GlobMatch(t.View(), p.View()); });
        return;
    case ScalarFunctionId::Length:
        UnaryMap<StringRef, int64_t>(*args[0], rows, result, [](const StringRef& s) { return CharCount(s.View()); });
        return;
    case ScalarFunctionId::Upper:
    case ScalarFunctionId::Lower: {
        const bool upper = id == ScalarFunctionId::Upper;
        UnaryMap<StringRef, StringRef>(*args[0], rows, result, [&](const StringRef& s) {
            return BuildString(result, s.Size(), [&](char* dst) {
                const char* src = s.Data();
                for (uint32_t i = 0; i < s.Size(); ++i) dst[i] = upper ? AsciiUpper(src[i]) : AsciiLower(src[i]);
            });
        });
        return;
    }
    case ScalarFunctionId::Substring: {
        const Vector& start = Coerce(*args[1], LogicalType(TypeId::BigInt), rows, storage1);
        if (arg_count == 2) {
            BinaryMap<StringRef, int64_t, StringRef>(
                *args[0], start, rows, result,
                [](const StringRef& s, int64_t from) { return SubstringOf(s, from, 0, false); });
        } else {
            const Vector& length = Coerce(*args[2], LogicalType(TypeId::BigInt), rows, storage2);
            TernaryExecute<StringRef, int64_t, int64_t, StringRef>(
                *args[0], start, length, rows, result,
                [](const StringRef& s, int64_t from, int64_t count, StringRef& out) -> uint8_t {
                    out = SubstringOf(s, from, count, true);
                    return kOk;
                },
                NoFail{});
        }
        result.KeepStringsAlive(*args[0]);
        return;
    }
    case ScalarFunctionId::Position:
        // position(needle IN haystack) arrives as position(needle, haystack).
        BinaryMap<StringRef, StringRef, int64_t>(*args[0], *args[1], rows, result,
                                                 [](const StringRef& needle, const StringRef& haystack) -> int64_t {
                                                     std::string_view h = haystack.View();
                                                     size_t found = h.find(needle.View());
                                                     if (found == std::string_view::npos) return 0;
                                                     return CharCount(h.substr(0, found)) + 1;
                                                 });
        return;
    case ScalarFunctionId::Trim:
    case ScalarFunctionId::LTrim:
    case ScalarFunctionId::RTrim: ExecuteTrim(id, args, arg_count, rows, result); return;
    case ScalarFunctionId::Replace: ExecuteReplace(args, rows, result); return;
    case ScalarFunctionId::Reverse:
        UnaryMap<StringRef, StringRef>(*args[0], rows, result, [&](const StringRef& s) {
            return BuildString(result, s.Size(), [&](char* dst) {
                std::string_view view = s.View();
                size_t out_pos = view.size();
                for (size_t pos = 0; pos < view.size();) {
                    size_t next = NextChar(view, pos);
                    out_pos -= next - pos;
                    std::memcpy(dst + out_pos, view.data() + pos, next - pos);
                    pos = next;
                }
            });
        });
        return;
    case ScalarFunctionId::Repeat: {
        const Vector& times = Coerce(*args[1], LogicalType(TypeId::BigInt), rows, storage1);
        BinaryMap<StringRef, int64_t, StringRef>(*args[0], times, rows, result, [&](const StringRef& s, int64_t n) {
            if (n <= 0 || s.Size() == 0) return StringRef();
            if (n > (int64_t(1) << 30) / s.Size()) throw Error::RequestedLengthTooLarge();
            return BuildString(result, s.Size() * static_cast<size_t>(n), [&](char* dst) {
                for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * s.Size(), s.Data(), s.Size());
            });
        });
        return;
    }
    case ScalarFunctionId::Left:
    case ScalarFunctionId::Right: {
        const Vector& count = Coerce(*args[1], LogicalType(TypeId::BigInt), rows, storage1);
        if (id == ScalarFunctionId::Left)
            BinaryMap<StringRef, int64_t, StringRef>(*args[0], count, rows, result, LeftOf);
        else BinaryMap<StringRef, int64_t, StringRef>(*args[0], count, rows, result, RightOf);
        result.KeepStringsAlive(*args[0]);
        return;
    }
    case ScalarFunctionId::StartsWith:
        BinaryMap<StringRef, StringRef, uint8_t>(*args[0], *args[1], rows, result,
                                                 [](const StringRef& s, const StringRef& prefix) -> uint8_t {
                                                     return s.View().substr(0, prefix.Size()) == prefix.View();
                                                 });
        return;
    case ScalarFunctionId::Contains:
        BinaryMap<StringRef, StringRef, uint8_t>(*args[0], *args[1], rows, result,
                                                 [](const StringRef& s, const StringRef& needle) -> uint8_t {
                                                     return s.View().find(needle.View()) != std::string_view::npos;
                                                 });
        return;
    default: ThrowUnsupported(id, args, arg_count, result);
    }
}

}  // namespace kernels

}  // namespace grizzly::runtime
