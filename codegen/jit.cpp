/// ORC LLJIT setup, the two optimization tiers, and the conversion of every
/// llvm::Error into grizzly::Error. The model is LLVM's KaleidoscopeJIT and the
/// LLJITWithOptimizingIRTransform example, except that the IR passes run
/// before the module is added, so the optimized IR can be printed.
#include "codegen/jit.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <unordered_set>

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectTransformLayer.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/AssemblyAnnotationWriter.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/FormattedStream.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include "codegen/rt_helpers.hpp"
#include "common/error.hpp"

namespace grizzly::codegen {

namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Consumes `error` into an XX000 Error naming the step that failed.
Error ToError(llvm::Error error, const std::string& step) {
    return Error::Internal("LLVM " + step + ": " + llvm::toString(std::move(error)));
}

/// Unwraps `expected` or throws its error as XX000.
template <class T>
T Take(llvm::Expected<T> expected, const std::string& step) {
    if (!expected) throw ToError(expected.takeError(), step);
    return std::move(*expected);
}

void Check(llvm::Error error, const std::string& step) {
    if (error) throw ToError(std::move(error), step);
}

std::string PrintModule(const llvm::Module& module) {
    std::string text;
    llvm::raw_string_ostream out(text);
    module.print(out, nullptr);
    return text;
}

/// Ends each instruction line with "; <region>", the region its debug line names.
class RegionAnnotator : public llvm::AssemblyAnnotationWriter {
public:
    explicit RegionAnnotator(const std::vector<std::string>& regions) : regions_(regions) {}
    void printInfoComment(const llvm::Value& value, llvm::formatted_raw_ostream& out) override {
        const auto* instruction = llvm::dyn_cast<llvm::Instruction>(&value);
        if (!instruction) return;
        // No location: code the optimizer made up (splats, induction variables).
        const llvm::DebugLoc& location = instruction->getDebugLoc();
        if (!location) return;
        // Line 0: the optimizer merged instructions of several regions into one.
        const unsigned line = location.getLine();
        out.PadToColumn(72);
        out << "; " << (line >= 1 && line <= regions_.size() ? regions_[line - 1] : std::string("(merged)"));
    }

private:
    const std::vector<std::string>& regions_;
};

/// The module's text with region comments, without the debug metadata that
/// carries them (`!dbg` attachments and the DI* nodes): readers want the code.
std::string PrintAnnotatedModule(const llvm::Module& module, const std::vector<std::string>& regions) {
    std::string text;
    llvm::raw_string_ostream out(text);
    RegionAnnotator annotator(regions);
    module.print(out, &annotator);
    out.flush();
    std::string clean;
    clean.reserve(text.size());
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.rfind("!llvm.dbg.cu", 0) == 0) continue;
        if (!line.empty() && line[0] == '!' && line.find("!DI") != std::string::npos) continue;
        for (size_t at; (at = line.find(" !dbg !")) != std::string::npos;) {
            size_t stop = at + 7;
            while (stop < line.size() && std::isdigit(static_cast<unsigned char>(line[stop]))) ++stop;
            size_t from = at > 0 && line[at - 1] == ',' ? at - 1 : at;
            line.erase(from, stop - from);
        }
        clean += line;
        clean += '\n';
    }
    return clean;
}

/// Object-file bytes linked on this thread since the last reset. LLJIT
/// without compile threads materializes on the thread that looks a symbol up,
/// so Compile can attribute the bytes to its own module.
thread_local size_t t_object_bytes = 0;

/// Process symbols generated code may reach besides the runtime helpers:
/// libm functions that LLVM lowers some intrinsics and `frem` to, and the
/// memory functions it may emit for copies.
const std::unordered_set<std::string>& AllowedProcessSymbols() {
    static const std::unordered_set<std::string> names = {
        "fmod", "round", "trunc", "floor", "ceil", "memcpy", "memmove", "memset",
        // LLJIT's generic platform support (static initializers and destructors of JIT'd code).
        "__cxa_atexit", "atexit", "__dso_handle"};
    return names;
}

}  // namespace

// ---- CompiledCode's resources ----------------------------------------------

struct CompiledCode::Resources {
    llvm::orc::ResourceTrackerSP tracker;
};

CompiledCode::CompiledCode(std::unique_ptr<Resources> resources, void* entry, std::string entry_name,
                           CompileStats stats, std::string ir_before, std::string ir_after)
    : resources_(std::move(resources)),
      entry_(entry),
      entry_name_(std::move(entry_name)),
      stats_(stats),
      ir_before_(std::move(ir_before)),
      ir_after_(std::move(ir_after)) {}

CompiledCode::~CompiledCode() {
    if (!resources_ || !resources_->tracker) return;
    // A destructor cannot throw: a failure to free JIT memory is reported, not ignored.
    if (llvm::Error error = resources_->tracker->remove())
        llvm::logAllUnhandledErrors(std::move(error), llvm::errs(), "grizzly codegen: freeing compiled code: ");
}

