//===- Partition.cpp - Contraction trees by hypergraph partitioning -------===//
//
// Multilevel hypergraph bisection (coarsening by heavy-connectivity
// clustering, a pool of greedy initial bisections, Fiduccia–Mattheyses
// refinement on every level) and label propagation, plus the recursive
// top-down tree builder on top of them.
//
// Everything works on flat CSR arrays held by a reusable workspace, so that
// the thousands of bisections a hyper-optimization run makes allocate
// (almost) nothing once the buffers have grown.
//
//===----------------------------------------------------------------------===//

#include "tn/Path/Partition.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <utility>

namespace tnc {
namespace {

constexpr double kEps = 1e-9;

//===----------------------------------------------------------------------===//
// A hypergraph level in CSR form
//===----------------------------------------------------------------------===//

struct HGraph {
  int n = 0;
  std::vector<double> vw;   // vertex weights
  std::vector<int> eptr;    // edge e's pins: pins[eptr[e] .. eptr[e+1])
  std::vector<int> pins;
  std::vector<double> ew;   // edge weights
  std::vector<int> vptr;    // vertex v's edges: inc[vptr[v] .. vptr[v+1])
  std::vector<int> inc;
  double totalWeight = 0;
  double maxVertexWeight = 0;

  int numEdges() const { return static_cast<int>(ew.size()); }
  int edgeSize(int e) const { return eptr[e + 1] - eptr[e]; }

  void clear(int numVertices) {
    n = numVertices;
    vw.clear();
    eptr.assign(1, 0);
    pins.clear();
    ew.clear();
  }

  /// Fills vptr/inc from the edges, and the weight totals.
  void finish() {
    vptr.assign(n + 1, 0);
    for (int p : pins)
      ++vptr[p + 1];
    for (int v = 0; v < n; ++v)
      vptr[v + 1] += vptr[v];
    inc.resize(pins.size());
    // Fill with a moving cursor (vptr shifted by one, restored after).
    for (int e = 0, m = numEdges(); e < m; ++e)
      for (int i = eptr[e]; i < eptr[e + 1]; ++i)
        inc[vptr[pins[i]]++] = e;
    for (int v = n; v > 0; --v)
      vptr[v] = vptr[v - 1];
    vptr[0] = 0;
    totalWeight = 0;
    maxVertexWeight = 0;
    for (double w : vw) {
      totalWeight += w;
      maxVertexWeight = std::max(maxVertexWeight, w);
    }
  }
};

//===----------------------------------------------------------------------===//
// Indexed binary max-heap over vertices, keyed by an external gain array
//===----------------------------------------------------------------------===//

class MaxHeap {
public:
  void reset(int n, const double *key) {
    key_ = key;
    heap_.clear();
    pos_.assign(n, -1);
  }
  bool empty() const { return heap_.empty(); }
  bool contains(int v) const { return pos_[v] >= 0; }
  int top() const { return heap_[0]; }
  void push(int v) {
    pos_[v] = static_cast<int>(heap_.size());
    heap_.push_back(v);
    up(pos_[v]);
  }
  void remove(int v) {
    int i = pos_[v];
    int last = heap_.back();
    heap_.pop_back();
    pos_[v] = -1;
    if (last == v)
      return;
    heap_[i] = last;
    pos_[last] = i;
    update(last);
  }
  /// Restores the heap after key(v) changed.
  void update(int v) {
    int i = pos_[v];
    if (i > 0 && key_[heap_[(i - 1) / 2]] < key_[v])
      up(i);
    else
      down(i);
  }

private:
  void up(int i) {
    int v = heap_[i];
    while (i > 0) {
      int p = (i - 1) / 2;
      if (!(key_[heap_[p]] < key_[v]))
        break;
      heap_[i] = heap_[p];
      pos_[heap_[i]] = i;
      i = p;
    }
    heap_[i] = v;
    pos_[v] = i;
  }
  void down(int i) {
    int n = static_cast<int>(heap_.size());
    int v = heap_[i];
    while (true) {
      int c = 2 * i + 1;
      if (c >= n)
        break;
      if (c + 1 < n && key_[heap_[c]] < key_[heap_[c + 1]])
        ++c;
      if (!(key_[v] < key_[heap_[c]]))
        break;
      heap_[i] = heap_[c];
      pos_[heap_[i]] = i;
      i = c;
    }
    heap_[i] = v;
    pos_[v] = i;
  }

  const double *key_ = nullptr;
  std::vector<int> heap_;
  std::vector<int> pos_;
};

template <typename T> void shuffle(std::vector<T> &xs, Rng &rng) {
  for (size_t i = xs.size(); i > 1; --i)
    std::swap(xs[i - 1], xs[rng.uniform(i)]);
}

//===----------------------------------------------------------------------===//
// Two-way partition state with FM moves
//===----------------------------------------------------------------------===//

class Refiner {
public:
  /// Binds to `g` with sides `side` (0/1 per vertex).
  void init(const HGraph &g, std::vector<int> &side, double maxSide) {
    g_ = &g;
    side_ = &side;
    maxSide_ = maxSide;
    int m = g.numEdges();
    pc_.assign(2 * m, 0);
    sideW_[0] = sideW_[1] = 0;
    for (int v = 0; v < g.n; ++v)
      sideW_[side[v]] += g.vw[v];
    cut_ = 0;
    for (int e = 0; e < m; ++e) {
      for (int i = g.eptr[e]; i < g.eptr[e + 1]; ++i)
        ++pc_[2 * e + side[g.pins[i]]];
      if (pc_[2 * e] && pc_[2 * e + 1])
        cut_ += g.ew[e];
    }
  }

