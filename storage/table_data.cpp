#include "storage/table_data.hpp"

#include <cstring>

namespace grizzly::storage {

ColumnChunk::ColumnChunk(LogicalType t) : type(t), width(PhysicalSize(t.Physical())) {
    data.reserve(width * kRowGroupSize);
}

RowGroup::RowGroup(const std::vector<LogicalType>& types, idx_t start_row) : start(start_row) {
    columns.reserve(types.size());
    for (auto& t : types) columns.emplace_back(t);
}

TableData::TableData(std::vector<LogicalType> types) : types_(std::move(types)) {
    for (size_t i = 0; i < types_.size(); ++i) heaps_.push_back(std::make_shared<StringHeap>());
}

void TableData::Append(const DataChunk& chunk) {
    idx_t n = chunk.ActiveCount();
    idx_t done = 0;
    while (done < n) {
        if (row_groups_.empty() || row_groups_.back()->count == kRowGroupSize)
            row_groups_.push_back(std::make_unique<RowGroup>(types_, total_rows_));
        RowGroup& rg = *row_groups_.back();
        idx_t take = std::min(n - done, kRowGroupSize - rg.count);
        for (size_t col = 0; col < types_.size(); ++col) {
            ColumnChunk& cc = rg.columns[col];
            const Vector& src = chunk.columns[col];
            size_t old_bytes = cc.data.size();
            cc.data.resize(old_bytes + take * cc.width);
            uint8_t* dst = cc.data.data() + old_bytes;
            bool is_string = cc.type.Physical() == PhysicalType::String;
            for (idx_t i = 0; i < take; ++i) {
                uint32_t src_row = chunk.ActiveRow(done + i);
                idx_t dst_row = rg.count + i;
                if (!src.Validity().RowIsValid(src_row)) {
                    cc.validity.SetInvalid(dst_row);
                    ++cc.null_count;
                    std::memset(dst + i * cc.width, 0, cc.width);
                    continue;
                }
                if (!cc.validity.AllValid()) cc.validity.SetValid(dst_row);
                if (is_string) {
                    StringRef s = heaps_[col]->Add(src.Data<StringRef>()[src_row].View());
                    std::memcpy(dst + i * cc.width, &s, sizeof(s));
                } else {
                    std::memcpy(dst + i * cc.width, src.RawData() + src_row * cc.width, cc.width);
                }
            }
        }
        if (!rg.alive.AllValid())
            for (idx_t i = 0; i < take; ++i) rg.alive.SetValid(rg.count + i);
        rg.count += take;
        total_rows_ += take;
        done += take;
    }
}

void TableData::Truncate(idx_t row_count) {
    while (!row_groups_.empty() && row_groups_.back()->start >= row_count) {
        deleted_rows_ -= row_groups_.back()->deleted_count;
        total_rows_ -= row_groups_.back()->count;
        row_groups_.pop_back();
    }
    if (row_groups_.empty()) return;
    RowGroup& rg = *row_groups_.back();
    idx_t keep = row_count - rg.start;
    for (idx_t row = keep; row < rg.count; ++row) {
        if (!rg.alive.RowIsValid(row)) {
            --rg.deleted_count;
            --deleted_rows_;
        }
    }
    for (auto& cc : rg.columns) {
        for (idx_t row = keep; row < rg.count; ++row)
            if (!cc.validity.RowIsValid(row)) --cc.null_count;
        cc.data.resize(keep * cc.width);
    }
    total_rows_ -= rg.count - keep;
    rg.count = keep;
}

ColumnChunk& TableData::Chunk(row_t row_id, size_t column, idx_t& offset) {
    auto rg = static_cast<idx_t>(row_id) / kRowGroupSize;
    offset = static_cast<idx_t>(row_id) % kRowGroupSize;
    return row_groups_[rg]->columns[column];
}

const ColumnChunk& TableData::Chunk(row_t row_id, size_t column, idx_t& offset) const {
    auto rg = static_cast<idx_t>(row_id) / kRowGroupSize;
    offset = static_cast<idx_t>(row_id) % kRowGroupSize;
    return row_groups_[rg]->columns[column];
}

bool TableData::Delete(row_t row_id) {
    RowGroup& rg = *row_groups_[static_cast<idx_t>(row_id) / kRowGroupSize];
    idx_t offset = static_cast<idx_t>(row_id) % kRowGroupSize;
    if (!rg.alive.RowIsValid(offset)) return false;
    if (rg.alive.AllValid()) rg.alive.Materialize(kRowGroupSize);
    rg.alive.SetInvalid(offset);
    ++rg.deleted_count;
    ++deleted_rows_;
    return true;
}

void TableData::Undelete(row_t row_id) {
    RowGroup& rg = *row_groups_[static_cast<idx_t>(row_id) / kRowGroupSize];
    idx_t offset = static_cast<idx_t>(row_id) % kRowGroupSize;
    if (rg.alive.RowIsValid(offset)) return;
    rg.alive.SetValid(offset);
    --rg.deleted_count;
    --deleted_rows_;
}

bool TableData::IsDeleted(row_t row_id) const {
    const RowGroup& rg = *row_groups_[static_cast<idx_t>(row_id) / kRowGroupSize];
    return !rg.alive.RowIsValid(static_cast<idx_t>(row_id) % kRowGroupSize);
}

void TableData::Update(row_t row_id, size_t column, const Vector& src, idx_t src_row) {
    idx_t offset;
    ColumnChunk& cc = Chunk(row_id, column, offset);
    bool was_valid = cc.validity.RowIsValid(offset);
    if (!src.Validity().RowIsValid(src_row)) {
        if (was_valid) ++cc.null_count;
        cc.validity.SetInvalid(offset);
        return;
    }
    if (!was_valid) --cc.null_count;
    cc.validity.SetValid(offset);
    uint8_t* dst = cc.data.data() + offset * cc.width;
    if (cc.type.Physical() == PhysicalType::String) {
        StringRef s = heaps_[column]->Add(src.Data<StringRef>()[src_row].View());
        std::memcpy(dst, &s, sizeof(s));
    } else {
        std::memcpy(dst, src.RawData() + src_row * cc.width, cc.width);
    }
}

Value TableData::GetValue(row_t row_id, size_t column) const {
    idx_t offset;
    const ColumnChunk& cc = Chunk(row_id, column, offset);
    Vector v = Vector::Borrow(cc.type, const_cast<uint8_t*>(cc.data.data()) + offset * cc.width);
    if (!cc.validity.RowIsValid(offset)) return Value::Null(cc.type);
    return v.GetValue(0);
}

bool TableData::Scan(ScanCursor& cursor, const std::vector<uint32_t>& column_ids, bool with_row_ids,
                     DataChunk& out) const {
    while (cursor.row_group < row_groups_.size()) {
        const RowGroup& rg = *row_groups_[cursor.row_group];
        if (cursor.offset >= rg.count) {
            ++cursor.row_group;
            cursor.offset = 0;
            continue;
        }
        idx_t start = cursor.offset;
        idx_t n = std::min<idx_t>(kVectorSize, rg.count - start);
        cursor.offset += n;
        out.columns.clear();
        for (uint32_t col : column_ids) {
            const ColumnChunk& cc = rg.columns[col];
            Vector v = Vector::Borrow(cc.type, const_cast<uint8_t*>(cc.data.data()) + start * cc.width, heaps_[col]);
            if (!cc.validity.AllValid() && cc.null_count > 0) {
                v.Validity().Materialize(n);
                const uint64_t* words = cc.validity.Words();
                size_t first_word = start / 64;
                for (size_t w = 0; w < (n + 63) / 64; ++w)
                    v.Validity().Words()[w] = first_word + w < cc.validity.WordCount() ? words[first_word + w]
                                                                                        : ~uint64_t(0);
            }
            out.columns.push_back(std::move(v));
        }
        if (with_row_ids) {
            Vector ids(LogicalType(TypeId::BigInt), n);
            auto* data = ids.Data<int64_t>();
            for (idx_t i = 0; i < n; ++i) data[i] = static_cast<int64_t>(rg.start + start + i);
            out.columns.push_back(std::move(ids));
        }
        out.size = n;
        out.has_sel = false;
        out.sel.indices.clear();
        if (rg.deleted_count > 0) {
            out.has_sel = true;
            for (idx_t i = 0; i < n; ++i)
                if (rg.alive.RowIsValid(start + i)) out.sel.indices.push_back(static_cast<uint32_t>(i));
            if (out.sel.indices.empty()) continue;
        }
        return true;
    }
    return false;
}

void TableData::AddColumn(LogicalType type, const Value& fill) {
    types_.push_back(type);
    heaps_.push_back(std::make_shared<StringHeap>());
    size_t col = types_.size() - 1;
    for (auto& rg : row_groups_) {
        rg->columns.emplace_back(type);
        ColumnChunk& cc = rg->columns.back();
        cc.data.resize(rg->count * cc.width);
        Vector tmp(type, 1);
        tmp.SetValue(0, fill);
        for (idx_t row = 0; row < rg->count; ++row) {
            if (fill.IsNull()) {
                cc.validity.SetInvalid(row);
                ++cc.null_count;
            } else if (type.Physical() == PhysicalType::String) {
                StringRef s = heaps_[col]->Add(fill.GetString());
                std::memcpy(cc.data.data() + row * cc.width, &s, sizeof(s));
            } else {
                std::memcpy(cc.data.data() + row * cc.width, tmp.RawData(), cc.width);
            }
        }
    }
}

void TableData::DropColumn(size_t column) {
    types_.erase(types_.begin() + static_cast<long>(column));
    heaps_.erase(heaps_.begin() + static_cast<long>(column));
    for (auto& rg : row_groups_) rg->columns.erase(rg->columns.begin() + static_cast<long>(column));
}

}  // namespace grizzly::storage