// ---- Jit ---------------------------------------------------------------------

struct Jit::Impl {
    std::unique_ptr<llvm::orc::LLJIT> lljit;
    llvm::orc::JITTargetMachineBuilder machine_builder{llvm::Triple()};
    std::mutex machine_builder_mutex;
};

Jit& Jit::Get(Tier tier) {
    static std::once_flag native_target_once;
    std::call_once(native_target_once, [] {
        // Both return true on failure; without a native target nothing can be compiled.
        if (llvm::InitializeNativeTarget() || llvm::InitializeNativeTargetAsmPrinter())
            throw Error::Internal("LLVM: the native target is not available");
    });
    // Deliberately leaked: compiled code held by static owners may be freed at exit after any destructor order.
    static Jit* fast = new Jit(Tier::Fast);
    static Jit* optimized = new Jit(Tier::Optimized);
    return tier == Tier::Fast ? *fast : *optimized;
}

Jit::Jit(Tier tier) : tier_(tier), impl_(std::make_unique<Impl>()) {
    auto machine_builder = Take(llvm::orc::JITTargetMachineBuilder::detectHost(), "detecting the host");
    if (tier == Tier::Fast) {
        // No IR passes, and the cheapest instruction selection that still keeps values in
        // registers: FastISel at -O0 spilled every value and ran slower than the interpreter.
        machine_builder.setCodeGenOptLevel(llvm::CodeGenOptLevel::Less);
    } else {
        machine_builder.setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);
    }
    impl_->machine_builder = machine_builder;
    host_description_ = machine_builder.getTargetTriple().str() + " " + machine_builder.getCPU() + " " +
                        machine_builder.getFeatures().getString();

    // The process-symbols JITDylib (linked into the main one) exposes only the
    // allowed libm/memory functions and what LLJIT's own platform support needs:
    // generated code reaches the runtime helpers below and nothing else.
    impl_->lljit = Take(llvm::orc::LLJITBuilder()
                            .setJITTargetMachineBuilder(std::move(machine_builder))
                            .setProcessSymbolsJITDylibSetup(
                                [](llvm::orc::LLJIT& jit) -> llvm::Expected<llvm::orc::JITDylibSP> {
                                    auto& dylib = jit.getExecutionSession().createBareJITDylib("<Process Symbols>");
                                    const char prefix = jit.getDataLayout().getGlobalPrefix();
                                    auto generator = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
                                        prefix, [prefix](const llvm::orc::SymbolStringPtr& name) {
                                            llvm::StringRef text = *name;
                                            if (prefix != '\0' && text.starts_with(llvm::StringRef(&prefix, 1)))
                                                text = text.drop_front();
                                            return AllowedProcessSymbols().count(text.str()) > 0;
                                        });
                                    if (!generator) return generator.takeError();
                                    dylib.addGenerator(std::move(*generator));
                                    return &dylib;
                                })
                            .create(),
                        "creating the JIT");
    llvm::orc::LLJIT& lljit = *impl_->lljit;
    lljit.getObjTransformLayer().setTransform(
        [](std::unique_ptr<llvm::MemoryBuffer> object) -> llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> {
            t_object_bytes += object->getBufferSize();
            return object;
        });

    // The runtime helpers, from the one list.
    llvm::orc::JITDylib& dylib = lljit.getMainJITDylib();
    llvm::orc::SymbolMap helpers;
    const auto flags = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
