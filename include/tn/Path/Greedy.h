//===- Greedy.h - Greedy contraction-order search ---------------*- C++ -*-===//
//
// Greedy pairwise contraction (opt_einsum's and cotengra's greedy): among
// pairs of live tensors that share an index, repeatedly contract the one
// with the lowest score
//     size(result) - costmod * (size(a) + size(b))
// (sizes in elements), with optional Gumbel noise of a given temperature for
// randomized restarts. MLIR-free.
//
//===----------------------------------------------------------------------===//

#ifndef TN_PATH_GREEDY_H
#define TN_PATH_GREEDY_H

#include "tn/Path/ContractionTree.h"
#include "tn/Support/Random.h"

#include <vector>

namespace tnc {

struct GreedyOptions {
  /// Weight of the removed operand sizes in the score.
  double costmod = 1.0;
  /// Scale of the Gumbel noise added to log scores (0: deterministic).
  double temperature = 0.0;
  /// Jitter of the index sizes the scores see (cotengra's random_strength):
  /// each index's extent is multiplied by 1 + randomStrength * Exp(1) for
  /// this call. The tree's real costs are unaffected. 0: none.
  double randomStrength = 0.0;
  /// opt_einsum's queue discipline: only the best candidate of each tensor
  /// is queued (pairs that share a non-output index), and a tensor whose
  /// queued partner was consumed gets its new best one. Grows intermediates
  /// more depth-first; much better on circuits, worse on some lattices.
  bool lazy = false;
};

/// Contracts the live roots `nodes` of `tree` into one root greedily and
/// returns it. Groups that share no index are joined by outer products at
/// the end, smallest first. `rng` may be null when temperature is 0.
int greedyContract(ContractionTree &tree, const std::vector<int> &nodes,
                   const GreedyOptions &options, Rng *rng);

/// The deterministic greedy of the `greedy` algorithm (greedyContract with
/// costmod 1 and opt_einsum's discipline, on a tree over the whole network)
/// for networks of at most 128 tensors and 128 indices, on bit sets in place
/// of a Hypergraph and a ContractionTree. It gives the same SSA path and the
/// same statistics, bit for bit, without their allocations: on networks of a
/// few tensors those were most of the time. Returns false and leaves `ssa`
/// and `stats` untouched when the network is larger or has no tensor.
bool greedySmallNetwork(const Network &net, Path &ssa, TreeStats &stats);

} // namespace tnc

#endif // TN_PATH_GREEDY_H
