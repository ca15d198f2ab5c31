#include "storage/file/database_file.hpp"

#include "storage/file/block_file.hpp"
#include "storage/file/checkpoint.hpp"

namespace grizzly::storage {

std::unique_ptr<DatabaseFile> DatabaseFile::Open(const std::string& path, Catalog& catalog, bool read_only) {
    auto db = std::unique_ptr<DatabaseFile>(new DatabaseFile());
    db->path_ = path;
    db->read_only_ = read_only;
    if (read_only && !FileExists(path))
        throw Error(SqlState::UndefinedFile, "database file \"" + path + "\" does not exist (it cannot be created read-only)");
    // The log is never replaced (only truncated), so its lock guards the database.
    if (!db->wal_.OpenAndLock(path + ".wal", read_only))
        throw Error(SqlState::ObjectInUse, "database file \"" + path + "\" is in use by another process" +
                                               (read_only ? " for writing" : ""));
    if (!FileExists(path)) {
        db->sequence_ = 1;
        WriteCheckpointFile(path, CheckpointImage{db->sequence_, SerializeDatabase(catalog)});
        db->wal_.Reset(db->sequence_);
        return db;
    }
    CheckpointImage image = ReadCheckpointFile(path);
    db->sequence_ = image.sequence;
    DeserializeDatabase(image.payload, catalog, "database file \"" + path + "\"");
    std::vector<std::string> records = db->wal_.Recover(db->sequence_);
    for (size_t i = 0; i < records.size(); ++i)
        ApplyRedo(records[i], catalog, "write-ahead log \"" + path + ".wal\" record " + std::to_string(i + 1));
    return db;
}

static Error ReadOnlyError(const std::string& path) {
    return Error(SqlState::ReadOnlySqlTransaction, "database file \"" + path + "\" is opened read-only");
}

void DatabaseFile::Commit(const UndoLog& undo, const Catalog& catalog) {
    if (undo.Entries().empty()) return;
    if (read_only_) throw ReadOnlyError(path_);
    bool catalog_changed = false, data_changed = false;
    for (const auto& e : undo.Entries()) {
        // The log records row changes; anything else is committed by a checkpoint.
        catalog_changed |= e.kind == UndoLog::Entry::CatalogChange || e.kind == UndoLog::Entry::Rewrite;
        data_changed |= e.kind != UndoLog::Entry::CatalogChange;
    }
    if (catalog_changed) {
        Checkpoint(catalog);
        return;
    }
    if (!data_changed) return;
    std::string redo = EncodeRedo(undo);
    // A bulk load would be written twice, to the log and then to the file by the
    // checkpoint its size triggers; a checkpoint alone is as durable and atomic.
    if (redo.size() > checkpoint_threshold) {
        Checkpoint(catalog);
        return;
    }
    wal_.Append(redo, synchronous);
    if (wal_.Size() > checkpoint_threshold) {
        // The commit is durable already; a failed checkpoint only leaves a longer log.
        try {
            Checkpoint(catalog);
        } catch (const Error&) {
        }
    }
}

void DatabaseFile::Checkpoint(const Catalog& catalog) {
    if (read_only_) throw ReadOnlyError(path_);
    uint64_t next = sequence_ + 1;
    WriteCheckpointFile(path_, CheckpointImage{next, SerializeDatabase(catalog)});
    sequence_ = next;
    // From here the new file holds everything; a log left behind is obsolete
    // (its sequence number is old), so a failure to empty it loses nothing.
    wal_.Reset(next);
}

uint64_t DatabaseFile::FileBytes() const {
    File file(path_, File::Mode::ReadOnly);
    return file.Size();
}

std::string DatabaseFile::Verify() const {
    std::string problems = VerifyCheckpointFile(path_);
    std::string wal = wal_.Verify(sequence_);
    if (!wal.empty()) problems += (problems.empty() ? "" : "; ") + wal;
    return problems;
}

}  // namespace grizzly::storage
