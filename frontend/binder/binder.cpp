#include "frontend/binder/binder.hpp"

#include <algorithm>
#include <set>

#include "frontend/binder/expression_binder.hpp"
#include "frontend/binder/type_rules.hpp"
#include "frontend/parser/parser.hpp"

namespace grizzly::frontend {

using ir::Expr;
using ir::ExprPtr;
using ir::ExprType;
using ir::LogicalOperator;
using ir::LogicalOpPtr;
using ir::LogicalOpType;

Binder::Binder(BinderShared& shared, Binder* parent, bool transparent)
    : shared_(shared), parent_(parent), transparent_(transparent) {
    // WITH definitions of enclosing queries are visible in subqueries.
    if (parent_) ctes_ = parent_->ctes_;
}

LogicalType Binder::ResolveType(const ast::TypeName& type) {
    LogicalType out;
    if (!LookupTypeName(type.name, static_cast<int>(type.modifiers.size()), type.modifiers.data(), out)) {
        if (type.name == "hugeint" || type.name == "int128")
            throw Error::NotSupported("type " + type.name, type.pos);
        if ((type.name == "decimal" || type.name == "numeric") && !type.modifiers.empty())
            throw Error(SqlState::InvalidParameterValue,
                        "DECIMAL precision must be between 1 and 18 and scale at most the precision", type.pos);
        throw Error(SqlState::UndefinedObject, "type \"" + type.name + "\" does not exist", type.pos);
    }
    return out;
}

// ───────────────────────────── name resolution ─────────────────────────────

static std::string JoinNames(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) out += (i ? "." : "") + names[i];
    return out;
}

ExprPtr Binder::ResolveLocal(const std::vector<std::string>& names, SourcePos pos, bool& found) {
    found = false;
    const std::string& column = names.back();
    if (names.size() == 1) {
        for (auto& u : scope_.using_columns) {
            if (u.name == column) {
                found = true;
                return u.expr->Copy();
            }
        }
        const BoundColumn* match = nullptr;
        for (auto& table : scope_.tables) {
            for (auto& col : table.columns) {
                if (col.name != column) continue;
                if (match) throw Error::AmbiguousColumn(column, pos);
                match = &col;
            }
        }
        if (!match) return nullptr;
        found = true;
        return Expr::Column(match->binding, match->type, column);
    }
    const std::string& table_name = names[names.size() - 2];
    for (auto& table : scope_.tables) {
        if (table.alias != table_name) continue;
        for (auto& col : table.columns) {
            if (col.name == column) {
                found = true;
                return Expr::Column(col.binding, col.type, column);
            }
        }
        throw Error(SqlState::UndefinedColumn,
                    "column " + table_name + "." + column + " does not exist", pos);
    }
    return nullptr;
}

ExprPtr Binder::ResolveColumn(const std::vector<std::string>& names, SourcePos pos) {
    bool found = false;
    ExprPtr local = ResolveLocal(names, pos, found);
    if (found) return local;
    if (shared_.trigger_table && names.size() == 2 && (names[0] == "new" || names[0] == "old")) {
        bool is_new = names[0] == "new";
        if ((is_new && !shared_.trigger_has_new) || (!is_new && !shared_.trigger_has_old))
            throw Error(SqlState::UndefinedColumn, "row " + names[0] + " is not available in this trigger", pos);
        int col = shared_.trigger_table->ColumnIndex(names[1]);
        if (col < 0) throw Error::UndefinedColumn(JoinNames(names), pos);
        size_t ncols = shared_.trigger_table->Columns().size();
        auto e = std::make_unique<Expr>(ExprType::Parameter, shared_.trigger_table->Columns()[static_cast<size_t>(col)].type);
        e->position = static_cast<uint32_t>(is_new ? col : static_cast<int>(ncols) + col);
        e->alias = JoinNames(names);
        return e;
    }
    return ResolveOuter(names, pos);
}

ExprPtr Binder::ResolveOuter(const std::vector<std::string>& names, SourcePos pos) {
    if (!parent_) {
        if (names.size() > 1) {
            bool table_known = std::any_of(scope_.tables.begin(), scope_.tables.end(),
                                           [&](const ScopeTable& t) { return t.alias == names[names.size() - 2]; });
            if (!table_known)
                throw Error(SqlState::UndefinedTable,
                            "missing FROM-clause entry for table \"" + names[names.size() - 2] + "\"", pos);
        }
        throw Error::UndefinedColumn(JoinNames(names), pos);
    }
    ExprPtr outer = parent_->ResolveColumn(names, pos);
    if (transparent_) return outer;
    return AddCorrelation(std::move(outer));
}

ExprPtr Binder::AddCorrelation(ExprPtr outer_expr) {
    size_t slot = correlated_.size();
    for (size_t i = 0; i < correlated_.size(); ++i) {
        if (correlated_[i]->Equals(*outer_expr)) {
            slot = i;
            break;
        }
    }
    LogicalType type = outer_expr->return_type;
    std::string alias = outer_expr->alias;
    if (slot == correlated_.size()) correlated_.push_back(std::move(outer_expr));
    auto param = std::make_unique<Expr>(ExprType::Parameter, type);
    param->position = static_cast<uint32_t>(slot);
    param->depth = 1;
    param->alias = alias;
    return param;
}

