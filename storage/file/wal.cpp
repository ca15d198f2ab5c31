#include "storage/file/wal.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "storage/file/binary.hpp"
#include "storage/file/checkpoint.hpp"

namespace grizzly::storage {

namespace {

constexpr char kWalMagic[8] = {'G', 'R', 'I', 'Z', 'W', 'A', 'L', '\0'};
constexpr uint32_t kWalVersion = 1;
constexpr uint64_t kWalHeaderSize = WalFile::kHeaderSize;
constexpr uint32_t kRecordHeaderSize = 12;
constexpr uint8_t kAppend = 'A', kDelete = 'D', kUpdate = 'U', kEnd = 'E';

std::string EncodeWalHeader(uint64_t sequence) {
    BinaryWriter w;
    w.Raw(kWalMagic, sizeof(kWalMagic));
    w.U32(kWalVersion);
    w.U32(0);
    w.U64(sequence);
    w.U64(XXH64(w.Bytes().data(), w.Size(), 0));
    return std::move(w.Bytes());
}

// Rows [from, to) of `data` as vectors that stay within one row group.
template <class F>
void ForEachPiece(const TableData& data, idx_t from, idx_t to, F&& f) {
    while (from < to) {
        const RowGroup& rg = *data.RowGroups()[from / kRowGroupSize];
        idx_t offset = from % kRowGroupSize;
        idx_t n = std::min<idx_t>({to - from, kVectorSize, rg.count - offset});
        f(rg, offset, n);
        from += n;
    }
}

Vector ColumnPiece(const ColumnChunk& cc, idx_t offset, idx_t n) {
    Vector v = Vector::Borrow(cc.type, const_cast<uint8_t*>(cc.data.data()) + offset * cc.width);
    if (cc.null_count > 0) {
        v.Validity().Materialize(n);
        for (idx_t i = 0; i < n; ++i)
            if (!cc.validity.RowIsValid(offset + i)) v.Validity().SetInvalid(i);
    }
    return v;
}

TableEntry& TableFor(Catalog& catalog, const std::string& name, BinaryReader& r) {
    TableEntry* table = catalog.GetTable(name);
    if (!table) throw r.Corrupt("log names a table that does not exist: \"" + name + "\"");
    return *table;
}

row_t RowFor(const TableEntry& table, BinaryReader& r) {
    uint64_t row = r.U64();
    if (row >= table.Data().RowCount()) throw r.Corrupt("log names a row beyond the end of \"" + table.Name() + "\"");
    return static_cast<row_t>(row);
}

}  // namespace

std::string EncodeRedo(const UndoLog& undo) {
    // Rows appended by this transaction: each table's rows from its earliest append on.
    std::map<TableEntry*, idx_t> first_new;
    std::vector<TableEntry*> order;
    for (const auto& e : undo.Entries()) {
        if (e.kind != UndoLog::Entry::Append) continue;
        auto [it, inserted] = first_new.emplace(e.table, e.count);
        if (inserted) order.push_back(e.table);
        it->second = std::min(it->second, e.count);
    }
    BinaryWriter w;
    for (TableEntry* table : order) {
        const TableData& data = table->Data();
        idx_t from = first_new[table], to = data.RowCount();
        if (from >= to) continue;
        w.U8(kAppend);
        w.Str(table->Name());
        w.U64(from);
        w.U64(to - from);
        ForEachPiece(data, from, to, [&](const RowGroup& rg, idx_t offset, idx_t n) {
            for (const ColumnChunk& cc : rg.columns) EncodeVector(w, ColumnPiece(cc, offset, n), n);
        });
    }
    for (const auto& e : undo.Entries()) {
        if (e.kind == UndoLog::Entry::Delete) {
            w.U8(kDelete);
            w.Str(e.table->Name());
            w.U64(static_cast<uint64_t>(e.row));
        } else if (e.kind == UndoLog::Entry::Update) {
            auto it = first_new.find(e.table);
            if (it != first_new.end() && static_cast<idx_t>(e.row) >= it->second) continue;  // in the appended rows
            w.U8(kUpdate);
            w.Str(e.table->Name());
            w.U64(static_cast<uint64_t>(e.row));
            w.U32(static_cast<uint32_t>(e.column));
            Vector v(e.table->Columns()[e.column].type, 1);
            v.SetValue(0, e.table->Data().GetValue(e.row, e.column));
            EncodeVector(w, v, 1);
        }
    }
    w.U8(kEnd);
    return std::move(w.Bytes());
}

void ApplyRedo(std::string_view record, Catalog& catalog, const std::string& what) {
    BinaryReader r(record, what);
    std::vector<TableEntry*> touched;
    for (;;) {
        uint8_t op = r.U8();
        if (op == kEnd) break;
        TableEntry& table = TableFor(catalog, r.Str(), r);
        if (std::find(touched.begin(), touched.end(), &table) == touched.end()) touched.push_back(&table);
        TableData& data = table.MutableData();
        if (op == kAppend) {
            uint64_t from = r.U64(), count = r.U64();
            if (from != data.RowCount()) throw r.Corrupt("log does not continue the rows of \"" + table.Name() + "\"");
            auto types = table.Types();
            while (count > 0) {
                // Pieces were cut at vector and row-group boundaries; the same cuts apply here.
                idx_t offset = data.RowCount() % kRowGroupSize;
                idx_t n = std::min<idx_t>({count, kVectorSize, kRowGroupSize - offset});
                DataChunk chunk;
                for (auto& t : types) chunk.columns.push_back(DecodeVector(r, t, n));
                chunk.size = n;
                data.Append(chunk);
                count -= n;
            }
        } else if (op == kDelete) {
            data.Delete(RowFor(table, r));
        } else if (op == kUpdate) {
            row_t row = RowFor(table, r);
            uint32_t column = r.U32();
            if (column >= table.Columns().size()) throw r.Corrupt("log names a column that does not exist");
            Vector v = DecodeVector(r, table.Columns()[column].type, 1);
            data.Update(row, column, v, 0);
        } else {
            throw r.Corrupt("unknown log operation");
        }
    }
    for (TableEntry* table : touched)
        for (auto& index : table->unique_indexes)
            if (!index->Rebuild(table->Data())) throw r.Corrupt("log breaks unique index \"" + index->Name() + "\"");
}

bool WalFile::OpenAndLock(const std::string& path, bool read_only) {
    read_only_ = read_only;
    // Without a log no writer has the database open; a reader creates nothing.
    if (read_only && !FileExists(path)) return true;
    File file(path, read_only ? File::Mode::ReadOnly : FileExists(path) ? File::Mode::ReadWrite : File::Mode::Create);
    if (!file.TryLock(read_only)) return false;
    file_ = std::move(file);
    size_ = file_.Size();
    return true;
}

std::vector<std::string> WalFile::Recover(uint64_t sequence) {
    std::vector<std::string> records;
    bool current = false;
    if (!file_.IsOpen()) return records;
    if (size_ >= kWalHeaderSize) {
        std::string header(kWalHeaderSize, '\0');
        file_.ReadAt(header.data(), header.size(), 0);
        if (std::memcmp(header.data(), kWalMagic, sizeof(kWalMagic)) != 0)
            throw Error(SqlState::DataCorrupted, "\"" + file_.Path() + "\" is not a Grizzly write-ahead log");
        current = header == EncodeWalHeader(sequence);
    }
    if (!current) {
        if (!read_only_) Reset(sequence);  // new, torn at creation, or obsolete after a checkpoint
        return records;
    }
    uint64_t pos = kWalHeaderSize;
    while (pos + kRecordHeaderSize <= size_) {
        uint32_t length;
        uint64_t checksum;
        char head[kRecordHeaderSize];
        file_.ReadAt(head, sizeof(head), pos);
        std::memcpy(&length, head, sizeof(length));
        std::memcpy(&checksum, head + 4, sizeof(checksum));
        if (pos + kRecordHeaderSize + length > size_) break;
        std::string payload(length, '\0');
        file_.ReadAt(payload.data(), length, pos + kRecordHeaderSize);
        if (XXH64(payload.data(), payload.size(), 0) != checksum) break;
        records.push_back(std::move(payload));
        pos += kRecordHeaderSize + length;
    }
    if (pos != size_ && !read_only_) {
        // A torn final record: the commit it belonged to never returned.
        file_.Truncate(pos);
        file_.Sync();
        size_ = pos;
    }
    return records;
}

void WalFile::Append(const std::string& record, bool sync) {
    uint64_t before = size_;
    try {
        BinaryWriter w;
        w.U32(static_cast<uint32_t>(record.size()));
        w.U64(XXH64(record.data(), record.size(), 0));
        w.Raw(record.data(), record.size());
        file_.WriteAt(w.Bytes().data(), w.Size(), before);
        size_ = before + w.Size();
        if (sync) file_.Sync();
    } catch (const Error&) {
        // Leave no trace of the failed commit; if even that fails, the next
        // recovery still finds the record incomplete or stops before it.
        try {
            file_.Truncate(before);
        } catch (const Error&) {
        }
        size_ = before;
        throw;
    }
}

void WalFile::Reset(uint64_t sequence) {
    std::string header = EncodeWalHeader(sequence);
    file_.Truncate(0);
    file_.WriteAt(header.data(), header.size(), 0);
    file_.Sync();
    size_ = header.size();
}

std::string WalFile::Verify(uint64_t sequence) const {
    if (!file_.IsOpen()) return "";
    if (size_ < kWalHeaderSize) return "write-ahead log has no header";
    std::string header(kWalHeaderSize, '\0');
    file_.ReadAt(header.data(), header.size(), 0);
    if (header != EncodeWalHeader(sequence)) return "write-ahead log does not belong to the current checkpoint";
    uint64_t pos = kWalHeaderSize;
    while (pos < size_) {
        if (pos + kRecordHeaderSize > size_) return "write-ahead log ends in a torn record header";
        char head[kRecordHeaderSize];
        file_.ReadAt(head, sizeof(head), pos);
        uint32_t length;
        uint64_t checksum;
        std::memcpy(&length, head, sizeof(length));
        std::memcpy(&checksum, head + 4, sizeof(checksum));
        if (pos + kRecordHeaderSize + length > size_) return "write-ahead log ends in a torn record";
        std::string payload(length, '\0');
        file_.ReadAt(payload.data(), length, pos + kRecordHeaderSize);
        if (XXH64(payload.data(), payload.size(), 0) != checksum)
            return "write-ahead log record at byte " + std::to_string(pos) + " fails its checksum";
        pos += kRecordHeaderSize + length;
    }
    return "";
}

}  // namespace grizzly::storage
