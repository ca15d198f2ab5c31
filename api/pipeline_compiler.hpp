#pragma once
/// The bridge from the interpreter's driver to codegen: a
/// runtime::PipelineCompiler that compiles the pipelines codegen supports
/// (table scan -> filters -> ungrouped SUM/COUNT) through the database's
/// shape cache. Internal to the api module, which is the only module that
/// sees both runtime/ and codegen/.

#include <memory>

#include "codegen/codegen.hpp"
#include "runtime/runtime.hpp"

namespace grizzly {

class CodegenPipelineCompiler : public runtime::PipelineCompiler {
public:
    explicit CodegenPipelineCompiler(codegen::ShapeCache& cache) : cache_(cache) {}

    std::unique_ptr<runtime::CompiledPipelineRun> Compile(const ir::Pipeline& pipeline,
                                                          runtime::ExecutionContext& ctx) override;

private:
    codegen::ShapeCache& cache_;
};

}  // namespace grizzly
