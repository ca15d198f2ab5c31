// CREATE / DROP / ALTER and the catalog-reading statements (DESCRIBE, SHOW, SET, PRAGMA).
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <set>

#include "api/client_context.hpp"
#include "api/table_expression.hpp"
#include "runtime/scheduler.hpp"

namespace grizzly {

std::shared_ptr<QueryResultData> TextTable(std::vector<std::string> names, const std::vector<std::vector<Value>>& rows) {
    auto data = TaggedResult("SELECT");
    data->names = std::move(names);
    for (size_t c = 0; c < data->names.size(); ++c)
        data->types.push_back(rows.empty() || rows[0][c].IsNull() ? LogicalType(TypeId::Varchar) : rows[0][c].Type());
    data->rows.SetTypes(data->types);
    for (size_t start = 0; start < rows.size(); start += kVectorSize) {
        size_t n = std::min<size_t>(kVectorSize, rows.size() - start);
        DataChunk chunk;
        chunk.Initialize(data->types, n);
        for (size_t r = 0; r < n; ++r)
            for (size_t c = 0; c < data->names.size(); ++c) chunk.columns[c].SetValue(r, rows[start + r][c]);
        chunk.size = n;
        data->rows.Append(chunk);
    }
    return data;
}

ast::ExprPtr ParseExpression(const std::string& sql) {
    auto stmts = frontend::ParseSql("SELECT " + sql);
    auto& select = static_cast<ast::SelectStatement&>(*stmts.at(0));
    return std::move(select.query->select->items.at(0).expr);
}

ir::ExprPtr BindRowExpression(frontend::BinderShared& shared, storage::TableEntry& table, const std::string& sql) {
    ast::ExprPtr parsed = ParseExpression(sql);
    frontend::Binder binder(shared);
    uint32_t table_index = 0;
    ir::ExprPtr bound = binder.BindTableExpression(&table, *parsed, table_index);
    ir::VisitColumnRefsMutable(*bound, [&](ir::Expr& ref) {
        if (ref.depth == 0 && ref.binding.table == table_index) ref.position = ref.binding.column;
    });
    return bound;
}

std::shared_ptr<QueryResultData> ClientContext::CreateTable(const ast::CreateTableStatement& stmt, StatementEnv& env) {
    const std::string& name = stmt.names.back();
    auto& catalog = DatabaseOf(stmt.names, stmt.pos).catalog;
    if (catalog.GetTable(name) || catalog.GetView(name)) {
        if (stmt.if_not_exists) return TaggedResult("CREATE TABLE");
        if (!stmt.or_replace || !catalog.GetTable(name)) throw Error::DuplicateTable(name);
        InvalidateShapes(*catalog.GetTable(name));
        catalog.DropTable(name, undo_);
    }
    std::vector<storage::ColumnDefinition> columns;
    ir::BoundQuery as_query;
    frontend::BinderShared shared = MakeBinderShared(env);
    if (stmt.as_query) {
        frontend::Binder binder(shared);
        as_query = binder.BindQuery(*stmt.as_query);
        for (size_t i = 0; i < as_query.types.size(); ++i) {
            LogicalType t = as_query.types[i].id == TypeId::Null ? LogicalType(TypeId::Integer) : as_query.types[i];
            columns.push_back({as_query.names[i], t, false, ""});
        }
    }
    std::set<std::string> seen;
    std::vector<std::pair<std::vector<std::string>, bool>> unique_keys;  // (columns, primary)
    std::vector<storage::CheckConstraint> checks;
    for (auto& def : stmt.columns) {
        if (!seen.insert(def.name).second)
            throw Error(SqlState::DuplicateColumn, "column \"" + def.name + "\" specified more than once", def.pos);
        storage::ColumnDefinition col;
        col.name = def.name;
        col.type = frontend::Binder::ResolveType(def.type);
        col.not_null = def.not_null || def.primary_key;
        col.default_sql = def.default_value ? def.default_text : "";
        columns.push_back(col);
        if (def.primary_key) unique_keys.push_back({{def.name}, true});
        if (def.unique) unique_keys.push_back({{def.name}, false});
        if (def.check) checks.push_back({name + "_" + def.name + "_check", def.check_text});
    }
    for (auto& c : stmt.constraints) {
        for (auto& col : c.columns)
            if (std::none_of(columns.begin(), columns.end(), [&](auto& d) { return d.name == col; }))
                throw Error(SqlState::UndefinedColumn, "column \"" + col + "\" named in key does not exist", c.pos);
        switch (c.kind) {
        case ast::ConstraintKind::PrimaryKey:
            unique_keys.push_back({c.columns, true});
            for (auto& col : columns)
                if (std::find(c.columns.begin(), c.columns.end(), col.name) != c.columns.end()) col.not_null = true;
            break;
        case ast::ConstraintKind::Unique: unique_keys.push_back({c.columns, false}); break;
        case ast::ConstraintKind::Check:
            checks.push_back({c.name.empty() ? name + "_check" + std::to_string(checks.size() + 1) : c.name, c.check_text});
            break;
        case ast::ConstraintKind::ForeignKey: {
            // Accepted and checked for a valid target, not enforced (as SQLite does by default).
            storage::TableEntry* target = c.ref_table.empty() ? nullptr : catalog.GetTable(c.ref_table.back());
            bool self = !c.ref_table.empty() && c.ref_table.back() == name;
            if (!target && !self) throw Error::UndefinedTable(c.ref_table.empty() ? "" : c.ref_table.back(), c.pos);
            for (auto& col : c.ref_columns)
                if (target ? target->ColumnIndex(col) < 0
                           : std::none_of(columns.begin(), columns.end(), [&](auto& d) { return d.name == col; }))
                    throw Error(SqlState::UndefinedColumn,
                                "column \"" + col + "\" referenced in foreign key constraint does not exist", c.pos);
            break;
        }
        }
    }
    if (std::count_if(unique_keys.begin(), unique_keys.end(), [](auto& k) { return k.second; }) > 1)
        throw Error(SqlState::InvalidTableDefinition, "multiple primary keys for table \"" + name + "\" are not allowed",
                    stmt.pos);
    if (columns.empty()) throw Error(SqlState::InvalidTableDefinition, "a table must have at least one column", stmt.pos);
    auto table = std::make_unique<storage::TableEntry>(name, columns);
    // Defaults are stored as text and bound when used; bind them once now to report errors early.
    for (auto& def : stmt.columns) {
        if (!def.default_value) continue;
        frontend::Binder binder(shared);
        ir::ExprPtr bound = binder.BindConstantExpression(*def.default_value);
        if (bound->HasSubquery())
            throw Error::NotSupported("subqueries in DEFAULT expressions", def.default_value->pos);
        LogicalType type = frontend::Binder::ResolveType(def.type);
        // The default must convert to the column's type (an untyped literal is checked by value).
        runtime::ExecutionContext ctx = MakeExecutionContext(env);
        if (bound->IsFoldable()) runtime::CastValue(runtime::EvaluateConstant(*bound, ctx), type);
    }
    for (auto& [cols, primary] : unique_keys) {
        std::vector<uint32_t> ids;
        for (auto& c : cols) ids.push_back(static_cast<uint32_t>(table->ColumnIndex(c)));
        std::string key_name = name + (primary ? "_pkey" : "_" + cols[0] + "_key");
        table->unique_indexes.push_back(std::make_unique<storage::UniqueIndex>(key_name, ids, primary));
    }
    table->checks = checks;
    storage::TableEntry* created = catalog.CreateTable(std::move(table), undo_);
    for (auto& check : created->checks) {
        ir::ExprPtr bound = BindRowExpression(shared, *created, check.sql);  // validate
        if (bound->HasSubquery()) throw Error::NotSupported("subqueries in CHECK constraints", stmt.pos);
    }
    auto data = TaggedResult("CREATE TABLE");
    if (stmt.as_query) {
        runtime::ChunkCollection rows = ExecuteLogical(*as_query.plan, env);
        rows.SetTypes(created->Types());
        data->rows_changed = AppendRows(*created, rows, 0);
    }
    return data;
}
std::shared_ptr<QueryResultData> ClientContext::CreateView(const ast::CreateViewStatement& stmt) {
    const std::string& name = stmt.names.back();
    auto& catalog = DatabaseOf(stmt.names, stmt.pos).catalog;
    if (catalog.GetTable(name)) {
        if (stmt.if_not_exists) return TaggedResult("CREATE VIEW");
        throw Error::DuplicateTable(name);
    }
    if (catalog.GetView(name)) {
        if (stmt.if_not_exists) return TaggedResult("CREATE VIEW");
        if (!stmt.or_replace) throw Error::DuplicateTable(name);
        catalog.DropView(name, undo_);
    }
    // Bind once so that a view over missing tables or columns is refused now.
    StatementEnv env;
    frontend::BinderShared shared = MakeBinderShared(env);
    frontend::Binder binder(shared);
    ir::BoundQuery bound = binder.BindQuery(*stmt.query);
    if (stmt.column_names.size() > bound.types.size())
        throw Error(SqlState::InvalidObjectDefinition, "CREATE VIEW specifies more column names than columns", stmt.pos);
    auto view = std::make_unique<storage::ViewEntry>();
    view->name = name;
    view->column_names = stmt.column_names;
    view->query_sql = stmt.query_text;
    catalog.CreateView(std::move(view), undo_);
    return TaggedResult("CREATE VIEW");
}

std::shared_ptr<QueryResultData> ClientContext::CreateIndex(const ast::CreateIndexStatement& stmt) {
    auto& catalog = DatabaseOf(stmt.table, stmt.pos).catalog;
    storage::TableEntry* table = catalog.GetTable(stmt.table.back());
    if (!table) throw Error::UndefinedTable(stmt.table.back(), stmt.pos);
    std::vector<std::string> columns;
    for (auto& key : stmt.keys) {
        if (key.expr->kind != ast::ExprKind::ColumnRef)
            throw Error::NotSupported("indexes on expressions", key.expr->pos);
        const std::string& col = static_cast<const ast::ColumnRefExpr&>(*key.expr).names.back();
        if (table->ColumnIndex(col) < 0) throw Error::UndefinedColumn(col, key.expr->pos);
        columns.push_back(col);
    }
    std::string name = stmt.name;
    if (name.empty()) {
        name = table->Name();
        for (auto& c : columns) name += "_" + c;
        name += "_idx";
    }
    if (catalog.GetIndex(name)) {
        if (stmt.if_not_exists) return TaggedResult("CREATE INDEX");
        throw Error(SqlState::DuplicateTable, "relation \"" + name + "\" already exists", stmt.pos);
    }
    if (stmt.unique) {
        std::vector<uint32_t> ids;
        for (auto& c : columns) ids.push_back(static_cast<uint32_t>(table->ColumnIndex(c)));
        auto index = std::make_unique<storage::UniqueIndex>(name, ids, false);
        if (!index->Rebuild(table->Data()))
            throw Error(SqlState::UniqueViolation, "could not create unique index \"" + name + "\": key is duplicated");
        table->unique_indexes.push_back(std::move(index));
        undo_.RecordCatalog([table, name] {
            auto& list = table->unique_indexes;
            list.erase(std::remove_if(list.begin(), list.end(), [&](auto& i) { return i->Name() == name; }), list.end());
        });
    }
    auto entry = std::make_unique<storage::IndexEntry>();
    entry->name = name;
    entry->table = table->Name();
    entry->columns = columns;
    entry->unique = stmt.unique;
    entry->sql = stmt.text;
    catalog.CreateIndex(std::move(entry), undo_);
    InvalidateShapes(*table);
    return TaggedResult("CREATE INDEX");
}

std::shared_ptr<QueryResultData> ClientContext::CreateTrigger(const ast::CreateTriggerStatement& stmt) {
    auto& catalog = DatabaseOf(stmt.table, stmt.pos).catalog;
    if (catalog.GetTrigger(stmt.name)) {
        if (stmt.if_not_exists) return TaggedResult("CREATE TRIGGER");
        throw Error(SqlState::DuplicateObject, "trigger \"" + stmt.name + "\" already exists", stmt.pos);
    }
    storage::TableEntry* table = catalog.GetTable(stmt.table.back());
    if (!table) throw Error::UndefinedTable(stmt.table.back(), stmt.pos);
    if (!stmt.exec_function.empty()) throw Error::NotSupported("triggers that execute a function", stmt.pos);
    if (!stmt.for_each_row) throw Error::NotSupported("FOR EACH STATEMENT triggers", stmt.pos);
    if (stmt.timing == ast::TriggerTiming::InsteadOf)
        throw Error(SqlState::WrongObjectType, "INSTEAD OF triggers are only for views", stmt.pos);
    for (auto& col : stmt.update_columns)
        if (table->ColumnIndex(col) < 0) throw Error::UndefinedColumn(col, stmt.pos);
    auto trigger = std::make_unique<storage::TriggerEntry>();
    trigger->name = stmt.name;
    trigger->table = table->Name();
    trigger->timing = static_cast<int>(stmt.timing);
    trigger->event = static_cast<int>(stmt.event);
    trigger->update_columns = stmt.update_columns;
    trigger->body_sql = stmt.body_texts;
    trigger->when_sql = stmt.when_text;
    catalog.CreateTrigger(std::move(trigger), undo_);
    return TaggedResult("CREATE TRIGGER");
}

std::shared_ptr<QueryResultData> ClientContext::CreateFunction(const ast::CreateFunctionStatement& stmt) {
    auto& catalog = DatabaseOf(stmt.names, stmt.pos).catalog;
    const std::string& name = stmt.names.back();
    if (!stmt.language.empty() && stmt.language != "sql")
        throw Error::NotSupported("functions in language " + stmt.language, stmt.pos);
    if (catalog.GetMacro(name)) {
        if (!stmt.or_replace)
            throw Error(SqlState::DuplicateFunction, "function \"" + name + "\" already exists", stmt.pos);
        catalog.DropMacro(name, undo_);
    }
    auto macro = std::make_unique<storage::MacroEntry>();
    macro->name = name;
    for (auto& p : stmt.params) {
        macro->params.push_back(p.name);
        if (!p.type.name.empty()) macro->param_types.push_back(frontend::Binder::ResolveType(p.type));
    }
    if (!macro->param_types.empty() && macro->param_types.size() != macro->params.size())
        throw Error(SqlState::InvalidObjectDefinition, "every parameter needs a type", stmt.pos);
    if (stmt.returns) {
        macro->has_return_type = true;
        macro->return_type = frontend::Binder::ResolveType(*stmt.returns);
    }
    std::string body = stmt.body;
    // A SQL body "SELECT expr" is the expression itself.
    size_t first = body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && body.size() - first > 7) {
        std::string head = body.substr(first, 7);
        for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (head == "select ") body = body.substr(first + 7);
    }
    while (!body.empty() && (body.back() == ';' || std::isspace(static_cast<unsigned char>(body.back())))) body.pop_back();
    if (body.empty()) throw Error(SqlState::InvalidObjectDefinition, "function body is empty", stmt.pos);
    macro->body_sql = body;
    ParseExpression(body);  // refuse a body that is not an expression now
    catalog.CreateMacro(std::move(macro), undo_);
    return TaggedResult("CREATE FUNCTION");
}

