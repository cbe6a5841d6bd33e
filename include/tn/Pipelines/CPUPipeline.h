//===- CPUPipeline.h - tn networks to CPU code ------------------*- C++ -*-===//
//
// `tn-cpu-pipeline`: from tn IR (networks, contractions, decompositions) to
// the LLVM dialect with C entry points, ready for tn-translate's
// --emit-object / --emit-shared-library / --emit-c-header.
//
//===----------------------------------------------------------------------===//

#ifndef TN_PIPELINES_CPUPIPELINE_H
#define TN_PIPELINES_CPUPIPELINE_H

#include "tn/Pipelines/CPUCodegen.h"

namespace mlir::tn {

struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  // Contraction order (tn-optimize-contraction-order).
  Option<std::string> algorithm{
      *this, "algorithm",
      llvm::cl::desc("contraction-order search: auto|optimal|greedy|"
                     "random-greedy|partition|hyper"),
      llvm::cl::init("auto")};
  Option<std::string> objective{
      *this, "objective",
      llvm::cl::desc("what the order minimizes: flops|size|write|combo|limit "
                     "(combo-<a>: multiply-adds + a x elements written). The "
                     "default weighs a written element as 128 multiply-adds: "
                     "on the CPU, intermediates' traffic and transposes cost "
                     "more than the cost model's multiply-adds suggest "
                     "(docs/performance.md)"),
      llvm::cl::init("combo-128")};
  Option<double> maxTime{*this, "max-time",
                         llvm::cl::desc("order search budget in seconds (0: "
                                        "the algorithm's trial budget)"),
                         llvm::cl::init(0.0)};
  Option<uint64_t> seed{*this, "seed", llvm::cl::desc("order search seed"),
                        llvm::cl::init(0)};
  Option<double> sliceTarget{
      *this, "slice-target",
      llvm::cl::desc("slice so that no intermediate exceeds this many "
                     "elements (0: no slicing)"),
      llvm::cl::init(0.0)};
  Option<double> memoryLimit{
      *this, "memory-limit",
      llvm::cl::desc("hard limit on the largest intermediate, in elements"),
      llvm::cl::init(0.0)};
  Option<bool> overwritePath{
      *this, "overwrite-path",
      llvm::cl::desc("search again for networks that already carry a path"),
      llvm::cl::init(false)};
  // Lowering of contractions (convert-tn-to-linalg).
  Option<std::string> strategy{
      *this, "strategy",
      llvm::cl::desc("pairwise contractions: auto (cost model), ttgt or "
                     "generic"),
      llvm::cl::init("auto")};
  Option<double> copyCost{
      *this, "copy-cost",
      llvm::cl::desc("convert-tn-to-linalg's cost of a copied element, in "
                     "multiply-adds (negative: the pass's default)"),
      llvm::cl::init(-1.0)};
  // Code generation (tn-cpu-codegen).
  Option<int> threads{
      *this, "threads",
      llvm::cl::desc("0: OpenMP, all cores; 1: serial; n: OpenMP, n threads"),
      llvm::cl::init(0)};
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("host | x86-64 (AVX2) | x86-64-avx512 | aarch64 (NEON)"),
      llvm::cl::init("host")};
  Option<bool> schedule{
      *this, "schedule",
      llvm::cl::desc("tile, pack and vectorize contractions (false: loops)"),
      llvm::cl::init(true)};
  Option<bool> outlineKernels{
      *this, "outline-kernels",
      llvm::cl::desc("one private function per distinct loop nest "
                     "(tn-outline-kernels; false: one function per network)"),
      llvm::cl::init(true)};
};

/// Appends tn-cpu-pipeline to a module pass manager.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers `tn-cpu-pipeline`.
void registerCPUPipeline();

} // namespace mlir::tn

#endif // TN_PIPELINES_CPUPIPELINE_H
