#include "ir/physical.hpp"

#include "ir/cardinality.hpp"

#include <algorithm>
#include <functional>

namespace grizzly::ir {

const char* PhysicalOpName(PhysicalOpType type) {
    switch (type) {
    case PhysicalOpType::TableScan: return "TABLE_SCAN";
    case PhysicalOpType::Values: return "VALUES";
    case PhysicalOpType::TableFunction: return "TABLE_FUNCTION";
    case PhysicalOpType::Filter: return "FILTER";
    case PhysicalOpType::Projection: return "PROJECTION";
    case PhysicalOpType::HashJoin: return "HASH_JOIN";
    case PhysicalOpType::NestedLoopJoin: return "NESTED_LOOP_JOIN";
    case PhysicalOpType::HashAggregate: return "HASH_AGGREGATE";
    case PhysicalOpType::Sort: return "SORT";
    case PhysicalOpType::Limit: return "LIMIT";
    case PhysicalOpType::SetOp: return "SET_OP";
    case PhysicalOpType::ResultCollector: return "RESULT";
    }
    return "?";
}

namespace {

struct Planned {
    PhysicalOpPtr op;
    std::vector<ColumnBinding> bindings;
};

ExprPtr Resolve(const Expr& expr, const std::vector<ColumnBinding>& bindings) {
    ExprPtr copy = expr.Copy();
    std::function<void(Expr&)> fix = [&](Expr& e) {
        if (e.type == ExprType::ColumnRef && e.depth == 0) {
            auto it = std::find(bindings.begin(), bindings.end(), e.binding);
            if (it == bindings.end())
                throw Error(SqlState::InvalidColumnReference,
                            "column \"" + e.alias + "\" cannot be referenced from this part of the query");
            e.position = static_cast<uint32_t>(it - bindings.begin());
        }
        for (auto& c : e.children) fix(*c);
        for (auto& c : e.correlated) fix(*c);
    };
    fix(*copy);
    return copy;
}

// True when every column `e` reads is in `bindings`; `any` reports whether it reads a column at all.
bool OnlyFrom(const Expr& e, const std::vector<ColumnBinding>& bindings, bool& any) {
    bool ok = true;
    VisitColumnRefs(e, [&](const Expr& ref) {
        if (ref.depth != 0) return;
        any = true;
        if (std::find(bindings.begin(), bindings.end(), ref.binding) == bindings.end()) ok = false;
    });
    return ok;
}

int64_t ConstantInt(const ExprPtr& e, const char* what) {
    if (!e) return -1;
    if (e->type != ExprType::Constant)
        throw Error(SqlState::FeatureNotSupported, std::string(what) + " must be a constant");
    if (e->value.IsNull()) return -1;
    int64_t v = e->value.GetInt64();
    if (v < 0) throw Error(SqlState::InvalidParameterValue, std::string(what) + " must not be negative");
    return v;
}

Planned Plan(const LogicalOperator& op);

PhysicalOpPtr MakeOp(PhysicalOpType type, std::vector<LogicalType> types) {
    auto p = std::make_unique<PhysicalOperator>(type);
    p->types = std::move(types);
    return p;
}

// A SEMI / ANTI join whose outer side is much smaller than the inner one builds
// its hash table on the outer side and marks the rows the inner side hits
// (TPC-H Q4: 57k orders against 3.8M line items).
bool BuildOnOuterSide(const LogicalOperator& op) {
    if (op.join_type != JoinType::Semi && op.join_type != JoinType::Anti) return false;
    return EstimateCardinality(*op.children[0]) * 4 < EstimateCardinality(*op.children[1]);
}

Planned PlanJoin(const LogicalOperator& op) {
    Planned left = Plan(*op.children[0]);
    Planned right = Plan(*op.children[1]);
    JoinType jt = op.join_type;
    bool swapped = false;
    bool outer_builds = false;
    if (jt == JoinType::Right) {
        std::swap(left, right);
        jt = JoinType::Left;
        swapped = true;
    } else if (jt == JoinType::Left && EstimateCardinality(*op.children[0]) * 4 < EstimateCardinality(*op.children[1])) {
        // A small preserved side builds: the join emits matches as they come and the
        // build rows nothing matched at the end (TPC-H Q13: 150k customers against 1.5M orders).
        std::swap(left, right);
        jt = JoinType::Right;
        swapped = true;
    } else if (BuildOnOuterSide(op)) {
        std::swap(left, right);
        jt = jt == JoinType::Semi ? JoinType::RightSemi : JoinType::RightAnti;
        outer_builds = true;
    }
    std::vector<ColumnBinding> all = left.bindings;
    all.insert(all.end(), right.bindings.begin(), right.bindings.end());
    std::vector<ExprPtr> probe_keys, build_keys, residual;
    std::vector<bool> null_equal;
    for (auto& cond : op.conditions) {
        if (cond->type == ExprType::Compare &&
            (cond->compare == CompareOp::Eq || cond->compare == CompareOp::NotDistinctFrom)) {
            const Expr& a = *cond->children[0];
            const Expr& b = *cond->children[1];
            bool any_a = false, any_b = false;
            bool a_left = OnlyFrom(a, left.bindings, any_a), b_right = OnlyFrom(b, right.bindings, any_b);
            bool any_a2 = false, any_b2 = false;
            bool a_right = OnlyFrom(a, right.bindings, any_a2), b_left = OnlyFrom(b, left.bindings, any_b2);
            bool no_subquery = !a.HasSubquery() && !b.HasSubquery();
            if (no_subquery && any_a && any_b && a_left && b_right) {
                probe_keys.push_back(Resolve(a, left.bindings));
                build_keys.push_back(Resolve(b, right.bindings));
                null_equal.push_back(cond->compare == CompareOp::NotDistinctFrom);
                continue;
            }
            if (no_subquery && any_a2 && any_b2 && a_right && b_left) {
                probe_keys.push_back(Resolve(b, left.bindings));
                build_keys.push_back(Resolve(a, right.bindings));
                null_equal.push_back(cond->compare == CompareOp::NotDistinctFrom);
                continue;
            }
        }
        residual.push_back(Resolve(*cond, all));
    }
    // SEMI and ANTI joins return only the probe side's columns; their flipped forms only the build side's.
    bool probe_only = jt == JoinType::Semi || jt == JoinType::Anti;
    std::vector<LogicalType> types = outer_builds ? right.op->types : left.op->types;
    if (!probe_only && !outer_builds) types.insert(types.end(), right.op->types.begin(), right.op->types.end());
    PhysicalOpPtr join = MakeOp(probe_keys.empty() ? PhysicalOpType::NestedLoopJoin : PhysicalOpType::HashJoin, types);
    join->join_type = jt == JoinType::Cross ? JoinType::Inner : jt;
    join->probe_keys = std::move(probe_keys);
    join->build_keys = std::move(build_keys);
    join->null_equal = std::move(null_equal);
    join->join_condition = CombineConjunction(std::move(residual));
    join->probe_width = left.op->types.size();
    join->build_width = right.op->types.size();
    join->children.push_back(std::move(left.op));
    join->children.push_back(std::move(right.op));
    if (outer_builds) return {std::move(join), std::move(right.bindings)};
    Planned out{std::move(join), probe_only ? left.bindings : all};
    if (swapped) {
        // Restore the column order of the RIGHT join: [left input, right input].
        size_t nprobe = out.op->probe_width, nbuild = out.op->build_width;
        std::vector<LogicalType> ptypes;
        auto proj = MakeOp(PhysicalOpType::Projection, {});
        std::vector<ColumnBinding> bindings;
        for (size_t i = 0; i < nbuild; ++i) {
            auto e = std::make_unique<Expr>(ExprType::ColumnRef, out.op->types[nprobe + i]);
            e->position = static_cast<uint32_t>(nprobe + i);
            proj->expressions.push_back(std::move(e));
            ptypes.push_back(out.op->types[nprobe + i]);
            bindings.push_back(all[nprobe + i]);
        }
        for (size_t i = 0; i < nprobe; ++i) {
            auto e = std::make_unique<Expr>(ExprType::ColumnRef, out.op->types[i]);
            e->position = static_cast<uint32_t>(i);
            proj->expressions.push_back(std::move(e));
            ptypes.push_back(out.op->types[i]);
            bindings.push_back(all[i]);
        }
        proj->types = ptypes;
        proj->children.push_back(std::move(out.op));
        return {std::move(proj), bindings};
    }
    return out;
}

Planned Plan(const LogicalOperator& op) {
    switch (op.type) {
    case LogicalOpType::Get: {
        auto scan = MakeOp(PhysicalOpType::TableScan, op.column_types);
        scan->table = op.table;
        scan->column_ids = op.column_ids;
        auto bindings = op.OutputBindings();
        for (auto& f : op.table_filters) scan->table_filters.push_back(Resolve(*f, bindings));
        return {std::move(scan), bindings};
    }
    case LogicalOpType::Values: {
        auto values = MakeOp(PhysicalOpType::Values, op.column_types);
        for (auto& e : op.expressions) values->expressions.push_back(Resolve(*e, {}));
        values->values_rows = op.column_types.empty() ? 1 : op.expressions.size() / op.column_types.size();
        return {std::move(values), op.OutputBindings()};
    }
    case LogicalOpType::TableFunction: {
        auto fn = MakeOp(PhysicalOpType::TableFunction, op.column_types);
        fn->function = op.function;
        for (auto& e : op.expressions) fn->expressions.push_back(Resolve(*e, {}));
        return {std::move(fn), op.OutputBindings()};
    }
    case LogicalOpType::Filter: {
        Planned child = Plan(*op.children[0]);
        auto filter = MakeOp(PhysicalOpType::Filter, child.op->types);
        for (auto& e : op.expressions) filter->expressions.push_back(Resolve(*e, child.bindings));
        filter->children.push_back(std::move(child.op));
        return {std::move(filter), child.bindings};
    }
    case LogicalOpType::Projection: {
        Planned child = Plan(*op.children[0]);
        auto proj = MakeOp(PhysicalOpType::Projection, op.OutputTypes());
        for (auto& e : op.expressions) proj->expressions.push_back(Resolve(*e, child.bindings));
        proj->children.push_back(std::move(child.op));
        return {std::move(proj), op.OutputBindings()};
    }
    case LogicalOpType::Aggregate: {
        Planned child = Plan(*op.children[0]);
        auto agg = MakeOp(PhysicalOpType::HashAggregate, op.OutputTypes());
        for (auto& e : op.expressions) agg->expressions.push_back(Resolve(*e, child.bindings));
        for (auto& a : op.aggregates) {
            AggregateExpr r = a.Copy();
            if (r.argument) r.argument = Resolve(*r.argument, child.bindings);
            if (r.filter) r.filter = Resolve(*r.filter, child.bindings);
            if (r.separator) r.separator = Resolve(*r.separator, child.bindings);
            agg->aggregates.push_back(std::move(r));
        }
        agg->children.push_back(std::move(child.op));
        return {std::move(agg), op.OutputBindings()};
    }
    case LogicalOpType::Join: return PlanJoin(op);
    case LogicalOpType::Sort: {
        Planned child = Plan(*op.children[0]);
        auto sort = MakeOp(PhysicalOpType::Sort, child.op->types);
        for (auto& k : op.sort_keys) sort->sort_keys.push_back({Resolve(*k.expr, child.bindings), k.descending, k.nulls_first});
        sort->children.push_back(std::move(child.op));
        return {std::move(sort), child.bindings};
    }
    case LogicalOpType::Limit: {
        Planned child = Plan(*op.children[0]);
        int64_t limit = ConstantInt(op.limit, "LIMIT");
        int64_t offset = std::max<int64_t>(0, ConstantInt(op.offset, "OFFSET"));
        if (child.op->type == PhysicalOpType::Sort && child.op->limit < 0) {
            // ORDER BY ... LIMIT: the sort keeps only the first rows (top-N).
            child.op->limit = limit;
            child.op->offset = offset;
            return child;
        }
        auto lim = MakeOp(PhysicalOpType::Limit, child.op->types);
        lim->limit = limit;
        lim->offset = offset;
        lim->children.push_back(std::move(child.op));
        return {std::move(lim), child.bindings};
    }
    case LogicalOpType::Distinct: {
        Planned child = Plan(*op.children[0]);
        auto agg = MakeOp(PhysicalOpType::HashAggregate, child.op->types);
        for (size_t i = 0; i < child.op->types.size(); ++i) {
            auto e = std::make_unique<Expr>(ExprType::ColumnRef, child.op->types[i]);
            e->position = static_cast<uint32_t>(i);
            agg->expressions.push_back(std::move(e));
        }
        agg->children.push_back(std::move(child.op));
        return {std::move(agg), child.bindings};
    }
    case LogicalOpType::SetOp: {
        Planned left = Plan(*op.children[0]);
        Planned right = Plan(*op.children[1]);
        auto setop = MakeOp(PhysicalOpType::SetOp, left.op->types);
        setop->set_op = op.set_op;
        setop->children.push_back(std::move(left.op));
        setop->children.push_back(std::move(right.op));
        return {std::move(setop), op.OutputBindings()};
    }
    case LogicalOpType::Materialized: throw Error::NotSupported("materialized CTEs");
    }
    throw Error::Internal("unknown logical operator");
}

bool IsSource(PhysicalOpType t) {
    return t == PhysicalOpType::TableScan || t == PhysicalOpType::Values || t == PhysicalOpType::TableFunction;
}

// Splits the operator tree into pipelines (DuckDB's MetaPipeline construction, simplified).
class PipelineBuilder {
public:
    explicit PipelineBuilder(PhysicalPlan& plan) : plan_(plan) {}

