//===- NetworkInterop.h - tnc::Network <-> tn dialect -----------*- C++ -*-===//
//
// Conversions between the MLIR-free network hypergraph (tn/Network) and the
// tn dialect: building a function around one tn.network, and reading the
// hypergraph back from a verified tn.network.
//
//===----------------------------------------------------------------------===//

#ifndef TN_DIALECT_TN_UTILS_NETWORKINTEROP_H
#define TN_DIALECT_TN_UTILS_NETWORKINTEROP_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "tn/Dialect/TN/IR/TNOps.h"
#include "tn/Network/Network.h"

#include <optional>

namespace mlir::tn {

/// The MLIR type of a network element type.
Type getMLIRElementType(MLIRContext *ctx, tnc::ElementType type);
/// The network element type of an MLIR type, if it is one tn supports.
std::optional<tnc::ElementType> getNetworkElementType(Type type);

/// Builds `func.func @<net.name>(%arg0: tensor<...>, ...) -> tensor<...>`
/// whose body is one tn.network over the arguments, returned.
func::FuncOp buildNetworkFunc(OpBuilder &builder, Location loc,
                              const tnc::Network &net);

/// The hypergraph of a verified tn.network. Its name is the enclosing
/// function's symbol name when there is one ("network" otherwise).
tnc::Network getNetwork(NetworkOp op);

} // namespace mlir::tn

#endif // TN_DIALECT_TN_UTILS_NETWORKINTEROP_H
