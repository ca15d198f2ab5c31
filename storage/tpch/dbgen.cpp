#include "storage/tpch/dbgen.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/datetime.hpp"
#include "common/error.hpp"
#include "storage/tpch/distributions.hpp"
#include "storage/tpch/generators.hpp"

namespace grizzly::storage::tpch {

namespace {

enum class TableId { Region, Nation, Part, Supplier, PartSupp, Customer, Orders, Lineitem };

ColumnSpec Int(const char* name) { return {name, LogicalType(TypeId::Integer)}; }
ColumnSpec Money(const char* name) { return {name, LogicalType::Decimal(15, 2)}; }
ColumnSpec Date(const char* name) { return {name, LogicalType(TypeId::Date)}; }
// CHAR(n) is VARCHAR(n), as in the binder; the width records the spec's limit
// (LogicalType equality ignores it, so these match the catalog's columns).
ColumnSpec Text(const char* name, uint8_t width) { return {name, LogicalType(TypeId::Varchar, width)}; }

std::vector<TableSpec> MakeTables() {
    return {
        {"region", {Int("r_regionkey"), Text("r_name", 25), Text("r_comment", 152)}},
        {"nation", {Int("n_nationkey"), Text("n_name", 25), Int("n_regionkey"), Text("n_comment", 152)}},
        {"part",
         {Int("p_partkey"), Text("p_name", 55), Text("p_mfgr", 25), Text("p_brand", 10), Text("p_type", 25),
          Int("p_size"), Text("p_container", 10), Money("p_retailprice"), Text("p_comment", 23)}},
        {"supplier",
         {Int("s_suppkey"), Text("s_name", 25), Text("s_address", 40), Int("s_nationkey"), Text("s_phone", 15),
          Money("s_acctbal"), Text("s_comment", 101)}},
        {"partsupp",
         {Int("ps_partkey"), Int("ps_suppkey"), Int("ps_availqty"), Money("ps_supplycost"), Text("ps_comment", 199)}},
        {"customer",
         {Int("c_custkey"), Text("c_name", 25), Text("c_address", 40), Int("c_nationkey"), Text("c_phone", 15),
          Money("c_acctbal"), Text("c_mktsegment", 10), Text("c_comment", 117)}},
        {"orders",
         {Int("o_orderkey"), Int("o_custkey"), Text("o_orderstatus", 1), Money("o_totalprice"), Date("o_orderdate"),
          Text("o_orderpriority", 15), Text("o_clerk", 15), Int("o_shippriority"), Text("o_comment", 79)}},
        {"lineitem",
         {Int("l_orderkey"), Int("l_partkey"), Int("l_suppkey"), Int("l_linenumber"), Money("l_quantity"),
          Money("l_extendedprice"), Money("l_discount"), Money("l_tax"), Text("l_returnflag", 1),
          Text("l_linestatus", 1), Date("l_shipdate"), Date("l_commitdate"), Date("l_receiptdate"),
          Text("l_shipinstruct", 25), Text("l_shipmode", 10), Text("l_comment", 44)}},
    };
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

TableId FindTable(std::string_view name) {
    const auto& tables = Tables();
    for (size_t table_idx = 0; table_idx < tables.size(); ++table_idx)
        if (EqualsIgnoreCase(tables[table_idx].name, name)) return static_cast<TableId>(table_idx);
    throw Error::UndefinedTable(std::string(name));
}

Error BadScale(double sf, const char* why) {
    return Error(SqlState::InvalidParameterValue, "TPC-H scale factor " + FormatDouble(sf) + " " + why);
}

int64_t Scaled(int64_t base, double sf) { return std::max<int64_t>(1, std::llround(static_cast<double>(base) * sf)); }

/// The suppliers of a part, i * step apart (mod S), are distinct unless
/// d * step is a multiple of S for some d in 1..3.
bool PartSuppliersDistinct(const Scale& scale) {
    int64_t max_extra = (scale.parts - 1) / scale.suppliers;
    for (int64_t extra = 0; extra <= max_extra; ++extra) {
        int64_t step = scale.suppliers / 4 + extra;
        for (int64_t distance = 1; distance <= 3; ++distance)
            if ((distance * step) % scale.suppliers == 0) return false;
    }
    return true;
}

}  // namespace

const std::vector<TableSpec>& Tables() {
    static const std::vector<TableSpec> tables = MakeTables();
    return tables;
}

Scale MakeScale(double sf) {
    constexpr int64_t kMaxKey = std::numeric_limits<int32_t>::max();
    if (!(sf > 0) || !std::isfinite(sf)) throw BadScale(sf, "must be positive");
    // Checked before rounding so that huge factors cannot overflow the counts.
    if (1500000.0 * sf > static_cast<double>(kMaxKey)) throw BadScale(sf, "exceeds the INTEGER range of o_orderkey");
    Scale scale{Scaled(10000, sf), Scaled(200000, sf), Scaled(150000, sf), Scaled(1500000, sf),
                std::max<int64_t>(1000, Scaled(1000, sf)), Scaled(5, sf)};
    scale.remarks_per_kind = std::min(scale.remarks_per_kind, scale.suppliers / 2);
    if (OrderKey(scale.orders - 1) > kMaxKey) throw BadScale(sf, "exceeds the INTEGER range of o_orderkey");
    if (!PartSuppliersDistinct(scale)) throw BadScale(sf, "is too small: a part would get one supplier twice");
    return scale;
}

std::string_view FormatTagged(char* buf, std::string_view prefix, int64_t number) {
    constexpr int kDigits = 9;
    std::memcpy(buf, prefix.data(), prefix.size());
    char* digits = buf + prefix.size();
    int length = 0;
    char reversed[20];
    do {
        reversed[length++] = static_cast<char>('0' + number % 10);
        number /= 10;
    } while (number > 0);
    int pad = std::max(0, kDigits - length);
    std::memset(digits, '0', static_cast<size_t>(pad));
    for (int digit_idx = 0; digit_idx < length; ++digit_idx) digits[pad + digit_idx] = reversed[length - 1 - digit_idx];
    return {buf, prefix.size() + static_cast<size_t>(pad + length)};
}

ChunkWriter::ChunkWriter(const TableSpec& table, const Sink& sink) : sink_(sink) {
    for (const auto& column : table.columns) types_.push_back(column.type);
    StartChunk();
}

void ChunkWriter::StartChunk() {
    chunk_ = DataChunk();
    chunk_.Initialize(types_);
}

idx_t ChunkWriter::NextRow() {
    if (chunk_.size == kVectorSize) {
        sink_(chunk_);
        StartChunk();
    }
    return chunk_.size++;
}

void ChunkWriter::Finish() {
    if (chunk_.size > 0) sink_(chunk_);
    chunk_ = DataChunk();
}

int64_t RowCount(std::string_view table, double sf) {
    TableId id = FindTable(table);
    Scale scale = MakeScale(sf);
    switch (id) {
    case TableId::Region: return std::ssize(kRegions);
    case TableId::Nation: return std::ssize(kNations);
    case TableId::Part: return scale.parts;
    case TableId::Supplier: return scale.suppliers;
    case TableId::PartSupp: return scale.parts * 4;
    case TableId::Customer: return scale.customers;
    case TableId::Orders: return scale.orders;
    case TableId::Lineitem: return LineitemCount(scale);
    }
    throw Error::Internal("unknown TPC-H table");
}

void Generate(std::string_view table, double sf, const std::function<void(DataChunk&)>& sink) {
    TableId id = FindTable(table);
    Scale scale = MakeScale(sf);
    const TableSpec& spec = Tables()[static_cast<size_t>(id)];
    switch (id) {
    case TableId::Region: GenerateRegion(spec, sink); return;
    case TableId::Nation: GenerateNation(spec, sink); return;
    case TableId::Part: GeneratePart(spec, scale, sink); return;
    case TableId::Supplier: GenerateSupplier(spec, scale, sink); return;
    case TableId::PartSupp: GeneratePartSupp(spec, scale, sink); return;
    case TableId::Customer: GenerateCustomer(spec, scale, sink); return;
    case TableId::Orders: GenerateOrders(spec, scale, sink); return;
    case TableId::Lineitem: GenerateLineitem(spec, scale, sink); return;
    }
}

}  // namespace grizzly::storage::tpch
