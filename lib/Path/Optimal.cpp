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
// The cap starts at a lower bound of the optimum and doubles (or jumps to the
// smallest score it pruned) until the full set is reached, never beyond the
// score of a greedy tree, which is an upper bound. The result is exact
// because every subtree of an optimal tree, plus the step that consumes it,
// scores at most as much as the whole tree, so nothing of it is pruned.
//
// Pruning and ordering (sum objectives):
//  * key(S) = score(S) + the least the step consuming S can score (it loops
//    over S's legs, so it costs at least |S|; 0 for Write). A proper subset
//    is dropped when key(S) > cap: this prunes large intermediates early.
//  * Before the legs are merged, score(s1) + key(s2) and key(s1) + score(s2)
//    bound the pair; the partner lists are sorted by key, so a scan stops at
//    the first partner over the cap.
//
// Representation, chosen for speed:
//  * The indices of the subproblem are grouped: indices held by the same
//    local nodes that close under the same condition behave identically, so
//    one bit stands for each group. Legs are bitsets of groups. A group
//    closes in subset S iff it may close (not an output index, every tensor
//    holding it lies under the given nodes) and its holders are all in S,
//    which makes merging two leg sets a few word operations.
//  * Subsets live in parallel arrays (their legs in an arena), are found
//    through an open-addressing hash table, and are listed per size and per
//    (size, node), with mask and key inline, so that the partners of s1 that
//    share an index with it are found by walking the lists of the nodes
//    adjacent to s1.
//  * Scores are linear doubles; sizes and costs are products of extents
//    (exact for integers below 2^53). Networks whose costs could overflow a
//    double switch to log2 sums and exp2 with a power-of-two scale.
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
//  * Limits and objectives concern the steps made here (the subproblem), not
//    intermediates elsewhere in the tree.
//
//===----------------------------------------------------------------------===//

#include "tn/Path/Optimal.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
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
  static constexpr uint32_t kNone = UINT32_MAX;

  /// The fields of the first operand, copied out of the arrays (which grow
  /// while it is being paired).
  struct First {
    Mask mask, nbr;
    double score, key, lin, log2Size, extra;
  };

  Mask *legsOf(uint32_t i) { return &legs_[static_cast<size_t>(i) * words_]; }
  uint32_t find(Mask key) const;
  void growTable();
  bool insert(Mask s, int m, Mask left, Mask nbr, double score, double key,
              double lin, double log2Size, double extra, const Mask *legs);
  /// log2 cost and size -> the step's score (scaled linear).
  double stepScore(double log2Cost, double log2Size) const;
  double stepScoreLinear(double cost, double size) const;
  /// Tries the pair (first, entry i2). Returns false when a limit was hit.
  bool tryPair(const First &a, const Mask *la, uint32_t i2, int m);
  /// Orders the lists of size m by key (sum searches break out of them).
  void sortSize(int m);
  void collect(Mask s, Solution &solution) const;
  /// The score of a greedy tree (kInf if it breaks the memory limit).
  double greedyScore() const;

  const Problem &p_;
  SearchParams params_;
  Budget &budget_;
  int words_;
  Mask full_ = 0;
  /// Linear scores are 2^(log2 - offset_); with offset_ == 0 sizes and costs
  /// are computed by products of extents (exact for integer extents below
  /// 2^53), else through exp2 of log2 sums.
  double offset_ = 0;
  bool linear_ = false;
  double limitLinear_ = kInf;
  std::vector<double> groupLinear_, groupInverse_;
  double cap_ = 0, minPruned_ = kInf;
  Status failure_ = Status::Found;

  // The subsets, as parallel arrays indexed by id.
  std::vector<Mask> mask_, left_, nbr_;
  /// Score of the best tree found (sum: scaled linear; minimax: log2 width).
  std::vector<double> score_;
  /// Lower bound of the score of any tree using the subset as an operand:
  /// score plus what the step consuming it costs at least (sum searches).
  std::vector<double> key_;
  std::vector<double> lin_, log2Size_, extra_;
  std::vector<Mask> legs_;

  /// A subset in a partner list: what the scan tests, stored inline.
  struct Ref {
    Mask mask;
    uint32_t id;
    float key; ///< key_[id] rounded down (a lower bound)
  };
  static float lowerFloat(double x) {
    if (x >= static_cast<double>(std::numeric_limits<float>::max()))
      return std::numeric_limits<float>::max();
    float f = static_cast<float>(x);
    return static_cast<double>(f) > x
               ? std::nextafter(f, -std::numeric_limits<float>::infinity())
               : f;
  }
  Ref refOf(uint32_t id) const { return {mask_[id], id, lowerFloat(key_[id])}; }

  /// The subsets of each size (sum searches: sorted by key).
  std::vector<std::vector<uint32_t>> bySize_;
  /// Partner lists, rebuilt once a size is complete in a round: with outer
  /// products list 0 of a size holds all its subsets, else list v those
  /// containing node v; list v of size m is
  /// partners_[m][partnerStart_[m][v] .. partnerStart_[m][v + 1]).
  std::vector<std::vector<Ref>> partners_;
  std::vector<std::vector<uint32_t>> partnerStart_;
  std::vector<double> minScore_;
  std::vector<bool> dirty_;

  std::vector<Mask> tableKeys_;
  std::vector<uint32_t> tableValues_;
  std::vector<Mask> scratch_;
};

