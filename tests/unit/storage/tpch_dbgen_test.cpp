// Tests for storage/tpch: the TPC-H generator's schema, row counts, key
// integrity, value domains, text formats, distributions and determinism,
// checked against the rules of the specification (clause 4.2).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/datetime.hpp"
#include "common/error.hpp"
#include "storage/tpch/dbgen.hpp"
#include "storage/tpch/distributions.hpp"
#include "storage/tpch/random.hpp"
#include "storage/tpch/text_pool.hpp"

using namespace grizzly;
namespace tpch = grizzly::storage::tpch;

namespace {

constexpr double kSmallSf = 0.01;

/// One generated table, its chunks kept as the sink received them.
struct Rows {
    const tpch::TableSpec* spec = nullptr;
    std::vector<DataChunk> chunks;
    size_t count = 0;

    size_t Column(std::string_view name) const {
        for (size_t col = 0; col < spec->columns.size(); ++col)
            if (spec->columns[col].name == name) return col;
        FAIL("no column " << name);
        return 0;
    }
    /// INTEGER and DATE values, and DECIMAL values unscaled (cents).
    std::vector<int64_t> Ints(std::string_view name) const {
        size_t col = Column(name);
        std::vector<int64_t> out;
        for (const auto& chunk : chunks) {
            const Vector& v = chunk.columns[col];
            for (idx_t row = 0; row < chunk.size; ++row)
                out.push_back(v.Physical() == PhysicalType::Int64 ? v.Data<int64_t>()[row] : v.Data<int32_t>()[row]);
        }
        return out;
    }
    std::vector<std::string> Strings(std::string_view name) const {
        size_t col = Column(name);
        std::vector<std::string> out;
        for (const auto& chunk : chunks)
            for (idx_t row = 0; row < chunk.size; ++row) out.push_back(chunk.columns[col].Data<StringRef>()[row].Str());
        return out;
    }
};

Rows Generate(std::string_view table, double sf) {
    Rows rows;
    for (const auto& spec : tpch::Tables())
        if (spec.name == table) rows.spec = &spec;
    REQUIRE(rows.spec != nullptr);
    tpch::Generate(table, sf, [&](DataChunk& chunk) {
        rows.count += chunk.size;
        rows.chunks.push_back(std::move(chunk));
    });
    return rows;
}

/// The tables at SF 0.01, generated once for all test cases.
const Rows& Small(const std::string& table) {
    static std::map<std::string, Rows> cache;
    auto it = cache.find(table);
    if (it == cache.end()) it = cache.emplace(table, Generate(table, kSmallSf)).first;
    return it->second;
}

int32_t Day(const char* text) {
    int32_t days = 0;
    REQUIRE(ParseDate(text, days));
    return days;
}

bool IsDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <class List>
bool Contains(const List& list, std::string_view word) {
    return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

std::vector<std::string> SplitWords(std::string_view text) {
    std::vector<std::string> words;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string_view::npos) end = text.size();
        words.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

/// Every word the comment grammar can produce (multi-word entries split).
std::unordered_set<std::string> Vocabulary() {
    using Words = std::span<const tpch::WeightedWord>;
    std::unordered_set<std::string> words{"the"};
    for (Words list : {Words(tpch::kNouns), Words(tpch::kVerbs), Words(tpch::kAdjectives), Words(tpch::kAdverbs),
                       Words(tpch::kPrepositions), Words(tpch::kAuxiliaries)})
        for (const auto& entry : list)
            for (auto& word : SplitWords(entry.word)) words.insert(word);
    return words;
}

/// Checks a comment column: lengths in [min_len, max_len] and, apart from the
/// first and last word (a slice may cut them), only grammar words and punctuation.
/// Supplier remarks overwrite their comment in the middle of words; those are skipped.
void CheckComments(const Rows& rows, std::string_view column, size_t min_len, size_t max_len) {
    static const auto vocabulary = Vocabulary();
    size_t shortest = SIZE_MAX, longest = 0;
    for (const auto& text : rows.Strings(column)) {
        shortest = std::min(shortest, text.size());
        longest = std::max(longest, text.size());
        if (text.find("Customer") != std::string::npos) continue;
        auto words = SplitWords(text);
        for (size_t word_idx = 1; word_idx + 1 < words.size(); ++word_idx) {
            std::string word = words[word_idx];
            while (!word.empty() && std::string_view(",.;:?!-").find(word.back()) != std::string_view::npos)
                word.pop_back();
            if (!vocabulary.contains(word)) FAIL_CHECK(column << ": '" << word << "' in '" << text << "'");
        }
    }
    INFO(column);
    CHECK(shortest >= min_len);
    CHECK(longest <= max_len);
    // Enough rows to see both ends of the range.
    if (rows.count >= 1000) {
        CHECK(shortest == min_len);
        CHECK(longest == max_len);
    }
}

/// "CC-AAA-EEE-NNNN" with CC = 10 + nation key.
void CheckPhones(const Rows& rows, std::string_view phone_column, std::string_view nation_column) {
    auto phones = rows.Strings(phone_column);
    auto nations = rows.Ints(nation_column);
    for (size_t row = 0; row < phones.size(); ++row) {
        const std::string& phone = phones[row];
        REQUIRE(phone.size() == 15);
        CHECK(phone[2] == '-');
        CHECK(phone[6] == '-');
        CHECK(phone[10] == '-');
        CHECK(std::stoi(phone.substr(0, 2)) == 10 + nations[row]);
        CHECK(IsDigits(phone.substr(3, 3)));
        CHECK(std::stoi(phone.substr(3, 3)) >= 100);
        CHECK(std::stoi(phone.substr(7, 3)) >= 100);
        CHECK(std::stoi(phone.substr(11, 4)) >= 1000);
    }
}

void CheckAddresses(const Rows& rows, std::string_view column) {
    for (const auto& address : rows.Strings(column)) {
        CHECK(address.size() >= 10);
        CHECK(address.size() <= 40);
        CHECK(address.find_first_not_of(tpch::kAlphaNumeric) == std::string::npos);
    }
}

/// "<prefix>" and the key zero-padded to nine digits.
void CheckTaggedNames(const Rows& rows, std::string_view column, std::string_view key_column, const char* prefix) {
    auto names = rows.Strings(column);
    auto keys = rows.Ints(key_column);
    for (size_t row = 0; row < names.size(); ++row) {
        char expected[32];
        std::snprintf(expected, sizeof(expected), "%s%09lld", prefix, static_cast<long long>(keys[row]));
        CHECK(names[row] == expected);
    }
}

void CheckRange(const std::vector<int64_t>& values, int64_t lo, int64_t hi) {
    auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
    CHECK(*min_it >= lo);
    CHECK(*max_it <= hi);
}

/// The exact value of extendedprice * (1 - discount) * (1 + tax) in 1/10,000 cent.
int64_t ChargeTimes10000(int64_t extendedprice, int64_t discount, int64_t tax) {
    return extendedprice * (100 - discount) * (100 + tax);
}

struct OrderFacts {
    int64_t orderdate;
    int64_t totalprice;
    std::string status;
    int64_t lines = 0;
    int64_t max_linenumber = 0;
    int64_t charge = 0;
    int64_t shipped = 0;  // lines with linestatus F
};

std::unordered_map<int64_t, OrderFacts> OrdersByKey() {
    const Rows& orders = Small("orders");
    auto keys = orders.Ints("o_orderkey");
    auto dates = orders.Ints("o_orderdate");
    auto prices = orders.Ints("o_totalprice");
    auto status = orders.Strings("o_orderstatus");
    std::unordered_map<int64_t, OrderFacts> facts;
    for (size_t row = 0; row < keys.size(); ++row) facts[keys[row]] = {dates[row], prices[row], status[row]};
    return facts;
}

}  // namespace

TEST_CASE("the eight tables have the columns and types of schema.sql") {
    const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
        {"region", {"INTEGER", "VARCHAR(25)", "VARCHAR(152)"}},
        {"nation", {"INTEGER", "VARCHAR(25)", "INTEGER", "VARCHAR(152)"}},
        {"part",
         {"INTEGER", "VARCHAR(55)", "VARCHAR(25)", "VARCHAR(10)", "VARCHAR(25)", "INTEGER", "VARCHAR(10)",
          "DECIMAL(15,2)", "VARCHAR(23)"}},
        {"supplier",
         {"INTEGER", "VARCHAR(25)", "VARCHAR(40)", "INTEGER", "VARCHAR(15)", "DECIMAL(15,2)", "VARCHAR(101)"}},
        {"partsupp", {"INTEGER", "INTEGER", "INTEGER", "DECIMAL(15,2)", "VARCHAR(199)"}},
        {"customer",
         {"INTEGER", "VARCHAR(25)", "VARCHAR(40)", "INTEGER", "VARCHAR(15)", "DECIMAL(15,2)", "VARCHAR(10)",
          "VARCHAR(117)"}},
        {"orders",
         {"INTEGER", "INTEGER", "VARCHAR(1)", "DECIMAL(15,2)", "DATE", "VARCHAR(15)", "VARCHAR(15)", "INTEGER",
          "VARCHAR(79)"}},
        {"lineitem",
         {"INTEGER", "INTEGER", "INTEGER", "INTEGER", "DECIMAL(15,2)", "DECIMAL(15,2)", "DECIMAL(15,2)",
          "DECIMAL(15,2)", "VARCHAR(1)", "VARCHAR(1)", "DATE", "DATE", "DATE", "VARCHAR(25)", "VARCHAR(10)",
          "VARCHAR(44)"}},
    };
    const auto& tables = tpch::Tables();
    REQUIRE(tables.size() == expected.size());
    for (size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
        INFO(tables[table_idx].name);
        CHECK(tables[table_idx].name == expected[table_idx].first);
        std::vector<std::string> types;
        for (const auto& column : tables[table_idx].columns) types.push_back(column.type.ToString());
        CHECK(types == expected[table_idx].second);
    }
    CHECK(tables[7].columns[0].name == "l_orderkey");
    CHECK(tables[7].columns[15].name == "l_comment");
}

