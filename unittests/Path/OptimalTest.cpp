//===- OptimalTest.cpp - Exact contraction-order search -------------------===//
//
// optimalContract is checked against an exhaustive enumeration of every
// binary contraction tree (outer products included) on small networks of
// every generator class, for every objective, on leaves and on
// intermediates, with and without memory limits; then limits, errors and
// known optimal costs of larger networks.
//
//===----------------------------------------------------------------------===//

#include "tn/Path/Optimal.h"

#include "tn/Network/Generators.h"
#include "tn/Network/Network.h"
#include "tn/Support/Random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace tnc;

namespace {

using Mask = uint64_t;
using Steps = std::vector<std::pair<Mask, Mask>>;

const double kLog10Of2 = std::log10(2.0);

Network unwrap(std::optional<Network> net, const std::string &error) {
  EXPECT_TRUE(net.has_value()) << error;
  return net ? *net : Network();
}

Network einsum(const std::string &eq,
               const std::vector<std::vector<int64_t>> &shapes) {
  Diagnostic d;
  std::optional<Network> net = parseEinsum(eq, shapes, d);
  EXPECT_TRUE(net.has_value()) << eq << ": " << d.message;
  return net ? *net : Network();
}

/// The statistics of the steps made after node id `base` (the subproblem).
struct LocalStats {
  TreeStats stats;
  double log10LimitSum = -std::numeric_limits<double>::infinity();
};

LocalStats localStats(const ContractionTree &t, int base, double alpha) {
  LocalStats ls;
  Objective limit;
  limit.kind = ObjectiveKind::Limit;
  limit.alpha = alpha;
  for (int n = base; n < t.numNodes(); ++n) {
    if (t.isDead(n))
      continue;
    ls.stats.log10Cost =
        log10Add(ls.stats.log10Cost, t.log2StepCost(n) * kLog10Of2);
    ls.stats.log10Write =
        log10Add(ls.stats.log10Write, t.log2Size(n) * kLog10Of2);
    ls.stats.log2Width = std::max(ls.stats.log2Width, t.log2Size(n));
    ls.log10LimitSum = log10Add(
        ls.log10LimitSum, log10StepScore(t.log2StepCost(n), t.log2Size(n), limit));
  }
  return ls;
}

double localScore(const LocalStats &ls, const Objective &objective) {
  if (objective.kind != ObjectiveKind::Limit)
    return score(ls.stats, objective);
  double penalty = 0;
  if (ls.stats.log2Width > objective.log2MemoryLimit + 1e-9)
    penalty = 1e6 + (ls.stats.log2Width - objective.log2MemoryLimit) * 1e3;
  return penalty + ls.log10LimitSum;
}

/// The alphas of the Combo and Limit objectives under test.
const double kAlphas[] = {64, 2, 8};
constexpr int kNumAlphas = 3;

int alphaSlot(double alpha) {
  for (int i = 0; i < kNumAlphas; ++i)
    if (kAlphas[i] == alpha)
      return i;
  ADD_FAILURE() << "alpha " << alpha << " not enumerated";
  return 0;
}

/// True if two nodes have a leg in common (legs are sorted by edge).
bool sharesIndex(const ContractionTree &t, int x, int y) {
  LegRange a = t.legs(x), b = t.legs(y);
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].edge == b[j].edge)
      return true;
    if (a[i].edge < b[j].edge)
      ++i;
    else
      ++j;
  }
  return false;
}

/// One tree of the exhaustive enumeration and what it scores.
struct Candidate {
  double log10Cost = -std::numeric_limits<double>::infinity();
  double log10Write = -std::numeric_limits<double>::infinity();
  double log2Width = 0;
  double log10Limit[kNumAlphas] = {-std::numeric_limits<double>::infinity(),
                                   -std::numeric_limits<double>::infinity(),
                                   -std::numeric_limits<double>::infinity()};
  bool connected = true; ///< every step shares an index

  LocalStats local(double alpha) const {
    LocalStats ls;
    ls.stats.log10Cost = log10Cost;
    ls.stats.log10Write = log10Write;
    ls.stats.log2Width = log2Width;
    ls.log10LimitSum = log10Limit[alphaSlot(alpha)];
    return ls;
  }
};

/// Every binary tree (outer products included) over the roots `nodes` of a
/// tree: the trees of a subset are all the pairs of trees of its splits.
/// The step of each split is measured with ContractionTree itself: both
/// halves built (in any order: legs depend on the subset only) in a copy of
/// the tree, then contracted.
class Enumerator {
public:
  Enumerator(const ContractionTree &tree, const std::vector<int> &nodes)
      : tree_(tree), nodes_(nodes) {}

