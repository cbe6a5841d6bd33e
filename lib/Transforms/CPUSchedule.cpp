//===- CPUSchedule.cpp - Shape-driven CPU schedules for contractions ------===//
//
// tn-cpu-schedule: for every contraction-like linalg op on static tensors,
// generate a transform-dialect script from the op's shape and apply it.
//
// The schedule is BLIS-like (see docs/performance.md and the measurements it
// cites): split off the edges so that the main part divides the register tile,
// an outer scf.forall over a parallel dimension (threads), cache tiles in the
// order N, K, M whose sizes divide the extents, a register tile of mr x nr
// output elements, packing of the reused operands (pad + hoist_pad), the
// reduction tiled by one, vectorization, vector.contract formed immediately and
// lowered to outer products (FMAs) with the accumulators hoisted out of the
// reduction loop.
//
// Roles: the output's innermost dimension `v` is the vector dimension. The
// input that has it (as its own innermost dimension) plays GEMM's B (the
// packed panel of nr-wide rows), the other input plays A (broadcast scalars).
// `u` is the output's innermost dimension among those of A: the register tile
// is mr along u by nr along v. Other dimensions are tiled by one at the
// register level (and grouped into the cache tiles where they fit).
//
// The fill of the op's init (its zero), when the op is its only user, is
// fused into the op's tiles down to the register tiles where no reduction
// loop lies outside them: each accumulator then starts from the fill value,
// and the result is neither zeroed as a whole nor read before it is written.
//
// Every op is outlined into a function of its own, its script applied there
// and the result inlined back; on any failure the outlined copy is dropped
// and the op is kept unchanged, so the pass never fails on valid input.
//
//===----------------------------------------------------------------------===//

#include "tn/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/TransformOps/BufferizationTransformOps.h"
#include "mlir/Dialect/Linalg/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/TransformOps/DialectExtension.h"
#include "mlir/Dialect/Linalg/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/TransformOps/SCFTransformOps.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/TransformOps/TensorTransformOps.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Vector/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/TransformOps/VectorTransformOps.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <cmath>
#include <thread>

namespace mlir::tn {
#define GEN_PASS_DEF_TNCPUSCHEDULE
#include "tn/Transforms/Passes.h.inc"
} // namespace mlir::tn

using namespace mlir;

namespace {

constexpr StringLiteral kMarker = "tn.cpu_schedule_id";
constexpr StringLiteral kFillMarker = "tn.cpu_schedule_fill";

//===----------------------------------------------------------------------===//
// Target
//===----------------------------------------------------------------------===//

enum class Isa { AVX2, AVX512, NEON };

FailureOr<Isa> parseIsa(StringRef target) {
  if (target == "x86-64")
    return Isa::AVX2;
  if (target == "x86-64-avx512")
    return Isa::AVX512;
  if (target == "aarch64")
    return Isa::NEON;
  if (target == "host") {
#if defined(__aarch64__)
    return Isa::NEON;
#else
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    return features.lookup("avx512f") ? Isa::AVX512 : Isa::AVX2;
#endif
  }
  return failure();
}

struct RegTile {
  int64_t mr, nr;
};

/// Register tiles in order of preference; nr is a power-of-two number of
/// vectors (LLVM widens other counts, e.g. 3 x zmm, into shuffles and
/// spills). Preferred: 24 accumulators on 32-register ISAs, 12 on AVX2.
SmallVector<RegTile> registerTiles(Isa isa, unsigned accBits) {
  unsigned vecBits = isa == Isa::AVX512 ? 512 : isa == Isa::AVX2 ? 256 : 128;
  int64_t lanes = std::max<int64_t>(1, vecBits / accBits);
  switch (isa) {
  case Isa::AVX512:
  case Isa::NEON:
    return {{6, 4 * lanes}, {8, 2 * lanes}, {4, 4 * lanes}};
  case Isa::AVX2:
    return {{6, 2 * lanes}, {4, 2 * lanes}, {3, 4 * lanes}};
  }
  llvm_unreachable("isa");
}

int64_t vectorLanes(Isa isa, unsigned accBits) {
  unsigned vecBits = isa == Isa::AVX512 ? 512 : isa == Isa::AVX2 ? 256 : 128;
  return std::max<int64_t>(1, vecBits / accBits);
}

//===----------------------------------------------------------------------===//
// Contraction analysis
//===----------------------------------------------------------------------===//

enum class Role { Batch, M, N, K };

struct Contraction {
  unsigned numLoops = 0;
  SmallVector<int64_t> extents;
  SmallVector<Role> roles;
  unsigned aOperand = 0, bOperand = 1; // input positions playing A and B
  unsigned u = 0, v = 0;               // register-tiled loop dims
  // Loop dims by role, outer to inner (M, N, batch in output order; K in the
  // order of B's indexing map).
  SmallVector<unsigned> batchDims, mDims, nDims, kDims;
  SmallVector<Type> elementTypes;                 // of operands 0, 1, 2
  SmallVector<SmallVector<unsigned>> operandDims; // loop dim of each result
  unsigned accBits = 32;
  // The register tile's vectors run along an output dimension other than
  // the innermost one (stored through a transpose).
  bool transposedOutput = false;
};

/// Strips arith.extf from a value.
Value stripExt(Value v) {
  while (auto ext = v.getDefiningOp<arith::ExtFOp>())
    v = ext.getIn();
  return v;
}

/// True if the body is `out + in0 * in1` (inputs possibly extended).
bool isMulAddBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (!body || body->getNumArguments() != 3)
    return false;
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body->getArgument(2);
  Value prod;
  if (add.getLhs() == acc)
    prod = add.getRhs();
  else if (add.getRhs() == acc)
    prod = add.getLhs();
  else
    return false;
  auto mul = prod.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value x = stripExt(mul.getLhs()), y = stripExt(mul.getRhs());
  Value a0 = body->getArgument(0), a1 = body->getArgument(1);
  if (!((x == a0 && y == a1) || (x == a1 && y == a0)))
    return false;
  // Nothing else with side effects or other uses in the body.
  for (Operation &o : body->without_terminator())
    if (!isa<arith::ExtFOp, arith::MulFOp, arith::AddFOp>(o))
      return false;
  return true;
}