TEST_CASE("chunks are dense, full but for the last, and typed like Tables()") {
    for (const auto& spec : tpch::Tables()) {
        INFO(spec.name);
        const Rows& rows = Small(spec.name);
        for (size_t chunk_idx = 0; chunk_idx < rows.chunks.size(); ++chunk_idx) {
            const DataChunk& chunk = rows.chunks[chunk_idx];
            CHECK_FALSE(chunk.has_sel);
            CHECK(chunk.size > 0);
            if (chunk_idx + 1 < rows.chunks.size()) CHECK(chunk.size == kVectorSize);
            REQUIRE(chunk.ColumnCount() == spec.columns.size());
            for (size_t col = 0; col < spec.columns.size(); ++col) {
                const LogicalType& type = chunk.columns[col].Type();
                CHECK(type.id == spec.columns[col].type.id);
                CHECK(type.width == spec.columns[col].type.width);
                CHECK(type.scale == spec.columns[col].type.scale);
                CHECK(chunk.columns[col].Validity().AllValid());
            }
        }
    }
}

TEST_CASE("row counts at SF 0.01 are those of the specification") {
    const std::vector<std::pair<std::string, int64_t>> counts = {
        {"region", 5},       {"nation", 25},       {"supplier", 100}, {"customer", 1500},
        {"part", 2000},      {"partsupp", 8000},   {"orders", 15000},
    };
    for (const auto& [table, count] : counts) {
        INFO(table);
        CHECK(tpch::RowCount(table, kSmallSf) == count);
        CHECK(Small(table).count == static_cast<size_t>(count));
    }
    // Lineitem has 1 to 7 lines per order; dbgen's SF 0.01 has 60,175.
    auto lines = static_cast<int64_t>(Small("lineitem").count);
    CHECK(tpch::RowCount("lineitem", kSmallSf) == lines);
    CHECK(std::abs(lines - 60175) <= 602);
    CHECK(tpch::RowCount("LINEITEM", kSmallSf) == lines);
}

