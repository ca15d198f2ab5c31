/// The runtime helpers of rt_functions.def. Each is extern "C" and noexcept:
/// it records an Error built by the common/error.hpp factory (so the text is
/// the interpreter's) in the caller's GzExecStatus and returns kGzStatusError.
#include "codegen/rt_helpers.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "common/types.hpp"

namespace grizzly::codegen {

namespace {

/// PostgreSQL's name of an integer-family type, as the interpreter's overflow
/// messages spell it.
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