  const std::vector<Candidate> &trees(Mask s) {
    auto it = memo_.find(s);
    if (it != memo_.end())
      return it->second;
    std::vector<Candidate> result;
    if (__builtin_popcountll(s) == 1) {
      result.push_back(Candidate());
    } else {
      Mask low = s & (~s + 1);
      Mask rest = s & ~low;
      for (Mask sub = rest;; sub = (sub - 1) & rest) {
        Mask a = low | sub, b = s & ~a;
        if (b) {
          const std::vector<Candidate> ta = trees(a);
          const std::vector<Candidate> tb = trees(b);
          Candidate step = measure(a, b);
          for (const Candidate &x : ta)
            for (const Candidate &y : tb) {
              Candidate c;
              c.log10Cost = log10Add(log10Add(x.log10Cost, y.log10Cost),
                                     step.log10Cost);
              c.log10Write = log10Add(log10Add(x.log10Write, y.log10Write),
                                      step.log10Write);
              c.log2Width =
                  std::max({x.log2Width, y.log2Width, step.log2Width});
              for (int i = 0; i < kNumAlphas; ++i)
                c.log10Limit[i] =
                    log10Add(log10Add(x.log10Limit[i], y.log10Limit[i]),
                             step.log10Limit[i]);
              c.connected = x.connected && y.connected && step.connected;
              result.push_back(c);
            }
        }
        if (sub == 0)
          break;
      }
    }
    return memo_[s] = std::move(result);
  }

  std::vector<Candidate> all() {
    return trees((Mask(1) << nodes_.size()) - 1);
  }

  /// The step contracting subsets a and b (each built first).
  Candidate measure(Mask a, Mask b) {
    ContractionTree t = tree_;
    int x = build(t, a), y = build(t, b);
    bool shares = sharesIndex(t, x, y);
    int z = t.contract(x, y);
    Candidate c;
    c.log10Cost = t.log2StepCost(z) * kLog10Of2;
    c.log10Write = t.log2Size(z) * kLog10Of2;
    c.log2Width = t.log2Size(z);
    for (int i = 0; i < kNumAlphas; ++i) {
      Objective limit;
      limit.kind = ObjectiveKind::Limit;
      limit.alpha = kAlphas[i];
      c.log10Limit[i] = log10StepScore(t.log2StepCost(z), t.log2Size(z), limit);
    }
    c.connected = shares;
    return c;
  }

private:
  int build(ContractionTree &t, Mask s) {
    int id = -1;
    for (int v = 0; v < static_cast<int>(nodes_.size()); ++v)
      if (s >> v & 1)
        id = id < 0 ? nodes_[v] : t.contract(id, nodes_[v]);
    return id;
  }

  const ContractionTree &tree_;
  std::vector<int> nodes_;
  std::map<Mask, std::vector<Candidate>> memo_;
};

std::vector<Candidate> enumerate(const ContractionTree &tree,
                                 const std::vector<int> &nodes) {
  return Enumerator(tree, nodes).all();
}

std::vector<Objective> testObjectives() {
  std::vector<Objective> objs;
  for (const char *s : {"flops", "write", "size", "combo", "combo-2", "limit",
                        "limit-8"})
    objs.push_back(*parseObjective(s));
  return objs;
}

std::string objectiveName(const Objective &o) {
  const char *names[] = {"flops", "size", "write", "combo", "limit"};
  std::string s = names[static_cast<int>(o.kind)];
  s += "(alpha=" + std::to_string(o.alpha) +
       ", limit=" + std::to_string(o.log2MemoryLimit) + ")";
  return s;
}

/// Runs optimalContract on a copy of `tree` and returns the local score (or
/// NaN on failure).
double optimize(const ContractionTree &tree, const std::vector<int> &nodes,
                const Objective &objective, int searchOuter,
                double *width = nullptr) {
  ContractionTree t = tree;
  int base = t.numNodes();
  OptimalOptions opts;
  opts.objective = objective;
  opts.searchOuter = searchOuter;
  std::string error;
  int root = optimalContract(t, nodes, opts, error);
  EXPECT_GE(root, 0) << error;
  if (root < 0)
    return std::nan("");
  // Everything given is now under one root, and nothing else moved.
  std::vector<int> roots = t.roots();
  std::vector<int> expected = tree.roots();
  for (int v : nodes)
    expected.erase(std::find(expected.begin(), expected.end(), v));
  expected.push_back(root);
  EXPECT_EQ(roots, expected);
  EXPECT_EQ(t.leafCount(root), [&] {
    int c = 0;
    for (int v : nodes)
      c += tree.leafCount(v);
    return c;
  }());
  LocalStats ls = localStats(t, base, objective.alpha);
  if (width)
    *width = ls.stats.log2Width;
  return localScore(ls, objective);
}