void Binder::ExpandStar(const ast::StarExpr& star, std::vector<ExprPtr>& out, std::vector<std::string>& names) {
    bool any = false;
    std::set<std::pair<size_t, size_t>> hidden;
    if (star.qualifier.empty()) {
        for (auto& u : scope_.using_columns) {
            out.push_back(u.expr->Copy());
            names.push_back(u.name);
            hidden.insert(u.hidden.begin(), u.hidden.end());
            any = true;
        }
    }
    for (size_t t = 0; t < scope_.tables.size(); ++t) {
        auto& table = scope_.tables[t];
        if (!star.qualifier.empty() && table.alias != star.qualifier) continue;
        for (size_t c = 0; c < table.columns.size(); ++c) {
            if (hidden.count({t, c})) continue;
            auto& col = table.columns[c];
            out.push_back(Expr::Column(col.binding, col.type, col.name));
            names.push_back(col.name);
            any = true;
        }
        if (!star.qualifier.empty()) return;
    }
    if (!star.qualifier.empty())
        throw Error(SqlState::UndefinedTable, "missing FROM-clause entry for table \"" + star.qualifier + "\"", star.pos);
    if (!any) throw Error(SqlState::SyntaxError, "SELECT * with no tables specified is not valid", star.pos);
}

// ───────────────────────────── queries ─────────────────────────────

ir::BoundQuery Binder::BindQuery(const ast::Query& query) {
    size_t cte_mark = ctes_.size();
    for (auto& cte : query.ctes) {
        if (query.recursive) throw Error::NotSupported("WITH RECURSIVE", cte.pos);
        ctes_.push_back({cte.name, &cte});
    }
    ir::BoundQuery bound = BindQueryBody(query);
    ctes_.resize(cte_mark);
    return bound;
}

ir::BoundQuery Binder::BindQueryBody(const ast::Query& query) {
    switch (query.body_kind) {
    case ast::QueryBodyKind::Select: return BindSelectCore(query, *query.select);
    case ast::QueryBodyKind::SetOp: {
        ir::BoundQuery bound = BindSetOp(query);
        ApplyOrderLimit(query, bound, bound.types.size());
        return bound;
    }
    case ast::QueryBodyKind::Values: {
        ir::BoundQuery bound = BindValues(query);
        ApplyOrderLimit(query, bound, bound.types.size());
        return bound;
    }
    }
    throw Error::Internal("query body");
}

static LogicalOpPtr MakeProjection(uint32_t table_index, std::vector<ExprPtr> exprs, LogicalOpPtr child) {
    auto proj = std::make_unique<LogicalOperator>(LogicalOpType::Projection);
    proj->table_index = table_index;
    proj->expressions = std::move(exprs);
    proj->children.push_back(std::move(child));
    return proj;
}

static bool IsPositionalConstant(const ast::Expr& e, int64_t& pos) {
    if (e.kind != ast::ExprKind::Constant) return false;
    auto& v = static_cast<const ast::ConstantExpr&>(e).value;
    if (v.IsNull() || !v.Type().IsInteger()) return false;
    pos = v.GetInt64();
    return true;
}

