#pragma once
/// In-memory column storage of one table: a list of row groups, each holding
/// one column chunk per column (values, validity, zone map) and a bitmap of
/// deleted rows. Row ids are dense: row group index * kRowGroupSize + offset.

#include <memory>
#include <mutex>
#include <vector>

#include "common/common.hpp"
#include "storage/statistics.hpp"

namespace grizzly::storage {

inline constexpr idx_t kRowGroupSize = 122880;  // 60 vectors: scans hand out whole vectors

/// One column of one row group. Capacity is reserved up front so that vectors
/// borrowed by a scan never move while the statement runs.
struct ColumnChunk {
    explicit ColumnChunk(LogicalType type);
    /// Copies keep the full reserved capacity (a transaction's fork of a shared row group).
    ColumnChunk(const ColumnChunk& other);
    ColumnChunk(ColumnChunk&&) = default;
    ColumnChunk& operator=(ColumnChunk&&) = default;
    LogicalType type;
    uint32_t width;
    std::vector<uint8_t> data;
    ValidityMask validity;
    idx_t null_count = 0;
    ZoneKind zone_kind;
    std::vector<Zone> zones;  ///< one per kVectorSize rows

    /// Widens the zone of `row` by the value at `value` (not NULL).
    void Observe(idx_t row, const uint8_t* value);
};

struct RowGroup;
struct ZonePredicate;
/// False when the zone maps of vector `vector` (kVectorSize rows) of `rg` prove
/// that no row satisfies every predicate of `prune`.
bool VectorMayMatch(const RowGroup& rg, size_t vector, const std::vector<ZonePredicate>& prune);

/// `column op constant` that a scan can test against zone maps to skip vectors
/// in which no row can satisfy it.
struct ZonePredicate {
    enum class Op : uint8_t { Eq, Lt, LtEq, Gt, GtEq };
    uint32_t column;  ///< table column
    Op op;
    Zone constant;    ///< the constant in constant.min, compared as the column's ZoneKind
};

struct RowGroup {
    RowGroup(const std::vector<LogicalType>& types, idx_t start_row);
    idx_t start = 0;
    idx_t count = 0;
    idx_t deleted_count = 0;
    std::vector<ColumnChunk> columns;
    ValidityMask alive;  ///< empty = no row deleted; bit cleared = deleted
};

/// The rows of one table. A version is changed only by the one transaction that
/// owns it (see transaction.hpp); row groups are shared between versions and
/// copied before the first change, so a published version never changes again.
class TableData {
public:
    explicit TableData(std::vector<LogicalType> types);
    /// A new version sharing every row group with this one.
    std::shared_ptr<TableData> Fork() const;
    /// A new version holding only the live rows (renumbered), with strings in fresh heaps.
    std::shared_ptr<TableData> Compact() const;
    idx_t DeletedRowCount() const { return deleted_rows_; }

    const std::vector<LogicalType>& Types() const { return types_; }
    idx_t RowCount() const { return total_rows_; }           ///< including deleted rows
    idx_t LiveRowCount() const { return total_rows_ - deleted_rows_; }
    const std::vector<std::shared_ptr<RowGroup>>& RowGroups() const { return row_groups_; }
    const std::shared_ptr<StringHeap>& Heap(size_t column) const { return heaps_[column]; }

    /// Appends the active rows of `chunk` (columns in table order). Strings are copied.
    void Append(const DataChunk& chunk);
    /// Appends a row group read from a checkpoint: `chunk` (no selection, at most
    /// kRowGroupSize rows) becomes a new row group, and `zones` (one list per
    /// column, as Append would compute them) its zone maps, which are not recomputed.
    void AppendRowGroup(const DataChunk& chunk, std::vector<std::vector<Zone>> zones);
    /// Removes the rows appended after the table had `row_count` rows (rollback).
    void Truncate(idx_t row_count);
    /// Marks a row deleted; returns false if it already was.
    bool Delete(row_t row_id);
    /// Un-deletes a row (rollback).
    void Undelete(row_t row_id);
    bool IsDeleted(row_t row_id) const;
    /// Overwrites column `column` of `row_id` with row `src_row` of `src` (strings copied).
    void Update(row_t row_id, size_t column, const Vector& src, idx_t src_row);
    Value GetValue(row_t row_id, size_t column) const;

    /// Fills `out` with the next vector of rows from `cursor` (columns `column_ids`,
    /// plus a BIGINT row-id column when `with_row_ids`). Deleted rows are excluded
    /// by a selection vector. Returns false at the end.
    struct ScanCursor {
        idx_t row_group = 0;
        idx_t offset = 0;
        /// The scan ends at row `end_offset` of row group `end_row_group` (a morsel's end).
        idx_t end_row_group = ~idx_t(0);
        idx_t end_offset = 0;
    };
    /// Vectors that `prune` proves empty are skipped (their rows may still be visited by other filters).
    bool Scan(ScanCursor& cursor, const std::vector<uint32_t>& column_ids, bool with_row_ids, DataChunk& out,
              const std::vector<ZonePredicate>* prune = nullptr) const;

    /// Distinct-value estimate, NULL count and value range of a column.
    ColumnStatistics Statistics(size_t column) const;

    void AddColumn(LogicalType type, const Value& fill);
    void DropColumn(size_t column);

private:
    std::vector<LogicalType> types_;
    std::vector<std::shared_ptr<RowGroup>> row_groups_;
    std::vector<std::shared_ptr<StringHeap>> heaps_;
    std::vector<DistinctSketch> sketches_;  ///< per column; kept current for fixed-width columns only
    uint64_t version_ = 0;  ///< bumped by every change, to invalidate cached statistics
    mutable std::mutex statistics_mutex_;
    mutable std::vector<double> distinct_cache_;
    mutable uint64_t distinct_version_ = 0;

    double DistinctEstimate(size_t column) const;
    void AppendRows(const DataChunk& chunk, bool observe_zones);
    idx_t total_rows_ = 0;
    idx_t deleted_rows_ = 0;

    ColumnChunk& Chunk(row_t row_id, size_t column, idx_t& offset);
    /// Row group `index`, copied first if another version shares it.
    RowGroup& MutableGroup(size_t index);
    const ColumnChunk& Chunk(row_t row_id, size_t column, idx_t& offset) const;
};

}  // namespace grizzly::storage
