//===- Generators.cpp - Deterministic tensor network generators -----------===//
//
// Every generator builds its network with named indices and then numbers the
// indices in order of first appearance (inputs, then output), the order
// parseNetworkJson uses, so writeNetworkJson/parseNetworkJson round-trips
// give identical networks. Sizes are capped so that absurd arguments give an
// error instead of exhausting memory.
//
//===----------------------------------------------------------------------===//

#include "tn/Network/Generators.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace tnc {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

/// Collects tensors over named indices, then produces a Network whose index
/// ids follow first appearance.
class Builder {
public:
  /// Declares an index (extent) and returns its local handle.
  int index(std::string name, int64_t extent) {
    names_.push_back(std::move(name));
    extents_.push_back(extent);
    return static_cast<int>(names_.size()) - 1;
  }
  void rename(int handle, std::string name) { names_[handle] = std::move(name); }
  void tensor(std::vector<int> handles) { tensors_.push_back(std::move(handles)); }
  void output(std::vector<int> handles) { output_ = std::move(handles); }

  Network build() const {
    Network net;
    std::vector<int> ids(names_.size(), -1);
    auto map = [&](const std::vector<int> &handles) {
      std::vector<int> result;
      result.reserve(handles.size());
      for (int h : handles) {
        if (ids[h] < 0)
          ids[h] = net.addIndex(names_[h], extents_[h]);
        result.push_back(ids[h]);
      }
      return result;
    };
    for (const auto &t : tensors_)
      net.addTensor(map(t));
    net.setOutput(map(output_));
    return net;
  }

private:
  std::vector<std::string> names_;
  std::vector<int64_t> extents_;
  std::vector<std::vector<int>> tensors_;
  std::vector<int> output_;
};

template <typename T> void shuffle(std::vector<T> &v, Rng &rng) {
  for (size_t i = v.size(); i > 1; --i) {
    size_t j = static_cast<size_t>(rng.uniform(i));
    std::swap(v[i - 1], v[j]);
  }
}

std::string num(int64_t k) { return std::to_string(k); }

bool checkPositive(const char *what, int64_t value, std::string &error) {
  if (value >= 1)
    return true;
  error = std::string(what) + " must be a positive integer, got " + num(value);
  return false;
}

// Upper bounds: generous for any realistic benchmark, small enough that a
// typo cannot exhaust memory.
constexpr int64_t kMaxTensors = 1000000;
constexpr int64_t kMaxLegs = 10000000; // total tensor-index incidences

bool checkAtMost(const char *what, int64_t value, int64_t limit,
                 std::string &error) {
  if (value <= limit)
    return true;
  error = std::string(what) + " is too large (" + num(value) +
          "; the limit is " + num(limit) + ")";
  return false;
}

} // namespace

//===----------------------------------------------------------------------===//
// Random regular graphs
//===----------------------------------------------------------------------===//

namespace {

/// One attempt at a simple `degree`-regular graph on n nodes: the
/// configuration model (random pairing of stubs), followed by repairs of the
/// invalid pairs (self-loops, repeated edges) by random edge switches:
/// an invalid pair (u, v) and a random edge (x, y) become (u, x) and (v, y).
/// Returns false if some pair cannot be repaired in a bounded number of
/// tries (the caller restarts).
bool tryRegular(int n, int degree, Rng &rng,
                std::vector<std::pair<int, int>> &edges) {
  edges.clear();
  if (degree == 0)
    return true;
  auto key = [n](int a, int b) {
    if (a > b)
      std::swap(a, b);
    return static_cast<uint64_t>(a) * static_cast<uint64_t>(n) +
           static_cast<uint64_t>(b);
  };
  std::vector<int> stubs;
  stubs.reserve(static_cast<size_t>(n) * degree);
  for (int v = 0; v < n; ++v)
    for (int d = 0; d < degree; ++d)
      stubs.push_back(v);
  shuffle(stubs, rng);
  std::unordered_set<uint64_t> present;
  present.reserve(stubs.size());
  std::vector<std::pair<int, int>> bad;
  edges.reserve(stubs.size() / 2);
  for (size_t k = 0; k + 1 < stubs.size(); k += 2) {
    int a = stubs[k], b = stubs[k + 1];
    if (a != b && present.insert(key(a, b)).second)
      edges.push_back({a, b});
    else
      bad.push_back({a, b});
  }
  const int maxTries = 1000;
  for (const auto &pair : bad) {
    bool fixed = false;
    for (int attempt = 0; attempt < maxTries && !fixed; ++attempt) {
      if (edges.empty())
        return false;
      size_t e = static_cast<size_t>(rng.uniform(edges.size()));
      int x = edges[e].first, y = edges[e].second;
      if (rng.uniform(2))
        std::swap(x, y);
      int u = pair.first, v = pair.second;
      if (u == x || v == y || present.count(key(u, x)) ||
          present.count(key(v, y)) || key(u, x) == key(v, y))
        continue;
      present.erase(key(x, y));
      present.insert(key(u, x));
      present.insert(key(v, y));
      edges[e] = {u, x};
      edges.push_back({v, y});
      fixed = true;
    }
    if (!fixed)
      return false;
  }
  return true;
}

} // namespace

