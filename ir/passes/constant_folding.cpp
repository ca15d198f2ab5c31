// constant-folding: replaces every maximal constant subexpression by its value.
// Runs once; idempotent (a folded constant is not folded again).
#include "ir/optimizer.hpp"

namespace grizzly::ir {

namespace {

void Fold(ExprPtr& expr, OptimizerContext& ctx) {
    if (expr->type == ExprType::Constant) return;
    if (expr->IsFoldable()) {
        try {
            Value v = ctx.evaluate(*expr);
            std::string alias = expr->alias;
            LogicalType type = expr->return_type;
            expr = Expr::Constant(std::move(v));
            expr->return_type = type;
            expr->alias = alias;
            return;
        } catch (const Error&) {
            // Leave it: the error belongs to run time, and only if a row reaches it (CASE guards).
        }
    }
    for (auto& c : expr->children) Fold(c, ctx);
    for (auto& c : expr->correlated) Fold(c, ctx);
}

void FoldOperator(LogicalOperator& op, OptimizerContext& ctx) {
    ForEachExpression(op, [&](ExprPtr& e) { Fold(e, ctx); });
    if (op.type == LogicalOpType::Filter) {
        // TRUE conjuncts filter nothing.
        std::vector<ExprPtr> kept;
        for (auto& e : op.expressions)
            if (!(e->type == ExprType::Constant && !e->value.IsNull() && e->value.GetBool())) kept.push_back(std::move(e));
        op.expressions = std::move(kept);
    }
    for (auto& c : op.children) FoldOperator(*c, ctx);
}

}  // namespace

LogicalOpPtr FoldConstants(LogicalOpPtr plan, OptimizerContext& ctx) {
    if (!ctx.evaluate) return plan;
    FoldOperator(*plan, ctx);
    return plan;
}

}  // namespace grizzly::ir
