#pragma once
/// Internal to runtime/functions: the generic executors that apply a per-value
/// operation over a Rows selection and validity bitmaps, plus small helpers
/// (decimal scaling, PostgreSQL type names) shared by the function files.
///
/// Executor protocol. An operation is a callable `uint8_t fn(args..., TR& out)`
/// that writes one result and returns 0, or a nonzero failure code (kFail...)
/// without throwing. On a failure the executor calls `on_fail(code, row)`, which
/// either throws (casts, arithmetic) or returns, in which case the row becomes
/// NULL (TRY_CAST). Operations are pure: the dense path runs every row of
/// 0..count-1 with the failures OR-ed together (a loop the compiler can
/// vectorize) and, only when something failed, reruns the careful per-row path
/// that skips NULL rows and reports the first real failure. For fixed-width
/// arithmetic types the dense path also runs over NULL rows (computing garbage
/// that the validity mask hides); for strings and intervals it runs only when
/// no input has NULLs, because a NULL row's StringRef may dangle.

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "common/common.hpp"
#include "runtime/functions/functions.hpp"

namespace grizzly::runtime::kernels {

/// Failure codes returned by per-value operations (0 = success).
inline constexpr uint8_t kOk = 0;
inline constexpr uint8_t kFailOverflow = 1;
inline constexpr uint8_t kFailDivZero = 2;
inline constexpr uint8_t kFailInvalidText = 4;
inline constexpr uint8_t kFailOther = 8;

/// on_fail for operations that cannot fail.
struct NoFail {
    void operator()(uint8_t, uint32_t) const {}
};

/// ValidityMask::RowIsValid, but a mask shorter than `row` (SetInvalid only
/// materializes words up to the row it touched) counts the row as valid
/// instead of reading past the words.
inline bool RowValid(const ValidityMask& mask, idx_t row) {
    return mask.AllValid() || (row >> 6) >= mask.WordCount() || ((mask.Words()[row >> 6] >> (row & 63)) & 1);
}

/// True when a vector is of the NULL type (every row NULL, whatever its mask says).
inline bool IsNullTyped(const Vector& v) { return v.Type().id == TypeId::Null; }

/// Marks every row of `rows` NULL.
inline void SetAllNull(Rows rows, Vector& result) {
    for (idx_t i = 0; i < rows.count; ++i) result.Validity().SetInvalid(rows[i]);
}

/// After a dense pass over 0..count-1: every row NULL in `input` becomes NULL in `result`.
inline void PropagateNulls(const ValidityMask& input, idx_t count, Vector& result) {
    if (input.AllValid()) return;
    const uint64_t* words = input.Words();
    const idx_t word_count = (count + 63) / 64;
    for (idx_t word_idx = 0; word_idx < word_count && word_idx < input.WordCount(); ++word_idx) {
        uint64_t invalid = ~words[word_idx];
        while (invalid) {
            const idx_t row = word_idx * 64 + static_cast<idx_t>(__builtin_ctzll(invalid));
            if (row >= count) break;
            result.Validity().SetInvalid(row);
            invalid &= invalid - 1;
        }
    }
}

template <class T>
inline constexpr bool kDenseOverNulls = std::is_arithmetic_v<T>;

/// result[row] = fn(a[row]) for every row of `rows`; NULL in, NULL out.
template <class TA, class TR, class Fn, class OnFail>
void UnaryExecute(const Vector& a, Rows rows, Vector& result, Fn&& fn, OnFail&& on_fail) {
    const TA* a_data = a.Data<TA>();
    TR* out = result.Data<TR>();
    const ValidityMask& a_valid = a.Validity();
    if (!rows.sel && ((kDenseOverNulls<TA> && kDenseOverNulls<TR>) || a_valid.AllValid())) {
        // The result never shares memory with an input: restrict lets the loop vectorize.
        const TA* __restrict dense_a = a_data;
        TR* __restrict dense_out = out;
        const idx_t count = rows.count;
        uint8_t failed = 0;
        for (idx_t i = 0; i < count; ++i) failed |= fn(dense_a[i], dense_out[i]);
        if (!failed) {
            PropagateNulls(a_valid, count, result);
            return;
        }
    }
    for (idx_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows[i];
        if (!RowValid(a_valid, row)) {
            result.Validity().SetInvalid(row);
            continue;
        }
        if (uint8_t code = fn(a_data[row], out[row])) {
            on_fail(code, row);
            result.Validity().SetInvalid(row);
        }
    }
}

/// result[row] = fn(a[row], b[row]); NULL if either input is NULL.
template <class TA, class TB, class TR, class Fn, class OnFail>
void BinaryExecute(const Vector& a, const Vector& b, Rows rows, Vector& result, Fn&& fn, OnFail&& on_fail) {
    const TA* a_data = a.Data<TA>();
    const TB* b_data = b.Data<TB>();
    TR* out = result.Data<TR>();
    const ValidityMask& a_valid = a.Validity();
    const ValidityMask& b_valid = b.Validity();
    constexpr bool kFixed = kDenseOverNulls<TA> && kDenseOverNulls<TB> && kDenseOverNulls<TR>;
    if (!rows.sel && (kFixed || (a_valid.AllValid() && b_valid.AllValid()))) {
        const TA* __restrict dense_a = a_data;
        const TB* __restrict dense_b = b_data;
        TR* __restrict dense_out = out;
        const idx_t count = rows.count;
        uint8_t failed = 0;
        for (idx_t i = 0; i < count; ++i) failed |= fn(dense_a[i], dense_b[i], dense_out[i]);
        if (!failed) {
            PropagateNulls(a_valid, count, result);
            PropagateNulls(b_valid, count, result);
            return;
        }
    }
    for (idx_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows[i];
        if (!RowValid(a_valid, row) || !RowValid(b_valid, row)) {
            result.Validity().SetInvalid(row);
            continue;
        }
        if (uint8_t code = fn(a_data[row], b_data[row], out[row])) {
            on_fail(code, row);
            result.Validity().SetInvalid(row);
        }
    }
}

/// result[row] = fn(a[row], b[row], c[row]); NULL if any input is NULL. Always per row:
/// the three-argument functions (substring, replace, LIKE ... ESCAPE) work on strings.
template <class TA, class TB, class TC, class TR, class Fn, class OnFail>
void TernaryExecute(const Vector& a, const Vector& b, const Vector& c, Rows rows, Vector& result, Fn&& fn,
                    OnFail&& on_fail) {
    const TA* a_data = a.Data<TA>();
    const TB* b_data = b.Data<TB>();
    const TC* c_data = c.Data<TC>();
    TR* out = result.Data<TR>();
    for (idx_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows[i];
        if (!RowValid(a.Validity(), row) || !RowValid(b.Validity(), row) || !RowValid(c.Validity(), row)) {
            result.Validity().SetInvalid(row);
            continue;
        }
        if (uint8_t code = fn(a_data[row], b_data[row], c_data[row], out[row])) {
            on_fail(code, row);
            result.Validity().SetInvalid(row);
        }
    }
}

/// Infallible unary map: result[row] = fn(a[row]).
template <class TA, class TR, class Fn>
void UnaryMap(const Vector& a, Rows rows, Vector& result, Fn&& fn) {
    UnaryExecute<TA, TR>(
        a, rows, result,
        [&](TA x, TR& out) -> uint8_t {
            out = fn(x);
            return kOk;
        },
        NoFail{});
}

/// Infallible binary map: result[row] = fn(a[row], b[row]).
template <class TA, class TB, class TR, class Fn>
void BinaryMap(const Vector& a, const Vector& b, Rows rows, Vector& result, Fn&& fn) {
    BinaryExecute<TA, TB, TR>(
        a, b, rows, result,
        [&](TA x, TB y, TR& out) -> uint8_t {
            out = fn(x, y);
            return kOk;
        },
        NoFail{});
}

// ---- decimals -------------------------------------------------------------

/// Largest magnitude an 18-digit decimal can hold, plus one.
inline constexpr int64_t kDecimalLimit = 1000000000000000000LL;

/// v / 10^digits rounded half away from zero (digits ≥ 0; beyond 18 digits the result is 0).
inline int64_t DivideRoundHalfAway(__int128 v, int digits) {
    if (digits == 0) return static_cast<int64_t>(v);
    if (digits > 36) return 0;
    __int128 power = 1;
    for (int i = 0; i < digits; ++i) power *= 10;
    __int128 quotient = v / power;
    __int128 remainder = v % power;
    if (remainder < 0) remainder = -remainder;
    if (remainder * 2 >= power) quotient += v < 0 ? -1 : 1;
    return static_cast<int64_t>(quotient);
}

/// Changes the scale of an unscaled decimal, rounding half away from zero when
/// digits are dropped. Fails (returns false) when the result needs more than
/// `width` digits (18 when width is 0).
inline bool RescaleDecimal(int64_t v, int from_scale, int to_scale, int width, int64_t& out) {
    const int64_t limit = width > 0 && width < 18 ? kPowersOfTen[width] : kDecimalLimit;
    __int128 r;
    if (to_scale >= from_scale) {
        int up = to_scale - from_scale;
        if (up > 18) {
            if (v != 0) return false;
            out = 0;
            return true;
        }
        r = static_cast<__int128>(v) * kPowersOfTen[up];
    } else {
        r = DivideRoundHalfAway(v, from_scale - to_scale);
    }
    if (r >= limit || r <= -limit) return false;
    out = static_cast<int64_t>(r);
    return true;
}

/// Decimal digits of the integer part a DECIMAL(width, scale) may hold: |v| < 10^width.
inline int64_t DecimalBound(const LogicalType& type) {
    return type.width > 0 && type.width < 18 ? kPowersOfTen[type.width] : kDecimalLimit;
}

/// The shortest decimal digits that read back as a finite double:
/// |v| = digits × 10^exponent, with digits an integer of `count` ≤ 17 digits.
struct DecimalDigits {
    int64_t digits = 0;
    int count = 0;
    int exponent = 0;
    bool negative = false;
};
/// Defined in cast_text.cpp; v must be finite.
DecimalDigits ShortestDigits(double v);
/// round(v × 10^scale) computed on v's shortest decimal text (as PostgreSQL's
/// float8 → numeric goes through text), half away from zero. Fails when
/// |result| ≥ bound or v is not finite.
bool DoubleToScaledInteger(double v, int scale, int64_t bound, int64_t& out);

// ---- text parsing (cast_text.cpp) -----------------------------------------
// Each returns kOk, kFailInvalidText or kFailOverflow; surrounding blanks are allowed.

/// Strict integer: [+|-]digits within [lo, hi].
uint8_t ParseInteger(std::string_view text, int64_t lo, int64_t hi, int64_t& out);
/// A double: decimal or exponent notation, 'inf', 'infinity', 'nan' (any case).
uint8_t ParseDouble(std::string_view text, double& out);
/// An exact decimal (optional exponent) × 10^scale, rounded half away from zero; |out| < bound.
uint8_t ParseDecimal(std::string_view text, int scale, int64_t bound, int64_t& out);
/// PostgreSQL's boolean spellings and their unique prefixes.
uint8_t ParseBoolean(std::string_view text, uint8_t& out);
/// Unit words ('1 year 2 mons'), a [-]HH:MM[:SS[.ffffff]] part, '@ ... ago'.
uint8_t ParseIntervalText(std::string_view text, Interval& out);

// ---- shared helpers (functions.cpp) --------------------------------------

/// The type name PostgreSQL uses in error messages ("integer", "double precision", "numeric").
std::string PgTypeName(const LogicalType& type);
/// `v` itself when its values already have `target`'s representation (same
/// physical type; same scale for decimals), else a cast copy held in `storage`.
/// Guards against argument types the binder left wider or narrower than needed.
const Vector& Coerce(const Vector& v, const LogicalType& target, Rows rows, std::optional<Vector>& storage);
/// Throws the internal error for an argument-type combination the binder should never produce.
[[noreturn]] void ThrowUnsupported(ir::ScalarFunctionId id, const Vector* const* args, size_t arg_count,
                                   const Vector& result);
/// Three-way comparison of two values of one physical type, the single definition
/// of ordering used by comparisons, GREATEST/LEAST, NULLIF and CompareValues.
/// Doubles order NaN above everything and equal to itself (PostgreSQL).
inline int ThreeWay(double a, double b) {
    const bool a_nan = a != a, b_nan = b != b;
    if (a_nan || b_nan) return a_nan == b_nan ? 0 : (a_nan ? 1 : -1);
    return a < b ? -1 : (a > b ? 1 : 0);
}
inline int ThreeWay(int32_t a, int32_t b) { return a < b ? -1 : (a > b ? 1 : 0); }
inline int ThreeWay(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }
inline int ThreeWay(uint8_t a, uint8_t b) { return a < b ? -1 : (a > b ? 1 : 0); }
inline int ThreeWay(const StringRef& a, const StringRef& b) {
    int c = a.Compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}
/// Intervals compare by their span with a month counted as 30 days (PostgreSQL).
inline __int128 IntervalKey(const Interval& v) {
    return (static_cast<__int128>(v.months) * 30 + v.days) * kMicrosPerDay + v.micros;
}
inline int ThreeWay(const Interval& a, const Interval& b) {
    __int128 x = IntervalKey(a), y = IntervalKey(b);
    return x < y ? -1 : (x > y ? 1 : 0);
}

// ---- entry points of the function files (dispatched from functions.cpp) ----

using Args = const Vector* const*;
void ExecuteArithmetic(ir::ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result);
void ExecuteStringFunction(ir::ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result);
void ExecuteMathFunction(ir::ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result);
void ExecuteDateFunction(ir::ScalarFunctionId id, Args args, size_t arg_count, Rows rows, Vector& result);
/// Modulo on (T, T), shared by % and mod().
void ExecuteModulo(const Vector& left, const Vector& right, Rows rows, Vector& result);
/// abs(), shared by arithmetic and math.
void ExecuteAbs(const Vector& input, Rows rows, Vector& result);

}  // namespace grizzly::runtime::kernels
