/// CAST and TRY_CAST between all types, and CastValue for boxed values.
///
/// Rules (PostgreSQL unless noted):
/// - integer → narrower integer: range checked (22003 "smallint out of range").
/// - double → integer: rounded half away from zero (as requested for Grizzly;
///   PostgreSQL itself uses rint, ties to even), range checked; NaN/inf overflow.
/// - decimal → integer: rounded half away from zero; decimal → decimal rescales
///   with the same rounding; int/double → decimal checks the target precision.
/// - any → VARCHAR: integers plainly, doubles shortest round-trip, decimals at
///   their scale, booleans "true"/"false", dates/timestamps/intervals ISO-style.
/// - VARCHAR → integer: surrounding blanks allowed, otherwise digits only
///   ('1.5' is 22P02); → double accepts exponents, 'inf', 'infinity', 'nan';
///   → decimal parses exactly and rounds to the scale; → boolean accepts
///   t/true/y/yes/on/1 and f/false/n/no/off/0 (and unique prefixes);
///   → date/timestamp/interval use common/datetime (22007 on bad text).
/// - DATE ↔ TIMESTAMP; BOOLEAN ↔ numbers; NULL-typed input gives all NULLs.
/// With try_cast every failing row becomes NULL instead of raising.

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "runtime/functions/kernels.hpp"

namespace grizzly::runtime {

namespace kernels {

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

}  // namespace kernels

namespace {

using namespace kernels;

// ---- text parsing ----------------------------------------------------------

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view TrimBlanks(std::string_view s) {
    while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
    while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
    return s;
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

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
        if (x != b[i]) return false;
    }
    return true;
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
    value.micros += time_micros;
    if (ago) {
        value.months = -value.months;
        value.days = -value.days;
        value.micros = -value.micros;
    }
    out = value;
    return kOk;
}

// ---- errors ----------------------------------------------------------------

bool IsDatetime(TypeId id) { return id == TypeId::Date || id == TypeId::Timestamp || id == TypeId::Interval; }

[[noreturn]] __attribute__((cold, noinline)) void RaiseCast(uint8_t code, const Vector& input, uint32_t row,
                                                            const LogicalType& target) {
    const std::string name = PgTypeName(target);
    if (code & kFailInvalidText) {
        std::string text = input.Physical() == PhysicalType::String ? input.Data<StringRef>()[row].Str()
                                                                   : input.GetValue(row).ToString();
        if (IsDatetime(target.id)) throw Error::InvalidDatetimeText(text, name);
        throw Error::InvalidText(text, name);
    }
    if (target.id == TypeId::Date || target.id == TypeId::Timestamp) throw Error::DatetimeOutOfRange(name);
    throw Error::Overflow(name);
}

// ---- per-source casts ------------------------------------------------------

struct CastContext {
    const Vector& input;
    Rows rows;
    Vector& result;
    bool try_cast;

