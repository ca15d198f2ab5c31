#pragma once
/// A database's content as bytes: every catalog object and every row of every
/// table, deleted rows included (with the deletion bitmap), so row ids stay the
/// same across a checkpoint and WAL records can name rows by id. Column data is
/// written per row group and column as segments (segment.hpp): zone maps, then
/// the values in the smallest lightweight encoding (encoding.hpp), compressed
/// with lz4 or zstd where that pays. Layout: storage/README.md.

#include <string>
#include <string_view>

#include "common/vector.hpp"
#include "storage/catalog.hpp"
#include "storage/file/binary.hpp"

namespace grizzly::storage {

std::string SerializeDatabase(const Catalog& catalog);
/// Fills the empty `catalog`; malformed bytes raise XX001 naming `what`.
void DeserializeDatabase(std::string_view bytes, Catalog& catalog, const std::string& what);

/// One vector's first `count` values, NULLs included, unencoded (the WAL's format).
void EncodeVector(BinaryWriter& w, const Vector& v, idx_t count);
Vector DecodeVector(BinaryReader& r, LogicalType type, idx_t count);
void EncodeType(BinaryWriter& w, LogicalType type);
LogicalType DecodeType(BinaryReader& r);

}  // namespace grizzly::storage
