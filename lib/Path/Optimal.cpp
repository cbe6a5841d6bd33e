//===- Optimal.cpp - Exact contraction-order search -----------------------===//
//
// Breadth-first dynamic programming over subsets with a cost cap (Pfeifer,
// Haegeman, Verstraete 2014; opt_einsum's DynamicProgramming, cotengrust's
// optimize_optimal):
//
//   x[m]: subset mask -> best score of a tree over the subset, its legs,
//         its left child subset;
//   for m = 2..n, k = 1..m/2: combine s1 in x[k] with disjoint s2 in x[m-k]
//   (sharing an index unless outer products are searched), dropping every
//   candidate whose accumulated score exceeds the cap.
//
// The cap starts at a lower bound of the optimum and grows geometrically (or
// to the smallest score it pruned, if larger) until the full set is reached;
// the result is exact because every subtree of an optimal tree scores at most
// as much as the whole tree, so nothing of it is ever pruned.
//
// Representation, chosen for speed:
//  * The indices of the subproblem are grouped: indices held by the same
//    local nodes that close under the same condition behave identically, so
//    one bit stands for each group. Legs are bitsets of groups. A group
//    closes in subset S iff it may close (not an output index, every tensor
//    holding it lies under the given nodes) and its holders are all in S,
//    which makes merging two leg sets a few word operations.
//  * Subsets live in one array (with their legs in a parallel arena), are
//    found through an open-addressing hash table, and are listed per size and
//    per (size, node) so that the partners of s1 that share an index with it
//    are found by walking the lists of the nodes adjacent to s1.
//  * Additive scores are kept as linear doubles (scaled by a power of two
//    when the network is large enough to overflow).
//
// Objectives:
//  * Flops, Write, Combo, Limit: additive step scores (log10StepScore in
//    linear form), minimized exactly.
//  * Size: lexicographic (largest intermediate, total cost). A subset-wise DP
//    over the pair is not exact (a subtree may trade width below the global
//    maximum for cost), so it runs in two phases: a minimax DP finds the
//    smallest achievable width W*, then a cost DP with memory limit W*.
//  * A finite log2MemoryLimit forbids larger intermediates. When no tree
//    fits (the result itself may be too large), the width is minimized first
//    (as score() ranks such trees) and the objective under that width.
//
//===----------------------------------------------------------------------===//

#include "tn/Path/Optimal.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <utility>

namespace tnc {

namespace {

using Mask = uint64_t;
using Clock = std::chrono::steady_clock;

constexpr double kInf = std::numeric_limits<double>::infinity();
/// Tolerance for comparing log2 sizes with a limit (sums of logs round).
constexpr double kTol = 1e-9;

inline int lowestBit(Mask m) { return __builtin_ctzll(m); }
inline int popCount(Mask m) { return __builtin_popcountll(m); }
inline Mask bitOf(int i) { return Mask(1) << i; }

//===----------------------------------------------------------------------===//
// The subproblem
//===----------------------------------------------------------------------===//

/// A set of tree nodes searched together, with its indices grouped.
struct Problem {
  std::vector<int> treeNodes;     ///< local node -> tree node
  int numGroups = 0;
  int words = 1;                  ///< words per leg bitset (padded)
  std::vector<double> groupLog2;  ///< Σ log2 extents of the group's indices
  std::vector<Mask> groupHolders; ///< local nodes holding the group
  std::vector<Mask> closable;     ///< bitset: group closes once all holders are in
  std::vector<Mask> nodeLegs;     ///< `words` per node
  std::vector<double> nodeLog2Size;
  /// log2 extents a leaf sums by itself, paid by the step consuming it.
  std::vector<double> nodeExtra;
  std::vector<Mask> adjacency; ///< nodes sharing an index, per node

