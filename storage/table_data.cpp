#include "storage/table_data.hpp"

#include <cstring>

namespace grizzly::storage {

ColumnChunk::ColumnChunk(LogicalType t) : type(t), width(PhysicalSize(t.Physical())), zone_kind(ZoneKindOf(t)) {
    data.reserve(width * kRowGroupSize);
}

ColumnChunk::ColumnChunk(const ColumnChunk& other)
    : type(other.type),
      width(other.width),
      validity(other.validity),
      null_count(other.null_count),
      zone_kind(other.zone_kind),
      zones(other.zones) {
    data.reserve(width * kRowGroupSize);
    data.assign(other.data.begin(), other.data.end());
}

void ColumnChunk::Observe(idx_t row, const uint8_t* value) {
    if (zone_kind == ZoneKind::None) return;
    size_t z = row / kVectorSize;
    if (z >= zones.size()) zones.resize(z + 1);
    WidenZone(zones[z], zone_kind, width, value);
}

namespace {

// Whether some value in `zone` may satisfy `value op constant`.
template <class T>
bool MaySatisfy(T min, T max, ZonePredicate::Op op, T c) {
    switch (op) {
    case ZonePredicate::Op::Eq: return min <= c && c <= max;
    case ZonePredicate::Op::Lt: return min < c;
    case ZonePredicate::Op::LtEq: return min <= c;
    case ZonePredicate::Op::Gt: return max > c;
    case ZonePredicate::Op::GtEq: return max >= c;
    }
    return true;
}

}  // namespace

bool VectorMayMatch(const RowGroup& rg, size_t vector, const std::vector<ZonePredicate>& prune) {
    for (const ZonePredicate& p : prune) {
        const ColumnChunk& cc = rg.columns[p.column];
        if (cc.zone_kind == ZoneKind::None || vector >= cc.zones.size()) continue;
        const Zone& zone = cc.zones[vector];
        if (!zone.has_values) return false;  // only NULLs: no comparison is true
        bool may = cc.zone_kind == ZoneKind::Floating ? MaySatisfy(zone.min.d, zone.max.d, p.op, p.constant.min.d)
                                                      : MaySatisfy(zone.min.i, zone.max.i, p.op, p.constant.min.i);
        if (!may) return false;
    }
    return true;
}

RowGroup::RowGroup(const std::vector<LogicalType>& types, idx_t start_row) : start(start_row) {
    columns.reserve(types.size());
    for (auto& t : types) columns.emplace_back(t);
}

TableData::TableData(std::vector<LogicalType> types) : types_(std::move(types)), sketches_(types_.size()) {
    for (size_t i = 0; i < types_.size(); ++i) heaps_.push_back(std::make_shared<StringHeap>());
}

std::shared_ptr<TableData> TableData::Fork() const {
    auto fork = std::make_shared<TableData>(std::vector<LogicalType>{});
    fork->types_ = types_;
    fork->row_groups_ = row_groups_;
    fork->heaps_ = heaps_;
    fork->sketches_ = sketches_;
    fork->version_ = version_;
    fork->total_rows_ = total_rows_;
    fork->deleted_rows_ = deleted_rows_;
    return fork;
}

std::shared_ptr<TableData> TableData::Compact() const {
    auto compact = std::make_shared<TableData>(types_);
    std::vector<uint32_t> all(types_.size());
    for (uint32_t c = 0; c < all.size(); ++c) all[c] = c;
    ScanCursor cursor;
    DataChunk chunk;
    while (Scan(cursor, all, false, chunk)) compact->Append(chunk);
    return compact;
}

RowGroup& TableData::MutableGroup(size_t index) {
    std::shared_ptr<RowGroup>& group = row_groups_[index];
    // Only the owning transaction holds extra references to a private group, never a reader.
    if (group.use_count() > 1) group = std::make_shared<RowGroup>(*group);
    return *group;
}

void TableData::Append(const DataChunk& chunk) { AppendRows(chunk, true); }

void TableData::AppendRowGroup(const DataChunk& chunk, std::vector<std::vector<Zone>> zones) {
    GZ_CHECK(!chunk.has_sel && chunk.size <= kRowGroupSize && zones.size() == types_.size(),
             "AppendRowGroup takes one row group's rows and a zone map per column");
    GZ_CHECK(total_rows_ % kRowGroupSize == 0, "AppendRowGroup starts a new row group");
    if (chunk.size == 0) return;
    AppendRows(chunk, false);
    RowGroup& rg = *row_groups_.back();
    for (size_t col = 0; col < types_.size(); ++col) rg.columns[col].zones = std::move(zones[col]);
}

void TableData::AppendRows(const DataChunk& chunk, bool observe_zones) {
    ++version_;
    idx_t n = chunk.ActiveCount();
    idx_t done = 0;
    while (done < n) {
        if (row_groups_.empty() || row_groups_.back()->count == kRowGroupSize)
            row_groups_.push_back(std::make_shared<RowGroup>(types_, total_rows_));
        RowGroup& rg = MutableGroup(row_groups_.size() - 1);
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
                    if (observe_zones) cc.Observe(dst_row, dst + i * cc.width);
                    if (cc.zone_kind != ZoneKind::None) sketches_[col].Add(FixedWidthHash(dst + i * cc.width, cc.width));
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
    ++version_;
    while (!row_groups_.empty() && row_groups_.back()->start >= row_count) {
        deleted_rows_ -= row_groups_.back()->deleted_count;
        total_rows_ -= row_groups_.back()->count;
        row_groups_.pop_back();
    }
    if (row_groups_.empty()) return;
    RowGroup& rg = MutableGroup(row_groups_.size() - 1);
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
    return MutableGroup(rg).columns[column];
}

const ColumnChunk& TableData::Chunk(row_t row_id, size_t column, idx_t& offset) const {
    auto rg = static_cast<idx_t>(row_id) / kRowGroupSize;
    offset = static_cast<idx_t>(row_id) % kRowGroupSize;
    return row_groups_[rg]->columns[column];
}

bool TableData::Delete(row_t row_id) {
    idx_t offset = static_cast<idx_t>(row_id) % kRowGroupSize;
    if (!row_groups_[static_cast<idx_t>(row_id) / kRowGroupSize]->alive.RowIsValid(offset)) return false;
    RowGroup& rg = MutableGroup(static_cast<idx_t>(row_id) / kRowGroupSize);
    if (rg.alive.AllValid()) rg.alive.Materialize(kRowGroupSize);
    rg.alive.SetInvalid(offset);
    ++rg.deleted_count;
    ++deleted_rows_;
    return true;
}

void TableData::Undelete(row_t row_id) {
    idx_t offset = static_cast<idx_t>(row_id) % kRowGroupSize;
    if (row_groups_[static_cast<idx_t>(row_id) / kRowGroupSize]->alive.RowIsValid(offset)) return;
    RowGroup& rg = MutableGroup(static_cast<idx_t>(row_id) / kRowGroupSize);
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
        cc.Observe(offset, dst);
        if (cc.zone_kind != ZoneKind::None) sketches_[column].Add(StatisticsHash(cc.type.Physical(), dst));
    }
    ++version_;
}

Value TableData::GetValue(row_t row_id, size_t column) const {
    idx_t offset;
    const ColumnChunk& cc = Chunk(row_id, column, offset);
    Vector v = Vector::Borrow(cc.type, const_cast<uint8_t*>(cc.data.data()) + offset * cc.width);
    if (!cc.validity.RowIsValid(offset)) return Value::Null(cc.type);
    return v.GetValue(0);
}

bool TableData::Scan(ScanCursor& cursor, const std::vector<uint32_t>& column_ids, bool with_row_ids,
                     DataChunk& out, const std::vector<ZonePredicate>* prune) const {
    while (cursor.row_group < row_groups_.size()) {
        if (cursor.row_group > cursor.end_row_group ||
            (cursor.row_group == cursor.end_row_group && cursor.offset >= cursor.end_offset))
            return false;
        const RowGroup& rg = *row_groups_[cursor.row_group];
        if (cursor.offset >= rg.count) {
            ++cursor.row_group;
            cursor.offset = 0;
            continue;
        }
        idx_t start = cursor.offset;
        idx_t n = std::min<idx_t>(kVectorSize, rg.count - start);
        cursor.offset += n;
        if (prune && !VectorMayMatch(rg, start / kVectorSize, *prune)) continue;
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
    for (size_t g = 0; g < row_groups_.size(); ++g) {
        RowGroup* rg = &MutableGroup(g);
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
                cc.Observe(row, tmp.RawData());
            }
        }
    }
    sketches_.emplace_back();
    if (!fill.IsNull() && !row_groups_.empty() && ZoneKindOf(type) != ZoneKind::None) {
        Vector tmp(type, 1);
        tmp.SetValue(0, fill);
        sketches_.back().Add(StatisticsHash(type.Physical(), tmp.RawData()));
    }
    ++version_;
}

