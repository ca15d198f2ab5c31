/// Arithmetic operators (+ - * / // %), negation, abs and the bit operators over
/// the integer family (int32 storage, range of the logical type), BIGINT,
/// DOUBLE/REAL and DECIMAL. Integer overflow and division by zero are errors,
/// as in PostgreSQL; floating-point overflow and underflow of finite inputs too.

#include <cmath>
#include <limits>
#include <optional>

#include "runtime/functions/kernels.hpp"

namespace grizzly::runtime::kernels {

namespace {

using ir::ScalarFunctionId;

/// Range and PostgreSQL name of an integer logical type (all int32-backed ones plus BIGINT).
struct IntRange {
    int64_t lo;
    int64_t hi;
    const char* name;
    int bits;
};

IntRange RangeOf(TypeId id) {
    switch (id) {
    case TypeId::TinyInt: return {-128, 127, "tinyint", 8};
    case TypeId::SmallInt: return {-32768, 32767, "smallint", 16};
    case TypeId::BigInt:
        return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), "bigint", 64};
    default: return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), "integer", 32};
    }
}

// ---- per-value operations ------------------------------------------------

struct AddOperator {
    template <class T>
    static uint8_t Operation(T a, T b, T& out) {
        return __builtin_add_overflow(a, b, &out) ? kFailOverflow : kOk;
    }
    /// The same check by sign bits (overflow iff the result's sign differs from
    /// both operands'): GCC vectorizes this form and not the builtin's.
    static uint8_t Operation32(int32_t a, int32_t b, int32_t& out) {
        const auto r = static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
        out = r;
        return ((a ^ r) & (b ^ r)) < 0 ? kFailOverflow : kOk;
    }
};

struct SubtractOperator {
    template <class T>
    static uint8_t Operation(T a, T b, T& out) {
        return __builtin_sub_overflow(a, b, &out) ? kFailOverflow : kOk;
    }
    static uint8_t Operation32(int32_t a, int32_t b, int32_t& out) {
        const auto r = static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
        out = r;
        return ((a ^ b) & (a ^ r)) < 0 ? kFailOverflow : kOk;
    }
};

template <class OP>
concept HasOperation32 = requires(int32_t a, int32_t& out) { OP::Operation32(a, a, out); };

struct MultiplyOperator {
    template <class T>
    static uint8_t Operation(T a, T b, T& out) {
        return __builtin_mul_overflow(a, b, &out) ? kFailOverflow : kOk;
    }
};

/// Integer division truncating toward zero; MIN / -1 overflows instead of trapping.
struct DivideOperator {
    template <class T>
    static uint8_t Operation(T a, T b, T& out) {
        if (b == 0) return kFailDivZero;
        if (b == -1) return __builtin_sub_overflow(T(0), a, &out) ? kFailOverflow : kOk;
        out = a / b;
        return kOk;
    }
};

/// Remainder with the sign of the dividend (C and PostgreSQL agree); MIN % -1 is 0.
struct ModuloOperator {
    template <class T>
    static uint8_t Operation(T a, T b, T& out) {
        if (b == 0) return kFailDivZero;
        out = b == -1 ? T(0) : a % b;
        return kOk;
    }
};

struct NegateOperator {
    template <class T>
    static uint8_t Operation(T a, T& out) {
        return __builtin_sub_overflow(T(0), a, &out) ? kFailOverflow : kOk;
    }
};

struct AbsOperator {
    template <class T>
    static uint8_t Operation(T a, T& out) {
        if (a >= 0) {
            out = a;
            return kOk;
        }
        return __builtin_sub_overflow(T(0), a, &out) ? kFailOverflow : kOk;
    }
};

// Floating point: PostgreSQL reports overflow (an infinite result from finite
// inputs) and underflow (zero from non-zero inputs) instead of returning them.
constexpr uint8_t kFailUnderflow = kFailOther;

