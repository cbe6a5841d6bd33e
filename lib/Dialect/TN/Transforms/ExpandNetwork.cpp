//===- ExpandNetwork.cpp - tn.network -> tree of tn.contract --------------===//

#include "tn/Dialect/TN/IR/TNAttrNames.h"
#include "tn/Dialect/TN/IR/TNOps.h"
#include "tn/Dialect/TN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

#include <limits>

namespace mlir::tn {
#define GEN_PASS_DEF_TNEXPANDNETWORK
#include "tn/Dialect/TN/Transforms/Passes.h.inc"
} // namespace mlir::tn

using namespace mlir;
using namespace mlir::tn;

namespace {

using IndexList = SmallVector<StringAttr>;

ArrayAttr toAttr(OpBuilder &b, ArrayRef<StringAttr> list) {
  return b.getArrayAttr(SmallVector<Attribute>(list.begin(), list.end()));
}

RankedTensorType tensorType(ArrayRef<StringAttr> list,
                            const llvm::DenseMap<StringAttr, int64_t> &extents,
                            Type elementType) {
  SmallVector<int64_t> shape;
  for (StringAttr name : list)
    shape.push_back(extents.lookup(name));
  return RankedTensorType::get(shape, elementType);
}

/// Contracts `values` (with index lists `lists`) along the SSA path `steps`
/// into a tensor with indices `output`.
Value buildTree(OpBuilder &b, Location loc, ArrayRef<Value> values,
                ArrayRef<IndexList> lists, ArrayRef<StringAttr> output,
                ArrayRef<std::pair<int64_t, int64_t>> steps,
                const llvm::DenseMap<StringAttr, int64_t> &extents,
                Type elementType) {
  if (values.size() == 1) {
    // One operand: a trace, reduction or permutation stays a network.
    auto type = tensorType(output, extents, elementType);
    return NetworkOp::create(b, loc, type, values, SmallVector<IndexList>{lists[0]},
                             output)
        .getResult();
  }
  SmallVector<Value> vals(values.begin(), values.end());
  SmallVector<IndexList> idx(lists.begin(), lists.end());
  // Live holders of each index (a tensor counts once), plus the output.
  llvm::DenseMap<StringAttr, int> holders;
  for (const IndexList &list : lists) {
    llvm::SmallDenseSet<StringAttr, 8> distinct(list.begin(), list.end());
    for (StringAttr name : distinct)
      ++holders[name];
  }
  for (StringAttr name : output)
    ++holders[name];

  for (auto [k, step] : llvm::enumerate(steps)) {
    auto [a, c] = step;
    const IndexList &la = idx[a], &lc = idx[c];
    llvm::SmallDenseSet<StringAttr, 8> inA(la.begin(), la.end());
    llvm::SmallDenseSet<StringAttr, 8> inC(lc.begin(), lc.end());
    IndexList kept;
    llvm::SmallDenseSet<StringAttr, 8> seen;
    for (const IndexList *list : {&la, &lc})
      for (StringAttr name : *list) {
        if (!seen.insert(name).second)
          continue;
        int remaining = holders[name] - (int)inA.contains(name) -
                        (int)inC.contains(name);
        holders[name] = remaining;
        if (remaining > 0) {
          kept.push_back(name);
          ++holders[name];
        }
      }
    bool last = k + 1 == steps.size();
    if (last)
      kept.assign(output.begin(), output.end());
    auto type = tensorType(kept, extents, elementType);
    Value r = ContractOp::create(b, loc, type, vals[a], vals[c],
                                 toAttr(b, la), toAttr(b, lc), toAttr(b, kept))
                  .getResult();
    vals.push_back(r);
    idx.push_back(std::move(kept));
  }
  return vals.back();
}

Value zeroTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  Type element = type.getElementType();
  Value zero;
  if (auto complex = dyn_cast<ComplexType>(element)) {
    Attribute z = b.getFloatAttr(complex.getElementType(), 0.0);
    zero = complex::ConstantOp::create(b, loc, complex, b.getArrayAttr({z, z}));
  } else {
    zero = arith::ConstantOp::create(b, loc, element,
                                     b.getFloatAttr(element, 0.0));
  }
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), element);
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
      .getResult(0);
}

IndexList withoutSliced(ArrayRef<StringAttr> list,
                        const llvm::SmallDenseSet<StringAttr, 8> &sliced) {
  IndexList out;
  for (StringAttr name : list)
    if (!sliced.contains(name))
      out.push_back(name);
  return out;
}

