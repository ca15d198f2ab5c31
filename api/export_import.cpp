// EXPORT DATABASE 'dir' and IMPORT DATABASE 'dir' (DuckDB's statements, the
// role pg_dump/pg_restore play for PostgreSQL). An export directory holds:
//
//   schema.sql  the catalog as SQL, in an order that re-creates it: functions and
//               macros (their bodies are not bound when created, while CHECK and
//               DEFAULT expressions that call them are), tables with their
//               columns, types, NOT NULL, DEFAULT, PRIMARY KEY, UNIQUE and CHECK,
//               views (each after the views it reads), indexes.
//   <table>.csv one file per table, written by COPY TO with the export's options
//               (CSV with a header by default).
//   load.sql    COPY <table> FROM '<table>.csv' (options) for every table, then the
//               triggers: like pg_dump's post-data section they are created after
//               the rows are loaded, so importing does not fire them a second time.
//
// File names in load.sql are relative to the directory; IMPORT reads them from
// there, so an export can be moved or renamed. load.sql is written last: a
// directory without it is an unfinished export and IMPORT refuses it.
//
// EXPORT reads one snapshot (it is one statement). It creates the directory
// (and missing parents) or reuses an empty one or one holding an earlier
// export, whose files it replaces; it refuses any other non-empty directory.
// A failed EXPORT removes what it wrote. IMPORT runs schema.sql and then
// load.sql as part of its own statement, so a failure anywhere undoes all of it.
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/client_context.hpp"

