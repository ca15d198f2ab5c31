#include "tests/sqllogictest/slt_values.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>

#include "common/datetime.hpp"

namespace grizzly::slt {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int64_t TruncateDouble(double v) {
    // SQLite clamps instead of invoking undefined behaviour on out-of-range casts.
    if (std::isnan(v)) return 0;
    if (v <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
    if (v >= 9223372036854775808.0) return std::numeric_limits<int64_t>::max();
    return static_cast<int64_t>(v);
}

// Rounds a decimal digit string in place at index `last` (the last digit kept):
// away from zero when the next digit is 5 or more. Returns true when a carry
// ran off the front, i.e. a new leading '1' is needed.
bool RoundDigitsUp(std::string& digits, size_t last) {
    for (size_t pos = last + 1; pos-- > 0;) {
        if (digits[pos] != '9') {
            ++digits[pos];
            return false;
        }
        digits[pos] = '0';
    }
    return true;
}

}  // namespace

int64_t TextToInteger(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    bool negative = false;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
    // Accumulate negatively so INT64_MIN is reachable without overflow.
    int64_t value = 0;
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    for (; pos < text.size() && IsDigit(text[pos]); ++pos) {
        int digit = text[pos] - '0';
        if (value < (kMin + digit) / 10) return negative ? kMin : std::numeric_limits<int64_t>::max();
        value = value * 10 - digit;
    }
    if (negative) return value;
    return value == kMin ? std::numeric_limits<int64_t>::max() : -value;
}

double TextToReal(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    bool negative = false;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
    size_t start = pos;
    size_t digit_count = 0;
    for (; pos < text.size() && IsDigit(text[pos]); ++pos) ++digit_count;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        for (; pos < text.size() && IsDigit(text[pos]); ++pos) ++digit_count;
    }
    if (digit_count == 0) return 0.0;
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        size_t exp_pos = pos + 1;
        if (exp_pos < text.size() && (text[exp_pos] == '-' || text[exp_pos] == '+')) ++exp_pos;
        if (exp_pos < text.size() && IsDigit(text[exp_pos])) {
            pos = exp_pos;
            while (pos < text.size() && IsDigit(text[pos])) ++pos;
        }
    }
    double value = 0.0;
    std::from_chars(text.data() + start, text.data() + pos, value);
    return negative ? -value : value;
}

std::string FormatRealNumber(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
    // glibc prints the exact binary value, so 60 decimals leave the rounding
    // digits exact: a tie (digit 5 then zeros) is detected, not guessed.
    char buf[400];
    int len = std::snprintf(buf, sizeof(buf), "%.60f", std::fabs(v));
    std::string_view text(buf, static_cast<size_t>(len));
    size_t point = text.find('.');
    std::string digits(text.substr(0, point));
    size_t int_digits = digits.size();
    digits.append(text.substr(point + 1));

    size_t first_significant = digits.find_first_not_of('0');
    std::string result;
    if (first_significant != std::string::npos) {
        size_t last_kept = std::min(int_digits + 2, first_significant + 15);
        if (digits[last_kept + 1] >= '5' && RoundDigitsUp(digits, last_kept)) {
            digits.insert(digits.begin(), '1');
            ++int_digits;
            ++last_kept;
        }
        std::fill(digits.begin() + static_cast<std::ptrdiff_t>(last_kept) + 1, digits.end(), '0');
    }
    size_t int_start = digits.find_first_not_of('0');
    if (int_start == std::string::npos || int_start >= int_digits) int_start = int_digits - 1;
    // Like printf, any negative value keeps its sign, even when it rounds to zero.
    if (v < 0) result += '-';
    result.append(digits, int_start, int_digits - int_start);
    result += '.';
    result.append(digits, int_digits, 3);
    return result;
}