/// Checks optimalContract against the enumeration for every objective (and
/// memory limits between the smallest and largest widths).
void checkExhaustive(const ContractionTree &tree, const std::vector<int> &nodes,
                     const std::string &name, bool checkConnected) {
  SCOPED_TRACE(name);
  std::vector<Objective> objs = testObjectives();
  std::vector<Candidate> cands = enumerate(tree, nodes);
  // Memory limits: below the smallest width (infeasible), in between.
  double minW = 1e300, maxW = -1e300;
  for (const Candidate &c : cands) {
    minW = std::min(minW, c.log2Width);
    maxW = std::max(maxW, c.log2Width);
  }
  std::vector<Objective> all;
  for (const Objective &o : objs) {
    all.push_back(o);
    if (o.kind == ObjectiveKind::Size)
      continue;
    for (double lim : {minW - 1.5, minW, (minW + maxW) / 2}) {
      Objective l = o;
      l.log2MemoryLimit = lim;
      all.push_back(l);
    }
  }
  for (const Objective &o : all) {
    SCOPED_TRACE(objectiveName(o));
    double best = 1e300, bestConnected = 1e300;
    for (const Candidate &c : cands) {
      double s = localScore(c.local(o.alpha), o);
      best = std::min(best, s);
      if (c.connected)
        bestConnected = std::min(bestConnected, s);
    }
    double width = 0;
    double got = optimize(tree, nodes, o, 1, &width);
    EXPECT_NEAR(got, best, 1e-9);
    if (std::isfinite(o.log2MemoryLimit) && o.log2MemoryLimit >= minW) {
      EXPECT_LE(width, o.log2MemoryLimit + 1e-9);
    }
    if (checkConnected) {
      ASSERT_LT(bestConnected, 1e300);
      EXPECT_NEAR(optimize(tree, nodes, o, 0), bestConnected, 1e-9);
    }
  }
}

std::vector<int> allLeaves(const Network &net) {
  std::vector<int> v(net.numTensors());
  for (int i = 0; i < net.numTensors(); ++i)
    v[i] = i;
  return v;
}

void checkNetwork(const Network &net, const std::string &name) {
  ASSERT_EQ(net.validate(), "");
  ASSERT_LE(net.numTensors(), 8);
  Hypergraph hg(net);
  ContractionTree tree(hg);
  bool connected = hg.components().size() == 1;
  checkExhaustive(tree, allLeaves(net), name, connected);
}

//===----------------------------------------------------------------------===//
// Exhaustive comparisons
//===----------------------------------------------------------------------===//

TEST(OptimalTest, ExhaustiveRandomHypergraphs) {
  std::string e;
  int count = 0;
  for (uint64_t seed = 1; seed <= 14; ++seed) {
    int n = 4 + static_cast<int>(seed % 4);      // 4..7
    int numOpen = static_cast<int>(seed % 3);   // 0..2
    int64_t extent = 2 + static_cast<int64_t>(seed % 2);
    auto net = randomHypergraph(n, n + 1, 3, numOpen, extent, seed, e);
    checkNetwork(unwrap(net, e), "hypergraph seed " + std::to_string(seed));
    ++count;
  }
  EXPECT_EQ(count, 14);
}

/// A random network with mixed extents (1..6), hyperedges, output indices
/// (some shared by several tensors), reductions and traces; possibly
/// disconnected.
Network randomNetwork(uint64_t seed, int n) {
  Rng rng(seed);
  Network net;
  std::vector<std::vector<int>> tensors(n);
  std::vector<int> output;
  int numIndices = n + static_cast<int>(rng.uniform(n));
  for (int i = 0; i < numIndices; ++i) {
    int64_t extent = 1 + static_cast<int64_t>(rng.uniform(6));
    int id = net.addIndex("i" + std::to_string(i), extent);
    uint64_t r = rng.uniform(12);
    int degree = r == 0 ? 1 : r <= 2 ? 3 : r == 3 ? 4 : 2;
    std::vector<int> holders;
    while (static_cast<int>(holders.size()) < std::min(degree, n)) {
      int t = static_cast<int>(rng.uniform(n));
      if (std::find(holders.begin(), holders.end(), t) == holders.end())
        holders.push_back(t);
    }
    for (int t : holders)
      tensors[t].push_back(id);
    if (rng.uniform(5) == 0)
      output.push_back(id);
  }
  for (int t = 0; t < n; ++t) {
    if (tensors[t].empty()) {
      int id = net.addIndex("e" + std::to_string(t), 2);
      tensors[t].push_back(id);
      tensors[(t + 1) % n].push_back(id);
    }
    if (rng.uniform(10) == 0) // a trace
      tensors[t].push_back(tensors[t][0]);
    net.addTensor(tensors[t]);
  }
  net.setOutput(output);
  return net;
}

TEST(OptimalTest, ExhaustiveRandomNetworks) {
  for (uint64_t seed = 100; seed < 140; ++seed) {
    int n = 4 + static_cast<int>(seed % 4); // 4..7
    checkNetwork(randomNetwork(seed, n), "random seed " + std::to_string(seed));
  }
}

