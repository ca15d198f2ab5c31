#pragma once
/// Scalar semantics, written once: arithmetic with overflow checks, casts,
/// comparisons, string, math and date functions over vectors. The interpreter
/// calls these directly; generated code calls the same code through the
/// runtime helper list.
///
/// Conventions for every entry point:
/// - `rows` names the positions to compute (a selection, or 0..count-1); inputs
///   and the result use the same positions. Other positions are left untouched.
/// - The caller allocates `result` with the result type and enough capacity, with
///   an all-valid validity mask; the callee marks NULL results invalid.
/// - Argument types are the ones the binder resolved (it inserts casts so that,
///   e.g., both sides of + have one type); see the table in functions.cpp.
/// - Errors (overflow, division by zero, bad casts) throw grizzly::Error.

#include "common/like.hpp"
#include "common/common.hpp"
#include "ir/expression.hpp"

namespace grizzly::runtime {

/// A set of row positions: sel[0..count) if sel is set, else 0..count-1.
struct Rows {
    const uint32_t* sel = nullptr;
    idx_t count = 0;
    uint32_t operator[](idx_t i) const { return sel ? sel[i] : static_cast<uint32_t>(i); }
};

/// Evaluates scalar function `id` with `arg_count` arguments into `result`.
void ExecuteScalarFunction(ir::ScalarFunctionId id, const Vector* const* args, size_t arg_count, Rows rows,
                           Vector& result);
/// Casts `input` to result.Type(); with `try_cast`, failures give NULL instead of an error.
void CastVector(const Vector& input, Rows rows, Vector& result, bool try_cast);
/// Boolean comparison of two vectors of the same type (NULL in, NULL out, except
/// for DistinctFrom / NotDistinctFrom, which never return NULL).
void CompareVectors(ir::CompareOp op, const Vector& left, const Vector& right, Rows rows, Vector& result);
/// Casts one value (constant folding, parameters, defaults).
Value CastValue(const Value& value, LogicalType target, bool try_cast = false);
/// Three-way comparison of two non-null values of the same type (sorting, MIN/MAX).
int CompareValues(const Value& a, const Value& b);
/// SQL LIKE match (common/like.hpp, shared with compiled code).
using grizzly::LikeMatch;
/// One value of substring(s FROM start [FOR length]), counting UTF-8 characters
/// as PostgreSQL does: a slice of `s`, whose bytes the caller keeps alive.
/// Throws 22011 for a negative length. Compiled code calls it per row.
StringRef SubstringOf(const StringRef& s, int64_t start, int64_t length, bool has_length);
/// length(): the UTF-8 characters of `s`.
int64_t CharCount(std::string_view s);
/// Result type of EXTRACT(field FROM ...): DOUBLE for 'epoch', BIGINT otherwise.
/// Throws 22023 for a field name that EXTRACT does not know (case-insensitive, plurals accepted).
LogicalType ExtractResultType(std::string_view field);

}  // namespace grizzly::runtime