ir::BoundQuery Binder::BindSelectCore(const ast::Query& query, const ast::SelectCore& core) {
    // FROM
    LogicalOpPtr plan;
    if (core.from) {
        plan = BindTableRef(*core.from);
    } else {
        plan = std::make_unique<LogicalOperator>(LogicalOpType::Values);
        plan->table_index = NewTableIndex();
    }
    // WHERE
    if (core.where) {
        ExpressionBinder eb(*this, nullptr);
        eb.clause = "WHERE";
        ExprPtr cond = eb.BindCondition(*core.where, "WHERE");
        auto filter = std::make_unique<LogicalOperator>(LogicalOpType::Filter);
        ir::SplitConjunction(std::move(cond), filter->expressions);
        filter->children.push_back(std::move(plan));
        plan = std::move(filter);
    }
    // Select list: expand stars, collect aliases.
    struct Item {
        const ast::Expr* expr = nullptr;
        ExprPtr expanded;  // from * expansion
        std::string name;
    };
    std::vector<Item> items;
    std::vector<std::pair<std::string, const ast::Expr*>> aliases;
    for (auto& item : core.items) {
        if (item.expr->kind == ast::ExprKind::Star) {
            std::vector<ExprPtr> cols;
            std::vector<std::string> names;
            ExpandStar(static_cast<const ast::StarExpr&>(*item.expr), cols, names);
            for (size_t i = 0; i < cols.size(); ++i) items.push_back({nullptr, std::move(cols[i]), names[i]});
            continue;
        }
        std::string name = item.alias;
        if (name.empty()) {
            if (item.expr->kind == ast::ExprKind::ColumnRef)
                name = static_cast<const ast::ColumnRefExpr&>(*item.expr).names.back();
            else if (item.expr->kind == ast::ExprKind::Function)
                name = static_cast<const ast::FunctionExpr&>(*item.expr).name;
            else if (item.expr->kind == ast::ExprKind::Cast &&
                     static_cast<const ast::CastExpr&>(*item.expr).operand->kind == ast::ExprKind::ColumnRef)
                name = static_cast<const ast::ColumnRefExpr&>(*static_cast<const ast::CastExpr&>(*item.expr).operand)
                           .names.back();
            else
                name = "?column?";
        }
        if (!item.alias.empty()) aliases.push_back({item.alias, item.expr.get()});
        items.push_back({item.expr.get(), nullptr, name});
    }
    bool has_agg = !core.group_by.empty() || core.group_by_all || (core.having != nullptr);
    for (auto& item : items)
        if (item.expr && ContainsAggregate(*item.expr)) has_agg = true;
    for (auto& o : query.order_by)
        if (ContainsAggregate(*o.expr)) has_agg = true;

    AggregateState agg;
    if (has_agg) {
        agg.group_index = NewTableIndex();
        agg.aggregate_index = NewTableIndex();
        ExpressionBinder gb(*this, nullptr);
        gb.clause = "GROUP BY";
        gb.aliases = &aliases;
        if (core.group_by_all) {
            for (auto& item : items)
                if (item.expr && !ContainsAggregate(*item.expr)) agg.groups.push_back(gb.Bind(*item.expr));
        }
        for (auto& g : core.group_by) {
            int64_t position;
            if (IsPositionalConstant(*g, position)) {
                if (position < 1 || position > static_cast<int64_t>(items.size()))
                    throw Error(SqlState::InvalidColumnReference,
                                "GROUP BY position " + std::to_string(position) + " is not in select list", g->pos);
                auto& item = items[static_cast<size_t>(position - 1)];
                agg.groups.push_back(item.expr ? gb.Bind(*item.expr) : item.expanded->Copy());
                continue;
            }
            if (ContainsAggregate(*g)) throw Error(SqlState::GroupingError, "aggregate functions are not allowed in GROUP BY", g->pos);
            agg.groups.push_back(gb.Bind(*g));
        }
        // Select-list expressions are folded before they are matched to the groups
        // (ExpressionBinder::Bind): fold the groups alike, or `v + 1` (a cast of 1) never matches.
        if (shared_.evaluate)
            for (auto& group : agg.groups) ir::FoldExpression(group, shared_.evaluate);
    }
    ExpressionBinder sb(*this, has_agg ? &agg : nullptr);
    sb.clause = "SELECT";
    std::vector<ExprPtr> select_exprs;
    std::vector<std::string> names;
    for (auto& item : items) {
        ExprPtr e;
        if (item.expr) {
            e = sb.Bind(*item.expr);
        } else {
            e = std::move(item.expanded);
            if (has_agg) {
                // A * column of a grouped query must itself be grouped.
                bool grouped = false;
                for (size_t g = 0; g < agg.groups.size(); ++g) {
                    if (e->Equals(*agg.groups[g])) {
                        e = Expr::Column({agg.group_index, static_cast<uint32_t>(g)}, e->return_type, item.name);
                        grouped = true;
                        break;
                    }
                }
                if (!grouped)
                    throw Error(SqlState::GroupingError, "column \"" + item.name +
                                                             "\" must appear in the GROUP BY clause or be used in an aggregate function");
            }
        }
        select_exprs.push_back(std::move(e));
        names.push_back(item.name);
    }
    ExprPtr having;
    if (core.having) {
        ExpressionBinder hb(*this, &agg);
        hb.clause = "HAVING";
        hb.aliases = &aliases;
        having = hb.BindCondition(*core.having, "HAVING");
    }
    if (core.qualify) throw Error::NotSupported("QUALIFY", core.qualify->pos);
    if (!core.distinct_on.empty()) throw Error::NotSupported("DISTINCT ON", core.distinct_on[0]->pos);

    // ORDER BY: positions, output names, or expressions (hidden extra columns unless DISTINCT).
    size_t visible = select_exprs.size();
    std::vector<ir::SortKey> sort_keys;
    std::vector<std::pair<size_t, const ast::OrderItem*>> order_refs;
    for (auto& o : query.order_by) {
        int64_t position;
        size_t index = SIZE_MAX;
        if (IsPositionalConstant(*o.expr, position)) {
            if (position < 1 || position > static_cast<int64_t>(visible))
                throw Error(SqlState::InvalidColumnReference,
                            "ORDER BY position " + std::to_string(position) + " is not in select list", o.expr->pos);
            index = static_cast<size_t>(position - 1);
        } else if (o.expr->kind == ast::ExprKind::ColumnRef &&
                   static_cast<const ast::ColumnRefExpr&>(*o.expr).names.size() == 1) {
            const std::string& n = static_cast<const ast::ColumnRefExpr&>(*o.expr).names[0];
            for (size_t i = 0; i < visible; ++i) {
                if (names[i] == n) {
                    if (index != SIZE_MAX && !select_exprs[i]->Equals(*select_exprs[index]))
                        throw Error(SqlState::AmbiguousColumn, "ORDER BY \"" + n + "\" is ambiguous", o.expr->pos);
                    if (index == SIZE_MAX) index = i;
                }
            }
        }
        if (index == SIZE_MAX) {
            ExpressionBinder ob(*this, has_agg ? &agg : nullptr);
            ob.clause = "ORDER BY";
            ob.aliases = &aliases;
            ExprPtr e = ob.Bind(*o.expr);
            for (size_t i = 0; i < select_exprs.size(); ++i)
                if (select_exprs[i]->Equals(*e)) index = i;
            if (index == SIZE_MAX) {
                if (core.distinct)
                    throw Error(SqlState::InvalidColumnReference,
                                "for SELECT DISTINCT, ORDER BY expressions must appear in select list", o.expr->pos);
                select_exprs.push_back(std::move(e));
                names.push_back("#order");
                index = select_exprs.size() - 1;
            }
        }
        order_refs.push_back({index, &o});
    }

    if (has_agg) {
        auto aggregate = std::make_unique<LogicalOperator>(LogicalOpType::Aggregate);
        aggregate->table_index = agg.group_index;
        aggregate->aggregate_index = agg.aggregate_index;
        aggregate->expressions = std::move(agg.groups);
        aggregate->aggregates = std::move(agg.aggregates);
        aggregate->children.push_back(std::move(plan));
        plan = std::move(aggregate);
        if (having) {
            auto filter = std::make_unique<LogicalOperator>(LogicalOpType::Filter);
            ir::SplitConjunction(std::move(having), filter->expressions);
            filter->children.push_back(std::move(plan));
            plan = std::move(filter);
        }
    }
    uint32_t proj_index = NewTableIndex();
    std::vector<LogicalType> types;
    for (auto& e : select_exprs) types.push_back(e->return_type);
    plan = MakeProjection(proj_index, std::move(select_exprs), std::move(plan));
    if (core.distinct) {
        auto distinct = std::make_unique<LogicalOperator>(LogicalOpType::Distinct);
        distinct->children.push_back(std::move(plan));
        plan = std::move(distinct);
    }
    if (!order_refs.empty()) {
        auto sort = std::make_unique<LogicalOperator>(LogicalOpType::Sort);
        for (auto& [index, o] : order_refs) {
            ir::SortKey key;
            key.expr = Expr::Column({proj_index, static_cast<uint32_t>(index)}, types[index], names[index]);
            key.descending = o->descending;
            key.nulls_first = o->nulls_first.value_or(o->descending);
            sort->sort_keys.push_back(std::move(key));
        }
        sort->children.push_back(std::move(plan));
        plan = std::move(sort);
    }
    ir::BoundQuery bound;
    bound.plan = std::move(plan);
    bound.names = std::move(names);
    bound.types = std::move(types);
    if (query.limit || query.offset) {
        auto limit = std::make_unique<LogicalOperator>(LogicalOpType::Limit);
        if (query.limit) limit->limit = BindLimitValue(*query.limit, "LIMIT");
        if (query.offset) limit->offset = BindLimitValue(*query.offset, "OFFSET");
        limit->children.push_back(std::move(bound.plan));
        bound.plan = std::move(limit);
    }
    if (bound.types.size() > visible) {
        std::vector<ExprPtr> exprs;
        for (size_t i = 0; i < visible; ++i)
            exprs.push_back(Expr::Column({proj_index, static_cast<uint32_t>(i)}, bound.types[i], bound.names[i]));
        bound.plan = MakeProjection(NewTableIndex(), std::move(exprs), std::move(bound.plan));
        bound.types.resize(visible);
        bound.names.resize(visible);
    }
    return bound;
}