TEST(OptimalTest, ExhaustiveGenerators) {
  std::string e;
  checkNetwork(unwrap(randomRegular(6, 3, 2, 1, e), e), "regular 6x3");
  checkNetwork(unwrap(randomRegular(8, 3, 3, 2, e), e), "regular 8x3");
  checkNetwork(unwrap(lattice(2, 3, 1, 3, false, e), e), "lattice 2x3");
  checkNetwork(unwrap(lattice(3, 2, 1, 2, true, e), e), "lattice 3x2 pbc");
  checkNetwork(unwrap(matrixChain({3, 7, 2, 9, 4, 5, 8}, e), e), "chain 6");
  checkNetwork(unwrap(matrixChain({30, 2, 40, 3, 50, 4, 60}, e), e),
               "chain 6 uneven");
  checkNetwork(unwrap(ttLayer({2, 3, 2}, {3, 2, 2}, 3, 5, e), e), "tt 3");
  checkNetwork(unwrap(mpsMpoMps(2, 4, 3, 2, e), e), "mps-mpo-mps 2");
  checkNetwork(unwrap(pepsNorm(2, 2, 2, 3, e), e), "peps 2x2");
}

/// Contracts pairs of roots sharing an index (the first pair in id order
/// after `skip` pairs) until at most `maxRoots` are left.
std::vector<int> shrink(ContractionTree &tree, size_t maxRoots, int skip) {
  std::vector<int> roots = tree.roots();
  while (roots.size() > maxRoots) {
    std::vector<std::pair<int, int>> pairs;
    for (size_t i = 0; i < roots.size(); ++i)
      for (size_t j = i + 1; j < roots.size(); ++j) {
        if (sharesIndex(tree, roots[i], roots[j]))
          pairs.push_back({roots[i], roots[j]});
      }
    if (pairs.empty())
      break;
    auto [a, b] = pairs[skip % pairs.size()];
    tree.contract(a, b);
    roots = tree.roots();
  }
  return roots;
}

TEST(OptimalTest, ExhaustiveCircuits) {
  std::string e;
  // Small enough as generated.
  for (bool diagonal : {false, true}) {
    auto net = randomCircuit(2, 1, 3, diagonal, 1, e);
    ASSERT_TRUE(net) << e;
    checkNetwork(*net, diagonal ? "circuit 2x1 diagonal" : "circuit 2x1");
  }
  // Larger circuits (hyperedges, open qubits), partly contracted down to
  // seven intermediates first.
  for (uint64_t seed = 0; seed < 4; ++seed) {
    auto net = randomCircuit(3, 2, seed, seed % 2 == 0,
                             static_cast<int>(seed % 3), e);
    ASSERT_TRUE(net) << e;
    Hypergraph hg(*net);
    ContractionTree tree(hg);
    std::vector<int> roots = shrink(tree, 7, static_cast<int>(seed) * 3);
    checkExhaustive(tree, roots, "circuit seed " + std::to_string(seed),
                    hg.components().size() == 1);
  }
}

TEST(OptimalTest, ExhaustiveEinsum) {
  // Traces, reductions, hyperedges, batch indices, scalars, disconnected
  // components, output indices shared by several tensors.
  checkNetwork(einsum("iij,jk,kl->l", {{3, 3, 4}, {4, 5}, {5, 2}}), "trace");
  checkNetwork(einsum("abc,cd,de,ea->b", {{2, 3, 4}, {4, 5}, {5, 2}, {2, 2}}),
               "ring");
  checkNetwork(einsum("ab,bc,cd,ac,bd->ad",
                      {{3, 4}, {4, 5}, {5, 2}, {3, 5}, {4, 2}}),
               "open 4-cycle");
  checkNetwork(einsum("xa,xb,xc,ab,bc->x",
                      {{4, 2}, {4, 3}, {4, 5}, {2, 3}, {3, 5}}),
               "batch hyperedge");
  checkNetwork(einsum("ab,bc,de,ef,g->afg",
                      {{2, 3}, {3, 4}, {5, 6}, {6, 2}, {7}}),
               "disconnected");
  checkNetwork(einsum("ab,ab,cd,cd,e->e", {{3, 4}, {3, 4}, {2, 5}, {2, 5}, {3}}),
               "scalar components");
  checkNetwork(einsum("aib,bjc,ckd,dla,ijkl->",
                      {{2, 3, 2}, {2, 3, 2}, {2, 3, 2}, {2, 3, 2}, {3, 3, 3, 3}}),
               "mps ring with operator");
  checkNetwork(einsum("abz,bcz,cdz,dez,ea->",
                      {{2, 3, 4}, {3, 2, 4}, {2, 3, 4}, {3, 2, 4}, {2, 2}}),
               "closed hyperedge");
  checkNetwork(einsum("ab,cd,ef,ace,bdf->",
                      {{2, 3}, {4, 2}, {3, 3}, {2, 4, 3}, {3, 2, 3}}),
               "bipartite");
  checkNetwork(einsum("ijk,jkl,lm,mi,n->n",
                      {{2, 3, 4}, {3, 4, 5}, {5, 2}, {2, 2}, {6}}),
               "with spectator");
}