std::shared_ptr<QueryResultData> ClientContext::Drop(const ast::DropStatement& stmt) {
    for (auto& names : stmt.names) {
        const std::string& name = names.back();
        auto& catalog = DatabaseOf(names, stmt.pos).catalog;
        switch (stmt.object) {
        case ast::ObjectKind::Table: {
            storage::TableEntry* table = catalog.GetTable(name);
            if (!table) {
                if (catalog.GetView(name))
                    throw Error(SqlState::WrongObjectType, "\"" + name + "\" is not a table", stmt.pos);
                if (stmt.if_exists) continue;
                throw Error::UndefinedTable(name, stmt.pos);
            }
            for (auto* index : catalog.IndexesOf(name)) catalog.DropIndex(index->name, undo_);
            for (auto* trigger : catalog.TriggersOf(name)) catalog.DropTrigger(trigger->name, undo_);
            InvalidateShapes(*table);
            catalog.DropTable(name, undo_);
            break;
        }
        case ast::ObjectKind::View:
            if (!catalog.GetView(name)) {
                if (catalog.GetTable(name))
                    throw Error(SqlState::WrongObjectType, "\"" + name + "\" is not a view", stmt.pos);
                if (stmt.if_exists) continue;
                throw Error(SqlState::UndefinedTable, "view \"" + name + "\" does not exist", stmt.pos);
            }
            catalog.DropView(name, undo_);
            break;
        case ast::ObjectKind::Index: {
            storage::IndexEntry* index = catalog.GetIndex(name);
            if (!index) {
                if (stmt.if_exists) continue;
                throw Error(SqlState::UndefinedObject, "index \"" + name + "\" does not exist", stmt.pos);
            }
            if (storage::TableEntry* table = catalog.GetTable(index->table)) {
                InvalidateShapes(*table);
                auto& list = table->unique_indexes;
                for (auto it = list.begin(); it != list.end(); ++it) {
                    if ((*it)->Name() != name) continue;
                    std::shared_ptr<storage::UniqueIndex> kept(it->release());
                    list.erase(it);
                    undo_.RecordCatalog([table, kept] {
                        table->unique_indexes.push_back(std::make_unique<storage::UniqueIndex>(*kept));
                        table->unique_indexes.back()->Rebuild(table->Data());
                    });
                    break;
                }
            }
            catalog.DropIndex(name, undo_);
            break;
        }
        case ast::ObjectKind::Trigger:
            if (!catalog.GetTrigger(name)) {
                if (stmt.if_exists) continue;
                throw Error(SqlState::UndefinedObject, "trigger \"" + name + "\" does not exist", stmt.pos);
            }
            catalog.DropTrigger(name, undo_);
            break;
        case ast::ObjectKind::Function:
            if (!catalog.GetMacro(name)) {
                if (stmt.if_exists) continue;
                throw Error(SqlState::UndefinedFunction, "function " + name + " does not exist", stmt.pos);
            }
            catalog.DropMacro(name, undo_);
            break;
        case ast::ObjectKind::Database:
        case ast::ObjectKind::Schema: throw Error::NotSupported("DROP DATABASE / SCHEMA", stmt.pos);
        }
    }
    static const char* kTags[] = {"DROP TABLE", "DROP VIEW", "DROP INDEX", "DROP TRIGGER", "DROP FUNCTION",
                                  "DROP DATABASE", "DROP SCHEMA"};
    return TaggedResult(kTags[static_cast<int>(stmt.object)]);
}

