//===- ImportNetwork.cpp - JSON network files to tn IR --------------------===//

#include "tn/Dialect/TN/IR/TNDialect.h"
#include "tn/Dialect/TN/Utils/NetworkInterop.h"
#include "tn/Network/Network.h"
#include "tn/Target/Translations.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;

OwningOpRef<ModuleOp> mlir::tn::importNetworkJson(llvm::SourceMgr &sourceMgr,
                                                  MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  StringRef fileName = buffer->getBufferIdentifier();
  tnc::Diagnostic error;
  std::optional<tnc::Network> net =
      tnc::parseNetworkJson(buffer->getBuffer(), error);
  if (!net) {
    unsigned line = std::max(error.pos.line, 1u);
    unsigned column = std::max(error.pos.column, 1u);
    emitError(FileLineColLoc::get(context, fileName, line, column))
        << error.message;
    return nullptr;
  }

  context->loadDialect<func::FuncDialect, TNDialect>();
  Location loc = FileLineColLoc::get(context, fileName, 1, 1);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder builder(context);
  builder.setInsertionPointToEnd(module->getBody());
  buildNetworkFunc(builder, loc, *net);
  if (failed(verify(*module)))
    return nullptr;
  return module;
}
