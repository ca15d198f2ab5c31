#pragma once
/// Type-generic vector moves shared by all operators: gather, copy, fill, hash.

#include "common/common.hpp"
#include "runtime/functions/functions.hpp"

namespace grizzly::runtime {

/// dst[i] = src[rows[i]] for i in [0, n) (values, validity, string lifetime).
void Gather(const Vector& src, const uint32_t* rows, idx_t n, Vector& dst, idx_t dst_offset = 0);
/// dst[r] = src[r] for each r in rows (same positions).
void CopyRows(const Vector& src, Rows rows, Vector& dst);
/// dst[r] = value for each r in rows.
void FillConstant(const Value& value, Rows rows, Vector& dst);
/// Sets rows [0, n) of dst to NULL.
void SetNull(Vector& dst, idx_t n, idx_t offset = 0);
/// Mixes the hash of each row of `v` (by rows) into hashes[i] (i-th row of rows).
void HashVector(const Vector& v, Rows rows, uint64_t* hashes, bool first);
/// Equality of src[src_row] and other[other_row] (same type), NULLs equal when null_equal.
bool RowsEqual(const Vector& a, idx_t a_row, const Vector& b, idx_t b_row, bool null_equal);
/// Row equality specialized for one physical type (chosen once per column, called per row).
using RowEqualFn = bool (*)(const Vector& a, idx_t a_row, const Vector& b, idx_t b_row);
RowEqualFn GetRowEqual(PhysicalType type, bool null_equal);
/// `mask`'s validity words for `rows` rows as compiled code reads them: null when
/// every row is valid, else a whole word per 64 rows — the mask's own, or a copy
/// in `padded` (a mask materializes only up to its last NULL; rows past it are valid).
const uint64_t* WholeValidityWords(const ValidityMask& mask, idx_t rows, std::vector<uint64_t>& padded);
/// Three-way comparison used by ORDER BY (NULL placement handled by the caller).
int CompareRows(const Vector& a, idx_t a_row, const Vector& b, idx_t b_row);

}  // namespace grizzly::runtime
