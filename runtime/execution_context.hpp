#pragma once
/// Per-statement execution state shared by all operators: parameters, the
/// frames of correlated subqueries, and compiled subquery plans with their
/// cached results.

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ir/ir.hpp"
#include "runtime/chunk_collection.hpp"

namespace grizzly::runtime {

/// The result of running a subquery once for one set of correlated values.
struct SubqueryResult {
    ChunkCollection rows;
    /// For IN / ANY / ALL: the distinct non-null values as text keys, and whether a NULL occurred.
    std::unordered_set<std::string> keys;
    bool has_null = false;
};

struct SubqueryState {
    ir::PhysicalPlan plan;
    std::unordered_map<std::string, std::shared_ptr<SubqueryResult>> cache;
};

/// Cancellation and progress of one connection's running statement, shared with
/// other threads (the shell's Ctrl-C handler, its progress bar).
struct InterruptState {
    std::atomic<bool> requested{false};
    std::atomic<uint64_t> rows_scanned{0};
    std::atomic<uint64_t> rows_to_scan{0};
};

class ExecutionContext {
public:
    /// Checked at every vector boundary; null when nothing can interrupt.
    InterruptState* interrupt = nullptr;
    /// True for the statement's top-level plan (progress counts its scans only).
    bool top_level = true;
    /// $n parameters and trigger NEW/OLD values (Parameter depth 0).
    std::vector<Value> parameters;
    /// Innermost last: values of correlated outer columns (Parameter depth 1).
    std::vector<const std::vector<Value>*> correlated_frames;
    ir::OptimizerContext* optimizer = nullptr;
    std::unordered_map<const ir::Expr*, std::unique_ptr<SubqueryState>> subqueries;
};

}  // namespace grizzly::runtime
