//===- ContractionTreeTest.cpp - Trees, greedy, reconfiguration, driver ---===//

#include "tn/Network/Generators.h"
#include "tn/Path/ContractionTree.h"
#include "tn/Path/Greedy.h"
#include "tn/Path/Optimize.h"
#include "tn/Path/Partition.h"
#include "tn/Path/Rebuild.h"
#include "tn/Path/Reconfigure.h"

#include <gtest/gtest.h>

#include <cmath>
#include <unordered_set>

using namespace tnc;

namespace {

Network einsum(const char *eq, std::vector<std::vector<int64_t>> shapes) {
  Diagnostic d;
  std::optional<Network> net = parseEinsum(eq, shapes, d);
  EXPECT_TRUE(net.has_value()) << d.message;
  return *net;
}

Network generated(std::optional<Network> net, const std::string &error) {
  EXPECT_TRUE(net.has_value()) << error;
  return *net;
}

Network regular(int n, int degree, int64_t bond, uint64_t seed) {
  std::string error;
  return generated(randomRegular(n, degree, bond, seed, error), error);
}

Network hypergraph(int tensors, int indices, uint64_t seed) {
  std::string error;
  return generated(randomHypergraph(tensors, indices, 3, 2, 2, seed, error),
                   error);
}

/// Every live step's cost recomputed from scratch (Π extents of the union
/// of the children's legs, plus what leaves sum alone).
void expectConsistent(const ContractionTree &tree) {
  std::string error;
  std::optional<ContractionTree> rebuilt =
      ContractionTree::fromSsa(tree.hypergraph(), tree.ssaPath(), error);
  ASSERT_TRUE(rebuilt) << error;
  EXPECT_NEAR(rebuilt->log10Cost(), tree.log10Cost(), 1e-9);
  EXPECT_NEAR(rebuilt->log2Width(), tree.log2Width(), 1e-9);
}

/// A complete tree from one randomized greedy pass (temperature 1).
ContractionTree randomGreedyTree(const Hypergraph &hg, uint64_t seed) {
  ContractionTree t(hg);
  GreedyOptions g;
  g.temperature = 1.0;
  Rng rng(seed);
  greedyContract(t, t.roots(), g, &rng);
  return t;
}

} // namespace

TEST(ContractionTree, MatrixChainCosts) {
  Network net = einsum("ij,jk,kl->il", {{2, 3}, {3, 4}, {4, 5}});
  Hypergraph hg(net);
  ContractionTree t(hg);
  int a = t.contract(0, 1); // 2*3*4 = 24
  EXPECT_NEAR(t.log2StepCost(a), std::log2(24.0), 1e-12);
  EXPECT_NEAR(t.log2Size(a), std::log2(8.0), 1e-12);
  int b = t.contract(a, 2); // 2*4*5 = 40
  EXPECT_NEAR(t.log2StepCost(b), std::log2(40.0), 1e-12);
  EXPECT_TRUE(t.isComplete());
  EXPECT_EQ(t.root(), b);
  TreeStats s = t.stats();
  EXPECT_NEAR(s.log10Cost, std::log10(64.0), 1e-12);
  EXPECT_NEAR(s.log10Flops, std::log10(128.0), 1e-12);
  EXPECT_NEAR(s.log10Write, std::log10(18.0), 1e-12);
  EXPECT_NEAR(s.log2Width, std::log2(10.0), 1e-12);
  // Peak: 6 + 12 + 20 inputs, +8 for the first intermediate.
  EXPECT_NEAR(s.log2Peak, std::log2(46.0), 1e-12);
  EXPECT_EQ(t.ssaPath(), (Path{{0, 1}, {2, 3}}));
}

