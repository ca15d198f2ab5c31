// Tests for runtime/vector_ops.cpp: gather, copy, fill, hash, equality and ordering of rows.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "runtime/vector_ops.hpp"
#include "tests/unit/runtime/test_vectors.hpp"

using namespace grizzly;
using namespace grizzly::test;
using grizzly::runtime::CompareRows;
using grizzly::runtime::CopyRows;
using grizzly::runtime::FillConstant;
using grizzly::runtime::Gather;
using grizzly::runtime::HashVector;
using grizzly::runtime::Rows;
using grizzly::runtime::RowsEqual;
using grizzly::runtime::SetNull;

namespace {

std::vector<uint64_t> Hashes(const Vector& v, idx_t n) {
    std::vector<uint64_t> h(n);
    HashVector(v, Rows{nullptr, n}, h.data(), true);
    return h;
}

}  // namespace

TEST_CASE("vector_ops: Gather picks rows into a dense vector, with NULLs and an offset") {
    Vector src = MakeVector(kInt, {I(10), Value::Null(kInt), I(30), I(40)});
    Vector dst(kInt, 8);
    std::vector<uint32_t> rows = {3, 1, 0};
    Gather(src, rows.data(), rows.size(), dst, 2);
    CHECK(dst.GetValue(2) == I(40));
    CHECK(dst.GetValue(3).IsNull());
    CHECK(dst.GetValue(4) == I(10));

    // Gathering valid values over a slot that was NULL makes it valid again.
    std::vector<uint32_t> again = {2};
    Gather(src, again.data(), 1, dst, 3);
    CHECK(dst.GetValue(3) == I(30));
}

TEST_CASE("vector_ops: Gather keeps gathered strings alive") {
    const std::string long_value = "a string well beyond the twelve inline bytes";
    Vector dst(kVarchar, 2);
    {
        Vector src = MakeVector(kVarchar, {S("short"), S(long_value)});
        std::vector<uint32_t> rows = {1, 0};
        Gather(src, rows.data(), 2, dst);
    }
    CHECK(dst.GetValue(0) == S(long_value));
    CHECK(dst.GetValue(1) == S("short"));
}

TEST_CASE("vector_ops: CopyRows copies the selected positions only") {
    Vector src = MakeVector(kBigInt, {Value::BigInt(1), Value::BigInt(2), Value::Null(kBigInt), Value::BigInt(4)});
    Vector dst = MakeVector(kBigInt, {Value::BigInt(-1), Value::BigInt(-2), Value::BigInt(-3), Value::BigInt(-4)});
    std::vector<uint32_t> rows = {1, 2};
    CopyRows(src, Rows{rows.data(), rows.size()}, dst);
    CHECK(dst.GetValue(0) == Value::BigInt(-1));
    CHECK(dst.GetValue(1) == Value::BigInt(2));
    CHECK(dst.GetValue(2).IsNull());
    CHECK(dst.GetValue(3) == Value::BigInt(-4));
}

TEST_CASE("vector_ops: CopyRows of strings survives the source") {
    const std::string long_value(64, 'z');
    Vector dst(kVarchar, 2);
    {
        Vector src = MakeVector(kVarchar, {S(long_value), S("b")});
        CopyRows(src, Rows{nullptr, 2}, dst);
    }
    CHECK(dst.GetValue(0) == S(long_value));
    CHECK(dst.GetValue(1) == S("b"));
}

TEST_CASE("vector_ops: FillConstant and SetNull") {
    Vector v(kVarchar, 4);
    std::vector<uint32_t> rows = {0, 2};
    FillConstant(S("a constant longer than twelve bytes"), Rows{rows.data(), rows.size()}, v);
    CHECK(v.GetValue(0) == S("a constant longer than twelve bytes"));
    CHECK(v.GetValue(2) == S("a constant longer than twelve bytes"));
    FillConstant(Value::Null(kVarchar), Rows{rows.data(), 1}, v);
    CHECK(v.GetValue(0).IsNull());
    FillConstant(S("x"), Rows{rows.data(), 1}, v);  // valid again
    CHECK(v.GetValue(0) == S("x"));
    SetNull(v, 2, 2);
    CHECK(v.GetValue(2).IsNull());
    CHECK(v.GetValue(3).IsNull());
}

