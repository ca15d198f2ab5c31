// Queries: WITH, set operations, SELECT cores, VALUES, ORDER BY / LIMIT and FROM.

#include "common/error.hpp"
#include "frontend/parser/ast_builder.hpp"

namespace grizzly::frontend {

namespace {

bool HasTail(const ast::Query& query) {
    return !query.order_by.empty() || query.limit != nullptr || query.offset != nullptr;
}

/// SELECT * FROM (inner): keeps a parenthesized query's own ORDER BY / LIMIT
/// apart from the ones written after the parentheses.
std::unique_ptr<ast::Query> WrapAsSubquery(std::unique_ptr<ast::Query> inner) {
    auto outer = std::make_unique<ast::Query>();
    outer->pos = inner->pos;
    outer->select = std::make_unique<ast::SelectCore>();
    auto star = std::make_unique<ast::StarExpr>();
    star->pos = inner->pos;
    outer->select->items.push_back(ast::SelectItem{std::move(star), {}});
    auto ref = std::make_unique<ast::SubqueryRef>();
    ref->pos = inner->pos;
    ref->query = std::move(inner);
    outer->select->from = std::move(ref);
    return outer;
}

ast::TableRefPtr CrossJoin(ast::TableRefPtr left, ast::TableRefPtr right) {
    auto join = std::make_unique<ast::JoinRef>();
    join->pos = right->pos;
    join->type = ast::JoinType::Cross;
    join->left = std::move(left);
    join->right = std::move(right);
    return join;
}

}  // namespace

std::unique_ptr<ast::Query> AstBuilder::BuildQuery(GP::QueryContext* ctx) {
    std::unique_ptr<ast::Query> query = BuildSetExpr(ctx->setExpr());
    bool has_with = ctx->withClause() != nullptr;
    bool has_tail = ctx->orderByClause() != nullptr || ctx->limitClause() != nullptr;
    // A parenthesized body that already has its own WITH or ORDER BY/LIMIT gets a
    // SELECT * FROM (...) around it, so the two levels stay distinct.
    if ((has_with && !query->ctes.empty()) || (has_tail && HasTail(*query))) query = WrapAsSubquery(std::move(query));
    query->pos = Pos(ctx);

    if (has_with) {
        GP::WithClauseContext* with = ctx->withClause();
        query->recursive = with->RECURSIVE() != nullptr;
        for (auto* cte_ctx : with->commonTableExpr()) {
            ast::CommonTableExpr cte;
            cte.name = Ident(cte_ctx->identifier());
            cte.column_names = Names(cte_ctx->identifierList());
            if (cte_ctx->MATERIALIZED() != nullptr) cte.materialized = cte_ctx->NOT() == nullptr;
            cte.query = BuildQuery(cte_ctx->query());
            cte.pos = Pos(cte_ctx);
            query->ctes.push_back(std::move(cte));
        }
    }
    if (ctx->orderByClause() != nullptr) query->order_by = BuildOrderBy(ctx->orderByClause());
    if (GP::LimitClauseContext* limit = ctx->limitClause()) {
        auto build_fetch = [&](GP::FetchClauseContext* fetch) {
            if (fetch->expr() != nullptr) {
                query->limit = BuildExpr(fetch->expr());
            } else {
                auto one = std::make_unique<ast::ConstantExpr>();  // FETCH FIRST ROW ONLY
                one->value = Value::Integer(1);
                one->pos = Pos(fetch);
                query->limit = std::move(one);
            }
        };
        if (auto* limit_offset = dynamic_cast<GP::LimitOffsetContext*>(limit)) {
            auto exprs = limit_offset->expr();
            bool limit_all = limit_offset->ALL() != nullptr;
            size_t next = 0;
            if (limit_offset->COMMA() != nullptr) {
                // LIMIT offset, count (MySQL / SQLite)
                query->offset = BuildExpr(exprs[0]);
                query->limit = BuildExpr(exprs[1]);
            } else {
                if (!limit_all) query->limit = BuildExpr(exprs[next++]);
                if (limit_offset->OFFSET() != nullptr) query->offset = BuildExpr(exprs[next]);
            }
        } else if (auto* offset_limit = dynamic_cast<GP::OffsetLimitContext*>(limit)) {
            auto exprs = offset_limit->expr();
            query->offset = BuildExpr(exprs[0]);
            if (offset_limit->LIMIT() != nullptr && offset_limit->ALL() == nullptr) query->limit = BuildExpr(exprs[1]);
            if (offset_limit->fetchClause() != nullptr) build_fetch(offset_limit->fetchClause());
        } else {
            build_fetch(static_cast<GP::FetchOnlyContext*>(limit)->fetchClause());
        }
    }
    return query;
}

std::unique_ptr<ast::Query> AstBuilder::BuildSetExpr(GP::SetExprContext* ctx) {
    ctx->accept(this);
    return std::move(query_out_);
}

antlrcpp::Any AstBuilder::visitPrimarySetExpr(GP::PrimarySetExprContext* ctx) {
    query_out_ = BuildQueryPrimary(ctx->queryPrimary());
    return {};
}

antlrcpp::Any AstBuilder::visitIntersectSetExpr(GP::IntersectSetExprContext* ctx) {
    auto query = std::make_unique<ast::Query>();
    query->pos = Pos(ctx->INTERSECT()->getSymbol());
    query->body_kind = ast::QueryBodyKind::SetOp;
    query->set_op = ast::SetOpKind::Intersect;
    query->set_all = ctx->setQuantifier() != nullptr && ctx->setQuantifier()->ALL() != nullptr;
    query->left = BuildSetExpr(ctx->setExpr(0));
    query->right = BuildSetExpr(ctx->setExpr(1));
    query_out_ = std::move(query);
    return {};
}

antlrcpp::Any AstBuilder::visitUnionSetExpr(GP::UnionSetExprContext* ctx) {
    auto query = std::make_unique<ast::Query>();
    query->pos = Pos(ctx->op);
    query->body_kind = ast::QueryBodyKind::SetOp;
    query->set_op = ctx->op->getType() == GP::UNION ? ast::SetOpKind::Union : ast::SetOpKind::Except;
    query->set_all = ctx->setQuantifier() != nullptr && ctx->setQuantifier()->ALL() != nullptr;
    query->left = BuildSetExpr(ctx->setExpr(0));
    query->right = BuildSetExpr(ctx->setExpr(1));
    query_out_ = std::move(query);
    return {};
}

std::unique_ptr<ast::Query> AstBuilder::BuildQueryPrimary(GP::QueryPrimaryContext* ctx) {
    if (auto* paren = dynamic_cast<GP::ParenQueryPrimaryContext*>(ctx)) return BuildQuery(paren->query());

    auto query = std::make_unique<ast::Query>();
    query->pos = Pos(ctx);
    if (auto* select = dynamic_cast<GP::SelectQueryPrimaryContext*>(ctx)) {
        query->body_kind = ast::QueryBodyKind::Select;
        query->select = BuildSelectCore(select->selectCore());
    } else if (auto* values = dynamic_cast<GP::ValuesQueryPrimaryContext*>(ctx)) {
        query->body_kind = ast::QueryBodyKind::Values;
        for (auto* row : values->valuesClause()->valuesRow()) {
            std::vector<ast::ExprPtr> items;
            for (auto* item : row->valuesItem()) {
                if (item->expr() != nullptr) {
                    items.push_back(BuildExpr(item->expr()));
                    continue;
                }
                auto def = std::make_unique<ast::FunctionExpr>();
                def->name = "default";
                def->pos = Pos(item);
                items.push_back(std::move(def));
            }
            query->values.push_back(std::move(items));
        }
    } else {
        // TABLE t is SELECT * FROM t
        auto* table = static_cast<GP::TableQueryPrimaryContext*>(ctx);
        query->select = std::make_unique<ast::SelectCore>();
        auto star = std::make_unique<ast::StarExpr>();
        star->pos = Pos(ctx);
        query->select->items.push_back(ast::SelectItem{std::move(star), {}});
        auto ref = std::make_unique<ast::BaseTableRef>();
        ref->pos = Pos(table->qualifiedName());
        ref->names = Names(table->qualifiedName());
        query->select->from = std::move(ref);
    }
    return query;
}

std::unique_ptr<ast::SelectCore> AstBuilder::BuildSelectCore(GP::SelectCoreContext* ctx) {
    auto core = std::make_unique<ast::SelectCore>();
    core->distinct = ctx->DISTINCT() != nullptr;
    if (ctx->exprList() != nullptr) core->distinct_on = BuildExprList(ctx->exprList());
    auto items = ctx->selectItem();
    core->items.reserve(items.size());
    for (auto* item : items) core->items.push_back(BuildSelectItem(item));
    if (ctx->fromClause() != nullptr) core->from = BuildFromList(ctx->fromClause()->tableRef());
    if (ctx->whereClause() != nullptr) core->where = BuildExpr(ctx->whereClause()->expr());
    if (GP::GroupByClauseContext* group = ctx->groupByClause()) {
        if (group->ALL() != nullptr) {
            core->group_by_all = true;
        } else {
            core->group_by = BuildExprList(group->exprList());
        }
    }
    if (ctx->havingClause() != nullptr) core->having = BuildExpr(ctx->havingClause()->expr());
    if (GP::WindowClauseContext* window = ctx->windowClause()) {
        for (auto* def : window->windowDefinition()) {
            core->windows.emplace_back(Ident(def->identifier()), BuildWindowSpec(def->windowSpec()));
        }
    }
    if (ctx->qualifyClause() != nullptr) core->qualify = BuildExpr(ctx->qualifyClause()->expr());
    return core;
}

ast::SelectItem AstBuilder::BuildSelectItem(GP::SelectItemContext* ctx) {
    ast::SelectItem item;
    if (auto* expr_item = dynamic_cast<GP::ExprSelectItemContext*>(ctx)) {
        item.expr = BuildExpr(expr_item->expr());
        if (expr_item->aliasName() != nullptr) {
            item.alias = AliasName(expr_item->aliasName());
        } else if (expr_item->bareAlias() != nullptr) {
            item.alias = Ident(expr_item->bareAlias()->getStart());
        }
        return item;
    }
    auto star = std::make_unique<ast::StarExpr>();
    star->pos = Pos(ctx);
    if (auto* qualified = dynamic_cast<GP::QualifiedStarSelectItemContext*>(ctx)) {
        // t.* or schema.t.*: the qualifier is the dotted name as written
        std::string qualifier;
        for (auto* part : qualified->identifier()) {
            if (!qualifier.empty()) qualifier += '.';
            qualifier += Ident(part);
        }
        star->qualifier = std::move(qualifier);
    }
    item.expr = std::move(star);
    return item;
}

ast::ReturningClause AstBuilder::BuildReturning(GP::ReturningClauseContext* ctx) {
    ast::ReturningClause returning;
    if (ctx == nullptr) return returning;
    for (auto* item : ctx->selectItem()) returning.items.push_back(BuildSelectItem(item));
    return returning;
}

// ───────────────────────────── FROM ─────────────────────────────

ast::TableRefPtr AstBuilder::BuildFromList(const std::vector<GP::TableRefContext*>& refs) {
    ast::TableRefPtr result = BuildTableRef(refs[0]);
    for (size_t idx = 1; idx < refs.size(); ++idx) result = CrossJoin(std::move(result), BuildTableRef(refs[idx]));
    return result;
}

ast::TableRefPtr AstBuilder::BuildTableRef(GP::TableRefContext* ctx) {
    ast::TableRefPtr result = BuildTablePrimary(ctx->tablePrimary());
    for (auto* join_ctx : ctx->joinClause()) {
        auto join = std::make_unique<ast::JoinRef>();
        join->pos = Pos(join_ctx);
        join->left = std::move(result);
        GP::JoinTypeContext* type = nullptr;
        if (auto* cross = dynamic_cast<GP::CrossJoinContext*>(join_ctx)) {
            join->type = ast::JoinType::Cross;
            join->right = BuildTablePrimary(cross->tablePrimary());
        } else if (auto* natural = dynamic_cast<GP::NaturalJoinContext*>(join_ctx)) {
            join->natural = true;
            type = natural->joinType();
            join->right = BuildTablePrimary(natural->tablePrimary());
        } else {
            auto* qualified = static_cast<GP::QualifiedJoinContext*>(join_ctx);
            type = qualified->joinType();
            join->right = BuildTablePrimary(qualified->tablePrimary());
            if (GP::JoinConditionContext* cond = qualified->joinCondition()) {
                if (cond->expr() != nullptr) {
                    join->condition = BuildExpr(cond->expr());
                } else {
                    join->using_columns = Names(cond->identifierList());
                }
            } else {
                // As in PostgreSQL: only CROSS and NATURAL joins go without ON or USING.
                antlr4::Token* after = qualified->getStop();
                throw Error::SyntaxAt("JOIN requires an ON or USING clause after \"" + after->getText() + "\"",
                                      Pos(after));
            }
        }
        if (type != nullptr) {
            if (type->LEFT() != nullptr) join->type = ast::JoinType::Left;
            if (type->RIGHT() != nullptr) join->type = ast::JoinType::Right;
            if (type->FULL() != nullptr) join->type = ast::JoinType::Full;
        }
        result = std::move(join);
    }
    return result;
}

ast::TableRefPtr AstBuilder::BuildTablePrimary(GP::TablePrimaryContext* ctx) {
    ctx->accept(this);
    return std::move(table_out_);
}

void AstBuilder::ApplyTableAlias(ast::TableRef& ref, GP::TableAliasContext* ctx) const {
    if (ctx == nullptr) return;
    ref.alias = ctx->aliasName() != nullptr ? AliasName(ctx->aliasName()) : Ident(ctx->bareAlias()->getStart());
    if (ctx->identifierList() != nullptr) ref.column_aliases = Names(ctx->identifierList());
}

antlrcpp::Any AstBuilder::visitFunctionTable(GP::FunctionTableContext* ctx) {
    auto ref = std::make_unique<ast::FunctionRef>();
    ref->pos = Pos(ctx);
    ref->call = BuildCallArgs(ctx->qualifiedName(), ctx->functionArg(), false);
    ApplyTableAlias(*ref, ctx->tableAlias());
    table_out_ = std::move(ref);
    return {};
}

antlrcpp::Any AstBuilder::visitLateralFunctionTable(GP::LateralFunctionTableContext* ctx) {
    // A table function may always refer to earlier FROM items; LATERAL adds nothing.
    auto ref = std::make_unique<ast::FunctionRef>();
    ref->pos = Pos(ctx);
    ref->call = BuildCallArgs(ctx->qualifiedName(), ctx->functionArg(), false);
    ApplyTableAlias(*ref, ctx->tableAlias());
    table_out_ = std::move(ref);
    return {};
}

antlrcpp::Any AstBuilder::visitBaseTable(GP::BaseTableContext* ctx) {
    auto ref = std::make_unique<ast::BaseTableRef>();
    ref->pos = Pos(ctx);
    ref->names = Names(ctx->qualifiedName());
    if (ref->names.size() > 3) throw Error::SyntaxAt("improper qualified name (too many dotted names)", ref->pos);
    ApplyTableAlias(*ref, ctx->tableAlias());
    table_out_ = std::move(ref);
    return {};
}

antlrcpp::Any AstBuilder::visitSubqueryTable(GP::SubqueryTableContext* ctx) {
    auto ref = std::make_unique<ast::SubqueryRef>();
    ref->pos = Pos(ctx);
    ref->lateral = ctx->LATERAL() != nullptr;
    ref->query = BuildQuery(ctx->query());
    ApplyTableAlias(*ref, ctx->tableAlias());
    table_out_ = std::move(ref);
    return {};
}

antlrcpp::Any AstBuilder::visitParenTable(GP::ParenTableContext* ctx) {
    ast::TableRefPtr inner = BuildTableRef(ctx->tableRef());
    ApplyTableAlias(*inner, ctx->tableAlias());
    table_out_ = std::move(inner);
    return {};
}

}  // namespace grizzly::frontend
