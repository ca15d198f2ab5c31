#pragma once
/// Evaluates bound, positional expressions over a chunk, vector at a time.
/// Only the requested rows are computed, so CASE branches and the right side
/// of AND/OR run only where they decide the result (and cannot raise errors
/// for rows that never reach them).

#include "runtime/execution_context.hpp"
#include "runtime/functions/functions.hpp"

namespace grizzly::runtime {

class ExpressionExecutor {
public:
    explicit ExpressionExecutor(ExecutionContext& ctx) : ctx_(ctx) {}

    /// Evaluates `expr` at `rows` of `chunk` into a new vector of the chunk's size.
    Vector Evaluate(const ir::Expr& expr, const DataChunk& chunk, Rows rows);
    /// Evaluates at the chunk's active rows.
    Vector Evaluate(const ir::Expr& expr, const DataChunk& chunk);
    /// Evaluates each expression at the chunk's active rows into a chunk with the
    /// same size and selection (hash keys, sort keys).
    DataChunk EvaluateAll(const std::vector<const ir::Expr*>& exprs, const DataChunk& chunk);
    DataChunk EvaluateAll(const std::vector<ir::ExprPtr>& exprs, const DataChunk& chunk);
    /// Subquery expression `expr` at `rows`, its operand (ANY, ALL: children[0])
    /// and correlated columns already evaluated there: the interpreter's subquery
    /// semantics and result cache, for compiled code's row calls too.
    void EvaluateSubquery(const ir::Expr& expr, const Vector* operand, const std::vector<Vector>& correlated, Rows rows,
                          Vector& result);
    /// The result of uncorrelated subquery expression `expr`, run once per
    /// statement (the cache EvaluateSubquery reads too).
    std::shared_ptr<SubqueryResult> UncorrelatedResult(const ir::Expr& expr) { return RunSubquery(expr, {}); }
    /// Runs uncorrelated subquery `expr` now, with its IN set built, so that the
    /// workers of a parallel pipeline read the result (ExecutionContext::ForWorker)
    /// instead of each running it on one thread.
    void PrepareShared(const ir::Expr& expr);
    /// The rows (of `rows`) where boolean `expr` is true.
    void Select(const ir::Expr& expr, const DataChunk& chunk, Rows rows, std::vector<uint32_t>& out);

private:
    ExecutionContext& ctx_;
    /// Constants filled once into a full vector and shared by every chunk.
    std::unordered_map<const ir::Expr*, Vector> constants_;

    void Execute(const ir::Expr& expr, const DataChunk& chunk, Rows rows, Vector& result);
    void ExecuteConjunction(const ir::Expr& expr, const DataChunk& chunk, Rows rows, Vector& result);
    void ExecuteCase(const ir::Expr& expr, const DataChunk& chunk, Rows rows, Vector& result);
    void ExecuteCoalesce(const ir::Expr& expr, const DataChunk& chunk, Rows rows, Vector& result);
    void ExecuteInList(const ir::Expr& expr, const DataChunk& chunk, Rows rows, Vector& result);
    void ExecuteSubquery(const ir::Expr& expr, const DataChunk& chunk, Rows rows, Vector& result);
    /// The vectorized form of x IN (uncorrelated subquery); false when it does not apply.
    bool ExecuteInSet(const ir::Expr& expr, const Vector& operand, Rows rows, Vector& result);
    /// Builds `res`'s hash set for x IN (uncorrelated subquery) `expr`; false when the types do not allow it.
    static bool BuildInSet(const ir::Expr& expr, SubqueryResult& res);
    std::shared_ptr<SubqueryResult> RunSubquery(const ir::Expr& expr, const std::vector<Value>& params);
};

/// Active rows of a chunk as a Rows view.
inline Rows ActiveRows(const DataChunk& chunk) {
    return chunk.has_sel ? Rows{chunk.sel.indices.data(), chunk.sel.indices.size()} : Rows{nullptr, chunk.size};
}

/// Evaluates an expression that reads no columns (constant folding, defaults).
Value EvaluateConstant(const ir::Expr& expr, ExecutionContext& ctx);

}  // namespace grizzly::runtime
