//===- Greedy.cpp - Greedy contraction-order search -----------------------===//
//
// A priority queue of candidate pairs (live nodes sharing an index) keyed by
// the greedy score; stale entries (a consumed node) are skipped when popped.
// Two queue disciplines:
//  * full: contracts the best pair among all pairs of live nodes sharing an
//    index. The queue holds each node's best pair only, and a node whose
//    best partner is consumed is scored again when that entry surfaces
//    (lazy re-evaluation). Without hyperedges these are the pops of a
//    queue of every pair; with them, pair scores change as other holders
//    of an index are contracted, and re-evaluation sees more of that;
//  * opt_einsum's: only the best partner of each node is queued (per shared
//    non-output index at the start, then once per new node), stale entries
//    are dropped, and the nodes left over are joined at the end by
//    opt_einsum's outer-product rule (smallest output part first, then
//    oldest). This reproduces opt_einsum's greedy up to ties.
//
//===----------------------------------------------------------------------===//

#include "tn/Path/Greedy.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <queue>
#include <functional>

namespace tnc {

namespace {
struct Candidate {
  double score;
  int a, b; // tree node ids, a < b
};
/// Heap order (std::greater-style: true when x comes after y). 16-byte
/// entries keep the queue compact; the tie rule is fixed per search.
struct After {
  bool newerFirst; // opt_einsum breaks ties on the newer node first
  bool operator()(const Candidate &x, const Candidate &y) const {
    if (x.score != y.score)
      return x.score > y.score;
    if (newerFirst) {
      if (x.b != y.b)
        return x.b > y.b;
      return x.a > y.a;
    }
    if (x.a != y.a)
      return x.a > y.a;
    return x.b > y.b;
  }
};

/// The live holders of one edge.
struct LegHolders {
  int *data;
  int size;
  int *begin() const { return data; }
  int *end() const { return data + size; }
};

/// Sizes beyond 2^1000 would overflow; no sane search gets there, but a
/// random one may propose it.
double linear(double log2Size) {
  log2Size = std::min(log2Size, 1000.0);
  // Integral exponents (every network of power-of-two extents) are built
  // from the bits: exp2 was a noticeable part of a greedy search.
  if (log2Size >= -1000.0 && log2Size == static_cast<double>(static_cast<int>(log2Size))) {
    uint64_t bits = static_cast<uint64_t>(1023 + static_cast<int>(log2Size)) << 52;
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  return std::exp2(log2Size);
}

/// Sizes are products of integer extents, but the search carries them as
/// log2 sums, and exp2 of those is off in the last bits (exp2(log2 120) is
/// 119.99999999999997). Rounding back to the integer keeps equal scores
/// equal, so ties are broken by the node-id rule as opt_einsum breaks them,
/// not by rounding noise. Exact below 2^50 (the log sum's error is far below
/// a half there); above it ties are immaterial.
double integral(double size) {
  constexpr double kShift = 4503599627370496.0; // 2^52
  if (size >= 0x1p50)
    return size;
  double shifted = size + kShift; // rounds to an integer (no -ffast-math)
  return shifted - kShift;
}

/// Standard Gumbel noise, -log(-log u), from a table of its quantiles at
/// 2^16 evenly spaced probabilities: randomized trials score every candidate
/// pair, and two logs per score were a quarter of their time. The tails are
/// cut at the 1/2^17 quantiles (-2.44 and 11.8), harmless for a heuristic.
double gumbel(Rng &rng) {
  static const std::vector<double> table = [] {
    std::vector<double> t(1 << 16);
    for (size_t i = 0; i < t.size(); ++i) {
      double u = (static_cast<double>(i) + 0.5) / static_cast<double>(t.size());
      t[i] = -std::log(-std::log(u));
    }
    return t;
  }();
  return table[rng.next() >> 48];
}

/// Greedy score of contracting nodes of sizes sa, sb (elements) into one of
/// log2 size log2AB.
double greedyScore(double sizeA, double sizeB, double log2AB, bool exact,
                   const GreedyOptions &options, Rng *rng) {
  double sizeAB = exact ? integral(linear(log2AB)) : linear(log2AB);
  double s = sizeAB - options.costmod * (sizeA + sizeB);
  if (options.temperature <= 0 || !rng)
    return s;
  // Sign-preserving log, then Gumbel noise: randomized restarts explore
  // near-greedy choices across all scales.
  double t = s > 0 ? std::log(1.0 + s) : -std::log(1.0 - s);
  return t - options.temperature * gumbel(*rng);
}
/// One step of the FNV-1a-style hash of a tensor's index ids that orders
/// opt_einsum's duplicate classes (start from kIndexHashSeed).
constexpr uint64_t kIndexHashSeed = 1469598103934665603ull;
inline uint64_t indexHashStep(uint64_t h, int edge) {
  return (h ^ static_cast<uint64_t>(edge)) * 1099511628211ull;
}

/// opt_einsum's first phase: tensors with identical indices are contracted
/// first, class by class in the order of (hash, id) of `byHash[0, count)`,
/// each into the running product of its class. `same(x, y)` compares two
/// tensors' indices; `merge(running, n)` contracts them and returns the new
/// node. Shared by the general and the bit-set greedy, which must take the
/// same steps in the same order.
template <typename Same, typename Merge>
void mergeDuplicates(std::pair<uint64_t, int> *byHash, size_t count,
                     Same &&same, Merge &&merge) {
  std::sort(byHash, byHash + count);
  for (size_t i = 0; i < count;) {
    size_t j = i;
    while (j < count && byHash[j].first == byHash[i].first)
      ++j;
    // Within a hash class, group by equal index sets (in id order).
    for (size_t a = i; a < j; ++a) {
      int running = byHash[a].second;
      if (running < 0)
        continue;
      for (size_t b = a + 1; b < j; ++b) {
        int n = byHash[b].second;
        if (n < 0 || !same(byHash[a].second, n))
          continue;
        running = merge(running, n);
        byHash[b].second = -1;
      }
    }
    i = j;
  }
}

/// Per-node scratch: scored sizes (log2 and elements) and neighbour marks.
struct NodeInfo {
  double log2 = 0, size = 0;
  int mark = -1;
};

/// The search's working arrays, kept per thread between calls: a greedy
/// pass over a small network takes a few microseconds, and a dozen fresh
/// allocations were a third of that. Randomized searches call it thousands
/// of times per thread.
struct Scratch {
  std::vector<char> alive;
  std::vector<NodeInfo> info;
  std::vector<std::pair<uint64_t, int>> byHash;
  std::vector<int> slot, holderCount, holderPool, touched, countIn, nb, keys,
      left;
  std::vector<double> jitter;
  std::vector<Candidate> heap;
};
} // namespace

int greedyContract(ContractionTree &tree, const std::vector<int> &nodes,
                   const GreedyOptions &options, Rng *rng) {
  if (nodes.empty())
    return -1;
  if (nodes.size() == 1)
    return nodes[0];
  const Hypergraph &hg = tree.hypergraph();
  const bool lazy = options.lazy;
  // Node ids grow by one per contraction: size the per-node arrays once.
  size_t maxNodes = tree.numNodes() + nodes.size();
  static thread_local Scratch scratch;
  std::vector<char> &alive = scratch.alive;
  alive.assign(maxNodes, 0);
  std::vector<NodeInfo> &info = scratch.info;
  info.assign(maxNodes, NodeInfo{});
  for (int n : nodes)
    alive[n] = 1;
  int remaining = static_cast<int>(nodes.size());

  // opt_einsum contracts tensors with identical indices first (in id
  // order, each into the running product of its class).
  if (lazy) {
    auto sameEdges = [&](int a, int b) {
      LegRange la = tree.legs(a), lb = tree.legs(b);
      if (la.size() != lb.size())
        return false;
      for (size_t i = 0; i < la.size(); ++i)
        if (la[i].edge != lb[i].edge)
          return false;
      return true;
    };
    std::vector<std::pair<uint64_t, int>> &byHash = scratch.byHash;
    byHash.clear();
    for (int n : nodes) {
      uint64_t h = kIndexHashSeed;
      for (const Leg &leg : tree.legs(n))
        h = indexHashStep(h, leg.edge);
      byHash.push_back({h, n});
    }
    mergeDuplicates(byHash.data(), byHash.size(), sameEdges,
                    [&](int running, int n) {
                      int m = tree.contract(running, n);
                      alive[running] = alive[n] = 0;
                      alive[m] = 1;
                      --remaining;
                      return m;
                    });
  }

  // Live holders (among the group) of each open index: one flat array with
  // a slot of edgeDegree entries per edge (a contraction always removes a
  // holder of an edge before it adds the new node).
  std::vector<int> &slot = scratch.slot, &holderCount = scratch.holderCount;
  slot.assign(hg.numEdges() + 1, 0);
  holderCount.assign(hg.numEdges(), 0);
  for (int e = 0; e < hg.numEdges(); ++e)
    slot[e + 1] = slot[e] + hg.edgeDegree(e);
  std::vector<int> &holderPool = scratch.holderPool;
  holderPool.resize(slot.back());
  auto holdersOf = [&](int e) {
    return LegHolders{holderPool.data() + slot[e], holderCount[e]};
  };
  auto addHolder = [&](int e, int n) {
    holderPool[slot[e] + holderCount[e]++] = n;
  };
  auto removeHolder = [&](int e, int n) {
    int *h = holderPool.data() + slot[e];
    int k = holderCount[e];
    for (int i = 0; i < k; ++i)
      if (h[i] == n) {
        std::copy(h + i + 1, h + k, h + i); // keep insertion order
        --holderCount[e];
        return;
      }
  };
  std::vector<int> &touched = scratch.touched;
  touched.clear();
  for (size_t n = 0; n < maxNodes; ++n) {
    if (!alive[n])
      continue;
    for (const Leg &leg : tree.legs(static_cast<int>(n))) {
      if (holderCount[leg.edge] == 0)
        touched.push_back(leg.edge);
      addHolder(leg.edge, static_cast<int>(n));
    }
  }

  // Jittered sizes for the scores (exact when randomStrength is 0).
  std::vector<double> &jitter = scratch.jitter;
  jitter.clear();
  if (options.randomStrength > 0 && rng) {
    jitter.assign(hg.numEdges(), 0.0);
    std::sort(touched.begin(), touched.end()); // deterministic draw order
    for (int e : touched) {
      double u = std::max(rng->uniformReal(), 1e-300);
      jitter[e] = std::log2(1.0 + options.randomStrength * -std::log(u));
    }
  }
  auto scoredSize = [&](LegRange legs, double size) {
    if (jitter.empty())
      return size;
    for (const Leg &leg : legs)
      size += jitter[leg.edge];
    return size;
  };
  // Scored sizes of the live nodes, log2 and in elements.
  auto setSize = [&](int n) {
    info[n].log2 = scoredSize(tree.legs(n), tree.log2Size(n));
    // opt_einsum's footprint of an input counts the indices it sums alone.
    double footprint = info[n].log2 + (lazy ? tree.log2Closed(n) : 0.0);
    info[n].size = jitter.empty() ? integral(linear(footprint))
                                  : linear(footprint);
  };
  for (size_t n = 0; n < maxNodes; ++n)
    if (alive[n])
      setSize(static_cast<int>(n));
  // The legs of the node whose candidates are being scored, by edge: its
  // count there, or 0. Scoring a partner then costs O(partner's legs), not
  // O(both): a large intermediate with hundreds of legs is scored against
  // each of its many small neighbours cheaply.
  std::vector<int> &countIn = scratch.countIn;
  countIn.assign(hg.numEdges(), 0);
  auto edgeSize = [&](int e) {
    return hg.edgeLog2Size(e) + (jitter.empty() ? 0.0 : jitter[e]);
  };
  auto sizeWith = [&](int m) {
    double size = 0;
    for (const Leg &leg : tree.legs(m)) {
      int inN = countIn[leg.edge];
      if (inN == 0)
        size += edgeSize(leg.edge);
      else if (inN + leg.count >= hg.closeCount(leg.edge))
        size -= edgeSize(leg.edge); // closes: leaves n's size too
    }
    return size;
  };

  // A binary heap (std::push_heap/pop_heap) rather than a priority_queue, so
  // that stale entries can be pruned when they pile up: a growing
  // intermediate queues a candidate with each of its many neighbours at every
  // step, and all of them go stale at the next (cotengra prunes likewise).
  // A 4-ary heap: popping is most of the queue's work, and four children
  // per level halve its depth. Pops follow the total order `after`, so the
  // result is that of any other priority queue.
  struct Heap {
    After after;
    std::vector<Candidate> &v;
    void push(const Candidate &c) {
      size_t i = v.size();
      v.push_back(c);
      while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!after(v[parent], c))
          break;
        v[i] = v[parent];
        i = parent;
      }
      v[i] = c;
    }
    const Candidate &top() const { return v.front(); }
    void pop() {
      Candidate last = v.back();
      v.pop_back();
      size_t n = v.size();
      if (n == 0)
        return;
      size_t i = 0;
      while (true) {
        size_t first = 4 * i + 1;
        if (first >= n)
          break;
        size_t best = first, end = std::min(first + 4, n);
        for (size_t k = first + 1; k < end; ++k)
          if (after(v[best], v[k]))
            best = k;
        if (!after(last, v[best]))
          break;
        v[i] = v[best];
        i = best;
      }
      v[i] = last;
    }
    void rebuild() {
      std::vector<Candidate> old;
      old.swap(v);
      v.reserve(old.size());
      for (const Candidate &c : old)
        push(c);
    }
    bool empty() const { return v.empty(); }
    size_t size() const { return v.size(); }
  } heap{After{lazy}, scratch.heap};
  heap.v.clear();
  // A candidate of n (whose legs are marked in countIn) with m.
  auto candidate = [&](int n, int m) -> Candidate {
    double size = info[n].log2 + sizeWith(m);
    int a = std::min(n, m), b = std::max(n, m);
    return {greedyScore(info[a].size, info[b].size, size, jitter.empty(),
                        options, rng),
            a, b};
  };
  // Queues candidates of n with partners in `partners` above `after`: all of
  // them, or (lazy) only the best.
  auto pushFrom = [&](int n, const std::vector<int> &partners, int after) {
    for (const Leg &leg : tree.legs(n))
      countIn[leg.edge] = leg.count;
    bool have = false;
    Candidate best{};
    for (int m : partners) {
      if (m <= after || m == n || !alive[m])
        continue;
      Candidate c = candidate(n, m);
      if (!have || heap.after(best, c)) {
        best = c;
        have = true;
      }
    }
    if (have)
      heap.push(best);
    for (const Leg &leg : tree.legs(n))
      countIn[leg.edge] = 0;
  };
  // Neighbours of n, each once (marks stamped with n), in a deterministic
  // order (legs, then holders). The lazy discipline links tensors through
  // non-output indices only.
  std::vector<int> &nb = scratch.nb;
  auto neighbours = [&](int n) {
    nb.clear();
    for (const Leg &leg : tree.legs(n)) {
      if (lazy && hg.isOutput(leg.edge))
        continue;
      for (int m : holdersOf(leg.edge))
        if (m != n && info[m].mark != n) {
          info[m].mark = n;
          nb.push_back(m);
        }
    }
  };