FailureOr<Contraction> analyze(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op->getNumResults() != 1)
    return failure();
  if (!isMulAddBody(op))
    return failure();
  Contraction c;
  c.numLoops = op.getNumLoops();
  std::optional<SmallVector<int64_t, 4>> ranges = op.getStaticLoopRanges();
  if (!ranges)
    return failure();
  for (int64_t r : *ranges)
    if (ShapedType::isDynamic(r) || r <= 0)
      return failure();
  c.extents.assign(ranges->begin(), ranges->end());
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type || !type.hasStaticShape())
      return failure();
    c.elementTypes.push_back(type.getElementType());
  }
  Type acc = c.elementTypes[2];
  if (!acc.isF32() && !acc.isF64())
    return failure();
  c.accBits = acc.getIntOrFloatBitWidth();
  for (unsigned i = 0; i < 2; ++i) {
    Type t = c.elementTypes[i];
    if (!(t.isF16() || t.isBF16() || t.isF32() || t.isF64()) ||
        t.getIntOrFloatBitWidth() > c.accBits)
      return failure();
  }
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (AffineMap m : maps)
    if (!m.isProjectedPermutation(/*allowZeroInResults=*/false))
      return failure();
  for (AffineMap m : maps) {
    SmallVector<unsigned> dims;
    for (AffineExpr e : m.getResults())
      dims.push_back(cast<AffineDimExpr>(e).getPosition());
    c.operandDims.push_back(dims);
  }
  auto has = [&](unsigned operand, unsigned dim) {
    return maps[operand]
        .getResultPosition(getAffineDimExpr(dim, op->getContext()))
        .has_value();
  };
  auto iterators = op.getIteratorTypesArray();
  c.roles.resize(c.numLoops);
  for (unsigned d = 0; d < c.numLoops; ++d) {
    bool inA = has(0, d), inB = has(1, d), inC = has(2, d);
    bool red = iterators[d] == utils::IteratorType::reduction;
    if (inA && inB && inC && !red)
      c.roles[d] = Role::Batch;
    else if (inA && !inB && inC && !red)
      c.roles[d] = Role::M; // relative to operand 0 for now
    else if (!inA && inB && inC && !red)
      c.roles[d] = Role::N;
    else if (inA && inB && !inC && red)
      c.roles[d] = Role::K;
    else
      return failure();
  }
  AffineMap outMap = maps[2];
  if (outMap.getNumResults() == 0)
    return failure();
  c.v = cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
  // The vectors run along the last parallel loop (the vectorizer's vector
  // shapes follow the loop order). When that is not the output's innermost
  // dimension but the innermost one of operand 1, the register tile is
  // stored transposed (once per tile, after its reduction): a short output
  // row (e.g. the 10 columns of a batched [80 x 128] x [128 x 10] product)
  // then need not be the vector dimension. (The outer-product lowering
  // broadcasts the lhs and vectorizes the rhs only in this operand order.)
  unsigned lastParallel = c.numLoops;
  while (lastParallel > 0 &&
         iterators[lastParallel - 1] == utils::IteratorType::reduction)
    --lastParallel;
  if (lastParallel > 0) {
    unsigned d = lastParallel - 1;
    AffineMap rhs = maps[1];
    if (d != c.v && c.roles[d] == Role::N && rhs.getNumResults() > 0 &&
        cast<AffineDimExpr>(rhs.getResults().back()).getPosition() == d) {
      c.v = d;
      c.transposedOutput = true;
    }
  }
  if (c.roles[c.v] == Role::Batch)
    return failure();
  if (c.roles[c.v] == Role::M) {
    // Operand 1 plays A: swap the roles.
    c.aOperand = 1;
    c.bOperand = 0;
    for (Role &r : c.roles)
      if (r == Role::M)
        r = Role::N;
      else if (r == Role::N)
        r = Role::M;
  }
  // v must be B's innermost dimension (contiguous packed rows).
  AffineMap bMap = maps[c.bOperand];
  if (cast<AffineDimExpr>(bMap.getResults().back()).getPosition() != c.v)
    return failure();
  for (AffineExpr e : outMap.getResults()) {
    unsigned d = cast<AffineDimExpr>(e).getPosition();
    if (c.roles[d] == Role::Batch)
      c.batchDims.push_back(d);
    else if (c.roles[d] == Role::M)
      c.mDims.push_back(d);
    else
      c.nDims.push_back(d);
  }
  for (AffineExpr e : bMap.getResults()) {
    unsigned d = cast<AffineDimExpr>(e).getPosition();
    if (c.roles[d] == Role::K)
      c.kDims.push_back(d);
  }
  if (c.mDims.empty() || c.kDims.empty())
    return failure(); // GEMV-like or outer products: left to the fallback
  c.u = c.mDims.back();
  return c;
}

/// The linalg.fill producing the op's init when the op is its only user (in
/// the same block): outlined and scheduled with the op, fused into its tiles.
linalg::FillOp fusableFill(linalg::LinalgOp op) {
  auto fill = op.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>();
  if (fill && fill->hasOneUse() && fill->getBlock() == op->getBlock())
    return fill;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Transform script writer
//===----------------------------------------------------------------------===//

std::string intList(ArrayRef<int64_t> values) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(values, os);
  os << "]";
  return s;
}

std::string anyOpTypes(unsigned n) {
  std::string s;
  for (unsigned i = 0; i < n; ++i)
    s += (i ? ", " : "") + std::string("!transform.any_op");
  return s;
}

std::string zeroOf(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "0.0 : " << t;
  return s;
}

struct Options {
  Isa isa = Isa::AVX512;
  int threads = 1;
  SmallVector<int64_t> registerTile; // optional override (mr, nr)
  int64_t mc = 0, nc = 0, kc = 0;    // 0: the default
};

/// A kernel awaiting vectorization: the op tiled to one step of the
/// reduction, and its reduction loops (inner to outer).
struct Kernel {
  std::string op;
  SmallVector<std::string> reductionLoops;
  bool multiReduction = false;
};

class ScheduleWriter {
public:
  ScheduleWriter(const Contraction &c, const Options &opts, bool hasFill)
      : c(c), opts(opts), fillAtHandle(hasFill) {
    tiles = registerTiles(opts.isa, c.accBits);
    if (opts.registerTile.size() == 2 && opts.registerTile[0] > 0 &&
        opts.registerTile[1] > 0)
      tiles.assign({RegTile{opts.registerTile[0], opts.registerTile[1]}});
    // Measured on AVX-512 (Zen 4) for f32 and f64 alike (docs/performance.md).
    mcTarget = opts.mc > 0 ? opts.mc : 66;
    ncTarget = opts.nc > 0 ? opts.nc : 1024;
    kcTarget = opts.kc > 0 ? opts.kc : 512;
    lanes = vectorLanes(opts.isa, c.accBits);
  }