TEST(OptimalTest, ExhaustiveOnIntermediates) {
  std::string e;
  // Pre-contract some pairs, then optimize the remaining roots.
  {
    Network net = unwrap(pepsNorm(2, 3, 2, 2, e), e); // 12 tensors
    Hypergraph hg(net);
    ContractionTree tree(hg);
    int a = tree.contract(0, 6);
    int b = tree.contract(1, 7);
    int c = tree.contract(a, 2);
    int d = tree.contract(3, 9);
    std::vector<int> nodes = {b, c, d, 4, 5, 8, 10};
    checkExhaustive(tree, nodes, "peps 2x3 partly contracted", false);
  }
  {
    Network net = unwrap(randomHypergraph(10, 12, 3, 2, 2, 5, e), e);
    Hypergraph hg(net);
    ContractionTree tree(hg);
    int a = tree.contract(0, 1);
    int b = tree.contract(2, 3);
    std::vector<int> nodes = {a, b, 4, 5, 6, 7, 8, 9};
    checkExhaustive(tree, nodes, "hypergraph partly contracted", false);
  }
  // Subsets of the roots: indices to the other roots stay open, also
  // hyperedges with holders on both sides.
  for (uint64_t seed = 200; seed < 206; ++seed) {
    Network net = randomNetwork(seed, 10);
    Hypergraph hg(net);
    ContractionTree tree(hg);
    std::vector<int> nodes = {1, 2, 4, 5, 7, 8, 9};
    if (seed % 2)
      nodes = {tree.contract(0, 3), 2, 4, 6, 8, 9};
    checkExhaustive(tree, nodes, "random subset " + std::to_string(seed),
                    false);
  }
  {
    Network net = unwrap(lattice(3, 3, 1, 2, false, e), e);
    Hypergraph hg(net);
    ContractionTree tree(hg);
    checkExhaustive(tree, {0, 1, 2, 4, 5, 8}, "lattice 3x3 subset", false);
    int x = tree.contract(3, 6);
    checkExhaustive(tree, {x, 7, 4, 0}, "lattice 3x3 subset with node", false);
  }
}

TEST(OptimalTest, SubsetRespectsConnectivityWithoutOuter) {
  std::string e;
  Network net = unwrap(lattice(3, 3, 1, 2, false, e), e);
  Hypergraph hg(net);
  ContractionTree tree(hg);
  // Connected subset: outer products off equals the connected enumeration.
  std::vector<int> nodes = {0, 1, 2, 5, 4};
  std::vector<Candidate> cands = enumerate(tree, nodes);
  Objective flops;
  double best = 1e300;
  for (const Candidate &c : cands)
    if (c.connected)
      best = std::min(best, localScore(c.local(64), flops));
  EXPECT_NEAR(optimize(tree, nodes, flops, 0), best, 1e-9);
}

//===----------------------------------------------------------------------===//
// Disconnected groups without outer products, memory limits
//===----------------------------------------------------------------------===//

TEST(OptimalTest, DisconnectedWithoutOuterProducts) {
  // Two chains and a lone vector: each component is contracted optimally,
  // then the results are joined, smallest first.
  Network net = einsum("ab,bc,cd,ef,fg,h->adegh",
                       {{2, 30}, {30, 4}, {4, 5}, {3, 20}, {20, 2}, {6}});
  Hypergraph hg(net);
  ContractionTree tree(hg);
  OptimalOptions opts;
  opts.searchOuter = 0;
  std::string error;
  int root = optimalContract(tree, allLeaves(net), opts, error);
  ASSERT_GE(root, 0) << error;
  EXPECT_TRUE(tree.isComplete());
  // Components: {0,1,2} -> [a,d] (10), {3,4} -> [e,g] (6), {5} -> [h] (6).
  // Join: the two of size 6 first, then with the 10.
  ContractionTree chk(hg);
  int x = chk.contract(chk.contract(0, 1), 2);
  int y = chk.contract(3, 4);
  chk.contract(x, chk.contract(y, 5));
  EXPECT_NEAR(tree.log10Cost(), chk.log10Cost(), 1e-12);
  EXPECT_NEAR(tree.log2Width(), chk.log2Width(), 1e-12);
  // With outer products the exact optimum can only be as good.
  ContractionTree t2(hg);
  opts.searchOuter = 1;
  ASSERT_GE(optimalContract(t2, allLeaves(net), opts, error), 0) << error;
  EXPECT_LE(t2.log10Cost(), tree.log10Cost() + 1e-12);
}