void ClientContext::InvalidateShapes(storage::TableEntry& table) {
    codegen::ShapeCache* cache = &db_.shape_cache;
    storage::TableEntry* entry = &table;
    // Undo runs newest first, while the entry still exists (a dropped table is parked until commit).
    auto invalidate = [cache, entry] {
        ++entry->schema_version;
        cache->EraseTable(entry->Id());
    };
    invalidate();
    undo_.RecordCatalog(invalidate);
}

std::shared_ptr<QueryResultData> ClientContext::AlterTable(const ast::AlterTableStatement& stmt) {
    auto& catalog = DatabaseOf(stmt.table, stmt.pos).catalog;
    storage::TableEntry* table = catalog.GetTable(stmt.table.back());
    if (!table) {
        if (stmt.if_exists) return TaggedResult("ALTER TABLE");
        throw Error::UndefinedTable(stmt.table.back(), stmt.pos);
    }
    switch (stmt.action) {
    case ast::AlterAction::RenameTable:
        if (catalog.GetTable(stmt.new_name) || catalog.GetView(stmt.new_name)) throw Error::DuplicateTable(stmt.new_name);
        InvalidateShapes(*table);
        catalog.RenameTable(table->Name(), stmt.new_name, undo_);
        break;
    case ast::AlterAction::RenameColumn: {
        int col = table->ColumnIndex(stmt.name);
        if (col < 0) throw Error::UndefinedColumn(stmt.name, stmt.pos);
        if (table->ColumnIndex(stmt.new_name) >= 0)
            throw Error(SqlState::DuplicateColumn, "column \"" + stmt.new_name + "\" already exists", stmt.pos);
        std::string old = stmt.name;
        table->MutableColumns()[static_cast<size_t>(col)].name = stmt.new_name;
        InvalidateShapes(*table);
        undo_.RecordCatalog([table, col, old] { table->MutableColumns()[static_cast<size_t>(col)].name = old; });
        break;
    }
    case ast::AlterAction::AddColumn: {
        const ast::ColumnDef& def = stmt.column;
        if (table->ColumnIndex(def.name) >= 0) {
            if (stmt.if_column_exists) break;
            throw Error(SqlState::DuplicateColumn, "column \"" + def.name + "\" already exists", stmt.pos);
        }
        storage::ColumnDefinition col{def.name, frontend::Binder::ResolveType(def.type), def.not_null,
                                      def.default_value ? def.default_text : ""};
        Value fill = Value::Null(col.type);
        if (def.default_value) {
            StatementEnv env;
            frontend::BinderShared shared = MakeBinderShared(env);
            frontend::Binder binder(shared);
            runtime::ExecutionContext ctx = MakeExecutionContext(env);
            fill = runtime::CastValue(runtime::EvaluateConstant(*binder.BindConstantExpression(*def.default_value), ctx),
                                      col.type);
        }
        if (col.not_null && fill.IsNull() && table->Data().LiveRowCount() > 0)
            throw Error::NotNull(col.name);
        table->MutableColumns().push_back(col);
        table->MutableData().AddColumn(col.type, fill);
        InvalidateShapes(*table);
        undo_.RecordCatalog([table] {
            table->MutableColumns().pop_back();
            table->MutableData().DropColumn(table->MutableColumns().size());
        });
        break;
    }
    case ast::AlterAction::DropColumn: {
        int col = table->ColumnIndex(stmt.name);
        if (col < 0) {
            if (stmt.if_column_exists) break;
            throw Error::UndefinedColumn(stmt.name, stmt.pos);
        }
        if (table->Columns().size() == 1)
            throw Error(SqlState::InvalidTableDefinition, "cannot drop the only column of a table", stmt.pos);
        for (auto& index : table->unique_indexes)
            for (uint32_t c : index->Columns())
                if (c == static_cast<uint32_t>(col))
                    throw Error(SqlState::DependentObjectsStillExist,
                                "cannot drop column \"" + stmt.name + "\": index \"" + index->Name() + "\" depends on it",
                                stmt.pos);
        throw Error::NotSupported("ALTER TABLE DROP COLUMN", stmt.pos);
    }
    default: throw Error::NotSupported("this ALTER TABLE action", stmt.pos);
    }
    return TaggedResult("ALTER TABLE");
}

