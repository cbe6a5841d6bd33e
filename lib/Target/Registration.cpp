//===- Registration.cpp - Register tnc's translations ---------------------===//

#include "tn/Target/Translations.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "tn/InitAll.h"

using namespace mlir;

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
}