TEST_CASE("vector_ops: HashVector gives equal values equal hashes") {
    SUBCASE("integers") {
        Vector v = MakeVector(kInt, {I(7), I(8), I(7)});
        auto h = Hashes(v, 3);
        CHECK(h[0] == h[2]);
        CHECK(h[0] != h[1]);
    }
    SUBCASE("-0.0 and 0.0") {
        Vector v = MakeVector(kDouble, {D(0.0), D(-0.0), D(1.0)});
        auto h = Hashes(v, 3);
        CHECK(h[0] == h[1]);
        CHECK(h[0] != h[2]);
    }
    SUBCASE("NaNs with different payloads") {
        double quiet = std::numeric_limits<double>::quiet_NaN();
        double negative = -quiet;
        Vector v = MakeVector(kDouble, {D(quiet), D(negative)});
        auto h = Hashes(v, 2);
        CHECK(h[0] == h[1]);
    }
    SUBCASE("strings longer than 12 bytes from different heaps") {
        const std::string long_value = "exactly the same long string value";
        Vector a = MakeVector(kVarchar, {S(long_value), S("short"), S("twelve bytes")});
        Vector b = MakeVector(kVarchar, {S("twelve bytes"), S(long_value), S("short")});
        auto ha = Hashes(a, 3), hb = Hashes(b, 3);
        CHECK(ha[0] == hb[1]);
        CHECK(ha[1] == hb[2]);
        CHECK(ha[2] == hb[0]);
        CHECK(ha[0] != ha[1]);
        // Same prefix and length, different tail.
        Vector c = MakeVector(kVarchar, {S("exactly the same long string valuf")});
        CHECK(Hashes(c, 1)[0] != ha[0]);
    }
    SUBCASE("NULLs hash alike") {
        Vector v = MakeVector(kInt, {Value::Null(kInt), I(0), Value::Null(kInt)});
        auto h = Hashes(v, 3);
        CHECK(h[0] == h[2]);
        CHECK(h[0] != h[1]);
    }
    SUBCASE("with a selection, hashes are per entry of rows") {
        Vector v = MakeVector(kInt, {I(1), I(2), I(3)});
        std::vector<uint32_t> rows = {2, 0};
        std::vector<uint64_t> h(2);
        HashVector(v, Rows{rows.data(), rows.size()}, h.data(), true);
        auto dense = Hashes(v, 3);
        CHECK(h[0] == dense[2]);
        CHECK(h[1] == dense[0]);
    }
}

TEST_CASE("vector_ops: HashVector combines columns order-sensitively") {
    Vector a = MakeVector(kInt, {I(1), I(2), I(1)});
    Vector b = MakeVector(kInt, {I(2), I(1), I(2)});
    std::vector<uint64_t> h(3);
    HashVector(a, Rows{nullptr, 3}, h.data(), true);
    HashVector(b, Rows{nullptr, 3}, h.data(), false);
    CHECK(h[0] == h[2]);  // (1, 2) twice
    CHECK(h[0] != h[1]);  // (1, 2) vs (2, 1)
}

TEST_CASE("vector_ops: RowsEqual and NULL handling") {
    Vector a = MakeVector(kInt, {I(1), Value::Null(kInt), I(3)});
    Vector b = MakeVector(kInt, {I(1), Value::Null(kInt), Value::Null(kInt)});
    CHECK(RowsEqual(a, 0, b, 0, false));
    CHECK_FALSE(RowsEqual(a, 1, b, 1, false));  // NULL = NULL is not true in a join
    CHECK(RowsEqual(a, 1, b, 1, true));         // but groups together
    CHECK_FALSE(RowsEqual(a, 2, b, 2, true));   // value vs NULL never equal
    CHECK_FALSE(RowsEqual(a, 2, b, 2, false));
    CHECK_FALSE(RowsEqual(a, 0, a, 2, true));

    Vector d = MakeVector(kDouble, {D(0.0), D(-0.0)});
    CHECK(RowsEqual(d, 0, d, 1, false));

    const std::string long_value = "a string longer than twelve";
    Vector s1 = MakeVector(kVarchar, {S(long_value), S("abc")});
    Vector s2 = MakeVector(kVarchar, {S(long_value), S("abd"), S("a string longer than twelvf")});
    CHECK(RowsEqual(s1, 0, s2, 0, false));
    CHECK_FALSE(RowsEqual(s1, 1, s2, 1, false));
    CHECK_FALSE(RowsEqual(s1, 0, s2, 2, false));

    Vector iv = MakeVector(kInterval, {Value::FromInterval({1, 2, 3}), Value::FromInterval({1, 2, 3})});
    CHECK(RowsEqual(iv, 0, iv, 1, false));
}

TEST_CASE("vector_ops: CompareRows orders values") {
    Vector i = MakeVector(kInt, {I(-5), I(3), I(3)});
    CHECK(CompareRows(i, 0, i, 1) < 0);
    CHECK(CompareRows(i, 1, i, 0) > 0);
    CHECK(CompareRows(i, 1, i, 2) == 0);

    Vector b = MakeVector(kBool, {Value::Boolean(false), Value::Boolean(true)});
    CHECK(CompareRows(b, 0, b, 1) < 0);

    double nan = std::nan("");
    Vector d = MakeVector(kDouble, {D(nan), D(std::numeric_limits<double>::infinity()), D(nan), D(-1.0)});
    CHECK(CompareRows(d, 0, d, 1) > 0);  // NaN sorts above infinity, as in PostgreSQL
    CHECK(CompareRows(d, 0, d, 2) == 0);
    CHECK(CompareRows(d, 3, d, 1) < 0);

    Vector s = MakeVector(kVarchar, {S("abc"), S("abcd"), S("abd"), S("a string longer than twelve"),
                                     S("a string longer than twelve!"), S("")});
    CHECK(CompareRows(s, 0, s, 1) < 0);  // prefix sorts first
    CHECK(CompareRows(s, 1, s, 2) < 0);
    CHECK(CompareRows(s, 3, s, 4) < 0);
    CHECK(CompareRows(s, 4, s, 3) > 0);
    CHECK(CompareRows(s, 5, s, 0) < 0);  // empty string first
    CHECK(CompareRows(s, 3, s, 3) == 0);

    // Intervals compare by total length: 1 month = 30 days.
    Vector iv = MakeVector(kInterval, {Value::FromInterval({1, 0, 0}), Value::FromInterval({0, 30, 0}),
                                       Value::FromInterval({0, 29, 86400000000LL + 1})});
    CHECK(CompareRows(iv, 0, iv, 1) == 0);
    CHECK(CompareRows(iv, 2, iv, 0) > 0);
}