  int size() const { return static_cast<int>(treeNodes.size()); }
  Mask full() const {
    return size() == 64 ? ~Mask(0) : bitOf(size()) - 1;
  }
  bool closes(int g) const { return (closable[g >> 6] >> (g & 63)) & 1; }
  /// log2 size of the contraction of all nodes.
  double rootLog2Size() const {
    double s = 0;
    Mask all = full();
    for (int g = 0; g < numGroups; ++g)
      if (!(closes(g) && (groupHolders[g] & ~all) == 0))
        s += groupLog2[g];
    return s;
  }
};

Problem buildProblem(const ContractionTree &tree, const std::vector<int> &nodes) {
  const Hypergraph &hg = tree.hypergraph();
  Problem p;
  p.treeNodes = nodes;
  int n = static_cast<int>(nodes.size());

  // (edge, local node, count) for every leg, sorted by edge.
  struct Item {
    int edge, local, count;
  };
  std::vector<Item> items;
  for (int v = 0; v < n; ++v)
    for (const Leg &leg : tree.legs(nodes[v]))
      items.push_back({leg.edge, v, leg.count});
  std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
    return a.edge != b.edge ? a.edge < b.edge : a.local < b.local;
  });

  // Group the edges by (holders, closes), in order of the smallest edge.
  std::map<std::pair<Mask, bool>, int> groupOf;
  std::vector<bool> groupCloses;
  for (size_t i = 0; i < items.size();) {
    size_t j = i;
    Mask holders = 0;
    int total = 0;
    int edge = items[i].edge;
    for (; j < items.size() && items[j].edge == edge; ++j) {
      holders |= bitOf(items[j].local);
      total += items[j].count;
    }
    bool closes = !hg.isOutput(edge) && total >= hg.edgeDegree(edge);
    auto [it, inserted] =
        groupOf.insert({{holders, closes}, static_cast<int>(p.groupLog2.size())});
    if (inserted) {
      p.groupLog2.push_back(0);
      p.groupHolders.push_back(holders);
      groupCloses.push_back(closes);
    }
    p.groupLog2[it->second] += hg.edgeLog2Size(edge);
    i = j;
  }
  p.numGroups = static_cast<int>(p.groupLog2.size());
  int words = std::max(1, (p.numGroups + 63) / 64);
  // Pad to the widths the search is compiled for (1, 2, 4, 8; wider runs
  // with a run-time width).
  if (words > 2 && words <= 4)
    words = 4;
  else if (words > 4 && words <= 8)
    words = 8;
  p.words = words;
  p.closable.assign(words, 0);
  for (int g = 0; g < p.numGroups; ++g)
    if (groupCloses[g])
      p.closable[g >> 6] |= bitOf(g & 63);

  p.nodeLegs.assign(static_cast<size_t>(n) * words, 0);
  p.nodeLog2Size.assign(n, 0);
  p.nodeExtra.assign(n, 0);
  p.adjacency.assign(n, 0);
  for (int g = 0; g < p.numGroups; ++g) {
    Mask h = p.groupHolders[g];
    for (Mask r = h; r; r &= r - 1) {
      int v = lowestBit(r);
      p.nodeLegs[static_cast<size_t>(v) * words + (g >> 6)] |= bitOf(g & 63);
      p.nodeLog2Size[v] += p.groupLog2[g];
      p.adjacency[v] |= h & ~bitOf(v);
    }
  }
  for (int v = 0; v < n; ++v) {
    int t = nodes[v];
    if (!tree.isLeaf(t))
      continue;
    for (int e : hg.nodeEdges(t))
      if (hg.edgeDegree(e) == 1 && !hg.isOutput(e))
        p.nodeExtra[v] += hg.edgeLog2Size(e);
  }
  return p;
}

/// Groups of nodes connected through shared legs (local indices, sorted).
std::vector<std::vector<int>> components(const Problem &p) {
  int n = p.size();
  std::vector<std::vector<int>> result;
  Mask seen = 0;
  for (int start = 0; start < n; ++start) {
    if (seen & bitOf(start))
      continue;
    Mask comp = bitOf(start), frontier = comp;
    while (frontier) {
      int v = lowestBit(frontier);
      frontier &= frontier - 1;
      Mask fresh = p.adjacency[v] & ~comp;
      comp |= fresh;
      frontier |= fresh;
    }
    seen |= comp;
    std::vector<int> members;
    for (Mask r = comp; r; r &= r - 1)
      members.push_back(lowestBit(r));
    result.push_back(std::move(members));
  }
  return result;
}