namespace grizzly {

namespace {

namespace fs = std::filesystem;

constexpr const char* kSchemaFile = "schema.sql";
constexpr const char* kLoadFile = "load.sql";

// ───────────────────────────── SQL text ─────────────────────────────


// Whether `name` written bare reads back as the same name. Only lower-case
// words can (the parser folds the others), and of those the parser itself
// says which are keywords: it must read "SELECT name FROM name" as a column
// and a table of that name.
bool ReadsBackBare(const std::string& name) {
    if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    std::vector<ast::StatementPtr> parsed;
    try {
        parsed = frontend::ParseSql("SELECT " + name + " FROM " + name);
    } catch (const Error&) {
        return false;  // a reserved word: the probe's answer, not a failure of the export
    }
    if (parsed.size() != 1 || parsed[0]->kind != ast::StatementKind::Select) return false;
    const ast::Query& query = *static_cast<const ast::SelectStatement&>(*parsed[0]).query;
    if (query.body_kind != ast::QueryBodyKind::Select || !query.select) return false;
    const ast::SelectCore& core = *query.select;
    if (core.items.size() != 1 || !core.items[0].alias.empty() || !core.from) return false;
    const ast::Expr& item = *core.items[0].expr;
    if (item.kind != ast::ExprKind::ColumnRef ||
        static_cast<const ast::ColumnRefExpr&>(item).names != std::vector<std::string>{name})
        return false;
    return core.from->kind == ast::TableRefKind::BaseTable && core.from->alias.empty() &&
           static_cast<const ast::BaseTableRef&>(*core.from).names == std::vector<std::string>{name};
}

// Names as SQL identifiers, double-quoted where needed (cached: the test parses).
class NameWriter {
public:
    const std::string& operator()(const std::string& name) {
        auto it = cache_.find(name);
        if (it == cache_.end()) it = cache_.emplace(name, ReadsBackBare(name) ? name : QuoteIdentifier(name)).first;
        return it->second;
    }
    std::string List(const std::vector<std::string>& names) {
        std::string out;
        for (const std::string& name : names) out += (out.empty() ? "" : ", ") + (*this)(name);
        return out;
    }

private:
    std::map<std::string, std::string> cache_;
};

// `text` in parentheses, unless one pair already encloses all of it.
std::string Parenthesized(const std::string& text) {
    int depth = 0;
    char quote = 0;
    for (size_t idx = 0; idx < text.size(); ++idx) {
        char c = text[idx];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0 && idx + 1 < text.size()) {
            return "(" + text + ")";  // the first pair closes before the end
        }
        if (idx == 0 && c != '(') return "(" + text + ")";
    }
    return depth == 0 && !text.empty() ? text : "(" + text + ")";
}

std::string OptionsSql(const storage::CsvOptions& options) {
    return "(FORMAT csv, DELIMITER " + QuoteLiteral(std::string(1, options.delimiter)) + ", QUOTE " +
           QuoteLiteral(std::string(1, options.quote)) + ", ESCAPE " + QuoteLiteral(std::string(1, options.escape)) +
           ", HEADER " + (options.header ? "true" : "false") + ", NULL " + QuoteLiteral(options.null_string) + ")";
}

std::string CreateTableSql(const storage::TableEntry& table, const std::set<std::string>& index_names,
                           NameWriter& name) {
    std::vector<std::string> elements;
    for (const storage::ColumnDefinition& column : table.Columns()) {
        std::string element = name(column.name) + " " + column.type.ToString();
        if (column.not_null) element += " NOT NULL";
        if (!column.default_sql.empty()) element += " DEFAULT " + column.default_sql;
        elements.push_back(std::move(element));
    }
    for (const auto& index : table.unique_indexes) {
        // CREATE UNIQUE INDEX adds to the table's keys too; it is exported as the index it is.
        if (!index->IsPrimary() && index_names.count(index->Name())) continue;
        std::vector<std::string> columns;
        for (uint32_t col_idx : index->Columns()) columns.push_back(table.Columns()[col_idx].name);
        elements.push_back((index->IsPrimary() ? "PRIMARY KEY (" : "UNIQUE (") + name.List(columns) + ")");
    }
    for (const storage::CheckConstraint& check : table.checks)
        elements.push_back("CONSTRAINT " + name(check.name) + " CHECK (" + check.sql + ")");
    std::string sql = "CREATE TABLE " + name(table.Name()) + " (";
    for (size_t idx = 0; idx < elements.size(); ++idx) sql += (idx ? ",\n    " : "\n    ") + elements[idx];
    return sql + "\n)";
}

std::string CreateMacroSql(const storage::MacroEntry& macro, NameWriter& name) {
    std::string params;
    for (size_t idx = 0; idx < macro.params.size(); ++idx) {
        params += (idx ? ", " : "") + name(macro.params[idx]);
        if (idx < macro.param_types.size()) params += " " + macro.param_types[idx].ToString();
    }
    if (macro.param_types.empty() && !macro.has_return_type)
        return "CREATE MACRO " + name(macro.name) + "(" + params + ") AS " + macro.body_sql;
    std::string sql = "CREATE FUNCTION " + name(macro.name) + "(" + params + ")";
    if (macro.has_return_type) sql += " RETURNS " + macro.return_type.ToString();
    return sql + " RETURN " + macro.body_sql;
}

std::string CreateViewSql(const storage::ViewEntry& view, NameWriter& name) {
    std::string sql = "CREATE VIEW " + name(view.name);
    if (!view.column_names.empty()) sql += " (" + name.List(view.column_names) + ")";
    return sql + " AS " + view.query_sql;
}

std::string CreateIndexSql(const storage::IndexEntry& index, storage::TableEntry* table, NameWriter& name) {
    std::vector<std::string> columns = index.columns;
    // A unique index names its columns by position, which a RENAME COLUMN keeps current.
    if (table && index.unique)
        for (const auto& key : table->unique_indexes)
            if (!key->IsPrimary() && key->Name() == index.name) {
                columns.clear();
                for (uint32_t col_idx : key->Columns()) columns.push_back(table->Columns()[col_idx].name);
            }
    return std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " + name(index.name) + " ON " +
           name(index.table) + " (" + name.List(columns) + ")";
}

std::string CreateTriggerSql(const storage::TriggerEntry& trigger, NameWriter& name) {
    std::string sql = "CREATE TRIGGER " + name(trigger.name);
    switch (static_cast<ast::TriggerTiming>(trigger.timing)) {
    case ast::TriggerTiming::Before: sql += " BEFORE"; break;
    case ast::TriggerTiming::After: sql += " AFTER"; break;
    case ast::TriggerTiming::InsteadOf: sql += " INSTEAD OF"; break;
    }
    switch (static_cast<ast::TriggerEvent>(trigger.event)) {
    case ast::TriggerEvent::Insert: sql += " INSERT"; break;
    case ast::TriggerEvent::Delete: sql += " DELETE"; break;
    case ast::TriggerEvent::Update:
        sql += " UPDATE";
        if (!trigger.update_columns.empty()) sql += " OF " + name.List(trigger.update_columns);
        break;
    }
    sql += " ON " + name(trigger.table) + " FOR EACH ROW";
    if (!trigger.when_sql.empty()) sql += " WHEN " + Parenthesized(trigger.when_sql);
    sql += "\nBEGIN\n";
    for (const std::string& body : trigger.body_sql) sql += "    " + body + ";\n";
    return sql + "END";
}

// ───────────────────────────── view order ─────────────────────────────

// Names of the tables and views a query reads (CTE names too: an extra name
// only adds an ordering constraint, never drops one).
void CollectQueryNames(const ast::Query& query, std::set<std::string>& out);

void CollectExprNames(const ast::Expr* expr, std::set<std::string>& out);

void CollectOrderNames(const std::vector<ast::OrderItem>& items, std::set<std::string>& out) {
    for (const ast::OrderItem& item : items) CollectExprNames(item.expr.get(), out);
}

void CollectWindowNames(const ast::WindowSpec* window, std::set<std::string>& out) {
    if (!window) return;
    for (const ast::ExprPtr& expr : window->partition_by) CollectExprNames(expr.get(), out);
    CollectOrderNames(window->order_by, out);
    CollectExprNames(window->start.offset.get(), out);
    CollectExprNames(window->end.offset.get(), out);
}

void CollectExprNames(const ast::Expr* expr, std::set<std::string>& out) {
    if (!expr) return;
    switch (expr->kind) {
    case ast::ExprKind::Subquery: {
        auto& sub = static_cast<const ast::SubqueryExpr&>(*expr);
        if (sub.query) CollectQueryNames(*sub.query, out);
        CollectExprNames(sub.operand.get(), out);
        break;
    }
    case ast::ExprKind::Unary: CollectExprNames(static_cast<const ast::UnaryExpr&>(*expr).operand.get(), out); break;
    case ast::ExprKind::Binary: {
        auto& binary = static_cast<const ast::BinaryExpr&>(*expr);
        CollectExprNames(binary.left.get(), out);
        CollectExprNames(binary.right.get(), out);
        break;
    }
    case ast::ExprKind::Function: {
        auto& call = static_cast<const ast::FunctionExpr&>(*expr);
        for (const ast::ExprPtr& arg : call.args) CollectExprNames(arg.get(), out);
        CollectOrderNames(call.order_by, out);
        CollectExprNames(call.filter.get(), out);
        CollectWindowNames(call.over.get(), out);
        break;
    }
    case ast::ExprKind::Cast: CollectExprNames(static_cast<const ast::CastExpr&>(*expr).operand.get(), out); break;
    case ast::ExprKind::Case: {
        auto& case_expr = static_cast<const ast::CaseExpr&>(*expr);
        CollectExprNames(case_expr.operand.get(), out);
        for (const auto& [when, then] : case_expr.when_then) {
            CollectExprNames(when.get(), out);
            CollectExprNames(then.get(), out);
        }
        CollectExprNames(case_expr.else_expr.get(), out);
        break;
    }
    case ast::ExprKind::Between: {
        auto& between = static_cast<const ast::BetweenExpr&>(*expr);
        CollectExprNames(between.operand.get(), out);
        CollectExprNames(between.low.get(), out);
        CollectExprNames(between.high.get(), out);
        break;
    }
    case ast::ExprKind::InList: {
        auto& in = static_cast<const ast::InListExpr&>(*expr);
        CollectExprNames(in.operand.get(), out);
        for (const ast::ExprPtr& item : in.list) CollectExprNames(item.get(), out);
        break;
    }
    case ast::ExprKind::IsNull: CollectExprNames(static_cast<const ast::IsNullExpr&>(*expr).operand.get(), out); break;
    case ast::ExprKind::Like: {
        auto& like = static_cast<const ast::LikeExpr&>(*expr);
        CollectExprNames(like.operand.get(), out);
        CollectExprNames(like.pattern.get(), out);
        CollectExprNames(like.escape.get(), out);
        break;
    }
    case ast::ExprKind::Constant:
    case ast::ExprKind::ColumnRef:
    case ast::ExprKind::Star:
    case ast::ExprKind::Parameter: break;
    }
}

void CollectTableRefNames(const ast::TableRef* ref, std::set<std::string>& out) {
    if (!ref) return;
    switch (ref->kind) {
    case ast::TableRefKind::BaseTable: {
        auto& names = static_cast<const ast::BaseTableRef&>(*ref).names;
        if (!names.empty()) out.insert(names.back());
        break;
    }
    case ast::TableRefKind::Subquery: {
        auto& sub = static_cast<const ast::SubqueryRef&>(*ref);
        if (sub.query) CollectQueryNames(*sub.query, out);
        break;
    }
    case ast::TableRefKind::Join: {
        auto& join = static_cast<const ast::JoinRef&>(*ref);
        CollectTableRefNames(join.left.get(), out);
        CollectTableRefNames(join.right.get(), out);
        CollectExprNames(join.condition.get(), out);
        break;
    }
    case ast::TableRefKind::Function: CollectExprNames(static_cast<const ast::FunctionRef&>(*ref).call.get(), out); break;
    }
}

void CollectQueryNames(const ast::Query& query, std::set<std::string>& out) {
    for (const ast::CommonTableExpr& cte : query.ctes)
        if (cte.query) CollectQueryNames(*cte.query, out);
    if (query.select) {
        const ast::SelectCore& core = *query.select;
        for (const ast::ExprPtr& expr : core.distinct_on) CollectExprNames(expr.get(), out);
        for (const ast::SelectItem& item : core.items) CollectExprNames(item.expr.get(), out);
        CollectTableRefNames(core.from.get(), out);
        CollectExprNames(core.where.get(), out);
        for (const ast::ExprPtr& expr : core.group_by) CollectExprNames(expr.get(), out);
        CollectExprNames(core.having.get(), out);
        for (const auto& window : core.windows) CollectWindowNames(window.second.get(), out);
        CollectExprNames(core.qualify.get(), out);
    }
    if (query.left) CollectQueryNames(*query.left, out);
    if (query.right) CollectQueryNames(*query.right, out);
    for (const auto& row : query.values)
        for (const ast::ExprPtr& expr : row) CollectExprNames(expr.get(), out);
    CollectOrderNames(query.order_by, out);
    CollectExprNames(query.limit.get(), out);
    CollectExprNames(query.offset.get(), out);
}

// Views in an order where each comes after the views its query reads; name
// order otherwise (the catalog does not keep the order of creation).
std::vector<const storage::ViewEntry*> OrderViews(const std::vector<const storage::ViewEntry*>& views) {
    std::map<std::string, const storage::ViewEntry*> by_name;
    for (const storage::ViewEntry* view : views) by_name[view->name] = view;
    std::map<std::string, std::set<std::string>> reads;
    for (const storage::ViewEntry* view : views) {
        std::set<std::string> names;
        auto parsed = frontend::ParseSql(view->query_sql);
        if (parsed.size() == 1 && parsed[0]->kind == ast::StatementKind::Select)
            CollectQueryNames(*static_cast<const ast::SelectStatement&>(*parsed[0]).query, names);
        for (const std::string& name : names)
            if (name != view->name && by_name.count(name)) reads[view->name].insert(name);
    }
    std::vector<const storage::ViewEntry*> ordered;
    std::set<std::string> placed, visiting;
    // Iterative depth-first search: view chains may be long.
    for (const storage::ViewEntry* root : views) {
        std::vector<std::pair<std::string, bool>> stack{{root->name, false}};
        while (!stack.empty()) {
            auto [name, expanded] = stack.back();
            stack.pop_back();
            if (placed.count(name)) continue;
            if (expanded) {
                placed.insert(name);
                visiting.erase(name);
                ordered.push_back(by_name[name]);
                continue;
            }
            if (!visiting.insert(name).second) continue;  // a cycle can only come from a CTE name: ignore it
            stack.push_back({name, true});
            const std::set<std::string>& deps = reads[name];
            for (auto it = deps.rbegin(); it != deps.rend(); ++it)
                if (!placed.count(*it) && !visiting.count(*it)) stack.push_back({*it, false});
        }
    }
    return ordered;
}

// ───────────────────────────── files ─────────────────────────────

void WriteTextFile(const fs::path& path, const std::string& text) {
    std::unique_ptr<storage::OutputStream> output = storage::OpenOutput(path.string());
    output->Write(text);
    output->Close();
}

std::string ReadTextFile(const fs::path& path) {
    std::unique_ptr<storage::InputStream> input = storage::OpenInput(path.string());
    std::string text;
    char buffer[1 << 16];
    for (size_t n; (n = input->Read(buffer, sizeof(buffer))) > 0;) text.append(buffer, n);
    return text;
}

// A data file name for `table`: its ASCII letters, digits, '_' and '-' (others
// become '_'), made unique ignoring case (for case-insensitive file systems).
std::string DataFileName(const std::string& table, std::set<std::string>& used) {
    std::string stem;
    for (char c : table) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        stem.push_back(keep ? c : '_');
    }
    if (stem.size() > 64) stem.resize(64);
    if (stem.empty()) stem = "table";
    std::string candidate = stem;
    auto lower = [](std::string text) {
        for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return text;
    };
    for (int n = 2; !used.insert(lower(candidate)).second; ++n) candidate = stem + "_" + std::to_string(n);
    return candidate + ".csv";
}

