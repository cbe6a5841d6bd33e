//===- TNDialect.h - The tn dialect -----------------------------*- C++ -*-===//

#ifndef TN_DIALECT_TN_IR_TNDIALECT_H
#define TN_DIALECT_TN_IR_TNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "tn/Dialect/TN/IR/TNDialect.h.inc"

#endif // TN_DIALECT_TN_IR_TNDIALECT_H