  double cut() const { return cut_; }
  double overweight() const {
    return std::max(0.0, std::max(sideW_[0], sideW_[1]) - maxSide_);
  }
  bool balanced() const { return overweight() <= kEps; }
  double sideWeight(int s) const { return sideW_[s]; }

  /// FM passes; stops after `maxPasses` or when a pass finds nothing.
  void refine(int maxPasses, Rng &rng) {
    for (int pass = 0; pass < maxPasses; ++pass)
      if (!fmPass(rng, /*growOnly=*/false))
        break;
  }

  /// Greedy growing of side 1 out of side 0 (everything must start on side
  /// 0 except the seeds), keeping the best balanced prefix.
  void grow(Rng &rng) { fmPass(rng, /*growOnly=*/true); }

private:
  void computeGains() {
    const HGraph &g = *g_;
    const std::vector<int> &side = *side_;
    gain_.resize(g.n);
    for (int v = 0; v < g.n; ++v) {
      int s = side[v];
      double gv = 0;
      for (int i = g.vptr[v]; i < g.vptr[v + 1]; ++i) {
        int e = g.inc[i];
        if (pc_[2 * e + s] == 1)
          gv += g.ew[e];
        if (pc_[2 * e + 1 - s] == 0)
          gv -= g.ew[e];
      }
      gain_[v] = gv;
    }
  }

  bool isBoundary(int v) const {
    const HGraph &g = *g_;
    for (int i = g.vptr[v]; i < g.vptr[v + 1]; ++i) {
      int e = g.inc[i];
      if (pc_[2 * e] && pc_[2 * e + 1])
        return true;
    }
    return false;
  }

  void touch(int u, double delta) {
    gain_[u] += delta;
    if (locked_[u])
      return;
    MaxHeap &h = heap_[(*side_)[u]];
    if (h.contains(u))
      h.update(u);
  }

  void insert(int u) {
    if (locked_[u] || !active_[(*side_)[u]])
      return;
    MaxHeap &h = heap_[(*side_)[u]];
    if (!h.contains(u))
      h.push(u);
  }

  /// Moves v to the other side with FM delta-gain updates.
  void move(int v) {
    const HGraph &g = *g_;
    std::vector<int> &side = *side_;
    int s = side[v], t = 1 - s;
    side[v] = t;
    sideW_[s] -= g.vw[v];
    sideW_[t] += g.vw[v];
    cut_ -= gain_[v];
    for (int i = g.vptr[v]; i < g.vptr[v + 1]; ++i) {
      int e = g.inc[i];
      double w = g.ew[e];
      int ps = pc_[2 * e + s], pt = pc_[2 * e + t];
      const int *b = g.pins.data() + g.eptr[e], *end = g.pins.data() + g.eptr[e + 1];
      if (pt == 0) {
        // The edge becomes cut: every other pin (all on s) gains w, and
        // they all become boundary vertices.
        for (const int *p = b; p != end; ++p)
          if (*p != v) {
            touch(*p, w);
            insert(*p);
          }
      } else if (pt == 1) {
        for (const int *p = b; p != end; ++p)
          if (*p != v && side[*p] == t) {
            touch(*p, -w);
            break;
          }
      }
      --ps;
      ++pt;
      pc_[2 * e + s] = ps;
      pc_[2 * e + t] = pt;
      if (ps == 0) {
        for (const int *p = b; p != end; ++p)
          if (*p != v)
            touch(*p, -w);
      } else if (ps == 1) {
        for (const int *p = b; p != end; ++p)
          if (side[*p] == s) {
            touch(*p, w);
            break;
          }
      }
    }
  }

  /// Moves v back without gain bookkeeping (rollback).
  void unmove(int v) {
    const HGraph &g = *g_;
    std::vector<int> &side = *side_;
    int s = side[v], t = 1 - s;
    side[v] = t;
    sideW_[s] -= g.vw[v];
    sideW_[t] += g.vw[v];
    for (int i = g.vptr[v]; i < g.vptr[v + 1]; ++i) {
      int e = g.inc[i];
      --pc_[2 * e + s];
      ++pc_[2 * e + t];
    }
  }

  bool feasible(int v, int from) const {
    double wt = sideW_[1 - from] + g_->vw[v];
    return wt <= maxSide_ + kEps || wt < sideW_[from] - kEps;
  }

