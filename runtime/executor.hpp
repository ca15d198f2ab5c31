#pragma once
/// The interpreter's driver: runs the pipelines of a physical plan in
/// dependency order, vector at a time, and returns the materialized result.

#include <string>
#include <vector>

#include "runtime/execution_context.hpp"

namespace grizzly::runtime {

/// Runs `plan` to completion. Throws Error on failure. When `executors` is not
/// null it receives, per pipeline in plan order, which executor ran it
/// ("interpreter", or the compiled run's description) for EXPLAIN ANALYZE.
/// With ctx.mode other than Interpret and a ctx.compiler, each pipeline is
/// offered to the compiler first and runs compiled when it accepts.
ChunkCollection ExecutePlan(const ir::PhysicalPlan& plan, ExecutionContext& ctx,
                            std::vector<std::string>* executors = nullptr);

/// Throws 57014 when the statement was asked to stop.
void CheckInterrupt(const ExecutionContext& ctx);

/// Optimizes a copy of a logical plan and plans it physically (subqueries, DML sources).
ir::PhysicalPlan PlanQuery(const ir::LogicalOperator& logical, std::vector<std::string> names, ExecutionContext& ctx);

}  // namespace grizzly::runtime
