#include "frontend/binder/expression_binder.hpp"

#include <algorithm>

#include "frontend/binder/type_rules.hpp"
#include "frontend/parser/parser.hpp"

namespace grizzly::frontend {

using ir::Expr;
using ir::ExprPtr;
using ir::ExprType;
using ir::ScalarFunctionId;

namespace {

const LogicalType kBool(TypeId::Boolean);
const LogicalType kBigInt(TypeId::BigInt);
const LogicalType kDouble(TypeId::Double);
const LogicalType kVarchar(TypeId::Varchar);

bool IsIntegerFamily(const LogicalType& t) { return t.IsInteger(); }

}  // namespace

bool IsAggregateName(const std::string& name) {
    static const char* kNames[] = {"count", "sum",     "avg",       "min",        "max",   "bool_and", "bool_or",
                                   "every", "any_value", "string_agg", "group_concat", "first", "total", "mean"};
    return std::any_of(std::begin(kNames), std::end(kNames), [&](const char* n) { return name == n; });
}

bool ContainsAggregate(const ast::Expr& expr) {
    switch (expr.kind) {
    case ast::ExprKind::Function: {
        auto& f = static_cast<const ast::FunctionExpr&>(expr);
        if (!f.over && IsAggregateName(f.name)) return true;
        for (auto& a : f.args)
            if (ContainsAggregate(*a)) return true;
        return false;
    }
    case ast::ExprKind::Unary: return ContainsAggregate(*static_cast<const ast::UnaryExpr&>(expr).operand);
    case ast::ExprKind::Binary: {
        auto& b = static_cast<const ast::BinaryExpr&>(expr);
        return ContainsAggregate(*b.left) || ContainsAggregate(*b.right);
    }
    case ast::ExprKind::Cast: return ContainsAggregate(*static_cast<const ast::CastExpr&>(expr).operand);
    case ast::ExprKind::Case: {
        auto& c = static_cast<const ast::CaseExpr&>(expr);
        if (c.operand && ContainsAggregate(*c.operand)) return true;
        if (c.else_expr && ContainsAggregate(*c.else_expr)) return true;
        for (auto& [w, t] : c.when_then)
            if (ContainsAggregate(*w) || ContainsAggregate(*t)) return true;
        return false;
    }
    case ast::ExprKind::Between: {
        auto& b = static_cast<const ast::BetweenExpr&>(expr);
        return ContainsAggregate(*b.operand) || ContainsAggregate(*b.low) || ContainsAggregate(*b.high);
    }
    case ast::ExprKind::InList: {
        auto& in = static_cast<const ast::InListExpr&>(expr);
        if (ContainsAggregate(*in.operand)) return true;
        for (auto& e : in.list)
            if (ContainsAggregate(*e)) return true;
        return false;
    }
    case ast::ExprKind::Subquery: {
        auto& s = static_cast<const ast::SubqueryExpr&>(expr);
        return s.operand && ContainsAggregate(*s.operand);
    }
    case ast::ExprKind::IsNull: return ContainsAggregate(*static_cast<const ast::IsNullExpr&>(expr).operand);
    case ast::ExprKind::Like: {
        auto& l = static_cast<const ast::LikeExpr&>(expr);
        return ContainsAggregate(*l.operand) || ContainsAggregate(*l.pattern);
    }
    default: return false;
    }
}

ExprPtr ExpressionBinder::Bind(const ast::Expr& expr) {
    ExprPtr bound = BindInner(expr);
    if (agg_ && !in_aggregate_) {
        // Branches that can never run need not be grouped: simplify before checking.
        if (binder_.shared_.evaluate) ir::FoldExpression(bound, binder_.shared_.evaluate);
        bound = ReplaceGroupRefs(std::move(bound), expr.pos);
    }
    return bound;
}

// A condition must be BOOLEAN (PostgreSQL): NULL and string literals convert,
// anything else is 42804.
static ExprPtr ToBoolean(ExprPtr e, const char* where, SourcePos pos) {
    if (e->return_type.id == TypeId::Boolean) return e;
    if (e->return_type.id == TypeId::Null || IsUntypedLiteral(*e)) return CastTo(std::move(e), kBool);
    throw Error(SqlState::DatatypeMismatch,
                std::string("argument of ") + where + " must be type boolean, not type " + e->return_type.ToString(),
                pos);
}

ExprPtr ExpressionBinder::BindCondition(const ast::Expr& expr, const char* where) {
    return ToBoolean(Bind(expr), where, expr.pos);
}

ExprPtr ExpressionBinder::ReplaceGroupRefs(ExprPtr expr, SourcePos pos) {
    for (size_t i = 0; i < agg_->groups.size(); ++i) {
        if (expr->Equals(*agg_->groups[i])) {
            auto ref = Expr::Column({agg_->group_index, static_cast<uint32_t>(i)}, expr->return_type, expr->alias);
            return ref;
        }
    }
    if (expr->type == ExprType::ColumnRef && expr->depth == 0 && expr->binding.table != agg_->group_index &&
        expr->binding.table != agg_->aggregate_index) {
        throw Error(SqlState::GroupingError,
                    "column \"" + expr->alias + "\" must appear in the GROUP BY clause or be used in an aggregate function",
                    pos);
    }
    for (auto& c : expr->children) c = ReplaceGroupRefs(std::move(c), pos);
    for (auto& c : expr->correlated) c = ReplaceGroupRefs(std::move(c), pos);
    return expr;
}

ExprPtr ExpressionBinder::BindInner(const ast::Expr& expr) {
    try {
        switch (expr.kind) {
        case ast::ExprKind::Constant: return Expr::Constant(static_cast<const ast::ConstantExpr&>(expr).value);
        case ast::ExprKind::ColumnRef: return BindColumnRef(static_cast<const ast::ColumnRefExpr&>(expr));
        case ast::ExprKind::Star:
            throw Error(SqlState::SyntaxError, "* is not allowed here", expr.pos);
        case ast::ExprKind::Parameter: {
            auto& p = static_cast<const ast::ParameterExpr&>(expr);
            auto& types = binder_.shared_.parameter_types;
            if (binder_.shared_.infer_parameter_types && p.index >= 1 && static_cast<size_t>(p.index) > types.size())
                types.resize(static_cast<size_t>(p.index), LogicalType(TypeId::Null));
            if (p.index < 1 || static_cast<size_t>(p.index) > types.size())
                throw Error(SqlState::UndefinedParameter, "there is no parameter $" + std::to_string(p.index),
                            expr.pos);
            auto e = std::make_unique<Expr>(ExprType::Parameter, types[static_cast<size_t>(p.index - 1)]);
            e->position = static_cast<uint32_t>(p.index - 1);
            return e;
        }
        case ast::ExprKind::Unary: return BindUnary(static_cast<const ast::UnaryExpr&>(expr));
        case ast::ExprKind::Binary: return BindBinary(static_cast<const ast::BinaryExpr&>(expr));
        case ast::ExprKind::Function: return BindFunction(static_cast<const ast::FunctionExpr&>(expr));
        case ast::ExprKind::Cast: {
            auto& c = static_cast<const ast::CastExpr&>(expr);
            ExprPtr operand = BindInner(*c.operand);
            LogicalType target = Binder::ResolveType(c.type);
            if (operand->return_type == target) return operand;
            return Expr::Cast(std::move(operand), target, c.try_cast);
        }
        case ast::ExprKind::Case: return BindCase(static_cast<const ast::CaseExpr&>(expr));
        case ast::ExprKind::Between: {
            auto& b = static_cast<const ast::BetweenExpr&>(expr);
            ExprPtr operand = BindInner(*b.operand);
            ExprPtr low = BindInner(*b.low), high = BindInner(*b.high);
            ExprPtr op2 = operand->Copy();
            UnifyOperands(operand, low, ">=", b.pos);
            UnifyOperands(op2, high, "<=", b.pos);
            ExprPtr result;
            if (b.symmetric) {
                ExprPtr o3 = operand->Copy(), o4 = op2->Copy(), l2 = low->Copy(), h2 = high->Copy();
                ExprPtr a = Expr::Conjunction(ExprType::And, Expr::Compare(ir::CompareOp::GtEq, std::move(operand), std::move(low)),
                                              Expr::Compare(ir::CompareOp::LtEq, std::move(op2), std::move(high)));
                ExprPtr r = Expr::Conjunction(ExprType::And, Expr::Compare(ir::CompareOp::GtEq, std::move(o3), std::move(h2)),
                                              Expr::Compare(ir::CompareOp::LtEq, std::move(o4), std::move(l2)));
                result = Expr::Conjunction(ExprType::Or, std::move(a), std::move(r));
            } else {
                result = Expr::Conjunction(ExprType::And,
                                           Expr::Compare(ir::CompareOp::GtEq, std::move(operand), std::move(low)),
                                           Expr::Compare(ir::CompareOp::LtEq, std::move(op2), std::move(high)));
            }
            if (!b.negated) return result;
            auto n = std::make_unique<Expr>(ExprType::Not, kBool);
            n->children.push_back(std::move(result));
            return n;
        }
        case ast::ExprKind::InList: return BindInList(static_cast<const ast::InListExpr&>(expr));
        case ast::ExprKind::Subquery: return BindSubquery(static_cast<const ast::SubqueryExpr&>(expr));
        case ast::ExprKind::IsNull: {
            auto& n = static_cast<const ast::IsNullExpr&>(expr);
            auto e = std::make_unique<Expr>(n.negated ? ExprType::IsNotNull : ExprType::IsNull, kBool);
            e->children.push_back(BindInner(*n.operand));
            return e;
        }
        case ast::ExprKind::Like: return BindLike(static_cast<const ast::LikeExpr&>(expr));
        }
    } catch (const Error& e) {
        throw e.WithPos(expr.pos);
    }
    throw Error::Internal("unknown expression kind");
}

ExprPtr ExpressionBinder::BindColumnRef(const ast::ColumnRefExpr& ref) {
    // An alias of the select list (ORDER BY / GROUP BY / HAVING) when no column has that name.
    if (aliases && ref.names.size() == 1) {
        bool found = false;
        ExprPtr local = binder_.ResolveLocal(ref.names, ref.pos, found);
        if (found) return local;
        for (auto& [alias, alias_expr] : *aliases)
            if (alias == ref.names[0]) return BindInner(*alias_expr);
    }
    return binder_.ResolveColumn(ref.names, ref.pos);
}

ExprPtr ExpressionBinder::BindUnary(const ast::UnaryExpr& expr) {
    ExprPtr operand = BindInner(*expr.operand);
    switch (expr.op) {
    case ast::UnaryOp::Plus: return operand;
    case ast::UnaryOp::Minus: {
        if (operand->type == ExprType::Constant && !operand->value.IsNull()) {
            // Fold literal negation here so that -2147483648 stays an INTEGER.
            const Value& v = operand->value;
            if (v.Type().id == TypeId::Integer && v.GetInt64() != INT32_MIN) return Expr::Constant(Value::Integer(-v.GetInt32()));
            if (v.Type().id == TypeId::BigInt && v.GetInt64() != INT64_MIN) {
                int64_t n = -v.GetInt64();
                return Expr::Constant(n >= INT32_MIN && n <= INT32_MAX ? Value::Integer(static_cast<int32_t>(n))
                                                                      : Value::BigInt(n));
            }
            if (v.Type().id == TypeId::Decimal)
                return Expr::Constant(Value::Decimal(-v.GetInt64(), v.Type().width, v.Type().scale));
            if (v.Type().id == TypeId::Double) return Expr::Constant(Value::Double(-v.GetDouble()));
        }
        LogicalType t = operand->return_type;
        if (t.id == TypeId::Interval)
            return Expr::Function(ScalarFunctionId::IntervalNegate, t, [&] {
                std::vector<ExprPtr> a;
                a.push_back(std::move(operand));
                return a;
            }());
        if (t.id == TypeId::Null || (t.id == TypeId::Varchar && IsUntypedLiteral(*operand))) {
            operand = CastTo(std::move(operand), t.id == TypeId::Null ? LogicalType(TypeId::Integer) : kDouble);
            t = operand->return_type;
        }
        if (!t.IsNumeric())
            throw Error(SqlState::UndefinedFunction, "operator does not exist: - " + t.ToString(), expr.pos);
        std::vector<ExprPtr> args;
        args.push_back(std::move(operand));
        return Expr::Function(ScalarFunctionId::Negate, t, std::move(args));
    }
    case ast::UnaryOp::Not: {
        auto e = std::make_unique<Expr>(ExprType::Not, kBool);
        e->children.push_back(ToBoolean(std::move(operand), "NOT", expr.pos));
        return e;
    }
    case ast::UnaryOp::BitNot: {
        if (!IsIntegerFamily(operand->return_type))
            throw Error(SqlState::UndefinedFunction, "operator does not exist: ~ " + operand->return_type.ToString(),
                        expr.pos);
        LogicalType t = operand->return_type;
        std::vector<ExprPtr> args;
        args.push_back(std::move(operand));
        return Expr::Function(ScalarFunctionId::BitNot, t, std::move(args));
    }
    }
    throw Error::Internal("unary operator");
}

static ExprPtr MakeFunction(ScalarFunctionId id, LogicalType rt, ExprPtr a, ExprPtr b = nullptr) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    if (b) args.push_back(std::move(b));
    return Expr::Function(id, rt, std::move(args));
}

