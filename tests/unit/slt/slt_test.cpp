#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/value.hpp"
#include "tests/sqllogictest/slt_parser.hpp"
#include "tests/sqllogictest/slt_values.hpp"

using grizzly::TypeId;
using grizzly::Value;
using namespace grizzly::slt;

namespace {

Record ParseOne(const std::string& text) {
    Script script = ParseScript(text);
    REQUIRE(script.records.size() == 1);
    return script.records[0];
}

PrintedResult Printed(size_t column_count, std::vector<std::string> values) {
    PrintedResult result;
    result.column_count = column_count;
    result.values = std::move(values);
    return result;
}

}  // namespace

// ---- record reader ----

TEST_CASE("slt: statements ok and error") {
    Script script = ParseScript("statement ok\nCREATE TABLE t(a INTEGER)\n\nstatement error\nDROP TABLE nope\n");
    REQUIRE(script.records.size() == 2);
    CHECK(script.records[0].kind == RecordKind::Statement);
    CHECK_FALSE(script.records[0].expect_error);
    CHECK(script.records[0].sql == "CREATE TABLE t(a INTEGER)");
    CHECK(script.records[0].line == 1);
    CHECK(script.records[1].expect_error);
    CHECK(script.records[1].expected_sqlstate.empty());
    CHECK(script.records[1].line == 4);
}

TEST_CASE("slt: statement error with SQLSTATE and message") {
    Record record = ParseOne("statement error 22012\nSELECT 1 / 0\n----\ndivision by zero\n");
    CHECK(record.kind == RecordKind::Statement);
    CHECK(record.expect_error);
    CHECK(record.expected_sqlstate == "22012");
    CHECK(record.sql == "SELECT 1 / 0");
    CHECK(record.expected_message == "division by zero");
}

TEST_CASE("slt: multi-line SQL keeps its lines") {
    Record record = ParseOne("statement ok\nCREATE TABLE t(\n  a INTEGER\n)\n");
    CHECK(record.sql == "CREATE TABLE t(\n  a INTEGER\n)");
}

TEST_CASE("slt: query header with types sort mode and label") {
    Record record = ParseOne("query ITR rowsort label-7\nSELECT 1, 'a', 2.5\n----\n1\na\n2.500\n");
    CHECK(record.kind == RecordKind::Query);
    CHECK(record.types == "ITR");
    CHECK(record.sort_mode == SortMode::RowSort);
    CHECK(record.label == "label-7");
    CHECK(record.sql == "SELECT 1, 'a', 2.5");
    CHECK(record.expected_lines == std::vector<std::string>{"1", "a", "2.500"});

    CHECK(ParseOne("query I\nSELECT 1\n----\n1\n").sort_mode == SortMode::NoSort);
    CHECK(ParseOne("query I valuesort\nSELECT 1\n----\n1\n").sort_mode == SortMode::ValueSort);
    CHECK(ParseOne("query I nosort\nSELECT 1\n----\n1\n").label.empty());
}

TEST_CASE("slt: a query without separator expects no rows") {
    Record record = ParseOne("query I nosort\nSELECT 1 WHERE false\n");
    CHECK(record.kind == RecordKind::Query);
    CHECK(record.expected_lines.empty());
}

TEST_CASE("slt: carriage returns are stripped") {
    Script script = ParseScript("statement ok\r\nCREATE TABLE t(a INTEGER)\r\n\r\nquery I nosort\r\nSELECT 1\r\n----\r\n1\r\n");
    REQUIRE(script.records.size() == 2);
    CHECK(script.records[0].sql == "CREATE TABLE t(a INTEGER)");
    CHECK(script.records[1].expected_lines == std::vector<std::string>{"1"});
}

TEST_CASE("slt: comments vanish and never separate records") {
    Script script = ParseScript(
        "# name: a/b.test\n# description: x\n# group: [a]\n\n"
        "query I nosort\n# inside the SQL\nSELECT 1\n# before the separator\n----\n1\n");
    REQUIRE(script.records.size() == 1);
    CHECK(script.records[0].sql == "SELECT 1");
    CHECK(script.records[0].expected_lines == std::vector<std::string>{"1"});
}

TEST_CASE("slt: whitespace-only lines separate records") {
    Script script = ParseScript("statement ok\nSELECT 1\n  \t \nstatement ok\nSELECT 2\n\n\n\n");
    REQUIRE(script.records.size() == 2);
    CHECK(script.records[1].sql == "SELECT 2");
    CHECK(script.records[1].line == 4);
}

