//===- TNToLinalg.cpp - tn contractions to linalg.generic -----------------===//

#include "tn/Conversion/Passes.h"
#include "tn/Dialect/TN/IR/TNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Sequence.h"

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
  // Through one dimension: collapse everything, then expand to the target
  // (a rank-0 tensor is expanded to, or collapsed from, one element).
  auto allDims = [](int64_t rank) {
    SmallVector<ReassociationIndices> groups;
    if (rank > 0)
      groups.emplace_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    return groups;
  };
  auto flatType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  Value flat = v;
  if (type.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, v, allDims(0));
  else if (type.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, v,
                                           allDims(type.getRank()));
  if (target.getRank() == 1)
    return flat;
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, flat, allDims(0));
  return tensor::ExpandShapeOp::create(b, loc, target, flat,
                                       allDims(target.getRank()));
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
  // Leading indices of the result kept as loops of the product ("outer"):
  // batch indices, or free indices of one operand over which the other
  // operand is broadcast (a batched GEMM whose batch is, e.g., the leading
  // free indices of the larger operand, so that neither it nor the result
  // is copied). The other index names per class, in the order of the GEMM
  // operands.
  SmallVector<Attribute> outer, batch, m, n, k;
  bool swap = false; // compute the result as B x A (N before M)
  // Vectors along P instead of Q (one linalg.generic, loops [.., Q, P, K],
  // the left operand laid out [.., K, P] and passed second): when the
  // result's rows (Q) are short and its columns (P) long, e.g. the 10-wide
  // rows of a batched [80 x 128] x [128 x 10] product; the CPU schedule
  // stores each register tile transposed.
  bool vectorP = false;
  double log2Flops = 0, log2Copies = -INFINITY;
};

int64_t positionIn(ArrayRef<Attribute> list, Attribute name) {
  for (auto [i, a] : llvm::enumerate(list))
    if (a == name)
      return i;
  return -1;
}