  /// One FM pass (or a growing pass); returns true if it improved the
  /// partition (cut, or balance).
  bool fmPass(Rng &rng, bool growOnly) {
    const HGraph &g = *g_;
    int n = g.n;
    computeGains();
    locked_.assign(n, 0);
    active_[0] = true;
    active_[1] = !growOnly;
    heap_[0].reset(n, gain_.data());
    heap_[1].reset(n, gain_.data());
    order_.clear();
    for (int v = 0; v < n; ++v)
      if (growOnly ? (*side_)[v] == 0 : isBoundary(v))
        order_.push_back(v);
    shuffle(order_, rng);
    for (int v : order_)
      heap_[(*side_)[v]].push(v);

    // Best state so far: balanced states beat unbalanced ones; among
    // balanced ones the lower cut, then the better balance wins.
    double bestOver = overweight(), bestCut = cut_;
    double bestMax = std::max(sideW_[0], sideW_[1]);
    size_t bestLen = 0;
    moves_.clear();
    int limit = growOnly ? n : std::max(20, std::min(n / 8, 100));
    int sinceBest = 0;
    while (true) {
      int pick = -1;
      for (int s = 0; s < 2; ++s) {
        if (!active_[s] || heap_[s].empty())
          continue;
        int v = heap_[s].top();
        if (growOnly) {
          // Grow while side 1 stays within bounds.
          if (sideW_[1] + g.vw[v] > maxSide_ + kEps)
            continue;
        } else if (!feasible(v, s)) {
          continue;
        }
        if (pick < 0 || gain_[v] > gain_[pick] + kEps ||
            (gain_[v] > gain_[pick] - kEps && sideW_[s] > sideW_[1 - s]))
          pick = v;
      }
      if (pick < 0)
        break;
      heap_[(*side_)[pick]].remove(pick);
      locked_[pick] = 1;
      move(pick);
      moves_.push_back(pick);
      double over = overweight();
      double mx = std::max(sideW_[0], sideW_[1]);
      bool better;
      if (over > kEps || bestOver > kEps)
        better = over < bestOver - kEps;
      else
        better = cut_ < bestCut - kEps ||
                 (cut_ < bestCut + kEps && mx < bestMax - kEps);
      if (better) {
        bestOver = over;
        bestCut = cut_;
        bestMax = mx;
        bestLen = moves_.size();
        sinceBest = 0;
      } else if (++sinceBest > limit) {
        break;
      }
    }
    for (size_t i = moves_.size(); i > bestLen; --i)
      unmove(moves_[i - 1]);
    cut_ = bestCut;
    return bestLen > 0;
  }

  const HGraph *g_ = nullptr;
  std::vector<int> *side_ = nullptr;
  double maxSide_ = 0;
  double sideW_[2] = {0, 0};
  double cut_ = 0;
  std::vector<int> pc_;
  std::vector<double> gain_;
  std::vector<char> locked_;
  bool active_[2] = {true, true};
  MaxHeap heap_[2];
  std::vector<int> order_;
  std::vector<int> moves_;
};

//===----------------------------------------------------------------------===//
// The bisector: coarsening, initial partitioning, uncoarsening
//===----------------------------------------------------------------------===//

/// Largest side allowed for a graph: (1 + imbalance) / 2 of the total, but
/// never less than what a split of the heaviest vertex requires.
double maxSideWeight(const HGraph &g, double imbalance) {
  double w = 0.5 * (1 + std::max(0.0, imbalance)) * g.totalWeight;
  return std::max(w, 0.5 * (g.totalWeight + g.maxVertexWeight));
}

class Bisector {
public:
  /// Bisects levels_[0] (filled by the caller through input()).
  HGraph &input(int n) {
    if (levels_.empty())
      levels_.emplace_back();
    levels_[0].clear(n);
    return levels_[0];
  }

  /// Returns the sides of levels_[0] in `out`.
  void run(const PartitionOptions &options, double imbalance, Rng &rng,
           std::vector<int> &out) {
    levels_[0].finish();
    int n = levels_[0].n;
    out.assign(n, 0);
    if (n <= 1)
      return;
    if (n == 2) {
      out[1] = 1;
      return;
    }
    double maxSide = maxSideWeight(levels_[0], imbalance);
    int attempts = std::max(1, options.attempts);
    bool haveBest = false;
    double bestCut = 0, bestOver = 0;
    for (int a = 0; a < attempts; ++a) {
      if (options.method == PartitionMethod::LabelPropagation)
        labelPropagation(levels_[0], maxSide, rng, side_);
      else
        multilevel(maxSide, rng, side_); // may grow levels_
      const HGraph &g = levels_[0];
      ensureBothSides(g, side_);
      refiner_.init(g, side_, maxSide);
      double c = refiner_.cut(), o = refiner_.overweight();
      bool better = !haveBest || (o > kEps || bestOver > kEps
                                      ? o < bestOver - kEps
                                      : c < bestCut - kEps);
      if (better) {
        haveBest = true;
        bestCut = c;
        bestOver = o;
        out = side_;
      }
    }
  }

private:
  /// Both sides must be non-empty: moves the best vertex over if not.
  void ensureBothSides(const HGraph &g, std::vector<int> &side) {
    int count1 = 0;
    for (int v = 0; v < g.n; ++v)
      count1 += side[v];
    if (count1 > 0 && count1 < g.n)
      return;
    int from = count1 == 0 ? 0 : 1;
    // The lightest vertex with the fewest incident edge weight.
    int best = -1;
    double bestKey = 0;
    for (int v = 0; v < g.n; ++v) {
      double k = 0;
      for (int i = g.vptr[v]; i < g.vptr[v + 1]; ++i)
        k += g.ew[g.inc[i]];
      k += g.vw[v] * 1e-6;
      if (best < 0 || k < bestKey) {
        best = v;
        bestKey = k;
      }
    }
    side[best] = 1 - from;
  }

  //===--------------------------------------------------------------------===//
  // Coarsening
  //===--------------------------------------------------------------------===//