std::optional<Network> randomRegular(int n, int degree, int64_t bond,
                                     uint64_t seed, std::string &error) {
  if (!checkPositive("n", n, error) || !checkPositive("degree", degree, error) ||
      !checkPositive("bond", bond, error))
    return std::nullopt;
  if (degree >= n) {
    error = "degree must be less than n (got degree " + num(degree) +
            " with n " + num(n) + ")";
    return std::nullopt;
  }
  if ((static_cast<int64_t>(n) * degree) % 2 != 0) {
    error = "n * degree must be even (got n " + num(n) + " and degree " +
            num(degree) + ")";
    return std::nullopt;
  }
  if (!checkAtMost("n", n, kMaxTensors, error) ||
      !checkAtMost("n * degree", static_cast<int64_t>(n) * degree, kMaxLegs,
                   error))
    return std::nullopt;

  // Dense graphs are the complements of sparse ones (a d-regular graph's
  // complement is (n-1-d)-regular, and n*(n-1-d) is even iff n*d is).
  bool complement = degree > (n - 1) / 2;
  int sparseDegree = complement ? n - 1 - degree : degree;
  Rng rng(seed);
  std::vector<std::pair<int, int>> sparse;
  const int maxAttempts = 100;
  bool found = false;
  for (int attempt = 0; attempt < maxAttempts && !found; ++attempt)
    found = tryRegular(n, sparseDegree, rng, sparse);
  if (!found) {
    error = "could not generate a simple " + num(degree) +
            "-regular graph on " + num(n) + " nodes in " + num(maxAttempts) +
            " attempts";
    return std::nullopt;
  }
  std::vector<std::pair<int, int>> edges;
  if (complement) {
    std::vector<std::vector<int>> adjacent(n);
    for (const auto &e : sparse) {
      adjacent[e.first].push_back(e.second);
      adjacent[e.second].push_back(e.first);
    }
    std::vector<char> mark(n, 0);
    edges.reserve(static_cast<size_t>(n) * degree / 2);
    for (int a = 0; a < n; ++a) {
      for (int b : adjacent[a])
        mark[b] = 1;
      for (int b = a + 1; b < n; ++b)
        if (!mark[b])
          edges.push_back({a, b});
      for (int b : adjacent[a])
        mark[b] = 0;
    }
  } else {
    edges = std::move(sparse);
    for (auto &e : edges)
      if (e.first > e.second)
        std::swap(e.first, e.second);
    std::sort(edges.begin(), edges.end());
  }

  // Edges in sorted order are named e0, e1, ...; each tensor lists its
  // edges in that order.
  Builder b;
  std::vector<std::vector<int>> legs(n);
  int k = 0;
  for (const auto &edge : edges) {
    int h = b.index("e" + num(k++), bond);
    legs[edge.first].push_back(h);
    legs[edge.second].push_back(h);
  }
  for (auto &l : legs)
    b.tensor(std::move(l));
  return b.build();
}

//===----------------------------------------------------------------------===//
// Lattices
//===----------------------------------------------------------------------===//

