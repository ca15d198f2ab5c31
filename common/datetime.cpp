#include "common/datetime.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

namespace grizzly {

const int64_t kPowersOfTen[19] = {1LL,
                                  10LL,
                                  100LL,
                                  1000LL,
                                  10000LL,
                                  100000LL,
                                  1000000LL,
                                  10000000LL,
                                  100000000LL,
                                  1000000000LL,
                                  10000000000LL,
                                  100000000000LL,
                                  1000000000000LL,
                                  10000000000000LL,
                                  100000000000000LL,
                                  1000000000000000LL,
                                  10000000000000000LL,
                                  100000000000000000LL,
                                  1000000000000000000LL};

// Howard Hinnant's civil-date algorithms: exact for the proleptic Gregorian calendar.
int32_t DaysFromCivil(int32_t y, uint32_t m, uint32_t d) {
    y -= m <= 2;
    const int32_t era = (y >= 0 ? y : y - 399) / 400;
    const uint32_t yoe = static_cast<uint32_t>(y - era * 400);
    const uint32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

int32_t MinDateDays() { return DaysFromCivil(-4713, 1, 1); }
int32_t MaxDateDays() { return DaysFromCivil(294276, 12, 31); }

void CivilFromDays(int32_t z, int32_t& year, uint32_t& month, uint32_t& day) {
    z += 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const uint32_t doe = static_cast<uint32_t>(z - era * 146097);
    const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int32_t y = static_cast<int32_t>(yoe) + era * 400;
    const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const uint32_t mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = y + (month <= 2);
}

static uint32_t DaysInMonth(int32_t year, uint32_t month) {
    static const uint32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

bool IsValidDate(int32_t year, uint32_t month, uint32_t day) {
    return year >= -4713 && year <= 294276 && month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

namespace {

std::string_view Trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Reads 1..max_digits digits; advances pos.
bool ReadNumber(std::string_view s, size_t& pos, int64_t& out, size_t max_digits) {
    size_t start = pos;
    out = 0;
    while (pos < s.size() && pos - start < max_digits && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        out = out * 10 + (s[pos] - '0');
        ++pos;
    }
    return pos > start;
}

bool ParseDatePart(std::string_view s, size_t& pos, int32_t& days, bool& out_of_range) {
    int64_t y, m, d;
    bool negative = false;
    if (pos < s.size() && s[pos] == '-') {
        negative = true;
        ++pos;
    }
    if (!ReadNumber(s, pos, y, 6) || pos >= s.size() || s[pos++] != '-') return false;
    if (!ReadNumber(s, pos, m, 2) || pos >= s.size() || s[pos++] != '-') return false;
    if (!ReadNumber(s, pos, d, 2)) return false;
    int32_t year = static_cast<int32_t>(negative ? -y : y);
    if (!IsValidDate(year, static_cast<uint32_t>(m), static_cast<uint32_t>(d))) {
        out_of_range = true;
        return false;
    }
    days = DaysFromCivil(year, static_cast<uint32_t>(m), static_cast<uint32_t>(d));
    return true;
}

}  // namespace

bool ParseDate(std::string_view text, int32_t& days, bool& out_of_range) {
    out_of_range = false;
    std::string_view s = Trim(text);
    size_t pos = 0;
    bool ok = ParseDatePart(s, pos, days, out_of_range) && pos == s.size();
    if (pos != s.size()) out_of_range = false;  // trailing garbage is a format error
    return ok;
}

bool ParseDate(std::string_view text, int32_t& days) {
    bool out_of_range;
    return ParseDate(text, days, out_of_range);
}

bool ParseTimestamp(std::string_view text, int64_t& micros) {
    bool out_of_range;
    return ParseTimestamp(text, micros, out_of_range);
}

bool ParseTimestamp(std::string_view text, int64_t& micros, bool& out_of_range) {
    out_of_range = false;
    std::string_view s = Trim(text);
    size_t pos = 0;
    int32_t days;
    if (!ParseDatePart(s, pos, days, out_of_range)) return false;
    int64_t result = 0;
    if (!DaysToMicros(days, result)) {
        out_of_range = true;
        return false;
    }
    if (pos < s.size()) {
        if (s[pos] != ' ' && s[pos] != 'T') return false;
        ++pos;
        int64_t h = 0, mi = 0, sec = 0, frac = 0;
        if (!ReadNumber(s, pos, h, 2) || pos >= s.size() || s[pos++] != ':') return false;
        if (!ReadNumber(s, pos, mi, 2)) return false;
        if (pos < s.size() && s[pos] == ':') {
            ++pos;
            if (!ReadNumber(s, pos, sec, 2)) return false;
            if (pos < s.size() && s[pos] == '.') {
                ++pos;
                size_t start = pos;
                if (!ReadNumber(s, pos, frac, 6)) return false;
                for (size_t digits = pos - start; digits < 6; ++digits) frac *= 10;
                while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
            }
        }
        if (h > 24 || mi > 59 || sec > 60) {
            out_of_range = pos == s.size();
            return false;
        }
        if (__builtin_add_overflow(result, ((h * 60 + mi) * 60 + sec) * kMicrosPerSecond + frac, &result)) {
            out_of_range = true;
            return false;
        }
    }
    micros = result;
    return pos == s.size();
}

namespace {

// Adds `amount` of `unit` to `out`; false for an unknown unit.
bool AddUnit(Interval& out, double amount, std::string unit) {
    for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (unit.size() > 2 && unit.back() == 's') unit.pop_back();
    // Each step is range-checked: a double outside the target type makes the cast undefined,
    // and the fields must not wrap. Out-of-range amounts are rejected like bad input.
    auto fits64 = [](double d) { return d >= -0x1p63 && d < 0x1p63; };  // also false for NaN
    auto add32 = [&](int32_t& field, double delta) {
        return fits64(delta) && !__builtin_add_overflow(field, static_cast<int64_t>(delta), &field);
    };
    auto add64 = [&](double delta) {
        return fits64(delta) && !__builtin_add_overflow(out.micros, static_cast<int64_t>(delta), &out.micros);
    };
    const double whole = std::trunc(amount);
    if (unit == "year" || unit == "y" || unit == "yr") return add32(out.months, amount * 12);
    if (unit == "month" || unit == "mon") return add32(out.months, whole);
    if (unit == "week" || unit == "w") return add32(out.days, whole * 7);
    if (unit == "day" || unit == "d") return add32(out.days, whole);
    if (unit == "hour" || unit == "h") return add64(amount * 3600.0 * kMicrosPerSecond);
    if (unit == "minute" || unit == "min" || unit == "m") return add64(amount * 60.0 * kMicrosPerSecond);
    if (unit == "second" || unit == "sec" || unit == "s") return add64(amount * kMicrosPerSecond);
    if (unit == "millisecond" || unit == "ms" || unit == "msec") return add64(amount * 1000);
    if (unit == "microsecond" || unit == "u") return add64(whole);
    return false;
}

}  // namespace

bool ParseInterval(std::string_view text, std::string_view unit, Interval& out) {
    out = Interval{};
    std::string_view s = Trim(text);
    bool any = false;
    size_t pos = 0;
    while (pos < s.size()) {
        while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
        if (pos >= s.size()) break;
        size_t num_start = pos;
        if (s[pos] == '-' || s[pos] == '+') ++pos;
        while (pos < s.size() && (std::isdigit(static_cast<unsigned char>(s[pos])) || s[pos] == '.')) ++pos;
        if (pos == num_start) return false;
        double amount = 0;
        std::string num(s.substr(num_start, pos - num_start));
        char* end = nullptr;
        amount = std::strtod(num.c_str(), &end);
        if (end == num.c_str()) return false;
        while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
        size_t unit_start = pos;
        while (pos < s.size() && std::isalpha(static_cast<unsigned char>(s[pos]))) ++pos;
        std::string word(s.substr(unit_start, pos - unit_start));
        if (word.empty()) {
            if (unit.empty()) return false;
            word = std::string(unit);
        }
        if (!AddUnit(out, amount, word)) return false;
        any = true;
    }
    return any;
}

std::string FormatDate(int32_t days) {
    int32_t y;
    uint32_t m, d;
    CivilFromDays(days, y, m, d);
    char buf[32];
    if (y > 0) std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", y, m, d);
    else std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u (BC)", 1 - y, m, d);
    return buf;
}

std::string FormatTimestamp(int64_t micros) {
    int64_t days = micros / kMicrosPerDay;
    int64_t rem = micros % kMicrosPerDay;
    if (rem < 0) {
        rem += kMicrosPerDay;
        --days;
    }
    std::string out = FormatDate(static_cast<int32_t>(days));
    int64_t secs = rem / kMicrosPerSecond, frac = rem % kMicrosPerSecond;
    char buf[48];
    std::snprintf(buf, sizeof(buf), " %02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    out += buf;
    if (frac) {
        std::snprintf(buf, sizeof(buf), ".%06lld", static_cast<long long>(frac));
        std::string f = buf;
        while (f.back() == '0') f.pop_back();
        out += f;
    }
    return out;
}

std::string FormatInterval(const Interval& v) {
    std::string out;
    auto part = [&](int64_t n, const char* unit) {
        if (n == 0) return;
        if (!out.empty()) out += ' ';
        out += std::to_string(n) + ' ' + unit + (n == 1 ? "" : "s");
    };
    part(v.months / 12, "year");
    part(v.months % 12, "mon");
    part(v.days, "day");
    if (v.micros != 0) {
        const uint64_t us = v.micros < 0 ? 0 - static_cast<uint64_t>(v.micros) : static_cast<uint64_t>(v.micros);
        char buf[48];
        std::snprintf(buf, sizeof(buf), "%s%02lld:%02lld:%02lld", v.micros < 0 ? "-" : "",
                      static_cast<long long>(us / kMicrosPerSecond / 3600),
                      static_cast<long long>(us / kMicrosPerSecond / 60 % 60),
                      static_cast<long long>(us / kMicrosPerSecond % 60));
        if (!out.empty()) out += ' ';
        out += buf;
        if (us % kMicrosPerSecond) {
            std::snprintf(buf, sizeof(buf), ".%06lld", static_cast<long long>(us % kMicrosPerSecond));
            out += buf;
        }
    }
    return out.empty() ? "00:00:00" : out;
}

std::string FormatDecimal(int64_t unscaled, uint8_t scale) {
    bool negative = unscaled < 0;
    uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
    std::string digits = std::to_string(magnitude);
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    std::string out;
    if (negative) out += '-';
    size_t int_len = digits.size() - scale;
    out.append(digits, 0, int_len);
    if (scale > 0) {
        out += '.';
        out.append(digits, int_len, std::string::npos);
    }
    return out;
}

std::string FormatDouble(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    // Shortest round-trip digits, laid out as PostgreSQL does: plain notation for
    // decimal exponents in [-4, 15), scientific otherwise.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    size_t e = sci.find('e');
    int exponent = std::stoi(sci.substr(e + 1));
    std::string digits;
    bool negative = sci[0] == '-';
    for (size_t i = negative ? 1 : 0; i < e; ++i)
        if (sci[i] != '.') digits += sci[i];
    if (exponent < -4 || exponent >= 15) {
        std::string out = negative ? "-" : "";
        out += digits[0];
        if (digits.size() > 1) {
            out += '.';
            out.append(digits, 1, std::string::npos);
        }
        char exp_buf[16];
        std::snprintf(exp_buf, sizeof(exp_buf), "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
        return out + exp_buf;
    }
    std::string out = negative ? "-" : "";
    if (exponent < 0) {
        out += "0.";
        out.append(static_cast<size_t>(-exponent - 1), '0');
        out += digits;
    } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
        out += digits;
        out.append(static_cast<size_t>(exponent) + 1 - digits.size(), '0');
    } else {
        auto int_len = static_cast<size_t>(exponent) + 1;
        out.append(digits, 0, int_len);
        out += '.';
        out.append(digits, int_len, std::string::npos);
    }
    return out;
}

int32_t AddMonthsToDate(int32_t days, int32_t months) {
    int32_t y;
    uint32_t m, d;
    CivilFromDays(days, y, m, d);
    int64_t total = static_cast<int64_t>(y) * 12 + (m - 1) + months;
    int32_t ny = static_cast<int32_t>(total >= 0 ? total / 12 : (total - 11) / 12);
    uint32_t nm = static_cast<uint32_t>(total - static_cast<int64_t>(ny) * 12) + 1;
    uint32_t max_day = DaysInMonth(ny, nm);
    return DaysFromCivil(ny, nm, d > max_day ? max_day : d);
}

int64_t AddIntervalToTimestamp(int64_t micros, const Interval& iv) {
    int64_t days = micros / kMicrosPerDay;
    int64_t rem = micros % kMicrosPerDay;
    if (rem < 0) {
        rem += kMicrosPerDay;
        --days;
    }
    int32_t d = AddMonthsToDate(static_cast<int32_t>(days), iv.months) + iv.days;
    return static_cast<int64_t>(d) * kMicrosPerDay + rem + iv.micros;
}

bool ParseDatePart(std::string_view field, DatePart& out) {
    std::string f;
    for (char c : field) {
        if (c == ' ') continue;
        f += c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    }
    struct Name {
        const char* name;
        DatePart part;
    };
    static const Name kNames[] = {
        {"year", DatePart::Year},
        {"years", DatePart::Year},
        {"y", DatePart::Year},
        {"yr", DatePart::Year},
        {"yrs", DatePart::Year},
        {"month", DatePart::Month},
        {"months", DatePart::Month},
        {"mon", DatePart::Month},
        {"mons", DatePart::Month},
        {"day", DatePart::Day},
        {"days", DatePart::Day},
        {"d", DatePart::Day},
        {"quarter", DatePart::Quarter},
        {"qtr", DatePart::Quarter},
        {"dow", DatePart::Dow},
        {"dayofweek", DatePart::Dow},
        {"isodow", DatePart::IsoDow},
        {"doy", DatePart::Doy},
        {"dayofyear", DatePart::Doy},
        {"week", DatePart::Week},
        {"weeks", DatePart::Week},
        {"w", DatePart::Week},
        {"isoyear", DatePart::IsoYear},
        {"hour", DatePart::Hour},
        {"hours", DatePart::Hour},
        {"h", DatePart::Hour},
        {"hr", DatePart::Hour},
        {"hrs", DatePart::Hour},
        {"minute", DatePart::Minute},
        {"minutes", DatePart::Minute},
        {"min", DatePart::Minute},
        {"mins", DatePart::Minute},
        {"m", DatePart::Minute},
        {"second", DatePart::Second},
        {"seconds", DatePart::Second},
        {"sec", DatePart::Second},
        {"secs", DatePart::Second},
        {"s", DatePart::Second},
        {"millisecond", DatePart::Millisecond},
        {"milliseconds", DatePart::Millisecond},
        {"ms", DatePart::Millisecond},
        {"msec", DatePart::Millisecond},
        {"microsecond", DatePart::Microsecond},
        {"microseconds", DatePart::Microsecond},
        {"us", DatePart::Microsecond},
        {"usec", DatePart::Microsecond},
        {"epoch", DatePart::Epoch},
        {"decade", DatePart::Decade},
        {"decades", DatePart::Decade},
        {"century", DatePart::Century},
        {"centuries", DatePart::Century},
        {"millennium", DatePart::Millennium},
        {"millennia", DatePart::Millennium},
    };
    for (const Name& n : kNames) {
        if (f == n.name) {
            out = n.part;
            return true;
        }
    }
    return false;
}

}  // namespace grizzly
