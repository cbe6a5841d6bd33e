//===- Passes.td - CPU code-generation passes of tnc ------*- tablegen -*-===//

#ifndef TN_TRANSFORMS_CPU_PASSES_TD
#define TN_TRANSFORMS_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def TNCPUSchedule : Pass<"tn-cpu-schedule", "::mlir::ModuleOp"> {
  let summary = "Tile, pack and vectorize contraction-like linalg ops for the host";
  let description = [{
    Schedules every contraction-like `linalg` op on static tensors (matmul,
    batch_matmul, linalg.contract and `linalg.generic` contractions with
    f32/f64 accumulators, including bf16/f16 operands extended in the body)
    with a BLIS-like transform-dialect schedule generated from the op's shape:

    - roles: the output's innermost dimension `v` is the vector dimension; the
      input that has `v` as its own innermost dimension plays GEMM's B, the
      other plays A; `u` is the output's innermost dimension of A. Other
      dimensions are tiled by one at the register level. When the last
      parallel loop is another output dimension and operand 1's innermost
      one (convert-tn-to-linalg's layout for short result rows), it is `v`
      instead: the register tile is stored transposed, its accumulators
      transposed once before and once after the reduction loops;
    - the register tile (mr x nr along u x v; `register-tile`, else from the
      target and element type: 6 x 4 vectors, 8 x 2 vectors or 4 x 4 vectors,
      or a u extent of at most 12 rows (6 on AVX2) x 2 vectors, whichever
      leaves the least work to the edges, counting the unfused fill when a
      u edge is split off at the top) must divide the main
      part: the u edge and, for wide ops, the v edge are split off into ops
      of their own; a v edge inside a single cache block is split off inside
      the cache loops; narrow edges use a register tile as wide as the edge,
      padded to a power-of-two number of vectors;
    - threads: an outer `scf.forall` with equal static chunks over a batch
      dimension, an outer M/N dimension, v or u (`threads` > 1, or 0 for the
      host's core count; ops below 2^20 multiply-adds stay serial);
    - cache tiles in the order N, K, M, close to `cache-tiles` and dividing
      the extents (else a split, or for K a balanced tile with zero padding);
    - packing of the operands that are reused (B's Kc x nr panels when there
      are several register tiles along M, A's mr x Kc panels when there are
      several along N, unless A's panel is already in packed order):
      `transform.structured.pad` (nofold) + `apply_licm` + `hoist_pad`, the
      packing copies vectorized;
    - the reduction tiled by one, vectorization, `vector.contract` formed
      immediately (`reduction_to_contract`, `sink_ops`), accumulators hoisted
      out of the reduction loops, contraction lowered to outer products (one
      reduction dimension) or `parallelarith` (several), then to FMAs;
    - a `linalg.fill` whose only user is the op (the zero init of a
      contraction) is fused into the op's tiles: into the thread's
      `scf.forall` and, while no edge has been split off and no K loop is
      among the cache loops, into the cache tiles and the register tiles,
      where it is vectorized: the accumulators start from the fill value and
      the result is written once, never zeroed or read beforehand.

    Each op is outlined into a function of its own, its script applied there
    and the result inlined back; when anything fails the op is left unchanged
    for the generic lowering (loops), so the pass never fails on valid input.
    Ops that are not contractions (or have complex element types, or a B
    operand whose innermost dimension is not the output's) are left
    unchanged. `dump-schedule` prints every script (and why one failed).
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "host | x86-64 (AVX2, 256-bit vectors) | x86-64-avx512 | aarch64 "
           "(NEON, 128-bit vectors)">,
    Option<"threads", "threads", "int", /*default=*/"1",
           "chunks of the outer parallel loop (0: the host's core count, "
           "1: serial)">,
    ListOption<"registerTile", "register-tile", "int64_t",
               "register tile M,N in elements (default: from target and "
               "element type)">,
    ListOption<"cacheTiles", "cache-tiles", "int64_t",
               "cache tiles Mc,Nc,Kc in elements (default 66,1024,512)">,
    Option<"minFlops", "min-flops", "int64_t", /*default=*/"4096",
           "ops with fewer multiply-adds are left to the generic lowering">,
    Option<"dumpSchedule", "dump-schedule", "bool", /*default=*/"false",
           "print each generated transform script to stderr">,
  ];
  let statistics = [
    Statistic<"numScheduled", "scheduled", "contractions scheduled">,
    Statistic<"numFailed", "failed",
              "contractions whose schedule failed (left unchanged)">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::vector::VectorDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::transform::TransformDialect", "::mlir::ub::UBDialect"
  ];
}

def TNCPUBufferize : Pass<"tn-cpu-bufferize", "::mlir::ModuleOp"> {
  let summary = "One-shot bufferization for the CPU pipeline";
  let description = [{
    One-shot bufferization of the whole module with function boundaries
    (identity layout maps on function arguments and results), then
    `buffer-results-to-out-params` with `hoist-static-allocs` on every
    function, public ones included: a function returning tensors becomes a
    function writing into trailing out-parameter memrefs, with no copy when
    the result was allocated inside the function, or is a reshape
    (`expand_shape`/`collapse_shape`) of such an allocation that nothing
    uses after the copy: the allocation is replaced by the inverse reshape
    of the out-parameter.

    Copies between buffers with non-identity layouts (the packing copies of
    the CPU schedule) are erased when they copy a view onto itself (after
    canonicalization and CSE: the insert_slice of a part of a split op),
    else become loops of vector transfers along the innermost dimension when
    it is static and contiguous, else `linalg.copy` (loops); never the
    strided `memref.copy`, which calls a runtime library. Fills of
    such buffers (`linalg.fill`, and the `linalg.map` a `tensor.pad`
    bufferizes to) become vector stores the same way, and so do transposes
    that keep the innermost dimension in place (copies of contiguous rows).
  }];
  let options = [
    Option<"outParams", "out-params", "bool", /*default=*/"true",
           "turn memref results into out-parameters">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def TNHoistStaticAllocs : Pass<"tn-hoist-static-allocs", "::mlir::func::FuncOp"> {
  let summary = "Hoist loop-local static scratch buffers out of sequential loops";
  let description = [{
    Moves a `memref.alloc` of static shape out of enclosing `scf.for` /
    `scf.while` loops when the buffer does not outlive an iteration (no view
    of it is yielded, returned, or stored), stopping at parallel loops
    (`scf.forall`, `scf.parallel`, OpenMP regions) so that each thread keeps
    its own buffer. Run after bufferization and before buffer deallocation:
    the packing buffers of the CPU schedule are then allocated once per call
    (or once per thread) instead of once per cache tile.
  }];
}

def TNOutlineKernels : Pass<"tn-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Outline the loop nests of bufferized functions into "
                "private functions, one per distinct kernel";
  let description = [{
    After bufferization, every top-level loop nest (`scf.for`, `scf.forall`,
    `scf.parallel`) of a function body holding at least `min-ops` operations,
    and every top-level linalg op on buffers whatever its size, is moved into
    a private function of its own and replaced by a call. Its
    operands defined outside become the function's arguments, except
    constants, which are cloned into it so that the kernel is still
    specialized to them. Kernels whose bodies are identical up to value
    names (same argument types, same operations and attributes: the same
    contraction shape and schedule) share one function. The loop over the
    slices of a network (an `scf.for` marked `tn.slices` by
    tn-expand-network) is not a kernel: the nests inside its body are, each
    called once per slice.

    The functions are marked `noinline`. LLVM then compiles each distinct
    kernel once, and `tn-translate --emit-shared-library` can compile the
    functions of a module on several threads. Without this, a network is one
    function holding every contraction's unrolled vector code, and the LLVM
    back end (scheduling the huge blocks) dominates the build: the MPS
    benchmark network has 95 contractions but only a few distinct shapes.
  }];
  let options = [
    Option<"minOps", "min-ops", "int64_t", /*default=*/"8",
           "outline loop nests of at least this many operations">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

#endif // TN_TRANSFORMS_CPU_PASSES_TD
