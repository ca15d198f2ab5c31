#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "common/datetime.hpp"

using namespace grizzly;

TEST_CASE("datetime: the epoch is day zero") {
    CHECK(DaysFromCivil(1970, 1, 1) == 0);
    CHECK(FormatDate(0) == "1970-01-01");
    CHECK(FormatDate(-1) == "1969-12-31");
    int32_t days = -1;
    REQUIRE(ParseDate("1970-01-01", days));
    CHECK(days == 0);
}

TEST_CASE("datetime: dates round-trip through text") {
    // Every 997th day across about 4,400 years, both sides of the epoch.
    for (int32_t days = -700000; days <= 900000; days += 997) {
        std::string text = FormatDate(days);
        int32_t parsed = 0;
        REQUIRE_MESSAGE(ParseDate(text, parsed), text);
        CHECK_MESSAGE(parsed == days, text);
    }
    int32_t year;
    uint32_t month, day;
    CivilFromDays(DaysFromCivil(2024, 2, 29), year, month, day);
    CHECK(year == 2024);
    CHECK(month == 2);
    CHECK(day == 29);
}

TEST_CASE("datetime: leap years follow the Gregorian rules") {
    int32_t days = 0;
    CHECK(ParseDate("2024-02-29", days));
    CHECK(FormatDate(days) == "2024-02-29");
    CHECK(ParseDate("2000-02-29", days));  // divisible by 400
    CHECK_FALSE(ParseDate("1900-02-29", days));  // divisible by 100 only
    CHECK_FALSE(ParseDate("2023-02-29", days));
    CHECK(DaysFromCivil(2024, 3, 1) - DaysFromCivil(2024, 2, 28) == 2);
    CHECK(DaysFromCivil(2023, 3, 1) - DaysFromCivil(2023, 2, 28) == 1);
    CHECK(IsValidDate(2024, 2, 29));
    CHECK_FALSE(IsValidDate(2100, 2, 29));
}

TEST_CASE("datetime: invalid dates are rejected") {
    int32_t days = 0;
    CHECK_FALSE(ParseDate("", days));
    CHECK_FALSE(ParseDate("abc", days));
    CHECK_FALSE(ParseDate("2024-13-01", days));
    CHECK_FALSE(ParseDate("2024-00-10", days));
    CHECK_FALSE(ParseDate("2024-04-31", days));
    CHECK_FALSE(ParseDate("2024-01-00", days));
    CHECK_FALSE(ParseDate("2024-01-01x", days));
    CHECK_FALSE(ParseDate("2024/01/01", days));
    CHECK(ParseDate("  2024-01-01  ", days));  // surrounding blanks are allowed
}

TEST_CASE("datetime: timestamps round-trip through text") {
    int64_t micros = 0;
    REQUIRE(ParseTimestamp("2024-02-29 13:45:07.25", micros));
    CHECK(FormatTimestamp(micros) == "2024-02-29 13:45:07.25");
    REQUIRE(ParseTimestamp("2024-02-29T13:45", micros));
    CHECK(FormatTimestamp(micros) == "2024-02-29 13:45:00");
    REQUIRE(ParseTimestamp("1969-12-31 23:59:59", micros));
    CHECK(micros == -kMicrosPerSecond);
    CHECK(FormatTimestamp(-1) == "1969-12-31 23:59:59.999999");
    CHECK_FALSE(ParseTimestamp("2024-02-30 00:00:00", micros));
    CHECK_FALSE(ParseTimestamp("2024-01-01 10:61", micros));
}

TEST_CASE("datetime: intervals parse units and plurals") {
    Interval iv;
    REQUIRE(ParseInterval("3 days", "", iv));
    CHECK(iv == Interval{0, 3, 0});
    REQUIRE(ParseInterval("1 year 2 months", "", iv));
    CHECK(iv == Interval{14, 0, 0});
    REQUIRE(ParseInterval("2 hours 30 minutes", "", iv));
    CHECK(iv == Interval{0, 0, (2 * 3600 + 30 * 60) * kMicrosPerSecond});
    REQUIRE(ParseInterval("1 week", "", iv));
    CHECK(iv == Interval{0, 7, 0});
    REQUIRE(ParseInterval("-5 days", "", iv));
    CHECK(iv == Interval{0, -5, 0});
    REQUIRE(ParseInterval("500 milliseconds", "", iv));
    CHECK(iv == Interval{0, 0, 500000});
}

TEST_CASE("datetime: an interval without unit takes the given one") {
    Interval iv;
    REQUIRE(ParseInterval("90", "day", iv));
    CHECK(iv == Interval{0, 90, 0});
    REQUIRE(ParseInterval("2", "month", iv));
    CHECK(iv == Interval{2, 0, 0});
    CHECK_FALSE(ParseInterval("90", "", iv));
}

TEST_CASE("datetime: malformed intervals are rejected") {
    Interval iv;
    CHECK_FALSE(ParseInterval("", "", iv));
    CHECK_FALSE(ParseInterval("days", "", iv));
    CHECK_FALSE(ParseInterval("5 parsecs", "", iv));
}

TEST_CASE("datetime: intervals print like PostgreSQL") {
    CHECK(FormatInterval(Interval{14, 3, 0}) == "1 year 2 mons 3 days");
    CHECK(FormatInterval(Interval{0, 1, 0}) == "1 day");
    CHECK(FormatInterval(Interval{0, 0, 90 * kMicrosPerSecond}) == "00:01:30");
    CHECK(FormatInterval(Interval{}) == "00:00:00");
}

TEST_CASE("datetime: decimals print with exactly their scale") {
    CHECK(FormatDecimal(12345, 2) == "123.45");
    CHECK(FormatDecimal(5, 3) == "0.005");
    CHECK(FormatDecimal(-5, 3) == "-0.005");
    CHECK(FormatDecimal(0, 2) == "0.00");
    CHECK(FormatDecimal(100, 0) == "100");
    CHECK(FormatDecimal(-100, 1) == "-10.0");
    CHECK(FormatDecimal(std::numeric_limits<int64_t>::min(), 0) == "-9223372036854775808");
    CHECK(FormatDecimal(std::numeric_limits<int64_t>::max(), 18) == "9.223372036854775807");
}

TEST_CASE("datetime: doubles print as the shortest text that reads back") {
    CHECK(FormatDouble(0.1) == "0.1");
    CHECK(FormatDouble(1.0) == "1");
    CHECK(FormatDouble(-2.5) == "-2.5");
    CHECK(FormatDouble(1e20) == "1e+20");
    CHECK(FormatDouble(1.0 / 3.0) == "0.3333333333333333");
    CHECK(FormatDouble(std::numeric_limits<double>::infinity()) == "Infinity");
    CHECK(FormatDouble(-std::numeric_limits<double>::infinity()) == "-Infinity");
    CHECK(FormatDouble(std::nan("")) == "NaN");
}

TEST_CASE("datetime: adding months clamps to the end of the month") {
    CHECK(FormatDate(AddMonthsToDate(DaysFromCivil(2024, 1, 31), 1)) == "2024-02-29");
    CHECK(FormatDate(AddMonthsToDate(DaysFromCivil(2023, 1, 31), 1)) == "2023-02-28");
    CHECK(FormatDate(AddMonthsToDate(DaysFromCivil(2024, 3, 15), -3)) == "2023-12-15");
    CHECK(FormatDate(AddMonthsToDate(DaysFromCivil(2024, 2, 29), 12)) == "2025-02-28");
}
