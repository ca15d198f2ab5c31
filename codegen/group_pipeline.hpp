#pragma once
/// Compiles scan → filters → GROUP BY aggregation into ONE function per morsel:
///
///   int32_t pipeline(const void* const* columns, const uint64_t* const* validity,
///                    uint64_t row_count, const void* params, GzGroupTable* table,
///                    GzExecStatus* status)
///
/// For every row that passes the filters the function computes the group keys,
/// hashes them, probes the open-addressing table inline (hash tags in the
/// slots, key words compared in place), calls gz_rt_group_new for a new group,
/// and updates the group's aggregate states in its row — no intermediate
/// vectors. The loop exists twice: without validity reads (no column of the
/// morsel has a bitmap) and with them.
///
/// Group rows (GroupRowLayout): the hash, a mask of NULL keys, one 8-byte word
/// per fixed-width key (16 bytes per VARCHAR key: its StringRef, pointing into
/// the scanned table's storage, or for a computed key into the run's heap), then one 16-byte state per aggregate: a
/// count (non-NULL inputs; rows for COUNT(*); for SUM, MIN and MAX only a flag, 1 once a value was seen) and a value
/// (the integer or double sum, or the MIN/MAX so far).
///
/// After the last morsel, PartialChunks turns the table into the runtime's
/// partial-aggregate chunks (runtime/operators/operator_state.hpp), which the
/// HashAggregate sink merges with what interpreted morsels gave.

#include "codegen/compiled_code.hpp"
#include "codegen/expression_compiler.hpp"
#include "codegen/pipeline_compiler.hpp"
#include "common/vector.hpp"
#include "ir/ir.hpp"
#include "runtime/memory_tracker.hpp"
#include "runtime/row_calls.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace grizzly::codegen {

/// A join the pipeline probes (a hash join, or a nested-loop join: no keys):
/// INNER, LEFT, RIGHT, FULL, SEMI, ANTI, RIGHT_SEMI or RIGHT_ANTI, on
/// one or more keys of any type but INTERVAL (both sides the same physical
/// type; = or IS NOT DISTINCT FROM), with or without a residual condition. Its build
/// side is the interpreter's finalized table (GzJoinTable).
struct JoinProbeSpec {
    ir::JoinType type = ir::JoinType::Inner;
    std::vector<const ir::Expr*> probe_keys;    ///< over the join's probe input
    std::vector<bool> null_equal;               ///< per key: IS NOT DISTINCT FROM (NULL equals NULL)
    /// Over the probe input's columns and the build columns from probe_width on; or null.
    const ir::Expr* condition = nullptr;
    uint32_t probe_width = 0;                   ///< the build columns' first position
    std::vector<LogicalType> build_types;       ///< when HasBuildRange
    std::vector<const ir::Expr*> filters;       ///< conjuncts of the Filter operators after the join

    /// The join's output has the build columns (INNER, LEFT, RIGHT, FULL).
    bool EmitsBuildColumns() const {
        return type == ir::JoinType::Inner || type == ir::JoinType::Left || type == ir::JoinType::Right ||
               type == ir::JoinType::Full;
    }
    /// The code reads build rows: for the output or the residual condition.
    bool HasBuildRange() const { return EmitsBuildColumns() || condition != nullptr; }
    /// Probe rows without a match go on, with NULL build columns.
    bool KeepsUnmatched() const { return type == ir::JoinType::Left || type == ir::JoinType::Full; }
    /// Build rows paired with are marked (the join emits the others, or for
    /// RIGHT_SEMI and RIGHT_ANTI its whole result, when the probe side is done).
    bool MarksBuildRows() const {
        return type == ir::JoinType::Right || type == ir::JoinType::Full || EmitsOnlyAtEnd();
    }
    /// RIGHT_SEMI and RIGHT_ANTI: probing only marks build rows; no probe row goes on.
    bool EmitsOnlyAtEnd() const { return type == ir::JoinType::RightSemi || type == ir::JoinType::RightAnti; }
    /// No keys (a nested-loop join): every build row is a candidate, the condition decides.
    bool NestedLoop() const { return probe_keys.empty(); }
    /// Key `key`'s physical type, the build key's too (WhyNotJoinProbe).
    PhysicalType KeyType(size_t key) const { return probe_keys[key]->return_type.Physical(); }
    /// One integer key: the table's int_keys and direct mode.
    bool IntegerKey() const {
        return probe_keys.size() == 1 && !null_equal[0] &&
               (KeyType(0) == PhysicalType::Int32 || KeyType(0) == PhysicalType::Int64);
    }
};

