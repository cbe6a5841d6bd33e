//===- Translations.h - tnc's translations ----------------------*- C++ -*-===//

#ifndef TN_TARGET_TRANSLATIONS_H
#define TN_TARGET_TRANSLATIONS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

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

/// Registers --import-network, --export-dot and --export-summary with mlir-translate's
/// registry.
void registerTNTranslations();

} // namespace mlir::tn

#endif // TN_TARGET_TRANSLATIONS_H
