#pragma once
/// Compiled machine code as the rest of codegen hands it around: tiers,
/// compile options, timings, and CompiledCode, which owns one JIT'd module.
/// No LLVM type appears here.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace grizzly::codegen {

/// How hard the JIT works on a module.
enum class Tier : uint8_t {
    Fast,       ///< no IR optimization, CodeGenOptLevel::Less (registers allocated, no FastISel)
    Optimized,  ///< the new pass manager's O2 pipeline (loop and SLP vectorizers), CodeGenOptLevel::Default
};
/// "fast" or "optimized".
const char* TierName(Tier tier);

struct CompileOptions {
    Tier tier = Tier::Optimized;
    /// Keep the module's IR text before and after optimization (EXPLAIN CODEGEN).
    bool capture_ir = false;
    /// With capture_ir: mark which plan operator each instruction came from. The
    /// compiler gives every instruction a debug location whose line numbers its
    /// region ("scan", "filter.0", "aggregate", ...); the captured IR ends each
    /// instruction line with "; <region>" (also after optimization, which keeps
    /// debug locations), and the debug info is stripped before machine code.
    bool annotate = false;
};

/// Where compile time went, in milliseconds.
struct CompileStats {
    Tier tier = Tier::Fast;
    double emit_ms = 0;          ///< plan or expression -> LLVM IR (by the compilers)
    double optimize_ms = 0;      ///< IR passes; 0 in the fast tier
    double machine_code_ms = 0;  ///< instruction selection, register allocation, linking
    size_t object_bytes = 0;     ///< size of the object file the JIT linked
    double TotalMs() const { return emit_ms + optimize_ms + machine_code_ms; }
};

/// The machine code of one compiled module and the address of its entry
/// function. Owns the code: when the last reference goes, the code is freed in
/// the JIT. Immutable after creation, so it may be shared across threads and
/// called concurrently (the generated functions keep no state of their own).
class CompiledCode {
public:
    /// Ownership of the JIT resources (defined in jit.cpp).
    struct Resources;

    CompiledCode(std::unique_ptr<Resources> resources, void* entry, std::string entry_name, CompileStats stats,
                 std::string ir_before, std::string ir_after);
    ~CompiledCode();
    CompiledCode(const CompiledCode&) = delete;
    CompiledCode& operator=(const CompiledCode&) = delete;

    void* Entry() const { return entry_; }
    const std::string& EntryName() const { return entry_name_; }
    const CompileStats& Stats() const { return stats_; }
    /// IR as emitted, and after the tier's passes; empty unless CompileOptions::capture_ir.
    const std::string& IrBefore() const { return ir_before_; }
    const std::string& IrAfter() const { return ir_after_; }
    /// Approximate memory this object keeps alive (object code plus IR text), for the shape cache's bound.
    size_t MemoryBytes() const;

private:
    std::unique_ptr<Resources> resources_;
    void* entry_;
    std::string entry_name_;
    CompileStats stats_;
    std::string ir_before_;
    std::string ir_after_;
};

using CompiledCodePtr = std::shared_ptr<const CompiledCode>;

}  // namespace grizzly::codegen
