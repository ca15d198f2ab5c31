#pragma once
/// Little-endian binary encoding for database files: a writer that appends to a
/// byte string and a bounds-checked reader that turns any malformed input into
/// an error (XX001) instead of reading past its end.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace grizzly::storage {

class BinaryWriter {
public:
    void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void U32(uint32_t v) { Raw(&v, sizeof(v)); }
    void U64(uint64_t v) { Raw(&v, sizeof(v)); }
    void I64(int64_t v) { Raw(&v, sizeof(v)); }
    void F64(double v) { Raw(&v, sizeof(v)); }
    void Str(std::string_view s) {
        U32(static_cast<uint32_t>(s.size()));
        out_.append(s);
    }
    void Raw(const void* data, size_t n) { out_.append(static_cast<const char*>(data), n); }

    std::string& Bytes() { return out_; }
    const std::string& Bytes() const { return out_; }
    size_t Size() const { return out_.size(); }

private:
    std::string out_;
};

class BinaryReader {
public:
    BinaryReader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

    uint8_t U8() { return static_cast<uint8_t>(*Take(1)); }
    uint32_t U32() { return Fixed<uint32_t>(); }
    uint64_t U64() { return Fixed<uint64_t>(); }
    int64_t I64() { return Fixed<int64_t>(); }
    double F64() { return Fixed<double>(); }
    std::string Str() {
        uint32_t n = U32();
        return std::string(Take(n), n);
    }
    const char* Take(size_t n) {
        if (n > data_.size() - pos_) throw Corrupt("truncated data");
        const char* p = data_.data() + pos_;
        pos_ += n;
        return p;
    }
    bool AtEnd() const { return pos_ == data_.size(); }
    size_t Position() const { return pos_; }
    size_t Remaining() const { return data_.size() - pos_; }
    /// What the bytes are, as error messages name it (e.g. `database file "x.griz"`).
    const std::string& What() const { return what_; }

    Error Corrupt(const std::string& detail) const {
        return Error(SqlState::DataCorrupted, what_ + " is corrupt: " + detail);
    }

private:
    template <class T>
    T Fixed() {
        T v;
        std::memcpy(&v, Take(sizeof(T)), sizeof(T));
        return v;
    }

    std::string_view data_;
    size_t pos_ = 0;
    std::string what_;
};

}  // namespace grizzly::storage