namespace {

/// Sites of an lx x ly x lz grid (site = (x * ly + y) * lz + z) and the
/// bonds between neighbours (in creation order), optionally periodic in the
/// dimensions longer than 2.
std::vector<std::pair<int, int>> gridBonds(int lx, int ly, int lz,
                                           bool periodic) {
  std::vector<std::pair<int, int>> bonds;
  int dims[3] = {lx, ly, lz};
  for (int x = 0; x < lx; ++x)
    for (int y = 0; y < ly; ++y)
      for (int z = 0; z < lz; ++z) {
        int c[3] = {x, y, z};
        int site = (x * ly + y) * lz + z;
        for (int d = 0; d < 3; ++d) {
          int nc[3] = {c[0], c[1], c[2]};
          nc[d] = c[d] + 1;
          if (nc[d] == dims[d]) {
            if (!periodic || dims[d] <= 2)
              continue;
            nc[d] = 0;
          }
          int other = (nc[0] * ly + nc[1]) * lz + nc[2];
          bonds.push_back({site, other});
        }
      }
  return bonds;
}

} // namespace

std::optional<Network> lattice(int lx, int ly, int lz, int64_t bond,
                               bool periodic, std::string &error) {
  if (!checkPositive("lx", lx, error) || !checkPositive("ly", ly, error) ||
      !checkPositive("lz", lz, error) || !checkPositive("bond", bond, error))
    return std::nullopt;
  int64_t sites = static_cast<int64_t>(lx) * ly * lz;
  if (!checkAtMost("lx * ly * lz", sites, kMaxTensors, error))
    return std::nullopt;
  Builder b;
  std::vector<std::vector<int>> legs(sites);
  int k = 0;
  for (const auto &edge : gridBonds(lx, ly, lz, periodic)) {
    int h = b.index("e" + num(k++), bond);
    legs[edge.first].push_back(h);
    legs[edge.second].push_back(h);
  }
  for (auto &l : legs)
    b.tensor(std::move(l));
  return b.build();
}

std::optional<Network> pepsNorm(int lx, int ly, int64_t bond, int64_t phys,
                                std::string &error) {
  if (!checkPositive("lx", lx, error) || !checkPositive("ly", ly, error) ||
      !checkPositive("bond", bond, error) ||
      !checkPositive("phys", phys, error))
    return std::nullopt;
  int64_t sites = static_cast<int64_t>(lx) * ly;
  if (!checkAtMost("2 * lx * ly", 2 * sites, kMaxTensors, error))
    return std::nullopt;
  // Ket bonds k0.., bra bonds b0.., physical indices p0.. (site order).
  Builder b;
  std::vector<std::pair<int, int>> bonds = gridBonds(lx, ly, 1, false);
  std::vector<std::vector<int>> ket(sites), bra(sites);
  for (size_t k = 0; k < bonds.size(); ++k) {
    int hk = b.index("k" + num(static_cast<int64_t>(k)), bond);
    int hb = b.index("b" + num(static_cast<int64_t>(k)), bond);
    ket[bonds[k].first].push_back(hk);
    ket[bonds[k].second].push_back(hk);
    bra[bonds[k].first].push_back(hb);
    bra[bonds[k].second].push_back(hb);
  }
  for (int64_t s = 0; s < sites; ++s) {
    int p = b.index("p" + num(s), phys);
    ket[s].push_back(p);
    bra[s].push_back(p);
  }
  for (auto &t : ket)
    b.tensor(std::move(t));
  for (auto &t : bra)
    b.tensor(std::move(t));
  return b.build();
}