ExprPtr ExpressionBinder::BindArithmetic(ast::BinaryOp op, ExprPtr left, ExprPtr right, SourcePos pos) {
    static const char* kOpNames[] = {"+", "-", "*", "/", "//", "%"};
    const char* op_name = kOpNames[static_cast<int>(op)];
    TypeId lt = left->return_type.id, rt = right->return_type.id;
    // Date and interval arithmetic.
    if (op == ast::BinaryOp::Add || op == ast::BinaryOp::Sub) {
        bool add = op == ast::BinaryOp::Add;
        if (lt == TypeId::Varchar && IsUntypedLiteral(*left) && (rt == TypeId::Date || rt == TypeId::Timestamp)) {
            left = CastTo(std::move(left), LogicalType(TypeId::Interval));
            lt = TypeId::Interval;
        }
        if (rt == TypeId::Varchar && IsUntypedLiteral(*right) && (lt == TypeId::Date || lt == TypeId::Timestamp)) {
            right = CastTo(std::move(right), add ? LogicalType(TypeId::Interval) : right->return_type);
            rt = right->return_type.id;
        }
        if (add && lt == TypeId::Interval && (rt == TypeId::Date || rt == TypeId::Timestamp)) {
            std::swap(left, right);
            std::swap(lt, rt);
        }
        if (add && left->return_type.IsInteger() && rt == TypeId::Date) {
            std::swap(left, right);
            std::swap(lt, rt);
        }
        if (lt == TypeId::Date && rt == TypeId::Interval)
            return MakeFunction(add ? ScalarFunctionId::DateAddInterval : ScalarFunctionId::DateSubInterval,
                                LogicalType(TypeId::Timestamp), std::move(left), std::move(right));
        if (lt == TypeId::Timestamp && rt == TypeId::Interval)
            return MakeFunction(add ? ScalarFunctionId::TimestampAddInterval : ScalarFunctionId::TimestampSubInterval,
                                LogicalType(TypeId::Timestamp), std::move(left), std::move(right));
        if (lt == TypeId::Date && right->return_type.IsInteger())
            return MakeFunction(add ? ScalarFunctionId::DateAddDays : ScalarFunctionId::DateSubDays,
                                LogicalType(TypeId::Date), std::move(left),
                                CastTo(std::move(right), LogicalType(TypeId::Integer)));
        if (!add && lt == TypeId::Date && rt == TypeId::Date)
            return MakeFunction(ScalarFunctionId::DateDiffDays, LogicalType(TypeId::Integer), std::move(left),
                                std::move(right));
        if (!add && lt == TypeId::Timestamp && (rt == TypeId::Timestamp || rt == TypeId::Date))
            return MakeFunction(ScalarFunctionId::TimestampDiff, LogicalType(TypeId::Interval), std::move(left),
                                CastTo(std::move(right), LogicalType(TypeId::Timestamp)));
        if (lt == TypeId::Interval && rt == TypeId::Interval)
            return MakeFunction(add ? ScalarFunctionId::IntervalAdd : ScalarFunctionId::IntervalSub,
                                LogicalType(TypeId::Interval), std::move(left), std::move(right));
    }
    if (op == ast::BinaryOp::Mul && (lt == TypeId::Interval || rt == TypeId::Interval)) {
        if (rt == TypeId::Interval) std::swap(left, right);
        return MakeFunction(ScalarFunctionId::IntervalMul, LogicalType(TypeId::Interval), std::move(left),
                            CastTo(std::move(right), kDouble));
    }
    // Text operands of arithmetic are read as numbers (SQLite's unary + on text, '1' + 1).
    auto numeric = [&](ExprPtr& e) {
        TypeId id = e->return_type.id;
        if (id == TypeId::Null) e = CastTo(std::move(e), LogicalType(TypeId::Integer));
        else if (id == TypeId::Varchar && IsUntypedLiteral(*e)) e = CastTo(std::move(e), kDouble);
        if (!e->return_type.IsNumeric())
            throw Error(SqlState::UndefinedFunction,
                        std::string("operator does not exist: ") + left->return_type.ToString() + " " + op_name +
                            " " + right->return_type.ToString(),
                        pos);
    };
    if (IsUntypedLiteral(*left) && right->return_type.IsNumeric() && left->return_type.id == TypeId::Varchar)
        left = CastTo(std::move(left), right->return_type);
    if (IsUntypedLiteral(*right) && left->return_type.IsNumeric() && right->return_type.id == TypeId::Varchar)
        right = CastTo(std::move(right), left->return_type);
    // A parameter of no type yet (PREPARE) takes the other operand's type, as in PostgreSQL.
    auto untyped_parameter = [](const Expr& e) {
        return e.type == ExprType::Parameter && e.return_type.id == TypeId::Null;
    };
    if (untyped_parameter(*left) && right->return_type.IsNumeric()) left = CastTo(std::move(left), right->return_type);
    if (untyped_parameter(*right) && left->return_type.IsNumeric()) right = CastTo(std::move(right), left->return_type);
    numeric(left);
    numeric(right);
    LogicalType a = left->return_type, b = right->return_type;
    ScalarFunctionId id = ScalarFunctionId::Add;
    switch (op) {
    case ast::BinaryOp::Add: id = ScalarFunctionId::Add; break;
    case ast::BinaryOp::Sub: id = ScalarFunctionId::Subtract; break;
    case ast::BinaryOp::Mul: id = ScalarFunctionId::Multiply; break;
    case ast::BinaryOp::Div: id = ScalarFunctionId::Divide; break;
    case ast::BinaryOp::IntDiv: id = ScalarFunctionId::IntDivide; break;
    case ast::BinaryOp::Mod: id = ScalarFunctionId::Modulo; break;
    default: break;
    }
    if ((a.id == TypeId::Decimal || b.id == TypeId::Decimal) && a.id != TypeId::Double && a.id != TypeId::Real &&
        b.id != TypeId::Double && b.id != TypeId::Real) {
        // Exact decimal arithmetic while the result fits 18 digits (PostgreSQL's numeric rules,
        // bounded by our 64-bit representation); beyond that, or for division, DOUBLE.
        auto as_decimal = [](const Expr& e) {
            const LogicalType& t = e.return_type;
            if (t.id == TypeId::Decimal) return t;
            if (e.type == ExprType::Constant && !e.value.IsNull()) {
                uint64_t magnitude = static_cast<uint64_t>(e.value.GetInt64() < 0 ? -e.value.GetInt64() : e.value.GetInt64());
                uint8_t digits = 1;
                while (magnitude >= 10 && digits < kMaxDecimalWidth) {
                    magnitude /= 10;
                    ++digits;
                }
                return LogicalType::Decimal(digits, 0);
            }
            return LogicalType::Decimal(IntegerDigits(t.id), 0);
        };
        LogicalType da = as_decimal(*left), db = as_decimal(*right);
        LogicalType result = kDouble;
        if (id == ScalarFunctionId::Multiply) {
            if (da.width + db.width <= kMaxDecimalWidth) {
                result = LogicalType::Decimal(static_cast<uint8_t>(da.width + db.width),
                                              static_cast<uint8_t>(da.scale + db.scale));
                left = CastTo(std::move(left), da);
                right = CastTo(std::move(right), db);
                return MakeFunction(id, result, std::move(left), std::move(right));
            }
        } else if (id == ScalarFunctionId::Add || id == ScalarFunctionId::Subtract || id == ScalarFunctionId::Modulo) {
            uint8_t scale = std::max(da.scale, db.scale);
            int int_digits = std::max(da.width - da.scale, db.width - db.scale) + (id == ScalarFunctionId::Modulo ? 0 : 1);
            int width = std::min<int>(kMaxDecimalWidth, int_digits + scale);
            if (scale <= kMaxDecimalWidth && width > scale) {
                result = LogicalType::Decimal(static_cast<uint8_t>(width), scale);
                LogicalType operand = LogicalType::Decimal(kMaxDecimalWidth, scale);
                left = CastTo(std::move(left), operand);
                right = CastTo(std::move(right), operand);
                return MakeFunction(id, result, std::move(left), std::move(right));
            }
        }
        if (id == ScalarFunctionId::IntDivide) id = ScalarFunctionId::Divide;
        left = CastTo(std::move(left), kDouble);
        right = CastTo(std::move(right), kDouble);
        return MakeFunction(id, kDouble, std::move(left), std::move(right));
    }
    LogicalType common;
    CommonType(a, b, common);
    // TINYINT has no operators of its own (PostgreSQL has no such type): it computes as SMALLINT.
    if (common.id == TypeId::TinyInt) common = LogicalType(TypeId::SmallInt);
    left = CastTo(std::move(left), common);
    right = CastTo(std::move(right), common);
    return MakeFunction(id, common, std::move(left), std::move(right));
}