    auto OnFail() const {
        return [this](uint8_t code, uint32_t row) {
            if (!try_cast) RaiseCast(code, input, row, result.Type());
        };
    }
};

/// Range of an integer target type.
void IntegerBounds(TypeId id, int64_t& lo, int64_t& hi) {
    switch (id) {
    case TypeId::TinyInt: lo = -128, hi = 127; return;
    case TypeId::SmallInt: lo = -32768, hi = 32767; return;
    case TypeId::Integer:
        lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
        return;
    default: lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max(); return;
    }
}

template <class TOut, class Fn>
void CastTo(const CastContext& ctx, Fn&& fn);

/// Runs `fn(TIn, TOut&) -> code` over the input's physical type TIn.
template <class TIn, class TOut, class Fn>
void Run(const CastContext& ctx, Fn&& fn) {
    UnaryExecute<TIn, TOut>(ctx.input, ctx.rows, ctx.result, fn, ctx.OnFail());
}

/// Writes `text` as the row's string result.
inline StringRef MakeString(Vector& result, std::string_view text) { return result.AddString(text); }

template <class TIn>
void CastIntegerSource(const CastContext& ctx) {
    const LogicalType& target = ctx.result.Type();
    Vector& result = ctx.result;
    switch (target.id) {
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt: {
        int64_t lo, hi;
        IntegerBounds(target.id, lo, hi);
        auto check = [lo, hi](TIn v, auto& out) -> uint8_t {
            out = static_cast<std::remove_reference_t<decltype(out)>>(v);
            return (static_cast<int64_t>(v) < lo) | (static_cast<int64_t>(v) > hi) ? kFailOverflow : kOk;
        };
        if (target.Physical() == PhysicalType::Int32) Run<TIn, int32_t>(ctx, [&](TIn v, int32_t& out) { return check(v, out); });
        else Run<TIn, int64_t>(ctx, [&](TIn v, int64_t& out) { return check(v, out); });
        return;
    }
    case TypeId::Real:
    case TypeId::Double:
        Run<TIn, double>(ctx, [](TIn v, double& out) -> uint8_t {
            out = static_cast<double>(v);
            return kOk;
        });
        return;
    case TypeId::Decimal: {
        const int64_t factor = kPowersOfTen[target.scale];
        const int64_t bound = DecimalBound(target);
        Run<TIn, int64_t>(ctx, [=](TIn v, int64_t& out) -> uint8_t {
            __int128 scaled = static_cast<__int128>(v) * factor;
            out = static_cast<int64_t>(scaled);
            return (scaled >= bound) | (scaled <= -bound) ? kFailOverflow : kOk;
        });
        return;
    }
    case TypeId::Boolean:
        Run<TIn, uint8_t>(ctx, [](TIn v, uint8_t& out) -> uint8_t {
            out = v != 0;
            return kOk;
        });
        return;
    case TypeId::Varchar:
        Run<TIn, StringRef>(ctx, [&result](TIn v, StringRef& out) -> uint8_t {
            char buf[24];
            auto res = std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(v));
            out = MakeString(result, std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
            return kOk;
        });
        return;
    default: throw Error::CannotCast(PgTypeName(ctx.input.Type()), PgTypeName(target));
    }
}

void CastBooleanSource(const CastContext& ctx) {
    const LogicalType& target = ctx.result.Type();
    Vector& result = ctx.result;
    switch (target.id) {
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
        Run<uint8_t, int32_t>(ctx, [](uint8_t v, int32_t& out) -> uint8_t {
            out = v != 0;
            return kOk;
        });
        return;
    case TypeId::BigInt:
        Run<uint8_t, int64_t>(ctx, [](uint8_t v, int64_t& out) -> uint8_t {
            out = v != 0;
            return kOk;
        });
        return;
    case TypeId::Real:
    case TypeId::Double:
        Run<uint8_t, double>(ctx, [](uint8_t v, double& out) -> uint8_t {
            out = v != 0;
            return kOk;
        });
        return;
    case TypeId::Decimal: {
        const int64_t one = kPowersOfTen[target.scale];
        const bool fits = DecimalBound(target) > one;
        Run<uint8_t, int64_t>(ctx, [=](uint8_t v, int64_t& out) -> uint8_t {
            out = v != 0 ? one : 0;
            return v != 0 && !fits ? kFailOverflow : kOk;
        });
        return;
    }
    case TypeId::Varchar:
        Run<uint8_t, StringRef>(ctx, [&result](uint8_t v, StringRef& out) -> uint8_t {
            out = MakeString(result, v ? "true" : "false");
            return kOk;
        });
        return;
    default: throw Error::CannotCast(PgTypeName(ctx.input.Type()), PgTypeName(target));
    }
}

/// double → integer: rounded half away from zero, NaN and out-of-range fail.
template <class TOut>
void CastDoubleToInteger(const CastContext& ctx) {
    int64_t lo, hi;
    IntegerBounds(ctx.result.Type().id, lo, hi);
    // hi + 1 is exact as a double for every integer type (2^7, 2^15, 2^31, 2^63).
    const double lo_d = static_cast<double>(lo), limit = static_cast<double>(hi) + 1.0;
    Run<double, TOut>(ctx, [=](double v, TOut& out) -> uint8_t {
        double r = std::round(v);
        bool in_range = r >= lo_d && r < limit;
        out = in_range ? static_cast<TOut>(r) : TOut(0);
        return in_range ? kOk : kFailOverflow;
    });
}

void CastDoubleSource(const CastContext& ctx) {
    const LogicalType& target = ctx.result.Type();
    Vector& result = ctx.result;
    switch (target.id) {
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer: CastDoubleToInteger<int32_t>(ctx); return;
    case TypeId::BigInt: CastDoubleToInteger<int64_t>(ctx); return;
    case TypeId::Decimal: {
        const int scale = target.scale;
        const int64_t bound = DecimalBound(target);
        Run<double, int64_t>(ctx, [=](double v, int64_t& out) -> uint8_t {
            return DoubleToScaledInteger(v, scale, bound, out) ? kOk : kFailOverflow;
        });
        return;
    }
    case TypeId::Boolean:
        Run<double, uint8_t>(ctx, [](double v, uint8_t& out) -> uint8_t {
            out = v != 0;
            return kOk;
        });
        return;
    case TypeId::Varchar:
        Run<double, StringRef>(ctx, [&result](double v, StringRef& out) -> uint8_t {
            out = MakeString(result, FormatDouble(v));
            return kOk;
        });
        return;
    default: throw Error::CannotCast(PgTypeName(ctx.input.Type()), PgTypeName(target));
    }
}

void CastDecimalSource(const CastContext& ctx) {
    const LogicalType& source = ctx.input.Type();
    const LogicalType& target = ctx.result.Type();
    Vector& result = ctx.result;
    const int scale = source.scale;
    switch (target.id) {
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt: {
        int64_t lo, hi;
        IntegerBounds(target.id, lo, hi);
        auto convert = [=](int64_t v, auto& out) -> uint8_t {
            int64_t r = DivideRoundHalfAway(v, scale);
            out = static_cast<std::remove_reference_t<decltype(out)>>(r);
            return (r < lo) | (r > hi) ? kFailOverflow : kOk;
        };
        if (target.Physical() == PhysicalType::Int32)
            Run<int64_t, int32_t>(ctx, [&](int64_t v, int32_t& out) { return convert(v, out); });
        else Run<int64_t, int64_t>(ctx, [&](int64_t v, int64_t& out) { return convert(v, out); });
        return;
    }
    case TypeId::Real:
    case TypeId::Double: {
        const double divisor = static_cast<double>(kPowersOfTen[scale]);
        Run<int64_t, double>(ctx, [=](int64_t v, double& out) -> uint8_t {
            out = static_cast<double>(v) / divisor;
            return kOk;
        });
        return;
    }
    case TypeId::Decimal: {
        const int to_scale = target.scale, width = target.width;
        Run<int64_t, int64_t>(ctx, [=](int64_t v, int64_t& out) -> uint8_t {
            return RescaleDecimal(v, scale, to_scale, width, out) ? kOk : kFailOverflow;
        });
        return;
    }
    case TypeId::Boolean:
        Run<int64_t, uint8_t>(ctx, [](int64_t v, uint8_t& out) -> uint8_t {
            out = v != 0;
            return kOk;
        });
        return;
    case TypeId::Varchar:
        Run<int64_t, StringRef>(ctx, [&result, scale](int64_t v, StringRef& out) -> uint8_t {
            out = MakeString(result, FormatDecimal(v, static_cast<uint8_t>(scale)));
            return kOk;
        });
        return;
    default: throw Error::CannotCast(PgTypeName(source), PgTypeName(target));
    }
}

void CastVarcharSource(const CastContext& ctx) {
    const LogicalType& target = ctx.result.Type();
    switch (target.id) {
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt: {
        int64_t lo, hi;
        IntegerBounds(target.id, lo, hi);
        if (target.Physical() == PhysicalType::Int32) {
            Run<StringRef, int32_t>(ctx, [=](const StringRef& s, int32_t& out) -> uint8_t {
                int64_t v = 0;
                uint8_t code = ParseInteger(s.View(), lo, hi, v);
                out = static_cast<int32_t>(v);
                return code;
            });
        } else {
            Run<StringRef, int64_t>(ctx, [=](const StringRef& s, int64_t& out) -> uint8_t {
                return ParseInteger(s.View(), lo, hi, out);
            });
        }
        return;
    }
    case TypeId::Real:
    case TypeId::Double:
        Run<StringRef, double>(ctx, [](const StringRef& s, double& out) -> uint8_t { return ParseDouble(s.View(), out); });
        return;
    case TypeId::Decimal: {
        const int scale = target.scale;
        const int64_t bound = DecimalBound(target);
        Run<StringRef, int64_t>(ctx, [=](const StringRef& s, int64_t& out) -> uint8_t {
            return ParseDecimal(s.View(), scale, bound, out);
        });
        return;
    }
    case TypeId::Boolean:
        Run<StringRef, uint8_t>(ctx, [](const StringRef& s, uint8_t& out) -> uint8_t {
            return ParseBoolean(s.View(), out);
        });
        return;
    case TypeId::Date:
        Run<StringRef, int32_t>(ctx, [](const StringRef& s, int32_t& out) -> uint8_t {
            return ParseDate(s.View(), out) ? kOk : kFailInvalidText;
        });
        return;
    case TypeId::Timestamp:
        Run<StringRef, int64_t>(ctx, [](const StringRef& s, int64_t& out) -> uint8_t {
            return ParseTimestamp(s.View(), out) ? kOk : kFailInvalidText;
        });
        return;
    case TypeId::Interval:
        Run<StringRef, Interval>(ctx, [](const StringRef& s, Interval& out) -> uint8_t {
            return ParseIntervalText(s.View(), out);
        });
        return;
    default: throw Error::CannotCast(PgTypeName(ctx.input.Type()), PgTypeName(target));
    }
}

void CastDatetimeSource(const CastContext& ctx) {
    const TypeId source = ctx.input.Type().id;
    const LogicalType& target = ctx.result.Type();
    Vector& result = ctx.result;
    if (source == TypeId::Date && target.id == TypeId::Timestamp) {
        Run<int32_t, int64_t>(ctx, [](int32_t days, int64_t& out) -> uint8_t {
            out = static_cast<int64_t>(days) * kMicrosPerDay;
            return kOk;
        });
        return;
    }
    if (source == TypeId::Timestamp && target.id == TypeId::Date) {
        Run<int64_t, int32_t>(ctx, [](int64_t micros, int32_t& out) -> uint8_t {
            int64_t days = micros / kMicrosPerDay;
            if (micros % kMicrosPerDay < 0) --days;  // floor: times before 1970 belong to the earlier day
            out = static_cast<int32_t>(days);
            return kOk;
        });
        return;
    }
    if (target.id == TypeId::Varchar) {
        switch (source) {
        case TypeId::Date:
            Run<int32_t, StringRef>(ctx, [&result](int32_t v, StringRef& out) -> uint8_t {
                out = MakeString(result, FormatDate(v));
                return kOk;
            });
            return;
        case TypeId::Timestamp:
            Run<int64_t, StringRef>(ctx, [&result](int64_t v, StringRef& out) -> uint8_t {
                out = MakeString(result, FormatTimestamp(v));
                return kOk;
            });
            return;
        default:
            Run<Interval, StringRef>(ctx, [&result](const Interval& v, StringRef& out) -> uint8_t {
                out = MakeString(result, FormatInterval(v));
                return kOk;
            });
            return;
        }
    }
    throw Error::CannotCast(PgTypeName(ctx.input.Type()), PgTypeName(target));
}

/// True when the bytes of `from` are already valid values of `to`.
bool IsBinaryCompatible(const LogicalType& from, const LogicalType& to) {
    if (from.Physical() != to.Physical()) return false;
    if (from.id == TypeId::Decimal || to.id == TypeId::Decimal)
        return from.id == to.id && from.scale == to.scale && (to.width == 0 || to.width >= from.width);
    if (from.id == to.id) return true;
    auto rank = [](TypeId id) {
        switch (id) {
        case TypeId::TinyInt: return 1;
        case TypeId::SmallInt: return 2;
        case TypeId::Integer: return 3;
        default: return 0;
        }
    };
    if (rank(from.id) && rank(to.id)) return rank(from.id) <= rank(to.id);
    return (from.id == TypeId::Real || from.id == TypeId::Double) && (to.id == TypeId::Real || to.id == TypeId::Double);
}

void CopyRows(const Vector& input, Rows rows, Vector& result) {
    const uint32_t width = PhysicalSize(input.Physical());
    const ValidityMask& valid = input.Validity();
    if (!rows.sel) {
        std::memcpy(result.RawData(), input.RawData(), rows.count * width);
        PropagateNulls(valid, rows.count, result);
    } else {
        for (idx_t i = 0; i < rows.count; ++i) {
            const uint32_t row = rows[i];
            if (!RowValid(valid, row)) result.Validity().SetInvalid(row);
            else std::memcpy(result.RawData() + row * width, input.RawData() + row * width, width);
        }
    }
    if (input.Physical() == PhysicalType::String) result.KeepStringsAlive(input);
}

}  // namespace

