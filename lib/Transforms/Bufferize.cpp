//===- Bufferize.cpp - Bufferization passes of the CPU pipeline -----------===//
//
// tn-cpu-bufferize: one-shot module bufferization (identity layouts at
// function boundaries, strided copies as linalg.copy) followed by
// buffer-results-to-out-params with hoisted static allocations.
//
// tn-hoist-static-allocs: scratch buffers (packing buffers of the CPU
// schedule) allocated once per call, or per thread, instead of per tile.
//
//===----------------------------------------------------------------------===//

#include "tn/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/Transforms/Bufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/Sequence.h"

namespace mlir::tn {
#define GEN_PASS_DEF_TNCPUBUFFERIZE
#define GEN_PASS_DEF_TNHOISTSTATICALLOCS
#include "tn/Transforms/Passes.h.inc"
} // namespace mlir::tn

using namespace mlir;

namespace {

/// True if `t` is a ranked memref whose innermost dimension is static and
/// contiguous, with an element type vectors can hold.
bool vectorizableBuffer(Type t) {
  auto m = dyn_cast<MemRefType>(t);
  if (!m || m.getRank() == 0 || m.isDynamicDim(m.getRank() - 1))
    return false;
  Type elt = m.getElementType();
  if (!elt.isIntOrIndexOrFloat() || !VectorType::isValidElementType(elt))
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(m.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// Loops over the outer dimensions of `dst` and, along the innermost one,
/// chunks of up to 64 elements: body(builder, indices, vector type).
void emitVectorLoops(
    OpBuilder &b, Location loc, Value dst,
    function_ref<void(OpBuilder &, ValueRange, VectorType)> body) {
  auto type = cast<MemRefType>(dst.getType());
  int64_t rank = type.getRank(), inner = type.getDimSize(rank - 1);
  SmallVector<Value> ivs;
  std::function<void(OpBuilder &, int64_t)> build = [&](OpBuilder &nb,
                                                        int64_t dim) {
    if (dim == rank - 1) {
      for (int64_t off = 0; off < inner; off += 64) {
        SmallVector<Value> idx(ivs);
        idx.push_back(arith::ConstantIndexOp::create(nb, loc, off));
        body(nb, idx,
             VectorType::get({std::min<int64_t>(64, inner - off)},
                             type.getElementType()));
      }
      return;
    }
    Value lb = arith::ConstantIndexOp::create(nb, loc, 0);
    Value one = arith::ConstantIndexOp::create(nb, loc, 1);
    Value ub = memref::DimOp::create(nb, loc, dst, dim);
    scf::ForOp::create(nb, loc, lb, ub, one, ValueRange{},
                       [&](OpBuilder &inner, Location, Value iv, ValueRange) {
                         ivs.push_back(iv);
                         build(inner, dim + 1);
                         ivs.pop_back();
                         scf::YieldOp::create(inner, loc);
                       });
  };
  build(b, 0);
}

/// Copies `src` into `dst` as loops of vector transfers along `dst`'s
/// innermost dimension; output dimension i reads input dimension perm[i]
/// (the innermost stays in place).
void emitVectorCopy(OpBuilder &b, Location loc, Value src, Value dst,
                    ArrayRef<int64_t> perm) {
  Type elt = cast<MemRefType>(src.getType()).getElementType();
  Value pad = arith::ConstantOp::create(b, loc, b.getZeroAttr(elt));
  emitVectorLoops(b, loc, dst,
                  [&](OpBuilder &nb, ValueRange idx, VectorType vt) {
                    SmallVector<Value> srcIdx(idx.size());
                    for (auto [i, p] : llvm::enumerate(perm))
                      srcIdx[p] = idx[i];
                    Value v = vector::TransferReadOp::create(
                        nb, loc, vt, src, srcIdx, pad, ArrayRef<bool>{true});
                    vector::TransferWriteOp::create(nb, loc, v, dst, idx,
                                                    ArrayRef<bool>{true});
                  });
}

/// Copies between buffers. Contiguous buffers: memref.copy (a memcpy).
/// Anything else: linalg.copy, which vectorizeCopies turns into vector loops
/// where it can, once the copies of a view onto itself are gone (cleanup).
LogicalResult createCopy(OpBuilder &b, Location loc, Value from, Value to) {
  auto fromType = dyn_cast<MemRefType>(from.getType());
  auto toType = dyn_cast<MemRefType>(to.getType());
  if (!fromType || !toType ||
      (fromType.getLayout().isIdentity() && toType.getLayout().isIdentity())) {
    memref::CopyOp::create(b, loc, from, to);
    return success();
  }
  linalg::CopyOp::create(b, loc, from, to);
  return success();
}

/// Copies between strided buffers with a static, contiguous innermost
/// dimension (the packing copies of the CPU schedule, a split op's part
/// written back): loops of vector transfers (llc does not vectorize loops;
/// the strided memref.copy calls a runtime library).
void vectorizeCopies(ModuleOp module) {
  SmallVector<linalg::CopyOp> copies;
  module.walk([&](linalg::CopyOp op) {
    if (!op.hasPureBufferSemantics())
      return;
    Type from = op.getDpsInputs()[0].getType(),
         to = op.getDpsInits()[0].getType();
    if (vectorizableBuffer(from) && vectorizableBuffer(to) &&
        cast<MemRefType>(from).getShape() == cast<MemRefType>(to).getShape() &&
        cast<MemRefType>(from).getElementType() ==
            cast<MemRefType>(to).getElementType())
      copies.push_back(op);
  });
  for (linalg::CopyOp op : copies) {
    OpBuilder b(op);
    Value to = op.getDpsInits()[0];
    emitVectorCopy(b, op.getLoc(), op.getDpsInputs()[0], to,
                   llvm::to_vector(llvm::seq<int64_t>(
                       0, cast<MemRefType>(to.getType()).getRank())));
    op->erase();
  }
}

/// Fills of buffers (linalg.fill, and the linalg.map yielding a value from
/// outside that a tensor.pad bufferizes to) as loops of vector stores.
void vectorizeFills(ModuleOp module) {
  SmallVector<std::pair<Operation *, Value>> fills; // op, value
  module.walk([&](Operation *op) {
    if (auto fill = dyn_cast<linalg::FillOp>(op)) {
      if (fill.hasPureBufferSemantics())
        fills.push_back({op, fill.getDpsInputs()[0]});
    } else if (auto map = dyn_cast<linalg::MapOp>(op)) {
      if (!map.hasPureBufferSemantics() || !map.getInputs().empty())
        return;
      auto yield =
          cast<linalg::YieldOp>(map.getMapper().front().getTerminator());
      Value v = yield.getNumOperands() == 1 ? yield.getOperand(0) : Value();
      if (v && v.getParentRegion() != &map.getMapper())
        fills.push_back({op, v});
    }
  });
  for (auto [op, value] : fills) {
    Value dst = cast<DestinationStyleOpInterface>(op).getDpsInits()[0];
    if (!vectorizableBuffer(dst.getType()) ||
        value.getType() != cast<MemRefType>(dst.getType()).getElementType())
      continue;
    OpBuilder b(op);
    Location loc = op->getLoc();
    emitVectorLoops(
        b, loc, dst, [&](OpBuilder &nb, ValueRange idx, VectorType vt) {
          Value splat = vector::BroadcastOp::create(nb, loc, vt, value);
          vector::TransferWriteOp::create(nb, loc, splat, dst, idx,
                                          ArrayRef<bool>{true});
        });
    op->erase();
  }
}

/// Transposes that keep the innermost dimension in place (TTGT's permutes
/// of outer indices) copy contiguous rows: loops of vector transfers along
/// the innermost dimension, like the strided copies, instead of scalar loops.
void vectorizeRowTransposes(ModuleOp module) {
  SmallVector<linalg::TransposeOp> transposes;
  module.walk([&](linalg::TransposeOp op) {
    ArrayRef<int64_t> perm = op.getPermutation();
    if (op.hasPureBufferSemantics() && !perm.empty() &&
        perm.back() == static_cast<int64_t>(perm.size()) - 1 &&
        vectorizableBuffer(op.getInput().getType()) &&
        vectorizableBuffer(op.getInit().getType()))
      transposes.push_back(op);
  });
  for (linalg::TransposeOp op : transposes) {
    OpBuilder b(op);
    emitVectorCopy(b, op.getLoc(), op.getInput(), op.getInit(),
                   op.getPermutation());
    op->erase();
  }
}

/// Results that are reshapes of a fresh allocation (TTGT's expand_shape of a
/// GEMM result) are copied into their out-parameter after the fact:
/// `memref.copy (expand_shape %alloc), %out`. Computes them in place
/// instead: %alloc becomes the inverse reshape of %out and the copy goes,
/// when %out has no other use and nothing touches %alloc after the copy.
void computeReshapedResultsInPlace(func::FuncOp func) {
  if (func.isExternal())
    return;
  Block &entry = func.getBody().front();
  SmallVector<memref::CopyOp> copies;
  for (auto copy : entry.getOps<memref::CopyOp>())
    copies.push_back(copy);
  for (memref::CopyOp copy : copies) {
    auto out = dyn_cast<BlockArgument>(copy.getTarget());
    if (!out || out.getOwner() != &entry || !out.hasOneUse())
      continue;
    // The chain of reshapes from the allocation to the copied value.
    SmallVector<Operation *> reshapes;
    Value v = copy.getSource();
    while (Operation *def = v.getDefiningOp()) {
      if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def))
        break;
      reshapes.push_back(def);
      v = def->getOperand(0);
    }
    auto alloc = v.getDefiningOp<memref::AllocOp>();
    if (reshapes.empty() || !alloc || alloc->getBlock() != &entry ||
        alloc->getNumOperands() != 0 ||
        !alloc.getType().getLayout().isIdentity() ||
        alloc.getType().getMemorySpace() !=
            cast<MemRefType>(out.getType()).getMemorySpace())
      continue;
    // Every use of the allocation and its views lies before the copy.
    bool usedAfter = false;
    SmallVector<Value> worklist{alloc.getResult()};
    while (!worklist.empty() && !usedAfter) {
      Value w = worklist.pop_back_val();
      for (Operation *user : w.getUsers()) {
        if (user == copy)
          continue;
        Operation *top = entry.findAncestorOpInBlock(*user);
        if (!top || !top->isBeforeInBlock(copy)) {
          usedAfter = true;
          break;
        }
        if (isa<ViewLikeOpInterface, memref::CastOp>(user))
          for (Value r : user->getResults())
            worklist.push_back(r);
      }
    }
    if (usedAfter)
      continue;
    // %out reshaped back, step by step, to the allocation's type.
    OpBuilder b(alloc);
    Value inPlace = out;
    for (Operation *r : reshapes) {
      if (auto expand = dyn_cast<memref::ExpandShapeOp>(r))
        inPlace = memref::CollapseShapeOp::create(
            b, r->getLoc(), inPlace, expand.getReassociationIndices());
      else {
        auto collapse = cast<memref::CollapseShapeOp>(r);
        inPlace = memref::ExpandShapeOp::create(
            b, r->getLoc(), collapse.getSrcType().getShape(), inPlace,
            collapse.getReassociationIndices());
      }
    }
    if (inPlace.getType() != alloc.getType()) {
      for (Operation *op = inPlace.getDefiningOp(); op && op != alloc;) {
        Operation *prev = op->getOperand(0).getDefiningOp();
        op->erase();
        op = prev;
      }
      continue;
    }
    alloc.replaceAllUsesWith(inPlace);
    alloc->erase();
    copy->erase();
  }
}

struct CPUBufferizePass
    : public tn::impl::TNCPUBufferizeBase<CPUBufferizePass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    memref::registerAllocationOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    bufferization::OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        bufferization::LayoutMapOption::IdentityLayoutMap);
    options.memCpyFn = createCopy;
    options.allowReturnAllocsFromLoops = true;
    bufferization::BufferizationState state;
    if (failed(
            bufferization::runOneShotModuleBufferize(module, options, state)))
      return signalPassFailure();
    // Loops that yielded tensors now yield the buffer they write in place:
    // fold them so that results are visibly the allocations.
    if (failed(cleanup(module)))
      return signalPassFailure();
    if (!outParams) {
      vectorizeFills(module);
      vectorizeRowTransposes(module);
      vectorizeCopies(module);
      return;
    }
    // Results that are (views of) arguments written in place are dropped;
    // functions with dynamically shaped results keep returning memrefs.
    if (failed(bufferization::dropEquivalentBufferResults(module)))
      return signalPassFailure();
    bufferization::BufferResultsToOutParamsOpts outOptions;
    outOptions.filterFn = [](func::FuncOp *func) {
      return llvm::all_of(func->getResultTypes(), [](Type t) {
        auto m = dyn_cast<MemRefType>(t);
        return !m || m.hasStaticShape();
      });
    };
    outOptions.hoistStaticAllocs = true;
    outOptions.modifyPublicFunctions = true;
    outOptions.memCpyFn = createCopy;
    if (failed(
            bufferization::promoteBufferResultsToOutParams(module, outOptions)))
      return signalPassFailure();
    module.walk(computeReshapedResultsInPlace);
    if (failed(cleanup(module)))
      return signalPassFailure();
    vectorizeFills(module);
    vectorizeRowTransposes(module);
    vectorizeCopies(module);
  }

  /// Canonicalization and CSE; copies of a view onto itself (from the
  /// insert_slice of an in-place result) become visible after CSE and are
  /// erased.
  LogicalResult cleanup(ModuleOp module) {
    OpPassManager pm(ModuleOp::getOperationName());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    if (failed(runPipeline(pm, module)))
      return failure();
    module.walk([](Operation *op) {
      if (auto copy = dyn_cast<linalg::CopyOp>(op)) {
        if (copy.hasPureBufferSemantics() &&
            copy.getDpsInputs()[0] == copy.getDpsInits()[0])
          copy.erase();
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        if (copy.getSource() == copy.getTarget())
          copy.erase();
      }
    });
    return success();
  }
};