TEST(ContractionTree, HyperedgesTracesAndOutputs) {
  // b is in three tensors and the output; a is traced in tensor 0; d is
  // summed by tensor 2 alone.
  Network net = einsum("aab,bc,bd->bc", {{4, 4, 3}, {3, 5}, {3, 2}});
  Hypergraph hg(net);
  EXPECT_TRUE(hg.nodeReduces(0));
  EXPECT_TRUE(hg.nodeReduces(2));
  EXPECT_FALSE(hg.nodeReduces(1));
  ContractionTree t(hg);
  // Leaf legs drop what the tensor sums alone.
  ASSERT_EQ(t.legs(0).size(), 1u);
  ASSERT_EQ(t.legs(2).size(), 1u);
  int x = t.contract(0, 1);
  // Step (aab,bc): loops over a, b, c = 4*3*5; b stays (tensor 2, output).
  EXPECT_NEAR(t.log2StepCost(x), std::log2(60.0), 1e-12);
  EXPECT_TRUE(t.stepSums(x));
  ASSERT_EQ(t.legs(x).size(), 2u);
  int y = t.contract(x, 2);
  // Step (bc, bd): b, c, d = 3*5*2.
  EXPECT_NEAR(t.log2StepCost(y), std::log2(30.0), 1e-12);
  std::string error;
  std::optional<PathCost> cost = evaluateSsaPath(net, t.ssaPath(), error);
  ASSERT_TRUE(cost) << error;
  EXPECT_NEAR(cost->log10Cost, std::log10(90.0), 1e-12);
}

TEST(ContractionTree, DissolveAttachCompact) {
  Network net = regular(12, 3, 2, 1);
  Hypergraph hg(net);
  ContractionTree t(hg);
  greedyContract(t, t.roots(), GreedyOptions{}, nullptr);
  ASSERT_TRUE(t.isComplete());
  double before = t.log10Cost();
  int top = t.root();
  int l = t.left(top);
  // Dissolve the root's left subtree down to its two children and rebuild it
  // the other way round: same leaves, same cost.
  if (!t.isLeaf(l)) {
    std::vector<int> frontier = {t.left(l), t.right(l)};
    int parent = t.dissolve(l, frontier);
    EXPECT_EQ(parent, top);
    EXPECT_TRUE(t.isDead(l));
    int n = t.contract(frontier[1], frontier[0]);
    t.attach(parent, n);
    EXPECT_TRUE(t.isComplete());
    EXPECT_NEAR(t.log10Cost(), before, 1e-9);
  }
  ContractionTree c = t.compacted();
  EXPECT_EQ(c.numNodes(), 2 * c.numLeaves() - 1);
  EXPECT_NEAR(c.log10Cost(), before, 1e-9);
  expectConsistent(c);
}

TEST(ContractionTree, MergedParallelKeepsCosts) {
  // Two bonds between the same tensors merge into one edge.
  Network net = einsum("ijk,jkl,lm->im", {{2, 3, 4}, {3, 4, 5}, {5, 6}});
  Hypergraph hg(net);
  Hypergraph merged = hg.mergedParallel();
  EXPECT_EQ(merged.numEdges(), hg.numEdges() - 1);
  for (const Path &p : {Path{{0, 1}, {3, 2}}, Path{{1, 2}, {0, 3}}}) {
    std::string e1, e2;
    auto a = ContractionTree::fromSsa(hg, p, e1);
    auto b = ContractionTree::fromSsa(merged, p, e2);
    ASSERT_TRUE(a && b);
    EXPECT_NEAR(a->log10Cost(), b->log10Cost(), 1e-12);
    EXPECT_NEAR(a->log2Width(), b->log2Width(), 1e-12);
  }
}

TEST(ContractionTree, InvalidSsaPaths) {
  Network net = einsum("ij,jk,kl->il", {{2, 3}, {3, 4}, {4, 5}});
  Hypergraph hg(net);
  std::string error;
  EXPECT_FALSE(ContractionTree::fromSsa(hg, {{0, 1}}, error));
  EXPECT_NE(error.find("needs 2"), std::string::npos) << error;
  EXPECT_FALSE(ContractionTree::fromSsa(hg, {{0, 1}, {0, 2}}, error));
  EXPECT_FALSE(ContractionTree::fromSsa(hg, {{0, 5}, {1, 2}}, error));
  EXPECT_FALSE(ContractionTree::fromSsa(hg, {{1, 1}, {0, 2}}, error));
}

