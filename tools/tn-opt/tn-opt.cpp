//===- tn-opt.cpp - Optimizer driver for tnc ------------------------------===//
//
// mlir-opt with the tn dialect and tnc's passes, plus every upstream dialect,
// extension and pass the tnc pipelines are built from.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#include "tn/InitAll.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  mlir::tn::registerAllDialects(registry);
  mlir::tn::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "tnc optimizer driver\n", registry));
}
