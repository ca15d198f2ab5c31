#pragma once
// Small builders shared by the runtime unit tests (test-only).

#include <algorithm>
#include <string>
#include <vector>

#include "common/common.hpp"

namespace grizzly::test {

inline const LogicalType kInt(TypeId::Integer);
inline const LogicalType kBigInt(TypeId::BigInt);
inline const LogicalType kDouble(TypeId::Double);
inline const LogicalType kVarchar(TypeId::Varchar);
inline const LogicalType kBool(TypeId::Boolean);
inline const LogicalType kInterval(TypeId::Interval);

/// A vector holding `values` at rows 0..n-1 (NULL values become invalid rows).
inline Vector MakeVector(LogicalType type, const std::vector<Value>& values) {
    Vector v(type, std::max<size_t>(values.size(), 1));
    for (size_t i = 0; i < values.size(); ++i) v.SetValue(i, values[i]);
    return v;
}

inline Value I(int32_t v) { return Value::Integer(v); }
inline Value S(const std::string& v) { return Value::Varchar(v); }
inline Value D(double v) { return Value::Double(v); }

}  // namespace grizzly::test