std::optional<Network> mpsMpoMps(int length, int64_t chi, int64_t mpoBond,
                                 int64_t phys, std::string &error) {
  if (!checkPositive("length", length, error) ||
      !checkPositive("chi", chi, error) ||
      !checkPositive("mpoBond", mpoBond, error) ||
      !checkPositive("phys", phys, error))
    return std::nullopt;
  if (!checkAtMost("3 * length", 3 * static_cast<int64_t>(length), kMaxTensors,
                   error))
    return std::nullopt;
  // Ket A_i[k(i-1), p_i, k_i], MPO W_i[m(i-1), p_i, q_i, m_i],
  // bra B_i[b(i-1), q_i, b_i]; tensors: all A, then all W, then all B.
  Builder b;
  std::vector<int> k, m, br, p, q;
  for (int i = 0; i + 1 < length; ++i) {
    k.push_back(b.index("k" + num(i), chi));
    m.push_back(b.index("m" + num(i), mpoBond));
    br.push_back(b.index("b" + num(i), chi));
  }
  for (int i = 0; i < length; ++i) {
    p.push_back(b.index("p" + num(i), phys));
    q.push_back(b.index("q" + num(i), phys));
  }
  auto site = [&](const std::vector<int> &bonds, std::vector<int> middle,
                  int i) {
    std::vector<int> legs;
    if (i > 0)
      legs.push_back(bonds[i - 1]);
    legs.insert(legs.end(), middle.begin(), middle.end());
    if (i + 1 < length)
      legs.push_back(bonds[i]);
    return legs;
  };
  for (int i = 0; i < length; ++i)
    b.tensor(site(k, {p[i]}, i));
  for (int i = 0; i < length; ++i)
    b.tensor(site(m, {p[i], q[i]}, i));
  for (int i = 0; i < length; ++i)
    b.tensor(site(br, {q[i]}, i));
  return b.build();
}

std::optional<Network> ttLayer(const std::vector<int64_t> &inModes,
                               const std::vector<int64_t> &outModes,
                               int64_t rank, int64_t batch,
                               std::string &error) {
  if (inModes.empty()) {
    error = "the TT layer needs at least one mode";
    return std::nullopt;
  }
  if (inModes.size() != outModes.size()) {
    error = "inModes has " + num(static_cast<int64_t>(inModes.size())) +
            " entries but outModes has " +
            num(static_cast<int64_t>(outModes.size()));
    return std::nullopt;
  }
  if (!checkAtMost("the number of modes",
                   static_cast<int64_t>(inModes.size()), 100000, error))
    return std::nullopt;
  for (size_t k = 0; k < inModes.size(); ++k) {
    if (inModes[k] < 1) {
      error = "in-mode " + num(static_cast<int64_t>(k)) +
              " must be a positive integer, got " + num(inModes[k]);
      return std::nullopt;
    }
    if (outModes[k] < 1) {
      error = "out-mode " + num(static_cast<int64_t>(k)) +
              " must be a positive integer, got " + num(outModes[k]);
      return std::nullopt;
    }
  }
  if (!checkPositive("rank", rank, error) ||
      !checkPositive("batch", batch, error))
    return std::nullopt;
  // Names: batch, i1..id, o1..od, r1..r(d-1) (1-based as in the formula).
  const int d = static_cast<int>(inModes.size());
  Builder b;
  int hb = b.index("batch", batch);
  std::vector<int> in, out, r;
  for (int k = 1; k <= d; ++k) {
    in.push_back(b.index("i" + num(k), inModes[k - 1]));
    out.push_back(b.index("o" + num(k), outModes[k - 1]));
  }
  for (int k = 1; k < d; ++k)
    r.push_back(b.index("r" + num(k), rank));
  std::vector<int> x = {hb};
  x.insert(x.end(), in.begin(), in.end());
  b.tensor(std::move(x));
  for (int k = 0; k < d; ++k) {
    std::vector<int> core;
    if (k > 0)
      core.push_back(r[k - 1]);
    core.push_back(in[k]);
    core.push_back(out[k]);
    if (k + 1 < d)
      core.push_back(r[k]);
    b.tensor(std::move(core));
  }
  std::vector<int> y = {hb};
  y.insert(y.end(), out.begin(), out.end());
  b.output(std::move(y));
  return b.build();
}

