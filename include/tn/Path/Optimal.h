//===- Optimal.h - Exact contraction-order search ---------------*- C++ -*-===//
//
// Dynamic programming over connected subsets with a cost cap (Pfeifer,
// Haegeman, Verstraete 2014, the algorithm of opt_einsum's "dp" and
// cotengrust's optimize_optimal): finds the tree minimizing the objective
// over the given nodes. MLIR-free.
//
//===----------------------------------------------------------------------===//

#ifndef TN_PATH_OPTIMAL_H
#define TN_PATH_OPTIMAL_H

#include "tn/Path/ContractionTree.h"

#include <string>
#include <vector>

namespace tnc {

struct OptimalOptions {
  Objective objective;
  /// Also consider outer products (contracting two subsets that share no
  /// index). With them the search is exact over all binary trees; without,
  /// over trees whose every step shares an index (connected subsets), which
  /// is exponentially cheaper on sparse networks and optimal for them in
  /// practice (and the search space of opt_einsum's dp). Auto (-1): on when
  /// there are at most 12 nodes.
  int searchOuter = -1;
  /// Give up (return -1 with a message) after this many seconds
  /// (<= 0: no limit).
  double timeLimitSeconds = 0;
  /// Give up when more than this many subsets are stored (memory guard).
  size_t maxSubsets = 20'000'000;
};

/// Contracts the live roots `nodes` of `tree` (at most 64) into one root by
/// an exact search and returns that root. The nodes may be leaves or
/// intermediates; their legs define the subproblem, and an index counts as
/// open when it leads outside `nodes` (or is an output index). Disconnected
/// groups among `nodes` are joined by outer products at the end, smallest
/// first. On failure (more than 64 nodes, a limit hit) returns -1, sets
/// `error` and leaves `tree` unchanged.
int optimalContract(ContractionTree &tree, const std::vector<int> &nodes,
                    const OptimalOptions &options, std::string &error);

} // namespace tnc

#endif // TN_PATH_OPTIMAL_H