TEST(OptimalTest, MemoryLimit) {
  std::string e;
  Network net = unwrap(lattice(3, 4, 1, 2, false, e), e);
  Hypergraph hg(net);
  double prevCost = -1;
  for (double limit : {8.0, 6.0, 5.0, 4.0}) {
    ContractionTree tree(hg);
    OptimalOptions opts;
    opts.objective.log2MemoryLimit = limit;
    opts.searchOuter = 0;
    std::string error;
    ASSERT_GE(optimalContract(tree, allLeaves(net), opts, error), 0) << error;
    EXPECT_LE(tree.log2Width(), limit + 1e-9);
    // Tighter limits cost at least as much.
    EXPECT_GE(tree.log10Cost(), prevCost - 1e-12);
    prevCost = tree.log10Cost();
  }
  // The smallest width of a 3x4 open lattice (bond 2) is 2^4 (the boundary
  // of a 3-wide strip plus one); below it the width is minimized.
  ContractionTree size(hg);
  OptimalOptions opts;
  opts.objective.kind = ObjectiveKind::Size;
  opts.searchOuter = 0;
  std::string error;
  ASSERT_GE(optimalContract(size, allLeaves(net), opts, error), 0) << error;
  ContractionTree tight(hg);
  opts.objective.kind = ObjectiveKind::Flops;
  opts.objective.log2MemoryLimit = 1;
  ASSERT_GE(optimalContract(tight, allLeaves(net), opts, error), 0) << error;
  EXPECT_NEAR(tight.log2Width(), size.log2Width(), 1e-9);
  EXPECT_NEAR(tight.log10Cost(), size.log10Cost(), 1e-9);
}

//===----------------------------------------------------------------------===//
// Limits and errors
//===----------------------------------------------------------------------===//

TEST(OptimalTest, Errors) {
  std::string e;
  Network big = unwrap(lattice(9, 8, 1, 2, false, e), e); // 72 tensors
  Hypergraph hg(big);
  ContractionTree tree(hg);
  OptimalOptions opts;
  std::string error;
  EXPECT_EQ(optimalContract(tree, allLeaves(big), opts, error), -1);
  EXPECT_NE(error.find("64"), std::string::npos) << error;
  EXPECT_EQ(tree.roots().size(), 72u);

  EXPECT_EQ(optimalContract(tree, {}, opts, error), -1);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(optimalContract(tree, {0, 0}, opts, error), -1);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(optimalContract(tree, {0, 500}, opts, error), -1);
  EXPECT_FALSE(error.empty());
  int x = tree.contract(0, 1);
  EXPECT_EQ(optimalContract(tree, {0, 2}, opts, error), -1); // not a root
  EXPECT_FALSE(error.empty());
  // One node: nothing to do.
  EXPECT_EQ(optimalContract(tree, {x}, opts, error), x);
  EXPECT_TRUE(error.empty());
}

TEST(OptimalTest, LimitsLeaveTreeUnchanged) {
  std::string e;
  Network net = unwrap(lattice(5, 6, 1, 2, false, e), e); // 30 tensors
  Hypergraph hg(net);
  ContractionTree tree(hg);
  int pre = tree.contract(0, 1);
  std::vector<int> nodes = tree.roots();
  ASSERT_EQ(nodes.size(), 29u);
  int numNodes = tree.numNodes();
  OptimalOptions opts;
  opts.timeLimitSeconds = 1e-4;
  std::string error;
  EXPECT_EQ(optimalContract(tree, nodes, opts, error), -1);
  EXPECT_NE(error.find("time limit"), std::string::npos) << error;
  EXPECT_EQ(tree.numNodes(), numNodes);
  EXPECT_EQ(tree.roots(), nodes);

  opts.timeLimitSeconds = 0;
  opts.maxSubsets = 200;
  EXPECT_EQ(optimalContract(tree, nodes, opts, error), -1);
  EXPECT_NE(error.find("maxSubsets"), std::string::npos) << error;
  EXPECT_EQ(tree.numNodes(), numNodes);
  EXPECT_EQ(tree.roots(), nodes);
  EXPECT_EQ(tree.parent(pre), -1);
}

//===----------------------------------------------------------------------===//
// Known optima of larger networks
//===----------------------------------------------------------------------===//

/// log10 of the optimal cost (tnc units) of a network, outer products off.
double optimalCost(const Network &net, int searchOuter = 0) {
  Hypergraph hg(net);
  ContractionTree tree(hg);
  OptimalOptions opts;
  opts.searchOuter = searchOuter;
  std::string error;
  int root = optimalContract(tree, allLeaves(net), opts, error);
  EXPECT_GE(root, 0) << error;
  EXPECT_TRUE(tree.isComplete());
  return tree.log10Cost();
}