  if (lazy) {
    // Per shared non-output index, each holder's best later holder.
    std::vector<int> &keys = scratch.keys;
    for (int e : touched) {
      if (hg.isOutput(e))
        continue;
      LegHolders h = holdersOf(e);
      keys.assign(h.begin(), h.end());
      std::sort(keys.begin(), keys.end());
      for (size_t i = 0; i + 1 < keys.size(); ++i)
        pushFrom(keys[i], keys, keys[i]);
    }
  } else {
    for (size_t n = 0; n < maxNodes; ++n)
      if (alive[n]) {
        neighbours(static_cast<int>(n));
        pushFrom(static_cast<int>(n), nb, static_cast<int>(n));
      }
  }

  size_t pruneAt = std::max<size_t>(1 << 14, 16 * nodes.size());
  while (!heap.empty() && remaining > 1) {
    if (heap.size() > pruneAt) {
      auto stale = [&](const Candidate &c) { return !alive[c.a] || !alive[c.b]; };
      heap.v.erase(std::remove_if(heap.v.begin(), heap.v.end(), stale),
                   heap.v.end());
      heap.rebuild();
      pruneAt = std::max(pruneAt, 2 * heap.size());
      if (heap.empty())
        break;
    }
    Candidate c = heap.top();
    heap.pop();
    if (!alive[c.a] || !alive[c.b]) {
      // The full discipline keeps one entry per node, its best pair. When
      // that pair goes stale, the node's pairs are scored again; a pair
      // with a newer node was queued by that node. So the best valid pair
      // is always in the queue: the pops are those of a queue holding every
      // pair, with a fraction of the queue operations.
      if (!lazy)
        for (int live : {c.a, c.b})
          if (alive[live]) {
            neighbours(live);
            pushFrom(live, nb, -1);
          }
      continue;
    }
    alive[c.a] = alive[c.b] = 0;
    for (int old : {c.a, c.b})
      for (const Leg &leg : tree.legs(old))
        removeHolder(leg.edge, old);
    int n = tree.contract(c.a, c.b);
    alive[n] = 1;
    setSize(n);
    --remaining;
    for (const Leg &leg : tree.legs(n))
      addHolder(leg.edge, n);
    neighbours(n);
    pushFrom(n, nb, -1);
  }

