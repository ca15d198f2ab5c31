#pragma once
/// How a checkpoint stores each column of a table (encodings, codecs, sizes),
/// for PRAGMA storage_info. Includes nothing heavy, so the layers above can
/// report it without pulling in the storage internals.

#include <cstdint>
#include <string>
#include <vector>

namespace grizzly::storage {

class TableEntry;

/// One column of a table as a checkpoint stores it: one segment per row group.
struct ColumnStorageInfo {
    std::string column_name;
    std::string type;                 ///< SQL spelling, e.g. "DECIMAL(15,2)"
    uint64_t segments = 0;            ///< one per row group; 0 for an empty table
    std::string encodings;            ///< "dictionary", or per segment count when they differ: "for_bitpack(3)+rle(1)"
    std::string codecs;               ///< "lz4", "zstd" or "none", mixed ones spelled like encodings
    uint64_t compressed_bytes = 0;    ///< what the column takes in a checkpoint: zone maps and compressed frames
    uint64_t encoded_bytes = 0;       ///< after the lightweight encodings, before lz4/zstd
    uint64_t uncompressed_bytes = 0;  ///< plain values: the type's width per row; strings as bytes plus a 4-byte length
};

/// Runs the checkpoint's segment writer over every row group of `table` and
/// reports the result per column, in column order. Costs about as much as
/// checkpointing the table. Reads the table like a scan: the caller keeps
/// writers out meanwhile.
std::vector<ColumnStorageInfo> DescribeStorage(const TableEntry& table);

}  // namespace grizzly::storage