std::optional<Network> randomCircuit(int qubits, int depth, uint64_t seed,
                                     bool diagonalHyperedges, int openQubits,
                                     std::string &error) {
  if (!checkPositive("qubits", qubits, error))
    return std::nullopt;
  if (depth < 0) {
    error = "depth must be non-negative, got " + num(depth);
    return std::nullopt;
  }
  if (openQubits < 0 || openQubits > qubits) {
    error = "openQubits must be between 0 and the number of qubits (" +
            num(qubits) + "), got " + num(openQubits);
    return std::nullopt;
  }
  // Per layer: qubits single-qubit gates + qubits/2 two-qubit gates.
  int64_t perLayer = qubits + qubits / 2;
  if (!checkAtMost("qubits", qubits, kMaxTensors, error) ||
      !checkAtMost("the number of gates (depth * qubits * 3 / 2)",
                   static_cast<int64_t>(depth) * perLayer, kMaxTensors, error))
    return std::nullopt;

  // Wire indices are named e0, e1, ... in creation order; the final index
  // of an open qubit q is renamed o<q>.
  Rng rng(seed);
  Builder b;
  int64_t counter = 0;
  auto fresh = [&]() { return b.index("e" + num(counter++), 2); };
  std::vector<int> wire(qubits);
  for (int q = 0; q < qubits; ++q) {
    wire[q] = fresh();
    b.tensor({wire[q]}); // |0>
  }
  std::vector<int> order(qubits);
  for (int layer = 0; layer < depth; ++layer) {
    for (int q = 0; q < qubits; ++q) {
      int next = fresh();
      b.tensor({wire[q], next});
      wire[q] = next;
    }
    for (int q = 0; q < qubits; ++q)
      order[q] = q;
    shuffle(order, rng);
    for (int k = 0; k + 1 < qubits; k += 2) {
      int qa = std::min(order[k], order[k + 1]);
      int qb = std::max(order[k], order[k + 1]);
      if (diagonalHyperedges) {
        b.tensor({wire[qa], wire[qb]});
      } else {
        int na = fresh(), nb = fresh();
        b.tensor({wire[qa], wire[qb], na, nb});
        wire[qa] = na;
        wire[qb] = nb;
      }
    }
  }
  std::vector<int> out;
  for (int q = 0; q < qubits; ++q) {
    if (q < openQubits) {
      b.rename(wire[q], "o" + num(q));
      out.push_back(wire[q]);
    } else {
      b.tensor({wire[q]}); // <x_q|
    }
  }
  b.output(std::move(out));
  return b.build();
}

