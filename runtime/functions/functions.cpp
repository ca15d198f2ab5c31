/// ExecuteScalarFunction: dispatch from a ScalarFunctionId to the kernels in
/// arithmetic.cpp, string_functions.cpp, math_functions.cpp and
/// date_functions.cpp, plus the NULL-handling functions (coalesce, nullif,
/// greatest, least) and random / typeof, which live here.
///
/// Argument types the binder must produce (T = the result type unless stated;
/// INT = the int32-backed TINYINT/SMALLINT/INTEGER, whose result range is the
/// result type's; DEC = DECIMAL(p,s) with p ≤ 18):
///
/// | function                          | arguments                         | result                         |
/// |-----------------------------------|-----------------------------------|--------------------------------|
/// | + -                               | (T, T), T in INT, BIGINT, DOUBLE,  | T                              |
/// |                                   | REAL, DEC (args at result scale)  |                                |
/// | *                                 | (T, T) as above; DEC(s1) × DEC(s2)| DEC scale s1+s2 (other scales  |
/// |                                   |                                   | are rounded to the result's)   |
/// | /                                 | (T, T), T in INT, BIGINT, DOUBLE  | T (integers truncate)          |
/// | //                                | (T, T), integers or DOUBLE        | T (truncates toward zero)      |
/// | % and mod()                       | (T, T), T numeric; DEC equal scale| T                              |
/// | negate, abs                       | (T), T numeric                    | T                              |
/// | & | xor ~                         | (T, T) / (T), T in INT, BIGINT    | T                              |
/// | << >>                             | (T, INTEGER or BIGINT)            | T                              |
/// | ||                                | (VARCHAR, VARCHAR)                | VARCHAR                        |
/// | like, ilike                       | (VARCHAR, VARCHAR[, VARCHAR esc]) | BOOLEAN                        |
/// | glob, starts_with, contains       | (VARCHAR, VARCHAR)                | BOOLEAN                        |
/// | length                            | (VARCHAR)                         | BIGINT                         |
/// | upper, lower, reverse             | (VARCHAR)                         | VARCHAR                        |
/// | substring                         | (VARCHAR, BIGINT[, BIGINT])       | VARCHAR                        |
/// | position(needle, haystack)        | (VARCHAR, VARCHAR)                | BIGINT                         |
/// | trim, ltrim, rtrim                | (VARCHAR[, VARCHAR chars])        | VARCHAR                        |
/// | replace                           | (VARCHAR, VARCHAR, VARCHAR)       | VARCHAR                        |
/// | repeat, left, right               | (VARCHAR, BIGINT)                 | VARCHAR                        |
/// | round                             | (DOUBLE[, INTEGER])               | DOUBLE                         |
/// |                                   | (DEC(s)) / (DEC(s), INTEGER)      | DEC scale 0 / DEC scale s      |
/// |                                   | (T[, INTEGER]), T integer         | T                              |
/// | floor, ceil, trunc                | (DOUBLE) / (DEC) / (T integer)    | DOUBLE / DEC (scale 0 or the   |
/// |                                   |                                   | input's) / T                   |
/// | sign                              | (T), T numeric                    | T                              |
/// | power                             | (DOUBLE, DOUBLE)                  | DOUBLE                         |
/// | sqrt, exp, ln, log10              | (DOUBLE)                          | DOUBLE                         |
/// | extract(field, v)                 | (VARCHAR, DATE/TIMESTAMP/INTERVAL)| ExtractResultType(field)       |
/// | date_add, date_sub                | (DATE, INTERVAL)                  | TIMESTAMP                      |
/// | date_add_days, date_sub_days      | (DATE, INTEGER)                   | DATE                           |
/// | date_diff_days                    | (DATE, DATE)                      | INTEGER                        |
/// | timestamp_add, timestamp_sub      | (TIMESTAMP, INTERVAL)             | TIMESTAMP                      |
/// | timestamp_diff                    | (TIMESTAMP, TIMESTAMP)            | INTERVAL                       |
/// | interval_add, interval_sub        | (INTERVAL, INTERVAL)              | INTERVAL                       |
/// | interval_negate                   | (INTERVAL)                        | INTERVAL                       |
/// | interval_mul                      | (INTERVAL, DOUBLE)                | INTERVAL                       |
/// | current_date, current_timestamp   | ()                                | DATE, TIMESTAMP                |
/// | coalesce, greatest, least         | (T, ...), any T                   | T                              |
/// | nullif                            | (T, T)                            | T                              |
/// | random                            | ()                                | DOUBLE                         |
/// | typeof                            | (any)                             | VARCHAR                        |
///
/// Arguments of a narrower or differently scaled type than the table asks are
/// cast here first (a guard, not a contract). A NULL-typed argument makes the
/// result NULL for every function except coalesce, greatest, least, nullif
/// and typeof. The operator forms + - * also accept the date/interval
/// combinations and forward them to the date functions.

