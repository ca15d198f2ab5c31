#pragma once
/// Internal to codegen/ (included by expression_compiler.cpp and
/// pipeline_compiler.cpp only — LLVM headers are slow to compile): lowers
/// ir::Expr nodes to LLVM IR inside a generated function that loops over the
/// rows of a morsel.
///
/// Every generated morsel function returns i32 (0 = ok) and takes, among its
/// arguments, the column and validity pointer arrays, the parameter block and
/// the GzExecStatus. Column pointers, validity bitmaps and parameters are
/// loaded once in the function's prologue block. A failed check branches to a
/// cold block that calls the gz_rt_error_* helper and returns its result.
/// Instructions hoisted into the prologue get the builder's current debug
/// location at the time they are first needed (EXPLAIN CODEGEN's regions).

#include <map>
#include <vector>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include "codegen/rt_helpers.hpp"
#include "codegen/shape.hpp"

namespace grizzly::codegen {

/// A SQL value at the current row: `value` (i1, i32, i64 or double; DATE is
/// i32 days, TIMESTAMP i64 microseconds, DECIMAL the i64 unscaled value,
/// VARCHAR a pointer to its StringRef — a column's element, a parameter slot's,
/// or a row call's result, valid until the row is done) means something only where `valid` (i1) is true.
struct Lowered {
    llvm::Value* value = nullptr;
    llvm::Value* valid = nullptr;
};

/// The arguments every generated morsel function has.
struct MorselArgs {
    llvm::Value* columns = nullptr;   ///< ptr to ptr[column]
    llvm::Value* validity = nullptr;  ///< ptr to ptr[column] (entries may be null)
    llvm::Value* row_count = nullptr; ///< i64
    llvm::Value* params = nullptr;    ///< ptr to GzParamSlot[]
    llvm::Value* status = nullptr;    ///< ptr to GzExecStatus
};

/// Declares runtime helper `id` in `module` (idempotent), with the attributes
/// of its rt_functions.def entry and the signature of its C declaration.
llvm::Function* DeclareRuntimeFunction(llvm::Module& module, RtFunction id);

/// LLVM type of a value of `type` in registers (booleans are i1).
llvm::Type* RegisterType(llvm::LLVMContext& context, PhysicalType type);

class ExprEmitter {
public:
    /// `prologue` must already end in its terminator; loads go before it.
    ExprEmitter(llvm::IRBuilder<>& builder, llvm::BasicBlock* prologue, MorselArgs args, const ParamLayout& layout);

    /// Loads, in the prologue, the pointers of every column `exprs` read, and
    /// returns i1 "none of them has a validity bitmap".
    llvm::Value* PrepareColumns(const std::vector<const ir::Expr*>& exprs);

    /// The row (i64) the next Emit calls read; `read_validity` false means the
    /// code runs only when PrepareColumns' result held (no bitmaps to read).
    void SetRow(llvm::Value* row, bool read_validity);
    llvm::Value* CurrentRow() const { return row_; }

    /// Lowers `expr` at the current row. May add blocks (checks, lazy operands):
    /// the builder is left at the block where the value is available.
    Lowered Emit(const ir::Expr& expr);
    /// Lowers `expr` only where `guard` (i1) holds when `expr` can fail;
    /// elsewhere the result is NULL. Infallible expressions are emitted unguarded.
    Lowered EmitGuarded(llvm::Value* guard, const ir::Expr& expr);
    /// i1: the row passes every conjunct (TRUE, not NULL). Each conjunct that
    /// can fail runs only on rows the previous ones passed, as in the interpreter.
    llvm::Value* EmitFilter(const std::vector<const ir::Expr*>& conjuncts);
    /// One step of EmitFilter: i1 `passes` AND `conjunct` is TRUE, with
    /// `conjunct` (when it can fail) evaluated only where `passes` holds.
    llvm::Value* EmitConjunct(llvm::Value* passes, const ir::Expr& conjunct);

    /// When `failed` (i1) holds: call `helper` (with `type_code` when it takes
    /// one) and return its status from the function.
    void EmitCheck(llvm::Value* failed, RtFunction helper, int32_t type_code = 0);
    /// A stack slot allocated once in the function's entry block.
    llvm::Value* EntryAlloca(llvm::Type* type, uint64_t align, const char* name);
    /// When `failed` (i1) holds: return kGzStatusError (a helper recorded the error).
    void ReturnErrorIf(llvm::Value* failed, const std::string& name);

    /// Columns [first_position, first_position + width) are a hash join's build
    /// columns (GzJoinTable, common/join_table.hpp) once SetBuildRow gave the
    /// range a build row (before that they are scan positions), read always with
    /// their validity. Declare before PrepareColumns; returns the range's index.
    size_t DeclareBuildColumns(uint32_t first_position, uint32_t width);
    /// The range's GzJoinTable `columns` and `validity` arrays (ptr values that
    /// dominate every use), and the current build row (i64, global).
    void SetBuildTable(size_t range, llvm::Value* columns, llvm::Value* validity);
    void SetBuildRow(size_t range, llvm::Value* build_row);
    /// The range's build row is a LEFT or FULL join's NULL row: its columns read as NULL.
    void SetBuildRowNull(size_t range);
    /// Forgets every build row: the positions are the scan's again (a new loop).
    void ClearBuildRows();

    /// For a value Emit does not lower (a VARCHAR column): the address of the
    /// current row's element of column `position`, `element_bytes` wide, as
    /// `value` and its validity (i1) as `valid`.
    Lowered EmitColumnAddress(uint32_t position, uint64_t element_bytes);

