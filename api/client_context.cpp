#include "api/client_context.hpp"

#include <chrono>

#include "runtime/scheduler.hpp"

namespace grizzly {

ClientContext::ClientContext(DatabaseInstance& db) : db_(db), pipeline_compiler_(db.shape_cache, db.background_compiler) {
    settings_["execution_mode"] = "adaptive";
    settings_["threads"] = std::to_string(runtime::Scheduler::DefaultThreads());
    settings_["jit_optimize"] = "on";
    settings_["jit_above_rows"] = std::to_string(runtime::ExecutionContext().jit_above_rows);
    settings_["memory_limit"] = std::to_string(memory_limit_);
    optimizer_.evaluate = [this](const ir::Expr& expr) {
        runtime::ExecutionContext ctx;
        ctx.optimizer = &optimizer_;
        return runtime::EvaluateConstant(expr, ctx);
    };
}

ClientContext::~ClientContext() {
    if (!in_transaction_) return;
    std::unique_lock<std::shared_mutex> schema(db_.schema_lock);
    storage::TransactionScope scope(&txn_);
    Rollback();
}

namespace {

// Statements that change rows or objects: they take the writer lock before they start.
// For EXECUTE, RunStatement asks about the prepared statement instead (StatementToRun).
bool IsWrite(const ast::Statement& stmt) {
    using K = ast::StatementKind;
    switch (stmt.kind) {
    case K::Copy: return static_cast<const ast::CopyStatement&>(stmt).from;
    case K::Insert:
    case K::Update:
    case K::Delete:
    case K::CreateTable:
    case K::CreateView:
    case K::CreateIndex:
    case K::CreateTrigger:
    case K::CreateFunction:
    case K::Drop:
    case K::AlterTable:
    case K::Call:
    case K::Checkpoint:
    case K::Vacuum:
    case K::ImportDatabase: return true;
    default: return false;
    }
}

// The name of the object a writing statement changes, which says which database it writes.
const std::vector<std::string>* WriteTarget(const ast::Statement& stmt) {
    using K = ast::StatementKind;
    switch (stmt.kind) {
    case K::Copy: return &static_cast<const ast::CopyStatement&>(stmt).table;
    case K::Insert: return &static_cast<const ast::InsertStatement&>(stmt).table;
    case K::Update: return &static_cast<const ast::UpdateStatement&>(stmt).table;
    case K::Delete: return &static_cast<const ast::DeleteStatement&>(stmt).table;
    case K::CreateTable: return &static_cast<const ast::CreateTableStatement&>(stmt).names;
    case K::CreateView: return &static_cast<const ast::CreateViewStatement&>(stmt).names;
    case K::CreateIndex: return &static_cast<const ast::CreateIndexStatement&>(stmt).table;
    case K::CreateTrigger: return &static_cast<const ast::CreateTriggerStatement&>(stmt).table;
    case K::CreateFunction: return &static_cast<const ast::CreateFunctionStatement&>(stmt).names;
    case K::AlterTable: return &static_cast<const ast::AlterTableStatement&>(stmt).table;
    case K::Drop: {
        auto& names = static_cast<const ast::DropStatement&>(stmt).names;
        return names.empty() ? nullptr : &names[0];
    }
    default: return nullptr;
    }
}

// Statements that change the catalog's objects (transaction control may undo such changes).
bool ChangesCatalog(const ast::Statement& stmt) {
    using K = ast::StatementKind;
    switch (stmt.kind) {
    case K::CreateTable:
    case K::CreateView:
    case K::CreateIndex:
    case K::CreateTrigger:
    case K::CreateFunction:
    case K::Drop:
    case K::AlterTable:
    case K::Call:
    case K::Transaction:
    case K::ImportDatabase:
    case K::Attach:
    case K::Detach:
    case K::CreateDatabase: return true;
    default: return false;
    }
}

}  // namespace

std::vector<Result> ClientContext::Run(std::string_view sql, bool stop_on_error) {
    std::vector<Result> results;
    std::vector<ast::StatementPtr> statements;
    try {
        statements = frontend::ParseSql(sql);
    } catch (const Error& e) {
        if (in_transaction_) transaction_failed_ = true;
        results.emplace_back(e);
        return results;
    }
    for (auto& stmt : statements) {
        results.push_back(RunStatement(*stmt));
        if (!results.back().Ok() && stop_on_error) break;
    }
    return results;
}

Result ClientContext::RunStatement(const ast::Statement& stmt) {
    bool is_txn = stmt.kind == ast::StatementKind::Transaction;
    if (transaction_failed_ && !is_txn)
        return Result(Error(SqlState::InFailedSqlTransaction,
                            "current transaction is aborted, commands ignored until end of transaction block"));
    storage::TransactionScope scope(&txn_);
    // An autocommit statement is a transaction of its own, with a fresh snapshot.
    if (!in_transaction_) txn_.ResetSnapshot();
    // The writer lock is taken before the schema lock: a writer waiting for another must not
    // hold up that one's COMMIT.
    // EXECUTE of a prepared INSERT, UPDATE or DELETE writes as that statement does.
    const ast::Statement& runs = StatementToRun(stmt);
    if (IsWrite(runs)) {
        try {
            const std::vector<std::string>* target = WriteTarget(runs);
            storage::Catalog* catalog;
            {
                std::shared_lock<std::shared_mutex> databases(db_.schema_lock);
                catalog = &(target ? DatabaseOf(*target, stmt.pos) : CurrentDatabase()).catalog;
            }
            txn_.BeginWrite(catalog->Transactions(), std::chrono::milliseconds(lock_timeout_ms_));
        } catch (const Error& e) {
            if (in_transaction_) transaction_failed_ = true;
            return Result(e.WithPos(stmt.pos));
        }
    }
    std::shared_lock<std::shared_mutex> shared_schema(db_.schema_lock, std::defer_lock);
    std::unique_lock<std::shared_mutex> exclusive_schema(db_.schema_lock, std::defer_lock);
    if (ChangesCatalog(stmt)) exclusive_schema.lock();
    else shared_schema.lock();
    size_t savepoint = undo_.Savepoint();
    interrupt_.requested.store(false, std::memory_order_relaxed);
    interrupt_.rows_scanned.store(0, std::memory_order_relaxed);
    interrupt_.rows_to_scan.store(0, std::memory_order_relaxed);
    try {
        StatementEnv env;
        auto data = Dispatch(stmt, env);
        if (!in_transaction_) Commit();
        return Result(std::move(data));
    } catch (const Error& e) {
        undo_.RollbackTo(savepoint);
        if (in_transaction_) transaction_failed_ = true;
        else txn_.Abort();
        return Result(e.WithPos(stmt.pos));
    } catch (const std::bad_alloc&) {
        undo_.RollbackTo(savepoint);
        if (in_transaction_) transaction_failed_ = true;
        else txn_.Abort();
        return Result(Error(SqlState::OutOfMemory, "out of memory"));
    }
}

void ClientContext::Commit() {
    for (auto& [name, database] : db_.databases) {
        if (!database->file || !txn_.IsWriting(database->catalog.Transactions())) continue;
        try {
            database->file->Commit(undo_, database->catalog);
        } catch (const Error&) {
            Rollback();
            throw;
        }
    }
    txn_.Commit();
    undo_.Clear();
}

void ClientContext::Rollback() {
    undo_.RollbackTo(0);
    undo_.Clear();
    txn_.Abort();
}

frontend::BinderShared ClientContext::MakeBinderShared(const StatementEnv& env) {
    frontend::BinderShared shared{&Catalog(), 0, {}, nullptr, false, false, 0, optimizer_.evaluate, {}};
    shared.resolve = [this](const std::vector<std::string>& names, SourcePos pos) -> storage::Catalog* {
        if (names.size() < 3 && !db_.Find(names[0])) return nullptr;  // schema.name: the current database
        return &DatabaseOf(names, pos).catalog;
    };
    shared.trigger_table = env.trigger_table;
    shared.trigger_has_new = env.has_new;
    shared.trigger_has_old = env.has_old;
    for (auto& p : env.parameters) shared.parameter_types.push_back(p.Type());
    return shared;
}

runtime::ExecutionContext ClientContext::MakeExecutionContext(const StatementEnv& env) {
    runtime::ExecutionContext ctx;
    ctx.parameters = env.parameters;
    ctx.optimizer = &optimizer_;
    ctx.interrupt = &interrupt_;
    ctx.top_level = env.trigger_table == nullptr;
    const std::string& mode = settings_.at("execution_mode");
    ctx.mode = mode == "jit"        ? runtime::ExecutionMode::Jit
               : mode == "adaptive" ? runtime::ExecutionMode::Adaptive
                                    : runtime::ExecutionMode::Interpret;
    ctx.jit_optimize = settings_.at("jit_optimize") == "on";
    ctx.jit_above_rows = std::stoull(settings_.at("jit_above_rows"));
    ctx.compiler = &pipeline_compiler_;
    ctx.threads = std::stoul(settings_.at("threads"));
    ctx.memory = std::make_shared<runtime::MemoryTracker>(memory_limit_);
    return ctx;
}

double ClientContext::Progress() const {
    uint64_t total = interrupt_.rows_to_scan.load(std::memory_order_relaxed);
    if (total == 0) return -1;
    double done = static_cast<double>(interrupt_.rows_scanned.load(std::memory_order_relaxed));
    return std::min(1.0, done / static_cast<double>(total));
}

runtime::ChunkCollection ClientContext::ExecuteLogical(const ir::LogicalOperator& plan, const StatementEnv& env) {
    runtime::ExecutionContext ctx = MakeExecutionContext(env);
    ir::PhysicalPlan physical = runtime::PlanQuery(plan, {}, ctx);
    return runtime::ExecutePlan(physical, ctx);
}

std::shared_ptr<QueryResultData> ClientContext::ExecuteSelect(const ast::SelectStatement& stmt, StatementEnv& env) {
    frontend::BinderShared shared = MakeBinderShared(env);
    frontend::Binder binder(shared);
    ir::BoundQuery bound = binder.BindQuery(*stmt.query);
    auto data = TaggedResult("SELECT");
    data->names = bound.names;
    data->types = bound.types;
    data->rows = ExecuteLogical(*bound.plan, env);
    data->rows.SetTypes(bound.types);
    return data;
}

std::shared_ptr<QueryResultData> ClientContext::ExecuteExplain(const ast::ExplainStatement& stmt, StatementEnv& env) {
    if (stmt.statement->kind != ast::StatementKind::Select)
        throw Error::NotSupported("EXPLAIN of statements other than SELECT");
    frontend::BinderShared shared = MakeBinderShared(env);
    frontend::Binder binder(shared);
    ir::BoundQuery bound = binder.BindQuery(*static_cast<const ast::SelectStatement&>(*stmt.statement).query);
    std::string text = "Logical plan:\n" + bound.plan->ToString();
    runtime::ExecutionContext ctx = MakeExecutionContext(env);
    ir::LogicalOpPtr optimized = ir::Optimize(bound.plan->Copy(), optimizer_);
    text += "Optimized plan:\n" + optimized->ToString();
    ir::PhysicalPlan physical = ir::CreatePhysicalPlan(*optimized, bound.names);
    text += "Physical plan:\n" + physical.ToString();
    text += "Pipelines: " + std::to_string(physical.pipelines.size()) + "\n";
    if (stmt.explain == ast::ExplainKind::Codegen) text += ExplainCodegen(physical);
    if (stmt.explain == ast::ExplainKind::Analyze) {
        auto start = std::chrono::steady_clock::now();
        std::vector<std::string> executors;
        runtime::ChunkCollection rows = runtime::ExecutePlan(physical, ctx, &executors);
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        for (size_t i = 0; i < executors.size(); ++i)
            text += "Pipeline " + std::to_string(i) + ": " + executors[i] + "\n";
        text += "Rows: " + std::to_string(rows.RowCount()) + "\nTime: " + std::to_string(ms) + " ms\n";
    }
    auto data = TaggedResult("EXPLAIN");
    data->names = {"explain"};
    data->types = {LogicalType(TypeId::Varchar)};
    data->rows.SetTypes(data->types);
    // One row per line, so that shells and clients show the plan as a readable column.
    std::vector<std::string> lines;
    for (size_t start = 0; start < text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    DataChunk chunk;
    chunk.Initialize(data->types, std::max<size_t>(lines.size(), 1));
    for (size_t i = 0; i < lines.size(); ++i) chunk.columns[0].SetValue(i, Value::Varchar(lines[i]));
    chunk.size = lines.size();
    data->rows.Append(chunk);
    return data;
}

std::shared_ptr<QueryResultData> ClientContext::Dispatch(const ast::Statement& stmt, StatementEnv& env) {
    using K = ast::StatementKind;
    switch (stmt.kind) {
    case K::Select: return ExecuteSelect(static_cast<const ast::SelectStatement&>(stmt), env);
    case K::Explain: return ExecuteExplain(static_cast<const ast::ExplainStatement&>(stmt), env);
    case K::CreateTable: return CreateTable(static_cast<const ast::CreateTableStatement&>(stmt), env);
    case K::CreateView: return CreateView(static_cast<const ast::CreateViewStatement&>(stmt));
    case K::CreateIndex: return CreateIndex(static_cast<const ast::CreateIndexStatement&>(stmt));
    case K::CreateTrigger: return CreateTrigger(static_cast<const ast::CreateTriggerStatement&>(stmt));
    case K::CreateFunction: return CreateFunction(static_cast<const ast::CreateFunctionStatement&>(stmt));
    case K::Drop: return Drop(static_cast<const ast::DropStatement&>(stmt));
    case K::AlterTable: return AlterTable(static_cast<const ast::AlterTableStatement&>(stmt));
    case K::Insert: return Insert(static_cast<const ast::InsertStatement&>(stmt), env);
    case K::Update: return Update(static_cast<const ast::UpdateStatement&>(stmt), env);
    case K::Delete: return Delete(static_cast<const ast::DeleteStatement&>(stmt), env);
    case K::Describe: return Describe(static_cast<const ast::DescribeStatement&>(stmt), env);
    case K::Show: return Show(static_cast<const ast::ShowStatement&>(stmt));
    case K::Set: return Set(static_cast<const ast::SetStatement&>(stmt));
    case K::Pragma: return Pragma(static_cast<const ast::PragmaStatement&>(stmt));
    case K::Transaction: {
        auto& t = static_cast<const ast::TransactionStatement&>(stmt);
        if (env.trigger_table) throw Error(SqlState::InvalidTransactionState, "transaction control is not allowed in a trigger");
        switch (t.op) {
        case ast::TransactionOp::Begin:
            // A nested BEGIN is only a warning in PostgreSQL; the transaction goes on.
            if (in_transaction_) return TaggedResult("BEGIN");
            in_transaction_ = true;
            transaction_failed_ = false;
            return TaggedResult("BEGIN");
        case ast::TransactionOp::Commit: {
            if (!in_transaction_) return TaggedResult("COMMIT");  // a warning in PostgreSQL, not an error
            bool failed = transaction_failed_;
            in_transaction_ = false;
            transaction_failed_ = false;
            // COMMIT of a failed transaction rolls it back, as in PostgreSQL.
            if (failed) Rollback();
            else Commit();
            return TaggedResult(failed ? "ROLLBACK" : "COMMIT");
        }
        case ast::TransactionOp::Rollback:
            if (!in_transaction_) return TaggedResult("ROLLBACK");
            Rollback();
            in_transaction_ = false;
            transaction_failed_ = false;
            return TaggedResult("ROLLBACK");
        }
        break;
    }
    case K::Checkpoint:
        if (in_transaction_)
            throw Error(SqlState::ActiveSqlTransaction, "CHECKPOINT cannot run inside a transaction block", stmt.pos);
        if (auto& file = CurrentDatabase().file) file->Checkpoint(Catalog());
        return TaggedResult("CHECKPOINT");
    case K::CreateDatabase: return CreateDatabase(static_cast<const ast::CreateDatabaseStatement&>(stmt));
    case K::Attach: return Attach(static_cast<const ast::AttachStatement&>(stmt));
    case K::Detach: return Detach(static_cast<const ast::DetachStatement&>(stmt));
    case K::Use: return Use(static_cast<const ast::UseStatement&>(stmt));
    case K::Vacuum: return Vacuum(static_cast<const ast::VacuumStatement&>(stmt));
    case K::Backup: return Backup(static_cast<const ast::BackupStatement&>(stmt));
    case K::ExportDatabase: return ExportDatabase(static_cast<const ast::ExportDatabaseStatement&>(stmt), env);
    case K::ImportDatabase: return ImportDatabase(static_cast<const ast::ImportDatabaseStatement&>(stmt), env);
    case K::Prepare: return Prepare(static_cast<const ast::PrepareStatement&>(stmt), env);
    case K::Execute: return Execute(static_cast<const ast::ExecuteStatement&>(stmt), env);
    case K::Deallocate: return Deallocate(static_cast<const ast::DeallocateStatement&>(stmt));
    case K::Copy: return Copy(static_cast<const ast::CopyStatement&>(stmt), env);
    case K::Call: return Call(static_cast<const ast::CallStatement&>(stmt), env);
    case K::CreateSchema: throw Error::NotSupported("CREATE SCHEMA", stmt.pos);
    }
    throw Error::Internal("unknown statement");
}

}  // namespace grizzly