TEST_CASE("slt: conditions attach to the next record") {
    Script script = ParseScript("skipif mysql # not compatible\nonlyif sqlite\nstatement ok\nSELECT 1\n");
    REQUIRE(script.records.size() == 1);
    const Record& record = script.records[0];
    REQUIRE(record.conditions.size() == 2);
    CHECK_FALSE(record.conditions[0].only_if);
    CHECK(record.conditions[0].engine == "mysql");
    CHECK(record.conditions[1].only_if);
    CHECK(record.line == 3);
}

TEST_CASE("slt: skipif and onlyif compare engine names without case") {
    Record record = ParseOne("onlyif Grizzly\nstatement ok\nSELECT 1\n");
    CHECK(AppliesTo(record, "grizzly"));
    CHECK_FALSE(AppliesTo(record, "sqlite"));
    Record skipped = ParseOne("skipif GRIZZLY\nstatement ok\nSELECT 1\n");
    CHECK_FALSE(AppliesTo(skipped, "grizzly"));
    CHECK(AppliesTo(skipped, "postgresql"));
    CHECK(AppliesTo(ParseOne("statement ok\nSELECT 1\n"), "grizzly"));
}

TEST_CASE("slt: hash-threshold and halt are control records") {
    Script script = ParseScript("hash-threshold 0\n\nskipif sqlite\nhalt\n\nstatement ok\nSELECT 1\n");
    REQUIRE(script.records.size() == 3);
    CHECK(script.records[0].kind == RecordKind::HashThreshold);
    CHECK(script.records[0].hash_threshold == 0);
    CHECK_FALSE(script.records[0].IsCounted());
    CHECK(script.records[1].kind == RecordKind::Halt);
    CHECK(script.records[1].conditions.size() == 1);
    CHECK_FALSE(script.records[1].IsCounted());
    CHECK(script.records[2].IsCounted());
}

TEST_CASE("slt: control lines may share a block with a record") {
    Script script = ParseScript("hash-threshold 8\nstatement ok\nSELECT 1\n");
    REQUIRE(script.records.size() == 2);
    CHECK(script.records[0].hash_threshold == 8);
    CHECK(script.records[1].kind == RecordKind::Statement);
    CHECK(script.records[1].line == 2);
}

