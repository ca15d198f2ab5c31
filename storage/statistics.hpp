#pragma once
/// Column statistics: per vector of rows a zone map (min/max, kept up to date on
/// every append and update, for pruning scans), and per column a HyperLogLog
/// estimate of the number of distinct values (for join ordering). Zone maps may
/// be wider than the data after deletes and rollbacks, which keeps them safe.

#include <array>
#include <cstdint>
#include <vector>

#include "common/common.hpp"

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

/// HyperLogLog with 2^10 registers (about 3% standard error).
class DistinctSketch {
public:
    void Add(uint64_t hash);
    double Estimate() const;

private:
    std::array<uint8_t, 1024> registers_{};
};

/// Hash used by the sketch for one stored value of `physical` type at `value`.
uint64_t StatisticsHash(PhysicalType physical, const void* value);

struct ColumnStatistics {
    double distinct = 0;  ///< estimated number of distinct non-NULL values
    idx_t null_count = 0;
    ZoneKind kind = ZoneKind::None;
    Zone range;           ///< min/max over the whole column (kind != None)
};

}  // namespace grizzly::storage
