#pragma once
/// Statement execution for one connection: parse, bind, optimize, plan, run;
/// DDL and DML application with constraints and triggers; transactions through
/// the catalog's undo log. Every statement is atomic: on error everything it
/// did is rolled back before the error is returned.

#include <atomic>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "api/pipeline_compiler.hpp"
#include "codegen/codegen.hpp"
#include "frontend/frontend.hpp"
#include "runtime/runtime.hpp"
#include "storage/storage.hpp"

namespace grizzly {

/// One database of an instance: the one it was opened on, or one ATTACHed later.
struct AttachedDatabase {
    std::string name;
    storage::Catalog catalog;
    /// The database file, or null for an in-memory database.
    std::unique_ptr<storage::DatabaseFile> file;

    /// Opens `path` (empty or ":memory:": a new in-memory database).
    static std::unique_ptr<AttachedDatabase> Open(std::string name, const std::string& path, bool read_only);
    /// The name a database at `path` gets when none is given: the file name without its extension.
    static std::string DefaultName(const std::string& path);
    bool ReadOnly() { return catalog.Transactions().ReadOnly(); }
};

/// What every connection of a database shares.
class DatabaseInstance {
public:
    /// Bytes of compiled code the shape cache keeps (least recently used evicted first).
    static constexpr size_t kShapeCacheBytes = size_t(64) << 20;

    /// Statements that change a catalog or the set of databases take it exclusively, all
    /// others shared, so no statement sees a table freed or a column list changing under it.
    std::shared_mutex schema_lock;
    /// Every database by name; changed only under an exclusive schema_lock.
    std::map<std::string, std::unique_ptr<AttachedDatabase>> databases;
    /// The database opened first; unqualified names resolve there unless a connection USEs another.
    std::string default_database;
    /// Compiled pipelines by shape, shared by every connection (DESIGN.md, "Shape cache").
    /// Keyed by shape, the scanned tables' ids and schema versions and the host CPU; DDL
    /// on a table removes its entries (ClientContext::InvalidateShapes). SET jit_cache_size
    /// resizes it for every connection.
    codegen::ShapeCache shape_cache{kShapeCacheBytes};
    /// Adaptive mode's compiles run here while queries go on in the interpreter. Declared
    /// after shape_cache: it is joined before the cache it fills is freed.
    codegen::BackgroundCompiler background_compiler;

    AttachedDatabase* Find(const std::string& name) {
        auto it = databases.find(name);
        return it == databases.end() ? nullptr : it->second.get();
    }
    AttachedDatabase& Default() { return *databases.at(default_database); }
};

/// A materialized statement result.
class QueryResultData {
public:
    std::vector<std::string> names;
    std::vector<LogicalType> types;
    runtime::ChunkCollection rows;
    int64_t rows_changed = 0;
    std::string tag;
};

/// A result with no rows: a statement tag and the number of rows it changed.
inline std::shared_ptr<QueryResultData> TaggedResult(std::string tag, int64_t rows_changed = 0) {
    auto data = std::make_shared<QueryResultData>();
    data->tag = std::move(tag);
    data->rows_changed = rows_changed;
    return data;
}

/// A result table whose column types are those of the first row's values.
std::shared_ptr<QueryResultData> TextTable(std::vector<std::string> names, const std::vector<std::vector<Value>>& rows);

/// `name` as a double-quoted SQL identifier, `text` as a single-quoted string
/// literal, and a dotted name of quoted identifiers.
std::string QuoteIdentifier(const std::string& name);
std::string QuoteLiteral(const std::string& text);
std::string QuoteQualifiedName(const std::vector<std::string>& names);

/// How a statement runs: at top level, or as a trigger body with NEW/OLD rows.
struct StatementEnv {
    storage::TableEntry* trigger_table = nullptr;
    bool has_new = false;
    bool has_old = false;
    std::vector<Value> parameters;
};

/// A prepared statement (prepared.cpp): PREPARE name [(types)] AS statement, or
/// Connection::Prepare. Bound and optimized once; EXECUTE plans the kept logical
/// plan physically, and binds `statement` again only when the catalogs or a table
/// the plan reads changed since (PostgreSQL re-plans the same way).
struct PreparedStatementData {
    PreparedStatementData();
    ~PreparedStatementData();

