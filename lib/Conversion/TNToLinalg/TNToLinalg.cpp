//===- TNToLinalg.cpp - tn contractions to linalg.generic -----------------===//

#include "tn/Conversion/Passes.h"
#include "tn/Dialect/TN/IR/TNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>

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

  // Half-precision results accumulate in f32 and are rounded at the end.
  RankedTensorType storedType = resultType;
  Type elementType = resultType.getElementType();
  if (elementType.isF16() || elementType.isBF16()) {
    elementType = b.getF32Type();
    resultType = resultType.clone(elementType);
  }
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
  if (storedType == resultType)
    return generic.getResult(0);
  unsigned rank = storedType.getRank();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  Value out = tensor::EmptyOp::create(b, loc, storedType.getShape(),
                                      storedType.getElementType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{storedType}, ValueRange{generic.getResult(0)},
             ValueRange{out}, SmallVector<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value r = arith::TruncFOp::create(
                   nb, nloc, storedType.getElementType(), args[0]);
               linalg::YieldOp::create(nb, nloc, r);
             })
      .getResult(0);
}


//===----------------------------------------------------------------------===//
// TTGT: transpose, reshape, GEMM, reshape, transpose
//===----------------------------------------------------------------------===//

/// Reshapes a static tensor into `shape` (same number of elements) with
/// collapse_shape/expand_shape, which bufferize to views.
Value reshape(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  auto target = RankedTensorType::get(shape, type.getElementType());
  if (type.getRank() > target.getRank()) {
    if (auto re = getReassociationIndicesForReshape(type, target))
      return tensor::CollapseShapeOp::create(b, loc, target, v, *re);
  } else if (type.getRank() < target.getRank()) {
    if (auto re = getReassociationIndicesForReshape(target, type))
      return tensor::ExpandShapeOp::create(b, loc, target, v, *re);
  }
  // Through one dimension (or none, for one element).
  int64_t n = type.getNumElements();
  SmallVector<ReassociationIndices> all(1);
  for (int64_t d = 0; d < type.getRank(); ++d)
    all[0].push_back(d);
  Value flat = v;
  if (type.getRank() != 1) {
    auto flatType = RankedTensorType::get({n}, type.getElementType());
    flat = tensor::CollapseShapeOp::create(
        b, loc, flatType, v,
        type.getRank() == 0 ? SmallVector<ReassociationIndices>{} : all);
    if (type.getRank() == 0)
      flat = tensor::ExpandShapeOp::create(b, loc, flatType, v,
                                           SmallVector<ReassociationIndices>{});
  }
  SmallVector<ReassociationIndices> out(1);
  for (int64_t d = 0; d < target.getRank(); ++d)
    out[0].push_back(d);
  if (target.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(
      b, loc, target, flat,
      target.getRank() == 0 ? SmallVector<ReassociationIndices>{} : out);
}

/// Permutes the dimensions of `v` (result dim i = input dim perm[i]) and
/// converts its elements to `elementType`: a linalg.transpose, or one
/// linalg.generic when the element type changes (bf16 -> f32).
Value permute(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm,
              Type elementType) {
  auto type = cast<RankedTensorType>(v.getType());
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i)
    identity &= perm[i] == static_cast<int64_t>(i);
  bool convert = type.getElementType() != elementType;
  if (identity && !convert)
    return v;
  SmallVector<int64_t> shape;
  for (int64_t d : perm)
    shape.push_back(type.getDimSize(d));
  Value init = tensor::EmptyOp::create(b, loc, shape, elementType);
  if (!convert)
    return linalg::TransposeOp::create(b, loc, v, init, perm).getResult()[0];
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> in(perm.size());
  for (size_t i = 0; i < perm.size(); ++i)
    in[perm[i]] = getAffineDimExpr(i, ctx);
  unsigned rank = perm.size();
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, in, ctx),
                                 AffineMap::getMultiDimIdentityMap(rank, ctx)};
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{v}, ValueRange{init},
             maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value x = arith::ExtFOp::create(nb, nl, elementType, args[0]);
               linalg::YieldOp::create(nb, nl, x);
             })
      .getResult(0);
}

