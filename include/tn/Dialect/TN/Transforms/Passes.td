//===- Passes.td - Passes of the tn dialect ----------------*- tablegen -*-===//

#ifndef TN_TRANSFORMS_PASSES_TD
#define TN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TNOptimizeContractionOrder : Pass<"tn-optimize-contraction-order"> {
  let summary = "Choose a contraction order (and slicing) for every tn.network";
  let description = [{
    Finds a contraction tree for each `tn.network` with tnc's path library
    and attaches it as the `path` attribute (`#tn.path`, SSA form); when
    slicing is needed (`slice-target`, or a `memory-limit` no tree meets), the
    sliced indices go to `sliced_indices`. A remark per network summarizes
    the cost against contracting left to right.

    Costs are log10 of Σ over steps of Π extents (multiply-adds, cotengra's
    units); widths are log2 of the largest intermediate in elements.

    `report-file` receives a JSON array with one entry per network:
    `{"name", "num_tensors", "algorithm", "log10_cost", "log2_width",
    "log10_write", "log10_flops", "num_slices", "sliced_indices",
    "slice_overhead", "search_seconds", "trials", "path"}`, where `path` is in
    opt_einsum's linear format (pairs of positions in the shrinking operand
    list, the new intermediate appended at the end).

    Randomized searches are reproducible for a given `seed` and `threads`
    when they are bounded by `repeats`; a `max-time` bound is not.
  }];
  let options = [
    Option<"algorithm", "algorithm", "std::string", /*default=*/"\"auto\"",
           "auto | optimal | greedy | random-greedy | partition | hyper">,
    Option<"objective", "objective", "std::string", /*default=*/"\"flops\"",
           "flops | size | write | combo | limit (combo-<alpha>, "
           "limit-<alpha>: write weight, default 64)">,
    Option<"maxTime", "max-time", "double", /*default=*/"0.0",
           "search time budget in seconds (0: bounded by repeats only)">,
    Option<"repeats", "repeats", "int", /*default=*/"0",
           "randomized trials (0: the algorithm's default)">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "seed of the randomized searches">,
    Option<"memoryLimit", "memory-limit", "double", /*default=*/"0.0",
           "largest intermediate allowed, in elements (0: none); slices "
           "when no tree fits">,
    Option<"sliceTarget", "slice-target", "double", /*default=*/"0.0",
           "slice until every intermediate has at most this many elements "
           "(0: no slicing)">,
    Option<"reportFile", "report-file", "std::string", /*default=*/"\"\"",
           "write a JSON report of every network to this file">,
    Option<"threads", "threads", "int", /*default=*/"0",
           "worker threads of randomized searches (0: all cores)">,
    Option<"overwrite", "overwrite", "bool", /*default=*/"true",
           "replace an existing path (false: keep it)">,
    Option<"remarks", "remarks", "bool", /*default=*/"true",
           "emit a cost remark per network">,
  ];
}

def TNExpandNetwork : Pass<"tn-expand-network"> {
  let summary = "Expand each tn.network into a tree of tn.contract";
  let description = [{
    Rewrites every `tn.network` with two or more operands into the pairwise
    `tn.contract` ops of its `path` (left to right when it has none). An
    intermediate keeps the indices still needed by the rest of the network or
    the output, in order of first appearance; the last step produces the
    output order. f16/bf16 operands of a network with an f32 result are
    extended to f32 first.

    With `sliced_indices`, the contraction runs in an `scf.for` over the
    slices: each iteration takes one-element slices of the operands along
    the sliced indices (`tensor.extract_slice`), contracts the smaller
    network, and adds the result into the accumulator (into its slice along
    sliced output indices). The loop is marked `tn.slices` (a unit
    attribute) for later passes.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::complex::ComplexDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // TN_TRANSFORMS_PASSES_TD
