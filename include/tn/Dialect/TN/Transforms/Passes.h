//===- Passes.h - Passes of the tn dialect ----------------------*- C++ -*-===//

#ifndef TN_DIALECT_TN_TRANSFORMS_PASSES_H
#define TN_DIALECT_TN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::tn {

#define GEN_PASS_DECL
#include "tn/Dialect/TN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tn/Dialect/TN/Transforms/Passes.h.inc"

} // namespace mlir::tn

#endif // TN_DIALECT_TN_TRANSFORMS_PASSES_H
