#include "ir/optimizer.hpp"

namespace grizzly::ir {

const std::vector<PassInfo>& PassPipeline() {
    // Order matters: folding first so that later passes see simplified predicates;
    // unnesting before push-down, so that the joins it creates take part in it;
    // push-down before join ordering so that each relation carries its own filters;
    // pruning last, once every operator has found its final place.
    static const std::vector<PassInfo> kPasses = {
        {PassId::ConstantFolding, "constant-folding"},
        {PassId::SubqueryUnnesting, "subquery-unnesting"},
        {PassId::PredicatePushdown, "predicate-pushdown"},
        {PassId::JoinOrder, "join-order"},
        {PassId::ColumnPruning, "column-pruning"},
    };
    return kPasses;
}

LogicalOpPtr Optimize(LogicalOpPtr plan, OptimizerContext& ctx) {
    for (const auto& pass : PassPipeline()) {
        if (ctx.disabled_passes.count(pass.name)) continue;
        switch (pass.id) {
        case PassId::ConstantFolding: plan = FoldConstants(std::move(plan), ctx); break;
        case PassId::SubqueryUnnesting: plan = UnnestSubqueries(std::move(plan), ctx); break;
        case PassId::PredicatePushdown: plan = PushDownPredicates(std::move(plan), ctx); break;
        case PassId::JoinOrder: plan = ReorderJoins(std::move(plan), ctx); break;
        case PassId::ColumnPruning: plan = PruneColumns(std::move(plan), ctx); break;
        }
    }
    return plan;
}

void ForEachExpression(LogicalOperator& op, const std::function<void(ExprPtr&)>& f) {
    for (auto& e : op.expressions) f(e);
    for (auto& e : op.table_filters) f(e);
    for (auto& e : op.conditions) f(e);
    for (auto& a : op.aggregates) {
        if (a.argument) f(a.argument);
        if (a.filter) f(a.filter);
        if (a.separator) f(a.separator);
    }
    for (auto& k : op.sort_keys) f(k.expr);
    if (op.limit) f(op.limit);
    if (op.offset) f(op.offset);
}

}  // namespace grizzly::ir
