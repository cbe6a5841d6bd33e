//===- Reconfigure.cpp - Subtree reconfiguration and slicing --------------===//

#include "tn/Path/Reconfigure.h"
#include "tn/Path/Optimal.h"
#include "tn/Support/Random.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

namespace tnc {

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

namespace {
/// The score of the steps strictly inside a subtree (between `top` and the
/// frontier), in the objective's units; lower is better.
struct SubtreeScore {
  double width = 0;   // log2 of the largest intermediate inside
  double total = kNegInf; // log10 Σ step scores
};

SubtreeScore subtreeScore(const ContractionTree &tree, int top,
                          const std::vector<char> &isFrontier,
                          const Objective &objective) {
  SubtreeScore s;
  std::vector<int> stack = {top};
  while (!stack.empty()) {
    int n = stack.back();
    stack.pop_back();
    if (isFrontier[n] || tree.isLeaf(n))
      continue;
    if (n != top)
      s.width = std::max(s.width, tree.log2Size(n));
    s.total = log10Add(s.total, log10StepScore(tree.log2StepCost(n),
                                               tree.log2Size(n), objective));
    stack.push_back(tree.left(n));
    stack.push_back(tree.right(n));
  }
  return s;
}

/// True if `a` is strictly better than `b` for the objective.
bool better(const SubtreeScore &a, const SubtreeScore &b,
            const Objective &objective) {
  const double eps = 1e-10;
  bool aOver = a.width > objective.log2MemoryLimit + 1e-9;
  bool bOver = b.width > objective.log2MemoryLimit + 1e-9;
  if (aOver != bOver)
    return !aOver;
  if (aOver && std::abs(a.width - b.width) > eps)
    return a.width < b.width;
  if (objective.kind == ObjectiveKind::Size &&
      std::abs(a.width - b.width) > eps)
    return a.width < b.width;
  return a.total < b.total - eps;
}

} // namespace

/// The boundary of a subtree of at most `k` nodes under `top`, grown by
/// splitting the largest internal frontier node.
std::vector<int> subtreeFrontier(const ContractionTree &tree, int top, int k) {
  std::vector<int> frontier = {top};
  while (static_cast<int>(frontier.size()) < k) {
    int best = -1;
    for (int i = 0; i < static_cast<int>(frontier.size()); ++i) {
      int n = frontier[i];
      if (tree.isLeaf(n))
        continue;
      if (best < 0 || tree.log2StepCost(n) > tree.log2StepCost(frontier[best]))
        best = i;
    }
    if (best < 0)
      break;
    int n = frontier[best];
    frontier[best] = tree.left(n);
    frontier.push_back(tree.right(n));
  }
  return frontier;
}

int reconfigure(ContractionTree &tree, const ReconfigureOptions &options) {
  if (tree.numLeaves() < 3)
    return 0;
  int replaced = 0;
  OptimalOptions optimal;
  optimal.objective = options.objective;
  optimal.searchOuter = 0;
  // Subproblems already solved: a subtree is identified by the leaf sets of
  // its frontier and inner nodes (each a sum of random 64-bit leaf keys),
  // and once it has been re-optimized (kept or replaced) the subtree in the
  // tree is optimal for that frontier, so a later pass (or, with a shared
  // memo, a later call on a tree holding the same subtree) skips it. Later
  // passes then only work where
  // an earlier replacement changed the tree, and running to convergence
  // costs little more than one pass (cotengra's subtree_reconfigure keeps an
  // `already_optimized` set for the same purpose).
  std::unordered_set<uint64_t> ownMemo;
  std::unordered_set<uint64_t> &settled = options.memo ? *options.memo : ownMemo;
  std::vector<uint64_t> leafSet;
  auto hashNodes = [&]() {
    size_t from = leafSet.size();
    leafSet.resize(tree.numNodes());
    for (size_t n = from; n < leafSet.size(); ++n) {
      int i = static_cast<int>(n);
      if (tree.isLeaf(i))
        leafSet[n] = hashMix64(0x9E3779B97F4A7C15ull * (n + 1));
      else if (!tree.isDead(i))
        leafSet[n] = leafSet[tree.left(i)] + leafSet[tree.right(i)];
    }
  };
  // A subtree's name: the leaf sets of its frontier and (tagged) of its
  // inner nodes, which together fix its shape.
  auto shapeSignature = [&](int top, const std::vector<char> &isFrontier) {
    uint64_t signature = 0;
    std::vector<int> stack = {top};
    while (!stack.empty()) {
      int n = stack.back();
      stack.pop_back();
      if (isFrontier[n]) {
        signature += hashMix64(leafSet[n]);
        continue;
      }
      signature += hashMix64(leafSet[n] ^ 0x632BE59BD9B4E019ull);
      stack.push_back(tree.left(n));
      stack.push_back(tree.right(n));
    }
    return signature;
  };
  // The hashes are computed children first, in id order: renumber a tree
  // whose nodes are not in that order (compacted() numbers in post-order).
  for (int n = tree.numLeaves(); n < tree.numNodes(); ++n)
    if (!tree.isDead(n) && (tree.left(n) > n || tree.right(n) > n)) {
      tree = tree.compacted();
      break;
    }
  for (int pass = 0; pass < options.maxPasses; ++pass) {
    bool improved = false;
    leafSet.clear();
    hashNodes();
    std::vector<int> order;
    for (int n = tree.numLeaves(); n < tree.numNodes(); ++n)
      if (!tree.isDead(n))
        order.push_back(n);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return tree.log2StepCost(a) > tree.log2StepCost(b);
    });
    std::vector<char> isFrontier;
    for (int top : order) {
      if (tree.isDead(top))
        continue;
      if (Clock::now() >= options.deadline)
        return replaced;
      std::vector<int> frontier =
          subtreeFrontier(tree, top, options.subtreeSize);
      if (frontier.size() < 3)
        continue;
      // One marker array per pass, cleared again at the frontier's entries
      // only (frontier nodes keep their ids while the subtree above them is
      // rebuilt).
      if (isFrontier.size() < static_cast<size_t>(tree.numNodes()))
        isFrontier.resize(tree.numNodes(), 0);
      for (int f : frontier)
        isFrontier[f] = 1;
      struct Unmark {
        std::vector<char> &marks;
        const std::vector<int> &nodes;
        ~Unmark() {
          for (int n : nodes)
            marks[n] = 0;
        }
      } unmark{isFrontier, frontier};
      uint64_t signature = shapeSignature(top, isFrontier);
      if (!settled.insert(signature).second)
        continue;
      SubtreeScore before =
          subtreeScore(tree, top, isFrontier, options.objective);

      // Remember the old shape, children before parents: each old internal
      // node's id and its two children.
      std::vector<std::pair<int, int>> oldSteps;
      std::vector<int> oldIds;
      {
        std::vector<std::pair<int, bool>> stack = {{top, false}};
        while (!stack.empty()) {
          auto [n, expanded] = stack.back();
          stack.pop_back();
          if (isFrontier[n])
            continue;
          if (expanded) {
            oldSteps.push_back({tree.left(n), tree.right(n)});
            oldIds.push_back(n);
            continue;
          }
          stack.push_back({n, true});
          stack.push_back({tree.right(n), false});
          stack.push_back({tree.left(n), false});
        }
      }

      int parent = tree.dissolve(top, frontier);
      std::string error;
      // A large subtree's exact search must not overrun the deadline: on
      // time-out it gives up and the old subtree is rebuilt.
      if (options.deadline != Clock::time_point::max())
        optimal.timeLimitSeconds = std::max(
            1e-4, std::chrono::duration<double>(options.deadline - Clock::now())
                      .count());
      int newTop = optimalContract(tree, frontier, optimal, error);
      bool solved = newTop >= 0;
      bool keep = false;
      if (newTop >= 0) {
        isFrontier.resize(tree.numNodes(), 0);
        SubtreeScore after =
            subtreeScore(tree, newTop, isFrontier, options.objective);
        keep = better(after, before, options.objective);
        if (!keep)
          tree.dissolve(newTop, frontier);
      }
      if (!keep) {
        // Rebuild the old shape.
        std::vector<int> map(tree.numNodes() + oldSteps.size() + 1, -1);
        for (int f : frontier)
          map[f] = f;
        int last = -1;
        for (size_t i = 0; i < oldSteps.size(); ++i) {
          int l = map[oldSteps[i].first], r = map[oldSteps[i].second];
          last = tree.contract(l, r);
          if (static_cast<size_t>(oldIds[i]) >= map.size())
            map.resize(oldIds[i] + 1, -1);
          map[oldIds[i]] = last;
        }
        newTop = last;
      } else {
        ++replaced;
        improved = true;
      }
      if (parent >= 0)
        tree.attach(parent, newTop);
      hashNodes();
      // Solved: the subtree in the tree is now optimal for its frontier. A
      // replaced shape is not (a later tree holding it again must solve it),
      // and a timed-out search solved nothing.
      if (!solved || keep)
        settled.erase(signature);
      if (keep)
        settled.insert(shapeSignature(newTop, isFrontier));
    }
    tree = tree.compacted();
    if (!improved)
      break;
  }
  return replaced;
}

