#include "runtime/executor.hpp"

#include "runtime/operators/operator_state.hpp"
#include "storage/storage.hpp"

namespace grizzly::runtime {

namespace {

class PipelineRunner {
public:
    PipelineRunner(const ir::Pipeline& pipeline, std::vector<std::unique_ptr<OperatorState>>& states,
                   ExecutionContext& ctx)
        : pipeline_(pipeline), states_(states), ctx_(ctx) {}

    void Run() {
        OperatorState& source = *states_[pipeline_.source->id];
        DataChunk chunk;
        bool running = true;
        while (running) {
            chunk.Reset();
            CheckInterrupt(ctx_);
            if (!source.GetData(chunk)) break;
            running = Push(chunk, 0);
        }
        if (!running) return;
        for (size_t i = 0; i < pipeline_.operators.size(); ++i) {
            if (!states_[pipeline_.operators[i]->id]->Flush([&](DataChunk& out) { return Push(out, i + 1); })) return;
        }
    }

private:
    const ir::Pipeline& pipeline_;
    std::vector<std::unique_ptr<OperatorState>>& states_;
    ExecutionContext& ctx_;

    bool Push(DataChunk& chunk, size_t op_index) {
        if (chunk.ActiveCount() == 0) return true;
        if (op_index == pipeline_.operators.size()) {
            states_[pipeline_.sink->id]->Sink(chunk, pipeline_.sink_child);
            return true;
        }
        return states_[pipeline_.operators[op_index]->id]->Execute(
            chunk, [&](DataChunk& out) { return Push(out, op_index + 1); });
    }
};

void CreateStates(const ir::PhysicalOperator& op, ExecutionContext& ctx,
                  std::vector<std::unique_ptr<OperatorState>>& states) {
    states[op.id] = CreateOperatorState(op, ctx);
    for (auto& c : op.children) CreateStates(*c, ctx, states);
}

// Rows the plan's table scans will read (the denominator of progress).
uint64_t RowsToScan(const ir::PhysicalOperator& op) {
    uint64_t rows = op.type == ir::PhysicalOpType::TableScan ? op.table->Data().RowCount() : 0;
    for (auto& c : op.children) rows += RowsToScan(*c);
    return rows;
}

}  // namespace

void CheckInterrupt(const ExecutionContext& ctx) {
    if (ctx.interrupt && ctx.interrupt->requested.load(std::memory_order_relaxed))
        throw Error(SqlState::QueryCanceled, "canceling statement due to user request");
}

ChunkCollection ExecutePlan(const ir::PhysicalPlan& plan, ExecutionContext& ctx) {
    if (ctx.interrupt && ctx.top_level) ctx.interrupt->rows_to_scan.fetch_add(RowsToScan(*plan.root));
    // Plans run from inside this one (subqueries) do not count towards progress.
    bool was_top_level = ctx.top_level;
    ctx.top_level = false;
    struct Restore {
        ExecutionContext& ctx;
        bool value;
        ~Restore() { ctx.top_level = value; }
    } restore{ctx, was_top_level};
    std::vector<std::unique_ptr<OperatorState>> states(plan.operator_count);
    CreateStates(*plan.root, ctx, states);
    // A sink is finalized when the last pipeline feeding it has run.
    std::vector<size_t> feeding(plan.operator_count, 0);
    for (auto& p : plan.pipelines) ++feeding[p.sink->id];
    for (auto& p : plan.pipelines) {
        PipelineRunner(p, states, ctx).Run();
        if (--feeding[p.sink->id] == 0) states[p.sink->id]->Finalize();
    }
    return TakeResult(*states[plan.root->id]);
}

ir::PhysicalPlan PlanQuery(const ir::LogicalOperator& logical, std::vector<std::string> names, ExecutionContext& ctx) {
    ir::LogicalOpPtr copy = logical.Copy();
    if (ctx.optimizer) copy = ir::Optimize(std::move(copy), *ctx.optimizer);
    return ir::CreatePhysicalPlan(*copy, std::move(names));
}

}  // namespace grizzly::runtime
