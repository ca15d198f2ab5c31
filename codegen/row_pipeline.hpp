#pragma once
/// The row shape: pipelines that hand rows on rather than aggregate them —
/// into a sort, a hash join's build, a set operation, a LIMIT, the result, or
/// an aggregate the grouped shape does not compile. The code covers the table
/// scan and the longest run of operators that compile from the pipeline's
/// start: filters, projections, and hash join probes (JoinProbeSpec: INNER,
/// LEFT, RIGHT, FULL, SEMI, ANTI, any keys, residual conditions). It is the
/// grouped shape's loop (group_pipeline.hpp) with the row terminal: each row
/// that passes is appended to a GzOutputBuffer (rt_helpers.hpp) — its row in
/// the morsel, the build row of each join whose build columns it carries
/// (kGzNullBuildRow for a LEFT or FULL join's unmatched row), and the columns
/// the code computes.
///
/// Projections are folded into the expressions that read them: every
/// expression of the spec reads the scan's columns (positions 0 to width - 1),
/// the live-row column (width) and the build columns of each join that reads
/// them (HasBuildRange: from the join's probe_width on, ranges that follow one
/// another; a SEMI or ANTI join's only for its residual condition).
///
/// The run (RowRun in pipeline_shape.cpp) turns each full batch into a
/// DataChunk of the covered operators' output columns: column references of
/// any type (VARCHAR too) gathered by row number from the morsel or the build
/// side, computed columns taken from the buffer. The chunk enters the rest of
/// the pipeline at operator `operators`: operators codegen does not compile
/// yet run interpreted on it, then the sink takes it.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "codegen/group_pipeline.hpp"
#include "common/vector.hpp"
#include "ir/ir.hpp"

namespace grizzly::codegen {

struct RowPipelineSpec : GroupAggregateSpec {
    uint32_t scan_width = 0;  ///< the scan's column count
    size_t operators = 0;     ///< the pipeline operators the code covers
    std::vector<LogicalType> output_types;
    /// Why the code stops before operator `operators` ("" when it covers all).
    std::string stop_reason;
    /// The last covered operator is a RIGHT_SEMI or RIGHT_ANTI join: the code only
    /// marks its build rows, which it emits into the rest when the probe side is done.
    bool ends_in_marking_join = false;
};

/// The operators the code covers from the pipeline's start — filters,
/// projections (folded) and hash join probes — and their output columns
/// (`outputs`) over the spec's positions. Throws NotCompiledYet when the
/// source's filters do not compile.
RowPipelineSpec CoverOperators(const ir::Pipeline& pipeline);
/// The row shape: CoverOperators, and NotCompiledYet when the code would
/// compute nothing (no filter, join or computed column: the interpreter passes
/// the source's vectors on without copying them).
RowPipelineSpec MatchRowPipeline(const ir::Pipeline& pipeline);
/// The grouped shape: every operator covered as CoverOperators covers them,
/// the aggregate's keys and arguments folded over their output, and a
/// HashAggregate sink (no keys: one group). Throws NotCompiledYet otherwise.
GroupAggregateSpec MatchGroupAggregate(const ir::Pipeline& pipeline);

/// One execution's rows: the output buffer the code appends to, and the
/// batches made of it.
class RowBatches {
public:
    explicit RowBatches(const RowPipelineSpec& spec);
    RowBatches(const RowBatches&) = delete;
    RowBatches& operator=(const RowBatches&) = delete;

    /// Where the batches go (false: no more rows wanted), and the string heaps
    /// that keep the scan's VARCHAR columns alive (per scan column, may be null).
    void Bind(std::function<bool(DataChunk&)> emit, std::vector<std::shared_ptr<StringHeap>> scan_heaps);
    void BindJoins(std::vector<const GzJoinTable*> joins);
    void BindLimit(GzLimit* limit) { buffer_.limit = limit; }
    void BindContext(runtime::ExecutionContext& ctx) { calls_.BindSubqueries(ctx, SubqueryNodes(spec_.Expressions())); }
    /// Runs one morsel and hands its last rows on. Throws the recorded Error
    /// (or the consumer's).
    void Morsel(const CompiledCode& code, const MorselInput& input, const GzParamSlot* params);
    /// True once the consumer wanted no more rows.
    bool Stopped() const { return stopped_; }

private:
    /// Where one output column comes from.
    struct Source {
        enum Kind : uint8_t { Computed, Scan, Build } kind = Computed;
        uint32_t index = 0;   ///< computed column, scan column or build range
        uint32_t column = 0;  ///< Build: the build column
    };
    static int32_t FlushBatch(GzOutputBuffer* buffer, GzExecStatus* status) noexcept;
    /// Hands the rows in the buffer on as a chunk; false when no more are wanted.
    bool Flush();
    void NewComputedVectors();
    void Gather(const Source& source, Vector& out, idx_t count) const;

    const RowPipelineSpec& spec_;
    std::vector<Source> sources_;
    std::vector<size_t> computed_outputs_;  ///< output index of each computed column
    GzOutputBuffer buffer_{};
    std::vector<uint32_t> scan_rows_;
    std::vector<std::vector<uint32_t>> build_rows_;
    std::vector<uint32_t*> build_row_arrays_;
    std::vector<Vector> computed_;
    std::vector<void*> value_arrays_;
    std::vector<std::vector<uint8_t>> valid_;
    std::vector<uint8_t*> valid_arrays_;
    std::vector<const GzJoinTable*> joins_;
    std::vector<const GzJoinTable*> range_tables_;  ///< per build range
    MorselInput input_;
    std::function<bool(DataChunk&)> emit_;
    std::vector<std::shared_ptr<StringHeap>> scan_heaps_;
    runtime::RowCalls calls_;
    std::exception_ptr pending_;  ///< the consumer's exception, rethrown after the code returned
    bool stopped_ = false;
};

}  // namespace grizzly::codegen
