//===- PartitionTest.cpp - Hypergraph bisection and partition trees -------===//

#include "tn/Path/Partition.h"

#include "tn/Network/Generators.h"
#include "tn/Path/ContractionPath.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace tnc;

namespace {

/// A small greedy sub-optimizer for the tests: repeatedly contracts the pair
/// of roots sharing an index with the lowest size(ab) - size(a) - size(b)
/// (elements); roots sharing nothing are joined smallest first at the end.
int simpleGreedy(ContractionTree &tree, const std::vector<int> &nodes) {
  std::vector<int> live = nodes;
  int k = static_cast<int>(live.size());
  if (k == 0)
    return -1;
  const double kNone = std::numeric_limits<double>::infinity();
  std::vector<double> score(static_cast<size_t>(k) * k, kNone);
  std::vector<Leg> merged;
  auto pairScore = [&](int a, int b) {
    LegRange la = tree.legs(a), lb = tree.legs(b);
    bool shared = false;
    for (size_t i = 0, j = 0; i < la.size() && j < lb.size();) {
      if (la[i].edge == lb[j].edge) {
        shared = true;
        break;
      }
      la[i].edge < lb[j].edge ? ++i : ++j;
    }
    if (!shared)
      return kNone;
    double cost;
    double size = mergeLegs(tree.hypergraph(), la, lb, merged, cost);
    return std::exp2(size) - std::exp2(tree.log2Size(a)) -
           std::exp2(tree.log2Size(b));
  };
  for (int i = 0; i < k; ++i)
    for (int j = i + 1; j < k; ++j)
      score[i * k + j] = pairScore(live[i], live[j]);
  std::vector<bool> alive(k, true);
  for (int remaining = k; remaining > 1; --remaining) {
    int bi = -1, bj = -1;
    double best = kNone;
    for (int i = 0; i < k; ++i)
      for (int j = i + 1; alive[i] && j < k; ++j)
        if (alive[j] && score[i * k + j] < best) {
          best = score[i * k + j];
          bi = i;
          bj = j;
        }
    if (bi < 0) {
      // Nothing shares an index: the two smallest.
      for (int i = 0; i < k; ++i) {
        if (!alive[i])
          continue;
        double s = tree.log2Size(live[i]);
        if (bi < 0 || s < tree.log2Size(live[bi])) {
          bj = bi;
          bi = i;
        } else if (bj < 0 || s < tree.log2Size(live[bj])) {
          bj = i;
        }
      }
      if (bi > bj)
        std::swap(bi, bj);
    }
    live[bi] = tree.contract(live[bi], live[bj]);
    alive[bj] = false;
    for (int j = 0; j < k; ++j) {
      if (j == bi || !alive[j])
        continue;
      double s = pairScore(live[bi], live[j]);
      score[std::min(bi, j) * k + std::max(bi, j)] = s;
    }
  }
  for (int i = 0; i < k; ++i)
    if (alive[i])
      return live[i];
  return -1;
}

PartitionOptions defaultOptions() {
  PartitionOptions o;
  o.subOptimizer = simpleGreedy;
  return o;
}

double cutWeight(const std::vector<std::vector<int>> &pins,
                 const std::vector<double> &weights,
                 const std::vector<int> &side) {
  double cut = 0;
  for (size_t e = 0; e < pins.size(); ++e) {
    bool has[2] = {false, false};
    for (int v : pins[e])
      has[side[v]] = true;
    if (has[0] && has[1])
      cut += weights[e];
  }
  return cut;
}

/// Two dense random clusters [0, n/2) and [n/2, n) (edges inside with
/// probability p, weight 1 to 3) joined by `bridges` edges of weight 1.
struct Planted {
  int n;
  std::vector<std::vector<int>> pins;
  std::vector<double> weights;
  double plantedCut = 0;
};

Planted planted(int n, double p, int bridges, uint64_t seed,
                bool hyperedges = false) {
  Rng rng(seed);
  Planted g;
  g.n = n;
  int half = n / 2;
  for (int c = 0; c < 2; ++c) {
    int lo = c * half, hi = c ? n : half;
    for (int i = lo; i < hi; ++i)
      for (int j = i + 1; j < hi; ++j)
        if (rng.uniformReal() < p) {
          g.pins.push_back({i, j});
          g.weights.push_back(1 + static_cast<double>(rng.uniform(3)));
        }
    if (hyperedges)
      for (int h = 0; h < hi - lo; ++h) {
        std::vector<int> e;
        int size = 3 + static_cast<int>(rng.uniform(4));
        for (int s = 0; s < size; ++s) {
          int v = lo + static_cast<int>(rng.uniform(hi - lo));
          if (std::find(e.begin(), e.end(), v) == e.end())
            e.push_back(v);
        }
        if (e.size() >= 2) {
          g.pins.push_back(e);
          g.weights.push_back(2.0);
        }
      }
  }
  for (int b = 0; b < bridges; ++b) {
    int i = static_cast<int>(rng.uniform(half));
    int j = half + static_cast<int>(rng.uniform(n - half));
    g.pins.push_back({i, j});
    g.weights.push_back(1.0);
    g.plantedCut += 1.0;
  }
  return g;
}

bool isPlantedSplit(const std::vector<int> &side, int n) {
  int half = n / 2;
  for (int v = 0; v < n; ++v)
    if (side[v] != side[0] * (v < half) + (1 - side[0]) * (v >= half))
      return false;
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// bisect
//===----------------------------------------------------------------------===//

TEST(PartitionBisect, FindsPlantedCut) {
  for (PartitionMethod method :
       {PartitionMethod::Multilevel, PartitionMethod::LabelPropagation}) {
    for (uint64_t seed = 1; seed <= 5; ++seed) {
      Planted g = planted(60, 0.3, 3, seed);
      PartitionOptions o = defaultOptions();
      o.method = method;
      Rng rng(seed * 7);
      std::vector<double> vw(g.n, 1.0);
      std::vector<int> side = bisect(g.n, g.pins, g.weights, vw, o, rng);
      ASSERT_EQ(side.size(), static_cast<size_t>(g.n));
      EXPECT_TRUE(isPlantedSplit(side, g.n))
          << "method " << static_cast<int>(method) << " seed " << seed;
      EXPECT_DOUBLE_EQ(cutWeight(g.pins, g.weights, side), g.plantedCut);
    }
  }
}

TEST(PartitionBisect, FindsPlantedCutLarge) {
  // Large enough for several coarsening levels.
  Planted g = planted(400, 0.04, 5, 42);
  PartitionOptions o = defaultOptions();
  Rng rng(3);
  std::vector<int> side =
      bisect(g.n, g.pins, g.weights, std::vector<double>(g.n, 1.0), o, rng);
  EXPECT_TRUE(isPlantedSplit(side, g.n));
  EXPECT_DOUBLE_EQ(cutWeight(g.pins, g.weights, side), g.plantedCut);
}

TEST(PartitionBisect, HyperedgesAndIgnoredBigEdges) {
  Planted g = planted(80, 0.15, 2, 9, /*hyperedges=*/true);
  // A heavy hyperedge over everything would be cut anyway: ignored.
  std::vector<int> all(g.n);
  for (int v = 0; v < g.n; ++v)
    all[v] = v;
  g.pins.push_back(all);
  g.weights.push_back(100.0);
  PartitionOptions o = defaultOptions();
  Rng rng(11);
  std::vector<int> side =
      bisect(g.n, g.pins, g.weights, std::vector<double>(g.n, 1.0), o, rng);
  EXPECT_TRUE(isPlantedSplit(side, g.n));
  EXPECT_DOUBLE_EQ(cutWeight(g.pins, g.weights, side), g.plantedCut + 100.0);

  // Hyperedges crossing the planted split are counted once each.
  Planted h = planted(60, 0.2, 0, 5, /*hyperedges=*/true);
  h.pins.push_back({0, 1, 2, 40});
  h.weights.push_back(1.0);
  h.pins.push_back({3, 50, 51});
  h.weights.push_back(1.0);
  side = bisect(h.n, h.pins, h.weights, std::vector<double>(h.n, 1.0), o, rng);
  EXPECT_TRUE(isPlantedSplit(side, h.n));
  EXPECT_DOUBLE_EQ(cutWeight(h.pins, h.weights, side), 2.0);
}

TEST(PartitionBisect, GridCut) {
  // A 24 x 24 grid: the best balanced bisection cuts 24 edges.
  int L = 24;
  std::vector<std::vector<int>> pins;
  for (int x = 0; x < L; ++x)
    for (int y = 0; y < L; ++y) {
      if (x + 1 < L)
        pins.push_back({x * L + y, (x + 1) * L + y});
      if (y + 1 < L)
        pins.push_back({x * L + y, x * L + y + 1});
    }
  std::vector<double> w(pins.size(), 1.0);
  PartitionOptions o = defaultOptions();
  o.imbalance = 0.05;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    Rng rng(seed);
    std::vector<int> side =
        bisect(L * L, pins, w, std::vector<double>(L * L, 1.0), o, rng);
    EXPECT_LE(cutWeight(pins, w, side), 28.0) << "seed " << seed;
  }
}

TEST(PartitionBisect, BalanceRespected) {
  Rng gen(5);
  for (int trial = 0; trial < 20; ++trial) {
    int n = 20 + static_cast<int>(gen.uniform(200));
    std::vector<std::vector<int>> pins;
    for (int e = 0; e < 2 * n; ++e) {
      int size = 2 + static_cast<int>(gen.uniform(3));
      std::vector<int> p;
      for (int s = 0; s < size; ++s)
        p.push_back(static_cast<int>(gen.uniform(n)));
      pins.push_back(p);
    }
    std::vector<double> w(pins.size());
    for (double &x : w)
      x = 0.5 + gen.uniformReal() * 3;
    std::vector<double> vw(n, 1.0);
    bool weighted = trial % 2 == 1;
    if (weighted)
      for (double &x : vw)
        x = 1 + static_cast<double>(gen.uniform(5));
    double total = 0, maxw = 0;
    for (double x : vw) {
      total += x;
      maxw = std::max(maxw, x);
    }
    for (PartitionMethod method :
         {PartitionMethod::Multilevel, PartitionMethod::LabelPropagation}) {
      PartitionOptions o = defaultOptions();
      o.method = method;
      o.imbalance = trial % 3 == 0 ? 0.0 : 0.02 * (trial % 5);
      Rng rng(trial);
      std::vector<int> side = bisect(n, pins, w, vw, o, rng);
      double sideW[2] = {0, 0};
      for (int v = 0; v < n; ++v)
        sideW[side[v]] += vw[v];
      double limit =
          std::max(0.5 * (1 + o.imbalance) * total, 0.5 * (total + maxw));
      EXPECT_LE(std::max(sideW[0], sideW[1]), limit + 1e-9)
          << "trial " << trial << " method " << static_cast<int>(method);
      EXPECT_GT(sideW[0], 0);
      EXPECT_GT(sideW[1], 0);
    }
  }
}

TEST(PartitionBisect, BothSidesNonEmpty) {
  PartitionOptions o = defaultOptions();
  for (PartitionMethod method :
       {PartitionMethod::Multilevel, PartitionMethod::LabelPropagation})
    for (double imbalance : {0.0, 0.1, 1.0, 5.0})
      for (int n = 2; n <= 12; ++n) {
        o.method = method;
        o.imbalance = imbalance;
        Rng rng(n);
        // A path graph, and a graph without edges.
        std::vector<std::vector<int>> path, none;
        for (int v = 0; v + 1 < n; ++v)
          path.push_back({v, v + 1});
        for (const auto *pins : {&path, &none}) {
          std::vector<double> w(pins->size(), 1.0);
          std::vector<int> side =
              bisect(n, *pins, w, std::vector<double>(n, 1.0), o, rng);
          ASSERT_EQ(side.size(), static_cast<size_t>(n));
          int ones = 0;
          for (int s : side) {
            ASSERT_TRUE(s == 0 || s == 1);
            ones += s;
          }
          EXPECT_GT(ones, 0) << "n " << n;
          EXPECT_LT(ones, n) << "n " << n;
        }
      }
  Rng rng(0);
  EXPECT_TRUE(bisect(0, {}, {}, {}, o, rng).empty());
  EXPECT_EQ(bisect(1, {}, {}, {1.0}, o, rng), std::vector<int>{0});
}

TEST(PartitionBisect, Deterministic) {
  Planted g = planted(300, 0.05, 40, 17, /*hyperedges=*/true);
  for (PartitionMethod method :
       {PartitionMethod::Multilevel, PartitionMethod::LabelPropagation}) {
    PartitionOptions o = defaultOptions();
    o.method = method;
    std::vector<double> vw(g.n, 1.0);
    Rng a(123), b(123);
    std::vector<int> sa = bisect(g.n, g.pins, g.weights, vw, o, a);
    std::vector<int> sb = bisect(g.n, g.pins, g.weights, vw, o, b);
    EXPECT_EQ(sa, sb);
    // The generator advanced identically too.
    EXPECT_EQ(a.next(), b.next());
  }
}

//===----------------------------------------------------------------------===//
// partitionContract
//===----------------------------------------------------------------------===//

namespace {

Network makeNetwork(std::optional<Network> net, const std::string &error) {
  EXPECT_TRUE(net.has_value()) << error;
  return net ? *net : Network();
}

std::vector<int> allLeaves(const ContractionTree &tree) {
  std::vector<int> nodes(tree.numLeaves());
  for (int i = 0; i < tree.numLeaves(); ++i)
    nodes[i] = i;
  return nodes;
}

/// Best log10 cost of partition trees over a few seeds and imbalances.
double bestPartitionCost(const Hypergraph &hg, int trials,
                         PartitionMethod method = PartitionMethod::Multilevel) {
  double best = std::numeric_limits<double>::infinity();
  for (int t = 0; t < trials; ++t) {
    ContractionTree tree(hg);
    PartitionOptions o = defaultOptions();
    o.method = method;
    o.imbalance = 0.05 + 0.1 * (t % 4);
    Rng rng(1000 + t);
    int root = partitionContract(tree, allLeaves(tree), o, rng);
    EXPECT_EQ(root, tree.root());
    EXPECT_TRUE(tree.isComplete());
    best = std::min(best, tree.log10Cost());
  }
  return best;
}

double greedyCost(const Hypergraph &hg) {
  ContractionTree tree(hg);
  simpleGreedy(tree, allLeaves(tree));
  EXPECT_TRUE(tree.isComplete());
  return tree.log10Cost();
}

} // namespace

TEST(PartitionContract, CompleteValidTree) {
  std::string error;
  std::vector<Network> nets;
  nets.push_back(makeNetwork(randomRegular(80, 3, 2, 1, error), error));
  nets.push_back(makeNetwork(lattice(6, 7, 1, 3, false, error), error));
  nets.push_back(makeNetwork(
      randomCircuit(12, 8, 3, /*diagonalHyperedges=*/true, 2, error), error));
  nets.push_back(
      makeNetwork(randomHypergraph(70, 90, 5, 3, 2, 4, error), error));
  nets.push_back(makeNetwork(matrixChain({2, 3, 4, 5, 6, 7, 8}, error), error));
  for (int variant = 0; variant < 4; ++variant)
    for (const Network &net : nets) {
      Hypergraph hg(net);
      ContractionTree tree(hg);
      PartitionOptions o = defaultOptions();
      o.method = variant == 1 ? PartitionMethod::LabelPropagation
                              : PartitionMethod::Multilevel;
      o.cutoff = 4;
      if (variant == 2) {
        // k-way splits joined by the sub-optimizer, jittered weights.
        o.parts = 5;
        o.partsDecay = 0.3;
        o.randomStrength = 0.5;
      }
      if (variant == 3) {
        o.imbalance = 0.3;
        o.imbalanceDecay = -3;
        o.attempts = 1;
      }
      Rng rng(7);
      int root = partitionContract(tree, allLeaves(tree), o, rng);
      ASSERT_TRUE(tree.isComplete());
      EXPECT_EQ(root, tree.root());
      EXPECT_EQ(tree.leafCount(root), net.numTensors());
      Path ssa = tree.ssaPath();
      EXPECT_EQ(validateSsaPath(net.numTensors(), ssa), "");
      std::string err;
      auto cost = evaluateSsaPath(net, ssa, err);
      ASSERT_TRUE(cost.has_value()) << err;
      EXPECT_NEAR(cost->log10Cost, tree.log10Cost(), 1e-9);
    }
}

TEST(PartitionContract, SmallAndDisconnectedGroups) {
  std::string error;
  // Two disjoint lattices plus a lone tensor: components are split off.
  Network a = makeNetwork(lattice(4, 5, 1, 2, false, error), error);
  Network net = a;
  int offset = net.numIndices();
  for (int t = 0; t < a.numTensors(); ++t) {
    std::vector<int> ids;
    for (int i : a.tensorIndices(t))
      ids.push_back(net.addIndex("x" + std::to_string(i + offset), a.extent(i)));
    net.addTensor(ids);
  }
  net.addTensor({net.addIndex("lone", 5)});
  net.setOutput({net.findIndex("lone")});
  Hypergraph hg(net);
  for (int n : {1, 2, 3, net.numTensors()}) {
    ContractionTree tree(hg);
    std::vector<int> nodes = allLeaves(tree);
    nodes.resize(n);
    PartitionOptions o = defaultOptions();
    o.cutoff = 2;
    Rng rng(1);
    int root = partitionContract(tree, nodes, o, rng);
    ASSERT_GE(root, 0);
    EXPECT_EQ(tree.leafCount(root), n);
    EXPECT_EQ(tree.parent(root), -1);
  }
  // A subset of the roots: the rest stay untouched.
  ContractionTree tree(hg);
  std::vector<int> first(10);
  for (int i = 0; i < 10; ++i)
    first[i] = 2 * i;
  Rng rng(2);
  int root = partitionContract(tree, first, defaultOptions(), rng);
  EXPECT_EQ(tree.leafCount(root), 10);
  EXPECT_EQ(tree.roots().size(), static_cast<size_t>(net.numTensors() - 9));
}

TEST(PartitionContract, Deterministic) {
  std::string error;
  Network net = makeNetwork(randomRegular(150, 3, 2, 4, error), error);
  Hypergraph hg(net);
  for (PartitionMethod method :
       {PartitionMethod::Multilevel, PartitionMethod::LabelPropagation}) {
    PartitionOptions o = defaultOptions();
    o.method = method;
    ContractionTree t1(hg), t2(hg);
    Rng r1(99), r2(99);
    partitionContract(t1, allLeaves(t1), o, r1);
    partitionContract(t2, allLeaves(t2), o, r2);
    EXPECT_EQ(t1.ssaPath(), t2.ssaPath());
  }
}

TEST(PartitionContract, LatticeCosts) {
  // An L x L lattice with bond D: the best orders sweep a boundary of about
  // L bonds, ~L^2 steps of cost ~D^(L+2).
  std::string error;
  int L = 10;
  Network net = makeNetwork(lattice(L, L, 1, 4, false, error), error);
  Hypergraph hg(net);
  double part = bestPartitionCost(hg, 8);
  double greedy = greedyCost(hg);
  double ideal = std::log10(L * L) + (L + 2) * std::log10(4.0);
  EXPECT_LT(part, greedy);
  EXPECT_LT(part, ideal + 1.0);
  // Left to right over a shuffled numbering is hopeless.
  Network shuffled;
  for (int i = 0; i < net.numIndices(); ++i)
    shuffled.addIndex(net.indexName(i), net.extent(i));
  std::vector<int> perm(net.numTensors());
  for (int t = 0; t < net.numTensors(); ++t)
    perm[t] = t;
  Rng rng(3);
  for (int t = net.numTensors() - 1; t > 0; --t)
    std::swap(perm[t], perm[rng.uniform(t + 1)]);
  for (int t : perm)
    shuffled.addTensor(net.tensorIndices(t));
  std::string err;
  auto naive =
      evaluateSsaPath(shuffled, leftToRightPath(shuffled.numTensors()), err);
  ASSERT_TRUE(naive.has_value()) << err;
  EXPECT_LT(part, naive->log10Cost - 5);
}

TEST(PartitionContract, RandomRegularAndCircuitCosts) {
  std::string error;
  for (int n : {60, 120, 200}) {
    Network net = makeNetwork(randomRegular(n, 3, 2, n, error), error);
    Hypergraph hg(net);
    double part = bestPartitionCost(hg, 8);
    double greedy = greedyCost(hg);
    std::string err;
    auto naive = evaluateSsaPath(net, leftToRightPath(n), err);
    ASSERT_TRUE(naive.has_value()) << err;
    EXPECT_LT(part, greedy + 0.1) << "n " << n;
    EXPECT_LT(part, naive->log10Cost - 3) << "n " << n;
  }
  Network circ = makeNetwork(
      randomCircuit(20, 12, 5, /*diagonalHyperedges=*/true, 0, error), error);
  Hypergraph hg(circ);
  double part = bestPartitionCost(hg, 8);
  double lp = bestPartitionCost(hg, 8, PartitionMethod::LabelPropagation);
  double greedy = greedyCost(hg);
  EXPECT_LT(part, greedy);
  EXPECT_LT(lp, greedy + 1.0);
}
