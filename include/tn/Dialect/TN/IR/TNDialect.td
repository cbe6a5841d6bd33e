//===- TNDialect.td - The tn dialect -----------------------*- tablegen -*-===//

#ifndef TN_DIALECT_TD
#define TN_DIALECT_TD

include "mlir/IR/OpBase.td"

def TN_Dialect : Dialect {
  let name = "tn";
  let cppNamespace = "::mlir::tn";
  let summary = "Tensor networks: contractions, decompositions, truncations";
  let description = [{
    The `tn` dialect represents tensor networks over builtin ranked `tensor`
    values. An index (leg) is identified by a name, not a position or an
    einsum letter, so networks with thousands of indices are expressible; the
    extent of an index comes from the static shapes of the tensors it appears
    in, and every occurrence must agree.

    * `tn.network` is a whole multi-operand contraction (hyperedges, traces,
      batch indices, outer products, scalar results), optionally carrying a
      contraction path chosen by an optimizer.
    * `tn.contract` is one pairwise contraction, what an ordered network
      expands into.
    * `tn.svd` and `tn.qr` split a tensor along a bipartition of its indices
      with a new bond index; `tn.svd` carries a truncation rule
      (`#tn.trunc`).
    * `tn.entropy` is the entanglement entropy of a spectrum.

    Element types: f16, bf16, f32, f64, complex<f32>, complex<f64>.
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class TN_Op<string mnemonic, list<Trait> traits = []>
    : Op<TN_Dialect, mnemonic, traits>;

#endif // TN_DIALECT_TD
