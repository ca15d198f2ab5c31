#include "frontend/binder/type_rules.hpp"

namespace grizzly::frontend {

namespace {

int NumericRank(TypeId id) {
    switch (id) {
    case TypeId::TinyInt: return 1;
    case TypeId::SmallInt: return 2;
    case TypeId::Integer: return 3;
    case TypeId::BigInt: return 4;
    case TypeId::Decimal: return 5;
    case TypeId::Real: return 6;
    case TypeId::Double: return 7;
    default: return 0;
    }
}

}  // namespace

uint8_t IntegerDigits(TypeId id) {
    switch (id) {
    case TypeId::TinyInt: return 3;
    case TypeId::SmallInt: return 5;
    case TypeId::Integer: return 10;
    default: return 18;
    }
}

bool IsUntypedLiteral(const ir::Expr& expr) {
    return expr.type == ir::ExprType::Constant &&
           (expr.return_type.id == TypeId::Varchar || expr.return_type.id == TypeId::Null);
}

bool CommonType(const LogicalType& a, const LogicalType& b, LogicalType& out) {
    if (a == b) {
        out = a;
        return true;
    }
    if (a.id == TypeId::Null) {
        out = b;
        return true;
    }
    if (b.id == TypeId::Null) {
        out = a;
        return true;
    }
    int ra = NumericRank(a.id), rb = NumericRank(b.id);
    if (ra && rb) {
        if (a.id == TypeId::Decimal || b.id == TypeId::Decimal) {
            if (ra > 5 || rb > 5) {
                out = LogicalType(TypeId::Double);
                return true;
            }
            const LogicalType& d1 = a.id == TypeId::Decimal ? a : b;
            const LogicalType& other = a.id == TypeId::Decimal ? b : a;
            uint8_t scale = d1.scale, int_digits = static_cast<uint8_t>(d1.width - d1.scale);
            if (other.id == TypeId::Decimal) {
                scale = std::max(scale, other.scale);
                int_digits = std::max<uint8_t>(int_digits, static_cast<uint8_t>(other.width - other.scale));
            } else {
                int_digits = std::max(int_digits, IntegerDigits(other.id));
            }
            int width = std::min<int>(kMaxDecimalWidth, int_digits + scale);
            out = LogicalType::Decimal(static_cast<uint8_t>(width), scale);
            return true;
        }
        out = ra > rb ? a : b;
        if (out.id == TypeId::Real) out = LogicalType(TypeId::Double);
        return true;
    }
    if (a.id == TypeId::Date && b.id == TypeId::Timestamp) {
        out = b;
        return true;
    }
    if (a.id == TypeId::Timestamp && b.id == TypeId::Date) {
        out = a;
        return true;
    }
    return false;
}

ir::ExprPtr CastTo(ir::ExprPtr expr, const LogicalType& target) {
    if (expr->return_type == target) return expr;
    if (expr->type == ir::ExprType::Constant && expr->value.IsNull()) {
        expr->value = Value::Null(target);
        expr->return_type = target;
        return expr;
    }
    return ir::Expr::Cast(std::move(expr), target);
}

LogicalType MatchTypes(const LogicalType& a, const LogicalType& b, const char* context, SourcePos pos) {
    LogicalType common;
    if (CommonType(a, b, common)) return common;
    throw Error(SqlState::DatatypeMismatch,
                std::string(context) + " types " + a.ToString() + " and " + b.ToString() + " cannot be matched", pos);
}

void UnifyOperands(ir::ExprPtr& left, ir::ExprPtr& right, const char* op, SourcePos pos) {
    const LogicalType lt = left->return_type, rt = right->return_type;
    if (lt == rt) return;
    // A string literal or NULL takes the type of the other side ('1994-01-01' compared with a date).
    if (IsUntypedLiteral(*left) && rt.id != TypeId::Null) {
        left = CastTo(std::move(left), rt);
        return;
    }
    if (IsUntypedLiteral(*right) && lt.id != TypeId::Null) {
        right = CastTo(std::move(right), lt);
        return;
    }
    LogicalType common;
    if (!CommonType(lt, rt, common))
        throw Error(SqlState::UndefinedFunction,
                    std::string("operator does not exist: ") + lt.ToString() + " " + op + " " + rt.ToString(), pos);
    left = CastTo(std::move(left), common);
    right = CastTo(std::move(right), common);
}

}  // namespace grizzly::frontend
