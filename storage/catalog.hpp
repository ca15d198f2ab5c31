#pragma once
/// The catalog: tables, views, indexes, triggers and SQL functions of one
/// database, plus the undo log that makes every statement (and transaction)
/// atomic. Names are stored as the parser produced them (unquoted names are
/// already lower case).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/common.hpp"
#include "storage/table_data.hpp"
#include "storage/transaction.hpp"

namespace grizzly::storage {

struct ColumnDefinition {
    std::string name;
    LogicalType type;
    bool not_null = false;
    std::string default_sql;  ///< empty: no default (NULL)
};

/// A UNIQUE / PRIMARY KEY constraint or unique index, enforced through a hash
/// map from the key's bytes to its row.
class UniqueIndex {
public:
    UniqueIndex(std::string name, std::vector<uint32_t> columns, bool primary)
        : name_(std::move(name)), columns_(std::move(columns)), primary_(primary) {}
    const std::string& Name() const { return name_; }
    const std::vector<uint32_t>& Columns() const { return columns_; }
    bool IsPrimary() const { return primary_; }

    /// Key of a row given accessor values; rows with a NULL key column are never
    /// in conflict (SQL semantics) and get no key.
    static bool MakeKey(const std::vector<Value>& values, std::string& key);
    /// Inserts; returns false on a duplicate.
    bool Insert(const std::string& key, row_t row);
    void Erase(const std::string& key);
    bool Contains(const std::string& key) const { return map_.count(key) != 0; }
    /// Rebuilds from the live rows of `data`; returns false on a duplicate.
    bool Rebuild(const TableData& data);

private:
    std::string name_;
    std::vector<uint32_t> columns_;
    bool primary_;
    std::unordered_map<std::string, row_t> map_;
};

struct CheckConstraint {
    std::string name;
    std::string sql;  ///< the expression's text, bound against the table's columns when needed
};

struct TriggerEntry {
    std::string name;
    std::string table;
    int timing = 0;  ///< ast::TriggerTiming
    int event = 0;   ///< ast::TriggerEvent
    std::vector<std::string> update_columns;
    std::string when_sql;
    std::vector<std::string> body_sql;
};

class TableEntry {
public:
    TableEntry(std::string name, std::vector<ColumnDefinition> columns);

    const std::string& Name() const { return name_; }
    void Rename(std::string name) { name_ = std::move(name); }
    const std::vector<ColumnDefinition>& Columns() const { return columns_; }
    std::vector<ColumnDefinition>& MutableColumns() { return columns_; }
    /// Column index by name, or -1.
    int ColumnIndex(const std::string& name) const;
    std::vector<LogicalType> Types() const;

    /// The rows the running transaction sees (its snapshot, or its own changes).
    const TableData& Data() const;
    /// The running transaction's private version, forked on first use (takes the writer lock).
    TableData& MutableData();
    /// Makes `data` the running transaction's private version (VACUUM, and its undo); returns the one it replaces.
    std::shared_ptr<TableData> ReplaceData(std::shared_ptr<TableData> data);
    /// Unique for the life of the process: snapshots name tables by it, never by address.
    uint64_t Id() const { return id_; }
    Catalog* Owner() const { return owner_; }

    std::vector<std::unique_ptr<UniqueIndex>> unique_indexes;
    std::vector<CheckConstraint> checks;
    /// Bumped by every schema change, so cached plans and shapes can tell.
    uint64_t schema_version = 0;

private:
    friend class Catalog;
    friend class TransactionManager;
    std::string name_;
    std::vector<ColumnDefinition> columns_;
    uint64_t id_;
    Catalog* owner_ = nullptr;
    std::shared_ptr<TableData> committed_;  ///< guarded by the owner's TransactionManager
};

struct ViewEntry {
    std::string name;
    std::vector<std::string> column_names;
    std::string query_sql;
};

struct IndexEntry {
    std::string name;
    std::string table;
    std::vector<std::string> columns;
    bool unique = false;
    std::string sql;
};

struct MacroEntry {
    std::string name;
    std::vector<std::string> params;
    std::vector<LogicalType> param_types;  ///< empty for untyped macros
    std::string body_sql;                  ///< an expression
    bool has_return_type = false;
    LogicalType return_type;
};

class Catalog;

/// Undo records of the current transaction. Statement atomicity: the
/// connection takes a savepoint before each statement and rolls back to it on
/// error.
class UndoLog {
public:
    void RecordAppend(TableEntry* table, idx_t old_row_count);
    void RecordDelete(TableEntry* table, row_t row);
    void RecordUpdate(TableEntry* table, row_t row, size_t column, Value old_value);
    /// A catalog change: `undo` restores the previous state.
    void RecordCatalog(std::function<void()> undo);
    /// The table's rows were replaced wholesale (VACUUM); `previous` is what they were.
    void RecordRewrite(TableEntry* table, std::shared_ptr<TableData> previous);