int64_t positionIn(ArrayAttr list, Attribute name) {
  return positionIn(list.getValue(), name);
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
  if (!unique(la) || !unique(lb) || !unique(lc))
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

/// Copies of more bytes than this count 4 times.
constexpr double kCachedCopyBytes = 1024.0 * 1024.0;

/// Chooses how TTGT lays out the product of `plan`: which leading result
/// indices stay outer loops (none: a plain [batch,] GEMM), which operand is
/// the left one, and the order of the contracted indices (the larger
/// operand's). Each choice is scored in multiply-add equivalents:
/// `copyCost` per element copied into GEMM order (an operand, or the
/// result out of it; 4 times that beyond 1 MiB) plus the multiply-adds,
/// scaled by the fraction of vector lanes wasted when the GEMM's vector
/// dimension (the product of the trailing free indices; with `vectorP`, of
/// the left operand's free indices) is short: a row is rounded up to 64
/// bytes (one cache line, one AVX-512 register), plus 2 per result element
/// for a transposed register tile. The cheapest choice wins; ties go to
/// fewer outer loops, then to the unswapped product, then to vectors along
/// the result's rows.
void choosePlan(PairPlan &plan, ArrayAttr la, ArrayAttr lb, ArrayAttr lc,
                RankedTensorType ta, RankedTensorType tb, RankedTensorType tc,
                double copyCost) {
  // K in the order of the larger operand (the other is copied if needed).
  ArrayAttr kOrder = ta.getNumElements() >= tb.getNumElements() ? la : lb;
  llvm::sort(plan.k, [&](Attribute x, Attribute y) {
    return positionIn(kOrder, x) < positionIn(kOrder, y);
  });
  DenseMap<Attribute, int64_t> extent;
  for (auto [i, x] : llvm::enumerate(la))
    extent[x] = ta.getDimSize(i);
  for (auto [i, x] : llvm::enumerate(lb))
    extent[x] = tb.getDimSize(i);
  unsigned elementBytes = 4;
  Type et = tc.getElementType();
  if (auto complex = dyn_cast<ComplexType>(et))
    elementBytes = 2 * complex.getElementType().getIntOrFloatBitWidth() / 8;
  else if (et.isIntOrFloat())
    elementBytes = std::max(1u, et.getIntOrFloatBitWidth() / 8);
  auto same = [](ArrayRef<Attribute> want, ArrayAttr have) {
    if (want.size() != have.size())
      return false;
    for (size_t i = 0; i < want.size(); ++i)
      if (want[i] != have[i])
        return false;
    return true;
  };
  auto without = [](ArrayRef<Attribute> list, ArrayRef<Attribute> drop) {
    SmallVector<Attribute> out;
    for (Attribute x : list)
      if (!llvm::is_contained(drop, x))
        out.push_back(x);
    return out;
  };
  auto within = [](ArrayRef<Attribute> list, ArrayAttr holder) {
    SmallVector<Attribute> out;
    for (Attribute x : list)
      if (positionIn(holder, x) >= 0)
        out.push_back(x);
    return out;
  };
  auto concat = [](std::initializer_list<ArrayRef<Attribute>> parts) {
    SmallVector<Attribute> out;
    for (ArrayRef<Attribute> p : parts)
      out.append(p.begin(), p.end());
    return out;
  };
  // A copy larger than the caches is memory-bound both ways: it counts 4
  // times (measured on the CPU of docs/performance.md: a transpose of 2.6 M
  // f32 elements took 0.45-0.8 ns per element, 36-63 multiply-adds of its
  // GEMMs; the default `copy-cost` is 8).
  auto copied = [&](RankedTensorType t) {
    double n = static_cast<double>(t.getNumElements());
    return n * elementBytes > kCachedCopyBytes ? 4.0 * n : n;
  };
  double flops = std::exp2(plan.log2Flops);
  PairPlan best = plan;
  double bestScore = INFINITY, bestCopies = 0;
  for (size_t j = 0; j <= lc.size(); ++j) {
    SmallVector<Attribute> outer(lc.getValue().take_front(j));
    SmallVector<Attribute> batch = without(plan.batch, outer),
                           m = without(plan.m, outer),
                           n = without(plan.n, outer);
    // Outer loops made only of batch indices are the plain batched GEMM.
    if (j > 0 && llvm::all_of(outer, [&](Attribute x) {
          return llvm::is_contained(plan.batch, x);
        }))
      continue;
    for (bool swap : {false, true}) {
      // Left L[outer of L, batch, P, K] (vectorP: [.., K, P]), right
      // R[outer of R, batch, K, Q], result [outer, batch, P, Q].
      ArrayRef<Attribute> p = swap ? n : m, q = swap ? m : n;
      ArrayAttr ll = swap ? lb : la, lr = swap ? la : lb;
      RankedTensorType tl = swap ? tb : ta, tr = swap ? ta : tb;
      double pBytes = elementBytes, qBytes = elementBytes;
      for (Attribute x : p)
        pBytes *= static_cast<double>(extent[x]);
      for (Attribute x : q)
        qBytes *= static_cast<double>(extent[x]);
      for (bool vectorP : {false, true}) {
        // Only where the rows are short and the columns are not, and for
        // the element types the CPU schedule vectorizes.
        // (Rows of one element are a matrix-vector product: vectors along
        // P without a transpose, e.g. the swapped plan.)
        if (vectorP && (p.empty() || qBytes >= 64 || qBytes <= elementBytes ||
                        pBytes < 64 || !isa<FloatType>(et)))
          continue;
        double copies = 0;
        SmallVector<Attribute> leftOrder =
            vectorP ? concat({within(outer, ll), batch, plan.k, p})
                    : concat({within(outer, ll), batch, p, plan.k});
        if (!same(leftOrder, ll))
          copies += copied(tl);
        if (!same(concat({within(outer, lr), batch, plan.k, q}), lr))
          copies += copied(tr);
        if (!same(concat({outer, batch, p, q}), lc))
          copies += copied(tc);
        double rowBytes = vectorP ? pBytes : qBytes;
        double waste = std::ceil(rowBytes / 64.0) * 64.0 / rowBytes;
        // A transposed register tile costs a few shuffles per element of
        // the result, written once.
        double transposes =
            vectorP ? 2.0 * static_cast<double>(tc.getNumElements()) : 0.0;
        double score = copyCost * copies + flops * waste + transposes;
        if (score < bestScore) {
          bestScore = score;
          bestCopies = copies;
          best.outer = outer;
          best.batch = batch;
          best.m = m;
          best.n = n;
          best.swap = swap;
          best.vectorP = vectorP;
        }
      }
    }
  }
  best.log2Copies = bestCopies > 0 ? std::log2(bestCopies) : -INFINITY;
  plan = best;
}

/// The multiply-accumulate body of a contraction into `elementType`.
void mulAddBody(OpBuilder &nb, Location nloc, ValueRange args,
                Type elementType) {
  Value x = args[0], y = args[1];
  if (isa<ComplexType>(elementType)) {
    Value prod = complex::MulOp::create(nb, nloc, x, y);
    linalg::YieldOp::create(
        nb, nloc, complex::AddOp::create(nb, nloc, args[2], prod).getResult());
    return;
  }
  Value prod = arith::MulFOp::create(nb, nloc, x, y);
  linalg::YieldOp::create(
      nb, nloc, arith::AddFOp::create(nb, nloc, args[2], prod).getResult());
}

/// Lowers A[la] * B[lb] -> C[lc] by TTGT for `plan`.
Value lowerTTGT(OpBuilder &b, Location loc, Value a, Value bv, ArrayAttr la,
                ArrayAttr lb, ArrayAttr lc, RankedTensorType resultType,
                const PairPlan &plan) {
  Type elementType = resultType.getElementType();
  MLIRContext *ctx = b.getContext();
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
  // Outer loops of batch indices only are the batch of a named batched GEMM.
  bool broadcast = llvm::any_of(plan.outer, [&](Attribute x) {
    return !llvm::is_contained(la.getValue(), x) ||
           !llvm::is_contained(lb.getValue(), x);
  });
  SmallVector<Attribute> outer, batch;
  if (broadcast) {
    outer = plan.outer;
    batch = plan.batch;
  } else {
    batch = plan.outer;
    batch.append(plan.batch.begin(), plan.batch.end());
  }
  // Left operand L[outer, batch, P, K], right R[outer, batch, K, Q].
  Value left = plan.swap ? bv : a, right = plan.swap ? a : bv;
  ArrayAttr ll = plan.swap ? lb : la, lr = plan.swap ? la : lb;
  ArrayRef<Attribute> p = plan.swap ? plan.n : plan.m;
  ArrayRef<Attribute> q = plan.swap ? plan.m : plan.n;
  SmallVector<Attribute> outerL, outerR;
  for (Attribute x : outer) {
    if (positionIn(ll, x) >= 0)
      outerL.push_back(x);
    if (positionIn(lr, x) >= 0)
      outerR.push_back(x);
  }
  // Operands are permuted by the index names; `outer` below may be fused.
  SmallVector<Attribute> namedOuter(outer), namedOuterL(outerL),
      namedOuterR(outerR);
  auto perm = [&](ArrayAttr list, std::initializer_list<ArrayRef<Attribute>> parts) {
    SmallVector<int64_t> out;
    for (ArrayRef<Attribute> part : parts)
      for (Attribute x : part)
        out.push_back(positionIn(list, x));
    return out;
  };
  // Outer loops of one operand only (leading in it and in the result, in
  // the same order) are one loop of the product: fewer loops to tile.
  if (plan.vectorP && outer.size() > 1 && (outerL.empty() || outerR.empty())) {
    std::string name = "outer";
    while (positionIn(la, b.getStringAttr(name)) >= 0 ||
           positionIn(lb, b.getStringAttr(name)) >= 0)
      name += "_";
    Attribute fused = b.getStringAttr(name);
    extent[fused] = product(outer);
    (outerL.empty() ? outerR : outerL).assign({fused});
    outer.assign({fused});
  }
  bool batched = !batch.empty();
  // An empty P is a unit GEMM dimension, except in the broadcast form when
  // an outer index of the left operand alone can take its place (the CPU
  // schedule tiles the result's innermost such index by registers).
  bool hasP = !p.empty() || !broadcast || plan.vectorP ||
              llvm::none_of(outerL, [&](Attribute x) {
                return positionIn(lr, x) < 0;
              });
  int64_t nb = product(batch), np = product(p), nq = product(q),
          nk = product(plan.k);
  // Shape of [outer..., (batch), x, y]; x (P) is absent when negative.
  auto shapeOf = [&](ArrayRef<Attribute> outs, int64_t x, int64_t y) {
    SmallVector<int64_t> shape;
    for (Attribute o : outs)
      shape.push_back(extent[o]);
    if (batched)
      shape.push_back(nb);
    if (x >= 0)
      shape.push_back(x);
    shape.push_back(y);
    return shape;
  };
  int64_t pExtent = hasP ? np : -1;
  Value l3 =
      plan.vectorP
          ? reshape(b, loc,
                    permute(b, loc, left,
                            perm(ll, {namedOuterL, batch, plan.k, p}),
                            elementType),
                    shapeOf(outerL, nk, np))
          : reshape(b, loc,
                    permute(b, loc, left,
                            perm(ll, {namedOuterL, batch, p, plan.k}),
                            elementType),
                    shapeOf(outerL, pExtent, nk));
  Value r3 = reshape(b, loc,
                     permute(b, loc, right,
                             perm(lr, {namedOuterR, batch, plan.k, q}),
                             elementType),
                     shapeOf(outerR, nk, nq));
  SmallVector<int64_t> cShape = shapeOf(outer, pExtent, nq);
  Value zero = zeroScalar(b, loc, elementType);
  Value empty = tensor::EmptyOp::create(b, loc, cShape, elementType);
  Value init =
      linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
          .getResult(0);
  auto cType = RankedTensorType::get(cShape, elementType);
  Value c3;
  if (broadcast || plan.vectorP) {
    // Loops [outer..., (batch), P, Q, K] (vectorP: [.., Q, P, K]); each
    // operand reads the outer loops it has: the other operand is reused
    // across them.
    unsigned numOuter = outer.size(), bDim = numOuter,
             pDim = numOuter + batched, qDim = pDim + hasP, kDim = qDim + 1,
             numLoops = kDim + 1;
    if (plan.vectorP) {
      qDim = numOuter + batched;
      pDim = qDim + 1;
      kDim = pDim + 1;
      numLoops = kDim + 1;
    }
    auto dim = [&](unsigned d) { return getAffineDimExpr(d, ctx); };
    auto mapFor = [&](ArrayRef<Attribute> outs, unsigned x, unsigned y) {
      SmallVector<AffineExpr> exprs;
      for (Attribute o : outs)
        exprs.push_back(dim(llvm::find(outer, o) - outer.begin()));
      if (batched)
        exprs.push_back(dim(bDim));
      if (x != pDim || hasP)
        exprs.push_back(dim(x));
      exprs.push_back(dim(y));
      return AffineMap::get(numLoops, 0, exprs, ctx);
    };
    SmallVector<AffineMap> maps = {mapFor(outerL, pDim, kDim),
                                   mapFor(outerR, kDim, qDim),
                                   mapFor(outer, pDim, qDim)};
    SmallVector<Value> inputs = {l3, r3};
    if (plan.vectorP) {
      // R first: the schedule broadcasts operand 0 and vectorizes operand 1.
      maps = {mapFor(outerR, kDim, qDim), mapFor(outerL, kDim, pDim),
              mapFor(outer, pDim, qDim)};
      inputs = {r3, l3};
    }
    SmallVector<utils::IteratorType> iters(numLoops,
                                           utils::IteratorType::parallel);
    iters[kDim] = utils::IteratorType::reduction;
    c3 = linalg::GenericOp::create(
             b, loc, TypeRange{cType}, inputs, ValueRange{init}, maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               mulAddBody(nb, nl, args, elementType);
             })
             .getResult(0);
  } else if (batched) {
    c3 = linalg::BatchMatmulOp::create(b, loc, TypeRange{cType},
                                       ValueRange{l3, r3}, ValueRange{init})
             .getResult(0);
  } else {
    c3 = linalg::MatmulOp::create(b, loc, TypeRange{cType}, ValueRange{l3, r3},
                                  ValueRange{init})
             .getResult(0);
  }
  // Back to [outer, batch, P, Q] with the original extents, then to the
  // result order.
  SmallVector<Attribute> produced(namedOuter);
  produced.append(batch.begin(), batch.end());
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

//===----------------------------------------------------------------------===//
// Decompositions: calls into tnc's CPU runtime (LAPACK)
//===----------------------------------------------------------------------===//

/// The runtime's suffix for an element type (f32, f64, c64, c128).
std::optional<StringRef> runtimeSuffix(Type t) {
  if (t.isF32())
    return StringRef("f32");
  if (t.isF64())
    return StringRef("f64");
  if (auto c = dyn_cast<ComplexType>(t)) {
    if (c.getElementType().isF32())
      return StringRef("c64");
    if (c.getElementType().isF64())
      return StringRef("c128");
  }
  return std::nullopt;
}

/// Declares (once) `func.func private @name(types) -> i32` with the
/// _mlir_ciface_ calling convention.
func::FuncOp declareRuntime(ModuleOp module, StringRef name,
                            ArrayRef<Type> inputs) {
  if (auto f = module.lookupSymbol<func::FuncOp>(name))
    return f;
  OpBuilder b(module.getBodyRegion());
  auto f = func::FuncOp::create(
      b, module.getLoc(), name,
      b.getFunctionType(inputs, {b.getI32Type()}));
  f.setPrivate();
  f->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  return f;
}

/// Index names of `list` without `bond`.
SmallVector<Attribute> withoutBond(ArrayAttr list, Attribute bond) {
  SmallVector<Attribute> out;
  for (Attribute a : list)
    if (a != bond)
      out.push_back(a);
  return out;
}

/// Permutes `input[inputList]` into [left..., right...] and collapses it to
/// a (|left| x |right|) matrix; returns it with m and n.
std::tuple<Value, int64_t, int64_t>
asMatrix(OpBuilder &b, Location loc, Value input, ArrayAttr inputList,
         ArrayRef<Attribute> left, ArrayRef<Attribute> right) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> perm;
  int64_t m = 1, n = 1;
  for (Attribute a : left) {
    perm.push_back(positionIn(inputList, a));
    m *= type.getDimSize(perm.back());
  }
  for (Attribute a : right) {
    perm.push_back(positionIn(inputList, a));
    n *= type.getDimSize(perm.back());
  }
  Value permuted = permute(b, loc, input, perm, type.getElementType());
  return {reshape(b, loc, permuted, {m, n}), m, n};
}