/// How one pairwise contraction is lowered.
enum class Strategy { Generic, TTGT };

struct PairPlan {
  // Index names per class, in the order of the GEMM operands.
  SmallVector<Attribute> batch, m, n, k;
  bool swap = false; // compute the result as B x A (N before M)
  double log2Flops = 0, log2Copies = -INFINITY;
};

int64_t positionIn(ArrayAttr list, Attribute name) {
  for (auto [i, a] : llvm::enumerate(list))
    if (a == name)
      return i;
  return -1;
}

/// Classifies the indices of a pairwise contraction for TTGT. Fails (the
/// generic lowering then handles it) on traces and on indices summed inside
/// one operand, and when there is nothing to contract (outer products and
/// batched elementwise products are memory-bound either way).
std::optional<PairPlan> planPair(ArrayAttr la, ArrayAttr lb, ArrayAttr lc,
                                 RankedTensorType ta, RankedTensorType tb) {
  auto unique = [](ArrayAttr l) {
    llvm::SmallDenseSet<Attribute> seen;
    for (Attribute a : l)
      if (!seen.insert(a).second)
        return false;
    return true;
  };
  if (!unique(la) || !unique(lb))
    return std::nullopt;
  DenseMap<Attribute, int64_t> extent;
  for (auto [i, a] : llvm::enumerate(la))
    extent[a] = ta.getDimSize(i);
  for (auto [i, a] : llvm::enumerate(lb))
    extent[a] = tb.getDimSize(i);
  PairPlan plan;
  auto inList = [](ArrayAttr l, Attribute a) { return positionIn(l, a) >= 0; };
  for (Attribute a : lc) {
    bool inA = inList(la, a), inB = inList(lb, a);
    (inA && inB ? plan.batch : inA ? plan.m : plan.n).push_back(a);
  }
  for (Attribute a : la) {
    bool inB = inList(lb, a), inC = inList(lc, a);
    if (!inB && !inC)
      return std::nullopt; // summed in A alone
    if (inB && !inC)
      plan.k.push_back(a);
  }
  for (Attribute a : lb)
    if (!inList(la, a) && !inList(lc, a))
      return std::nullopt; // summed in B alone
  if (plan.k.empty())
    return std::nullopt;
  double flops = 0;
  for (auto *group : {&plan.batch, &plan.m, &plan.n, &plan.k})
    for (Attribute a : *group)
      flops += std::log2(static_cast<double>(extent[a]));
  plan.log2Flops = flops;
  return plan;
}

/// Sizes of the copies TTGT makes for `plan` (log2 of elements, -inf if
/// none), choosing the K order of the larger operand and the GEMM operand
/// order that matches the result.
void costCopies(PairPlan &plan, ArrayAttr la, ArrayAttr lb, ArrayAttr lc,
                RankedTensorType ta, RankedTensorType tb,
                RankedTensorType tc) {
  // K in the order of the larger operand (the other is copied if needed).
  ArrayAttr kOrder = ta.getNumElements() >= tb.getNumElements() ? la : lb;
  llvm::sort(plan.k, [&](Attribute x, Attribute y) {
    return positionIn(kOrder, x) < positionIn(kOrder, y);
  });
  auto order = [](std::initializer_list<ArrayRef<Attribute>> parts) {
    SmallVector<Attribute> out;
    for (ArrayRef<Attribute> p : parts)
      out.append(p.begin(), p.end());
    return out;
  };
  auto same = [](ArrayRef<Attribute> want, ArrayAttr have) {
    if (want.size() != have.size())
      return false;
    for (size_t i = 0; i < want.size(); ++i)
      if (want[i] != have[i])
        return false;
    return true;
  };
  // With A as the left GEMM operand: A [batch, M, K], B [batch, K, N],
  // result [batch, M, N]. Swapped: B [batch, N, K], A [batch, K, M],
  // result [batch, N, M]. The cheaper of the two.
  auto copiesFor = [&](bool swap) {
    double copies = 0;
    ArrayRef<Attribute> p = swap ? plan.n : plan.m, q = swap ? plan.m : plan.n;
    ArrayAttr ll = swap ? lb : la, lr = swap ? la : lb;
    RankedTensorType tl = swap ? tb : ta, tr = swap ? ta : tb;
    if (!same(order({plan.batch, p, plan.k}), ll))
      copies += static_cast<double>(tl.getNumElements());
    if (!same(order({plan.batch, plan.k, q}), lr))
      copies += static_cast<double>(tr.getNumElements());
    if (!same(order({plan.batch, p, q}), lc))
      copies += static_cast<double>(tc.getNumElements());
    return copies;
  };
  double direct = copiesFor(false), swapped = copiesFor(true);
  plan.swap = swapped < direct;
  double copies = std::min(direct, swapped);
  plan.log2Copies = copies > 0 ? std::log2(copies) : -INFINITY;
}

