#pragma once
/// Explicit SIMD (xsimd) comparison of two dense numeric arrays into 0/1 bytes.
/// Used by the comparison kernels when there is no selection vector; the
/// caller finishes the scalar tail and applies NULLs afterwards.

#include <xsimd/xsimd.hpp>

#include <cstdint>
#include <type_traits>

#include "ir/expression.hpp"

namespace grizzly::runtime::kernels {

/// Compares a[i] op b[i] for i in [0, n) in whole SIMD batches and returns how
/// many rows it covered (a multiple of the batch width).
template <class T>
size_t SimdCompare(ir::CompareOp op, const T* __restrict a, const T* __restrict b, uint8_t* __restrict out, size_t n) {
    // Doubles stay on the scalar path: SQL orders NaN above every number and equal to
    // itself, which IEEE lane comparisons do not.
    if constexpr (!std::is_same_v<T, int32_t> && !std::is_same_v<T, int64_t>) {
        return 0;
    } else {
        using Batch = xsimd::batch<T>;
        constexpr size_t kWidth = Batch::size;
        const Batch one(static_cast<T>(1)), zero(static_cast<T>(0));
        size_t i = 0;
        for (; i + kWidth <= n; i += kWidth) {
            Batch x = Batch::load_unaligned(a + i), y = Batch::load_unaligned(b + i);
            typename Batch::batch_bool_type m;
            switch (op) {
            case ir::CompareOp::Eq: m = x == y; break;
            case ir::CompareOp::NotEq: m = x != y; break;
            case ir::CompareOp::Lt: m = x < y; break;
            case ir::CompareOp::LtEq: m = x <= y; break;
            case ir::CompareOp::Gt: m = x > y; break;
            case ir::CompareOp::GtEq: m = x >= y; break;
            default: return i;
            }
            alignas(64) T lanes[kWidth];
            xsimd::select(m, one, zero).store_aligned(lanes);
            for (size_t k = 0; k < kWidth; ++k) out[i + k] = static_cast<uint8_t>(lanes[k] != 0);
        }
        return i;
    }
}

}  // namespace grizzly::runtime::kernels
