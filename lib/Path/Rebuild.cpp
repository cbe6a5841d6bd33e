//===- Rebuild.cpp - Large-neighbourhood search over contraction trees ----===//

#include "tn/Path/Rebuild.h"
#include "tn/Path/Greedy.h"
#include "tn/Path/Partition.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace tnc {

namespace {
/// Bisection parameters drawn from part of the hyper search's partition
/// space (its `build` in Optimize.cpp), with the same ranges: imbalance and
/// its decay, cutoff, four attempts, cut-weight jitter, and the greedy's
/// costmod and temperature inside groups. Always two-way multilevel
/// bisection with log2-extent weights (the tuned trials also try more parts,
/// label propagation and unit weights); that is what these numbers were
/// measured with (docs/performance.md).
PartitionOptions samplePartition(Rng &rng) {
  PartitionOptions p;
  p.imbalance = 0.01 + rng.uniformReal() * 0.89;
  p.imbalanceDecay = -5.0 + rng.uniformReal() * 10.0;
  p.cutoff = 10 + static_cast<int>(rng.uniformReal() * 30.0);
  p.attempts = 4;
  p.randomStrength =
      rng.uniformReal() < 0.5 ? 0.0 : std::pow(10.0, -2.0 + rng.uniformReal() * 3.0);
  GreedyOptions g;
  double c = 0.3 + rng.uniformReal() * 3.7;
  g.costmod = c * c;
  g.temperature = std::pow(10.0, -3.0 + rng.uniformReal() * 3.0);
  p.subOptimizer = [&rng, g](ContractionTree &t, const std::vector<int> &nodes) {
    return greedyContract(t, nodes, g, &rng);
  };
  return p;
}
} // namespace

RebuildStats rebuildSubtrees(ContractionTree &tree,
                             const RebuildOptions &options, Rng &rng) {
  RebuildStats stats;
  if (tree.numLeaves() < 3)
    return stats;
  // Subtrees solved by reconfiguration, shared by every candidate: a
  // candidate differs from the current tree in one region, and only that
  // region's subtrees are solved again.
  std::unordered_set<uint64_t> memo;
  auto polish = [&](ContractionTree &t) {
    for (int size : {8, options.polishSize}) {
      ReconfigureOptions r;
      r.objective = options.objective;
      r.subtreeSize = size;
      r.maxPasses = 16;
      r.deadline = options.deadline;
      r.memo = &memo;
      reconfigure(t, r);
    }
  };
  polish(tree);
  double current = score(tree, options.objective);
  int maxLeaves = std::max(
      options.minLeaves + 4,
      static_cast<int>(tree.numLeaves() * options.maxFraction));
  std::vector<int> candidates, leaves, stack;
  while (stats.candidates < options.maxCandidates &&
         Clock::now() < options.deadline) {
    candidates.clear();
    for (int n = tree.numLeaves(); n < tree.numNodes(); ++n)
      if (!tree.isDead(n) && tree.leafCount(n) >= options.minLeaves &&
          tree.leafCount(n) <= maxLeaves)
        candidates.push_back(n);
    if (candidates.empty())
      break;
    int top = candidates[rng.uniform(candidates.size())];
    ContractionTree candidate = tree;
    leaves.clear();
    stack.assign(1, top);
    while (!stack.empty()) {
      int n = stack.back();
      stack.pop_back();
      if (candidate.isLeaf(n)) {
        leaves.push_back(n);
        continue;
      }
      stack.push_back(candidate.left(n));
      stack.push_back(candidate.right(n));
    }
    int parent = candidate.dissolve(top, leaves);
    int newTop = partitionContract(candidate, leaves, samplePartition(rng), rng);
    if (parent >= 0)
      candidate.attach(parent, newTop);
    polish(candidate);
    ++stats.candidates;
    double s = score(candidate, options.objective);
    if (s < current - 1e-12) {
      tree = std::move(candidate);
      current = s;
      ++stats.accepted;
    }
  }
  return stats;
}

} // namespace tnc
