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

namespace {

using namespace kernels;

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
    if ((target.id == TypeId::Date || target.id == TypeId::Timestamp) && input.Physical() == PhysicalType::String)
        throw Error::DatetimeFieldOutOfRange(input.Data<StringRef>()[row].Str());
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
            bool out_of_range = false;
            if (ParseDate(s.View(), out, out_of_range)) return kOk;
            return out_of_range ? kFailOverflow : kFailInvalidText;
        });
        return;
    case TypeId::Timestamp:
        Run<StringRef, int64_t>(ctx, [](const StringRef& s, int64_t& out) -> uint8_t {
            bool out_of_range = false;
            if (ParseTimestamp(s.View(), out, out_of_range)) return kOk;
            return out_of_range ? kFailOverflow : kFailInvalidText;
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
            return DaysToMicros(days, out) ? kOk : kFailOverflow;  // 22008 timestamp out of range
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
