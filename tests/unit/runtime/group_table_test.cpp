// Tests for runtime/hash/group_table.cpp: the GROUP BY / DISTINCT hash table.
#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "runtime/hash/group_table.hpp"
#include "tests/unit/runtime/test_vectors.hpp"

using namespace grizzly;
using namespace grizzly::test;
using grizzly::runtime::GroupTable;
using grizzly::runtime::Rows;

namespace {

/// Group ids of all rows of single-column `keys`.
std::vector<uint32_t> Groups(GroupTable& table, const std::vector<Vector>& keys, idx_t n) {
    std::vector<uint32_t> ids(n);
    table.FindOrCreate(keys, Rows{nullptr, n}, ids.data());
    return ids;
}

}  // namespace

TEST_CASE("group_table: ids are dense and in insertion order") {
    GroupTable table({kInt});
    std::vector<Vector> keys;
    keys.push_back(MakeVector(kInt, {I(5), I(3), I(5), I(7), I(3)}));
    CHECK(Groups(table, keys, 5) == std::vector<uint32_t>{0, 1, 0, 2, 1});
    CHECK(table.GroupCount() == 3);
    CHECK(table.Keys().GetValue(0, 0) == I(5));
    CHECK(table.Keys().GetValue(1, 0) == I(3));
    CHECK(table.Keys().GetValue(2, 0) == I(7));

    // A second batch finds the old groups and appends new ones after them.
    std::vector<Vector> more;
    more.push_back(MakeVector(kInt, {I(7), I(9), I(5)}));
    CHECK(Groups(table, more, 3) == std::vector<uint32_t>{2, 3, 0});
    CHECK(table.GroupCount() == 4);
}

TEST_CASE("group_table: Keys().RowCount() matches GroupCount()") {
    GroupTable table({kInt});
    std::vector<Vector> keys;
    keys.push_back(MakeVector(kInt, {I(5), I(3), I(5)}));
    Groups(table, keys, 3);
    CHECK(table.Keys().RowCount() == table.GroupCount());
}

TEST_CASE("group_table: only the selected rows are grouped") {
    GroupTable table({kInt});
    std::vector<Vector> keys;
    keys.push_back(MakeVector(kInt, {I(1), I(2), I(3), I(2)}));
    std::vector<uint32_t> sel = {1, 3};
    std::vector<uint32_t> ids(2);
    table.FindOrCreate(keys, Rows{sel.data(), sel.size()}, ids.data());
    CHECK(ids == std::vector<uint32_t>{0, 0});  // ids are per entry of rows, not per position
    CHECK(table.GroupCount() == 1);
    CHECK(table.Keys().GetValue(0, 0) == I(2));
}

TEST_CASE("group_table: NULL keys group together") {
    GroupTable table({kInt});
    std::vector<Vector> keys;
    keys.push_back(MakeVector(kInt, {Value::Null(kInt), I(0), Value::Null(kInt), I(0)}));
    CHECK(Groups(table, keys, 4) == std::vector<uint32_t>{0, 1, 0, 1});
    CHECK(table.Keys().GetValue(0, 0).IsNull());
    CHECK(table.Keys().GetValue(1, 0) == I(0));  // NULL and 0 are different groups
}

TEST_CASE("group_table: multi-column keys") {
    GroupTable table({kInt, kVarchar});
    const std::string long_a = "a key that is longer than twelve bytes";
    const std::string long_b = "a key that is longer than twelve bytes, too";
    std::vector<Vector> keys;
    keys.push_back(MakeVector(kInt, {I(1), I(1), I(2), I(1), I(1), Value::Null(kInt), Value::Null(kInt)}));
    keys.push_back(MakeVector(kVarchar, {S(long_a), S(long_b), S(long_a), S(long_a), S("x"), S("x"),
                                         Value::Null(kVarchar)}));
    CHECK(Groups(table, keys, 7) == std::vector<uint32_t>{0, 1, 2, 0, 3, 4, 5});
    CHECK(table.Keys().GetValue(4, 0).IsNull());
    CHECK(table.Keys().GetValue(4, 1) == S("x"));
    CHECK(table.Keys().GetValue(5, 1).IsNull());
}

TEST_CASE("group_table: stored string keys outlive the vectors they came from") {
    GroupTable table({kVarchar});
    const std::string long_key(100, 'k');
    {
        std::vector<Vector> keys;
        keys.push_back(MakeVector(kVarchar, {S(long_key), S("short")}));
        CHECK(Groups(table, keys, 2) == std::vector<uint32_t>{0, 1});
    }
    std::vector<Vector> again;
    again.push_back(MakeVector(kVarchar, {S("short"), S(long_key)}));
    CHECK(Groups(table, again, 2) == std::vector<uint32_t>{1, 0});
    CHECK(table.Keys().GetValue(0, 0) == S(long_key));
}

TEST_CASE("group_table: grows past 1024 slots and keeps every group") {
    GroupTable table({kBigInt});
    const int64_t n = 5000;  // several growths, and keys spread over three key chunks
    auto batch = [&](int64_t first, int64_t count) {
        std::vector<Value> values;
        for (int64_t i = 0; i < count; ++i) values.push_back(Value::BigInt((first + i) * 7919));
        std::vector<Vector> keys;
        keys.push_back(MakeVector(kBigInt, values));
        return keys;
    };
    for (int64_t first = 0; first < n; first += kVectorSize) {
        int64_t count = std::min<int64_t>(kVectorSize, n - first);
        auto ids = Groups(table, batch(first, count), static_cast<idx_t>(count));
        for (int64_t i = 0; i < count; ++i) REQUIRE(ids[static_cast<size_t>(i)] == first + i);
    }
    CHECK(table.GroupCount() == n);
    CHECK(table.Keys().Chunks().size() == 3);
    // Looking every key up again (in reverse) finds the same ids and adds nothing.
    for (int64_t first = 0; first < n; first += kVectorSize) {
        int64_t count = std::min<int64_t>(kVectorSize, n - first);
        auto ids = Groups(table, batch(first, count), static_cast<idx_t>(count));
        for (int64_t i = 0; i < count; ++i) REQUIRE(ids[static_cast<size_t>(i)] == first + i);
    }
    CHECK(table.GroupCount() == n);
    CHECK(table.Keys().GetValue(4999, 0) == Value::BigInt(4999 * 7919));
}

TEST_CASE("group_table: -0.0 and 0.0 are one group") {
    GroupTable table({kDouble});
    std::vector<Vector> keys;
    keys.push_back(MakeVector(kDouble, {D(0.0), D(-0.0), D(1.5)}));
    CHECK(Groups(table, keys, 3) == std::vector<uint32_t>{0, 0, 1});
}

TEST_CASE("group_table: NaN keys group together") {
    GroupTable table({kDouble});
    std::vector<Vector> keys;
    keys.push_back(MakeVector(kDouble, {D(std::nan("")), D(1.0), D(std::nan(""))}));
    CHECK(Groups(table, keys, 3) == std::vector<uint32_t>{0, 1, 0});
}
