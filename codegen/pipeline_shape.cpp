#include "codegen/pipeline_shape.hpp"

#include <algorithm>
#include <optional>
#include <type_traits>

#include "codegen/group_pipeline.hpp"
#include "codegen/pipeline_compiler.hpp"
#include "codegen/row_pipeline.hpp"

namespace grizzly::codegen {

namespace {

/// Deep copies of borrowed expressions, owned with the shape that points to them.
class ExprCopies {
public:
    const ir::Expr* Copy(const ir::Expr* expr) {
        if (!expr) return nullptr;
        copies_.push_back(expr->Copy());
        return copies_.back().get();
    }
    void CopyAll(std::vector<const ir::Expr*>& exprs) {
        for (const ir::Expr*& expr : exprs) expr = Copy(expr);
    }
    void CopyArguments(std::vector<AggregateSpec>& aggregates) {
        for (AggregateSpec& aggregate : aggregates) {
            aggregate.argument = Copy(aggregate.argument);
            aggregate.filter = Copy(aggregate.filter);
            aggregate.separator = Copy(aggregate.separator);
        }
    }

private:
    std::vector<ir::ExprPtr> copies_;
};

/// The deleted-row test both shapes start with: `live IS NOT NULL` over a BOOLEAN
/// column one past the scan's columns, whose validity words the driver points at
/// the row group's bitmap of live rows (MatchPipeline). First, so that no other
/// conjunct — some can fail — runs on a deleted row. With no bitmap (no row
/// deleted) the dense loop folds it away.
ir::ExprPtr LiveRowFilter(const ir::Pipeline& pipeline) {
    auto column = std::make_unique<ir::Expr>(ir::ExprType::ColumnRef, LogicalType(TypeId::Boolean));
    column->position = SourceWidth(pipeline);
    column->alias = "live_row";
    auto test = std::make_unique<ir::Expr>(ir::ExprType::IsNotNull, LogicalType(TypeId::Boolean));
    test->children.push_back(std::move(column));
    return test;
}

/// One execution of the ungrouped shape: its accumulators, then one partial row.
class AggregateRun : public PipelineShape::Run {
public:
    explicit AggregateRun(const FilterAggregateSpec& spec) : spec_(spec), states_(spec.aggregates.size()) {}
    void Morsel(const CompiledCodePtr& code, const MorselInput& input, const GzParamSlot* params) override {
        CompiledPipeline(code).RunMorsel(input, params, states_.data());
    }
    std::vector<DataChunk> Finish() override {
        std::vector<LogicalType> types;
        for (const AggregateSpec& aggregate : spec_.aggregates) types.push_back(aggregate.return_type);
        DataChunk partial;
        partial.Initialize(types, 1);
        for (size_t agg_idx = 0; agg_idx < spec_.aggregates.size(); ++agg_idx)
            partial.columns[agg_idx].SetValue(0, FinalizeAggregate(spec_.aggregates[agg_idx], states_[agg_idx]));
        partial.size = 1;
        std::vector<DataChunk> chunks;
        chunks.push_back(std::move(partial));
        return chunks;
    }

private:
    const FilterAggregateSpec& spec_;
    std::vector<AggregateState> states_;
};

/// One execution of the grouped shape: its group table, then its groups as partial rows.
class GroupRun : public PipelineShape::Run {
public:
    explicit GroupRun(const GroupAggregateSpec& spec) : spec_(spec), groups_(GroupRowLayout(spec).width) {}
    void Morsel(const CompiledCodePtr& code, const MorselInput& input, const GzParamSlot* params) override {
        RunGroupMorsel(*code, input, params, groups_);
    }
    void BindJoins(std::vector<const GzJoinTable*> joins) override { groups_.BindJoins(std::move(joins)); }
    void BindContext(runtime::ExecutionContext& ctx) override {
        groups_.Calls().BindSubqueries(ctx, SubqueryNodes(spec_.Expressions()));
    }
    std::vector<DataChunk> Finish() override { return PartialChunks(spec_, groups_); }

private:
    const GroupAggregateSpec& spec_;
    GroupTableBuffer groups_;
};

/// One execution of the row shape: its batches, handed on as they fill.
class RowRun : public PipelineShape::Run {
public:
    explicit RowRun(const RowPipelineSpec& spec) : batches_(spec) {}
    void Morsel(const CompiledCodePtr& code, const MorselInput& input, const GzParamSlot* params) override {
        batches_.Morsel(*code, input, params);
    }
    void BindJoins(std::vector<const GzJoinTable*> joins) override { batches_.BindJoins(std::move(joins)); }
    void BindLimit(GzLimit* limit) override { batches_.BindLimit(limit); }
    void BindContext(runtime::ExecutionContext& ctx) override { batches_.BindContext(ctx); }
    void BindOutput(std::function<bool(DataChunk&)> emit, std::vector<std::shared_ptr<StringHeap>> heaps) override {
        batches_.Bind(std::move(emit), std::move(heaps));
    }
    bool Stopped() const override { return batches_.Stopped(); }
    std::vector<DataChunk> Finish() override { return {}; }

private:
    RowBatches batches_;
};

// What differs between the specs, for SpecShape.
std::string KeyOf(const FilterAggregateSpec& spec) { return PipelineShapeKey(spec); }
std::string KeyOf(const GroupAggregateSpec& spec) { return GroupShapeKey(spec); }
CompiledCodePtr CompileSpec(const FilterAggregateSpec& spec, const CompileOptions& options) {
    return CompilePipeline(spec, options).SharedCode();
}
CompiledCodePtr CompileSpec(const GroupAggregateSpec& spec, const CompileOptions& options) {
    return CompileGroupPipeline(spec, options);
}
void CopyExpressions(ExprCopies& copies, FilterAggregateSpec& spec) {
    copies.CopyAll(spec.filters);
    copies.CopyArguments(spec.aggregates);
}
void CopyExpressions(ExprCopies& copies, GroupAggregateSpec& spec) {
    copies.CopyAll(spec.filters);
    for (JoinProbeSpec& join : spec.joins) {
        copies.CopyAll(join.probe_keys);
        join.condition = copies.Copy(join.condition);
        copies.CopyAll(join.filters);
    }
    copies.CopyAll(spec.keys);
    copies.CopyArguments(spec.aggregates);
    copies.CopyAll(spec.outputs);
}
std::unique_ptr<PipelineShape::Run> NewRunOf(const FilterAggregateSpec& spec) {
    return std::make_unique<AggregateRun>(spec);
}
std::unique_ptr<PipelineShape::Run> NewRunOf(const GroupAggregateSpec& spec) { return std::make_unique<GroupRun>(spec); }
std::unique_ptr<PipelineShape::Run> NewRunOf(const RowPipelineSpec& spec) { return std::make_unique<RowRun>(spec); }

/// A PipelineShape over one of the specs, which it holds with the live-row
/// filter first; an owned copy (Own) holds copies of every expression.
template <class Spec>
class SpecShape : public PipelineShape {
public:
    SpecShape(Spec spec, const ir::Pipeline& pipeline) : spec_(std::move(spec)), live_(LiveRowFilter(pipeline)) {
        spec_.filters.insert(spec_.filters.begin(), live_.get());
        spec_.filter_operators.insert(spec_.filter_operators.begin(), pipeline.source);
    }