ExprPtr ExpressionBinder::BindBinary(const ast::BinaryExpr& expr) {
    ExprPtr left = BindInner(*expr.left);
    ExprPtr right = BindInner(*expr.right);
    using BO = ast::BinaryOp;
    switch (expr.op) {
    case BO::Add:
    case BO::Sub:
    case BO::Mul:
    case BO::Div:
    case BO::IntDiv:
    case BO::Mod: return BindArithmetic(expr.op, std::move(left), std::move(right), expr.pos);
    case BO::Concat: {
        left = CastTo(std::move(left), kVarchar);
        right = CastTo(std::move(right), kVarchar);
        return MakeFunction(ScalarFunctionId::Concat, kVarchar, std::move(left), std::move(right));
    }
    case BO::Eq:
    case BO::NotEq:
    case BO::Lt:
    case BO::LtEq:
    case BO::Gt:
    case BO::GtEq:
    case BO::IsDistinctFrom:
    case BO::IsNotDistinctFrom: {
        static const ir::CompareOp kOps[] = {ir::CompareOp::Eq,   ir::CompareOp::NotEq, ir::CompareOp::Lt,
                                             ir::CompareOp::LtEq, ir::CompareOp::Gt,    ir::CompareOp::GtEq,
                                             ir::CompareOp::DistinctFrom, ir::CompareOp::NotDistinctFrom};
        ir::CompareOp op = kOps[static_cast<int>(expr.op) - static_cast<int>(BO::Eq)];
        UnifyOperands(left, right, ir::CompareOpSql(op), expr.pos);
        if (left->return_type.id == TypeId::Null) {
            left = CastTo(std::move(left), kBool);
            right = CastTo(std::move(right), kBool);
        }
        return Expr::Compare(op, std::move(left), std::move(right));
    }
    case BO::And:
    case BO::Or: {
        const char* name = expr.op == BO::And ? "AND" : "OR";
        auto to_bool = [&](ExprPtr e) { return ToBoolean(std::move(e), name, expr.pos); };
        return Expr::Conjunction(expr.op == BO::And ? ExprType::And : ExprType::Or, to_bool(std::move(left)),
                                 to_bool(std::move(right)));
    }
    case BO::BitAnd:
    case BO::BitOr:
    case BO::BitXor:
    case BO::ShiftLeft:
    case BO::ShiftRight: {
        UnifyOperands(left, right, "&", expr.pos);
        if (!IsIntegerFamily(left->return_type))
            throw Error(SqlState::UndefinedFunction,
                        "operator does not exist: " + left->return_type.ToString() + " & " + right->return_type.ToString(),
                        expr.pos);
        ScalarFunctionId id = expr.op == BO::BitAnd   ? ScalarFunctionId::BitAnd
                              : expr.op == BO::BitOr  ? ScalarFunctionId::BitOr
                              : expr.op == BO::BitXor ? ScalarFunctionId::BitXor
                              : expr.op == BO::ShiftLeft ? ScalarFunctionId::ShiftLeft
                                                         : ScalarFunctionId::ShiftRight;
        LogicalType t = left->return_type;
        return MakeFunction(id, t, std::move(left), std::move(right));
    }
    }
    throw Error::Internal("binary operator");
}

