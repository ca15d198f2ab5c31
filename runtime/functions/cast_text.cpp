/// Text → value parsing for casts from VARCHAR, and the shortest-decimal view
/// of doubles shared by double → decimal casts and round(double, digits).
/// Each parser returns 0 or a kFail... code and never throws, so TRY_CAST can
/// turn a failure into NULL.

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "runtime/functions/kernels.hpp"

namespace grizzly::runtime::kernels {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view TrimBlanks(std::string_view s) {
    while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
    while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
    return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
        if (x != b[i]) return false;
    }
    return true;
}

}  // namespace

DecimalDigits ShortestDigits(double v) {
    DecimalDigits out;
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
    const char* p = buf;
    const char* end = res.ptr;
    if (p < end && *p == '-') {
        out.negative = true;
        ++p;
    }
    int fraction_digits = 0;
    bool after_point = false;
    for (; p < end && *p != 'e'; ++p) {
        if (*p == '.') {
            after_point = true;
            continue;
        }
        out.digits = out.digits * 10 + (*p - '0');
        ++out.count;
        if (after_point) ++fraction_digits;
    }
    int exponent = 0;
    if (p < end && *p == 'e') std::from_chars(p + 1 + (p[1] == '+'), end, exponent);
    out.exponent = exponent - fraction_digits;
    return out;
}

bool DoubleToScaledInteger(double v, int scale, int64_t bound, int64_t& out) {
    if (!std::isfinite(v)) return false;
    if (v == 0) {
        out = 0;
        return true;
    }
    DecimalDigits d = ShortestDigits(v);
    const int shift = d.exponent + scale;  // result = digits × 10^shift
    __int128 magnitude;
    if (shift >= 0) {
        if (d.count + shift > 19) return false;
        magnitude = static_cast<__int128>(d.digits) * kPowersOfTen[shift];
    } else {
        magnitude = DivideRoundHalfAway(d.digits, -shift);
    }
    if (magnitude >= bound) return false;
    out = static_cast<int64_t>(d.negative ? -magnitude : magnitude);
    return true;
}

/// Strict integer text: [blanks][+|-]digits[blanks].
uint8_t ParseInteger(std::string_view text, int64_t lo, int64_t hi, int64_t& out) {
    std::string_view s = TrimBlanks(text);
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return kFailInvalidText;
    uint64_t magnitude = 0;
    bool overflow = false;
    for (char c : s) {
        if (c < '0' || c > '9') return kFailInvalidText;
        overflow |= __builtin_mul_overflow(magnitude, 10u, &magnitude);
        overflow |= __builtin_add_overflow(magnitude, static_cast<uint64_t>(c - '0'), &magnitude);
    }
    if (overflow) return kFailOverflow;
    if (negative) {
        if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) return kFailOverflow;
        out = static_cast<int64_t>(0 - magnitude);
    } else {
        if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return kFailOverflow;
        out = static_cast<int64_t>(magnitude);
    }
    return out < lo || out > hi ? kFailOverflow : kOk;
}

uint8_t ParseDouble(std::string_view text, double& out) {
    std::string_view s = TrimBlanks(text);
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || s.front() == '+' || s.front() == '-') return kFailInvalidText;
    if (EqualsIgnoreCase(s, "inf") || EqualsIgnoreCase(s, "infinity")) {
        out = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
        return kOk;
    }
    if (EqualsIgnoreCase(s, "nan")) {
        out = std::numeric_limits<double>::quiet_NaN();
        return kOk;
    }
    double value = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
    if (res.ptr != s.data() + s.size()) return kFailInvalidText;
    if (res.ec == std::errc::result_out_of_range) return kFailOverflow;
    if (res.ec != std::errc()) return kFailInvalidText;
    out = negative ? -value : value;
    return kOk;
}

/// Exact decimal text → value × 10^scale, rounded half away from zero at the scale.
uint8_t ParseDecimal(std::string_view text, int scale, int64_t bound, int64_t& out) {
    std::string_view s = TrimBlanks(text);
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    // Significant digits (leading zeros dropped) and the power of ten of the last one.
    char digits[64];
    int count = 0;
    int dropped = 0;  // significant digits beyond the buffer, before the point
    int fraction = 0;
    bool any_digit = false, after_point = false;
    size_t pos = 0;
    for (; pos < s.size(); ++pos) {
        char c = s[pos];
        if (c == '.') {
            if (after_point) return kFailInvalidText;
            after_point = true;
            continue;
        }
        if (c < '0' || c > '9') break;
        any_digit = true;
        if (count == 0 && c == '0') {
            if (after_point) ++fraction;
            continue;
        }
        if (count < static_cast<int>(sizeof(digits))) {
            digits[count++] = c;
            if (after_point) ++fraction;
        } else if (!after_point) {
            ++dropped;
        }
    }
    if (!any_digit) return kFailInvalidText;
    int64_t exponent = 0;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        ++pos;
        bool exp_negative = false;
        if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) exp_negative = s[pos++] == '-';
        if (pos >= s.size()) return kFailInvalidText;
        for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
            exponent = exponent * 10 + (s[pos] - '0');
            if (exponent > 100000) return kFailOverflow;
        }
        if (exp_negative) exponent = -exponent;
    }
    if (pos != s.size()) return kFailInvalidText;
    // value = digits × 10^(exponent + dropped - fraction); the result wants value × 10^scale.
    const int64_t shift = exponent + dropped - fraction + scale;
    __int128 magnitude = 0;
    if (shift < 0) {
        // Keep the digits left of the rounding position; the next one decides the rounding.
        const int64_t keep = count + shift;
        if (keep > 19) return kFailOverflow;
        for (int64_t i = 0; i < keep; ++i) magnitude = magnitude * 10 + (digits[i] - '0');
        if (keep >= 0 && keep < count && digits[keep] >= '5') magnitude += 1;
    } else {
        if (count == 0) {
            out = 0;
            return kOk;
        }
        if (count + shift > 19) return kFailOverflow;
        for (int i = 0; i < count; ++i) magnitude = magnitude * 10 + (digits[i] - '0');
        magnitude *= kPowersOfTen[shift];
    }
    if (magnitude >= bound) return kFailOverflow;
    out = static_cast<int64_t>(negative ? -magnitude : magnitude);
    return kOk;
}