  /// The whole script for the op marked with `id`.
  std::string build(int64_t id) {
    os << "module attributes {transform.with_named_sequence} {\n"
       << "transform.named_sequence @__transform_main("
          "%root: !transform.any_op {transform.readonly}) {\n";
    std::string op = fresh("op");
    line(op + " = transform.structured.match attributes {" + kMarker.str() +
         " = " + std::to_string(id) +
         " : i64} in %root : (!transform.any_op) -> !transform.any_op");
    if (fillAtHandle) {
      fill = fresh("fill");
      line(fill + " = transform.structured.match attributes {" +
           kFillMarker.str() + " = " + std::to_string(id) +
           " : i64} in %root : (!transform.any_op) -> !transform.any_op");
    }
    scheduleOp(op, c.extents);
    finish();
    os << "transform.yield\n}\n}\n";
    return text;
  }

private:
  const Contraction &c;
  const Options &opts;
  SmallVector<RegTile> tiles;
  int64_t mcTarget, ncTarget, kcTarget, lanes;
  std::string text;
  llvm::raw_string_ostream os{text};
  unsigned counter = 0;
  SmallVector<Kernel> kernels;
  SmallVector<std::pair<std::string, SmallVector<int64_t>>> packs;
  // The fill of the op's init, when it was outlined with the op: it is
  // fused into the op's tiles while the handle being scheduled still has it
  // as its init (no split since), down to the register tiles where it can
  // (no reduction loop outside them); fused register-tile fills are
  // vectorized, so that the accumulators start from the fill value.
  bool fillAtHandle;
  std::string fill;
  SmallVector<std::string> registerFills;

  std::string fresh(StringRef prefix) {
    return ("%" + prefix + std::to_string(counter++)).str();
  }
  void line(const std::string &s) { os << "  " << s << "\n"; }

  static int64_t product(ArrayRef<int64_t> ext) {
    int64_t p = 1;
    for (int64_t e : ext)
      p *= e;
    return p;
  }

  /// Splits `handle` along `dim` after `chunk` iterations; returns the two
  /// parts.
  std::pair<std::string, std::string> split(const std::string &handle,
                                            unsigned dim, int64_t chunk) {
    fillAtHandle = false;
    std::string both = fresh("split");
    line(both + " = transform.structured.split " + handle + " after " +
         std::to_string(chunk) + " {dimension = " + std::to_string(dim) +
         "} : !transform.any_op");
    std::string lo = fresh("lo"), hi = fresh("hi");
    line(lo + ", " + hi + " = transform.split_handle " + both +
         " : (!transform.any_op) -> (!transform.any_op, !transform.any_op)");
    return {lo, hi};
  }

  /// tile_using_for; returns the tiled op and the loops, outer to inner.
  std::pair<std::string, SmallVector<std::string>>
  tileFor(const std::string &handle, ArrayRef<int64_t> sizes,
          ArrayRef<int64_t> interchange, bool fuse = false) {
    unsigned numLoops = llvm::count_if(sizes, [](int64_t s) { return s; });
    if (numLoops == 0)
      return {handle, {}};
    std::string tiled = fresh("tiled"), loops = fresh("loops");
    std::string lhs = tiled + ", " + loops;
    if (numLoops > 1)
      lhs += ":" + std::to_string(numLoops);
    if (fuse)
      line(lhs + " = transform.structured.fuse " + handle + " tile_sizes " +
           intList(sizes) + " interchange " + intList(interchange) +
           " : (!transform.any_op) -> (" + anyOpTypes(numLoops + 1) + ")");
    else
      line(lhs + " = transform.structured.tile_using_for " + handle +
           " tile_sizes " + intList(sizes) +
           " interchange = " + intList(interchange) +
           " : (!transform.any_op) -> (" + anyOpTypes(numLoops + 1) + ")");
    SmallVector<std::string> result;
    for (unsigned i = 0; i < numLoops; ++i)
      result.push_back(numLoops > 1 ? loops + "#" + std::to_string(i) : loops);
    return {tiled, result};
  }

