//===- Registration.cpp - Register tnc's translations ---------------------===//

#include "tn/Target/Translations.h"

#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "tn/InitAll.h"

#include "llvm/Support/CommandLine.h"

using namespace mlir;

namespace {
llvm::cl::OptionCategory cpuCategory("tnc CPU code generation (--emit-object, "
                                     "--emit-shared-library)");
llvm::cl::opt<std::string> targetTriple(
    "target-triple", llvm::cl::desc("target triple (default: the host's)"),
    llvm::cl::init(""), llvm::cl::cat(cpuCategory));
llvm::cl::opt<std::string> targetCpu(
    "target-cpu",
    llvm::cl::desc("target CPU, e.g. x86-64, x86-64-v4, znver4, generic "
                   "(default: host)"),
    llvm::cl::init("host"), llvm::cl::cat(cpuCategory));
llvm::cl::opt<std::string> targetFeatures(
    "target-features", llvm::cl::desc("extra target features, e.g. -avx512f"),
    llvm::cl::init(""), llvm::cl::cat(cpuCategory));
llvm::cl::opt<unsigned> optLevel("opt-level",
                                 llvm::cl::desc("LLVM optimization level"),
                                 llvm::cl::init(3), llvm::cl::cat(cpuCategory));
llvm::cl::opt<std::string> runtimeDir(
    "tnc-runtime-dir",
    llvm::cl::desc("directory of libtnc_runtime.a (default: <tn-translate "
                   "dir>/../lib)"),
    llvm::cl::init(""), llvm::cl::cat(cpuCategory));
llvm::cl::opt<std::string> linker(
    "linker", llvm::cl::desc("compiler driver that links shared libraries"),
    llvm::cl::init("cc"), llvm::cl::cat(cpuCategory));

llvm::cl::opt<unsigned> codegenThreads(
    "codegen-threads",
    llvm::cl::desc("--emit-shared-library: split the optimized module by "
                   "function into up to 8 pieces and compile them on this "
                   "many threads (0: one per core; 1: one piece)"),
    llvm::cl::init(0), llvm::cl::cat(cpuCategory));

tn::CPUTargetOptions cpuOptions() {
  tn::CPUTargetOptions o;
  o.triple = targetTriple;
  o.cpu = targetCpu;
  o.features = targetFeatures;
  o.optLevel = optLevel;
  o.runtimeDir = runtimeDir;
  o.linker = linker;
  o.codegenThreads = codegenThreads;
  return o;
}

void registerLoweredDialects(DialectRegistry &registry) {
  registry.insert<DLTIDialect, func::FuncDialect, LLVM::LLVMDialect>();
  registerAllToLLVMIRTranslations(registry);
}
} // namespace

void mlir::tn::registerTNTranslations() {
  TranslateToMLIRRegistration importNetwork(
      "import-network",
      "import a JSON tensor network (cotengra or equation form) as tn IR",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context) {
        return OwningOpRef<Operation *>(
            importNetworkJson(sourceMgr, context).release());
      },
      [](DialectRegistry &registry) {
        registry.insert<func::FuncDialect>();
        tn::registerAllDialects(registry);
      });
  TranslateFromMLIRRegistration exportDot(
      "export-dot", "write a Graphviz graph of every tn.network",
      [](Operation *op, llvm::raw_ostream &os) { return tn::exportDot(op, os); },
      [](DialectRegistry &registry) {
        registry.insert<func::FuncDialect>();
        tn::registerAllDialects(registry);
      });
  TranslateFromMLIRRegistration exportSummary(
      "export-summary",
      "summarize every tn.network: structure, naive costs, path cost",
      [](Operation *op, llvm::raw_ostream &os) {
        return tn::exportSummary(op, os);
      },
      [](DialectRegistry &registry) {
        registry.insert<func::FuncDialect>();
        tn::registerAllDialects(registry);
      });
  TranslateFromMLIRRegistration emitObject(
      "emit-object", "emit an object file from a module in the LLVM dialect",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        return tn::emitObject(module, os, cpuOptions());
      },
      registerLoweredDialects);
  TranslateFromMLIRRegistration emitSharedLibrary(
      "emit-shared-library",
      "emit a shared library (the object linked with tnc's runtime)",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        return tn::emitSharedLibrary(module, os, cpuOptions());
      },
      registerLoweredDialects);
  TranslateFromMLIRRegistration emitCHeader(
      "emit-c-header", "emit a C header declaring the compiled entry points",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        return tn::emitCHeader(module, os);
      },
      registerLoweredDialects);
}