/// Lowers A[la] * B[lb] -> C[lc] by TTGT for `plan`.
Value lowerTTGT(OpBuilder &b, Location loc, Value a, Value bv, ArrayAttr la,
                ArrayAttr lb, ArrayAttr lc, RankedTensorType resultType,
                const PairPlan &plan) {
  Type elementType = resultType.getElementType();
  auto ta = cast<RankedTensorType>(a.getType());
  auto tb = cast<RankedTensorType>(bv.getType());
  DenseMap<Attribute, int64_t> extent;
  for (auto [i, x] : llvm::enumerate(la))
    extent[x] = ta.getDimSize(i);
  for (auto [i, x] : llvm::enumerate(lb))
    extent[x] = tb.getDimSize(i);
  auto product = [&](ArrayRef<Attribute> group) {
    int64_t p = 1;
    for (Attribute x : group)
      p *= extent[x];
    return p;
  };
  // Left operand L[batch, P, K], right R[batch, K, Q].
  Value left = plan.swap ? bv : a, right = plan.swap ? a : bv;
  ArrayAttr ll = plan.swap ? lb : la, lr = plan.swap ? la : lb;
  ArrayRef<Attribute> p = plan.swap ? plan.n : plan.m;
  ArrayRef<Attribute> q = plan.swap ? plan.m : plan.n;
  auto perm = [&](ArrayAttr list, std::initializer_list<ArrayRef<Attribute>> parts) {
    SmallVector<int64_t> out;
    for (ArrayRef<Attribute> part : parts)
      for (Attribute x : part)
        out.push_back(positionIn(list, x));
    return out;
  };
  bool batched = !plan.batch.empty();
  int64_t nb = product(plan.batch), np = product(p), nq = product(q),
          nk = product(plan.k);
  auto shape3 = [&](int64_t x, int64_t y) {
    return batched ? SmallVector<int64_t>{nb, x, y} : SmallVector<int64_t>{x, y};
  };
  Value l3 = reshape(b, loc,
                     permute(b, loc, left, perm(ll, {plan.batch, p, plan.k}),
                             elementType),
                     shape3(np, nk));
  Value r3 = reshape(b, loc,
                     permute(b, loc, right, perm(lr, {plan.batch, plan.k, q}),
                             elementType),
                     shape3(nk, nq));
  SmallVector<int64_t> cShape = shape3(np, nq);
  Value zero = zeroScalar(b, loc, elementType);
  Value empty = tensor::EmptyOp::create(b, loc, cShape, elementType);
  Value init =
      linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
          .getResult(0);
  auto cType = RankedTensorType::get(cShape, elementType);
  Value c3 = batched ? linalg::BatchMatmulOp::create(b, loc, TypeRange{cType},
                                                     ValueRange{l3, r3},
                                                     ValueRange{init})
                           .getResult(0)
                     : linalg::MatmulOp::create(b, loc, TypeRange{cType},
                                                ValueRange{l3, r3},
                                                ValueRange{init})
                           .getResult(0);
  // Back to [batch, P, Q] with the original extents, then to the result order.
  SmallVector<Attribute> produced;
  produced.append(plan.batch.begin(), plan.batch.end());
  produced.append(p.begin(), p.end());
  produced.append(q.begin(), q.end());
  SmallVector<int64_t> producedShape;
  for (Attribute x : produced)
    producedShape.push_back(extent[x]);
  Value c = reshape(b, loc, c3, producedShape);
  SmallVector<int64_t> toResult;
  for (Attribute x : lc)
    toResult.push_back(llvm::find(produced, x) - produced.begin());
  return permute(b, loc, c, toResult, elementType);
}

