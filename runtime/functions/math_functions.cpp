/// Math functions: round, floor, ceil, trunc, sign on DOUBLE, DECIMAL and the
/// integer types (the result vector's type says which), and power, sqrt, exp,
/// ln, log10 on DOUBLE with PostgreSQL's domain errors (2201E, 2201F) and
/// overflow/underflow checks. abs and mod share the arithmetic kernels.

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "runtime/functions/kernels.hpp"

namespace grizzly::runtime::kernels {

namespace {

using ir::ScalarFunctionId;

/// round(v, digits) on the decimal text of v, half away from zero; so
/// round(2.675::double, 2) is 2.68, as PostgreSQL computes it in numeric.
double RoundDoubleDigits(double v, int64_t digits) {
    if (!std::isfinite(v) || v == 0) return v;
    digits = std::clamp<int64_t>(digits, -400, 400);
    DecimalDigits d = ShortestDigits(v);
    const int64_t shift = d.exponent + digits;  // digits × 10^shift = v × 10^digits
    if (shift >= 0) return v;                   // already exact at that precision
    const int64_t rounded = DivideRoundHalfAway(d.digits, static_cast<int>(std::min<int64_t>(-shift, 40)));
    if (rounded == 0) return d.negative ? -0.0 : 0.0;
    // "<sign><rounded>e<-digits>" read back by from_chars: correctly rounded to the nearest double.
    char buf[64];
    int len = std::snprintf(buf, sizeof(buf), "%s%llde%lld", d.negative ? "-" : "", static_cast<long long>(rounded),
                            static_cast<long long>(-digits));
    double out = 0;
    std::from_chars(buf, buf + len, out);
    return out;
}

/// Integer round(x, digits): only negative digits change the value (round to tens, hundreds...).
template <class T>
uint8_t RoundInteger(T v, int64_t digits, int64_t lo, int64_t hi, T& out) {
    if (digits >= 0) {
        out = v;
        return kOk;
    }
    const int k = static_cast<int>(std::min<int64_t>(-digits, 30));
    __int128 q = DivideRoundHalfAway(v, k);
    __int128 power = 1;
    for (int i = 0; i < k; ++i) power *= 10;
    __int128 r = q * power;
    out = static_cast<T>(r);
    return r < lo || r > hi ? kFailOverflow : kOk;
}

/// Decimal round to `digits` decimal places, expressed at `result_scale`.
uint8_t RoundDecimal(int64_t v, int scale, int64_t digits, int result_scale, int64_t bound, int64_t& out) {
    digits = std::clamp<int64_t>(digits, -40, 40);
    if (digits >= scale) return RescaleDecimal(v, scale, result_scale, 0, out) && out < bound && out > -bound
                                    ? kOk
                                    : kFailOverflow;
    // q counts units of 10^-digits.
    const __int128 q = DivideRoundHalfAway(v, static_cast<int>(scale - digits));
    if (q == 0) {
        out = 0;
        return kOk;
    }
    const int64_t up = result_scale - digits;
    __int128 r;
    if (up >= 0) {
        if (up > 18) return kFailOverflow;
        r = q * kPowersOfTen[up];
    } else {
        r = DivideRoundHalfAway(q, static_cast<int>(-up));
    }
    if (r >= bound || r <= -bound) return kFailOverflow;
    out = static_cast<int64_t>(r);
    return kOk;
}

enum class RoundingMode { Floor, Ceil, Trunc, Round };

/// A decimal rounded to an integer value, expressed at the result's scale.
void DecimalToIntegral(const Vector& input, Rows rows, Vector& result, RoundingMode mode) {
    const int scale = input.Type().scale;
    const int result_scale = result.Type().scale;
    const int64_t unit = kPowersOfTen[scale];
    const int64_t factor = kPowersOfTen[result_scale];
    const int64_t bound = DecimalBound(result.Type());
    auto on_fail = [](uint8_t, uint32_t) { throw Error::Overflow("numeric"); };
    UnaryExecute<int64_t, int64_t>(
        input, rows, result,
        [=](int64_t v, int64_t& out) -> uint8_t {
            int64_t q = v / unit, r = v % unit;
            switch (mode) {
            case RoundingMode::Floor: q -= r < 0; break;
            case RoundingMode::Ceil: q += r > 0; break;
            case RoundingMode::Trunc: break;
            case RoundingMode::Round: q = DivideRoundHalfAway(v, scale); break;
            }
            __int128 scaled = static_cast<__int128>(q) * factor;
            out = static_cast<int64_t>(scaled);
            return scaled >= bound || scaled <= -bound ? kFailOverflow : kOk;
        },
        on_fail);
}

void ExecuteRounding(ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result) {
    const LogicalType& type = result.Type();
    std::optional<Vector> storage, digits_storage;
    const Vector* digits = nullptr;
    if (arg_count > 1) digits = &Coerce(*args[1], LogicalType(TypeId::BigInt), rows, digits_storage);
    const RoundingMode mode = id == ScalarFunctionId::Floor  ? RoundingMode::Floor
                              : id == ScalarFunctionId::Ceil ? RoundingMode::Ceil
                              : id == ScalarFunctionId::Trunc ? RoundingMode::Trunc
                                                              : RoundingMode::Round;
    if (type.Physical() == PhysicalType::Double) {
        const Vector& input = Coerce(*args[0], type, rows, storage);
        if (digits) {
            BinaryMap<double, int64_t, double>(input, *digits, rows, result, RoundDoubleDigits);
            return;
        }
        switch (mode) {
        case RoundingMode::Floor: UnaryMap<double, double>(input, rows, result, [](double v) { return std::floor(v); }); return;
        case RoundingMode::Ceil: UnaryMap<double, double>(input, rows, result, [](double v) { return std::ceil(v); }); return;
        case RoundingMode::Trunc: UnaryMap<double, double>(input, rows, result, [](double v) { return std::trunc(v); }); return;
        case RoundingMode::Round: UnaryMap<double, double>(input, rows, result, [](double v) { return std::round(v); }); return;
        }
    }
    if (type.id == TypeId::Decimal) {
        const Vector& input = args[0]->Type().id == TypeId::Decimal
                                  ? *args[0]
                                  : Coerce(*args[0], LogicalType::Decimal(18, 0), rows, storage);
        const int scale = input.Type().scale, result_scale = type.scale;
        const int64_t bound = DecimalBound(type);
        if (mode == RoundingMode::Round && digits) {
            BinaryExecute<int64_t, int64_t, int64_t>(
                input, *digits, rows, result,
                [=](int64_t v, int64_t d, int64_t& out) -> uint8_t {
                    return RoundDecimal(v, scale, d, result_scale, bound, out);
                },
                [](uint8_t, uint32_t) { throw Error::Overflow("numeric"); });
            return;
        }
        DecimalToIntegral(input, rows, result, mode);
        return;
    }
    if (type.IsInteger()) {
        const Vector& input = Coerce(*args[0], type, rows, storage);
        int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
        const char* name = "bigint";
        switch (type.id) {
        case TypeId::TinyInt: lo = -128, hi = 127, name = "tinyint"; break;
        case TypeId::SmallInt: lo = -32768, hi = 32767, name = "smallint"; break;
        case TypeId::Integer:
            lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max(), name = "integer";
            break;
        default: break;
        }
        auto on_fail = [name](uint8_t, uint32_t) { throw Error::Overflow(name); };
        if (type.Physical() == PhysicalType::Int32) {
            if (!digits) {
                UnaryMap<int32_t, int32_t>(input, rows, result, [](int32_t v) { return v; });
                return;
            }
            BinaryExecute<int32_t, int64_t, int32_t>(
                input, *digits, rows, result,
                [=](int32_t v, int64_t d, int32_t& out) { return RoundInteger<int32_t>(v, d, lo, hi, out); }, on_fail);
        } else {
            if (!digits) {
                UnaryMap<int64_t, int64_t>(input, rows, result, [](int64_t v) { return v; });
                return;
            }
            BinaryExecute<int64_t, int64_t, int64_t>(
                input, *digits, rows, result,
                [=](int64_t v, int64_t d, int64_t& out) { return RoundInteger<int64_t>(v, d, lo, hi, out); }, on_fail);
        }
        return;
    }
    ThrowUnsupported(id, args, arg_count, result);
}

void ExecuteSign(Args args, Rows rows, Vector& result) {
    const LogicalType& type = result.Type();
    std::optional<Vector> storage;
    if (type.Physical() == PhysicalType::Double) {
        const Vector& input = Coerce(*args[0], type, rows, storage);
        UnaryMap<double, double>(input, rows, result,
                                 [](double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : (v == 0 ? 0.0 : v)); });
        return;
    }
    if (type.id == TypeId::Decimal) {
        const int64_t one = kPowersOfTen[type.scale];
        UnaryMap<int64_t, int64_t>(*args[0], rows, result, [one](int64_t v) -> int64_t { return ((v > 0) - (v < 0)) * one; });
        return;
    }
    const Vector& input = Coerce(*args[0], type, rows, storage);
    if (type.Physical() == PhysicalType::Int32)
        UnaryMap<int32_t, int32_t>(input, rows, result, [](int32_t v) -> int32_t { return (v > 0) - (v < 0); });
    else UnaryMap<int64_t, int64_t>(input, rows, result, [](int64_t v) -> int64_t { return (v > 0) - (v < 0); });
}

// Failure codes of the double functions, mapped to PostgreSQL's errors by RaiseMath.
constexpr uint8_t kFailNegativeRoot = 1, kFailLogZero = 2, kFailLogNegative = 3, kFailZeroNegativePower = 4,
                  kFailComplexPower = 5, kFailFloatOverflow = 6, kFailFloatUnderflow = 7;

[[noreturn]] __attribute__((cold, noinline)) void RaiseMath(uint8_t code) {
    switch (code) {
    case kFailNegativeRoot: throw Error::NegativeSquareRoot();
    case kFailLogZero: throw Error::LogarithmOfZero();
    case kFailLogNegative: throw Error::LogarithmOfNegative();
    case kFailZeroNegativePower: throw Error::ZeroToNegativePower();
    case kFailComplexPower: throw Error::ComplexPower();
    case kFailFloatUnderflow: throw Error::FloatUnderflow();
    default: throw Error::FloatOverflow();
    }
}

template <class Fn>
void DoubleUnary(const Vector& input_in, Rows rows, Vector& result, Fn&& fn) {
    std::optional<Vector> storage;
    const Vector& input = Coerce(input_in, LogicalType(TypeId::Double), rows, storage);
    UnaryExecute<double, double>(input, rows, result, fn, [](uint8_t code, uint32_t) { RaiseMath(code); });
}

uint8_t Logarithm(double v, double& out, bool base10) {
    if (v == 0) return kFailLogZero;
    if (v < 0) return kFailLogNegative;
    out = base10 ? std::log10(v) : std::log(v);
    return kOk;
}

}  // namespace