/// A factor computed as [outer..., bond] or [bond, outer...] (`bondFirst`),
/// reshaped and permuted into the order of `list`.
Value factorInto(OpBuilder &b, Location loc, Value matrix, ArrayAttr list,
                 Attribute bond, bool bondFirst, RankedTensorType resultType) {
  SmallVector<Attribute> produced = withoutBond(list, bond);
  if (bondFirst)
    produced.insert(produced.begin(), bond);
  else
    produced.push_back(bond);
  SmallVector<int64_t> shape;
  for (Attribute a : produced)
    shape.push_back(resultType.getDimSize(positionIn(list, a)));
  Value v = reshape(b, loc, matrix, shape);
  SmallVector<int64_t> perm;
  for (Attribute a : list)
    perm.push_back(llvm::find(produced, a) - produced.begin());
  return permute(b, loc, v, perm, resultType.getElementType());
}

/// A fresh buffer of `shape`, passed to the runtime as a dynamic memref.
std::pair<Value, Value> runtimeBuffer(OpBuilder &b, Location loc,
                                      ArrayRef<int64_t> shape, Type element) {
  auto type = MemRefType::get(shape, element);
  Value buffer = memref::AllocOp::create(b, loc, type);
  SmallVector<int64_t> dynamic(shape.size(), ShapedType::kDynamic);
  Value cast = memref::CastOp::create(
      b, loc, MemRefType::get(dynamic, element), buffer);
  return {buffer, cast};
}

