//===- ContractionPath.h - Contraction paths and their cost -----*- C++ -*-===//
//
// Contraction paths over a tnc::Network and the cost model shared by the
// passes, the Python package and the benchmarks. MLIR-free.
//
// Units (the same everywhere in tnc):
//  * cost: log10 of Σ over pairwise steps of Π of the extents of all
//    distinct indices in the step (multiply-adds; cotengra's
//    `contraction_cost`);
//  * flops: log10 of opt_einsum's FLOP count, which multiplies each step by
//    2 when it sums over at least one index (an inner product) and by 1
//    otherwise;
//  * width: log2 of the number of elements of the largest intermediate;
//  * write: log10 of Σ of the sizes of all intermediates;
//  * peak: log2 of the largest number of elements alive at once (inputs
//    until consumed, plus intermediates), for the path's execution order.
// Everything is computed in log space: Sycamore-class costs pass 10^19.
//
// Path formats:
//  * SSA: operands are 0..n-1; step k contracts two live ids into n + k.
//  * linear (opt_einsum): each step names two positions in the current
//    operand list; both are removed and the result appended at the end.
//
//===----------------------------------------------------------------------===//

#ifndef TN_PATH_CONTRACTIONPATH_H
#define TN_PATH_CONTRACTIONPATH_H

#include "tn/Network/Network.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tnc {

using PathStep = std::pair<int, int>;
using Path = std::vector<PathStep>;

/// log10(10^a + 10^b), exact for -inf operands.
double log10Add(double a, double b);

/// The cost of a path. A log of zero (nothing to contract, no
/// intermediates) is -infinity.
struct PathCost {
  double log10Cost = -std::numeric_limits<double>::infinity();  ///< log10 Σ Π extents (multiply-adds)
  double log10Flops = -std::numeric_limits<double>::infinity(); ///< log10 of opt_einsum's FLOP count
  double log2Width = 0;  ///< log2 of the largest intermediate (or of the output)
  double log10Write = -std::numeric_limits<double>::infinity(); ///< log10 Σ intermediate sizes
  double log2Peak = 0;   ///< log2 of the peak live elements
  int numSteps = 0;
};

/// Checks that `ssa` is a complete SSA path for `numTensors` operands;
/// returns an empty string or a message.
std::string validateSsaPath(int numTensors, const Path &ssa);

/// Evaluates a complete SSA path. A network with one tensor has no steps;
/// its cost is that of one pass over the tensor when an index is summed
/// (a trace or reduction), and zero otherwise.
std::optional<PathCost> evaluateSsaPath(const Network &net, const Path &ssa,
                                        std::string &error);

/// The left-to-right order: ((0, 1), (n, 2), (n + 1, 3), ...), what a
/// compiler without an order optimizer does.
Path leftToRightPath(int numTensors);

/// log10 of the cost of contracting everything in one loop nest (Π of all
/// extents): what einsum without path optimization does.
double log10SingleLoopCost(const Network &net);

/// Conversions between the SSA and linear formats (std::nullopt and a
/// message for an invalid path).
std::optional<Path> ssaToLinear(int numTensors, const Path &ssa,
                                std::string &error);
std::optional<Path> linearToSsa(int numTensors, const Path &linear,
                                std::string &error);

} // namespace tnc

#endif // TN_PATH_CONTRACTIONPATH_H
