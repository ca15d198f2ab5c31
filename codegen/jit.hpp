#pragma once
/// A thin wrapper around ORC's LLJIT: one process-wide JIT per tier, with the
/// runtime helpers of rt_functions.def (and a few libm symbols) linked in.
/// Internal to codegen/: LLVM classes are only forward-declared here.
///
/// Threading: Get, Compile and CompileIrText may be called from any thread at
/// once. Every llvm::Error is handled inside and surfaces as grizzly::Error
/// (XX000) — callers never see an LLVM error type.

#include <memory>
#include <string>
#include <vector>

#include "codegen/compiled_code.hpp"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace grizzly::codegen {

class Jit {
public:
    /// The JIT of `tier`, created on first use. Initializes the native target
    /// once per process. Never destroyed, so compiled code may outlive any
    /// owner that is torn down at exit.
    static Jit& Get(Tier tier);

    ~Jit();
    Jit(const Jit&) = delete;
    Jit& operator=(const Jit&) = delete;

    Tier GetTier() const { return tier_; }

    /// Verifies `module`, optimizes it as the tier says, compiles and links it,
    /// and returns the code of function `entry`. `emit_ms` is the caller's IR
    /// construction time, recorded in the stats. Takes the module and context
    /// by rvalue reference so that, whatever throws, the caller's module is
    /// destroyed before its context. Throws Error (XX000) when LLVM
    /// fails, including on a module that does not verify. With `regions`
    /// (CompileOptions::annotate), an instruction whose debug line is n gets
    /// the comment "; <regions[n-1]>" in the captured IR, and the module's
    /// debug info is stripped before machine code is generated.
    CompiledCodePtr Compile(std::unique_ptr<llvm::LLVMContext>&& context, std::unique_ptr<llvm::Module>&& module,
                            const std::string& entry, bool capture_ir, double emit_ms = 0,
                            const std::vector<std::string>* regions = nullptr);

    /// Parses textual LLVM IR, then Compile. For tests and debugging tools.
    CompiledCodePtr CompileIrText(const std::string& ir_text, const std::string& entry, bool capture_ir);

    /// A process-unique symbol name, `<prefix>_<n>` (all modules share one JITDylib).
    static std::string UniqueName(const std::string& prefix);

    /// Target triple, CPU and features of the host the code is compiled for (a
    /// component of an on-disk cache key later).
    const std::string& HostDescription() const { return host_description_; }

private:
    explicit Jit(Tier tier);

    struct Impl;
    Tier tier_;
    std::unique_ptr<Impl> impl_;
    std::string host_description_;
};

/// Compiles with the JIT of `options.tier`; `regions` as for Jit::Compile.
CompiledCodePtr CompileModule(std::unique_ptr<llvm::LLVMContext>&& context, std::unique_ptr<llvm::Module>&& module,
                              const std::string& entry, const CompileOptions& options, double emit_ms,
                              const std::vector<std::string>* regions = nullptr);

}  // namespace grizzly::codegen
