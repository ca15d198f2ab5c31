// CALL procedure(args): the built-in procedures. dbgen(sf = X) creates the
// eight TPC-H tables and fills them from storage's generator, all in one
// statement (a failure leaves no table behind).
#include "api/client_context.hpp"

namespace grizzly {

namespace {

std::string CreateTableSql(const storage::tpch::TableSpec& spec) {
    std::string sql = "CREATE TABLE " + spec.name + " (";
    for (size_t c = 0; c < spec.columns.size(); ++c) {
        const auto& col = spec.columns[c];
        sql += (c ? ", " : "") + col.name + " " + col.type.ToString() + " NOT NULL";
    }
    return sql + ")";
}

}  // namespace

std::shared_ptr<QueryResultData> ClientContext::Call(const ast::CallStatement& stmt, StatementEnv& env) {
    const ast::FunctionExpr& call = *stmt.call;
    if (call.name != "dbgen")
        throw Error(SqlState::UndefinedFunction, "procedure " + call.name + " does not exist", stmt.pos);
    double sf = 0;
    bool given = false;
    for (size_t i = 0; i < call.args.size(); ++i) {
        const std::string& name = call.arg_names[i];
        if (!(name == "sf" || (name.empty() && i == 0)))
            throw Error(SqlState::UndefinedParameter,
                        "dbgen has no parameter \"" + (name.empty() ? std::to_string(i + 1) : name) + "\"", stmt.pos);
        frontend::BinderShared shared = MakeBinderShared(env);
        frontend::Binder binder(shared);
        runtime::ExecutionContext ctx = MakeExecutionContext(env);
        Value v = runtime::EvaluateConstant(*binder.BindConstantExpression(*call.args[i]), ctx);
        if (v.IsNull() || !v.Type().IsNumeric())
            throw Error(SqlState::InvalidParameterValue, "dbgen: sf must be a number", stmt.pos);
        sf = runtime::CastValue(v, LogicalType(TypeId::Double)).GetDouble();
        given = true;
    }
    if (!given) throw Error(SqlState::InvalidParameterValue, "dbgen: give the scale factor, as in CALL dbgen(sf = 1)", stmt.pos);
    // Checks the scale factor before anything is created.
    storage::tpch::RowCount("region", sf);
    runtime::ExecutionContext interrupt_ctx = MakeExecutionContext(env);
    for (const auto& spec : storage::tpch::Tables()) {
        for (auto& create : frontend::ParseSql(CreateTableSql(spec))) Dispatch(*create, env);
        storage::TableEntry& table = *Catalog().GetTable(spec.name);
        storage::tpch::Generate(spec.name, sf, [&](DataChunk& chunk) {
            runtime::CheckInterrupt(interrupt_ctx);
            AppendChunk(table, chunk, 0);
        });
    }
    return TaggedResult("CALL");
}

}  // namespace grizzly