struct DoubleAddOperator {
    static uint8_t Operation(double a, double b, double& out) {
        out = a + b;
        return std::isinf(out) && !std::isinf(a) && !std::isinf(b) ? kFailOverflow : kOk;
    }
};
struct DoubleSubtractOperator {
    static uint8_t Operation(double a, double b, double& out) {
        out = a - b;
        return std::isinf(out) && !std::isinf(a) && !std::isinf(b) ? kFailOverflow : kOk;
    }
};
struct DoubleMultiplyOperator {
    static uint8_t Operation(double a, double b, double& out) {
        out = a * b;
        if (std::isinf(out) && !std::isinf(a) && !std::isinf(b)) return kFailOverflow;
        return out == 0.0 && a != 0.0 && b != 0.0 ? kFailUnderflow : kOk;
    }
};
struct DoubleDivideOperator {
    static uint8_t Operation(double a, double b, double& out) {
        if (b == 0.0 && !std::isnan(a)) return kFailDivZero;
        out = a / b;
        if (std::isinf(out) && !std::isinf(a)) return kFailOverflow;
        return out == 0.0 && a != 0.0 && !std::isinf(b) ? kFailUnderflow : kOk;
    }
};
struct DoubleIntDivideOperator {
    static uint8_t Operation(double a, double b, double& out) {
        uint8_t code = DoubleDivideOperator::Operation(a, b, out);
        out = std::trunc(out);
        return code == kFailUnderflow ? kOk : code;
    }
};
struct DoubleModuloOperator {
    static uint8_t Operation(double a, double b, double& out) {
        if (b == 0.0 && !std::isnan(a)) return kFailDivZero;
        out = std::fmod(a, b);
        return kOk;
    }
};

// ---- error reporting (cold) ----------------------------------------------

[[noreturn]] __attribute__((cold, noinline)) void RaiseArithmetic(uint8_t code, const char* type_name) {
    if (code & kFailDivZero) throw Error::DivisionByZero();
    throw Error::Overflow(type_name);
}

[[noreturn]] __attribute__((cold, noinline)) void RaiseDouble(uint8_t code) {
    if (code & kFailDivZero) throw Error::DivisionByZero();
    if (code & kFailOverflow) throw Error::FloatOverflow();
    throw Error::FloatUnderflow();
}

// ---- executors per physical family ---------------------------------------

/// (T, T) -> T for the int32-backed integer types: computed in 64 bits, then
/// checked against the logical type's range (so TINYINT 100 + 100 overflows).
template <class OP>
void Int32Binary(const Vector& left, const Vector& right, Rows rows, Vector& result) {
    const IntRange range = RangeOf(result.Type().id);
    if constexpr (HasOperation32<OP>) {
        // 32-bit arithmetic and 32-bit range compares keep the dense loop vectorizable.
        const auto lo = static_cast<int32_t>(range.lo), hi = static_cast<int32_t>(range.hi);
        BinaryExecute<int32_t, int32_t, int32_t>(
            left, right, rows, result,
            [lo, hi](int32_t a, int32_t b, int32_t& out) -> uint8_t {
                uint8_t code = OP::Operation32(a, b, out);
                return code | ((out < lo) | (out > hi) ? kFailOverflow : kOk);
            },
            [&](uint8_t code, uint32_t) { RaiseArithmetic(code, range.name); });
        return;
    }
    const int64_t lo = range.lo, hi = range.hi;
    BinaryExecute<int32_t, int32_t, int32_t>(
        left, right, rows, result,
        [lo, hi](int32_t a, int32_t b, int32_t& out) -> uint8_t {
            int64_t wide = 0;
            uint8_t code = OP::template Operation<int64_t>(a, b, wide);
            out = static_cast<int32_t>(wide);
            return code | ((wide < lo) | (wide > hi) ? kFailOverflow : kOk);
        },
        [&](uint8_t code, uint32_t) { RaiseArithmetic(code, range.name); });
}

template <class OP>
void Int64Binary(const Vector& left, const Vector& right, Rows rows, Vector& result, const char* type_name) {
    BinaryExecute<int64_t, int64_t, int64_t>(
        left, right, rows, result,
        [](int64_t a, int64_t b, int64_t& out) -> uint8_t { return OP::template Operation<int64_t>(a, b, out); },
        [&](uint8_t code, uint32_t) { RaiseArithmetic(code, type_name); });
}

