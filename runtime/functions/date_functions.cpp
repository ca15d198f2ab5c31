/// Date, timestamp and interval functions: EXTRACT, date/timestamp ± interval,
/// date ± days, date - date, timestamp - timestamp, interval arithmetic,
/// current_date / current_timestamp. Calendar arithmetic is common/datetime's;
/// this file adds the range checks and PostgreSQL's field definitions.

#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <string>

#include "runtime/functions/kernels.hpp"

namespace grizzly::runtime {

namespace {

using ir::ScalarFunctionId;
using namespace kernels;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/// A field of a date/timestamp given as days since 1970 and microseconds into the day.
double ExtractFromTimestamp(DatePart part, int64_t days, int64_t time_of_day) {
    int32_t year;
    uint32_t month, day;
    CivilFromDays(static_cast<int32_t>(days), year, month, day);
    // The calendar has no year 0: astronomical year 0 is 1 BC, printed and extracted as -1.
    const int64_t sql_year = year > 0 ? year : year - 1;
    const int64_t dow = ((days + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; Sunday = 0
    const int64_t isodow = dow == 0 ? 7 : dow;
    auto iso_year_and_week = [&](int64_t& iso_year, int64_t& week) {
        const int64_t thursday = days - (isodow - 4);  // ISO weeks belong to the year of their Thursday
        int32_t ty;
        uint32_t tm, td;
        CivilFromDays(static_cast<int32_t>(thursday), ty, tm, td);
        iso_year = ty;
        week = (thursday - DaysFromCivil(ty, 1, 1)) / 7 + 1;
    };
    switch (part) {
    case DatePart::Year: return static_cast<double>(sql_year);
    case DatePart::Month: return month;
    case DatePart::Day: return day;
    case DatePart::Quarter: return (month - 1) / 3 + 1;
    case DatePart::Dow: return static_cast<double>(dow);
    case DatePart::IsoDow: return static_cast<double>(isodow);
    case DatePart::Doy: return static_cast<double>(days - DaysFromCivil(year, 1, 1) + 1);
    case DatePart::Week:
    case DatePart::IsoYear: {
        int64_t iso_year, week;
        iso_year_and_week(iso_year, week);
        return static_cast<double>(part == DatePart::Week ? week : (iso_year > 0 ? iso_year : iso_year - 1));
    }
    case DatePart::Hour: return static_cast<double>(time_of_day / (3600 * kMicrosPerSecond));
    case DatePart::Minute: return static_cast<double>(time_of_day / (60 * kMicrosPerSecond) % 60);
    case DatePart::Second: return static_cast<double>(time_of_day % (60 * kMicrosPerSecond)) / kMicrosPerSecond;
    case DatePart::Millisecond: return static_cast<double>(time_of_day % (60 * kMicrosPerSecond)) / 1000.0;
    case DatePart::Microsecond: return static_cast<double>(time_of_day % (60 * kMicrosPerSecond));
    case DatePart::Epoch:
        return static_cast<double>(days) * 86400.0 + static_cast<double>(time_of_day) / kMicrosPerSecond;
    case DatePart::Decade: return static_cast<double>(FloorDiv(year, 10));
    case DatePart::Century: return static_cast<double>(year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100));
    case DatePart::Millennium: return static_cast<double>(year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000));
    }
    return 0;
}

/// Fields of an interval (PostgreSQL: years and months from the month count,
/// time fields from the microseconds; epoch counts a year as 365.25 days).
bool ExtractFromInterval(DatePart part, const Interval& v, double& out) {
    const int64_t minute_micros = 60 * kMicrosPerSecond;
    switch (part) {
    case DatePart::Year: out = v.months / 12; return true;
    case DatePart::Month: out = v.months % 12; return true;
    case DatePart::Day: out = v.days; return true;
    case DatePart::Quarter: out = (v.months % 12) / 3 + 1; return true;
    case DatePart::Hour: out = static_cast<double>(v.micros / (3600 * kMicrosPerSecond)); return true;
    case DatePart::Minute: out = static_cast<double>(v.micros / minute_micros % 60); return true;
    case DatePart::Second: out = static_cast<double>(v.micros % minute_micros) / kMicrosPerSecond; return true;
    case DatePart::Millisecond: out = static_cast<double>(v.micros % minute_micros) / 1000.0; return true;
    case DatePart::Microsecond: out = static_cast<double>(v.micros % minute_micros); return true;
    case DatePart::Epoch:
        out = (v.months / 12) * 365.25 * 86400.0 + (v.months % 12) * 30.0 * 86400.0 + v.days * 86400.0 +
              static_cast<double>(v.micros) / kMicrosPerSecond;
        return true;
    case DatePart::Decade: out = v.months / 120; return true;
    case DatePart::Century: out = v.months / 1200; return true;
    case DatePart::Millennium: out = v.months / 12000; return true;
    default: return false;
    }
}

const char* DatePartName(DatePart part) {
    switch (part) {
    case DatePart::Dow: return "dow";
    case DatePart::IsoDow: return "isodow";
    case DatePart::Doy: return "doy";
    case DatePart::Week: return "week";
    case DatePart::IsoYear: return "isoyear";
    default: return "?";
    }
}

void ExecuteExtract(Args args, Rows rows, Vector& result) {
    const Vector& field = *args[0];
    const Vector& value = *args[1];
    const TypeId value_type = value.Type().id;
    const bool as_double = result.Physical() == PhysicalType::Double;
    // The field is nearly always a constant: parse it again only when it changes.
    std::string last_field;
    bool have_field = false;
    DatePart part = DatePart::Year;
    const StringRef* fields = field.Data<StringRef>();
    for (idx_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows[i];
        if (!RowValid(field.Validity(), row) || !RowValid(value.Validity(), row)) {
            result.Validity().SetInvalid(row);
            continue;
        }
        std::string_view name = fields[row].View();
        if (!have_field || name != last_field) {
            if (!ParseDatePart(name, part)) throw Error::UnknownDatePart(std::string(name), PgTypeName(value.Type()));
            last_field.assign(name);
            have_field = true;
        }
        double v = 0;
        switch (value_type) {
        case TypeId::Date: v = ExtractFromTimestamp(part, value.Data<int32_t>()[row], 0); break;
        case TypeId::Timestamp: {
            const int64_t micros = value.Data<int64_t>()[row];
            const int64_t days = FloorDiv(micros, kMicrosPerDay);
            v = ExtractFromTimestamp(part, days, micros - days * kMicrosPerDay);
            break;
        }
        case TypeId::Interval:
            if (!ExtractFromInterval(part, value.Data<Interval>()[row], v))
                throw Error::NotSupported(std::string("EXTRACT(") + DatePartName(part) + " FROM interval)");
            break;
        default: ThrowUnsupported(ScalarFunctionId::Extract, args, 2, result);
        }
        if (as_double) result.Data<double>()[row] = v;
        else result.Data<int64_t>()[row] = static_cast<int64_t>(v);
    }
}

// ---- ranges ------------------------------------------------------------------------

/// Dates and timestamps stay within the years common/datetime parses and prints.
struct DatetimeRange {
    int32_t min_days, max_days;
    int64_t min_micros, max_micros;
};

const DatetimeRange& Range() {
    static const DatetimeRange range = [] {
        DatetimeRange r;
        r.min_days = MinDateDays();
        r.max_days = MaxDateDays();
        r.min_micros = static_cast<int64_t>(r.min_days) * kMicrosPerDay;
        // The last day of year 294276 ends past int64 microseconds since 1970; cap at the type's limit.
        const __int128 end = (static_cast<__int128>(r.max_days) + 1) * kMicrosPerDay - 1;
        r.max_micros = end > std::numeric_limits<int64_t>::max() ? std::numeric_limits<int64_t>::max()
                                                                  : static_cast<int64_t>(end);
        return r;
    }();
    return range;
}

constexpr uint8_t kFailDateRange = 1, kFailTimestampRange = 2, kFailIntervalRange = 3;

[[noreturn]] __attribute__((cold, noinline)) void RaiseDatetime(uint8_t code) {
    if (code == kFailDateRange) throw Error::DatetimeOutOfRange("date");
    if (code == kFailTimestampRange) throw Error::DatetimeOutOfRange("timestamp");
    throw Error::Overflow("interval");
}

auto DatetimeFail() {
    return [](uint8_t code, uint32_t) { RaiseDatetime(code); };
}

bool NegateInterval(const Interval& v, Interval& out) {
    bool overflow = __builtin_sub_overflow(0, v.months, &out.months);
    overflow |= __builtin_sub_overflow(0, v.days, &out.days);
    overflow |= __builtin_sub_overflow(int64_t(0), v.micros, &out.micros);
    return !overflow;
}

/// timestamp + interval with a range check; the month and day steps are calendar
/// steps (Jan 31 + 1 month = Feb 28/29), the microseconds an exact span.
uint8_t AddInterval(int64_t micros, const Interval& v, int64_t& out) {
    const DatetimeRange& range = Range();
    // Bound the day and month steps first so AddIntervalToTimestamp's arithmetic cannot overflow.
    const int64_t max_span_days = int64_t(range.max_days) - range.min_days;
    if (v.months > max_span_days / 28 || v.months < -max_span_days / 28 || v.days > max_span_days ||
        v.days < -max_span_days)
        return kFailTimestampRange;
    int64_t days = FloorDiv(micros, kMicrosPerDay);
    int64_t shifted_days = AddMonthsToDate(static_cast<int32_t>(days), v.months);
    shifted_days += v.days;
    if (shifted_days < range.min_days - 1 || shifted_days > range.max_days + 1) return kFailTimestampRange;
    int64_t result = 0;
    if (!DaysToMicros(shifted_days, result) ||
        __builtin_add_overflow(result, micros - days * kMicrosPerDay, &result) ||
        __builtin_add_overflow(result, v.micros, &result))
        return kFailTimestampRange;
    if (result < range.min_micros || result > range.max_micros) return kFailTimestampRange;
    out = result;
    return kOk;
}

void ExecuteDateTimeShift(ScalarFunctionId id, Args args, Rows rows, Vector& result) {
    const bool subtract = id == ScalarFunctionId::DateSubInterval || id == ScalarFunctionId::TimestampSubInterval;
    const bool from_date = args[0]->Type().id == TypeId::Date;
    auto shift = [subtract](int64_t micros, const Interval& iv, int64_t& out) -> uint8_t {
        Interval step = iv;
        if (subtract && !NegateInterval(iv, step)) return kFailIntervalRange;
        return AddInterval(micros, step, out);
    };
    if (result.Physical() == PhysicalType::Int32) {
        // A date result (date ± interval kept as a date): the day the timestamp falls on.
        BinaryExecute<int32_t, Interval, int32_t>(
            *args[0], *args[1], rows, result,
            [&](int32_t days, const Interval& iv, int32_t& out) -> uint8_t {
                int64_t micros = 0, start = 0;
                uint8_t code = DaysToMicros(days, start) ? shift(start, iv, micros) : kFailTimestampRange;
                out = static_cast<int32_t>(FloorDiv(micros, kMicrosPerDay));
                return code == kFailTimestampRange ? kFailDateRange : code;
            },
            DatetimeFail());
        return;
    }
    if (from_date) {
        BinaryExecute<int32_t, Interval, int64_t>(
            *args[0], *args[1], rows, result,
            [&](int32_t days, const Interval& iv, int64_t& out) -> uint8_t {
                int64_t start = 0;
                return DaysToMicros(days, start) ? shift(start, iv, out) : kFailTimestampRange;
            },
            DatetimeFail());
        return;
    }
    BinaryExecute<int64_t, Interval, int64_t>(
        *args[0], *args[1], rows, result,
        [&](int64_t micros, const Interval& iv, int64_t& out) -> uint8_t { return shift(micros, iv, out); },
        DatetimeFail());
}

/// interval × factor, PostgreSQL's interval_mul: fractional months cascade into
/// days (30 per month) and fractional days into time (24 hours per day).
uint8_t MultiplyInterval(const Interval& v, double factor, Interval& out) {
    const double months = v.months * factor;
    const double days = v.days * factor;
    if (!std::isfinite(months) || !std::isfinite(days) || std::fabs(months) > std::numeric_limits<int32_t>::max() ||
        std::fabs(days) > std::numeric_limits<int32_t>::max())
        return kFailIntervalRange;
    out.months = static_cast<int32_t>(months);
    out.days = static_cast<int32_t>(days);
    const double month_remainder_days = (months - out.months) * 30.0;
    const double whole_month_days = std::trunc(month_remainder_days);
    double sec_remainder = (days - out.days + month_remainder_days - whole_month_days) * 86400.0;
    sec_remainder = std::nearbyint(sec_remainder * 1e6) / 1e6;
    int64_t total_days = out.days;  // the cascaded days can push past int32
    if (std::fabs(sec_remainder) >= 86400.0) {
        const double extra_days = std::trunc(sec_remainder / 86400.0);
        total_days += static_cast<int64_t>(extra_days);
        sec_remainder -= extra_days * 86400.0;
    }
    total_days += static_cast<int64_t>(whole_month_days);
    if (total_days > std::numeric_limits<int32_t>::max() || total_days < std::numeric_limits<int32_t>::min())
        return kFailIntervalRange;
    out.days = static_cast<int32_t>(total_days);
    const double micros = std::nearbyint(static_cast<double>(v.micros) * factor + sec_remainder * 1e6);
    if (!std::isfinite(micros) || std::fabs(micros) >= 9.2e18) return kFailIntervalRange;
    out.micros = static_cast<int64_t>(micros);
    return kOk;
}

/// The current time (UTC microseconds, shifted to the local time zone as
/// PostgreSQL shows current_timestamp cast to timestamp without time zone).
int64_t LocalNowMicros() {
    const auto now = std::chrono::system_clock::now();
    const int64_t utc = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(utc / kMicrosPerSecond);
    std::tm local{};
    localtime_r(&seconds, &local);
    return utc + static_cast<int64_t>(local.tm_gmtoff) * kMicrosPerSecond;
}

}  // namespace

LogicalType ExtractResultType(std::string_view field) {
    DatePart part;
    if (!ParseDatePart(field, part)) throw Error::UnknownDatePart(std::string(field), "");
    return part == DatePart::Epoch ? LogicalType(TypeId::Double) : LogicalType(TypeId::BigInt);
}

namespace kernels {

void ExecuteDateFunction(ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result) {
    switch (id) {
    case ScalarFunctionId::Extract: ExecuteExtract(args, rows, result); return;
    case ScalarFunctionId::DateAddInterval:
    case ScalarFunctionId::DateSubInterval:
    case ScalarFunctionId::TimestampAddInterval:
    case ScalarFunctionId::TimestampSubInterval: ExecuteDateTimeShift(id, args, rows, result); return;
    case ScalarFunctionId::DateAddDays:
    case ScalarFunctionId::DateSubDays: {
        const bool subtract = id == ScalarFunctionId::DateSubDays;
        std::optional<Vector> storage;
        const Vector& days = Coerce(*args[1], LogicalType(TypeId::BigInt), rows, storage);
        const DatetimeRange range = Range();
        BinaryExecute<int32_t, int64_t, int32_t>(
            *args[0], days, rows, result,
            [=](int32_t date, int64_t n, int32_t& out) -> uint8_t {
                int64_t r = 0;
                bool overflow = subtract ? __builtin_sub_overflow(int64_t(date), n, &r)
                                         : __builtin_add_overflow(int64_t(date), n, &r);
                out = static_cast<int32_t>(r);
                return overflow | (r < range.min_days) | (r > range.max_days) ? kFailDateRange : kOk;
            },
            DatetimeFail());
        return;
    }
    case ScalarFunctionId::DateDiffDays:
        if (result.Physical() == PhysicalType::Int64) {
            BinaryMap<int32_t, int32_t, int64_t>(*args[0], *args[1], rows, result,
                                                 [](int32_t a, int32_t b) { return int64_t(a) - b; });
            return;
        }
        BinaryExecute<int32_t, int32_t, int32_t>(
            *args[0], *args[1], rows, result,
            [](int32_t a, int32_t b, int32_t& out) -> uint8_t {
                return __builtin_sub_overflow(a, b, &out) ? kFailOverflow : kOk;
            },
            [](uint8_t, uint32_t) { throw Error::Overflow("integer"); });
        return;
    case ScalarFunctionId::TimestampDiff:
        // PostgreSQL's timestamp - timestamp: whole days and the remaining time, same sign.
        BinaryExecute<int64_t, int64_t, Interval>(
            *args[0], *args[1], rows, result,
            [](int64_t a, int64_t b, Interval& out) -> uint8_t {
                int64_t diff = 0;
                if (__builtin_sub_overflow(a, b, &diff)) return kFailIntervalRange;
                out.months = 0;
                out.days = static_cast<int32_t>(diff / kMicrosPerDay);
                out.micros = diff % kMicrosPerDay;
                return kOk;
            },
            DatetimeFail());
        return;
    case ScalarFunctionId::IntervalAdd:
    case ScalarFunctionId::IntervalSub: {
        const bool subtract = id == ScalarFunctionId::IntervalSub;
        BinaryExecute<Interval, Interval, Interval>(
            *args[0], *args[1], rows, result,
            [subtract](const Interval& a, const Interval& b, Interval& out) -> uint8_t {
                bool overflow;
                if (subtract) {
                    overflow = __builtin_sub_overflow(a.months, b.months, &out.months);
                    overflow |= __builtin_sub_overflow(a.days, b.days, &out.days);
                    overflow |= __builtin_sub_overflow(a.micros, b.micros, &out.micros);
                } else {
                    overflow = __builtin_add_overflow(a.months, b.months, &out.months);
                    overflow |= __builtin_add_overflow(a.days, b.days, &out.days);
                    overflow |= __builtin_add_overflow(a.micros, b.micros, &out.micros);
                }
                return overflow ? kFailIntervalRange : kOk;
            },
            DatetimeFail());
        return;
    }
    case ScalarFunctionId::IntervalNegate:
        UnaryExecute<Interval, Interval>(
            *args[0], rows, result,
            [](const Interval& v, Interval& out) -> uint8_t { return NegateInterval(v, out) ? kOk : kFailIntervalRange; },
            DatetimeFail());
        return;
    case ScalarFunctionId::IntervalMul: {
        // Either order: interval * double or double * interval.
        const bool interval_first = args[0]->Physical() == PhysicalType::Interval;
        const Vector& interval = interval_first ? *args[0] : *args[1];
        std::optional<Vector> storage;
        const Vector& factor = Coerce(interval_first ? *args[1] : *args[0], LogicalType(TypeId::Double), rows, storage);
        BinaryExecute<Interval, double, Interval>(
            interval, factor, rows, result,
            [](const Interval& v, double f, Interval& out) -> uint8_t { return MultiplyInterval(v, f, out); },
            DatetimeFail());
        return;
    }
    case ScalarFunctionId::CurrentDate:
    case ScalarFunctionId::CurrentTimestamp: {
        const int64_t now = LocalNowMicros();
        if (result.Physical() == PhysicalType::Int32) {
            const auto today = static_cast<int32_t>(FloorDiv(now, kMicrosPerDay));
            for (idx_t i = 0; i < rows.count; ++i) result.Data<int32_t>()[rows[i]] = today;
        } else {
            for (idx_t i = 0; i < rows.count; ++i) result.Data<int64_t>()[rows[i]] = now;
        }
        return;
    }
    default: ThrowUnsupported(id, args, arg_count, result);
    }
}

}  // namespace kernels

}  // namespace grizzly::runtime
