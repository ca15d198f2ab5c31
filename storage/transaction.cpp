#include "storage/transaction.hpp"

#include "storage/catalog.hpp"

namespace grizzly::storage {

namespace {
thread_local Transaction* current_transaction = nullptr;

Error SerializationFailure(const std::string& detail) {
    return Error(SqlState::SerializationFailure, "could not serialize access: " + detail);
}
}  // namespace

// ---- TransactionManager ----

void TransactionManager::AcquireWrite(Transaction& txn, std::chrono::milliseconds timeout) {
    if (!read_only_.empty())
        throw Error(SqlState::ReadOnlySqlTransaction, "cannot write: " + read_only_ + " is opened read-only");
    std::unique_lock<std::mutex> lock(mutex_);
    if (writer_ == &txn) return;
    if (writer_ && timeout.count() > 0)
        writer_released_.wait_for(lock, timeout, [this] { return writer_ == nullptr; });
    if (writer_)
        throw SerializationFailure("another transaction is writing to this database (SET lock_timeout to wait for it)");
    writer_ = &txn;
}

void TransactionManager::ReleaseWrite(Transaction& txn) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (writer_ != &txn) return;
        writer_ = nullptr;
    }
    writer_released_.notify_all();
}

bool TransactionManager::HoldsWrite(const Transaction& txn) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return writer_ == &txn;
}

bool TransactionManager::HasWriter() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return writer_ != nullptr;
}

uint64_t TransactionManager::Epoch() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return epoch_;
}

std::shared_ptr<TableData> TransactionManager::Committed(const TableEntry& table) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return table.committed_;
}

void TransactionManager::Publish(TableEntry& table, std::shared_ptr<TableData> data) {
    std::lock_guard<std::mutex> lock(mutex_);
    table.committed_ = std::move(data);
}

void TransactionManager::AdvanceEpoch() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++epoch_;
}

void TransactionManager::Capture(const Catalog& catalog,
                                 std::unordered_map<uint64_t, std::shared_ptr<TableData>>& out,
                                 uint64_t& epoch) const {
    std::lock_guard<std::mutex> lock(mutex_);
    out.clear();
    for (const TableEntry* table : catalog.Tables()) out.emplace(table->Id(), table->committed_);
    epoch = epoch_;
}

// ---- Transaction ----

Transaction::~Transaction() { Abort(); }

Transaction* Transaction::Current() { return current_transaction; }

void Transaction::ResetSnapshot() {
    for (auto& [manager, state] : databases_) {
        state.snapshot.clear();
        state.captured = false;
    }
}

Transaction::DatabaseState& Transaction::StateOf(TransactionManager& manager, const Catalog& catalog) {
    DatabaseState& state = databases_[&manager];
    if (!state.captured) {
        manager.Capture(catalog, state.snapshot, state.epoch);
        state.captured = true;
    }
    return state;
}

void Transaction::BeginWrite(TransactionManager& manager, std::chrono::milliseconds timeout) {
    DatabaseState& state = databases_[&manager];
    if (state.writing) return;
    for (auto& [other, other_state] : databases_)
        if (other_state.writing)
            throw Error(SqlState::FeatureNotSupported,
                        "a transaction can write to only one database; commit before writing to another");
    manager.AcquireWrite(*this, timeout);
    if (state.captured && state.epoch != manager.Epoch()) {
        manager.ReleaseWrite(*this);
        throw SerializationFailure("the database changed since this transaction's snapshot was taken");
    }
    state.writing = true;
    // No capture here: this may run before the statement holds the schema lock. Holding the
    // writer lock, the snapshot taken at the first read is the latest commit anyway.
}

bool Transaction::IsWriting(const TransactionManager& manager) const {
    auto it = databases_.find(const_cast<TransactionManager*>(&manager));
    return it != databases_.end() && it->second.writing;
}

const TableData& Transaction::Read(const TableEntry& table) {
    if (auto it = writes_.find(table.Id()); it != writes_.end()) return *it->second.data;
    Catalog* catalog = table.Owner();
    DatabaseState& state = StateOf(catalog->Transactions(), *catalog);
    auto it = state.snapshot.find(table.Id());
    if (it == state.snapshot.end())  // created after the snapshot: none of its rows are visible
        it = state.snapshot.emplace(table.Id(), std::make_shared<TableData>(table.Types())).first;
    // An ALTER since the snapshot changed the layout the binder sees; the old rows cannot serve it.
    const std::vector<LogicalType>& types = it->second->Types();
    const std::vector<ColumnDefinition>& columns = table.Columns();
    bool same = types.size() == columns.size();
    for (size_t c = 0; same && c < types.size(); ++c) same = types[c] == columns[c].type;
    if (!same) throw SerializationFailure("table \"" + table.Name() + "\" was altered after this transaction's snapshot");
    return *it->second;
}

TableData& Transaction::Write(TableEntry& table) {
    if (auto it = writes_.find(table.Id()); it != writes_.end()) return *it->second.data;
    Catalog* catalog = table.Owner();
    TransactionManager& manager = catalog->Transactions();
    BeginWrite(manager, std::chrono::milliseconds(0));
    auto fork = manager.Committed(table)->Fork();
    TableData& data = *fork;
    writes_.emplace(table.Id(), PrivateVersion{&table, &manager, std::move(fork)});
    return data;
}

std::shared_ptr<TableData> Transaction::Replace(TableEntry& table, std::shared_ptr<TableData> data) {
    Write(table);
    std::shared_ptr<TableData>& slot = writes_.at(table.Id()).data;
    std::swap(slot, data);
    return data;
}

void Transaction::Commit() {
    for (auto& [id, version] : writes_) version.manager->Publish(*version.table, std::move(version.data));
    for (auto& [manager, state] : databases_)
        if (state.writing) manager->AdvanceEpoch();
    Release();
}

void Transaction::Abort() { Release(); }

void Transaction::Release() {
    writes_.clear();
    for (auto& [manager, state] : databases_)
        if (state.writing) manager->ReleaseWrite(*this);
    databases_.clear();
}

// ---- TransactionScope ----

TransactionScope::TransactionScope(Transaction* txn) : previous_(current_transaction) { current_transaction = txn; }

TransactionScope::~TransactionScope() { current_transaction = previous_; }

}  // namespace grizzly::storage
