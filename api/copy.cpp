// COPY t FROM 'file' and COPY {t | (query)} TO 'file': delimited text through
// storage's CSV reader and writer, typed with the same casts as CAST, so a
// field COPY rejects is one CAST would reject too. A failing COPY FROM loads
// nothing (the statement's undo log truncates what it appended).
#include "api/client_context.hpp"
#include "api/table_expression.hpp"

namespace grizzly {

namespace {

// `text` between `quote` characters, each quote inside doubled (SQL's one escaping rule).
std::string Quoted(const std::string& text, char quote) {
    std::string out(1, quote);
    for (char c : text) {
        if (c == quote) out.push_back(quote);
        out.push_back(c);
    }
    return out + quote;
}

}  // namespace

std::string QuoteIdentifier(const std::string& name) { return Quoted(name, '"'); }

std::string QuoteLiteral(const std::string& text) { return Quoted(text, '\''); }

std::string QuoteQualifiedName(const std::vector<std::string>& names) {
    std::string out;
    for (auto& part : names) out += (out.empty() ? "" : ".") + QuoteIdentifier(part);
    return out;
}

namespace {

char SingleByte(const Value& value, const std::string& option) {
    std::string text = value.IsNull() ? std::string() : value.ToString();
    if (text.size() != 1)
        throw Error(SqlState::InvalidParameterValue, "COPY " + option + " must be a single one-byte character");
    return text[0];
}

}  // namespace

Value ClientContext::OptionValue(const ast::CopyOption& option, StatementEnv& env) {
    if (!option.value) return Value::Boolean(true);  // a bare option (HEADER, READ_ONLY) means true
    frontend::BinderShared shared = MakeBinderShared(env);
    frontend::Binder binder(shared);
    runtime::ExecutionContext ctx = MakeExecutionContext(env);
    return runtime::EvaluateConstant(*binder.BindConstantExpression(*option.value), ctx);
}

std::shared_ptr<QueryResultData> ClientContext::Copy(const ast::CopyStatement& stmt, StatementEnv& env) {
    if (stmt.path == "stdin" || stmt.path == "stdout" || stmt.path.empty())
        throw Error::NotSupported("COPY with standard input or output; name a file", stmt.pos);
    storage::CsvOptions options = ParseCopyOptions(stmt.options, {}, env, stmt.pos);
    return stmt.from ? CopyFrom(stmt, options, env) : CopyTo(stmt, options, env);
}

storage::CsvOptions ClientContext::ParseCopyOptions(const std::vector<ast::CopyOption>& given,
                                                    storage::CsvOptions options, StatementEnv& env, SourcePos pos) {
    bool escape_set = options.escape != options.quote;
    for (const ast::CopyOption& option : given) {
        Value value = OptionValue(option, env);
        const std::string& name = option.name;
        if (name == "delimiter" || name == "delim" || name == "sep") {
            options.delimiter = SingleByte(value, "delimiter");
        } else if (name == "quote") {
            options.quote = SingleByte(value, "quote");
        } else if (name == "escape") {
            options.escape = SingleByte(value, "escape");
            escape_set = true;
        } else if (name == "header") {
            options.header = runtime::CastValue(value, LogicalType(TypeId::Boolean)).GetBool();
        } else if (name == "null" || name == "nullstr") {
            options.null_string = value.IsNull() ? "" : value.ToString();
        } else if (name == "format") {
            std::string format = value.IsNull() ? "" : value.ToString();
            for (char& c : format) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (format != "csv")
                throw Error::NotSupported("COPY format \"" + format + "\" (delimited text is FORMAT csv)", pos);
        } else {
            throw Error(SqlState::SyntaxError, "COPY option \"" + name + "\" not recognized", pos);
        }
    }
    if (!escape_set) options.escape = options.quote;
    if (options.delimiter == '\n' || options.delimiter == '\r' || options.delimiter == options.quote)
        throw Error(SqlState::InvalidParameterValue, "COPY delimiter must differ from the quote and from line breaks");
    return options;
}

std::shared_ptr<QueryResultData> ClientContext::CopyFrom(const ast::CopyStatement& stmt,
                                                         const storage::CsvOptions& options, StatementEnv& env) {
    const std::string& name = stmt.table.back();
    auto& catalog = DatabaseOf(stmt.table, stmt.pos).catalog;
    storage::TableEntry* table = catalog.GetTable(name);
    if (!table) {
        if (catalog.GetView(name))
            throw Error(SqlState::WrongObjectType, "cannot copy to view \"" + name + "\"", stmt.pos);
        throw Error::UndefinedTable(name, stmt.pos);
    }
    const auto& columns = table->Columns();
    // Which table column each field fills; the others take their defaults.
    std::vector<int> field_of(columns.size(), -1);
    std::vector<uint32_t> targets;
    if (stmt.columns.empty()) {
        for (size_t c = 0; c < columns.size(); ++c) targets.push_back(static_cast<uint32_t>(c));
    } else {
        for (const std::string& col : stmt.columns) {
            int idx = table->ColumnIndex(col);
            if (idx < 0) throw Error::UndefinedColumn(col, stmt.pos);
            if (field_of[idx] >= 0)
                throw Error(SqlState::DuplicateColumn, "column \"" + col + "\" specified more than once", stmt.pos);
            targets.push_back(static_cast<uint32_t>(idx));
        }
    }
    for (size_t f = 0; f < targets.size(); ++f) field_of[targets[f]] = static_cast<int>(f);
    std::vector<Value> defaults(columns.size());
    for (size_t c = 0; c < columns.size(); ++c) {
        if (field_of[c] >= 0) continue;
        defaults[c] = Value::Null(columns[c].type);
        if (columns[c].default_sql.empty()) continue;
        frontend::BinderShared shared = MakeBinderShared(env);
        frontend::Binder binder(shared);
        runtime::ExecutionContext ctx = MakeExecutionContext(env);
        Value v = runtime::EvaluateConstant(*binder.BindConstantExpression(*ParseExpression(columns[c].default_sql)), ctx);
        defaults[c] = runtime::CastValue(v, columns[c].type);
    }

    std::string context = "COPY " + name + ", ";
    storage::CsvReader reader(storage::OpenInput(stmt.path), options, targets.size());
    std::vector<Vector> fields;
    for (size_t f = 0; f < targets.size(); ++f) fields.emplace_back(LogicalType(TypeId::Varchar));
    std::vector<uint64_t> lines;
    int64_t loaded = 0;
    runtime::ExecutionContext interrupt_ctx = MakeExecutionContext(env);
    for (;;) {
        idx_t count;
        try {
            count = reader.ReadChunk(fields, lines);
        } catch (const Error& e) {
            throw Error(e.State(), context + e.Message());
        }
        if (count == 0) break;
        DataChunk chunk;
        chunk.Initialize(table->Types(), count);
        chunk.size = count;
        for (size_t c = 0; c < columns.size(); ++c) {
            Vector& out = chunk.columns[c];
            if (field_of[c] < 0) {
                for (idx_t r = 0; r < count; ++r) out.SetValue(r, defaults[c]);
                continue;
            }
            Vector& text = fields[field_of[c]];
            if (columns[c].type.id == TypeId::Varchar) {
                out = text;
                text = Vector(LogicalType(TypeId::Varchar));  // the chunk keeps the strings; refill a fresh one
                continue;
            }
            try {
                runtime::CastVector(text, runtime::Rows{nullptr, count}, out, false);
            } catch (const Error&) {
                // Find the first field that does not convert, to name its line.
                for (idx_t r = 0; r < count; ++r) {
                    uint32_t row = static_cast<uint32_t>(r);
                    try {
                        runtime::CastVector(text, runtime::Rows{&row, 1}, out, false);
                    } catch (const Error& e) {
                        throw Error(e.State(), context + "line " + std::to_string(lines[r]) + ", column " +
                                                   columns[c].name + ": " + e.Message());
                    }
                }
                throw;
            }
        }
        loaded += AppendChunk(*table, chunk, 0);
        runtime::CheckInterrupt(interrupt_ctx);
    }
    return TaggedResult("COPY", loaded);
}

std::shared_ptr<QueryResultData> ClientContext::CopyTo(const ast::CopyStatement& stmt,
                                                       const storage::CsvOptions& options, StatementEnv& env) {
    frontend::BinderShared shared = MakeBinderShared(env);
    frontend::Binder binder(shared);
    ir::BoundQuery bound;
    if (stmt.query) {
        bound = binder.BindQuery(*stmt.query);
    } else {
        std::string select = "SELECT ";
        if (stmt.columns.empty()) select += "*";
        for (size_t i = 0; i < stmt.columns.size(); ++i) select += (i ? ", " : "") + QuoteIdentifier(stmt.columns[i]);
        select += " FROM " + QuoteQualifiedName(stmt.table);
        auto parsed = frontend::ParseSql(select);
        bound = binder.BindQuery(*static_cast<const ast::SelectStatement&>(*parsed[0]).query);
    }
    runtime::ChunkCollection rows = ExecuteLogical(*bound.plan, env);
    std::unique_ptr<storage::OutputStream> output = storage::OpenOutput(stmt.path);
    storage::CsvWriter writer(*output, options);
    if (options.header) writer.WriteHeader(bound.names);
    std::vector<Vector> text;
    for (size_t c = 0; c < bound.types.size(); ++c) text.emplace_back(LogicalType(TypeId::Varchar));
    for (const DataChunk& chunk : rows.Chunks()) {
        for (size_t c = 0; c < bound.types.size(); ++c) {
            text[c] = Vector(LogicalType(TypeId::Varchar), std::max<idx_t>(chunk.size, 1));
            runtime::CastVector(chunk.columns[c], runtime::Rows{nullptr, chunk.size}, text[c], false);
        }
        writer.WriteChunk(text, chunk.size);
    }
    writer.Flush();
    output->Close();
    return TaggedResult("COPY", static_cast<int64_t>(rows.RowCount()));
}

}  // namespace grizzly