std::string FormatInteger(const Value& value) {
    if (value.IsNull()) return "NULL";
    switch (value.Type().id) {
    case TypeId::Null: return "NULL";
    case TypeId::Boolean: return value.GetBool() ? "1" : "0";
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt: return std::to_string(value.GetInt64());
    case TypeId::Real:
    case TypeId::Double: return std::to_string(TruncateDouble(value.GetDouble()));
    case TypeId::Decimal: return std::to_string(value.GetInt64() / kPowersOfTen[value.Type().scale]);
    case TypeId::Varchar: return std::to_string(TextToInteger(value.GetString()));
    case TypeId::Date:
    case TypeId::Timestamp:
    case TypeId::Interval: return std::to_string(TextToInteger(value.ToString()));
    }
    return std::to_string(TextToInteger(value.ToString()));
}

std::string FormatReal(const Value& value) {
    if (value.IsNull()) return "NULL";
    switch (value.Type().id) {
    case TypeId::Null: return "NULL";
    case TypeId::Boolean: return value.GetBool() ? "1.000" : "0.000";
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Integer:
    case TypeId::BigInt:
        // Through a double SQLite would lose digits past 2^53; print exact integers.
        return std::to_string(value.GetInt64()) + ".000";
    case TypeId::Real:
    case TypeId::Double: return FormatRealNumber(value.GetDouble());
    case TypeId::Decimal: {
        int64_t unscaled = value.GetInt64();
        uint8_t scale = value.Type().scale;
        if (scale <= 3) {
            std::string text = FormatDecimal(unscaled, scale);
            if (scale == 0) text += '.';
            text.append(3 - scale, '0');
            return text;
        }
        int64_t divisor = kPowersOfTen[scale - 3];
        int64_t quotient = unscaled / divisor;
        int64_t remainder = unscaled % divisor;
        if (remainder >= divisor - remainder) ++quotient;
        else if (-remainder >= divisor + remainder) --quotient;
        std::string text = FormatDecimal(quotient, 3);
        // Match the double path: a negative value that rounds to zero keeps its sign.
        if (quotient == 0 && unscaled < 0) text.insert(text.begin(), '-');
        return text;
    }
    case TypeId::Varchar: return FormatRealNumber(TextToReal(value.GetString()));
    case TypeId::Date:
    case TypeId::Timestamp:
    case TypeId::Interval: return FormatRealNumber(TextToReal(value.ToString()));
    }
    return FormatRealNumber(TextToReal(value.ToString()));
}

std::string FormatText(const Value& value) {
    if (value.IsNull()) return "NULL";
    std::string text = value.Type().id == TypeId::Varchar ? value.GetString() : value.ToString();
    if (text.empty()) return "(empty)";
    for (char& c : text) {
        if (c < ' ' || c > '~') c = '@';
    }
    return text;
}

std::string FormatValue(const Value& value, char type_letter) {
    switch (type_letter) {
    case 'I': return FormatInteger(value);
    case 'R': return FormatReal(value);
    default: return FormatText(value);
    }
}

std::string Md5OfValues(const std::vector<std::string>& values) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL: cannot initialize MD5");
    }
    for (const std::string& value : values) {
        EVP_DigestUpdate(ctx.get(), value.data(), value.size());
        EVP_DigestUpdate(ctx.get(), "\n", 1);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest, &digest_len) != 1) throw std::runtime_error("OpenSSL: MD5 failed");
    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(digest_len * 2);
    for (unsigned int idx = 0; idx < digest_len; ++idx) {
        hex += kHex[digest[idx] >> 4];
        hex += kHex[digest[idx] & 0xF];
    }
    return hex;
}

std::string HashLine(const std::vector<std::string>& values) {
    return std::to_string(values.size()) + " values hashing to " + Md5OfValues(values);
}

