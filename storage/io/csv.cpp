#include "storage/io/csv.hpp"

#include <cstring>

#include "common/error.hpp"

namespace grizzly::storage {

namespace {
constexpr size_t kInitialBuffer = size_t(1) << 20;
}

CsvReader::CsvReader(std::unique_ptr<InputStream> input, CsvOptions options, size_t columns)
    : input_(std::move(input)),
      options_(std::move(options)),
      columns_(columns),
      buffer_(kInitialBuffer),
      header_pending_(options_.header) {}

bool CsvReader::Refill() {
    if (eof_) return false;
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    // A record longer than the buffer makes it grow.
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    size_t n = input_->Read(buffer_.data() + end_, buffer_.size() - end_);
    if (n == 0) eof_ = true;
    end_ += n;
    return n > 0;
}

bool CsvReader::ParseRecord(size_t& record_end, uint64_t& newlines) {
    const char* buf = buffer_.data();
    const char delim = options_.delimiter, quote = options_.quote, escape = options_.escape;
    fields_.clear();
    newlines = 0;
    size_t p = begin_;
    if (FastRecord(record_end, newlines)) return true;
    for (;;) {
        Field field{static_cast<uint32_t>(p), 0, false, false};
        if (p < end_ && buf[p] == quote) {
            field.quoted = true;
            size_t q = ++p;
            for (;;) {
                if (q >= end_) {
                    if (!eof_) return false;
                    throw Error(SqlState::BadCopyFileFormat,
                                "line " + std::to_string(line_) + ": unterminated quoted field");
                }
                char c = buf[q];
                if (c == escape || c == quote) {
                    if (q + 1 >= end_ && !eof_) return false;  // the next byte decides
                    if (c == escape && q + 1 < end_ && (buf[q + 1] == quote || buf[q + 1] == escape) &&
                        !(escape == quote && buf[q + 1] != quote)) {
                        field.escaped = true;
                        q += 2;
                        continue;
                    }
                    if (c == quote) break;
                }
                if (c == '\n') ++newlines;
                ++q;
            }
            field.begin = static_cast<uint32_t>(p);
            field.length = static_cast<uint32_t>(q - p);
            p = q + 1;
        } else {
            while (p < end_ && buf[p] != delim && buf[p] != '\n') ++p;
            if (p >= end_ && !eof_) return false;
            size_t len = p - field.begin;
            if (len > 0 && buf[p - 1] == '\r' && (p >= end_ || buf[p] == '\n')) --len;
            field.length = static_cast<uint32_t>(len);
        }
        fields_.push_back(field);
        if (p >= end_) {
            if (!eof_) return false;
            record_end = p;
            return true;
        }
        char c = buf[p];
        if (c == delim) {
            ++p;
            continue;
        }
        if (c == '\r' && p + 1 < end_ && buf[p + 1] == '\n') ++p;
        if (c == '\n' || buf[p] == '\n') {
            ++newlines;
            record_end = p + 1;
            return true;
        }
        throw Error(SqlState::BadCopyFileFormat,
                    "line " + std::to_string(line_) + ": unexpected character after quoted field");
    }
}

// Most records are one line without quotes: find the line end and the
// delimiters with memchr instead of looking at every byte three times.
bool CsvReader::FastRecord(size_t& record_end, uint64_t& newlines) {
    const char* buf = buffer_.data();
    const char* start = buf + begin_;
    const char* end = buf + end_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', static_cast<size_t>(end - start)));
    if (!nl) {
        if (!eof_) return false;
        nl = end;
    }
    size_t line = static_cast<size_t>(nl - start);
    if (std::memchr(start, options_.quote, line) != nullptr) return false;
    const char* line_end = nl;
    if (line_end > start && line_end[-1] == '\r') --line_end;
    const char* field = start;
    for (;;) {
        const char* delim = static_cast<const char*>(
            std::memchr(field, options_.delimiter, static_cast<size_t>(line_end - field)));
        const char* stop = delim ? delim : line_end;
        fields_.push_back(Field{static_cast<uint32_t>(field - buf), static_cast<uint32_t>(stop - field), false, false});
        if (!delim) break;
        field = delim + 1;
    }
    record_end = nl == end ? end_ : static_cast<size_t>(nl - buf) + 1;
    newlines = nl == end ? 0 : 1;
    return true;
}

std::string_view CsvReader::FieldText(const Field& f) {
    std::string_view raw(buffer_.data() + f.begin, f.length);
    if (!f.escaped) return raw;
    scratch_.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == options_.escape && i + 1 < raw.size() &&
            (raw[i + 1] == options_.quote || raw[i + 1] == options_.escape))
            ++i;
        scratch_.push_back(raw[i]);
    }
    return scratch_;
}