TEST(OptimalTest, KnownOptima) {
  std::string e;
  // Reference values: opt_einsum 3.4's DynamicProgramming() (minimize
  // 'flops', whose step cost is Π extents of the step's indices, as here) on
  // these networks exported with writeNetworkJson; its paths re-evaluated
  // with tnc's cost model (linearToSsa + ContractionTree::fromSsa) give
  // exactly these totals. Outer products off unless noted.
  struct Ref {
    const char *name;
    std::optional<Network> net;
    int searchOuter;
    double cost;
  } refs[] = {
      {"peps 3x3 bond 2 phys 2", pepsNorm(3, 3, 2, 2, e), 0, 7688},
      {"peps 3x3 bond 3 phys 2", pepsNorm(3, 3, 3, 2, e), 0, 89226},
      {"lattice 4x4 bond 2", lattice(4, 4, 1, 2, false, e), 0, 580},
      {"lattice 4x4 bond 3", lattice(4, 4, 1, 3, false, e), 0, 5679},
      {"lattice 4x4 bond 3, outer", lattice(4, 4, 1, 3, false, e), 1, 5679},
      {"lattice 5x5 bond 2", lattice(5, 5, 1, 2, false, e), 0, 1988},
      {"regular 14 d3 bond 2", randomRegular(14, 3, 2, 3, e), 0, 520},
      {"hypergraph 16", randomHypergraph(16, 20, 3, 2, 2, 7, e), 0, 2648},
      // search_outer=True finds a cheaper tree with an outer product.
      {"hypergraph 16, outer", randomHypergraph(16, 20, 3, 2, 2, 7, e), 1,
       2640},
  };
  for (const Ref &r : refs) {
    SCOPED_TRACE(r.name);
    ASSERT_TRUE(r.net) << e;
    double cost = std::pow(10.0, optimalCost(*r.net, r.searchOuter));
    EXPECT_NEAR(cost, r.cost, r.cost * 1e-12);
  }
}

/// The optimum of an additive objective (flops, write, combo, limit), by an
/// independent dynamic program over every split of every subset, each step
/// measured once with ContractionTree (intermediates over the memory limit
/// excluded). log10 of the score.
class SubsetOptimum {
public:
  SubsetOptimum(const ContractionTree &tree, const std::vector<int> &nodes)
      : n_(static_cast<int>(nodes.size())) {
    Enumerator en(tree, nodes);
    for (Mask s = 1; s < (Mask(1) << n_); ++s) {
      if (__builtin_popcountll(s) < 2)
        continue;
      Mask low = s & (~s + 1), rest = s & ~low;
      for (Mask sub = rest; sub; sub = (sub - 1) & rest)
        steps_[{s & ~sub, sub}] = en.measure(s & ~sub, sub);
    }
  }

  double operator()(const Objective &o, bool connectedOnly) const {
    const double none = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> best(size_t(1) << n_, none);
    for (int v = 0; v < n_; ++v)
      best[size_t(1) << v] = -std::numeric_limits<double>::infinity();
    for (Mask s = 1; s < (Mask(1) << n_); ++s) {
      if (__builtin_popcountll(s) < 2)
        continue;
      Mask low = s & (~s + 1), rest = s & ~low;
      for (Mask sub = rest; sub; sub = (sub - 1) & rest) {
        Mask a = s & ~sub, b = sub; // a holds the lowest element
        if (std::isnan(best[a]) || std::isnan(best[b]))
          continue;
        const Candidate &step = steps_.at({a, b});
        if ((connectedOnly && !step.connected) ||
            step.log2Width > o.log2MemoryLimit + 1e-9)
          continue;
        double score = o.kind == ObjectiveKind::Write ? step.log10Write
                       : o.kind == ObjectiveKind::Limit
                           ? step.log10Limit[alphaSlot(o.alpha)]
                       : o.kind == ObjectiveKind::Combo
                           ? log10Add(step.log10Cost,
                                      step.log10Write + std::log10(o.alpha))
                           : step.log10Cost;
        double total = log10Add(log10Add(best[a], best[b]), score);
        if (std::isnan(best[s]) || total < best[s])
          best[s] = total;
      }
    }
    return best.back();
  }

private:
  int n_;
  std::map<std::pair<Mask, Mask>, Candidate> steps_;
};

/// Local score of optimalContract for an additive objective without the
/// penalty terms: log10 of the score.
double optimizeAdditive(const ContractionTree &tree,
                        const std::vector<int> &nodes, const Objective &o,
                        int searchOuter) {
  ContractionTree t = tree;
  int base = t.numNodes();
  OptimalOptions opts;
  opts.objective = o;
  opts.searchOuter = searchOuter;
  std::string error;
  EXPECT_GE(optimalContract(t, nodes, opts, error), 0) << error;
  LocalStats ls = localStats(t, base, o.alpha);
  EXPECT_LE(ls.stats.log2Width, o.log2MemoryLimit + 1e-9);
  switch (o.kind) {
  case ObjectiveKind::Write:
    return ls.stats.log10Write;
  case ObjectiveKind::Limit:
    return ls.log10LimitSum;
  case ObjectiveKind::Combo:
    return log10Add(ls.stats.log10Cost,
                    ls.stats.log10Write + std::log10(o.alpha));
  default:
    return ls.stats.log10Cost;
  }
}

