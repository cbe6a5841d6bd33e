//===- CPUCodegen.h - linalg on tensors to the LLVM dialect -----*- C++ -*-===//
//
// The CPU code-generation pipeline `tn-cpu-codegen`: tn-cpu-schedule,
// bufferization into destination-passing functions, lowering to the LLVM
// dialect (OpenMP when threaded). Compose it after tnc's own passes:
//
//   tn::CPUCodegenOptions options;
//   options.threads = 0;
//   tn::buildCPUCodegenPipeline(pm, options);
//
//===----------------------------------------------------------------------===//

#ifndef TN_PIPELINES_CPUCODEGEN_H
#define TN_PIPELINES_CPUCODEGEN_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::tn {

struct CPUCodegenOptions : public PassPipelineOptions<CPUCodegenOptions> {
  Option<int> threads{
      *this, "threads",
      llvm::cl::desc("0: OpenMP with its default thread count (the schedule "
                     "splits the work for the host's cores); 1: serial, no "
                     "OpenMP; n > 1: OpenMP with n threads"),
      llvm::cl::init(1)};
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("host | x86-64 (AVX2) | x86-64-avx512 | aarch64 (NEON)"),
      llvm::cl::init("host")};
  Option<bool> schedule{
      *this, "schedule",
      llvm::cl::desc("run tn-cpu-schedule (false: every linalg op becomes "
                     "plain loops)"),
      llvm::cl::init(true)};
  ListOption<int64_t> registerTile{
      *this, "register-tile",
      llvm::cl::desc("register tile M,N of the schedule (default: from the "
                     "target)")};
  ListOption<int64_t> cacheTiles{
      *this, "cache-tiles",
      llvm::cl::desc("cache tiles Mc,Nc,Kc of the schedule")};
  Option<bool> runtimeAllocator{
      *this, "runtime-allocator",
      llvm::cl::desc("allocate through _mlir_memref_to_llvm_alloc/_free "
                     "(tnc's runtime keeps large blocks between calls) "
                     "instead of malloc/free"),
      llvm::cl::init(false)};
  Option<bool> targetAttributes{
      *this, "target-attributes",
      llvm::cl::desc("set llvm.target_triple and each function's target_cpu "
                     "and target_features from `target`, so that llc/clang "
                     "need no -mcpu"),
      llvm::cl::init(true)};
  Option<bool> outlineKernels{
      *this, "outline-kernels",
      llvm::cl::desc("one private noinline function per distinct loop nest "
                     "(tn-outline-kernels): LLVM compiles repeated kernels "
                     "once, and tn-translate can compile functions in "
                     "parallel"),
      llvm::cl::init(true)};
};

/// Appends the pipeline to `pm` (a module pass manager).
void buildCPUCodegenPipeline(OpPassManager &pm,
                             const CPUCodegenOptions &options);

/// Registers `tn-cpu-codegen`.
void registerCPUCodegenPipeline();

} // namespace mlir::tn

#endif // TN_PIPELINES_CPUCODEGEN_H
