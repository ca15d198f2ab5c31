// Tests for storage/catalog.cpp: catalog entries with undo, the undo log for
// data changes, and unique indexes.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/catalog.hpp"

using namespace grizzly;
using storage::Catalog;
using storage::ColumnDefinition;
using storage::IndexEntry;
using storage::MacroEntry;
using storage::TableEntry;
using storage::TriggerEntry;
using storage::UndoLog;
using storage::UniqueIndex;
using storage::ViewEntry;

namespace {

const LogicalType kInt(TypeId::Integer);
const LogicalType kVarchar(TypeId::Varchar);
const LogicalType kDouble(TypeId::Double);

std::unique_ptr<TableEntry> MakeTable(const std::string& name) {
    return std::make_unique<TableEntry>(name, std::vector<ColumnDefinition>{{"id", kInt, true, ""},
                                                                            {"name", kVarchar, false, "'x'"}});
}

/// Appends (id, name) rows to a table and records the append in `undo`.
void AppendRows(TableEntry& table, UndoLog& undo, const std::vector<std::pair<std::optional<int32_t>, std::string>>& rows) {
    undo.RecordAppend(&table, table.Data().RowCount());
    DataChunk chunk;
    chunk.Initialize(table.Types(), std::max<size_t>(rows.size(), 1));
    for (size_t i = 0; i < rows.size(); ++i) {
        chunk.columns[0].SetValue(i, rows[i].first ? Value::Integer(*rows[i].first) : Value::Null(kInt));
        chunk.columns[1].SetValue(i, Value::Varchar(rows[i].second));
    }
    chunk.size = rows.size();
    table.MutableData().Append(chunk);
}

std::string Key(std::vector<Value> values) {
    std::string key;
    REQUIRE(UniqueIndex::MakeKey(values, key));
    return key;
}

}  // namespace

// ---- tables ----

TEST_CASE("catalog: CreateTable is undone by rollback") {
    Catalog catalog;
    UndoLog undo;
    uint64_t v0 = catalog.Version();
    TableEntry* t = catalog.CreateTable(MakeTable("t"), undo);
    REQUIRE(t != nullptr);
    CHECK(catalog.GetTable("t") == t);
    CHECK(t->ColumnIndex("name") == 1);
    CHECK(t->ColumnIndex("missing") == -1);
    CHECK(catalog.TableNames() == std::vector<std::string>{"t"});
    CHECK(catalog.Version() > v0);
    uint64_t v1 = catalog.Version();
    undo.RollbackTo(0);
    CHECK(catalog.GetTable("t") == nullptr);
    CHECK(catalog.TableNames().empty());
    CHECK(catalog.Version() > v1);  // cached plans must notice the rollback too
}

TEST_CASE("catalog: DropTable rollback restores the same table with its data") {
    Catalog catalog;
    UndoLog setup;
    TableEntry* t = catalog.CreateTable(MakeTable("t"), setup);
    AppendRows(*t, setup, {{1, "one"}, {2, "two"}});
    setup.Clear();

    UndoLog undo;
    catalog.DropTable("t", undo);
    CHECK(catalog.GetTable("t") == nullptr);
    catalog.DropTable("t", undo);  // dropping a missing table is a no-op
    undo.RollbackTo(0);
    CHECK(catalog.GetTable("t") == t);  // the same object: undo records may point at it
    CHECK(t->Data().RowCount() == 2);
    CHECK(t->Data().GetValue(1, 1) == Value::Varchar("two"));
}

TEST_CASE("catalog: drop and re-create under one name rolls back to the original") {
    Catalog catalog;
    UndoLog setup;
    TableEntry* original = catalog.CreateTable(MakeTable("t"), setup);
    setup.Clear();

    UndoLog undo;
    catalog.DropTable("t", undo);
    TableEntry* replacement = catalog.CreateTable(MakeTable("t"), undo);
    CHECK(catalog.GetTable("t") == replacement);
    undo.RollbackTo(0);
    CHECK(catalog.GetTable("t") == original);
}