/// A network whose tensors share many distinct (hyper)indices: one index
/// per subset of at least two tensors (extent 1 mostly, so that sizes stay
/// small), a few of them also as output indices.
Network manyIndices(int n, int numOutputs, uint64_t seed) {
  Rng rng(seed);
  Network net;
  std::vector<std::vector<int>> tensors(n);
  std::vector<int> output;
  int count = 0;
  for (Mask s = 1; s < (Mask(1) << n); ++s) {
    if (__builtin_popcountll(s) < 2)
      continue;
    for (int copy = 0; copy < (count < numOutputs ? 2 : 1); ++copy) {
      int64_t extent = rng.uniform(8) == 0 ? 2 + rng.uniform(2) : 1;
      int id = net.addIndex("x" + std::to_string(count) + "_" +
                                std::to_string(copy),
                            extent);
      for (int v = 0; v < n; ++v)
        if (s >> v & 1)
          tensors[v].push_back(id);
      if (copy == 1)
        output.push_back(id);
    }
    ++count;
  }
  for (auto &t : tensors)
    net.addTensor(t);
  net.setOutput(output);
  return net;
}

TEST(OptimalTest, WideLegBitsets) {
  // Enough distinct index groups for 2, 4, 8 and a run-time number of
  // 64-bit words per leg set.
  struct Case {
    int n, outputs;
  } cases[] = {{7, 0}, {7, 80}, {8, 100}, {9, 20}};
  std::vector<Objective> objs;
  for (const char *name : {"flops", "write", "combo", "limit-8"})
    objs.push_back(*parseObjective(name));
  for (const Case &c : cases) {
    Network net = manyIndices(c.n, c.outputs, c.n);
    ASSERT_EQ(net.validate(), "");
    Hypergraph hg(net);
    ContractionTree tree(hg);
    std::vector<int> nodes = allLeaves(net);
    SubsetOptimum optimum(tree, nodes);
    for (Objective o : objs) {
      SCOPED_TRACE(std::to_string(c.n) + " tensors, " + objectiveName(o));
      EXPECT_NEAR(optimizeAdditive(tree, nodes, o, 1), optimum(o, false),
                  1e-9);
      EXPECT_NEAR(optimizeAdditive(tree, nodes, o, 0), optimum(o, true),
                  1e-9);
    }
  }
}

TEST(OptimalTest, HugeCostsInLogSpace) {
  // Σ log2 extents above 1000: scores are scaled and computed through log2
  // sums (each step still exactly compared with the enumeration).
  Rng rng(9);
  Network net;
  std::vector<std::vector<int>> tensors(6);
  for (int i = 0; i < 64; ++i) {
    int64_t extent = (int64_t(1) << 16) + static_cast<int64_t>(rng.uniform(1000));
    int id = net.addIndex("b" + std::to_string(i), extent);
    int a = static_cast<int>(rng.uniform(6)),
        b = static_cast<int>((a + 1 + rng.uniform(5)) % 6);
    tensors[a].push_back(id);
    tensors[b].push_back(id);
  }
  for (auto &t : tensors)
    net.addTensor(t);
  ASSERT_EQ(net.validate(), "");
  Hypergraph hg(net);
  ContractionTree tree(hg);
  checkExhaustive(tree, allLeaves(net), "huge costs", hg.components().size() == 1);
}

TEST(OptimalTest, MatrixChainOrder) {
  // 64 matrices (the largest search): the classical O(n^3) matrix-chain
  // dynamic program gives the optimum (connected subsets of a chain are the
  // intervals); its cost d_i d_k d_j per product is tnc's step cost.
  Rng rng(42);
  for (int n : {64, 33}) {
    std::vector<int64_t> dims;
    for (int i = 0; i <= n; ++i)
      dims.push_back(1 + static_cast<int64_t>(rng.uniform(40)));
    std::string e;
    Network net = unwrap(matrixChain(dims, e), e);
    std::vector<std::vector<double>> best(n, std::vector<double>(n, 0));
    for (int len = 2; len <= n; ++len)
      for (int i = 0; i + len <= n; ++i) {
        int j = i + len - 1;
        best[i][j] = 1e300;
        for (int k = i; k < j; ++k)
          best[i][j] = std::min(best[i][j],
                                best[i][k] + best[k + 1][j] +
                                    static_cast<double>(dims[i]) *
                                        dims[k + 1] * dims[j + 1]);
      }
    EXPECT_NEAR(std::pow(10.0, optimalCost(net)), best[0][n - 1],
                best[0][n - 1] * 1e-12)
        << n << " matrices";
  }
}

TEST(OptimalTest, Deterministic) {
  std::string e;
  Network net = unwrap(randomRegular(12, 3, 2, 4, e), e);
  Hypergraph hg(net);
  ContractionTree a(hg), b(hg);
  OptimalOptions opts;
  std::string error;
  ASSERT_GE(optimalContract(a, allLeaves(net), opts, error), 0);
  ASSERT_GE(optimalContract(b, allLeaves(net), opts, error), 0);
  EXPECT_EQ(a.ssaPath(), b.ssaPath());
}

} // namespace