  /// Clusters `fine` into `coarse`, writing fine -> coarse into `map`.
  /// Returns false if the graph did not shrink enough.
  /// With `side` (a V-cycle), only vertices of the same side are clustered
  /// and `coarseSide` receives the clusters' sides.
  bool coarsen(const HGraph &fine, HGraph &coarse, std::vector<int> &map,
               double maxClusterWeight, int target, Rng &rng,
               const std::vector<int> *side, std::vector<int> *coarseSide) {
    int n = fine.n;
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0);
    shuffle(order_, rng);
    cluster_.assign(n, -1);
    clusterW_.assign(n, 0.0);
    rating_.assign(n, 0.0);
    int numClusters = n;
    for (int u : order_) {
      if (cluster_[u] >= 0)
        continue;
      if (numClusters <= target)
        break;
      // Connection of u to each neighbouring cluster (a cluster is named
      // by its representative vertex).
      touched_.clear();
      for (int i = fine.vptr[u]; i < fine.vptr[u + 1]; ++i) {
        int e = fine.inc[i];
        int size = fine.edgeSize(e);
        if (size > kRatingMaxPins)
          continue;
        double s = fine.ew[e] / (size - 1);
        for (int j = fine.eptr[e]; j < fine.eptr[e + 1]; ++j) {
          int v = fine.pins[j];
          if (v == u || (side && (*side)[v] != (*side)[u]))
            continue;
          int c = cluster_[v] >= 0 ? cluster_[v] : v;
          if (rating_[c] == 0)
            touched_.push_back(c);
          rating_[c] += s;
        }
      }
      int best = -1;
      double bestScore = 0;
      int ties = 0;
      for (int c : touched_) {
        double r = rating_[c];
        rating_[c] = 0;
        double wc = cluster_[c] >= 0 ? clusterW_[c] : fine.vw[c];
        if (wc + fine.vw[u] > maxClusterWeight + kEps)
          continue;
        // Heavy-node penalty: prefer light partners.
        double score = r / std::max(wc * fine.vw[u], 1e-12);
        if (best < 0 || score > bestScore * (1 + 1e-12)) {
          best = c;
          bestScore = score;
          ties = 1;
        } else if (score >= bestScore * (1 - 1e-12)) {
          // Random tie-breaking (reservoir sampling).
          if (rng.uniform(++ties) == 0)
            best = c;
        }
      }
      if (best < 0)
        continue;
      if (cluster_[best] < 0) {
        cluster_[best] = best;
        clusterW_[best] = fine.vw[best];
      }
      cluster_[u] = best;
      clusterW_[best] += fine.vw[u];
      --numClusters;
    }
    if (numClusters > kMinShrink * n)
      return false;

    // Number the clusters.
    map.assign(n, -1);
    coarse.clear(0);
    int nc = 0;
    for (int v = 0; v < n; ++v) {
      int rep = cluster_[v] >= 0 ? cluster_[v] : v;
      if (map[rep] < 0) {
        map[rep] = nc++;
        coarse.vw.push_back(0);
      }
      map[v] = map[rep];
      coarse.vw[map[v]] += fine.vw[v];
    }
    coarse.n = nc;
    if (side) {
      coarseSide->resize(nc);
      for (int v = 0; v < n; ++v)
        (*coarseSide)[map[v]] = (*side)[v];
    }

    // Edges: mapped pins, deduplicated; single-pin edges dropped; parallel
    // edges merged (their weights add up).
    stamp_.assign(nc, -1);
    edgeKeys_.clear();
    tmpPins_.clear();
    tmpPtr_.assign(1, 0);
    tmpW_.clear();
    for (int e = 0, m = fine.numEdges(); e < m; ++e) {
      int start = static_cast<int>(tmpPins_.size());
      for (int j = fine.eptr[e]; j < fine.eptr[e + 1]; ++j) {
        int c = map[fine.pins[j]];
        if (stamp_[c] != e) {
          stamp_[c] = e;
          tmpPins_.push_back(c);
        }
      }
      int size = static_cast<int>(tmpPins_.size()) - start;
      if (size < 2) {
        tmpPins_.resize(start);
        continue;
      }
      std::sort(tmpPins_.begin() + start, tmpPins_.end());
      uint64_t h = 1469598103934665603ull;
      for (int j = start; j < start + size; ++j)
        h = (h ^ static_cast<uint64_t>(tmpPins_[j])) * 1099511628211ull;
      int id = static_cast<int>(tmpW_.size());
      edgeKeys_.push_back({h, id});
      tmpW_.push_back(fine.ew[e]);
      tmpPtr_.push_back(static_cast<int>(tmpPins_.size()));
    }
    std::sort(edgeKeys_.begin(), edgeKeys_.end());
    auto samePins = [&](int a, int b) {
      int sa = tmpPtr_[a + 1] - tmpPtr_[a], sb = tmpPtr_[b + 1] - tmpPtr_[b];
      return sa == sb && std::equal(tmpPins_.begin() + tmpPtr_[a],
                                    tmpPins_.begin() + tmpPtr_[a + 1],
                                    tmpPins_.begin() + tmpPtr_[b]);
    };
    for (size_t i = 0; i < edgeKeys_.size();) {
      size_t j = i + 1;
      int first = edgeKeys_[i].second;
      double w = tmpW_[first];
      // Equal hashes are nearly always equal pin lists; merge the run's
      // members that match its first (the rest stay separate edges).
      for (; j < edgeKeys_.size() && edgeKeys_[j].first == edgeKeys_[i].first;
           ++j) {
        int other = edgeKeys_[j].second;
        if (samePins(first, other)) {
          w += tmpW_[other];
        } else {
          coarse.pins.insert(coarse.pins.end(), tmpPins_.begin() + tmpPtr_[other],
                             tmpPins_.begin() + tmpPtr_[other + 1]);
          coarse.eptr.push_back(static_cast<int>(coarse.pins.size()));
          coarse.ew.push_back(tmpW_[other]);
        }
      }
      coarse.pins.insert(coarse.pins.end(), tmpPins_.begin() + tmpPtr_[first],
                         tmpPins_.begin() + tmpPtr_[first + 1]);
      coarse.eptr.push_back(static_cast<int>(coarse.pins.size()));
      coarse.ew.push_back(w);
      i = j;
    }
    coarse.finish();
    return true;
  }

