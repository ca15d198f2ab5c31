#pragma once
/// A database stored in a file: opening (lock, load the checkpoint, replay the
/// write-ahead log), committing a transaction durably, and checkpointing.
///
/// A transaction that changed only rows is committed by one WAL record. One
/// that changed the catalog (DDL) is committed by a checkpoint, which rewrites
/// the file atomically and empties the log; so does a log that has grown past
/// the checkpoint threshold.

#include <memory>
#include <string>

#include "storage/catalog.hpp"
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

    const std::string& Path() const { return path_; }
    bool ReadOnly() const { return read_only_; }
    uint64_t FileBytes() const;
    uint64_t WalBytes() const { return wal_.Size(); }
    /// Whether the log holds commits that the file does not.
    bool HasLoggedCommits() const { return wal_.Size() > WalFile::kHeaderSize; }
    /// Checksums of the file and the log; empty when both are sound.
    std::string Verify() const;

    /// SET synchronous = off: commits do not wait for the disk (unsafe on power loss).
    bool synchronous = true;
    /// SET checkpoint_threshold: WAL bytes after which a commit checkpoints.
    uint64_t checkpoint_threshold = uint64_t(16) << 20;

private:
    std::string path_;
    bool read_only_ = false;
    uint64_t sequence_ = 0;
    WalFile wal_;
};

}  // namespace grizzly::storage