std::shared_ptr<QueryResultData> ClientContext::Describe(const ast::DescribeStatement& stmt, StatementEnv& env) {
    std::vector<std::vector<Value>> rows;
    auto add = [&](const std::string& name, const LogicalType& type, bool nullable, const std::string& key,
                   const std::string& def) {
        rows.push_back({Value::Varchar(name), Value::Varchar(type.ToString()), Value::Varchar(nullable ? "YES" : "NO"),
                        key.empty() ? Value::Null(TypeId::Varchar) : Value::Varchar(key),
                        def.empty() ? Value::Null(TypeId::Varchar) : Value::Varchar(def), Value::Null(TypeId::Varchar)});
    };
    if (stmt.query) {
        frontend::BinderShared shared = MakeBinderShared(env);
        frontend::Binder binder(shared);
        ir::BoundQuery bound = binder.BindQuery(*stmt.query);
        for (size_t i = 0; i < bound.types.size(); ++i) add(bound.names[i], bound.types[i], true, "", "");
    } else {
        const std::string& name = stmt.table.back();
        auto& catalog = DatabaseOf(stmt.table, stmt.pos).catalog;
        if (storage::TableEntry* table = catalog.GetTable(name)) {
            for (size_t i = 0; i < table->Columns().size(); ++i) {
                auto& c = table->Columns()[i];
                std::string key;
                for (auto& index : table->unique_indexes)
                    if (index->Columns().size() == 1 && index->Columns()[0] == i) key = index->IsPrimary() ? "PRI" : "UNI";
                add(c.name, c.type, !c.not_null, key, c.default_sql);
            }
        } else if (catalog.GetView(name)) {
            auto stmts = frontend::ParseSql("SELECT * FROM " + QuoteQualifiedName(stmt.table));
            frontend::BinderShared shared = MakeBinderShared(env);
            frontend::Binder binder(shared);
            ir::BoundQuery bound = binder.BindQuery(*static_cast<ast::SelectStatement&>(*stmts[0]).query);
            for (size_t i = 0; i < bound.types.size(); ++i) add(bound.names[i], bound.types[i], true, "", "");
        } else {
            throw Error::UndefinedTable(name, stmt.pos);
        }
    }
    return TextTable({"column_name", "column_type", "null", "key", "default", "extra"}, rows);
}

