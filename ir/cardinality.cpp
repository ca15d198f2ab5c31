#include "ir/cardinality.hpp"

#include <algorithm>

#include "storage/storage.hpp"

namespace grizzly::ir {

namespace {

constexpr double kDefaultSelectivity = 0.2;
constexpr double kRangeSelectivity = 1.0 / 3;
constexpr double kLikeSelectivity = 0.1;

// A column of a base table seen through Filters and plain Projections.
const LogicalOperator* SourceGet(const LogicalOperator& op, ColumnBinding& binding) {
    switch (op.type) {
    case LogicalOpType::Get:
        return binding.table == op.table_index && binding.column != LogicalOperator::kRowIdColumn ? &op : nullptr;
    case LogicalOpType::Filter:
    case LogicalOpType::Limit:
    case LogicalOpType::Sort: return SourceGet(*op.children[0], binding);
    case LogicalOpType::Join:
        for (auto& c : op.children)
            if (const LogicalOperator* get = SourceGet(*c, binding)) return get;
        return nullptr;
    case LogicalOpType::Projection:
        if (binding.table != op.table_index || binding.column >= op.expressions.size()) return nullptr;
        if (op.expressions[binding.column]->type != ExprType::ColumnRef) return nullptr;
        binding = op.expressions[binding.column]->binding;
        return SourceGet(*op.children[0], binding);
    default: return nullptr;
    }
}

const Expr* AsColumn(const Expr& e) { return e.type == ExprType::ColumnRef && e.depth == 0 ? &e : nullptr; }

// Where a constant falls in [min, max] of the column, as a fraction; negative if unknown.
double RangePosition(const LogicalOperator& input, const Expr& column, const Value& constant) {
    ColumnBinding binding = column.binding;
    const LogicalOperator* get = SourceGet(input, binding);
    if (!get || constant.IsNull()) return -1;
    storage::ColumnStatistics stats = get->table->Data().Statistics(binding.column);
    if (!stats.range.has_values || stats.kind == storage::ZoneKind::None) return -1;
    double lo, hi, c;
    if (stats.kind == storage::ZoneKind::Floating) {
        lo = stats.range.min.d, hi = stats.range.max.d, c = constant.GetDouble();
    } else {
        lo = static_cast<double>(stats.range.min.i), hi = static_cast<double>(stats.range.max.i);
        c = static_cast<double>(constant.GetInt64());
    }
    if (hi <= lo) return c < lo ? 0 : 1;
    return std::clamp((c - lo) / (hi - lo), 0.0, 1.0);
}

double CompareSelectivity(const Expr& e, const LogicalOperator& input) {
    const Expr* column = AsColumn(*e.children[0]);
    const Expr* other = e.children[1].get();
    CompareOp op = e.compare;
    if (!column) {
        column = AsColumn(*e.children[1]);
        other = e.children[0].get();
        op = FlipCompare(op);
    }
    if (!column) return kDefaultSelectivity;
    if (op == CompareOp::Eq || op == CompareOp::NotDistinctFrom) {
        if (const Expr* other_column = AsColumn(*other)) {
            // A join condition still sitting in a filter (above a cross product, before join ordering).
            double d = std::max(EstimateDistinct(input, column->binding), EstimateDistinct(input, other_column->binding));
            return d > 0 ? 1.0 / d : kDefaultSelectivity * 0.5;
        }
        double distinct = EstimateDistinct(input, column->binding);
        return distinct > 0 ? 1.0 / distinct : kDefaultSelectivity * 0.5;
    }
    if (op == CompareOp::NotEq || op == CompareOp::DistinctFrom) return 0.9;
    if (other->type != ExprType::Constant || !(other->return_type == column->return_type)) return kRangeSelectivity;
    double pos = RangePosition(input, *column, other->value);
    if (pos < 0) return kRangeSelectivity;
    double fraction = op == CompareOp::Lt || op == CompareOp::LtEq ? pos : 1 - pos;
    return std::clamp(fraction, 0.001, 1.0);
}

}  // namespace

double EstimateDistinct(const LogicalOperator& op, const ColumnBinding& binding, double rows) {
    ColumnBinding source = binding;
    const LogicalOperator* get = SourceGet(op, source);
    if (!get) return -1;
    double distinct = get->table->Data().Statistics(source.column).distinct;
    return std::max(1.0, std::min(distinct, rows));
}

double EstimateDistinct(const LogicalOperator& op, const ColumnBinding& binding) {
    return EstimateDistinct(op, binding, EstimateCardinality(op));
}

double ConjunctionSelectivity(const std::vector<ExprPtr>& conjuncts, const LogicalOperator& input) {
    // Range comparisons of one column bound one interval: `d >= '1994-01-01' AND
    // d < '1995-01-01'` keeps the year between, not the product of both sides.
    struct Interval {
        double lo = 0, hi = 1;
    };
    std::vector<std::pair<ColumnBinding, Interval>> ranges;
    double s = 1;
    for (auto& c : conjuncts) {
        const Expr& e = *c;
        ColumnComparison match;
        bool range = MatchColumnComparison(e, match) &&
                     (match.op == CompareOp::Lt || match.op == CompareOp::LtEq || match.op == CompareOp::Gt ||
                      match.op == CompareOp::GtEq);
        const Expr* column = match.column;
        CompareOp op = match.op;
        double pos = range && column->return_type == match.constant->return_type
                         ? RangePosition(input, *column, match.constant->value)
                         : -1;
        if (pos < 0) {
            s *= EstimateSelectivity(e, input);
            continue;
        }
        auto it = std::find_if(ranges.begin(), ranges.end(), [&](auto& r) { return r.first == column->binding; });
        if (it == ranges.end()) it = ranges.insert(ranges.end(), {column->binding, Interval{}});
        if (op == CompareOp::Lt || op == CompareOp::LtEq) it->second.hi = std::min(it->second.hi, pos);
        else it->second.lo = std::max(it->second.lo, pos);
    }
    for (auto& [binding, interval] : ranges) s *= std::clamp(interval.hi - interval.lo, 0.001, 1.0);
    return s;
}

double EstimateJoinRows(const LogicalOperator& a, double a_rows, const LogicalOperator& b, double b_rows,
                        const std::vector<const Expr*>& conditions) {
    double rows = a_rows * b_rows;
    double divisor = 1, composite_a = 1, composite_b = 1;
    int equalities = 0;
    for (const Expr* c : conditions) {
        if (c->type == ExprType::Compare && c->compare == CompareOp::Eq && AsColumn(*c->children[0]) &&
            AsColumn(*c->children[1])) {
            // Each key's distinct count within the side that produces it.
            double da = 1, db = 1;
            for (auto& key : c->children) {
                da = std::max(da, EstimateDistinct(a, key->binding, a_rows));
                db = std::max(db, EstimateDistinct(b, key->binding, b_rows));
            }
            divisor = std::max({divisor, da, db});
            composite_a *= da;
            composite_b *= db;
            ++equalities;
        } else {
            rows *= EstimateSelectivity(*c, a);
        }
    }
    // Several keys are rarely independent (partsupp's (partkey, suppkey) is one
    // key): their combined distinct count is bounded by the smaller side's rows,
    // as when the keys are the key of that side, instead of the product.
    if (equalities > 1) divisor = std::max(divisor, std::min(std::min(composite_a, a_rows), std::min(composite_b, b_rows)));
    return std::max(1.0, rows / divisor);
}

double EstimateSelectivity(const Expr& e, const LogicalOperator& input) {
    switch (e.type) {
    case ExprType::And: {
        double s = 1;
        for (auto& c : e.children) s *= EstimateSelectivity(*c, input);
        return s;
    }
    case ExprType::Or: {
        double s = 0;
        for (auto& c : e.children) s += EstimateSelectivity(*c, input);
        return std::min(1.0, s);
    }
    case ExprType::Not: return 1 - EstimateSelectivity(*e.children[0], input);
    case ExprType::Compare: return CompareSelectivity(e, input);
    case ExprType::InList: {
        const Expr* column = AsColumn(*e.children[0]);
        double distinct = column ? EstimateDistinct(input, column->binding) : -1;
        double k = static_cast<double>(e.children.size() - 1);
        return distinct > 0 ? std::min(1.0, k / distinct) : std::min(1.0, k * 0.05);
    }
    case ExprType::IsNull: return 0.05;
    case ExprType::IsNotNull: return 0.95;
    case ExprType::Function:
        if (e.function == ScalarFunctionId::Like || e.function == ScalarFunctionId::ILike) return kLikeSelectivity;
        return kDefaultSelectivity;
    default: return kDefaultSelectivity;
    }
}

double EstimateCardinality(const LogicalOperator& op) {
    switch (op.type) {
    case LogicalOpType::Get: {
        // Statistics of the whole table: the filters' selectivities use the table, not the filtered rows.
        double rows = std::max<double>(1, static_cast<double>(op.table->Data().LiveRowCount()));
        LogicalOperator unfiltered(LogicalOpType::Get);
        unfiltered.table = op.table;
        unfiltered.table_index = op.table_index;
        rows *= ConjunctionSelectivity(op.table_filters, unfiltered);
        return std::max(1.0, rows);
    }
    case LogicalOpType::Values:
        return std::max<double>(1, static_cast<double>(op.expressions.size()) /
                                       std::max<size_t>(1, op.column_types.size()));
    case LogicalOpType::TableFunction: return 1000;
    case LogicalOpType::Filter: {
        double rows = EstimateCardinality(*op.children[0]);
        rows *= ConjunctionSelectivity(op.expressions, *op.children[0]);
        return std::max(1.0, rows);
    }
    case LogicalOpType::Aggregate: {
        if (op.expressions.empty()) return 1;
        double input = EstimateCardinality(*op.children[0]);
        double groups = 1;
        for (auto& key : op.expressions) {
            const Expr* column = AsColumn(*key);
            double d = column ? EstimateDistinct(*op.children[0], column->binding) : -1;
            groups *= d > 0 ? d : input * 0.5;
            if (groups >= input) break;
        }
        return std::max(1.0, std::min(groups, input));
    }
    case LogicalOpType::Join: {
        double l = EstimateCardinality(*op.children[0]), r = EstimateCardinality(*op.children[1]);
        if (op.join_type == JoinType::Semi || op.join_type == JoinType::Anti) return std::max(1.0, l * 0.5);
        std::vector<const Expr*> conditions;
        for (auto& c : op.conditions) conditions.push_back(c.get());
        double rows = EstimateJoinRows(*op.children[0], l, *op.children[1], r, conditions);
        if (op.join_type == JoinType::Left || op.join_type == JoinType::Full) rows = std::max(rows, l);
        return std::max(1.0, rows);
    }
    case LogicalOpType::Limit:
        if (op.limit && op.limit->type == ExprType::Constant && !op.limit->value.IsNull())
            return std::min(EstimateCardinality(*op.children[0]), static_cast<double>(op.limit->value.GetInt64()));
        return EstimateCardinality(*op.children[0]);
    default: return op.children.empty() ? 1 : EstimateCardinality(*op.children[0]);
    }
}

}  // namespace grizzly::ir