    size_t Build(PhysicalOperator* sink, PhysicalOperator* child_root, size_t sink_child = 0) {
        size_t index = plan_.pipelines.size();
        plan_.pipelines.emplace_back();
        plan_.pipelines[index].sink = sink;
        plan_.pipelines[index].sink_child = sink_child;
        Walk(child_root, index);
        // Dependencies must come first: move this pipeline behind them.
        order_.push_back(index);
        return index;
    }

    void Finish() {
        std::vector<Pipeline> ordered;
        std::vector<size_t> new_index(plan_.pipelines.size());
        for (size_t i = 0; i < order_.size(); ++i) new_index[order_[i]] = i;
        for (size_t old : order_) {
            Pipeline p = plan_.pipelines[old];
            for (auto& d : p.dependencies) d = new_index[d];
            ordered.push_back(std::move(p));
        }
        plan_.pipelines = std::move(ordered);
    }

private:
    PhysicalPlan& plan_;
    std::vector<size_t> order_;

    void Walk(PhysicalOperator* op, size_t pipeline) {
        if (IsSource(op->type)) {
            plan_.pipelines[pipeline].source = op;
            return;
        }
        switch (op->type) {
        case PhysicalOpType::Filter:
        case PhysicalOpType::Projection:
        case PhysicalOpType::Limit:
            plan_.pipelines[pipeline].operators.insert(plan_.pipelines[pipeline].operators.begin(), op);
            Walk(op->children[0].get(), pipeline);
            return;
        case PhysicalOpType::HashJoin:
        case PhysicalOpType::NestedLoopJoin: {
            size_t build = Build(op, op->children[1].get());
            plan_.pipelines[pipeline].dependencies.push_back(build);
            plan_.pipelines[pipeline].operators.insert(plan_.pipelines[pipeline].operators.begin(), op);
            Walk(op->children[0].get(), pipeline);
            return;
        }
        case PhysicalOpType::HashAggregate:
        case PhysicalOpType::Sort: {
            size_t child = Build(op, op->children[0].get());
            plan_.pipelines[pipeline].dependencies.push_back(child);
            plan_.pipelines[pipeline].source = op;
            return;
        }
        case PhysicalOpType::SetOp: {
            size_t left = Build(op, op->children[0].get());
            size_t right = Build(op, op->children[1].get(), 1);
            plan_.pipelines[pipeline].dependencies.push_back(left);
            plan_.pipelines[pipeline].dependencies.push_back(right);
            plan_.pipelines[pipeline].source = op;
            return;
        }
        default: throw Error::Internal("cannot place operator in a pipeline");
        }
    }
};

void Number(PhysicalOperator& op, uint32_t& next) {
    op.id = next++;
    for (auto& c : op.children) Number(*c, next);
}

}  // namespace

PhysicalPlan CreatePhysicalPlan(const LogicalOperator& logical, std::vector<std::string> names) {
    Planned planned = Plan(logical);
    PhysicalPlan plan;
    plan.root = MakeOp(PhysicalOpType::ResultCollector, planned.op->types);
    plan.root->children.push_back(std::move(planned.op));
    plan.names = std::move(names);
    uint32_t next = 0;
    Number(*plan.root, next);
    plan.operator_count = next;
    PipelineBuilder builder(plan);
    builder.Build(plan.root.get(), plan.root->children[0].get());
    builder.Finish();
    return plan;
}

std::string PhysicalOperator::ToString(int indent) const {
    std::string out(static_cast<size_t>(indent) * 2, ' ');
    out += PhysicalOpName(type);
    auto list = [](const std::vector<ExprPtr>& exprs) {
        std::string s;
        for (size_t i = 0; i < exprs.size(); ++i) s += (i ? ", " : "") + exprs[i]->ToString();
        return s;
    };
    switch (type) {
    case PhysicalOpType::TableScan:
        out += " " + (table ? std::string("table") : std::string());
        if (!table_filters.empty()) out += " filters: " + list(table_filters);
        break;
    case PhysicalOpType::Filter: out += " " + list(expressions); break;
    case PhysicalOpType::Projection: out += " " + list(expressions); break;
    case PhysicalOpType::HashJoin:
        out += std::string(" ") + JoinTypeName(join_type) + " probe: [" + list(probe_keys) + "] build: [" +
               list(build_keys) + "]";
        if (join_condition) out += " condition: " + join_condition->ToString();
        break;
    case PhysicalOpType::NestedLoopJoin:
        out += std::string(" ") + JoinTypeName(join_type);
        if (join_condition) out += " condition: " + join_condition->ToString();
        break;
    case PhysicalOpType::HashAggregate: {
        out += " groups: [" + list(expressions) + "] aggregates: [";
        for (size_t i = 0; i < aggregates.size(); ++i) out += (i ? ", " : "") + aggregates[i].ToString();
        out += "]";
        break;
    }
    case PhysicalOpType::Sort:
        if (limit >= 0) out += " top " + std::to_string(limit + offset);
        break;
    case PhysicalOpType::Limit: out += " " + std::to_string(limit) + " offset " + std::to_string(offset); break;
    default: break;
    }
    out += "\n";
    for (auto& c : children) out += c->ToString(indent + 1);
    return out;
}

std::string PhysicalPlan::ToString() const { return root->ToString(0); }

}  // namespace grizzly::ir
