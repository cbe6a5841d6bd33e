//===- TNDialect.cpp - The tn dialect -------------------------------------===//

#include "tn/Dialect/TN/IR/TNDialect.h"
#include "tn/Dialect/TN/IR/TNAttrs.h"
#include "tn/Dialect/TN/IR/TNOps.h"

using namespace mlir;
using namespace mlir::tn;

#include "tn/Dialect/TN/IR/TNDialect.cpp.inc"

void TNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tn/Dialect/TN/IR/TNOps.cpp.inc"
      >();
  registerAttributes();
}
