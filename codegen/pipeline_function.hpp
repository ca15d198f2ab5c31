#pragma once
/// Internal to codegen/ (LLVM headers): the skeleton every pipeline function
/// shares —
///
///   int32_t f(columns, validity, row_count, params, state, status)
///
/// with a prologue for hoisted loads, a dispatch on "no column of the morsel
/// has a validity bitmap" to the `dense` or the `general` entry block (the
/// pipeline emits its loop once into each), and `done`, which returns 0.
/// Inputs are marked read-only and the state no-alias, so the optimizer needs
/// no alias checks.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "codegen/expr_emitter.hpp"
#include "codegen/jit.hpp"
#include "codegen/regions.hpp"

namespace grizzly::codegen {

class PipelineFunction {
public:
    /// `expressions` are every expression the pipeline reads, in parameter-slot order;
    /// `build_ranges` the (first position, width) of each probed join's build columns;
    /// `terminal` names the last region (RegionNames).
    PipelineFunction(const std::vector<const ir::Expr*>& expressions, size_t filter_count,
                     const CompileOptions& options,
                     const std::vector<std::pair<uint32_t, uint32_t>>& build_ranges = {},
                     const char* terminal = "aggregate")
        : start_(std::chrono::steady_clock::now()),
          context_(std::make_unique<llvm::LLVMContext>()),
          module_(std::make_unique<llvm::Module>("grizzly_pipeline", *context_)),
          name_(Jit::UniqueName("gz_pipeline")),
          b(*context_),
          regions(b, filter_count),
          layout_(expressions),
          options_(options),
          annotate_(options.annotate && options.capture_ir) {
        llvm::Type* ptr = b.getPtrTy();
        auto* signature = llvm::FunctionType::get(b.getInt32Ty(), {ptr, ptr, b.getInt64Ty(), ptr, ptr, ptr}, false);
        function = llvm::Function::Create(signature, llvm::Function::ExternalLinkage, name_, *module_);
        function->setDoesNotThrow();
        auto arg = function->arg_begin();
        args.columns = &*arg++;
        args.validity = &*arg++;
        args.row_count = &*arg++;
        args.params = &*arg++;
        state = &*arg++;
        args.status = &*arg++;
        for (unsigned arg_idx : {0u, 1u, 3u}) function->addParamAttr(arg_idx, llvm::Attribute::ReadOnly);
        function->addParamAttr(4, llvm::Attribute::NoAlias);
        if (annotate_) {
            region_names_ = RegionNames(filter_count, terminal);
            regions.Annotate(*module_, *function, region_names_);
        }
        regions.Scan();
        llvm::BasicBlock* prologue = llvm::BasicBlock::Create(*context_, "prologue", function);
        llvm::BasicBlock* dispatch = llvm::BasicBlock::Create(*context_, "dispatch", function);
        b.SetInsertPoint(prologue);
        b.CreateBr(dispatch);
        emitter = std::make_unique<ExprEmitter>(b, prologue, args, layout_);
        for (const auto& [first, width] : build_ranges) emitter->DeclareBuildColumns(first, width);
        llvm::Value* all_valid = emitter->PrepareColumns(expressions);
        b.SetInsertPoint(dispatch);
        dense = llvm::BasicBlock::Create(*context_, "dense", function);
        general = llvm::BasicBlock::Create(*context_, "general", function);
        done = llvm::BasicBlock::Create(*context_, "done", function);
        b.CreateCondBr(all_valid, dense, general);
    }

    /// Returns 0 from `done` and compiles the module.
    CompiledCodePtr Compile() {
        b.SetInsertPoint(done);
        regions.Scan();
        b.CreateRet(b.getInt32(0));
        const double emit_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
        return CompileModule(std::move(context_), std::move(module_), name_, options_, emit_ms,
                             annotate_ ? &region_names_ : nullptr);
    }

private:
    std::chrono::steady_clock::time_point start_;
    std::unique_ptr<llvm::LLVMContext> context_;
    std::unique_ptr<llvm::Module> module_;
    std::string name_;

public:
    llvm::IRBuilder<> b;
    RegionLocations regions;
    llvm::Function* function = nullptr;
    MorselArgs args;
    llvm::Value* state = nullptr;  ///< the pipeline's state argument (aggregate states, group table)
    std::unique_ptr<ExprEmitter> emitter;
    llvm::BasicBlock* dense = nullptr;
    llvm::BasicBlock* general = nullptr;
    llvm::BasicBlock* done = nullptr;

private:
    ParamLayout layout_;
    CompileOptions options_;
    bool annotate_;
    std::vector<std::string> region_names_;
};

}  // namespace grizzly::codegen
