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
    The cost model takes TTGT when the multiply-adds (the product of all
    extents) are at least `min-gemm-flops` and at least `copy-cost` times
    the elements copied by the transposes.

    Everything else — traces, indices summed inside one operand, outer
    products, batched elementwise products, whole networks, and contractions
    the cost model rejects — becomes one `linalg.generic`:
    one loop per distinct index (output indices parallel, the others
    reductions), indexing maps read from the index lists (a trace maps two
    dimensions of an operand to one loop), and a multiply-accumulate body
    (complex.mul/add for complex types; f16/bf16 operands are extended when
    the result is f32). The accumulator starts at zero.

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
    "::mlir::arith::ArithDialect", "::mlir::complex::ComplexDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // TN_CONVERSION_PASSES_TD
