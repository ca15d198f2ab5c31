// subquery-unnesting: turns correlated and uncorrelated subqueries in WHERE
// conjuncts into joins, so they run once instead of once per outer row.
//   [NOT] EXISTS (... WHERE inner = outer ...)  ->  SEMI / ANTI join on the correlation
//   x IN (SELECT e ... [WHERE inner = outer])   ->  SEMI join on x = e (and the correlation)
//   x op (SELECT agg ... WHERE inner = outer)   ->  LEFT join to the aggregate grouped by the
//                                                  inner correlation columns (COUNT kept at 0)
// Subqueries of other shapes are left to per-row evaluation. Runs once; a
// second run finds nothing left to rewrite.
#include <algorithm>

#include "ir/cardinality.hpp"
#include "ir/optimizer.hpp"

namespace grizzly::ir {

namespace {

LogicalOpPtr Unnest(LogicalOpPtr op);

bool HasOuterParam(const Expr& e) {
    if (e.type == ExprType::Parameter && e.depth == 1) return true;
    for (auto& c : e.children)
        if (HasOuterParam(*c)) return true;
    for (auto& c : e.correlated)
        if (HasOuterParam(*c)) return true;
    return false;
}

bool PlanHasOuterParam(const LogicalOperator& op) {
    bool found = false;
    ForEachExpression(const_cast<LogicalOperator&>(op), [&](ExprPtr& e) { found = found || HasOuterParam(*e); });
    for (auto& c : op.children) found = found || PlanHasOuterParam(*c);
    return found;
}

// Replaces correlated parameters by the outer expressions they stand for.
void Substitute(ExprPtr& e, const std::vector<ExprPtr>& correlated) {
    if (e->type == ExprType::Parameter && e->depth == 1) {
        e = correlated[e->position]->Copy();
        return;
    }
    for (auto& c : e->children) Substitute(c, correlated);
}

/// A subquery plan taken apart: [Limit] -> Projection -> [Filter] -> rest.
struct Decomposed {
    LogicalOpPtr rest;                 // below the correlated filter
    std::vector<ExprPtr> correlated;   // conjuncts reading outer columns (already substituted)
    std::vector<ExprPtr> local;        // conjuncts of the same filter that do not
    std::vector<ExprPtr> projection;   // the subquery's output expressions
};

// Takes the subquery apart when its only outer references are conjuncts of the
// filter right below its projection, and those reference outer columns directly.
bool Decompose(const Expr& subquery, Decomposed& out) {
    for (auto& c : subquery.correlated)
        if (c->type != ExprType::ColumnRef || c->depth != 0) return false;
    LogicalOpPtr plan = subquery.subquery->Copy();
    if (plan->type == LogicalOpType::Limit) plan = std::move(plan->children[0]);
    if (plan->type != LogicalOpType::Projection) return false;
    out.projection = std::move(plan->expressions);
    for (auto& e : out.projection)
        if (HasOuterParam(*e)) return false;
    LogicalOpPtr below = std::move(plan->children[0]);
    if (below->type == LogicalOpType::Filter) {
        for (auto& e : below->expressions) {
            if (!HasOuterParam(*e)) {
                out.local.push_back(std::move(e));
                continue;
            }
            if (e->HasSubquery()) return false;
            Substitute(e, subquery.correlated);
            out.correlated.push_back(std::move(e));
        }
        below = std::move(below->children[0]);
    }
    if (PlanHasOuterParam(*below)) return false;
    out.rest = std::move(below);
    return true;
}

// EXISTS / NOT EXISTS / IN as a conjunct: a semi or anti join onto `input`.
bool UnnestExists(ExprPtr& conjunct, LogicalOpPtr& input) {
    Expr* e = conjunct.get();
    bool negated = false;
    if (e->type == ExprType::Not && e->children[0]->type == ExprType::Subquery) {
        e = e->children[0].get();
        negated = true;
    }
    if (e->type != ExprType::Subquery) return false;
    bool exists = e->subquery_type == SubqueryType::Exists || e->subquery_type == SubqueryType::NotExists;
    bool in = e->subquery_type == SubqueryType::Any && e->compare == CompareOp::Eq;
    if (!exists && !in) return false;
    // NOT IN needs NULL-aware anti join semantics; it stays a per-row subquery.
    if (in && negated) return false;
    if (exists && e->correlated.empty()) return false;  // uncorrelated EXISTS runs once anyway
    Decomposed parts;
    if (!Decompose(*e, parts)) return false;
    auto join = std::make_unique<LogicalOperator>(LogicalOpType::Join);
    bool anti = (e->subquery_type == SubqueryType::NotExists) != negated;
    join->join_type = anti ? JoinType::Anti : JoinType::Semi;
    join->conditions = std::move(parts.correlated);
    if (in) join->conditions.push_back(Expr::Compare(CompareOp::Eq, e->children[0]->Copy(), std::move(parts.projection[0])));
    join->children.push_back(std::move(input));
    // The subquery's own filter may hold subqueries in turn (TPC-H Q20 nests three deep).
    join->children.push_back(Unnest(WithFilter(std::move(parts.rest), std::move(parts.local))));
    input = std::move(join);
    return true;
}

// Finds the Get under Filters and inner joins whose columns include all of `needed`,
// collecting the filter conjuncts that read only that Get.
const LogicalOperator* FindSource(const LogicalOperator& op, const std::vector<ColumnBinding>& needed,
                                  std::vector<const Expr*>& conjuncts) {
    auto reads_only = [](const Expr& e, const std::vector<ColumnBinding>& bindings) {
        bool ok = !e.HasSubquery() && !HasOuterParam(e);
        VisitColumnRefs(e, [&](const Expr& ref) {
            ok = ok && std::find(bindings.begin(), bindings.end(), ref.binding) != bindings.end();
        });
        return ok;
    };
    if (op.type == LogicalOpType::Get) {
        auto bindings = op.OutputBindings();
        for (auto& b : needed)
            if (std::find(bindings.begin(), bindings.end(), b) == bindings.end()) return nullptr;
        return &op;
    }
    bool inner = op.type == LogicalOpType::Filter ||
                 (op.type == LogicalOpType::Join && (op.join_type == JoinType::Inner || op.join_type == JoinType::Cross ||
                                                     op.join_type == JoinType::Semi));
    if (!inner) return nullptr;
    for (auto& child : op.children) {
        if (op.type == LogicalOpType::Join && op.join_type == JoinType::Semi && child != op.children[0]) break;
        const LogicalOperator* get = FindSource(*child, needed, conjuncts);
        if (!get) continue;
        auto bindings = get->OutputBindings();
        if (op.type == LogicalOpType::Filter)
            for (auto& e : op.expressions)
                if (reads_only(*e, bindings)) conjuncts.push_back(e.get());
        return get;
    }
    return nullptr;
}

// What the semi join that shrinks a correlated aggregate's input joins with:
// the one filtered table the outer keys come from when there is one (Q17: the
// parts of one brand and container), else a copy of the whole outer side.
LogicalOpPtr KeySource(const LogicalOperator& input, const std::vector<ExprPtr>& outer_keys) {
    std::vector<ColumnBinding> needed;
    for (auto& key : outer_keys) VisitColumnRefs(*key, [&](const Expr& ref) { needed.push_back(ref.binding); });
    std::vector<const Expr*> conjuncts;
    const LogicalOperator* get = FindSource(input, needed, conjuncts);
    if (!get || (conjuncts.empty() && get->table_filters.empty())) return input.Copy();
    std::vector<ExprPtr> filters;
    for (const Expr* e : conjuncts) filters.push_back(e->Copy());
    return WithFilter(get->Copy(), std::move(filters));
}

bool IsCount(const AggregateExpr& a) { return a.kind == AggregateKind::Count || a.kind == AggregateKind::CountStar; }

// Finds one correlated scalar aggregate subquery inside `e` and replaces it by a
// column of a LEFT join added onto `input`. Shape handled:
// [Limit] -> Projection -> Aggregate (no GROUP BY) -> Filter(inner = outer AND ...) -> rest.
bool UnnestScalar(ExprPtr& e, LogicalOpPtr& input) {
    if (e->type != ExprType::Subquery) {
        for (auto& c : e->children)
            if (UnnestScalar(c, input)) return true;
        return false;
    }
    if (e->subquery_type != SubqueryType::Scalar || e->correlated.empty()) return false;
    for (auto& c : e->correlated)
        if (c->type != ExprType::ColumnRef || c->depth != 0) return false;
    LogicalOpPtr plan = e->subquery->Copy();
    if (plan->type == LogicalOpType::Limit) plan = std::move(plan->children[0]);
    if (plan->type != LogicalOpType::Projection || plan->expressions.size() != 1 ||
        HasOuterParam(*plan->expressions[0]))
        return false;
    ExprPtr value = std::move(plan->expressions[0]);
    LogicalOpPtr agg_op = std::move(plan->children[0]);
    if (agg_op->type != LogicalOpType::Aggregate || !agg_op->expressions.empty()) return false;
    for (auto& a : agg_op->aggregates)
        if ((a.argument && HasOuterParam(*a.argument)) || (a.filter && HasOuterParam(*a.filter)) || a.distinct)
            return false;
    LogicalOpPtr filter = std::move(agg_op->children[0]);
    agg_op->children.clear();
    if (filter->type != LogicalOpType::Filter) return false;
    LogicalOpPtr below = std::move(filter->children[0]);
    if (PlanHasOuterParam(*below)) return false;
    auto inner_bindings = below->OutputBindings();
    auto reads_only_inner = [&](const Expr& x) {
        bool ok = true;
        VisitColumnRefs(x, [&](const Expr& ref) {
            if (ref.depth == 0 && std::find(inner_bindings.begin(), inner_bindings.end(), ref.binding) ==
                                      inner_bindings.end())
                ok = false;
        });
        return ok && !HasOuterParam(x);
    };
    // Every correlated conjunct must be inner_expr = outer_column.
    std::vector<ExprPtr> local, inner_keys, outer_keys;
    for (auto& c : filter->expressions) {
        if (!HasOuterParam(*c)) {
            local.push_back(std::move(c));
            continue;
        }
        if (c->HasSubquery() || c->type != ExprType::Compare || c->compare != CompareOp::Eq) return false;
        ExprPtr a = std::move(c->children[0]), b = std::move(c->children[1]);
        if (!reads_only_inner(*a)) std::swap(a, b);
        if (!reads_only_inner(*a) || reads_only_inner(*b)) return false;
        Substitute(b, e->correlated);
        if (HasOuterParam(*b)) return false;
        inner_keys.push_back(std::move(a));
        outer_keys.push_back(std::move(b));
    }
    LogicalOpPtr agg_input = WithFilter(std::move(below), std::move(local));
    // Aggregate only the groups some outer row asks for: when the outer rows are
    // fewer than the aggregate's input, a semi join with (a copy of) the outer
    // side shrinks the input first (TPC-H Q17 aggregates 6k line items instead
    // of 6M; DuckDB's delim join plays this part).
    if (EstimateCardinality(*input) * 2 <= EstimateCardinality(*agg_input)) {
        auto reduce = std::make_unique<LogicalOperator>(LogicalOpType::Join);
        reduce->join_type = JoinType::Semi;
        for (size_t k = 0; k < inner_keys.size(); ++k)
            reduce->conditions.push_back(Expr::Compare(CompareOp::Eq, inner_keys[k]->Copy(), outer_keys[k]->Copy()));
        reduce->children.push_back(std::move(agg_input));
        reduce->children.push_back(KeySource(*input, outer_keys));
        agg_input = std::move(reduce);
    }
    // Group the aggregate by the inner keys (its group index is unused, since it had no
    // GROUP BY); the outer row finds its group through the outer keys.
    uint32_t group_index = agg_op->table_index;
    uint32_t agg_index = agg_op->aggregate_index;
    std::vector<bool> counts;
    for (auto& a : agg_op->aggregates) counts.push_back(IsCount(a));
    auto join = std::make_unique<LogicalOperator>(LogicalOpType::Join);
    join->join_type = JoinType::Left;
    for (size_t k = 0; k < outer_keys.size(); ++k) {
        ExprPtr group_ref = Expr::Column({group_index, static_cast<uint32_t>(k)}, inner_keys[k]->return_type);
        join->conditions.push_back(Expr::Compare(CompareOp::Eq, std::move(outer_keys[k]), std::move(group_ref)));
    }
    agg_op->expressions = std::move(inner_keys);
    agg_op->children.push_back(Unnest(std::move(agg_input)));
    join->children.push_back(std::move(input));
    join->children.push_back(std::move(agg_op));
    input = std::move(join);
    // An outer row without a group sees NULL aggregates, except COUNT, which is 0 on no rows.
    std::function<void(ExprPtr&)> fix_counts = [&](ExprPtr& x) {
        if (x->type == ExprType::ColumnRef && x->binding.table == agg_index && counts[x->binding.column]) {
            std::vector<ExprPtr> args;
            args.push_back(std::move(x));
            args.push_back(Expr::Constant(Value::BigInt(0)));
            x = Expr::Function(ScalarFunctionId::Coalesce, LogicalType(TypeId::BigInt), std::move(args));
            return;
        }
        for (auto& c : x->children) fix_counts(c);
    };
    fix_counts(value);
    value->alias = e->alias;
    e = std::move(value);
    return true;
}

// Subqueries that stay expressions still get their own plans unnested.
void UnnestInside(ExprPtr& e) {
    if (e->type == ExprType::Subquery && e->subquery)
        e->subquery = std::shared_ptr<LogicalOperator>(Unnest(e->subquery->Copy()));  // copies may share the plan
    for (auto& c : e->children) UnnestInside(c);
}

LogicalOpPtr Unnest(LogicalOpPtr op) {
    for (auto& c : op->children) c = Unnest(std::move(c));
    ForEachExpression(*op, [](ExprPtr& e) { UnnestInside(e); });
    if (op->type != LogicalOpType::Filter) return op;
    // Conjuncts without subqueries read only this input's columns: they filter it
    // before the joins added below, so those joins (and estimates) see fewer rows.
    std::vector<ExprPtr> plain, with_subquery;
    for (auto& conjunct : op->expressions)
        (conjunct->HasSubquery() ? with_subquery : plain).push_back(std::move(conjunct));
    LogicalOpPtr input = WithFilter(std::move(op->children[0]), std::move(plain));
    std::vector<ExprPtr> kept;
    for (auto& conjunct : with_subquery) {
        if (UnnestExists(conjunct, input)) continue;
        while (UnnestScalar(conjunct, input)) {
        }
        kept.push_back(std::move(conjunct));
    }
    // A semi/anti join keeps only the outer columns, so later conjuncts still bind.
    return WithFilter(std::move(input), std::move(kept));
}

}  // namespace

LogicalOpPtr UnnestSubqueries(LogicalOpPtr plan, OptimizerContext&) { return Unnest(std::move(plan)); }

}  // namespace grizzly::ir
