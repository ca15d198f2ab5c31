#pragma once
/// The binder resolves every name of an AST against the catalog and scopes,
/// types every expression (inserting implicit casts as PostgreSQL would), and
/// produces logical plans. Correlated references to outer queries become
/// parameter slots of the subquery; the outer expressions they read are listed
/// in the subquery expression's `correlated` list.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "frontend/ast.hpp"
#include "ir/logical.hpp"
#include "ir/optimizer.hpp"
#include "storage/storage.hpp"

namespace grizzly::frontend {

/// A column visible in a scope.
struct BoundColumn {
    std::string name;
    LogicalType type;
    ir::ColumnBinding binding;
};

/// One FROM item (table, view, subquery, function) as seen by name resolution.
struct ScopeTable {
    std::string alias;
    std::vector<BoundColumn> columns;
};

/// A column merged by JOIN ... USING / NATURAL JOIN: unqualified references
/// resolve to `expr`, and * lists it once.
struct UsingColumn {
    std::string name;
    ir::ExprPtr expr;
    std::vector<std::pair<size_t, size_t>> hidden;  ///< (table, column) entries it replaces in * lists
};

struct Scope {
    std::vector<ScopeTable> tables;
    std::vector<UsingColumn> using_columns;
};

/// Values shared by all binders of one statement.
struct BinderShared {
    /// Where unqualified names are found: the connection's current database.
    storage::Catalog* catalog;
    uint32_t next_table_index = 0;
    /// Types of $n parameters when known (prepared statements), else empty.
    std::vector<LogicalType> parameter_types;
    /// Trigger bodies: NEW and OLD rows, bound as parameter slots.
    storage::TableEntry* trigger_table = nullptr;
    bool trigger_has_new = false;
    bool trigger_has_old = false;
    int view_depth = 0;
    /// Evaluates constant expressions, for simplifications the binder needs before
    /// checking GROUP BY rules (CASE WHEN <constant>, strict NULL operands).
    ir::ConstantEvaluator evaluate;
    /// The catalog of another database named by a qualified name ([database.][schema.]name),
    /// or null when the name's qualifier is a schema of the current one.
    std::function<storage::Catalog*(const std::vector<std::string>& names, SourcePos pos)> resolve;
    /// PREPARE: a $n beyond parameter_types is not an error but a parameter of no type yet
    /// (TypeId::Null, added to parameter_types); its context types it, as a NULL literal's does.
    bool infer_parameter_types = false;

    /// The catalog that holds the object `names` refers to.
    storage::Catalog& CatalogOf(const std::vector<std::string>& names, SourcePos pos) const;
};

/// Result of binding INSERT: a plan producing rows in the table's column order.
struct BoundInsert {
    storage::TableEntry* table = nullptr;
    ir::BoundQuery source;  ///< one output column per table column, already cast
    std::vector<std::pair<std::string, ir::ExprPtr>> returning;
    int on_conflict = 0;  ///< ast::OnConflict
};

/// UPDATE: a plan producing [row id, new values of every table column].
struct BoundUpdate {
    storage::TableEntry* table = nullptr;
    ir::BoundQuery source;
    std::vector<uint32_t> updated_columns;
};

/// DELETE: a plan producing [row id, old values of every table column].
struct BoundDelete {
    storage::TableEntry* table = nullptr;
    ir::BoundQuery source;
};

class Binder {
public:
    /// A transparent binder (derived tables, CTEs) runs inside its parent's plan:
    /// outer references resolve directly in the parent's terms instead of
    /// becoming parameter slots of its own.
    explicit Binder(BinderShared& shared, Binder* parent = nullptr, bool transparent = false);

    /// Binds a query expression into a plan whose outputs are the select list.
    ir::BoundQuery BindQuery(const ast::Query& query);
    BoundInsert BindInsert(const ast::InsertStatement& stmt);
    BoundUpdate BindUpdate(const ast::UpdateStatement& stmt);
    BoundDelete BindDelete(const ast::DeleteStatement& stmt);
    /// Binds an expression over the columns of `table` (CHECK constraints, defaults).
    ir::ExprPtr BindTableExpression(storage::TableEntry* table, const ast::Expr& expr, uint32_t& table_index);
    /// Binds a constant expression (no columns).
    ir::ExprPtr BindConstantExpression(const ast::Expr& expr);
    /// The DEFAULT expression of a column (NULL when it has none), cast to its type.
    ir::ExprPtr BindColumnDefault(const storage::ColumnDefinition& column);
    /// Maps an AST type name to a type (42704 when unknown).
    static LogicalType ResolveType(const ast::TypeName& type);

    /// Outer expressions this binder's query reads, in the parent's terms.
    std::vector<ir::ExprPtr>& Correlated() { return correlated_; }

private:
    friend class ExpressionBinder;
    BinderShared& shared_;
    Binder* parent_;
    bool transparent_;
    Scope scope_;
    std::vector<ir::ExprPtr> correlated_;
    /// WITH definitions visible here (innermost last).
    std::vector<std::pair<std::string, const ast::CommonTableExpr*>> ctes_;
    std::vector<std::string> binding_ctes_;  ///< CTEs being bound (no self reference without RECURSIVE)
    /// INSERT ... VALUES: what DEFAULT stands for in each VALUES column.
    std::vector<ir::ExprPtr> insert_defaults_;

    uint32_t NewTableIndex() { return shared_.next_table_index++; }

    // query.cpp
    ir::BoundQuery BindQueryBody(const ast::Query& query);
    ir::BoundQuery BindSelectCore(const ast::Query& query, const ast::SelectCore& core);
    ir::BoundQuery BindSetOp(const ast::Query& query);
    ir::BoundQuery BindValues(const ast::Query& query);
    ir::LogicalOpPtr BindTableRef(const ast::TableRef& ref);
    ir::LogicalOpPtr BindBaseTable(const ast::BaseTableRef& ref);
    ir::LogicalOpPtr BindDerived(ir::BoundQuery bound, const std::string& alias, const std::vector<std::string>& column_aliases,
                                 SourcePos pos);
    ir::LogicalOpPtr BindJoin(const ast::JoinRef& ref);
    ir::LogicalOpPtr BindTableFunction(const ast::FunctionRef& ref);
    void ApplyOrderLimit(const ast::Query& query, ir::BoundQuery& bound, size_t visible_columns);
    ir::ExprPtr BindLimitValue(const ast::Expr& expr, const char* what);

    // bind_dml.cpp: the scan (joined with FROM/USING, filtered by WHERE) that UPDATE and
    // DELETE read, and the projection [row id, every column's new value] on top of it.
    ir::LogicalOpPtr BindWriteScan(storage::TableEntry* table, const std::string& alias, const ast::TableRef* others,
                                   const ast::Expr* where, uint32_t& table_index);
    ir::BoundQuery FinishWriteSource(storage::TableEntry* table, uint32_t table_index, ir::LogicalOpPtr plan,
                                     std::vector<ir::ExprPtr> new_values);

    // expression resolution
    ir::ExprPtr ResolveColumn(const std::vector<std::string>& names, SourcePos pos);
    ir::ExprPtr ResolveLocal(const std::vector<std::string>& names, SourcePos pos, bool& found);
    ir::ExprPtr ResolveOuter(const std::vector<std::string>& names, SourcePos pos);
    ir::ExprPtr AddCorrelation(ir::ExprPtr outer_expr);
    void ExpandStar(const ast::StarExpr& star, std::vector<ir::ExprPtr>& out, std::vector<std::string>& names);
};

}  // namespace grizzly::frontend