TEST(Objective, ParseAndScore) {
  EXPECT_EQ(parseObjective("flops")->kind, ObjectiveKind::Flops);
  EXPECT_EQ(parseObjective("size")->kind, ObjectiveKind::Size);
  EXPECT_EQ(parseObjective("write")->kind, ObjectiveKind::Write);
  EXPECT_EQ(parseObjective("combo")->kind, ObjectiveKind::Combo);
  EXPECT_EQ(parseObjective("combo-256")->alpha, 256);
  EXPECT_EQ(parseObjective("limit-1")->kind, ObjectiveKind::Limit);
  EXPECT_FALSE(parseObjective("combo-"));
  EXPECT_FALSE(parseObjective("combo-x"));
  EXPECT_FALSE(parseObjective("limit--1"));
  EXPECT_FALSE(parseObjective("speed"));

  TreeStats small, big;
  small.log10Cost = 5;
  small.log2Width = 30;
  big.log10Cost = 6;
  big.log2Width = 20;
  Objective flops, size;
  size.kind = ObjectiveKind::Size;
  EXPECT_LT(score(small, flops), score(big, flops));
  EXPECT_LT(score(big, size), score(small, size));
  // Over the memory limit scores worse than anything under it.
  Objective limited;
  limited.log2MemoryLimit = 25;
  EXPECT_LT(score(big, limited), score(small, limited));
}

TEST(Greedy, CompleteDeterministicAndHandlesComponents) {
  // Two disconnected chains and a lone vector.
  Network net = einsum("ij,jk,ab,bc,x->ikacx",
                       {{2, 3}, {3, 4}, {5, 6}, {6, 7}, {8}});
  Hypergraph hg(net);
  ContractionTree t1(hg), t2(hg);
  greedyContract(t1, t1.roots(), GreedyOptions{}, nullptr);
  greedyContract(t2, t2.roots(), GreedyOptions{}, nullptr);
  ASSERT_TRUE(t1.isComplete());
  EXPECT_EQ(t1.ssaPath(), t2.ssaPath());
  expectConsistent(t1);

  // Randomized greedy is deterministic for an Rng state.
  Network big = regular(60, 3, 2, 4);
  Hypergraph hb(big);
  GreedyOptions noisy;
  noisy.temperature = 0.3;
  ContractionTree r1(hb), r2(hb);
  Rng a(9), b(9);
  greedyContract(r1, r1.roots(), noisy, &a);
  greedyContract(r2, r2.roots(), noisy, &b);
  EXPECT_EQ(r1.ssaPath(), r2.ssaPath());
  expectConsistent(r1);
}

TEST(Greedy, SubsetOfRoots) {
  Network net = regular(20, 3, 2, 2);
  Hypergraph hg(net);
  ContractionTree t(hg);
  std::vector<int> first = {0, 1, 2, 3, 4, 5, 6, 7};
  int r = greedyContract(t, first, GreedyOptions{}, nullptr);
  EXPECT_EQ(t.leafCount(r), 8);
  EXPECT_EQ(t.roots().size(), 13u);
  greedyContract(t, t.roots(), GreedyOptions{}, nullptr);
  EXPECT_TRUE(t.isComplete());
  expectConsistent(t);
}

TEST(Reconfigure, NeverWorseAndStaysComplete) {
  for (uint64_t seed : {1, 2, 3}) {
    Network net = regular(40, 3, 2, seed);
    Hypergraph hg(net);
    ContractionTree t = randomGreedyTree(hg, seed);
    double before = t.log10Cost();
    ReconfigureOptions r;
    r.subtreeSize = 6;
    reconfigure(t, r);
    EXPECT_TRUE(t.isComplete());
    EXPECT_LE(t.log10Cost(), before + 1e-9);
    expectConsistent(t);
  }
}