ExprPtr Binder::BindLimitValue(const ast::Expr& expr, const char* what) {
    ExpressionBinder eb(*this, nullptr);
    eb.clause = what;
    ExprPtr e = eb.Bind(expr);
    bool reads_columns = false;
    ir::VisitColumnRefs(*e, [&](const Expr&) { reads_columns = true; });
    if (reads_columns)
        throw Error(SqlState::InvalidColumnReference, std::string("argument of ") + what + " must not contain variables",
                    expr.pos);
    e = CastTo(std::move(e), LogicalType(TypeId::BigInt));
    if (!e->IsFoldable() || !shared_.evaluate) return e;
    // Evaluate now, so that a bad value is reported as the statement's error.
    Value v = shared_.evaluate(*e);
    bool is_limit = std::string(what) == "LIMIT";
    if (!v.IsNull() && v.GetInt64() < 0)
        throw Error(is_limit ? SqlState::InvalidRowCountInLimit : SqlState::InvalidRowCountInOffset,
                    std::string(what) + " must not be negative", expr.pos);
    return Expr::Constant(v.IsNull() ? Value::Null(LogicalType(TypeId::BigInt)) : v);
}

void Binder::ApplyOrderLimit(const ast::Query& query, ir::BoundQuery& bound, size_t visible) {
    auto bindings = bound.plan->OutputBindings();
    if (!query.order_by.empty()) {
        auto sort = std::make_unique<LogicalOperator>(LogicalOpType::Sort);
        for (auto& o : query.order_by) {
            int64_t position;
            size_t index = SIZE_MAX;
            if (IsPositionalConstant(*o.expr, position)) {
                if (position < 1 || position > static_cast<int64_t>(visible))
                    throw Error(SqlState::InvalidColumnReference,
                                "ORDER BY position " + std::to_string(position) + " is not in select list", o.expr->pos);
                index = static_cast<size_t>(position - 1);
            } else if (o.expr->kind == ast::ExprKind::ColumnRef) {
                const std::string& n = static_cast<const ast::ColumnRefExpr&>(*o.expr).names.back();
                for (size_t i = 0; i < visible && index == SIZE_MAX; ++i)
                    if (bound.names[i] == n) index = i;
            }
            if (index == SIZE_MAX)
                throw Error(SqlState::InvalidColumnReference,
                            "ORDER BY term does not match any column in the result set", o.expr->pos);
            ir::SortKey key;
            key.expr = Expr::Column(bindings[index], bound.types[index], bound.names[index]);
            key.descending = o.descending;
            key.nulls_first = o.nulls_first.value_or(o.descending);
            sort->sort_keys.push_back(std::move(key));
        }
        sort->children.push_back(std::move(bound.plan));
        bound.plan = std::move(sort);
    }
    if (query.limit || query.offset) {
        auto limit = std::make_unique<LogicalOperator>(LogicalOpType::Limit);
        if (query.limit) limit->limit = BindLimitValue(*query.limit, "LIMIT");
        if (query.offset) limit->offset = BindLimitValue(*query.offset, "OFFSET");
        limit->children.push_back(std::move(bound.plan));
        bound.plan = std::move(limit);
    }
}