TEST_CASE("row counts at SF 1") {
    CHECK(tpch::RowCount("region", 1) == 5);
    CHECK(tpch::RowCount("nation", 1) == 25);
    CHECK(tpch::RowCount("supplier", 1) == 10000);
    CHECK(tpch::RowCount("customer", 1) == 150000);
    CHECK(tpch::RowCount("part", 1) == 200000);
    CHECK(tpch::RowCount("partsupp", 1) == 800000);
    CHECK(tpch::RowCount("orders", 1) == 1500000);
    int64_t lines = tpch::RowCount("lineitem", 1);
    CHECK(std::abs(lines - 6001215) <= 60012);  // dbgen's count, within 1%
    CHECK(tpch::RowCount("supplier", 10) == 100000);
    CHECK(tpch::RowCount("orders", 0.1) == 150000);
}

TEST_CASE("bad table names and scale factors are errors") {
    auto sink = [](DataChunk&) {};
    auto state_of = [](auto&& call) {
        try {
            call();
        } catch (const Error& e) {
            return e.State();
        }
        return SqlState::SuccessfulCompletion;
    };
    CHECK(state_of([&] { tpch::RowCount("lineitems", 1); }) == SqlState::UndefinedTable);
    CHECK(state_of([&] { tpch::Generate("x", 1, sink); }) == SqlState::UndefinedTable);
    CHECK(state_of([&] { tpch::RowCount("orders", 0); }) == SqlState::InvalidParameterValue);
    CHECK(state_of([&] { tpch::RowCount("orders", -1); }) == SqlState::InvalidParameterValue);
    CHECK(state_of([&] { tpch::RowCount("orders", NAN); }) == SqlState::InvalidParameterValue);
    // o_orderkey is an INTEGER: about SF 350 is the largest that fits.
    CHECK(state_of([&] { tpch::RowCount("orders", 1000); }) == SqlState::InvalidParameterValue);
    CHECK(state_of([&] { tpch::RowCount("orders", 300); }) == SqlState::SuccessfulCompletion);
    // With 10 suppliers the partsupp formula repeats a supplier within a part.
    CHECK(state_of([&] { tpch::Generate("partsupp", 0.001, sink); }) == SqlState::InvalidParameterValue);
}

