//===- InitAll.h - Register everything tnc provides -------------*- C++ -*-===//

#ifndef TN_INITALL_H
#define TN_INITALL_H

#include "mlir/IR/DialectRegistry.h"
#include "tn/Dialect/TN/IR/TNDialect.h"
#include "tn/Conversion/Passes.h"
#include "tn/Dialect/TN/Transforms/Passes.h"
#include "tn/Pipelines/CPUCodegen.h"
#include "tn/Pipelines/CPUPipeline.h"
#include "tn/Transforms/Passes.h"

namespace mlir::tn {

/// Adds the tn dialect to a registry.
inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<TNDialect>();
}

/// Registers tnc's passes and pass pipelines with the global registry.
inline void registerAllPasses() {
  registerTNPasses();
  registerTNConversionPasses();
  registerTNCPUTransformsPasses();
  registerCPUCodegenPipeline();
  registerCPUPipeline();
}

} // namespace mlir::tn

#endif // TN_INITALL_H
