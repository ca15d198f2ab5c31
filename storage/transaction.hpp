#pragma once
/// Snapshot isolation. Every table keeps its latest committed rows as an
/// immutable-once-published TableData; a transaction reads the versions that
/// were committed when its snapshot was taken, and writes into private forks
/// that share every untouched row group with the committed version (the fork
/// copies a row group on its first change). COMMIT publishes the forks.
/// One writer per database at a time; readers never wait for it.
///
/// The running transaction is per thread (`Transaction::Current`), because
/// tables are reached from every layer (binder, optimizer statistics,
/// executor, functions) and one statement runs on one thread.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/table_data.hpp"

namespace grizzly::storage {

class Catalog;
class TableEntry;
class Transaction;

/// Per database: the commit epoch, the committed versions and the writer lock.
class TransactionManager {
public:
    /// Takes the writer lock for `txn`, waiting up to `timeout` (zero: no wait).
    /// Throws 40001 when another transaction holds it past the timeout.
    void AcquireWrite(Transaction& txn, std::chrono::milliseconds timeout);
    void ReleaseWrite(Transaction& txn);
    /// Refuses every writer from now on (25006), naming `what` in the error.
    void SetReadOnly(std::string what) { read_only_ = std::move(what); }
    bool ReadOnly() const { return !read_only_.empty(); }
    bool HoldsWrite(const Transaction& txn) const;
    bool HasWriter() const;

    uint64_t Epoch() const;
    std::shared_ptr<TableData> Committed(const TableEntry& table) const;
    /// Makes `data` the committed version of `table` (the writer's commit).
    void Publish(TableEntry& table, std::shared_ptr<TableData> data);
    /// Ends a commit: later snapshots see everything published since the last call.
    void AdvanceEpoch();
    /// The committed versions of every table of `catalog` at this moment.
    void Capture(const Catalog& catalog, std::unordered_map<uint64_t, std::shared_ptr<TableData>>& out,
                 uint64_t& epoch) const;

private:
    mutable std::mutex mutex_;
    std::condition_variable writer_released_;
    const Transaction* writer_ = nullptr;
    uint64_t epoch_ = 0;
    std::string read_only_;
};

/// The state of one connection's transaction across one or more databases.
class Transaction {
public:
    Transaction() = default;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    /// The transaction running on this thread, or null (loading, tests: the caller owns the database alone).
    static Transaction* Current();

    /// Forgets the snapshot; the next read of each database takes a new one.
    void ResetSnapshot();
    /// Becomes the writer of `manager`'s database. A transaction whose snapshot is older than the
    /// latest commit there cannot write (first committer wins): 40001.
    void BeginWrite(TransactionManager& manager, std::chrono::milliseconds timeout);
    bool IsWriting(const TransactionManager& manager) const;

    const TableData& Read(const TableEntry& table);
    TableData& Write(TableEntry& table);
    /// Replaces the private version of `table` (forking it first if needed); returns the old one.
    std::shared_ptr<TableData> Replace(TableEntry& table, std::shared_ptr<TableData> data);

    /// Publishes the private versions and releases every writer lock.
    void Commit();
    /// Drops the private versions and releases every writer lock.
    void Abort();

private:
    friend class TransactionScope;
    struct DatabaseState {
        std::unordered_map<uint64_t, std::shared_ptr<TableData>> snapshot;
        uint64_t epoch = 0;
        bool captured = false;
        bool writing = false;
    };
    struct PrivateVersion {
        TableEntry* table;
        TransactionManager* manager;
        std::shared_ptr<TableData> data;
    };
    std::unordered_map<TransactionManager*, DatabaseState> databases_;
    std::unordered_map<uint64_t, PrivateVersion> writes_;

    DatabaseState& StateOf(TransactionManager& manager, const Catalog& catalog);
    void Release();
};

/// Makes `txn` the current transaction of this thread for the scope's lifetime.
class TransactionScope {
public:
    explicit TransactionScope(Transaction* txn);
    ~TransactionScope();
    TransactionScope(const TransactionScope&) = delete;
    TransactionScope& operator=(const TransactionScope&) = delete;

private:
    Transaction* previous_;
};

}  // namespace grizzly::storage
