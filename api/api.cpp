#include "api/api.hpp"

#include <malloc.h>

#include <algorithm>

#include "api/client_context.hpp"

namespace grizzly {

namespace {

// Queries allocate and free large hash tables and column buffers over and over.
// glibc's defaults hand such blocks back to the kernel at once and map them
// again next time, so every query pays page faults for memory it just freed
// (a third of a TPC-H run's time at SF1). Keep freed memory for reuse instead.
void TuneAllocator() {
    static const bool tuned = [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
        mallopt(M_TOP_PAD, 64 << 20);
        return true;
    }();
    (void)tuned;
}

}  // namespace

Database::Database(const std::string& path, const DatabaseOptions& options)
    : instance_(std::make_unique<DatabaseInstance>()) {
    TuneAllocator();
    instance_->default_database = AttachedDatabase::DefaultName(path);
    instance_->databases.emplace(instance_->default_database,
                                 AttachedDatabase::Open(instance_->default_database, path, options.read_only));
}

Database::~Database() {
    // Fold each log into its file, so the next open has nothing to replay. A
    // failure loses nothing: the log stays and is replayed then.
    for (auto& [name, database] : instance_->databases) {
        if (!database->file) continue;
        try {
            database->file->FoldLog(database->catalog);
        } catch (const Error&) {
        }
    }
}

Result::Result() = default;
Result::Result(Error error) : error_(std::make_unique<Error>(std::move(error))) {}
Result::Result(std::shared_ptr<QueryResultData> data) : data_(std::move(data)) {}
Result::~Result() = default;
Result::Result(Result&&) noexcept = default;
Result& Result::operator=(Result&&) noexcept = default;

std::string Result::ErrorText() const {
    if (!error_) return "";
    std::string out = "Error: " + error_->Message() + " (SQLSTATE " + error_->Code() + ")";
    if (error_->Pos().Known())
        out += " at line " + std::to_string(error_->Pos().line) + ", column " + std::to_string(error_->Pos().column);
    return out;
}

static const std::string kEmpty;

// Terminal columns of a UTF-8 string: East Asian wide characters take two.
static size_t DisplayWidth(const std::string& s) {
    size_t width = 0;
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        uint32_t cp = c;
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len > 1) {
            cp = c & (0xFF >> (len + 1));
            for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        i += len;
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
                    (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

size_t Result::ColumnCount() const { return data_ ? data_->names.size() : 0; }
const std::string& Result::ColumnName(size_t col) const { return data_ ? data_->names.at(col) : kEmpty; }
LogicalType Result::ColumnType(size_t col) const { return data_ ? data_->types.at(col) : LogicalType(); }
size_t Result::RowCount() const { return data_ ? data_->rows.RowCount() : 0; }
Value Result::GetValue(size_t row, size_t col) const {
    Value v = data_->rows.GetValue(row, col);
    if (v.IsNull()) return Value::Null(data_->types[col]);
    if (data_->types[col].id == TypeId::Real && v.Type().id == TypeId::Double) return v;
    return v;
}
bool Result::IsNull(size_t row, size_t col) const { return GetValue(row, col).IsNull(); }
int64_t Result::RowsChanged() const { return data_ ? data_->rows_changed : 0; }
const std::string& Result::Tag() const { return data_ ? data_->tag : kEmpty; }

std::string Result::ToTable() const {
    if (!Ok()) return ErrorText() + "\n";
    size_t ncols = ColumnCount();
    if (ncols == 0) return "";
    size_t nrows = RowCount();
    std::vector<std::vector<std::string>> cells(nrows, std::vector<std::string>(ncols));
    std::vector<size_t> width(ncols);
    std::vector<bool> right(ncols);
    for (size_t c = 0; c < ncols; ++c) {
        width[c] = ColumnName(c).size();
        right[c] = ColumnType(c).IsNumeric();
    }
    auto display_width = [](const std::string& s) { return DisplayWidth(s); };
    for (size_t r = 0; r < nrows; ++r)
        for (size_t c = 0; c < ncols; ++c) {
            Value v = GetValue(r, c);
            cells[r][c] = v.IsNull() ? "NULL" : v.ToString();
            width[c] = std::max(width[c], display_width(cells[r][c]));
        }
    auto pad = [&](const std::string& s, size_t w, bool align_right) {
        std::string fill(w - std::min(w, display_width(s)), ' ');
        return align_right ? fill + s : s + fill;
    };
    std::string out;
    for (size_t c = 0; c < ncols; ++c) out += (c ? " | " : " ") + pad(ColumnName(c), width[c], false);
    out += "\n";
    for (size_t c = 0; c < ncols; ++c) out += (c ? "-+-" : "-") + std::string(width[c], '-');
    out += "-\n";
    for (size_t r = 0; r < nrows; ++r) {
        for (size_t c = 0; c < ncols; ++c) out += (c ? " | " : " ") + pad(cells[r][c], width[c], right[c]);
        out += "\n";
    }
    out += "(" + std::to_string(nrows) + (nrows == 1 ? " row)\n" : " rows)\n");
    return out;
}

Connection::Connection(Database& db) : context_(std::make_unique<ClientContext>(db.Instance())) {}
Connection::~Connection() = default;

Result Connection::Query(std::string_view sql) {
    std::vector<Result> results = context_->Run(sql, true);
    if (results.empty()) return Result(std::make_shared<QueryResultData>());
    return std::move(results.back());
}

std::vector<Result> Connection::QueryAll(std::string_view sql) { return context_->Run(sql, false); }

void Connection::Interrupt() { context_->Interrupt(); }

double Connection::Progress() const { return context_->Progress(); }

}  // namespace grizzly
