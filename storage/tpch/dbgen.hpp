#pragma once
/// A TPC-H data generator (specification clause 4.2): the eight tables at any
/// scale factor, handed out as vectors typed like benchmarks/tpch/schema.sql.
/// It follows dbgen's rules and value lists (keys, formulas, date offsets,
/// the comment grammar) but mostly not its random number sequence, so the rows
/// differ from dbgen's while domains and distributions are the same. The
/// exceptions are s_nationkey, c_nationkey and c_mktsegment, which use dbgen's
/// own generator and seeds and so equal dbgen's values at every scale factor.
///
/// Every value depends only on (column, row), never on what was generated
/// before it: the same scale factor always yields the same rows. All
/// functions are thread-safe.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.hpp"
#include "common/vector.hpp"

namespace grizzly::storage::tpch {

struct ColumnSpec {
    std::string name;
    LogicalType type;
};

struct TableSpec {
    std::string name;
    std::vector<ColumnSpec> columns;
};

/// The eight tables in load order: region, nation, part, supplier, partsupp, customer, orders, lineitem.
const std::vector<TableSpec>& Tables();

/// Rows of `table` at scale factor `sf` (exact counts of the specification, clause 4.2.5).
/// Lineitem has no exact count there; this is the sum of the generated orders' line counts,
/// found by drawing each order's line count (about 10 ms per scale factor).
/// Unknown tables raise 42P01, scale factors out of range 22023.
int64_t RowCount(std::string_view table, double sf);

/// Generates `table` at scale factor `sf`, handing chunks of up to kVectorSize rows to `sink`
/// (chunk columns typed as Tables() says). Deterministic: the same sf always gives the same rows.
/// Each call of `sink` gets a fresh chunk, which the sink may keep. Strings are inline, in the
/// chunk's heaps, or in storage that lives as long as the process.
void Generate(std::string_view table, double sf, const std::function<void(DataChunk&)>& sink);

}  // namespace grizzly::storage::tpch