SliceResult sliceTree(Hypergraph &hg, ContractionTree &tree, double log2Target,
                      const ReconfigureOptions &options,
                      bool reconfigureAfter) {
  SliceResult result;
  Path ssa = tree.ssaPath();
  double baseCost = tree.log10Cost();
  std::string error;
  auto rebuild = [&](const Hypergraph &h) {
    return *ContractionTree::fromSsa(h, ssa, error);
  };
  while (tree.log2Width() > log2Target + 1e-9) {
    std::set<int> candidates, outputs;
    for (int n = tree.numLeaves(); n < tree.numNodes(); ++n) {
      if (tree.isDead(n) || tree.log2Size(n) <= log2Target + 1e-9)
        continue;
      for (const Leg &leg : tree.legs(n)) {
        if (hg.isSliced(leg.edge) || hg.edgeExtent(leg.edge) < 2)
          continue;
        (hg.isOutput(leg.edge) ? outputs : candidates).insert(leg.edge);
      }
    }
    if (candidates.empty())
      candidates = outputs;
    if (candidates.empty())
      break;
    int best = -1;
    double bestCost = 0, bestWidth = 0;
    for (int e : candidates) {
      Hypergraph h = hg;
      h.sliceEdge(e);
      ContractionTree t = rebuild(h);
      double total = t.log10Cost() + result.log10Slices +
                     std::log10(static_cast<double>(hg.edgeExtent(e)));
      double width = t.log2Width();
      if (best < 0 || total < bestCost - 1e-12 ||
          (std::abs(total - bestCost) <= 1e-12 && width < bestWidth)) {
        best = e;
        bestCost = total;
        bestWidth = width;
      }
    }
    hg.sliceEdge(best);
    result.edges.push_back(best);
    result.log10Slices += std::log10(static_cast<double>(hg.edgeExtent(best)));
    tree = rebuild(hg);
  }
  if (reconfigureAfter && !result.edges.empty()) {
    ReconfigureOptions sliced = options;
    sliced.objective.log2MemoryLimit =
        std::min(sliced.objective.log2MemoryLimit, log2Target);
    reconfigure(tree, sliced);
  }
  result.log10TotalCost = result.log10Slices + tree.log10Cost();
  result.overhead = std::pow(10.0, result.log10TotalCost - baseCost);
  result.log2Width = tree.log2Width();
  return result;
}

} // namespace tnc