// Casts the outputs of `bound` to `types` with a projection when they differ.
static void CastOutputs(ir::BoundQuery& bound, const std::vector<LogicalType>& types, uint32_t table_index) {
    if (bound.types == types) return;
    auto bindings = bound.plan->OutputBindings();
    std::vector<ExprPtr> exprs;
    for (size_t i = 0; i < types.size(); ++i)
        exprs.push_back(CastTo(Expr::Column(bindings[i], bound.types[i], bound.names[i]), types[i]));
    bound.plan = MakeProjection(table_index, std::move(exprs), std::move(bound.plan));
    bound.types = types;
}

ir::BoundQuery Binder::BindSetOp(const ast::Query& query) {
    Binder left_binder(shared_, this, true);
    left_binder.ctes_ = ctes_;
    ir::BoundQuery left = left_binder.BindQuery(*query.left);
    Binder right_binder(shared_, this, true);
    right_binder.ctes_ = ctes_;
    ir::BoundQuery right = right_binder.BindQuery(*query.right);
    if (left.types.size() != right.types.size())
        throw Error(SqlState::SyntaxError, "each UNION/INTERSECT/EXCEPT query must have the same number of columns",
                    query.pos);
    std::vector<LogicalType> types;
    for (size_t i = 0; i < left.types.size(); ++i) {
        static const char* kNames[] = {"UNION", "INTERSECT", "EXCEPT"};
        LogicalType common = MatchTypes(left.types[i], right.types[i], kNames[static_cast<int>(query.set_op)], query.pos);
        if (common.id == TypeId::Null) common = LogicalType(TypeId::Integer);
        types.push_back(common);
    }
    CastOutputs(left, types, NewTableIndex());
    CastOutputs(right, types, NewTableIndex());
    auto setop = std::make_unique<LogicalOperator>(LogicalOpType::SetOp);
    switch (query.set_op) {
    case ast::SetOpKind::Union: setop->set_op = query.set_all ? ir::SetOpType::UnionAll : ir::SetOpType::Union; break;
    case ast::SetOpKind::Intersect:
        setop->set_op = query.set_all ? ir::SetOpType::IntersectAll : ir::SetOpType::Intersect;
        break;
    case ast::SetOpKind::Except: setop->set_op = query.set_all ? ir::SetOpType::ExceptAll : ir::SetOpType::Except; break;
    }
    setop->children.push_back(std::move(left.plan));
    setop->children.push_back(std::move(right.plan));
    // The set operation's output gets fresh bindings so that ORDER BY can name them.
    auto bindings = setop->OutputBindings();
    std::vector<ExprPtr> exprs;
    for (size_t i = 0; i < types.size(); ++i) exprs.push_back(Expr::Column(bindings[i], types[i], left.names[i]));
    ir::BoundQuery bound;
    bound.plan = MakeProjection(NewTableIndex(), std::move(exprs), std::move(setop));
    bound.names = left.names;
    bound.types = types;
    return bound;
}

ir::BoundQuery Binder::BindValues(const ast::Query& query) {
    ExpressionBinder eb(*this, nullptr);
    eb.clause = "VALUES";
    std::vector<std::vector<ExprPtr>> rows;
    size_t width = query.values.empty() ? 0 : query.values[0].size();
    std::vector<LogicalType> types(width, LogicalType(TypeId::Null));
    for (auto& row : query.values) {
        if (row.size() != width) throw Error(SqlState::SyntaxError, "VALUES lists must all be the same length", query.pos);
        std::vector<ExprPtr> bound_row;
        for (size_t c = 0; c < width; ++c) {
            auto* fn = row[c]->kind == ast::ExprKind::Function ? static_cast<const ast::FunctionExpr*>(row[c].get()) : nullptr;
            if (fn && fn->name == "default" && fn->args.empty() && fn->schema.empty()) {
                if (c >= insert_defaults_.size())
                    throw Error(SqlState::SyntaxError, "DEFAULT is not allowed in this context", row[c]->pos);
                bound_row.push_back(insert_defaults_[c]->Copy());
                continue;
            }
            bound_row.push_back(eb.Bind(*row[c]));
        }
        rows.push_back(std::move(bound_row));
    }
    // Typed values decide a column's type; string literals then adapt to it (PostgreSQL's unknown literals).
    for (int literals = 0; literals < 2; ++literals) {
        for (size_t r = 0; r < rows.size(); ++r) {
            for (size_t c = 0; c < width; ++c) {
                const ExprPtr& e = rows[r][c];
                if (e->return_type.id == TypeId::Null || IsUntypedLiteral(*e) != (literals == 1)) continue;
                if (types[c].id == TypeId::Null) types[c] = e->return_type;
                else if (literals == 0) types[c] = MatchTypes(types[c], e->return_type, "VALUES", query.values[r][c]->pos);
            }
        }
    }
    auto values = std::make_unique<LogicalOperator>(LogicalOpType::Values);
    values->table_index = NewTableIndex();
    ir::BoundQuery bound;
    for (size_t c = 0; c < width; ++c) {
        // A column of only NULLs keeps the NULL type: INSERT casts it to the target column's type.
        // Decimal literals of different widths share the widest representation.
        if (types[c].id == TypeId::Decimal) types[c] = LogicalType::Decimal(kMaxDecimalWidth, types[c].scale);
        bound.names.push_back("col" + std::to_string(c));
        values->column_names.push_back(bound.names.back());
    }
    for (auto& row : rows)
        for (size_t c = 0; c < width; ++c) values->expressions.push_back(CastTo(std::move(row[c]), types[c]));
    values->column_types = types;
    bound.types = types;
    bound.plan = std::move(values);
    return bound;
}

