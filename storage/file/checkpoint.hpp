#pragma once
/// A database's content as bytes: every catalog object and every row of every
/// table, deleted rows included (with the deletion bitmap), so row ids stay the
/// same across a checkpoint and WAL records can name rows by id. Column data is
/// written per vector of rows and compressed with zstd.

#include <string>
#include <string_view>

#include "common/vector.hpp"
#include "storage/catalog.hpp"
#include "storage/file/binary.hpp"

namespace grizzly::storage {

std::string SerializeDatabase(const Catalog& catalog);
/// Fills the empty `catalog`; malformed bytes raise XX001 naming `what`.
void DeserializeDatabase(std::string_view bytes, Catalog& catalog, const std::string& what);

/// One vector's first `count` values, NULLs included (shared with the WAL).
void EncodeVector(BinaryWriter& w, const Vector& v, idx_t count);
Vector DecodeVector(BinaryReader& r, LogicalType type, idx_t count);
void EncodeType(BinaryWriter& w, LogicalType type);
LogicalType DecodeType(BinaryReader& r);

}  // namespace grizzly::storage
