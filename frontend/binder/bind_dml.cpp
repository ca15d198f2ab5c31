#include <algorithm>

#include "frontend/binder/binder.hpp"
#include "frontend/binder/expression_binder.hpp"
#include "frontend/binder/type_rules.hpp"
#include "frontend/parser/parser.hpp"

namespace grizzly::frontend {

using ir::Expr;
using ir::ExprPtr;
using ir::LogicalOperator;
using ir::LogicalOpPtr;
using ir::LogicalOpType;

namespace {

storage::TableEntry* TargetTable(const BinderShared& shared, const std::vector<std::string>& names, SourcePos pos,
                                 const char* verb) {
    const std::string& name = names.back();
    storage::Catalog& catalog = shared.CatalogOf(names, pos);
    if (auto* table = catalog.GetTable(name)) return table;
    if (catalog.GetView(name))
        throw Error(SqlState::WrongObjectType, std::string("cannot ") + verb + " view \"" + name + "\"", pos);
    throw Error::UndefinedTable(name, pos);
}

// A Get of every column of `table` plus its row ids, registered in `scope` under `alias`.
LogicalOpPtr ScanForWrite(storage::TableEntry* table, uint32_t table_index, const std::string& alias, Scope& scope) {
    auto get = std::make_unique<LogicalOperator>(LogicalOpType::Get);
    get->table_index = table_index;
    get->table = table;
    ScopeTable st;
    st.alias = alias;
    for (size_t i = 0; i < table->Columns().size(); ++i) {
        get->column_ids.push_back(static_cast<uint32_t>(i));
        get->column_types.push_back(table->Columns()[i].type);
        get->column_names.push_back(table->Name() + "." + table->Columns()[i].name);
        st.columns.push_back({table->Columns()[i].name, table->Columns()[i].type, {table_index, static_cast<uint32_t>(i)}});
    }
    get->column_ids.push_back(LogicalOperator::kRowIdColumn);
    get->column_types.push_back(LogicalType(TypeId::BigInt));
    get->column_names.push_back("rowid");
    scope.tables.push_back(std::move(st));
    return get;
}

// PostgreSQL's assignment casts: numbers, dates and text convert among their own
// kind and into text; text does not silently become a number or a date.
void CheckAssignable(const LogicalType& from, const storage::ColumnDefinition& column, SourcePos pos) {
    const LogicalType& to = column.type;
    if (from == to || from.id == TypeId::Null || to.id == TypeId::Varchar) return;
    LogicalType common;
    if (CommonType(from, to, common) || (from.IsNumeric() && to.IsNumeric())) return;
    if (from.id == TypeId::Timestamp && to.id == TypeId::Date) return;
    throw Error(SqlState::DatatypeMismatch,
                "column \"" + column.name + "\" is of type " + to.ToString() + " but expression is of type " +
                    from.ToString(),
                pos);
}

}  // namespace

ExprPtr Binder::BindColumnDefault(const storage::ColumnDefinition& column) {
    if (column.default_sql.empty()) return Expr::Constant(Value::Null(column.type));
    auto stmts = ParseSql("SELECT " + column.default_sql);
    auto& select = static_cast<ast::SelectStatement&>(*stmts.at(0));
    Binder d(shared_, nullptr);
    return CastTo(d.BindConstantExpression(*select.query->select->items.at(0).expr), column.type);
}

BoundInsert Binder::BindInsert(const ast::InsertStatement& stmt) {
    BoundInsert result;
    storage::TableEntry* table = TargetTable(shared_, stmt.table, stmt.pos, "insert into");
    result.table = table;
    result.on_conflict = static_cast<int>(stmt.on_conflict);
    const auto& columns = table->Columns();
    // Target column positions (all columns in order when no list is given).
    std::vector<int> source_of(columns.size(), -1);
    size_t target_count = 0;
    if (stmt.columns.empty()) {
        for (size_t i = 0; i < columns.size(); ++i) source_of[i] = static_cast<int>(i);
        target_count = columns.size();
    } else {
        for (size_t i = 0; i < stmt.columns.size(); ++i) {
            int col = table->ColumnIndex(stmt.columns[i]);
            if (col < 0)
                throw Error(SqlState::UndefinedColumn,
                            "column \"" + stmt.columns[i] + "\" of relation \"" + table->Name() + "\" does not exist",
                            stmt.pos);
            if (source_of[static_cast<size_t>(col)] >= 0)
                throw Error(SqlState::DuplicateColumn, "column \"" + stmt.columns[i] + "\" specified more than once",
                            stmt.pos);
            source_of[static_cast<size_t>(col)] = static_cast<int>(i);
        }
        target_count = stmt.columns.size();
    }
    ir::BoundQuery source;
    if (stmt.default_values) {
        source.plan = std::make_unique<LogicalOperator>(LogicalOpType::Values);
        source.plan->table_index = NewTableIndex();
        std::fill(source_of.begin(), source_of.end(), -1);
    } else {
        Binder sub(shared_, this, true);
        // DEFAULT in the i-th VALUES column means the default of the i-th target column.
        for (size_t i = 0; i < target_count; ++i) {
            for (size_t col = 0; col < columns.size(); ++col)
                if (source_of[col] == static_cast<int>(i)) sub.insert_defaults_.push_back(BindColumnDefault(columns[col]));
        }
        source = sub.BindQuery(*stmt.source);
        if (source.types.size() > target_count)
            throw Error(SqlState::SyntaxError, "INSERT has more expressions than target columns", stmt.pos);
        if (source.types.size() < target_count)
            throw Error(SqlState::SyntaxError, "INSERT has more target columns than expressions", stmt.pos);
    }
    // A VALUES column of only string literals is PostgreSQL's "unknown" type: it converts
    // to the target column's type (or fails to, with 22P02) rather than being text.
    std::vector<bool> literal_only(source.types.size(), false);
    if (stmt.source && stmt.source->body_kind == ast::QueryBodyKind::Values) {
        for (size_t i = 0; i < literal_only.size(); ++i) {
            literal_only[i] = std::all_of(stmt.source->values.begin(), stmt.source->values.end(), [&](const auto& row) {
                const ast::Expr& e = *row[i];
                return e.kind == ast::ExprKind::Constant &&
                       static_cast<const ast::ConstantExpr&>(e).value.Type().id == TypeId::Varchar;
            });
        }
    }
    auto bindings = source.plan->OutputBindings();
    std::vector<ExprPtr> exprs;
    for (size_t i = 0; i < columns.size(); ++i) {
        ExprPtr e;
        if (source_of[i] >= 0) {
            auto s = static_cast<size_t>(source_of[i]);
            e = Expr::Column(bindings[s], source.types[s], columns[i].name);
            if (!literal_only[s]) CheckAssignable(source.types[s], columns[i], stmt.pos);
        } else {
            e = BindColumnDefault(columns[i]);
        }
        exprs.push_back(CastTo(std::move(e), columns[i].type));
    }
    auto proj = std::make_unique<LogicalOperator>(LogicalOpType::Projection);
    proj->table_index = NewTableIndex();
    proj->expressions = std::move(exprs);
    proj->children.push_back(std::move(source.plan));
    result.source.plan = std::move(proj);
    for (auto& c : columns) {
        result.source.names.push_back(c.name);
        result.source.types.push_back(c.type);
    }
    if (!stmt.returning.items.empty()) throw Error::NotSupported("RETURNING", stmt.pos);
    return result;
}

LogicalOpPtr Binder::BindWriteScan(storage::TableEntry* table, const std::string& alias, const ast::TableRef* others,
                                   const ast::Expr* where, uint32_t& table_index) {
    table_index = NewTableIndex();
    LogicalOpPtr plan = ScanForWrite(table, table_index, alias.empty() ? table->Name() : alias, scope_);
    if (others) {  // UPDATE ... FROM / DELETE ... USING
        auto join = std::make_unique<LogicalOperator>(LogicalOpType::Join);
        join->join_type = ir::JoinType::Inner;
        join->children.push_back(std::move(plan));
        join->children.push_back(BindTableRef(*others));
        plan = std::move(join);
    }
    if (where) {
        ExpressionBinder eb(*this, nullptr);
        eb.clause = "WHERE";
        auto filter = std::make_unique<LogicalOperator>(LogicalOpType::Filter);
        ir::SplitConjunction(eb.BindCondition(*where, "WHERE"), filter->expressions);
        filter->children.push_back(std::move(plan));
        plan = std::move(filter);
    }
    return plan;
}

ir::BoundQuery Binder::FinishWriteSource(storage::TableEntry* table, uint32_t table_index, LogicalOpPtr plan,
                                         std::vector<ExprPtr> new_values) {
    const auto& columns = table->Columns();
    new_values.resize(columns.size());
    ir::BoundQuery source;
    std::vector<ExprPtr> exprs;
    exprs.push_back(Expr::Column({table_index, LogicalOperator::kRowIdColumn}, LogicalType(TypeId::BigInt), "rowid"));
    source.types.push_back(LogicalType(TypeId::BigInt));
    source.names.push_back("rowid");
    for (size_t i = 0; i < columns.size(); ++i) {
        if (new_values[i]) exprs.push_back(std::move(new_values[i]));
        else exprs.push_back(Expr::Column({table_index, static_cast<uint32_t>(i)}, columns[i].type, columns[i].name));
        source.types.push_back(columns[i].type);
        source.names.push_back(columns[i].name);
    }
    auto proj = std::make_unique<LogicalOperator>(LogicalOpType::Projection);
    proj->table_index = NewTableIndex();
    proj->expressions = std::move(exprs);
    proj->children.push_back(std::move(plan));
    source.plan = std::move(proj);
    return source;
}

BoundUpdate Binder::BindUpdate(const ast::UpdateStatement& stmt) {
    BoundUpdate result;
    storage::TableEntry* table = TargetTable(shared_, stmt.table, stmt.pos, "update");
    result.table = table;
    uint32_t table_index = 0;
    LogicalOpPtr plan = BindWriteScan(table, stmt.alias, stmt.from.get(), stmt.where.get(), table_index);
    const auto& columns = table->Columns();
    std::vector<ExprPtr> new_values(columns.size());
    for (auto& set : stmt.sets) {
        int col = table->ColumnIndex(set.column);
        if (col < 0)
            throw Error(SqlState::UndefinedColumn,
                        "column \"" + set.column + "\" of relation \"" + table->Name() + "\" does not exist", set.pos);
        auto c = static_cast<size_t>(col);
        if (new_values[c])
            throw Error(SqlState::SyntaxError, "multiple assignments to same column \"" + set.column + "\"", set.pos);
        ExprPtr value;
        auto* fn = set.value->kind == ast::ExprKind::Function ? static_cast<const ast::FunctionExpr*>(set.value.get())
                                                              : nullptr;
        if (fn && fn->name == "default" && fn->args.empty()) {
            value = BindColumnDefault(columns[c]);
        } else {
            ExpressionBinder eb(*this, nullptr);
            eb.clause = "UPDATE";
            value = eb.Bind(*set.value);
            if (!IsUntypedLiteral(*value)) CheckAssignable(value->return_type, columns[c], set.pos);
        }
        new_values[c] = CastTo(std::move(value), columns[c].type);
        result.updated_columns.push_back(static_cast<uint32_t>(c));
    }
    result.source = FinishWriteSource(table, table_index, std::move(plan), std::move(new_values));
    if (!stmt.returning.items.empty()) throw Error::NotSupported("RETURNING", stmt.pos);
    return result;
}

BoundDelete Binder::BindDelete(const ast::DeleteStatement& stmt) {
    BoundDelete result;
    storage::TableEntry* table = TargetTable(shared_, stmt.table, stmt.pos, "delete from");
    result.table = table;
    uint32_t table_index = 0;
    LogicalOpPtr plan = BindWriteScan(table, stmt.alias, stmt.using_tables.get(), stmt.where.get(), table_index);
    result.source = FinishWriteSource(table, table_index, std::move(plan), {});
    if (!stmt.returning.items.empty()) throw Error::NotSupported("RETURNING", stmt.pos);
    return result;
}

}  // namespace grizzly::frontend
