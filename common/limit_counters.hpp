#pragma once
/// A LIMIT's progress, in C layout: the interpreter's LIMIT operator counts its
/// rows here, and so does compiled code that covers the LIMIT
/// (codegen/row_pipeline.hpp), so the morsels of both executors share one count.

#include <cstdint>

extern "C" {

typedef struct GzLimit {
    int64_t offset;  ///< rows to skip first
    int64_t limit;   ///< rows to pass after them; -1: no limit
    int64_t skipped; ///< rows skipped so far
    int64_t emitted; ///< rows passed so far
} GzLimit;

} // extern "C"