ExprPtr ExpressionBinder::BindCase(const ast::CaseExpr& expr) {
    std::vector<ExprPtr> whens, thens;
    ExprPtr operand = expr.operand ? BindInner(*expr.operand) : nullptr;
    for (auto& [w, t] : expr.when_then) {
        ExprPtr cond;
        if (operand) {
            ExprPtr l = operand->Copy(), r = BindInner(*w);
            UnifyOperands(l, r, "=", w->pos);
            cond = Expr::Compare(ir::CompareOp::Eq, std::move(l), std::move(r));
        } else {
            cond = ToBoolean(BindInner(*w), "CASE/WHEN", w->pos);
        }
        whens.push_back(std::move(cond));
        thens.push_back(BindInner(*t));
    }
    ExprPtr else_expr = expr.else_expr ? BindInner(*expr.else_expr) : Expr::Constant(Value::Null());
    // Result type: common type of all branches; literals adapt to typed branches.
    LogicalType result(TypeId::Null);
    // String literals adapt to the typed branches (PostgreSQL's unknown literals).
    auto merge = [&](const ExprPtr& e, bool literals) {
        if (e->return_type.id == TypeId::Null || IsUntypedLiteral(*e) != literals) return;
        if (result.id == TypeId::Null) result = e->return_type;
        else if (!literals) result = MatchTypes(result, e->return_type, "CASE", expr.pos);
    };
    for (auto& t : thens) merge(t, false);
    merge(else_expr, false);
    for (auto& t : thens) merge(t, true);
    merge(else_expr, true);
    if (result.id == TypeId::Null) result = kVarchar;
    auto e = std::make_unique<Expr>(ExprType::Case, result);
    for (size_t i = 0; i < whens.size(); ++i) {
        e->children.push_back(std::move(whens[i]));
        e->children.push_back(CastTo(std::move(thens[i]), result));
    }
    e->children.push_back(CastTo(std::move(else_expr), result));
    return e;
}

