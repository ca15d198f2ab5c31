#include "runtime/vector_ops.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/hash.hpp"
#include "runtime/chunk_collection.hpp"

namespace grizzly::runtime {

void ChunkCollection::Append(const DataChunk& chunk) {
    idx_t n = chunk.ActiveCount();
    idx_t done = 0;
    while (done < n) {
        if (chunks_.empty() || chunks_.back().size == kVectorSize) {
            // Small results stay small: the last chunk starts at the size needed and grows.
            const idx_t capacity = std::min<idx_t>(kVectorSize, std::max<idx_t>(n - done, 16));
            memory_.Grow(capacity * RowBytes());
            chunks_.emplace_back();
            chunks_.back().Initialize(types_, capacity);
        }
        DataChunk& dst = chunks_.back();
        idx_t take = std::min<idx_t>(n - done, kVectorSize - dst.size);
        idx_t capacity = dst.columns.empty() ? kVectorSize : dst.columns[0].Capacity();
        if (dst.size + take > capacity) {
            idx_t grown = std::min<idx_t>(kVectorSize, std::max(capacity * 2, dst.size + take));
            memory_.Grow((grown - capacity) * RowBytes());
            uint32_t identity[kVectorSize];
            for (uint32_t i = 0; i < dst.size; ++i) identity[i] = i;
            for (auto& column : dst.columns) {
                Vector bigger(column.Type(), grown);
                runtime::Gather(column, identity, dst.size, bigger);
                column = std::move(bigger);
            }
        }
        uint32_t rows[kVectorSize];
        for (idx_t i = 0; i < take; ++i) rows[i] = chunk.ActiveRow(done + i);
        for (size_t col = 0; col < types_.size(); ++col) {
            runtime::Gather(chunk.columns[col], rows, take, dst.columns[col], dst.size);
            if (types_[col].Physical() == PhysicalType::String) strings_->KeepAlive(chunk.columns[col].HeapPtr());
        }
        dst.size += take;
        done += take;
        rows_ += take;
    }
}

uint64_t ChunkCollection::RowBytes() const {
    uint64_t bytes = 0;
    for (const LogicalType& type : types_) bytes += PhysicalSize(type.Physical());
    return bytes + types_.size() / 8 + 1;  // and the validity bits
}

void ChunkCollection::Append(ChunkCollection&& other) {
    strings_->KeepAlive(other.strings_);
    if (rows_ % kVectorSize != 0) {
        for (const DataChunk& chunk : other.chunks_) Append(chunk);
        return;
    }
    // Every chunk here is full: other's chunks (all full but its last) may follow as they are.
    for (DataChunk& chunk : other.chunks_) chunks_.push_back(std::move(chunk));
    memory_.Absorb(other.memory_);
    rows_ += other.rows_;
    other.chunks_.clear();
    other.rows_ = 0;
}

template <class T>
static void GatherGlobalTyped(const std::vector<DataChunk>& chunks, size_t column, const uint32_t* rows, idx_t n,
                              T* dst) {
    for (idx_t i = 0; i < n; ++i) dst[i] = chunks[rows[i] / kVectorSize].columns[column].Data<T>()[rows[i] % kVectorSize];
}

void ChunkCollection::Gather(size_t column, const uint32_t* rows, idx_t n, Vector& dst, idx_t offset) const {
    switch (PhysicalSize(types_[column].Physical())) {
    case 1: GatherGlobalTyped(chunks_, column, rows, n, dst.Data<uint8_t>() + offset); break;
    case 4: GatherGlobalTyped(chunks_, column, rows, n, dst.Data<uint32_t>() + offset); break;
    case 8: GatherGlobalTyped(chunks_, column, rows, n, dst.Data<uint64_t>() + offset); break;
    default: GatherGlobalTyped(chunks_, column, rows, n, dst.Data<StringRef>() + offset); break;
    }
    bool any_null = false;
    for (auto& chunk : chunks_) any_null |= !chunk.columns[column].Validity().AllValid();
    if (any_null || !dst.Validity().AllValid()) {
        for (idx_t i = 0; i < n; ++i)
            dst.Validity().Set(offset + i,
                               chunks_[rows[i] / kVectorSize].columns[column].Validity().RowIsValid(rows[i] % kVectorSize));
    }
    if (types_[column].Physical() == PhysicalType::String) dst.Heap().KeepAlive(strings_);
}

void ChunkCollection::AppendRow(const std::vector<Vector>& columns, uint32_t row) {
    DataChunk view;
    view.columns = columns;
    view.size = row + 1;
    view.has_sel = true;
    view.sel.indices.assign(1, row);
    Append(view);
}

template <class T>
static void GatherTyped(const Vector& src, const uint32_t* rows, idx_t n, Vector& dst, idx_t off) {
    const T* s = src.Data<T>();
    T* d = dst.Data<T>() + off;
    for (idx_t i = 0; i < n; ++i) d[i] = s[rows[i]];
}

void Gather(const Vector& src, const uint32_t* rows, idx_t n, Vector& dst, idx_t off) {
    switch (PhysicalSize(src.Physical())) {
    case 1: GatherTyped<uint8_t>(src, rows, n, dst, off); break;
    case 4: GatherTyped<uint32_t>(src, rows, n, dst, off); break;
    case 8: GatherTyped<uint64_t>(src, rows, n, dst, off); break;
    case 16: GatherTyped<StringRef>(src, rows, n, dst, off); break;
    default: {
        uint32_t w = PhysicalSize(src.Physical());
        for (idx_t i = 0; i < n; ++i) std::memcpy(dst.RawData() + (off + i) * w, src.RawData() + rows[i] * w, w);
    }
    }
    if (!src.Validity().AllValid()) {
        for (idx_t i = 0; i < n; ++i)
            if (!src.Validity().RowIsValid(rows[i])) dst.Validity().SetInvalid(off + i);
            else if (!dst.Validity().AllValid()) dst.Validity().SetValid(off + i);
    } else if (!dst.Validity().AllValid()) {
        for (idx_t i = 0; i < n; ++i) dst.Validity().SetValid(off + i);
    }
    if (src.Physical() == PhysicalType::String) dst.KeepStringsAlive(src);
}

void CopyRows(const Vector& src, Rows rows, Vector& dst) {
    uint32_t w = PhysicalSize(src.Physical());
    for (idx_t i = 0; i < rows.count; ++i) {
        uint32_t r = rows[i];
        std::memcpy(dst.RawData() + r * w, src.RawData() + r * w, w);
        dst.Validity().Set(r, src.Validity().RowIsValid(r));
    }
    if (src.Physical() == PhysicalType::String) dst.KeepStringsAlive(src);
}

void FillConstant(const Value& value, Rows rows, Vector& dst) {
    if (value.IsNull()) {
        for (idx_t i = 0; i < rows.count; ++i) dst.Validity().SetInvalid(rows[i]);
        return;
    }
    Vector one(dst.Type(), 1);
    one.SetValue(0, value);
    auto fill = [&](auto* data, auto v) {
        for (idx_t i = 0; i < rows.count; ++i) data[rows[i]] = v;
    };
    switch (PhysicalSize(dst.Physical())) {
    case 1: fill(dst.Data<uint8_t>(), one.Data<uint8_t>()[0]); break;
    case 4: fill(dst.Data<uint32_t>(), one.Data<uint32_t>()[0]); break;
    case 8: fill(dst.Data<uint64_t>(), one.Data<uint64_t>()[0]); break;
    default: fill(dst.Data<StringRef>(), one.Data<StringRef>()[0]); break;
    }
    if (!dst.Validity().AllValid())
        for (idx_t i = 0; i < rows.count; ++i) dst.Validity().SetValid(rows[i]);
    if (dst.Physical() == PhysicalType::String) dst.KeepStringsAlive(one);
}

void SetNull(Vector& dst, idx_t n, idx_t offset) {
    for (idx_t i = 0; i < n; ++i) dst.Validity().SetInvalid(offset + i);
}

static inline uint64_t Mix(uint64_t x) { return MixBits(x); }

namespace {

inline uint64_t HashValue(uint8_t v) { return Mix(static_cast<uint64_t>(v) + 1); }
inline uint64_t HashValue(int32_t v) { return Mix(static_cast<uint64_t>(static_cast<int64_t>(v))); }
inline uint64_t HashValue(int64_t v) { return Mix(static_cast<uint64_t>(v)); }
inline uint64_t HashValue(double d) {
    if (d == 0) d = 0;  // -0.0 and 0.0 group together
    if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof(bits));
    return Mix(bits);
}
inline uint64_t HashValue(const StringRef& s) { return HashString(s); }
inline uint64_t HashValue(const Interval& iv) {
    return Mix(static_cast<uint64_t>(iv.months) * 1000003ULL ^ static_cast<uint64_t>(iv.days) * 7919ULL ^
               static_cast<uint64_t>(iv.micros));
}

constexpr uint64_t kNullHash = 0x9e3779b97f4a7c15ULL;

// One typed loop per vector: the type switch happens once, not per row.
template <class T>
void HashTyped(const Vector& v, Rows rows, uint64_t* hashes, bool first) {
    const T* data = v.Data<T>();
    const ValidityMask& valid = v.Validity();
    bool all_valid = valid.AllValid();
    for (idx_t i = 0; i < rows.count; ++i) {
        uint32_t r = rows[i];
        uint64_t h = all_valid || valid.RowIsValid(r) ? HashValue(data[r]) : kNullHash;
        hashes[i] = first ? h : Mix(hashes[i] * 31 + h);
    }
}

}  // namespace