std::shared_ptr<QueryResultData> ClientContext::Show(const ast::ShowStatement& stmt) {
    std::vector<std::vector<Value>> rows;
    if (stmt.what == "tables") {
        AttachedDatabase* database = stmt.from.empty() ? &CurrentDatabase() : db_.Find(stmt.from);
        if (!database) throw Error(SqlState::UndefinedDatabase, "database \"" + stmt.from + "\" does not exist", stmt.pos);
        std::vector<std::string> names = database->catalog.TableNames();
        for (auto& v : database->catalog.ViewNames()) names.push_back(v);
        std::sort(names.begin(), names.end());
        for (auto& n : names) rows.push_back({Value::Varchar(n)});
        return TextTable({"name"}, rows);
    }
    if (stmt.what == "databases") return ShowDatabases();
    // The shape cache belongs to the instance: show its size now, whichever connection set it.
    settings_["jit_cache_size"] = std::to_string(db_.shape_cache.Capacity());
    if (stmt.what == "all") {
        for (auto& [k, v] : settings_) rows.push_back({Value::Varchar(k), Value::Varchar(v)});
        return TextTable({"name", "value"}, rows);
    }
    auto it = settings_.find(stmt.what);
    if (it == settings_.end())
        throw Error(SqlState::UndefinedObject, "unrecognized configuration parameter \"" + stmt.what + "\"", stmt.pos);
    rows.push_back({Value::Varchar(it->second)});
    return TextTable({stmt.what}, rows);
}

