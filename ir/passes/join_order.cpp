// join-order: flattens trees of inner joins and filters into relations and
// predicates, pushes single-relation predicates onto their relation, turns
// predicates between relations into join conditions, and orders the joins
// greedily (GOO: the pair whose join has the smallest estimated result first,
// estimates from table statistics in ir/cardinality.cpp) so that relations
// connected by predicates are never joined by a cross product. The larger
// input of each join becomes the probe side, the smaller the build side.
// Runs once; running it again yields the same plan.
#include <algorithm>
#include <cstdint>

#include "ir/cardinality.hpp"
#include "ir/optimizer.hpp"

namespace grizzly::ir {

namespace {

struct Relation {
    LogicalOpPtr op;
    std::vector<ColumnBinding> bindings;
};

bool IsInnerJoin(const LogicalOperator& op) {
    return op.type == LogicalOpType::Join && (op.join_type == JoinType::Inner || op.join_type == JoinType::Cross);
}

LogicalOpPtr Reorder(LogicalOpPtr op);

void Collect(LogicalOpPtr op, std::vector<Relation>& relations, std::vector<ExprPtr>& predicates) {
    if (op->type == LogicalOpType::Filter) {
        for (auto& e : op->expressions) predicates.push_back(std::move(e));
        Collect(std::move(op->children[0]), relations, predicates);
        return;
    }
    if (IsInnerJoin(*op)) {
        for (auto& e : op->conditions) predicates.push_back(std::move(e));
        Collect(std::move(op->children[0]), relations, predicates);
        Collect(std::move(op->children[1]), relations, predicates);
        return;
    }
    Relation r;
    r.op = Reorder(std::move(op));
    r.bindings = r.op->OutputBindings();
    relations.push_back(std::move(r));
}

// Bitmask of the relations an expression reads.
uint64_t RelationMask(const Expr& e, const std::vector<Relation>& relations) {
    uint64_t mask = 0;
    VisitColumnRefs(e, [&](const Expr& ref) {
        if (ref.depth != 0) return;
        for (size_t i = 0; i < relations.size(); ++i)
            if (std::find(relations[i].bindings.begin(), relations[i].bindings.end(), ref.binding) !=
                relations[i].bindings.end())
                mask |= uint64_t(1) << i;
    });
    return mask;
}

LogicalOpPtr ReorderSet(std::vector<Relation> relations, std::vector<ExprPtr> predicates) {
    // Single-relation predicates go onto their relation.
    std::vector<uint64_t> masks;
    std::vector<ExprPtr> pending;
    std::vector<ExprPtr> top;  // predicates reading no relation
    std::vector<std::vector<ExprPtr>> pushed(relations.size());
    for (auto& p : predicates) {
        uint64_t mask = RelationMask(*p, relations);
        if (mask == 0) {
            top.push_back(std::move(p));
        } else if ((mask & (mask - 1)) == 0) {
            pushed[static_cast<size_t>(__builtin_ctzll(mask))].push_back(std::move(p));
        } else {
            pending.push_back(std::move(p));
            masks.push_back(mask);
        }
    }
    struct Component {
        LogicalOpPtr op;
        uint64_t mask;
        double cardinality;
    };
    std::vector<Component> components;
    for (size_t i = 0; i < relations.size(); ++i) {
        LogicalOpPtr op = WithFilter(std::move(relations[i].op), std::move(pushed[i]));
        double card = EstimateCardinality(*op);
        components.push_back({std::move(op), uint64_t(1) << i, card});
    }
    // Rows of a ⋈ b under the pending predicates that connect them.
    auto join_rows = [&](const Component& a, const Component& b, bool& connected) {
        uint64_t both = a.mask | b.mask;
        std::vector<const Expr*> conditions;
        for (size_t p = 0; p < pending.size(); ++p) {
            uint64_t m = masks[p];
            if (m && (m & ~both) == 0 && (m & a.mask) && (m & b.mask)) conditions.push_back(pending[p].get());
        }
        connected = !conditions.empty();
        return EstimateJoinRows(*a.op, a.cardinality, *b.op, b.cardinality, conditions);
    };
    while (components.size() > 1) {
        size_t best_i = 0, best_j = 1;
        double best_rows = -1;
        bool best_connected = false;
        for (size_t i = 0; i < components.size(); ++i) {
            for (size_t j = i + 1; j < components.size(); ++j) {
                bool connected;
                double rows = join_rows(components[i], components[j], connected);
                if ((connected && !best_connected) ||
                    (connected == best_connected && (best_rows < 0 || rows < best_rows))) {
                    best_i = i;
                    best_j = j;
                    best_rows = rows;
                    best_connected = connected;
                }
            }
        }
        Component a = std::move(components[best_i]);
        Component b = std::move(components[best_j]);
        components.erase(components.begin() + static_cast<long>(best_j));
        components.erase(components.begin() + static_cast<long>(best_i));
        if (a.cardinality < b.cardinality) std::swap(a, b);  // larger side probes, smaller side builds
        auto join = std::make_unique<LogicalOperator>(LogicalOpType::Join);
        join->join_type = JoinType::Inner;
        uint64_t both = a.mask | b.mask;
        for (size_t p = 0; p < pending.size(); ++p) {
            if (masks[p] && (masks[p] & ~both) == 0) {
                join->conditions.push_back(std::move(pending[p]));
                masks[p] = 0;
            }
        }
        join->children.push_back(std::move(a.op));
        join->children.push_back(std::move(b.op));
        components.push_back({std::move(join), both, best_rows});
    }
    for (size_t p = 0; p < pending.size(); ++p)
        if (masks[p]) top.push_back(std::move(pending[p]));
    return WithFilter(std::move(components[0].op), std::move(top));
}

LogicalOpPtr Reorder(LogicalOpPtr op) {
    if (op->type == LogicalOpType::Filter || IsInnerJoin(*op)) {
        std::vector<Relation> relations;
        std::vector<ExprPtr> predicates;
        Collect(std::move(op), relations, predicates);
        if (relations.size() > 64) {
            // Too many for the bitmask search: keep FROM order, conditions at the top.
            LogicalOpPtr plan = std::move(relations[0].op);
            for (size_t i = 1; i < relations.size(); ++i) {
                auto join = std::make_unique<LogicalOperator>(LogicalOpType::Join);
                join->children.push_back(std::move(plan));
                join->children.push_back(std::move(relations[i].op));
                plan = std::move(join);
            }
            return WithFilter(std::move(plan), std::move(predicates));
        }
        return ReorderSet(std::move(relations), std::move(predicates));
    }
    for (auto& c : op->children) c = Reorder(std::move(c));
    return op;
}

}  // namespace

LogicalOpPtr ReorderJoins(LogicalOpPtr plan, OptimizerContext&) { return Reorder(std::move(plan)); }

}  // namespace grizzly::ir
