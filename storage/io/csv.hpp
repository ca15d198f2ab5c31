#pragma once
/// Delimited text (CSV, TPC-H .tbl) as VARCHAR columns: the reader splits
/// records into fields, the writer quotes fields that need it. Typing the
/// fields is the caller's job (the same casts as SQL's, so COPY and CAST agree).

#include <memory>
#include <string>
#include <vector>

#include "common/vector.hpp"
#include "storage/io/file_stream.hpp"

namespace grizzly::storage {

struct CsvOptions {
    char delimiter = ',';
    char quote = '"';
    char escape = '"';           ///< inside quotes, escape + quote is a literal quote
    bool header = false;         ///< FROM: skip the first record; TO: write column names
    std::string null_string;     ///< unquoted field that means NULL (default: empty)
};

class CsvReader {
public:
    CsvReader(std::unique_ptr<InputStream> input, CsvOptions options, size_t columns);

    /// Fills `columns` (one VARCHAR vector per field, capacity kVectorSize) with
    /// the next records; returns how many, 0 at the end. `lines[i]` is the line
    /// on which record i starts. A record with the wrong number of fields throws
    /// 22P04 naming its line; one empty extra field (a trailing delimiter, as in
    /// .tbl files) is accepted.
    idx_t ReadChunk(std::vector<Vector>& columns, std::vector<uint64_t>& lines);

private:
    struct Field {
        uint32_t begin;
        uint32_t length;
        bool quoted;
        bool escaped;  ///< contains escaped quotes to be removed
    };

    std::unique_ptr<InputStream> input_;
    CsvOptions options_;
    size_t columns_;
    std::vector<char> buffer_;
    size_t begin_ = 0;  ///< start of unparsed data in buffer_
    size_t end_ = 0;    ///< end of valid data in buffer_
    bool eof_ = false;
    uint64_t line_ = 1;
    bool header_pending_;
    std::vector<Field> fields_;
    std::string scratch_;

    /// Splits the record at begin_ into fields_; returns false if the buffer
    /// ends before the record does (and more input may follow).
    bool ParseRecord(size_t& record_end, uint64_t& newlines);
    bool FastRecord(size_t& record_end, uint64_t& newlines);
    bool Refill();
    std::string_view FieldText(const Field& f);
};

class CsvWriter {
public:
    CsvWriter(OutputStream& output, CsvOptions options) : output_(output), options_(std::move(options)) {}
    void WriteHeader(const std::vector<std::string>& names);
    /// Writes `count` rows of VARCHAR columns (NULLs as the null string).
    void WriteChunk(const std::vector<Vector>& columns, idx_t count);
    void Flush();

private:
    OutputStream& output_;
    CsvOptions options_;
    std::string pending_;

    void AppendField(std::string_view text);
};

}  // namespace grizzly::storage
