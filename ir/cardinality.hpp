#pragma once
/// Cardinality estimation from table statistics (row counts, distinct-value
/// sketches, min/max ranges), for join ordering. Estimates only steer the
/// plan's shape; nothing depends on them for correctness.

#include "ir/logical.hpp"

namespace grizzly::ir {

/// Estimated rows produced by `op`.
double EstimateCardinality(const LogicalOperator& op);
/// Fraction of `input`'s rows for which the predicate `e` holds.
double EstimateSelectivity(const Expr& e, const LogicalOperator& input);
/// Fraction of `input`'s rows passing all `conjuncts` (ranges on one column combined).
double ConjunctionSelectivity(const std::vector<ExprPtr>& conjuncts, const LogicalOperator& input);
/// Rows of a ⋈ b (a_rows and b_rows already estimated) under `conditions`.
double EstimateJoinRows(const LogicalOperator& a, double a_rows, const LogicalOperator& b, double b_rows,
                        const std::vector<const Expr*>& conditions);
/// Estimated distinct values of the column `binding` in the output of `op`,
/// or a negative number when unknown.
double EstimateDistinct(const LogicalOperator& op, const ColumnBinding& binding);
/// The same, with the cardinality of `op` already known.
double EstimateDistinct(const LogicalOperator& op, const ColumnBinding& binding, double rows);

}  // namespace grizzly::ir