//===----------------------------------------------------------------------===//
// The search
//===----------------------------------------------------------------------===//

enum class Status { Found, Infeasible, TimeOut, TooMany };

struct Budget {
  bool hasDeadline = false;
  Clock::time_point deadline;
  size_t maxSubsets = 0;
  uint64_t ticks = 0;
  bool expired() {
    if ((++ticks & 4095) != 0 || !hasDeadline)
      return false;
    return Clock::now() >= deadline;
  }
};

/// The tree found for a problem: steps (left, right subsets) in post-order.
struct Solution {
  std::vector<std::pair<Mask, Mask>> steps;
  double score = 0; ///< width (minimax) or linear score (sum)
};

struct SearchParams {
  bool minimax = false; ///< minimize the largest intermediate (log2)
  ObjectiveKind kind = ObjectiveKind::Flops;
  double alpha = 64;
  double limit = kInf; ///< log2 memory limit (tolerance included)
  bool outer = false;
};

template <int W> class Search {
public:
  Search(const Problem &p, const SearchParams &params, Budget &budget)
      : p_(p), params_(params), budget_(budget),
        words_(W > 0 ? W : p.words) {}

  Status run(Solution &solution);

private:
  struct Entry {
    Mask mask, left, nbr;
    double score, log2Size, extra;
    int round; ///< the round that found it (final after that round)
  };

  Mask *legsOf(uint32_t i) { return &legs_[static_cast<size_t>(i) * words_]; }
  uint32_t find(Mask key) const;
  bool insert(const Entry &e, const Mask *legs);
  void grow();
  double stepScore(double log2Cost, double log2Size) const;
  /// Tries s1 (entry i1, its fields copied) with entry i2 into size m.
  /// Returns false when a limit was hit.
  bool tryPair(const Entry &e1, const Mask *l1, uint32_t i2);
  void collect(Mask s, Solution &solution) const;

  const Problem &p_;
  SearchParams params_;
  Budget &budget_;
  int words_;
  double offset_ = 0; ///< linear scores are 2^(log2 - offset)
  double cap_ = 0, minPruned_ = kInf;
  Mask full_ = 0;
  int round_ = 0;
  bool skipFinal_ = getenv("SKIPFINAL") != nullptr;
  bool useBound_ = getenv("USEBOUND") != nullptr;
  double factor_ = getenv("FACTOR") ? atof(getenv("FACTOR")) : 4;
  /// Lower bound of the score of the step that will consume a subset of
  /// this size (it loops over the subset's legs at least).
  double futureScore(double log2Size) const {
    if (params_.minimax || params_.kind == ObjectiveKind::Write)
      return 0;
    return std::exp2(log2Size - offset_);
  }
  Status failure_ = Status::Found;

  std::vector<Entry> entries_;
  std::vector<Mask> legs_;
  std::vector<std::vector<uint32_t>> bySize_;
  /// byNode_[size][node]: entries of that size containing the node.
  std::vector<std::vector<std::vector<uint32_t>>> byNode_;
  std::vector<Mask> keys_;
  std::vector<uint32_t> values_;
  size_t used_ = 0;
  std::vector<Mask> scratch_;
};

inline size_t hashMask(Mask m) {
  m ^= m >> 33;
  m *= 0xff51afd7ed558ccdULL;
  m ^= m >> 33;
  return static_cast<size_t>(m);
}

template <int W> uint32_t Search<W>::find(Mask key) const {
  size_t mask = keys_.size() - 1;
  for (size_t h = hashMask(key) & mask;; h = (h + 1) & mask) {
    if (keys_[h] == key)
      return values_[h];
    if (keys_[h] == 0)
      return UINT32_MAX;
  }
}

