#pragma once
/// Column vectors and chunks: the in-memory layout every executor and storage
/// share. A Vector holds up to `capacity` values of one physical type, a
/// validity bitmap (NULLs) and the string heaps its StringRefs point into.
/// A DataChunk is a set of equally long vectors plus an optional selection
/// vector naming the rows that are still active (filters select, not copy).

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/types.hpp"
#include "common/value.hpp"

namespace grizzly {

/// Append-only arena for string bytes. StringRefs into it stay valid for the
/// heap's lifetime; heaps can keep other heaps alive (for refs they copied).
class StringHeap {
public:
    /// Copies `s` into the heap unless it fits inline.
    StringRef Add(std::string_view s);
    /// Reserves `len` writable bytes (for building strings in place).
    char* Allocate(uint32_t len);
    void KeepAlive(const std::shared_ptr<StringHeap>& other);
    size_t BytesUsed() const { return bytes_used_; }

private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t block_used_ = 0;
    size_t block_size_ = 0;
    size_t bytes_used_ = 0;
    std::vector<std::shared_ptr<StringHeap>> kept_;
};

/// NULL bitmap: bit set = valid. An empty mask means every row is valid, so
/// NULL-free columns cost nothing.
class ValidityMask {
public:
    bool AllValid() const { return bits_.empty(); }
    /// Rows past the materialized words are valid (SetInvalid only grows the mask as far as it needs).
    bool RowIsValid(idx_t row) const {
        return bits_.empty() || (row >> 6) >= bits_.size() || ((bits_[row >> 6] >> (row & 63)) & 1);
    }
    void SetInvalid(idx_t row) {
        if (bits_.empty()) Materialize(row + 1);
        else if ((row >> 6) >= bits_.size()) bits_.resize((row >> 6) + 1, ~uint64_t(0));
        bits_[row >> 6] &= ~(uint64_t(1) << (row & 63));
    }
    void SetValid(idx_t row) {
        if (bits_.empty()) return;
        if ((row >> 6) >= bits_.size()) bits_.resize((row >> 6) + 1, ~uint64_t(0));
        bits_[row >> 6] |= uint64_t(1) << (row & 63);
    }
    void Set(idx_t row, bool valid) { valid ? SetValid(row) : SetInvalid(row); }
    /// Makes the mask explicit for `capacity` rows, all valid.
    void Materialize(idx_t capacity) { bits_.assign((capacity + 63) / 64, ~uint64_t(0)); }
    void Reset() { bits_.clear(); }
    uint64_t* Words() { return bits_.data(); }
    const uint64_t* Words() const { return bits_.data(); }
    size_t WordCount() const { return bits_.size(); }
    /// Rows valid here and in `other` (word-wise AND).
    void Intersect(const ValidityMask& other, idx_t count);

private:
    std::vector<uint64_t> bits_;
};

/// Indices of active rows, in increasing order.
struct SelectionVector {
    std::vector<uint32_t> indices;
};

class Vector {
public:
    Vector() = default;
    /// An owning vector with room for `capacity` values.
    explicit Vector(LogicalType type, idx_t capacity = kVectorSize);

    /// A vector over memory it does not own (storage column data). The memory
    /// and `heap` must outlive the vector's use.
    static Vector Borrow(LogicalType type, uint8_t* data, std::shared_ptr<StringHeap> heap = nullptr);

    const LogicalType& Type() const { return type_; }
    PhysicalType Physical() const { return physical_; }
    idx_t Capacity() const { return capacity_; }
    template <class T>
    T* Data() {
        return reinterpret_cast<T*>(data_);
    }
    template <class T>
    const T* Data() const {
        return reinterpret_cast<const T*>(data_);
    }
    uint8_t* RawData() { return data_; }
    const uint8_t* RawData() const { return data_; }
    ValidityMask& Validity() { return validity_; }
    const ValidityMask& Validity() const { return validity_; }

    /// The heap owned by this vector, created on first use.
    StringHeap& Heap();
    const std::shared_ptr<StringHeap>& HeapPtr() const { return heap_; }
    /// Copies `s` into this vector's heap (or inline) and returns the ref.
    StringRef AddString(std::string_view s) { return Heap().Add(s); }
    /// Makes this vector's heap keep the strings of `other` alive (after copying refs from it).
    void KeepStringsAlive(const Vector& other);

    /// Gives the vector another logical type with the same physical layout
    /// (binary-compatible casts need no copy).
    void Relabel(LogicalType type);

    /// Boxed access, for constants, results and tests — never in kernels.
    Value GetValue(idx_t row) const;
    void SetValue(idx_t row, const Value& v);
    /// Copies row `src_row` of `src` (same physical type) into row `dst_row`.
    void CopyRow(const Vector& src, idx_t src_row, idx_t dst_row);

private:
    LogicalType type_;
    PhysicalType physical_ = PhysicalType::Int32;
    idx_t capacity_ = 0;
    std::shared_ptr<uint8_t[]> owned_;  // shared so that projections can pass a column on without copying
    uint8_t* data_ = nullptr;
    ValidityMask validity_;
    std::shared_ptr<StringHeap> heap_;
};

/// Rows flowing between operators: `size` physical rows in each column; when
/// `has_sel`, only the rows listed in `sel` are active.
class DataChunk {
public:
    DataChunk() = default;
    void Initialize(const std::vector<LogicalType>& types, idx_t capacity = kVectorSize);

    std::vector<Vector> columns;
    idx_t size = 0;
    bool has_sel = false;
    SelectionVector sel;

    idx_t ColumnCount() const { return columns.size(); }
    /// Number of active rows.
    idx_t ActiveCount() const { return has_sel ? sel.indices.size() : size; }
    /// Physical index of the i-th active row.
    uint32_t ActiveRow(idx_t i) const { return has_sel ? sel.indices[i] : static_cast<uint32_t>(i); }
    void Reset() {
        size = 0;
        has_sel = false;
        sel.indices.clear();
        for (auto& c : columns) c.Validity().Reset();
    }
    /// Copies the active rows into a dense chunk (no selection).
    DataChunk Compact() const;
    std::vector<LogicalType> Types() const;
};

/// Calls f(row) for each active row of a chunk.
template <class F>
inline void ForEachActive(const DataChunk& chunk, F&& f) {
    if (chunk.has_sel) {
        for (uint32_t row : chunk.sel.indices) f(row);
    } else {
        for (uint32_t row = 0; row < chunk.size; ++row) f(row);
    }
}

}  // namespace grizzly