void ExecuteMathFunction(ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result) {
    switch (id) {
    case ScalarFunctionId::Abs: ExecuteAbs(*args[0], rows, result); return;
    case ScalarFunctionId::Mod: ExecuteModulo(*args[0], *args[1], rows, result); return;
    case ScalarFunctionId::Round:
    case ScalarFunctionId::Floor:
    case ScalarFunctionId::Ceil:
    case ScalarFunctionId::Trunc: ExecuteRounding(id, args, arg_count, rows, result); return;
    case ScalarFunctionId::Sign: ExecuteSign(args, rows, result); return;
    case ScalarFunctionId::Sqrt:
        DoubleUnary(*args[0], rows, result, [](double v, double& out) -> uint8_t {
            if (v < 0) return kFailNegativeRoot;
            out = std::sqrt(v);
            return kOk;
        });
        return;
    case ScalarFunctionId::Exp:
        DoubleUnary(*args[0], rows, result, [](double v, double& out) -> uint8_t {
            out = std::exp(v);
            if (std::isfinite(v) && std::isinf(out)) return kFailFloatOverflow;
            return std::isfinite(v) && out == 0 ? kFailFloatUnderflow : kOk;
        });
        return;
    case ScalarFunctionId::Ln:
        DoubleUnary(*args[0], rows, result, [](double v, double& out) { return Logarithm(v, out, false); });
        return;
    case ScalarFunctionId::Log10:
        DoubleUnary(*args[0], rows, result, [](double v, double& out) { return Logarithm(v, out, true); });
        return;
    case ScalarFunctionId::Power: {
        std::optional<Vector> base_storage, exponent_storage;
        const Vector& base = Coerce(*args[0], LogicalType(TypeId::Double), rows, base_storage);
        const Vector& exponent = Coerce(*args[1], LogicalType(TypeId::Double), rows, exponent_storage);
        BinaryExecute<double, double, double>(
            base, exponent, rows, result,
            [](double x, double y, double& out) -> uint8_t {
                if (x == 0 && y < 0) return kFailZeroNegativePower;
                if (x < 0 && std::isfinite(y) && std::floor(y) != y) return kFailComplexPower;
                out = std::pow(x, y);
                if (std::isinf(out) && std::isfinite(x) && std::isfinite(y)) return kFailFloatOverflow;
                return out == 0 && x != 0 && std::isfinite(x) && std::isfinite(y) ? kFailFloatUnderflow : kOk;
            },
            [](uint8_t code, uint32_t) { RaiseMath(code); });
        return;
    }
    default: ThrowUnsupported(id, args, arg_count, result);
    }
}

}  // namespace grizzly::runtime::kernels