// Prepares `dir` for an export; returns whether this call created it.
bool PrepareExportDirectory(const fs::path& dir) {
    std::error_code ec;
    fs::file_status status = fs::status(dir, ec);
    if (!fs::exists(status)) {
        fs::create_directories(dir, ec);
        if (ec)
            throw Error(SqlState::IoError,
                        "EXPORT DATABASE: could not create directory \"" + dir.string() + "\": " + ec.message());
        return true;
    }
    if (!fs::is_directory(status))
        throw Error(SqlState::IoError, "EXPORT DATABASE: \"" + dir.string() + "\" exists and is not a directory");
    bool empty = fs::is_empty(dir, ec);
    if (ec)
        throw Error(SqlState::IoError, "EXPORT DATABASE: could not read directory \"" + dir.string() + "\": " +
                                           ec.message());
    if (!empty && !fs::exists(dir / kSchemaFile, ec) && !fs::exists(dir / kLoadFile, ec))
        throw Error(SqlState::IoError, "EXPORT DATABASE: directory \"" + dir.string() +
                                           "\" is not empty and holds no earlier export; name a new or empty directory");
    // Without load.sql the directory is an unfinished export until this one completes.
    fs::remove(dir / kLoadFile, ec);
    if (ec)
        throw Error(SqlState::IoError, "EXPORT DATABASE: could not replace \"" + (dir / kLoadFile).string() +
                                           "\": " + ec.message());
    return false;
}

