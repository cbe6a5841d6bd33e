//===- Rebuild.h - Large-neighbourhood search over contraction trees -*- C++ -*-===//
//
// Subtree reconfiguration (Reconfigure.h) re-optimizes subtrees of a dozen
// nodes exactly; a tree it has converged on can still be far from the best
// one when the better trees differ higher up, in how tens of tensors are
// grouped. rebuildSubtrees is a large-neighbourhood search over such
// regions: it repeatedly picks an internal node whose subtree holds between
// `minLeaves` and `maxFraction` of the leaves, rebuilds that subtree from
// its leaves by recursive bisection with freshly sampled parameters, polishes
// the candidate with subtree reconfiguration (memoized across candidates,
// so only the rebuilt region is re-solved) and keeps it if the whole tree's
// score improves. MLIR-free.
//
//===----------------------------------------------------------------------===//

#ifndef TN_PATH_REBUILD_H
#define TN_PATH_REBUILD_H

#include "tn/Path/ContractionTree.h"
#include "tn/Path/Reconfigure.h"
#include "tn/Support/Random.h"

#include <limits>

namespace tnc {

struct RebuildOptions {
  Objective objective;
  /// Subtrees rebuilt hold at least this many leaves ...
  int minLeaves = 20;
  /// ... and at most this fraction of the tree's leaves (never fewer than
  /// minLeaves + 4).
  double maxFraction = 0.6;
  /// Each candidate is polished by reconfiguration with subtrees of 8, then
  /// of this size.
  int polishSize = 10;
  /// Stop after this many candidates ...
  int maxCandidates = std::numeric_limits<int>::max();
  /// ... or at this time. Set at least one of the two: the search has no
  /// other end.
  Clock::time_point deadline = Clock::time_point::max();
};

struct RebuildStats {
  int candidates = 0;
  int accepted = 0;
};

/// Improves a complete tree in place (never makes it worse for the
/// objective); deterministic for a given Rng state and candidate budget.
/// The tree is polished by reconfiguration first, so a caller may pass one
/// straight from a constructive search.
RebuildStats rebuildSubtrees(ContractionTree &tree,
                             const RebuildOptions &options, Rng &rng);

} // namespace tnc

#endif // TN_PATH_REBUILD_H
