//===- TNAttrs.td - Attributes of the tn dialect -----------*- tablegen -*-===//

#ifndef TN_ATTRS_TD
#define TN_ATTRS_TD

include "tn/Dialect/TN/IR/TNDialect.td"
include "tn/Dialect/TN/IR/TNEnums.td"
include "mlir/IR/AttrTypeBase.td"

class TN_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<TN_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def TN_ContractionPathAttr : TN_Attr<"ContractionPath", "path"> {
  let summary = "A contraction order: a binary tree over the operands";
  let description = [{
    The order in which the operands of a `tn.network` are contracted, as a
    list of pairwise steps in SSA form: the operands are tensors `0 .. n-1`,
    and step `k` contracts two live tensors into the new tensor `n + k`. A
    complete path of a network with `n` operands has `n - 1` steps and uses
    every tensor except the last one exactly once.

    ```mlir
    // ((0 1) 2): contract operands 0 and 1 into tensor 3, then 3 with 2.
    #tn.path<(0, 1), (3, 2)>
    ```

    Reports and the Python package exchange paths in opt_einsum's linear
    format (positions in a shrinking operand list); the SSA form stored here
    is unambiguous to verify and stable under printing.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t", "flattened (lhs, rhs) pairs">:$steps);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of pairwise steps.
    size_t getNumSteps() const { return getSteps().size() / 2; }
    /// The two tensors contracted by step `k`.
    std::pair<int64_t, int64_t> getStep(size_t k) const {
      return {getSteps()[2 * k], getSteps()[2 * k + 1]};
    }
    /// Checks that this is a complete path for `numOperands` tensors; returns
    /// an empty string or a message.
    std::string validateFor(int64_t numOperands) const;
  }];
}

def TN_TruncationAttr : TN_Attr<"Truncation", "trunc"> {
  let summary = "How a decomposition's spectrum is truncated and distributed";
  let description = [{
    One rule, expressive enough for the conventions of ITensor, TeNPy, quimb
    and cuTensorNet. All criteria that are set apply together: the kept rank
    is the smallest rank allowed by any cutoff, then clamped to
    `[min_rank, max_rank]` and to the available rank.

    | field | default | meaning |
    |---|---|---|
    | `max_rank` | 0 (none) | keep at most this many values (ITensor `maxdim`, TeNPy `chi_max`, quimb `max_bond`, cuTensorNet `max_extent`) |
    | `min_rank` | 1 | keep at least this many (ITensor `mindim`, TeNPy `chi_min`); clamped to the available rank |
    | `abs_cutoff` | 0 (none) | discard `s < abs_cutoff` (TeNPy `svd_min`, quimb `cutoff_mode=abs`, cuTensorNet `abs_cutoff`; ITensor `absoluteCutoff=c` is `abs_cutoff = sqrt(c)`) |
    | `rel_cutoff` | 0 (none) | discard `s < rel_cutoff * max(s)` (quimb `rel`, cuTensorNet `rel_cutoff`) |
    | `weight_cutoff` | 0 (none) | discard the most smallest values whose weight is at most `weight_cutoff` (ITensor `cutoff`, TeNPy `trunc_cut^2`, quimb `sum2/rsum2/sum1/rsum1`, cuTensorNet `discarded_weight_cutoff`) |
    | `weight_mode` | `rsum2` | weight of the discarded values: `rsum2` = Σ s² / Σ all s², `sum2` = Σ s², `rsum1`, `sum1` likewise with s |
    | `degeneracy_tol` | 0 (none) | never cut between values with `|log(s_i / s_j)| < degeneracy_tol` (TeNPy) |
    | `absorb` | `none` | where S goes: `none` (U, S, V†), `left` (U·S), `right` (S·V†), `both` (√S on each) — quimb `absorb`, cuTensorNet partition |
    | `renorm` | `none` | rescale the kept values: `keep_l1`/`keep_l2` preserve the original 1-/2-norm (quimb `renorm=1/2`), `unit_l1`/`unit_l2`/`unit_linf` normalize to 1 (cuTensorNet normalization, TeNPy) |

    ```mlir
    #tn.trunc<max_rank = 64, weight_cutoff = 1.0e-10>
    #tn.trunc<rel_cutoff = 1.0e-8, absorb = both, renorm = keep_l2>
    ```
  }];
  let parameters = (ins
    "int64_t":$max_rank,
    "int64_t":$min_rank,
    APFloatParameter<"">:$abs_cutoff,
    APFloatParameter<"">:$rel_cutoff,
    APFloatParameter<"">:$weight_cutoff,
    "::mlir::tn::WeightMode":$weight_mode,
    APFloatParameter<"">:$degeneracy_tol,
    "::mlir::tn::AbsorbMode":$absorb,
    "::mlir::tn::RenormMode":$renorm
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins), [{
      return $_get($_ctxt, 0, 1, ::llvm::APFloat(0.0), ::llvm::APFloat(0.0),
                   ::llvm::APFloat(0.0), ::mlir::tn::WeightMode::rsum2,
                   ::llvm::APFloat(0.0), ::mlir::tn::AbsorbMode::none,
                   ::mlir::tn::RenormMode::none);
    }]>
  ];
}

#endif // TN_ATTRS_TD
