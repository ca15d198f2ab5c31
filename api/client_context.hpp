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

/// What every connection of a database shares.
class DatabaseInstance {
public:
    /// Bytes of compiled code the shape cache keeps (least recently used evicted first).
    static constexpr size_t kShapeCacheBytes = size_t(64) << 20;

    storage::Catalog catalog;
    /// Statements that change the catalog take it exclusively, all others shared, so no
    /// statement sees a table freed or a column list changing under it.
    std::shared_mutex schema_lock;
    /// Compiled pipelines by shape, shared by every connection (DESIGN.md, "Shape cache").
    /// Keys name column positions and types, so code never runs against a changed layout.
    /// TODO(codegen): key by the touched tables' schema versions too and drop entries on DDL.
    codegen::ShapeCache shape_cache{kShapeCacheBytes};
    /// The database file, or null for an in-memory database.
    std::unique_ptr<storage::DatabaseFile> file;
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

/// How a statement runs: at top level, or as a trigger body with NEW/OLD rows.
struct StatementEnv {
    storage::TableEntry* trigger_table = nullptr;
    bool has_new = false;
    bool has_old = false;
    std::vector<Value> parameters;
};

class ClientContext {
public:
    explicit ClientContext(DatabaseInstance& db);
    /// Rolls back an open transaction.
    ~ClientContext();

    /// Parses and runs `sql`; stops at the first error when `stop_on_error`.
    std::vector<Result> Run(std::string_view sql, bool stop_on_error);
    /// See Connection::Interrupt / Connection::Progress.
    void Interrupt() { interrupt_.requested.store(true, std::memory_order_relaxed); }
    double Progress() const;

private:
    DatabaseInstance& db_;
    storage::UndoLog undo_;
    storage::Transaction txn_;
    bool in_transaction_ = false;
    int64_t lock_timeout_ms_ = 0;  ///< SET lock_timeout: how long a writer waits for another
    bool transaction_failed_ = false;
    int trigger_depth_ = 0;
    std::map<std::string, std::string> settings_;
    ir::OptimizerContext optimizer_;
    runtime::InterruptState interrupt_;
    CodegenPipelineCompiler pipeline_compiler_;

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

    // call.cpp
    std::shared_ptr<QueryResultData> Call(const ast::CallStatement& stmt, StatementEnv& env);

    // copy.cpp
    std::shared_ptr<QueryResultData> Copy(const ast::CopyStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> CopyFrom(const ast::CopyStatement& stmt, const storage::CsvOptions& options,
                                              StatementEnv& env);
    std::shared_ptr<QueryResultData> CopyTo(const ast::CopyStatement& stmt, const storage::CsvOptions& options,
                                            StatementEnv& env);

    // dml.cpp
    std::shared_ptr<QueryResultData> Insert(const ast::InsertStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> Update(const ast::UpdateStatement& stmt, StatementEnv& env);
    std::shared_ptr<QueryResultData> Delete(const ast::DeleteStatement& stmt, StatementEnv& env);
    /// Appends checked rows to `table` (NOT NULL, CHECK, UNIQUE), firing triggers.
    int64_t AppendRows(storage::TableEntry& table, const runtime::ChunkCollection& rows, int on_conflict);
    int64_t AppendChunk(storage::TableEntry& table, const DataChunk& chunk, int on_conflict);
    void CheckRow(storage::TableEntry& table, const DataChunk& chunk, const std::vector<uint32_t>& rows);
    void FireTriggers(storage::TableEntry& table, int timing, int event, const std::vector<Value>* new_row,
                      const std::vector<Value>* old_row, const std::vector<uint32_t>* updated_columns = nullptr);
};

}  // namespace grizzly
