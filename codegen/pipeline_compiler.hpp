#pragma once
/// Compiles the simplest pipeline shape — scan, filter conjuncts, ungrouped
/// SUM / COUNT / COUNT(*) — into ONE function with a loop over a morsel:
///
///   int32_t pipeline(const void* const* columns, const uint64_t* const* validity,
///                    uint64_t row_count, const void* params, void* state,
///                    GzExecStatus* status)
///
/// `state` is an array of AggregateState, one per aggregate. The function
/// works in blocks of at most 65,536 rows. In each block a first loop keeps
/// every accumulator in registers, without branches or early exits (so LLVM
/// vectorizes it when no column has NULLs and the expressions cannot fail):
/// integer sums are accumulated exactly as separate positive and negative
/// parts split into 32-bit halves. If the block could have overflowed at some
/// row (running sum plus positive part above INT64_MAX, or plus negative part
/// below INT64_MIN), a second, checked loop reruns the block row by row and
/// reports "bigint out of range" ("numeric" for a DECIMAL sum, which adds up
/// the unscaled int64 values) exactly where the interpreter's per-row check
/// would; otherwise the block's totals are committed at once. Each loop exists
/// twice: without validity reads (no column of the morsel has a bitmap) and
/// with them.
///
/// SUM(DOUBLE) adds in row order (no reassociation) so it matches the
/// interpreter bit for bit; such a loop stays scalar.

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/compiled_code.hpp"
#include "codegen/expression_compiler.hpp"
#include "codegen/shape_cache.hpp"
#include "ir/ir.hpp"

namespace grizzly::codegen {

/// One ungrouped aggregate of the pipeline.
struct AggregateSpec {
    ir::AggregateKind kind = ir::AggregateKind::CountStar;  ///< CountStar, Count or Sum
    LogicalType return_type = LogicalType(TypeId::BigInt);  ///< BIGINT, DOUBLE or DECIMAL(18,s)
    const ir::Expr* argument = nullptr;                     ///< null for COUNT(*)
    /// FILTER (WHERE ...): the rows the aggregate sees; null for all (the
    /// grouped shape only).
    const ir::Expr* filter = nullptr;
    /// DISTINCT: each value counts once per group (the grouped shape only; the
    /// run must then see every morsel, PipelineShape::NeedsEveryMorsel).
    bool distinct = false;
    const ir::Expr* separator = nullptr; ///< STRING_AGG's (the grouped shape only)
};

/// The pipeline shape this compiler handles: every row of a morsel that passes
/// all `filters` (conjuncts, in order) feeds every aggregate. The expressions
/// are borrowed and must outlive the spec.
struct FilterAggregateSpec {
    std::vector<const ir::Expr*> filters;
    std::vector<AggregateSpec> aggregates;
    /// The plan operator each filter came from (the TableScan for pushed-down
    /// filters, else a Filter), parallel to `filters`; empty for specs built by
    /// hand. Only EXPLAIN CODEGEN reads it.
    std::vector<const ir::PhysicalOperator*> filter_operators;

