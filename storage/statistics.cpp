#include "storage/statistics.hpp"

#include <xxhash.h>

#include <cmath>
#include <cstring>

namespace grizzly::storage {

ZoneKind ZoneKindOf(LogicalType type) {
    switch (type.Physical()) {
    case PhysicalType::Int32:
    case PhysicalType::Int64: return ZoneKind::Integer;
    case PhysicalType::Double: return ZoneKind::Floating;
    default: return ZoneKind::None;
    }
}

double DistinctSketch::Estimate() const {
    constexpr double m = 1024;
    double sum = 0;
    int zeros = 0;
    for (uint8_t r : registers_) {
        sum += std::ldexp(1.0, -r);
        zeros += r == 0;
    }
    if (zeros == static_cast<int>(m)) return 0;
    double estimate = 0.7213 / (1 + 1.079 / m) * m * m / sum;
    // Small cardinalities: linear counting is more accurate.
    if (estimate <= 2.5 * m && zeros > 0) estimate = m * std::log(m / zeros);
    return estimate;
}

uint64_t StatisticsHash(PhysicalType physical, const void* value) {
    if (physical == PhysicalType::String) {
        const auto* s = static_cast<const StringRef*>(value);
        return XXH3_64bits(s->Data(), s->Size());
    }
    if (physical == PhysicalType::Interval) return XXH3_64bits(value, PhysicalSize(physical));
    // One byte: FixedWidthHash would read eight, past the end of a column.
    if (physical == PhysicalType::Bool) return MixBits(*static_cast<const uint8_t*>(value));
    // Fixed-width values are sketched on every append: a multiply-xorshift mix is enough.
    return FixedWidthHash(value, PhysicalSize(physical));
}

}  // namespace grizzly::storage
