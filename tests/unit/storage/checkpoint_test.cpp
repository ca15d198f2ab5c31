// Tests for storage/file/checkpoint.cpp with the encoded column format: tables
// of every type across row groups (NULLs, deletes, updates) survive a
// checkpoint; zone maps are stored and read back equal to what appending the
// rows computes; damaged payloads raise XX001; files of format version 1 are
// refused.
#include <doctest/doctest.h>

#include <unistd.h>
#include <xxhash.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "storage/catalog.hpp"
#include "storage/file/block_file.hpp"
#include "storage/file/checkpoint.hpp"
#include "storage/file/database_file.hpp"
#include "tests/unit/file_test_util.hpp"

using namespace grizzly;
using storage::Catalog;
using storage::ColumnDefinition;
using storage::TableData;
using storage::TableEntry;
using storage::UndoLog;
using storage::Zone;

namespace {

const std::vector<ColumnDefinition> kColumns = {
    {"id", LogicalType(TypeId::BigInt), true, ""},
    {"grp", LogicalType(TypeId::Integer), false, ""},
    {"price", LogicalType(TypeId::Double), false, ""},
    {"name", LogicalType(TypeId::Varchar), false, "'x'"},
    {"day", LogicalType(TypeId::Date), false, ""},
    {"flag", LogicalType(TypeId::Boolean), false, ""},
    {"span", LogicalType(TypeId::Interval), false, ""},
    {"amount", LogicalType::Decimal(12, 2), false, ""},
    {"all_null", LogicalType(TypeId::Integer), false, ""},
    {"late", LogicalType(TypeId::SmallInt), false, ""},  // NULL except in the sixth vector
};

const idx_t kRows = storage::kRowGroupSize + 5000;

/// Row `row` of the test table; the mix gives every column a different encoding and NULL pattern.
Value Cell(idx_t row, size_t col) {
    auto r = static_cast<int64_t>(row);
    const LogicalType& type = kColumns[col].type;
    switch (col) {
    case 0: return Value::BigInt(r * 3 - 100000);
    case 1: return Value::Integer(static_cast<int32_t>(r % 17) - 8);
    case 2:
        if (row % 101 == 0) return Value::Null(type);
        if (row % 1001 == 7) return Value::Double(std::numeric_limits<double>::quiet_NaN());
        return Value::Double(static_cast<double>(r % 1000) * 0.25 - 3);
    case 3:
        if (row / kVectorSize == 2) return Value::Null(type);  // a whole NULL vector
        return Value::Varchar(row % 5 == 0 ? "" : "name " + std::to_string(row % 40));
    case 4: return Value::Date(static_cast<int32_t>(18000 + r / 100));
    case 5: return row % 3 == 0 ? Value::Null(type) : Value::Boolean(row % 2 == 0);
    case 6: return row % 2 == 0 ? Value::Null(type) : Value::FromInterval({1, static_cast<int32_t>(r % 30), r});
    case 7: return Value::Decimal(r % 2 == 0 ? -r * 7 : r * 11, 12, 2);
    case 8: return Value::Null(type);
    case 9:
        if (row / kVectorSize != 5 || row % 2 != 0) return Value::Null(type);
        return Value::FromInt(type, -static_cast<int64_t>(row % 300));
    }
    return Value::Null(type);
}

void FillTable(TableData& data) {
    std::vector<LogicalType> types;
    for (auto& c : kColumns) types.push_back(c.type);
    for (idx_t done = 0; done < kRows; done += kVectorSize) {
        idx_t n = std::min<idx_t>(kVectorSize, kRows - done);
        DataChunk chunk;
        chunk.Initialize(types, n);
        for (size_t col = 0; col < types.size(); ++col)
            for (idx_t i = 0; i < n; ++i) chunk.columns[col].SetValue(i, Cell(done + i, col));
        chunk.size = n;
        data.Append(chunk);
    }
}

TableEntry* MakeTable(Catalog& catalog, UndoLog& undo) {
    TableEntry* table = catalog.CreateTable(std::make_unique<TableEntry>("t", kColumns), undo);
    FillTable(table->MutableData());
    return table;
}

// Values compare by text so that NaN equals NaN.
void CheckSameRows(const TableData& expected, const TableData& actual) {
    REQUIRE(actual.RowCount() == expected.RowCount());
    REQUIRE(actual.LiveRowCount() == expected.LiveRowCount());
    for (idx_t row = 0; row < expected.RowCount(); ++row) {
        auto id = static_cast<row_t>(row);
        REQUIRE(actual.IsDeleted(id) == expected.IsDeleted(id));
        for (size_t col = 0; col < kColumns.size(); ++col) {
            Value a = actual.GetValue(id, col), e = expected.GetValue(id, col);
            INFO("row " << row << " column " << kColumns[col].name);
            REQUIRE(a.IsNull() == e.IsNull());
            if (!e.IsNull()) REQUIRE(a.ToString() == e.ToString());
        }
    }
}

bool SameZones(const std::vector<Zone>& a, const std::vector<Zone>& b) {
    if (a.size() != b.size()) return false;
    for (size_t z = 0; z < a.size(); ++z) {
        if (a[z].has_values != b[z].has_values) return false;
        if (a[z].has_values && (std::memcmp(&a[z].min, &b[z].min, 8) != 0 || std::memcmp(&a[z].max, &b[z].max, 8) != 0))
            return false;
    }
    return true;
}

void CheckSameZones(const TableData& expected, const TableData& actual) {
    REQUIRE(actual.RowGroups().size() == expected.RowGroups().size());
    for (size_t rg = 0; rg < expected.RowGroups().size(); ++rg)
        for (size_t col = 0; col < kColumns.size(); ++col) {
            INFO("row group " << rg << " column " << kColumns[col].name);
            CHECK(SameZones(actual.RowGroups()[rg]->columns[col].zones, expected.RowGroups()[rg]->columns[col].zones));
        }
}

std::unique_ptr<Catalog> Load(const std::string& bytes) {
    auto catalog = std::make_unique<Catalog>();
    storage::DeserializeDatabase(bytes, *catalog, "test checkpoint");
    return catalog;
}

}  // namespace

