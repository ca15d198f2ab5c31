// Tests for runtime/chunk_collection (ChunkCollection::Append in vector_ops.cpp).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/chunk_collection.hpp"

using namespace grizzly;
using grizzly::runtime::ChunkCollection;

namespace {

const LogicalType kInt(TypeId::Integer);
const LogicalType kVarchar(TypeId::Varchar);

/// A dense (INTEGER, VARCHAR) chunk of `n` rows: (first + i, "v<first + i>"); every 7th INTEGER is NULL.
DataChunk MakeChunk(int32_t first, idx_t n) {
    DataChunk chunk;
    chunk.Initialize({kInt, kVarchar}, std::max<idx_t>(n, 1));
    for (idx_t i = 0; i < n; ++i) {
        int32_t v = first + static_cast<int32_t>(i);
        chunk.columns[0].SetValue(i, v % 7 == 0 ? Value::Null(kInt) : Value::Integer(v));
        chunk.columns[1].SetValue(i, Value::Varchar("v" + std::to_string(v) + " padded past twelve bytes"));
    }
    chunk.size = n;
    return chunk;
}

/// Checks that rows [0, n) of the collection hold first, first + 1, ...
void CheckSequence(const ChunkCollection& c, int32_t first, idx_t n) {
    bool ok = true;
    for (idx_t row = 0; row < n; ++row) {
        int32_t v = first + static_cast<int32_t>(row);
        Value a = c.GetValue(row, 0);
        ok &= v % 7 == 0 ? a.IsNull() : a == Value::Integer(v);
        ok &= c.GetValue(row, 1) == Value::Varchar("v" + std::to_string(v) + " padded past twelve bytes");
    }
    CHECK(ok);
}

}  // namespace

TEST_CASE("chunk_collection: Append copies only the active rows of a selection") {
    ChunkCollection c({kInt, kVarchar});
    DataChunk chunk = MakeChunk(0, 10);
    chunk.has_sel = true;
    chunk.sel.indices = {1, 2, 7, 9};
    c.Append(chunk);
    CHECK(c.RowCount() == 4);
    REQUIRE(c.Chunks().size() == 1);
    CHECK_FALSE(c.Chunks()[0].has_sel);
    CHECK(c.Chunks()[0].size == 4);
    CHECK(c.GetValue(0, 0) == Value::Integer(1));
    CHECK(c.GetValue(1, 0) == Value::Integer(2));
    CHECK(c.GetValue(2, 0).IsNull());  // 7 is NULL
    CHECK(c.GetValue(3, 0) == Value::Integer(9));
    CHECK(c.GetValue(3, 1) == Value::Varchar("v9 padded past twelve bytes"));
}

TEST_CASE("chunk_collection: chunks hold exactly kVectorSize rows except the last") {
    ChunkCollection c({kInt, kVarchar});
    // Odd-sized appends so that chunk boundaries fall inside appended chunks.
    int32_t next = 0;
    for (idx_t n : {1000u, 1500u, 2048u, 7u, 3000u}) {
        c.Append(MakeChunk(next, n));
        next += static_cast<int32_t>(n);
    }
    idx_t total = 1000 + 1500 + 2048 + 7 + 3000;
    CHECK(c.RowCount() == total);
    REQUIRE(c.Chunks().size() == (total + kVectorSize - 1) / kVectorSize);
    for (size_t i = 0; i + 1 < c.Chunks().size(); ++i) {
        CAPTURE(i);
        CHECK(c.Chunks()[i].size == kVectorSize);
    }
    CHECK(c.Chunks().back().size == total % kVectorSize);
    CheckSequence(c, 0, total);
}

TEST_CASE("chunk_collection: a small last chunk starts small and grows") {
    ChunkCollection c({kInt, kVarchar});
    c.Append(MakeChunk(0, 3));
    REQUIRE(c.Chunks().size() == 1);
    CHECK(c.Chunks()[0].columns[0].Capacity() == 16);  // small results stay small
    c.Append(MakeChunk(3, 10));
    CHECK(c.Chunks()[0].columns[0].Capacity() == 16);
    c.Append(MakeChunk(13, 100));  // 113 rows: grows within the same chunk
    REQUIRE(c.Chunks().size() == 1);
    CHECK(c.Chunks()[0].size == 113);
    CHECK(c.Chunks()[0].columns[0].Capacity() >= 113);
    CHECK(c.Chunks()[0].columns[1].Capacity() >= 113);
    CheckSequence(c, 0, 113);
    c.Append(MakeChunk(113, 4000));  // fills to kVectorSize, then continues
    CHECK(c.Chunks()[0].size == kVectorSize);
    CHECK(c.Chunks()[0].columns[0].Capacity() == kVectorSize);
    CheckSequence(c, 0, 4113);
}

TEST_CASE("chunk_collection: strings survive the appended chunks") {
    ChunkCollection c({kVarchar});
    {
        DataChunk chunk;
        chunk.Initialize({kVarchar}, 2);
        chunk.columns[0].SetValue(0, Value::Varchar(std::string(40, 'a')));
        chunk.columns[0].SetValue(1, Value::Varchar("b"));
        chunk.size = 2;
        c.Append(chunk);
        // Growing the chunk moves the refs into a new vector; the strings must follow.
        DataChunk more;
        more.Initialize({kVarchar}, 50);
        for (int i = 0; i < 50; ++i) more.columns[0].SetValue(i, Value::Varchar(std::string(20, 'c')));
        more.size = 50;
        c.Append(more);
    }
    CHECK(c.GetValue(0, 0) == Value::Varchar(std::string(40, 'a')));
    CHECK(c.GetValue(1, 0) == Value::Varchar("b"));
    CHECK(c.GetValue(51, 0) == Value::Varchar(std::string(20, 'c')));
}

TEST_CASE("chunk_collection: appending an empty chunk adds nothing") {
    ChunkCollection c({kInt, kVarchar});
    c.Append(MakeChunk(0, 0));
    DataChunk none = MakeChunk(0, 5);
    none.has_sel = true;  // selection with no rows
    c.Append(none);
    CHECK(c.RowCount() == 0);
    CHECK(c.Chunks().empty());
}