TEST_CASE("primary keys are unique and dense") {
    auto check_dense = [](const char* table, const char* column, int64_t first) {
        INFO(table);
        auto keys = Small(table).Ints(column);
        for (size_t row = 0; row < keys.size(); ++row) CHECK(keys[row] == first + static_cast<int64_t>(row));
    };
    check_dense("region", "r_regionkey", 0);
    check_dense("nation", "n_nationkey", 0);
    check_dense("part", "p_partkey", 1);
    check_dense("supplier", "s_suppkey", 1);
    check_dense("customer", "c_custkey", 1);

    // Order keys are sparse: of every 32 keys only the first 8 are used.
    auto orderkeys = Small("orders").Ints("o_orderkey");
    CHECK(orderkeys[0] == 1);
    CHECK(orderkeys[7] == 32);
    for (size_t row = 1; row < orderkeys.size(); ++row) {
        CHECK(orderkeys[row] > orderkeys[row - 1]);
        CHECK(orderkeys[row] % 32 < 8);
    }

    std::set<std::pair<int64_t, int64_t>> partsupp_keys;
    auto ps_part = Small("partsupp").Ints("ps_partkey");
    auto ps_supp = Small("partsupp").Ints("ps_suppkey");
    for (size_t row = 0; row < ps_part.size(); ++row) partsupp_keys.insert({ps_part[row], ps_supp[row]});
    CHECK(partsupp_keys.size() == ps_part.size());

    std::set<std::pair<int64_t, int64_t>> line_keys;
    auto l_order = Small("lineitem").Ints("l_orderkey");
    auto l_number = Small("lineitem").Ints("l_linenumber");
    for (size_t row = 0; row < l_order.size(); ++row) line_keys.insert({l_order[row], l_number[row]});
    CHECK(line_keys.size() == l_order.size());
}

TEST_CASE("foreign keys point at existing rows") {
    auto regions = Small("nation").Ints("n_regionkey");
    CheckRange(regions, 0, 4);
    CHECK(std::set<int64_t>(regions.begin(), regions.end()).size() == 5);
    CheckRange(Small("supplier").Ints("s_nationkey"), 0, 24);
    CheckRange(Small("customer").Ints("c_nationkey"), 0, 24);

    // Every third customer places no orders.
    auto custkeys = Small("orders").Ints("o_custkey");
    CheckRange(custkeys, 1, 1500);
    for (int64_t custkey : custkeys) CHECK(custkey % 3 != 0);

    // Four suppliers per part, by the specification's formula.
    auto ps_part = Small("partsupp").Ints("ps_partkey");
    auto ps_supp = Small("partsupp").Ints("ps_suppkey");
    constexpr int64_t kSuppliers = 100;
    for (size_t row = 0; row < ps_part.size(); ++row) {
        int64_t partkey = ps_part[row];
        int64_t i = static_cast<int64_t>(row % 4);
        CHECK(partkey == static_cast<int64_t>(row / 4) + 1);
        CHECK(ps_supp[row] == (partkey + (i * ((kSuppliers / 4) + (partkey - 1) / kSuppliers))) % kSuppliers + 1);
    }

    std::set<std::pair<int64_t, int64_t>> partsupp_keys;
    for (size_t row = 0; row < ps_part.size(); ++row) partsupp_keys.insert({ps_part[row], ps_supp[row]});
    auto orders = OrdersByKey();
    const Rows& lineitem = Small("lineitem");
    auto l_order = lineitem.Ints("l_orderkey");
    auto l_part = lineitem.Ints("l_partkey");
    auto l_supp = lineitem.Ints("l_suppkey");
    for (size_t row = 0; row < l_order.size(); ++row) {
        CHECK(orders.contains(l_order[row]));
        CHECK(partsupp_keys.contains({l_part[row], l_supp[row]}));
    }
}