template <int W> void Search<W>::grow() {
  std::vector<Mask> oldKeys = std::move(keys_);
  std::vector<uint32_t> oldValues = std::move(values_);
  size_t cap = oldKeys.empty() ? 1024 : oldKeys.size() * 2;
  keys_.assign(cap, 0);
  values_.assign(cap, 0);
  for (size_t i = 0; i < oldKeys.size(); ++i) {
    if (!oldKeys[i])
      continue;
    size_t h = hashMask(oldKeys[i]) & (cap - 1);
    while (keys_[h])
      h = (h + 1) & (cap - 1);
    keys_[h] = oldKeys[i];
    values_[h] = oldValues[i];
  }
}

template <int W> bool Search<W>::insert(const Entry &e, const Mask *legs) {
  if (entries_.size() >= budget_.maxSubsets || entries_.size() >= UINT32_MAX - 1) {
    failure_ = Status::TooMany;
    return false;
  }
  if ((used_ + 1) * 2 > keys_.size())
    grow();
  uint32_t id = static_cast<uint32_t>(entries_.size());
  size_t mask = keys_.size() - 1;
  size_t h = hashMask(e.mask) & mask;
  while (keys_[h])
    h = (h + 1) & mask;
  keys_[h] = e.mask;
  values_[h] = id;
  ++used_;
  entries_.push_back(e);
  legs_.insert(legs_.end(), legs, legs + words_);
  int m = popCount(e.mask);
  bySize_[m].push_back(id);
  if (!params_.outer)
    for (Mask r = e.mask; r; r &= r - 1)
      byNode_[m][lowestBit(r)].push_back(id);
  return true;
}

template <int W>
double Search<W>::stepScore(double log2Cost, double log2Size) const {
  switch (params_.kind) {
  case ObjectiveKind::Flops:
  case ObjectiveKind::Size:
    return std::exp2(log2Cost - offset_);
  case ObjectiveKind::Write:
    return std::exp2(log2Size - offset_);
  case ObjectiveKind::Combo:
    return std::exp2(log2Cost - offset_) +
           params_.alpha * std::exp2(log2Size - offset_);
  case ObjectiveKind::Limit:
    return std::max(std::exp2(log2Cost - offset_),
                    params_.alpha * std::exp2(log2Size - offset_));
  }
  return 0;
}

template <int W>
inline bool Search<W>::tryPair(const Entry &e1, const Mask *l1,
                               uint32_t i2) {
  if (budget_.expired()) {
    failure_ = Status::TimeOut;
    return false;
  }
  const Entry &e2 = entries_[i2];
  double base = 0;
  if (!params_.minimax) {
    base = e1.score + e2.score;
    if (base > cap_) {
      minPruned_ = std::min(minPruned_, base);
      return true;
    }
  }
  Mask s = e1.mask | e2.mask;
  uint32_t id = UINT32_MAX;
  if (skipFinal_) {
    id = find(s);
    if (id != UINT32_MAX && entries_[id].round < round_)
      return true;
  }
  const Mask *l2 = legsOf(i2);
  Mask *u = scratch_.data();
  double shared = 0, closed = 0;
  for (int w = 0; w < words_; ++w) {
    Mask un = l1[w] | l2[w];
    for (Mask sh = l1[w] & l2[w]; sh; sh &= sh - 1) {
      int b = lowestBit(sh);
      int g = (w << 6) | b;
      shared += p_.groupLog2[g];
      if (((p_.closable[w] >> b) & 1) && (p_.groupHolders[g] & ~s) == 0) {
        closed += p_.groupLog2[g];
        un &= ~bitOf(b);
      }
    }
    u[w] = un;
  }
  double cost = e1.log2Size + e2.log2Size - shared;
  double size = cost - closed;
  if (size > params_.limit)
    return true;
  double total;
  if (params_.minimax) {
    total = std::max(std::max(e1.score, e2.score), size);
  } else {
    total = base + stepScore(cost + e1.extra + e2.extra, size);
  }
  double bound = total;
  if (useBound_ && s != full_)
    bound += futureScore(size);
  if (bound > cap_) {
    minPruned_ = std::min(minPruned_, bound);
    return true;
  }
  if (!skipFinal_)
    id = find(s);
  if (id == UINT32_MAX) {
    Entry e;
    e.mask = s;
    e.left = e1.mask;
    e.nbr = (e1.nbr | e2.nbr) & ~s;
    e.score = total;
    e.log2Size = size;
    e.extra = 0;
    e.round = round_;
    return insert(e, u);
  }
  Entry &old = entries_[id];
  if (total < old.score) {
    old.score = total;
    old.left = e1.mask;
  }
  return true;
}

