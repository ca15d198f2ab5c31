// column-pruning: table scans read only the columns some operator uses.
// Runs once; idempotent.
#include <set>

#include "ir/optimizer.hpp"

namespace grizzly::ir {

namespace {

void CollectUsed(LogicalOperator& op, std::set<ColumnBinding>& used) {
    ForEachExpression(op, [&](ExprPtr& e) {
        VisitColumnRefs(*e, [&](const Expr& ref) {
            if (ref.depth == 0) used.insert(ref.binding);
        });
    });
    for (auto& c : op.children) CollectUsed(*c, used);
}

void Prune(LogicalOperator& op, const std::set<ColumnBinding>& used) {
    if (op.type == LogicalOpType::Get) {
        std::vector<uint32_t> ids;
        std::vector<LogicalType> types;
        std::vector<std::string> names;
        for (size_t i = 0; i < op.column_ids.size(); ++i) {
            if (!used.count({op.table_index, op.column_ids[i]})) continue;
            ids.push_back(op.column_ids[i]);
            types.push_back(op.column_types[i]);
            names.push_back(op.column_names[i]);
        }
        op.column_ids = std::move(ids);
        op.column_types = std::move(types);
        op.column_names = std::move(names);
    }
    for (auto& c : op.children) Prune(*c, used);
}

}  // namespace

LogicalOpPtr PruneColumns(LogicalOpPtr plan, OptimizerContext&) {
    std::set<ColumnBinding> used;
    CollectUsed(*plan, used);
    Prune(*plan, used);
    return plan;
}

}  // namespace grizzly::ir