Value asTensor(OpBuilder &b, Location loc, Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  return bufferization::ToTensorOp::create(
      b, loc, RankedTensorType::get(type.getShape(), type.getElementType()),
      buffer, b.getUnitAttr(), b.getUnitAttr());
}

/// Passes a tensor to the runtime (read only) as a dynamic memref.
Value asRuntimeInput(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  Value buffer = bufferization::ToBufferOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()), tensor,
      /*read_only=*/true);
  SmallVector<int64_t> dynamic(type.getRank(), ShapedType::kDynamic);
  return memref::CastOp::create(
      b, loc, MemRefType::get(dynamic, type.getElementType()), buffer);
}

/// What tn.svd and tn.qr share before their runtime call: the element type
/// and its runtime suffix, the bond, the input as the bipartition's matrix
/// (passed read-only to the runtime), its extents and the bond extent k.
struct Split {
  Type element;
  StringRef suffix;
  Attribute bond;
  Value matrix;
  int64_t m, n, k;
};

template <typename OpTy>
FailureOr<Split> prepareSplit(RewriterBase &b, OpTy op, StringRef opName,
                              RankedTensorType leftFactorType) {
  Location loc = op.getLoc();
  Split split;
  split.element =
      cast<RankedTensorType>(op.getInput().getType()).getElementType();
  std::optional<StringRef> suffix = runtimeSuffix(split.element);
  if (!suffix)
    return op.emitError(opName)
           << " on the CPU supports f32, f64, complex<f32> and complex<f64>, "
              "not "
           << split.element;
  split.suffix = *suffix;
  split.bond = op.getBondIndex();
  SmallVector<Attribute> left = withoutBond(op.getLeftIndices(), split.bond);
  SmallVector<Attribute> right = withoutBond(op.getRightIndices(), split.bond);
  auto [matrix, m, n] =
      asMatrix(b, loc, op.getInput(), op.getInputIndices(), left, right);
  split.matrix = asRuntimeInput(b, loc, matrix);
  split.m = m;
  split.n = n;
  split.k = leftFactorType.getDimSize(
      positionIn(op.getLeftIndices(), split.bond));
  return split;
}