// ───────────────────────────── FROM ─────────────────────────────

LogicalOpPtr Binder::BindTableRef(const ast::TableRef& ref) {
    switch (ref.kind) {
    case ast::TableRefKind::BaseTable: return BindBaseTable(static_cast<const ast::BaseTableRef&>(ref));
    case ast::TableRefKind::Subquery: {
        auto& sq = static_cast<const ast::SubqueryRef&>(ref);
        Binder sub(shared_, this, true);
        sub.ctes_ = ctes_;
        // A derived table does not see the FROM items beside it (unless LATERAL).
        Scope saved;
        if (!sq.lateral) std::swap(saved, scope_);
        ir::BoundQuery bound;
        try {
            bound = sub.BindQuery(*sq.query);
        } catch (...) {
            if (!sq.lateral) std::swap(saved, scope_);
            throw;
        }
        if (!sq.lateral) std::swap(saved, scope_);
        std::string alias = sq.alias.empty() ? "unnamed_subquery" : sq.alias;
        return BindDerived(std::move(bound), alias, sq.column_aliases, sq.pos);
    }
    case ast::TableRefKind::Join: return BindJoin(static_cast<const ast::JoinRef&>(ref));
    case ast::TableRefKind::Function: return BindTableFunction(static_cast<const ast::FunctionRef&>(ref));
    }
    throw Error::Internal("table ref");
}

LogicalOpPtr Binder::BindDerived(ir::BoundQuery bound, const std::string& alias,
                                 const std::vector<std::string>& column_aliases, SourcePos pos) {
    if (column_aliases.size() > bound.types.size())
        throw Error(SqlState::InvalidColumnReference,
                    "table \"" + alias + "\" has " + std::to_string(bound.types.size()) + " columns available but " +
                        std::to_string(column_aliases.size()) + " columns specified",
                    pos);
    // Re-project so that the derived table's columns have bindings of their own.
    uint32_t index = NewTableIndex();
    auto bindings = bound.plan->OutputBindings();
    std::vector<ExprPtr> exprs;
    ScopeTable table;
    table.alias = alias;
    for (size_t i = 0; i < bound.types.size(); ++i) {
        std::string name = i < column_aliases.size() ? column_aliases[i] : bound.names[i];
        exprs.push_back(Expr::Column(bindings[i], bound.types[i], name));
        table.columns.push_back({name, bound.types[i], {index, static_cast<uint32_t>(i)}});
    }
    scope_.tables.push_back(std::move(table));
    return MakeProjection(index, std::move(exprs), std::move(bound.plan));
}

storage::Catalog& BinderShared::CatalogOf(const std::vector<std::string>& names, SourcePos pos) const {
    if (names.size() == 1) return *catalog;
    if (resolve)
        if (storage::Catalog* other = resolve(names, pos)) return *other;
    const std::string& schema = names[names.size() - 2];
    if (names.size() > 2 || (schema != "main" && schema != "public")) throw Error::UndefinedTable(JoinNames(names), pos);
    return *catalog;
}