template <int W> Status Search<W>::run(Solution &solution) {
  int n = p_.size();
  Mask full = p_.full();
  full_ = full;
  bySize_.assign(n + 1, {});
  if (!params_.outer)
    byNode_.assign(n + 1, std::vector<std::vector<uint32_t>>(n));
  scratch_.assign(words_, 0);
  grow();

  // Scale linear scores so that nothing overflows: any step costs at most
  // 2^(Σ group weights + Σ extras).
  double bound = 0, lbCost = 0;
  for (double g : p_.groupLog2)
    bound += g;
  for (int v = 0; v < n; ++v) {
    bound += p_.nodeExtra[v];
    lbCost = std::max(lbCost, p_.nodeLog2Size[v] + p_.nodeExtra[v]);
  }
  if (params_.kind == ObjectiveKind::Combo || params_.kind == ObjectiveKind::Limit)
    bound += std::max(0.0, std::log2(std::max(params_.alpha, 1e-300)));
  offset_ = std::max(0.0, bound + 8 - 1000);

  for (int v = 0; v < n; ++v) {
    Entry e;
    e.mask = bitOf(v);
    e.left = 0;
    e.nbr = p_.adjacency[v];
    e.score = params_.minimax ? -kInf : 0;
    e.log2Size = p_.nodeLog2Size[v];
    e.extra = p_.nodeExtra[v];
    e.round = -1;
    if (!insert(e, &p_.nodeLegs[static_cast<size_t>(v) * words_]))
      return failure_;
  }

  double rootSize = p_.rootLog2Size();
  if (params_.minimax) {
    cap_ = rootSize;
  } else {
    // Lower bounds: every node is an operand of a step costing at least its
    // size, the last step costs at least the result's size, which is
    // written.
    cap_ = stepScore(std::max(lbCost, rootSize), rootSize);
  }
  // Growth factor of the cap per round (in the objective's linear units).
  const double factor = factor_;

  std::vector<Mask> l1(words_);
  while (find(full) == UINT32_MAX) {
    minPruned_ = kInf;
    for (int m = 2; m <= n; ++m) {
      for (int k = 1; k <= m / 2; ++k) {
        int k2 = m - k;
        const std::vector<uint32_t> &as = bySize_[k];
        for (size_t ia = 0; ia < as.size(); ++ia) {
          uint32_t i1 = as[ia];
          Entry e1 = entries_[i1];
          std::copy_n(legsOf(i1), words_, l1.begin());
          if (params_.outer) {
            const std::vector<uint32_t> &bs = bySize_[k2];
            size_t first = k == k2 ? ia + 1 : 0;
            for (size_t ib = first; ib < bs.size(); ++ib) {
              uint32_t i2 = bs[ib];
              if (entries_[i2].mask & e1.mask)
                continue;
              if (!tryPair(e1, l1.data(), i2))
                return failure_;
            }
            continue;
          }
          // Partners sharing an index with s1: contain a neighbor of s1;
          // each is visited once, at its lowest such neighbor.
          Mask nbr = e1.nbr;
          for (Mask r = nbr; r; r &= r - 1) {
            int v = lowestBit(r);
            Mask lower = nbr & (bitOf(v) - 1);
            for (uint32_t i2 : byNode_[k2][v]) {
              Mask s2 = entries_[i2].mask;
              if ((s2 & e1.mask) || (s2 & lower) || (k == k2 && s2 < e1.mask))
                continue;
              if (!tryPair(e1, l1.data(), i2))
                return failure_;
            }
          }
        }
      }
    }
#ifdef TNC_OPT_DEBUG
    std::fprintf(stderr, "round cap %g entries %zu tries %llu minPruned %g\n", cap_, entries_.size(), (unsigned long long)budget_.ticks, minPruned_);
#endif
    if (find(full) != UINT32_MAX)
      break;
    if (minPruned_ == kInf)
      return Status::Infeasible;
    cap_ = params_.minimax ? minPruned_ : std::max(minPruned_, cap_ * factor);
    ++round_;
  }
  solution.steps.clear();
  collect(full, solution);
  solution.score = entries_[find(full)].score;
  return Status::Found;
}

