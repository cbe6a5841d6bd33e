//===- Passes.h - Conversion passes of tnc ----------------------*- C++ -*-===//

#ifndef TN_CONVERSION_PASSES_H
#define TN_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::tn {

#define GEN_PASS_DECL
#include "tn/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tn/Conversion/Passes.h.inc"

} // namespace mlir::tn

#endif // TN_CONVERSION_PASSES_H
