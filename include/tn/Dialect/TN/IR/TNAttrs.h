//===- TNAttrs.h - Attributes of the tn dialect -----------------*- C++ -*-===//

#ifndef TN_DIALECT_TN_IR_TNATTRS_H
#define TN_DIALECT_TN_IR_TNATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "tn/Dialect/TN/IR/TNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tn/Dialect/TN/IR/TNAttrs.h.inc"

#endif // TN_DIALECT_TN_IR_TNATTRS_H