template <class OP>
void DoubleBinary(const Vector& left, const Vector& right, Rows rows, Vector& result) {
    BinaryExecute<double, double, double>(
        left, right, rows, result,
        [](double a, double b, double& out) -> uint8_t { return OP::Operation(a, b, out); },
        [](uint8_t code, uint32_t) { RaiseDouble(code); });
}

/// Decimal (+, -) with both arguments at the result's scale: 18-digit limit.
template <class OP>
void DecimalAddSub(const Vector& left, const Vector& right, Rows rows, Vector& result) {
    BinaryExecute<int64_t, int64_t, int64_t>(
        left, right, rows, result,
        [](int64_t a, int64_t b, int64_t& out) -> uint8_t {
            uint8_t code = OP::template Operation<int64_t>(a, b, out);
            return code | ((out >= kDecimalLimit) | (out <= -kDecimalLimit) ? kFailOverflow : kOk);
        },
        [](uint8_t code, uint32_t) { RaiseArithmetic(code, "numeric"); });
}

/// Decimal product: the exact product has scale s1 + s2; it is brought to the
/// result's scale (rounding half away from zero) and checked against 18 digits.
void DecimalMultiply(const Vector& left, const Vector& right, Rows rows, Vector& result) {
    const int product_scale = left.Type().scale + right.Type().scale;
    const int result_scale = result.Type().scale;
    if (product_scale == result_scale) {
        BinaryExecute<int64_t, int64_t, int64_t>(
            left, right, rows, result,
            [](int64_t a, int64_t b, int64_t& out) -> uint8_t {
                bool overflow = __builtin_mul_overflow(a, b, &out);
                return overflow | (out >= kDecimalLimit) | (out <= -kDecimalLimit) ? kFailOverflow : kOk;
            },
            [](uint8_t code, uint32_t) { RaiseArithmetic(code, "numeric"); });
        return;
    }
    BinaryExecute<int64_t, int64_t, int64_t>(
        left, right, rows, result,
        [=](int64_t a, int64_t b, int64_t& out) -> uint8_t {
            __int128 product = static_cast<__int128>(a) * b;
            __int128 scaled;
            if (result_scale < product_scale) {
                scaled = DivideRoundHalfAway(product, product_scale - result_scale);
            } else {
                // Past the 18-digit limit before scaling up means past it after, too; checking
                // first keeps the 128-bit product from overflowing.
                if (product >= kDecimalLimit || product <= -kDecimalLimit) return kFailOverflow;
                int up = result_scale - product_scale;
                if (up > 18) return product == 0 ? (out = 0, kOk) : kFailOverflow;
                scaled = product * kPowersOfTen[up];
            }
            if (scaled >= kDecimalLimit || scaled <= -kDecimalLimit) return kFailOverflow;
            out = static_cast<int64_t>(scaled);
            return kOk;
        },
        [](uint8_t code, uint32_t) { RaiseArithmetic(code, "numeric"); });
}

