#pragma once
/// The optimizer: a fixed list of passes over a logical plan (see
/// pass_pipeline.cpp for the list and its order). Each pass can be disabled
/// by name with SET disabled_passes = 'name,...'.

#include <functional>
#include <set>
#include <string>

#include "ir/logical.hpp"

namespace grizzly::ir {

/// Evaluates a constant expression (the runtime provides it, so that folding
/// uses exactly the executors' semantics). Throws Error when evaluation fails.
using ConstantEvaluator = std::function<Value(const Expr&)>;

struct OptimizerContext {
    ConstantEvaluator evaluate;
    std::set<std::string> disabled_passes;
};

enum class PassId : uint8_t { ConstantFolding, SubqueryUnnesting, PredicatePushdown, JoinOrder, ColumnPruning };

struct PassInfo {
    PassId id;
    const char* name;  ///< kebab-case, as SET disabled_passes takes it
};

/// The passes in the order they run.
const std::vector<PassInfo>& PassPipeline();

/// Runs every enabled pass over `plan`.
LogicalOpPtr Optimize(LogicalOpPtr plan, OptimizerContext& ctx);

// The passes, one file each in ir/passes/.
LogicalOpPtr FoldConstants(LogicalOpPtr plan, OptimizerContext& ctx);
LogicalOpPtr UnnestSubqueries(LogicalOpPtr plan, OptimizerContext& ctx);
LogicalOpPtr PushDownPredicates(LogicalOpPtr plan, OptimizerContext& ctx);
LogicalOpPtr ReorderJoins(LogicalOpPtr plan, OptimizerContext& ctx);
LogicalOpPtr PruneColumns(LogicalOpPtr plan, OptimizerContext& ctx);

/// Folds one expression in place (the constant-folding pass applies it to every expression).
void FoldExpression(ExprPtr& expr, const ConstantEvaluator& evaluate);

/// Calls f on every expression slot of one operator (not its children).
void ForEachExpression(LogicalOperator& op, const std::function<void(ExprPtr&)>& f);

}  // namespace grizzly::ir