/// tn.svd -> tnc_svd_<T>; returns the runtime's status.
FailureOr<Value> lowerSVD(RewriterBase &b, SVDOp op) {
  Location loc = op.getLoc();
  auto uType = cast<RankedTensorType>(op.getU().getType());
  FailureOr<Split> split = prepareSplit(b, op, "tn.svd", uType);
  if (failed(split))
    return failure();
  auto [element, suffix, bond, a, m, n, k] = *split;
  Type real = element;
  if (auto c = dyn_cast<ComplexType>(element))
    real = c.getElementType();
  auto [uBuf, uArg] = runtimeBuffer(b, loc, {m, k}, element);
  auto [sBuf, sArg] = runtimeBuffer(b, loc, {k}, real);
  auto [vBuf, vArg] = runtimeBuffer(b, loc, {k, n}, element);
  auto [rankBuf, rankArg] = runtimeBuffer(b, loc, {1}, b.getI64Type());
  auto [discBuf, discArg] = runtimeBuffer(b, loc, {1}, real);
  TruncationAttr t = op.getTruncation();
  auto i64 = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  };
  auto i32 = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  };
  auto f64 = [&](const llvm::APFloat &v) -> Value {
    return arith::ConstantFloatOp::create(b, loc, b.getF64Type(),
                                          llvm::APFloat(v.convertToDouble()));
  };
  SmallVector<Value> args = {a,
                             uArg,
                             sArg,
                             vArg,
                             rankArg,
                             discArg,
                             i64(t.getMaxRank()),
                             i64(t.getMinRank()),
                             f64(t.getAbsCutoff()),
                             f64(t.getRelCutoff()),
                             f64(t.getWeightCutoff()),
                             i32(static_cast<int64_t>(t.getWeightMode())),
                             f64(t.getDegeneracyTol()),
                             i32(static_cast<int64_t>(t.getAbsorb())),
                             i32(static_cast<int64_t>(t.getRenorm()))};
  SmallVector<Type> types;
  for (Value v : args)
    types.push_back(v.getType());
  func::FuncOp callee =
      declareRuntime(op->getParentOfType<ModuleOp>(),
                     ("tnc_svd_" + suffix).str(), types);
  Value status = func::CallOp::create(b, loc, callee, args).getResult(0);

  Value u = factorInto(b, loc, asTensor(b, loc, uBuf), op.getLeftIndices(),
                       bond, /*bondFirst=*/false, uType);
  Value v = factorInto(b, loc, asTensor(b, loc, vBuf), op.getRightIndices(),
                       bond, /*bondFirst=*/true,
                       cast<RankedTensorType>(op.getV().getType()));
  Value sv = asTensor(b, loc, sBuf);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value rank = memref::LoadOp::create(b, loc, rankBuf, ValueRange{zero});
  rank = arith::IndexCastOp::create(b, loc, b.getIndexType(), rank);
  Value discarded = memref::LoadOp::create(b, loc, discBuf, ValueRange{zero});
  if (discarded.getType() != op.getDiscarded().getType())
    discarded = arith::TruncFOp::create(b, loc, op.getDiscarded().getType(),
                                        discarded);
  // The buffers are freed by buffer deallocation after bufferization.
  b.replaceOp(op, ValueRange{u, sv, v, rank, discarded});
  return status;
}

