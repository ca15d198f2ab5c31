#pragma once
/// An owning, append-only list of dense chunks: materialized results, build
/// sides, sort input.

#include <vector>

#include "common/common.hpp"
#include "runtime/memory_tracker.hpp"

namespace grizzly::runtime {

class ChunkCollection {
public:
    ChunkCollection() = default;
    explicit ChunkCollection(std::vector<LogicalType> types) : types_(std::move(types)) {}

    const std::vector<LogicalType>& Types() const { return types_; }
    void SetTypes(std::vector<LogicalType> types) { types_ = std::move(types); }
    /// Appends the active rows of `chunk` (copied into dense chunks of kVectorSize).
    void Append(const DataChunk& chunk);
    /// Appends the rows of `other` after these (moved when these fill whole chunks).
    void Append(ChunkCollection&& other);
    /// Appends row `row` of `columns` (one vector per column).
    void AppendRow(const std::vector<Vector>& columns, uint32_t row);
    idx_t RowCount() const { return rows_; }
    const std::vector<DataChunk>& Chunks() const { return chunks_; }
    std::vector<DataChunk>& Chunks() { return chunks_; }
    /// dst[offset + i] = row rows[i] of `column` (global row numbers), for i in [0, n).
    void Gather(size_t column, const uint32_t* rows, idx_t n, Vector& dst, idx_t offset = 0) const;
    /// The heap that keeps every appended chunk's strings alive: a vector holding
    /// string refs copied from here keeps this one alive.
    const std::shared_ptr<StringHeap>& Strings() const { return strings_; }
    /// Value at a global row index (rows are numbered chunk * kVectorSize + offset).
    Value GetValue(idx_t row, size_t column) const {
        return chunks_[row / kVectorSize].columns[column].GetValue(row % kVectorSize);
    }

private:
    std::vector<LogicalType> types_;
    std::vector<DataChunk> chunks_;
    idx_t rows_ = 0;
    /// Keeps alive the string heaps of every appended chunk, for vectors gathered from here.
    std::shared_ptr<StringHeap> strings_ = std::make_shared<StringHeap>();
    /// The chunks' bytes, counted against the statement's memory_limit.
    TrackedMemory memory_;
    uint64_t RowBytes() const;
};

}  // namespace grizzly::runtime