LogicalOpPtr Binder::BindBaseTable(const ast::BaseTableRef& ref) {
    const std::string& name = ref.names.back();
    storage::Catalog& catalog = shared_.CatalogOf(ref.names, ref.pos);
    std::string alias = ref.alias.empty() ? name : ref.alias;
    for (auto it = ctes_.rbegin(); it != ctes_.rend() && ref.names.size() == 1; ++it) {
        if (it->first != name) continue;
        if (std::find(binding_ctes_.begin(), binding_ctes_.end(), name) != binding_ctes_.end())
            throw Error(SqlState::InvalidRecursion, "recursive reference to query \"" + name + "\" must use WITH RECURSIVE", ref.pos);
        const ast::CommonTableExpr& cte = *it->second;
        Binder sub(shared_, this, true);
        sub.ctes_.assign(ctes_.begin(), std::next(it).base());
        sub.binding_ctes_ = binding_ctes_;
        sub.binding_ctes_.push_back(name);
        Scope saved;
        std::swap(saved, scope_);
        ir::BoundQuery bound;
        try {
            bound = sub.BindQuery(*cte.query);
        } catch (...) {
            std::swap(saved, scope_);
            throw;
        }
        std::swap(saved, scope_);
        std::vector<std::string> cols = ref.column_aliases.empty() ? cte.column_names : ref.column_aliases;
        return BindDerived(std::move(bound), alias, cols, ref.pos);
    }
    if (auto* view = catalog.GetView(name)) {
        if (shared_.view_depth > 32)
            throw Error(SqlState::InvalidObjectDefinition, "view \"" + name + "\" references itself", ref.pos);
        auto stmts = ParseSql(view->query_sql);
        auto& select = static_cast<ast::SelectStatement&>(*stmts.at(0));
        Binder sub(shared_, nullptr);
        // A view's own names are found in the database it belongs to.
        storage::Catalog* outer_catalog = shared_.catalog;
        shared_.catalog = &catalog;
        ++shared_.view_depth;
        ir::BoundQuery bound;
        try {
            bound = sub.BindQuery(*select.query);
        } catch (...) {
            --shared_.view_depth;
            shared_.catalog = outer_catalog;
            throw;
        }
        --shared_.view_depth;
        shared_.catalog = outer_catalog;
        std::vector<std::string> cols = ref.column_aliases.empty() ? view->column_names : ref.column_aliases;
        return BindDerived(std::move(bound), alias, cols, ref.pos);
    }
    storage::TableEntry* table = catalog.GetTable(name);
    if (!table) throw Error::UndefinedTable(JoinNames(ref.names), ref.pos);
    for (auto& t : scope_.tables)
        if (t.alias == alias)
            throw Error(SqlState::DuplicateAlias, "table name \"" + alias + "\" specified more than once", ref.pos);
    auto get = std::make_unique<LogicalOperator>(LogicalOpType::Get);
    get->table_index = NewTableIndex();
    get->table = table;
    ScopeTable scope_table;
    scope_table.alias = alias;
    const auto& columns = table->Columns();
    if (ref.column_aliases.size() > columns.size())
        throw Error(SqlState::InvalidColumnReference, "table \"" + alias + "\" has fewer columns than aliases", ref.pos);
    for (size_t i = 0; i < columns.size(); ++i) {
        get->column_ids.push_back(static_cast<uint32_t>(i));
        get->column_types.push_back(columns[i].type);
        get->column_names.push_back(name + "." + columns[i].name);
        std::string col_name = i < ref.column_aliases.size() ? ref.column_aliases[i] : columns[i].name;
        scope_table.columns.push_back({col_name, columns[i].type, {get->table_index, static_cast<uint32_t>(i)}});
    }
    scope_.tables.push_back(std::move(scope_table));
    return get;
}

LogicalOpPtr Binder::BindJoin(const ast::JoinRef& ref) {
    size_t left_start = scope_.tables.size();
    LogicalOpPtr left = BindTableRef(*ref.left);
    size_t right_start = scope_.tables.size();
    LogicalOpPtr right = BindTableRef(*ref.right);
    size_t right_end = scope_.tables.size();
    auto join = std::make_unique<LogicalOperator>(LogicalOpType::Join);
    switch (ref.type) {
    case ast::JoinType::Inner: join->join_type = ir::JoinType::Inner; break;
    case ast::JoinType::Left: join->join_type = ir::JoinType::Left; break;
    case ast::JoinType::Right: join->join_type = ir::JoinType::Right; break;
    case ast::JoinType::Full: join->join_type = ir::JoinType::Full; break;
    case ast::JoinType::Cross: join->join_type = ir::JoinType::Inner; break;
    }
    std::vector<std::string> using_cols = ref.using_columns;
    if (ref.natural) {
        for (size_t t = left_start; t < right_start; ++t)
            for (auto& c : scope_.tables[t].columns)
                for (size_t u = right_start; u < right_end; ++u)
                    for (auto& rc : scope_.tables[u].columns)
                        if (rc.name == c.name &&
                            std::find(using_cols.begin(), using_cols.end(), c.name) == using_cols.end())
                            using_cols.push_back(c.name);
    }
    auto find_side = [&](const std::string& name, size_t from, size_t to, std::pair<size_t, size_t>& where) {
        // A column merged by an earlier USING on this side counts once.
        int found = 0;
        for (size_t t = from; t < to; ++t)
            for (size_t c = 0; c < scope_.tables[t].columns.size(); ++c)
                if (scope_.tables[t].columns[c].name == name) {
                    bool hidden = false;
                    for (auto& u : scope_.using_columns)
                        for (auto& h : u.hidden)
                            if (h == std::make_pair(t, c) && u.name == name && !(u.hidden.front() == h)) hidden = true;
                    if (hidden) continue;
                    where = {t, c};
                    ++found;
                }
        if (found == 0)
            throw Error(SqlState::UndefinedColumn, "column \"" + name + "\" specified in USING clause does not exist",
                        ref.pos);
        if (found > 1) throw Error::AmbiguousColumn(name, ref.pos);
    };
    for (auto& name : using_cols) {
        std::pair<size_t, size_t> l, r;
        find_side(name, left_start, right_start, l);
        find_side(name, right_start, right_end, r);
        const BoundColumn& lc = scope_.tables[l.first].columns[l.second];
        const BoundColumn& rc = scope_.tables[r.first].columns[r.second];
        ExprPtr le = Expr::Column(lc.binding, lc.type, name), re = Expr::Column(rc.binding, rc.type, name);
        ExprPtr lcopy = le->Copy(), rcopy = re->Copy();
        UnifyOperands(le, re, "=", ref.pos);
        join->conditions.push_back(Expr::Compare(ir::CompareOp::Eq, std::move(le), std::move(re)));
        UsingColumn u;
        u.name = name;
        if (join->join_type == ir::JoinType::Right) {
            u.expr = std::move(rcopy);
        } else if (join->join_type == ir::JoinType::Full) {
            ExprPtr a = std::move(lcopy), b = std::move(rcopy);
            UnifyOperands(a, b, "=", ref.pos);
            LogicalType t = a->return_type;
            std::vector<ExprPtr> args;
            args.push_back(std::move(a));
            args.push_back(std::move(b));
            u.expr = Expr::Function(ir::ScalarFunctionId::Coalesce, t, std::move(args));
            u.expr->alias = name;
        } else {
            u.expr = std::move(lcopy);
        }
        // Drop an earlier merged entry of the same name (a chain of USING joins).
        for (auto it = scope_.using_columns.begin(); it != scope_.using_columns.end(); ++it) {
            if (it->name == name) {
                u.hidden = it->hidden;
                scope_.using_columns.erase(it);
                break;
            }
        }
        u.hidden.push_back(l);
        u.hidden.push_back(r);
        scope_.using_columns.push_back(std::move(u));
    }
    if (ref.condition) {
        ExpressionBinder eb(*this, nullptr);
        eb.clause = "JOIN";
        ExprPtr cond = eb.BindCondition(*ref.condition, "JOIN/ON");
        ir::SplitConjunction(std::move(cond), join->conditions);
    }
    join->children.push_back(std::move(left));
    join->children.push_back(std::move(right));
    return join;
}