  std::vector<int> &left = scratch.left;
  left.clear();
  for (size_t n = 0; n < maxNodes; ++n)
    if (alive[n])
      left.push_back(static_cast<int>(n));
  if (lazy) {
    // opt_einsum's rule for what is left: by the size of the output part,
    // then oldest first.
    auto outputPart = [&](int n) {
      double s = 0;
      for (const Leg &leg : tree.legs(n))
        if (hg.isOutput(leg.edge))
          s += hg.edgeLog2Size(leg.edge);
      return s;
    };
    using Entry = std::pair<double, int>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> rest;
    for (int n : left)
      rest.push({outputPart(n), n});
    int first = rest.top().second;
    rest.pop();
    while (!rest.empty()) {
      int second = rest.top().second;
      rest.pop();
      int n = tree.contract(std::min(first, second), std::max(first, second));
      rest.push({outputPart(n), n});
      first = rest.top().second;
      rest.pop();
    }
    return first;
  }
  // What is left shares no index: outer products, smallest first.
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

//===----------------------------------------------------------------------===//
// The greedy of small networks, on bit sets
//===----------------------------------------------------------------------===//
//
// greedyContract(tree, all leaves, {costmod 1, lazy}) step for step: the same
// candidates, scored by the same floating-point operations in the same order
// (log2 sums in increasing index order, as mergeLegs and sizeWith add them),
// queued under the same total order, so the same pops and node ids; then the
// same post-order and statistics as ContractionTree. A node is its bit set of
// open indices (legs) and of leaves; an index closes under a node when it is
// not an output and all its holders are leaves of the node. W 64-bit words
// per set: up to 64 W tensors and 64 W indices.

namespace tnc {
namespace {

template <int W> struct Bits {
  uint64_t w[W];
  static Bits none() {
    Bits b;
    for (int i = 0; i < W; ++i)
      b.w[i] = 0;
    return b;
  }
  static Bits one(int i) {
    Bits b = none();
    b.set(i);
    return b;
  }
  void set(int i) { w[i >> 6] |= uint64_t(1) << (i & 63); }
  void reset(int i) { w[i >> 6] &= ~(uint64_t(1) << (i & 63)); }
  bool test(int i) const { return (w[i >> 6] >> (i & 63)) & 1; }
  bool any() const {
    uint64_t x = 0;
    for (int i = 0; i < W; ++i)
      x |= w[i];
    return x != 0;
  }
  Bits operator|(const Bits &o) const {
    Bits b;
    for (int i = 0; i < W; ++i)
      b.w[i] = w[i] | o.w[i];
    return b;
  }
  Bits operator&(const Bits &o) const {
    Bits b;
    for (int i = 0; i < W; ++i)
      b.w[i] = w[i] & o.w[i];
    return b;
  }
  Bits operator~() const {
    Bits b;
    for (int i = 0; i < W; ++i)
      b.w[i] = ~w[i];
    return b;
  }
  Bits &operator|=(const Bits &o) { return *this = *this | o; }
  bool operator==(const Bits &o) const {
    for (int i = 0; i < W; ++i)
      if (w[i] != o.w[i])
        return false;
    return true;
  }
  bool operator!=(const Bits &o) const { return !(*this == o); }
  /// Calls fn on each set bit, in increasing order.
  template <typename Fn> void forEach(Fn &&fn) const {
    for (int i = 0; i < W; ++i)
      for (uint64_t x = w[i]; x; x &= x - 1)
        fn(64 * i + __builtin_ctzll(x));
  }
};

/// Every field is set where a node is made: no initializers, so that the
/// array of them costs nothing to set up (it was a quarter of the time on a
/// 4-tensor network).
template <int W> struct SmallNode {
  Bits<W> legs, leaves;
  int left, right, leafCount;
  double log2Size, log2Cost, log2Closed;
  double size; // the greedy score's size (a leaf's footprint)
  bool sums, closesAlone;
};

template <int W>
void greedySmall(const Network &net, Path &ssa, TreeStats &stats) {
  constexpr int kMax = 64 * W, kMaxNodes = 2 * kMax;
  using Set = Bits<W>;
  const int numLeaves = net.numTensors(), numEdges = net.numIndices();
  double l2[kMax];
  Set holders[kMax], everyEdge[kMax], output = Set::none();
  bool traced[kMax];
  for (int e = 0; e < numEdges; ++e) {
    // log2 is exact for powers of two: their bit position, without a call.
    uint64_t x = static_cast<uint64_t>(net.extent(e));
    l2[e] = (x & (x - 1)) == 0 ? static_cast<double>(__builtin_ctzll(x))
                               : std::log2(static_cast<double>(x));
    holders[e] = Set::none();
  }
  for (int e : net.output())
    output.set(e);
  for (int t = 0; t < numLeaves; ++t) {
    Set m = Set::none();
    traced[t] = false;
    for (int e : net.tensorIndices(t)) {
      traced[t] |= m.test(e);
      m.set(e);
    }
    everyEdge[t] = m;
    m.forEach([&](int e) { holders[e].set(t); });
  }
  auto sumOf = [&](const Set &edges) {
    double s = 0;
    edges.forEach([&](int e) { s += l2[e]; });
    return s;
  };
  // Indices among `edges` that close under the leaves `leaves`.
  auto closing = [&](const Set &edges, const Set &leaves) {
    Set closed = Set::none();
    Set outside = ~leaves;
    (edges & ~output).forEach([&](int e) {
      if (!(holders[e] & outside).any())
        closed.set(e);
    });
    return closed;
  };

  SmallNode<W> nodes[kMaxNodes];
  int numNodes = numLeaves;
  bool alive[kMaxNodes];
  for (int t = 0; t < numLeaves; ++t) {
    SmallNode<W> &n = nodes[t];
    Set alone = closing(everyEdge[t], Set::one(t));
    n.legs = everyEdge[t] & ~alone;
    n.leaves = Set::one(t);
    n.left = n.right = -1;
    n.leafCount = 1;
    n.log2Cost = 0;
    n.sums = false;
    n.log2Size = sumOf(n.legs);
    n.log2Closed = sumOf(alone);
    n.closesAlone = alone.any();
    n.size = integral(linear(n.log2Size + n.log2Closed));
    alive[t] = true;
  }
  int remaining = numLeaves;
  int mark[kMaxNodes]; // neighbour marks, stamped with the new node
  std::fill(mark, mark + numLeaves, -1);
  // ContractionTree::contract, then the score size of the new node.
  auto contract = [&](int a, int b) {
    SmallNode<W> n;
    n.log2Closed = 0;
    n.closesAlone = false;
    n.left = a;
    n.right = b;
    n.leafCount = nodes[a].leafCount + nodes[b].leafCount;
    n.leaves = nodes[a].leaves | nodes[b].leaves;
    Set joined = nodes[a].legs | nodes[b].legs;
    n.legs = joined & ~closing(joined, n.leaves);
    n.log2Cost = sumOf(joined);
    n.log2Size = sumOf(n.legs);
    n.sums = n.legs != joined;
    for (int c : {a, b})
      if (c < numLeaves && nodes[c].closesAlone) {
        n.log2Cost += nodes[c].log2Closed;
        n.sums = true;
      }
    n.size = integral(linear(n.log2Size));
    alive[a] = alive[b] = false;
    int id = numNodes++;
    nodes[id] = n;
    alive[id] = true;
    mark[id] = -1;
    --remaining;
    return id;
  };

  // Tensors with identical indices first: in the order of their indices'
  // hash, then of their ids, each class into its running product.
  std::pair<uint64_t, int> byHash[kMax];
  for (int t = 0; t < numLeaves; ++t) {
    uint64_t h = kIndexHashSeed;
    nodes[t].legs.forEach([&](int e) { h = indexHashStep(h, e); });
    byHash[t] = {h, t};
  }
  mergeDuplicates(
      byHash, static_cast<size_t>(numLeaves),
      [&](int x, int y) { return nodes[x].legs == nodes[y].legs; }, contract);

  // Live holders of each index as a bit set of node ids, read in id order
  // (greedyContract's holder lists keep insertion order, which is id order).
  Bits<2 * W> live[kMax];
  for (int e = 0; e < numEdges; ++e)
    live[e] = Bits<2 * W>::none();
  auto setLive = [&](int n, bool on) {
    nodes[n].legs.forEach([&](int e) {
      if (on)
        live[e].set(n);
      else
        live[e].reset(n);
    });
  };
  for (int n = 0; n < numNodes; ++n)
    if (alive[n])
      setLive(n, true);
  auto liveHolders = [&](int e, int *out) {
    int k = 0;
    live[e].forEach([&](int n) { out[k++] = n; });
    return k;
  };
  static thread_local std::vector<Candidate> heap;
  heap.clear();
  heap.reserve(4 * kMax);
  const After after{/*newerFirst=*/true};
  auto push = [&](const Candidate &c) {
    heap.push_back(c);
    std::push_heap(heap.begin(), heap.end(), after);
  };
  // Queues the best candidate of n among `partners` above `above`.
  auto pushFrom = [&](int n, const int *partners, int count, int above) {
    bool have = false;
    Candidate best{};
    const SmallNode<W> &sn = nodes[n];
    for (int k = 0; k < count; ++k) {
      int m = partners[k];
      if (m <= above || m == n || !alive[m])
        continue;
      const SmallNode<W> &sm = nodes[m];
      Set outside = ~(sn.leaves | sm.leaves);
      double with = 0;
      sm.legs.forEach([&](int e) {
        if (!sn.legs.test(e))
          with += l2[e];
        else if (!output.test(e) && !(holders[e] & outside).any())
          with -= l2[e];
      });
      double log2AB = sn.log2Size + with;
      int a = std::min(n, m), b = std::max(n, m);
      Candidate c{integral(linear(log2AB)) - 1.0 * (nodes[a].size + nodes[b].size),
                  a, b};
      if (!have || after(best, c)) {
        best = c;
        have = true;
      }
    }
    if (have)
      push(best);
  };

  int list[kMaxNodes];
  {
    // Per shared non-output index (in the order the live nodes' legs first
    // name them, increasing within a node), each holder's best later holder.
    Set seen = Set::none();
    int touched[kMax], numTouched = 0;
    for (int n = 0; n < numNodes; ++n)
      if (alive[n])
        (nodes[n].legs & ~seen).forEach([&](int e) {
          touched[numTouched++] = e;
          seen.set(e);
        });
    for (int i = 0; i < numTouched; ++i) {
      int e = touched[i];
      if (output.test(e))
        continue;
      int k = liveHolders(e, list);
      for (int h = 0; h + 1 < k; ++h)
        pushFrom(list[h], list, k, list[h]);
    }
  }
  int holderList[kMaxNodes];
  while (!heap.empty() && remaining > 1) {
    Candidate c = heap.front();
    std::pop_heap(heap.begin(), heap.end(), after);
    heap.pop_back();
    if (!alive[c.a] || !alive[c.b])
      continue;
    setLive(c.a, false);
    setLive(c.b, false);
    int n = contract(c.a, c.b);
    setLive(n, true);
    // Neighbours through non-output indices, each once, in leg then id
    // order.
    int count = 0;
    (nodes[n].legs & ~output).forEach([&](int e) {
      int k = liveHolders(e, holderList);
      for (int h = 0; h < k; ++h) {
        int m = holderList[h];
        if (m != n && mark[m] != n) {
          mark[m] = n;
          list[count++] = m;
        }
      }
    });
    pushFrom(n, list, count, -1);
  }
  // What is left: opt_einsum's rule, by the size of the output part, then
  // oldest first (the least (size, id) of a few entries, in place of the
  // general search's priority queue: no allocation).
  using Entry = std::pair<double, int>;
  Entry rest[kMax];
  int numRest = 0;
  for (int n = 0; n < numNodes; ++n)
    if (alive[n])
      rest[numRest++] = {sumOf(nodes[n].legs & output), n};
  auto popLeast = [&]() {
    int least = 0;
    for (int i = 1; i < numRest; ++i)
      if (rest[i] < rest[least])
        least = i;
    int id = rest[least].second;
    rest[least] = rest[--numRest];
    return id;
  };
  int first = popLeast();
  while (numRest > 0) {
    int second = popLeast();
    int n = contract(std::min(first, second), std::max(first, second));
    rest[numRest++] = {sumOf(nodes[n].legs & output), n};
    first = popLeast();
  }

  // ContractionTree::ssaPath: post-order, the larger subtree first.
  Path path;
  path.reserve(numNodes - numLeaves);
  if (first >= numLeaves) {
    int ssaId[kMaxNodes];
    for (int t = 0; t < numLeaves; ++t)
      ssaId[t] = t;
    int next = numLeaves;
    std::pair<int, bool> stack[kMaxNodes];
    int top = 0;
    stack[top++] = {first, false};
    while (top > 0) {
      auto [v, expanded] = stack[--top];
      if (v < numLeaves)
        continue;
      if (expanded) {
        int a = ssaId[nodes[v].left], b = ssaId[nodes[v].right];
        path.push_back({std::min(a, b), std::max(a, b)});
        ssaId[v] = next++;
        continue;
      }
      stack[top++] = {v, true};
      int l = nodes[v].left, r = nodes[v].right;
      if (nodes[l].leafCount < nodes[r].leafCount)
        std::swap(l, r);
      stack[top++] = {r, false};
      stack[top++] = {l, false};
    }
  }
  // ContractionTree::stats(false).
  TreeStats s;
  double cost[kMaxNodes], flops[kMaxNodes], write[kMaxNodes];
  int steps = numNodes - numLeaves;
  for (int i = 0; i < steps; ++i) {
    const SmallNode<W> &n = nodes[numLeaves + i];
    cost[i] = n.log2Cost;
    flops[i] = n.log2Cost + (n.sums ? 1.0 : 0.0);
    write[i] = n.log2Size;
    s.log2Width = std::max(s.log2Width, n.log2Size);
  }
  s.log10Cost = log10SumExp2(cost, steps);
  s.log10Flops = log10SumExp2(flops, steps);
  s.log10Write = log10SumExp2(write, steps);
  if (numLeaves == 1) {
    if (traced[0] || nodes[0].closesAlone) {
      s.log10Cost = sumOf(everyEdge[0]) * std::log10(2.0);
      s.log10Flops = s.log10Cost;
    }
    double out = 0;
    for (int e : net.output())
      out += l2[e];
    s.log2Width = out;
  }
  ssa = std::move(path);
  stats = s;
}
} // namespace

bool greedySmallNetwork(const Network &net, Path &ssa, TreeStats &stats) {
  int tensors = net.numTensors(), indices = net.numIndices();
  if (tensors == 0)
    return false;
  int largest = std::max(tensors, indices);
  if (largest <= 64)
    greedySmall<1>(net, ssa, stats);
  else if (largest <= 128)
    greedySmall<2>(net, ssa, stats);
  else
    return false;
  return true;
}

} // namespace tnc