TEST(Reconfigure, ConvergedTreeIsALocalOptimum) {
  // Later passes skip frontiers already solved; a fresh call (which
  // remembers nothing) must then find nothing left to replace, or the
  // skipping missed moves.
  for (uint64_t seed : {1, 2, 3, 4}) {
    Network net = seed % 2 ? regular(40, 3, 3, seed) : hypergraph(30, 45, seed);
    Hypergraph hg(net);
    ContractionTree t = randomGreedyTree(hg, seed);
    ReconfigureOptions r;
    r.subtreeSize = 6;
    r.maxPasses = 100;
    int replaced = reconfigure(t, r);
    EXPECT_GT(replaced, 0);
    double converged = t.log10Cost();
    EXPECT_EQ(reconfigure(t, r), 0) << "seed " << seed;
    EXPECT_EQ(t.log10Cost(), converged);
    expectConsistent(t);
  }
}

TEST(Reconfigure, SharedMemoChangesNothingButTheWork) {
  // A memo filled on one tree is consulted on another: it may only skip
  // subtrees that are already optimal there, so the result must be the tree
  // a call with an empty memo gives. The other tree is the converged one
  // with a few subtrees' inner steps redone at random over the same
  // frontiers; naming a subtree by its frontier alone (not its shape) skips
  // those and fails this.
  int skipped = 0;
  for (uint64_t seed : {1, 2, 3, 4, 5, 6}) {
    Network net = seed % 2 ? regular(40, 3, 3, seed) : hypergraph(30, 45, seed);
    Hypergraph hg(net);
    std::unordered_set<uint64_t> memo;
    ReconfigureOptions r;
    r.subtreeSize = 6;
    r.maxPasses = 100;
    r.memo = &memo;
    ContractionTree t = randomGreedyTree(hg, seed);
    reconfigure(t, r);
    double converged = t.log10Cost();
    Rng rng(seed);
    GreedyOptions g;
    g.temperature = 10.0;
    for (int round = 0; round < 4; ++round) {
      std::vector<int> inner;
      for (int n = t.numLeaves(); n < t.numNodes(); ++n)
        if (!t.isDead(n) && t.leafCount(n) >= 6)
          inner.push_back(n);
      int top = inner[rng.uniform(inner.size())];
      std::vector<int> frontier = subtreeFrontier(t, top, 6);
      int parent = t.dissolve(top, frontier);
      int rebuilt = greedyContract(t, frontier, g, &rng);
      if (parent >= 0)
        t.attach(parent, rebuilt);
    }
    t = t.compacted();
    skipped += t.log10Cost() > converged + 1e-9;
    ContractionTree fresh = t;
    reconfigure(t, r);
    r.memo = nullptr;
    reconfigure(fresh, r);
    EXPECT_EQ(t.ssaPath(), fresh.ssaPath()) << "seed " << seed;
    expectConsistent(t);
  }
  EXPECT_GT(skipped, 0) << "no perturbation made a tree worse";
}

/// A tree by recursive bisection, the kind the hyper search polishes.
ContractionTree partitionTree(const Hypergraph &hg, uint64_t seed) {
  ContractionTree t(hg);
  PartitionOptions p;
  p.subOptimizer = [](ContractionTree &tree, const std::vector<int> &nodes) {
    return greedyContract(tree, nodes, GreedyOptions{}, nullptr);
  };
  Rng rng(seed);
  partitionContract(t, t.roots(), p, rng);
  return t;
}