  /// Level 0: split the u and v edges off, then schedule each part.
  void scheduleOp(const std::string &handle, ArrayRef<int64_t> ext) {
    // Pick the register tile: the preferred ones are faster (more
    // accumulators per load), edges are slower (estimated 3x): minimize the
    // estimated time.
    // A short u that no preferred tile divides (e.g. the 10 output rows of a
    // TT core) also gets a tile as tall as itself and two vectors wide, when
    // its accumulators fit (no u edge: the edge would read the whole B
    // operand again with few rows). Extents below every preferred mr keep
    // the wider tile cut to their height.
    SmallVector<RegTile> candidates(tiles);
    int64_t maxAccumulators = opts.isa == Isa::AVX2 ? 12 : 24;
    int64_t minMr = tiles.front().mr;
    for (RegTile t : tiles)
      minMr = std::min(minMr, t.mr);
    if (opts.registerTile.empty() && ext[c.u] > minMr &&
        2 * ext[c.u] <= maxAccumulators &&
        llvm::none_of(tiles, [&](RegTile t) { return t.mr == ext[c.u]; }))
      candidates.push_back({ext[c.u], 2 * lanes});
    RegTile rt = candidates.front();
    double bestCost = 0;
    double reduction = 1;
    for (unsigned d : c.kDims)
      reduction *= static_cast<double>(ext[d]);
    // A transposed tile of one row lowers to scalar code: no u part of one
    // row (unless every tile leaves one).
    auto oneRow = [&](RegTile t) {
      return c.transposedOutput && ext[c.u] % t.mr == 1;
    };
    bool avoidOneRow = !llvm::all_of(candidates, oneRow);
    bool found = false;
    for (auto [i, t] : llvm::enumerate(candidates)) {
      if (avoidOneRow && oneRow(t))
        continue;
      double eu = ext[c.u], ev = ext[c.v];
      double edge = std::fmod(eu, t.mr) / eu + std::fmod(ev, t.nr) / ev;
      double cost = (1.0 + 0.08 * i) * (1.0 + 2.0 * std::min(edge, 1.0));
      // Splitting u at the top keeps the fill out of the tiles: the whole
      // result is zeroed, then read back, about 4 multiply-adds per element
      // against the K per element of the product (a 32768 x 16 x 80 GEMM:
      // 10 MB zeroed for 16 multiply-adds per element).
      if (fillAtHandle && eu > t.mr && std::fmod(eu, t.mr) != 0)
        cost *= 1.0 + 4.0 / reduction;
      if (!found || cost < bestCost) {
        found = true;
        bestCost = cost;
        rt = t;
      }
    }

    // Parts along u: [main (multiple of mr), edge (< mr)].
    struct Part {
      std::string handle;
      SmallVector<int64_t> ext;
      int64_t mr, nr;
    };
    SmallVector<Part> uParts;
    int64_t eu = ext[c.u];
    if (eu > rt.mr && eu % rt.mr != 0) {
      int64_t main = eu / rt.mr * rt.mr;
      auto [lo, hi] = split(handle, c.u, main);
      SmallVector<int64_t> e0(ext), e1(ext);
      e0[c.u] = main;
      e1[c.u] = eu - main;
      uParts.push_back({lo, e0, rt.mr, rt.nr});
      uParts.push_back({hi, e1, eu - main, rt.nr});
    } else {
      uParts.push_back(
          {handle, SmallVector<int64_t>(ext), std::min(eu, rt.mr), rt.nr});
    }
    for (Part &p : uParts) {
      int64_t ev = p.ext[c.v];
      // Divisible, or a single cache block along v whose edge blis() splits
      // off inside the cache loops.
      int64_t ncUnits = std::max<int64_t>(1, ncTarget / rt.nr);
      if (ev % rt.nr == 0 ||
          (ev > rt.nr && ev / rt.nr <= ncUnits + ncUnits / 2)) {
        threadAndSchedule(p.handle, p.ext, p.mr, rt.nr, 0);
        continue;
      }
      // Along v: the main part, then the edge in power-of-two multiples of
      // the vector length (40 = 32 + 8 -> 32, 16 padded), each with an
      // exact (or padded) register tile.
      SmallVector<int64_t> widths;
      int64_t main = ev / rt.nr * rt.nr;
      if (main)
        widths.push_back(main);
      for (int64_t rest = ev - main; rest > 0;) {
        int64_t w = lanes;
        while (w * 2 <= rest)
          w *= 2;
        w = std::min(w, rest);
        widths.push_back(w);
        rest -= w;
      }
      std::string remaining = p.handle;
      SmallVector<int64_t> e(p.ext);
      for (auto [i, w] : llvm::enumerate(widths)) {
        std::string part = remaining;
        SmallVector<int64_t> ew(e);
        ew[c.v] = w;
        if (i + 1 < widths.size()) {
          auto [lo, hi] = split(remaining, c.v, w);
          part = lo;
          remaining = hi;
          e[c.v] -= w;
        }
        int64_t nr = i == 0 && main ? rt.nr : w;
        threadAndSchedule(part, ew, p.mr, nr, nr == rt.nr ? 0 : paddedWidth(w));
      }
    }
  }

  /// Width a narrow register tile is padded to: a power-of-two number of
  /// vectors (0: no padding needed).
  int64_t paddedWidth(int64_t w) {
    int64_t p = lanes;
    while (p < w)
      p *= 2;
    return p == w ? 0 : p;
  }

  /// Level 1: an scf.forall with equal static chunks over a parallel dim.
  void threadAndSchedule(const std::string &handle, ArrayRef<int64_t> ext,
                         int64_t mr, int64_t nr, int64_t padV, int depth = 0) {
    int64_t t = opts.threads;
    // Not worth a parallel region below ~2^20 multiply-adds (~20 us).
    if (t <= 1 || product(ext) < (int64_t(1) << 20) || depth > 2)
      return cacheSchedule(handle, ext, mr, nr, padV);
    // Candidates: (dim, unit) where the chunk must be a multiple of unit.
    SmallVector<std::pair<unsigned, int64_t>> candidates;
    for (unsigned d : c.batchDims)
      candidates.push_back({d, 1});
    for (unsigned d : c.nDims)
      if (d != c.v)
        candidates.push_back({d, 1});
    for (unsigned d : c.mDims)
      if (d != c.u)
        candidates.push_back({d, 1});
    candidates.push_back({c.v, nr});
    candidates.push_back({c.u, mr});
    for (auto [d, unit] : candidates) {
      if (ext[d] % unit != 0)
        continue;
      int64_t units = ext[d] / unit;
      if (units >= t && units % t == 0)
        return forall(handle, ext, d, units / t * unit, mr, nr, padV);
    }
    // No dimension divides: thread the largest multiple of t units of the
    // dimension with most units, the rest recursively.
    unsigned best = c.v;
    int64_t bestUnits = 0, bestUnit = 1;
    for (auto [d, unit] : candidates) {
      if (ext[d] % unit != 0)
        continue;
      if (ext[d] / unit > bestUnits) {
        best = d;
        bestUnits = ext[d] / unit;
        bestUnit = unit;
      }
    }
    if (bestUnits < t)
      return cacheSchedule(handle, ext, mr, nr, padV);
    int64_t main = bestUnits / t * t * bestUnit;
    auto [lo, hi] = split(handle, best, main);
    SmallVector<int64_t> e0(ext), e1(ext);
    e0[best] = main;
    e1[best] = ext[best] - main;
    forall(lo, e0, best, main / t, mr, nr, padV);
    threadAndSchedule(hi, e1, mr, nr, padV, depth + 1);
  }

  void forall(const std::string &handle, ArrayRef<int64_t> ext, unsigned dim,
              int64_t chunk, int64_t mr, int64_t nr, int64_t padV) {
    SmallVector<int64_t> sizes(c.numLoops, 0);
    sizes[dim] = chunk;
    std::string tiled = fresh("tiled"), loop = fresh("forall");
    line(tiled + ", " + loop + " = transform.structured.tile_using_forall " +
         handle + " tile_sizes " + intList(sizes) +
         " : (!transform.any_op) -> (!transform.any_op, !transform.any_op)");
    if (fillAtHandle) {
      std::string fused = fresh("fill"), containing = fresh("forall");
      line(fused + ", " + containing +
           " = transform.structured.fuse_into_containing_op " + fill +
           " into " + loop +
           " : (!transform.any_op, !transform.any_op) -> (!transform.any_op, "
           "!transform.any_op)");
      fill = fused;
    }
    SmallVector<int64_t> e(ext);
    e[dim] = chunk;
    cacheSchedule(tiled, e, mr, nr, padV);
  }

