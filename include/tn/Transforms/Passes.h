//===- Passes.h - CPU code-generation passes of tnc -------------*- C++ -*-===//
//
// tn-cpu-schedule: shape-driven transform-dialect schedules (tiling, packing,
// vectorization, threads) for contraction-like linalg ops on the host CPU.
//
//===----------------------------------------------------------------------===//

#ifndef TN_TRANSFORMS_PASSES_H
#define TN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::tn {

#define GEN_PASS_DECL
#include "tn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tn/Transforms/Passes.h.inc"

} // namespace mlir::tn

#endif // TN_TRANSFORMS_PASSES_H