/// Decimal a / b at the result's scale, rounded half away from zero. The binder
/// normally divides decimals as DOUBLE; this keeps a decimal result exact if asked.
void DecimalDivide(const Vector& left, const Vector& right, Rows rows, Vector& result, bool truncate) {
    const int exponent = result.Type().scale - left.Type().scale + right.Type().scale;
    const int result_scale = result.Type().scale;
    const int quotient_exponent = right.Type().scale - left.Type().scale;
    BinaryExecute<int64_t, int64_t, int64_t>(
        left, right, rows, result,
        [=](int64_t a, int64_t b, int64_t& out) -> uint8_t {
            if (b == 0) return kFailDivZero;
            __int128 num = a, den = b;
            if (truncate) {
                // Integer quotient of the two values, then placed at the result scale.
                const int e = quotient_exponent;
                if (e > 18 || e < -18) return kFailOverflow;
                if (e >= 0) num *= kPowersOfTen[e];
                else den *= kPowersOfTen[-e];
                __int128 q = num / den;
                if (result_scale > 18) return kFailOverflow;
                q *= kPowersOfTen[result_scale];
                if (q >= kDecimalLimit || q <= -kDecimalLimit) return kFailOverflow;
                out = static_cast<int64_t>(q);
                return kOk;
            }
            if (exponent > 18 || exponent < -18) return kFailOverflow;
            if (exponent >= 0) num *= kPowersOfTen[exponent];
            else den *= kPowersOfTen[-exponent];
            __int128 q = num / den, r = num % den;
            if (r < 0) r = -r;
            __int128 abs_den = den < 0 ? -den : den;
            if (r * 2 >= abs_den) q += (num < 0) != (den < 0) ? -1 : 1;
            if (q >= kDecimalLimit || q <= -kDecimalLimit) return kFailOverflow;
            out = static_cast<int64_t>(q);
            return kOk;
        },
        [](uint8_t code, uint32_t) { RaiseArithmetic(code, "numeric"); });
}

/// Runs one of + - * / // % on arguments of the result's type.
template <class IntOP, class DoubleOP>
void ArithmeticBinary(ScalarFunctionId id, const Vector& left_in, const Vector& right_in, Rows rows,
                      Vector& result) {
    const LogicalType& type = result.Type();
    std::optional<Vector> left_storage, right_storage, left_scaled, right_scaled;
    if (type.id == TypeId::Decimal) {
        // Each decimal operator fixes its own argument scales; an integer argument enters at scale 0.
        const Vector& left = left_in.Type().id == TypeId::Decimal
                                 ? left_in
                                 : Coerce(left_in, LogicalType::Decimal(18, 0), rows, left_storage);
        const Vector& right = right_in.Type().id == TypeId::Decimal
                                  ? right_in
                                  : Coerce(right_in, LogicalType::Decimal(18, 0), rows, right_storage);
        switch (id) {
        case ScalarFunctionId::Add:
        case ScalarFunctionId::Subtract: {
            const Vector& l = Coerce(left, LogicalType::Decimal(18, type.scale), rows, left_scaled);
            const Vector& r = Coerce(right, LogicalType::Decimal(18, type.scale), rows, right_scaled);
            if (id == ScalarFunctionId::Add) DecimalAddSub<AddOperator>(l, r, rows, result);
            else DecimalAddSub<SubtractOperator>(l, r, rows, result);
            return;
        }
        case ScalarFunctionId::Multiply: DecimalMultiply(left, right, rows, result); return;
        case ScalarFunctionId::Divide: DecimalDivide(left, right, rows, result, false); return;
        case ScalarFunctionId::IntDivide: DecimalDivide(left, right, rows, result, true); return;
        case ScalarFunctionId::Modulo:
        case ScalarFunctionId::Mod: {
            // Equal scales: the remainder of the unscaled values is the remainder at that scale.
            const Vector& l = Coerce(left, LogicalType::Decimal(18, type.scale), rows, left_scaled);
            const Vector& r = Coerce(right, LogicalType::Decimal(18, type.scale), rows, right_scaled);
            Int64Binary<ModuloOperator>(l, r, rows, result, "numeric");
            return;
        }
        default: break;
        }
        const Vector* args[2] = {&left_in, &right_in};
        ThrowUnsupported(id, args, 2, result);
    }
    const Vector& left = Coerce(left_in, type, rows, left_storage);
    const Vector& right = Coerce(right_in, type, rows, right_storage);
    switch (type.Physical()) {
    case PhysicalType::Int32: Int32Binary<IntOP>(left, right, rows, result); return;
    case PhysicalType::Int64: Int64Binary<IntOP>(left, right, rows, result, RangeOf(type.id).name); return;
    case PhysicalType::Double: DoubleBinary<DoubleOP>(left, right, rows, result); return;
    default: {
        const Vector* args[2] = {&left_in, &right_in};
        ThrowUnsupported(id, args, 2, result);
    }
    }
}

// ---- unary ---------------------------------------------------------------