TEST_CASE("catalog: RenameTable and its rollback") {
    Catalog catalog;
    UndoLog setup;
    TableEntry* t = catalog.CreateTable(MakeTable("old"), setup);
    setup.Clear();

    UndoLog undo;
    catalog.RenameTable("old", "new", undo);
    CHECK(catalog.GetTable("old") == nullptr);
    CHECK(catalog.GetTable("new") == t);
    CHECK(t->Name() == "new");
    undo.RollbackTo(0);
    CHECK(catalog.GetTable("new") == nullptr);
    CHECK(catalog.GetTable("old") == t);
    CHECK(t->Name() == "old");
    catalog.RenameTable("missing", "other", undo);  // no-op
    CHECK(catalog.GetTable("other") == nullptr);
}

TEST_CASE("catalog: rollback to a savepoint undoes only later changes") {
    Catalog catalog;
    UndoLog undo;
    catalog.CreateTable(MakeTable("a"), undo);
    size_t savepoint = undo.Savepoint();
    catalog.CreateTable(MakeTable("b"), undo);
    catalog.RenameTable("a", "c", undo);
    undo.RollbackTo(savepoint);
    CHECK(catalog.TableNames() == std::vector<std::string>{"a"});
    undo.RollbackTo(0);
    CHECK(catalog.TableNames().empty());
}

// ---- views, indexes, triggers, macros ----

TEST_CASE("catalog: views are created, dropped and restored by rollback") {
    Catalog catalog;
    UndoLog undo;
    catalog.CreateView(std::make_unique<ViewEntry>(ViewEntry{"v", {"a", "b"}, "SELECT 1, 2"}), undo);
    REQUIRE(catalog.GetView("v") != nullptr);
    CHECK(catalog.ViewNames() == std::vector<std::string>{"v"});
    undo.RollbackTo(0);
    CHECK(catalog.GetView("v") == nullptr);

    catalog.CreateView(std::make_unique<ViewEntry>(ViewEntry{"v", {"a", "b"}, "SELECT 1, 2"}), undo);
    undo.Clear();
    catalog.DropView("v", undo);
    CHECK(catalog.GetView("v") == nullptr);
    undo.RollbackTo(0);
    ViewEntry* v = catalog.GetView("v");
    REQUIRE(v != nullptr);
    CHECK(v->column_names == std::vector<std::string>{"a", "b"});
    CHECK(v->query_sql == "SELECT 1, 2");
}

TEST_CASE("catalog: indexes are created, dropped and restored by rollback") {
    Catalog catalog;
    UndoLog undo;
    catalog.CreateIndex(std::make_unique<IndexEntry>(IndexEntry{"i", "t", {"id"}, true, "CREATE UNIQUE INDEX i ON t(id)"}),
                        undo);
    catalog.CreateIndex(std::make_unique<IndexEntry>(IndexEntry{"j", "u", {"x"}, false, ""}), undo);
    REQUIRE(catalog.GetIndex("i") != nullptr);
    CHECK(catalog.IndexesOf("t").size() == 1);
    CHECK(catalog.IndexesOf("t")[0]->name == "i");
    undo.RollbackTo(0);
    CHECK(catalog.GetIndex("i") == nullptr);
    CHECK(catalog.IndexesOf("t").empty());

    catalog.CreateIndex(std::make_unique<IndexEntry>(IndexEntry{"i", "t", {"id", "name"}, true, "sql"}), undo);
    undo.Clear();
    catalog.DropIndex("i", undo);
    CHECK(catalog.GetIndex("i") == nullptr);
    undo.RollbackTo(0);
    IndexEntry* i = catalog.GetIndex("i");
    REQUIRE(i != nullptr);
    CHECK(i->table == "t");
    CHECK(i->columns == std::vector<std::string>{"id", "name"});
    CHECK(i->unique);
}