TEST_CASE("checkpoint: rows of every type, NULLs, deleted rows and row ids survive across row groups") {
    Catalog catalog;
    UndoLog undo;
    TableEntry* table = MakeTable(catalog, undo);
    TableData& data = table->MutableData();
    for (idx_t row = 0; row < kRows; row += 13) data.Delete(static_cast<row_t>(row));
    for (idx_t row = 3 * kVectorSize; row < 4 * kVectorSize; ++row) data.Delete(static_cast<row_t>(row));
    Vector name(LogicalType(TypeId::Varchar), 1);
    name.SetValue(0, Value::Varchar("a name long enough to live in the heap"));
    data.Update(7, 3, name, 0);
    auto loaded = Load(storage::SerializeDatabase(catalog));
    TableEntry* back = loaded->GetTable("t");
    REQUIRE(back != nullptr);
    CHECK(back->Columns().size() == kColumns.size());
    CheckSameRows(data, back->Data());
    CHECK(back->Data().GetValue(7, 3).ToString() == "a name long enough to live in the heap");
    // Statistics read from restored data agree with the original table's.
    for (size_t col = 0; col < kColumns.size(); ++col) {
        auto a = data.Statistics(col), b = back->Data().Statistics(col);
        CHECK(a.null_count == b.null_count);
        CHECK(SameZones({a.range}, {b.range}));
    }
}