TEST(Rebuild, NeverWorseThanPolishAloneAndDeterministic) {
  int accepted = 0, rejected = 0;
  for (uint64_t seed : {1, 2, 3}) {
    Network net = regular(100, 3, 2, seed);
    Hypergraph hg(net);
    ContractionTree start = partitionTree(hg, seed);
    // What rebuildSubtrees starts from: the tree polished with subtrees of
    // 8, then 10.
    ContractionTree polished = start;
    for (int size : {8, 10}) {
      ReconfigureOptions r;
      r.subtreeSize = size;
      r.maxPasses = 16;
      reconfigure(polished, r);
    }
    RebuildOptions o;
    o.minLeaves = 16;
    o.maxCandidates = 10;
    ContractionTree a = start, b = start;
    Rng rngA(seed), rngB(seed);
    RebuildStats sa = rebuildSubtrees(a, o, rngA);
    RebuildStats sb = rebuildSubtrees(b, o, rngB);
    EXPECT_EQ(sa.candidates, 10);
    EXPECT_TRUE(a.isComplete());
    expectConsistent(a);
    EXPECT_LE(a.log10Cost(), polished.log10Cost() + 1e-9) << "seed " << seed;
    if (sa.accepted > 0) {
      EXPECT_LT(a.log10Cost(), polished.log10Cost() - 1e-9) << "seed " << seed;
    }
    EXPECT_EQ(a.ssaPath(), b.ssaPath()) << "seed " << seed;
    EXPECT_EQ(sa.accepted, sb.accepted);
    accepted += sa.accepted;
    rejected += sa.candidates - sa.accepted;
  }
  // Rebuilt regions do win on random regular graphs, and not every one.
  EXPECT_GT(accepted, 0);
  EXPECT_GT(rejected, 0);
}

TEST(Rebuild, SmallTreesAreLeftAlone) {
  // No subtree has minLeaves leaves: nothing to rebuild, only the polish.
  Network net = regular(20, 3, 2, 7);
  Hypergraph hg(net);
  ContractionTree t = randomGreedyTree(hg, 7);
  RebuildOptions o;
  o.minLeaves = 30;
  o.maxCandidates = 5;
  Rng rng(1);
  RebuildStats s = rebuildSubtrees(t, o, rng);
  EXPECT_EQ(s.candidates, 0);
  EXPECT_TRUE(t.isComplete());
}

TEST(Slicing, ReachesTargetWithOverheadAtLeastOne) {
  Network net = regular(30, 3, 2, 5);
  Hypergraph hg(net);
  ContractionTree t(hg);
  greedyContract(t, t.roots(), GreedyOptions{}, nullptr);
  double width = t.log2Width();
  ASSERT_GT(width, 4);
  ReconfigureOptions r;
  SliceResult s = sliceTree(hg, t, width - 3, r, /*reconfigureAfter=*/true);
  EXPECT_LE(t.log2Width(), width - 3 + 1e-9);
  EXPECT_FALSE(s.edges.empty());
  EXPECT_GE(s.overhead, 1.0 - 1e-9);
  EXPECT_NEAR(s.log10Slices, s.edges.size() * std::log10(2.0), 1e-9);
  for (int e : s.edges)
    EXPECT_TRUE(hg.isSliced(e));
}

TEST(Optimize, EveryAlgorithmGivesAValidPath) {
  Network net = hypergraph(14, 18, 3);
  for (const char *name :
       {"auto", "optimal", "greedy", "random-greedy", "partition", "hyper"}) {
    OptimizeOptions o;
    o.algorithm = *parseAlgorithm(name);
    o.repeats = 8;
    o.threads = 2;
    std::string error;
    std::optional<OptimizeResult> r = optimizeContraction(net, o, error);
    ASSERT_TRUE(r) << name << ": " << error;
    EXPECT_EQ(validateSsaPath(net.numTensors(), r->ssa), "") << name;
    std::optional<PathCost> c = evaluateSsaPath(net, r->ssa, error);
    ASSERT_TRUE(c);
    EXPECT_NEAR(c->log10Cost, r->log10TotalCost, 1e-9) << name;
  }
  EXPECT_FALSE(parseAlgorithm("exhaustive"));
}

