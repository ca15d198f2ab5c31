// constant-folding: bottom-up, replaces constant subexpressions by their value
// and simplifies strict operations with a NULL operand to NULL (as
// PostgreSQL's eval_const_expressions does), so that `NULL > x / 0` is NULL
// without evaluating x / 0. Runs once; idempotent.
#include "common/datetime.hpp"
#include "ir/optimizer.hpp"

namespace grizzly::ir {

namespace {

bool IsComparison(CompareOp op) {
    return op == CompareOp::Lt || op == CompareOp::LtEq || op == CompareOp::Gt || op == CompareOp::GtEq ||
           op == CompareOp::Eq || op == CompareOp::NotEq;
}

// CAST(date AS TIMESTAMP) op TIMESTAMP 'c' becomes date op' DATE 'd', so that the
// column is compared as it is stored (`l_shipdate < DATE '1994-01-01' + INTERVAL
// '1' year` in TPC-H) and zone maps can prune on it.
void CompareDateAsDate(ExprPtr& expr) {
    if (expr->type != ExprType::Compare || !IsComparison(expr->compare)) return;
    ExprPtr* cast = &expr->children[0];
    ExprPtr* constant = &expr->children[1];
    CompareOp op = expr->compare;
    if ((*cast)->type == ExprType::Constant) {
        std::swap(cast, constant);
        op = FlipCompare(op);
    }
    if ((*cast)->type != ExprType::Cast || (*cast)->return_type.id != TypeId::Timestamp ||
        (*cast)->children[0]->return_type.id != TypeId::Date || (*constant)->type != ExprType::Constant ||
        (*constant)->value.IsNull() || (*constant)->return_type.id != TypeId::Timestamp)
        return;
    int64_t micros = (*constant)->value.GetInt64();
    int64_t days = micros / kMicrosPerDay - (micros % kMicrosPerDay < 0 ? 1 : 0);
    bool midnight = micros - days * kMicrosPerDay == 0;
    if (days < INT32_MIN || days > INT32_MAX) return;
    if (!midnight) {
        // Dates sit at midnight: d < c and d <= c both mean d <= floor(c); d > c and d >= c mean d > floor(c).
        if (op == CompareOp::Lt) op = CompareOp::LtEq;
        else if (op == CompareOp::GtEq) op = CompareOp::Gt;
        else if (op != CompareOp::LtEq && op != CompareOp::Gt) return;
    }
    std::string alias = expr->alias;
    ExprPtr column = std::move((*cast)->children[0]);
    expr = Expr::Compare(op, std::move(column), Expr::Constant(Value::Date(static_cast<int32_t>(days))));
    expr->alias = alias;
}

bool IsNullConstant(const Expr& e) { return e.type == ExprType::Constant && e.value.IsNull(); }

// True when the expression is NULL whenever any child is NULL.
bool IsStrict(const Expr& e) {
    switch (e.type) {
    case ExprType::Compare: return e.compare != CompareOp::DistinctFrom && e.compare != CompareOp::NotDistinctFrom;
    case ExprType::Cast:
    case ExprType::Not: return true;
    case ExprType::Function:
        switch (e.function) {
        case ScalarFunctionId::Coalesce:
        case ScalarFunctionId::NullIf:
        case ScalarFunctionId::Greatest:
        case ScalarFunctionId::Least:
        case ScalarFunctionId::Typeof:
        case ScalarFunctionId::Random:
        case ScalarFunctionId::CurrentDate:
        case ScalarFunctionId::CurrentTimestamp: return false;
        default: return true;
        }
    default: return false;
    }
}

// CASE branches whose condition is a constant are decided now; COALESCE drops
// NULL constants and everything after its first non-NULL constant.
void PruneBranches(ExprPtr& expr) {
    if (expr->type == ExprType::Case) {
        std::vector<ExprPtr> kept;
        ExprPtr else_expr = std::move(expr->children.back());
        for (size_t i = 0; i + 1 < expr->children.size(); i += 2) {
            ExprPtr& cond = expr->children[i];
            if (cond->type == ExprType::Constant) {
                if (cond->value.IsNull() || !cond->value.GetBool()) continue;  // never taken
                else_expr = std::move(expr->children[i + 1]);                    // always taken
                break;
            }
            kept.push_back(std::move(cond));
            kept.push_back(std::move(expr->children[i + 1]));
        }
        if (kept.empty()) {
            std::string alias = expr->alias;
            expr = std::move(else_expr);
            expr->alias = alias;
            return;
        }
        kept.push_back(std::move(else_expr));
        expr->children = std::move(kept);
        return;
    }
    if (expr->type == ExprType::Function && expr->function == ScalarFunctionId::Coalesce) {
        std::vector<ExprPtr> kept;
        for (auto& c : expr->children) {
            if (IsNullConstant(*c)) continue;
            bool stop = c->type == ExprType::Constant;
            kept.push_back(std::move(c));
            if (stop) break;
        }
        if (kept.empty()) kept.push_back(Expr::Constant(Value::Null(expr->return_type)));
        if (kept.size() == 1) {
            std::string alias = expr->alias;
            expr = std::move(kept[0]);
            expr->alias = alias;
            return;
        }
        expr->children = std::move(kept);
    }
}

void FoldPlan(LogicalOperator& op, const ConstantEvaluator& evaluate);

}  // namespace

void FoldExpression(ExprPtr& expr, const ConstantEvaluator& evaluate) {
    if (expr->type == ExprType::Constant) return;
    for (auto& c : expr->children) FoldExpression(c, evaluate);
    for (auto& c : expr->correlated) FoldExpression(c, evaluate);
    if (expr->type == ExprType::Subquery && expr->subquery) {
        // Subquery plans are shared between copies of the expression: fold a copy.
        LogicalOpPtr plan = expr->subquery->Copy();
        FoldPlan(*plan, evaluate);
        expr->subquery = std::shared_ptr<LogicalOperator>(std::move(plan));
    }
    CompareDateAsDate(expr);
    if (IsStrict(*expr)) {
        for (auto& c : expr->children) {
            if (!IsNullConstant(*c)) continue;
            std::string alias = expr->alias;
            LogicalType type = expr->return_type;
            expr = Expr::Constant(Value::Null(type));
            expr->alias = alias;
            return;
        }
    }
    if (expr->type == ExprType::InList && IsNullConstant(*expr->children[0])) {
        expr = Expr::Constant(Value::Null(expr->return_type));
        return;
    }
    if (expr->type == ExprType::And || expr->type == ExprType::Or) {
        // FALSE decides AND and TRUE decides OR, whatever the other side (even NULL).
        bool decider = expr->type == ExprType::Or;
        for (auto& c : expr->children) {
            if (c->type == ExprType::Constant && !c->value.IsNull() && c->value.GetBool() == decider) {
                expr = Expr::Constant(Value::Boolean(decider));
                return;
            }
        }
    }
    PruneBranches(expr);
    if (expr->type == ExprType::Constant || !expr->IsFoldable()) return;
    try {
        Value v = evaluate(*expr);
        std::string alias = expr->alias;
        LogicalType type = expr->return_type;
        expr = Expr::Constant(std::move(v));
        expr->return_type = type;
        expr->alias = alias;
    } catch (const Error&) {
        // Leave it: the error belongs to run time, and only if a row reaches it (CASE guards).
    }
}

namespace {

void FoldPlan(LogicalOperator& op, const ConstantEvaluator& evaluate) {
    ForEachExpression(op, [&](ExprPtr& e) { FoldExpression(e, evaluate); });
    if (op.type == LogicalOpType::Filter) {
        // TRUE conjuncts filter nothing.
        std::vector<ExprPtr> kept;
        for (auto& e : op.expressions)
            if (!(e->type == ExprType::Constant && !e->value.IsNull() && e->value.GetBool())) kept.push_back(std::move(e));
        op.expressions = std::move(kept);
    }
    for (auto& c : op.children) FoldPlan(*c, evaluate);
}

}  // namespace

LogicalOpPtr FoldConstants(LogicalOpPtr plan, OptimizerContext& ctx) {
    if (!ctx.evaluate) return plan;
    FoldPlan(*plan, ctx.evaluate);
    return plan;
}

}  // namespace grizzly::ir