  //===--------------------------------------------------------------------===//
  // Initial partitioning of the coarsest graph
  //===--------------------------------------------------------------------===//

  void bfsGrow(const HGraph &g, double maxSide, Rng &rng,
               std::vector<int> &side) {
    side.assign(g.n, 0);
    seen_.assign(g.n, 0);
    queue_.clear();
    double target = 0.5 * g.totalWeight, w1 = 0;
    size_t head = 0;
    while (w1 < target - kEps) {
      if (head == queue_.size()) {
        // Start (or restart, for a disconnected graph) at a random
        // unvisited vertex.
        int start = -1, k = 0;
        for (int v = 0; v < g.n; ++v)
          if (!seen_[v] && rng.uniform(++k) == 0)
            start = v;
        if (start < 0)
          break;
        seen_[start] = 1;
        queue_.push_back(start);
      }
      int v = queue_[head++];
      if (w1 + g.vw[v] > maxSide + kEps)
        continue;
      side[v] = 1;
      w1 += g.vw[v];
      for (int i = g.vptr[v]; i < g.vptr[v + 1]; ++i) {
        int e = g.inc[i];
        for (int j = g.eptr[e]; j < g.eptr[e + 1]; ++j) {
          int u = g.pins[j];
          if (!seen_[u]) {
            seen_[u] = 1;
            queue_.push_back(u);
          }
        }
      }
    }
  }

  void initialPartition(const HGraph &g, double maxSide, Rng &rng,
                        std::vector<int> &best) {
    bool haveBest = false;
    double bestCut = 0, bestOver = 0;
    for (int run = 0; run < kInitialRuns; ++run) {
      int kind = run % 4;
      if (kind == 3) {
        bfsGrow(g, maxSide, rng, trial_);
        refiner_.init(g, trial_, maxSide);
      } else {
        // Greedy hypergraph growing from a random seed vertex.
        trial_.assign(g.n, 0);
        trial_[rng.uniform(g.n)] = 1;
        refiner_.init(g, trial_, maxSide);
        refiner_.grow(rng);
      }
      refiner_.refine(kInitialPasses, rng);
      double c = refiner_.cut(), o = refiner_.overweight();
      bool better = !haveBest || (o > kEps || bestOver > kEps
                                      ? o < bestOver - kEps
                                      : c < bestCut - kEps);
      if (better) {
        haveBest = true;
        bestCut = c;
        bestOver = o;
        best = trial_;
      }
    }
  }

  void multilevel(double maxSide, Rng &rng, std::vector<int> &out) {
    for (int cycle = 0; cycle <= kVCycles; ++cycle)
      vcycle(maxSide, rng, out, cycle > 0);
  }

  /// One multilevel cycle: coarsen, bisect the coarsest graph (or, when
  /// `improve`, keep the partition `out` and only cluster within sides),
  /// then project and refine level by level.
  void vcycle(double maxSide, Rng &rng, std::vector<int> &out, bool improve) {
    // Coarsen.
    int numLevels = 1;
    double maxCluster =
        std::max(levels_[0].maxVertexWeight,
                 kClusterWeightFactor * levels_[0].totalWeight / kCoarseTarget);
    if (improve) {
      if (levelSides_.empty())
        levelSides_.emplace_back();
      levelSides_[0] = out;
    }
    while (levels_[numLevels - 1].n > kCoarseTarget) {
      if (static_cast<int>(levels_.size()) <= numLevels)
        levels_.emplace_back();
      if (static_cast<int>(maps_.size()) < numLevels)
        maps_.emplace_back();
      if (improve && static_cast<int>(levelSides_.size()) <= numLevels)
        levelSides_.emplace_back();
      if (!coarsen(levels_[numLevels - 1], levels_[numLevels],
                   maps_[numLevels - 1], maxCluster, kCoarseTarget, rng,
                   improve ? &levelSides_[numLevels - 1] : nullptr,
                   improve ? &levelSides_[numLevels] : nullptr))
        break;
      ++numLevels;
    }
    // Bisect the coarsest graph.
    const HGraph &coarsest = levels_[numLevels - 1];
    if (improve) {
      out = levelSides_[numLevels - 1];
      refiner_.init(coarsest, out, maxSide);
      refiner_.refine(kInitialPasses, rng);
    } else {
      initialPartition(coarsest, maxSide, rng, out);
    }
    // Project and refine.
    for (int l = numLevels - 2; l >= 0; --l) {
      const HGraph &fine = levels_[l];
      const std::vector<int> &map = maps_[l];
      trial_.resize(fine.n);
      for (int v = 0; v < fine.n; ++v)
        trial_[v] = out[map[v]];
      refiner_.init(fine, trial_, maxSide);
      refiner_.refine(kRefinePasses, rng);
      out.swap(trial_);
    }
  }

  //===--------------------------------------------------------------------===//
  // Label propagation
  //===--------------------------------------------------------------------===//

