/// The runtime helpers of rt_functions.def. Each is extern "C" and noexcept:
/// it records an Error built by the common/error.hpp factory (so the text is
/// the interpreter's) in the caller's GzExecStatus and returns kGzStatusError.
#include "codegen/rt_helpers.hpp"

#include "common/hash.hpp"
#include "common/like.hpp"
#include "common/types.hpp"
#include "runtime/functions/functions.hpp"
#include "runtime/functions/kernels.hpp"
#include "runtime/row_calls.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <string_view>

namespace grizzly::codegen {

namespace {

/// PostgreSQL's name of a type, as the interpreter's out-of-range messages
/// (numeric and datetime) spell it.
/// TODO(codegen): share runtime's PgTypeName once the helpers live in runtime/.
const char* OverflowTypeName(int32_t type_code) {
    switch (static_cast<TypeId>(type_code)) {
    case TypeId::TinyInt: return "tinyint";
    case TypeId::SmallInt: return "smallint";
    case TypeId::Integer: return "integer";
    case TypeId::BigInt: return "bigint";
    case TypeId::Decimal: return "numeric";
    case TypeId::Real: return "real";
    case TypeId::Double: return "double precision";
    case TypeId::Date: return "date";
    case TypeId::Timestamp: return "timestamp";
    default: return "integer";
    }
}

void Record(GzExecStatus* status, SqlState state, const std::string& message) noexcept {
    status->failed = 1;
    status->sql_state = static_cast<int32_t>(state);
    const size_t n = std::min(message.size(), sizeof(status->message) - 1);
    std::memcpy(status->message, message.data(), n);
    status->message[n] = '\0';
}

/// Builds the error with `make` and records it; only allocation can fail here.
template <class Make>
int32_t RecordError(GzExecStatus* status, Make&& make) noexcept {
    try {
        const Error error = make();
        Record(status, error.State(), error.Message());
    } catch (const std::bad_alloc&) {
        status->failed = 1;
        status->sql_state = static_cast<int32_t>(SqlState::OutOfMemory);
        std::strcpy(status->message, "out of memory");
    }
    return kGzStatusError;
}

/// Runs `call` (which may throw the interpreter's Error, or run out of memory)
/// and returns its result, or -1 after recording the error.
template <class Call> int32_t Guarded(GzExecStatus* status, Call&& call) noexcept {
    try {
        return call();
    } catch (const Error& error) {
        RecordError(status, [&] { return error; });
    } catch (const std::bad_alloc&) {
        RecordError(status, [] { return Error(SqlState::OutOfMemory, "out of memory"); });
    } catch (const std::exception& other) {
        RecordError(status, [&] { return Error::Internal(other.what()); });
    }
    return -1;
}

}  // namespace

Error StatusError(const GzExecStatus& status) {
    GZ_CHECK(status.failed != 0, "no error recorded in the execution status");
    return Error(static_cast<SqlState>(status.sql_state), std::string(status.message));
}

void ThrowIfFailed(int32_t rc, const GzExecStatus& status) {
    if (rc == 0) return;
    if (status.failed == 0) throw Error::Internal("generated code failed without recording an error");
    throw StatusError(status);
}

}  // namespace grizzly::codegen

// ---- the helpers (extern "C", declared from rt_functions.def) ----

extern "C" int32_t gz_rt_error_overflow(GzExecStatus* status, int32_t type_code) noexcept {
    return grizzly::codegen::RecordError(
        status, [type_code] { return grizzly::Error::Overflow(grizzly::codegen::OverflowTypeName(type_code)); });
}

extern "C" int32_t gz_rt_error_division_by_zero(GzExecStatus* status) noexcept {
    return grizzly::codegen::RecordError(status, [] { return grizzly::Error::DivisionByZero(); });
}

extern "C" int32_t gz_rt_error_float_overflow(GzExecStatus* status) noexcept {
    return grizzly::codegen::RecordError(status, [] { return grizzly::Error::FloatOverflow(); });
}