/// True if no view of `alloc` escapes: every (transitive) user is an
/// ordinary access, not a terminator passing it on, a store of the pointer,
/// a call or a dealloc.
bool staysLocal(Value alloc) {
  SmallVector<Value> worklist{alloc};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (user->hasTrait<OpTrait::IsTerminator>() ||
          isa<CallOpInterface, memref::DeallocOp, bufferization::ToTensorOp>(
              user))
        return false;
      if (auto store = dyn_cast<memref::StoreOp>(user))
        if (store.getValueToStore() == v)
          return false;
      if (isa<ViewLikeOpInterface, memref::CastOp>(user)) {
        for (Value r : user->getResults())
          worklist.push_back(r);
        continue;
      }
      // Any other op returning a memref derived from it: give up.
      if (llvm::any_of(user->getResultTypes(),
                       [](Type t) { return isa<BaseMemRefType>(t); }))
        return false;
    }
  }
  return true;
}

struct HoistStaticAllocsPass
    : public tn::impl::TNHoistStaticAllocsBase<HoistStaticAllocsPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocOp> allocs;
    getOperation().walk([&](memref::AllocOp op) {
      if (op->getNumOperands() == 0 && op.getType().hasStaticShape())
        allocs.push_back(op);
    });
    for (memref::AllocOp alloc : allocs) {
      Operation *outermost = nullptr;
      for (Operation *parent = alloc->getParentOp();
           parent && !isa<FunctionOpInterface>(parent);
           parent = parent->getParentOp()) {
        if (isa<scf::ForOp, scf::WhileOp>(parent)) {
          outermost = parent;
          continue;
        }
        // Parallel loops, OpenMP and anything unknown: each iteration or
        // thread keeps its own buffer.
        if (!isa<scf::IfOp, scf::IndexSwitchOp, scf::ExecuteRegionOp>(parent))
          break;
      }
      if (!outermost || !staysLocal(alloc.getResult()))
        continue;
      alloc->moveBefore(outermost);
    }
  }
};

} // namespace
