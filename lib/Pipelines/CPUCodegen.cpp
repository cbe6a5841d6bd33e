//===- CPUCodegen.cpp - linalg on tensors to the LLVM dialect -------------===//
//
// tn-cpu-codegen. The order of the lowering matters (each point cost time
// once, see docs/performance.md):
// - canonicalize right after convert-scf-to-openmp (memref.alloca_scope
//   region errors otherwise);
// - convert-openmp-to-llvm after convert-func-to-llvm (otherwise the
//   function signatures inside parallel regions are converted inconsistently);
// - vector transfers fully unrolled (no stack temporaries in loops).
//
//===----------------------------------------------------------------------===//

#include "tn/Pipelines/CPUCodegen.h"
#include "tn/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace {

/// Sets the module's target triple and each LLVM function's target CPU and
/// features, so that the object code uses the ISA the schedule was made for.
struct SetTargetAttributesPass
    : public PassWrapper<SetTargetAttributesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SetTargetAttributesPass)

  explicit SetTargetAttributesPass(std::string target)
      : target(std::move(target)) {}
  StringRef getArgument() const override { return "tn-set-target-attributes"; }
  StringRef getDescription() const override {
    return "Set the LLVM target triple, CPU and features";
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    std::string triple, cpu;
    SmallVector<std::string> features;
    if (target == "host") {
      triple = llvm::sys::getDefaultTargetTriple();
      cpu = llvm::sys::getHostCPUName().str();
    } else if (target == "x86-64") {
      triple = "x86_64-unknown-linux-gnu";
      cpu = "x86-64-v3";
    } else if (target == "x86-64-avx512") {
      triple = "x86_64-unknown-linux-gnu";
      cpu = "x86-64-v4";
    } else if (target == "aarch64") {
      triple = "aarch64-unknown-linux-gnu";
      cpu = "generic";
      features.push_back("+neon");
    } else {
      return;
    }
    StringRef tripleName = LLVM::LLVMDialect::getTargetTripleAttrName();
    if (!module->hasAttr(tripleName))
      module->setAttr(tripleName, StringAttr::get(ctx, triple));
    SmallVector<StringRef> featureRefs(features.begin(), features.end());
    module.walk([&](LLVM::LLVMFuncOp func) {
      if (func.isExternal())
        return;
      if (!func.getTargetCpuAttr() && !cpu.empty() && cpu != "generic")
        func.setTargetCpuAttr(StringAttr::get(ctx, cpu));
      if (!func.getTargetFeaturesAttr() && !featureRefs.empty())
        func.setTargetFeaturesAttr(
            LLVM::TargetFeaturesAttr::get(ctx, featureRefs));
    });
  }

  std::string target;
};

} // namespace

void mlir::tn::buildCPUCodegenPipeline(OpPassManager &pm,
                                       const CPUCodegenOptions &options) {
  // Schedule on tensors.
  if (options.schedule) {
    TNCPUScheduleOptions schedule;
    schedule.target = options.target;
    schedule.threads = options.threads;
    schedule.registerTile.assign(options.registerTile.begin(),
                                 options.registerTile.end());
    schedule.cacheTiles.assign(options.cacheTiles.begin(),
                               options.cacheTiles.end());
    pm.addPass(createTNCPUSchedule(schedule));
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Bufferize into destination-passing functions; scratch buffers once per
  // call (or thread); deallocation.
  pm.addPass(createTNCPUBufferize());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createTNHoistStaticAllocs());
  pm.addPass(bufferization::createOwnershipBasedBufferDeallocationPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createBufferDeallocationSimplificationPass());
  pm.addPass(bufferization::createLowerDeallocationsPass());
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  if (options.outlineKernels)
    pm.addPass(createTNOutlineKernels());

  // What the schedule left: loops. (Not the affine super-vectorizer: it
  // reports "NYI: non-trivial layout map" errors on strided buffers.)
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());

  // Threads.
  pm.addPass(createForallToParallelLoopPass());
  if (options.threads != 1) {
    ConvertSCFToOpenMPPassOptions omp;
    omp.numThreads = options.threads > 1 ? options.threads : 0;
    pm.addPass(createConvertSCFToOpenMPPass(omp));
    pm.addPass(createCanonicalizerPass());
  }

  // Down to the LLVM dialect.
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addPass(createLowerAffinePass());
  // Index arithmetic of the packed buffers (ceildiv of loop indices) out of
  // the reduction loop: llc alone does not hoist it.
  pm.addPass(createLoopInvariantCodeMotionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createConvertComplexToStandardPass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToLLVMPass());
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = options.runtimeAllocator;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertComplexToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  if (options.threads != 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  if (options.targetAttributes)
    pm.addPass(std::make_unique<SetTargetAttributesPass>(options.target));
}

void mlir::tn::registerCPUCodegenPipeline() {
  PassPipelineRegistration<CPUCodegenOptions>(
      "tn-cpu-codegen",
      "linalg on tensors to the LLVM dialect for the host CPU: "
      "tn-cpu-schedule, bufferization into destination-passing functions "
      "(results become trailing out-parameters), OpenMP threads, lowering "
      "to LLVM with _mlir_ciface_ wrappers for llvm.emit_c_interface "
      "functions",
      buildCPUCodegenPipeline);
}
