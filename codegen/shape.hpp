#pragma once
/// Query shapes as codegen sees them: the shape key of an expression (its
/// tree with constants replaced by parameter slots, so `x > 5` and `x > 7`
/// share compiled code) and the layout of the parameter block that a compiled
/// function reads its parameters and lifted constants from.
///
/// Until physical planning lifts constants into typed slots itself (DESIGN.md,
/// "Physical plan and query shape"), codegen lifts them: every Constant node
/// gets a slot after the query's own $n parameters, in pre-order. The order
/// depends only on the tree's structure, so two expressions with one shape key
/// have the same layout and a function compiled for one reads the other's
/// constants correctly.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "codegen/rt_helpers.hpp"
#include "ir/ir.hpp"

namespace grizzly::codegen {

/// A fingerprint of `expr` that names every operator, type, column position and
/// parameter slot but no constant value. Equal keys mean one compiled function
/// serves both expressions (given their ParamLayout::Bind blocks).
std::string ShapeKey(const ir::Expr& expr);

/// The slots of the parameter block for expressions compiled together.
/// Immutable after construction; the expressions must outlive it.
class ParamLayout {
public:
    /// Lays out `exprs`, compiled together in this order: slots 0..QuerySlots()-1
    /// are the query's $n parameters (depth 0), then one slot per Constant node.
    explicit ParamLayout(const std::vector<const ir::Expr*>& exprs);

    uint32_t QuerySlots() const { return query_slots_; }
    uint32_t SlotCount() const { return query_slots_ + static_cast<uint32_t>(constants_.size()); }
    /// Slot of a Parameter node or of a Constant node of the laid-out expressions.
    uint32_t SlotOf(const ir::Expr& node) const;

    /// The parameter block: `query_params` (at least QuerySlots() values) in the
    /// first slots, each converted to its Parameter node's type, then the constants.
    /// A VARCHAR slot holds the index of a slot past SlotCount() that holds its
    /// StringRef (16 bytes), which points into the Value's bytes: the constants
    /// and `query_params` must outlive the block.
    std::vector<GzParamSlot> Bind(const std::vector<Value>& query_params) const;

private:
    uint32_t query_slots_ = 0;
    std::vector<const ir::Expr*> constants_;
    std::unordered_map<const ir::Expr*, uint32_t> constant_slots_;
    std::vector<LogicalType> query_types_;  ///< type of each $n slot (from its Parameter nodes)
};

/// One slot holding `value` as generated code reads a `type` (fixed-width types
/// only; a DATE or DECIMAL value fills only a slot of its own type and scale).
/// Throws XX000 for a value that cannot fill the slot.
GzParamSlot MakeParamSlot(const Value& value, const LogicalType& type);

}  // namespace grizzly::codegen
