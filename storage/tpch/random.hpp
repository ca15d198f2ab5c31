#pragma once
/// Random numbers for the TPC-H generator. Every column draws from its own
/// stream, and every row of a column starts its stream afresh from (column,
/// row): a value depends only on where it sits, never on which rows were
/// generated before it. That keeps the output independent of chunking, lets
/// orders recompute the lines they summarize, and would let row ranges be
/// generated in parallel.
///
/// A few columns instead reproduce dbgen's own values (DbgenRng): those that
/// take a single draw per row and decide how many rows queries return, such
/// as the nation of each supplier and customer.

#include <cstdint>

namespace grizzly::storage::tpch {

/// One stream per generated column, like dbgen's per-column seeds.
enum class Stream : uint32_t {
    NationComment = 1,
    RegionComment,
    SupplierAddress,
    SupplierNation,  // unused: s_nationkey follows dbgen (DbgenRng); kept so that later streams keep their numbers
    SupplierPhone,
    SupplierAcctbal,
    SupplierComment,
    SupplierRemarkPick,
    SupplierRemarkPlace,
    CustomerAddress,
    CustomerNation,  // unused, as SupplierNation
    CustomerPhone,
    CustomerAcctbal,
    CustomerSegment,  // unused, as SupplierNation
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

/// dbgen's generator: Park and Miller's "minimal standard" generator
/// (seed = seed * 16807 mod (2^31 - 1)) with dbgen's UnifInt scaling, one
/// stream per seed of dbgen's seed table. dbgen starts every stream at its
/// table seed and, after each row, advances it to the stream's per-row
/// boundary, so row r (counting from 0) of a stream with boundary b starts
/// at draw r * b; the constructor jumps there directly.
class DbgenRng {
public:
    // Seeds of dbgen's seed table (driver.c) for the streams used here; each
    // takes exactly one draw per row.
    static constexpr int64_t kSupplierNationSeed = 110356601;    // S_NTRG_SD
    static constexpr int64_t kCustomerNationSeed = 1489529863;   // C_NTRG_SD
    static constexpr int64_t kCustomerSegmentSeed = 1140279430;  // C_MSEG_SD

    /// The stream that starts at `seed`, advanced by `skip` draws.
    DbgenRng(int64_t seed, int64_t skip) : seed_(seed) { Skip(skip); }

    /// Advances the stream by `count` draws (dbgen's NthElement), in O(log count).
    void Skip(int64_t count) {
        uint64_t factor = kMultiplier;
        auto remaining = static_cast<uint64_t>(count);
        auto seed = static_cast<uint64_t>(seed_);
        for (; remaining > 0; remaining >>= 1) {
            if (remaining & 1) seed = seed * factor % kModulus;
            factor = factor * factor % kModulus;
        }
        seed_ = static_cast<int64_t>(seed);
    }
    /// Uniform in [lo, hi], both inclusive, exactly as dbgen's UnifInt computes it.
    int64_t Uniform(int64_t lo, int64_t hi) {
        seed_ = static_cast<int64_t>(static_cast<uint64_t>(seed_) * kMultiplier % kModulus);
        double range = static_cast<double>(hi - lo + 1);
        return lo + static_cast<int64_t>(static_cast<double>(seed_) / static_cast<double>(kModulus) * range);
    }

private:
    static constexpr uint64_t kMultiplier = 16807;
    static constexpr uint64_t kModulus = 2147483647;  // 2^31 - 1
    int64_t seed_;
};

}  // namespace grizzly::storage::tpch