  /// Cache tile of the register-tiled dim `d` (extent `e`, register tile
  /// `r`, target `target`): 0 when the whole extent is one tile, -1 when no
  /// divisor is close to the target (the caller splits). A divisor up to
  /// `maxFactor` times the target beats a split: the split-off rest would
  /// pack the other operand again (for M: 498 rows of f64, Mc 498 runs at
  /// 46 GFLOP/s, 462 + 36 rows with Mc 66 at 40).
  static int64_t cacheTile(int64_t e, int64_t r, int64_t target,
                           int64_t maxFactor) {
    if (e % r != 0)
      return 0; // narrow edge: a single tile
    int64_t units = e / r, t = std::max<int64_t>(1, target / r);
    if (units <= t + t / 2)
      return 0;
    int64_t best = -1;
    double bestDistance = 0;
    for (int64_t d = std::max<int64_t>(1, t / 2); d <= maxFactor * t; ++d) {
      if (units % d != 0)
        continue;
      double distance = std::fabs(std::log(double(d) / double(t)));
      if (best < 0 || distance < bestDistance) {
        best = d;
        bestDistance = distance;
      }
    }
    return best < 0 ? -1 : best * r;
  }

  /// Level 2: choose cache tiles for u and v dividing the extents (splitting
  /// off a rest where no divisor is close to the target).
  void cacheSchedule(const std::string &handle, ArrayRef<int64_t> ext,
                     int64_t mr, int64_t nr, int64_t padV) {
    int64_t tu = cacheTile(ext[c.u], mr, mcTarget, /*maxFactor=*/8);
    if (tu < 0) {
      int64_t t = std::max<int64_t>(1, mcTarget / mr) * mr;
      int64_t bulk = ext[c.u] / t * t;
      auto [lo, hi] = split(handle, c.u, bulk);
      SmallVector<int64_t> e0(ext), e1(ext);
      e0[c.u] = bulk;
      e1[c.u] = ext[c.u] - bulk;
      cacheScheduleV(lo, e0, mr, nr, padV, t);
      cacheScheduleV(hi, e1, mr, nr, padV, 0);
      return;
    }
    cacheScheduleV(handle, ext, mr, nr, padV, tu);
  }

  void cacheScheduleV(const std::string &handle, ArrayRef<int64_t> ext,
                      int64_t mr, int64_t nr, int64_t padV, int64_t tu) {
    int64_t tv = cacheTile(ext[c.v], nr, ncTarget, /*maxFactor=*/2);
    if (tv < 0) {
      int64_t t = std::max<int64_t>(1, ncTarget / nr) * nr;
      int64_t bulk = ext[c.v] / t * t;
      auto [lo, hi] = split(handle, c.v, bulk);
      SmallVector<int64_t> e0(ext), e1(ext);
      e0[c.v] = bulk;
      e1[c.v] = ext[c.v] - bulk;
      blis(lo, e0, mr, nr, padV, tu, t);
      blis(hi, e1, mr, nr, padV, tu, 0);
      return;
    }
    blis(handle, ext, mr, nr, padV, tu, tv);
  }

  /// Largest divisor of e that is at most `budget` (at least 1).
  static int64_t largestDivisorAtMost(int64_t e, int64_t budget) {
    for (int64_t d = std::min(e, std::max<int64_t>(1, budget)); d > 1; --d)
      if (e % d == 0)
        return d;
    return 1;
  }

  /// Level 3: the BLIS loop nest for one static part. tu/tv: cache tiles of
  /// u and v (0: the whole extent).
  void blis(const std::string &handle, ArrayRef<int64_t> ext, int64_t mr,
            int64_t nr, int64_t padV, int64_t tu, int64_t tv) {
    unsigned n = c.numLoops;
    SmallVector<int64_t> tile(ext); // cache tile per dim (extent = untiled)
    for (unsigned d : c.batchDims)
      tile[d] = 1;
    if (tu > 0)
      tile[c.u] = tu;
    if (tv > 0)
      tile[c.v] = tv;
    // Outer M/N dims share the remaining budget of the cache tile.
    auto group = [&](ArrayRef<unsigned> dims, unsigned inner, int64_t target) {
      int64_t budget = std::max<int64_t>(1, target / tile[inner]);
      for (unsigned d : llvm::reverse(dims)) {
        if (d == inner)
          continue;
        tile[d] = largestDivisorAtMost(ext[d], budget);
        budget = std::max<int64_t>(1, budget / tile[d]);
      }
    };
    group(c.mDims, c.u, mcTarget);
    group(c.nDims, c.v, ncTarget);
    // K: innermost (in B) first; a dimension that does not fit gets a
    // divisor if one is close, else a balanced tile (the last tile is padded
    // with zeros).
    int64_t budget = kcTarget;
    for (unsigned d : llvm::reverse(c.kDims)) {
      if (ext[d] <= budget) {
        tile[d] = ext[d];
        budget = std::max<int64_t>(1, budget / ext[d]);
        continue;
      }
      int64_t div = largestDivisorAtMost(ext[d], budget);
      if (div * 2 >= budget || budget < 8) {
        tile[d] = div;
      } else {
        int64_t count = (ext[d] + budget - 1) / budget;
        tile[d] = (ext[d] + count - 1) / count;
      }
      budget = 1;
    }

    // Cache level: loops over batch, N, K, M (outer to inner).
    SmallVector<int64_t> cacheSizes(n, 0), order;
    auto tiledAtCache = [&](unsigned d) { return tile[d] < ext[d]; };
    for (unsigned d = 0; d < n; ++d)
      if (tiledAtCache(d))
        cacheSizes[d] = tile[d];
    SmallVector<unsigned> mCacheDims;
    for (unsigned d : c.batchDims)
      order.push_back(d);
    for (unsigned d : c.nDims)
      order.push_back(d);
    for (unsigned d : c.kDims)
      order.push_back(d);
    for (unsigned d : c.mDims) {
      order.push_back(d);
      if (tiledAtCache(d))
        mCacheDims.push_back(d);
    }
    // The fill follows the cache tiles unless a K loop is among them (it
    // would zero the accumulated result again).
    if (llvm::any_of(c.kDims, [&](unsigned d) { return tiledAtCache(d); }))
      fillAtHandle = false;
    auto [op1, cacheLoops] =
        tileFor(handle, cacheSizes, order, /*fuse=*/fillAtHandle);
    // Loops of M dims are the innermost cache loops.
    SmallVector<std::string> mCacheLoops(cacheLoops.end() - mCacheDims.size(),
                                         cacheLoops.end());

    // An N edge of a single cache block is split here, inside the cache
    // loops, where the packed A block is still hot (a separate op would read
    // all of A again): the main part, then power-of-two multiples of the
    // vector length (40 = 32 + 8 -> 32, 16 padded).
    if (!padV && tile[c.v] % nr != 0) {
      SmallVector<int64_t> widths;
      int64_t main = tile[c.v] / nr * nr;
      if (main)
        widths.push_back(main);
      for (int64_t rest = tile[c.v] - main; rest > 0;) {
        int64_t w = lanes;
        while (w * 2 <= rest)
          w *= 2;
        w = std::min(w, rest);
        widths.push_back(w);
        rest -= w;
      }
      std::string remaining = op1;
      for (auto [i, w] : llvm::enumerate(widths)) {
        std::string part = remaining;
        if (i + 1 < widths.size()) {
          auto [lo, hi] = split(remaining, c.v, w);
          part = lo;
          remaining = hi;
        }
        SmallVector<int64_t> e(ext), t(tile);
        e[c.v] = t[c.v] = w;
        bool isMain = i == 0 && main;
        int64_t nrPart = isMain ? nr : w;
        registerLevel(part, e, t, mr, nrPart, isMain ? 0 : paddedWidth(w),
                      mCacheLoops);
      }
      return;
    }
    registerLevel(op1, ext, tile, mr, nr, padV, mCacheLoops);
  }