    std::string name;  ///< empty for Connection::Prepare
    /// SELECT, INSERT, UPDATE or DELETE, owned here (parsed again from the PREPARE's text).
    ast::StatementPtr statement;
    /// One per parameter, fixed at PREPARE: declared, or inferred from the parameter's context.
    std::vector<LogicalType> parameter_types;
    /// Times the statement was bound (1 after PREPARE).
    size_t bind_count = 0;
    /// The optimized plan and the catalog and table versions it was bound against. Shared: an
    /// execution keeps the plan it runs even when a statement it runs (a trigger) binds it anew.
    struct Plan;
    std::shared_ptr<const Plan> plan;
};

class ClientContext {
public:
    explicit ClientContext(DatabaseInstance& db);
    /// Rolls back an open transaction.
    ~ClientContext();

    /// The database unqualified names resolve in (USE), or the default one.
    AttachedDatabase& CurrentDatabase();
    storage::Catalog& Catalog() { return CurrentDatabase().catalog; }
    /// The database holding the object a possibly qualified name ([database.][schema.]name) refers to.
    AttachedDatabase& DatabaseOf(const std::vector<std::string>& names, SourcePos pos);

    /// Parses and runs `sql`; stops at the first error when `stop_on_error`.
    std::vector<Result> Run(std::string_view sql, bool stop_on_error);
    /// Connection::Prepare and PreparedStatement::Execute (prepared.cpp): run as an unnamed
    /// PREPARE / EXECUTE statement would. `out` is set when the result is Ok.
    Result PrepareSql(std::string_view sql, std::shared_ptr<PreparedStatementData>& out);
    Result ExecutePrepared(const std::shared_ptr<PreparedStatementData>& prepared, const std::vector<Value>& args);
    /// See Connection::Interrupt / Connection::Progress.
    void Interrupt() { interrupt_.requested.store(true, std::memory_order_relaxed); }
    double Progress() const;

private:
    DatabaseInstance& db_;
    storage::UndoLog undo_;
    storage::Transaction txn_;
    std::string current_database_;  ///< USE; empty: the instance's default
    bool in_transaction_ = false;
    uint64_t memory_limit_ = runtime::DefaultMemoryLimit();  ///< SET memory_limit, in bytes, per statement
    int64_t lock_timeout_ms_ = 0;  ///< SET lock_timeout: how long a writer waits for another
    bool transaction_failed_ = false;
    int trigger_depth_ = 0;
    std::map<std::string, std::string> settings_;
    ir::OptimizerContext optimizer_;
    runtime::InterruptState interrupt_;
    CodegenPipelineCompiler pipeline_compiler_;
    /// PREPAREd statements by name; they outlive transactions, as in PostgreSQL.
    std::map<std::string, std::shared_ptr<PreparedStatementData>> prepared_;
    /// The synthetic PREPARE / EXECUTE statement that PrepareSql / ExecutePrepared are
    /// running, and the unnamed prepared statement it makes or runs.
    const ast::Statement* unnamed_statement_ = nullptr;
    std::shared_ptr<PreparedStatementData> unnamed_prepared_;

    Result RunStatement(const ast::Statement& stmt);
    /// Makes the changes in undo_ durable (database files) and visible to new snapshots;
    /// on error rolls them back and rethrows.
    void Commit();
    /// Undoes every change of the transaction and releases its locks.
    void Rollback();
    std::shared_ptr<QueryResultData> Dispatch(const ast::Statement& stmt, StatementEnv& env);

