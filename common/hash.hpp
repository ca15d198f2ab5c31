#pragma once
/// The 64-bit finalizer of MurmurHash3: spreads every input bit over the
/// result. Hash tables hash integers with it, and the statistics sketch too.

#include <cstdint>

namespace grizzly {

inline uint64_t MixBits(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

}  // namespace grizzly
