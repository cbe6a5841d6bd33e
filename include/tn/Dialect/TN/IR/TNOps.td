//===- TNOps.td - Operations of the tn dialect -------------*- tablegen -*-===//

#ifndef TN_OPS_TD
#define TN_OPS_TD

include "tn/Dialect/TN/IR/TNDialect.td"
include "tn/Dialect/TN/IR/TNAttrs.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Types and attribute constraints
//===----------------------------------------------------------------------===//

def TN_ElementType : AnyTypeOf<[F16, BF16, F32, F64, Complex<F32>, Complex<F64>],
    "f16, bf16, f32, f64, complex<f32> or complex<f64>">;
def TN_RealType : AnyTypeOf<[F16, BF16, F32, F64], "f16, bf16, f32 or f64">;
def TN_Tensor : RankedTensorOf<[TN_ElementType]>;
def TN_RealVector : 1DTensorOf<[TN_RealType]>;

def TN_IndexList : TypedArrayAttrBase<StrAttr, "list of index names">;
def TN_IndexListArray : TypedArrayAttrBase<TN_IndexList,
    "list of index-name lists">;

//===----------------------------------------------------------------------===//
// tn.network
//===----------------------------------------------------------------------===//

def TN_NetworkOp : TN_Op<"network", [Pure]> {
  let summary = "A multi-operand tensor network contraction";
  let description = [{
    Contracts all operands at once: every index that is not in the output is
    summed over. Operand `k` has one index name per dimension
    (`operand_indices[k]`); the result has the indices `result_indices`, in
    that order. An index may appear in any number of operands (2: a bond,
    3+: a hyperedge), several times in one operand (a trace: the diagonal is
    taken), and in the output while shared (a batch index). Operands that
    share no index give an outer product; an empty output gives a rank-0
    result.

    Every occurrence of an index must have the same extent. Operands share
    one element type; the result has that element type, or f32 for f16 and
    bf16 operands (wider accumulation).

    The optional `path` attribute holds a contraction order
    (`#tn.path`), as attached by `tn-optimize-contraction-order`; the
    optional `sliced_indices` names the indices the contraction loops over
    one value at a time ("slicing", to bound the largest intermediate).

    When every index name is one ASCII letter the op prints in einsum form:

    ```mlir
    %0 = tn.network "ij,jk->ik" (%a, %b)
        : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
    ```

    and otherwise with an index list after each operand; names that are not
    bare identifiers or non-negative integers are quoted:

    ```mlir
    %0 = tn.network (%a[i, bond1], %b[bond1, "k'"]) -> [i, "k'"]
        {path = #tn.path<(0, 1)>}
        : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins Variadic<TN_Tensor>:$inputs,
                       TN_IndexListArray:$operand_indices,
                       TN_IndexList:$result_indices,
                       OptionalAttr<TN_ContractionPathAttr>:$path,
                       OptionalAttr<TN_IndexList>:$sliced_indices);
  let results = (outs TN_Tensor:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasFolder = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Type":$resultType, "::mlir::ValueRange":$inputs,
                   "::llvm::ArrayRef<::llvm::SmallVector<::mlir::StringAttr>>":$operandIndices,
                   "::llvm::ArrayRef<::mlir::StringAttr>":$resultIndices)>
  ];
  let extraClassDeclaration = [{
    /// Index names of operand `k`.
    ::llvm::SmallVector<::mlir::StringAttr> getIndicesOf(unsigned k);
    /// Index names of the result.
    ::llvm::SmallVector<::mlir::StringAttr> getResultIndexNames();
  }];
}

//===----------------------------------------------------------------------===//
// tn.contract
//===----------------------------------------------------------------------===//

def TN_ContractOp : TN_Op<"contract", [Pure]> {
  let summary = "A pairwise tensor contraction";
  let description = [{
    Contracts two tensors with the index semantics of `tn.network` (traces,
    batch/hyperedge indices kept in the output, outer products, scalar
    results). An ordered `tn.network` expands into a tree of `tn.contract`.

    ```mlir
    %0 = tn.contract "bij,bjk->bik" (%a, %b)
        : (tensor<8x2x3xf32>, tensor<8x3x4xf32>) -> tensor<8x2x4xf32>
    %1 = tn.contract (%x[left, phys, bond], %y[bond, right]) -> [left, phys, right]
        : (tensor<4x2x8xf64>, tensor<8x4xf64>) -> tensor<4x2x4xf64>
    ```
  }];
  let arguments = (ins TN_Tensor:$lhs, TN_Tensor:$rhs,
                       TN_IndexList:$lhs_indices,
                       TN_IndexList:$rhs_indices,
                       TN_IndexList:$result_indices);
  let results = (outs TN_Tensor:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// tn.svd
//===----------------------------------------------------------------------===//

def TN_SVDOp : TN_Op<"svd", [Pure]> {
  let summary = "Truncated singular value decomposition along a bipartition";
  let description = [{
    Splits `input` along a bipartition of its indices with a new bond index:
    `input[L, R] = Σ_b U[L, b] S[b] V[b, R]` (before truncation, with
    `absorb = none`; V is the conjugate-transposed right factor, V†).

    The two index lists after `->` are those of U and V: each holds the bond
    (the one name that is not an input index) once, and together they hold
    every input index exactly once, in any order. The bond extent is the
    maximum rank, `min(|L|, |R|, max_rank)`: the factors are statically
    shaped at that rank. At run time the kept rank `rank` is chosen by the
    truncation attribute (`#tn.trunc`, default: no truncation); the
    singular values beyond it, and the matching columns of U and rows of V,
    are zero. `discarded` is the relative discarded weight
    `Σ_{discarded} s² / Σ s²`. S and `discarded` have the real element type
    (f32 for complex<f32>).

    ```mlir
    %u, %s, %v, %rank, %err = tn.svd %t[l, p, r] -> [l, p, b], [b, r]
        {trunc = #tn.trunc<max_rank = 8, weight_cutoff = 1.0e-12>}
        : tensor<16x2x16xf64>
        -> (tensor<16x2x8xf64>, tensor<8xf64>, tensor<8x16xf64>, index, f64)
    ```
  }];
  let arguments = (ins TN_Tensor:$input,
                       TN_IndexList:$input_indices,
                       TN_IndexList:$left_indices,
                       TN_IndexList:$right_indices,
                       OptionalAttr<TN_TruncationAttr>:$trunc);
  let results = (outs TN_Tensor:$u, TN_RealVector:$s, TN_Tensor:$v,
                      Index:$rank, TN_RealType:$discarded);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The name of the new bond index (valid on a verified op).
    ::mlir::StringAttr getBondIndex();
    /// The truncation rule (the default rule, no truncation, if absent).
    ::mlir::tn::TruncationAttr getTruncation() {
      if (auto trunc = getTruncAttr())
        return trunc;
      return ::mlir::tn::TruncationAttr::get(getContext());
    }
    /// The maximum rank (the bond extent) for an input type and bipartition.
    static int64_t computeMaxRank(int64_t leftSize, int64_t rightSize,
                                  int64_t maxRankLimit);
  }];
}

