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

void DistinctSketch::Add(uint64_t hash) {
    uint32_t bucket = static_cast<uint32_t>(hash >> 54);  // top 10 bits
    uint64_t rest = (hash << 10) | (uint64_t(1) << 9);    // guard bit bounds the rank
    uint8_t rank = static_cast<uint8_t>(__builtin_clzll(rest) + 1);
    if (rank > registers_[bucket]) registers_[bucket] = rank;
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
    // Fixed-width values are sketched on every append: a multiply-xorshift mix is enough.
    uint64_t x = 0;
    std::memcpy(&x, value, PhysicalSize(physical));
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

}  // namespace grizzly::storage
