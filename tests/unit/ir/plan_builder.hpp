#pragma once
/// Test-only helpers for building logical plans and bound expressions by hand,
/// and for comparing two plans structurally (Hyrise's EXPECT_LQP_EQ idea):
/// operator types, join types, table indices, scanned columns, expressions
/// (via Expr::Equals) and children, recursively. Not part of the engine.

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ir/ir.hpp"
#include "storage/storage.hpp"

namespace grizzly::test {

using ir::AggregateExpr;
using ir::AggregateKind;
using ir::ColumnBinding;
using ir::CompareOp;
using ir::Expr;
using ir::ExprPtr;
using ir::ExprType;
using ir::JoinType;
using ir::LogicalOperator;
using ir::LogicalOpPtr;
using ir::LogicalOpType;
using ir::ScalarFunctionId;

inline const LogicalType kIntType(TypeId::Integer);
inline const LogicalType kBigIntType(TypeId::BigInt);
inline const LogicalType kDoubleType(TypeId::Double);
inline const LogicalType kBoolType(TypeId::Boolean);
inline const LogicalType kVarcharType(TypeId::Varchar);

/// Moves any number of expressions into a vector (initializer lists cannot hold unique_ptr).
template <class... E>
std::vector<ExprPtr> Exprs(E&&... e) {
    std::vector<ExprPtr> out;
    (out.push_back(std::forward<E>(e)), ...);
    return out;
}

// ---- expressions ----

inline ExprPtr Int(int32_t v) { return Expr::Constant(Value::Integer(v)); }
inline ExprPtr Bool(bool v) { return Expr::Constant(Value::Boolean(v)); }
inline ExprPtr Dbl(double v) { return Expr::Constant(Value::Double(v)); }
inline ExprPtr Str(std::string v) { return Expr::Constant(Value::Varchar(std::move(v))); }
inline ExprPtr Null(LogicalType type) { return Expr::Constant(Value::Null(type)); }

/// A logical column reference (table index, column index).
inline ExprPtr Col(uint32_t table, uint32_t column, LogicalType type = kIntType) {
    return Expr::Column({table, column}, type);
}
/// A column reference as physical planning resolves it: binding plus input position.
inline ExprPtr ColAt(uint32_t table, uint32_t column, uint32_t position, LogicalType type = kIntType) {
    auto e = Expr::Column({table, column}, type);
    e->position = position;
    return e;
}
/// A purely positional column reference (what physical planning creates itself).
inline ExprPtr Pos(uint32_t position, LogicalType type = kIntType) {
    auto e = std::make_unique<Expr>(ExprType::ColumnRef, type);
    e->position = position;
    return e;
}

inline ExprPtr Cmp(CompareOp op, ExprPtr l, ExprPtr r) { return Expr::Compare(op, std::move(l), std::move(r)); }
inline ExprPtr Eq(ExprPtr l, ExprPtr r) { return Cmp(CompareOp::Eq, std::move(l), std::move(r)); }
inline ExprPtr Gt(ExprPtr l, ExprPtr r) { return Cmp(CompareOp::Gt, std::move(l), std::move(r)); }
inline ExprPtr Lt(ExprPtr l, ExprPtr r) { return Cmp(CompareOp::Lt, std::move(l), std::move(r)); }
inline ExprPtr And(ExprPtr l, ExprPtr r) { return Expr::Conjunction(ExprType::And, std::move(l), std::move(r)); }
inline ExprPtr Or(ExprPtr l, ExprPtr r) { return Expr::Conjunction(ExprType::Or, std::move(l), std::move(r)); }

inline ExprPtr Fn(ScalarFunctionId id, LogicalType rt, std::vector<ExprPtr> args) {
    return Expr::Function(id, rt, std::move(args));
}
/// Integer arithmetic: both sides INTEGER, result INTEGER (what the binder produces).
inline ExprPtr Add(ExprPtr l, ExprPtr r) { return Fn(ScalarFunctionId::Add, kIntType, Exprs(std::move(l), std::move(r))); }
inline ExprPtr Div(ExprPtr l, ExprPtr r) {
    return Fn(ScalarFunctionId::Divide, kIntType, Exprs(std::move(l), std::move(r)));
}
inline ExprPtr Coalesce(LogicalType rt, std::vector<ExprPtr> args) {
    return Fn(ScalarFunctionId::Coalesce, rt, std::move(args));
}

inline ExprPtr Unary(ExprType type, ExprPtr child, LogicalType rt = kBoolType) {
    auto e = std::make_unique<Expr>(type, rt);
    e->children.push_back(std::move(child));
    return e;
}
inline ExprPtr Not(ExprPtr child) { return Unary(ExprType::Not, std::move(child)); }
inline ExprPtr IsNull(ExprPtr child) { return Unary(ExprType::IsNull, std::move(child)); }

/// CASE: children are when0, then0, when1, then1, ..., else.
inline ExprPtr Case(LogicalType rt, std::vector<ExprPtr> children) {
    auto e = std::make_unique<Expr>(ExprType::Case, rt);
    e->children = std::move(children);
    return e;
}
/// operand [NOT] IN (list...).
inline ExprPtr In(ExprPtr operand, std::vector<ExprPtr> list, bool negated = false) {
    auto e = std::make_unique<Expr>(ExprType::InList, kBoolType);
    e->negated = negated;
    e->children.push_back(std::move(operand));
    for (auto& item : list) e->children.push_back(std::move(item));
    return e;
}
/// $n parameter slot (0-based here).
inline ExprPtr Param(uint32_t slot, LogicalType type = kIntType) {
    auto e = std::make_unique<Expr>(ExprType::Parameter, type);
    e->position = slot;
    return e;
}

// ---- tables ----

/// A catalog-less table with INTEGER columns named c0..c{n-1} (or the given names).
inline std::unique_ptr<storage::TableEntry> MakeTable(const std::string& name, std::vector<std::string> columns,
                                                      LogicalType type = kIntType) {
    std::vector<storage::ColumnDefinition> defs;
    for (auto& c : columns) defs.push_back({c, type, false, ""});
    return std::make_unique<storage::TableEntry>(name, std::move(defs));
}

/// Appends `rows` rows to an all-INTEGER table: column c of row r holds r * (c + 1).
inline void FillTable(storage::TableEntry& table, idx_t rows) {
    auto types = table.Types();
    idx_t done = 0;
    while (done < rows) {
        idx_t n = std::min<idx_t>(kVectorSize, rows - done);
        DataChunk chunk;
        chunk.Initialize(types, n);
        for (size_t col = 0; col < types.size(); ++col)
            for (idx_t row = 0; row < n; ++row)
                chunk.columns[col].Data<int32_t>()[row] = static_cast<int32_t>((done + row) * (col + 1));
        chunk.size = n;
        table.MutableData().Append(chunk);
        done += n;
    }
}

// ---- operators ----

/// Get over all columns of `table` (or the given column ids), as the binder builds it.
inline LogicalOpPtr Get(storage::TableEntry& table, uint32_t table_index, std::vector<uint32_t> column_ids = {}) {
    auto op = std::make_unique<LogicalOperator>(LogicalOpType::Get);
    op->table = &table;
    op->table_index = table_index;
    if (column_ids.empty())
        for (uint32_t i = 0; i < table.Columns().size(); ++i) column_ids.push_back(i);
    for (uint32_t id : column_ids) {
        op->column_ids.push_back(id);
        op->column_types.push_back(table.Columns()[id].type);
        op->column_names.push_back(table.Name() + "." + table.Columns()[id].name);
    }
    return op;
}

inline LogicalOpPtr Filter(LogicalOpPtr child, std::vector<ExprPtr> conjuncts) {
    auto op = std::make_unique<LogicalOperator>(LogicalOpType::Filter);
    op->expressions = std::move(conjuncts);
    op->children.push_back(std::move(child));
    return op;
}

inline LogicalOpPtr Project(uint32_t table_index, LogicalOpPtr child, std::vector<ExprPtr> exprs) {
    auto op = std::make_unique<LogicalOperator>(LogicalOpType::Projection);
    op->table_index = table_index;
    op->expressions = std::move(exprs);
    op->children.push_back(std::move(child));
    return op;
}

inline LogicalOpPtr Join(JoinType type, LogicalOpPtr left, LogicalOpPtr right, std::vector<ExprPtr> conditions = {}) {
    auto op = std::make_unique<LogicalOperator>(LogicalOpType::Join);
    op->join_type = type;
    op->conditions = std::move(conditions);
    op->children.push_back(std::move(left));
    op->children.push_back(std::move(right));
    return op;
}

inline AggregateExpr Agg(AggregateKind kind, LogicalType rt, ExprPtr argument = nullptr) {
    return AggregateExpr{kind, rt, std::move(argument), false, nullptr, nullptr};
}

inline LogicalOpPtr Aggregate(uint32_t group_index, uint32_t aggregate_index, LogicalOpPtr child,
                              std::vector<ExprPtr> groups, std::vector<AggregateExpr> aggregates) {
    auto op = std::make_unique<LogicalOperator>(LogicalOpType::Aggregate);
    op->table_index = group_index;
    op->aggregate_index = aggregate_index;
    op->expressions = std::move(groups);
    op->aggregates = std::move(aggregates);
    op->children.push_back(std::move(child));
    return op;
}

inline LogicalOpPtr Sort(LogicalOpPtr child, ExprPtr key, bool descending = false) {
    auto op = std::make_unique<LogicalOperator>(LogicalOpType::Sort);
    op->sort_keys.push_back({std::move(key), descending, false});
    op->children.push_back(std::move(child));
    return op;
}

// ---- structural comparison ----

namespace detail {

inline std::string ExprText(const Expr* e) { return e ? e->ToString() : std::string("<null>"); }

inline bool SameExpr(const Expr* a, const Expr* b) {
    if (!a || !b) return a == b;
    return a->Equals(*b);
}

inline void CompareExprLists(const std::vector<ExprPtr>& a, const std::vector<ExprPtr>& b, const std::string& what,
                             const std::string& path, std::string& diff) {
    if (a.size() != b.size()) {
        diff += path + ": " + what + " count " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + "\n";
        return;
    }
    for (size_t i = 0; i < a.size(); ++i)
        if (!SameExpr(a[i].get(), b[i].get()))
            diff += path + ": " + what + "[" + std::to_string(i) + "] " + ExprText(a[i].get()) + " vs " +
                    ExprText(b[i].get()) + "\n";
}

inline void Compare(const LogicalOperator& a, const LogicalOperator& b, const std::string& path, std::string& diff) {
    auto field = [&](bool same, const std::string& what) {
        if (!same) diff += path + ": " + what + " differs\n";
        return same;
    };
    if (!field(a.type == b.type, "operator type")) return;
    switch (a.type) {
    case LogicalOpType::Get:
        field(a.table == b.table, "table");
        field(a.table_index == b.table_index, "table_index");
        field(a.column_ids == b.column_ids, "column_ids");
        field(a.column_types == b.column_types, "column_types");
        CompareExprLists(a.table_filters, b.table_filters, "table_filters", path, diff);
        break;
    case LogicalOpType::Values:
    case LogicalOpType::TableFunction:
    case LogicalOpType::Materialized:
        field(a.table_index == b.table_index, "table_index");
        field(a.column_types == b.column_types, "column_types");
        break;
    case LogicalOpType::Projection: field(a.table_index == b.table_index, "table_index"); break;
    case LogicalOpType::Aggregate: {
        field(a.table_index == b.table_index, "table_index");
        field(a.aggregate_index == b.aggregate_index, "aggregate_index");
        if (field(a.aggregates.size() == b.aggregates.size(), "aggregate count")) {
            for (size_t i = 0; i < a.aggregates.size(); ++i) {
                const auto &x = a.aggregates[i], &y = b.aggregates[i];
                field(x.kind == y.kind && x.return_type == y.return_type && x.distinct == y.distinct &&
                          SameExpr(x.argument.get(), y.argument.get()) && SameExpr(x.filter.get(), y.filter.get()),
                      "aggregate " + std::to_string(i));
            }
        }
        break;
    }
    case LogicalOpType::Join:
        field(a.join_type == b.join_type, std::string("join type (") + ir::JoinTypeName(a.join_type) + " vs " +
                                              ir::JoinTypeName(b.join_type) + ")");
        field(a.mark_index == b.mark_index, "mark_index");
        CompareExprLists(a.conditions, b.conditions, "conditions", path, diff);
        break;
    case LogicalOpType::Sort:
        if (field(a.sort_keys.size() == b.sort_keys.size(), "sort key count"))
            for (size_t i = 0; i < a.sort_keys.size(); ++i)
                field(SameExpr(a.sort_keys[i].expr.get(), b.sort_keys[i].expr.get()) &&
                          a.sort_keys[i].descending == b.sort_keys[i].descending &&
                          a.sort_keys[i].nulls_first == b.sort_keys[i].nulls_first,
                      "sort key " + std::to_string(i));
        break;
    case LogicalOpType::Limit:
        field(SameExpr(a.limit.get(), b.limit.get()), "limit");
        field(SameExpr(a.offset.get(), b.offset.get()), "offset");
        break;
    case LogicalOpType::SetOp: field(a.set_op == b.set_op, "set op"); break;
    default: break;
    }
    CompareExprLists(a.expressions, b.expressions, "expressions", path, diff);
    if (!field(a.children.size() == b.children.size(), "child count")) return;
    for (size_t i = 0; i < a.children.size(); ++i)
        Compare(*a.children[i], *b.children[i], path + "/" + std::to_string(i), diff);
}

}  // namespace detail

/// Empty when the plans are structurally equal; otherwise one line per difference
/// (path of child indices from the root, e.g. "root/1/0").
inline std::string PlanDifference(const LogicalOperator& actual, const LogicalOperator& expected) {
    std::string diff;
    detail::Compare(actual, expected, "root", diff);
    return diff;
}

/// True when some Join in the plan has no condition (a cross product).
inline bool HasCrossProduct(const LogicalOperator& op) {
    if (op.type == LogicalOpType::Join && op.conditions.empty()) return true;
    for (auto& c : op.children)
        if (HasCrossProduct(*c)) return true;
    return false;
}

}  // namespace grizzly::test

/// Checks that two logical plans are structurally equal and prints both plans and
/// the differences when they are not.
#define GZ_CHECK_PLAN_EQ(actual, expected)                                                                      \
    do {                                                                                                    \
        const std::string gz_lqp_diff = ::grizzly::test::PlanDifference((actual), (expected));             \
        INFO("actual plan:\n" << (actual).ToString() << "expected plan:\n" << (expected).ToString()        \
                              << "differences:\n" << gz_lqp_diff);                                          \
        CHECK(gz_lqp_diff.empty());                                                                         \
    } while (false)