const uint64_t* WholeValidityWords(const ValidityMask& mask, idx_t rows, std::vector<uint64_t>& padded) {
    if (mask.AllValid()) return nullptr;
    const size_t words = (rows + 63) / 64;
    if (mask.WordCount() >= words) return mask.Words();
    padded.assign(words, ~uint64_t(0));
    std::copy(mask.Words(), mask.Words() + mask.WordCount(), padded.begin());
    return padded.data();
}

void HashVector(const Vector& v, Rows rows, uint64_t* hashes, bool first) {
    switch (v.Physical()) {
    case PhysicalType::Bool: HashTyped<uint8_t>(v, rows, hashes, first); break;
    case PhysicalType::Int32: HashTyped<int32_t>(v, rows, hashes, first); break;
    case PhysicalType::Int64: HashTyped<int64_t>(v, rows, hashes, first); break;
    case PhysicalType::Double: HashTyped<double>(v, rows, hashes, first); break;
    case PhysicalType::String: HashTyped<StringRef>(v, rows, hashes, first); break;
    case PhysicalType::Interval: HashTyped<Interval>(v, rows, hashes, first); break;
    }
}

bool RowsEqual(const Vector& a, idx_t ar, const Vector& b, idx_t br, bool null_equal) {
    bool av = a.Validity().RowIsValid(ar), bv = b.Validity().RowIsValid(br);
    if (!av || !bv) return null_equal && !av && !bv;
    switch (a.Physical()) {
    case PhysicalType::Bool: return a.Data<uint8_t>()[ar] == b.Data<uint8_t>()[br];
    case PhysicalType::Int32: return a.Data<int32_t>()[ar] == b.Data<int32_t>()[br];
    case PhysicalType::Int64: return a.Data<int64_t>()[ar] == b.Data<int64_t>()[br];
    case PhysicalType::Double: {
        double x = a.Data<double>()[ar], y = b.Data<double>()[br];
        return x == y || (std::isnan(x) && std::isnan(y));  // NaN groups with NaN, as in PostgreSQL
    }
    case PhysicalType::String: return a.Data<StringRef>()[ar] == b.Data<StringRef>()[br];
    case PhysicalType::Interval: return a.Data<Interval>()[ar] == b.Data<Interval>()[br];
    }
    return false;
}

