#include "codegen/pipeline_shape.hpp"

#include <algorithm>

#include "codegen/group_pipeline.hpp"
#include "codegen/pipeline_compiler.hpp"

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
        for (AggregateSpec& aggregate : aggregates) aggregate.argument = Copy(aggregate.argument);
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
    column->position = static_cast<uint32_t>(pipeline.source->column_ids.size());
    column->alias = "live_row";
    auto test = std::make_unique<ir::Expr>(ir::ExprType::IsNotNull, LogicalType(TypeId::Boolean));
    test->children.push_back(std::move(column));
    return test;
}

template <class Spec>
void PrependFilter(Spec& spec, const ir::Expr* filter, const ir::PhysicalOperator* scan) {
    spec.filters.insert(spec.filters.begin(), filter);
    spec.filter_operators.insert(spec.filter_operators.begin(), scan);
}

class UngroupedShape : public PipelineShape {
public:
    explicit UngroupedShape(FilterAggregateSpec spec) : spec_(std::move(spec)) {}
    UngroupedShape(FilterAggregateSpec spec, const ir::Pipeline& pipeline)
        : spec_(std::move(spec)), live_(LiveRowFilter(pipeline)) {
        PrependFilter(spec_, live_.get(), pipeline.source);
    }

    std::string Key() const override { return PipelineShapeKey(spec_); }
    ParamLayout Layout() const override { return spec_.Layout(); }
    const std::vector<const ir::Expr*>& Filters() const override { return spec_.filters; }
    const std::vector<const ir::PhysicalOperator*>& FilterOperators() const override {
        return spec_.filter_operators;
    }
    CompiledCodePtr Compile(const CompileOptions& options) const override {
        return CompilePipeline(spec_, options).SharedCode();
    }
    std::shared_ptr<const PipelineShape> Own() const override {
        auto owned = std::make_shared<UngroupedShape>(spec_);
        owned->spec_.filter_operators.clear();
        owned->copies_.CopyAll(owned->spec_.filters);
        owned->copies_.CopyArguments(owned->spec_.aggregates);
        return owned;
    }

    class AggregateRun : public Run {
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
    std::unique_ptr<Run> NewRun() const override { return std::make_unique<AggregateRun>(spec_); }

private:
    FilterAggregateSpec spec_;
    ir::ExprPtr live_;
    ExprCopies copies_;
};

class GroupedShape : public PipelineShape {
public:
    explicit GroupedShape(GroupAggregateSpec spec) : spec_(std::move(spec)) {}
    GroupedShape(GroupAggregateSpec spec, const ir::Pipeline& pipeline)
        : spec_(std::move(spec)), live_(LiveRowFilter(pipeline)) {
        PrependFilter(spec_, live_.get(), pipeline.source);
    }

    std::string Key() const override { return GroupShapeKey(spec_); }
    ParamLayout Layout() const override { return spec_.Layout(); }
    const std::vector<const ir::Expr*>& Filters() const override { return spec_.filters; }
    const std::vector<const ir::PhysicalOperator*>& FilterOperators() const override {
        return spec_.filter_operators;
    }
    CompiledCodePtr Compile(const CompileOptions& options) const override {
        return CompileGroupPipeline(spec_, options);
    }
    std::shared_ptr<const PipelineShape> Own() const override {
        auto owned = std::make_shared<GroupedShape>(spec_);
        owned->spec_.filter_operators.clear();
        owned->copies_.CopyAll(owned->spec_.filters);
        for (JoinProbeSpec& join : owned->spec_.joins) {
            join.probe_key = owned->copies_.Copy(join.probe_key);
            owned->copies_.CopyAll(join.filters);
        }
        owned->copies_.CopyAll(owned->spec_.keys);
        owned->copies_.CopyArguments(owned->spec_.aggregates);
        return owned;
    }

    class GroupRun : public Run {
    public:
        explicit GroupRun(const GroupAggregateSpec& spec) : spec_(spec), groups_(GroupRowLayout(spec).width) {}
        void Morsel(const CompiledCodePtr& code, const MorselInput& input, const GzParamSlot* params) override {
            RunGroupMorsel(*code, input, params, groups_);
        }
        void BindJoins(std::vector<const GzJoinTable*> joins) override { groups_.BindJoins(std::move(joins)); }
        std::vector<DataChunk> Finish() override { return PartialChunks(spec_, groups_); }

    private:
        const GroupAggregateSpec& spec_;
        GroupTableBuffer groups_;
    };
    std::unique_ptr<Run> NewRun() const override { return std::make_unique<GroupRun>(spec_); }

private:
    GroupAggregateSpec spec_;
    ir::ExprPtr live_;
    ExprCopies copies_;
};

}  // namespace

std::unique_ptr<PipelineShape> MatchPipeline(const ir::Pipeline& pipeline) {
    const ir::PhysicalOperator* sink = pipeline.sink;
    const bool probes_join = std::any_of(pipeline.operators.begin(), pipeline.operators.end(),
                                         [](const ir::PhysicalOperator* op) { return op->type == ir::PhysicalOpType::HashJoin; });
    if (!sink || sink->type != ir::PhysicalOpType::HashAggregate)
        throw NotCompiledYet(std::string("a pipeline into a ") + (sink ? ir::PhysicalOpName(sink->type) : "missing") +
                             " sink");
    // Behind a join, an ungrouped aggregate is the grouped shape with no keys.
    if (sink && sink->type == ir::PhysicalOpType::HashAggregate && (!sink->expressions.empty() || probes_join))
        return std::make_unique<GroupedShape>(MatchGroupAggregate(pipeline), pipeline);
    return std::make_unique<UngroupedShape>(MatchFilterAggregate(pipeline), pipeline);
}

}  // namespace grizzly::codegen