#include <cstring>
#include <random>

#include "runtime/functions/kernels.hpp"

namespace grizzly::runtime {

namespace kernels {

std::string PgTypeName(const LogicalType& type) {
    switch (type.id) {
    case TypeId::Null: return "unknown";
    case TypeId::Boolean: return "boolean";
    case TypeId::TinyInt: return "tinyint";
    case TypeId::SmallInt: return "smallint";
    case TypeId::Integer: return "integer";
    case TypeId::BigInt: return "bigint";
    case TypeId::Real: return "real";
    case TypeId::Double: return "double precision";
    case TypeId::Decimal: return "numeric";
    case TypeId::Varchar: return "text";
    case TypeId::Date: return "date";
    case TypeId::Timestamp: return "timestamp";
    case TypeId::Interval: return "interval";
    }
    return "unknown";
}

void ThrowUnsupported(ir::ScalarFunctionId id, const Vector* const* args, size_t arg_count, const Vector& result) {
    std::string signature = std::string(ir::ScalarFunctionName(id)) + "(";
    for (size_t i = 0; i < arg_count; ++i) {
        if (i) signature += ", ";
        signature += args[i] ? args[i]->Type().ToString() : "?";
    }
    signature += ") -> " + result.Type().ToString();
    throw Error::Internal("no runtime implementation for " + signature);
}

const Vector& Coerce(const Vector& v, const LogicalType& target, Rows rows, std::optional<Vector>& storage) {
    const LogicalType& type = v.Type();
    const bool same = type.id != TypeId::Null && type.Physical() == target.Physical() &&
                      (type.id == TypeId::Decimal) == (target.id == TypeId::Decimal) &&
                      (target.id != TypeId::Decimal || type.scale == target.scale);
    if (same) return v;
    storage.emplace(target, v.Capacity());
    CastVector(v, rows, *storage, false);
    return *storage;
}

}  // namespace kernels

namespace {

using ir::ScalarFunctionId;
using namespace kernels;

/// Runs `f(T{})` with T the C++ type of a physical type.
template <class F>
void WithPhysical(PhysicalType physical, F&& f) {
    switch (physical) {
    case PhysicalType::Bool: f(uint8_t{}); return;
    case PhysicalType::Int32: f(int32_t{}); return;
    case PhysicalType::Int64: f(int64_t{}); return;
    case PhysicalType::Double: f(double{}); return;
    case PhysicalType::String: f(StringRef{}); return;
    case PhysicalType::Interval: f(Interval{}); return;
    }
}

inline bool Equal(const StringRef& a, const StringRef& b) { return a == b; }
template <class T>
inline bool Equal(const T& a, const T& b) {
    return ThreeWay(a, b) == 0;
}

/// Casts every argument to the result's type when its representation differs
/// (decimal scales, NULL-typed literals); `storage` owns the copies.
std::vector<const Vector*> CoerceAll(Args args, size_t arg_count, Rows rows, const LogicalType& target,
                                     std::vector<std::optional<Vector>>& storage) {
    std::vector<const Vector*> out(arg_count);
    storage.resize(arg_count);
    for (size_t i = 0; i < arg_count; ++i) {
        if (IsNullTyped(*args[i])) {
            out[i] = nullptr;  // contributes only NULLs
            continue;
        }
        out[i] = &Coerce(*args[i], target, rows, storage[i]);
    }
    return out;
}

void ExecuteCoalesce(Args args, size_t arg_count, Rows rows, Vector& result) {
    std::vector<std::optional<Vector>> storage;
    std::vector<const Vector*> inputs = CoerceAll(args, arg_count, rows, result.Type(), storage);
    const uint32_t width = PhysicalSize(result.Physical());
    for (idx_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows[i];
        bool found = false;
        for (const Vector* input : inputs) {
            if (input && RowValid(input->Validity(), row)) {
                std::memcpy(result.RawData() + row * width, input->RawData() + row * width, width);
                found = true;
                break;
            }
        }
        if (!found) result.Validity().SetInvalid(row);
    }
    if (result.Physical() == PhysicalType::String)
        for (const Vector* input : inputs)
            if (input) result.KeepStringsAlive(*input);
}

/// GREATEST / LEAST: NULL arguments are ignored; NULL only when all are NULL.
void ExecuteGreatestLeast(Args args, size_t arg_count, Rows rows, Vector& result, bool greatest) {
    std::vector<std::optional<Vector>> storage;
    std::vector<const Vector*> inputs = CoerceAll(args, arg_count, rows, result.Type(), storage);
    WithPhysical(result.Physical(), [&](auto tag) {
        using T = decltype(tag);
        T* out = result.Data<T>();
        for (idx_t i = 0; i < rows.count; ++i) {
            const uint32_t row = rows[i];
            const T* best = nullptr;
            for (const Vector* input : inputs) {
                if (!input || !RowValid(input->Validity(), row)) continue;
                const T& candidate = input->Data<T>()[row];
                if (!best || (greatest ? ThreeWay(candidate, *best) > 0 : ThreeWay(candidate, *best) < 0))
                    best = &candidate;
            }
            if (best) out[row] = *best;
            else result.Validity().SetInvalid(row);
        }
    });
    if (result.Physical() == PhysicalType::String)
        for (const Vector* input : inputs)
            if (input) result.KeepStringsAlive(*input);
}

/// NULLIF(a, b): NULL when a = b, else a.
void ExecuteNullIf(Args args, Rows rows, Vector& result) {
    if (IsNullTyped(*args[0])) {
        SetAllNull(rows, result);
        return;
    }
    std::vector<std::optional<Vector>> storage;
    std::vector<const Vector*> inputs = CoerceAll(args, 2, rows, result.Type(), storage);
    const Vector& a = *inputs[0];
    const Vector* b = inputs[1];
    WithPhysical(result.Physical(), [&](auto tag) {
        using T = decltype(tag);
        const T* a_data = a.Data<T>();
        T* out = result.Data<T>();
        for (idx_t i = 0; i < rows.count; ++i) {
            const uint32_t row = rows[i];
            if (!RowValid(a.Validity(), row) ||
                (b && RowValid(b->Validity(), row) && Equal(a_data[row], b->Data<T>()[row]))) {
                result.Validity().SetInvalid(row);
                continue;
            }
            out[row] = a_data[row];
        }
    });
    if (result.Physical() == PhysicalType::String) result.KeepStringsAlive(a);
}

void ExecuteRandom(Rows rows, Vector& result) {
    // One generator per thread: no locking, and workers do not share a sequence.
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::uniform_real_distribution<double> distribution(0.0, 1.0);
    double* out = result.Data<double>();
    for (idx_t i = 0; i < rows.count; ++i) out[rows[i]] = distribution(generator);
}

void ExecuteTypeof(Args args, Rows rows, Vector& result) {
    const StringRef name = result.AddString(args[0]->Type().ToString());
    StringRef* out = result.Data<StringRef>();
    for (idx_t i = 0; i < rows.count; ++i) out[rows[i]] = name;
}

/// The operator forms (+, -, *) on dates, timestamps and intervals, forwarded to
/// the named date function; false when the arguments are plain numbers.
bool ForwardDatetimeOperator(ScalarFunctionId id, Args args, Rows rows, Vector& result) {
    const TypeId a = args[0]->Type().id, b = args[1]->Type().id;
    auto is_int = [](TypeId t) {
        return t == TypeId::TinyInt || t == TypeId::SmallInt || t == TypeId::Integer || t == TypeId::BigInt;
    };
    auto run = [&](ScalarFunctionId target, bool swap) {
        const Vector* ordered[2] = {swap ? args[1] : args[0], swap ? args[0] : args[1]};
        ExecuteDateFunction(target, ordered, 2, rows, result);
        return true;
    };
    const bool a_time = a == TypeId::Date || a == TypeId::Timestamp || a == TypeId::Interval;
    const bool b_time = b == TypeId::Date || b == TypeId::Timestamp || b == TypeId::Interval;
    if (!a_time && !b_time) return false;
    switch (id) {
    case ScalarFunctionId::Add:
        if (a == TypeId::Date && is_int(b)) return run(ScalarFunctionId::DateAddDays, false);
        if (is_int(a) && b == TypeId::Date) return run(ScalarFunctionId::DateAddDays, true);
        if (a == TypeId::Date && b == TypeId::Interval) return run(ScalarFunctionId::DateAddInterval, false);
        if (a == TypeId::Interval && b == TypeId::Date) return run(ScalarFunctionId::DateAddInterval, true);
        if (a == TypeId::Timestamp && b == TypeId::Interval) return run(ScalarFunctionId::TimestampAddInterval, false);
        if (a == TypeId::Interval && b == TypeId::Timestamp) return run(ScalarFunctionId::TimestampAddInterval, true);
        if (a == TypeId::Interval && b == TypeId::Interval) return run(ScalarFunctionId::IntervalAdd, false);
        return false;
    case ScalarFunctionId::Subtract:
        if (a == TypeId::Date && is_int(b)) return run(ScalarFunctionId::DateSubDays, false);
        if (a == TypeId::Date && b == TypeId::Date) return run(ScalarFunctionId::DateDiffDays, false);
        if (a == TypeId::Date && b == TypeId::Interval) return run(ScalarFunctionId::DateSubInterval, false);
        if (a == TypeId::Timestamp && b == TypeId::Interval) return run(ScalarFunctionId::TimestampSubInterval, false);
        if (a == TypeId::Timestamp && b == TypeId::Timestamp) return run(ScalarFunctionId::TimestampDiff, false);
        if (a == TypeId::Interval && b == TypeId::Interval) return run(ScalarFunctionId::IntervalSub, false);
        return false;
    case ScalarFunctionId::Multiply:
        if (a == TypeId::Interval || b == TypeId::Interval) return run(ScalarFunctionId::IntervalMul, false);
        return false;
    default: return false;
    }
}

bool PropagatesNull(ScalarFunctionId id) {
    switch (id) {
    case ScalarFunctionId::Coalesce:
    case ScalarFunctionId::Greatest:
    case ScalarFunctionId::Least:
    case ScalarFunctionId::NullIf:
    case ScalarFunctionId::Typeof: return false;
    default: return true;
    }
}

}  // namespace

void ExecuteScalarFunction(ScalarFunctionId id, const Vector* const* args, size_t arg_count, Rows rows,
                           Vector& result) {
    if (PropagatesNull(id)) {
        for (size_t i = 0; i < arg_count; ++i) {
            if (IsNullTyped(*args[i])) {
                SetAllNull(rows, result);
                return;
            }
        }
    }
    switch (id) {
    case ScalarFunctionId::Add:
    case ScalarFunctionId::Subtract:
    case ScalarFunctionId::Multiply:
        if (ForwardDatetimeOperator(id, args, rows, result)) return;
        ExecuteArithmetic(id, args, arg_count, rows, result);
        return;
    case ScalarFunctionId::Divide:
    case ScalarFunctionId::IntDivide:
    case ScalarFunctionId::Modulo:
    case ScalarFunctionId::Negate:
    case ScalarFunctionId::BitAnd:
    case ScalarFunctionId::BitOr:
    case ScalarFunctionId::BitXor:
    case ScalarFunctionId::BitNot:
    case ScalarFunctionId::ShiftLeft:
    case ScalarFunctionId::ShiftRight: ExecuteArithmetic(id, args, arg_count, rows, result); return;
    case ScalarFunctionId::Concat:
    case ScalarFunctionId::Like:
    case ScalarFunctionId::ILike:
    case ScalarFunctionId::Glob:
    case ScalarFunctionId::Length:
    case ScalarFunctionId::Upper:
    case ScalarFunctionId::Lower:
    case ScalarFunctionId::Substring:
    case ScalarFunctionId::Position:
    case ScalarFunctionId::Trim:
    case ScalarFunctionId::LTrim:
    case ScalarFunctionId::RTrim:
    case ScalarFunctionId::Replace:
    case ScalarFunctionId::Reverse:
    case ScalarFunctionId::Repeat:
    case ScalarFunctionId::Left:
    case ScalarFunctionId::Right:
    case ScalarFunctionId::StartsWith:
    case ScalarFunctionId::Contains: ExecuteStringFunction(id, args, arg_count, rows, result); return;
    case ScalarFunctionId::Abs:
    case ScalarFunctionId::Round:
    case ScalarFunctionId::Floor:
    case ScalarFunctionId::Ceil:
    case ScalarFunctionId::Mod:
    case ScalarFunctionId::Power:
    case ScalarFunctionId::Sqrt:
    case ScalarFunctionId::Sign:
    case ScalarFunctionId::Exp:
    case ScalarFunctionId::Ln:
    case ScalarFunctionId::Log10:
    case ScalarFunctionId::Trunc: ExecuteMathFunction(id, args, arg_count, rows, result); return;
    case ScalarFunctionId::Extract:
    case ScalarFunctionId::DateAddInterval:
    case ScalarFunctionId::DateSubInterval:
    case ScalarFunctionId::DateDiffDays:
    case ScalarFunctionId::DateAddDays:
    case ScalarFunctionId::DateSubDays:
    case ScalarFunctionId::TimestampAddInterval:
    case ScalarFunctionId::TimestampSubInterval:
    case ScalarFunctionId::TimestampDiff:
    case ScalarFunctionId::IntervalAdd:
    case ScalarFunctionId::IntervalSub:
    case ScalarFunctionId::IntervalNegate:
    case ScalarFunctionId::IntervalMul:
    case ScalarFunctionId::CurrentDate:
    case ScalarFunctionId::CurrentTimestamp: ExecuteDateFunction(id, args, arg_count, rows, result); return;
    case ScalarFunctionId::Coalesce: ExecuteCoalesce(args, arg_count, rows, result); return;
    case ScalarFunctionId::NullIf: ExecuteNullIf(args, rows, result); return;
    case ScalarFunctionId::Greatest: ExecuteGreatestLeast(args, arg_count, rows, result, true); return;
    case ScalarFunctionId::Least: ExecuteGreatestLeast(args, arg_count, rows, result, false); return;
    case ScalarFunctionId::Random: ExecuteRandom(rows, result); return;
    case ScalarFunctionId::Typeof: ExecuteTypeof(args, rows, result); return;
    }
    ThrowUnsupported(id, args, arg_count, result);
}

}  // namespace grizzly::runtime