void TableData::DropColumn(size_t column) {
    types_.erase(types_.begin() + static_cast<long>(column));
    heaps_.erase(heaps_.begin() + static_cast<long>(column));
    sketches_.erase(sketches_.begin() + static_cast<long>(column));
    ++version_;
    for (size_t g = 0; g < row_groups_.size(); ++g) {
        RowGroup& rg = MutableGroup(g);
        rg.columns.erase(rg.columns.begin() + static_cast<long>(column));
    }
}

ColumnStatistics TableData::Statistics(size_t column) const {
    ColumnStatistics stats;
    stats.kind = ZoneKindOf(types_[column]);
    for (const auto& rg : row_groups_) {
        const ColumnChunk& cc = rg->columns[column];
        stats.null_count += cc.null_count;
        for (const Zone& zone : cc.zones) {
            if (!zone.has_values) continue;
            if (!stats.range.has_values) {
                stats.range = zone;
                continue;
            }
            if (stats.kind == ZoneKind::Floating) {
                stats.range.min.d = std::min(stats.range.min.d, zone.min.d);
                stats.range.max.d = std::max(stats.range.max.d, zone.max.d);
            } else {
                stats.range.min.i = std::min(stats.range.min.i, zone.min.i);
                stats.range.max.i = std::max(stats.range.max.i, zone.max.i);
            }
        }
    }
    double live = static_cast<double>(LiveRowCount() - std::min(LiveRowCount(), stats.null_count));
    stats.distinct = std::min(DistinctEstimate(column), live);
    return stats;
}

double TableData::DistinctEstimate(size_t column) const {
    // Numbers are sketched as they are appended (cheap); strings on first use,
    // kept until the table changes, so loads do not hash every comment.
    std::lock_guard<std::mutex> lock(statistics_mutex_);
    if (distinct_cache_.size() != types_.size() || distinct_version_ != version_) {
        distinct_cache_.assign(types_.size(), -1);
        distinct_version_ = version_;
    }
    if (distinct_cache_[column] >= 0) return distinct_cache_[column];
    if (ZoneKindOf(types_[column]) != ZoneKind::None) return distinct_cache_[column] = sketches_[column].Estimate();
    DistinctSketch sketch;
    PhysicalType physical = types_[column].Physical();
    for (const auto& rg : row_groups_) {
        const ColumnChunk& cc = rg->columns[column];
        for (idx_t row = 0; row < rg->count; ++row)
            if (cc.validity.RowIsValid(row)) sketch.Add(StatisticsHash(physical, cc.data.data() + row * cc.width));
    }
    distinct_cache_[column] = sketch.Estimate();
    return distinct_cache_[column];
}

}  // namespace grizzly::storage
