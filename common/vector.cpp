#include "common/vector.hpp"

#include <algorithm>
#include <cstring>

#include "common/error.hpp"

namespace grizzly {

StringRef StringHeap::Add(std::string_view s) {
    if (s.size() > UINT32_MAX) throw Error(SqlState::ProgramLimitExceeded, "string too long");
    auto len = static_cast<uint32_t>(s.size());
    if (len <= StringRef::kInlineLength) return StringRef(s.data(), len);
    char* dst = Allocate(len);
    std::memcpy(dst, s.data(), len);
    return StringRef(dst, len);
}

char* StringHeap::Allocate(uint32_t len) {
    if (blocks_.empty() || block_used_ + len > block_size_) {
        // Blocks grow with the heap (32 KiB up to 1 MiB): small heaps stay small,
        // big ones (a table's strings) allocate rarely. Not zeroed: every byte is written before use.
        size_t size = std::max<size_t>(len, std::min<size_t>(size_t(1) << 20, std::max<size_t>(32768, block_size_ * 2)));
        blocks_.push_back(std::unique_ptr<char[]>(new char[size]));
        block_size_ = size;
        block_used_ = 0;
    }
    char* out = blocks_.back().get() + block_used_;
    block_used_ += len;
    bytes_used_ += len;
    return out;
}

void StringHeap::KeepAlive(const std::shared_ptr<StringHeap>& other) {
    if (!other || other.get() == this) return;
    // Repeats are almost always of a recent heap; checking those keeps this O(1).
    size_t recent = std::min<size_t>(kept_.size(), 4);
    for (size_t i = kept_.size() - recent; i < kept_.size(); ++i)
        if (kept_[i] == other) return;
    kept_.push_back(other);
}

void ValidityMask::Intersect(const ValidityMask& other, idx_t count) {
    if (other.AllValid()) return;
    idx_t words = (count + 63) / 64;
    if (AllValid()) {
        bits_.assign(other.bits_.begin(), other.bits_.begin() + std::min(words, other.bits_.size()));
        if (bits_.size() < words) bits_.resize(words, ~uint64_t(0));
        return;
    }
    if (bits_.size() < words) bits_.resize(words, ~uint64_t(0));
    for (idx_t w = 0; w < words && w < other.bits_.size(); ++w) bits_[w] &= other.bits_[w];
}

Vector::Vector(LogicalType type, idx_t capacity)
    : type_(type), physical_(type.Physical()), capacity_(capacity) {
    size_t bytes = PhysicalSize(physical_) * capacity;
    owned_ = std::shared_ptr<uint8_t[]>(new uint8_t[bytes ? bytes : 1]);
    data_ = owned_.get();
    if (physical_ == PhysicalType::String) std::memset(data_, 0, bytes);
}

Vector Vector::Borrow(LogicalType type, uint8_t* data, std::shared_ptr<StringHeap> heap) {
    Vector v;
    v.type_ = type;
    v.physical_ = type.Physical();
    v.capacity_ = kVectorSize;
    v.data_ = data;
    v.heap_ = std::move(heap);
    return v;
}

StringHeap& Vector::Heap() {
    if (!heap_) heap_ = std::make_shared<StringHeap>();
    return *heap_;
}

void Vector::KeepStringsAlive(const Vector& other) {
    if (other.heap_ && other.heap_ != heap_) Heap().KeepAlive(other.heap_);
}

void Vector::Relabel(LogicalType type) {
    GZ_CHECK(type.Physical() == physical_, "relabel across physical types");
    type_ = type;
}

Value Vector::GetValue(idx_t row) const {
    if (!validity_.RowIsValid(row)) return Value::Null(type_);
    switch (physical_) {
    case PhysicalType::Bool: return Value::Boolean(Data<uint8_t>()[row] != 0);
    case PhysicalType::Int32: return Value::FromInt(type_, Data<int32_t>()[row]);
    case PhysicalType::Int64: return Value::FromInt(type_, Data<int64_t>()[row]);
    case PhysicalType::Double: return Value::FromDouble(type_, Data<double>()[row]);
    case PhysicalType::String: return Value::Varchar(Data<StringRef>()[row].Str());
    case PhysicalType::Interval: return Value::FromInterval(Data<Interval>()[row]);
    }
    return Value::Null(type_);
}

void Vector::SetValue(idx_t row, const Value& v) {
    if (v.IsNull()) {
        validity_.SetInvalid(row);
        return;
    }
    validity_.SetValid(row);
    switch (physical_) {
    case PhysicalType::Bool: Data<uint8_t>()[row] = v.GetBool() ? 1 : 0; break;
    case PhysicalType::Int32: Data<int32_t>()[row] = static_cast<int32_t>(v.GetInt64()); break;
    case PhysicalType::Int64: Data<int64_t>()[row] = v.GetInt64(); break;
    case PhysicalType::Double: Data<double>()[row] = v.GetDouble(); break;
    case PhysicalType::String: Data<StringRef>()[row] = AddString(v.GetString()); break;
    case PhysicalType::Interval: Data<Interval>()[row] = v.GetInterval(); break;
    }
}

void Vector::CopyRow(const Vector& src, idx_t src_row, idx_t dst_row) {
    if (!src.validity_.RowIsValid(src_row)) {
        validity_.SetInvalid(dst_row);
        return;
    }
    validity_.SetValid(dst_row);
    uint32_t width = PhysicalSize(physical_);
    std::memcpy(data_ + dst_row * width, src.data_ + src_row * width, width);
}

void DataChunk::Initialize(const std::vector<LogicalType>& types, idx_t capacity) {
    columns.clear();
    columns.reserve(types.size());
    for (auto& t : types) columns.emplace_back(t, capacity);
    size = 0;
    has_sel = false;
    sel.indices.clear();
}

std::vector<LogicalType> DataChunk::Types() const {
    std::vector<LogicalType> types;
    for (auto& c : columns) types.push_back(c.Type());
    return types;
}

DataChunk DataChunk::Compact() const {
    DataChunk out;
    out.Initialize(Types(), std::max<idx_t>(ActiveCount(), 1));
    idx_t n = ActiveCount();
    for (size_t col = 0; col < columns.size(); ++col) {
        auto& dst = out.columns[col];
        const auto& src = columns[col];
        dst.KeepStringsAlive(src);
        for (idx_t i = 0; i < n; ++i) dst.CopyRow(src, ActiveRow(i), i);
    }
    out.size = n;
    return out;
}

}  // namespace grizzly
