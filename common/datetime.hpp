#pragma once
/// Text conversions of dates, timestamps, intervals, decimals and doubles.
/// Written once here and used by casts, COPY, the API and EXPLAIN alike.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/types.hpp"

namespace grizzly {

inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerDay = 86400LL * kMicrosPerSecond;

/// days × kMicrosPerDay; false when the product leaves int64 (dates after
/// 294247-01-10 are valid DATEs but have no TIMESTAMP with a 1970 epoch).
inline bool DaysToMicros(int64_t days, int64_t& out) { return !__builtin_mul_overflow(days, kMicrosPerDay, &out); }

/// Days since 1970-01-01 of a proleptic Gregorian date.
int32_t DaysFromCivil(int32_t year, uint32_t month, uint32_t day);
void CivilFromDays(int32_t days, int32_t& year, uint32_t& month, uint32_t& day);
/// The first and last day of the DATE range (4714 BC-01-01 and 294276-12-31, the
/// years this file parses and prints): date arithmetic past them is 22008 in
/// both executors.
int32_t MinDateDays();
int32_t MaxDateDays();
bool IsValidDate(int32_t year, uint32_t month, uint32_t day);

/// Parse 'YYYY-MM-DD'; false on malformed text or an impossible date. The
/// overload tells the two apart: `out_of_range` is set for well-formed text
/// naming a day that does not exist ('2023-02-29').
bool ParseDate(std::string_view text, int32_t& days);
bool ParseDate(std::string_view text, int32_t& days, bool& out_of_range);
/// Parse 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]' (also with 'T').
bool ParseTimestamp(std::string_view text, int64_t& micros);
bool ParseTimestamp(std::string_view text, int64_t& micros, bool& out_of_range);
/// Parse an interval such as '3 days', '1 year 2 months', '90' with `unit`
/// ("day", "month", ... or empty), as in INTERVAL '90' DAY.
bool ParseInterval(std::string_view text, std::string_view unit, Interval& out);

/// A field EXTRACT and date_part read (PostgreSQL's).
enum class DatePart : uint8_t {
    Year,
    Month,
    Day,
    Quarter,
    Dow,
    IsoDow,
    Doy,
    Week,
    IsoYear,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Epoch,
    Decade,
    Century,
    Millennium,
};
/// Field names as PostgreSQL accepts them (case-insensitive, with plurals and
/// abbreviations); false for an unknown one.
bool ParseDatePart(std::string_view field, DatePart& out);

std::string FormatDate(int32_t days);
std::string FormatTimestamp(int64_t micros);
std::string FormatInterval(const Interval& v);
/// Decimal text of `unscaled` / 10^scale, e.g. (12345, 2) -> "123.45".
std::string FormatDecimal(int64_t unscaled, uint8_t scale);
/// Shortest text that reads back to the same double ("0.1", "1e+20", "inf").
std::string FormatDouble(double v);

/// Adds months to a date, clamping the day to the month's end (Jan 31 + 1 month = Feb 28/29).
int32_t AddMonthsToDate(int32_t days, int32_t months);
/// Timestamp ± interval.
int64_t AddIntervalToTimestamp(int64_t micros, const Interval& iv);

/// Powers of ten for decimal scaling, 10^0 .. 10^18.
extern const int64_t kPowersOfTen[19];

}  // namespace grizzly
