//===- Reconfigure.h - Subtree reconfiguration and slicing ------*- C++ -*-===//
//
// Local improvement of a complete contraction tree:
//  * subtree reconfiguration (cotengra's subtree_reconfigure): for each
//    internal node, take a frontier of at most `subtreeSize` nodes below it
//    (expanding the most expensive nodes first), re-optimize that subtree
//    exactly (tnc::optimalContract) and keep it if the objective improves;
//    repeat until a pass finds nothing or the deadline passes;
//  * slicing (cotengra's SliceFinder): choose indices to fix ("slice") so
//    that the largest intermediate fits a target, greedily picking the index
//    that raises the total cost (slices × per-slice cost) the least, then
//    reconfigure with the sliced extents.
// MLIR-free.
//
//===----------------------------------------------------------------------===//

#ifndef TN_PATH_RECONFIGURE_H
#define TN_PATH_RECONFIGURE_H

#include "tn/Path/ContractionTree.h"

#include <chrono>
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace tnc {

using Clock = std::chrono::steady_clock;

struct ReconfigureOptions {
  Objective objective;
  /// Largest frontier re-optimized exactly.
  int subtreeSize = 8;
  /// Maximum number of passes over the tree.
  int maxPasses = 8;
  /// Stop at this time (Clock::time_point::max(): never).
  Clock::time_point deadline = Clock::time_point::max();
  /// Subtrees already solved, kept across calls (null: this call's own).
  /// A subtree is named by the leaf sets of its frontier and of its inner
  /// nodes, so the entry holds for any tree that contains the same subtree:
  /// a caller that changes one region of a tree and reconfigures it again
  /// only pays for the subtrees that the change touched.
  /// Entries are only valid for one objective (and memory limit) and one
  /// hypergraph (slicing or merging indices changes the costs).
  std::unordered_set<uint64_t> *memo = nullptr;
};

/// The frontier of the subtree under `top` that reconfigure re-optimizes
/// with subtrees of `k`: the costliest inner node split until there are `k`
/// nodes (or only leaves).
std::vector<int> subtreeFrontier(const ContractionTree &tree, int top, int k);

/// Improves a complete tree in place; returns the number of subtrees
/// replaced. The tree stays complete and over the same leaves.
int reconfigure(ContractionTree &tree, const ReconfigureOptions &options);

struct SliceResult {
  /// The sliced indices (hypergraph edge ids), in the order chosen.
  std::vector<int> edges;
  /// log10 of the number of slices (Π extents of the sliced indices).
  double log10Slices = 0;
  /// log10 of the total cost over all slices.
  double log10TotalCost = 0;
  /// Total sliced cost / unsliced cost (>= 1).
  double overhead = 1;
  /// log2 of the largest intermediate per slice.
  double log2Width = 0;
};

/// Chooses indices of `hg` to slice so that the tree's largest intermediate
/// is at most `log2Target` (log2 elements); output indices are not sliced
/// unless nothing else helps. Marks them sliced in `hg` (Hypergraph::
/// sliceEdge) and, when `reconfigureAfter`, re-optimizes `tree` for the
/// sliced network. `tree` must be built over `hg`.
SliceResult sliceTree(Hypergraph &hg, ContractionTree &tree, double log2Target,
                      const ReconfigureOptions &options,
                      bool reconfigureAfter);

} // namespace tnc

#endif // TN_PATH_RECONFIGURE_H
