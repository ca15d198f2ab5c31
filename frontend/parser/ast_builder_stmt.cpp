// Statements: DDL, DML, transactions, prepared statements, COPY and the
// settings / introspection commands.

#include "common/error.hpp"
#include "frontend/parser/ast_builder.hpp"

namespace grizzly::frontend {

namespace {

template <typename T>
std::unique_ptr<T> MakeStatement() {
    return std::make_unique<T>();
}

std::string JoinNames(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        if (!out.empty()) out += '.';
        out += name;
    }
    return out;
}

std::string StringContent(std::string_view text) {
    std::string out;
    for (size_t idx = 1; idx + 1 < text.size(); ++idx) {
        out.push_back(text[idx]);
        if (text[idx] == '\'') ++idx;
    }
    return out;
}

/// Bare words used as option or setting values (FORMAT csv, SET x TO off) are strings.
ast::ExprPtr WordsToString(ast::ExprPtr value) {
    if (value != nullptr && value->kind == ast::ExprKind::ColumnRef) {
        auto& ref = static_cast<ast::ColumnRefExpr&>(*value);
        auto constant = std::make_unique<ast::ConstantExpr>();
        constant->pos = ref.pos;
        constant->value = Value::Varchar(JoinNames(ref.names));
        return constant;
    }
    return value;
}

}  // namespace

ast::StatementPtr AstBuilder::BuildStatement(GP::StatementContext* ctx) {
    ctx->accept(this);
    ast::StatementPtr stmt = std::move(stmt_out_);
    stmt->pos = Pos(ctx);
    stmt->text = Text(ctx);
    return stmt;
}

antlrcpp::Any AstBuilder::visitSelectStmt(GP::SelectStmtContext* ctx) {
    auto stmt = MakeStatement<ast::SelectStatement>();
    stmt->query = BuildQuery(ctx->query());
    return YieldStatement(std::move(stmt));
}

// ───────────────────────────── CREATE ─────────────────────────────

ast::ColumnDef AstBuilder::BuildColumnDef(GP::ColumnDefContext* ctx, std::vector<ast::TableConstraint>* constraints) {
    ast::ColumnDef column;
    column.name = Ident(ctx->identifier());
    column.pos = Pos(ctx);
    if (ctx->typeName() != nullptr) {
        column.type = BuildTypeName(ctx->typeName());
    } else {
        column.type.pos = column.pos;  // SQLite allows columns without a type; the name stays empty
    }
    for (auto* constraint : ctx->columnConstraint()) {
        GP::ColumnConstraintBodyContext* body = constraint->columnConstraintBody();
        if (dynamic_cast<GP::NotNullConstraintContext*>(body) != nullptr) {
            column.not_null = true;
        } else if (dynamic_cast<GP::NullConstraintContext*>(body) != nullptr) {
            column.null_explicit = true;
        } else if (dynamic_cast<GP::PrimaryKeyConstraintContext*>(body) != nullptr) {
            column.primary_key = true;
        } else if (dynamic_cast<GP::UniqueConstraintContext*>(body) != nullptr) {
            column.unique = true;
        } else if (auto* check = dynamic_cast<GP::CheckConstraintContext*>(body)) {
            column.check = BuildExpr(check->expr());
            column.check_text = Text(check->expr());
        } else if (auto* def = dynamic_cast<GP::DefaultConstraintContext*>(body)) {
            column.default_value = BuildValue(def->valueExpr());
            column.default_text = Text(def->valueExpr());
        } else if (auto* ref = dynamic_cast<GP::ReferencesConstraintContext*>(body)) {
            // A column-level REFERENCES is a one-column FOREIGN KEY table constraint.
            ast::TableConstraint fk;
            fk.kind = ast::ConstraintKind::ForeignKey;
            if (constraint->identifier() != nullptr) fk.name = Ident(constraint->identifier());
            fk.columns.push_back(column.name);
            fk.ref_table = Names(ref->qualifiedName());
            fk.ref_columns = Names(ref->identifierList());
            fk.pos = Pos(constraint);
            if (constraints != nullptr) constraints->push_back(std::move(fk));
        }
        // COLLATE is accepted and ignored: strings compare byte-wise (C collation).
    }
    return column;
}

