#pragma once
/// The codegen module: physical pipelines -> LLVM IR -> machine code through
/// ORC LLJIT, in two tiers, with a shape cache. This is the only header other
/// modules include; no LLVM type appears in it or in what it includes.
///
/// The slice that exists so far (query execution uses CompilePipeline through
/// api/pipeline_compiler.cpp under execution_mode 'jit' / 'adaptive'):
/// - CompileExpression: one expression over fixed-width columns, evaluated
///   for every row of a morsel (expression_compiler.hpp);
/// - CompilePipeline: scan -> filters -> ungrouped SUM/COUNT/COUNT(*) as one
///   fused, vectorizable loop (pipeline_compiler.hpp);
/// - CompileGroupPipeline: scan -> filters -> GROUP BY with COUNT/SUM/AVG/
///   MIN/MAX, probing its hash table inline (group_pipeline.hpp);
/// - PipelineShape / MatchPipeline: both shapes behind one interface, which
///   the api's driver bridge uses (pipeline_shape.hpp);
/// - ShapeKey / ParamLayout: shapes with constants lifted into parameter
///   slots (shape.hpp), and ShapeCache, a byte-bounded LRU of compiled code
///   keyed by ShapeCacheKey and invalidated per table (shape_cache.hpp);
/// - the C ABI of generated code: GzExecStatus, GzParamSlot and the runtime
///   helpers of rt_functions.def (rt_helpers.hpp).
/// Everything unsupported raises 0A000 "... is not compiled yet" so the caller
/// can fall back to the interpreter.

#include "codegen/background_compiler.hpp"
#include "codegen/compiled_code.hpp"
#include "codegen/expression_compiler.hpp"
#include "codegen/group_pipeline.hpp"
#include "codegen/pipeline_compiler.hpp"
#include "codegen/pipeline_shape.hpp"
#include "codegen/rt_helpers.hpp"
#include "codegen/shape.hpp"
#include "codegen/shape_cache.hpp"