  /// Register tiles, packing and the kernel of one cache block `op1`
  /// (cache-tile extents `tile`, op extents `ext`).
  void registerLevel(const std::string &op1, ArrayRef<int64_t> ext,
                     ArrayRef<int64_t> tile, int64_t mr, int64_t nr,
                     int64_t padV, ArrayRef<std::string> mCacheLoops) {
    unsigned n = c.numLoops;
    // Register level: N then M.
    SmallVector<int64_t> regSizes(n, 0), regOrder;
    for (unsigned d : c.nDims) {
      regOrder.push_back(d);
      int64_t r = d == c.v ? nr : 1;
      if (tile[d] > r)
        regSizes[d] = r;
    }
    for (unsigned d : c.mDims) {
      regOrder.push_back(d);
      int64_t r = d == c.u ? mr : 1;
      if (tile[d] > r)
        regSizes[d] = r;
    }
    for (unsigned d : c.batchDims)
      regOrder.push_back(d);
    for (unsigned d : c.kDims)
      regOrder.push_back(d);
    auto [op2, regLoops] =
        tileFor(op1, regSizes, regOrder, /*fuse=*/fillAtHandle);
    if (fillAtHandle && !regLoops.empty()) {
      std::string f = fresh("regfill");
      line(f + " = transform.structured.match ops{[\"linalg.fill\"]} in " +
           regLoops.front() + " : (!transform.any_op) -> !transform.any_op");
      registerFills.push_back(f);
    }

    // Pack A and B where they are reused: B (a Kc x nr panel) by every
    // register tile along M, A (an mr x Kc panel) by every register tile
    // along N. A thin edge reads the other operand once: no packing, the pad
    // folds away unless it pads.
    int64_t mRegTiles = 1, nRegTiles = 1;
    bool padsK = false;
    for (unsigned d : c.mDims)
      mRegTiles *= d == c.u ? tile[d] / mr : tile[d];
    for (unsigned d : c.nDims)
      nRegTiles *= d == c.v ? tile[d] / nr : tile[d];
    for (unsigned d : c.kDims)
      padsK |= ext[d] % tile[d] != 0;
    bool packB = mRegTiles > 1 || padV || padsK;
    // A's panel is already packed when its innermost dimension is u, whole
    // in one register tile (e.g. the [K x 10] slices of a batched product
    // stored through a transposed tile): its rows are the k steps.
    bool aPacked = c.operandDims[c.aOperand].back() == c.u &&
                   tile[c.u] == ext[c.u] && ext[c.u] <= mr;
    bool packA = padsK || (nRegTiles > 1 && !aPacked);
    SmallVector<int64_t> nofold(3, 0);
    nofold[c.aOperand] = packA;
    nofold[c.bOperand] = packB;
    SmallVector<std::string> values;
    for (Type t : c.elementTypes)
      values.push_back(zeroOf(t));
    SmallVector<int64_t> dims, multiple(n, 1);
    for (unsigned d = 0; d < n; ++d)
      dims.push_back(d);
    if (padV)
      multiple[c.v] = padV;
    std::string padded = fresh("padded"), pads = fresh("pads"),
                copy = fresh("copy");
    std::string padLine = padded + ", " + pads + ", " + copy +
                          " = transform.structured.pad " + op2;
    if (padV)
      padLine += " pad_to_multiple_of " + intList(multiple);
    padLine += " {padding_values = [" + llvm::join(values, ", ") +
               "], padding_dimensions = " + intList(dims) +
               ", nofold_flags = " + intList(nofold) +
               ", copy_back_op = \"none\"} : "
               "(!transform.any_op) -> (!transform.any_op, "
               "!transform.any_op, !transform.any_op)";
    line(padLine);
    std::string padA = fresh("padA"), padB = fresh("padB");
    if (packA)
      line(padA + " = transform.get_producer_of_operand " + padded + "[" +
           std::to_string(c.aOperand) +
           "] : (!transform.any_op) -> !transform.any_op");
    if (packB)
      line(padB + " = transform.get_producer_of_operand " + padded + "[" +
           std::to_string(c.bOperand) +
           "] : (!transform.any_op) -> !transform.any_op");
    if (packB)
      for (const std::string &loop : mCacheLoops)
        line("transform.apply_licm to " + loop + " : !transform.any_op");
    unsigned hoistB = packB ? mCacheLoops.size() + regLoops.size() : 0;
    unsigned hoistA = packA ? regLoops.size() : 0;
    // Register-tile extents (after padding) of every loop dim.
    SmallVector<int64_t> regExt(n, 1);
    for (unsigned d = 0; d < n; ++d) {
      if (d == c.u)
        regExt[d] = std::min(tile[d], mr);
      else if (d == c.v)
        regExt[d] = padV ? padV : std::min(tile[d], nr);
      else if (c.roles[d] == Role::K)
        regExt[d] = tile[d];
    }
    auto packSizes = [&](unsigned operand) {
      SmallVector<int64_t> sizes;
      for (unsigned d : c.operandDims[operand])
        sizes.push_back(regExt[d]);
      return sizes;
    };
    // The packing copies are vectorized (one copy into the packed buffer
    // instead of fill + copy + copy after bufferization).
    // A packed operand: its pad, hoisted out of `hoist` loops if any.
    auto pack = [&](const std::string &pad, unsigned hoist, const char *name,
                    unsigned operand) {
      std::string h = pad;
      if (hoist) {
        h = fresh(name);
        line(h + " = transform.structured.hoist_pad " + pad + " by " +
             std::to_string(hoist) +
             " loops : (!transform.any_op) -> !transform.any_op");
      }
      packs.push_back({h, packSizes(operand)});
    };
    if (packB)
      pack(padB, hoistB, "packB", c.bOperand);
    if (packA)
      pack(padA, hoistA, "packA", c.aOperand);

    // The reduction by one step: the kernel.
    SmallVector<int64_t> kSizes(n, 0), kOrder;
    for (unsigned d : c.kDims) {
      kOrder.push_back(d);
      if (tile[d] > 1)
        kSizes[d] = 1;
    }
    for (unsigned d = 0; d < n; ++d)
      if (c.roles[d] != Role::K)
        kOrder.push_back(d);
    auto [kernel, kLoops] = tileFor(padded, kSizes, kOrder);
    Kernel k;
    k.op = kernel;
    k.reductionLoops.assign(kLoops.rbegin(), kLoops.rend());
    // Several (unit) reduction dims: outer products degrade to scalars.
    k.multiReduction = c.kDims.size() > 1;
    kernels.push_back(k);
  }