TEST_CASE("each order has 1 to 7 lines numbered from 1, and its status and total price summarize them") {
    auto orders = OrdersByKey();
    const Rows& lineitem = Small("lineitem");
    auto l_order = lineitem.Ints("l_orderkey");
    auto l_number = lineitem.Ints("l_linenumber");
    auto price = lineitem.Ints("l_extendedprice");
    auto discount = lineitem.Ints("l_discount");
    auto tax = lineitem.Ints("l_tax");
    auto linestatus = lineitem.Strings("l_linestatus");
    for (size_t row = 0; row < l_order.size(); ++row) {
        OrderFacts& order = orders.at(l_order[row]);
        order.lines++;
        order.max_linenumber = std::max(order.max_linenumber, l_number[row]);
        order.charge += ChargeTimes10000(price[row], discount[row], tax[row]);
        order.shipped += linestatus[row] == "F";
    }
    int64_t total_lines = 0;
    for (const auto& [key, order] : orders) {
        INFO("order " << key);
        CHECK(order.lines >= 1);
        CHECK(order.lines <= 7);
        CHECK(order.max_linenumber == order.lines);
        total_lines += order.lines;
        // sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)), rounded to cents.
        CHECK(order.totalprice == (order.charge + 5000) / 10000);
        std::string expected = order.shipped == order.lines ? "F" : (order.shipped == 0 ? "O" : "P");
        CHECK(order.status == expected);
    }
    CHECK(total_lines == static_cast<int64_t>(lineitem.count));
}

TEST_CASE("dates follow the specification's offsets, flags follow the dates") {
    const int32_t start = Day("1992-01-01");
    const int32_t current = Day("1995-06-17");
    const int32_t last_order = Day("1998-08-02");  // ENDDATE 1998-12-31 minus 151 days
    auto orders = OrdersByKey();
    int64_t min_date = INT64_MAX, max_date = INT64_MIN;
    for (const auto& [key, order] : orders) {
        min_date = std::min(min_date, order.orderdate);
        max_date = std::max(max_date, order.orderdate);
    }
    CHECK(min_date >= start);
    CHECK(max_date <= last_order);
    CHECK(max_date - min_date > 2300);  // the whole range is used

    const Rows& lineitem = Small("lineitem");
    auto l_order = lineitem.Ints("l_orderkey");
    auto ship = lineitem.Ints("l_shipdate");
    auto commit = lineitem.Ints("l_commitdate");
    auto receipt = lineitem.Ints("l_receiptdate");
    auto returnflag = lineitem.Strings("l_returnflag");
    auto linestatus = lineitem.Strings("l_linestatus");
    std::map<std::string, int64_t> flags;
    for (size_t row = 0; row < l_order.size(); ++row) {
        int64_t orderdate = orders.at(l_order[row]).orderdate;
        CHECK(ship[row] - orderdate >= 1);
        CHECK(ship[row] - orderdate <= 121);
        CHECK(commit[row] - orderdate >= 30);
        CHECK(commit[row] - orderdate <= 90);
        CHECK(receipt[row] - ship[row] >= 1);
        CHECK(receipt[row] - ship[row] <= 30);
        if (receipt[row] <= current) CHECK((returnflag[row] == "R" || returnflag[row] == "A"));
        else CHECK(returnflag[row] == "N");
        CHECK(linestatus[row] == (ship[row] > current ? "O" : "F"));
        flags[returnflag[row]]++;
    }
    // dbgen at SF 0.01: A 24.7%, R 24.8%, N 50.5%.
    double rows = static_cast<double>(l_order.size());
    CHECK(std::abs(flags["A"] / rows - 0.247) < 0.01);
    CHECK(std::abs(flags["R"] / rows - 0.248) < 0.01);
    CHECK(std::abs(flags["N"] / rows - 0.505) < 0.01);
}

TEST_CASE("lineitem quantities, prices, discounts and taxes") {
    const Rows& lineitem = Small("lineitem");
    auto quantity = lineitem.Ints("l_quantity");
    auto price = lineitem.Ints("l_extendedprice");
    auto partkey = lineitem.Ints("l_partkey");
    auto retail = Small("part").Ints("p_retailprice");
    CheckRange(quantity, 100, 5000);  // 1.00 .. 50.00
    CheckRange(lineitem.Ints("l_discount"), 0, 10);
    CheckRange(lineitem.Ints("l_tax"), 0, 8);
    double quantity_sum = 0;
    for (size_t row = 0; row < quantity.size(); ++row) {
        CHECK(quantity[row] % 100 == 0);
        CHECK(price[row] == quantity[row] / 100 * retail[static_cast<size_t>(partkey[row] - 1)]);
        quantity_sum += static_cast<double>(quantity[row]) / 100;
    }
    CHECK(std::abs(quantity_sum / static_cast<double>(quantity.size()) - 25.5) < 0.3);
    auto discounts = lineitem.Ints("l_discount");
    std::set<int64_t> distinct(discounts.begin(), discounts.end());
    CHECK(distinct.size() == 11);
}