LogicalOpPtr Binder::BindTableFunction(const ast::FunctionRef& ref) {
    const ast::FunctionExpr& call = *ref.call;
    if (call.name == "grizzly_jit_cache") {
        // The shape cache's entries, read when the statement runs (the api hands them to the executor).
        if (!call.args.empty())
            throw Error::UndefinedFunction(call.name + " with " + std::to_string(call.args.size()) + " arguments",
                                           ref.pos);
        auto op = std::make_unique<LogicalOperator>(LogicalOpType::TableFunction);
        op->function = ir::TableFunctionKind::JitCache;
        op->table_index = NewTableIndex();
        ScopeTable table;
        table.alias = ref.alias.empty() ? call.name : ref.alias;
        const auto& columns = ir::JitCacheColumns();
        if (ref.column_aliases.size() > columns.size())
            throw Error(SqlState::InvalidColumnReference,
                        "table \"" + table.alias + "\" has " + std::to_string(columns.size()) +
                            " columns available but " + std::to_string(ref.column_aliases.size()) +
                            " columns specified",
                        ref.pos);
        for (size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
            const std::string& name =
                col_idx < ref.column_aliases.size() ? ref.column_aliases[col_idx] : columns[col_idx].name;
            op->column_types.push_back(columns[col_idx].type);
            op->column_names.push_back(name);
            table.columns.push_back({name, columns[col_idx].type, {op->table_index, static_cast<uint32_t>(col_idx)}});
        }
        scope_.tables.push_back(std::move(table));
        return op;
    }
    bool is_range = call.name == "range";
    if (!is_range && call.name != "generate_series")
        throw Error(SqlState::UndefinedFunction, "table function " + call.name + " does not exist", ref.pos);
    if (call.args.empty() || call.args.size() > 3)
        throw Error::UndefinedFunction(call.name + " with " + std::to_string(call.args.size()) + " arguments", ref.pos);
    auto op = std::make_unique<LogicalOperator>(LogicalOpType::TableFunction);
    op->function = is_range ? ir::TableFunctionKind::Range : ir::TableFunctionKind::GenerateSeries;
    op->table_index = NewTableIndex();
    ExpressionBinder eb(*this, nullptr);
    eb.clause = "FROM";
    for (auto& a : call.args) {
        ExprPtr e = eb.Bind(*a);
        if (!e->return_type.IsInteger() && !IsUntypedLiteral(*e))
            throw Error::UndefinedFunction(call.name + "(" + e->return_type.ToString() + ")", a->pos);
        op->expressions.push_back(CastTo(std::move(e), LogicalType(TypeId::BigInt)));
    }
    std::string col = ref.column_aliases.empty() ? call.name : ref.column_aliases[0];
    op->column_types.push_back(LogicalType(TypeId::BigInt));
    op->column_names.push_back(col);
    ScopeTable table;
    table.alias = ref.alias.empty() ? call.name : ref.alias;
    table.columns.push_back({col, LogicalType(TypeId::BigInt), {op->table_index, 0}});
    scope_.tables.push_back(std::move(table));
    return op;
}

ExprPtr Binder::BindTableExpression(storage::TableEntry* table, const ast::Expr& expr, uint32_t& table_index) {
    table_index = NewTableIndex();
    ScopeTable st;
    st.alias = table->Name();
    for (size_t i = 0; i < table->Columns().size(); ++i)
        st.columns.push_back({table->Columns()[i].name, table->Columns()[i].type, {table_index, static_cast<uint32_t>(i)}});
    Scope saved;
    std::swap(saved, scope_);
    scope_.tables.push_back(std::move(st));
    ExpressionBinder eb(*this, nullptr);
    eb.clause = "CHECK";
    ExprPtr e;
    try {
        e = eb.Bind(expr);
    } catch (...) {
        std::swap(saved, scope_);
        throw;
    }
    std::swap(saved, scope_);
    return e;
}

ExprPtr Binder::BindConstantExpression(const ast::Expr& expr) {
    ExpressionBinder eb(*this, nullptr);
    return eb.Bind(expr);
}

}  // namespace grizzly::frontend