extern "C" int32_t gz_rt_error_float_underflow(GzExecStatus* status) noexcept {
    return grizzly::codegen::RecordError(status, [] { return grizzly::Error::FloatUnderflow(); });
}

extern "C" int32_t gz_rt_error_datetime_out_of_range(GzExecStatus* status, int32_t type_code) noexcept {
    return grizzly::codegen::RecordError(status, [type_code] {
        return grizzly::Error::DatetimeOutOfRange(grizzly::codegen::OverflowTypeName(type_code));
    });
}

extern "C" uint8_t* gz_rt_group_new(GzExecStatus* status, GzGroupTable* table, uint64_t hash, uint64_t slot) noexcept {
    auto out_of_memory = [status] {
        grizzly::codegen::Record(status, grizzly::SqlState::OutOfMemory, "out of memory (GROUP BY hash table)");
        return nullptr;
    };
    if (table->count == table->capacity) {
        const uint64_t capacity = std::max<uint64_t>(64, table->capacity * 2);
        void* rows = std::realloc(table->rows, capacity * table->row_width);
        if (!rows) return out_of_memory();
        table->rows = static_cast<uint8_t*>(rows);
        table->capacity = capacity;
    }
    const uint64_t group = table->count++;
    uint8_t* row = table->rows + group * table->row_width;
    std::memset(row, 0, table->row_width);
    std::memcpy(row, &hash, sizeof(hash));
    table->slots[slot] = (hash & ~uint64_t{0xFFFFFFFF}) | (group + 1);
    if (table->count * 4 <= table->mask + 1) return row;
    // Half full: double the slots and re-place every group by its stored hash.
    const uint64_t slot_count = (table->mask + 1) * 2;
    auto* slots = static_cast<uint64_t*>(std::calloc(slot_count, sizeof(uint64_t)));
    if (!slots) return out_of_memory();
    const uint64_t mask = slot_count - 1;
    for (uint64_t g = 0; g < table->count; ++g) {
        uint64_t h;
        std::memcpy(&h, table->rows + g * table->row_width, sizeof(h));
        uint64_t s = h & mask;
        while (slots[s]) s = (s + 1) & mask;
        slots[s] = (h & ~uint64_t{0xFFFFFFFF}) | (g + 1);
    }
    std::free(table->slots);
    table->slots = slots;
    table->mask = mask;
    return row;
}

extern "C" int32_t gz_rt_group_index(GzExecStatus* status, GzGroupTable* table, int64_t key) noexcept {
    // 64K groups (256 KB, its pages touched only where keys fall) centred on the
    // first key: small key ranges (flags, years, dates, codes, the ids of a
    // small table) fit whichever key comes first.
    constexpr uint64_t kWindow = uint64_t{1} << 16;
    if (!table->direct) {
        table->direct = static_cast<uint32_t*>(std::calloc(kWindow, sizeof(uint32_t)));
        if (!table->direct) {
            grizzly::codegen::Record(status, grizzly::SqlState::OutOfMemory, "out of memory (GROUP BY hash table)");
            return kGzStatusError;
        }
        constexpr int64_t kHalf = static_cast<int64_t>(kWindow / 2);
        table->direct_base = key < std::numeric_limits<int64_t>::min() + kHalf ? std::numeric_limits<int64_t>::min()
                                                                                : key - kHalf;
        table->direct_size = kWindow;
    }
    const uint64_t offset = static_cast<uint64_t>(key) - static_cast<uint64_t>(table->direct_base);
    if (offset < table->direct_size) table->direct[offset] = static_cast<uint32_t>(table->count);
    return 0;
}

extern "C" uint64_t gz_rt_string_hash(const void* ref) noexcept {
    return grizzly::HashString(*static_cast<const grizzly::StringRef*>(ref));
}

extern "C" int32_t gz_rt_string_equal(const void* a, const void* b) noexcept {
    return static_cast<const grizzly::StringRef*>(a)->View() == static_cast<const grizzly::StringRef*>(b)->View();
}

extern "C" int32_t gz_rt_output_flush(GzExecStatus* status, GzOutputBuffer* buffer) noexcept {
    return buffer->flush(buffer, status);
}

