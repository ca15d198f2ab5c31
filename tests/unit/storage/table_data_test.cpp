// Tests for storage/table_data.cpp: appends across row groups, scans, updates,
// deletes, truncation, NULLs and string ownership.
#include <doctest/doctest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "storage/table_data.hpp"

using namespace grizzly;
using storage::kRowGroupSize;
using storage::TableData;

namespace {

const LogicalType kInt(TypeId::Integer);
const LogicalType kVarchar(TypeId::Varchar);
const LogicalType kDouble(TypeId::Double);

/// A one-column INTEGER chunk; std::nullopt is NULL.
DataChunk IntChunk(const std::vector<std::optional<int32_t>>& values) {
    DataChunk chunk;
    chunk.Initialize({kInt}, std::max<size_t>(values.size(), 1));
    for (size_t i = 0; i < values.size(); ++i)
        chunk.columns[0].SetValue(i, values[i] ? Value::Integer(*values[i]) : Value::Null(kInt));
    chunk.size = values.size();
    return chunk;
}

/// Appends `n` rows with values first, first + 1, ... in chunks of kVectorSize.
void AppendRange(TableData& data, int32_t first, idx_t n) {
    idx_t done = 0;
    while (done < n) {
        idx_t take = std::min<idx_t>(kVectorSize, n - done);
        DataChunk chunk;
        chunk.Initialize({kInt}, take);
        for (idx_t i = 0; i < take; ++i) chunk.columns[0].Data<int32_t>()[i] = first + static_cast<int32_t>(done + i);
        chunk.size = take;
        data.Append(chunk);
        done += take;
    }
}

/// All live values of column 0, in scan order (NULL as std::nullopt).
std::vector<std::optional<int32_t>> ScanInts(const TableData& data) {
    std::vector<std::optional<int32_t>> out;
    TableData::ScanCursor cursor;
    DataChunk chunk;
    while (data.Scan(cursor, {0}, false, chunk)) {
        ForEachActive(chunk, [&](uint32_t row) {
            Value v = chunk.columns[0].GetValue(row);
            out.push_back(v.IsNull() ? std::nullopt : std::optional<int32_t>(v.GetInt32()));
        });
    }
    return out;
}

}  // namespace

TEST_CASE("table_data: appends fill a row group and continue in the next") {
    TableData data({kInt});
    AppendRange(data, 0, kRowGroupSize + 10);
    REQUIRE(data.RowGroups().size() == 2);
    CHECK(data.RowGroups()[0]->count == kRowGroupSize);
    CHECK(data.RowGroups()[0]->start == 0);
    CHECK(data.RowGroups()[1]->count == 10);
    CHECK(data.RowGroups()[1]->start == kRowGroupSize);
    CHECK(data.RowCount() == kRowGroupSize + 10);
    CHECK(data.LiveRowCount() == kRowGroupSize + 10);
    CHECK(data.GetValue(0, 0) == Value::Integer(0));
    CHECK(data.GetValue(static_cast<row_t>(kRowGroupSize) - 1, 0) == Value::Integer(static_cast<int32_t>(kRowGroupSize) - 1));
    CHECK(data.GetValue(static_cast<row_t>(kRowGroupSize) + 9, 0) ==
          Value::Integer(static_cast<int32_t>(kRowGroupSize) + 9));
}

TEST_CASE("table_data: one chunk straddling the row-group boundary is split") {
    TableData data({kInt});
    AppendRange(data, 0, kRowGroupSize - 5);
    AppendRange(data, 1000000, 100);  // one chunk of 100: 5 rows end group 0, 95 start group 1
    REQUIRE(data.RowGroups().size() == 2);
    CHECK(data.RowGroups()[0]->count == kRowGroupSize);
    CHECK(data.RowGroups()[1]->count == 95);
    CHECK(data.GetValue(static_cast<row_t>(kRowGroupSize) - 5, 0) == Value::Integer(1000000));
    CHECK(data.GetValue(static_cast<row_t>(kRowGroupSize), 0) == Value::Integer(1000005));
    CHECK(data.GetValue(static_cast<row_t>(kRowGroupSize) + 94, 0) == Value::Integer(1000099));
}