template <class OP>
void IntegerUnary(const Vector& input, Rows rows, Vector& result) {
    const IntRange range = RangeOf(result.Type().id);
    if (result.Physical() == PhysicalType::Int32) {
        const int64_t lo = range.lo, hi = range.hi;
        UnaryExecute<int32_t, int32_t>(
            input, rows, result,
            [lo, hi](int32_t a, int32_t& out) -> uint8_t {
                int64_t wide = 0;
                uint8_t code = OP::template Operation<int64_t>(a, wide);
                out = static_cast<int32_t>(wide);
                return code | ((wide < lo) | (wide > hi) ? kFailOverflow : kOk);
            },
            [&](uint8_t code, uint32_t) { RaiseArithmetic(code, range.name); });
        return;
    }
    const char* name = result.Type().id == TypeId::Decimal ? "numeric" : range.name;
    UnaryExecute<int64_t, int64_t>(
        input, rows, result, [](int64_t a, int64_t& out) -> uint8_t { return OP::template Operation<int64_t>(a, out); },
        [&](uint8_t code, uint32_t) { RaiseArithmetic(code, name); });
}

void ExecuteNegate(const Vector& input_in, Rows rows, Vector& result) {
    std::optional<Vector> storage;
    const Vector& input = Coerce(input_in, result.Type(), rows, storage);
    switch (result.Physical()) {
    case PhysicalType::Int32:
    case PhysicalType::Int64: IntegerUnary<NegateOperator>(input, rows, result); return;
    case PhysicalType::Double: UnaryMap<double, double>(input, rows, result, [](double a) { return -a; }); return;
    case PhysicalType::Interval: {
        const Vector* args[1] = {&input};
        ExecuteDateFunction(ScalarFunctionId::IntervalNegate, args, 1, rows, result);
        return;
    }
    default: {
        const Vector* args[1] = {&input_in};
        ThrowUnsupported(ScalarFunctionId::Negate, args, 1, result);
    }
    }
}

/// Truncates a shifted value to the width of the logical type, as PostgreSQL's
/// int2shl does for smallint (the bits shifted out are lost, not an error).
template <class T>
T WrapToBits(T v, int bits) {
    if (bits == 8) return static_cast<T>(static_cast<int8_t>(v));
    if (bits == 16) return static_cast<T>(static_cast<int16_t>(v));
    return v;
}

template <class T, class TCount>
void ShiftExecute(const Vector& value, const Vector& count, Rows rows, Vector& result, bool left) {
    using U = std::make_unsigned_t<T>;
    const int bits = RangeOf(result.Type().id).bits;
    BinaryMap<T, TCount, T>(value, count, rows, result, [=](T v, TCount n) -> T {
        // Counts outside 0..bits-1 shift everything out instead of being undefined.
        if (n < 0 || n >= bits) return left ? T(0) : (v < 0 ? T(-1) : T(0));
        if (left) return WrapToBits(static_cast<T>(static_cast<U>(v) << n), bits);
        return static_cast<T>(v >> n);
    });
}

template <class T>
void BitwiseExecute(ScalarFunctionId id, Args args, Rows rows, Vector& result) {
    const Vector& a = *args[0];
    switch (id) {
    case ScalarFunctionId::BitAnd: BinaryMap<T, T, T>(a, *args[1], rows, result, [](T x, T y) -> T { return x & y; }); return;
    case ScalarFunctionId::BitOr: BinaryMap<T, T, T>(a, *args[1], rows, result, [](T x, T y) -> T { return x | y; }); return;
    case ScalarFunctionId::BitXor: BinaryMap<T, T, T>(a, *args[1], rows, result, [](T x, T y) -> T { return x ^ y; }); return;
    case ScalarFunctionId::BitNot: UnaryMap<T, T>(a, rows, result, [](T x) -> T { return ~x; }); return;
    case ScalarFunctionId::ShiftLeft:
    case ScalarFunctionId::ShiftRight: {
        bool left = id == ScalarFunctionId::ShiftLeft;
        if (args[1]->Physical() == PhysicalType::Int32) ShiftExecute<T, int32_t>(a, *args[1], rows, result, left);
        else ShiftExecute<T, int64_t>(a, *args[1], rows, result, left);
        return;
    }
    default: ThrowUnsupported(id, args, 2, result);
    }
}

}  // namespace