idx_t CsvReader::ReadChunk(std::vector<Vector>& columns, std::vector<uint64_t>& lines) {
    lines.clear();
    for (auto& col : columns) col.Validity().Reset();
    idx_t count = 0;
    while (count < kVectorSize) {
        if (begin_ >= end_ && !Refill()) break;
        // Blank lines carry no record, except in a one-column file whose NULL string is
        // empty: there the writer puts a NULL as an empty line (as PostgreSQL reads it too).
        if (buffer_[begin_] == '\r' && begin_ + 1 >= end_ && !eof_) {
            Refill();
            continue;
        }
        if (buffer_[begin_] == '\n' || (buffer_[begin_] == '\r' && (begin_ + 1 >= end_ || buffer_[begin_ + 1] == '\n'))) {
            begin_ += buffer_[begin_] == '\r' && begin_ + 1 < end_ ? 2 : 1;
            ++line_;
            if (columns_ == 1 && options_.null_string.empty() && !header_pending_) {
                columns[0].Validity().SetInvalid(count);
                columns[0].Data<StringRef>()[count] = StringRef();
                lines.push_back(line_ - 1);
                ++count;
            }
            continue;
        }
        size_t record_end = 0;
        uint64_t newlines = 0;
        while (!ParseRecord(record_end, newlines)) Refill();
        uint64_t record_line = line_;
        line_ += newlines;
        begin_ = record_end;
        if (header_pending_) {
            header_pending_ = false;
            continue;
        }
        size_t n = fields_.size();
        if (n == columns_ + 1 && fields_.back().length == 0 && !fields_.back().quoted) --n;
        if (n != columns_)
            throw Error(SqlState::BadCopyFileFormat, "line " + std::to_string(record_line) + ": expected " +
                                                         std::to_string(columns_) + " fields, found " +
                                                         std::to_string(n));
        for (size_t c = 0; c < n; ++c) {
            const Field& f = fields_[c];
            std::string_view text = FieldText(f);
            if (!f.quoted && text == options_.null_string) {
                columns[c].Validity().SetInvalid(count);
                columns[c].Data<StringRef>()[count] = StringRef();
            } else {
                columns[c].Data<StringRef>()[count] = columns[c].AddString(text);
            }
        }
        lines.push_back(record_line);
        ++count;
    }
    return count;
}

void CsvWriter::AppendField(std::string_view text) {
    bool needs_quotes = text.empty() ? options_.null_string.empty() : text == options_.null_string;
    for (char c : text) {
        if (c == options_.delimiter || c == options_.quote || c == options_.escape || c == '\n' || c == '\r') {
            needs_quotes = true;
            break;
        }
    }
    if (!needs_quotes) {
        pending_.append(text);
        return;
    }
    pending_.push_back(options_.quote);
    for (char c : text) {
        // The reader takes escape + quote and escape + escape as one character each.
        if (c == options_.quote || c == options_.escape) pending_.push_back(options_.escape);
        pending_.push_back(c);
    }
    pending_.push_back(options_.quote);
}

void CsvWriter::WriteHeader(const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) {
        if (i) pending_.push_back(options_.delimiter);
        AppendField(names[i]);
    }
    pending_.push_back('\n');
}

void CsvWriter::WriteChunk(const std::vector<Vector>& columns, idx_t count) {
    for (idx_t row = 0; row < count; ++row) {
        for (size_t c = 0; c < columns.size(); ++c) {
            if (c) pending_.push_back(options_.delimiter);
            if (!columns[c].Validity().RowIsValid(row)) {
                pending_.append(options_.null_string);
                continue;
            }
            const StringRef& s = columns[c].Data<StringRef>()[row];
            AppendField(s.View());
        }
        pending_.push_back('\n');
    }
    if (pending_.size() >= (size_t(1) << 20)) Flush();
}

void CsvWriter::Flush() {
    output_.Write(pending_);
    pending_.clear();
}

}  // namespace grizzly::storage
