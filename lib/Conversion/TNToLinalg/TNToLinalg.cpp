//===- TNToLinalg.cpp - tn contractions to linalg.generic -----------------===//

#include "tn/Conversion/Passes.h"
#include "tn/Dialect/TN/IR/TNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::tn {
#define GEN_PASS_DEF_CONVERTTNTOLINALG
#include "tn/Conversion/Passes.h.inc"
} // namespace mlir::tn

using namespace mlir;
using namespace mlir::tn;

namespace {

Value zeroScalar(OpBuilder &b, Location loc, Type type) {
  if (auto complex = dyn_cast<ComplexType>(type)) {
    Attribute z = b.getFloatAttr(complex.getElementType(), 0.0);
    return complex::ConstantOp::create(b, loc, complex, b.getArrayAttr({z, z}));
  }
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, 0.0));
}

/// Lowers one contraction over `inputs` with index lists `lists` into a
/// linalg.generic producing `resultType` with indices `resultList`.
Value lowerContraction(OpBuilder &b, Location loc, ValueRange inputs,
                       ArrayRef<ArrayAttr> lists, ArrayAttr resultList,
                       RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  llvm::DenseMap<Attribute, unsigned> loopOf;
  unsigned numLoops = 0;
  for (Attribute name : resultList)
    loopOf.try_emplace(name, numLoops++);
  unsigned numParallel = numLoops;
  for (ArrayAttr list : lists)
    for (Attribute name : list)
      if (loopOf.try_emplace(name, numLoops).second)
        ++numLoops;

  SmallVector<AffineMap> maps;
  for (ArrayAttr list : lists) {
    SmallVector<AffineExpr> exprs;
    for (Attribute name : list)
      exprs.push_back(getAffineDimExpr(loopOf.lookup(name), ctx));
    maps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
  }
  SmallVector<AffineExpr> outExprs;
  for (unsigned d = 0; d < numParallel; ++d)
    outExprs.push_back(getAffineDimExpr(d, ctx));
  maps.push_back(AffineMap::get(numLoops, 0, outExprs, ctx));
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::reduction);
  for (unsigned d = 0; d < numParallel; ++d)
    iterators[d] = utils::IteratorType::parallel;

  Type elementType = resultType.getElementType();
  Value zero = zeroScalar(b, loc, elementType);
  Value empty =
      tensor::EmptyOp::create(b, loc, resultType.getShape(), elementType);
  Value init = linalg::FillOp::create(b, loc, ValueRange{zero},
                                      ValueRange{empty})
                   .getResult(0);
  bool isComplex = isa<ComplexType>(elementType);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        auto widen = [&](Value v) -> Value {
          if (v.getType() == elementType)
            return v;
          return arith::ExtFOp::create(nb, nloc, elementType, v);
        };
        Value product = widen(args[0]);
        for (size_t i = 1; i + 1 < args.size(); ++i) {
          Value x = widen(args[i]);
          product = isComplex
                        ? complex::MulOp::create(nb, nloc, product, x).getResult()
                        : arith::MulFOp::create(nb, nloc, product, x).getResult();
        }
        Value acc = args.back();
        Value sum = isComplex
                        ? complex::AddOp::create(nb, nloc, acc, product).getResult()
                        : arith::AddFOp::create(nb, nloc, acc, product).getResult();
        linalg::YieldOp::create(nb, nloc, sum);
      });
  return generic.getResult(0);
}

struct ConvertTNToLinalgPass
    : public tn::impl::ConvertTNToLinalgBase<ConvertTNToLinalgPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<ContractOp, NetworkOp>(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops) {
      rewriter.setInsertionPoint(op);
      Value result;
      if (auto contract = dyn_cast<ContractOp>(op)) {
        result = lowerContraction(
            rewriter, op->getLoc(), {contract.getLhs(), contract.getRhs()},
            {contract.getLhsIndices(), contract.getRhsIndices()},
            contract.getResultIndices(), contract.getType());
      } else {
        auto network = cast<NetworkOp>(op);
        SmallVector<ArrayAttr> lists;
        for (Attribute a : network.getOperandIndices())
          lists.push_back(cast<ArrayAttr>(a));
        if (network.getSlicedIndicesAttr() &&
            !network.getSlicedIndicesAttr().empty()) {
          op->emitError("sliced networks must be expanded first "
                        "(run tn-expand-network)");
          return signalPassFailure();
        }
        result = lowerContraction(rewriter, op->getLoc(), network.getInputs(),
                                  lists, network.getResultIndices(),
                                  network.getType());
      }
      rewriter.replaceOp(op, result);
    }
  }
};

} // namespace
