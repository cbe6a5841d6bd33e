//===- Passes.td - Conversion passes of tnc ----------------*- tablegen -*-===//

#ifndef TN_CONVERSION_PASSES_TD
#define TN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTNToLinalg : Pass<"convert-tn-to-linalg"> {
  let summary = "Lower tn contractions to linalg on tensors";
  let description = [{
    Rewrites `tn.contract` and `tn.network` into linalg on tensors.

    A `tn.contract` with contracted indices is lowered, when a cost model
    says so, by TTGT: each operand is permuted (`linalg.transpose`, or one
    `linalg.generic` that also extends bf16/f16 to the result type) into
    `[batch, free, contracted]` / `[batch, contracted, free]` order,
    collapsed to 2-D or 3-D (`tensor.collapse_shape`, a view), multiplied by
    `linalg.matmul` / `linalg.batch_matmul`, expanded and permuted into the
    result's order. The contracted indices follow the larger operand's order
    and the operands are swapped (computing the transposed product) when
    that puts the result in order, so copies are made only where needed.
    Leading result indices may instead stay outer loops of the product: a
    batched GEMM over, e.g., the larger operand's leading free indices, with
    the smaller operand broadcast over them (one `linalg.generic` with
    matmul-like indexing maps; `linalg.batch_matmul` when they are all batch
    indices), so that neither the larger operand nor the result is copied.
    When the result's rows (the right operand's free indices) are shorter
    than 64 bytes and its columns (the left operand's) are not, the product
    may instead be one `linalg.generic` with loops [.., Q, P, K] whose
    vectors run along P: the right operand first, the left one laid out
    [K, P], the result in place; the CPU schedule stores each register tile
    transposed. Outer loops of one operand alone are then fused into one.
    Among these layouts the one with the least cost wins: `copy-cost` per
    copied element (4 times that for copies beyond 1 MiB, which are
    memory-bound) plus the multiply-adds, scaled by the lanes wasted when
    the GEMM's vector dimension is shorter than a multiple of 64 bytes,
    plus 2 per result element for a transposed tile. The cost model takes
    TTGT when the multiply-adds (the product of all extents) are at least
    `min-gemm-flops` and at least `copy-cost` times the (weighted) elements
    copied by the transposes.

    Everything else — traces, indices summed inside one operand, outer
    products, batched elementwise products, whole networks, and contractions
    the cost model rejects — becomes one `linalg.generic`:
    one loop per distinct index (output indices parallel, the others
    reductions), indexing maps read from the index lists (a trace maps two
    dimensions of an operand to one loop), and a multiply-accumulate body
    (complex.mul/add for complex types; f16/bf16 operands are extended when
    the result is f32). The accumulator starts at zero.

    `tn.svd` and `tn.qr` permute and collapse their input into the matrix of
    the bipartition and call tnc's CPU runtime (`tnc_svd_<T>` /
    `tnc_qr_<T>`, `_mlir_ciface_` convention, LAPACK underneath), which
    applies the truncation attribute and writes the factors, the spectrum,
    the kept rank and the discarded weight; the factors are reshaped and
    permuted into their index lists. Each call returns a status; the
    statuses of the calls at the top level of a public function that is not
    called from elsewhere become an extra trailing i32 result (0, or the
    first failure's code), which the C entry point `tn_<name>` returns.
    `tn.entropy` becomes linalg reductions (math.log / math.powf).

    A `tn.network` that was not expanded becomes one loop nest over all its
    indices: correct, but its cost is the product of every extent; run
    `tn-optimize-contraction-order` and `tn-expand-network` first.
  }];
  let options = [
    Option<"strategy", "strategy", "std::string", /*default=*/"\"auto\"",
           "auto (cost model), ttgt (whenever possible) or generic (never)">,
    Option<"minGemmFlops", "min-gemm-flops", "int64_t", /*default=*/"4096",
           "smallest product of extents lowered as a GEMM">,
    Option<"copyCost", "copy-cost", "double", /*default=*/"8.0",
           "multiply-adds per element copied by a transpose">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::complex::ComplexDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::tensor::TensorDialect"
  ];
}

def TNPrepareCABI : Pass<"tn-prepare-c-abi", "::mlir::ModuleOp"> {
  let summary = "Mark entry points for the C ABI and record their signatures";
  let description = [{
    Runs on linalg/tensor IR before bufferization. Every public `func.func`
    with a body is an entry point: its arguments and results must be
    statically shaped ranked tensors of f16, bf16, f32, f64, complex<f32> or
    complex<f64> (anything else is reported at the function), except a
    trailing i32 result, the status of runtime calls. The pass adds
    `llvm.emit_c_interface` (so that lowering creates the
    `_mlir_ciface_<name>` memref-descriptor form) and records the signature
    in `tn.c_abi_inputs` / `tn.c_abi_results` (arrays of tensor types), which
    `tn-lower-c-abi` reads after lowering to LLVM to build the plain C entry
    point, and `tn-translate --emit-c-header` reads to declare it.
  }];
}

def TNLowerCABI : Pass<"tn-lower-c-abi", "::mlir::ModuleOp"> {
  let summary = "Add the plain C entry point `int tn_<name>(const T *in..., T *out...)`";
  let description = [{
    Runs on the LLVM dialect, after the bufferized entry points were lowered
    (results turned into trailing out-parameters by
    `buffer-results-to-out-params`). For each `llvm.func` carrying
    `tn.c_abi_inputs` it adds `llvm.func @tn_<name>(!llvm.ptr, ...) -> i32`
    taking one pointer per input and one per output (dense row-major
    arrays), which builds the memref descriptors (static sizes and strides)
    and calls the kernel. It returns the kernel's i32 status if the kernel
    has one, else 0.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // TN_CONVERSION_PASSES_TD
