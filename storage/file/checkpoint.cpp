#include "storage/file/checkpoint.hpp"

#include <algorithm>

#include "storage/file/segment.hpp"

namespace grizzly::storage {

namespace {

constexpr uint32_t kCatalogMagic = 0x47434154;  // "GCAT"

void WriteStrings(BinaryWriter& w, const std::vector<std::string>& list) {
    w.U32(static_cast<uint32_t>(list.size()));
    for (auto& s : list) w.Str(s);
}

std::vector<std::string> ReadStrings(BinaryReader& r) {
    uint32_t n = r.U32();
    std::vector<std::string> out;
    for (uint32_t i = 0; i < n; ++i) out.push_back(r.Str());
    return out;
}

// One row group: its row count, the deletion bitmap if any row is deleted, one segment per column.
void WriteRowGroup(BinaryWriter& w, const RowGroup& rg) {
    w.U32(static_cast<uint32_t>(rg.count));
    w.U8(rg.deleted_count > 0);
    if (rg.deleted_count > 0) {
        std::vector<uint64_t> alive = BitmapWords(rg.alive, rg.count);
        WriteFrame(w, std::string_view(reinterpret_cast<const char*>(alive.data()), alive.size() * 8));
    }
    for (const ColumnChunk& cc : rg.columns) WriteColumnSegment(w, cc, rg.count);
}

void WriteTable(BinaryWriter& w, TableEntry& table, RowGroupStore* store) {
    w.Str(table.Name());
    w.U32(static_cast<uint32_t>(table.Columns().size()));
    for (auto& c : table.Columns()) {
        w.Str(c.name);
        EncodeType(w, c.type);
        w.U8(c.not_null);
        w.Str(c.default_sql);
    }
    w.U32(static_cast<uint32_t>(table.checks.size()));
    for (auto& check : table.checks) {
        w.Str(check.name);
        w.Str(check.sql);
    }
    w.U32(static_cast<uint32_t>(table.unique_indexes.size()));
    for (auto& index : table.unique_indexes) {
        w.Str(index->Name());
        w.U32(static_cast<uint32_t>(index->Columns().size()));
        for (uint32_t c : index->Columns()) w.U32(c);
        w.U8(index->IsPrimary());
    }
    // Rows one row group at a time, deleted ones included, so row ids survive.
    const TableData& data = table.Data();
    w.U64(data.RowCount());
    for (const auto& rg : data.RowGroups()) {
        if (!store) {
            WriteRowGroup(w, *rg);
            continue;
        }
        store->Put(w, rg, [&rg] {
            BinaryWriter bytes;
            WriteRowGroup(bytes, *rg);
            return std::move(bytes.Bytes());
        });
    }
}

// Reads one row group written by WriteRowGroup and appends it to `data`.
void ReadRowGroup(BinaryReader& r, const std::string& name, const std::vector<ColumnDefinition>& columns,
                  uint64_t rows, TableData& data) {
    // Append cuts row groups at kRowGroupSize; the file must agree, or row ids would shift.
    uint32_t n = r.U32();
    if (n != std::min<uint64_t>(kRowGroupSize, rows - data.RowCount())) throw r.Corrupt("bad row group size");
    uint8_t has_deleted = r.U8();
    if (has_deleted > 1) throw r.Corrupt("bad row group flags");
    ValidityMask alive;
    if (has_deleted) {
        std::string bytes = ReadFrame(r);
        BinaryReader bits(bytes, r.What());
        ReadBitmap(bits, n, alive);
        if (!bits.AtEnd()) throw bits.Corrupt("trailing bytes after a deletion bitmap");
    }
    DataChunk chunk;
    std::vector<std::vector<Zone>> zones;
    for (size_t col = 0; col < columns.size(); ++col) {
        std::string what = "column \"" + columns[col].name + "\" of table \"" + name + "\" in " + r.What();
        ColumnSegment segment = ReadColumnSegment(r, columns[col].type, n, what);
        chunk.columns.push_back(std::move(segment.values));
        zones.push_back(std::move(segment.zones));
    }
    chunk.size = n;
    row_t first = static_cast<row_t>(data.RowCount());
    data.AppendRowGroup(chunk, std::move(zones));
    if (has_deleted)
        for (uint32_t i = 0; i < n; ++i)
            if (!alive.RowIsValid(i)) data.Delete(first + i);
}

void ReadTable(BinaryReader& r, Catalog& catalog, UndoLog& undo, RowGroupStore* store) {
    std::string name = r.Str();
    uint32_t ncols = r.U32();
    // Checked before allocating: a damaged count must not ask for gigabytes.
    if (ncols > r.Remaining()) throw r.Corrupt("column count out of range");
    std::vector<ColumnDefinition> columns(ncols);
    for (auto& c : columns) {
        c.name = r.Str();
        c.type = DecodeType(r);
        c.not_null = r.U8() != 0;
        c.default_sql = r.Str();
    }
    TableEntry* table = catalog.CreateTable(std::make_unique<TableEntry>(name, columns), undo);
    uint32_t nchecks = r.U32();
    for (uint32_t i = 0; i < nchecks; ++i) {
        CheckConstraint check;
        check.name = r.Str();
        check.sql = r.Str();
        table->checks.push_back(std::move(check));
    }
    uint32_t nunique = r.U32();
    for (uint32_t i = 0; i < nunique; ++i) {
        std::string index_name = r.Str();
        uint32_t n = r.U32();
        std::vector<uint32_t> cols;
        for (uint32_t k = 0; k < n; ++k) {
            uint32_t c = r.U32();
            if (c >= ncols) throw r.Corrupt("index column out of range");
            cols.push_back(c);
        }
        bool primary = r.U8() != 0;
        table->unique_indexes.push_back(std::make_unique<UniqueIndex>(index_name, cols, primary));
    }
    uint64_t rows = r.U64();
    TableData& data = table->MutableData();
    while (data.RowCount() < rows) {
        if (!store) {
            ReadRowGroup(r, name, columns, rows, data);
            continue;
        }
        std::string bytes = store->Get(r);
        BinaryReader group(bytes, r.What());
        ReadRowGroup(group, name, columns, rows, data);
        if (!group.AtEnd()) throw group.Corrupt("trailing bytes after a row group");
        store->Loaded(data.RowGroups().back());
    }
    for (auto& index : table->unique_indexes)
        if (!index->Rebuild(data)) throw r.Corrupt("duplicate key in unique index \"" + index->Name() + "\"");
}

}  // namespace

void EncodeType(BinaryWriter& w, LogicalType type) {
    w.U8(static_cast<uint8_t>(type.id));
    w.U8(type.width);
    w.U8(type.scale);
}

LogicalType DecodeType(BinaryReader& r) {
    uint8_t id = r.U8();
    uint8_t width = r.U8();
    uint8_t scale = r.U8();
    if (id > static_cast<uint8_t>(TypeId::Interval)) throw r.Corrupt("unknown type");
    return LogicalType(static_cast<TypeId>(id), width, scale);
}

void EncodeVector(BinaryWriter& w, const Vector& v, idx_t count) {
    const ValidityMask& valid = v.Validity();
    bool has_nulls = false;
    for (idx_t i = 0; i < count && !has_nulls; ++i) has_nulls = !valid.RowIsValid(i);
    w.U8(has_nulls);
    if (has_nulls)
        for (idx_t i = 0; i < count; ++i) w.U8(valid.RowIsValid(i));
    if (v.Physical() == PhysicalType::String) {
        const StringRef* s = v.Data<StringRef>();
        for (idx_t i = 0; i < count; ++i) w.Str(valid.RowIsValid(i) ? s[i].View() : std::string_view());
        return;
    }
    w.Raw(v.RawData(), count * PhysicalSize(v.Physical()));
}

Vector DecodeVector(BinaryReader& r, LogicalType type, idx_t count) {
    Vector v(type, std::max<idx_t>(count, 1));
    bool has_nulls = r.U8() != 0;
    if (has_nulls)
        for (idx_t i = 0; i < count; ++i)
            if (!r.U8()) v.Validity().SetInvalid(i);
    if (type.Physical() == PhysicalType::String) {
        StringRef* s = v.Data<StringRef>();
        for (idx_t i = 0; i < count; ++i) {
            uint32_t n = r.U32();
            s[i] = v.AddString(std::string_view(r.Take(n), n));
        }
        return v;
    }
    size_t bytes = count * PhysicalSize(type.Physical());
    std::memcpy(v.RawData(), r.Take(bytes), bytes);
    return v;
}

std::string SerializeDatabase(const Catalog& catalog, RowGroupStore* store) {
    BinaryWriter w;
    w.U32(kCatalogMagic);
    w.U8(store != nullptr);  // row groups inline (0) or in blocks of their own (1)
    auto macros = catalog.Macros();
    w.U32(static_cast<uint32_t>(macros.size()));
    for (const MacroEntry* m : macros) {
        w.Str(m->name);
        WriteStrings(w, m->params);
        w.U32(static_cast<uint32_t>(m->param_types.size()));
        for (auto& t : m->param_types) EncodeType(w, t);
        w.Str(m->body_sql);
        w.U8(m->has_return_type);
        EncodeType(w, m->return_type);
    }
    auto tables = catalog.Tables();
    w.U32(static_cast<uint32_t>(tables.size()));
    for (TableEntry* t : tables) WriteTable(w, *t, store);
    auto views = catalog.Views();
    w.U32(static_cast<uint32_t>(views.size()));
    for (const ViewEntry* v : views) {
        w.Str(v->name);
        WriteStrings(w, v->column_names);
        w.Str(v->query_sql);
    }
    auto indexes = catalog.Indexes();
    w.U32(static_cast<uint32_t>(indexes.size()));
    for (const IndexEntry* i : indexes) {
        w.Str(i->name);
        w.Str(i->table);
        WriteStrings(w, i->columns);
        w.U8(i->unique);
        w.Str(i->sql);
    }
    auto triggers = catalog.Triggers();
    w.U32(static_cast<uint32_t>(triggers.size()));
    for (const TriggerEntry* t : triggers) {
        w.Str(t->name);
        w.Str(t->table);
        w.U32(static_cast<uint32_t>(t->timing));
        w.U32(static_cast<uint32_t>(t->event));
        WriteStrings(w, t->update_columns);
        w.Str(t->when_sql);
        WriteStrings(w, t->body_sql);
    }
    w.U32(static_cast<uint32_t>(catalog.settings.size()));
    for (auto& [name, value] : catalog.settings) {
        w.Str(name);
        w.Str(value);
    }
    return std::move(w.Bytes());
}

void DeserializeDatabase(std::string_view bytes, Catalog& catalog, const std::string& what, RowGroupStore* store) {
    BinaryReader r(bytes, what);
    if (r.U32() != kCatalogMagic) throw r.Corrupt("no catalog");
    uint8_t stored = r.U8();
    if (stored > 1 || (stored == 1 && !store)) throw r.Corrupt("row groups stored where this reader cannot find them");
    if (!stored) store = nullptr;
    UndoLog undo;  // nothing to roll back to: a failed load discards the whole catalog
    uint32_t n = r.U32();
    for (uint32_t i = 0; i < n; ++i) {
        auto m = std::make_unique<MacroEntry>();
        m->name = r.Str();
        m->params = ReadStrings(r);
        uint32_t ntypes = r.U32();
        for (uint32_t k = 0; k < ntypes; ++k) m->param_types.push_back(DecodeType(r));
        m->body_sql = r.Str();
        m->has_return_type = r.U8() != 0;
        m->return_type = DecodeType(r);
        catalog.CreateMacro(std::move(m), undo);
    }
    n = r.U32();
    for (uint32_t i = 0; i < n; ++i) ReadTable(r, catalog, undo, store);
    n = r.U32();
    for (uint32_t i = 0; i < n; ++i) {
        auto v = std::make_unique<ViewEntry>();
        v->name = r.Str();
        v->column_names = ReadStrings(r);
        v->query_sql = r.Str();
        catalog.CreateView(std::move(v), undo);
    }
    n = r.U32();
    for (uint32_t i = 0; i < n; ++i) {
        auto idx = std::make_unique<IndexEntry>();
        idx->name = r.Str();
        idx->table = r.Str();
        idx->columns = ReadStrings(r);
        idx->unique = r.U8() != 0;
        idx->sql = r.Str();
        catalog.CreateIndex(std::move(idx), undo);
    }
    n = r.U32();
    for (uint32_t i = 0; i < n; ++i) {
        auto t = std::make_unique<TriggerEntry>();
        t->name = r.Str();
        t->table = r.Str();
        t->timing = static_cast<int>(r.U32());
        t->event = static_cast<int>(r.U32());
        t->update_columns = ReadStrings(r);
        t->when_sql = r.Str();
        t->body_sql = ReadStrings(r);
        catalog.CreateTrigger(std::move(t), undo);
    }
    n = r.U32();
    for (uint32_t i = 0; i < n; ++i) {
        std::string name = r.Str();
        catalog.settings[name] = r.Str();
    }
    if (!r.AtEnd()) throw r.Corrupt("trailing bytes after the catalog");
}

}  // namespace grizzly::storage
