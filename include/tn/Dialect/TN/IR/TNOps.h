//===- TNOps.h - Operations of the tn dialect -------------------*- C++ -*-===//

#ifndef TN_DIALECT_TN_IR_TNOPS_H
#define TN_DIALECT_TN_IR_TNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tn/Dialect/TN/IR/TNAttrs.h"
#include "tn/Dialect/TN/IR/TNDialect.h"

#define GET_OP_CLASSES
#include "tn/Dialect/TN/IR/TNOps.h.inc"

namespace mlir::tn {

/// True if `type` is an element type the tn dialect accepts.
bool isSupportedElementType(Type type);

/// The real type of a tn element type (f32 for complex<f32>, itself for real
/// types).
Type getRealElementType(Type type);

/// Verifies the index semantics shared by tn.network and tn.contract:
/// one index list per operand with the operand's rank, consistent extents,
/// output indices present and unique, result shape and element type.
LogicalResult verifyIndexedContraction(Operation *op, ValueRange operands,
                                       ArrayRef<ArrayAttr> operandIndices,
                                       ArrayAttr resultIndices,
                                       RankedTensorType resultType);

/// The extent of every index of a contraction, read from the operand types
/// (valid on a verified op).
llvm::DenseMap<StringAttr, int64_t>
getIndexExtents(ValueRange operands, ArrayRef<ArrayAttr> operandIndices);

} // namespace mlir::tn

#endif // TN_DIALECT_TN_IR_TNOPS_H
