#pragma once
/// A database stored in a file: opening (lock, load the checkpoint, replay the
/// write-ahead log), committing a transaction durably, and checkpointing.
///
/// A transaction that changed only rows is committed by one WAL record. One
/// that changed the catalog (DDL) is committed by a checkpoint, which writes
/// the row groups that changed since the last one into free blocks, switches
/// the root atomically (block_file.hpp) and empties the log; so does a log
/// that has grown past the checkpoint threshold. VACUUM's commit rewrites the
/// whole file instead, so that it shrinks.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/catalog.hpp"
#include "storage/file/block_file.hpp"
#include "storage/file/wal.hpp"

namespace grizzly::storage {

class DatabaseFile {
public:
    /// Opens `path`, creating an empty database if it does not exist, and loads
    /// it into the empty `catalog`. Raises 55006 if another process has it open
    /// for writing. Read-only: the file must exist, several processes may read
    /// it at once, and nothing is ever written (commits fail with 25006).
    static std::unique_ptr<DatabaseFile> Open(const std::string& path, Catalog& catalog, bool read_only = false);

    /// Makes the transaction recorded in `undo` durable. On error nothing of it
    /// is on disk and the caller rolls it back in memory.
    void Commit(const UndoLog& undo, const Catalog& catalog);
    void Checkpoint(const Catalog& catalog);
    /// Checkpoints when the log holds commits the file does not (closing, DETACH),
    /// so the next open has nothing to replay; nothing for a read-only file.
    void FoldLog(const Catalog& catalog);
    /// A checkpoint into a new file that replaces this one: free blocks are not carried over.
    void Rewrite(const Catalog& catalog);
    /// Writes `catalog` (as the running transaction sees it) as a new database file at `path`.
    static void WriteCopy(const std::string& path, const Catalog& catalog);

    const std::string& Path() const { return path_; }
    bool ReadOnly() const { return read_only_; }
    uint64_t FileBytes() const;
    uint64_t WalBytes() const;
    /// Checksums of the file and the log; empty when both are sound.
    std::string Verify() const;

    /// SET synchronous = off: commits do not wait for the disk (unsafe on power loss).
    bool synchronous = true;
    /// SET checkpoint_threshold: WAL bytes after which a commit checkpoints.
    uint64_t checkpoint_threshold = uint64_t(16) << 20;

private:
    /// Where each row group of the current checkpoint is, while it stays unchanged.
    struct StoredRowGroup {
        std::weak_ptr<RowGroup> group;  ///< expired: the row group is gone and the address may be reused
        BlobRef ref;
    };
    using StoredRowGroups = std::unordered_map<const RowGroup*, StoredRowGroup>;
    class BlockRowGroups;

    std::string path_;
    bool read_only_ = false;
    /// The writer commits while readers ask for sizes or verify the file (PRAGMA).
    mutable std::mutex mutex_;
    std::unique_ptr<BlockStore> store_;
    StoredRowGroups stored_;
    WalFile wal_;

    /// Writes a checkpoint of `catalog` through `writer`, reusing what `previous` names; returns the new map.
    static StoredRowGroups WriteCheckpoint(BlockStore& store, const Catalog& catalog, const StoredRowGroups* previous);
    // The same as the public ones, with mutex_ held.
    void CheckpointLocked(const Catalog& catalog);
    void RewriteLocked(const Catalog& catalog);
};

}  // namespace grizzly::storage