namespace {

// "16MB", "1 GiB", "4096" (bytes).
uint64_t ParseByteSize(const std::string& text, SourcePos pos) {
    char* end = nullptr;
    double n = std::strtod(text.c_str(), &end);
    std::string unit(end);
    unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
    for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    double scale = unit.empty() || unit == "b" ? 1
                   : unit == "kb" || unit == "kib" ? 1024.0
                   : unit == "mb" || unit == "mib" ? 1024.0 * 1024
                   : unit == "gb" || unit == "gib" ? 1024.0 * 1024 * 1024
                                                   : -1;
    // !(n >= 0) also refuses NaN; sizes past 2^64 bytes do not convert.
    if (end == text.c_str() || scale < 0 || !(n >= 0) || n * scale >= 18446744073709551616.0)
        throw Error(SqlState::InvalidParameterValue, "invalid size \"" + text + "\" (e.g. 16MB)", pos);
    return static_cast<uint64_t>(n * scale);
}

/// A whole-number setting's value in [min, max]; `range` says which in the error.
int64_t ParseWholeNumber(const ast::SetStatement& stmt, const std::string& value, int64_t min, int64_t max,
                         const std::string& range) {
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != 0 || errno == ERANGE || n < min || n > max)
        throw Error(SqlState::InvalidParameterValue, stmt.name + " must be " + range, stmt.pos);
    return n;
}

/// A boolean setting's value (RESET: on): on, true, 1 (or one of `also_on`), off, false or 0.
bool ParseOnOff(const ast::SetStatement& stmt, const std::string& value, std::initializer_list<const char*> also_on) {
    if (stmt.reset || !stmt.value) return true;
    std::string v = value;
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool on = v == "on" || v == "true" || v == "1";
    for (const char* name : also_on) on = on || v == name;
    if (!on && v != "off" && v != "false" && v != "0")
        throw Error(SqlState::InvalidParameterValue, stmt.name + " must be on or off", stmt.pos);
    return on;
}

}  // namespace