TEST_CASE("part columns") {
    const Rows& part = Small("part");
    auto keys = part.Ints("p_partkey");
    auto retail = part.Ints("p_retailprice");
    auto names = part.Strings("p_name");
    auto mfgrs = part.Strings("p_mfgr");
    auto brands = part.Strings("p_brand");
    auto types = part.Strings("p_type");
    auto containers = part.Strings("p_container");
    CheckRange(part.Ints("p_size"), 1, 50);
    std::set<std::string> distinct_types, distinct_containers;
    for (size_t row = 0; row < keys.size(); ++row) {
        int64_t k = keys[row];
        CHECK(retail[row] == 90000 + ((k / 10) % 20001) + 100 * (k % 1000));
        auto colors = SplitWords(names[row]);
        CHECK(colors.size() == 5);
        CHECK(std::set<std::string>(colors.begin(), colors.end()).size() == 5);
        for (const auto& color : colors) CHECK(Contains(tpch::kColors, color));
        REQUIRE(mfgrs[row].size() == 14);
        CHECK(mfgrs[row].substr(0, 13) == "Manufacturer#");
        CHECK(mfgrs[row][13] >= '1');
        CHECK(mfgrs[row][13] <= '5');
        REQUIRE(brands[row].size() == 8);
        CHECK(brands[row].substr(0, 6) == "Brand#");
        CHECK(brands[row][6] == mfgrs[row][13]);
        CHECK(brands[row][7] >= '1');
        CHECK(brands[row][7] <= '5');
        auto syllables = SplitWords(types[row]);
        REQUIRE(syllables.size() == 3);
        CHECK(Contains(tpch::kTypeSyllable1, syllables[0]));
        CHECK(Contains(tpch::kTypeSyllable2, syllables[1]));
        CHECK(Contains(tpch::kTypeSyllable3, syllables[2]));
        auto container = SplitWords(containers[row]);
        REQUIRE(container.size() == 2);
        CHECK(Contains(tpch::kContainerSyllable1, container[0]));
        CHECK(Contains(tpch::kContainerSyllable2, container[1]));
        distinct_types.insert(types[row]);
        distinct_containers.insert(containers[row]);
    }
    CHECK(distinct_types.size() == 150);
    CHECK(distinct_containers.size() == 40);
}

TEST_CASE("supplier, customer and partsupp columns") {
    const Rows& supplier = Small("supplier");
    const Rows& customer = Small("customer");
    const Rows& partsupp = Small("partsupp");
    CheckTaggedNames(supplier, "s_name", "s_suppkey", "Supplier#");
    CheckTaggedNames(customer, "c_name", "c_custkey", "Customer#");
    CheckPhones(supplier, "s_phone", "s_nationkey");
    CheckPhones(customer, "c_phone", "c_nationkey");
    CheckAddresses(supplier, "s_address");
    CheckAddresses(customer, "c_address");
    CheckRange(supplier.Ints("s_acctbal"), -99999, 999999);
    CheckRange(customer.Ints("c_acctbal"), -99999, 999999);
    CheckRange(partsupp.Ints("ps_availqty"), 1, 9999);
    CheckRange(partsupp.Ints("ps_supplycost"), 100, 100000);
    std::map<std::string, int> segments;
    for (const auto& segment : customer.Strings("c_mktsegment")) {
        CHECK(Contains(tpch::kSegments, segment));
        segments[segment]++;
    }
    CHECK(segments.size() == 5);
    for (const auto& [segment, count] : segments) CHECK(std::abs(count - 300) < 60);
}

