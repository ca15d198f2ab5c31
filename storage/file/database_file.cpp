#include "storage/file/database_file.hpp"

#include <cstdlib>

#include "storage/file/checkpoint.hpp"
#include "storage/transaction.hpp"

namespace grizzly::storage {

namespace {

Error ReadOnlyError(const std::string& path) {
    return Error(SqlState::ReadOnlySqlTransaction, "database file \"" + path + "\" is opened read-only");
}

}  // namespace

/// Row groups in blocks of a BlockStore: written through a checkpoint's writer
/// unless the row group is the very object an earlier checkpoint stored, and
/// read back by reference.
class DatabaseFile::BlockRowGroups : public RowGroupStore {
public:
    BlockRowGroups(BlockStore& store, BlockStore::Writer* writer, const StoredRowGroups* previous)
        : store_(store), writer_(writer), previous_(previous) {}

    void Put(BinaryWriter& w, const std::shared_ptr<RowGroup>& group,
             const std::function<std::string()>& encode) override {
        BlobRef ref;
        auto it = previous_ ? previous_->find(group.get()) : StoredRowGroups::const_iterator();
        // A row group never changes once a checkpoint has it (writers change copies), so the same
        // object still alive means the same bytes.
        if (previous_ && it != previous_->end() && it->second.group.lock() == group) {
            ref = it->second.ref;
            writer_->Keep(ref);
        } else {
            ref = writer_->Write(encode());
        }
        ref.Encode(w);
        stored[group.get()] = StoredRowGroup{group, std::move(ref)};
    }

    std::string Get(BinaryReader& r) override {
        last_ = BlobRef::Decode(r);
        return store_.Read(last_);
    }

    void Loaded(const std::shared_ptr<RowGroup>& group) override { stored[group.get()] = StoredRowGroup{group, last_}; }

    StoredRowGroups stored;

private:
    BlockStore& store_;
    BlockStore::Writer* writer_;
    const StoredRowGroups* previous_;
    BlobRef last_;
};

DatabaseFile::StoredRowGroups DatabaseFile::WriteCheckpoint(BlockStore& store, const Catalog& catalog,
                                                            const StoredRowGroups* previous) {
    BlockStore::Writer writer(store);
    BlockRowGroups groups(store, &writer, previous);
    std::string metadata = SerializeDatabase(catalog, &groups);
    writer.Commit(metadata);
    return std::move(groups.stored);
}

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
        db->store_ = BlockStore::Create(path, 1);
        db->stored_ = WriteCheckpoint(*db->store_, catalog, nullptr);
        db->wal_.Reset(db->store_->Sequence());
        return db;
    }
    db->store_ = BlockStore::Open(path, read_only);
    BlockRowGroups loader(*db->store_, nullptr, nullptr);
    DeserializeDatabase(db->store_->Metadata(), catalog, "database file \"" + path + "\"", &loader);
    db->stored_ = std::move(loader.stored);
    if (auto it = catalog.settings.find("checkpoint_threshold"); it != catalog.settings.end())
        db->checkpoint_threshold = std::strtoull(it->second.c_str(), nullptr, 10);
    std::vector<std::string> records = db->wal_.Recover(db->store_->Sequence());
    if (records.empty()) return db;
    // Replayed changes go through a transaction, so they change copies of the stored row groups
    // and the next checkpoint writes just those.
    Transaction replay;
    {
        TransactionScope scope(&replay);
        for (size_t i = 0; i < records.size(); ++i)
            ApplyRedo(records[i], catalog, "write-ahead log \"" + path + ".wal\" record " + std::to_string(i + 1));
    }
    replay.Commit();
    return db;
}

void DatabaseFile::Commit(const UndoLog& undo, const Catalog& catalog) {
    if (undo.Entries().empty()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (read_only_) throw ReadOnlyError(path_);
    bool catalog_changed = false, data_changed = false, rewritten = false;
    for (const auto& e : undo.Entries()) {
        // The log records row changes; anything else is committed by a checkpoint.
        catalog_changed |= e.kind == UndoLog::Entry::CatalogChange;
        rewritten |= e.kind == UndoLog::Entry::Rewrite;
        data_changed |= e.kind != UndoLog::Entry::CatalogChange;
    }
    if (rewritten) {
        RewriteLocked(catalog);
        return;
    }
    if (catalog_changed) {
        CheckpointLocked(catalog);
        return;
    }
    if (!data_changed) return;
    std::string redo = EncodeRedo(undo);
    // A bulk load would be written twice, to the log and then to the file by the
    // checkpoint its size triggers; a checkpoint alone is as durable and atomic.
    if (redo.size() > checkpoint_threshold) {
        CheckpointLocked(catalog);
        return;
    }
    wal_.Append(redo, synchronous);
    if (wal_.Size() > checkpoint_threshold) {
        // The commit is durable already; a failed checkpoint only leaves a longer log.
        try {
            CheckpointLocked(catalog);
        } catch (const Error&) {
        }
    }
}

void DatabaseFile::Checkpoint(const Catalog& catalog) {
    std::lock_guard<std::mutex> lock(mutex_);
    CheckpointLocked(catalog);
}

void DatabaseFile::CheckpointLocked(const Catalog& catalog) {
    if (read_only_) throw ReadOnlyError(path_);
    stored_ = WriteCheckpoint(*store_, catalog, &stored_);
    // From here the file holds everything; a log left behind is obsolete (its
    // sequence number is old), so a failure to empty it loses nothing.
    wal_.Reset(store_->Sequence());
}

void DatabaseFile::FoldLog(const Catalog& catalog) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (read_only_ || wal_.Size() <= WalFile::kHeaderSize) return;
    CheckpointLocked(catalog);
}

void DatabaseFile::Rewrite(const Catalog& catalog) {
    std::lock_guard<std::mutex> lock(mutex_);
    RewriteLocked(catalog);
}

void DatabaseFile::RewriteLocked(const Catalog& catalog) {
    if (read_only_) throw ReadOnlyError(path_);
    std::string tmp = path_ + ".tmp";
    StoredRowGroups stored;
    {
        auto fresh = BlockStore::Create(tmp, store_->Sequence() + 1);
        stored = WriteCheckpoint(*fresh, catalog, nullptr);
    }
    RenameDurably(tmp, path_);
    store_ = BlockStore::Open(path_, false);
    stored_ = std::move(stored);
    wal_.Reset(store_->Sequence());
}

void DatabaseFile::WriteCopy(const std::string& path, const Catalog& catalog) {
    std::string tmp = path + ".tmp";
    {
        auto fresh = BlockStore::Create(tmp, 1);
        WriteCheckpoint(*fresh, catalog, nullptr);
    }
    RenameDurably(tmp, path);
}

uint64_t DatabaseFile::FileBytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return store_->FileBytes();
}

uint64_t DatabaseFile::WalBytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return wal_.Size();
}

std::string DatabaseFile::Verify() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string problems = store_->Verify();
    std::string wal = wal_.Verify(store_->Sequence());
    if (!wal.empty()) problems += (problems.empty() ? "" : "; ") + wal;
    return problems;
}

}  // namespace grizzly::storage
