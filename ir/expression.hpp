#pragma once
/// Bound expressions: typed, every name resolved. Produced by the binder,
/// rewritten by optimizer passes, evaluated by the interpreter and compiled by
/// codegen. Columns are referred to by ColumnBinding (table index, column
/// index) in logical plans; physical planning turns them into positions.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/common.hpp"

namespace grizzly::ir {

class LogicalOperator;

enum class ScalarFunctionId : uint16_t {
#define X(id, name, min_args, max_args) id,
#include "ir/functions.def"
#undef X
};
/// SQL-facing name of a scalar function ("+", "substring").
const char* ScalarFunctionName(ScalarFunctionId id);

/// Identifies one output column of a logical operator.
struct ColumnBinding {
    uint32_t table = 0;
    uint32_t column = 0;
    bool operator==(const ColumnBinding& o) const { return table == o.table && column == o.column; }
    bool operator<(const ColumnBinding& o) const { return table < o.table || (table == o.table && column < o.column); }
};

enum class ExprType : uint8_t {
    Constant,
    ColumnRef,   ///< binding (logical) / position (physical)
    Parameter,   ///< a parameter slot: $n, or a correlated outer column
    Function,    ///< scalar function call (arithmetic, strings, ...)
    Compare,     ///< = <> < <= > >= IS [NOT] DISTINCT FROM
    And,
    Or,
    Not,
    IsNull,
    IsNotNull,
    Case,        ///< children: when0, then0, when1, then1, ..., else
    Cast,
    InList,      ///< children: operand, list...
    Subquery,
};

enum class CompareOp : uint8_t { Eq, NotEq, Lt, LtEq, Gt, GtEq, DistinctFrom, NotDistinctFrom };
CompareOp FlipCompare(CompareOp op);    ///< a op b == b Flip(op) a
CompareOp NegateCompare(CompareOp op);  ///< NOT (a op b) == a Negate(op) b, for non-null inputs
const char* CompareOpSql(CompareOp op);

enum class SubqueryType : uint8_t { Scalar, Exists, NotExists, Any, All };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// One node of a bound expression tree.
struct Expr {
    ExprType type;
    LogicalType return_type;
    std::vector<ExprPtr> children;

    Value value;                          ///< Constant
    ColumnBinding binding;                ///< ColumnRef (logical)
    uint32_t position = 0;                ///< ColumnRef (physical) / Parameter slot
    uint32_t depth = 0;                   ///< ColumnRef: 0 = own query, n = n levels out (correlated)
    ScalarFunctionId function = ScalarFunctionId::Add;  ///< Function
    CompareOp compare = CompareOp::Eq;    ///< Compare; also Any/All subquery comparison
    bool try_cast = false;                ///< Cast
    bool negated = false;                 ///< InList: NOT IN
    std::string alias;                    ///< output name hint

    // Subquery
    SubqueryType subquery_type = SubqueryType::Scalar;
    std::shared_ptr<LogicalOperator> subquery;   ///< shared: a subquery plan is immutable once bound
    /// Outer columns the subquery reads (depth 1 from inside); Parameter slots 0..n-1 inside it.
    std::vector<ExprPtr> correlated;

    Expr(ExprType t, LogicalType rt) : type(t), return_type(rt) {}

    ExprPtr Copy() const;
    std::string ToString() const;
    bool Equals(const Expr& other) const;
    /// True when the value does not depend on any column, parameter or subquery.
    bool IsFoldable() const;
    bool HasSubquery() const;
    bool HasCorrelatedRef(uint32_t min_depth) const;

    static ExprPtr Constant(Value v);
    static ExprPtr Column(ColumnBinding b, LogicalType t, std::string name = "");
    static ExprPtr Compare(CompareOp op, ExprPtr l, ExprPtr r);
    static ExprPtr Conjunction(ExprType and_or, ExprPtr l, ExprPtr r);
    static ExprPtr Function(ScalarFunctionId id, LogicalType rt, std::vector<ExprPtr> args);
    static ExprPtr Cast(ExprPtr child, LogicalType target, bool try_cast = false);
};

/// The return types of a list of expressions.
std::vector<LogicalType> TypesOf(const std::vector<ExprPtr>& exprs);

/// Splits a predicate on AND into its conjuncts.
void SplitConjunction(ExprPtr expr, std::vector<ExprPtr>& out);
/// Joins conjuncts with AND (null when empty).
ExprPtr CombineConjunction(std::vector<ExprPtr> conjuncts);
/// Visits every ColumnRef (depth 0) of an expression tree.
void VisitColumnRefs(const Expr& expr, const std::function<void(const Expr&)>& f);
void VisitColumnRefsMutable(Expr& expr, const std::function<void(Expr&)>& f);

enum class AggregateKind : uint8_t { CountStar, Count, Sum, Avg, Min, Max, BoolAnd, BoolOr, StringAgg, First };
const char* AggregateName(AggregateKind kind);

/// One aggregate computed by an Aggregate operator.
struct AggregateExpr {
    AggregateKind kind;
    LogicalType return_type;
    ExprPtr argument;  ///< null for count(*)
    bool distinct = false;
    ExprPtr filter;    ///< FILTER (WHERE ...), may be null
    ExprPtr separator; ///< string_agg
    AggregateExpr Copy() const;
    std::string ToString() const;
};

/// A comparison of a column with a constant, read with the column on the left.
struct ColumnComparison {
    const Expr* column = nullptr;    ///< a ColumnRef at depth 0
    const Expr* constant = nullptr;  ///< a Constant
    CompareOp op = CompareOp::Eq;    ///< flipped when the constant was on the left
};
/// Whether `e` is `column op constant` or `constant op column`.
bool MatchColumnComparison(const Expr& e, ColumnComparison& out);

}  // namespace grizzly::ir
