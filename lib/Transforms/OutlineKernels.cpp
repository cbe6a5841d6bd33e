//===- OutlineKernels.cpp - One private function per distinct kernel ------===//
//
// After bufferization, each top-level loop nest of a function becomes a call
// to a private `noinline` function; nests that are identical up to value
// names share one. See TNOutlineKernels in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "tn/Transforms/Passes.h"

#include "tn/Dialect/TN/IR/TNAttrNames.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::tn {
#define GEN_PASS_DEF_TNOUTLINEKERNELS
#include "tn/Transforms/Passes.h.inc"
} // namespace mlir::tn

using namespace mlir;

namespace {

int64_t countOps(Operation *op) {
  int64_t n = 0;
  op->walk([&](Operation *) { ++n; });
  return n;
}

/// Values used inside `op` (its operands included) that are defined outside.
llvm::SetVector<Value> capturedValues(Operation *op) {
  llvm::SetVector<Value> captured(op->operand_begin(), op->operand_end());
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  return captured;
}

struct OutlineKernelsPass
    : public tn::impl::TNOutlineKernelsBase<OutlineKernelsPass> {
  using TNOutlineKernelsBase::TNOutlineKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // Outlined so far, by function type.
    llvm::DenseMap<Type, SmallVector<func::FuncOp>> kernels;
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs) {
      if (func.isExternal() || func->hasAttr("tn.kernel"))
        continue;
      SmallVector<Operation *> nests;
      collectNests(func.getBody().front(), nests);
      for (Operation *nest : nests)
        outline(module, symbols, func, nest, kernels);
    }
  }

  /// The loop nests and linalg ops of `block` to outline; the loop over the
  /// slices of a network (`tn.slices`, from tn-expand-network) is not one:
  /// the contractions inside it are.
  void collectNests(Block &block, SmallVectorImpl<Operation *> &nests) {
    for (Operation &op : block) {
      if (auto loop = dyn_cast<scf::ForOp>(op);
          loop && loop->hasAttr(tn::kSlicesAttrName)) {
        collectNests(*loop.getBody(), nests);
        continue;
      }
      if (op.getNumResults() != 0)
        continue;
      if ((isa<scf::ForOp, scf::ForallOp, scf::ParallelOp>(op) &&
           countOps(&op) >= minOps) ||
          isa<linalg::LinalgOp>(op))
        nests.push_back(&op);
    }
  }

  void outline(ModuleOp module, SymbolTable &symbols, func::FuncOp parent,
               Operation *nest,
               llvm::DenseMap<Type, SmallVector<func::FuncOp>> &kernels) {
    MLIRContext *ctx = &getContext();
    llvm::SetVector<Value> captured = capturedValues(nest);
    SmallVector<Value> args;
    SmallVector<Operation *> constants;
    for (Value v : captured) {
      Operation *def = v.getDefiningOp();
      if (def && def->getNumResults() == 1 && matchPattern(v, m_Constant()))
        constants.push_back(def);
      else
        args.push_back(v);
    }
    auto type = FunctionType::get(ctx, ValueRange(args).getTypes(), {});

    OpBuilder b(ctx);
    b.setInsertionPoint(parent);
    auto kernel = func::FuncOp::create(
        b, nest->getLoc(), (parent.getSymName() + "_kernel").str(), type);
    kernel.setPrivate();
    kernel->setAttr("tn.kernel", UnitAttr::get(ctx));
    kernel->setAttr("passthrough",
                    ArrayAttr::get(ctx, {StringAttr::get(ctx, "noinline")}));
    // Internal: not exported from the library (two tnc libraries in one
    // process must not resolve each other's kernels).
    kernel->setAttr("llvm.linkage",
                    LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
    Block *body = kernel.addEntryBlock();
    IRMapping map;
    map.map(args, body->getArguments());
    b.setInsertionPointToStart(body);
    for (Operation *c : constants)
      b.clone(*c, map);
    b.clone(*nest, map);
    func::ReturnOp::create(b, nest->getLoc());

    // An identical kernel already outlined: use it.
    func::FuncOp target = kernel;
    for (func::FuncOp other : kernels[type])
      if (OperationEquivalence::isRegionEquivalentTo(
              &other.getBody(), &kernel.getBody(),
              OperationEquivalence::IgnoreLocations)) {
        target = other;
        break;
      }
    if (target != kernel) {
      kernel.erase();
    } else {
      symbols.insert(kernel); // uniques the name
      kernels[type].push_back(kernel);
    }
    b.setInsertionPoint(nest);
    func::CallOp::create(b, nest->getLoc(), target, args);
    nest->erase();
  }
};

} // namespace
