//===- TNAttrNames.h - Discardable attributes of the tn dialect --*- C++ -*-===//
//
// Names of the discardable attributes that tn passes put on ops of other
// dialects for later passes. Header-only: passes outside the dialect's
// library (the CPU code generation) read them without linking it.
//
//===----------------------------------------------------------------------===//

#ifndef TN_DIALECT_TN_IR_TNATTRNAMES_H
#define TN_DIALECT_TN_IR_TNATTRNAMES_H

#include "llvm/ADT/StringRef.h"

namespace mlir::tn {

/// Unit attribute on the `scf.for` over the slices of a network
/// (tn-expand-network); tn-outline-kernels outlines the nests inside it.
inline constexpr llvm::StringLiteral kSlicesAttrName = "tn.slices";

} // namespace mlir::tn

#endif // TN_DIALECT_TN_IR_TNATTRNAMES_H
