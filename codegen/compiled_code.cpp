#include "codegen/compiled_code.hpp"

#include <algorithm>

namespace grizzly::codegen {

const char* TierName(Tier tier) {
    switch (tier) {
    case Tier::Fast: return "fast";
    case Tier::Optimized: return "optimized";
    }
    return "unknown";
}

size_t CompiledCode::MemoryBytes() const {
    // A module that reported no object size still costs its code pages.
    constexpr size_t kMinimumCodeBytes = 4096;
    return std::max(stats_.object_bytes, kMinimumCodeBytes) + ir_before_.size() + ir_after_.size() +
           entry_name_.size() + sizeof(*this);
}

}  // namespace grizzly::codegen