TEST_CASE("slt: malformed records are reported in place") {
    CHECK(ParseOne("bogus\nSELECT 1\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("query IX nosort\nSELECT 1\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("query I sideways\nSELECT 1\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("query\nSELECT 1\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("statement maybe\nSELECT 1\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("statement error 2201\nSELECT 1\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("statement ok\nSELECT 1\n----\nx\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("statement ok\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("hash-threshold many\n").kind == RecordKind::Invalid);
    CHECK(ParseOne("skipif mysql\n").kind == RecordKind::Invalid);
    Record invalid = ParseOne("\n\nbogus\n");
    CHECK(invalid.line == 3);
    CHECK(invalid.IsCounted());
    CHECK(invalid.error.find("bogus") != std::string::npos);
}

// ---- value printing ----

TEST_CASE("slt: NULL prints as NULL under every type letter") {
    for (char letter : std::string("IRT")) {
        CHECK(FormatValue(Value(), letter) == "NULL");
        CHECK(FormatValue(Value::Null(TypeId::Integer), letter) == "NULL");
    }
}

TEST_CASE("slt: I prints integers and truncates everything else toward zero") {
    CHECK(FormatInteger(Value::Integer(-42)) == "-42");
    CHECK(FormatInteger(Value::BigInt(std::numeric_limits<int64_t>::min())) == "-9223372036854775808");
    CHECK(FormatInteger(Value::Double(2.9)) == "2");
    CHECK(FormatInteger(Value::Double(-2.9)) == "-2");
    CHECK(FormatInteger(Value::Double(1e30)) == "9223372036854775807");
    CHECK(FormatInteger(Value::Decimal(-1999, 10, 3)) == "-1");
    CHECK(FormatInteger(Value::Decimal(12345, 10, 2)) == "123");
    CHECK(FormatInteger(Value::Boolean(true)) == "1");
    CHECK(FormatInteger(Value::Boolean(false)) == "0");
    CHECK(FormatInteger(Value::Varchar("12abc")) == "12");
    CHECK(FormatInteger(Value::Varchar("abc")) == "0");
}

TEST_CASE("slt: text converts to integers as SQLite does") {
    CHECK(TextToInteger("  -17 apples") == -17);
    CHECK(TextToInteger("+5") == 5);
    CHECK(TextToInteger("3.9") == 3);
    CHECK(TextToInteger("") == 0);
    CHECK(TextToInteger("-") == 0);
    CHECK(TextToInteger("9223372036854775807") == std::numeric_limits<int64_t>::max());
    CHECK(TextToInteger("-9223372036854775808") == std::numeric_limits<int64_t>::min());
    CHECK(TextToInteger("99999999999999999999") == std::numeric_limits<int64_t>::max());
    CHECK(TextToInteger("-99999999999999999999") == std::numeric_limits<int64_t>::min());
}

TEST_CASE("slt: text converts to reals as SQLite does") {
    CHECK(TextToReal("2.5x") == 2.5);
    CHECK(TextToReal(" -1e2") == -100.0);
    CHECK(TextToReal("1e") == 1.0);
    CHECK(TextToReal(".5") == 0.5);
    CHECK(TextToReal("abc") == 0.0);
    CHECK(TextToReal("-") == 0.0);
}

TEST_CASE("slt: R prints three decimals with ties away from zero") {
    CHECK(FormatRealNumber(2.5) == "2.500");
    CHECK(FormatRealNumber(-1.0 / 3.0) == "-0.333");
    CHECK(FormatRealNumber(2.0 / 3.0) == "0.667");
    CHECK(FormatRealNumber(0.0) == "0.000");
    // 1.0625 and 0.0625 are exact binary ties at the fourth decimal.
    CHECK(FormatRealNumber(1.0625) == "1.063");
    CHECK(FormatRealNumber(-1.0625) == "-1.063");
    CHECK(FormatRealNumber(0.0625) == "0.063");
    CHECK(FormatRealNumber(1.0005) == "1.000");  // just below the tie in binary
    CHECK(FormatRealNumber(0.9995) == "1.000");  // just above it
    CHECK(FormatRealNumber(9.9996) == "10.000");
    CHECK(FormatRealNumber(-0.0001) == "-0.000");
    CHECK(FormatRealNumber(123456.0) == "123456.000");
}

TEST_CASE("slt: R keeps at most sixteen significant digits") {
    CHECK(FormatRealNumber(-9223372036854775808.0) == "-9223372036854776000.000");
    CHECK(FormatRealNumber(1e20) == "100000000000000000000.000");
    CHECK(FormatRealNumber(1234567890123.4567) == "1234567890123.457");
    CHECK(FormatRealNumber(12345678901234.567) == "12345678901234.570");
}

TEST_CASE("slt: R prints integers decimals booleans and text") {
    CHECK(FormatReal(Value::Integer(5)) == "5.000");
    CHECK(FormatReal(Value::BigInt(-9007199254740993)) == "-9007199254740993.000");
    CHECK(FormatReal(Value::Decimal(1250, 10, 3)) == "1.250");
    CHECK(FormatReal(Value::Decimal(125, 10, 2)) == "1.250");
    CHECK(FormatReal(Value::Decimal(7, 10, 0)) == "7.000");
    CHECK(FormatReal(Value::Decimal(12345, 10, 4)) == "1.235");
    CHECK(FormatReal(Value::Decimal(-12345, 10, 4)) == "-1.235");
    CHECK(FormatReal(Value::Decimal(12344, 10, 4)) == "1.234");
    CHECK(FormatReal(Value::Decimal(-4, 10, 4)) == "-0.000");
    CHECK(FormatReal(Value::Boolean(true)) == "1.000");
    CHECK(FormatReal(Value::Double(1.25)) == "1.250");
    CHECK(FormatReal(Value::Varchar("3.5 kg")) == "3.500");
}

TEST_CASE("slt: T prints text with empty and non-printable replacements") {
    CHECK(FormatText(Value::Varchar("hello world")) == "hello world");
    CHECK(FormatText(Value::Varchar("")) == "(empty)");
    CHECK(FormatText(Value::Varchar("a\tb\x7f")) == "a@b@");
    CHECK(FormatText(Value::Varchar("caf\xc3\xa9")) == "caf@@");
    CHECK(FormatText(Value::Integer(12)) == "12");
    CHECK(FormatText(Value::Boolean(true)) == "true");
    CHECK(FormatText(Value::Date(0)) == "1970-01-01");
}

// ---- hashing and comparison ----

TEST_CASE("slt: MD5 covers every value followed by a newline") {
    CHECK(Md5OfValues({}) == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(HashLine({"1", "2", "3"}) == "3 values hashing to c0710d6b4f15dfa88f600b0e6b624077");
    CHECK(IsHashLine("3 values hashing to c0710d6b4f15dfa88f600b0e6b624077"));
    CHECK_FALSE(IsHashLine("3 values hashing to c0710d6b"));
    CHECK_FALSE(IsHashLine("values hashing to c0710d6b4f15dfa88f600b0e6b624077"));
    CHECK_FALSE(IsHashLine("42"));
}

TEST_CASE("slt: rowsort and valuesort compare printed text") {
    std::vector<std::string> values = {"9", "b", "10", "a", "9", "a"};
    SortValues(SortMode::RowSort, 2, values);
    CHECK(values == std::vector<std::string>{"10", "a", "9", "a", "9", "b"});
    SortValues(SortMode::ValueSort, 2, values);
    CHECK(values == std::vector<std::string>{"10", "9", "9", "a", "a", "b"});
    std::vector<std::string> untouched = {"b", "a"};
    SortValues(SortMode::NoSort, 1, untouched);
    CHECK(untouched == std::vector<std::string>{"b", "a"});
}

TEST_CASE("slt: expected values one per line") {
    Record record = ParseOne("query IT nosort\nSELECT 1\n----\n1\na\n2\nb\n");
    PrintedResult same = Printed(2, {"1", "a", "2", "b"});
    CHECK(CheckQueryResult(record, same).ok);
    PrintedResult swapped = Printed(2, {"2", "b", "1", "a"});
    QueryCheck check = CheckQueryResult(record, swapped);
    CHECK_FALSE(check.ok);
    CHECK(check.reason.find("row 1") != std::string::npos);
}

TEST_CASE("slt: expected rows one per line separated by tabs or spaces") {
    Record record = ParseOne("query ITI rowsort\nSELECT 1\n----\n2\tx y\t3\n1\t(empty)\tNULL\n");
    PrintedResult actual = Printed(3, {"1", "(empty)", "NULL", "2", "x y", "3"});
    CHECK(CheckQueryResult(record, actual).ok);
    Record spaced = ParseOne("query II nosort\nSELECT 1\n----\n1 2\n3   4\n");
    PrintedResult numbers = Printed(2, {"1", "2", "3", "4"});
    CHECK(CheckQueryResult(spaced, numbers).ok);
}

TEST_CASE("slt: rowsort sorts expected and actual rows alike") {
    Record record = ParseOne("query II rowsort\nSELECT 1\n----\n2\n1\n1\n2\n");
    PrintedResult actual = Printed(2, {"1", "2", "2", "1"});
    CHECK(CheckQueryResult(record, actual).ok);
    CHECK(actual.values == std::vector<std::string>{"1", "2", "2", "1"});
}

TEST_CASE("slt: hashed results compare count and digest after sorting") {
    Record record =
        ParseOne("query I valuesort\nSELECT 1\n----\n3 values hashing to c0710d6b4f15dfa88f600b0e6b624077\n");
    PrintedResult actual = Printed(1, {"3", "1", "2"});
    CHECK(CheckQueryResult(record, actual).ok);
    PrintedResult wrong = Printed(1, {"3", "1", "4"});
    CHECK_FALSE(CheckQueryResult(record, wrong).ok);
}

TEST_CASE("slt: column and row count mismatches fail") {
    Record record = ParseOne("query II nosort\nSELECT 1\n----\n1\n2\n");
    PrintedResult narrow = Printed(1, {"1", "2"});
    QueryCheck check = CheckQueryResult(record, narrow);
    CHECK_FALSE(check.ok);
    CHECK(check.reason.find("columns") != std::string::npos);
    PrintedResult longer = Printed(2, {"1", "2", "3", "4", "5", "6"});
    CHECK_FALSE(CheckQueryResult(record, longer).ok);
    Record empty = ParseOne("query I nosort\nSELECT 1 WHERE false\n");
    PrintedResult none = Printed(1, {});
    CHECK(CheckQueryResult(empty, none).ok);
    PrintedResult one = Printed(1, {"1"});
    CHECK_FALSE(CheckQueryResult(empty, one).ok);
}