    /// Where row calls (runtime/row_calls.hpp) find the run's RowCalls: the
    /// pointer at byte `offset` of `state` (loaded in the prologue); a subquery's
    /// site is its index in `subqueries` (SubqueryNodes of the pipeline's
    /// expressions, which the run binds in the same order). Without it, an
    /// expression that needs a row call does not compile.
    void SetRowCalls(llvm::Value* state, uint64_t offset, std::vector<const ir::Expr*> subqueries);

    /// True when evaluating `expr` may raise an error.
    static bool CanFail(const ir::Expr& expr);

    /// Casts a value of `from` to `to` (interpreter cast semantics).
    Lowered EmitCast(Lowered input, const LogicalType& from, const LogicalType& to, bool try_cast);

    /// A constant all-valid validity word (for a bitmap that is absent).
    llvm::Value* AllValidWord();

    llvm::Value* And(llvm::Value* a, llvm::Value* b);
    llvm::Value* Or(llvm::Value* a, llvm::Value* b);
    llvm::Value* Not(llvm::Value* a);

    /// The string's StringRef pointer, or a constant empty string where it is NULL.
    llvm::Value* StringOrNull(const Lowered& string);
    /// An all-zero StringRef: the empty string.
    llvm::Value* EmptyString();
    /// What a NULL holds in registers: zero, or for a VARCHAR the empty string
    /// (a VARCHAR pointer is never null: code may read it before its validity).
    llvm::Value* NullValue(llvm::Type* type);

  private:
    struct Column {
        llvm::Value* data = nullptr;       ///< base pointer of the values
        llvm::Value* words = nullptr;      ///< bitmap, or a one-word all-valid bitmap when there is none
        llvm::Value* word_mask = nullptr;  ///< i64: -1 with a bitmap, 0 without (word index = (row >> 6) & mask)
        llvm::Value* has_bitmap = nullptr; ///< i1
    };

    Column& ColumnAt(uint32_t position);
    /// A column at the row Emit reads now: a scan column at the current row, or a
    /// build column at its range's build row.
    struct Access {
        Column column;
        llvm::Value* row = nullptr;
        bool read_validity = true;
    };
    Access AccessColumn(uint32_t position);
    struct BuildRange {
        uint32_t first = 0;
        uint32_t width = 0;
        llvm::Value* columns = nullptr;
        llvm::Value* validity = nullptr;
        llvm::Value* row = nullptr;
        bool null_row = false;
    };
    std::vector<BuildRange> build_ranges_;
    /// Zero bytes: a NULL row's values (16, a VARCHAR's) and its validity word.
    llvm::Value* NullRow();
    Lowered LoadSlot(uint32_t slot, PhysicalType type);
    Lowered EmitColumn(const ir::Expr& expr);
    llvm::Value* RowIsValid(const Access& access);
    Lowered EmitFunction(const ir::Expr& expr);
    Lowered EmitArithmetic(const ir::Expr& expr);
    /// `left op right` with the interpreter's comparison semantics (numbers of
    /// different types in a common one, NaN ordering, VARCHAR byte-wise).
    Lowered EmitComparison(ir::CompareOp op, const ir::Expr& left, const ir::Expr& right);
    Lowered EmitComparison(ir::CompareOp op, Lowered left, const LogicalType& left_type, Lowered right,
                           const LogicalType& right_type);
    /// i1 results of a three-way comparison; lt and gt may be null for equality operators.
    struct Order {
        llvm::Value* lt = nullptr;
        llvm::Value* gt = nullptr;
        llvm::Value* eq = nullptr;
    };
    Lowered CompareResult(ir::CompareOp op, const Order& order, const Lowered& left, const Lowered& right);
    Order EmitStringOrder(ir::CompareOp op, const Lowered& left, const Lowered& right);
    Lowered EmitInList(const ir::Expr& expr);
    Lowered EmitLike(const ir::Expr& expr);
    Lowered EmitConjunction(const ir::Expr& expr);
    Lowered EmitCase(const ir::Expr& expr);
    Lowered EmitCoalesce(const ir::Expr& expr);
    Lowered EmitRowCall(const ir::Expr& expr);
    Lowered EmitStringSlice(const ir::Expr& expr);
    /// The module's constant `name` (made with `value` on first use).
    llvm::Value* ConstantGlobal(const std::string& name, llvm::Constant* value, uint64_t align);

    Lowered EmitDateArithmetic(const ir::Expr& expr);
    Lowered EmitExtract(const ir::Expr& expr);
    /// i1: v (i64) >= limit or v <= -limit.
    llvm::Value* OutsideLimit(llvm::Value* v, int64_t limit);
    /// v (i64) * 10^digits; ORs the product's int64 overflow into `overflow`.
    llvm::Value* ScaleUp(llvm::Value* v, int digits, llvm::Value*& overflow);
    /// v (i64) / 10^digits, rounded half away from zero.
    llvm::Value* ScaleDownRounded(llvm::Value* v, int digits);
    llvm::Value* IsNan(llvm::Value* v);
    llvm::Value* IsInf(llvm::Value* v);
    llvm::Value* Phi(llvm::Value* a, llvm::BasicBlock* from_a, llvm::Value* b, llvm::BasicBlock* from_b);

    llvm::IRBuilder<>& b_;
    llvm::LLVMContext& context_;
    llvm::Module& module_;
    llvm::Function* function_;
    llvm::BasicBlock* prologue_;
    MorselArgs args_;
    const ParamLayout& layout_;
    llvm::Value* row_ = nullptr;
    bool read_validity_ = true;
    llvm::Value* row_calls_ = nullptr;
    std::vector<const ir::Expr*> subqueries_;
    size_t row_call_count_ = 0;
    std::map<uint32_t, Column> columns_;
    std::map<std::pair<uint32_t, PhysicalType>, Lowered> slots_;
};

}  // namespace grizzly::codegen