/// tn.qr -> tnc_qr_<T>; returns the runtime's status.
FailureOr<Value> lowerQR(RewriterBase &b, QROp op) {
  Location loc = op.getLoc();
  auto qType = cast<RankedTensorType>(op.getQ().getType());
  FailureOr<Split> split = prepareSplit(b, op, "tn.qr", qType);
  if (failed(split))
    return failure();
  auto [element, suffix, bond, a, m, n, k] = *split;
  auto [qBuf, qArg] = runtimeBuffer(b, loc, {m, k}, element);
  auto [rBuf, rArg] = runtimeBuffer(b, loc, {k, n}, element);
  SmallVector<Value> args = {a, qArg, rArg};
  SmallVector<Type> types;
  for (Value v : args)
    types.push_back(v.getType());
  func::FuncOp callee = declareRuntime(op->getParentOfType<ModuleOp>(),
                                       ("tnc_qr_" + suffix).str(), types);
  Value status = func::CallOp::create(b, loc, callee, args).getResult(0);
  Value q = factorInto(b, loc, asTensor(b, loc, qBuf), op.getLeftIndices(),
                       bond, /*bondFirst=*/false, qType);
  Value r = factorInto(b, loc, asTensor(b, loc, rBuf), op.getRightIndices(),
                       bond, /*bondFirst=*/true,
                       cast<RankedTensorType>(op.getR().getType()));
  b.replaceOp(op, ValueRange{q, r});
  return status;
}

