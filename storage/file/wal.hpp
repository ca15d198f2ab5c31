#pragma once
/// The write-ahead log beside a database file ("<file>.wal"): one record per
/// committed transaction, appended and synced before the commit returns.
///
///   header   "GRIZWAL\0", format version (u32), padding (u32), the sequence
///            number of the checkpoint the log continues (u64), XXH64 of those
///   record   payload length (u32), XXH64 of the payload (u64), payload
///
/// A log whose sequence number is not the file's belongs to a checkpoint that
/// has since been written: it is obsolete. Replay stops at the first record
/// that is incomplete or fails its checksum (a torn write at a crash) and cuts
/// the log there.
///
/// Records are redo records derived from the transaction's undo log: the rows
/// it appended (final values), the rows it deleted and the cells it updated,
/// by row id (row ids are stable: checkpoints keep deleted rows).

#include <string>
#include <string_view>
#include <vector>

#include "storage/catalog.hpp"
#include "storage/file/file_io.hpp"

namespace grizzly::storage {

/// The redo record of a transaction without catalog changes.
std::string EncodeRedo(const UndoLog& undo);
/// Applies one redo record to `catalog` (XX001 if it does not fit the data).
void ApplyRedo(std::string_view record, Catalog& catalog, const std::string& what);

class WalFile {
public:
    bool IsOpen() const { return file_.IsOpen(); }
    static constexpr uint64_t kHeaderSize = 32;

    /// Opens (creating it if needed) and locks the log; false if another
    /// process holds the lock. Read-only: opens an existing log only, with a
    /// shared lock, so several readers may hold it but no writer.
    bool OpenAndLock(const std::string& path, bool read_only = false);
    /// The valid records when the log continues checkpoint `sequence`; cuts a
    /// torn tail. An obsolete log is emptied for `sequence`. A read-only log is
    /// left as it is.
    std::vector<std::string> Recover(uint64_t sequence);
    /// Appends one record; synced unless `sync` is false. On failure the log is
    /// cut back to where it was, so a failed commit leaves no record behind.
    void Append(const std::string& record, bool sync);
    /// Empties the log for the new checkpoint `sequence`.
    void Reset(uint64_t sequence);
    uint64_t Size() const { return size_; }
    /// Problems found in the log (empty = sound), for PRAGMA integrity_check.
    std::string Verify(uint64_t sequence) const;

private:
    File file_;
    uint64_t size_ = 0;
    bool read_only_ = false;
};

}  // namespace grizzly::storage
