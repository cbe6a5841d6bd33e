//===- Translations.h - tnc's translations ----------------------*- C++ -*-===//

#ifndef TN_TARGET_TRANSLATIONS_H
#define TN_TARGET_TRANSLATIONS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::tn {

/// Imports a JSON network file (cotengra/opt_einsum vocabulary or
/// equation + shapes) as a module holding one function around a tn.network.
/// Malformed input is reported as an error at the offending line:column of
/// the buffer and yields a null module.
OwningOpRef<ModuleOp> importNetworkJson(llvm::SourceMgr &sourceMgr,
                                        MLIRContext *context);

/// Writes a Graphviz graph of every tn.network under `op`.
LogicalResult exportDot(Operation *op, llvm::raw_ostream &os);

/// Writes a readable summary of every tn.network under `op`: structure,
/// naive costs and the cost of its path attribute, if any.
LogicalResult exportSummary(Operation *op, llvm::raw_ostream &os);

/// Where and how CPU code is generated (tn-translate's --target-* options).
struct CPUTargetOptions {
  std::string triple;        ///< empty: the host's
  std::string cpu = "host";  ///< "host": the host CPU
  std::string features;      ///< extra "+feat,-feat" (added to the host's)
  unsigned optLevel = 3;     ///< LLVM -O level
  std::string runtimeDir;    ///< holds libtnc_runtime.a; empty: <exe>/../lib
  std::string linker = "cc"; ///< the system compiler driver used to link
  /// Shared libraries: the optimized module is split by function into up to
  /// 8 pieces (a fixed count: the bytes do not depend on the machine)
  /// compiled on this many threads (0: one per core; 1: one piece, as
  /// --emit-object).
  unsigned codegenThreads = 0;
};

/// Translates a module lowered to the LLVM dialect (tn-cpu-pipeline) into
/// an object file for the target and writes its bytes.
LogicalResult emitObject(ModuleOp module, llvm::raw_ostream &os,
                         const CPUTargetOptions &options);

/// Emits the object and links it with tnc's runtime through the system
/// toolchain into a shared library, whose bytes are written to `os`.
LogicalResult emitSharedLibrary(ModuleOp module, llvm::raw_ostream &os,
                                const CPUTargetOptions &options);

/// Writes a C header declaring the entry points of a module prepared by
/// tn-prepare-c-abi (`int tn_<name>(const T *in..., T *out...)` and the
/// `_mlir_ciface_<name>` memref form).
LogicalResult emitCHeader(ModuleOp module, llvm::raw_ostream &os);

/// Registers --import-network, --export-dot, --export-summary,
/// --emit-object, --emit-shared-library and --emit-c-header with
/// mlir-translate's registry.
void registerTNTranslations();

} // namespace mlir::tn

#endif // TN_TARGET_TRANSLATIONS_H
