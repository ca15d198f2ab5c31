#include "ir/expression.hpp"

#include "ir/logical.hpp"

namespace grizzly::ir {

const char* ScalarFunctionName(ScalarFunctionId id) {
    switch (id) {
#define X(fid, name, min_args, max_args) \
    case ScalarFunctionId::fid: return name;
#include "ir/functions.def"
#undef X
    }
    return "?";
}

CompareOp FlipCompare(CompareOp op) {
    switch (op) {
    case CompareOp::Lt: return CompareOp::Gt;
    case CompareOp::LtEq: return CompareOp::GtEq;
    case CompareOp::Gt: return CompareOp::Lt;
    case CompareOp::GtEq: return CompareOp::LtEq;
    default: return op;
    }
}

CompareOp NegateCompare(CompareOp op) {
    switch (op) {
    case CompareOp::Eq: return CompareOp::NotEq;
    case CompareOp::NotEq: return CompareOp::Eq;
    case CompareOp::Lt: return CompareOp::GtEq;
    case CompareOp::LtEq: return CompareOp::Gt;
    case CompareOp::Gt: return CompareOp::LtEq;
    case CompareOp::GtEq: return CompareOp::Lt;
    case CompareOp::DistinctFrom: return CompareOp::NotDistinctFrom;
    case CompareOp::NotDistinctFrom: return CompareOp::DistinctFrom;
    }
    return op;
}

const char* CompareOpSql(CompareOp op) {
    switch (op) {
    case CompareOp::Eq: return "=";
    case CompareOp::NotEq: return "<>";
    case CompareOp::Lt: return "<";
    case CompareOp::LtEq: return "<=";
    case CompareOp::Gt: return ">";
    case CompareOp::GtEq: return ">=";
    case CompareOp::DistinctFrom: return "IS DISTINCT FROM";
    case CompareOp::NotDistinctFrom: return "IS NOT DISTINCT FROM";
    }
    return "?";
}

ExprPtr Expr::Copy() const {
    auto e = std::make_unique<Expr>(type, return_type);
    e->value = value;
    e->binding = binding;
    e->position = position;
    e->depth = depth;
    e->function = function;
    e->compare = compare;
    e->try_cast = try_cast;
    e->negated = negated;
    e->alias = alias;
    e->subquery_type = subquery_type;
    e->subquery = subquery;
    for (auto& c : children) e->children.push_back(c->Copy());
    for (auto& c : correlated) e->correlated.push_back(c->Copy());
    return e;
}

bool Expr::Equals(const Expr& o) const {
    if (type != o.type || return_type != o.return_type || children.size() != o.children.size()) return false;
    switch (type) {
    case ExprType::Constant:
        if (!(value == o.value)) return false;
        break;
    case ExprType::ColumnRef:
        if (!(binding == o.binding) || position != o.position || depth != o.depth) return false;
        break;
    case ExprType::Parameter:
        if (position != o.position) return false;
        break;
    case ExprType::Function:
        if (function != o.function) return false;
        break;
    case ExprType::Compare:
        if (compare != o.compare) return false;
        break;
    case ExprType::Cast:
        if (try_cast != o.try_cast) return false;
        break;
    case ExprType::InList:
        if (negated != o.negated) return false;
        break;
    case ExprType::Subquery: return false;  // subqueries are never merged
    default: break;
    }
    for (size_t i = 0; i < children.size(); ++i)
        if (!children[i]->Equals(*o.children[i])) return false;
    return true;
}

bool Expr::IsFoldable() const {
    if (type == ExprType::ColumnRef || type == ExprType::Parameter || type == ExprType::Subquery) return false;
    if (type == ExprType::Function &&
        (function == ScalarFunctionId::Random || function == ScalarFunctionId::CurrentDate ||
         function == ScalarFunctionId::CurrentTimestamp))
        return false;
    for (auto& c : children)
        if (!c->IsFoldable()) return false;
    return true;
}

bool Expr::HasSubquery() const {
    if (type == ExprType::Subquery) return true;
    for (auto& c : children)
        if (c->HasSubquery()) return true;
    return false;
}

bool Expr::HasCorrelatedRef(uint32_t min_depth) const {
    if (type == ExprType::ColumnRef && depth >= min_depth) return true;
    for (auto& c : children)
        if (c->HasCorrelatedRef(min_depth)) return true;
    for (auto& c : correlated)
        if (c->HasCorrelatedRef(min_depth)) return true;
    return false;
}

std::string Expr::ToString() const {
    auto child = [&](size_t i) { return children[i]->ToString(); };
    switch (type) {
    case ExprType::Constant: return value.ToSqlLiteral();
    case ExprType::ColumnRef:
        if (!alias.empty()) return alias;
        return "#" + std::to_string(binding.table) + "." + std::to_string(binding.column);
    case ExprType::Parameter: return "$" + std::to_string(position + 1);
    case ExprType::Function: {
        std::string name = ScalarFunctionName(function);
        if (children.size() == 2 && !std::isalpha(static_cast<unsigned char>(name[0])))
            return "(" + child(0) + " " + name + " " + child(1) + ")";
        std::string out = name + "(";
        for (size_t i = 0; i < children.size(); ++i) out += (i ? ", " : "") + child(i);
        return out + ")";
    }
    case ExprType::Compare: return "(" + child(0) + " " + CompareOpSql(compare) + " " + child(1) + ")";
    case ExprType::And:
    case ExprType::Or: {
        std::string out = "(";
        for (size_t i = 0; i < children.size(); ++i)
            out += (i ? (type == ExprType::And ? " AND " : " OR ") : "") + child(i);
        return out + ")";
    }
    case ExprType::Not: return "(NOT " + child(0) + ")";
    case ExprType::IsNull: return "(" + child(0) + " IS NULL)";
    case ExprType::IsNotNull: return "(" + child(0) + " IS NOT NULL)";
    case ExprType::Case: {
        std::string out = "CASE";
        for (size_t i = 0; i + 1 < children.size(); i += 2) out += " WHEN " + child(i) + " THEN " + child(i + 1);
        return out + " ELSE " + children.back()->ToString() + " END";
    }
    case ExprType::Cast: return "CAST(" + child(0) + " AS " + return_type.ToString() + ")";
    case ExprType::InList: {
        std::string out = "(" + child(0) + (negated ? " NOT IN (" : " IN (");
        for (size_t i = 1; i < children.size(); ++i) out += (i > 1 ? ", " : "") + child(i);
        return out + "))";
    }
    case ExprType::Subquery: {
        const char* kinds[] = {"SUBQUERY", "EXISTS", "NOT EXISTS", "ANY", "ALL"};
        return std::string(kinds[static_cast<int>(subquery_type)]) + "(...)";
    }
    }
    return "?";
}

ExprPtr Expr::Constant(Value v) {
    auto e = std::make_unique<Expr>(ExprType::Constant, v.Type());
    e->value = std::move(v);
    return e;
}

ExprPtr Expr::Column(ColumnBinding b, LogicalType t, std::string name) {
    auto e = std::make_unique<Expr>(ExprType::ColumnRef, t);
    e->binding = b;
    e->alias = std::move(name);
    return e;
}

ExprPtr Expr::Compare(CompareOp op, ExprPtr l, ExprPtr r) {
    auto e = std::make_unique<Expr>(ExprType::Compare, LogicalType(TypeId::Boolean));
    e->compare = op;
    e->children.push_back(std::move(l));
    e->children.push_back(std::move(r));
    return e;
}

ExprPtr Expr::Conjunction(ExprType and_or, ExprPtr l, ExprPtr r) {
    auto e = std::make_unique<Expr>(and_or, LogicalType(TypeId::Boolean));
    e->children.push_back(std::move(l));
    e->children.push_back(std::move(r));
    return e;
}

ExprPtr Expr::Function(ScalarFunctionId id, LogicalType rt, std::vector<ExprPtr> args) {
    auto e = std::make_unique<Expr>(ExprType::Function, rt);
    e->function = id;
    e->children = std::move(args);
    return e;
}

ExprPtr Expr::Cast(ExprPtr child, LogicalType target, bool try_cast) {
    if (child->return_type == target) return child;
    auto e = std::make_unique<Expr>(ExprType::Cast, target);
    e->try_cast = try_cast;
    e->alias = child->alias;
    e->children.push_back(std::move(child));
    return e;
}

std::vector<LogicalType> TypesOf(const std::vector<ExprPtr>& exprs) {
    std::vector<LogicalType> types;
    for (auto& e : exprs) types.push_back(e->return_type);
    return types;
}

void SplitConjunction(ExprPtr expr, std::vector<ExprPtr>& out) {
    if (!expr) return;
    if (expr->type == ExprType::And) {
        for (auto& c : expr->children) SplitConjunction(std::move(c), out);
        return;
    }
    out.push_back(std::move(expr));
}

ExprPtr CombineConjunction(std::vector<ExprPtr> conjuncts) {
    ExprPtr result;
    for (auto& c : conjuncts) result = result ? Expr::Conjunction(ExprType::And, std::move(result), std::move(c)) : std::move(c);
    return result;
}

void VisitColumnRefs(const Expr& expr, const std::function<void(const Expr&)>& f) {
    if (expr.type == ExprType::ColumnRef) f(expr);
    for (auto& c : expr.children) VisitColumnRefs(*c, f);
    for (auto& c : expr.correlated) VisitColumnRefs(*c, f);
}

void VisitColumnRefsMutable(Expr& expr, const std::function<void(Expr&)>& f) {
    if (expr.type == ExprType::ColumnRef) f(expr);
    for (auto& c : expr.children) VisitColumnRefsMutable(*c, f);
    for (auto& c : expr.correlated) VisitColumnRefsMutable(*c, f);
}

const char* AggregateName(AggregateKind kind) {
    switch (kind) {
    case AggregateKind::CountStar: return "count_star";
    case AggregateKind::Count: return "count";
    case AggregateKind::Sum: return "sum";
    case AggregateKind::Avg: return "avg";
    case AggregateKind::Min: return "min";
    case AggregateKind::Max: return "max";
    case AggregateKind::BoolAnd: return "bool_and";
    case AggregateKind::BoolOr: return "bool_or";
    case AggregateKind::StringAgg: return "string_agg";
    case AggregateKind::First: return "first";
    }
    return "?";
}

AggregateExpr AggregateExpr::Copy() const {
    AggregateExpr a{kind, return_type, argument ? argument->Copy() : nullptr, distinct,
                    filter ? filter->Copy() : nullptr, separator ? separator->Copy() : nullptr};
    return a;
}

std::string AggregateExpr::ToString() const {
    std::string out = AggregateName(kind);
    out += "(";
    if (distinct) out += "DISTINCT ";
    if (argument) out += argument->ToString();
    out += ")";
    if (filter) out += " FILTER (WHERE " + filter->ToString() + ")";
    return out;
}

bool MatchColumnComparison(const Expr& e, ColumnComparison& out) {
    if (e.type != ExprType::Compare) return false;
    const Expr* a = e.children[0].get();
    const Expr* b = e.children[1].get();
    CompareOp op = e.compare;
    if (a->type == ExprType::Constant) {
        std::swap(a, b);
        op = FlipCompare(op);
    }
    if (a->type != ExprType::ColumnRef || a->depth != 0 || b->type != ExprType::Constant) return false;
    out = ColumnComparison{a, b, op};
    return true;
}

}  // namespace grizzly::ir