    /// Filters then aggregate arguments: the order parameter slots are laid out in.
    std::vector<const ir::Expr*> Expressions() const;
    ParamLayout Layout() const { return ParamLayout(Expressions()); }
    /// The regions of the generated function, for CompileOptions::annotate:
    /// "scan" (the row loop and column loads), "filter.<i>" per filter,
    /// "aggregate" (accumulators, overflow checks, state stores).
    std::vector<std::string> Regions() const;
};

/// EXPLAIN CODEGEN's regions of a pipeline function with `filter_count` filters:
/// "scan", "filter.<i>" per filter, then the terminal: "aggregate", or "output"
/// for a row shape.
std::vector<std::string> RegionNames(size_t filter_count, const char* terminal = "aggregate");

/// Reads the shape off a physical pipeline: a TableScan (its table filters),
/// Filter operators, and a HashAggregate sink without group keys whose
/// aggregates are COUNT(*), COUNT(x) or SUM(x) over BIGINT-or-narrower
/// integers, DECIMAL or DOUBLE, without DISTINCT or FILTER. Throws NotCompiledYet otherwise.
FilterAggregateSpec MatchFilterAggregate(const ir::Pipeline& pipeline);

/// What the pipeline shapes read off a pipeline alike: a table scan source's
/// pushed-down filters, each with the scan as its operator (none for other
/// sources: an aggregate's, a sort's, a set operation's output, VALUES, a
/// table function, whose chunks the driver feeds as morsels), and the sink's
/// aggregates (NotCompiledYet for DISTINCT or FILTER).
void MatchScanFilters(const ir::Pipeline& pipeline, std::vector<const ir::Expr*>& filters,
                      std::vector<const ir::PhysicalOperator*>& operators);
/// The columns a morsel of the pipeline's source has (before the live-row column).
uint32_t SourceWidth(const ir::Pipeline& pipeline);
std::vector<AggregateSpec> MatchAggregates(const ir::PhysicalOperator& sink);
/// Shape-key parts: "<part>[<key>;<key>...]" and "aggregate[<kind>:<type>(<argument>)...]".
std::string ExpressionsShapeKey(const char* part, const std::vector<const ir::Expr*>& exprs);
std::string AggregatesShapeKey(const std::vector<AggregateSpec>& aggregates);

/// The shape key of a pipeline: its expressions' keys and its aggregates.
std::string PipelineShapeKey(const FilterAggregateSpec& spec);

/// One aggregate's accumulator as generated code updates it. C layout, 32 bytes.
struct AggregateState {
    int64_t count = 0;     ///< COUNT(*): rows that passed; COUNT(x) and SUM(x): non-NULL inputs
    int64_t sum_int = 0;   ///< SUM over integers and decimals (unscaled)
    double sum_double = 0; ///< SUM over doubles
    int64_t reserved = 0;
};
static_assert(sizeof(AggregateState) == 32, "generated code addresses states with a 32-byte stride");

/// The aggregate's value: counts as BIGINT; SUM is NULL when no input was non-NULL.
Value FinalizeAggregate(const AggregateSpec& spec, const AggregateState& state);
/// Adds a worker's state into the shared one at the pipeline breaker
/// (22003 "bigint out of range", or "numeric" for decimals, when a sum overflows).
void CombineAggregate(const AggregateSpec& spec, const AggregateState& local, AggregateState& global);

/// A compiled pipeline. Cheap to copy (shares the code); one instance may run
/// morsels on several threads at once as long as each has its own states.
class CompiledPipeline {
public:
    using Function = int32_t (*)(const void* const*, const uint64_t* const*, uint64_t, const void*, void*,
                                 GzExecStatus*);

    explicit CompiledPipeline(CompiledCodePtr code) : code_(std::move(code)) {}

    /// Runs one morsel, accumulating into `states` (one per aggregate). On error
    /// throws the recorded Error; the states then hold a partial result.
    void RunMorsel(const MorselInput& input, const GzParamSlot* params, AggregateState* states) const;

    Function Entry() const { return reinterpret_cast<Function>(code_->Entry()); }
    const CompiledCode& Code() const { return *code_; }
    const CompiledCodePtr& SharedCode() const { return code_; }

private:
    CompiledCodePtr code_;
};

/// Compiles `spec`. Throws NotCompiledYet for what is not supported, XX000 when LLVM fails.
/// With options.annotate (and capture_ir) the captured IR names spec.Regions() per instruction.
CompiledPipeline CompilePipeline(const FilterAggregateSpec& spec, const CompileOptions& options = {});
/// The same through `cache`: a pipeline whose shape key is cached reuses that
/// code (bind its own parameters with spec.Layout().Bind(...)).
CompiledPipeline CompilePipeline(const FilterAggregateSpec& spec, const CompileOptions& options, ShapeCache& cache);

}  // namespace grizzly::codegen