std::shared_ptr<QueryResultData> ClientContext::Set(const ast::SetStatement& stmt) {
    static const std::set<std::string> kKnown = {"execution_mode", "threads",           "disabled_passes",
                                                 "memory_limit",   "search_path",       "timezone",
                                                 "client_encoding", "datestyle",        "synchronous",
                                                 "checkpoint_threshold", "lock_timeout", "jit_cache_size",
                                                 "jit_optimize",   "jit_above_rows"};
    if (!kKnown.count(stmt.name))
        throw Error(SqlState::UndefinedObject, "unrecognized configuration parameter \"" + stmt.name + "\"", stmt.pos);
    std::string value;
    if (stmt.value && !stmt.reset) {
        StatementEnv env;
        frontend::BinderShared shared = MakeBinderShared(env);
        frontend::Binder binder(shared);
        runtime::ExecutionContext ctx = MakeExecutionContext(env);
        Value v = runtime::EvaluateConstant(*binder.BindConstantExpression(*stmt.value), ctx);
        if (v.IsNull() && stmt.value->kind == ast::ExprKind::ColumnRef)
            value = static_cast<const ast::ColumnRefExpr&>(*stmt.value).names.back();
        else
            value = v.ToString();
    }
    if (stmt.name == "execution_mode") {
        if (stmt.reset || !stmt.value) value = "adaptive";
        if (value != "interpret" && value != "jit" && value != "adaptive")
            throw Error(SqlState::InvalidParameterValue,
                        "invalid value for execution_mode: \"" + value + "\" (interpret, jit or adaptive)", stmt.pos);
    } else if (stmt.name == "threads") {
        if (stmt.reset || !stmt.value) value = std::to_string(runtime::Scheduler::DefaultThreads());
        value = std::to_string(ParseWholeNumber(stmt, value, 1, 256, "between 1 and 256"));
    } else if (stmt.name == "disabled_passes") {
        optimizer_.disabled_passes.clear();
        if (!stmt.reset && stmt.value) {
            std::string item;
            for (char c : value + ",") {
                if (c == ',' || c == ' ') {
                    if (item.empty()) continue;
                    bool known = false;
                    for (auto& p : ir::PassPipeline()) known |= item == p.name;
                    if (!known) throw Error(SqlState::InvalidParameterValue, "unknown optimizer pass \"" + item + "\"", stmt.pos);
                    optimizer_.disabled_passes.insert(item);
                    item.clear();
                } else {
                    item += c;
                }
            }
        }
    } else if (stmt.name == "synchronous") {
        const bool on = ParseOnOff(stmt, value, {"full", "normal"});
        value = on ? "on" : "off";
        if (auto& file = CurrentDatabase().file) file->synchronous = on;
    } else if (stmt.name == "jit_optimize") {
        value = ParseOnOff(stmt, value, {}) ? "on" : "off";
    } else if (stmt.name == "jit_above_rows") {
        if (stmt.reset || !stmt.value) value = std::to_string(runtime::ExecutionContext().jit_above_rows);
        value = std::to_string(ParseWholeNumber(stmt, value, 0, std::numeric_limits<int64_t>::max(),
                                                "a whole number of rows, 0 or more"));
    } else if (stmt.name == "lock_timeout") {
        // As in PostgreSQL: milliseconds, or a number with a unit; 0 = do not wait.
        int64_t ms = 0;
        if (!stmt.reset && stmt.value) {
            char* end = nullptr;
            double n = std::strtod(value.c_str(), &end);
            std::string unit(end);
            while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
            double scale = unit.empty() || unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "min" ? 60000 : -1;
            if (end == value.c_str() || scale < 0 || n < 0 || n * scale > 3.6e9)
                throw Error(SqlState::InvalidParameterValue,
                            "invalid value for lock_timeout: \"" + value + "\" (milliseconds, or a number with ms, s or min)",
                            stmt.pos);
            ms = static_cast<int64_t>(n * scale);
        }
        lock_timeout_ms_ = ms;
        value = std::to_string(ms) + "ms";
    } else if (stmt.name == "checkpoint_threshold") {
        uint64_t bytes = uint64_t(16) << 20;
        if (!stmt.reset && stmt.value) bytes = ParseByteSize(value, stmt.pos);
        value = std::to_string(bytes);
        // A setting of the database: its file keeps it from the next checkpoint on.
        AttachedDatabase& database = CurrentDatabase();
        if (database.file) {
            database.file->checkpoint_threshold = bytes;
            database.catalog.settings["checkpoint_threshold"] = value;
        }
    } else if (stmt.name == "memory_limit") {
        // As DuckDB's: what one statement's materialized data may take (runtime/memory_tracker.hpp).
        uint64_t bytes = runtime::DefaultMemoryLimit();
        if (!stmt.reset && stmt.value) bytes = ParseByteSize(value, stmt.pos);
        if (bytes == 0)
            throw Error(SqlState::InvalidParameterValue, "memory_limit must be more than 0 bytes", stmt.pos);
        memory_limit_ = bytes;
        value = std::to_string(bytes);
    } else if (stmt.name == "jit_cache_size") {
        // The database's shared shape cache: shrinking evicts least recently used code at once.
        uint64_t bytes = DatabaseInstance::kShapeCacheBytes;
        if (!stmt.reset && stmt.value) bytes = ParseByteSize(value, stmt.pos);
        if (bytes > std::numeric_limits<size_t>::max())
            throw Error(SqlState::InvalidParameterValue, "invalid size \"" + value + "\" (e.g. 16MB)", stmt.pos);
        db_.shape_cache.SetCapacity(static_cast<size_t>(bytes));
        value = std::to_string(bytes);
    }
    settings_[stmt.name] = value;
    return TaggedResult(stmt.reset ? "RESET" : "SET");
}

