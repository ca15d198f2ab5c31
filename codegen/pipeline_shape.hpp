#pragma once
/// Every pipeline shape codegen compiles, behind one interface: what the
/// driver needs to key a shape in the cache, compile it, run its morsels and
/// hand the result to the sink. The shapes so far: scan → filters → ungrouped
/// aggregate (pipeline_compiler.hpp) and scan → filters → GROUP BY
/// (group_pipeline.hpp).

#include "codegen/compiled_code.hpp"
#include "codegen/expression_compiler.hpp"
#include "codegen/shape.hpp"
#include "common/join_table.hpp"
#include "common/vector.hpp"
#include "ir/ir.hpp"
#include "runtime/execution_context.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace grizzly::codegen {

class PipelineShape {
public:
    virtual ~PipelineShape() = default;

    /// The shape key (constants lifted), without tables or host.
    virtual std::string Key() const = 0;
    /// The parameter slots a run binds its constants and parameters into.
    virtual ParamLayout Layout() const = 0;
    /// The filter conjuncts in order, and the plan operator each came from
    /// (empty in an owned copy); EXPLAIN CODEGEN names them.
    virtual const std::vector<const ir::Expr*>& Filters() const = 0;
    virtual const std::vector<const ir::PhysicalOperator*>& FilterOperators() const = 0;
    /// Row shapes (row_pipeline.hpp) hand rows on instead of partial
    /// aggregates: they enter the pipeline's operator RowsEnter() (the number of
    /// operators: the sink), and EXPLAIN says why the code stops there.
    virtual bool EmitsRows() const { return false; }
    virtual size_t RowsEnter() const { return 0; }
    virtual std::string StopReason() const { return ""; }
    /// Row shapes: the code ends in a RIGHT_SEMI or RIGHT_ANTI join and hands no row on.
    virtual bool EndsInMarkingJoin() const { return false; }
    /// Runs must see every morsel or none (DISTINCT aggregates).
    virtual bool NeedsEveryMorsel() const { return false; }
    /// Throws NotCompiledYet or XX000 (LLVM).
    virtual CompiledCodePtr Compile(const CompileOptions& options) const = 0;
    /// A copy owning its expressions: a background compile outlives the plan.
    virtual std::shared_ptr<const PipelineShape> Own() const = 0;

    /// The state of one execution: morsels accumulate into it.
    class Run {
    public:
        virtual ~Run() = default;
        /// Runs one morsel with `code` (either tier). Throws the recorded Error.
        virtual void Morsel(const CompiledCodePtr& code, const MorselInput& input, const GzParamSlot* params) = 0;
        /// The tables of the hash joins the pipeline probes, in pipeline order, before the first morsel.
        virtual void BindJoins(std::vector<const GzJoinTable*> joins) { (void)joins; }
        /// Row shapes covering a LIMIT, before the first morsel: its counts (shared with the interpreter).
        virtual void BindLimit(GzLimit* limit) { (void)limit; }
        /// Row shapes, before the first morsel: where the rows go (false: no
        /// more wanted) and the heaps of the scan's VARCHAR columns (per column, may be null).
        virtual void BindOutput(std::function<bool(DataChunk&)> emit, std::vector<std::shared_ptr<StringHeap>> heaps) {
            (void)emit;
            (void)heaps;
        }
        /// Before the first morsel: the execution's context, which the pipeline's
        /// subqueries run in (the interpreter's subquery results are shared).
        virtual void BindContext(runtime::ExecutionContext& ctx) { (void)ctx; }
        /// Row shapes: true once the rows' consumer wanted no more.
        virtual bool Stopped() const { return false; }
        /// The partial aggregates of every morsel run (runtime's OperatorState::CombinePartial
        /// layout); nothing for row shapes, whose rows went on as they came.
        virtual std::vector<DataChunk> Finish() = 0;
    };
    virtual std::unique_ptr<Run> NewRun() const = 0;
};

/// The shape of `pipeline`: an aggregate shape when its sink is an aggregate
/// they compile, else the row shape. Throws NotCompiledYet (0A000, with the
/// reason) for pipelines codegen does not compile. Its first filter tests for deleted rows:
/// a morsel's columns and validity arrays have one entry past the scan's
/// columns, whose validity words are the row group's bitmap of live rows (null
/// when no row is deleted) and whose values are never read.
std::unique_ptr<PipelineShape> MatchPipeline(const ir::Pipeline& pipeline);

}  // namespace grizzly::codegen
