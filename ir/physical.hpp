#pragma once
/// Physical plans: operators with every decision made (algorithms, key
/// positions, build sides, output layouts), split into pipelines. Both
/// executors run exactly these pipelines; neither re-decides anything.
/// Expressions here are positional: ColumnRef.position indexes the operator's
/// input chunk (for joins: probe columns first, then build columns).

#include <memory>
#include <string>
#include <vector>

#include "ir/logical.hpp"

namespace grizzly::ir {

enum class PhysicalOpType : uint8_t {
    TableScan,
    Values,
    TableFunction,
    Filter,
    Projection,
    HashJoin,         ///< children[0] probe (streams), children[1] build (sink)
    NestedLoopJoin,   ///< children[0] probe (streams), children[1] materialized
    HashAggregate,    ///< also DISTINCT (no aggregates)
    Sort,
    Limit,
    SetOp,            ///< sink of both children, then a source
    ResultCollector,  ///< the sink at the top of every plan
};
const char* PhysicalOpName(PhysicalOpType type);

class PhysicalOperator;
using PhysicalOpPtr = std::unique_ptr<PhysicalOperator>;

/// One physical operator: a set of decisions, immutable after planning.
class PhysicalOperator {
public:
    explicit PhysicalOperator(PhysicalOpType t) : type(t) {}

    PhysicalOpType type;
    std::vector<LogicalType> types;  ///< output column types
    std::vector<PhysicalOpPtr> children;
    uint32_t id = 0;  ///< index in the plan, for states and EXPLAIN ANALYZE

    // TableScan
    storage::TableEntry* table = nullptr;
    std::vector<uint32_t> column_ids;   ///< may contain LogicalOperator::kRowIdColumn
    std::vector<ExprPtr> table_filters; ///< over the scanned columns

    /// Filter: conjuncts. Projection: outputs. Values: row-major rows.
    /// TableFunction: arguments. HashAggregate: group keys.
    std::vector<ExprPtr> expressions;
    std::vector<AggregateExpr> aggregates;
    TableFunctionKind function = TableFunctionKind::Range;
    size_t values_rows = 0;

    // Joins
    JoinType join_type = JoinType::Inner;
    std::vector<ExprPtr> probe_keys;  ///< over the probe side
    std::vector<ExprPtr> build_keys;  ///< over the build side
    /// Null-safe key equality (IS NOT DISTINCT FROM) per key.
    std::vector<bool> null_equal;
    /// Remaining join condition, over [probe columns, build columns]; may be null.
    ExprPtr join_condition;
    size_t probe_width = 0;
    size_t build_width = 0;

    std::vector<SortKey> sort_keys;  ///< Sort: positional over the input
    int64_t limit = -1;              ///< Limit / Sort (top-N): -1 none
    int64_t offset = 0;
    SetOpType set_op = SetOpType::UnionAll;

    std::string ToString(int indent = 0) const;
};

/// A chain source → streaming operators → sink. `operators` in push order.
struct Pipeline {
    PhysicalOperator* source = nullptr;
    std::vector<PhysicalOperator*> operators;
    PhysicalOperator* sink = nullptr;
    size_t sink_child = 0;  ///< which input of the sink this pipeline feeds (SetOp: 0 left, 1 right)
    std::vector<size_t> dependencies;  ///< pipelines that must finish first
};

struct PhysicalPlan {
    PhysicalOpPtr root;  ///< a ResultCollector
    std::vector<Pipeline> pipelines;  ///< in an order that respects dependencies
    size_t operator_count = 0;
    std::vector<std::string> names;
    std::string ToString() const;
};

/// Plans `logical` (already optimized) and splits it into pipelines.
PhysicalPlan CreatePhysicalPlan(const LogicalOperator& logical, std::vector<std::string> names);

}  // namespace grizzly::ir
