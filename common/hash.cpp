#include "common/hash.hpp"

#include <xxhash.h>

#include <cstring>

#include "common/types.hpp"

namespace grizzly {

uint64_t HashString(const StringRef& string) {
    if (string.IsInlined()) {
        uint64_t words[2];
        std::memcpy(words, &string, sizeof(words));
        return MixBits(words[0] ^ MixBits(words[1] + 0x9e3779b97f4a7c15ULL));
    }
    return XXH3_64bits(string.Data(), string.Size());
}

}  // namespace grizzly
