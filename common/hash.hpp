#pragma once
/// The 64-bit finalizer of MurmurHash3: spreads every input bit over the
/// result. Hash tables hash integers with it, and the statistics sketch too.
/// And the hash of a VARCHAR that hash joins and aggregates use, shared by the
/// interpreter and compiled code.

#include <cstdint>

namespace grizzly {

struct StringRef;

inline uint64_t MixBits(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/// A short string's two words (it lives whole in the 16-byte ref, zero-padded)
/// mixed; a long string's bytes through XXH3. A long string never equals a short one.
uint64_t HashString(const StringRef& string);

}  // namespace grizzly