void CastVector(const Vector& input, Rows rows, Vector& result, bool try_cast) {
    if (IsNullTyped(input)) {
        SetAllNull(rows, result);
        return;
    }
    const LogicalType& source = input.Type();
    const LogicalType& target = result.Type();
    if (IsBinaryCompatible(source, target)) {
        CopyRows(input, rows, result);
        return;
    }
    CastContext ctx{input, rows, result, try_cast};
    switch (source.id) {
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer: CastIntegerSource<int32_t>(ctx); return;
    case TypeId::BigInt: CastIntegerSource<int64_t>(ctx); return;
    case TypeId::Boolean: CastBooleanSource(ctx); return;
    case TypeId::Real:
    case TypeId::Double: CastDoubleSource(ctx); return;
    case TypeId::Decimal: CastDecimalSource(ctx); return;
    case TypeId::Varchar: CastVarcharSource(ctx); return;
    case TypeId::Date:
    case TypeId::Timestamp:
    case TypeId::Interval: CastDatetimeSource(ctx); return;
    case TypeId::Null: SetAllNull(rows, result); return;
    }
    throw Error::CannotCast(PgTypeName(source), PgTypeName(target));
}

Value CastValue(const Value& value, LogicalType target, bool try_cast) {
    if (value.IsNull() || value.Type().id == TypeId::Null) return Value::Null(target);
    // One-row vectors: the vector code is the only definition of cast semantics.
    Vector input(value.Type(), 1);
    input.SetValue(0, value);
    Vector output(target, 1);
    CastVector(input, Rows{nullptr, 1}, output, try_cast);
    return output.GetValue(0);
}

}  // namespace grizzly::runtime
