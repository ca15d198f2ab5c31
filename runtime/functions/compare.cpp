/// Comparisons: = <> < <= > >= (NULL in, NULL out) and the null-safe
/// IS [NOT] DISTINCT FROM, over every physical type, plus CompareValues for
/// boxed values. Ordering is defined once, by kernels::ThreeWay: strings by
/// bytes, doubles with NaN equal to itself and above every number, intervals by
/// their span with 30-day months (all as PostgreSQL).

#include <optional>

#include "runtime/functions/kernels.hpp"
#include "runtime/kernels/simd_compare.hpp"

namespace grizzly::runtime {

namespace {

using ir::CompareOp;
using namespace kernels;

struct EqualsOperator {
    template <class T>
    static bool Operation(const T& a, const T& b) {
        return ThreeWay(a, b) == 0;
    }
    static bool Operation(const StringRef& a, const StringRef& b) { return a == b; }
};
struct NotEqualsOperator {
    template <class T>
    static bool Operation(const T& a, const T& b) {
        return !EqualsOperator::Operation(a, b);
    }
};
struct LessThanOperator {
    template <class T>
    static bool Operation(const T& a, const T& b) {
        return ThreeWay(a, b) < 0;
    }
};
struct LessThanEqualsOperator {
    template <class T>
    static bool Operation(const T& a, const T& b) {
        return ThreeWay(a, b) <= 0;
    }
};
struct GreaterThanOperator {
    template <class T>
    static bool Operation(const T& a, const T& b) {
        return ThreeWay(a, b) > 0;
    }
};
struct GreaterThanEqualsOperator {
    template <class T>
    static bool Operation(const T& a, const T& b) {
        return ThreeWay(a, b) >= 0;
    }
};

template <class T, class OP>
void CompareWith(const Vector& left, const Vector& right, Rows rows, Vector& result) {
    BinaryMap<T, T, uint8_t>(left, right, rows, result,
                             [](const T& a, const T& b) -> uint8_t { return OP::Operation(a, b) ? 1 : 0; });
}

/// IS [NOT] DISTINCT FROM: two NULLs are not distinct, NULL and a value are.
template <class T>
void CompareDistinct(const Vector& left, const Vector& right, Rows rows, Vector& result, bool distinct) {
    const T* a = left.Data<T>();
    const T* b = right.Data<T>();
    uint8_t* out = result.Data<uint8_t>();
    const bool left_null_typed = IsNullTyped(left), right_null_typed = IsNullTyped(right);
    for (idx_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows[i];
        const bool a_valid = !left_null_typed && RowValid(left.Validity(), row);
        const bool b_valid = !right_null_typed && RowValid(right.Validity(), row);
        bool same = a_valid && b_valid ? EqualsOperator::Operation(a[row], b[row]) : a_valid == b_valid;
        out[row] = same != distinct;
    }
}

template <class T>
void CompareTyped(CompareOp op, const Vector& left, const Vector& right, Rows rows, Vector& result) {
    if constexpr (std::is_arithmetic_v<T>) {
        // Dense input: whole SIMD batches first, the tail and NULLs through the generic kernel.
        if (!rows.sel && op != CompareOp::DistinctFrom && op != CompareOp::NotDistinctFrom && !IsNullTyped(left) &&
            !IsNullTyped(right)) {
            size_t done = kernels::SimdCompare<T>(op, left.Data<T>(), right.Data<T>(), result.Data<uint8_t>(), rows.count);
            if (done > 0) {
                PropagateNulls(left.Validity(), done, result);
                PropagateNulls(right.Validity(), done, result);
                std::vector<uint32_t> tail;
                for (idx_t r = done; r < rows.count; ++r) tail.push_back(static_cast<uint32_t>(r));
                if (tail.empty()) return;
                CompareTyped<T>(op, left, right, Rows{tail.data(), tail.size()}, result);
                return;
            }
        }
    }
    switch (op) {
    case CompareOp::Eq: CompareWith<T, EqualsOperator>(left, right, rows, result); return;
    case CompareOp::NotEq: CompareWith<T, NotEqualsOperator>(left, right, rows, result); return;
    case CompareOp::Lt: CompareWith<T, LessThanOperator>(left, right, rows, result); return;
    case CompareOp::LtEq: CompareWith<T, LessThanEqualsOperator>(left, right, rows, result); return;
    case CompareOp::Gt: CompareWith<T, GreaterThanOperator>(left, right, rows, result); return;
    case CompareOp::GtEq: CompareWith<T, GreaterThanEqualsOperator>(left, right, rows, result); return;
    case CompareOp::DistinctFrom: CompareDistinct<T>(left, right, rows, result, true); return;
    case CompareOp::NotDistinctFrom: CompareDistinct<T>(left, right, rows, result, false); return;
    }
}

/// The type both sides are compared in when they differ (the binder normally
/// unifies them; decimals of different scales are the case that does occur).
LogicalType ComparisonType(const LogicalType& a, const LogicalType& b) {
    if (a.id == TypeId::Null) return b;
    if (b.id == TypeId::Null) return a;
    if (a.IsNumeric() && b.IsNumeric()) {
        if (a.id == TypeId::Double || a.id == TypeId::Real || b.id == TypeId::Double || b.id == TypeId::Real)
            return LogicalType(TypeId::Double);
        if (a.id == TypeId::Decimal || b.id == TypeId::Decimal) {
            uint8_t scale = std::max(a.id == TypeId::Decimal ? a.scale : 0, b.id == TypeId::Decimal ? b.scale : 0);
            return LogicalType::Decimal(18, scale);
        }
        return LogicalType(TypeId::BigInt);
    }
    if ((a.id == TypeId::Date && b.id == TypeId::Timestamp) || (a.id == TypeId::Timestamp && b.id == TypeId::Date))
        return LogicalType(TypeId::Timestamp);
    if (a.id == TypeId::Varchar || b.id == TypeId::Varchar) return LogicalType(TypeId::Varchar);
    return a;
}

bool SameRepresentation(const LogicalType& a, const LogicalType& b) {
    if (a.Physical() != b.Physical()) return false;
    if (a.id == TypeId::Decimal || b.id == TypeId::Decimal) return a.id == b.id && a.scale == b.scale;
    if ((a.id == TypeId::Date) != (b.id == TypeId::Date)) return false;
    return (a.id == TypeId::Timestamp) == (b.id == TypeId::Timestamp);
}

}  // namespace

void CompareVectors(CompareOp op, const Vector& left_in, const Vector& right_in, Rows rows, Vector& result) {
    const bool null_safe = op == CompareOp::DistinctFrom || op == CompareOp::NotDistinctFrom;
    if (!null_safe && (IsNullTyped(left_in) || IsNullTyped(right_in))) {
        SetAllNull(rows, result);
        return;
    }
    const Vector* left = &left_in;
    const Vector* right = &right_in;
    std::optional<Vector> left_storage, right_storage;
    if (!IsNullTyped(left_in) && !IsNullTyped(right_in) && !SameRepresentation(left_in.Type(), right_in.Type())) {
        const LogicalType common = ComparisonType(left_in.Type(), right_in.Type());
        if (!SameRepresentation(common, left_in.Type())) {
            left_storage.emplace(common, left_in.Capacity());
            CastVector(left_in, rows, *left_storage, false);
            left = &*left_storage;
        }
        if (!SameRepresentation(common, right_in.Type())) {
            right_storage.emplace(common, right_in.Capacity());
            CastVector(right_in, rows, *right_storage, false);
            right = &*right_storage;
        }
    }
    // A NULL-typed side has no data of its own; read the other side's layout.
    const PhysicalType physical = IsNullTyped(*left) ? right->Physical() : left->Physical();
    switch (physical) {
    case PhysicalType::Bool: CompareTyped<uint8_t>(op, *left, *right, rows, result); return;
    case PhysicalType::Int32: CompareTyped<int32_t>(op, *left, *right, rows, result); return;
    case PhysicalType::Int64: CompareTyped<int64_t>(op, *left, *right, rows, result); return;
    case PhysicalType::Double: CompareTyped<double>(op, *left, *right, rows, result); return;
    case PhysicalType::String: CompareTyped<StringRef>(op, *left, *right, rows, result); return;
    case PhysicalType::Interval: CompareTyped<Interval>(op, *left, *right, rows, result); return;
    }
}

int CompareValues(const Value& a, const Value& b) {
    const LogicalType& ta = a.Type();
    const LogicalType& tb = b.Type();
    if (!SameRepresentation(ta, tb)) {
        const LogicalType common = ComparisonType(ta, tb);
        return CompareValues(CastValue(a, common), CastValue(b, common));
    }
    switch (ta.Physical()) {
    case PhysicalType::Bool:
    case PhysicalType::Int32:
    case PhysicalType::Int64: return ThreeWay(a.GetInt64(), b.GetInt64());
    case PhysicalType::Double: return ThreeWay(a.GetDouble(), b.GetDouble());
    case PhysicalType::String: {
        const std::string& x = a.GetString();
        const std::string& y = b.GetString();
        return ThreeWay(StringRef(x.data(), static_cast<uint32_t>(x.size())),
                        StringRef(y.data(), static_cast<uint32_t>(y.size())));
    }
    case PhysicalType::Interval: return ThreeWay(a.GetInterval(), b.GetInterval());
    }
    return 0;
}

}  // namespace grizzly::runtime