ExprPtr ExpressionBinder::BindInList(const ast::InListExpr& expr) {
    ExprPtr operand = BindInner(*expr.operand);
    std::vector<ExprPtr> items;
    LogicalType common = operand->return_type;
    for (auto& item : expr.list) {
        items.push_back(BindInner(*item));
        LogicalType t;
        if (IsUntypedLiteral(*items.back()) && common.id != TypeId::Null) continue;
        if (CommonType(common, items.back()->return_type, t)) common = t;
        else
            throw Error(SqlState::UndefinedFunction,
                        "operator does not exist: " + common.ToString() + " = " + items.back()->return_type.ToString(),
                        item->pos);
    }
    if (common.id == TypeId::Null) common = LogicalType(TypeId::Integer);
    auto e = std::make_unique<Expr>(ExprType::InList, kBool);
    e->negated = expr.negated;
    e->children.push_back(CastTo(std::move(operand), common));
    for (auto& i : items) e->children.push_back(CastTo(std::move(i), common));
    return e;
}

ExprPtr ExpressionBinder::BindLike(const ast::LikeExpr& expr) {
    ExprPtr operand = CastTo(BindInner(*expr.operand), kVarchar);
    ExprPtr pattern = CastTo(BindInner(*expr.pattern), kVarchar);
    std::vector<ExprPtr> args;
    args.push_back(std::move(operand));
    args.push_back(std::move(pattern));
    if (expr.escape) args.push_back(CastTo(BindInner(*expr.escape), kVarchar));
    ScalarFunctionId id = expr.glob ? ScalarFunctionId::Glob
                          : expr.case_insensitive ? ScalarFunctionId::ILike
                                                  : ScalarFunctionId::Like;
    ExprPtr call = Expr::Function(id, kBool, std::move(args));
    if (!expr.negated) return call;
    auto n = std::make_unique<Expr>(ExprType::Not, kBool);
    n->children.push_back(std::move(call));
    return n;
}

