#pragma once
/// A database's content as bytes: every catalog object and every row of every
/// table, deleted rows included (with the deletion bitmap), so row ids stay the
/// same across a checkpoint and WAL records can name rows by id. Column data is
/// written per row group and column as segments (segment.hpp): zone maps, then
/// the values in the smallest lightweight encoding (encoding.hpp), compressed
/// with lz4 or zstd where that pays. Layout: storage/README.md.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/vector.hpp"
#include "storage/catalog.hpp"
#include "storage/file/binary.hpp"

namespace grizzly::storage {

/// Where row groups go: by default into the catalog bytes themselves; a
/// database file keeps them in blocks of their own, written once and kept by
/// later checkpoints as long as the row group does not change.
class RowGroupStore {
public:
    virtual ~RowGroupStore() = default;
    /// Stores row group `group` (its bytes come from `encode`, called only when
    /// they must be written) and leaves in `w` what finds it again.
    virtual void Put(BinaryWriter& w, const std::shared_ptr<RowGroup>& group,
                     const std::function<std::string()>& encode) = 0;
    /// The bytes of the row group whose reference Put left at `r`.
    virtual std::string Get(BinaryReader& r) = 0;
    /// `group` was built from the bytes the last Get returned.
    virtual void Loaded(const std::shared_ptr<RowGroup>& group) = 0;
};

std::string SerializeDatabase(const Catalog& catalog, RowGroupStore* store = nullptr);
/// Fills the empty `catalog`; malformed bytes raise XX001 naming `what`.
void DeserializeDatabase(std::string_view bytes, Catalog& catalog, const std::string& what,
                         RowGroupStore* store = nullptr);

/// One vector's first `count` values, NULLs included, unencoded (the WAL's format).
void EncodeVector(BinaryWriter& w, const Vector& v, idx_t count);
Vector DecodeVector(BinaryReader& r, LogicalType type, idx_t count);
void EncodeType(BinaryWriter& w, LogicalType type);
LogicalType DecodeType(BinaryReader& r);

}  // namespace grizzly::storage
