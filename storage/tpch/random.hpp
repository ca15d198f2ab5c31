#pragma once
/// Random numbers for the TPC-H generator. Every column draws from its own
/// stream, and every row of a column starts its stream afresh from (column,
/// row): a value depends only on where it sits, never on which rows were
/// generated before it. That keeps the output independent of chunking, lets
/// orders recompute the lines they summarize, and would let row ranges be
/// generated in parallel.

#include <cstdint>

namespace grizzly::storage::tpch {

/// One stream per generated column, like dbgen's per-column seeds.
enum class Stream : uint32_t {
    NationComment = 1,
    RegionComment,
    SupplierAddress,
    SupplierNation,
    SupplierPhone,
    SupplierAcctbal,
    SupplierComment,
    SupplierRemarkPick,
    SupplierRemarkPlace,
    CustomerAddress,
    CustomerNation,
    CustomerPhone,
    CustomerAcctbal,
    CustomerSegment,
    CustomerComment,
    PartName,
    PartMfgr,
    PartBrand,
    PartType,
    PartSize,
    PartContainer,
    PartComment,
    PartSuppAvailqty,
    PartSuppSupplycost,
    PartSuppComment,
    OrderCustkey,
    OrderDate,
    OrderPriority,
    OrderClerk,
    OrderComment,
    OrderLineCount,
    LineQuantity,
    LineDiscount,
    LineTax,
    LinePartkey,
    LineSupplier,
    LineShipDate,
    LineCommitDate,
    LineReceiptDate,
    LineReturnFlag,
    LineInstruct,
    LineShipMode,
    LineComment,
    TextPool,
};

/// splitmix64: tiny state, passes BigCrush, and its finalizer doubles as the
/// hash that turns (stream, row) into a well-spread starting state.
class Rng {
public:
    Rng(Stream stream, uint64_t row) : state_(Mix((uint64_t(stream) << 48) ^ Mix(row))) {}

    uint64_t Next() {
        state_ += kGolden;
        return Mix(state_);
    }
    /// Uniform in [lo, hi], both inclusive (dbgen's RANDOM(lo, hi)).
    int64_t Uniform(int64_t lo, int64_t hi) {
        auto range = static_cast<uint64_t>(hi - lo) + 1;
        // Lemire's multiply-shift: no division; the bias, range / 2^64, is negligible.
        auto scaled = static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * range) >> 64);
        return lo + static_cast<int64_t>(scaled);
    }

private:
    static constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
    static uint64_t Mix(uint64_t z) {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    uint64_t state_;
};

}  // namespace grizzly::storage::tpch