  /// Vectorize every kernel, form vector.contract immediately, keep the
  /// accumulators in registers, lower to FMAs.
  void finish() {
    for (const auto &[pad, sizes] : packs)
      line("transform.structured.vectorize " + pad + " vector_sizes " +
           intList(sizes) + " : !transform.any_op");
    for (const std::string &f : registerFills)
      line("transform.structured.vectorize " + f + " : !transform.any_op");
    for (const Kernel &k : kernels)
      line("transform.structured.vectorize " + k.op + " : !transform.any_op");
    // A transposed register tile keeps its permuted reads and writes of the
    // result until the accumulators are hoisted out of the reduction loops:
    // lowered first, the transposes would stay inside the loops.
    const std::string contractions =
        "transform.apply_patterns to %root {\n"
        "    transform.apply_patterns.vector.reduction_to_contract\n"
        "    transform.apply_patterns.vector.sink_ops\n";
    const std::string permutations =
        "    transform.apply_patterns.vector.transfer_permutation_patterns\n";
    const std::string end = "  } : !transform.any_op";
    // (Its unit dimensions go first, so that the hoisted accumulators are
    // the 2-D register tile.)
    line(contractions +
         (c.transposedOutput
              ? "    transform.apply_patterns.vector."
                "cast_away_vector_leading_one_dim\n"
              : permutations) +
         end);
    line("transform.apply_patterns to %root {\n"
         "    transform.apply_patterns.canonicalization\n"
         "    transform.apply_patterns.tensor.fold_tensor_subset_ops\n"
         "  } : !transform.any_op");
    for (const Kernel &k : kernels)
      for (const std::string &loop : k.reductionLoops)
        line("transform.loop.hoist_loop_invariant_subsets " + loop +
             " : !transform.any_op");
    if (c.transposedOutput) {
      line(contractions + permutations + end);
      line("transform.apply_patterns to %root {\n"
           "    transform.apply_patterns.canonicalization\n"
           "  } : !transform.any_op");
    }
    bool multi =
        llvm::any_of(kernels, [](const Kernel &k) { return k.multiReduction; });
    line(
        "transform.apply_patterns to %root {\n"
        "    transform.apply_patterns.vector.lower_masked_transfers\n"
        "    transform.apply_patterns.vector.lower_masks\n"
        "    transform.apply_patterns.vector.cast_away_vector_leading_one_dim\n"
        "  } : !transform.any_op");
    line(std::string("transform.apply_patterns to %root {\n"
                     "    transform.apply_patterns.vector.lower_contraction "
                     "lowering_strategy = ") +
         (multi ? "\"parallelarith\"" : "\"outerproduct\"") +
         "\n"
         "    transform.apply_patterns.vector.lower_outerproduct\n"
         "  } : !transform.any_op");
    line("transform.apply_patterns to %root {\n"
         "    transform.apply_patterns.canonicalization\n"
         "  } : !transform.any_op");
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct CPUSchedulePass : public tn::impl::TNCPUScheduleBase<CPUSchedulePass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    linalg::registerTransformDialectExtension(registry);
    scf::registerTransformDialectExtension(registry);
    tensor::registerTransformDialectExtension(registry);
    vector::registerTransformDialectExtension(registry);
    bufferization::registerTransformDialectExtension(registry);
    linalg::registerTilingInterfaceExternalModels(registry);
    linalg::registerSubsetOpInterfaceExternalModels(registry);
    linalg::registerValueBoundsOpInterfaceExternalModels(registry);
    tensor::registerTilingInterfaceExternalModels(registry);
    tensor::registerValueBoundsOpInterfaceExternalModels(registry);
    tensor::registerSubsetOpInterfaceExternalModels(registry);
    arith::registerValueBoundsOpInterfaceExternalModels(registry);
    affine::registerValueBoundsOpInterfaceExternalModels(registry);
    scf::registerValueBoundsOpInterfaceExternalModels(registry);
    vector::registerValueBoundsOpInterfaceExternalModels(registry);
    vector::registerSubsetOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<Isa> isa = parseIsa(target);
    if (failed(isa)) {
      module.emitError() << "tn-cpu-schedule: unknown target '" << target
                         << "' (host, x86-64, x86-64-avx512, aarch64)";
      return signalPassFailure();
    }
    Options opts;
    opts.isa = *isa;
    opts.threads = threads > 0
                       ? threads
                       : std::max(1u, std::thread::hardware_concurrency());
    opts.registerTile.assign(registerTile.begin(), registerTile.end());
    if (cacheTiles.size() == 3) {
      opts.mc = cacheTiles[0];
      opts.nc = cacheTiles[1];
      opts.kc = cacheTiles[2];
    }

    // A zero fill shared by several ops (CSE merges identical ones) is one
    // fill per user: each can then be fused into its op's tiles, and
    // bufferization need not copy the shared zeroed buffer for every user
    // but one.
    SmallVector<linalg::FillOp> sharedFills;
    module.walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() && !fill->getResult(0).hasOneUse() &&
          !fill->getResult(0).use_empty())
        sharedFills.push_back(fill);
    });
    for (linalg::FillOp fill : sharedFills) {
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : fill->getResult(0).getUses())
        uses.push_back(&use);
      for (OpOperand *use : llvm::drop_begin(uses)) {
        OpBuilder b(use->getOwner());
        use->set(b.clone(*fill)->getResult(0));
      }
    }

    // The candidates, each marked so that its script can match it.
    SmallVector<linalg::LinalgOp> candidates;
    module.walk([&](linalg::LinalgOp op) {
      FailureOr<Contraction> c = analyze(op);
      if (failed(c))
        return;
      int64_t macs = 1;
      for (int64_t e : c->extents)
        macs *= e;
      if (macs < minFlops)
        return;
      candidates.push_back(op);
    });

    for (auto [id, target] : llvm::enumerate(candidates)) {
      FailureOr<Contraction> c = analyze(target);
      if (failed(c))
        continue;
      ScheduleWriter writer(*c, opts, /*hasFill=*/bool(fusableFill(target)));
      std::string script = writer.build(id);
      if (dumpSchedule) {
        llvm::errs() << "// tn-cpu-schedule: " << target->getName();
        if (auto func = target->getParentOfType<func::FuncOp>())
          llvm::errs() << " in @" << func.getSymName();
        llvm::errs() << "\n" << script;
      }
      if (failed(applySchedule(module, target, id, script)))
        ++numFailed;
      else
        ++numScheduled;
    }
  }

  /// Outlines `target` into a function of its own, applies `script` to it
  /// and, on success, inlines the result in place of `target`. On failure
  /// nothing changes. (Patterns and verification only see the small
  /// function: the cost per op does not grow with the function.)
  LogicalResult applySchedule(ModuleOp module, linalg::LinalgOp target,
                              int64_t id, StringRef script) {
    MLIRContext *ctx = &getContext();
    std::string diagnostics;
    llvm::raw_string_ostream diagOs(diagnostics);
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
      diagOs << diag << "\n";
      for (Diagnostic &note : diag.getNotes())
        diagOs << "  note: " << note << "\n";
      return success();
    });
    auto fail = [&](StringRef what) {
      if (dumpSchedule)
        llvm::errs() << "// tn-cpu-schedule: " << what << "; op left to the "
                     << "generic lowering\n"
                     << diagnostics;
      return failure();
    };
    OwningOpRef<ModuleOp> transforms =
        parseSourceString<ModuleOp>(script, ParserConfig(ctx));
    if (!transforms)
      return fail("the generated script does not parse");
    Operation *entry = nullptr;
    transforms->walk([&](transform::NamedSequenceOp seq) {
      if (seq.getSymName() == "__transform_main")
        entry = seq;
    });
    if (!entry)
      return fail("no entry point");

    // Outline: the op, preceded by the fill of its init when the op is the
    // fill's only user (the script fuses it into the op's tiles).
    Location loc = target.getLoc();
    SmallVector<Operation *> ops;
    if (linalg::FillOp fill = fusableFill(target))
      ops.push_back(fill);
    ops.push_back(target);
    SmallVector<Value> args;
    for (Operation *op : ops)
      for (Value v : op->getOperands())
        if (!llvm::is_contained(ops, v.getDefiningOp()) &&
            !llvm::is_contained(args, v))
          args.push_back(v);
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    SmallVector<Type> argTypes;
    for (Value v : args)
      argTypes.push_back(v.getType());
    auto outlined = func::FuncOp::create(
        builder, loc, ("__tn_cpu_schedule_" + Twine(id)).str(),
        builder.getFunctionType(argTypes, target->getResultTypes()));
    outlined.setPrivate();
    Block *body = outlined.addEntryBlock();
    builder.setInsertionPointToStart(body);
    IRMapping toOutlined;
    toOutlined.map(args, body->getArguments());
    Operation *copy = nullptr;
    for (Operation *op : ops)
      copy = builder.clone(*op, toOutlined);
    auto idAttr = IntegerAttr::get(IntegerType::get(ctx, 64), id);
    copy->setAttr(kMarker, idAttr);
    if (ops.size() > 1)
      toOutlined.lookup(ops.front()->getResult(0))
          .getDefiningOp()
          ->setAttr(kFillMarker, idAttr);
    func::ReturnOp::create(builder, loc, copy->getResults());

    transform::TransformOptions options;
    options.enableExpensiveChecks(false);
    LogicalResult result = transform::applyTransformNamedSequence(
        outlined, entry, *transforms, options);
    if (failed(result) || failed(verify(outlined))) {
      outlined.erase();
      return fail("the schedule failed");
    }

    // Inline in place of the target.
    builder.setInsertionPoint(target);
    IRMapping toTarget;
    toTarget.map(body->getArguments(), args);
    Block &scheduled = outlined.getBody().front();
    for (Operation &op : scheduled.without_terminator()) {
      Operation *clone = builder.clone(op, toTarget);
      clone->walk([](Operation *o) {
        o->removeAttr(kMarker);
        o->removeAttr(kFillMarker);
      });
    }
    SmallVector<Value> results;
    for (Value v : scheduled.getTerminator()->getOperands())
      results.push_back(toTarget.lookupOrDefault(v));
    target->replaceAllUsesWith(results);
    for (Operation *op : llvm::reverse(ops))
      op->erase();
    outlined.erase();
    return success();
  }
};

} // namespace
