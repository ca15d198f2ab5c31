#include "storage/catalog.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>

namespace grizzly::storage {

// ---- UniqueIndex ----

bool UniqueIndex::MakeKey(const std::vector<Value>& values, std::string& key) {
    key.clear();
    for (const auto& v : values) {
        if (v.IsNull()) return false;
        // -0.0 and 0.0 are one key, as they are one group.
        std::string part =
            v.Type().Physical() == PhysicalType::Double ? FormatDouble(v.GetDouble() == 0 ? 0.0 : v.GetDouble()) : v.ToString();
        uint32_t len = static_cast<uint32_t>(part.size());
        key.append(reinterpret_cast<const char*>(&len), sizeof(len));
        key += part;
    }
    return true;
}

bool UniqueIndex::Insert(const std::string& key, row_t row) { return map_.emplace(key, row).second; }

void UniqueIndex::Erase(const std::string& key) { map_.erase(key); }

bool UniqueIndex::Rebuild(const TableData& data) {
    map_.clear();
    std::vector<Value> values(columns_.size());
    std::string key;
    for (row_t row = 0; row < static_cast<row_t>(data.RowCount()); ++row) {
        if (data.IsDeleted(row)) continue;
        for (size_t i = 0; i < columns_.size(); ++i) values[i] = data.GetValue(row, columns_[i]);
        if (MakeKey(values, key) && !Insert(key, row)) return false;
    }
    return true;
}

// ---- TableEntry ----

static std::vector<LogicalType> TypesOf(const std::vector<ColumnDefinition>& columns) {
    std::vector<LogicalType> types;
    for (auto& c : columns) types.push_back(c.type);
    return types;
}

static std::atomic<uint64_t> next_table_id{1};

TableEntry::TableEntry(std::string name, std::vector<ColumnDefinition> columns)
    : name_(std::move(name)),
      columns_(std::move(columns)),
      id_(next_table_id.fetch_add(1, std::memory_order_relaxed)),
      committed_(std::make_shared<TableData>(TypesOf(columns_))) {}

const TableData& TableEntry::Data() const {
    Transaction* txn = Transaction::Current();
    return txn && owner_ ? txn->Read(*this) : *committed_;
}

TableData& TableEntry::MutableData() {
    Transaction* txn = Transaction::Current();
    return txn && owner_ ? txn->Write(*this) : *committed_;
}

std::shared_ptr<TableData> TableEntry::ReplaceData(std::shared_ptr<TableData> data) {
    Transaction* txn = Transaction::Current();
    if (txn && owner_) return txn->Replace(*this, std::move(data));
    std::swap(committed_, data);
    return data;
}

int TableEntry::ColumnIndex(const std::string& name) const {
    for (size_t i = 0; i < columns_.size(); ++i)
        if (columns_[i].name == name) return static_cast<int>(i);
    return -1;
}

std::vector<LogicalType> TableEntry::Types() const { return TypesOf(columns_); }

// ---- UndoLog ----

void UndoLog::RecordAppend(TableEntry* table, idx_t old_row_count) {
    Entry e;
    e.kind = Entry::Append;
    e.table = table;
    e.count = old_row_count;
    entries_.push_back(std::move(e));
}

void UndoLog::RecordDelete(TableEntry* table, row_t row) {
    Entry e;
    e.kind = Entry::Delete;
    e.table = table;
    e.row = row;
    entries_.push_back(std::move(e));
}

void UndoLog::RecordUpdate(TableEntry* table, row_t row, size_t column, Value old_value) {
    Entry e;
    e.kind = Entry::Update;
    e.table = table;
    e.row = row;
    e.column = column;
    e.old_value = std::move(old_value);
    entries_.push_back(std::move(e));
}

void UndoLog::RecordRewrite(TableEntry* table, std::shared_ptr<TableData> previous) {
    Entry e;
    e.kind = Entry::Rewrite;
    e.table = table;
    e.previous = std::move(previous);
    entries_.push_back(std::move(e));
}

void UndoLog::RecordCatalog(std::function<void()> undo) {
    Entry e;
    e.kind = Entry::CatalogChange;
    e.undo = std::move(undo);
    entries_.push_back(std::move(e));
}

void UndoLog::RollbackTo(size_t savepoint) {
    // Index contents follow the data; rebuilding after a rollback is simpler than undoing each key.
    // Rebuild before any catalog change is undone: undoing a CREATE TABLE frees the table.
    std::vector<TableEntry*> touched;
    auto rebuild_touched = [&touched] {
        for (TableEntry* table : touched)
            for (auto& index : table->unique_indexes) index->Rebuild(table->Data());
        touched.clear();
    };
    while (entries_.size() > savepoint) {
        Entry& e = entries_.back();
        if (e.kind == Entry::CatalogChange) rebuild_touched();
        switch (e.kind) {
        case Entry::Append: e.table->MutableData().Truncate(e.count); break;
        case Entry::Delete: e.table->MutableData().Undelete(e.row); break;
        case Entry::Update: {
            Vector v(e.table->Columns()[e.column].type, 1);
            v.SetValue(0, e.old_value);
            e.table->MutableData().Update(e.row, e.column, v, 0);
            break;
        }
        case Entry::CatalogChange: e.undo(); break;
        case Entry::Rewrite: e.table->ReplaceData(std::move(e.previous)); break;
        }
        if (e.table && std::find(touched.begin(), touched.end(), e.table) == touched.end()) touched.push_back(e.table);
        entries_.pop_back();
    }
    rebuild_touched();
}

// ---- Catalog ----

template <class T>
static T* Find(std::map<std::string, std::unique_ptr<T>>& map, const std::string& name) {
    auto it = map.find(name);
    return it == map.end() ? nullptr : it->second.get();
}

TableEntry* Catalog::GetTable(const std::string& name) { return Find(tables_, name); }
ViewEntry* Catalog::GetView(const std::string& name) { return Find(views_, name); }
IndexEntry* Catalog::GetIndex(const std::string& name) { return Find(indexes_, name); }
TriggerEntry* Catalog::GetTrigger(const std::string& name) { return Find(triggers_, name); }
MacroEntry* Catalog::GetMacro(const std::string& name) { return Find(macros_, name); }

// Adds an entry and records how to take it out again (and vice versa for drops).
template <class T>
static T* AddEntry(std::map<std::string, std::unique_ptr<T>>& map, const std::string& name, std::unique_ptr<T> entry,
                   UndoLog& undo, uint64_t& version) {
    T* raw = entry.get();
    map[name] = std::move(entry);
    ++version;
    undo.RecordCatalog([&map, name, &version] {
        map.erase(name);
        ++version;
    });
    return raw;
}

template <class T>
static void RemoveEntry(std::map<std::string, std::unique_ptr<T>>& map, const std::string& name, UndoLog& undo,
                        uint64_t& version) {
    auto it = map.find(name);
    if (it == map.end()) return;
    std::shared_ptr<T> kept(it->second.release());
    map.erase(it);
    ++version;
    undo.RecordCatalog([&map, name, kept, &version]() mutable {
        map[name] = std::unique_ptr<T>(new T(std::move(*kept)));
        ++version;
    });
}

TableEntry* Catalog::CreateTable(std::unique_ptr<TableEntry> table, UndoLog& undo) {
    std::string name = table->Name();
    table->owner_ = this;
    return AddEntry(tables_, name, std::move(table), undo, version_);
}

void Catalog::DropTable(const std::string& name, UndoLog& undo) {
    // A TableEntry is not movable (its data is referenced by raw pointers in the undo log),
    // so a dropped table is parked and re-inserted as the same object on rollback.
    auto it = tables_.find(name);
    if (it == tables_.end()) return;
    std::shared_ptr<std::unique_ptr<TableEntry>> parked =
        std::make_shared<std::unique_ptr<TableEntry>>(std::move(it->second));
    tables_.erase(it);
    ++version_;
    undo.RecordCatalog([this, name, parked] {
        tables_[name] = std::move(*parked);
        ++version_;
    });
}

void Catalog::CreateView(std::unique_ptr<ViewEntry> view, UndoLog& undo) {
    std::string name = view->name;
    AddEntry(views_, name, std::move(view), undo, version_);
}
void Catalog::DropView(const std::string& name, UndoLog& undo) { RemoveEntry(views_, name, undo, version_); }
void Catalog::CreateIndex(std::unique_ptr<IndexEntry> index, UndoLog& undo) {
    std::string name = index->name;
    AddEntry(indexes_, name, std::move(index), undo, version_);
}
void Catalog::DropIndex(const std::string& name, UndoLog& undo) { RemoveEntry(indexes_, name, undo, version_); }
void Catalog::CreateTrigger(std::unique_ptr<TriggerEntry> trigger, UndoLog& undo) {
    std::string name = trigger->name;
    AddEntry(triggers_, name, std::move(trigger), undo, version_);
}
void Catalog::DropTrigger(const std::string& name, UndoLog& undo) { RemoveEntry(triggers_, name, undo, version_); }
void Catalog::CreateMacro(std::unique_ptr<MacroEntry> macro, UndoLog& undo) {
    std::string name = macro->name;
    AddEntry(macros_, name, std::move(macro), undo, version_);
}
void Catalog::DropMacro(const std::string& name, UndoLog& undo) { RemoveEntry(macros_, name, undo, version_); }

void Catalog::RenameTable(std::string old_name, std::string new_name, UndoLog& undo) {
    auto it = tables_.find(old_name);
    if (it == tables_.end()) return;
    auto entry = std::move(it->second);
    tables_.erase(it);
    entry->Rename(new_name);
    tables_[new_name] = std::move(entry);
    ++version_;
    undo.RecordCatalog([this, old_name, new_name] {
        auto back = std::move(tables_[new_name]);
        tables_.erase(new_name);
        back->Rename(old_name);
        tables_[old_name] = std::move(back);
        ++version_;
    });
}

std::vector<std::string> Catalog::TableNames() const {
    std::vector<std::string> names;
    for (auto& [name, _] : tables_) names.push_back(name);
    return names;
}

std::vector<std::string> Catalog::ViewNames() const {
    std::vector<std::string> names;
    for (auto& [name, _] : views_) names.push_back(name);
    return names;
}

std::vector<const TriggerEntry*> Catalog::TriggersOf(const std::string& table) const {
    std::vector<const TriggerEntry*> out;
    for (auto& [_, t] : triggers_)
        if (t->table == table) out.push_back(t.get());
    return out;
}

std::vector<const IndexEntry*> Catalog::IndexesOf(const std::string& table) const {
    std::vector<const IndexEntry*> out;
    for (auto& [_, i] : indexes_)
        if (i->table == table) out.push_back(i.get());
    return out;
}

template <class T, class Out>
static std::vector<Out> All(const std::map<std::string, std::unique_ptr<T>>& map) {
    std::vector<Out> out;
    for (auto& [name, entry] : map) out.push_back(entry.get());
    return out;
}

std::vector<TableEntry*> Catalog::Tables() const { return All<TableEntry, TableEntry*>(tables_); }
std::vector<const ViewEntry*> Catalog::Views() const { return All<ViewEntry, const ViewEntry*>(views_); }
std::vector<const IndexEntry*> Catalog::Indexes() const { return All<IndexEntry, const IndexEntry*>(indexes_); }
std::vector<const TriggerEntry*> Catalog::Triggers() const { return All<TriggerEntry, const TriggerEntry*>(triggers_); }
std::vector<const MacroEntry*> Catalog::Macros() const { return All<MacroEntry, const MacroEntry*>(macros_); }

}  // namespace grizzly::storage
