//===- Passes.td - Conversion passes of tnc ----------------*- tablegen -*-===//

#ifndef TN_CONVERSION_PASSES_TD
#define TN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTNToLinalg : Pass<"convert-tn-to-linalg"> {
  let summary = "Lower tn contractions to linalg on tensors";
  let description = [{
    Rewrites `tn.contract` and `tn.network` into `linalg.generic` on tensors:
    one loop per distinct index (output indices parallel, the others
    reductions), indexing maps read from the index lists (a trace maps two
    dimensions of an operand to one loop), and a multiply-accumulate body
    (complex.mul/add for complex types; f16/bf16 operands are extended when
    the result is f32). The accumulator starts at zero.

    A `tn.network` that was not expanded becomes one loop nest over all its
    indices: correct, but its cost is the product of every extent; run
    `tn-optimize-contraction-order` and `tn-expand-network` first.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::complex::ComplexDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // TN_CONVERSION_PASSES_TD
