//===- Greedy.cpp - Greedy contraction-order search -----------------------===//
//
// A priority queue of candidate pairs (live nodes sharing an index) keyed by
// the greedy score; stale entries (a consumed node) are skipped when popped.
// Each contraction adds the pairs of the new node with its neighbours.
//
//===----------------------------------------------------------------------===//

#include "tn/Path/Greedy.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <unordered_map>

namespace tnc {

namespace {
struct Candidate {
  double score;
  int a, b; // tree node ids, a < b
  bool operator>(const Candidate &o) const {
    if (score != o.score)
      return score > o.score;
    if (a != o.a)
      return a > o.a;
    return b > o.b;
  }
};

/// Greedy score of contracting nodes of sizes sa, sb into sab (log2 sizes).
double greedyScore(double log2A, double log2B, double log2AB,
                   const GreedyOptions &options, Rng *rng) {
  // Sizes beyond 2^1000 would overflow; no sane search gets there, but a
  // random one may propose it.
  auto lin = [](double l) { return std::exp2(std::min(l, 1000.0)); };
  double s = lin(log2AB) - options.costmod * (lin(log2A) + lin(log2B));
  if (options.temperature <= 0 || !rng)
    return s;
  // Sign-preserving log, then Gumbel noise: randomized restarts explore
  // near-greedy choices across all scales.
  double t = s > 0 ? std::log1p(s) : -std::log1p(-s);
  double u = rng->uniformReal();
  u = std::min(std::max(u, 1e-300), 1.0 - 1e-16);
  double gumbel = -std::log(-std::log(u));
  return t - options.temperature * gumbel;
}
} // namespace

int greedyContract(ContractionTree &tree, const std::vector<int> &nodes,
                   const GreedyOptions &options, Rng *rng) {
  if (nodes.empty())
    return -1;
  if (nodes.size() == 1)
    return nodes[0];
  const Hypergraph &hg = tree.hypergraph();

  // Live holders (among the group) of each open index.
  std::unordered_map<int, std::vector<int>> holders;
  holders.reserve(nodes.size() * 4);
  for (int n : nodes)
    for (const Leg &leg : tree.legs(n))
      holders[leg.edge].push_back(n);

  // Jittered sizes for the scores (exact when randomStrength is 0).
  std::unordered_map<int, double> jitter;
  if (options.randomStrength > 0 && rng) {
    std::vector<int> edges;
    edges.reserve(holders.size());
    for (auto &[e, h] : holders)
      edges.push_back(e);
    std::sort(edges.begin(), edges.end()); // deterministic draw order
    for (int e : edges) {
      double u = std::max(rng->uniformReal(), 1e-300);
      jitter[e] = std::log2(1.0 + options.randomStrength * -std::log(u));
    }
  }
  auto scoredSize = [&](const std::vector<Leg> &legs, double size) {
    if (jitter.empty())
      return size;
    for (const Leg &leg : legs) {
      auto it = jitter.find(leg.edge);
      if (it != jitter.end())
        size += it->second;
    }
    return size;
  };

  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  std::vector<Leg> scratch;
  std::unordered_map<int, bool> alive;
  alive.reserve(nodes.size() * 2);
  for (int n : nodes)
    alive[n] = true;

  auto push = [&](int a, int b) {
    if (a > b)
      std::swap(a, b);
    double cost;
    double size = mergeLegs(hg, tree.legs(a), tree.legs(b), scratch, cost);
    heap.push({greedyScore(scoredSize(tree.legs(a), tree.log2Size(a)),
                           scoredSize(tree.legs(b), tree.log2Size(b)),
                           scoredSize(scratch, size), options, rng),
               a, b});
  };
  auto neighbours = [&](int n, std::vector<int> &out) {
    out.clear();
    for (const Leg &leg : tree.legs(n)) {
      auto it = holders.find(leg.edge);
      if (it == holders.end())
        continue;
      for (int m : it->second)
        if (m != n)
          out.push_back(m);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  };

  std::vector<int> nb;
  for (int n : nodes) {
    neighbours(n, nb);
    for (int m : nb)
      if (n < m)
        push(n, m);
  }

  int remaining = static_cast<int>(nodes.size());
  while (!heap.empty() && remaining > 1) {
    Candidate c = heap.top();
    heap.pop();
    if (!alive[c.a] || !alive[c.b])
      continue;
    alive[c.a] = alive[c.b] = false;
    for (int old : {c.a, c.b})
      for (const Leg &leg : tree.legs(old)) {
        std::vector<int> &h = holders[leg.edge];
        h.erase(std::remove(h.begin(), h.end(), old), h.end());
      }
    int n = tree.contract(c.a, c.b);
    alive[n] = true;
    --remaining;
    for (const Leg &leg : tree.legs(n))
      holders[leg.edge].push_back(n);
    neighbours(n, nb);
    for (int m : nb)
      push(n, m);
  }

  // What is left shares no index: outer products, smallest first.
  std::vector<int> left;
  for (auto &[n, isAlive] : alive)
    if (isAlive)
      left.push_back(n);
  std::sort(left.begin(), left.end());
  while (left.size() > 1) {
    std::sort(left.begin(), left.end(), [&](int x, int y) {
      if (tree.log2Size(x) != tree.log2Size(y))
        return tree.log2Size(x) > tree.log2Size(y);
      return x > y;
    });
    int a = left.back();
    left.pop_back();
    int b = left.back();
    left.pop_back();
    left.push_back(tree.contract(a, b));
  }
  return left.front();
}

} // namespace tnc