inline size_t hashMask(Mask m) {
  m ^= m >> 33;
  m *= 0xff51afd7ed558ccdULL;
  m ^= m >> 33;
  return static_cast<size_t>(m);
}

template <int W> uint32_t Search<W>::find(Mask key) const {
  size_t mask = tableKeys_.size() - 1;
  for (size_t h = hashMask(key) & mask;; h = (h + 1) & mask) {
    if (tableKeys_[h] == key)
      return tableValues_[h];
    if (tableKeys_[h] == 0)
      return kNone;
  }
}

template <int W> void Search<W>::growTable() {
  size_t cap = tableKeys_.empty() ? 1024 : tableKeys_.size() * 2;
  tableKeys_.assign(cap, 0);
  tableValues_.assign(cap, 0);
  for (uint32_t id = 0; id < mask_.size(); ++id) {
    size_t h = hashMask(mask_[id]) & (cap - 1);
    while (tableKeys_[h])
      h = (h + 1) & (cap - 1);
    tableKeys_[h] = mask_[id];
    tableValues_[h] = id;
  }
}

template <int W>
bool Search<W>::insert(Mask s, int m, Mask left, Mask nbr, double score,
                       double key,
                       double lin, double log2Size, double extra,
                       const Mask *legs) {
  if (mask_.size() >= budget_.maxSubsets || mask_.size() >= kNone - 1) {
    failure_ = Status::TooMany;
    return false;
  }
  uint32_t id = static_cast<uint32_t>(mask_.size());
  mask_.push_back(s);
  left_.push_back(left);
  nbr_.push_back(nbr);
  score_.push_back(score);
  key_.push_back(key);
  lin_.push_back(lin);
  log2Size_.push_back(log2Size);
  extra_.push_back(extra);
  legs_.insert(legs_.end(), legs, legs + words_);
  if (mask_.size() * 2 > tableKeys_.size()) {
    growTable();
  } else {
    size_t mask = tableKeys_.size() - 1;
    size_t h = hashMask(s) & mask;
    while (tableKeys_[h])
      h = (h + 1) & mask;
    tableKeys_[h] = s;
    tableValues_[h] = id;
  }
  bySize_[m].push_back(id);
  dirty_[m] = true;
  return true;
}

template <int W>
double Search<W>::stepScoreLinear(double cost, double size) const {
  switch (params_.kind) {
  case ObjectiveKind::Flops:
  case ObjectiveKind::Size:
    return cost;
  case ObjectiveKind::Write:
    return size;
  case ObjectiveKind::Combo:
    return cost + params_.alpha * size;
  case ObjectiveKind::Limit:
    return std::max(cost, params_.alpha * size);
  }
  return cost;
}

template <int W>
double Search<W>::stepScore(double log2Cost, double log2Size) const {
  return stepScoreLinear(std::exp2(log2Cost - offset_),
                         std::exp2(log2Size - offset_));
}