/// The grouped shape: rows of a morsel that pass `filters`, then each join (and
/// the filters after it), are grouped by `keys` and feed every aggregate
/// (COUNT(*), COUNT, SUM, AVG, MIN, MAX, BOOL_AND, BOOL_OR, each with or
/// without FILTER; not DISTINCT). Keys are compilable expressions; no keys is
/// one group (an ungrouped aggregate behind a join). The expressions are borrowed.
struct GroupAggregateSpec {
    std::vector<const ir::Expr*> filters;
    std::vector<const ir::PhysicalOperator*> filter_operators;  ///< as in FilterAggregateSpec
    std::vector<JoinProbeSpec> joins;
    std::vector<const ir::Expr*> keys;
    std::vector<AggregateSpec> aggregates;
    /// The row terminal instead of the group update (row_pipeline.hpp): each row
    /// that passes is appended to the GzOutputBuffer the function's state
    /// argument then is. Outputs that are column references (IsGathered) are
    /// gathered by the run from the row numbers; the code computes the others
    /// (a VARCHAR as its StringRef), in order, into the buffer's `values` and `valid`.
    bool emits_rows = false;
    std::vector<const ir::Expr*> outputs;
    /// Row terminal: the last covered operator is a LIMIT. Rows are counted in
    /// the interpreter's counts (GzOutputBuffer::limit) before they are
    /// appended; once the LIMIT is full the code hands the batch on and stops.
    bool ends_in_limit = false;
    /// The expressions matching made (projections folded in); shared by copies.
    std::shared_ptr<std::vector<ir::ExprPtr>> made;

    /// Filters, each join's key and filters, keys, aggregate arguments, then
    /// computed outputs: the parameter slots' order.
    std::vector<const ir::Expr*> Expressions() const;
    ParamLayout Layout() const { return ParamLayout(Expressions()); }
};

/// An output the row terminal gathers rather than computes: a column of the
/// scan or of an INNER join's build side, of any type.
inline bool IsGathered(const ir::Expr& output) {
    return output.type == ir::ExprType::ColumnRef && output.depth == 0;
}

/// Why a group or join key does not compile ("" when it does): any compilable expression does.
std::string WhyNotKey(const ir::Expr& key);
/// Why compiled code cannot probe hash join `join` ("a LEFT join", ...), or "".
std::string WhyNotJoinProbe(const ir::PhysicalOperator& join);
/// The probe of hash join `join` (NotCompiledYet for other joins); its
/// probe keys and condition are the join's own, over the join's input.
JoinProbeSpec MatchJoinProbe(const ir::PhysicalOperator& join);

/// Throws NotCompiledYet when `spec` (matched by MatchGroupAggregate, row_pipeline.hpp) does not compile.
void ValidateGroupAggregate(const GroupAggregateSpec& spec);
std::string GroupShapeKey(const GroupAggregateSpec& spec);

/// Where each part of a group's row lives (byte offsets).
struct GroupRowLayout {
    explicit GroupRowLayout(const GroupAggregateSpec& spec);
    static constexpr uint32_t kHashOffset = 0;
    static constexpr uint32_t kNullMaskOffset = 8;
    std::vector<uint32_t> key_offsets;
    std::vector<uint32_t> aggregate_offsets;  ///< count at +0, value at +8
    uint32_t width = 0;
};

/// The groups one execution accumulates: the table generated code probes and
/// fills. Not copyable; frees its memory.
class GroupTableBuffer {
public:
    explicit GroupTableBuffer(uint32_t row_width);
    ~GroupTableBuffer();
    GroupTableBuffer(const GroupTableBuffer&) = delete;
    GroupTableBuffer& operator=(const GroupTableBuffer&) = delete;

    ::GzGroupTable* Table() { return &table_; }
    /// The join tables generated code probes (must outlive the runs).
    void BindJoins(std::vector<const GzJoinTable*> joins) {
        joins_ = std::move(joins);
        table_.joins = joins_.data();
    }
    uint64_t GroupCount() const { return table_.count; }
    /// The run's row calls (runtime/row_calls.hpp), and the heap of its computed VARCHAR keys.
    runtime::RowCalls& Calls() { return calls_; }
    const runtime::RowCalls& Calls() const { return calls_; }
    const uint8_t* Row(uint64_t group) const { return table_.rows + group * table_.row_width; }
    /// Counts the table's rows and slots against the statement's memory_limit
    /// (after each morsel: generated code grows the table itself). Throws 53200.
    void CountMemory() {
        memory_.Set(table_.capacity * table_.row_width + (table_.mask + 1) * sizeof(uint64_t) +
                    table_.direct_size * sizeof(uint32_t));
    }

private:
    ::GzGroupTable table_{};
    runtime::TrackedMemory memory_;
    std::vector<const GzJoinTable*> joins_;
    runtime::RowCalls calls_;
};

/// The groups as partial-aggregate chunks: the key columns, then per aggregate
/// COUNT → BIGINT count; SUM, MIN, MAX → a value of the aggregate's type (NULL
/// when the group saw no input); AVG → DOUBLE sum and BIGINT count.
std::vector<DataChunk> PartialChunks(const GroupAggregateSpec& spec, const GroupTableBuffer& groups);

/// Compiles `spec`. Throws NotCompiledYet for what is not supported, XX000 when LLVM fails.
/// With options.annotate (and capture_ir) the IR names the regions of FilterAggregateSpec::Regions.
CompiledCodePtr CompileGroupPipeline(const GroupAggregateSpec& spec, const CompileOptions& options = {});
/// Runs one morsel into `groups`. Throws the recorded Error on failure.
void RunGroupMorsel(const CompiledCode& code, const MorselInput& input, const GzParamSlot* params,
                    GroupTableBuffer& groups);

}  // namespace grizzly::codegen
