#pragma once
/// The interpreter's driver: runs the pipelines of a physical plan in
/// dependency order, vector at a time, and returns the materialized result.

#include "runtime/execution_context.hpp"

namespace grizzly::runtime {

/// Runs `plan` to completion. Throws Error on failure.
ChunkCollection ExecutePlan(const ir::PhysicalPlan& plan, ExecutionContext& ctx);

/// Throws 57014 when the statement was asked to stop.
void CheckInterrupt(const ExecutionContext& ctx);

/// Optimizes a copy of a logical plan and plans it physically (subqueries, DML sources).
ir::PhysicalPlan PlanQuery(const ir::LogicalOperator& logical, std::vector<std::string> names, ExecutionContext& ctx);

}  // namespace grizzly::runtime