template <int W>
inline bool Search<W>::tryPair(const First &a, const Mask *la, uint32_t i2,
                               int m) {
  if (budget_.expired()) {
    failure_ = Status::TimeOut;
    return false;
  }
  Mask s = a.mask | mask_[i2];
  const Mask *lb = legsOf(i2);
  Mask *u = scratch_.data();
  double total, own, lin, log2Size;
  if (linear_) {
    // Products of reciprocals (exact for powers of two, within an ulp or
    // two otherwise): divisions would dominate the search.
    double shared = 1, closed = 1;
    for (int w = 0; w < words_; ++w) {
      Mask un = la[w] | lb[w];
      for (Mask sh = la[w] & lb[w]; sh; sh &= sh - 1) {
        int b = lowestBit(sh);
        int g = (w << 6) | b;
        shared *= groupInverse_[g];
        if (((p_.closable[w] >> b) & 1) && (p_.groupHolders[g] & ~s) == 0) {
          closed *= groupInverse_[g];
          un &= ~bitOf(b);
        }
      }
      u[w] = un;
    }
    double unionSize = a.lin * lin_[i2] * shared;
    lin = unionSize * closed;
    if (lin > limitLinear_)
      return true;
    double cost = unionSize;
    double extra = a.extra + extra_[i2];
    if (extra != 0)
      cost *= std::exp2(extra);
    total = a.score + score_[i2] + stepScoreLinear(cost, lin);
    own = params_.kind == ObjectiveKind::Write ? 0 : lin;
    log2Size = 0; // computed on insertion
  } else {
    double shared = 0, closed = 0;
    for (int w = 0; w < words_; ++w) {
      Mask un = la[w] | lb[w];
      for (Mask sh = la[w] & lb[w]; sh; sh &= sh - 1) {
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
    double cost = a.log2Size + log2Size_[i2] - shared;
    log2Size = cost - closed;
    if (log2Size > params_.limit)
      return true;
    if (params_.minimax) {
      total = std::max(std::max(a.score, score_[i2]), log2Size);
      own = 0;
      lin = 0;
    } else {
      total = a.score + score_[i2] +
              stepScore(cost + a.extra + extra_[i2], log2Size);
      lin = std::exp2(log2Size - offset_);
      own = params_.kind == ObjectiveKind::Write ? 0 : lin;
    }
  }
  // A proper subset is still to be consumed by a step costing at least its
  // size; prune on that bound.
  double key = s == full_ ? total : total + own;
  if (key > cap_) {
    minPruned_ = std::min(minPruned_, key);
    return true;
  }
  uint32_t id = find(s);
  if (id == kNone) {
    if (linear_)
      log2Size = std::log2(lin);
    return insert(s, m, a.mask, (nbr_[i2] | a.nbr) & ~s, total, key, lin,
                  log2Size, 0, u);
  }
  if (total < score_[id]) {
    score_[id] = total;
    key_[id] = key;
    left_[id] = a.mask;
    dirty_[m] = true;
  }
  return true;
}

template <int W> void Search<W>::sortSize(int m) {
  if (!dirty_[m])
    return;
  dirty_[m] = false;
  std::vector<uint32_t> &list = bySize_[m];
  double best = kInf;
  for (uint32_t id : list)
    best = std::min(best, score_[id]);
  minScore_[m] = best;
  if (!params_.minimax)
    std::sort(list.begin(), list.end(), [&](uint32_t a, uint32_t b) {
      return key_[a] != key_[b] ? key_[a] < key_[b] : a < b;
    });
  std::vector<Ref> &refs = partners_[m];
  std::vector<uint32_t> &start = partnerStart_[m];
  if (params_.outer) {
    refs.clear();
    for (uint32_t id : list)
      refs.push_back(refOf(id));
    start = {0, static_cast<uint32_t>(refs.size())};
    return;
  }
  // Counting sort by node, keeping the key order within each node.
  int n = p_.size();
  start.assign(n + 1, 0);
  for (uint32_t id : list)
    for (Mask r = mask_[id]; r; r &= r - 1)
      ++start[lowestBit(r) + 1];
  for (int v = 0; v < n; ++v)
    start[v + 1] += start[v];
  refs.resize(start[n]);
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (uint32_t id : list) {
    Ref ref = refOf(id);
    for (Mask r = mask_[id]; r; r &= r - 1)
      refs[next[lowestBit(r)]++] = ref;
  }
}

template <int W> Status Search<W>::run(Solution &solution) {
  int n = p_.size();
  full_ = p_.full();
  bySize_.assign(n + 1, {});
  partners_.assign(n + 1, {});
  partnerStart_.assign(n + 1, std::vector<uint32_t>(params_.outer ? 2 : n + 1, 0));
  minScore_.assign(n + 1, kInf);
  dirty_.assign(n + 1, false);
  scratch_.assign(words_, 0);
  growTable();

  // Scale linear scores so that nothing overflows: any step costs at most
  // 2^(Σ group weights + Σ extras).
  double bound = 0, lbCost = 0;
  for (double g : p_.groupLog2)
    bound += g;
  for (int v = 0; v < n; ++v) {
    bound += p_.nodeExtra[v];
    lbCost = std::max(lbCost, p_.nodeLog2Size[v] + p_.nodeExtra[v]);
  }
  if (params_.kind == ObjectiveKind::Combo ||
      params_.kind == ObjectiveKind::Limit)
    bound += std::max(0.0, std::log2(std::max(params_.alpha, 1e-300)));
  offset_ = std::max(0.0, bound + 8 - 1000);
  linear_ = !params_.minimax && offset_ == 0;
  if (linear_) {
    for (double g : p_.groupLog2) {
      groupLinear_.push_back(std::exp2(g));
      groupInverse_.push_back(std::exp2(-g));
    }
    limitLinear_ = std::exp2(params_.limit);
  }

  for (int v = 0; v < n; ++v) {
    double log2Size = p_.nodeLog2Size[v];
    double lin = params_.minimax ? 0 : std::exp2(log2Size - offset_);
    double score = params_.minimax ? -kInf : 0;
    double own = params_.minimax || params_.kind == ObjectiveKind::Write
                     ? 0
                     : lin * std::exp2(p_.nodeExtra[v]);
    if (!insert(bitOf(v), 1, 0, p_.adjacency[v], score, score + own, lin,
                log2Size, p_.nodeExtra[v],
                &p_.nodeLegs[static_cast<size_t>(v) * words_]))
      return failure_;
  }
  sortSize(1);

  double rootSize = p_.rootLog2Size();
  if (params_.minimax) {
    cap_ = rootSize;
  } else {
    // Lower bounds: every node is an operand of a step costing at least its
    // size, the last step costs at least the result's size, which is
    // written.
    cap_ = stepScore(std::max(lbCost, rootSize), rootSize);
  }
  // Growth of the cap per round (sum searches; linear units).
  const double factor = 2;
  // A greedy tree bounds the optimum from above: no round needs a larger
  // cap (starting near it instead of at the lower bound saves rounds when
  // the greedy tree is good, but costs much more when it is not).
  double upper = params_.minimax ? kInf : greedyScore() * (1 + 1e-9);

  const bool sum = !params_.minimax;
  std::vector<Mask> la(words_);
  while (find(full_) == kNone) {
    minPruned_ = kInf;
    for (int m = 2; m <= n; ++m) {
      for (int k = 1; k <= m / 2; ++k) {
        int k2 = m - k;
        const std::vector<uint32_t> &as = bySize_[k2];
        double minScore2 = minScore_[k];
        for (size_t ia = 0; ia < as.size(); ++ia) {
          uint32_t i1 = as[ia];
          if (budget_.expired()) {
            failure_ = Status::TimeOut;
            return failure_;
          }
          First a{mask_[i1],  nbr_[i1],      score_[i1], key_[i1],
                  lin_[i1], log2Size_[i1], extra_[i1]};
          // Lists are sorted by key: no later first operand can do better.
          if (sum && a.key + minScore2 > cap_) {
            minPruned_ = std::min(minPruned_, a.key + minScore2);
            break;
          }
          std::copy_n(legsOf(i1), words_, la.begin());
          if (params_.outer) {
            const std::vector<Ref> &bs = partners_[k];
            for (size_t ib = k == k2 ? ia + 1 : 0; ib < bs.size(); ++ib) {
              const Ref &b = bs[ib];
              if (sum && a.score + b.key > cap_) {
                minPruned_ = std::min(minPruned_, a.score + b.key);
                break;
              }
              if (b.mask & a.mask)
                continue;
              if (sum && a.key + score_[b.id] > cap_) {
                minPruned_ = std::min(minPruned_, a.key + score_[b.id]);
                continue;
              }
              if (!tryPair(a, la.data(), b.id, m))
                return failure_;
            }
            continue;
          }
          // Partners sharing an index with s1 contain a neighbor of s1;
          // each is visited once, at its lowest such neighbor.
          for (Mask r = a.nbr; r; r &= r - 1) {
            int v = lowestBit(r);
            Mask lower = a.nbr & (bitOf(v) - 1);
            const Ref *begin = partners_[k].data() + partnerStart_[k][v];
            const Ref *end = partners_[k].data() + partnerStart_[k][v + 1];
            for (const Ref *pb = begin; pb != end; ++pb) {
              const Ref &b = *pb;
              if (sum && a.score + b.key > cap_) {
                minPruned_ = std::min(minPruned_, a.score + b.key);
                break;
              }
              if ((b.mask & a.mask) || (b.mask & lower) ||
                  (k == k2 && b.mask < a.mask))
                continue;
              if (sum && a.key + score_[b.id] > cap_) {
                minPruned_ = std::min(minPruned_, a.key + score_[b.id]);
                continue;
              }
              if (!tryPair(a, la.data(), b.id, m))
                return failure_;
            }
          }
        }
      }
      sortSize(m);
    }
    if (find(full_) != kNone)
      break;
    if (minPruned_ == kInf)
      return Status::Infeasible;
    if (params_.minimax) {
      cap_ = minPruned_;
    } else {
      double next = std::max(minPruned_, cap_ * factor);
      // (A round at the upper bound finds a tree; should rounding ever
      // defeat that, the cap keeps growing.)
      cap_ = upper > cap_ ? std::min(next, upper) : next;
    }
  }
  solution.steps.clear();
  collect(full_, solution);
  solution.score = score_[find(full_)];
  return Status::Found;
}

template <int W> double Search<W>::greedyScore() const {
  // opt_einsum's greedy: contract the pair sharing an index whose result
  // shrinks most relative to its operands (outer products of the two
  // smallest only when nothing shares an index).
  struct Item {
    double log2Size, extra;
  };
  std::vector<Item> items;
  std::vector<Mask> legs = p_.nodeLegs;
  for (int v = 0; v < p_.size(); ++v)
    items.push_back({p_.nodeLog2Size[v], p_.nodeExtra[v]});
  std::vector<Mask> masks;
  for (int v = 0; v < p_.size(); ++v)
    masks.push_back(bitOf(v));
  std::vector<Mask> u(words_), bestU(words_);
  double total = 0;
  while (items.size() > 1) {
    size_t bi = 0, bj = 0;
    double bestKey = kInf, bestCost = 0, bestSize = 0;
    bool bestShares = false;
    for (size_t i = 0; i < items.size(); ++i) {
      for (size_t j = i + 1; j < items.size(); ++j) {
        const Mask *la = &legs[i * words_], *lb = &legs[j * words_];
        Mask s = masks[i] | masks[j];
        double shared = 0, closed = 0;
        bool shares = false;
        for (int w = 0; w < words_; ++w) {
          Mask un = la[w] | lb[w];
          for (Mask sh = la[w] & lb[w]; sh; sh &= sh - 1) {
            shares = true;
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
        if (bestShares && !shares)
          continue;
        double cost = items[i].log2Size + items[j].log2Size - shared;
        double size = cost - closed;
        double key = shares ? std::exp2(size) - std::exp2(items[i].log2Size) -
                                  std::exp2(items[j].log2Size)
                            : size;
        if ((shares && !bestShares) || key < bestKey) {
          bestKey = key;
          bestShares = shares;
          bi = i;
          bj = j;
          bestCost = cost + items[i].extra + items[j].extra;
          bestSize = size;
          bestU = u;
        }
      }
    }
    if (bestSize > params_.limit)
      return kInf;
    total += stepScore(bestCost, bestSize);
    items[bi] = {bestSize, 0};
    masks[bi] |= masks[bj];
    std::copy(bestU.begin(), bestU.end(), legs.begin() + bi * words_);
    items.erase(items.begin() + bj);
    masks.erase(masks.begin() + bj);
    legs.erase(legs.begin() + bj * words_, legs.begin() + (bj + 1) * words_);
  }
  return total;
}

template <int W> void Search<W>::collect(Mask s, Solution &solution) const {
  if (popCount(s) == 1)
    return;
  Mask left = left_[find(s)];
  Mask right = s & ~left;
  collect(left, solution);
  collect(right, solution);
  solution.steps.push_back({left, right});
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

  bool outer = options.searchOuter < 0 ? nodes.size() <= 12
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
