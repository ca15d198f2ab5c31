#pragma once
// Builders for bound expressions and column inputs shared by the codegen tests.

#include <cstdint>
#include <optional>
#include <vector>

#include "codegen/codegen.hpp"

namespace grizzly::codegen::test {

inline ir::ExprPtr Col(uint32_t position, LogicalType type) {
    auto expr = std::make_unique<ir::Expr>(ir::ExprType::ColumnRef, type);
    expr->position = position;
    return expr;
}
inline ir::ExprPtr Param(uint32_t slot, LogicalType type) {
    auto expr = std::make_unique<ir::Expr>(ir::ExprType::Parameter, type);
    expr->position = slot;
    return expr;
}
inline ir::ExprPtr Const(Value v) { return ir::Expr::Constant(std::move(v)); }
inline ir::ExprPtr BigInt(int64_t v) { return Const(Value::BigInt(v)); }
inline ir::ExprPtr Int(int32_t v) { return Const(Value::Integer(v)); }
inline ir::ExprPtr Dbl(double v) { return Const(Value::Double(v)); }
inline ir::ExprPtr Fn(ir::ScalarFunctionId id, LogicalType type, ir::ExprPtr a, ir::ExprPtr b = nullptr) {
    std::vector<ir::ExprPtr> args;
    args.push_back(std::move(a));
    if (b) args.push_back(std::move(b));
    return ir::Expr::Function(id, type, std::move(args));
}
inline ir::ExprPtr Cmp(ir::CompareOp op, ir::ExprPtr a, ir::ExprPtr b) {
    return ir::Expr::Compare(op, std::move(a), std::move(b));
}
inline ir::ExprPtr Unary(ir::ExprType type, ir::ExprPtr child) {
    auto expr = std::make_unique<ir::Expr>(type, LogicalType(TypeId::Boolean));
    expr->children.push_back(std::move(child));
    return expr;
}

inline const LogicalType kBigInt{TypeId::BigInt};
inline const LogicalType kInteger{TypeId::Integer};
inline const LogicalType kDouble{TypeId::Double};
inline const LogicalType kBoolean{TypeId::Boolean};
inline const LogicalType kDate{TypeId::Date};

/// A column of T with optional NULLs, as generated code reads it.
template <class T>
struct Column {
    std::vector<T> values;
    std::vector<uint64_t> bitmap;  ///< empty: no NULLs

    Column() = default;
    Column(std::vector<std::optional<T>> rows) {
        bool any_null = false;
        for (auto& row : rows) any_null |= !row.has_value();
        if (any_null) bitmap.assign((rows.size() + 63) / 64, ~uint64_t{0});
        for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
            values.push_back(rows[row_idx].value_or(T{}));
            if (!rows[row_idx]) bitmap[row_idx / 64] &= ~(uint64_t{1} << (row_idx % 64));
        }
    }
    bool Valid(size_t row) const { return bitmap.empty() || ((bitmap[row / 64] >> (row % 64)) & 1); }
    const uint64_t* Bitmap() const { return bitmap.empty() ? nullptr : bitmap.data(); }
};

/// Pointer arrays over a set of columns.
struct Input {
    std::vector<const void*> columns;
    std::vector<const uint64_t*> validity;
    uint64_t rows = 0;

    template <class T>
    Input& Add(const Column<T>& column) {
        columns.push_back(column.values.data());
        validity.push_back(column.Bitmap());
        rows = column.values.size();
        return *this;
    }
    MorselInput Morsel() const { return MorselInput{columns.data(), validity.data(), rows}; }
};

/// The result of a compiled expression, row by row.
template <class T>
struct Output {
    std::vector<T> values;
    std::vector<uint8_t> valid;
};

template <class T>
Output<T> Evaluate(const ir::Expr& expr, const Input& input, Tier tier = Tier::Optimized,
                   const std::vector<Value>& query_params = {}) {
    CompileOptions options;
    options.tier = tier;
    CompiledExpression compiled = CompileExpression(expr, options);
    ParamLayout layout({&expr});
    std::vector<GzParamSlot> params = layout.Bind(query_params);
    Output<T> out;
    out.values.resize(input.rows);
    out.valid.resize(input.rows);
    compiled.Run(input.Morsel(), params.data(), out.values.data(), out.valid.data());
    return out;
}

}  // namespace grizzly::codegen::test