  /// The vertex farthest (in hops) from `start`, ties broken at random.
  int farthest(const HGraph &g, int start, Rng &rng) {
    dist_.assign(g.n, -1);
    queue_.clear();
    queue_.push_back(start);
    dist_[start] = 0;
    for (size_t head = 0; head < queue_.size(); ++head) {
      int v = queue_[head];
      for (int i = g.vptr[v]; i < g.vptr[v + 1]; ++i) {
        int e = g.inc[i];
        for (int j = g.eptr[e]; j < g.eptr[e + 1]; ++j) {
          int u = g.pins[j];
          if (dist_[u] < 0) {
            dist_[u] = dist_[v] + 1;
            queue_.push_back(u);
          }
        }
      }
    }
    int far = start, k = 0;
    for (int v : queue_) {
      if (dist_[v] > dist_[far]) {
        far = v;
        k = 1;
      } else if (dist_[v] == dist_[far] && rng.uniform(++k) == 0) {
        far = v;
      }
    }
    return far;
  }

  void labelPropagation(const HGraph &g, double maxSide, Rng &rng,
                        std::vector<int> &side) {
    int n = g.n;
    // Seeds: two vertices far apart.
    int a = farthest(g, static_cast<int>(rng.uniform(n)), rng);
    int b = farthest(g, a, rng);
    if (b == a)
      b = (a + 1 + static_cast<int>(rng.uniform(n - 1))) % n;
    side.assign(n, -1);
    side[a] = 0;
    side[b] = 1;
    double w[2] = {g.vw[a], g.vw[b]};
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0);
    for (int round = 0; round < kLabelRounds; ++round) {
      shuffle(order_, rng);
      bool changed = false;
      for (int v : order_) {
        double score[2] = {0, 0};
        for (int i = g.vptr[v]; i < g.vptr[v + 1]; ++i) {
          int e = g.inc[i];
          int size = g.edgeSize(e);
          double s = g.ew[e] / (size - 1);
          for (int j = g.eptr[e]; j < g.eptr[e + 1]; ++j) {
            int u = g.pins[j];
            if (u != v && side[u] >= 0)
              score[side[u]] += s;
          }
        }
        int old = side[v];
        if (score[0] == 0 && score[1] == 0)
          continue;
        // Population pressure: the heavier side must be clearly better.
        double fill0 = w[0] / g.totalWeight, fill1 = w[1] / g.totalWeight;
        score[0] *= 1.0 - 0.5 * fill0;
        score[1] *= 1.0 - 0.5 * fill1;
        int want = score[1] > score[0] ? 1
                   : score[0] > score[1] ? 0
                                         : static_cast<int>(rng.uniform(2));
        if (want == old)
          continue;
        if (w[want] + g.vw[v] > maxSide + kEps)
          continue;
        if (old >= 0)
          w[old] -= g.vw[v];
        w[want] += g.vw[v];
        side[v] = want;
        changed = true;
      }
      if (!changed)
        break;
    }
    // Unreached vertices (other components) go to the lighter side.
    for (int v : order_)
      if (side[v] < 0) {
        int s = w[0] <= w[1] ? 0 : 1;
        side[v] = s;
        w[s] += g.vw[v];
      }
    refiner_.init(g, side, maxSide);
    refiner_.refine(1, rng);
  }

  /// Coarsening stops at this many vertices...
  static constexpr int kCoarseTarget = 30;
  /// ...with clusters of at most this factor times total / kCoarseTarget...
  static constexpr double kClusterWeightFactor = 1.5;
  /// ...or when a level shrinks by less than 5%.
  static constexpr double kMinShrink = 0.95;
  /// Hyperedges with more pins do not take part in the cluster ratings.
  static constexpr int kRatingMaxPins = 32;
  /// Greedy growings (and a BFS growing every fourth) on the coarsest graph.
  static constexpr int kInitialRuns = 8;
  /// FM passes after each initial growing and per level.
  static constexpr int kInitialPasses = 3;
  static constexpr int kRefinePasses = 3;
  /// Extra V-cycles (re-coarsening within the sides) per attempt.
  static constexpr int kVCycles = 1;
  static constexpr int kLabelRounds = 10;

  std::vector<HGraph> levels_;
  std::vector<std::vector<int>> maps_, levelSides_;
  Refiner refiner_;
  std::vector<int> side_, trial_;
  // Scratch.
  std::vector<int> order_, cluster_, touched_, stamp_, queue_, dist_;
  std::vector<char> seen_;
  std::vector<double> clusterW_, rating_;
  std::vector<std::pair<uint64_t, int>> edgeKeys_;
  std::vector<int> tmpPins_, tmpPtr_;
  std::vector<double> tmpW_;
};

//===----------------------------------------------------------------------===//
// Recursive tree building
//===----------------------------------------------------------------------===//

class TreeBuilder {
public:
  TreeBuilder(ContractionTree &tree, const PartitionOptions &options, Rng &rng)
      : tree_(tree), hg_(tree.hypergraph()), options_(options), rng_(rng) {
    edgeStamp_.assign(hg_.numEdges(), -1);
    edgeCount_.assign(hg_.numEdges(), 0);
    edgeLocal_.assign(hg_.numEdges(), -1);
    edgeWeight_.resize(hg_.numEdges());
    for (int e = 0; e < hg_.numEdges(); ++e) {
      double w = 1.0;
      if (options.weightByLog2Extent) {
        w = hg_.edgeLog2Size(e);
        if (options.randomStrength > 0) {
          double u = rng.uniformReal();
          w += std::log2(1 + options.randomStrength * -std::log1p(-u));
        }
      }
      edgeWeight_[e] = std::max(w, kMinEdgeWeight);
    }
  }

