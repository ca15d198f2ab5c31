// Prepared statements: PREPARE / EXECUTE / DEALLOCATE, and the C++ API's
// Connection::Prepare and PreparedStatement.
//
// PREPARE binds the statement once, inferring the type of every parameter it does
// not declare from the parameter's context (`a = $1` takes a's type, as a NULL
// literal would), optimizes the logical plan and keeps it together with what it was
// bound against: the version of every catalog of the instance (bumped by DDL), the
// connection's current database, and the identity and schema_version of every
// table the plan reads or writes. EXECUTE casts its arguments to the parameter
// types, binds the kept AST again when any of those changed (PostgreSQL re-plans the
// same way), then only plans the kept logical plan physically and runs it with the
// arguments as the $n parameters. Parameters stay parameter slots all the way into
// codegen, so executions with different arguments share one compiled shape.
#include <algorithm>
#include <functional>
#include <map>

#include "api/client_context.hpp"

namespace grizzly {

struct PreparedStatementData::Plan {
    ast::StatementKind kind = ast::StatementKind::Select;
    /// Optimized. SELECT: the query; INSERT: the rows to append; UPDATE / DELETE: [row id, values...].
    ir::LogicalOpPtr logical;
    std::vector<std::string> names;         ///< SELECT: output column names
    std::vector<LogicalType> types;         ///< output types of `logical`
    storage::TableEntry* table = nullptr;   ///< INSERT / UPDATE / DELETE: the target
    int on_conflict = 0;                    ///< INSERT: ast::OnConflict
    std::vector<uint32_t> updated_columns;  ///< UPDATE
    /// LIMIT / OFFSET read a parameter: physical planning needs them as constants.
    bool limit_reads_parameters = false;