TEST_CASE("catalog: triggers are created, dropped and restored by rollback") {
    Catalog catalog;
    UndoLog undo;
    auto trigger = [] {
        auto t = std::make_unique<TriggerEntry>();
        t->name = "trg";
        t->table = "t";
        t->timing = 1;
        t->event = 2;
        t->update_columns = {"name"};
        t->when_sql = "NEW.id > 0";
        t->body_sql = {"INSERT INTO log VALUES (NEW.id)"};
        return t;
    };
    catalog.CreateTrigger(trigger(), undo);
    REQUIRE(catalog.GetTrigger("trg") != nullptr);
    CHECK(catalog.TriggersOf("t").size() == 1);
    CHECK(catalog.TriggersOf("u").empty());
    undo.RollbackTo(0);
    CHECK(catalog.GetTrigger("trg") == nullptr);

    catalog.CreateTrigger(trigger(), undo);
    undo.Clear();
    catalog.DropTrigger("trg", undo);
    CHECK(catalog.TriggersOf("t").empty());
    undo.RollbackTo(0);
    TriggerEntry* t = catalog.GetTrigger("trg");
    REQUIRE(t != nullptr);
    CHECK(t->event == 2);
    CHECK(t->when_sql == "NEW.id > 0");
    CHECK(t->body_sql == std::vector<std::string>{"INSERT INTO log VALUES (NEW.id)"});
}

TEST_CASE("catalog: macros are created, dropped and restored by rollback") {
    Catalog catalog;
    UndoLog undo;
    auto macro = [] {
        auto m = std::make_unique<MacroEntry>();
        m->name = "add1";
        m->params = {"x"};
        m->param_types = {kInt};
        m->body_sql = "x + 1";
        m->has_return_type = true;
        m->return_type = kInt;
        return m;
    };
    catalog.CreateMacro(macro(), undo);
    REQUIRE(catalog.GetMacro("add1") != nullptr);
    undo.RollbackTo(0);
    CHECK(catalog.GetMacro("add1") == nullptr);

    catalog.CreateMacro(macro(), undo);
    undo.Clear();
    uint64_t before = catalog.Version();
    catalog.DropMacro("add1", undo);
    CHECK(catalog.GetMacro("add1") == nullptr);
    CHECK(catalog.Version() > before);
    catalog.DropMacro("add1", undo);  // already gone: no-op
    undo.RollbackTo(0);
    MacroEntry* m = catalog.GetMacro("add1");
    REQUIRE(m != nullptr);
    CHECK(m->body_sql == "x + 1");
    CHECK(m->params == std::vector<std::string>{"x"});
    CHECK(m->return_type == kInt);
}

// ---- data changes in the undo log ----

TEST_CASE("catalog: rollback undoes appends, deletes and updates, newest first") {
    Catalog catalog;
    UndoLog setup;
    TableEntry* t = catalog.CreateTable(MakeTable("t"), setup);
    AppendRows(*t, setup, {{1, "one"}, {2, "two"}});
    setup.Clear();

    UndoLog undo;
    AppendRows(*t, undo, {{3, "three"}});
    CHECK(t->MutableData().Delete(0));
    undo.RecordDelete(t, 0);
    undo.RecordUpdate(t, 1, 1, t->Data().GetValue(1, 1));
    Vector v(kVarchar, 1);
    v.SetValue(0, Value::Varchar("a new name longer than twelve"));
    t->MutableData().Update(1, 1, v, 0);
    undo.RecordUpdate(t, 1, 1, t->Data().GetValue(1, 1));  // a second update of the same cell
    v.SetValue(0, Value::Null(kVarchar));
    t->MutableData().Update(1, 1, v, 0);

    undo.RollbackTo(0);
    CHECK(t->Data().RowCount() == 2);
    CHECK(t->Data().LiveRowCount() == 2);
    CHECK_FALSE(t->Data().IsDeleted(0));
    CHECK(t->Data().GetValue(1, 1) == Value::Varchar("two"));
}

TEST_CASE("catalog: unique indexes are rebuilt after a rollback") {
    Catalog catalog;
    UndoLog setup;
    TableEntry* t = catalog.CreateTable(MakeTable("t"), setup);
    t->unique_indexes.push_back(std::make_unique<UniqueIndex>("t_pkey", std::vector<uint32_t>{0}, true));
    AppendRows(*t, setup, {{1, "one"}});
    REQUIRE(t->unique_indexes[0]->Rebuild(t->Data()));
    setup.Clear();

    UndoLog undo;
    AppendRows(*t, undo, {{2, "two"}});
    REQUIRE(t->unique_indexes[0]->Insert(Key({Value::Integer(2)}), 1));
    CHECK(t->MutableData().Delete(0));
    undo.RecordDelete(t, 0);
    t->unique_indexes[0]->Erase(Key({Value::Integer(1)}));

    undo.RollbackTo(0);
    CHECK(t->unique_indexes[0]->Contains(Key({Value::Integer(1)})));
    CHECK_FALSE(t->unique_indexes[0]->Contains(Key({Value::Integer(2)})));
}