TEST_CASE("table_data: scans hand out vectors of kVectorSize within a row group") {
    TableData data({kInt});
    AppendRange(data, 0, kRowGroupSize + 3000);
    TableData::ScanCursor cursor;
    DataChunk chunk;
    std::vector<idx_t> sizes;
    idx_t total = 0;
    int32_t expected = 0;
    bool in_order = true;
    while (data.Scan(cursor, {0}, true, chunk)) {
        sizes.push_back(chunk.size);
        CHECK_FALSE(chunk.has_sel);
        REQUIRE(chunk.ColumnCount() == 2);  // the value column and the row ids
        for (idx_t i = 0; i < chunk.size; ++i) {
            in_order &= chunk.columns[0].Data<int32_t>()[i] == expected;
            in_order &= chunk.columns[1].Data<int64_t>()[i] == expected;
            ++expected;
        }
        total += chunk.size;
    }
    CHECK(in_order);
    CHECK(total == kRowGroupSize + 3000);
    // 60 full vectors in group 0, then 2048 + 952 in group 1.
    REQUIRE(sizes.size() == 62);
    CHECK(sizes[59] == kVectorSize);
    CHECK(sizes[60] == kVectorSize);
    CHECK(sizes[61] == 952);
    CHECK_FALSE(data.Scan(cursor, {0}, false, chunk));  // stays at the end
}

TEST_CASE("table_data: deleted rows are excluded by a selection vector") {
    TableData data({kInt});
    AppendRange(data, 0, 10);
    CHECK(data.Delete(1));
    CHECK(data.Delete(3));
    CHECK_FALSE(data.Delete(3));  // already deleted
    CHECK(data.IsDeleted(1));
    CHECK_FALSE(data.IsDeleted(2));
    CHECK(data.RowCount() == 10);
    CHECK(data.LiveRowCount() == 8);

    TableData::ScanCursor cursor;
    DataChunk chunk;
    REQUIRE(data.Scan(cursor, {0}, true, chunk));
    CHECK(chunk.size == 10);
    CHECK(chunk.has_sel);
    CHECK(chunk.sel.indices == std::vector<uint32_t>{0, 2, 4, 5, 6, 7, 8, 9});
    CHECK(chunk.ActiveCount() == 8);
    CHECK(chunk.columns[1].Data<int64_t>()[4] == 4);  // row ids are physical positions
    CHECK_FALSE(data.Scan(cursor, {0}, false, chunk));
}

TEST_CASE("table_data: a vector whose rows are all deleted is skipped by the scan") {
    TableData data({kInt});
    AppendRange(data, 0, kVectorSize + 5);
    for (row_t row = 0; row < static_cast<row_t>(kVectorSize); ++row) CHECK(data.Delete(row));
    TableData::ScanCursor cursor;
    DataChunk chunk;
    REQUIRE(data.Scan(cursor, {0}, false, chunk));
    CHECK(chunk.size == 5);
    CHECK(chunk.ActiveCount() == 5);
    CHECK(chunk.columns[0].GetValue(chunk.ActiveRow(0)) == Value::Integer(static_cast<int32_t>(kVectorSize)));
    CHECK_FALSE(data.Scan(cursor, {0}, false, chunk));
}

TEST_CASE("table_data: Undelete restores a row and the counts") {
    TableData data({kInt});
    AppendRange(data, 0, 5);
    CHECK(data.Delete(2));
    data.Undelete(2);
    CHECK_FALSE(data.IsDeleted(2));
    CHECK(data.LiveRowCount() == 5);
    CHECK(data.RowGroups()[0]->deleted_count == 0);
    data.Undelete(2);  // undeleting a live row changes nothing
    CHECK(data.LiveRowCount() == 5);
    CHECK(ScanInts(data) == std::vector<std::optional<int32_t>>{0, 1, 2, 3, 4});
}

TEST_CASE("table_data: Update overwrites values, NULLs and strings") {
    TableData data({kInt, kVarchar});
    DataChunk chunk;
    chunk.Initialize({kInt, kVarchar}, 3);
    for (int i = 0; i < 3; ++i) {
        chunk.columns[0].SetValue(i, Value::Integer(i));
        chunk.columns[1].SetValue(i, Value::Varchar("row " + std::to_string(i)));
    }
    chunk.size = 3;
    data.Append(chunk);

    Vector src(kInt, 2);
    src.SetValue(0, Value::Integer(42));
    src.SetValue(1, Value::Null(kInt));
    data.Update(1, 0, src, 0);
    CHECK(data.GetValue(1, 0) == Value::Integer(42));
    data.Update(2, 0, src, 1);
    CHECK(data.GetValue(2, 0).IsNull());
    CHECK(data.RowGroups()[0]->columns[0].null_count == 1);
    data.Update(2, 0, src, 0);  // NULL back to a value
    CHECK(data.GetValue(2, 0) == Value::Integer(42));
    CHECK(data.RowGroups()[0]->columns[0].null_count == 0);
    data.Update(0, 0, src, 1);
    data.Update(0, 0, src, 1);  // NULL twice counts once
    CHECK(data.RowGroups()[0]->columns[0].null_count == 1);

    {
        Vector strings(kVarchar, 1);
        strings.SetValue(0, Value::Varchar("a string longer than twelve bytes"));
        data.Update(1, 1, strings, 0);
    }  // the source vector and its heap are gone
    CHECK(data.GetValue(1, 1) == Value::Varchar("a string longer than twelve bytes"));
    CHECK(data.GetValue(0, 1) == Value::Varchar("row 0"));
}