ExprPtr ExpressionBinder::BindSubquery(const ast::SubqueryExpr& expr) {
    Binder sub(binder_.shared_, &binder_);
    ir::BoundQuery bound = sub.BindQuery(*expr.query);
    auto e = std::make_unique<Expr>(ExprType::Subquery, kBool);
    e->correlated = std::move(sub.Correlated());
    switch (expr.subquery_kind) {
    case ast::SubqueryKind::Scalar:
        if (bound.types.size() != 1)
            throw Error(SqlState::SyntaxError, "subquery must return only one column", expr.pos);
        e->subquery_type = ir::SubqueryType::Scalar;
        e->return_type = bound.types[0];
        break;
    case ast::SubqueryKind::Exists:
        e->subquery_type = expr.negated ? ir::SubqueryType::NotExists : ir::SubqueryType::Exists;
        break;
    case ast::SubqueryKind::In:
    case ast::SubqueryKind::Any:
    case ast::SubqueryKind::All: {
        if (bound.types.size() != 1)
            throw Error(SqlState::SyntaxError, "subquery has too many columns", expr.pos);
        e->subquery_type = expr.subquery_kind == ast::SubqueryKind::All ? ir::SubqueryType::All : ir::SubqueryType::Any;
        static const ir::CompareOp kOps[] = {ir::CompareOp::Eq, ir::CompareOp::NotEq, ir::CompareOp::Lt,
                                             ir::CompareOp::LtEq, ir::CompareOp::Gt, ir::CompareOp::GtEq};
        int op_index = static_cast<int>(expr.compare) - static_cast<int>(ast::BinaryOp::Eq);
        e->compare = expr.subquery_kind == ast::SubqueryKind::In ? ir::CompareOp::Eq
                                                                   : kOps[op_index >= 0 && op_index < 6 ? op_index : 0];
        ExprPtr operand = BindInner(*expr.operand);
        // Compare in the common type: cast the operand here, the subquery's column through a projection.
        LogicalType common;
        LogicalType sub_type = bound.types[0];
        if (IsUntypedLiteral(*operand)) common = sub_type;
        else if (!CommonType(operand->return_type, sub_type, common))
            throw Error(SqlState::UndefinedFunction,
                        "operator does not exist: " + operand->return_type.ToString() + " = " + sub_type.ToString(),
                        expr.pos);
        operand = CastTo(std::move(operand), common);
        if (sub_type != common) {
            auto proj = std::make_unique<ir::LogicalOperator>(ir::LogicalOpType::Projection);
            proj->table_index = binder_.NewTableIndex();
            auto bindings = bound.plan->OutputBindings();
            proj->expressions.push_back(CastTo(Expr::Column(bindings[0], sub_type), common));
            proj->children.push_back(std::move(bound.plan));
            bound.plan = std::move(proj);
            bound.types[0] = common;
        }
        e->children.push_back(std::move(operand));
        if (expr.subquery_kind == ast::SubqueryKind::In && expr.negated) {
            e->subquery = std::shared_ptr<ir::LogicalOperator>(std::move(bound.plan));
            auto n = std::make_unique<Expr>(ExprType::Not, kBool);
            n->children.push_back(std::move(e));
            return n;
        }
        break;
    }
    }
    if (e->subquery_type != ir::SubqueryType::Any && e->subquery_type != ir::SubqueryType::All) {
        // EXISTS needs one row; a scalar subquery two, to tell "more than one" apart.
        auto limit = std::make_unique<ir::LogicalOperator>(ir::LogicalOpType::Limit);
        limit->limit = Expr::Constant(Value::BigInt(e->subquery_type == ir::SubqueryType::Scalar ? 2 : 1));
        limit->children.push_back(std::move(bound.plan));
        bound.plan = std::move(limit);
    }
    e->subquery = std::shared_ptr<ir::LogicalOperator>(std::move(bound.plan));
    return e;
}

ExprPtr ExpressionBinder::BindAggregate(const ast::FunctionExpr& expr) {
    if (!agg_) throw Error(SqlState::GroupingError, "aggregate functions are not allowed in " + std::string(clause), expr.pos);
    if (in_aggregate_) throw Error(SqlState::GroupingError, "aggregate function calls cannot be nested", expr.pos);
    in_aggregate_ = true;
    struct Reset {
        bool& flag;
        ~Reset() { flag = false; }
    } reset{in_aggregate_};
    ir::AggregateExpr agg{ir::AggregateKind::CountStar, kBigInt, nullptr, expr.distinct, nullptr, nullptr};
    const std::string& name = expr.name;
    if (expr.filter) agg.filter = BindCondition(*expr.filter, "FILTER");
    if (name == "count" && (expr.star || expr.args.empty())) {
        agg.kind = ir::AggregateKind::CountStar;
    } else {
        size_t expected = name == "string_agg" || name == "group_concat" ? 2 : 1;
        if (expr.args.size() != expected && !(name == "group_concat" && expr.args.size() == 1))
            throw Error::UndefinedFunction(name + " with " + std::to_string(expr.args.size()) + " arguments", expr.pos);
        ExprPtr arg = BindInner(*expr.args[0]);
        LogicalType t = arg->return_type;
        if (name == "count") {
            agg.kind = ir::AggregateKind::Count;
        } else if (name == "sum" || name == "total") {
            if (t.id == TypeId::Null) {
                arg = CastTo(std::move(arg), kDouble);
                t = kDouble;
            }
            if (!t.IsNumeric() && t.id != TypeId::Interval)
                throw Error::UndefinedFunction("sum(" + t.ToString() + ")", expr.pos);
            agg.kind = ir::AggregateKind::Sum;
            if (t.IsInteger()) agg.return_type = kBigInt;
            else if (t.id == TypeId::Decimal) agg.return_type = LogicalType::Decimal(kMaxDecimalWidth, t.scale);
            else agg.return_type = t.id == TypeId::Real ? kDouble : t;
            if (name == "total") {
                arg = CastTo(std::move(arg), kDouble);
                agg.return_type = kDouble;
            }
        } else if (name == "avg" || name == "mean") {
            if (t.id == TypeId::Null) arg = CastTo(std::move(arg), kDouble);
            else if (!t.IsNumeric()) throw Error::UndefinedFunction("avg(" + t.ToString() + ")", expr.pos);
            agg.kind = ir::AggregateKind::Avg;
            agg.return_type = kDouble;
        } else if (name == "min" || name == "max") {
            agg.kind = name == "min" ? ir::AggregateKind::Min : ir::AggregateKind::Max;
            if (t.id == TypeId::Null) arg = CastTo(std::move(arg), LogicalType(TypeId::Integer));
            agg.return_type = arg->return_type;
        } else if (name == "bool_and" || name == "every" || name == "bool_or") {
            agg.kind = name == "bool_or" ? ir::AggregateKind::BoolOr : ir::AggregateKind::BoolAnd;
            arg = CastTo(std::move(arg), kBool);
            agg.return_type = kBool;
        } else if (name == "string_agg" || name == "group_concat") {
            agg.kind = ir::AggregateKind::StringAgg;
            arg = CastTo(std::move(arg), kVarchar);
            agg.separator = expr.args.size() > 1 ? CastTo(BindInner(*expr.args[1]), kVarchar)
                                                 : Expr::Constant(Value::Varchar(","));
            agg.return_type = kVarchar;
        } else {  // first / any_value
            agg.kind = ir::AggregateKind::First;
            agg.return_type = t;
        }
        agg.argument = std::move(arg);
    }
    agg_->aggregates.push_back(std::move(agg));
    auto ref = Expr::Column({agg_->aggregate_index, static_cast<uint32_t>(agg_->aggregates.size() - 1)},
                            agg_->aggregates.back().return_type, name);
    return ref;
}