// Statements an import script may run: the ones that create objects or load
// rows, all undone with the IMPORT statement if it fails.
bool AllowedInImport(const ast::Statement& stmt) {
    using K = ast::StatementKind;
    switch (stmt.kind) {
    case K::Copy: return static_cast<const ast::CopyStatement&>(stmt).from;
    case K::Select:
    case K::CreateTable:
    case K::CreateView:
    case K::CreateIndex:
    case K::CreateFunction:
    case K::CreateTrigger:
    case K::CreateSchema:
    case K::Drop:
    case K::AlterTable:
    case K::Insert:
    case K::Update:
    case K::Delete: return true;
    default: return false;
    }
}

// How an error names a statement: its first keyword ("COMMIT", "ATTACH"), and "COPY ... TO".
std::string StatementName(const ast::Statement& stmt) {
    if (stmt.kind == ast::StatementKind::Copy) return "COPY ... TO";
    std::string word;
    for (char c : stmt.text) {
        if (std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ';') {
            if (!word.empty()) break;
            continue;
        }
        word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return word;
}

}  // namespace

std::shared_ptr<QueryResultData> ClientContext::ExportDatabase(const ast::ExportDatabaseStatement& stmt,
                                                               StatementEnv& env) {
    if (stmt.path.empty()) throw Error(SqlState::InvalidParameterValue, "EXPORT DATABASE: name a directory", stmt.pos);
    storage::CsvOptions defaults;
    defaults.header = true;
    storage::CsvOptions options = ParseCopyOptions(stmt.options, defaults, env, stmt.pos);
    storage::Catalog& catalog = Catalog();
    const fs::path dir(stmt.path);
    bool created = PrepareExportDirectory(dir);
    std::vector<fs::path> written;
    try {
        NameWriter name;
        std::set<std::string> index_names;
        for (const storage::IndexEntry* index : catalog.Indexes())
            if (index->unique) index_names.insert(index->name);

        /*----- data files, one per table, through COPY TO -----*/
        std::string load = "-- Grizzly EXPORT DATABASE: the rows of every table, then the triggers.\n"
                           "-- File names are relative to this directory (IMPORT DATABASE reads them there).\n";
        std::set<std::string> used_files;
        for (storage::TableEntry* table : catalog.Tables()) {
            std::string file = DataFileName(table->Name(), used_files);
            ast::CopyStatement copy;
            copy.pos = stmt.pos;
            copy.from = false;
            copy.table = {table->Name()};
            copy.path = (dir / file).string();
            written.push_back(dir / file);
            CopyTo(copy, options, env);
            load += "COPY " + name(table->Name()) + " FROM " + QuoteLiteral(file) + " " + OptionsSql(options) + ";\n";
        }
        std::vector<const storage::TriggerEntry*> triggers = catalog.Triggers();
        if (!triggers.empty()) load += "\n";
        for (const storage::TriggerEntry* trigger : triggers) load += CreateTriggerSql(*trigger, name) + ";\n";

        /*----- schema.sql -----*/
        std::string schema = "-- Grizzly EXPORT DATABASE: functions, tables, views and indexes.\n";
        auto section = [&](const std::vector<std::string>& statements) {
            if (statements.empty()) return;
            schema += "\n";
            for (const std::string& sql : statements) schema += sql + ";\n";
        };
        std::vector<std::string> statements;
        for (const storage::MacroEntry* macro : catalog.Macros()) statements.push_back(CreateMacroSql(*macro, name));
        section(statements);
        statements.clear();
        for (storage::TableEntry* table : catalog.Tables())
            statements.push_back(CreateTableSql(*table, index_names, name));
        section(statements);
        statements.clear();
        for (const storage::ViewEntry* view : OrderViews(catalog.Views())) statements.push_back(CreateViewSql(*view, name));
        section(statements);
        statements.clear();
        for (const storage::IndexEntry* index : catalog.Indexes())
            statements.push_back(CreateIndexSql(*index, catalog.GetTable(index->table), name));
        section(statements);

        written.push_back(dir / kSchemaFile);
        WriteTextFile(dir / kSchemaFile, schema);
        written.push_back(dir / kLoadFile);
        WriteTextFile(dir / kLoadFile, load);
    } catch (const Error&) {
        // Leave no half-written export behind (only what this statement wrote or created).
        std::error_code ignored;
        if (created) fs::remove_all(dir, ignored);
        else
            for (const fs::path& path : written) fs::remove(path, ignored);
        throw;
    }
    return TaggedResult("EXPORT DATABASE");
}