    size_t Savepoint() const { return entries_.size(); }
    /// Undoes everything after `savepoint`, newest first.
    void RollbackTo(size_t savepoint);
    void Clear() { entries_.clear(); }

    struct Entry {
        enum Kind { Append, Delete, Update, CatalogChange, Rewrite } kind = Append;
        TableEntry* table = nullptr;
        row_t row = 0;
        idx_t count = 0;
        size_t column = 0;
        Value old_value;
        std::function<void()> undo;
        std::shared_ptr<TableData> previous;
    };
    /// The changes since the transaction began, oldest first (the WAL derives its redo records from them).
    const std::vector<Entry>& Entries() const { return entries_; }

private:
    std::vector<Entry> entries_;
};

/// All objects of one database. Not thread-safe: callers serialize access.
class Catalog {
public:
    TableEntry* GetTable(const std::string& name);
    ViewEntry* GetView(const std::string& name);
    IndexEntry* GetIndex(const std::string& name);
    TriggerEntry* GetTrigger(const std::string& name);
    MacroEntry* GetMacro(const std::string& name);

    /// Creation and removal record their undo in `undo`.
    TableEntry* CreateTable(std::unique_ptr<TableEntry> table, UndoLog& undo);
    void DropTable(const std::string& name, UndoLog& undo);
    void CreateView(std::unique_ptr<ViewEntry> view, UndoLog& undo);
    void DropView(const std::string& name, UndoLog& undo);
    void CreateIndex(std::unique_ptr<IndexEntry> index, UndoLog& undo);
    void DropIndex(const std::string& name, UndoLog& undo);
    void CreateTrigger(std::unique_ptr<TriggerEntry> trigger, UndoLog& undo);
    void DropTrigger(const std::string& name, UndoLog& undo);
    void CreateMacro(std::unique_ptr<MacroEntry> macro, UndoLog& undo);
    void DropMacro(const std::string& name, UndoLog& undo);
    /// By value: callers pass table->Name(), which the rename overwrites.
    void RenameTable(std::string old_name, std::string new_name, UndoLog& undo);

    std::vector<std::string> TableNames() const;
    /// Every object of a kind, in name order (for checkpoints).
    std::vector<TableEntry*> Tables() const;
    std::vector<const ViewEntry*> Views() const;
    std::vector<const IndexEntry*> Indexes() const;
    std::vector<const TriggerEntry*> Triggers() const;
    std::vector<const MacroEntry*> Macros() const;
    std::vector<std::string> ViewNames() const;
    std::vector<const TriggerEntry*> TriggersOf(const std::string& table) const;
    std::vector<const IndexEntry*> IndexesOf(const std::string& table) const;
    /// Bumped by every DDL statement.
    uint64_t Version() const { return version_; }
    TransactionManager& Transactions() { return transactions_; }
    /// Settings of the database itself (not of a session), kept in its file: checkpoint_threshold.
    std::map<std::string, std::string> settings;

private:
    template <class T>
    using Map = std::map<std::string, std::unique_ptr<T>>;
    Map<TableEntry> tables_;
    Map<ViewEntry> views_;
    Map<IndexEntry> indexes_;
    Map<TriggerEntry> triggers_;
    Map<MacroEntry> macros_;
    uint64_t version_ = 0;
    TransactionManager transactions_;
};

}  // namespace grizzly::storage
