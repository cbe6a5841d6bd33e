//===- CPUPipeline.cpp - tn networks to CPU code --------------------------===//

#include "tn/Pipelines/CPUPipeline.h"

#include "tn/Conversion/Passes.h"
#include "tn/Dialect/TN/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::tn::buildCPUPipeline(OpPassManager &pm,
                                const CPUPipelineOptions &options) {
  TNOptimizeContractionOrderOptions order;
  order.algorithm = options.algorithm;
  order.objective = options.objective;
  order.maxTime = options.maxTime;
  order.seed = options.seed;
  order.sliceTarget = options.sliceTarget;
  order.memoryLimit = options.memoryLimit;
  order.overwrite = options.overwritePath;
  order.remarks = false;
  pm.addPass(createTNOptimizeContractionOrder(order));
  pm.addPass(createTNExpandNetwork());
  ConvertTNToLinalgOptions lowering;
  lowering.strategy = options.strategy;
  if (options.copyCost >= 0)
    lowering.copyCost = options.copyCost;
  pm.addPass(createConvertTNToLinalg(lowering));
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createTNPrepareCABI());
  CPUCodegenOptions codegen;
  codegen.threads = options.threads;
  codegen.target = options.target;
  codegen.schedule = options.schedule;
  codegen.outlineKernels = options.outlineKernels;
  // Generated libraries link tnc's runtime, whose allocator keeps the large
  // intermediates' blocks between calls.
  codegen.runtimeAllocator = true;
  buildCPUCodegenPipeline(pm, codegen);
  pm.addPass(createTNLowerCABI());
}

void mlir::tn::registerCPUPipeline() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "tn-cpu-pipeline",
      "tn IR to the LLVM dialect for the CPU: contraction order "
      "(tn-optimize-contraction-order), pairwise expansion and slicing "
      "(tn-expand-network), linalg (convert-tn-to-linalg), C entry points "
      "(tn-prepare-c-abi), tn-cpu-codegen, then tn_<name> (tn-lower-c-abi)",
      buildCPUPipeline);
}