uint8_t ParseBoolean(std::string_view text, uint8_t& out) {
    std::string_view s = TrimBlanks(text);
    if (s.empty() || s.size() > 5) return kFailInvalidText;
    char lower[5];
    for (size_t i = 0; i < s.size(); ++i) lower[i] = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] + 32) : s[i];
    std::string_view w(lower, s.size());
    auto prefix_of = [&](std::string_view word) { return w.size() <= word.size() && word.substr(0, w.size()) == w; };
    // Unique prefixes, as PostgreSQL's boolin: "o" alone is ambiguous (on/off).
    if (w == "1" || w == "on" || prefix_of("true") || prefix_of("yes")) {
        out = 1;
        return kOk;
    }
    if (w == "0" || (w.size() >= 2 && prefix_of("off")) || prefix_of("false") || prefix_of("no")) {
        out = 0;
        return kOk;
    }
    return kFailInvalidText;
}

/// Interval text: the unit words common/datetime understands, plus a
/// [-]HH:MM[:SS[.ffffff]] time part (what FormatInterval prints) and "@ ... ago".
uint8_t ParseIntervalText(std::string_view text, Interval& out) {
    std::string_view s = TrimBlanks(text);
    if (!s.empty() && s.front() == '@') s = TrimBlanks(s.substr(1));
    bool ago = false;
    if (s.size() >= 3 && EqualsIgnoreCase(s.substr(s.size() - 3), "ago")) {
        ago = true;
        s = TrimBlanks(s.substr(0, s.size() - 3));
    }
    std::string rest;
    int64_t time_micros = 0;
    bool has_time = false;
    size_t pos = 0;
    while (pos < s.size()) {
        size_t end = pos;
        while (end < s.size() && !IsBlank(s[end])) ++end;
        std::string_view token = s.substr(pos, end - pos);
        if (token.find(':') != std::string_view::npos) {
            if (has_time) return kFailInvalidText;
            has_time = true;
            bool negative = false;
            if (!token.empty() && (token.front() == '-' || token.front() == '+')) {
                negative = token.front() == '-';
                token.remove_prefix(1);
            }
            int64_t parts[3] = {0, 0, 0};
            int64_t frac = 0;
            int part = 0;
            size_t i = 0;
            while (i < token.size()) {
                if (token[i] == ':') {
                    if (++part > 2) return kFailInvalidText;
                    ++i;
                    continue;
                }
                if (token[i] == '.' && part == 2) {
                    int digits = 0;
                    for (++i; i < token.size() && token[i] >= '0' && token[i] <= '9'; ++i) {
                        if (digits < 6) frac = frac * 10 + (token[i] - '0');
                        ++digits;
                    }
                    for (; digits < 6; ++digits) frac *= 10;
                    if (i != token.size()) return kFailInvalidText;
                    break;
                }
                if (token[i] < '0' || token[i] > '9') return kFailInvalidText;
                parts[part] = parts[part] * 10 + (token[i] - '0');
                if (parts[part] > 100000000) return kFailOverflow;
                ++i;
            }
            if (part == 0) return kFailInvalidText;
            int64_t micros = ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * kMicrosPerSecond + frac;
            time_micros = negative ? -micros : micros;
        } else {
            if (!rest.empty()) rest += ' ';
            rest += token;
        }
        pos = end;
        while (pos < s.size() && IsBlank(s[pos])) ++pos;
    }
    Interval value;
    if (!rest.empty()) {
        if (!ParseInterval(rest, "", value)) return kFailInvalidText;
    } else if (!has_time) {
        return kFailInvalidText;
    }
    if (__builtin_add_overflow(value.micros, time_micros, &value.micros)) return kFailOverflow;
    if (ago && (__builtin_sub_overflow(0, value.months, &value.months) ||
                __builtin_sub_overflow(0, value.days, &value.days) ||
                __builtin_sub_overflow(int64_t(0), value.micros, &value.micros)))
        return kFailOverflow;
    out = value;
    return kOk;
}

}  // namespace grizzly::runtime::kernels
