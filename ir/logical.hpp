#pragma once
/// Logical operators: the bound plan the binder produces and optimizer passes
/// rewrite. Every operator exposes its output columns as ColumnBindings so that
/// passes can move operators without renumbering expressions.

#include <memory>
#include <string>
#include <vector>

#include "ir/expression.hpp"

namespace grizzly::storage {
class TableEntry;
}

namespace grizzly::ir {

enum class LogicalOpType : uint8_t {
    Get,            ///< table scan
    Values,         ///< constant rows (also the one-row FROM-less source)
    TableFunction,  ///< range / generate_series / grizzly_jit_cache
    Filter,
    Projection,
    Aggregate,
    Join,
    Sort,
    Limit,
    Distinct,
    SetOp,
    Materialized,   ///< a CTE reference: reads the result of another plan computed once
};

/// RightSemi / RightAnti exist only in physical plans: a SEMI / ANTI join whose
/// hash table is built on the outer side (the rows it returns), because that
/// side is the smaller one.
enum class JoinType : uint8_t { Inner, Left, Right, Full, Semi, Anti, Mark, Single, Cross, RightSemi, RightAnti };
const char* JoinTypeName(JoinType t);

enum class SetOpType : uint8_t { UnionAll, Union, Intersect, IntersectAll, Except, ExceptAll };

struct SortKey {
    ExprPtr expr;
    bool descending = false;
    bool nulls_first = false;
    SortKey Copy() const { return {expr->Copy(), descending, nulls_first}; }
};

/// Range and GenerateSeries return one BIGINT column named after the call;
/// JitCache is grizzly_jit_cache(), one row per entry of the database's shape
/// cache, with the columns of JitCacheColumns().
enum class TableFunctionKind : uint8_t { Range, GenerateSeries, JitCache };

/// One output column of a table function.
struct TableFunctionColumn {
    std::string name;
    LogicalType type;
};
/// The columns of grizzly_jit_cache(), in order: what the binder declares and
/// what the rows the executor is handed must match.
const std::vector<TableFunctionColumn>& JitCacheColumns();

class LogicalOperator;
using LogicalOpPtr = std::unique_ptr<LogicalOperator>;

/// One logical operator. Fields are used according to `type` (see comments).
class LogicalOperator {
public:
    explicit LogicalOperator(LogicalOpType t) : type(t) {}

    LogicalOpType type;
    std::vector<LogicalOpPtr> children;

    /// Get / Values / TableFunction / Projection / Aggregate(groups) / Materialized:
    /// the table index of the columns this operator produces.
    uint32_t table_index = 0;
    /// Aggregate: table index of the aggregate results (groups use table_index).
    uint32_t aggregate_index = 0;
    /// Mark join: binding of the boolean mark column.
    uint32_t mark_index = 0;

    /// Projection: the output expressions. Filter: conjuncts. Values: flattened
    /// rows (row-major, column_types.size() per row). Aggregate: group keys.
    /// TableFunction: arguments.
    std::vector<ExprPtr> expressions;
    std::vector<AggregateExpr> aggregates;  ///< Aggregate

    /// Get: the table and the scanned column ids (indices into the table's
    /// columns, or kRowIdColumn). A Get's output binding is (table_index, column
    /// id), so pruning columns never renumbers references.
    storage::TableEntry* table = nullptr;
    std::vector<uint32_t> column_ids;
    static constexpr uint32_t kRowIdColumn = 0xFFFFFFFFu;
    /// Get: filters pushed into the scan (conjuncts over the Get's own bindings).
    std::vector<ExprPtr> table_filters;

    /// Output types of Get (parallel to column_ids) / Values / TableFunction / Materialized.
    std::vector<LogicalType> column_types;
    std::vector<std::string> column_names;

    JoinType join_type = JoinType::Inner;
    /// Join: conjuncts of the join condition (referring to both sides).
    std::vector<ExprPtr> conditions;

    std::vector<SortKey> sort_keys;  ///< Sort
    ExprPtr limit;                   ///< Limit (null: none)
    ExprPtr offset;                  ///< Limit (null: none)

    SetOpType set_op = SetOpType::UnionAll;
    TableFunctionKind function = TableFunctionKind::Range;
    /// Materialized: index of the CTE plan in the query's CTE list.
    uint32_t cte_index = 0;

    /// Output columns, in order.
    std::vector<ColumnBinding> OutputBindings() const;
    std::vector<LogicalType> OutputTypes() const;
    /// Indented text form for EXPLAIN.
    std::string ToString(int indent = 0) const;
    LogicalOpPtr Copy() const;
};

/// A bound query plan plus what it needs at run time.
struct BoundQuery {
    LogicalOpPtr plan;
    std::vector<std::string> names;  ///< output column names
    std::vector<LogicalType> types;
    /// Plans of CTEs referenced by Materialized operators, computed once per execution.
    std::vector<std::shared_ptr<LogicalOperator>> ctes;
};

/// `op` under a Filter of `conjuncts`, or `op` itself when there are none.
LogicalOpPtr WithFilter(LogicalOpPtr op, std::vector<ExprPtr> conjuncts);

}  // namespace grizzly::ir