    // What the plan was bound against; a change to any of it means binding again.
    struct CatalogStamp {
        std::string name;
        const storage::Catalog* catalog;
        uint64_t version;
    };
    struct TableStamp {
        storage::Catalog* catalog;
        std::string name;
        const storage::TableEntry* table;
        uint64_t id;
        uint64_t schema_version;
    };
    std::string current_database;
    std::vector<CatalogStamp> catalogs;
    std::vector<TableStamp> tables;
};

PreparedStatementData::PreparedStatementData() = default;
PreparedStatementData::~PreparedStatementData() = default;

namespace {

using OperatorVisitor = std::function<void(ir::LogicalOperator&)>;

void VisitOperators(ir::LogicalOperator& op, const OperatorVisitor& f);

void VisitSubqueryPlans(ir::Expr& expr, const OperatorVisitor& f) {
    if (expr.subquery) VisitOperators(*expr.subquery, f);
    for (auto& child : expr.children) VisitSubqueryPlans(*child, f);
    for (auto& outer : expr.correlated) VisitSubqueryPlans(*outer, f);
}

// Calls f on every operator of the tree, children before parents, including the
// operators of subquery plans inside expressions (before the operator holding them).
void VisitOperators(ir::LogicalOperator& op, const OperatorVisitor& f) {
    for (auto& child : op.children) VisitOperators(*child, f);
    ir::ForEachExpression(op, [&](ir::ExprPtr& expr) { VisitSubqueryPlans(*expr, f); });
    f(op);
}

void VisitNodes(const ir::Expr& expr, const std::function<void(const ir::Expr&)>& f) {
    f(expr);
    for (auto& child : expr.children) VisitNodes(*child, f);
    for (auto& outer : expr.correlated) VisitNodes(*outer, f);
}

bool IsUntypedParameter(const ir::Expr& expr) {
    return expr.type == ir::ExprType::Parameter && expr.depth == 0 && expr.return_type.id == TypeId::Null;
}

// Types the parameters `types` leaves NULL from a plan bound with them untyped: an
// untyped parameter under a cast takes the cast's type. A cast of a column that only
// passes parameters through (VALUES ($1, $2), SELECT $1) types those parameters, so
// INSERT INTO t VALUES ($1) gives $1 the column's type. The first cast met wins.
void InferParameterTypes(ir::LogicalOperator& plan, std::vector<LogicalType>& types) {
    std::map<ir::ColumnBinding, std::vector<uint32_t>> passed;
    auto parameters_of = [&](const ir::Expr& expr) -> std::vector<uint32_t> {
        if (IsUntypedParameter(expr)) return {expr.position};
        if (expr.type == ir::ExprType::ColumnRef && expr.depth == 0) {
            auto it = passed.find(expr.binding);
            if (it != passed.end()) return it->second;
        }
        return {};
    };
    VisitOperators(plan, [&](ir::LogicalOperator& op) {
        if (op.type == ir::LogicalOpType::Values) {
            const size_t width = op.column_types.size();
            for (size_t idx = 0; width > 0 && idx < op.expressions.size(); ++idx)
                for (uint32_t param : parameters_of(*op.expressions[idx]))
                    passed[{op.table_index, static_cast<uint32_t>(idx % width)}].push_back(param);
        } else if (op.type == ir::LogicalOpType::Projection) {
            for (size_t col = 0; col < op.expressions.size(); ++col)
                for (uint32_t param : parameters_of(*op.expressions[col]))
                    passed[{op.table_index, static_cast<uint32_t>(col)}].push_back(param);
        }
    });
    VisitOperators(plan, [&](ir::LogicalOperator& op) {
        ir::ForEachExpression(op, [&](ir::ExprPtr& expr) {
            VisitNodes(*expr, [&](const ir::Expr& node) {
                if (node.type != ir::ExprType::Cast || node.return_type.id == TypeId::Null) return;
                for (uint32_t param : parameters_of(*node.children[0]))
                    if (param < types.size() && types[param].id == TypeId::Null) types[param] = node.return_type;
            });
        });
    });
}

void CheckPreparable(const ast::Statement& stmt) {
    using K = ast::StatementKind;
    if (stmt.kind == K::Select || stmt.kind == K::Insert || stmt.kind == K::Update || stmt.kind == K::Delete) return;
    throw Error(SqlState::SyntaxError, "only SELECT, INSERT, UPDATE and DELETE statements can be prepared", stmt.pos);
}

std::string Described(const PreparedStatementData& prepared) {
    return prepared.name.empty() ? "the prepared statement" : "prepared statement \"" + prepared.name + "\"";
}

bool PlanIsCurrent(const PreparedStatementData::Plan& plan, DatabaseInstance& db, const std::string& current_database) {
    if (plan.current_database != current_database || plan.catalogs.size() != db.databases.size()) return false;
    for (const auto& stamp : plan.catalogs) {
        AttachedDatabase* database = db.Find(stamp.name);
        if (!database || &database->catalog != stamp.catalog || database->catalog.Version() != stamp.version)
            return false;
    }
    // Every table's catalog is one of those just checked, so it is alive; the table is
    // looked up by name rather than trusted by address.
    for (const auto& stamp : plan.tables) {
        const storage::TableEntry* table = stamp.catalog->GetTable(stamp.name);
        if (table != stamp.table || table->Id() != stamp.id || table->schema_version != stamp.schema_version)
            return false;
    }
    return true;
}

// Whether a LIMIT / OFFSET value reads parameters of the statement and nothing else,
// so that it can be evaluated before the plan runs.
bool ReadsOnlyParameters(const ir::Expr& expr) {
    bool parameter = false, other = false;
    VisitNodes(expr, [&](const ir::Expr& node) {
        if (node.type == ir::ExprType::Parameter && node.depth == 0) parameter = true;
        else if (node.type == ir::ExprType::Parameter || node.type == ir::ExprType::ColumnRef ||
                 node.type == ir::ExprType::Subquery)
            other = true;
    });
    return parameter && !other;
}

void BindLimitValues(ir::LogicalOperator& op, runtime::ExecutionContext& ctx);

void BindSubqueryLimitValues(ir::Expr& expr, runtime::ExecutionContext& ctx) {
    if (expr.subquery) {
        // Subquery plans are shared and immutable: the bound values go into a copy.
        std::shared_ptr<ir::LogicalOperator> copy = expr.subquery->Copy();
        BindLimitValues(*copy, ctx);
        expr.subquery = std::move(copy);
    }
    for (auto& child : expr.children) BindSubqueryLimitValues(*child, ctx);
    for (auto& outer : expr.correlated) BindSubqueryLimitValues(*outer, ctx);
}

// Physical planning needs LIMIT and OFFSET as constants: evaluates those that read
// parameters (in subquery plans too), with the binder's checks.
void BindLimitValues(ir::LogicalOperator& op, runtime::ExecutionContext& ctx) {
    if (op.type == ir::LogicalOpType::Limit) {
        auto bind = [&](ir::ExprPtr& expr, bool is_limit) {
            if (!expr || !ReadsOnlyParameters(*expr)) return;
            const LogicalType bigint(TypeId::BigInt);
            Value value = runtime::CastValue(runtime::EvaluateConstant(*expr, ctx), bigint);
            if (!value.IsNull() && value.GetInt64() < 0)
                throw Error(is_limit ? SqlState::InvalidRowCountInLimit : SqlState::InvalidRowCountInOffset,
                            std::string(is_limit ? "LIMIT" : "OFFSET") + " must not be negative");
            expr = ir::Expr::Constant(value.IsNull() ? Value::Null(bigint) : value);
        };
        bind(op.limit, true);
        bind(op.offset, false);
    }
    for (auto& child : op.children) BindLimitValues(*child, ctx);
    ir::ForEachExpression(op, [&](ir::ExprPtr& expr) { BindSubqueryLimitValues(*expr, ctx); });
}

std::shared_ptr<PreparedStatementData> Lookup(
    const std::map<std::string, std::shared_ptr<PreparedStatementData>>& prepared, const std::string& name) {
    auto it = prepared.find(name);
    return it == prepared.end() ? nullptr : it->second;
}

// Clears the unnamed statement ClientContext::PrepareSql / ExecutePrepared run, however they end.
struct UnnamedGuard {
    const ast::Statement*& statement;
    std::shared_ptr<PreparedStatementData>& prepared;
    ~UnnamedGuard() {
        statement = nullptr;
        prepared.reset();
    }
};

}  // namespace

void ClientContext::BindPrepared(PreparedStatementData& prepared, const ast::Statement& stmt, bool infer) {
    using K = ast::StatementKind;
    StatementEnv env;
    auto bind = [&](std::vector<LogicalType>& types, bool infer_types) {
        frontend::BinderShared shared = MakeBinderShared(env);
        shared.parameter_types = types;
        shared.infer_parameter_types = infer_types;
        frontend::Binder binder(shared);
        auto plan = std::make_shared<PreparedStatementData::Plan>();
        plan->kind = stmt.kind;
        switch (stmt.kind) {
        case K::Select: {
            ir::BoundQuery bound = binder.BindQuery(*static_cast<const ast::SelectStatement&>(stmt).query);
            plan->logical = std::move(bound.plan);
            plan->names = std::move(bound.names);
            plan->types = std::move(bound.types);
            break;
        }
        case K::Insert: {
            frontend::BoundInsert bound = binder.BindInsert(static_cast<const ast::InsertStatement&>(stmt));
            plan->table = bound.table;
            plan->on_conflict = bound.on_conflict;
            plan->logical = std::move(bound.source.plan);
            plan->types = std::move(bound.source.types);
            break;
        }
        case K::Update: {
            frontend::BoundUpdate bound = binder.BindUpdate(static_cast<const ast::UpdateStatement&>(stmt));
            plan->table = bound.table;
            plan->updated_columns = std::move(bound.updated_columns);
            plan->logical = std::move(bound.source.plan);
            plan->types = std::move(bound.source.types);
            break;
        }
        case K::Delete: {
            frontend::BoundDelete bound = binder.BindDelete(static_cast<const ast::DeleteStatement&>(stmt));
            plan->table = bound.table;
            plan->logical = std::move(bound.source.plan);
            plan->types = std::move(bound.source.types);
            break;
        }
        default: CheckPreparable(stmt);
        }
        types = shared.parameter_types;
        return plan;
    };

    /*----- bind, and infer the types of parameters that were not declared -----*/
    std::vector<LogicalType> types = prepared.parameter_types;
    std::shared_ptr<PreparedStatementData::Plan> plan = bind(types, infer);
    if (infer) {
        if (std::any_of(types.begin(), types.end(), [](const LogicalType& t) { return t.id == TypeId::Null; })) {
            InferParameterTypes(*plan->logical, types);
            for (size_t idx = 0; idx < types.size(); ++idx)
                if (types[idx].id == TypeId::Null)
                    throw Error(SqlState::IndeterminateDatatype,
                                "could not determine data type of parameter $" + std::to_string(idx + 1));
            // Bound again with the types: the plan then reads typed parameters, not casts of untyped ones.
            plan = bind(types, false);
        }
        prepared.parameter_types = types;
    }

    /*----- optimize once -----*/
    plan->logical = ir::Optimize(std::move(plan->logical), optimizer_);

    /*----- remember what the plan depends on -----*/
    plan->current_database = current_database_;
    for (auto& [name, database] : db_.databases)
        plan->catalogs.push_back({name, &database->catalog, database->catalog.Version()});
    auto stamp = [&](storage::TableEntry* table) {
        if (!table) return;
        for (const auto& known : plan->tables)
            if (known.table == table) return;
        plan->tables.push_back({table->Owner(), table->Name(), table, table->Id(), table->schema_version});
    };
    stamp(plan->table);
    VisitOperators(*plan->logical, [&](ir::LogicalOperator& op) {
        if (op.type == ir::LogicalOpType::Get) stamp(op.table);
        if (op.type == ir::LogicalOpType::Limit)
            for (const ir::ExprPtr* expr : {&op.limit, &op.offset})
                if (*expr && ReadsOnlyParameters(**expr)) plan->limit_reads_parameters = true;
    });

    prepared.plan = std::move(plan);
    ++prepared.bind_count;
}

std::shared_ptr<QueryResultData> ClientContext::Prepare(const ast::PrepareStatement& stmt, StatementEnv&) {
    const bool unnamed = &stmt == unnamed_statement_;
    if (!unnamed && prepared_.count(stmt.name))
        throw Error(SqlState::DuplicatePreparedStatement, "prepared statement \"" + stmt.name + "\" already exists",
                    stmt.pos);
    CheckPreparable(*stmt.statement);
    auto prepared = std::make_shared<PreparedStatementData>();
    prepared->name = stmt.name;
    for (const ast::TypeName& type : stmt.param_types)
        prepared->parameter_types.push_back(frontend::Binder::ResolveType(type));
    // The script's own AST is bound, so errors point into the script.
    BindPrepared(*prepared, *stmt.statement, true);
    if (unnamed) {
        // PrepareSql hands the AST over once this succeeded.
        unnamed_prepared_ = std::move(prepared);
        return TaggedResult("PREPARE");
    }
    // The script's AST dies with the script: keep one of our own, to bind again from.
    std::vector<ast::StatementPtr> parsed = frontend::ParseSql(stmt.statement->text);
    GZ_CHECK(parsed.size() == 1, "a prepared statement's text parses as one statement");
    prepared->statement = std::move(parsed[0]);
    prepared_.emplace(stmt.name, std::move(prepared));
    return TaggedResult("PREPARE");
}

std::shared_ptr<QueryResultData> ClientContext::Execute(const ast::ExecuteStatement& stmt, StatementEnv& env) {
    std::shared_ptr<PreparedStatementData> prepared =
        &stmt == unnamed_statement_ ? unnamed_prepared_ : Lookup(prepared_, stmt.name);
    if (!prepared)
        throw Error(SqlState::UndefinedPreparedStatement, "prepared statement \"" + stmt.name + "\" does not exist",
                    stmt.pos);
    const std::vector<LogicalType>& types = prepared->parameter_types;
    if (stmt.args.size() != types.size())
        throw Error(SqlState::SyntaxError,
                    "wrong number of parameters for " + Described(*prepared) + ": expected " +
                        std::to_string(types.size()) + ", got " + std::to_string(stmt.args.size()),
                    stmt.pos);

    /*----- arguments, cast to the parameter types -----*/
    StatementEnv run_env;
    {
        frontend::BinderShared shared = MakeBinderShared(env);
        frontend::Binder binder(shared);
        runtime::ExecutionContext ctx = MakeExecutionContext(env);
        for (size_t idx = 0; idx < types.size(); ++idx) {
            Value value = runtime::EvaluateConstant(*binder.BindConstantExpression(*stmt.args[idx]), ctx);
            run_env.parameters.push_back(value.IsNull() ? Value::Null(types[idx]) : runtime::CastValue(value, types[idx]));
        }
    }

    /*----- bind again if what the plan was bound against changed -----*/
    if (!prepared->plan || !PlanIsCurrent(*prepared->plan, db_, current_database_)) {
        try {
            BindPrepared(*prepared, *prepared->statement, false);
        } catch (const Error& e) {
            prepared->plan.reset();
            // Positions would point into the prepared text, not into this statement.
            throw Error(e.State(), e.Message() + " (binding " + Described(*prepared) + " again after a schema change)");
        }
    }
    std::shared_ptr<const PreparedStatementData::Plan> plan = prepared->plan;

    /*----- plan physically and run -----*/
    runtime::ExecutionContext ctx = MakeExecutionContext(run_env);
    const ir::LogicalOperator* logical = plan->logical.get();
    ir::LogicalOpPtr with_limits;
    if (plan->limit_reads_parameters) {
        with_limits = logical->Copy();
        BindLimitValues(*with_limits, ctx);
        logical = with_limits.get();
    }
    ir::PhysicalPlan physical = ir::CreatePhysicalPlan(*logical, plan->names);
    runtime::ChunkCollection rows = runtime::ExecutePlan(physical, ctx);
    rows.SetTypes(plan->types);
    switch (plan->kind) {
    case ast::StatementKind::Insert:
        return TaggedResult("INSERT", AppendRows(*plan->table, rows, plan->on_conflict));
    case ast::StatementKind::Update: return ApplyUpdate(*plan->table, plan->updated_columns, rows);
    case ast::StatementKind::Delete: return ApplyDelete(*plan->table, rows);
    default: break;
    }
    auto data = TaggedResult("SELECT");
    data->names = plan->names;
    data->types = plan->types;
    data->rows = std::move(rows);
    return data;
}

std::shared_ptr<QueryResultData> ClientContext::Deallocate(const ast::DeallocateStatement& stmt) {
    if (stmt.all) {
        prepared_.clear();
        return TaggedResult("DEALLOCATE ALL");
    }
    if (prepared_.erase(stmt.name) == 0)
        throw Error(SqlState::UndefinedPreparedStatement, "prepared statement \"" + stmt.name + "\" does not exist",
                    stmt.pos);
    return TaggedResult("DEALLOCATE");
}

const ast::Statement& ClientContext::StatementToRun(const ast::Statement& stmt) {
    if (stmt.kind != ast::StatementKind::Execute) return stmt;
    std::shared_ptr<PreparedStatementData> prepared =
        &stmt == unnamed_statement_ ? unnamed_prepared_
                                    : Lookup(prepared_, static_cast<const ast::ExecuteStatement&>(stmt).name);
    return prepared && prepared->statement ? *prepared->statement : stmt;
}

Result ClientContext::PrepareSql(std::string_view sql, std::shared_ptr<PreparedStatementData>& out) {
    ast::PrepareStatement prepare;
    try {
        std::vector<ast::StatementPtr> statements = frontend::ParseSql(sql);
        if (statements.size() != 1)
            throw Error(SqlState::SyntaxError, statements.empty()
                                                   ? "there is no statement to prepare"
                                                   : "cannot insert multiple commands into a prepared statement");
        prepare.statement = std::move(statements[0]);
    } catch (const Error& e) {
        if (in_transaction_) transaction_failed_ = true;
        return Result(e);
    }
    UnnamedGuard guard{unnamed_statement_, unnamed_prepared_};
    unnamed_statement_ = &prepare;
    Result result = RunStatement(prepare);
    if (result.Ok()) {
        unnamed_prepared_->statement = std::move(prepare.statement);
        out = std::move(unnamed_prepared_);
    }
    return result;
}

Result ClientContext::ExecutePrepared(const std::shared_ptr<PreparedStatementData>& prepared,
                                      const std::vector<Value>& args) {
    ast::ExecuteStatement execute;
    for (const Value& arg : args) {
        auto constant = std::make_unique<ast::ConstantExpr>();
        constant->value = arg;
        execute.args.push_back(std::move(constant));
    }
    UnnamedGuard guard{unnamed_statement_, unnamed_prepared_};
    unnamed_statement_ = &execute;
    unnamed_prepared_ = prepared;
    return RunStatement(execute);
}

// ---- the public API ----

PreparedStatement::PreparedStatement() = default;
PreparedStatement::~PreparedStatement() = default;
PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;
PreparedStatement& PreparedStatement::operator=(PreparedStatement&&) noexcept = default;

std::string PreparedStatement::ErrorText() const { return error_ ? Result(*error_).ErrorText() : ""; }

size_t PreparedStatement::ParameterCount() const { return data_ ? data_->parameter_types.size() : 0; }

LogicalType PreparedStatement::ParameterType(size_t index) const {
    return data_ && index < data_->parameter_types.size() ? data_->parameter_types[index] : LogicalType();
}

Result PreparedStatement::Execute(const std::vector<Value>& args) {
    if (error_) return Result(*error_);
    if (!context_ || !data_)
        return Result(Error(SqlState::UndefinedPreparedStatement, "the prepared statement was never prepared"));
    return context_->ExecutePrepared(data_, args);
}

size_t PreparedStatement::BindCount() const { return data_ ? data_->bind_count : 0; }

PreparedStatement Connection::Prepare(std::string_view sql) {
    PreparedStatement statement;
    std::shared_ptr<PreparedStatementData> data;
    Result result = context_->PrepareSql(sql, data);
    if (!result.Ok()) {
        statement.error_ = std::make_unique<Error>(result.GetError());
        return statement;
    }
    statement.context_ = context_.get();
    statement.data_ = std::move(data);
    return statement;
}

}  // namespace grizzly
