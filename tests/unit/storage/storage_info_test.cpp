// Tests for storage/file/storage_info.cpp: the per-column report names the
// encodings and codecs a checkpoint uses, segment by segment, and its byte
// counts are what the checkpoint writes.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/catalog.hpp"
#include "storage/file/checkpoint.hpp"
#include "storage/file/storage_info.hpp"

using namespace grizzly;
using storage::Catalog;
using storage::ColumnDefinition;
using storage::TableEntry;
using storage::UndoLog;

namespace {

const std::vector<ColumnDefinition> kColumns = {
    {"id", LogicalType(TypeId::Integer), false, ""},       // sorted: bit-packed
    {"mode", LogicalType(TypeId::Varchar), false, ""},     // seven words: dictionary
    {"status", LogicalType(TypeId::Varchar), false, ""},   // long runs: run-length
    {"zero", LogicalType::Decimal(15, 2), false, ""},      // one value: constant
    {"shift", LogicalType(TypeId::BigInt), false, ""},     // constant in the first row group, sorted in the second
};

void Fill(TableEntry& table, idx_t rows) {
    const char* modes[] = {"MAIL", "SHIP", "AIR", "RAIL", "TRUCK", "REG AIR", "FOB"};
    for (idx_t done = 0; done < rows; done += kVectorSize) {
        idx_t n = std::min<idx_t>(kVectorSize, rows - done);
        DataChunk chunk;
        chunk.Initialize(table.Types(), n);
        for (idx_t i = 0; i < n; ++i) {
            idx_t row = done + i;
            chunk.columns[0].SetValue(i, Value::Integer(static_cast<int32_t>(row)));
            chunk.columns[1].SetValue(i, Value::Varchar(modes[(row * 2654435761u) % 7]));
            chunk.columns[2].SetValue(i, Value::Varchar(row / 5000 % 2 ? "open" : "closed"));
            chunk.columns[3].SetValue(i, Value::Decimal(0, 15, 2));
            chunk.columns[4].SetValue(i, Value::BigInt(row < storage::kRowGroupSize ? 1 : static_cast<int64_t>(row)));
        }
        chunk.size = n;
        table.MutableData().Append(chunk);
    }
}

}  // namespace

TEST_CASE("storage_info: names each column's encodings and codecs, with segment counts when they differ") {
    Catalog catalog;
    UndoLog undo;
    TableEntry* table = catalog.CreateTable(std::make_unique<TableEntry>("t", kColumns), undo);
    Fill(*table, storage::kRowGroupSize + 20000);
    auto info = storage::DescribeStorage(*table);
    REQUIRE(info.size() == kColumns.size());
    CHECK(info[0].column_name == "id");
    CHECK(info[0].type == "INTEGER");
    CHECK(info[3].type == "DECIMAL(15,2)");
    for (const auto& column : info) {
        INFO(column.column_name << ": " << column.encodings << " / " << column.codecs);
        CHECK(column.segments == 2);
        CHECK(column.compressed_bytes > 0);
        CHECK(column.compressed_bytes < column.uncompressed_bytes);
        CHECK(!column.codecs.empty());
    }
    CHECK(info[0].encodings == "for_bitpack");
    CHECK(info[1].encodings == "dictionary");
    CHECK(info[2].encodings == "rle");
    CHECK(info[3].encodings == "constant");
    CHECK(info[3].codecs == "none");
    CHECK(info[4].encodings == "constant(1)+for_bitpack(1)");
    CHECK(info[0].uncompressed_bytes == (storage::kRowGroupSize + 20000) * 4);
}

TEST_CASE("storage_info: the reported bytes are what a checkpoint stores for the column data") {
    Catalog catalog;
    UndoLog undo;
    TableEntry* table = catalog.CreateTable(std::make_unique<TableEntry>("t", kColumns), undo);
    size_t empty = storage::SerializeDatabase(catalog).size();
    Fill(*table, storage::kRowGroupSize + 20000);
    size_t full = storage::SerializeDatabase(catalog).size();
    uint64_t columns = 0;
    for (const auto& column : storage::DescribeStorage(*table)) columns += column.compressed_bytes;
    // Each row group adds its row count (4 bytes) and a deletion flag (1 byte) besides the column segments.
    CHECK(full - empty == columns + 2 * 5);
}

TEST_CASE("storage_info: an empty table has columns but no segments") {
    TableEntry table("e", kColumns);
    auto info = storage::DescribeStorage(table);
    REQUIRE(info.size() == kColumns.size());
    CHECK(info[1].segments == 0);
    CHECK(info[1].encodings.empty());
    CHECK(info[1].compressed_bytes == 0);
}