std::optional<Network> randomHypergraph(int numTensors, int numIndices,
                                        int maxDegree, int numOpen,
                                        int64_t extent, uint64_t seed,
                                        std::string &error) {
  if (!checkPositive("numTensors", numTensors, error) ||
      !checkPositive("extent", extent, error))
    return std::nullopt;
  if (numIndices < 0) {
    error = "numIndices must be non-negative, got " + num(numIndices);
    return std::nullopt;
  }
  if (numOpen < 0) {
    error = "numOpen must be non-negative, got " + num(numOpen);
    return std::nullopt;
  }
  if (maxDegree < 2) {
    error = "maxDegree must be at least 2, got " + num(maxDegree);
    return std::nullopt;
  }
  if (!checkAtMost("numTensors", numTensors, kMaxTensors, error) ||
      !checkAtMost("numIndices + numOpen",
                   static_cast<int64_t>(numIndices) + numOpen, kMaxTensors,
                   error))
    return std::nullopt;
  int64_t degreeCap = std::min<int64_t>(maxDegree, numTensors);
  if (!checkAtMost("numIndices * min(maxDegree, numTensors)",
                   static_cast<int64_t>(numIndices) * degreeCap, kMaxLegs,
                   error))
    return std::nullopt;
  if (numTensors == 1) {
    if (numIndices > 0) {
      error = "an index joins at least 2 distinct tensors, so numIndices must "
              "be 0 when numTensors is 1";
      return std::nullopt;
    }
    if (numOpen == 0) {
      error = "a single tensor needs at least one open index (numOpen >= 1)";
      return std::nullopt;
    }
  } else if (static_cast<int64_t>(numIndices) * (degreeCap - 1) <
             numTensors - 1) {
    error = "too few indices to connect " + num(numTensors) +
            " tensors: need numIndices * (maxDegree - 1) >= numTensors - 1";
    return std::nullopt;
  }

  Rng rng(seed);
  std::vector<std::vector<int>> members; // tensors of each index
  members.reserve(numIndices);

  // Spanning structure: attach the tensors in random order, each index
  // joining one already connected tensor with new ones, using just enough
  // new tensors per index that the remaining indices can finish the job.
  std::vector<int> perm(numTensors);
  for (int t = 0; t < numTensors; ++t)
    perm[t] = t;
  shuffle(perm, rng);
  int connected = numTensors > 0 ? 1 : 0;
  int used = 0;
  while (connected < numTensors) {
    int64_t remaining = numTensors - connected;
    int64_t indicesLeft = numIndices - used;
    int64_t minNew = (remaining + indicesLeft - 1) / indicesLeft;
    int64_t maxNew = std::min<int64_t>(degreeCap - 1, remaining);
    int64_t newCount =
        minNew + static_cast<int64_t>(rng.uniform(
                     static_cast<uint64_t>(maxNew - minNew + 1)));
    std::vector<int> m;
    m.push_back(perm[rng.uniform(static_cast<uint64_t>(connected))]);
    for (int64_t c = 0; c < newCount; ++c)
      m.push_back(perm[connected++]);
    members.push_back(std::move(m));
    ++used;
  }
  // The other indices: random degree in [2, degreeCap], distinct tensors
  // (partial Fisher-Yates on a scratch permutation).
  std::vector<int> scratch(numTensors);
  for (int t = 0; t < numTensors; ++t)
    scratch[t] = t;
  for (; used < numIndices; ++used) {
    int64_t deg = 2 + static_cast<int64_t>(
                          rng.uniform(static_cast<uint64_t>(degreeCap - 1)));
    std::vector<int> m;
    for (int64_t c = 0; c < deg; ++c) {
      size_t j = static_cast<size_t>(c) +
                 static_cast<size_t>(rng.uniform(
                     static_cast<uint64_t>(numTensors - c)));
      std::swap(scratch[static_cast<size_t>(c)], scratch[j]);
      m.push_back(scratch[static_cast<size_t>(c)]);
    }
    members.push_back(std::move(m));
  }
  // Shuffle which index gets which name so that the spanning indices are
  // not always the first ones.
  shuffle(members, rng);

  Builder b;
  std::vector<std::vector<int>> legs(numTensors);
  for (size_t k = 0; k < members.size(); ++k) {
    int h = b.index("e" + num(static_cast<int64_t>(k)), extent);
    std::vector<int> m = members[k];
    std::sort(m.begin(), m.end());
    for (int t : m)
      legs[t].push_back(h);
  }
  std::vector<int> out;
  for (int k = 0; k < numOpen; ++k) {
    int h = b.index("o" + num(k), extent);
    legs[rng.uniform(static_cast<uint64_t>(numTensors))].push_back(h);
    out.push_back(h);
  }
  for (auto &l : legs)
    b.tensor(std::move(l));
  b.output(std::move(out));
  return b.build();
}

std::optional<Network> matrixChain(const std::vector<int64_t> &dims,
                                   std::string &error) {
  if (dims.size() < 2) {
    error = "a matrix chain needs at least 2 dimensions (one matrix), got " +
            num(static_cast<int64_t>(dims.size()));
    return std::nullopt;
  }
  if (!checkAtMost("the number of matrices",
                   static_cast<int64_t>(dims.size()) - 1, kMaxTensors, error))
    return std::nullopt;
  for (size_t k = 0; k < dims.size(); ++k) {
    if (dims[k] < 1) {
      error = "dimension " + num(static_cast<int64_t>(k)) +
              " must be a positive integer, got " + num(dims[k]);
      return std::nullopt;
    }
  }
  Builder b;
  std::vector<int> d;
  for (size_t k = 0; k < dims.size(); ++k)
    d.push_back(b.index("d" + num(static_cast<int64_t>(k)), dims[k]));
  for (size_t k = 0; k + 1 < dims.size(); ++k)
    b.tensor({d[k], d[k + 1]});
  b.output({d.front(), d.back()});
  return b.build();
}

} // namespace tnc