struct ConvertTNToLinalgPass
    : public tn::impl::ConvertTNToLinalgBase<ConvertTNToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    if (strategy != "auto" && strategy != "ttgt" && strategy != "generic") {
      getOperation()->emitError("convert-tn-to-linalg: unknown strategy '")
          << strategy << "' (expected auto, ttgt or generic)";
      return signalPassFailure();
    }
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
        ArrayAttr la = contract.getLhsIndices(), lb = contract.getRhsIndices(),
                  lc = contract.getResultIndices();
        auto ta = cast<RankedTensorType>(contract.getLhs().getType());
        auto tb = cast<RankedTensorType>(contract.getRhs().getType());
        Value lhs = contract.getLhs(), rhs = contract.getRhs();
        std::optional<PairPlan> plan;
        if (strategy != "generic") {
          // Traces and indices summed inside one operand are reduced first
          // (a pass over that operand), leaving a plain pairwise product.
          Type elementType = contract.getType().getElementType();
          auto reduceAlone = [&](Value &v, ArrayAttr &list, ArrayAttr other) {
            auto type = cast<RankedTensorType>(v.getType());
            SmallVector<Attribute> keep;
            SmallVector<int64_t> shape;
            llvm::SmallDenseSet<Attribute> seen;
            for (auto [i, x] : llvm::enumerate(list))
              if ((positionIn(other, x) >= 0 || positionIn(lc, x) >= 0) &&
                  seen.insert(x).second) {
                keep.push_back(x);
                shape.push_back(type.getDimSize(i));
              }
            if (keep.size() == list.size())
              return;
            ArrayAttr kept = rewriter.getArrayAttr(keep);
            v = lowerContraction(rewriter, op->getLoc(), {v}, {list}, kept,
                                 RankedTensorType::get(shape, elementType));
            list = kept;
          };
          reduceAlone(lhs, la, lb);
          reduceAlone(rhs, lb, la);
          ta = cast<RankedTensorType>(lhs.getType());
          tb = cast<RankedTensorType>(rhs.getType());
          plan = planPair(la, lb, lc, ta, tb);
        }
        if (plan && (contract.getType().getElementType().isF16() ||
                     contract.getType().getElementType().isBF16()))
          plan.reset(); // half-precision results: the generic path rounds once
        if (plan) {
          costCopies(*plan, la, lb, lc, ta, tb, contract.getType());
          // A copied element costs about as much as `copyCost` multiply-adds
          // of a GEMM; below `minGemmFlops` the GEMM is not worth the set-up.
          bool worth = plan->log2Flops >= std::log2(std::max(1.0, static_cast<double>(minGemmFlops))) &&
                       plan->log2Copies + std::log2(std::max(1e-9, static_cast<double>(copyCost))) <=
                           plan->log2Flops;
          if (strategy == "ttgt" || worth) {
            rewriter.replaceOp(op, lowerTTGT(rewriter, op->getLoc(), lhs,
                                             rhs, la, lb, lc,
                                             contract.getType(), *plan));
            continue;
          }
        }
        result = lowerContraction(rewriter, op->getLoc(), {lhs, rhs}, {la, lb},
                                  lc, contract.getType());
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
