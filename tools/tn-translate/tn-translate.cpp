//===- tn-translate.cpp - Translation driver for tnc ----------------------===//
//
// mlir-translate with tnc's importers and exporters:
//   --import-network   JSON network file -> tn IR
//   --export-dot       tn IR -> Graphviz
// plus the upstream translations (e.g. --mlir-to-llvmir).
//
//===----------------------------------------------------------------------===//

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

#include "tn/Target/Translations.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  mlir::tn::registerTNTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "tnc translation driver\n"));
}