TEST_CASE("orders columns") {
    const Rows& orders = Small("orders");
    for (const auto& priority : orders.Strings("o_orderpriority")) CHECK(Contains(tpch::kPriorities, priority));
    for (int64_t shippriority : orders.Ints("o_shippriority")) CHECK(shippriority == 0);
    std::set<std::string> clerks;
    for (const auto& clerk : orders.Strings("o_clerk")) {
        REQUIRE(clerk.size() == 15);
        CHECK(clerk.substr(0, 6) == "Clerk#");
        CHECK(IsDigits(clerk.substr(6)));
        int number = std::stoi(clerk.substr(6));
        CHECK(number >= 1);
        CHECK(number <= 1000);  // at least 1,000 clerks, SF * 1,000 above SF 1
        clerks.insert(clerk);
    }
    CHECK(clerks.size() > 900);

    // dbgen at SF 0.01: F 48.7%, O 48.9%, P 2.4%.
    std::map<std::string, int64_t> status;
    for (const auto& s : orders.Strings("o_orderstatus")) status[s]++;
    CHECK(std::abs(status["F"] / 15000.0 - 0.487) < 0.02);
    CHECK(std::abs(status["O"] / 15000.0 - 0.489) < 0.02);
    CHECK(std::abs(status["P"] / 15000.0 - 0.024) < 0.01);

    // Drawn multiples of 3 move up by one, so keys 1 mod 3 get about twice the orders (as in dbgen).
    int64_t by_residue[3] = {0, 0, 0};
    for (int64_t custkey : orders.Ints("o_custkey")) by_residue[custkey % 3]++;
    double ratio = static_cast<double>(by_residue[1]) / static_cast<double>(by_residue[2]);
    CHECK(ratio > 1.8);
    CHECK(ratio < 2.2);
}

TEST_CASE("lineitem ship instructions and modes take every listed value") {
    const Rows& lineitem = Small("lineitem");
    std::set<std::string> instructions, modes;
    for (const auto& s : lineitem.Strings("l_shipinstruct")) instructions.insert(s);
    for (const auto& s : lineitem.Strings("l_shipmode")) modes.insert(s);
    CHECK(instructions == std::set<std::string>(std::begin(tpch::kInstructions), std::end(tpch::kInstructions)));
    CHECK(modes == std::set<std::string>(std::begin(tpch::kShipModes), std::end(tpch::kShipModes)));
}

TEST_CASE("nation and region are the fixed rows of the specification") {
    auto regions = Small("region").Strings("r_name");
    CHECK(regions == std::vector<std::string>{"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"});
    auto names = Small("nation").Strings("n_name");
    auto region_keys = Small("nation").Ints("n_regionkey");
    REQUIRE(names.size() == 25);
    CHECK(names[0] == "ALGERIA");
    CHECK(region_keys[0] == 0);
    CHECK(names[6] == "FRANCE");
    CHECK(region_keys[6] == 3);
    CHECK(names[18] == "CHINA");
    CHECK(region_keys[18] == 2);
    CHECK(names[24] == "UNITED STATES");
    CHECK(region_keys[24] == 1);
    CHECK(names[20] == "SAUDI ARABIA");
    CHECK(region_keys[20] == 4);
}

TEST_CASE("comments come from the grammar, with the specification's lengths") {
    CheckComments(Small("region"), "r_comment", 28, 115);
    CheckComments(Small("nation"), "n_comment", 28, 115);
    CheckComments(Small("part"), "p_comment", 5, 22);
    CheckComments(Small("supplier"), "s_comment", 25, 100);
    CheckComments(Small("partsupp"), "ps_comment", 49, 198);
    CheckComments(Small("customer"), "c_comment", 29, 116);
    CheckComments(Small("orders"), "o_comment", 19, 78);
    CheckComments(Small("lineitem"), "l_comment", 10, 43);

    // Q13 looks for '%special%requests%': 1.1% of o_comment in dbgen at SF 0.01.
    int64_t matches = 0;
    for (const auto& comment : Small("orders").Strings("o_comment")) {
        size_t special = comment.find("special");
        matches += special != std::string::npos && comment.find("requests", special + 7) != std::string::npos;
    }
    CHECK(matches > 100);
    CHECK(matches < 250);
}

TEST_CASE("every string fits its declared width") {
    for (const auto& spec : tpch::Tables()) {
        const Rows& rows = Small(spec.name);
        for (const auto& column : spec.columns) {
            if (column.type.id != TypeId::Varchar) continue;
            INFO(column.name);
            size_t longest = 0;
            for (const auto& s : rows.Strings(column.name)) longest = std::max(longest, s.size());
            CHECK(longest <= column.type.width);
            CHECK(longest > 0);
        }
    }
}

TEST_CASE("some supplier comments carry the Customer Complaints / Recommends remarks") {
    // 5 * SF of each, but at least one so that Q16 has something to exclude.
    auto check_remarks = [](const Rows& supplier, int64_t per_kind) {
        int64_t complaints = 0, recommends = 0;
        for (const auto& comment : supplier.Strings("s_comment")) {
            size_t customer = comment.find("Customer ");
            if (customer == std::string::npos) continue;
            complaints += comment.find("Complaints", customer + 9) != std::string::npos;
            recommends += comment.find("Recommends", customer + 9) != std::string::npos;
            CHECK(comment.size() >= 25);
            CHECK(comment.size() <= 100);
        }
        CHECK(complaints == per_kind);
        CHECK(recommends == per_kind);
    };
    check_remarks(Small("supplier"), 1);
    check_remarks(Generate("supplier", 1), 5);
}