ExprPtr ExpressionBinder::BindFunction(const ast::FunctionExpr& expr) {
    if (expr.over) throw Error::NotSupported("window functions", expr.pos);
    if (IsAggregateName(expr.name) && !(expr.name == "min" || expr.name == "max") ) return BindAggregate(expr);
    if ((expr.name == "min" || expr.name == "max") && expr.args.size() == 1) return BindAggregate(expr);
    if (expr.star) throw Error(SqlState::SyntaxError, expr.name + "(*) is not allowed", expr.pos);
    if (expr.name == "default" && expr.args.empty() && expr.schema.empty())
        throw Error(SqlState::SyntaxError, "DEFAULT is not allowed in this context", expr.pos);
    if (auto* macro = binder_.shared_.catalog->GetMacro(expr.name)) return BindMacro(*macro, expr);
    std::vector<ExprPtr> args;
    for (auto& a : expr.args) args.push_back(BindInner(*a));
    return BindScalarFunction(expr.name, std::move(args), expr.pos);
}

ExprPtr ExpressionBinder::BindMacro(const storage::MacroEntry& macro, const ast::FunctionExpr& expr) {
    if (expr.args.size() != macro.params.size())
        throw Error::UndefinedFunction(macro.name + " with " + std::to_string(expr.args.size()) + " arguments",
                                       expr.pos);
    if (binder_.shared_.view_depth > 32)
        throw Error(SqlState::ProgramLimitExceeded, "function " + macro.name + " nests too deeply", expr.pos);
    // A SQL function body is an expression over its parameters: bind it in a scope
    // whose only "table" holds the argument values.
    auto stmts = ParseSql("SELECT " + macro.body_sql);
    auto& select = static_cast<ast::SelectStatement&>(*stmts.at(0));
    const ast::Expr& body = *select.query->select->items.at(0).expr;
    Binder inner(binder_.shared_, &binder_);
    uint32_t table_index = binder_.NewTableIndex();
    std::vector<ExprPtr> args;
    ScopeTable params;
    for (size_t i = 0; i < macro.params.size(); ++i) {
        ExprPtr arg = BindInner(*expr.args[i]);
        if (!macro.param_types.empty()) arg = CastTo(std::move(arg), macro.param_types[i]);
        params.columns.push_back({macro.params[i], arg->return_type, {table_index, static_cast<uint32_t>(i)}});
        args.push_back(std::move(arg));
    }
    inner.scope_.tables.push_back(std::move(params));
    ++binder_.shared_.view_depth;
    ExpressionBinder eb(inner, nullptr);
    ExprPtr result = eb.Bind(body);
    --binder_.shared_.view_depth;
    // Substitute the argument expressions for the parameter columns.
    std::function<ExprPtr(ExprPtr)> substitute = [&](ExprPtr e) -> ExprPtr {
        if (e->type == ExprType::ColumnRef && e->binding.table == table_index) return args[e->binding.column]->Copy();
        for (auto& c : e->children) c = substitute(std::move(c));
        return e;
    };
    result = substitute(std::move(result));
    if (macro.has_return_type) result = CastTo(std::move(result), macro.return_type);
    return result;
}

namespace {

struct FunctionAlias {
    const char* alias;
    const char* name;
};

const FunctionAlias kAliases[] = {{"substr", "substring"}, {"char_length", "length"}, {"character_length", "length"},
                                  {"len", "length"},       {"pow", "power"},          {"ceiling", "ceil"},
                                  {"ifnull", "coalesce"},  {"nvl", "coalesce"},       {"date_part", "extract"},
                                  {"datepart", "extract"}, {"lcase", "lower"},        {"ucase", "upper"},
                                  {"now", "current_timestamp"}, {"today", "current_date"}, {"log", "log10"},
                                  {"truncate", "trunc"},   {"prefix", "starts_with"}};

}  // namespace

ExprPtr ExpressionBinder::BindScalarFunction(const std::string& raw_name, std::vector<ExprPtr> args, SourcePos pos) {
    std::string name = raw_name;
    for (auto& a : kAliases)
        if (name == a.alias) name = a.name;
    if (name == "strpos" || name == "instr") {
        if (args.size() == 2) std::swap(args[0], args[1]);
        name = "position";
    }
    auto signature = [&] {
        std::string s = raw_name + "(";
        for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i]->return_type.ToString();
        return s + ")";
    };
    ScalarFunctionId id{};
    bool found = false;
    int min_args = 0, max_args = 0;
#define X(fid, fname, fmin, fmax)                                            \
    if (!found && name == fname && std::isalpha(static_cast<unsigned char>(fname[0]))) { \
        id = ScalarFunctionId::fid;                                          \
        found = true;                                                        \
        min_args = fmin;                                                     \
        max_args = fmax;                                                     \
    }
