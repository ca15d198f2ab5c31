#pragma once
/// Implicit casts and result types, following PostgreSQL where it has a rule.

#include "ir/expression.hpp"

namespace grizzly::frontend {

/// Decimal digits needed to hold every value of an integer type (capped at 18).
uint8_t IntegerDigits(TypeId id);

/// The type two values are converted to before comparing or combining them.
/// Returns false when no implicit conversion exists.
bool CommonType(const LogicalType& a, const LogicalType& b, LogicalType& out);
/// The common type of two branches of `context` (CASE, UNION, VALUES, COALESCE); 42804 when none.
LogicalType MatchTypes(const LogicalType& a, const LogicalType& b, const char* context, SourcePos pos);
/// Casts `expr` to `target` (no-op when already of that type).
ir::ExprPtr CastTo(ir::ExprPtr expr, const LogicalType& target);
/// Brings both operands to their common type; 42883 when there is none.
void UnifyOperands(ir::ExprPtr& left, ir::ExprPtr& right, const char* op, SourcePos pos);
/// True for a VARCHAR literal or an untyped NULL, which adapt to the other side.
bool IsUntypedLiteral(const ir::Expr& expr);

}  // namespace grizzly::frontend