TEST_CASE("generation is deterministic") {
    for (const char* table : {"supplier", "part", "orders", "lineitem"}) {
        INFO(table);
        Rows first = Generate(table, kSmallSf);
        const Rows& second = Small(table);
        REQUIRE(first.count == second.count);
        for (const auto& column : first.spec->columns) {
            if (column.type.id == TypeId::Varchar) CHECK(first.Strings(column.name) == second.Strings(column.name));
            else CHECK(first.Ints(column.name) == second.Ints(column.name));
        }
    }
    // A part depends only on its key, so a larger scale factor extends the table.
    auto small_names = Small("part").Strings("p_name");
    auto larger_names = Generate("part", 0.02).Strings("p_name");
    CHECK(std::vector<std::string>(larger_names.begin(), larger_names.begin() + 2000) == small_names);
}

TEST_CASE("nation keys and market segments are dbgen's own") {
    // The first rows of dbgen 2.14.0's supplier.tbl and customer.tbl at SF 0.01.
    const std::vector<int64_t> supplier_nations = {17, 5, 1, 15, 11, 14, 23, 17, 10, 24,
                                                   18, 8, 3, 15, 8, 22, 19, 16, 24, 3};
    const std::vector<int64_t> customer_nations = {15, 13, 1, 4, 3, 20, 18, 17, 8, 5,
                                                   23, 13, 3, 1, 23, 10, 2, 6, 18, 22};
    const std::vector<std::string> segments = {
        "BUILDING", "AUTOMOBILE", "AUTOMOBILE", "MACHINERY", "HOUSEHOLD", "AUTOMOBILE", "AUTOMOBILE",
        "BUILDING", "FURNITURE",  "HOUSEHOLD",  "BUILDING",   "HOUSEHOLD", "BUILDING",  "FURNITURE",
        "HOUSEHOLD", "FURNITURE", "AUTOMOBILE", "BUILDING",   "HOUSEHOLD", "FURNITURE"};
    auto small_suppliers = Small("supplier").Ints("s_nationkey");
    auto small_customers = Small("customer").Ints("c_nationkey");
    auto small_segments = Small("customer").Strings("c_mktsegment");
    CHECK(std::vector<int64_t>(small_suppliers.begin(), small_suppliers.begin() + 20) == supplier_nations);
    CHECK(std::vector<int64_t>(small_customers.begin(), small_customers.begin() + 20) == customer_nations);
    CHECK(std::vector<std::string>(small_segments.begin(), small_segments.begin() + 20) == segments);

    // dbgen's data at SF 0.1 has 50 suppliers in GERMANY and 47 in SAUDI ARABIA (Q11, Q21).
    auto nations = Generate("supplier", 0.1).Ints("s_nationkey");
    CHECK(std::vector<int64_t>(nations.begin(), nations.begin() + 20) == supplier_nations);
    CHECK(std::count(nations.begin(), nations.end(), 7) == 50);
    CHECK(std::count(nations.begin(), nations.end(), 20) == 47);

    // Jumping ahead lands where drawing one by one does.
    tpch::DbgenRng sequential(tpch::DbgenRng::kSupplierNationSeed, 0);
    for (int64_t row = 0; row < 1000; ++row) {
        int64_t drawn = sequential.Uniform(0, 24);
        if (row % 97 == 0) {
            tpch::DbgenRng jumped(tpch::DbgenRng::kSupplierNationSeed, row);
            CHECK(jumped.Uniform(0, 24) == drawn);
        }
    }
}

TEST_CASE("the text pool is sentences of the grammar") {
    tpch::TextPool pool(1 << 16);
    std::string_view text = pool.Text();
    CHECK(text.size() == size_t{1} << 16);
    CHECK(text.find("  ") == std::string_view::npos);
    CHECK(text.find(". ") != std::string_view::npos);
    tpch::Rng rng(tpch::Stream::TextPool, 42);
    for (int draw = 0; draw < 1000; ++draw) {
        auto slice = pool.Slice(rng, 10, 43);
        CHECK(slice.size() >= 10);
        CHECK(slice.size() <= 43);
        CHECK(slice.data() >= text.data());
        CHECK(slice.data() + slice.size() <= text.data() + text.size());
    }
}