LogicalResult expand(NetworkOp op) {
  ArrayAttr slicedAttr = op.getSlicedIndicesAttr();
  bool sliced = slicedAttr && !slicedAttr.empty();
  unsigned n = op.getInputs().size();
  if (n < 2 && !sliced)
    return success();

  OpBuilder b(op);
  Location loc = op.getLoc();
  // Half-precision results are accumulated in f32 and rounded once at the
  // end: every intermediate of the tree is f32.
  RankedTensorType storedType = op.getType();
  Type elementType = storedType.getElementType();
  if (elementType.isF16() || elementType.isBF16())
    elementType = b.getF32Type();
  RankedTensorType resultType = storedType.clone(elementType);
  auto finish = [&](Value r) {
    if (resultType != storedType)
      r = arith::TruncFOp::create(b, loc, storedType, r);
    op.replaceAllUsesWith(r);
    op.erase();
  };

  SmallVector<IndexList> lists;
  for (unsigned k = 0; k < n; ++k)
    lists.push_back(op.getIndicesOf(k));
  IndexList output = op.getResultIndexNames();
  llvm::DenseMap<StringAttr, int64_t> extents =
      getIndexExtents(op.getInputs(), SmallVector<ArrayAttr>(llvm::map_range(
                                          op.getOperandIndices(), [](Attribute a) {
                                            return cast<ArrayAttr>(a);
                                          })));

  // Wider accumulation: extend f16/bf16 operands to the result type.
  SmallVector<Value> inputs(op.getInputs().begin(), op.getInputs().end());
  for (Value &v : inputs) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getElementType() != elementType)
      v = arith::ExtFOp::create(b, loc, type.clone(elementType), v);
  }

  SmallVector<std::pair<int64_t, int64_t>> steps;
  if (ContractionPathAttr path = op.getPathAttr()) {
    for (size_t k = 0; k < path.getNumSteps(); ++k)
      steps.push_back(path.getStep(k));
  } else {
    for (unsigned k = 1; k < n; ++k)
      steps.push_back({k == 1 ? 0 : n + k - 2, k});
  }

  if (!sliced) {
    finish(buildTree(b, loc, inputs, lists, output, steps, extents,
                     elementType));
    return success();
  }

  // Sliced: loop over every combination of the sliced indices.
  SmallVector<StringAttr> slicedNames;
  llvm::SmallDenseSet<StringAttr, 8> slicedSet;
  int64_t numSlices = 1;
  for (Attribute a : slicedAttr) {
    auto name = cast<StringAttr>(a);
    slicedNames.push_back(name);
    slicedSet.insert(name);
    int64_t e = extents.lookup(name);
    if (numSlices > std::numeric_limits<int64_t>::max() / e)
      return op.emitError("too many slices to loop over (more than 2^63)");
    numSlices *= e;
  }

  Value init = zeroTensor(b, loc, resultType);
  Value lb = arith::ConstantIndexOp::create(b, loc, 0);
  Value ub = arith::ConstantIndexOp::create(b, loc, numSlices);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, lb, ub, one, ValueRange{init});
  // Marks the loop over slices for later passes (tn-outline-kernels outlines
  // the contractions inside it, not the loop as a whole).
  loop->setAttr(kSlicesAttrName, b.getUnitAttr());
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value s = loop.getInductionVar();
    Value acc = loop.getRegionIterArgs()[0];
    // Mixed-radix digits of s: the value of each sliced index.
    llvm::DenseMap<StringAttr, Value> value;
    int64_t stride = 1;
    for (StringAttr name : llvm::reverse(slicedNames)) {
      int64_t e = extents.lookup(name);
      Value q = arith::DivUIOp::create(
          b, loc, s, arith::ConstantIndexOp::create(b, loc, stride));
      value[name] = arith::RemUIOp::create(
          b, loc, q, arith::ConstantIndexOp::create(b, loc, e));
      stride *= e;
    }

    // One-element slices of the operands along the sliced indices.
    auto sliceOf = [&](Value v, ArrayRef<StringAttr> list) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      bool any = false;
      for (StringAttr name : list) {
        strides.push_back(b.getIndexAttr(1));
        if (slicedSet.contains(name)) {
          offsets.push_back(value[name]);
          sizes.push_back(b.getIndexAttr(1));
          any = true;
        } else {
          offsets.push_back(b.getIndexAttr(0));
          sizes.push_back(b.getIndexAttr(extents.lookup(name)));
        }
      }
      return std::make_tuple(any, offsets, sizes, strides);
    };
    SmallVector<Value> slicedInputs;
    SmallVector<IndexList> slicedLists;
    for (auto [v, list] : llvm::zip(inputs, lists)) {
      IndexList rest = withoutSliced(list, slicedSet);
      auto [any, offsets, sizes, strides] = sliceOf(v, list);
      if (any)
        v = tensor::ExtractSliceOp::create(
            b, loc, tensorType(rest, extents, elementType), v, offsets, sizes,
            strides);
      slicedInputs.push_back(v);
      slicedLists.push_back(std::move(rest));
    }
    IndexList slicedOutput = withoutSliced(output, slicedSet);
    Value part = buildTree(b, loc, slicedInputs, slicedLists, slicedOutput,
                           steps, extents, elementType);

    auto [anyOut, offsets, sizes, strides] = sliceOf(acc, output);
    Value next;
    if (anyOut) {
      auto partType = cast<RankedTensorType>(part.getType());
      Value target = tensor::ExtractSliceOp::create(b, loc, partType, acc,
                                                    offsets, sizes, strides);
      Value sum = linalg::AddOp::create(b, loc, TypeRange{partType},
                                        ValueRange{part, target},
                                        ValueRange{target})
                      .getResult(0);
      next = tensor::InsertSliceOp::create(b, loc, sum, acc, offsets, sizes,
                                           strides);
    } else {
      next = linalg::AddOp::create(b, loc, TypeRange{resultType},
                                   ValueRange{part, acc}, ValueRange{acc})
                 .getResult(0);
    }
    scf::YieldOp::create(b, loc, next);
  }
  finish(loop.getResult(0));
  return success();
}

struct ExpandNetworkPass
    : public tn::impl::TNExpandNetworkBase<ExpandNetworkPass> {
  void runOnOperation() override {
    SmallVector<NetworkOp> networks;
    getOperation()->walk([&](NetworkOp op) { networks.push_back(op); });
    for (NetworkOp op : networks)
      if (failed(expand(op)))
        return signalPassFailure();
  }
};

} // namespace
