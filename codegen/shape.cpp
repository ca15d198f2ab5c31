#include "codegen/shape.hpp"

#include <bit>
#include <cstring>

namespace grizzly::codegen {

namespace {

using ir::Expr;
using ir::ExprType;

const char* ExprTypeName(ExprType type) {
    switch (type) {
    case ExprType::Constant: return "const";
    case ExprType::ColumnRef: return "col";
    case ExprType::Parameter: return "param";
    case ExprType::Function: return "fn";
    case ExprType::Compare: return "cmp";
    case ExprType::And: return "and";
    case ExprType::Or: return "or";
    case ExprType::Not: return "not";
    case ExprType::IsNull: return "is_null";
    case ExprType::IsNotNull: return "is_not_null";
    case ExprType::Case: return "case";
    case ExprType::Cast: return "cast";
    case ExprType::InList: return "in";
    case ExprType::Subquery: return "subquery";
    }
    return "?";
}

void AppendKey(const Expr& expr, std::string& out) {
    out += ExprTypeName(expr.type);
    switch (expr.type) {
    case ExprType::ColumnRef:
        out += '#' + std::to_string(expr.position);
        if (expr.depth != 0) out += '^' + std::to_string(expr.depth);
        break;
    case ExprType::Parameter:
        out += '$' + std::to_string(expr.position);
        if (expr.depth != 0) out += '^' + std::to_string(expr.depth);
        break;
    case ExprType::Function:
        out += std::string(".") + ir::ScalarFunctionName(expr.function);
        // The compiled code depends on EXTRACT's field, not only on its slot.
        if (expr.function == ir::ScalarFunctionId::Extract && expr.children[0]->type == ExprType::Constant)
            out += '[' + expr.children[0]->value.ToString() + ']';
        break;
    case ExprType::Compare: out += std::string(".") + ir::CompareOpSql(expr.compare); break;
    case ExprType::Cast:
        if (expr.try_cast) out += ".try";
        break;
    case ExprType::InList:
        if (expr.negated) out += ".not";
        break;
    case ExprType::Subquery:
        // The code calls the interpreter for the subquery the run binds at its site
        // (runtime/row_calls.hpp): its plan is not part of the shape, only how it is used.
        out += std::string(".") + std::to_string(static_cast<int>(expr.subquery_type)) +
               ir::CompareOpSql(expr.compare) + (expr.correlated.empty() ? "" : ".correlated");
        break;
    default: break;
    }
    out += ':';
    out += expr.return_type.ToString();
    if (!expr.children.empty()) {
        out += '(';
        for (size_t child_idx = 0; child_idx < expr.children.size(); ++child_idx) {
            if (child_idx) out += ',';
            AppendKey(*expr.children[child_idx], out);
        }
        out += ')';
    }
    // A correlated subquery's outer values are arguments of its row call.
    for (const auto& outer : expr.correlated) {
        out += "outer(";
        AppendKey(*outer, out);
        out += ')';
    }
}

void Visit(const Expr& expr, const std::function<void(const Expr&)>& f) {
    f(expr);
    for (auto& child : expr.children) Visit(*child, f);
    for (auto& outer : expr.correlated)
        Visit(*outer, f);
}

}  // namespace

std::string ShapeKey(const Expr& expr) {
    std::string key;
    AppendKey(expr, key);
    return key;
}

ParamLayout::ParamLayout(const std::vector<const Expr*>& exprs) {
    for (const Expr* expr : exprs) {
        Visit(*expr, [&](const Expr& node) {
            if (node.type == ExprType::Parameter && node.depth == 0) {
                query_slots_ = std::max(query_slots_, node.position + 1);
                if (query_types_.size() < query_slots_) query_types_.resize(query_slots_);
                query_types_[node.position] = node.return_type;
            } else if (node.type == ExprType::Constant) {
                constants_.push_back(&node);
            }
        });
    }
    for (size_t const_idx = 0; const_idx < constants_.size(); ++const_idx)
        constant_slots_[constants_[const_idx]] = query_slots_ + static_cast<uint32_t>(const_idx);
}

uint32_t ParamLayout::SlotOf(const Expr& node) const {
    if (node.type == ExprType::Parameter) {
        GZ_CHECK(node.depth == 0 && node.position < query_slots_, "parameter outside the layout");
        return node.position;
    }
    auto it = constant_slots_.find(&node);
    GZ_CHECK(it != constant_slots_.end(), "constant outside the layout");
    return it->second;
}

std::vector<GzParamSlot> ParamLayout::Bind(const std::vector<Value>& query_params) const {
    GZ_CHECK(query_params.size() >= query_slots_, "fewer parameter values than parameter slots");
    std::vector<GzParamSlot> slots;
    std::vector<GzParamSlot> values; // the StringRefs of VARCHAR slots and INTERVALs, after every slot
    slots.reserve(SlotCount());
    auto fill = [&](const Value& value, const LogicalType& type) {
        const PhysicalType physical = type.Physical();
        if ((physical != PhysicalType::String && physical != PhysicalType::Interval) || value.IsNull())
            return MakeParamSlot(value, type);
        // Only a value of the slot's own kind has the bytes (a VARCHAR's outlive the run: the
        // constant's, or the statement's parameter's).
        if (value.Type().Physical() != physical)
            throw Error(SqlState::FeatureNotSupported, "a " + value.Type().ToString() + " value in a " +
                                                           type.ToString() + " parameter is not compiled yet");
        GzParamSlot slot{};
        slot.bits = SlotCount() + values.size();
        values.emplace_back();
        if (physical == PhysicalType::Interval) {
            static_assert(sizeof(Interval) == sizeof(GzParamSlot), "an INTERVAL fills one slot");
            const Interval interval = value.GetInterval();
            std::memcpy(&values.back(), &interval, sizeof(interval));
        } else {
            const std::string& bytes = value.GetString();
            const StringRef ref(bytes.data(), static_cast<uint32_t>(bytes.size()));
            std::memcpy(&values.back(), &ref, sizeof(ref));
        }
        return slot;
    };
    for (uint32_t slot = 0; slot < query_slots_; ++slot) {
        // A slot no Parameter node reads stays NULL.
        slots.push_back(query_types_[slot].id == TypeId::Null ? MakeParamSlot(Value(), query_types_[slot])
                                                                : fill(query_params[slot], query_types_[slot]));
    }
    for (const Expr* constant : constants_) slots.push_back(fill(constant->value, constant->return_type));
    slots.insert(slots.end(), values.begin(), values.end());
    return slots;
}

GzParamSlot MakeParamSlot(const Value& value, const LogicalType& type) {
    GzParamSlot slot;
    std::memset(&slot, 0, sizeof(slot));
    if (value.IsNull() || value.Type().id == TypeId::Null || type.id == TypeId::Null) {
        slot.is_null = 1;
        return slot;
    }
    const LogicalType& from_type = value.Type();
    const PhysicalType from = from_type.Physical(), to = type.Physical();
    // DATE and DECIMAL bits are days and unscaled digits: they fill only a slot
    // of their own kind (and scale), where the bits mean the same.
    const bool same_kind = (from_type.id == TypeId::Decimal) == (type.id == TypeId::Decimal) &&
                           (type.id != TypeId::Decimal || from_type.scale == type.scale) &&
                           (from_type.id == TypeId::Date) == (type.id == TypeId::Date);
    const bool from_int =
        same_kind && (from == PhysicalType::Int32 || from == PhysicalType::Int64 || from == PhysicalType::Bool);
    switch (to) {
    case PhysicalType::Bool:
    case PhysicalType::Int32:
    case PhysicalType::Int64:
        if (!from_int) break;
        slot.bits = static_cast<uint64_t>(from == PhysicalType::Bool ? (value.GetBool() ? 1 : 0) : value.GetInt64());
        return slot;
    case PhysicalType::Double:
        if (from == PhysicalType::Double) slot.bits = std::bit_cast<uint64_t>(value.GetDouble());
        else if (from_int) slot.bits = std::bit_cast<uint64_t>(static_cast<double>(value.GetInt64()));
        else break;
        return slot;
    default: break;
    }
    throw Error::Internal("a " + value.Type().ToString() + " value cannot fill a " + type.ToString() +
                          " parameter slot of compiled code");
}

}  // namespace grizzly::codegen