  int run(const std::vector<int> &nodes) {
    if (nodes.empty())
      return -1;
    totalNodes_ = static_cast<int>(nodes.size());
    tasks_.push_back({Task::Split, 0, nodes});
    while (!tasks_.empty()) {
      Task task = std::move(tasks_.back());
      tasks_.pop_back();
      if (task.kind == Task::Split)
        split(task.group);
      else if (task.kind == Task::Join)
        join(task.count);
      else
        joinBySubOptimizer(task.count);
    }
    assert(results_.size() == 1);
    return results_.back();
  }

private:
  struct Task {
    enum Kind { Split, Join, JoinBySubOptimizer } kind;
    int count;
    std::vector<int> group;
  };

  /// Contracts the last `count` results: two by one step, more (disconnected
  /// components) smallest first.
  void join(int count) {
    int base = static_cast<int>(results_.size()) - count;
    while (count > 1) {
      // The two smallest roots.
      int i0 = -1, i1 = -1;
      for (int i = base; i < base + count; ++i) {
        double s = tree_.log2Size(results_[i]);
        if (i0 < 0 || s < tree_.log2Size(results_[i0])) {
          i1 = i0;
          i0 = i;
        } else if (i1 < 0 || s < tree_.log2Size(results_[i1])) {
          i1 = i;
        }
      }
      int c = tree_.contract(results_[i0], results_[i1]);
      int lo = std::min(i0, i1), hi = std::max(i0, i1);
      results_[lo] = c;
      results_.erase(results_.begin() + hi);
      --count;
    }
  }

  /// Contracts the last `count` results with the sub-optimizer.
  void joinBySubOptimizer(int count) {
    std::vector<int> roots(results_.end() - count, results_.end());
    results_.resize(results_.size() - count);
    results_.push_back(options_.subOptimizer(tree_, roots));
  }

  double groupImbalance(int n) const {
    double imbalance = options_.imbalance;
    if (options_.imbalanceDecay != 0) {
      double s = static_cast<double>(n) / totalNodes_;
      imbalance = options_.imbalanceDecay > 0
                      ? std::pow(s, options_.imbalanceDecay) * imbalance
                      : 1 - std::pow(s, -options_.imbalanceDecay) *
                                (1 - imbalance);
    }
    return imbalance;
  }

  /// Splits a connected group in two (both non-empty, n >= 3) after
  /// buildGraph(group) returned 1.
  void bisectGroup(const std::vector<int> &group, std::vector<int> &a,
                   std::vector<int> &b) {
    int n = static_cast<int>(group.size());
    bisector_.run(options_, groupImbalance(n), rng_, sides_);
    a.clear();
    b.clear();
    for (int i = 0; i < n; ++i)
      (sides_[i] ? b : a).push_back(group[i]);
  }

  /// Splits `group` into up to k parts by repeated bisection of the largest
  /// part (a disconnected part: its first component off the rest).
  void splitParts(std::vector<int> &group, int k) {
    std::vector<std::vector<int>> pieces;
    pieces.push_back(std::move(group));
    std::vector<int> a, b;
    while (static_cast<int>(pieces.size()) < k) {
      size_t largest = 0;
      for (size_t i = 1; i < pieces.size(); ++i)
        if (pieces[i].size() > pieces[largest].size())
          largest = i;
      std::vector<int> &piece = pieces[largest];
      int n = static_cast<int>(piece.size());
      if (n < 2)
        break;
      a.clear();
      b.clear();
      if (n == 2) {
        a.push_back(piece[0]);
        b.push_back(piece[1]);
      } else if (buildGraph(piece) > 1) {
        for (int i = 0; i < n; ++i)
          (compId_[i] == 0 ? a : b).push_back(piece[i]);
      } else {
        bisectGroup(piece, a, b);
      }
      if (a.empty() || b.empty())
        break;
      piece.swap(a);
      pieces.push_back(b);
    }
    tasks_.push_back({Task::JoinBySubOptimizer,
                      static_cast<int>(pieces.size()), {}});
    for (size_t i = pieces.size(); i-- > 0;)
      tasks_.push_back({Task::Split, 0, std::move(pieces[i])});
  }

  void split(std::vector<int> &group) {
    int n = static_cast<int>(group.size());
    if (n == 1) {
      results_.push_back(group[0]);
      return;
    }
    if (n == 2) {
      results_.push_back(tree_.contract(group[0], group[1]));
      return;
    }
    if (n <= options_.cutoff) {
      results_.push_back(options_.subOptimizer(tree_, group));
      return;
    }
    int numComponents = buildGraph(group);
    if (numComponents > 1) {
      // Each component separately, then outer products.
      std::vector<std::vector<int>> comps(numComponents);
      for (int i = 0; i < n; ++i)
        comps[compId_[i]].push_back(group[i]);
      tasks_.push_back({Task::Join, numComponents, {}});
      for (int c = numComponents - 1; c >= 0; --c)
        tasks_.push_back({Task::Split, 0, std::move(comps[c])});
      return;
    }
    if (options_.parts > 2) {
      double s = static_cast<double>(n) / totalNodes_;
      int k = static_cast<int>(std::pow(s, options_.partsDecay) *
                               options_.parts);
      if (k > 2) {
        splitParts(group, std::min(k, n));
        return;
      }
    }
    std::vector<int> a, b;
    a.reserve(n);
    b.reserve(n);
    bisectGroup(group, a, b);
    if (a.empty() || b.empty()) {
      results_.push_back(options_.subOptimizer(tree_, group));
      return;
    }
    tasks_.push_back({Task::Join, 2, {}});
    tasks_.push_back({Task::Split, 0, std::move(b)});
    tasks_.push_back({Task::Split, 0, std::move(a)});
  }

