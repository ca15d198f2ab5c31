#pragma once
/// Per-statement execution state shared by all operators: parameters, the
/// frames of correlated subqueries, and compiled subquery plans with their
/// cached results.

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ir/ir.hpp"
#include "runtime/chunk_collection.hpp"

namespace grizzly::runtime {

/// The result of running a subquery once for one set of correlated values.
struct SubqueryResult {
    ChunkCollection rows;
    /// For IN / ANY / ALL: the distinct non-null values as text keys, and whether a NULL occurred.
    std::unordered_set<std::string> keys;
    bool has_null = false;
};

struct SubqueryState {
    ir::PhysicalPlan plan;
    std::unordered_map<std::string, std::shared_ptr<SubqueryResult>> cache;
};

class ExecutionContext {
public:
    /// $n parameters and trigger NEW/OLD values (Parameter depth 0).
    std::vector<Value> parameters;
    /// Innermost last: values of correlated outer columns (Parameter depth 1).
    std::vector<const std::vector<Value>*> correlated_frames;
    ir::OptimizerContext* optimizer = nullptr;
    std::unordered_map<const ir::Expr*, std::unique_ptr<SubqueryState>> subqueries;
};

}  // namespace grizzly::runtime