bool IsHashLine(std::string_view line) {
    static constexpr std::string_view kMiddle = " values hashing to ";
    size_t digits = 0;
    while (digits < line.size() && IsDigit(line[digits])) ++digits;
    if (digits == 0 || line.substr(digits, kMiddle.size()) != kMiddle) return false;
    std::string_view hex = line.substr(digits + kMiddle.size());
    return hex.size() == 32 && std::all_of(hex.begin(), hex.end(), [](char c) {
               return IsDigit(c) || (c >= 'a' && c <= 'f');
           });
}

void SortValues(SortMode mode, size_t column_count, std::vector<std::string>& values) {
    if (mode == SortMode::ValueSort || (mode == SortMode::RowSort && column_count == 1)) {
        std::sort(values.begin(), values.end());
        return;
    }
    if (mode != SortMode::RowSort || column_count == 0) return;
    size_t row_count = values.size() / column_count;
    std::vector<size_t> order(row_count);
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t left, size_t right) {
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            int c = values[left * column_count + col_idx].compare(values[right * column_count + col_idx]);
            if (c != 0) return c < 0;
        }
        return false;
    });
    std::vector<std::string> sorted;
    sorted.reserve(values.size());
    for (size_t row_idx : order) {
        for (size_t col_idx = 0; col_idx < column_count; ++col_idx) {
            sorted.push_back(std::move(values[row_idx * column_count + col_idx]));
        }
    }
    values = std::move(sorted);
}

QueryCheck CheckQueryResult(const Record& record, PrintedResult& actual) {
    QueryCheck check;
    size_t column_count = record.types.size();
    if (actual.column_count != column_count) {
        check.reason = "expected " + std::to_string(column_count) + " columns, got " +
                       std::to_string(actual.column_count);
        return check;
    }
    SortValues(record.sort_mode, column_count, actual.values);
    const std::vector<std::string>& lines = record.expected_lines;

    if (lines.size() == 1 && IsHashLine(lines[0])) {
        std::string hash_line = HashLine(actual.values);
        check.ok = hash_line == lines[0];
        if (!check.ok) check.reason = "expected " + lines[0] + ", got " + hash_line;
        return check;
    }

    size_t row_count = actual.RowCount();
    std::vector<std::string> expected;
    if (lines.size() == actual.values.size()) {
        expected = lines;
    } else if (lines.size() == row_count) {
        // DuckDB style: one row per line, tab-separated (or whitespace when a
        // hand-written file used spaces and no value holds any).
        expected.reserve(actual.values.size());
        for (size_t row_idx = 0; row_idx < lines.size(); ++row_idx) {
            std::string_view line = lines[row_idx];
            std::vector<std::string_view> parts;
            size_t start = 0;
            for (size_t tab = line.find('\t'); tab != std::string_view::npos; tab = line.find('\t', start)) {
                parts.push_back(line.substr(start, tab - start));
                start = tab + 1;
            }
            parts.push_back(line.substr(start));
            if (parts.size() != column_count) parts = SplitWhitespace(line);
            if (parts.size() != column_count) {
                check.reason = "expected row " + std::to_string(row_idx + 1) + " '" + std::string(line) + "' has " +
                               std::to_string(parts.size()) + " values, the query has " +
                               std::to_string(column_count) + " columns";
                return check;
            }
            for (std::string_view part : parts) expected.emplace_back(part);
        }
    } else {
        check.reason = "expected " + std::to_string(lines.size()) + " result lines, got " +
                       std::to_string(row_count) + " rows of " + std::to_string(column_count) + " columns";
        return check;
    }
    SortValues(record.sort_mode, column_count, expected);
    for (size_t idx = 0; idx < expected.size(); ++idx) {
        if (expected[idx] != actual.values[idx]) {
            check.reason = "row " + std::to_string(idx / column_count + 1) + ", column " +
                           std::to_string(idx % column_count + 1) + ": expected '" + expected[idx] + "', got '" +
                           actual.values[idx] + "'";
            return check;
        }
    }
    check.ok = true;
    return check;
}

}  // namespace grizzly::slt
