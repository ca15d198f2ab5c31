#pragma once
/// Compiles one bound, positional expression over fixed-width columns (BOOLEAN,
/// TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DATE as int32 days,
/// DECIMAL as the int64 unscaled value) into a function that evaluates it for
/// every row of a morsel. The semantics are the interpreter's
/// (runtime/functions): integer overflow is 22003 "<type> out of range",
/// division by zero 22012, integer division truncates, doubles report
/// overflow/underflow of finite operands, casts from DOUBLE and DECIMAL round
/// half away from zero, decimal + - * stay below 18 digits ("numeric out of
/// range"), decimals of different scales compare at the larger one, date ± days
/// stays in the DATE range (22008), AND/OR use Kleene logic and evaluate their
/// right side (when it can fail) only on rows the left side does not decide.
///
/// Inside a pipeline, what is not lowered inline (string functions, casts of
/// text and dates, decimal division, subqueries, ...) becomes a row call of the
/// interpreter's code (runtime/row_calls.hpp; WhyNotCompilable accepts it,
/// NeedsRowCalls says so). A lone expression (CompileExpression) has no
/// RowCalls and writes fixed-width values: it refuses those with 0A000 "... is
/// not compiled yet", as it refuses INTERVAL values.

#include <cstdint>
#include <string>

#include "codegen/compiled_code.hpp"
#include "codegen/rt_helpers.hpp"
#include "codegen/shape.hpp"
#include "ir/ir.hpp"

namespace grizzly::codegen {

/// One morsel's input as generated code reads it.
struct MorselInput {
    /// Per column position: the values (uint8 0/1 booleans, int32, int64, double;
    /// DATE int32 days, DECIMAL int64 unscaled).
    const void* const* columns = nullptr;
    /// Per column position: a validity bitmap (uint64 words, bit set = valid)
    /// covering all `row_count` rows, or null when the column has no NULLs. The
    /// array itself must not be null.
    const uint64_t* const* validity = nullptr;
    uint64_t row_count = 0;
};

/// The 0A000 error for what codegen does not compile yet ("<what> is not compiled yet").
Error NotCompiledYet(const std::string& what);

/// Why `expr` cannot be compiled yet, or "" when it can.
std::string WhyNotCompilable(const ir::Expr& expr);
/// True when compiled `expr` calls the interpreter's code for a function or a
/// cast (runtime/row_calls.hpp): its pipeline must hand the code a RowCalls.
bool NeedsRowCalls(const ir::Expr& expr);
/// The subquery expressions of `exprs`, in the order compiled code numbers
/// their row calls (pre-order) and the run binds them (RowCalls::BindSubqueries).
std::vector<const ir::Expr*> SubqueryNodes(const std::vector<const ir::Expr*>& exprs);

/// A compiled expression: one function that evaluates it for every row of a morsel.
/// Cheap to copy (shares the code); callable from several threads at once.
class CompiledExpression {
public:
    /// int32_t f(columns, validity, row_count, params, out_values, out_valid, status):
    /// returns 0, or nonzero after recording an error in `status`.
    using Function = int32_t (*)(const void* const*, const uint64_t* const*, uint64_t, const void*, void*, uint8_t*,
                                 GzExecStatus*);

    CompiledExpression(CompiledCodePtr code, LogicalType result_type)
        : code_(std::move(code)), result_type_(result_type) {}

    /// Evaluates every row: `out_values` gets row_count values of the result's
    /// physical width (booleans as uint8, 0 where NULL), `out_valid` one byte per
    /// row (1 = valid). `params` is the block ParamLayout({&expr}).Bind(...) built.
    /// Throws the recorded Error on failure.
    void Run(const MorselInput& input, const GzParamSlot* params, void* out_values, uint8_t* out_valid) const;

    Function Entry() const { return reinterpret_cast<Function>(code_->Entry()); }
    const CompiledCode& Code() const { return *code_; }
    const CompiledCodePtr& SharedCode() const { return code_; }
    const LogicalType& ResultType() const { return result_type_; }

private:
    CompiledCodePtr code_;
    LogicalType result_type_;
};

/// Compiles `expr`. Throws NotCompiledYet for unsupported expressions and
/// XX000 when LLVM fails.
CompiledExpression CompileExpression(const ir::Expr& expr, const CompileOptions& options = {});

}  // namespace grizzly::codegen