TEST(Optimize, OptimalIsNoWorseThanHeuristics) {
  Network net = regular(14, 3, 3, 7);
  auto run = [&](Algorithm a) {
    OptimizeOptions o;
    o.algorithm = a;
    o.repeats = 16;
    std::string error;
    return optimizeContraction(net, o, error)->log10TotalCost;
  };
  double best = run(Algorithm::Optimal);
  for (Algorithm a : {Algorithm::Greedy, Algorithm::RandomGreedy,
                      Algorithm::Partition, Algorithm::Hyper})
    EXPECT_GE(run(a), best - 1e-9);
}

TEST(Optimize, DeterministicForSeedAcrossThreadCounts) {
  Network net = regular(80, 3, 2, 11);
  std::vector<Path> paths;
  for (int threads : {1, 2, 2}) {
    OptimizeOptions o;
    o.algorithm = Algorithm::Hyper;
    o.repeats = 12;
    o.seed = 42;
    o.threads = threads;
    std::string error;
    paths.push_back(optimizeContraction(net, o, error)->ssa);
  }
  EXPECT_EQ(paths[0], paths[1]);
  EXPECT_EQ(paths[1], paths[2]);
}

TEST(Optimize, SlicingAndMemoryLimit) {
  Network net = regular(40, 3, 2, 3);
  OptimizeOptions o;
  o.algorithm = Algorithm::Greedy;
  std::string error;
  double width = optimizeContraction(net, o, error)->stats.log2Width;
  o.sliceTarget = std::exp2(width - 2);
  std::optional<OptimizeResult> r = optimizeContraction(net, o, error);
  ASSERT_TRUE(r) << error;
  EXPECT_LE(r->stats.log2Width, width - 2 + 1e-9);
  EXPECT_FALSE(r->slicedIndices.empty());
  EXPECT_GE(r->sliceOverhead, 1.0 - 1e-9);
  EXPECT_NEAR(r->log10TotalCost, r->log10Slices + r->stats.log10Cost, 1e-9);
  // A memory limit no tree meets is met by slicing.
  OptimizeOptions m;
  m.algorithm = Algorithm::Greedy;
  m.memoryLimit = std::exp2(width - 3);
  r = optimizeContraction(net, m, error);
  ASSERT_TRUE(r) << error;
  EXPECT_LE(r->stats.log2Width, width - 3 + 1e-9);
}

TEST(Optimize, ReportEntry) {
  Network net = einsum("ij,jk,kl->il", {{2, 3}, {3, 4}, {4, 5}});
  net.name = "chain";
  OptimizeOptions o;
  std::string error;
  std::optional<OptimizeResult> r = optimizeContraction(net, o, error);
  ASSERT_TRUE(r);
  JsonValue e = reportEntry(net, *r);
  EXPECT_EQ(e.get("name")->getString(), "chain");
  EXPECT_EQ(e.get("num_tensors")->getInteger(), 3);
  EXPECT_EQ(e.get("num_slices")->getInteger(), 1);
  ASSERT_TRUE(e.get("path")->isArray());
  EXPECT_EQ(e.get("path")->getArray().size(), 2u);
  // Linear format round-trips to the SSA path.
  Path linear;
  for (const JsonValue &step : e.get("path")->getArray())
    linear.push_back({static_cast<int>(step.getArray()[0].getInteger()),
                      static_cast<int>(step.getArray()[1].getInteger())});
  // (The linear format orders each pair by position.)
  Path back = *linearToSsa(3, linear, error), ssa = r->ssa;
  for (Path *p : {&back, &ssa})
    for (PathStep &step : *p)
      step = {std::min(step.first, step.second),
              std::max(step.first, step.second)};
  EXPECT_EQ(back, ssa);
}