template <int W> void Search<W>::collect(Mask s, Solution &solution) const {
  if (popCount(s) == 1)
    return;
  const Entry &e = entries_[find(s)];
  Mask right = s & ~e.left;
  collect(e.left, solution);
  collect(right, solution);
  solution.steps.push_back({e.left, right});
}

Status search(const Problem &p, const SearchParams &params, Budget &budget,
              Solution &solution) {
  if (p.size() == 1) {
    solution.steps.clear();
    solution.score = params.minimax ? -kInf : 0;
    return Status::Found;
  }
  switch (p.words) {
  case 1:
    return Search<1>(p, params, budget).run(solution);
  case 2:
    return Search<2>(p, params, budget).run(solution);
  case 4:
    return Search<4>(p, params, budget).run(solution);
  case 8:
    return Search<8>(p, params, budget).run(solution);
  default:
    return Search<0>(p, params, budget).run(solution);
  }
}

std::string statusMessage(Status status, const OptimalOptions &options) {
  char buf[160];
  if (status == Status::TimeOut)
    std::snprintf(buf, sizeof buf,
                  "optimal: time limit of %g s reached before the search ended",
                  options.timeLimitSeconds);
  else
    std::snprintf(buf, sizeof buf,
                  "optimal: more than %zu subsets needed (maxSubsets)",
                  options.maxSubsets);
  return buf;
}

} // namespace

