// Several databases in one instance: ATTACH, DETACH, USE, CREATE DATABASE,
// SHOW DATABASES, and how a qualified name finds its database.
#include <filesystem>

#include "api/client_context.hpp"
#include "api/table_expression.hpp"

namespace grizzly {

std::unique_ptr<AttachedDatabase> AttachedDatabase::Open(std::string name, const std::string& path, bool read_only) {
    auto database = std::make_unique<AttachedDatabase>();
    database->name = std::move(name);
    if (!path.empty() && path != ":memory:") database->file = storage::DatabaseFile::Open(path, database->catalog, read_only);
    if (read_only) database->catalog.Transactions().SetReadOnly("database \"" + database->name + "\"");
    return database;
}

std::string AttachedDatabase::DefaultName(const std::string& path) {
    if (path.empty() || path == ":memory:") return "memory";
    std::string stem = std::filesystem::path(path).stem().string();
    return stem.empty() ? "memory" : stem;
}

AttachedDatabase& ClientContext::CurrentDatabase() {
    if (!current_database_.empty())
        if (AttachedDatabase* database = db_.Find(current_database_)) return *database;
    return db_.Default();
}

AttachedDatabase& ClientContext::DatabaseOf(const std::vector<std::string>& names, SourcePos pos) {
    if (names.size() <= 1) return CurrentDatabase();
    if (names.size() > 3)
        throw Error(SqlState::SyntaxError, "improper qualified name (too many dotted names): " + QuoteQualifiedName(names),
                    pos);
    if (AttachedDatabase* database = db_.Find(names[0])) {
        if (names.size() == 3 && names[1] != "main" && names[1] != "public")
            throw Error(SqlState::UndefinedObject, "schema \"" + names[1] + "\" does not exist", pos);
        return *database;
    }
    if (names.size() == 3)
        throw Error(SqlState::UndefinedDatabase, "database \"" + names[0] + "\" does not exist", pos);
    if (names[0] != "main" && names[0] != "public")
        throw Error(SqlState::UndefinedObject, "schema or database \"" + names[0] + "\" does not exist", pos);
    return CurrentDatabase();
}

std::shared_ptr<QueryResultData> ClientContext::Attach(const ast::AttachStatement& stmt) {
    if (in_transaction_)
        throw Error(SqlState::ActiveSqlTransaction, "ATTACH cannot run inside a transaction block", stmt.pos);
    bool read_only = false;
    for (const ast::CopyOption& option : stmt.options) {
        StatementEnv env;
        if (option.name == "read_only" || option.name == "readonly")
            read_only = runtime::CastValue(OptionValue(option, env), LogicalType(TypeId::Boolean)).GetBool();
        else if (option.name == "type") continue;  // every attached file is a Grizzly database
        else throw Error(SqlState::SyntaxError, "unrecognized ATTACH option \"" + option.name + "\"", stmt.pos);
    }
    std::string name = stmt.alias.empty() ? AttachedDatabase::DefaultName(stmt.path) : stmt.alias;
    if (db_.Find(name)) {
        if (stmt.if_not_exists) return TaggedResult("ATTACH");
        throw Error(SqlState::DuplicateDatabase, "database \"" + name + "\" already exists", stmt.pos);
    }
    if (stmt.path != ":memory:" && !stmt.path.empty()) {
        std::error_code ec;
        for (auto& [other_name, other] : db_.databases)
            if (other->file && std::filesystem::equivalent(other->file->Path(), stmt.path, ec))
                throw Error(SqlState::DuplicateDatabase,
                            "database file \"" + stmt.path + "\" is already attached as \"" + other_name + "\"", stmt.pos);
    }
    db_.databases.emplace(name, AttachedDatabase::Open(name, stmt.path, read_only));
    return TaggedResult("ATTACH");
}

std::shared_ptr<QueryResultData> ClientContext::Detach(const ast::DetachStatement& stmt) {
    if (in_transaction_)
        throw Error(SqlState::ActiveSqlTransaction, "DETACH cannot run inside a transaction block", stmt.pos);
    AttachedDatabase* database = db_.Find(stmt.name);
    if (!database) {
        if (stmt.if_exists) return TaggedResult("DETACH");
        throw Error(SqlState::UndefinedDatabase, "database \"" + stmt.name + "\" does not exist", stmt.pos);
    }
    if (stmt.name == db_.default_database)
        throw Error(SqlState::ObjectInUse, "cannot detach database \"" + stmt.name + "\": it is the default database",
                    stmt.pos);
    storage::TransactionManager& transactions = database->catalog.Transactions();
    if (transactions.HasWriter())
        throw Error(SqlState::ObjectInUse,
                    "cannot detach database \"" + stmt.name + "\": a transaction is writing to it", stmt.pos);
    // Fold the log into the file, as closing the instance would.
    if (database->file) database->file->FoldLog(database->catalog);
    // Its tables go away with it, and so does the code compiled for them.
    for (storage::TableEntry* table : database->catalog.Tables()) db_.shape_cache.EraseTable(table->Id());
    db_.databases.erase(stmt.name);
    if (current_database_ == stmt.name) current_database_.clear();
    return TaggedResult("DETACH");
}

std::shared_ptr<QueryResultData> ClientContext::Use(const ast::UseStatement& stmt) {
    if (stmt.names.empty() || stmt.names.size() > 2)
        throw Error(SqlState::SyntaxError, "USE takes a database name, optionally with a schema", stmt.pos);
    const std::string& name = stmt.names[0];
    if (!db_.Find(name)) {
        // USE main / USE public name the current database's only schema.
        if (stmt.names.size() == 1 && (name == "main" || name == "public")) return TaggedResult("USE");
        throw Error(SqlState::UndefinedDatabase, "database \"" + name + "\" does not exist", stmt.pos);
    }
    if (stmt.names.size() == 2 && stmt.names[1] != "main" && stmt.names[1] != "public")
        throw Error(SqlState::UndefinedObject, "schema \"" + stmt.names[1] + "\" does not exist", stmt.pos);
    current_database_ = name;
    return TaggedResult("USE");
}

std::shared_ptr<QueryResultData> ClientContext::CreateDatabase(const ast::CreateDatabaseStatement& stmt) {
    if (in_transaction_)
        throw Error(SqlState::ActiveSqlTransaction, "CREATE DATABASE cannot run inside a transaction block", stmt.pos);
    // A bare name is a file of that name in the working directory.
    std::string path = stmt.path;
    if (std::filesystem::path(path).extension().empty()) path += ".griz";
    std::string name = AttachedDatabase::DefaultName(path);
    if (storage::FileExists(path) || db_.Find(name)) {
        if (stmt.if_not_exists) return TaggedResult("CREATE DATABASE");
        throw Error(SqlState::DuplicateDatabase,
                    storage::FileExists(path) ? "database file \"" + path + "\" already exists"
                                              : "database \"" + name + "\" already exists",
                    stmt.pos);
    }
    db_.databases.emplace(name, AttachedDatabase::Open(name, path, false));
    return TaggedResult("CREATE DATABASE");
}

std::shared_ptr<QueryResultData> ClientContext::ShowDatabases() {
    std::vector<std::vector<Value>> rows;
    for (auto& [name, database] : db_.databases)
        rows.push_back({Value::Varchar(name), Value::Varchar(database->file ? database->file->Path() : ":memory:"),
                        Value::Boolean(database->ReadOnly()), Value::Boolean(name == db_.default_database),
                        Value::Boolean(&CurrentDatabase() == database.get())});
    return TextTable({"database_name", "path", "read_only", "default", "current"}, rows);
}

}  // namespace grizzly
