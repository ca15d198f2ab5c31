#pragma once
/// Binds one AST expression in the scope of a Binder. In an aggregate query
/// the expression binder also collects aggregate calls and maps group
/// expressions to the Aggregate operator's outputs.

#include <string>
#include <vector>

#include "frontend/binder/binder.hpp"

namespace grizzly::frontend {

/// The aggregate side of one SELECT: group keys and aggregate calls.
struct AggregateState {
    uint32_t group_index = 0;
    uint32_t aggregate_index = 0;
    std::vector<ir::ExprPtr> groups;
    std::vector<ir::AggregateExpr> aggregates;
};

/// True when `expr` calls an aggregate function outside any subquery.
bool ContainsAggregate(const ast::Expr& expr);
/// True when `name` is an aggregate function.
bool IsAggregateName(const std::string& name);

class ExpressionBinder {
public:
    /// `agg` non-null: aggregate calls are allowed and column references must
    /// be grouped.
    ExpressionBinder(Binder& binder, AggregateState* agg) : binder_(binder), agg_(agg) {}

    ir::ExprPtr Bind(const ast::Expr& expr);
    /// Binds and converts to BOOLEAN (WHERE, HAVING, ON, CASE WHEN).
    ir::ExprPtr BindCondition(const ast::Expr& expr, const char* clause);

    /// Aliases of the select list, usable in ORDER BY / GROUP BY / HAVING.
    const std::vector<std::pair<std::string, const ast::Expr*>>* aliases = nullptr;
    const char* clause = "expression";

private:
    Binder& binder_;
    AggregateState* agg_;
    bool in_aggregate_ = false;

    ir::ExprPtr BindInner(const ast::Expr& expr);
    ir::ExprPtr BindColumnRef(const ast::ColumnRefExpr& ref);
    ir::ExprPtr BindUnary(const ast::UnaryExpr& expr);
    ir::ExprPtr BindBinary(const ast::BinaryExpr& expr);
    ir::ExprPtr BindArithmetic(ast::BinaryOp op, ir::ExprPtr left, ir::ExprPtr right, SourcePos pos);
    ir::ExprPtr BindFunction(const ast::FunctionExpr& expr);
    ir::ExprPtr BindAggregate(const ast::FunctionExpr& expr);
    ir::ExprPtr BindScalarFunction(const std::string& name, std::vector<ir::ExprPtr> args, SourcePos pos);
    ir::ExprPtr BindMacro(const storage::MacroEntry& macro, const ast::FunctionExpr& expr);
    ir::ExprPtr BindCase(const ast::CaseExpr& expr);
    ir::ExprPtr BindSubquery(const ast::SubqueryExpr& expr);
    ir::ExprPtr BindLike(const ast::LikeExpr& expr);
    ir::ExprPtr BindInList(const ast::InListExpr& expr);
    /// Replaces grouped subtrees with references to the Aggregate's outputs.
    ir::ExprPtr ReplaceGroupRefs(ir::ExprPtr expr, SourcePos pos);
};

}  // namespace grizzly::frontend