TEST_CASE("catalog: rolling back CREATE TABLE plus an insert into it") {
    Catalog catalog;
    UndoLog undo;
    TableEntry* t = catalog.CreateTable(MakeTable("t"), undo);
    t->unique_indexes.push_back(std::make_unique<UniqueIndex>("t_pkey", std::vector<uint32_t>{0}, true));
    AppendRows(*t, undo, {{1, "one"}});
    undo.RollbackTo(0);  // use after free
    CHECK(catalog.GetTable("t") == nullptr);
}

// ---- unique indexes ----

TEST_CASE("catalog: UniqueIndex Insert, Contains, Erase") {
    UniqueIndex index("u", {0, 1}, false);
    CHECK(index.Name() == "u");
    CHECK_FALSE(index.IsPrimary());
    std::string k1 = Key({Value::Integer(1), Value::Varchar("a")});
    std::string k2 = Key({Value::Integer(1), Value::Varchar("b")});
    CHECK(index.Insert(k1, 0));
    CHECK(index.Insert(k2, 1));
    CHECK_FALSE(index.Insert(k1, 2));  // duplicate
    CHECK(index.Contains(k1));
    index.Erase(k1);
    CHECK_FALSE(index.Contains(k1));
    CHECK(index.Insert(k1, 2));
}

TEST_CASE("catalog: UniqueIndex keys separate their columns") {
    // (1, '23') and (12, '3') print to the same characters but are different keys.
    CHECK(Key({Value::Integer(1), Value::Varchar("23")}) != Key({Value::Integer(12), Value::Varchar("3")}));
    CHECK(Key({Value::Varchar("a"), Value::Varchar("")}) != Key({Value::Varchar(""), Value::Varchar("a")}));
    // NaN equals NaN for uniqueness, as in PostgreSQL.
    CHECK(Key({Value::Double(std::nan(""))}) == Key({Value::Double(std::nan(""))}));
}

TEST_CASE("catalog: UniqueIndex treats -0.0 and 0.0 as one key") {
    CHECK(Key({Value::Double(0.0)}) == Key({Value::Double(-0.0)}));
}

TEST_CASE("catalog: UniqueIndex NULL keys never conflict") {
    std::string key;
    CHECK_FALSE(UniqueIndex::MakeKey({Value::Null(kInt)}, key));
    CHECK_FALSE(UniqueIndex::MakeKey({Value::Integer(1), Value::Null(kVarchar)}, key));

    // Rebuild over rows with NULL keys: no conflict, and the NULL rows are not indexed.
    TableEntry t("t", {{"id", kInt, false, ""}, {"name", kVarchar, false, ""}});
    UndoLog undo;
    AppendRows(t, undo, {{std::nullopt, "a"}, {std::nullopt, "b"}, {1, "c"}, {std::nullopt, "d"}});
    UniqueIndex index("t_id_key", {0}, false);
    CHECK(index.Rebuild(t.Data()));
    CHECK(index.Contains(Key({Value::Integer(1)})));
}

TEST_CASE("catalog: UniqueIndex Rebuild reports duplicates and ignores deleted rows") {
    TableEntry t("t", {{"id", kInt, false, ""}, {"name", kVarchar, false, ""}});
    UndoLog undo;
    AppendRows(t, undo, {{1, "a"}, {2, "b"}, {1, "c"}});
    UniqueIndex index("t_id_key", {0}, false);
    CHECK_FALSE(index.Rebuild(t.Data()));
    REQUIRE(t.MutableData().Delete(2));
    CHECK(index.Rebuild(t.Data()));
    CHECK(index.Contains(Key({Value::Integer(1)})));
    CHECK(index.Contains(Key({Value::Integer(2)})));
    // The rebuild starts from scratch: a key whose row is gone disappears.
    REQUIRE(t.MutableData().Delete(1));
    CHECK(index.Rebuild(t.Data()));
    CHECK_FALSE(index.Contains(Key({Value::Integer(2)})));
}