ast::TableConstraint AstBuilder::BuildTableConstraint(GP::TableConstraintContext* ctx) {
    ast::TableConstraint constraint;
    constraint.pos = Pos(ctx);
    if (ctx->identifier() != nullptr) constraint.name = Ident(ctx->identifier());
    GP::TableConstraintBodyContext* body = ctx->tableConstraintBody();
    if (auto* pk = dynamic_cast<GP::PrimaryKeyTableConstraintContext*>(body)) {
        constraint.kind = ast::ConstraintKind::PrimaryKey;
        constraint.columns = Names(pk->identifierList());
    } else if (auto* unique = dynamic_cast<GP::UniqueTableConstraintContext*>(body)) {
        constraint.kind = ast::ConstraintKind::Unique;
        constraint.columns = Names(unique->identifierList());
    } else if (auto* check = dynamic_cast<GP::CheckTableConstraintContext*>(body)) {
        constraint.kind = ast::ConstraintKind::Check;
        constraint.check = BuildExpr(check->expr());
        constraint.check_text = Text(check->expr());
    } else {
        auto* fk = static_cast<GP::ForeignKeyTableConstraintContext*>(body);
        constraint.kind = ast::ConstraintKind::ForeignKey;
        auto lists = fk->identifierList();
        constraint.columns = Names(lists[0]);
        constraint.ref_table = Names(fk->qualifiedName());
        if (lists.size() > 1) constraint.ref_columns = Names(lists[1]);
    }
    return constraint;
}