std::shared_ptr<QueryResultData> ClientContext::Pragma(const ast::PragmaStatement& stmt) {
    if (stmt.name == "table_info" || stmt.name == "show") {
        if (stmt.args.size() != 1) throw Error(SqlState::SyntaxError, "PRAGMA " + stmt.name + " takes one argument", stmt.pos);
        ast::DescribeStatement describe;
        const ast::Expr& arg = *stmt.args[0];
        if (arg.kind == ast::ExprKind::Constant) describe.table = {static_cast<const ast::ConstantExpr&>(arg).value.ToString()};
        else if (arg.kind == ast::ExprKind::ColumnRef) describe.table = static_cast<const ast::ColumnRefExpr&>(arg).names;
        else throw Error(SqlState::SyntaxError, "PRAGMA " + stmt.name + " takes a table name", stmt.pos);
        describe.pos = stmt.pos;
        StatementEnv env;
        return Describe(describe, env);
    }
    if (stmt.name == "integrity_check") {
        // Every checksum of the file and the log, and the catalog's own invariants.
        std::vector<std::vector<Value>> rows;
        AttachedDatabase& database = CurrentDatabase();
        if (database.file) {
            std::string problems = database.file->Verify();
            if (!problems.empty()) rows.push_back({Value::Varchar(problems)});
        }
        for (storage::TableEntry* table : database.catalog.Tables())
            for (auto& index : table->unique_indexes) {
                storage::UniqueIndex copy(index->Name(), index->Columns(), index->IsPrimary());
                if (!copy.Rebuild(table->Data()))
                    rows.push_back({Value::Varchar("unique index \"" + index->Name() + "\" of \"" + table->Name() +
                                                   "\" has duplicates")});
            }
        if (rows.empty()) rows.push_back({Value::Varchar("ok")});
        return TextTable({"integrity_check"}, rows);
    }
    if (stmt.name == "storage_info") {
        if (stmt.args.size() != 1 || stmt.args[0]->kind != ast::ExprKind::Constant)
            throw Error(SqlState::SyntaxError, "PRAGMA storage_info takes a table name, e.g. PRAGMA storage_info('t')",
                        stmt.pos);
        std::string name = static_cast<const ast::ConstantExpr&>(*stmt.args[0]).value.ToString();
        std::vector<std::string> names;
        for (size_t start = 0;;) {
            size_t dot = name.find('.', start);
            names.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        storage::TableEntry* table = DatabaseOf(names, stmt.pos).catalog.GetTable(names.back());
        if (!table) throw Error::UndefinedTable(name, stmt.pos);
        std::vector<std::vector<Value>> rows;
        for (const storage::ColumnStorageInfo& c : storage::DescribeStorage(*table))
            rows.push_back({Value::Varchar(c.column_name), Value::Varchar(c.type),
                            Value::BigInt(static_cast<int64_t>(c.segments)), Value::Varchar(c.encodings),
                            Value::Varchar(c.codecs), Value::BigInt(static_cast<int64_t>(c.compressed_bytes)),
                            Value::BigInt(static_cast<int64_t>(c.encoded_bytes)),
                            Value::BigInt(static_cast<int64_t>(c.uncompressed_bytes))});
        return TextTable({"column_name", "column_type", "segments", "encoding", "compression", "compressed_bytes",
                          "encoded_bytes", "uncompressed_bytes"},
                         rows);
    }
    if (stmt.name == "database_size") {
        std::vector<std::vector<Value>> rows;
        for (auto& [name, database] : db_.databases) {
            auto& file = database->file;
            uint64_t bytes = file ? file->FileBytes() : 0, wal = file ? file->WalBytes() : 0;
            rows.push_back({Value::Varchar(name), Value::Varchar(file ? file->Path() : ":memory:"),
                            Value::BigInt(static_cast<int64_t>(bytes)), Value::BigInt(static_cast<int64_t>(wal))});
        }
        return TextTable({"database_name", "path", "database_size", "wal_size"}, rows);
    }
    throw Error::NotSupported("PRAGMA " + stmt.name, stmt.pos);
}

}  // namespace grizzly