/// Adds the combined status of the runtime calls made at the top level of
/// each public function as a trailing i32 result (0 when all succeeded,
/// else the first failure's code): what tn_<name> returns.
LogicalResult threadStatuses(
    ModuleOp module, const DenseMap<Operation *, SmallVector<Value>> &byFunc) {
  for (auto &[funcOp, statuses] : byFunc) {
    auto func = cast<func::FuncOp>(funcOp);
    SmallVector<Value> top;
    for (Value s : statuses) {
      if (s.getParentBlock() == &func.getBody().front()) {
        top.push_back(s);
        continue;
      }
      mlir::emitWarning(s.getLoc())
          << "the status of a decomposition inside a loop is not reported; "
             "failures there leave zero factors";
    }
    if (top.empty() || !func.isPublic())
      continue;
    if (!SymbolTable::symbolKnownUseEmpty(func, module))
      continue; // called from elsewhere: its signature stays
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    OpBuilder b(ret);
    Value zero = arith::ConstantIntOp::create(b, ret.getLoc(), b.getI32Type(), 0);
    Value combined = top.front();
    for (Value s : ArrayRef<Value>(top).drop_front()) {
      Value failed = arith::CmpIOp::create(b, ret.getLoc(),
                                           arith::CmpIPredicate::ne, combined,
                                           zero);
      combined = arith::SelectOp::create(b, ret.getLoc(), failed, combined, s);
    }
    SmallVector<Value> operands(ret.getOperands());
    operands.push_back(combined);
    func::ReturnOp::create(b, ret.getLoc(), operands);
    ret.erase();
    SmallVector<Type> results(func.getFunctionType().getResults());
    results.push_back(b.getI32Type());
    func.setFunctionType(
        b.getFunctionType(func.getFunctionType().getInputs(), results));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// tn.entropy
//===----------------------------------------------------------------------===//

/// Entanglement entropy of a spectrum with linalg reductions.
Value lowerEntropy(OpBuilder &b, EntropyOp op) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  Value s = op.getSpectrum();
  auto type = cast<RankedTensorType>(s.getType());
  Type real = type.getElementType();
  AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
  AffineMap toScalar = AffineMap::get(1, 0, {}, ctx);
  auto scalar = RankedTensorType::get({}, real);
  auto constant = [&](double v) -> Value {
    return arith::ConstantOp::create(b, loc, real, b.getFloatAttr(real, v));
  };
  // Reduces f(s_i, extra...) over i with `combine`.
  auto reduce = [&](Value init, ValueRange extra,
                    function_ref<Value(OpBuilder &, Location, Value, Value,
                                       ValueRange)>
                        body) -> Value {
    Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, real);
    Value acc = linalg::FillOp::create(b, loc, ValueRange{init}, ValueRange{empty})
                    .getResult(0);
    SmallVector<Value> ins = {s};
    SmallVector<AffineMap> maps = {id};
    for (Value e : extra) {
      ins.push_back(e);
      maps.push_back(toScalar);
    }
    maps.push_back(toScalar);
    Value r = linalg::GenericOp::create(
                  b, loc, TypeRange{scalar}, ins, ValueRange{acc}, maps,
                  {utils::IteratorType::reduction},
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    Value next = body(nb, nl, args.front(), args.back(),
                                      args.drop_front().drop_back());
                    linalg::YieldOp::create(nb, nl, next);
                  })
                  .getResult(0);
    return r;
  };
  double order = op.getOrder().convertToDouble();
  bool normalize = op.getNormalize();
  // Σ s² (or 1 without normalization).
  Value total = normalize
                    ? reduce(constant(0.0), {},
                             [&](OpBuilder &nb, Location nl, Value x, Value acc,
                                 ValueRange) -> Value {
                               Value x2 = arith::MulFOp::create(nb, nl, x, x);
                               return arith::AddFOp::create(nb, nl, acc, x2);
                             })
                    : tensor::FromElementsOp::create(b, loc, scalar,
                                                     ValueRange{constant(1.0)})
                          .getResult();
  // p_i = s_i² / total; terms with p_i = 0 contribute nothing.
  auto probability = [&](OpBuilder &nb, Location nl, Value x, Value t) {
    Value x2 = arith::MulFOp::create(nb, nl, x, x);
    return arith::DivFOp::create(nb, nl, x2, t);
  };
  Value result;
  if (order == 1.0) {
    // -Σ p log p
    Value sum = reduce(constant(0.0), {total},
                       [&](OpBuilder &nb, Location nl, Value x, Value acc,
                           ValueRange extra) -> Value {
                         Value p = probability(nb, nl, x, extra[0]);
                         Value zero = arith::ConstantOp::create(
                             nb, nl, real, nb.getFloatAttr(real, 0.0));
                         Value positive = arith::CmpFOp::create(
                             nb, nl, arith::CmpFPredicate::OGT, p, zero);
                         Value one = arith::ConstantOp::create(
                             nb, nl, real, nb.getFloatAttr(real, 1.0));
                         Value safe = arith::SelectOp::create(nb, nl, positive, p, one);
                         Value term = arith::MulFOp::create(
                             nb, nl, p, math::LogOp::create(nb, nl, safe));
                         return arith::SubFOp::create(nb, nl, acc, term);
                       });
    result = tensor::ExtractOp::create(b, loc, sum, ValueRange{});
  } else if (std::isinf(order)) {
    // -log max p
    Value mx = reduce(constant(0.0), {total},
                      [&](OpBuilder &nb, Location nl, Value x, Value acc,
                          ValueRange extra) -> Value {
                        Value p = probability(nb, nl, x, extra[0]);
                        return arith::MaximumFOp::create(nb, nl, acc, p);
                      });
    Value v = tensor::ExtractOp::create(b, loc, mx, ValueRange{});
    result = arith::NegFOp::create(b, loc, math::LogOp::create(b, loc, v));
  } else {
    // log(Σ p^order) / (1 - order)
    Value sum = reduce(constant(0.0), {total},
                       [&](OpBuilder &nb, Location nl, Value x, Value acc,
                           ValueRange extra) -> Value {
                         Value p = probability(nb, nl, x, extra[0]);
                         Value a = arith::ConstantOp::create(
                             nb, nl, real, nb.getFloatAttr(real, order));
                         Value zero = arith::ConstantOp::create(
                             nb, nl, real, nb.getFloatAttr(real, 0.0));
                         Value positive = arith::CmpFOp::create(
                             nb, nl, arith::CmpFPredicate::OGT, p, zero);
                         Value pw = math::PowFOp::create(nb, nl, p, a);
                         Value term = arith::SelectOp::create(nb, nl, positive, pw, zero);
                         return arith::AddFOp::create(nb, nl, acc, term);
                       });
    Value v = tensor::ExtractOp::create(b, loc, sum, ValueRange{});
    result = arith::DivFOp::create(b, loc, math::LogOp::create(b, loc, v),
                                   constant(1.0 - order));
  }
  if (auto base = op.getBase()) {
    double lb = std::log(base->convertToDouble());
    result = arith::DivFOp::create(b, loc, result, constant(lb));
  }
  return result;
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
      if (isa<ContractOp, NetworkOp, SVDOp, QROp, EntropyOp>(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    DenseMap<Operation *, SmallVector<Value>> statuses;
    for (Operation *op : ops) {
      rewriter.setInsertionPoint(op);
      Value result;
      if (isa<SVDOp, QROp>(op)) {
        auto module = op->getParentOfType<ModuleOp>();
        auto func = op->getParentOfType<func::FuncOp>();
        if (!module || !func) {
          op->emitError("tn.svd and tn.qr are lowered inside a func.func in a "
                        "module (they call tnc's runtime)");
          return signalPassFailure();
        }
        FailureOr<Value> status =
            isa<SVDOp>(op) ? lowerSVD(rewriter, cast<SVDOp>(op))
                           : lowerQR(rewriter, cast<QROp>(op));
        if (failed(status))
          return signalPassFailure();
        statuses[func].push_back(*status);
        continue;
      }
      if (auto entropy = dyn_cast<EntropyOp>(op)) {
        rewriter.replaceOp(op, lowerEntropy(rewriter, entropy));
        continue;
      }
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
          choosePlan(*plan, la, lb, lc, ta, tb, contract.getType(),
                     std::max(0.0, static_cast<double>(copyCost)));
          // A copied element costs about as much as `copyCost` multiply-adds
          // of a GEMM; below `minGemmFlops` the GEMM is not worth the set-up.
          double log2MinFlops =
              std::log2(std::max<double>(1.0, minGemmFlops));
          double log2CopyCost = std::log2(std::max<double>(1e-9, copyCost));
          bool worth = plan->log2Flops >= log2MinFlops &&
                       plan->log2Copies + log2CopyCost <= plan->log2Flops;
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
    if (!statuses.empty()) {
      auto module = dyn_cast<ModuleOp>(getOperation());
      if (module && failed(threadStatuses(module, statuses)))
        return signalPassFailure();
    }
  }
};

} // namespace