std::shared_ptr<QueryResultData> ClientContext::ImportDatabase(const ast::ImportDatabaseStatement& stmt,
                                                               StatementEnv& env) {
    const fs::path dir(stmt.path);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(SqlState::UndefinedFile,
                    "IMPORT DATABASE: directory \"" + stmt.path + "\" does not exist", stmt.pos);
    // Both scripts are read before either runs, so a missing one changes nothing.
    std::string scripts[2];
    const char* files[2] = {kSchemaFile, kLoadFile};
    for (int idx = 0; idx < 2; ++idx) {
        fs::path path = dir / files[idx];
        if (!fs::exists(path, ec))
            throw Error(SqlState::UndefinedFile, "IMPORT DATABASE: \"" + path.string() +
                                                     "\" does not exist (not a complete EXPORT DATABASE directory)",
                        stmt.pos);
        scripts[idx] = ReadTextFile(path);
    }
    int64_t rows = 0;
    for (int idx = 0; idx < 2; ++idx) {
        const std::string where = "IMPORT DATABASE: " + (dir / files[idx]).string() + ", line ";
        std::vector<ast::StatementPtr> statements;
        try {
            statements = frontend::ParseSql(scripts[idx]);
        } catch (const Error& e) {
            throw Error(e.State(), where + std::to_string(e.Pos().line) + ": " + e.Message());
        }
        for (ast::StatementPtr& statement : statements) {
            std::string context = where + std::to_string(statement->pos.line) + ": ";
            if (!AllowedInImport(*statement))
                throw Error(SqlState::FeatureNotSupported,
                            context + StatementName(*statement) + " is not allowed in an import script");
            std::string data_file;
            if (statement->kind == ast::StatementKind::Copy) {
                auto& copy = static_cast<ast::CopyStatement&>(*statement);
                if (fs::path(copy.path).is_relative()) copy.path = (dir / copy.path).string();
                data_file = copy.path;
            }
            try {
                rows += Dispatch(*statement, env)->rows_changed;
            } catch (const Error& e) {
                // A COPY's own errors name its table and line; add the file when they do not.
                if (!data_file.empty() && e.Message().find(data_file) == std::string::npos)
                    context += "loading \"" + data_file + "\": ";
                throw Error(e.State(), context + e.Message());
            }
        }
    }
    return TaggedResult("IMPORT DATABASE", rows);
}

}  // namespace grizzly
