// predicate-pushdown: moves filter conjuncts as close to the data as they can
// go: through projections and DISTINCT and ORDER BY, below aggregates when
// they test only grouping keys, into one side of a join when they read only
// that side (only the preserved side of a LEFT join), into join conditions of
// inner joins, and into table scans. Runs once; running it again changes
// nothing.
#include <algorithm>
#include <functional>

#include "ir/optimizer.hpp"

namespace grizzly::ir {

namespace {

bool ReadsOnly(const Expr& e, const std::vector<ColumnBinding>& bindings) {
    bool ok = true;
    VisitColumnRefs(e, [&](const Expr& ref) {
        if (ref.depth == 0 && std::find(bindings.begin(), bindings.end(), ref.binding) == bindings.end()) ok = false;
    });
    return ok;
}

bool IsVolatile(const Expr& e) {
    if (e.type == ExprType::Function && e.function == ScalarFunctionId::Random) return true;
    if (e.type == ExprType::Subquery) return true;
    for (auto& c : e.children)
        if (IsVolatile(*c)) return true;
    return false;
}

// Replaces references to (table, i) by a copy of exprs[i].
void Substitute(ExprPtr& e, uint32_t table, const std::vector<ExprPtr>& exprs) {
    if (e->type == ExprType::ColumnRef && e->depth == 0 && e->binding.table == table) {
        e = exprs[e->binding.column]->Copy();
        return;
    }
    for (auto& c : e->children) Substitute(c, table, exprs);
    for (auto& c : e->correlated) Substitute(c, table, exprs);
}

LogicalOpPtr Push(LogicalOpPtr op, std::vector<ExprPtr> preds);

// (A AND B) OR (A AND C)  =>  A AND (B OR C): a join key repeated in every
// branch of a disjunction (TPC-H Q19) becomes a conjunct that can drive a hash join.
void FactorDisjunction(ExprPtr pred, std::vector<ExprPtr>& out) {
    if (pred->type != ExprType::Or) {
        out.push_back(std::move(pred));
        return;
    }
    // a OR b OR c arrives as nested binary ORs: flatten it first.
    std::vector<const Expr*> disjuncts;
    std::function<void(const Expr&)> flatten = [&](const Expr& e) {
        if (e.type == ExprType::Or) {
            for (auto& c : e.children) flatten(*c);
        } else {
            disjuncts.push_back(&e);
        }
    };
    flatten(*pred);
    std::vector<std::vector<ExprPtr>> branches;
    for (const Expr* d : disjuncts) {
        branches.emplace_back();
        SplitConjunction(d->Copy(), branches.back());
    }
    std::vector<ExprPtr> common;
    for (auto& candidate : branches[0]) {
        bool everywhere = std::all_of(branches.begin() + 1, branches.end(), [&](const std::vector<ExprPtr>& b) {
            return std::any_of(b.begin(), b.end(), [&](const ExprPtr& e) { return e->Equals(*candidate); });
        });
        if (everywhere && std::none_of(common.begin(), common.end(), [&](const ExprPtr& e) { return e->Equals(*candidate); }))
            common.push_back(candidate->Copy());
    }
    if (common.empty()) {
        out.push_back(std::move(pred));
        return;
    }
    ExprPtr rest;
    bool some_branch_empty = false;
    for (auto& b : branches) {
        std::vector<ExprPtr> kept;
        for (auto& e : b)
            if (std::none_of(common.begin(), common.end(), [&](const ExprPtr& c) { return c->Equals(*e); }))
                kept.push_back(std::move(e));
        if (kept.empty()) some_branch_empty = true;  // that branch is just the common part: the OR is true
        ExprPtr conj = CombineConjunction(std::move(kept));
        if (!conj) continue;
        rest = rest ? Expr::Conjunction(ExprType::Or, std::move(rest), std::move(conj)) : std::move(conj);
    }
    for (auto& c : common) out.push_back(std::move(c));
    if (rest && !some_branch_empty) out.push_back(std::move(rest));
}

// Pushes what a child can take; returns the rest.
std::vector<ExprPtr> PushInto(LogicalOpPtr& child, std::vector<ExprPtr>& preds) {
    auto bindings = child->OutputBindings();
    std::vector<ExprPtr> down, rest;
    for (auto& p : preds) (ReadsOnly(*p, bindings) ? down : rest).push_back(std::move(p));
    child = Push(std::move(child), std::move(down));
    return rest;
}

LogicalOpPtr Push(LogicalOpPtr op, std::vector<ExprPtr> preds) {
    switch (op->type) {
    case LogicalOpType::Filter: {
        for (auto& e : op->expressions) FactorDisjunction(std::move(e), preds);
        return Push(std::move(op->children[0]), std::move(preds));
    }
    case LogicalOpType::Projection: {
        std::vector<ExprPtr> down, rest;
        for (auto& p : preds) {
            bool ok = true;
            VisitColumnRefs(*p, [&](const Expr& ref) {
                if (ref.depth == 0 && ref.binding.table == op->table_index && IsVolatile(*op->expressions[ref.binding.column]))
                    ok = false;
            });
            if (!ok) {
                rest.push_back(std::move(p));
                continue;
            }
            Substitute(p, op->table_index, op->expressions);
            down.push_back(std::move(p));
        }
        op->children[0] = Push(std::move(op->children[0]), std::move(down));
        return WithFilter(std::move(op), std::move(rest));
    }
    case LogicalOpType::Distinct:
    case LogicalOpType::Sort: {
        op->children[0] = Push(std::move(op->children[0]), std::move(preds));
        return op;
    }
    case LogicalOpType::Aggregate: {
        std::vector<ExprPtr> down, rest;
        for (auto& p : preds) {
            bool only_groups = !op->expressions.empty();
            VisitColumnRefs(*p, [&](const Expr& ref) {
                if (ref.depth == 0 && ref.binding.table != op->table_index) only_groups = false;
            });
            if (!only_groups || p->HasSubquery()) {
                rest.push_back(std::move(p));
                continue;
            }
            Substitute(p, op->table_index, op->expressions);
            down.push_back(std::move(p));
        }
        op->children[0] = Push(std::move(op->children[0]), std::move(down));
        return WithFilter(std::move(op), std::move(rest));
    }
    case LogicalOpType::Join: {
        JoinType jt = op->join_type;
        if (jt == JoinType::Inner || jt == JoinType::Cross) {
            for (auto& c : op->conditions) preds.push_back(std::move(c));
            op->conditions.clear();
            std::vector<ExprPtr> rest = PushInto(op->children[0], preds);
            rest = PushInto(op->children[1], rest);
            op->conditions = std::move(rest);  // conditions across both sides
            op->join_type = JoinType::Inner;
            return op;
        }
        if (jt == JoinType::Left || jt == JoinType::Semi || jt == JoinType::Anti) {
            std::vector<ExprPtr> rest = PushInto(op->children[0], preds);
            // ON conditions reading only the right side filter it before the join (for SEMI and
            // ANTI joins too: a right row failing them can never be a match).
            std::vector<ExprPtr> on = std::move(op->conditions);
            op->conditions = PushInto(op->children[1], on);
            return WithFilter(std::move(op), std::move(rest));
        }
        for (auto& c : op->children) c = Push(std::move(c), {});
        return WithFilter(std::move(op), std::move(preds));
    }
    case LogicalOpType::Get: {
        std::vector<ExprPtr> rest;
        for (auto& p : preds) {
            if (p->HasSubquery()) rest.push_back(std::move(p));
            else op->table_filters.push_back(std::move(p));
        }
        return WithFilter(std::move(op), std::move(rest));
    }
    default: {
        for (auto& c : op->children) c = Push(std::move(c), {});
        return WithFilter(std::move(op), std::move(preds));
    }
    }
}

}  // namespace

LogicalOpPtr PushDownPredicates(LogicalOpPtr plan, OptimizerContext&) { return Push(std::move(plan), {}); }

}  // namespace grizzly::ir
