//===- GreedySmallTest.cpp - The bit-set greedy against the general one ---===//
//
// greedySmallNetwork (one- and two-word bit sets) must give exactly what greedyContract (costmod 1,
// opt_einsum's discipline) gives on a tree over the whole network: the same
// SSA path and the same statistics, bit for bit, on random networks with
// traces, hyperedges, duplicate tensors, scalars, extent-1 indices, open
// indices, disconnected parts and sizes beyond 2^50.
//
//===----------------------------------------------------------------------===//

#include "tn/Path/ContractionTree.h"
#include "tn/Path/Greedy.h"
#include "tn/Path/Optimize.h"
#include "tn/Support/Random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace tnc;

namespace {

/// A random network: `tensors` tensors over at most `indices` index names,
/// each index used at least once.
Network randomNetwork(Rng &rng, int tensors, int indices, int64_t maxExtent) {
  std::vector<int64_t> extent(indices);
  for (auto &x : extent)
    x = 1 + static_cast<int64_t>(rng.uniform(static_cast<uint64_t>(maxExtent)));
  std::vector<std::vector<int>> inputs(tensors);
  for (int t = 0; t < tensors; ++t) {
    if (t > 0 && rng.uniform(6) == 0) {
      // A duplicate of an earlier tensor (its indices, maybe permuted).
      inputs[t] = inputs[rng.uniform(static_cast<uint64_t>(t))];
      std::reverse(inputs[t].begin(), inputs[t].end());
      continue;
    }
    int rank = static_cast<int>(rng.uniform(6));
    for (int k = 0; k < rank; ++k)
      inputs[t].push_back(static_cast<int>(rng.uniform(indices)));
  }
  // Every index used: hand the unused ones to random tensors.
  std::vector<bool> used(indices, false);
  for (const auto &in : inputs)
    for (int i : in)
      used[i] = true;
  for (int i = 0; i < indices; ++i)
    if (!used[i])
      inputs[rng.uniform(static_cast<uint64_t>(tensors))].push_back(i);
  Network net;
  std::vector<int> id(indices);
  for (int i = 0; i < indices; ++i)
    id[i] = net.addIndex("i" + std::to_string(i), extent[i]);
  for (const auto &in : inputs) {
    std::vector<int> ids;
    for (int i : in)
      ids.push_back(id[i]);
    net.addTensor(ids);
  }
  std::vector<int> output;
  for (int i = 0; i < indices; ++i)
    if (rng.uniform(5) == 0)
      output.push_back(id[i]);
  std::reverse(output.begin(), output.end());
  net.setOutput(output);
  return net;
}

void expectSameAsGeneral(const Network &net) {
  ASSERT_EQ(net.validate(), "");
  Hypergraph hg(net);
  ContractionTree tree(hg);
  GreedyOptions g;
  g.costmod = 1.0;
  g.lazy = true;
  greedyContract(tree, tree.roots(), g, nullptr);
  Path expected = tree.ssaPath();
  TreeStats want = tree.stats(/*withPeak=*/false);

  Path got;
  TreeStats stats;
  ASSERT_TRUE(greedySmallNetwork(net, got, stats));
  EXPECT_EQ(got, expected);
  EXPECT_EQ(stats.log10Cost, want.log10Cost);
  EXPECT_EQ(stats.log10Flops, want.log10Flops);
  EXPECT_EQ(stats.log10Write, want.log10Write);
  EXPECT_EQ(stats.log2Width, want.log2Width);
}

} // namespace

TEST(GreedySmall, MatchesGeneralGreedyOnRandomNetworks) {
  Rng rng(20261122);
  for (int trial = 0; trial < 6000; ++trial) {
    // Most small (one-word sets), every third up to 64 (one word, full),
    // every fifth up to 128 (two words).
    int most = trial % 5 == 0 ? 128 : trial % 3 == 0 ? 64 : 12;
    int tensors = 1 + static_cast<int>(rng.uniform(most));
    int indices = 1 + static_cast<int>(rng.uniform(most == 12 ? 16 : most));
    // Small extents make ties (the tie rule matters); large ones push
    // sizes past 2^50, where the scores are no longer exact integers.
    int64_t maxExtent = trial % 4 == 0 ? 100000 : trial % 4 == 1 ? 2 : 6;
    Network net = randomNetwork(rng, tensors, indices, maxExtent);
    SCOPED_TRACE("trial " + std::to_string(trial));
    expectSameAsGeneral(net);
    if (HasFailure())
      return;
  }
}

TEST(GreedySmall, FallsBackBeyond128) {
  Rng rng(7);
  Path ssa;
  TreeStats stats;
  EXPECT_FALSE(greedySmallNetwork(randomNetwork(rng, 129, 10, 3), ssa, stats));
  EXPECT_FALSE(greedySmallNetwork(randomNetwork(rng, 10, 129, 3), ssa, stats));
  EXPECT_TRUE(ssa.empty());
  for (auto [tensors, indices] : {std::pair{64, 64}, {65, 3}, {3, 65}, {128, 128}}) {
    Network net = randomNetwork(rng, tensors, indices, 3);
    EXPECT_TRUE(greedySmallNetwork(net, ssa, stats));
    expectSameAsGeneral(net);
  }
}

TEST(GreedySmall, DriverGivesTheGeneralResult) {
  // A memory limit (never reached) sends the driver down the general path.
  Rng rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    Network net = randomNetwork(rng, 2 + static_cast<int>(rng.uniform(20)),
                                1 + static_cast<int>(rng.uniform(30)), 5);
    OptimizeOptions fast;
    fast.algorithm = Algorithm::Greedy;
    OptimizeOptions general = fast;
    general.memoryLimit = 1e300;
    std::string e1, e2;
    auto a = optimizeContraction(net, fast, e1);
    auto b = optimizeContraction(net, general, e2);
    ASSERT_TRUE(a && b) << e1 << e2;
    EXPECT_EQ(a->ssa, b->ssa);
    EXPECT_EQ(a->log10TotalCost, b->log10TotalCost);
    EXPECT_EQ(a->stats.log2Width, b->stats.log2Width);
    EXPECT_EQ(a->algorithm, b->algorithm);
    EXPECT_EQ(a->trials, b->trials);
  }
}
