#pragma once
/// Adaptive mode's measurements of a pipeline (runtime/executor.cpp takes them,
/// the shape cache keeps them with the code).

#include <cstdint>

namespace grizzly {

/// CPU time one executor spent on rows of a pipeline.
struct ExecutorTime {
    double ns = 0;
    uint64_t rows = 0;
    double NsPerRow() const { return rows ? ns / static_cast<double>(rows) : 0; }
};

/// A pipeline's time in the interpreter and in compiled code.
struct ExecutorTimes {
    ExecutorTime interpreted, compiled;
};

}  // namespace grizzly
