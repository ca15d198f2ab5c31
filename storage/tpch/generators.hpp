#pragma once
/// Internals shared by the table generators: scaled row counts, the formulas
/// that tie the tables together (clause 4.2.3), column positions, and the
/// writer that cuts rows into chunks.

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "common/vector.hpp"
#include "storage/tpch/dbgen.hpp"
#include "storage/tpch/random.hpp"
#include "storage/tpch/text_pool.hpp"

namespace grizzly::storage::tpch {

using Sink = std::function<void(DataChunk&)>;

// Days since 1970-01-01 of the spec's STARTDATE, CURRENTDATE and ENDDATE.
inline constexpr int32_t kStartDate = 8035;    // 1992-01-01
inline constexpr int32_t kCurrentDate = 9298;  // 1995-06-17
inline constexpr int32_t kEndDate = 10591;     // 1998-12-31

/// Row counts at one scale factor (clause 4.2.5). Below SF 1 there are still
/// 1,000 clerks, as in dbgen.
struct Scale {
    int64_t suppliers;
    int64_t parts;
    int64_t customers;
    int64_t orders;
    int64_t clerks;
    /// Suppliers whose comment says "Customer ... Complaints", and as many with
    /// "Customer ... Recommends": 5 * SF each, but at least one so that Q16's
    /// filter has something to remove at small scale factors.
    int64_t remarks_per_kind;
};

/// Raises 22023 when `sf` is not positive, leaves o_orderkey's INTEGER range, or is
/// so small that a part would get the same supplier twice.
Scale MakeScale(double sf);

/// Lengths of random strings: 0.4 to 1.6 times the mean (dbgen's V_STR_LOW and V_STR_HGH).
struct LengthRange {
    uint32_t min;
    uint32_t max;
};
constexpr LengthRange AroundMean(uint32_t mean) { return {mean * 4 / 10, mean * 16 / 10}; }

/// Sparse order keys: of every 32 keys only the first 8 are used (dbgen's mk_sparse).
inline int64_t OrderKey(int64_t order_idx) {
    int64_t ordinal = order_idx + 1;
    return ((ordinal >> 3) << 5) | (ordinal & 7);
}

/// The supplier number `supplier_idx` (0..3) of a part: the spec's formula
/// (ps_partkey + (i * ((S/4) + (int)(ps_partkey-1)/S))) % S + 1.
inline int64_t PartSupplier(int64_t partkey, int64_t supplier_idx, int64_t suppliers) {
    return (partkey + supplier_idx * (suppliers / 4 + (partkey - 1) / suppliers)) % suppliers + 1;
}

/// p_retailprice in cents: (90000 + ((P_PARTKEY/10) modulo 20001) + 100 * (P_PARTKEY modulo 1000)) / 100.
inline int64_t RetailPrice(int64_t partkey) { return 90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000); }

/// A single uniform draw from [lo, hi] of `stream` at `row`.
inline int64_t Draw(Stream stream, int64_t row, int64_t lo, int64_t hi) {
    Rng rng(stream, static_cast<uint64_t>(row));
    return rng.Uniform(lo, hi);
}

/// A comment of `stream` at `row`: a slice of the shared text pool.
inline std::string_view Comment(Stream stream, int64_t row, LengthRange length) {
    Rng rng(stream, static_cast<uint64_t>(row));
    return TextPool::Shared().Slice(rng, length.min, length.max);
}

/// Writes `prefix` and `number` zero-padded to nine digits ("Supplier#000000001")
/// into `buf`, which must hold prefix.size() + 10 bytes.
std::string_view FormatTagged(char* buf, std::string_view prefix, int64_t number);

/// Column positions, in the order of Tables().
enum RegionColumn : size_t { kRRegionkey, kRName, kRComment };
enum NationColumn : size_t { kNNationkey, kNName, kNRegionkey, kNComment };
enum PartColumn : size_t { kPPartkey, kPName, kPMfgr, kPBrand, kPType, kPSize, kPContainer, kPRetailprice, kPComment };
enum SupplierColumn : size_t { kSSuppkey, kSName, kSAddress, kSNationkey, kSPhone, kSAcctbal, kSComment };
enum PartSuppColumn : size_t { kPsPartkey, kPsSuppkey, kPsAvailqty, kPsSupplycost, kPsComment };
enum CustomerColumn : size_t {
    kCCustkey, kCName, kCAddress, kCNationkey, kCPhone, kCAcctbal, kCMktsegment, kCComment
};
enum OrdersColumn : size_t {
    kOOrderkey, kOCustkey, kOOrderstatus, kOTotalprice, kOOrderdate, kOOrderpriority, kOClerk, kOShippriority,
    kOComment
};
enum LineitemColumn : size_t {
    kLOrderkey, kLPartkey, kLSuppkey, kLLinenumber, kLQuantity, kLExtendedprice, kLDiscount, kLTax,
    kLReturnflag, kLLinestatus, kLShipdate, kLCommitdate, kLReceiptdate, kLShipinstruct, kLShipmode, kLComment
};

/// Collects rows into chunks of kVectorSize and hands each full chunk to the
/// sink. Every chunk is new, so the sink may keep it and string heaps never
/// outgrow one chunk.
class ChunkWriter {
public:
    ChunkWriter(const TableSpec& table, const Sink& sink);

    /// The row to fill next; a full chunk goes to the sink first.
    idx_t NextRow();
    /// Hands the last, partly filled chunk to the sink.
    void Finish();

    template <class T>
    T& At(size_t column, idx_t row) {
        return chunk_.columns[column].Data<T>()[row];
    }
    /// Copies `s` into the chunk (inline or into the column's heap).
    void Copy(size_t column, idx_t row, std::string_view s) {
        At<StringRef>(column, row) = chunk_.columns[column].AddString(s);
    }
    /// References `s` without copying: its bytes must live as long as the process.
    void Refer(size_t column, idx_t row, std::string_view s) {
        At<StringRef>(column, row) = StringRef(s.data(), static_cast<uint32_t>(s.size()));
    }

private:
    void StartChunk();

    std::vector<LogicalType> types_;
    const Sink& sink_;
    DataChunk chunk_;
};

void GenerateRegion(const TableSpec& table, const Sink& sink);
void GenerateNation(const TableSpec& table, const Sink& sink);
void GeneratePart(const TableSpec& table, const Scale& scale, const Sink& sink);
void GenerateSupplier(const TableSpec& table, const Scale& scale, const Sink& sink);
void GeneratePartSupp(const TableSpec& table, const Scale& scale, const Sink& sink);
void GenerateCustomer(const TableSpec& table, const Scale& scale, const Sink& sink);
void GenerateOrders(const TableSpec& table, const Scale& scale, const Sink& sink);
void GenerateLineitem(const TableSpec& table, const Scale& scale, const Sink& sink);
/// Sum of the line counts of all orders.
int64_t LineitemCount(const Scale& scale);

}  // namespace grizzly::storage::tpch
