#pragma once
/// Comment text (TPC-H clause 4.2.2.10). A pool of pseudo-English is built once
/// from the sentence grammar of distributions.hpp; every comment is a slice of
/// it at a random offset with a random length, as dbgen does it. Slices may
/// start and end inside a word, like dbgen's.

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/tpch/random.hpp"

namespace grizzly::storage::tpch {

class TextPool {
public:
    /// dbgen builds 300 MiB. A comment only samples the pool's word statistics,
    /// which a pool this size already has (some 300,000 sentences), and it
    /// builds in a fraction of a second instead of several.
    static constexpr size_t kDefaultSize = size_t{16} << 20;

    /// Generates `size` bytes of sentences from a fixed seed.
    explicit TextPool(size_t size);

    /// The pool every generator uses, built on first use (thread-safe). It
    /// lives until the process ends, so views into it never dangle.
    static const TextPool& Shared();

    /// A slice of `min_len` to `max_len` bytes (uniform) at a uniform offset.
    std::string_view Slice(Rng& rng, uint32_t min_len, uint32_t max_len) const {
        auto offset = static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(text_.size() - max_len)));
        auto length = static_cast<size_t>(rng.Uniform(min_len, max_len));
        return std::string_view(text_).substr(offset, length);
    }
    std::string_view Text() const { return text_; }

private:
    std::string text_;
};

}  // namespace grizzly::storage::tpch
