#pragma once
/// The C ABI between generated code and the engine: the status block a
/// compiled function reports errors through, the parameter slot layout, and the
/// extern "C" runtime helpers listed in rt_functions.def.
///
/// Generated code never unwinds. A failed check (overflow intrinsic, zero
/// divisor, bad cast) calls a cold gz_rt_error_* helper, which records the
/// error in the GzExecStatus and returns a nonzero code that the generated
/// function returns at once; the driver then throws the recorded Error
/// (ThrowStatus). The interpreter is meant to report through the same helpers
/// once they move to runtime/, so both executors produce the same text.
///
/// TODO(codegen): move this list and the helpers to runtime/ (STYLE.md §2) when
/// the interpreter starts calling them; codegen then only reads the list.

#include "common/error.hpp"
#include "common/join_table.hpp"
#include "common/limit_counters.hpp"

#include <cstdint>

extern "C" {

/// Where a compiled function records its first error. Zero-initialize before a
/// call; `failed` stays 0 on success. C layout, 256 bytes.
typedef struct GzExecStatus {
    int32_t failed;      ///< 0 = ok, 1 = an error was recorded
    int32_t sql_state;   ///< a grizzly::SqlState value
    char message[248];   ///< NUL-terminated, truncated if longer
} GzExecStatus;

/// One parameter slot as generated code reads it: the value's raw bits
/// (booleans 0/1, integers sign-extended to 64 bits, doubles bit-cast) and a
/// NULL flag. 16 bytes.
typedef struct GzParamSlot {
    uint64_t bits;
    uint8_t is_null;
    uint8_t padding[7];
} GzParamSlot;

/// A compiled GROUP BY's hash table (codegen/group_pipeline.hpp): open
/// addressing over `slots` (0 = empty, else the hash's upper 32 bits | group + 1)
/// and `count` group rows of `row_width` bytes, densely numbered in insertion
/// order. gz_rt_group_new adds rows and grows both arrays; generated code
/// reloads the pointers after calling it.
typedef struct GzGroupTable {
    uint64_t* slots;
    uint64_t mask;        ///< slot count - 1 (a power of two minus one)
    uint8_t* rows;
    uint64_t count;
    uint64_t capacity;    ///< rows allocated
    uint64_t row_width;   ///< bytes, a multiple of 8; the row's hash is its first word
    const GzJoinTable* const* joins;  ///< the hash joins the pipeline probes, in order
    /// One integer key: the group (+ 1, 0 = none yet) of each key in the window
    /// [direct_base, direct_base + direct_size), so that most rows find their
    /// group with one load instead of a hash probe. gz_rt_group_index opens the
    /// window around the first non-NULL key; until then direct_size is 0.
    uint32_t* direct;
    int64_t direct_base;
    uint64_t direct_size;
    /// The run's grizzly::runtime::RowCalls: gz_rt_scalar_call's state, and the
    /// heap gz_rt_string_keep copies computed VARCHAR keys to.
    void* calls;
} GzGroupTable;

/// The rows a compiled row pipeline hands on (codegen/row_pipeline.hpp), in
/// batches of `capacity`: per row, its row in the morsel and the build row of
/// each join whose build columns it carries (kGzNullBuildRow: NULLs), and the values (booleans as bytes) and validity
/// bytes of each column the code computes (a VARCHAR as its StringRef). Generated code appends at `count`
/// and calls gz_rt_output_flush when the batch is full; the flush may replace
/// the `values` and `valid` arrays' entries, so code reloads them per row.
typedef struct GzOutputBuffer {
    uint32_t* scan_rows;
    uint32_t* const* build_rows;  ///< per join that reads build rows (JoinProbeSpec::HasBuildRange), in order
    void* const* values;          ///< per computed column
    uint8_t* const* valid;        ///< per computed column
    uint64_t count;
    uint64_t capacity;
    const GzJoinTable* const* joins;  ///< the hash joins the pipeline probes, in order
    /// Hands the batch on (the run that owns the buffer); returns 0, kGzStatusStop
    /// or kGzStatusError after recording an error.
    int32_t (*flush)(struct GzOutputBuffer*, GzExecStatus*);
    void* owner;
    void* calls;    ///< the run's grizzly::runtime::RowCalls (gz_rt_scalar_call)
    GzLimit* limit; ///< the counts of the LIMIT the code ends in (common/limit_counters.hpp), or null
} GzOutputBuffer;

/// Values a helper returns (and generated code passes on) after recording an
/// error, or when the rows' consumer needs no more (a LIMIT is full).
enum { kGzStatusError = 1, kGzStatusStop = 2 };

/// The build row a LEFT or FULL join's unmatched probe row records: its build columns are NULL.
enum : uint32_t { kGzNullBuildRow = 0xFFFFFFFFu };

#define GZ_RT_ATTRIBUTE_None
#define GZ_RT_ATTRIBUTE_Cold __attribute__((cold, noinline))
#define GZ_RT_ATTRIBUTE_Hot __attribute__((hot))
#define GZ_RT_ATTRIBUTE_Pure __attribute__((pure))
#define GZ_RT_FUNCTION(name, ret, args, attribute) GZ_RT_ATTRIBUTE_##attribute ret name args noexcept;
#include "codegen/rt_functions.def"
#undef GZ_RT_FUNCTION
#undef GZ_RT_ATTRIBUTE_None
#undef GZ_RT_ATTRIBUTE_Cold
#undef GZ_RT_ATTRIBUTE_Hot
#undef GZ_RT_ATTRIBUTE_Pure

}  // extern "C"

static_assert(sizeof(GzExecStatus) == 256, "generated code does not depend on it, but keep the status small");
static_assert(sizeof(GzParamSlot) == 16, "generated code addresses parameter slots with a 16-byte stride");

namespace grizzly::codegen {

/// Attributes of a runtime helper as the .def list spells them.
enum class RtAttribute : uint8_t { None, Cold, Hot, Pure };

/// Identifies one helper of rt_functions.def.
enum class RtFunction : uint8_t {
#define GZ_RT_FUNCTION(name, ret, args, attribute) name,
#include "codegen/rt_functions.def"
#undef GZ_RT_FUNCTION
};

/// The Error recorded in `status` (status.failed must be set).
Error StatusError(const GzExecStatus& status);
/// Throws the recorded Error when `rc` (a generated function's result) is nonzero.
void ThrowIfFailed(int32_t rc, const GzExecStatus& status);

}  // namespace grizzly::codegen