int optimalContract(ContractionTree &tree, const std::vector<int> &nodes,
                    const OptimalOptions &options, std::string &error) {
  error.clear();
  if (nodes.empty()) {
    error = "optimal: no nodes to contract";
    return -1;
  }
  if (nodes.size() > 64) {
    error = "optimal: " + std::to_string(nodes.size()) +
            " nodes, the exact search handles at most 64";
    return -1;
  }
  {
    std::vector<int> sorted = nodes;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i) {
      int v = sorted[i];
      if (v < 0 || v >= tree.numNodes() || tree.isDead(v) || tree.parent(v) >= 0) {
        error = "optimal: node " + std::to_string(v) + " is not a live root";
        return -1;
      }
      if (i > 0 && sorted[i - 1] == v) {
        error = "optimal: node " + std::to_string(v) + " given twice";
        return -1;
      }
    }
  }
  if (nodes.size() == 1)
    return nodes[0];

  bool outer = options.searchOuter < 0 ? nodes.size() <= 16
                                       : options.searchOuter != 0;
  Budget budget;
  if (options.timeLimitSeconds > 0) {
    budget.hasDeadline = true;
    budget.deadline =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(options.timeLimitSeconds));
  }
  budget.maxSubsets = std::max<size_t>(options.maxSubsets, nodes.size());

  // The groups searched separately: everything at once with outer products,
  // else each connected component.
  std::vector<Problem> problems;
  {
    Problem all = buildProblem(tree, nodes);
    std::vector<std::vector<int>> comps;
    if (outer)
      comps.push_back({});
    else
      comps = components(all);
    if (comps.size() == 1) {
      problems.push_back(std::move(all));
    } else {
      for (const std::vector<int> &comp : comps) {
        std::vector<int> members;
        for (int v : comp)
          members.push_back(nodes[v]);
        problems.push_back(buildProblem(tree, members));
      }
    }
  }
  int numProblems = static_cast<int>(problems.size());

  // Components are joined by outer products, the two smallest first; the
  // sizes of those products do not depend on the trees inside.
  std::vector<double> rootSizes(numProblems);
  double unavoidable = -kInf; // largest intermediate every tree makes
  for (int i = 0; i < numProblems; ++i) {
    rootSizes[i] = problems[i].rootLog2Size();
    if (problems[i].size() > 1)
      unavoidable = std::max(unavoidable, rootSizes[i]);
  }
  std::vector<std::pair<int, int>> joins; // slots; a join appends a slot
  {
    std::vector<double> sizes = rootSizes;
    std::vector<bool> alive(numProblems, true);
    for (int step = 0; step + 1 < numProblems; ++step) {
      int a = -1, b = -1;
      for (int i = 0; i < static_cast<int>(sizes.size()); ++i) {
        if (!alive[i])
          continue;
        if (a < 0 || sizes[i] < sizes[a]) {
          b = a;
          a = i;
        } else if (b < 0 || sizes[i] < sizes[b]) {
          b = i;
        }
      }
      alive[a] = alive[b] = false;
      joins.push_back({a, b});
      sizes.push_back(sizes[a] + sizes[b]);
      alive.push_back(true);
      unavoidable = std::max(unavoidable, sizes.back());
    }
  }

  const Objective &objective = options.objective;
  std::vector<Solution> solutions(numProblems);
  auto runAll = [&](const SearchParams &params, Status &status) {
    for (int i = 0; i < numProblems; ++i) {
      status = search(problems[i], params, budget, solutions[i]);
      if (status != Status::Found)
        return false;
    }
    return true;
  };
  // The smallest width over all groups (minimax), for Size and for limits
  // nothing fits under.
  auto minWidth = [&](double &width, Status &status) {
    SearchParams params;
    params.minimax = true;
    params.outer = outer;
    if (!runAll(params, status))
      return false;
    width = unavoidable;
    for (const Solution &s : solutions)
      width = std::max(width, s.score);
    return true;
  };

  SearchParams params;
  params.outer = outer;
  params.kind = objective.kind;
  params.alpha = objective.alpha;
  Status status = Status::Found;
  bool ok;
  if (objective.kind == ObjectiveKind::Size) {
    double width;
    ok = minWidth(width, status);
    if (ok) {
      params.limit = width + kTol;
      ok = runAll(params, status);
    }
  } else if (std::isfinite(objective.log2MemoryLimit)) {
    double limit = std::max(objective.log2MemoryLimit, unavoidable);
    params.limit = limit + kTol;
    ok = runAll(params, status);
    if (!ok && status == Status::Infeasible) {
      double width;
      ok = minWidth(width, status);
      if (ok) {
        params.limit = std::max(limit, width) + kTol;
        ok = runAll(params, status);
      }
    }
  } else {
    ok = runAll(params, status);
  }
  if (!ok) {
    if (status == Status::Infeasible)
      error = "optimal: internal error: no tree found";
    else
      error = statusMessage(status, options);
    return -1;
  }

  // Build the winning trees, then join them.
  std::vector<int> slots;
  for (int i = 0; i < numProblems; ++i) {
    const Problem &p = problems[i];
    std::vector<std::pair<Mask, int>> built;
    auto idOf = [&](Mask s) {
      if (popCount(s) == 1)
        return p.treeNodes[lowestBit(s)];
      for (const auto &[mask, id] : built)
        if (mask == s)
          return id;
      return -1;
    };
    int last = p.treeNodes[0];
    for (const auto &[l, r] : solutions[i].steps) {
      last = tree.contract(idOf(l), idOf(r));
      built.push_back({l | r, last});
    }
    slots.push_back(last);
  }
  for (const auto &[a, b] : joins)
    slots.push_back(tree.contract(slots[a], slots[b]));
  return slots.back();
}

} // namespace tnc