TEST_CASE("table_data: Truncate removes appended rows and their counts") {
    SUBCASE("within one row group") {
        TableData data({kInt});
        AppendRange(data, 0, 10);
        data.Append(IntChunk({std::nullopt, 11}));
        CHECK(data.Delete(8));
        CHECK(data.Delete(10));
        data.Truncate(5);
        CHECK(data.RowCount() == 5);
        CHECK(data.LiveRowCount() == 5);
        CHECK(data.RowGroups()[0]->deleted_count == 0);
        CHECK(data.RowGroups()[0]->columns[0].null_count == 0);
        CHECK(ScanInts(data) == std::vector<std::optional<int32_t>>{0, 1, 2, 3, 4});
        // Appending again reuses the positions with fresh values, validity and liveness.
        data.Append(IntChunk({100, 101, 102, 103, 104, 105}));
        CHECK(data.LiveRowCount() == 11);
        CHECK(ScanInts(data) == std::vector<std::optional<int32_t>>{0, 1, 2, 3, 4, 100, 101, 102, 103, 104, 105});
    }
    SUBCASE("across row groups") {
        TableData data({kInt});
        AppendRange(data, 0, 100);
        AppendRange(data, 100, kRowGroupSize + 50);
        CHECK(data.Delete(static_cast<row_t>(kRowGroupSize) + 10));
        REQUIRE(data.RowGroups().size() == 2);
        data.Truncate(100);
        CHECK(data.RowGroups().size() == 1);
        CHECK(data.RowCount() == 100);
        CHECK(data.LiveRowCount() == 100);
        CHECK(data.RowGroups()[0]->count == 100);
    }
    SUBCASE("at a row-group boundary") {
        TableData data({kInt});
        AppendRange(data, 0, kRowGroupSize + 1);
        data.Truncate(kRowGroupSize);
        CHECK(data.RowGroups().size() == 1);
        CHECK(data.RowCount() == kRowGroupSize);
        AppendRange(data, 7, 1);
        CHECK(data.GetValue(static_cast<row_t>(kRowGroupSize), 0) == Value::Integer(7));
    }
    SUBCASE("to zero") {
        TableData data({kInt});
        AppendRange(data, 0, 10);
        data.Truncate(0);
        CHECK(data.RowCount() == 0);
        CHECK(data.RowGroups().empty());
        CHECK(ScanInts(data).empty());
    }
}

TEST_CASE("table_data: NULLs are kept in the validity mask and counted") {
    TableData data({kInt});
    data.Append(IntChunk({1, std::nullopt, 3, std::nullopt}));
    CHECK(data.RowGroups()[0]->columns[0].null_count == 2);
    CHECK(data.GetValue(1, 0).IsNull());
    CHECK(data.GetValue(2, 0) == Value::Integer(3));
    CHECK(ScanInts(data) == std::vector<std::optional<int32_t>>{1, std::nullopt, 3, std::nullopt});
    // A later NULL-free append stays valid.
    data.Append(IntChunk({5, 6}));
    CHECK(ScanInts(data) == std::vector<std::optional<int32_t>>{1, std::nullopt, 3, std::nullopt, 5, 6});
}

TEST_CASE("table_data: NULLs in a later vector of a row group reach the scan") {
    TableData data({kInt});
    AppendRange(data, 0, 3 * kVectorSize);
    std::vector<std::optional<int32_t>> values = {std::nullopt, 1, std::nullopt};
    data.Append(IntChunk(values));
    TableData::ScanCursor cursor;
    DataChunk chunk;
    idx_t nulls = 0, rows = 0;
    while (data.Scan(cursor, {0}, false, chunk)) {
        for (idx_t i = 0; i < chunk.size; ++i) nulls += !chunk.columns[0].Validity().RowIsValid(i);
        rows += chunk.size;
    }
    CHECK(rows == 3 * kVectorSize + 3);
    CHECK(nulls == 2);
}