TEST_CASE("checkpoint: zone maps are stored, and read back equal to what appending the rows computes") {
    Catalog catalog;
    UndoLog undo;
    TableEntry* table = MakeTable(catalog, undo);
    TableData& data = table->MutableData();
    SUBCASE("as appended") {
        auto loaded = Load(storage::SerializeDatabase(catalog));
        CheckSameZones(data, loaded->GetTable("t")->Data());
        // The shapes that matter: NULL-only vectors, a column without values, NaN above every number.
        const auto& rg0 = loaded->GetTable("t")->Data().RowGroups()[0]->columns;
        CHECK(rg0[8].zones.empty());
        REQUIRE(rg0[9].zones.size() == 6);
        CHECK_FALSE(rg0[9].zones[0].has_values);
        CHECK(rg0[9].zones[5].has_values);
        CHECK(rg0[9].zones[5].min.i == -298);
        CHECK(rg0[2].zones[0].max.d == std::numeric_limits<double>::infinity());
    }
    SUBCASE("through a database file") {
        auto dir = std::filesystem::temp_directory_path() / ("grizzly_zone_test_" + std::to_string(getpid()));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        std::string path = (dir / "zones.griz").string();
        storage::DatabaseFile::Open(path, catalog).reset();  // a new file gets a checkpoint of the catalog
        Catalog reopened;
        auto db = storage::DatabaseFile::Open(path, reopened);
        CheckSameRows(data, reopened.GetTable("t")->Data());
        CheckSameZones(data, reopened.GetTable("t")->Data());
        db.reset();
        std::filesystem::remove_all(dir);
    }
    SUBCASE("after updates, which only ever widen the zones in memory") {
        Vector v(LogicalType(TypeId::Integer), 1);
        v.SetValue(0, Value::Integer(1000000));
        data.Update(5, 1, v, 0);
        v.SetValue(0, Cell(5, 1));
        data.Update(5, 1, v, 0);
        CHECK(data.RowGroups()[0]->columns[1].zones[0].max.i == 1000000);
        auto loaded = Load(storage::SerializeDatabase(catalog));
        TableData fresh(table->Types());
        FillTable(fresh);
        CheckSameZones(fresh, loaded->GetTable("t")->Data());
        CHECK(loaded->GetTable("t")->Data().RowGroups()[0]->columns[1].zones[0].max.i == 8);
    }
}

TEST_CASE("checkpoint: truncated or damaged column data raises XX001") {
    Catalog catalog;
    UndoLog undo;
    std::vector<ColumnDefinition> columns = {kColumns[0], kColumns[3], kColumns[2]};
    auto table = std::make_unique<TableEntry>("small", columns);
    TableEntry* t = catalog.CreateTable(std::move(table), undo);
    DataChunk chunk;
    chunk.Initialize(t->Types(), 3000);
    for (idx_t row = 0; row < 3000; ++row) {
        chunk.columns[0].SetValue(row, Cell(row, 0));
        chunk.columns[1].SetValue(row, Cell(row, 3));
        chunk.columns[2].SetValue(row, Cell(row, 2));
    }
    chunk.size = 3000;
    t->MutableData().Append(chunk);
    t->MutableData().Delete(17);
    std::string bytes = storage::SerializeDatabase(catalog);
    auto fails = [](const std::string& damaged) {
        try {
            Load(damaged);
            return false;
        } catch (const Error& e) {
            CHECK(e.State() == SqlState::DataCorrupted);
            return true;
        }
    };
    for (size_t len = 0; len < bytes.size(); len += 1 + len / 50) CHECK(fails(bytes.substr(0, len)));
    // A flipped byte is caught by the file's block checksums; here it must at least never crash.
    for (size_t at = 0; at < bytes.size(); at += 1 + at / 100) {
        std::string damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x41);
        fails(damaged);
    }
}

TEST_CASE("checkpoint: a file of format version 1 is refused as an older format") {
    auto dir = std::filesystem::temp_directory_path() / ("grizzly_checkpoint_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::string path = (dir / "old.griz").string();
    Catalog catalog;
    {
        auto store = storage::BlockStore::Create(path, 1);
        storage::BlockStore::Writer writer(*store);
        writer.Commit(storage::SerializeDatabase(catalog));
        CHECK(store->Sequence() == 1);
    }
    CHECK(storage::BlockStore::Open(path, true)->Sequence() == 1);
    testing::SetFormatVersion(path, 1);
    try {
        storage::BlockStore::Open(path, true);
        FAIL("a version 1 file was read");
    } catch (const Error& e) {
        CHECK(std::string(e.Code()) == "0A000");
        INFO(e.Message());
        CHECK(e.Message().find("format version 1, an older format") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