    std::string Key() const override { return KeyOf(spec_); }
    ParamLayout Layout() const override { return spec_.Layout(); }
    const std::vector<const ir::Expr*>& Filters() const override { return spec_.filters; }
    const std::vector<const ir::PhysicalOperator*>& FilterOperators() const override {
        return spec_.filter_operators;
    }
    static constexpr bool kEmitsRows = std::is_same_v<Spec, RowPipelineSpec>;
    bool EmitsRows() const override { return kEmitsRows; }
    size_t RowsEnter() const override {
        if constexpr (kEmitsRows) return spec_.operators;
        return 0;
    }
    std::string StopReason() const override {
        if constexpr (kEmitsRows) return spec_.stop_reason;
        return "";
    }
    bool EndsInMarkingJoin() const override {
        if constexpr (kEmitsRows) return spec_.ends_in_marking_join;
        return false;
    }
    bool NeedsEveryMorsel() const override {
        // A DISTINCT aggregate's seen values, a STRING_AGG's text (whose separator at the seam
        // is unknown) cannot be merged with an interpreted morsel's.
        return std::any_of(spec_.aggregates.begin(), spec_.aggregates.end(), [](const AggregateSpec& aggregate) {
            return aggregate.distinct || aggregate.kind == ir::AggregateKind::StringAgg;
        });
    }
    CompiledCodePtr Compile(const CompileOptions& options) const override { return CompileSpec(spec_, options); }
    std::shared_ptr<const PipelineShape> Own() const override {
        auto owned = std::shared_ptr<SpecShape>(new SpecShape(spec_));
        owned->spec_.filter_operators.clear();
        CopyExpressions(owned->copies_, owned->spec_);
        return owned;
    }
    std::unique_ptr<Run> NewRun() const override { return NewRunOf(spec_); }

private:
    explicit SpecShape(Spec spec) : spec_(std::move(spec)) {}

    Spec spec_;
    ir::ExprPtr live_;
    ExprCopies copies_;
};

}  // namespace

std::unique_ptr<PipelineShape> MatchPipeline(const ir::Pipeline& pipeline) {
    const ir::PhysicalOperator* sink = pipeline.sink;
    if (!sink || sink->type != ir::PhysicalOpType::HashAggregate)
        return std::make_unique<SpecShape<RowPipelineSpec>>(MatchRowPipeline(pipeline), pipeline);
    const bool only_filters = std::all_of(pipeline.operators.begin(), pipeline.operators.end(),
                                          [](const ir::PhysicalOperator* op) { return op->type == ir::PhysicalOpType::Filter; });
    // The first that matches: an ungrouped aggregate over filters (one vectorized
    // loop), the grouped shape (no keys: one group), then compiled rows into the
    // interpreter's aggregate.
    std::optional<Error> first_error;  // the reason EXPLAIN gives when none matches
    auto attempt = [&](auto match) -> std::unique_ptr<PipelineShape> {
        try {
            return match();
        } catch (const Error& error) {
            if (error.State() != SqlState::FeatureNotSupported) throw;
            if (!first_error) first_error = error;
            return nullptr;
        }
    };
    std::unique_ptr<PipelineShape> shape;
    if (sink->expressions.empty() && only_filters)
        shape = attempt([&] { return std::make_unique<SpecShape<FilterAggregateSpec>>(MatchFilterAggregate(pipeline), pipeline); });
    if (!shape)
        shape = attempt([&] { return std::make_unique<SpecShape<GroupAggregateSpec>>(MatchGroupAggregate(pipeline), pipeline); });
    if (!shape)
        shape = attempt([&] { return std::make_unique<SpecShape<RowPipelineSpec>>(MatchRowPipeline(pipeline), pipeline); });
    if (!shape) throw *first_error;
    return shape;
}

}  // namespace grizzly::codegen