TEST_CASE("table_data: appended rows honour the chunk's selection") {
    TableData data({kInt});
    DataChunk chunk = IntChunk({10, 11, 12, 13, 14});
    chunk.has_sel = true;
    chunk.sel.indices = {1, 4};
    data.Append(chunk);
    CHECK(data.RowCount() == 2);
    CHECK(ScanInts(data) == std::vector<std::optional<int32_t>>{11, 14});
}

TEST_CASE("table_data: strings are copied into the table heap and survive the source vector") {
    TableData data({kVarchar});
    const std::string long_a = "a string that is certainly longer than twelve bytes";
    const std::string long_b(500, 'x');
    {
        DataChunk chunk;
        chunk.Initialize({kVarchar}, 4);
        chunk.columns[0].SetValue(0, Value::Varchar(long_a));
        chunk.columns[0].SetValue(1, Value::Varchar("short"));
        chunk.columns[0].SetValue(2, Value::Null(kVarchar));
        chunk.columns[0].SetValue(3, Value::Varchar(long_b));
        chunk.size = 4;
        data.Append(chunk);
        // Scribble over the source bytes before the chunk goes away.
        auto* refs = chunk.columns[0].Data<StringRef>();
        std::memset(const_cast<char*>(refs[0].Data()), '?', refs[0].Size());
    }
    CHECK(data.GetValue(0, 0) == Value::Varchar(long_a));
    CHECK(data.GetValue(1, 0) == Value::Varchar("short"));
    CHECK(data.GetValue(2, 0).IsNull());
    CHECK(data.GetValue(3, 0) == Value::Varchar(long_b));

    TableData::ScanCursor cursor;
    DataChunk out;
    REQUIRE(data.Scan(cursor, {0}, false, out));
    CHECK(out.columns[0].GetValue(0) == Value::Varchar(long_a));
    CHECK(out.columns[0].HeapPtr() == data.Heap(0));  // scans borrow the table's heap
}

TEST_CASE("table_data: scans can read a subset of columns in any order") {
    TableData data({kInt, kDouble, kVarchar});
    DataChunk chunk;
    chunk.Initialize({kInt, kDouble, kVarchar}, 2);
    for (int i = 0; i < 2; ++i) {
        chunk.columns[0].SetValue(i, Value::Integer(i));
        chunk.columns[1].SetValue(i, Value::Double(i + 0.5));
        chunk.columns[2].SetValue(i, Value::Varchar("s" + std::to_string(i)));
    }
    chunk.size = 2;
    data.Append(chunk);
    TableData::ScanCursor cursor;
    DataChunk out;
    REQUIRE(data.Scan(cursor, {2, 0}, false, out));
    REQUIRE(out.ColumnCount() == 2);
    CHECK(out.columns[0].GetValue(1) == Value::Varchar("s1"));
    CHECK(out.columns[1].GetValue(1) == Value::Integer(1));
}

TEST_CASE("table_data: AddColumn fills existing rows and DropColumn removes one") {
    TableData data({kInt});
    AppendRange(data, 0, 3);
    data.AddColumn(kVarchar, Value::Varchar("a default longer than twelve"));
    data.AddColumn(kInt, Value::Null(kInt));
    CHECK(data.Types().size() == 3);
    CHECK(data.GetValue(2, 1) == Value::Varchar("a default longer than twelve"));
    CHECK(data.GetValue(2, 2).IsNull());
    CHECK(data.RowGroups()[0]->columns[2].null_count == 3);
    data.DropColumn(1);
    CHECK(data.Types() == std::vector<LogicalType>{kInt, kInt});
    CHECK(data.GetValue(1, 0) == Value::Integer(1));
    CHECK(data.GetValue(1, 1).IsNull());
}

TEST_CASE("table_data: distinct estimates of BOOLEAN columns hash one byte per value") {
    // A full row group puts the last value at the end of the chunk's memory, where
    // an eight-byte read overruns it (caught by AddressSanitizer).
    const LogicalType boolean(TypeId::Boolean);
    TableData data({boolean});
    for (idx_t done = 0; done < kRowGroupSize; done += kVectorSize) {
        DataChunk chunk;
        chunk.Initialize({boolean});
        for (idx_t i = 0; i < kVectorSize; ++i) chunk.columns[0].SetValue(i, Value::Boolean((done + i) % 3 == 0));
        chunk.size = kVectorSize;
        data.Append(chunk);
    }
    double distinct = data.Statistics(0).distinct;
    CHECK(distinct > 1.5);
    CHECK(distinct < 2.5);
}