#include "ir/functions.def"
#undef X
    if (name == "concat") {
        // concat() treats NULL as an empty string (PostgreSQL).
        ExprPtr result = Expr::Constant(Value::Varchar(""));
        for (auto& a : args) {
            ExprPtr text = CastTo(std::move(a), kVarchar);
            std::vector<ExprPtr> co;
            co.push_back(std::move(text));
            co.push_back(Expr::Constant(Value::Varchar("")));
            ExprPtr safe = Expr::Function(ScalarFunctionId::Coalesce, kVarchar, std::move(co));
            result = MakeFunction(ScalarFunctionId::Concat, kVarchar, std::move(result), std::move(safe));
        }
        return result;
    }
    if (!found || static_cast<int>(args.size()) < min_args || (max_args >= 0 && static_cast<int>(args.size()) > max_args) ||
        name == "date_add" || name == "date_sub")
        throw Error::UndefinedFunction(signature(), pos);
    auto cast_arg = [&](size_t i, const LogicalType& t) { args[i] = CastTo(std::move(args[i]), t); };
    auto numeric_arg = [&](size_t i) {
        TypeId t = args[i]->return_type.id;
        if (t == TypeId::Null) cast_arg(i, LogicalType(TypeId::Integer));
        else if (t == TypeId::Varchar) cast_arg(i, kDouble);
        else if (!args[i]->return_type.IsNumeric()) throw Error::UndefinedFunction(signature(), pos);
    };
    LogicalType rt = kVarchar;
    switch (id) {
    case ScalarFunctionId::Abs:
    case ScalarFunctionId::Sign:
        numeric_arg(0);
        rt = args[0]->return_type;
        if (rt.id == TypeId::TinyInt || rt.id == TypeId::SmallInt) {
            cast_arg(0, LogicalType(TypeId::Integer));
            rt = LogicalType(TypeId::Integer);
        }
        if (rt.id == TypeId::Real) {
            cast_arg(0, kDouble);
            rt = kDouble;
        }
        break;
    case ScalarFunctionId::Round:
    case ScalarFunctionId::Floor:
    case ScalarFunctionId::Ceil:
    case ScalarFunctionId::Trunc:
        numeric_arg(0);
        rt = args[0]->return_type;
        if (rt.id == TypeId::Real) {
            cast_arg(0, kDouble);
            rt = kDouble;
        }
        if (rt.IsInteger() && rt.id != TypeId::BigInt) {
            cast_arg(0, LogicalType(TypeId::Integer));
            rt = LogicalType(TypeId::Integer);
        }
        if (rt.id == TypeId::Decimal && (args.size() == 1)) rt = LogicalType::Decimal(rt.width, 0);
        if (args.size() > 1) cast_arg(1, LogicalType(TypeId::Integer));
        break;
    case ScalarFunctionId::Mod: {
        numeric_arg(0);
        numeric_arg(1);
        return BindArithmetic(ast::BinaryOp::Mod, std::move(args[0]), std::move(args[1]), pos);
    }
    case ScalarFunctionId::Power:
    case ScalarFunctionId::Sqrt:
    case ScalarFunctionId::Exp:
    case ScalarFunctionId::Ln:
    case ScalarFunctionId::Log10:
        for (size_t i = 0; i < args.size(); ++i) {
            numeric_arg(i);
            cast_arg(i, kDouble);
        }
        rt = kDouble;
        break;
    case ScalarFunctionId::Length:
        cast_arg(0, kVarchar);
        rt = kBigInt;
        break;
    case ScalarFunctionId::Upper:
    case ScalarFunctionId::Lower:
    case ScalarFunctionId::Reverse:
    case ScalarFunctionId::Trim:
    case ScalarFunctionId::LTrim:
    case ScalarFunctionId::RTrim:
    case ScalarFunctionId::Replace:
        for (size_t i = 0; i < args.size(); ++i) cast_arg(i, kVarchar);
        break;
    case ScalarFunctionId::Substring:
        cast_arg(0, kVarchar);
        for (size_t i = 1; i < args.size(); ++i) cast_arg(i, kBigInt);
        break;
    case ScalarFunctionId::Repeat:
    case ScalarFunctionId::Left:
    case ScalarFunctionId::Right:
        cast_arg(0, kVarchar);
        cast_arg(1, kBigInt);
        break;
    case ScalarFunctionId::Position:
        cast_arg(0, kVarchar);
        cast_arg(1, kVarchar);
        rt = kBigInt;
        break;
    case ScalarFunctionId::StartsWith:
    case ScalarFunctionId::Contains:
        cast_arg(0, kVarchar);
        cast_arg(1, kVarchar);
        rt = kBool;
        break;
    case ScalarFunctionId::Extract: {
        if (args[0]->type != ExprType::Constant || args[0]->return_type.id != TypeId::Varchar)
            throw Error::UndefinedFunction(signature(), pos);
        std::string field = args[0]->value.GetString();
        for (auto& c : field) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        args[0] = Expr::Constant(Value::Varchar(field));
        TypeId t = args[1]->return_type.id;
        if (t == TypeId::Varchar) cast_arg(1, LogicalType(TypeId::Timestamp));
        else if (t != TypeId::Date && t != TypeId::Timestamp && t != TypeId::Interval)
            throw Error::UndefinedFunction(signature(), pos);
        rt = field == "epoch" ? kDouble : kBigInt;
        break;
    }
    case ScalarFunctionId::CurrentDate: rt = LogicalType(TypeId::Date); break;
    case ScalarFunctionId::CurrentTimestamp: rt = LogicalType(TypeId::Timestamp); break;
    case ScalarFunctionId::Random: rt = kDouble; break;
    case ScalarFunctionId::Typeof: rt = kVarchar; break;
    case ScalarFunctionId::NullIf: {
        // NULLIF(a, b) = CASE WHEN a = b THEN NULL ELSE a END, typed as a.
        ExprPtr a = std::move(args[0]), b = std::move(args[1]);
        LogicalType t = a->return_type.id == TypeId::Null ? b->return_type : a->return_type;
        if (t.id == TypeId::Null) t = LogicalType(TypeId::Integer);
        a = CastTo(std::move(a), t);
        ExprPtr l = a->Copy();
        UnifyOperands(l, b, "=", pos);
        auto e = std::make_unique<Expr>(ExprType::Case, t);
        e->children.push_back(Expr::Compare(ir::CompareOp::Eq, std::move(l), std::move(b)));
        e->children.push_back(Expr::Constant(Value::Null(t)));
        e->children.push_back(std::move(a));
        return e;
    }
    case ScalarFunctionId::Coalesce:
    case ScalarFunctionId::Greatest:
    case ScalarFunctionId::Least: {
        if (id == ScalarFunctionId::Coalesce) {
            // Arguments after a non-NULL constant are never evaluated: drop them before typing.
            for (size_t i = 0; i + 1 < args.size(); ++i) {
                if (args[i]->type == ExprType::Constant && !args[i]->value.IsNull()) {
                    args.resize(i + 1);
                    break;
                }
            }
        }
        LogicalType common(TypeId::Null);
        for (int literals = 0; literals < 2; ++literals) {
            for (auto& a : args) {
                if (a->return_type.id == TypeId::Null || IsUntypedLiteral(*a) != (literals == 1)) continue;
                if (common.id == TypeId::Null) common = a->return_type;
                else if (literals == 0) common = MatchTypes(common, a->return_type, ScalarFunctionName(id), pos);
            }
        }
        if (common.id == TypeId::Null) common = kVarchar;
        for (size_t i = 0; i < args.size(); ++i) cast_arg(i, common);
        rt = common;
        break;
    }
    default: throw Error::UndefinedFunction(signature(), pos);
    }
    return Expr::Function(id, rt, std::move(args));
}

}  // namespace grizzly::frontend