void ExecuteModulo(const Vector& left, const Vector& right, Rows rows, Vector& result) {
    ArithmeticBinary<ModuloOperator, DoubleModuloOperator>(ScalarFunctionId::Modulo, left, right, rows, result);
}

void ExecuteAbs(const Vector& input_in, Rows rows, Vector& result) {
    std::optional<Vector> storage;
    const Vector& input = Coerce(input_in, result.Type(), rows, storage);
    switch (result.Physical()) {
    case PhysicalType::Int32:
    case PhysicalType::Int64: IntegerUnary<AbsOperator>(input, rows, result); return;
    case PhysicalType::Double: UnaryMap<double, double>(input, rows, result, [](double a) { return std::fabs(a); }); return;
    default: {
        const Vector* args[1] = {&input_in};
        ThrowUnsupported(ScalarFunctionId::Abs, args, 1, result);
    }
    }
}

void ExecuteArithmetic(ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result) {
    switch (id) {
    case ScalarFunctionId::Add:
        ArithmeticBinary<AddOperator, DoubleAddOperator>(id, *args[0], *args[1], rows, result);
        return;
    case ScalarFunctionId::Subtract:
        ArithmeticBinary<SubtractOperator, DoubleSubtractOperator>(id, *args[0], *args[1], rows, result);
        return;
    case ScalarFunctionId::Multiply:
        ArithmeticBinary<MultiplyOperator, DoubleMultiplyOperator>(id, *args[0], *args[1], rows, result);
        return;
    case ScalarFunctionId::Divide:
        ArithmeticBinary<DivideOperator, DoubleDivideOperator>(id, *args[0], *args[1], rows, result);
        return;
    case ScalarFunctionId::IntDivide:
        ArithmeticBinary<DivideOperator, DoubleIntDivideOperator>(id, *args[0], *args[1], rows, result);
        return;
    case ScalarFunctionId::Modulo:
    case ScalarFunctionId::Mod: ExecuteModulo(*args[0], *args[1], rows, result); return;
    case ScalarFunctionId::Negate: ExecuteNegate(*args[0], rows, result); return;
    case ScalarFunctionId::Abs: ExecuteAbs(*args[0], rows, result); return;
    case ScalarFunctionId::BitAnd:
    case ScalarFunctionId::BitOr:
    case ScalarFunctionId::BitXor:
    case ScalarFunctionId::BitNot:
    case ScalarFunctionId::ShiftLeft:
    case ScalarFunctionId::ShiftRight: {
        std::optional<Vector> storage;
        const Vector& value = Coerce(*args[0], result.Type(), rows, storage);
        const Vector* coerced[2] = {&value, arg_count > 1 ? args[1] : nullptr};
        if (id != ScalarFunctionId::ShiftLeft && id != ScalarFunctionId::ShiftRight && arg_count > 1) {
            std::optional<Vector> storage2;
            const Vector& other = Coerce(*args[1], result.Type(), rows, storage2);
            coerced[1] = &other;
            if (result.Physical() == PhysicalType::Int32) BitwiseExecute<int32_t>(id, coerced, rows, result);
            else if (result.Physical() == PhysicalType::Int64) BitwiseExecute<int64_t>(id, coerced, rows, result);
            else ThrowUnsupported(id, args, arg_count, result);
            return;
        }
        if (result.Physical() == PhysicalType::Int32) BitwiseExecute<int32_t>(id, coerced, rows, result);
        else if (result.Physical() == PhysicalType::Int64) BitwiseExecute<int64_t>(id, coerced, rows, result);
        else ThrowUnsupported(id, args, arg_count, result);
        return;
    }
    default: ThrowUnsupported(id, args, arg_count, result);
    }
}

}  // namespace grizzly::runtime::kernels