//===----------------------------------------------------------------------===//
// tn.qr
//===----------------------------------------------------------------------===//

def TN_QROp : TN_Op<"qr", [Pure]> {
  let summary = "Reduced QR decomposition along a bipartition";
  let description = [{
    Splits `input` along a bipartition of its indices with a new bond index:
    `input[L, R] = Σ_b Q[L, b] R[b, R]`, where Q has orthonormal columns
    (over the bond) and the bond extent is `min(|L|, |R|)`. The index lists
    follow the rules of `tn.svd`.

    ```mlir
    %q, %r = tn.qr %t[l, p, r] -> [l, p, b], [b, r]
        : tensor<16x2x16xf32> -> (tensor<16x2x16xf32>, tensor<16x16xf32>)
    ```
  }];
  let arguments = (ins TN_Tensor:$input,
                       TN_IndexList:$input_indices,
                       TN_IndexList:$left_indices,
                       TN_IndexList:$right_indices);
  let results = (outs TN_Tensor:$q, TN_Tensor:$r);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::StringAttr getBondIndex();
  }];
}

//===----------------------------------------------------------------------===//
// tn.entropy
//===----------------------------------------------------------------------===//

def TN_EntropyOp : TN_Op<"entropy", [Pure]> {
  let summary = "Entanglement entropy of a spectrum of singular values";
  let description = [{
    With `p_i = s_i² / Σ_j s_j²` (or `p_i = s_i²` when `normalize = false`),
    computes the von Neumann entropy `-Σ p_i log p_i` for `order = 1`
    (the default) and the Rényi entropy `log(Σ p_i^order) / (1 - order)`
    otherwise; `order = inf` is the min-entropy `-log max p_i`. Terms with
    `p_i = 0` contribute nothing, so the zero tail of a truncated spectrum is
    harmless. Logarithms are natural unless `base` is given.

    ```mlir
    %e = tn.entropy %s : tensor<8xf64> -> f64
    %r2 = tn.entropy %s {order = 2.0 : f64, base = 2.0 : f64} : tensor<8xf32> -> f32
    ```
  }];
  let arguments = (ins TN_RealVector:$spectrum,
                       DefaultValuedAttr<F64Attr, "1.0">:$order,
                       OptionalAttr<F64Attr>:$base,
                       DefaultValuedAttr<BoolAttr, "true">:$normalize);
  let results = (outs TN_RealType:$result);
  let assemblyFormat = [{
    $spectrum attr-dict `:` type($spectrum) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // TN_OPS_TD