  int findRoot(int v) {
    while (uf_[v] != v) {
      uf_[v] = uf_[uf_[v]];
      v = uf_[v];
    }
    return v;
  }

  /// Fills the bisector's input with the group's hypergraph; returns the
  /// number of connected components (compId_ numbers them when > 1).
  int buildGraph(const std::vector<int> &group) {
    int n = static_cast<int>(group.size());
    ++stamp_;
    edges_.clear();
    for (int i = 0; i < n; ++i)
      for (const Leg &leg : tree_.legs(group[i])) {
        int e = leg.edge;
        if (edgeStamp_[e] != stamp_) {
          edgeStamp_[e] = stamp_;
          edgeCount_[e] = 0;
          edgeLocal_[e] = -1; // first holder, for union-find
          edges_.push_back(e);
        }
        ++edgeCount_[e];
      }
    // Connectivity through every shared index.
    uf_.resize(n);
    std::iota(uf_.begin(), uf_.end(), 0);
    for (int i = 0; i < n; ++i)
      for (const Leg &leg : tree_.legs(group[i])) {
        int e = leg.edge;
        if (edgeCount_[e] < 2)
          continue;
        if (edgeLocal_[e] < 0) {
          edgeLocal_[e] = i;
        } else {
          int r1 = findRoot(edgeLocal_[e]), r2 = findRoot(i);
          if (r1 != r2)
            uf_[std::max(r1, r2)] = std::min(r1, r2);
        }
      }
    compId_.assign(n, -1);
    int numComponents = 0;
    for (int i = 0; i < n; ++i) {
      int r = findRoot(i);
      if (compId_[r] < 0)
        compId_[r] = numComponents++;
      compId_[i] = compId_[r];
    }
    if (numComponents > 1)
      return numComponents;

    // The partitioning hypergraph: indices shared by 2..maxEdgePins nodes.
    HGraph &g = bisector_.input(n);
    int numLocal = 0;
    for (int e : edges_) {
      int c = edgeCount_[e];
      if (c < 2 || c > options_.maxEdgePins) {
        edgeLocal_[e] = -1;
        continue;
      }
      edgeLocal_[e] = numLocal++;
      g.eptr.push_back(g.eptr.back() + c);
      g.ew.push_back(edgeWeight_[e]);
    }
    g.pins.resize(g.eptr.back());
    fill_.assign(g.eptr.begin(), g.eptr.end() - 1);
    for (int i = 0; i < n; ++i) {
      for (const Leg &leg : tree_.legs(group[i])) {
        int l = edgeLocal_[leg.edge];
        if (edgeStamp_[leg.edge] == stamp_ && l >= 0)
          g.pins[fill_[l]++] = i;
      }
      g.vw.push_back(1.0);
    }
    return 1;
  }

  static constexpr double kMinEdgeWeight = 1e-3;

  ContractionTree &tree_;
  const Hypergraph &hg_;
  const PartitionOptions &options_;
  Rng &rng_;
  Bisector bisector_;
  std::vector<Task> tasks_;
  std::vector<int> results_;
  std::vector<int> sides_;
  // Group hypergraph scratch, indexed by network index.
  int stamp_ = -1;
  std::vector<int> edgeStamp_, edgeCount_, edgeLocal_;
  std::vector<int> edges_, uf_, compId_, fill_;
  std::vector<double> edgeWeight_;
  int totalNodes_ = 1;
};

} // namespace

std::vector<int> bisect(int numVertices,
                        const std::vector<std::vector<int>> &pins,
                        const std::vector<double> &edgeWeight,
                        const std::vector<double> &vertexWeight,
                        const PartitionOptions &options, Rng &rng) {
  if (numVertices <= 0)
    return {};
  Bisector bisector;
  HGraph &g = bisector.input(numVertices);
  // Pins deduplicated (and out-of-range ones dropped); edges of 0-1 or too
  // many pins left out.
  std::vector<int> stamp(numVertices, -1);
  for (size_t e = 0; e < pins.size(); ++e) {
    size_t start = g.pins.size();
    for (int v : pins[e])
      if (v >= 0 && v < numVertices && stamp[v] != static_cast<int>(e)) {
        stamp[v] = static_cast<int>(e);
        g.pins.push_back(v);
      }
    size_t size = g.pins.size() - start;
    double w = e < edgeWeight.size() ? edgeWeight[e] : 1.0;
    if (size < 2 || static_cast<int>(size) > options.maxEdgePins || !(w > 0)) {
      g.pins.resize(start);
      continue;
    }
    g.eptr.push_back(static_cast<int>(g.pins.size()));
    g.ew.push_back(w);
  }
  g.vw.resize(numVertices);
  for (int v = 0; v < numVertices; ++v) {
    double w = static_cast<size_t>(v) < vertexWeight.size() ? vertexWeight[v]
                                                            : 1.0;
    g.vw[v] = w > 0 ? w : 0.0;
  }
  std::vector<int> side;
  bisector.run(options, options.imbalance, rng, side);
  return side;
}

int partitionContract(ContractionTree &tree, const std::vector<int> &nodes,
                      const PartitionOptions &options, Rng &rng) {
  TreeBuilder builder(tree, options, rng);
  return builder.run(nodes);
}

} // namespace tnc