extern "C" int32_t gz_rt_string_compare(const void* a, const void* b) noexcept {
    const int c = static_cast<const grizzly::StringRef*>(a)->Compare(*static_cast<const grizzly::StringRef*>(b));
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

extern "C" int32_t gz_rt_string_like(GzExecStatus* status, const void* text, const void* pattern, const void* escape,
                                     int32_t case_insensitive) noexcept {
    // The pattern is usually the same constant row after row: prepared once per thread, as the
    // interpreter prepares it once per vector.
    thread_local grizzly::LikePattern prepared;
    const std::string_view p = static_cast<const grizzly::StringRef*>(pattern)->View();
    return grizzly::codegen::Guarded(status, [&] {
        // Without ESCAPE, backslash escapes (PostgreSQL's default); ESCAPE '' escapes nothing.
        const char escape_char = escape ? grizzly::LikeEscape(static_cast<const grizzly::StringRef*>(escape)->View()) : '\\';
        if (!prepared.Matches(p, escape_char, case_insensitive != 0)) {
            prepared.Prepare(p, escape_char, case_insensitive != 0);
            prepared.MarkValid();
        }
        return prepared.Match(static_cast<const grizzly::StringRef*>(text)->View()) ? 1 : 0;
    });
}

extern "C" int32_t gz_rt_scalar_call(GzExecStatus* status, void* calls, const int32_t* descriptor,
                                     const void* const* args, uint64_t valid_mask, void* out) noexcept {
    return grizzly::codegen::Guarded(status, [&] {
        return static_cast<grizzly::runtime::RowCalls*>(calls)->Call(descriptor, args, valid_mask, out) ? 1 : 0;
    });
}

extern "C" int32_t gz_rt_string_keep(GzExecStatus* status, void* calls, void* ref) noexcept {
    return grizzly::codegen::Guarded(status, [&] {
        static_cast<grizzly::runtime::RowCalls*>(calls)->Keep(*static_cast<grizzly::StringRef*>(ref));
        return 0;
    });
}

extern "C" int32_t gz_rt_substring(GzExecStatus* status, void* out, const void* s, int64_t start, int64_t length,
                                   int32_t has_length) noexcept {
    return grizzly::codegen::Guarded(status, [&] {
        *static_cast<grizzly::StringRef*>(out) =
            grizzly::runtime::SubstringOf(*static_cast<const grizzly::StringRef*>(s), start, length, has_length != 0);
        return 0;
    });
}

extern "C" int64_t gz_rt_string_length(const void* s) noexcept {
    return grizzly::runtime::CharCount(static_cast<const grizzly::StringRef*>(s)->View());
}

extern "C" int32_t gz_rt_distinct_first(GzExecStatus* status, void* calls, int32_t site, uint64_t group,
                                        const void* value, int32_t is_string) noexcept {
    return grizzly::codegen::Guarded(status, [&] {
        auto& run = *static_cast<grizzly::runtime::RowCalls*>(calls);
        const bool first = is_string ? run.FirstInGroup(site, group, *static_cast<const grizzly::StringRef*>(value))
                                     : run.FirstInGroup(site, group, *static_cast<const uint64_t*>(value));
        return first ? 1 : 0;
    });
}

extern "C" int32_t gz_rt_string_agg(GzExecStatus* status, void* calls, int32_t site, uint64_t group, const void* value,
                                    const void* separator) noexcept {
    return grizzly::codegen::Guarded(status, [&] {
        static_cast<grizzly::runtime::RowCalls*>(calls)->AppendToGroup(
            site, group, *static_cast<const grizzly::StringRef*>(value),
            static_cast<const grizzly::StringRef*>(separator));
        return 0;
    });
}

extern "C" int32_t gz_rt_interval_compare(const void* a, const void* b) noexcept {
    return grizzly::runtime::kernels::ThreeWay(*static_cast<const grizzly::Interval*>(a),
                                               *static_cast<const grizzly::Interval*>(b));
}
