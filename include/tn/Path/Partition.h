//===- Partition.h - Contraction trees by hypergraph partitioning -*- C++ -*-===//
//
// Builds a contraction tree top-down by recursively bisecting the network's
// hypergraph (tensors = vertices, indices = hyperedges weighted by log2 of
// their extent, so that the cut is the size of the intermediate it creates):
// the two halves become the two children of a node. Groups at or below a
// cutoff size are contracted by a sub-optimizer (greedy or optimal). This is
// the method of cotengra's "kahypar"/"labels" drivers, with tnc's own
// multilevel Fiduccia–Mattheyses bisection and label propagation. MLIR-free.
//
//===----------------------------------------------------------------------===//

#ifndef TN_PATH_PARTITION_H
#define TN_PATH_PARTITION_H

#include "tn/Path/ContractionTree.h"
#include "tn/Support/Random.h"

#include <functional>
#include <vector>

namespace tnc {

enum class PartitionMethod {
  /// Multilevel: coarsen by heavy-edge matching, bisect the coarsest graph,
  /// refine with FM at every level.
  Multilevel,
  /// Label propagation (fast, rough).
  LabelPropagation,
};

/// Contracts a set of live roots of a tree into one root; returns it.
using SubOptimizer =
    std::function<int(ContractionTree &tree, const std::vector<int> &nodes)>;

struct PartitionOptions {
  PartitionMethod method = PartitionMethod::Multilevel;
  /// Allowed imbalance of a bisection: each side holds at most
  /// (1 + imbalance) / 2 of the (vertex-weighted) total.
  double imbalance = 0.1;
  /// Groups with at most this many nodes go to the sub-optimizer.
  int cutoff = 10;
  /// Weight of an index in the cut: log2(extent) (false: 1 per index).
  bool weightByLog2Extent = true;
  /// Hyperedges with more pins than this are ignored when partitioning
  /// (they are cut whatever one does).
  int maxEdgePins = 64;
  /// Number of bisection attempts per level (the best cut is kept).
  int attempts = 2;
  /// How the imbalance changes with depth (cotengra's imbalance_decay): a
  /// group holding a fraction s of the nodes given to partitionContract is
  /// bisected with imbalance s^d * imbalance for d >= 0 (deeper groups more
  /// balanced), 1 - s^-d * (1 - imbalance) for d < 0 (deeper groups freer).
  double imbalanceDecay = 0;
  /// Random jitter of the cut weights (cotengra's random_strength): each
  /// index's extent is multiplied by 1 + randomStrength * Exp(1) before its
  /// log is taken (with weightByLog2Extent), once per partitionContract
  /// call. 0: none.
  double randomStrength = 0;
  /// Number of parts a group is split into (cotengra's parts): more than 2
  /// splits the group by repeated bisection of the largest part and joins
  /// the parts' roots with the sub-optimizer, which then orders the top
  /// steps by their real sizes. A group holding a fraction s of the nodes
  /// is split into max(2, floor(s^partsDecay * parts)) parts.
  int parts = 2;
  double partsDecay = 0.5;
  /// Contracts small groups; must be set.
  SubOptimizer subOptimizer;
};

/// Contracts the live roots `nodes` of `tree` into one root by recursive
/// bisection and returns it. Deterministic for a given Rng state.
int partitionContract(ContractionTree &tree, const std::vector<int> &nodes,
                      const PartitionOptions &options, Rng &rng);

/// One bisection of a weighted hypergraph: `pins[e]` lists the vertices of
/// hyperedge e (vertices 0..numVertices-1), `edgeWeight[e]` its cut cost,
/// `vertexWeight[v]` its weight. Returns a side (0/1) per vertex, both sides
/// non-empty when numVertices >= 2. Exposed for testing.
std::vector<int> bisect(int numVertices,
                        const std::vector<std::vector<int>> &pins,
                        const std::vector<double> &edgeWeight,
                        const std::vector<double> &vertexWeight,
                        const PartitionOptions &options, Rng &rng);

} // namespace tnc

#endif // TN_PATH_PARTITION_H