#define GZ_RT_FUNCTION(name, ret, args, attribute) \
    helpers[lljit.mangleAndIntern(#name)] = {llvm::orc::ExecutorAddr::fromPtr(&::name), flags};
#include "codegen/rt_functions.def"
#undef GZ_RT_FUNCTION
    Check(dylib.define(llvm::orc::absoluteSymbols(std::move(helpers))), "defining the runtime helpers");

}

Jit::~Jit() = default;

std::string Jit::UniqueName(const std::string& prefix) {
    static std::atomic<uint64_t> next{0};
    return prefix + "_" + std::to_string(next.fetch_add(1, std::memory_order_relaxed));
}

CompiledCodePtr Jit::Compile(std::unique_ptr<llvm::LLVMContext>&& context, std::unique_ptr<llvm::Module>&& module,
                             const std::string& entry, bool capture_ir, double emit_ms,
                             const std::vector<std::string>* regions) {
    GZ_CHECK(context && module, "Jit::Compile needs a module and its context");
    // One compile at a time in the process: concurrent materialization into the
    // shared JITDylibs (a query's compile beside a background one) was seen to
    // link one module's private symbols twice.
    static std::mutex compile_mutex;
    std::lock_guard<std::mutex> compiling(compile_mutex);
    // Owns both from here on and destroys the module before its context, on every path.
    llvm::Module* const module_ptr = module.get();
    llvm::orc::ThreadSafeModule owned(std::move(module), std::move(context));
    llvm::Module& m = *module_ptr;
    CompileStats stats;
    stats.tier = tier_;
    stats.emit_ms = emit_ms;
    llvm::orc::LLJIT& lljit = *impl_->lljit;

    std::unique_ptr<llvm::TargetMachine> machine;
    {
        std::lock_guard<std::mutex> lock(impl_->machine_builder_mutex);
        machine = Take(impl_->machine_builder.createTargetMachine(), "creating a target machine");
    }
    m.setDataLayout(lljit.getDataLayout());
    m.setTargetTriple(machine->getTargetTriple().str());
    // Per-function CPU and features, so the optimizer's cost model (TTI) sees the host's vector units.
    for (llvm::Function& function : m) {
        if (function.isDeclaration()) continue;
        function.addFnAttr("target-cpu", machine->getTargetCPU());
        function.addFnAttr("target-features", machine->getTargetFeatureString());
    }

    std::string verify_message;
    llvm::raw_string_ostream verify_out(verify_message);
    if (llvm::verifyModule(m, &verify_out))
        throw Error::Internal("generated LLVM IR does not verify: " + verify_message);

    auto print = [&] {
        if (!capture_ir) return std::string();
        return regions ? PrintAnnotatedModule(m, *regions) : PrintModule(m);
    };
    std::string ir_before = print();
    if (tier_ == Tier::Optimized) {
        const auto start = Clock::now();
        llvm::PipelineTuningOptions tuning;
        tuning.LoopVectorization = true;
        tuning.SLPVectorization = true;
        tuning.LoopInterleaving = true;
        llvm::LoopAnalysisManager loop_analyses;
        llvm::FunctionAnalysisManager function_analyses;
        llvm::CGSCCAnalysisManager cgscc_analyses;
        llvm::ModuleAnalysisManager module_analyses;
        llvm::PassBuilder builder(machine.get(), tuning);
        builder.registerModuleAnalyses(module_analyses);
        builder.registerCGSCCAnalyses(cgscc_analyses);
        builder.registerFunctionAnalyses(function_analyses);
        builder.registerLoopAnalyses(loop_analyses);
        builder.crossRegisterProxies(loop_analyses, function_analyses, cgscc_analyses, module_analyses);
        llvm::ModulePassManager passes = builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
        passes.run(m, module_analyses);
        stats.optimize_ms = MillisSince(start);
    }
    std::string ir_after = print();
    // The debug locations only carried the regions: no DWARF for the JIT to emit.
    if (regions) llvm::StripDebugInfo(m);

    const auto start = Clock::now();
    auto resources = std::make_unique<CompiledCode::Resources>();
    resources->tracker = lljit.getMainJITDylib().createResourceTracker();
    Check(lljit.addIRModule(resources->tracker, std::move(owned)),
          "adding a module");
    t_object_bytes = 0;
    // Looking the entry up materializes (compiles and links) the module on this thread.
    auto address = lljit.lookup(entry);
    if (!address) {
        Error error = ToError(address.takeError(), "compiling '" + entry + "'");
        if (llvm::Error removed = resources->tracker->remove())
            llvm::logAllUnhandledErrors(std::move(removed), llvm::errs(), "grizzly codegen: after a failed compile: ");
        resources->tracker = nullptr;
        throw error;
    }
    stats.machine_code_ms = MillisSince(start);
    stats.object_bytes = t_object_bytes;
    return std::make_shared<const CompiledCode>(std::move(resources), address->toPtr<void*>(), entry, stats,
                                                std::move(ir_before), std::move(ir_after));
}

CompiledCodePtr Jit::CompileIrText(const std::string& ir_text, const std::string& entry, bool capture_ir) {
    const auto start = Clock::now();
    auto context = std::make_unique<llvm::LLVMContext>();
    llvm::SMDiagnostic diagnostic;
    std::unique_ptr<llvm::Module> module =
        llvm::parseIR(llvm::MemoryBufferRef(ir_text, "grizzly-ir"), diagnostic, *context);
    if (!module) {
        std::string message;
        llvm::raw_string_ostream out(message);
        diagnostic.print("grizzly-ir", out, /*ShowColors=*/false);
        throw Error::Internal("LLVM parsing IR: " + message);
    }
    return Compile(std::move(context), std::move(module), entry, capture_ir, MillisSince(start));
}

CompiledCodePtr CompileModule(std::unique_ptr<llvm::LLVMContext>&& context, std::unique_ptr<llvm::Module>&& module,
                              const std::string& entry, const CompileOptions& options, double emit_ms,
                              const std::vector<std::string>* regions) {
    return Jit::Get(options.tier).Compile(std::move(context), std::move(module), entry, options.capture_ir, emit_ms,
                                          regions);
}

}  // namespace grizzly::codegen