    // query execution
    runtime::ExecutionContext MakeExecutionContext(const StatementEnv& env);
    frontend::BinderShared MakeBinderShared(const StatementEnv& env);
    runtime::ChunkCollection ExecuteLogical(const ir::LogicalOperator& plan, const StatementEnv& env);
    std::shared_ptr<QueryResultData> ExecuteSelect(const ast::SelectStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> ExecuteExplain(const ast::ExplainStatement& stmt, StatementEnv& env);

    // ddl.cpp
    std::shared_ptr<QueryResultData> CreateTable(const ast::CreateTableStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> CreateView(const ast::CreateViewStatement& stmt);
    std::shared_ptr<QueryResultData> CreateIndex(const ast::CreateIndexStatement& stmt);
    std::shared_ptr<QueryResultData> CreateTrigger(const ast::CreateTriggerStatement& stmt);
    std::shared_ptr<QueryResultData> CreateFunction(const ast::CreateFunctionStatement& stmt);
    std::shared_ptr<QueryResultData> Drop(const ast::DropStatement& stmt);
    std::shared_ptr<QueryResultData> AlterTable(const ast::AlterTableStatement& stmt);
    std::shared_ptr<QueryResultData> Describe(const ast::DescribeStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> Show(const ast::ShowStatement& stmt);
    std::shared_ptr<QueryResultData> Set(const ast::SetStatement& stmt);
    std::shared_ptr<QueryResultData> Pragma(const ast::PragmaStatement& stmt);
    /// DDL changes `table`'s schema or drops it: bumps its schema version and removes
    /// its compiled shapes from the shape cache, and does both again if the statement
    /// is rolled back (the old schema comes back).
    void InvalidateShapes(storage::TableEntry& table);

    // maintenance.cpp
    std::shared_ptr<QueryResultData> Vacuum(const ast::VacuumStatement& stmt);
    std::shared_ptr<QueryResultData> Backup(const ast::BackupStatement& stmt);

    // databases.cpp
    std::shared_ptr<QueryResultData> Attach(const ast::AttachStatement& stmt);
    std::shared_ptr<QueryResultData> Detach(const ast::DetachStatement& stmt);
    std::shared_ptr<QueryResultData> Use(const ast::UseStatement& stmt);
    std::shared_ptr<QueryResultData> CreateDatabase(const ast::CreateDatabaseStatement& stmt);
    std::shared_ptr<QueryResultData> ShowDatabases();

    // prepared.cpp
    std::shared_ptr<QueryResultData> Prepare(const ast::PrepareStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> Execute(const ast::ExecuteStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> Deallocate(const ast::DeallocateStatement& stmt);
    /// The statement an EXECUTE runs (so that a prepared write takes the writer lock), else `stmt`.
    const ast::Statement& StatementToRun(const ast::Statement& stmt);
    /// Binds and optimizes `stmt` into `prepared.plan`; infers parameter types when `infer`.
    void BindPrepared(PreparedStatementData& prepared, const ast::Statement& stmt, bool infer);

    // call.cpp
    std::shared_ptr<QueryResultData> Call(const ast::CallStatement& stmt, StatementEnv& env);

    // copy.cpp
    std::shared_ptr<QueryResultData> Copy(const ast::CopyStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> CopyFrom(const ast::CopyStatement& stmt, const storage::CsvOptions& options,
                                              StatementEnv& env);
    std::shared_ptr<QueryResultData> CopyTo(const ast::CopyStatement& stmt, const storage::CsvOptions& options,
                                            StatementEnv& env);
    /// An option's value (COPY, EXPORT, ATTACH), evaluated as a constant; a bare option is true.
    Value OptionValue(const ast::CopyOption& option, StatementEnv& env);
    /// COPY's options (FORMAT, DELIMITER, QUOTE, ESCAPE, HEADER, NULL) applied over `options`.
    storage::CsvOptions ParseCopyOptions(const std::vector<ast::CopyOption>& given, storage::CsvOptions options,
                                         StatementEnv& env, SourcePos pos);

    // export_import.cpp
    /// EXPORT DATABASE 'dir': schema.sql, one data file per table (through CopyTo) and load.sql.
    std::shared_ptr<QueryResultData> ExportDatabase(const ast::ExportDatabaseStatement& stmt, StatementEnv& env);
    /// IMPORT DATABASE 'dir': runs schema.sql then load.sql as part of this statement.
    std::shared_ptr<QueryResultData> ImportDatabase(const ast::ImportDatabaseStatement& stmt, StatementEnv& env);

    // dml.cpp
    std::shared_ptr<QueryResultData> Insert(const ast::InsertStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> Update(const ast::UpdateStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> Delete(const ast::DeleteStatement& stmt, StatementEnv& env);
    /// UPDATE / DELETE of the rows a bound source plan produced ([row id, column values...]).
    std::shared_ptr<QueryResultData> ApplyUpdate(storage::TableEntry& table, const std::vector<uint32_t>& updated_columns,
                                                 const runtime::ChunkCollection& rows);
    std::shared_ptr<QueryResultData> ApplyDelete(storage::TableEntry& table, const runtime::ChunkCollection& rows);
    /// Appends checked rows to `table` (NOT NULL, CHECK, UNIQUE), firing triggers.
    int64_t AppendRows(storage::TableEntry& table, const runtime::ChunkCollection& rows, int on_conflict);
    int64_t AppendChunk(storage::TableEntry& table, const DataChunk& chunk, int on_conflict);
    void CheckRow(storage::TableEntry& table, const DataChunk& chunk, const std::vector<uint32_t>& rows);
    void FireTriggers(storage::TableEntry& table, int timing, int event, const std::vector<Value>* new_row,
                      const std::vector<Value>* old_row, const std::vector<uint32_t>* updated_columns = nullptr);
};

}  // namespace grizzly
