#pragma once
/// Scalar functions and casts evaluated one row at a time, through the same
/// code the interpreter runs on vectors (ExecuteScalarFunction, CastVector):
/// compiled code calls them (gz_rt_scalar_call) for what it does not lower
/// inline — string functions, casts to and from text, math and date functions,
/// decimal division — so that both executors give the same values and errors.
///
/// A call site is described by a `RowCallDescriptor`, which compiled code
/// carries as a constant; a `RowCalls` is one run's state: per site, argument
/// and result vectors of one row, and the string heaps the results live in.

#include "common/common.hpp"
#include "ir/expression.hpp"
#include "runtime/expression_executor.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace grizzly::runtime {

/// What a call site computes, as 32-bit words (compiled code embeds them):
/// kind (0 = function, 1 = cast, 2 = TRY_CAST, 3 = subquery), the function id
/// (a subquery: its index among the run's BindSubqueries nodes), the result
/// type (id, width, scale), the argument count, then each argument's type.
struct RowCallDescriptor {
    /// `subquery_site`: the index of `call` when it is a subquery expression.
    static std::vector<int32_t> Encode(const ir::Expr& call, int32_t subquery_site = -1);
};

/// A value as a call site reads and writes it: the vector element's bytes
/// (BOOLEAN one byte, INTEGER four, BIGINT, DOUBLE, DATE... their width, VARCHAR
/// a 16-byte StringRef).
class RowCalls {
  public:
    RowCalls();
    ~RowCalls();
    RowCalls(const RowCalls&) = delete;
    RowCalls& operator=(const RowCalls&) = delete;

    /// Evaluates the call `descriptor` (RowCallDescriptor words, a stable
    /// address) on one row: `args[i]` points at argument i's value, valid where
    /// bit i of `valid_mask` is set. Writes the result's value to `out` and
    /// returns whether it is valid. Throws the interpreter's Error.
    bool Call(const int32_t* descriptor, const void* const* args, uint64_t valid_mask, void* out);
    /// The subquery expressions of the pipeline (in the order the code numbers
    /// them), evaluated with the interpreter's semantics and result cache in
    /// `ctx`; their arguments are the ANY / ALL operand, then the outer values
    /// a correlated one reads.
    void BindSubqueries(ExecutionContext& ctx, std::vector<const ir::Expr*> subqueries);
    /// Copies a VARCHAR that does not fit inline into the run's heap and points `ref` at the copy: for values that outlive the row (group keys).
    void Keep(StringRef& ref);
    /// The strings calls returned since the last EndMorsel are freed: call once
    /// nothing reads them any more.
    void EndMorsel();
    /// DISTINCT aggregate `site` (its index in the pipeline): true the first
    /// time `value` (a grouping word, or a string) occurs in group `group`.
    bool FirstInGroup(int32_t site, uint64_t group, uint64_t value);
    bool FirstInGroup(int32_t site, uint64_t group, const StringRef& value);
    /// STRING_AGG `site`: appends `value` to group `group`'s text, after
    /// `separator` (null: none) unless the text is empty of values yet.
    void AppendToGroup(int32_t site, uint64_t group, const StringRef& value, const StringRef* separator);
    /// The text of STRING_AGG `site` for `group` ("" when it has none).
    const std::string& GroupText(size_t site, uint64_t group) const;

  private:
    struct Site;
    Site& SiteFor(const int32_t* descriptor);
    void Evaluate(Site& site, const void* const* args, uint64_t valid_mask);
    /// IN / NOT IN over an uncorrelated subquery as a lookup in the site's set of
    /// its values; false when the set does not apply (the column's type differs).
    bool LookUp(Site& site, const ir::Expr& subquery);
    /// Per descriptor; a pipeline has a few call sites, searched in order.
    std::vector<std::pair<const int32_t*, std::unique_ptr<Site>>> sites_;
    std::shared_ptr<StringHeap> kept_;
    std::vector<const ir::Expr*> subqueries_;
    std::unique_ptr<ExpressionExecutor> executor_;
    struct Distinct;
    Distinct& DistinctAt(int32_t site);
    std::vector<std::unique_ptr<Distinct>> distinct_;
    /// Per STRING_AGG site, per group: whether it has a value, and its text.
    std::vector<std::vector<std::pair<bool, std::string>>> texts_;
};

} // namespace grizzly::runtime