antlrcpp::Any AstBuilder::visitCreateTableStmt(GP::CreateTableStmtContext* stmt_ctx) {
    GP::CreateTableStatementContext* ctx = stmt_ctx->createTableStatement();
    auto stmt = MakeStatement<ast::CreateTableStatement>();
    stmt->names = Names(ctx->qualifiedName());
    stmt->or_replace = ctx->REPLACE() != nullptr;
    stmt->temporary = ctx->TEMP() != nullptr || ctx->TEMPORARY() != nullptr;
    stmt->if_not_exists = ctx->IF() != nullptr;
    if (ctx->query() != nullptr) {
        stmt->as_query = BuildQuery(ctx->query());
        stmt->as_query_text = Text(ctx->query());
    }
    for (auto* element : ctx->tableElement()) {
        if (element->columnDef() != nullptr) {
            stmt->columns.push_back(BuildColumnDef(element->columnDef(), &stmt->constraints));
        } else {
            stmt->constraints.push_back(BuildTableConstraint(element->tableConstraint()));
        }
    }
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitCreateViewStmt(GP::CreateViewStmtContext* stmt_ctx) {
    GP::CreateViewStatementContext* ctx = stmt_ctx->createViewStatement();
    auto stmt = MakeStatement<ast::CreateViewStatement>();
    stmt->names = Names(ctx->qualifiedName());
    stmt->column_names = Names(ctx->identifierList());
    stmt->or_replace = ctx->REPLACE() != nullptr;
    stmt->if_not_exists = ctx->IF() != nullptr;
    stmt->temporary = ctx->TEMP() != nullptr || ctx->TEMPORARY() != nullptr;
    stmt->query = BuildQuery(ctx->query());
    stmt->query_text = Text(ctx->query());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitCreateIndexStmt(GP::CreateIndexStmtContext* stmt_ctx) {
    GP::CreateIndexStatementContext* ctx = stmt_ctx->createIndexStatement();
    auto stmt = MakeStatement<ast::CreateIndexStatement>();
    stmt->unique = ctx->UNIQUE() != nullptr;
    stmt->if_not_exists = ctx->IF() != nullptr;
    auto idents = ctx->identifier();
    // identifiers in order: [index name], [USING method]
    size_t next = 0;
    if (!idents.empty() && idents[0]->getStart()->getTokenIndex() < ctx->ON()->getSymbol()->getTokenIndex()) {
        stmt->name = Ident(idents[next++]);
    }
    if (ctx->USING() != nullptr) stmt->using_method = Ident(idents[next]);
    stmt->table = Names(ctx->qualifiedName());
    for (auto* key : ctx->indexKey()) {
        ast::OrderItem item;
        item.expr = BuildExpr(key->expr());
        item.descending = key->DESC() != nullptr;
        if (key->NULLS() != nullptr) item.nulls_first = key->FIRST() != nullptr;
        stmt->keys.push_back(std::move(item));
    }
    return YieldStatement(std::move(stmt));
}

// CREATE FUNCTION takes three body forms: PostgreSQL's AS 'text' / AS $$text$$
// (kept as text in `body`), the standard RETURN expr, and DuckDB's macro-like
// AS expr. A string after AS is a body text when the function declares RETURNS
// or LANGUAGE, as PostgreSQL requires; otherwise AS introduces an expression.
antlrcpp::Any AstBuilder::visitCreateFunctionStmt(GP::CreateFunctionStmtContext* stmt_ctx) {
    GP::CreateFunctionStatementContext* ctx = stmt_ctx->createFunctionStatement();
    auto stmt = MakeStatement<ast::CreateFunctionStatement>();
    stmt->names = Names(ctx->qualifiedName());
    stmt->or_replace = ctx->REPLACE() != nullptr;
    for (auto* param : ctx->functionParam()) {
        ast::FunctionParam fp;
        fp.name = Ident(param->identifier());
        if (param->typeName() != nullptr) fp.type = BuildTypeName(param->typeName());
        stmt->params.push_back(std::move(fp));
    }
    if (ctx->typeName() != nullptr) stmt->returns = BuildTypeName(ctx->typeName());
    bool pg_style = stmt->returns.has_value();
    for (auto* option : ctx->functionOption()) {
        if (auto* lang = dynamic_cast<GP::LanguageOptionContext*>(option)) {
            stmt->language = lang->identifier() != nullptr ? Ident(lang->identifier())
                                                           : AsciiLower(StringContent(TokenText(lang->STRING()->getSymbol())));
            pg_style = true;
        }
    }
    if (stmt->language.empty()) stmt->language = "sql";
    for (auto* option : ctx->functionOption()) {
        if (auto* as_body = dynamic_cast<GP::AsBodyOptionContext*>(option)) {
            if (as_body->DOLLAR_STRING() != nullptr) {
                std::string_view text = TokenText(as_body->DOLLAR_STRING()->getSymbol());
                stmt->body = std::string(text.substr(2, text.size() - 4));
                continue;
            }
            ast::ExprPtr value = BuildExpr(as_body->expr());
            if (pg_style && value->kind == ast::ExprKind::Constant &&
                static_cast<ast::ConstantExpr&>(*value).value.Type().id == TypeId::Varchar) {
                stmt->body = static_cast<ast::ConstantExpr&>(*value).value.GetString();
            } else {
                stmt->return_expr = std::move(value);
                stmt->body = Text(as_body->expr());
            }
        } else if (auto* ret = dynamic_cast<GP::ReturnOptionContext*>(option)) {
            stmt->return_expr = BuildExpr(ret->expr());
            stmt->body = Text(ret->expr());
        }
        // IMMUTABLE, STRICT and similar attributes are accepted and ignored.
    }
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitCreateMacroStmt(GP::CreateMacroStmtContext* stmt_ctx) {
    GP::CreateMacroStatementContext* ctx = stmt_ctx->createMacroStatement();
    auto stmt = MakeStatement<ast::CreateFunctionStatement>();
    stmt->names = Names(ctx->qualifiedName());
    stmt->or_replace = ctx->REPLACE() != nullptr;
    for (auto& name : Names(ctx->identifierList())) stmt->params.push_back(ast::FunctionParam{name, {}});
    stmt->language = "sql";
    stmt->return_expr = BuildExpr(ctx->expr());
    stmt->body = Text(ctx->expr());
    return YieldStatement(std::move(stmt));
}

// Without BEFORE / AFTER / INSTEAD OF a trigger fires BEFORE, as in SQLite.
antlrcpp::Any AstBuilder::visitCreateTriggerStmt(GP::CreateTriggerStmtContext* stmt_ctx) {
    GP::CreateTriggerStatementContext* ctx = stmt_ctx->createTriggerStatement();
    auto stmt = MakeStatement<ast::CreateTriggerStatement>();
    stmt->name = Ident(ctx->identifier());
    stmt->if_not_exists = ctx->IF() != nullptr;
    stmt->timing = ast::TriggerTiming::Before;
    if (GP::TriggerTimingContext* timing = ctx->triggerTiming()) {
        if (timing->AFTER() != nullptr) stmt->timing = ast::TriggerTiming::After;
        if (timing->INSTEAD() != nullptr) stmt->timing = ast::TriggerTiming::InsteadOf;
    }
    GP::TriggerEventContext* event = ctx->triggerEvent();
    if (event->INSERT() != nullptr) {
        stmt->event = ast::TriggerEvent::Insert;
    } else if (event->DELETE_() != nullptr) {
        stmt->event = ast::TriggerEvent::Delete;
    } else {
        stmt->event = ast::TriggerEvent::Update;
        stmt->update_columns = Names(event->identifierList());
    }
    auto names = ctx->qualifiedName();
    stmt->table = Names(names[0]);
    stmt->for_each_row = ctx->STATEMENT() == nullptr;
    if (ctx->expr() != nullptr) {
        stmt->when = BuildExpr(ctx->expr());
        stmt->when_text = Text(ctx->expr());
    }
    for (auto* body : ctx->triggerBodyStatement()) {
        ast::StatementPtr inner;
        if (body->query() != nullptr) {
            auto select = MakeStatement<ast::SelectStatement>();
            select->query = BuildQuery(body->query());
            inner = std::move(select);
        } else if (body->insertStatement() != nullptr) {
            inner = BuildInsert(body->insertStatement());
        } else if (body->updateStatement() != nullptr) {
            inner = BuildUpdate(body->updateStatement());
        } else {
            inner = BuildDelete(body->deleteStatement());
        }
        inner->pos = Pos(body);
        inner->text = Text(body);
        stmt->body_texts.push_back(inner->text);
        stmt->body.push_back(std::move(inner));
    }
    if (ctx->EXECUTE() != nullptr) stmt->exec_function = JoinNames(Names(names[1]));
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitCreateDatabaseStmt(GP::CreateDatabaseStmtContext* stmt_ctx) {
    GP::CreateDatabaseStatementContext* ctx = stmt_ctx->createDatabaseStatement();
    auto stmt = MakeStatement<ast::CreateDatabaseStatement>();
    stmt->if_not_exists = ctx->IF() != nullptr;
    stmt->path = ctx->STRING() != nullptr ? StringContent(TokenText(ctx->STRING()->getSymbol())) : Ident(ctx->identifier());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitCreateSchemaStmt(GP::CreateSchemaStmtContext* stmt_ctx) {
    GP::CreateSchemaStatementContext* ctx = stmt_ctx->createSchemaStatement();
    auto stmt = MakeStatement<ast::CreateSchemaStatement>();
    stmt->if_not_exists = ctx->IF() != nullptr;
    stmt->name = JoinNames(Names(ctx->qualifiedName()));
    return YieldStatement(std::move(stmt));
}

// ───────────────────────────── DROP / ALTER ─────────────────────────────

antlrcpp::Any AstBuilder::visitDropStmt(GP::DropStmtContext* stmt_ctx) {
    GP::DropStatementContext* ctx = stmt_ctx->dropStatement();
    auto stmt = MakeStatement<ast::DropStatement>();
    GP::DropObjectContext* object = ctx->dropObject();
    switch (object->getStart()->getType()) {
    case GP::TABLE: stmt->object = ast::ObjectKind::Table; break;
    case GP::VIEW: stmt->object = ast::ObjectKind::View; break;
    case GP::INDEX: stmt->object = ast::ObjectKind::Index; break;
    case GP::TRIGGER: stmt->object = ast::ObjectKind::Trigger; break;
    case GP::DATABASE: stmt->object = ast::ObjectKind::Database; break;
    case GP::SCHEMA: stmt->object = ast::ObjectKind::Schema; break;
    default: stmt->object = ast::ObjectKind::Function; break;  // FUNCTION, MACRO [TABLE]
    }
    stmt->if_exists = ctx->IF() != nullptr;
    stmt->cascade = ctx->CASCADE() != nullptr;
    for (auto* name : ctx->dropName()) stmt->names.push_back(Names(name->qualifiedName()));
    if (ctx->qualifiedName() != nullptr) stmt->on_table = Names(ctx->qualifiedName());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitAlterTableStmt(GP::AlterTableStmtContext* stmt_ctx) {
    GP::AlterTableStatementContext* ctx = stmt_ctx->alterTableStatement();
    auto stmt = MakeStatement<ast::AlterTableStatement>();
    stmt->table = Names(ctx->qualifiedName());
    stmt->if_exists = ctx->IF() != nullptr;
    GP::AlterActionContext* action = ctx->alterAction();
    if (auto* add = dynamic_cast<GP::AddColumnActionContext*>(action)) {
        stmt->action = ast::AlterAction::AddColumn;
        stmt->if_column_exists = add->IF() != nullptr;
        std::vector<ast::TableConstraint> extra;
        stmt->column = BuildColumnDef(add->columnDef(), &extra);
        if (!extra.empty()) throw Error::NotSupported("REFERENCES in ALTER TABLE ADD COLUMN", Pos(add));
    } else if (auto* add_constraint = dynamic_cast<GP::AddConstraintActionContext*>(action)) {
        stmt->action = ast::AlterAction::AddConstraint;
        stmt->constraint = BuildTableConstraint(add_constraint->tableConstraint());
    } else if (auto* drop = dynamic_cast<GP::DropColumnActionContext*>(action)) {
        stmt->action = ast::AlterAction::DropColumn;
        stmt->if_column_exists = drop->IF() != nullptr;
        stmt->name = Ident(drop->identifier());
    } else if (auto* rename_column = dynamic_cast<GP::RenameColumnActionContext*>(action)) {
        stmt->action = ast::AlterAction::RenameColumn;
        stmt->name = Ident(rename_column->identifier(0));
        stmt->new_name = Ident(rename_column->identifier(1));
    } else if (auto* rename_table = dynamic_cast<GP::RenameTableActionContext*>(action)) {
        stmt->action = ast::AlterAction::RenameTable;
        stmt->new_name = Ident(rename_table->identifier());
    } else if (auto* alter_type = dynamic_cast<GP::AlterTypeActionContext*>(action)) {
        stmt->action = ast::AlterAction::AlterColumnType;
        stmt->name = Ident(alter_type->identifier());
        stmt->column.name = stmt->name;
        stmt->column.type = BuildTypeName(alter_type->typeName());
        stmt->column.pos = Pos(alter_type->identifier());
        // ALTER ... TYPE t USING expr: the conversion expression rides in default_value.
        if (alter_type->expr() != nullptr) stmt->column.default_value = BuildExpr(alter_type->expr());
    } else if (auto* set_default = dynamic_cast<GP::SetDefaultActionContext*>(action)) {
        stmt->action = ast::AlterAction::SetDefault;
        stmt->name = Ident(set_default->identifier());
        stmt->column.name = stmt->name;
        stmt->column.default_value = BuildValue(set_default->valueExpr());
    } else if (auto* drop_default = dynamic_cast<GP::DropDefaultActionContext*>(action)) {
        stmt->action = ast::AlterAction::DropDefault;
        stmt->name = Ident(drop_default->identifier());
        stmt->column.name = stmt->name;
    } else if (auto* set_not_null = dynamic_cast<GP::SetNotNullActionContext*>(action)) {
        stmt->action = ast::AlterAction::SetNotNull;
        stmt->name = Ident(set_not_null->identifier());
        stmt->column.name = stmt->name;
    } else {
        auto* drop_not_null = static_cast<GP::DropNotNullActionContext*>(action);
        stmt->action = ast::AlterAction::DropNotNull;
        stmt->name = Ident(drop_not_null->identifier());
        stmt->column.name = stmt->name;
    }
    return YieldStatement(std::move(stmt));
}

// ───────────────────────────── DML ─────────────────────────────

antlrcpp::Any AstBuilder::visitInsertStmt(GP::InsertStmtContext* ctx) {
    stmt_out_ = BuildInsert(ctx->insertStatement());
    return {};
}

ast::StatementPtr AstBuilder::BuildInsert(GP::InsertStatementContext* ctx) {
    auto stmt = MakeStatement<ast::InsertStatement>();
    stmt->table = Names(ctx->qualifiedName());
    if (ctx->identifier() != nullptr) stmt->alias = Ident(ctx->identifier());
    stmt->columns = Names(ctx->identifierList());
    if (ctx->INSERT() == nullptr) {
        stmt->on_conflict = ast::OnConflict::Replace;  // REPLACE INTO
    } else if (GP::ConflictActionContext* action = ctx->conflictAction()) {
        if (action->REPLACE() != nullptr) stmt->on_conflict = ast::OnConflict::Replace;
        if (action->IGNORE() != nullptr) stmt->on_conflict = ast::OnConflict::Ignore;
    }
    if (ctx->onConflictClause() != nullptr) stmt->on_conflict = ast::OnConflict::Ignore;  // ON CONFLICT DO NOTHING
    if (ctx->query() != nullptr) {
        stmt->source = BuildQuery(ctx->query());
    } else {
        stmt->default_values = true;
    }
    stmt->returning = BuildReturning(ctx->returningClause());
    return stmt;
}

antlrcpp::Any AstBuilder::visitUpdateStmt(GP::UpdateStmtContext* ctx) {
    stmt_out_ = BuildUpdate(ctx->updateStatement());
    return {};
}

ast::StatementPtr AstBuilder::BuildUpdate(GP::UpdateStatementContext* ctx) {
    auto stmt = MakeStatement<ast::UpdateStatement>();
    stmt->table = Names(ctx->qualifiedName());
    if (GP::TableAliasNameContext* alias = ctx->tableAliasName()) {
        stmt->alias = alias->aliasName() != nullptr ? AliasName(alias->aliasName()) : Ident(alias->bareAlias()->getStart());
    }
    for (auto* set : ctx->setClause()) {
        ast::SetClause clause;
        clause.pos = Pos(set);
        clause.column = Ident(set->identifier().back());  // SET t.col = ...: the column is the last part
        if (set->expr() != nullptr) {
            clause.value = BuildExpr(set->expr());
        } else {
            auto def = std::make_unique<ast::FunctionExpr>();
            def->name = "default";
            def->pos = Pos(set->DEFAULT()->getSymbol());
            clause.value = std::move(def);
        }
        stmt->sets.push_back(std::move(clause));
    }
    if (ctx->fromClause() != nullptr) stmt->from = BuildFromList(ctx->fromClause()->tableRef());
    if (ctx->whereClause() != nullptr) stmt->where = BuildExpr(ctx->whereClause()->expr());
    stmt->returning = BuildReturning(ctx->returningClause());
    return stmt;
}

antlrcpp::Any AstBuilder::visitDeleteStmt(GP::DeleteStmtContext* ctx) {
    stmt_out_ = BuildDelete(ctx->deleteStatement());
    return {};
}

ast::StatementPtr AstBuilder::BuildDelete(GP::DeleteStatementContext* ctx) {
    auto stmt = MakeStatement<ast::DeleteStatement>();
    stmt->table = Names(ctx->qualifiedName());
    if (GP::TableAliasNameContext* alias = ctx->tableAliasName()) {
        stmt->alias = alias->aliasName() != nullptr ? AliasName(alias->aliasName()) : Ident(alias->bareAlias()->getStart());
    }
    if (ctx->USING() != nullptr) stmt->using_tables = BuildFromList(ctx->tableRef());
    if (ctx->whereClause() != nullptr) stmt->where = BuildExpr(ctx->whereClause()->expr());
    stmt->returning = BuildReturning(ctx->returningClause());
    return stmt;
}

// ───────────────────────────── transactions, EXPLAIN, prepared statements ─────────────────────────────

antlrcpp::Any AstBuilder::visitTransactionStmt(GP::TransactionStmtContext* stmt_ctx) {
    GP::TransactionStatementContext* ctx = stmt_ctx->transactionStatement();
    auto stmt = MakeStatement<ast::TransactionStatement>();
    switch (ctx->getStart()->getType()) {
    case GP::BEGIN:
    case GP::START: stmt->op = ast::TransactionOp::Begin; break;
    case GP::COMMIT:
    case GP::END: stmt->op = ast::TransactionOp::Commit; break;
    default: stmt->op = ast::TransactionOp::Rollback; break;  // ROLLBACK, ABORT
    }
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitExplainStmt(GP::ExplainStmtContext* stmt_ctx) {
    GP::ExplainStatementContext* ctx = stmt_ctx->explainStatement();
    auto stmt = MakeStatement<ast::ExplainStatement>();
    if (ctx->ANALYZE() != nullptr) stmt->explain = ast::ExplainKind::Analyze;
    if (ctx->CODEGEN() != nullptr) stmt->explain = ast::ExplainKind::Codegen;
    stmt->statement = BuildStatement(ctx->statement());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitPrepareStmt(GP::PrepareStmtContext* stmt_ctx) {
    GP::PrepareStatementContext* ctx = stmt_ctx->prepareStatement();
    auto stmt = MakeStatement<ast::PrepareStatement>();
    stmt->name = Ident(ctx->identifier());
    for (auto* type : ctx->typeName()) stmt->param_types.push_back(BuildTypeName(type));
    stmt->statement = BuildStatement(ctx->statement());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitExecuteStmt(GP::ExecuteStmtContext* stmt_ctx) {
    GP::ExecuteStatementContext* ctx = stmt_ctx->executeStatement();
    auto stmt = MakeStatement<ast::ExecuteStatement>();
    stmt->name = Ident(ctx->identifier());
    stmt->args = BuildExprList(ctx->exprList());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitDeallocateStmt(GP::DeallocateStmtContext* stmt_ctx) {
    GP::DeallocateStatementContext* ctx = stmt_ctx->deallocateStatement();
    auto stmt = MakeStatement<ast::DeallocateStatement>();
    stmt->all = ctx->ALL() != nullptr;
    if (ctx->identifier() != nullptr) stmt->name = Ident(ctx->identifier());
    return YieldStatement(std::move(stmt));
}

// ───────────────────────────── COPY and databases ─────────────────────────────

std::vector<ast::CopyOption> AstBuilder::BuildCopyOptions(const std::vector<GP::CopyOptionContext*>& options) {
    std::vector<ast::CopyOption> out;
    for (auto* option : options) {
        ast::CopyOption opt;
        GP::CopyOptionNameContext* name = option->copyOptionName();
        opt.name = name->identifier() != nullptr ? AsciiLower(Ident(name->identifier())) : AsciiLower(TokenText(name->getStart()));
        if (GP::CopyOptionValueContext* value = option->copyOptionValue()) {
            if (value->STAR() != nullptr) {
                auto star = std::make_unique<ast::StarExpr>();
                star->pos = Pos(value);
                opt.value = std::move(star);
            } else if (value->exprList() != nullptr) {
                // (a, b): a list value, represented as a call of "list"
                auto list = std::make_unique<ast::FunctionExpr>();
                list->name = "list";
                list->pos = Pos(value);
                list->args = BuildExprList(value->exprList());
                opt.value = std::move(list);
            } else {
                opt.value = WordsToString(BuildExpr(value->expr()));
            }
        }
        out.push_back(std::move(opt));
    }
    return out;
}

// Old-style COPY options: DELIMITER '|', NULL 'x', HEADER, and CSV / BINARY / TEXT
// meaning FORMAT csv / binary / text.
ast::CopyOption AstBuilder::BuildLegacyCopyOption(GP::LegacyCopyOptionContext* ctx) {
    ast::CopyOption opt;
    opt.name = ctx->NULL_() != nullptr ? "null" : AsciiLower(Ident(ctx->identifier()));
    if (ctx->STRING() != nullptr) {
        auto constant = std::make_unique<ast::ConstantExpr>();
        constant->pos = Pos(ctx->STRING()->getSymbol());
        constant->value = Value::Varchar(StringContent(TokenText(ctx->STRING()->getSymbol())));
        opt.value = std::move(constant);
    } else if (GP::SignedNumberContext* number = ctx->signedNumber()) {
        auto constant = std::make_unique<ast::ConstantExpr>();
        constant->pos = Pos(number);
        std::string text = Text(number);
        if (number->INTEGER_LITERAL() != nullptr) {
            constant->value = Value::BigInt(std::stoll(text));
        } else {
            constant->value = Value::Double(std::stod(text));
        }
        opt.value = std::move(constant);
    } else if (opt.name == "csv" || opt.name == "binary" || opt.name == "text") {
        auto constant = std::make_unique<ast::ConstantExpr>();
        constant->pos = Pos(ctx);
        constant->value = Value::Varchar(opt.name);
        opt.value = std::move(constant);
        opt.name = "format";
    }
    return opt;
}

antlrcpp::Any AstBuilder::visitCopyStmt(GP::CopyStmtContext* stmt_ctx) {
    GP::CopyStatementContext* ctx = stmt_ctx->copyStatement();
    auto stmt = MakeStatement<ast::CopyStatement>();
    if (ctx->query() != nullptr) {
        stmt->query = BuildQuery(ctx->query());
        stmt->from = false;
    } else {
        stmt->table = Names(ctx->qualifiedName());
        stmt->columns = Names(ctx->identifierList());
        stmt->from = ctx->FROM() != nullptr;
    }
    GP::CopyTargetContext* target = ctx->copyTarget();
    stmt->path = target->STRING() != nullptr ? StringContent(TokenText(target->STRING()->getSymbol()))
                                             : Ident(target->identifier());
    if (GP::CopyOptionsContext* options = ctx->copyOptions()) {
        stmt->options = BuildCopyOptions(options->copyOption());
        for (auto* legacy : options->legacyCopyOption()) stmt->options.push_back(BuildLegacyCopyOption(legacy));
    }
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitAttachStmt(GP::AttachStmtContext* stmt_ctx) {
    GP::AttachStatementContext* ctx = stmt_ctx->attachStatement();
    auto stmt = MakeStatement<ast::AttachStatement>();
    stmt->if_not_exists = ctx->IF() != nullptr;
    stmt->path = StringContent(TokenText(ctx->STRING()->getSymbol()));
    if (ctx->identifier() != nullptr) stmt->alias = Ident(ctx->identifier());
    stmt->options = BuildCopyOptions(ctx->copyOption());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitDetachStmt(GP::DetachStmtContext* stmt_ctx) {
    GP::DetachStatementContext* ctx = stmt_ctx->detachStatement();
    auto stmt = MakeStatement<ast::DetachStatement>();
    stmt->if_exists = ctx->IF() != nullptr;
    stmt->name = Ident(ctx->identifier());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitUseStmt(GP::UseStmtContext* stmt_ctx) {
    auto stmt = MakeStatement<ast::UseStatement>();
    stmt->names = Names(stmt_ctx->useStatement()->qualifiedName());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitExportStmt(GP::ExportStmtContext* stmt_ctx) {
    GP::ExportStatementContext* ctx = stmt_ctx->exportStatement();
    auto stmt = MakeStatement<ast::ExportDatabaseStatement>();
    stmt->path = StringContent(TokenText(ctx->STRING()->getSymbol()));
    stmt->options = BuildCopyOptions(ctx->copyOption());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitImportStmt(GP::ImportStmtContext* stmt_ctx) {
    auto stmt = MakeStatement<ast::ImportDatabaseStatement>();
    stmt->path = StringContent(TokenText(stmt_ctx->importStatement()->STRING()->getSymbol()));
    return YieldStatement(std::move(stmt));
}

// ───────────────────────────── settings and introspection ─────────────────────────────

ast::ExprPtr AstBuilder::BuildSettingValue(GP::ExprContext* ctx) { return WordsToString(BuildExpr(ctx)); }

antlrcpp::Any AstBuilder::visitSetStmt(GP::SetStmtContext* stmt_ctx) {
    GP::SetStatementContext* ctx = stmt_ctx->setStatement();
    auto stmt = MakeStatement<ast::SetStatement>();
    stmt->name = AsciiLower(JoinNames(Names(ctx->qualifiedName())));
    if (ctx->LOCAL() != nullptr) stmt->scope = "local";
    if (ctx->SESSION() != nullptr) stmt->scope = "session";
    if (ctx->GLOBAL() != nullptr) stmt->scope = "global";
    if (ctx->expr() != nullptr) {
        stmt->value = BuildSettingValue(ctx->expr());
    } else if (ctx->ON() != nullptr) {
        auto constant = std::make_unique<ast::ConstantExpr>();
        constant->pos = Pos(ctx->ON()->getSymbol());
        constant->value = Value::Varchar("on");
        stmt->value = std::move(constant);
    }
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitResetStmt(GP::ResetStmtContext* stmt_ctx) {
    GP::ResetStatementContext* ctx = stmt_ctx->resetStatement();
    auto stmt = MakeStatement<ast::SetStatement>();
    stmt->reset = true;
    stmt->name = ctx->ALL() != nullptr ? "all" : AsciiLower(JoinNames(Names(ctx->qualifiedName())));
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitPragmaStmt(GP::PragmaStmtContext* stmt_ctx) {
    GP::PragmaStatementContext* ctx = stmt_ctx->pragmaStatement();
    auto stmt = MakeStatement<ast::PragmaStatement>();
    stmt->name = AsciiLower(JoinNames(Names(ctx->qualifiedName())));
    if (ctx->EQ() != nullptr) {
        stmt->assignment = true;
        stmt->args.push_back(BuildSettingValue(ctx->expr()));
    } else {
        stmt->args = BuildExprList(ctx->exprList());
    }
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitShowStmt(GP::ShowStmtContext* stmt_ctx) {
    GP::ShowStatementContext* ctx = stmt_ctx->showStatement();
    if (auto* columns = dynamic_cast<GP::ShowColumnsContext*>(ctx)) {
        auto stmt = MakeStatement<ast::DescribeStatement>();
        stmt->table = Names(columns->qualifiedName());
        return YieldStatement(std::move(stmt));
    }
    auto stmt = MakeStatement<ast::ShowStatement>();
    if (auto* tables = dynamic_cast<GP::ShowTablesContext*>(ctx)) {
        stmt->what = "tables";
        if (tables->qualifiedName() != nullptr) stmt->from = JoinNames(Names(tables->qualifiedName()));
    } else if (dynamic_cast<GP::ShowDatabasesContext*>(ctx) != nullptr) {
        stmt->what = "databases";
    } else if (dynamic_cast<GP::ShowAllContext*>(ctx) != nullptr) {
        stmt->what = "all";
    } else {
        stmt->what = AsciiLower(JoinNames(Names(static_cast<GP::ShowNameContext*>(ctx)->qualifiedName())));
    }
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitDescribeStmt(GP::DescribeStmtContext* stmt_ctx) {
    GP::DescribeStatementContext* ctx = stmt_ctx->describeStatement();
    auto stmt = MakeStatement<ast::DescribeStatement>();
    if (auto* query = dynamic_cast<GP::DescribeQueryContext*>(ctx)) {
        stmt->query = BuildQuery(query->query());
    } else {
        stmt->table = Names(static_cast<GP::DescribeTableContext*>(ctx)->qualifiedName());
    }
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitCallStmt(GP::CallStmtContext* stmt_ctx) {
    GP::CallStatementContext* ctx = stmt_ctx->callStatement();
    auto stmt = MakeStatement<ast::CallStatement>();
    stmt->call = BuildCallArgs(ctx->qualifiedName(), ctx->functionArg(), true);
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitCheckpointStmt(GP::CheckpointStmtContext* stmt_ctx) {
    GP::CheckpointStatementContext* ctx = stmt_ctx->checkpointStatement();
    auto stmt = MakeStatement<ast::CheckpointStatement>();
    stmt->force = ctx->FORCE() != nullptr;
    if (ctx->identifier() != nullptr) stmt->database = Ident(ctx->identifier());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitVacuumStmt(GP::VacuumStmtContext* stmt_ctx) {
    GP::VacuumStatementContext* ctx = stmt_ctx->vacuumStatement();
    auto stmt = MakeStatement<ast::VacuumStatement>();
    stmt->analyze = ctx->ANALYZE() != nullptr;
    if (ctx->qualifiedName() != nullptr) stmt->table = Names(ctx->qualifiedName());
    return YieldStatement(std::move(stmt));
}

antlrcpp::Any AstBuilder::visitBackupStmt(GP::BackupStmtContext* stmt_ctx) {
    GP::BackupStatementContext* ctx = stmt_ctx->backupStatement();
    auto stmt = MakeStatement<ast::BackupStatement>();
    if (ctx->identifier() != nullptr) stmt->database = Ident(ctx->identifier());
    stmt->path = StringContent(TokenText(ctx->STRING()->getSymbol()));
    return YieldStatement(std::move(stmt));
}

}  // namespace grizzly::frontend
