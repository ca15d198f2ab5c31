#pragma once
/// Column statistics: per vector of rows a zone map (min/max, kept up to date on
/// every append and update, for pruning scans), and per column a HyperLogLog
/// estimate of the number of distinct values (for join ordering). Zone maps may
/// be wider than the data after updates, deletes and rollbacks, which keeps them
/// safe; a checkpoint stores them recomputed from the values, narrow again.

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "common/common.hpp"
#include "common/hash.hpp"

namespace grizzly::storage {

/// Min/max of the non-NULL values of one vector (kVectorSize rows) of a column
/// chunk. Integers, dates and timestamps compare as int64, floating point as
/// double; strings and intervals keep no zone map.
struct Zone {
    union {
        int64_t i;
        double d;
    } min{}, max{};
    bool has_values = false;
};

/// Whether a column type keeps zone maps, and how its values compare.
enum class ZoneKind : uint8_t { None, Integer, Floating };
ZoneKind ZoneKindOf(LogicalType type);

/// Widens `zone` by one non-NULL stored value of `width` bytes (4 or 8) at
/// `value`. The one rule for appends, updates and checkpoints, so that zone maps
/// read from a file equal the ones an append computes. Inline: it runs for every
/// number appended to a table.
inline void WidenZone(Zone& zone, ZoneKind kind, uint32_t width, const void* value) {
    if (kind == ZoneKind::Floating) {
        double v;
        std::memcpy(&v, value, sizeof(v));
        if (std::isnan(v)) v = std::numeric_limits<double>::infinity();  // NaN sorts above every number
        if (!zone.has_values || v < zone.min.d) zone.min.d = v;
        if (!zone.has_values || v > zone.max.d) zone.max.d = v;
    } else {
        int64_t v;
        if (width == 4) {
            int32_t narrow;
            std::memcpy(&narrow, value, sizeof(narrow));
            v = narrow;
        } else {
            std::memcpy(&v, value, sizeof(v));
        }
        if (!zone.has_values || v < zone.min.i) zone.min.i = v;
        if (!zone.has_values || v > zone.max.i) zone.max.i = v;
    }
    zone.has_values = true;
}

/// HyperLogLog with 2^10 registers (about 3% standard error).
class DistinctSketch {
public:
    /// Inline: it runs for every number appended to a table.
    void Add(uint64_t hash) {
        uint32_t bucket = static_cast<uint32_t>(hash >> 54);  // top 10 bits
        uint64_t rest = (hash << 10) | (uint64_t(1) << 9);    // guard bit bounds the rank
        uint8_t rank = static_cast<uint8_t>(__builtin_clzll(rest) + 1);
        if (rank > registers_[bucket]) registers_[bucket] = rank;
    }
    double Estimate() const;

private:
    std::array<uint8_t, 1024> registers_{};
};

/// Hash used by the sketch for one stored value of `physical` type at `value`.
uint64_t StatisticsHash(PhysicalType physical, const void* value);

/// The same for a fixed-width value of `width` bytes (4 or 8), inline for appends.
inline uint64_t FixedWidthHash(const void* value, uint32_t width) {
    uint64_t x = 0;
    std::memcpy(&x, value, width == 4 ? 4 : 8);
    return MixBits(x);
}

struct ColumnStatistics {
    double distinct = 0;  ///< estimated number of distinct non-NULL values
    idx_t null_count = 0;
    ZoneKind kind = ZoneKind::None;
    Zone range;           ///< min/max over the whole column (kind != None)
};

}  // namespace grizzly::storage
