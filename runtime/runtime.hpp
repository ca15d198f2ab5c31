#pragma once
/// The runtime module: the vectorized interpreter and the scalar semantics
/// both executors share.
#include "runtime/chunk_collection.hpp"
#include "runtime/execution_context.hpp"
#include "runtime/executor.hpp"
#include "runtime/expression_executor.hpp"
#include "runtime/functions/functions.hpp"
