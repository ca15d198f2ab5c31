#pragma once
/// Internal to codegen/ (LLVM headers): the debug locations that mark EXPLAIN
/// CODEGEN's regions in a pipeline function. Region i is line i + 1 of the
/// function's subprogram; the regions are RegionNames(filter count): "scan",
/// "filter.<i>", "aggregate". Without Annotate every location is empty and
/// setting it changes nothing.

#include <string>
#include <vector>

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

namespace grizzly::codegen {

/// Sets the builder's debug location to a region as code is emitted.
class RegionLocations {
public:
    RegionLocations(llvm::IRBuilder<>& builder, size_t filter_count) : b_(builder), filter_count_(filter_count) {}

    /// Gives `function` a subprogram and one location per region of `names`.
    void Annotate(llvm::Module& module, llvm::Function& function, const std::vector<std::string>& names) {
        llvm::DIBuilder di(module);
        llvm::DIFile* file = di.createFile("pipeline", "grizzly");
        di.createCompileUnit(llvm::dwarf::DW_LANG_C, file, "grizzly", /*isOptimized=*/true, "", 0);
        llvm::DISubroutineType* type = di.createSubroutineType(di.getOrCreateTypeArray({}));
        llvm::DISubprogram* subprogram =
            di.createFunction(file, function.getName(), function.getName(), file, 1, type, 1, llvm::DINode::FlagZero,
                              llvm::DISubprogram::SPFlagDefinition);
        function.setSubprogram(subprogram);
        for (size_t region_idx = 0; region_idx < names.size(); ++region_idx)
            locations_.push_back(
                llvm::DILocation::get(module.getContext(), static_cast<unsigned>(region_idx + 1), 0, subprogram));
        di.finalize();
        module.addModuleFlag(llvm::Module::Warning, "Debug Info Version", llvm::DEBUG_METADATA_VERSION);
    }

    void Scan() { Set(0); }
    void Filter(size_t filter_idx) { Set(1 + filter_idx); }
    void Aggregate() { Set(1 + filter_count_); }

private:
    void Set(size_t region_idx) {
        b_.SetCurrentDebugLocation(region_idx < locations_.size() ? llvm::DebugLoc(locations_[region_idx])
                                                                  : llvm::DebugLoc());
    }

    llvm::IRBuilder<>& b_;
    size_t filter_count_;
    std::vector<llvm::DILocation*> locations_;
};

}  // namespace grizzly::codegen