namespace {

template <class T>
inline bool ValuesEqual(const T& x, const T& y) {
    if constexpr (std::is_same_v<T, double>) return x == y || (std::isnan(x) && std::isnan(y));
    else return x == y;
}

template <class T, bool NullEqual>
bool EqualTyped(const Vector& a, idx_t ar, const Vector& b, idx_t br) {
    if (!a.Validity().AllValid() || !b.Validity().AllValid()) {
        bool av = a.Validity().RowIsValid(ar), bv = b.Validity().RowIsValid(br);
        if (!av || !bv) return NullEqual && !av && !bv;
    }
    return ValuesEqual(a.Data<T>()[ar], b.Data<T>()[br]);
}

template <bool NullEqual>
RowEqualFn RowEqualFor(PhysicalType type) {
    switch (type) {
    case PhysicalType::Bool: return EqualTyped<uint8_t, NullEqual>;
    case PhysicalType::Int32: return EqualTyped<int32_t, NullEqual>;
    case PhysicalType::Int64: return EqualTyped<int64_t, NullEqual>;
    case PhysicalType::Double: return EqualTyped<double, NullEqual>;
    case PhysicalType::String: return EqualTyped<StringRef, NullEqual>;
    case PhysicalType::Interval: return EqualTyped<Interval, NullEqual>;
    }
    return EqualTyped<int64_t, NullEqual>;
}

}  // namespace

RowEqualFn GetRowEqual(PhysicalType type, bool null_equal) {
    return null_equal ? RowEqualFor<true>(type) : RowEqualFor<false>(type);
}

template <class T>
static int Cmp(const T& x, const T& y) {
    return x < y ? -1 : (y < x ? 1 : 0);
}

int CompareRows(const Vector& a, idx_t ar, const Vector& b, idx_t br) {
    switch (a.Physical()) {
    case PhysicalType::Bool: return Cmp(a.Data<uint8_t>()[ar], b.Data<uint8_t>()[br]);
    case PhysicalType::Int32: return Cmp(a.Data<int32_t>()[ar], b.Data<int32_t>()[br]);
    case PhysicalType::Int64: return Cmp(a.Data<int64_t>()[ar], b.Data<int64_t>()[br]);
    case PhysicalType::Double: {
        double x = a.Data<double>()[ar], y = b.Data<double>()[br];
        // NaN sorts above every number, as in PostgreSQL.
        if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
        return Cmp(x, y);
    }
    case PhysicalType::String: return a.Data<StringRef>()[ar].Compare(b.Data<StringRef>()[br]);
    case PhysicalType::Interval: {
        const Interval &x = a.Data<Interval>()[ar], &y = b.Data<Interval>()[br];
        auto total = [](const Interval& v) {
            return static_cast<__int128>(v.months) * 30 * kMicrosPerDay + static_cast<__int128>(v.days) * kMicrosPerDay +
                   v.micros;
        };
        return Cmp(total(x), total(y));
    }
    }
    return 0;
}

}  // namespace grizzly::runtime
