//===- GeneratorsTest.cpp - Tests for the network generators --------------===//

#include "tn/Network/Generators.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

using namespace tnc;

namespace {

using Names = std::vector<std::string>;

Names tensorNames(const Network &net, int t) {
  Names result;
  for (int id : net.tensorIndices(t))
    result.push_back(net.indexName(id));
  return result;
}

Names outputNames(const Network &net) {
  Names result;
  for (int id : net.output())
    result.push_back(net.indexName(id));
  return result;
}

/// A compact, readable description of the structure: "a b,b c->a".
std::string fingerprint(const Network &net) {
  std::string s;
  for (int t = 0; t < net.numTensors(); ++t) {
    if (t)
      s += ',';
    Names n = tensorNames(net, t);
    for (size_t k = 0; k < n.size(); ++k)
      s += (k ? " " : "") + n[k];
  }
  s += "->";
  Names o = outputNames(net);
  for (size_t k = 0; k < o.size(); ++k)
    s += (k ? " " : "") + o[k];
  return s;
}

/// Checks invariants every generated network must satisfy, and that it
/// survives a JSON round trip unchanged.
void checkNetwork(const Network &net) {
  EXPECT_EQ(net.validate(), "");
  EXPECT_GE(net.numTensors(), 1);
  std::set<std::string> seen;
  for (int i = 0; i < net.numIndices(); ++i) {
    EXPECT_FALSE(net.indexName(i).empty());
    EXPECT_TRUE(seen.insert(net.indexName(i)).second);
  }
  std::string text = writeNetworkJson(net);
  Diagnostic error;
  std::optional<Network> back = parseNetworkJson(text, error);
  ASSERT_TRUE(back.has_value()) << error.message;
  EXPECT_EQ(back->name, net.name);
  EXPECT_EQ(back->dtype, net.dtype);
  ASSERT_EQ(back->numIndices(), net.numIndices());
  for (int i = 0; i < net.numIndices(); ++i) {
    EXPECT_EQ(back->indexName(i), net.indexName(i));
    EXPECT_EQ(back->extent(i), net.extent(i));
  }
  EXPECT_EQ(back->inputs(), net.inputs());
  EXPECT_EQ(back->output(), net.output());
  EXPECT_EQ(writeNetworkJson(*back), text);
}

/// True if the tensors form one connected component.
bool isConnected(const Network &net) {
  int n = net.numTensors();
  if (n == 0)
    return true;
  std::vector<std::vector<int>> byIndex(net.numIndices());
  for (int t = 0; t < n; ++t)
    for (int id : net.tensorIndices(t))
      byIndex[id].push_back(t);
  std::vector<bool> visited(n, false);
  std::vector<int> stack = {0};
  visited[0] = true;
  int count = 1;
  while (!stack.empty()) {
    int t = stack.back();
    stack.pop_back();
    for (int id : net.tensorIndices(t))
      for (int u : byIndex[id])
        if (!visited[u]) {
          visited[u] = true;
          ++count;
          stack.push_back(u);
        }
  }
  return count == n;
}

template <typename F> void expectGeneratorError(F make, const std::string &substr) {
  std::string error;
  std::optional<Network> net = make(error);
  EXPECT_FALSE(net.has_value());
  EXPECT_NE(error.find(substr), std::string::npos)
      << "message '" << error << "' lacks '" << substr << "'";
}

//===----------------------------------------------------------------------===//
// Rng
//===----------------------------------------------------------------------===//

TEST(RngTest, ReferenceSequence) {
  // splitmix64-seeded xoshiro256** (reference values from an independent
  // implementation); guards cross-platform determinism.
  Rng zero(0);
  EXPECT_EQ(zero.next(), 0x99ec5f36cb75f2b4ull);
  EXPECT_EQ(zero.next(), 0xbf6e1f784956452aull);
  EXPECT_EQ(zero.next(), 0x1a5f849d4933e6e0ull);
  EXPECT_EQ(zero.next(), 0x6aa594f1262d2d2cull);
  Rng r42(42);
  EXPECT_EQ(r42.next(), 0x15780b2e0c2ec716ull);
  EXPECT_EQ(r42.next(), 0x6104d9866d113a7eull);
  EXPECT_EQ(r42.next(), 0xae17533239e499a1ull);
  EXPECT_EQ(r42.next(), 0xecb8ad4703b360a1ull);
}

TEST(RngTest, SameSeedSameSequence) {
  Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    differs |= x != c.next();
  }
  EXPECT_TRUE(differs);
}

TEST(RngTest, Uniform) {
  Rng rng(1);
  EXPECT_EQ(rng.uniform(1), 0u);
  EXPECT_EQ(rng.uniform(0), 0u); // documented n > 0; must not crash
  std::vector<int> counts(10, 0);
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) {
    uint64_t x = rng.uniform(10);
    ASSERT_LT(x, 10u);
    ++counts[x];
  }
  for (int c : counts) {
    EXPECT_GT(c, draws / 10 * 95 / 100);
    EXPECT_LT(c, draws / 10 * 105 / 100);
  }
  // Huge ranges work too.
  uint64_t big = (1ull << 63) + 12345;
  for (int i = 0; i < 1000; ++i)
    EXPECT_LT(rng.uniform(big), big);
  double sum = 0;
  for (int i = 0; i < draws; ++i) {
    double d = rng.uniformReal();
    ASSERT_GE(d, 0.0);
    ASSERT_LT(d, 1.0);
    sum += d;
  }
  EXPECT_NEAR(sum / draws, 0.5, 0.01);
}

//===----------------------------------------------------------------------===//
// randomRegular
//===----------------------------------------------------------------------===//

void checkRegular(const Network &net, int n, int degree, int64_t bond) {
  checkNetwork(net);
  ASSERT_EQ(net.numTensors(), n);
  EXPECT_EQ(net.numIndices(), n * degree / 2);
  EXPECT_TRUE(net.output().empty());
  std::set<std::pair<int, int>> edges;
  std::vector<std::vector<int>> byIndex(net.numIndices());
  for (int t = 0; t < n; ++t) {
    const auto &idx = net.tensorIndices(t);
    EXPECT_EQ(static_cast<int>(idx.size()), degree);
    EXPECT_EQ(std::set<int>(idx.begin(), idx.end()).size(), idx.size())
        << "self-loop";
    for (int id : idx)
      byIndex[id].push_back(t);
  }
  for (int id = 0; id < net.numIndices(); ++id) {
    ASSERT_EQ(byIndex[id].size(), 2u);
    EXPECT_NE(byIndex[id][0], byIndex[id][1]);
    EXPECT_TRUE(edges.insert({byIndex[id][0], byIndex[id][1]}).second)
        << "multi-edge";
    EXPECT_EQ(net.extent(id), bond);
    EXPECT_EQ(net.indexName(id)[0], 'e');
  }
  for (int d : net.indexDegrees())
    EXPECT_EQ(d, 2);
}

TEST(GeneratorsTest, RandomRegular) {
  std::string error;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    std::optional<Network> net = randomRegular(20, 3, 4, seed, error);
    ASSERT_TRUE(net.has_value()) << error;
    checkRegular(*net, 20, 3, 4);
  }
  for (auto nd : std::vector<std::pair<int, int>>{
           {2, 1}, {4, 3}, {5, 4}, {6, 5}, {10, 9}, {10, 7}, {11, 6},
           {12, 5}, {50, 10}, {100, 3}, {101, 4}, {64, 32}, {63, 32}}) {
    std::optional<Network> net =
        randomRegular(nd.first, nd.second, 2, 99, error);
    ASSERT_TRUE(net.has_value()) << nd.first << " " << nd.second << ": "
                                 << error;
    checkRegular(*net, nd.first, nd.second, 2);
  }
}

TEST(GeneratorsTest, RandomRegularDeterminism) {
  std::string error;
  std::string a = writeNetworkJson(*randomRegular(30, 3, 2, 5, error));
  std::string b = writeNetworkJson(*randomRegular(30, 3, 2, 5, error));
  std::string c = writeNetworkJson(*randomRegular(30, 3, 2, 6, error));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // A golden instance: must be the same on every platform and build.
  EXPECT_EQ(fingerprint(*randomRegular(6, 3, 2, 1, error)),
            "e0 e1 e2,e0 e3 e4,e1 e5 e6,e5 e7 e8,e3 e6 e7,e2 e4 e8->");
}

TEST(GeneratorsTest, RandomRegularErrors) {
  auto make = [](int n, int d, int64_t bond) {
    return [=](std::string &e) { return randomRegular(n, d, bond, 0, e); };
  };
  expectGeneratorError(make(5, 3, 2), "n * degree must be even");
  expectGeneratorError(make(4, 4, 2), "degree must be less than n");
  expectGeneratorError(make(3, 7, 2), "degree must be less than n");
  expectGeneratorError(make(0, 3, 2), "n must be a positive integer, got 0");
  expectGeneratorError(make(-4, 3, 2), "n must be a positive integer");
  expectGeneratorError(make(4, 0, 2), "degree must be a positive integer");
  expectGeneratorError(make(4, 3, 0), "bond must be a positive integer");
  expectGeneratorError(make(1, 1, 2), "degree must be less than n");
  expectGeneratorError(make(2000000, 3, 2), "too large");
  expectGeneratorError(make(200000, 100, 2), "too large");
}

//===----------------------------------------------------------------------===//
// lattice, pepsNorm, mpsMpoMps
//===----------------------------------------------------------------------===//

void checkAllDegree(const Network &net, int degree) {
  for (int d : net.indexDegrees())
    EXPECT_EQ(d, degree);
}

TEST(GeneratorsTest, Lattice) {
  std::string error;
  std::optional<Network> open = lattice(3, 4, 1, 5, false, error);
  ASSERT_TRUE(open.has_value()) << error;
  checkNetwork(*open);
  EXPECT_EQ(open->numTensors(), 12);
  EXPECT_EQ(open->numIndices(), 2 * 4 + 3 * 3);
  checkAllDegree(*open, 2);
  EXPECT_TRUE(open->output().empty());
  EXPECT_EQ(open->tensorIndices(0).size(), 2u);  // corner
  EXPECT_EQ(open->tensorIndices(1).size(), 3u);  // edge
  EXPECT_EQ(open->tensorIndices(5).size(), 4u);  // bulk (x=1, y=1)
  for (int64_t e : open->extents())
    EXPECT_EQ(e, 5);
  EXPECT_TRUE(isConnected(*open));

  std::optional<Network> torus = lattice(3, 4, 1, 2, true, error);
  ASSERT_TRUE(torus.has_value());
  checkNetwork(*torus);
  EXPECT_EQ(torus->numIndices(), 24);
  for (int t = 0; t < 12; ++t)
    EXPECT_EQ(torus->tensorIndices(t).size(), 4u);
  checkAllDegree(*torus, 2);

  // Dimensions of length 2 are not wrapped (that would double the bond).
  std::optional<Network> thin = lattice(2, 3, 1, 2, true, error);
  ASSERT_TRUE(thin.has_value());
  EXPECT_EQ(thin->numIndices(), 1 * 3 + 2 * 3);

  std::optional<Network> cube = lattice(2, 3, 4, 2, false, error);
  ASSERT_TRUE(cube.has_value());
  checkNetwork(*cube);
  EXPECT_EQ(cube->numTensors(), 24);
  EXPECT_EQ(cube->numIndices(), 1 * 3 * 4 + 2 * 2 * 4 + 2 * 3 * 3);
  checkAllDegree(*cube, 2);
  EXPECT_TRUE(isConnected(*cube));

  std::optional<Network> cubeTorus = lattice(3, 3, 3, 2, true, error);
  ASSERT_TRUE(cubeTorus.has_value());
  EXPECT_EQ(cubeTorus->numIndices(), 81);
  for (int t = 0; t < 27; ++t)
    EXPECT_EQ(cubeTorus->tensorIndices(t).size(), 6u);

  std::optional<Network> single = lattice(1, 1, 1, 2, true, error);
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(single->numTensors(), 1);
  EXPECT_TRUE(single->tensorIndices(0).empty());

  std::optional<Network> line = lattice(1, 5, 1, 3, true, error);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->numIndices(), 5); // a ring

  EXPECT_EQ(writeNetworkJson(*lattice(4, 4, 1, 2, true, error)),
            writeNetworkJson(*lattice(4, 4, 1, 2, true, error)));
}

TEST(GeneratorsTest, LatticeErrors) {
  auto make = [](int lx, int ly, int lz, int64_t bond) {
    return [=](std::string &e) { return lattice(lx, ly, lz, bond, false, e); };
  };
  expectGeneratorError(make(0, 3, 1, 2), "lx must be a positive integer");
  expectGeneratorError(make(3, -1, 1, 2), "ly must be a positive integer");
  expectGeneratorError(make(3, 3, 0, 2), "lz must be a positive integer");
  expectGeneratorError(make(3, 3, 1, 0), "bond must be a positive integer");
  expectGeneratorError(make(10000, 10000, 10000, 2), "too large");
}

TEST(GeneratorsTest, PepsNorm) {
  std::string error;
  std::optional<Network> net = pepsNorm(2, 3, 4, 2, error);
  ASSERT_TRUE(net.has_value()) << error;
  checkNetwork(*net);
  EXPECT_EQ(net->numTensors(), 12);
  // Per layer 7 bonds, plus 6 shared physical indices.
  EXPECT_EQ(net->numIndices(), 2 * 7 + 6);
  checkAllDegree(*net, 2);
  EXPECT_TRUE(net->output().empty());
  EXPECT_TRUE(isConnected(*net));
  for (int s = 0; s < 6; ++s) {
    Names ket = tensorNames(*net, s), bra = tensorNames(*net, 6 + s);
    ASSERT_EQ(ket.size(), bra.size());
    // Bonds first, then the physical index, shared by ket and bra.
    EXPECT_EQ(ket.back(), "p" + std::to_string(s));
    EXPECT_EQ(bra.back(), ket.back());
    EXPECT_EQ(net->extent(net->findIndex(ket.back())), 2);
    for (size_t k = 0; k + 1 < ket.size(); ++k) {
      EXPECT_EQ(ket[k][0], 'k');
      EXPECT_EQ(bra[k][0], 'b');
      EXPECT_EQ(ket[k].substr(1), bra[k].substr(1)); // mirrored bonds
      EXPECT_EQ(net->extent(net->findIndex(ket[k])), 4);
    }
  }
  // Corner rank 2 + phys, bulk-edge rank 3 + phys.
  EXPECT_EQ(tensorNames(*net, 0).size(), 3u);
  EXPECT_EQ(tensorNames(*net, 1).size(), 4u);

  std::optional<Network> one = pepsNorm(1, 1, 3, 2, error);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(fingerprint(*one), "p0,p0->");

  expectGeneratorError([](std::string &e) { return pepsNorm(0, 2, 2, 2, e); },
                       "lx must be a positive integer");
  expectGeneratorError([](std::string &e) { return pepsNorm(2, 2, 0, 2, e); },
                       "bond must be a positive integer");
  expectGeneratorError([](std::string &e) { return pepsNorm(2, 2, 2, -2, e); },
                       "phys must be a positive integer");
}

TEST(GeneratorsTest, MpsMpoMps) {
  std::string error;
  std::optional<Network> net = mpsMpoMps(5, 8, 3, 2, error);
  ASSERT_TRUE(net.has_value()) << error;
  checkNetwork(*net);
  EXPECT_EQ(net->numTensors(), 15);
  EXPECT_EQ(net->numIndices(), 3 * 4 + 2 * 5);
  checkAllDegree(*net, 2);
  EXPECT_TRUE(isConnected(*net));
  // Ket, MPO and bra layers; ends have no outer bond.
  EXPECT_EQ(tensorNames(*net, 0), (Names{"p0", "k0"}));
  EXPECT_EQ(tensorNames(*net, 2), (Names{"k1", "p2", "k2"}));
  EXPECT_EQ(tensorNames(*net, 4), (Names{"k3", "p4"}));
  EXPECT_EQ(tensorNames(*net, 5), (Names{"p0", "q0", "m0"}));
  EXPECT_EQ(tensorNames(*net, 7), (Names{"m1", "p2", "q2", "m2"}));
  EXPECT_EQ(tensorNames(*net, 9), (Names{"m3", "p4", "q4"}));
  EXPECT_EQ(tensorNames(*net, 10), (Names{"q0", "b0"}));
  EXPECT_EQ(tensorNames(*net, 14), (Names{"b3", "q4"}));
  EXPECT_EQ(net->extent(net->findIndex("k0")), 8);
  EXPECT_EQ(net->extent(net->findIndex("b2")), 8);
  EXPECT_EQ(net->extent(net->findIndex("m0")), 3);
  EXPECT_EQ(net->extent(net->findIndex("q3")), 2);

  std::optional<Network> one = mpsMpoMps(1, 8, 3, 2, error);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(fingerprint(*one), "p0,p0 q0,q0->");

  expectGeneratorError([](std::string &e) { return mpsMpoMps(0, 2, 2, 2, e); },
                       "length must be a positive integer");
  expectGeneratorError([](std::string &e) { return mpsMpoMps(3, 0, 2, 2, e); },
                       "chi must be a positive integer");
  expectGeneratorError([](std::string &e) { return mpsMpoMps(3, 2, 0, 2, e); },
                       "mpoBond must be a positive integer");
  expectGeneratorError([](std::string &e) { return mpsMpoMps(3, 2, 2, 0, e); },
                       "phys must be a positive integer");
}

//===----------------------------------------------------------------------===//
// ttLayer
//===----------------------------------------------------------------------===//

TEST(GeneratorsTest, TTLayer) {
  std::string error;
  std::optional<Network> net = ttLayer({8, 16, 16}, {10, 10, 10}, 3, 5, error);
  ASSERT_TRUE(net.has_value()) << error;
  checkNetwork(*net);
  EXPECT_EQ(net->numTensors(), 4);
  EXPECT_EQ(tensorNames(*net, 0), (Names{"batch", "i1", "i2", "i3"}));
  EXPECT_EQ(tensorNames(*net, 1), (Names{"i1", "o1", "r1"}));
  EXPECT_EQ(tensorNames(*net, 2), (Names{"r1", "i2", "o2", "r2"}));
  EXPECT_EQ(tensorNames(*net, 3), (Names{"r2", "i3", "o3"}));
  EXPECT_EQ(outputNames(*net), (Names{"batch", "o1", "o2", "o3"}));
  EXPECT_EQ(net->shape(0), (std::vector<int64_t>{5, 8, 16, 16}));
  EXPECT_EQ(net->shape(2), (std::vector<int64_t>{3, 16, 10, 3}));
  checkAllDegree(*net, 2);

  std::optional<Network> one = ttLayer({4}, {6}, 3, 2, error);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(fingerprint(*one), "batch i1,i1 o1->batch o1");
  EXPECT_EQ(one->shape(1), (std::vector<int64_t>{4, 6}));

  std::optional<Network> two = ttLayer({2, 3}, {4, 5}, 7, 1, error);
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(fingerprint(*two), "batch i1 i2,i1 o1 r1,r1 i2 o2->batch o1 o2");

  expectGeneratorError(
      [](std::string &e) { return ttLayer({}, {}, 2, 2, e); },
      "at least one mode");
  expectGeneratorError(
      [](std::string &e) { return ttLayer({2, 3}, {4}, 2, 2, e); },
      "inModes has 2 entries but outModes has 1");
  expectGeneratorError(
      [](std::string &e) { return ttLayer({2, 0}, {4, 4}, 2, 2, e); },
      "in-mode 1 must be a positive integer, got 0");
  expectGeneratorError(
      [](std::string &e) { return ttLayer({2, 2}, {4, -4}, 2, 2, e); },
      "out-mode 1 must be a positive integer, got -4");
  expectGeneratorError(
      [](std::string &e) { return ttLayer({2}, {4}, 0, 2, e); },
      "rank must be a positive integer");
  expectGeneratorError(
      [](std::string &e) { return ttLayer({2}, {4}, 2, 0, e); },
      "batch must be a positive integer");
}

//===----------------------------------------------------------------------===//
// randomCircuit
//===----------------------------------------------------------------------===//

TEST(GeneratorsTest, RandomCircuitRank4) {
  std::string error;
  std::optional<Network> net = randomCircuit(5, 3, 1, false, 0, error);
  ASSERT_TRUE(net.has_value()) << error;
  checkNetwork(*net);
  // 5 initial vectors, 3 layers of 5 one-qubit and 2 two-qubit gates, 5
  // closing vectors.
  EXPECT_EQ(net->numTensors(), 5 + 3 * (5 + 2) + 5);
  int rank1 = 0, rank2 = 0, rank4 = 0;
  for (int t = 0; t < net->numTensors(); ++t) {
    size_t r = net->tensorIndices(t).size();
    rank1 += r == 1;
    rank2 += r == 2;
    rank4 += r == 4;
  }
  EXPECT_EQ(rank1, 10);
  EXPECT_EQ(rank2, 15);
  EXPECT_EQ(rank4, 6);
  checkAllDegree(*net, 2); // no hyperedges
  for (int64_t e : net->extents())
    EXPECT_EQ(e, 2);
  EXPECT_TRUE(net->output().empty());
}

TEST(GeneratorsTest, RandomCircuitDiagonal) {
  std::string error;
  std::optional<Network> net = randomCircuit(6, 4, 3, true, 0, error);
  ASSERT_TRUE(net.has_value()) << error;
  checkNetwork(*net);
  EXPECT_EQ(net->numTensors(), 6 + 4 * (6 + 3) + 6);
  int maxRank = 0, hyperedges = 0;
  for (int t = 0; t < net->numTensors(); ++t)
    maxRank = std::max<int>(maxRank, net->tensorIndices(t).size());
  EXPECT_EQ(maxRank, 2);
  for (int d : net->indexDegrees()) {
    EXPECT_GE(d, 2);
    hyperedges += d >= 3;
  }
  // Every wire segment after a layer's one-qubit gates carries one
  // diagonal gate: 4 layers x 6 qubits hyperedges of degree 3.
  EXPECT_EQ(hyperedges, 24);
  // Wire indices: 6 initial + 6 per layer.
  EXPECT_EQ(net->numIndices(), 6 + 4 * 6);
}

TEST(GeneratorsTest, RandomCircuitOpenQubits) {
  std::string error;
  std::optional<Network> net = randomCircuit(4, 2, 9, false, 2, error);
  ASSERT_TRUE(net.has_value()) << error;
  checkNetwork(*net);
  EXPECT_EQ(outputNames(*net), (Names{"o0", "o1"}));
  EXPECT_EQ(net->numTensors(), 4 + 2 * (4 + 2) + 2);
  for (int d : net->indexDegrees())
    EXPECT_EQ(d, 2); // open indices: one gate plus the output

  std::optional<Network> all = randomCircuit(3, 0, 0, true, 3, error);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(fingerprint(*all), "o0,o1,o2->o0 o1 o2");

  std::optional<Network> single = randomCircuit(1, 3, 0, false, 0, error);
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(fingerprint(*single), "e0,e0 e1,e1 e2,e2 e3,e3->");
}

TEST(GeneratorsTest, RandomCircuitDeterminism) {
  std::string error;
  for (bool diagonal : {false, true}) {
    std::string a =
        writeNetworkJson(*randomCircuit(10, 6, 42, diagonal, 3, error));
    std::string b =
        writeNetworkJson(*randomCircuit(10, 6, 42, diagonal, 3, error));
    std::string c =
        writeNetworkJson(*randomCircuit(10, 6, 43, diagonal, 3, error));
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
  }
  EXPECT_EQ(fingerprint(*randomCircuit(4, 1, 7, false, 1, error)),
            "e0,e1,e2,e3,e0 e4,e1 e5,e2 e6,e3 e7,e4 e5 o0 e9,e6 e7 e10 e11,"
            "e9,e10,e11->o0");
}

TEST(GeneratorsTest, RandomCircuitErrors) {
  expectGeneratorError(
      [](std::string &e) { return randomCircuit(0, 3, 0, false, 0, e); },
      "qubits must be a positive integer");
  expectGeneratorError(
      [](std::string &e) { return randomCircuit(4, -1, 0, false, 0, e); },
      "depth must be non-negative");
  expectGeneratorError(
      [](std::string &e) { return randomCircuit(4, 3, 0, false, 5, e); },
      "openQubits must be between 0 and the number of qubits (4), got 5");
  expectGeneratorError(
      [](std::string &e) { return randomCircuit(4, 3, 0, false, -1, e); },
      "openQubits must be between");
  expectGeneratorError(
      [](std::string &e) { return randomCircuit(1000, 100000, 0, false, 0, e); },
      "too large");
}

//===----------------------------------------------------------------------===//
// randomHypergraph
//===----------------------------------------------------------------------===//

void checkHypergraph(const Network &net, int numTensors, int numIndices,
                     int maxDegree, int numOpen, int64_t extent) {
  checkNetwork(net);
  ASSERT_EQ(net.numTensors(), numTensors);
  EXPECT_EQ(net.numIndices(), numIndices + numOpen);
  EXPECT_EQ(static_cast<int>(net.output().size()), numOpen);
  EXPECT_TRUE(isConnected(net));
  for (int t = 0; t < numTensors; ++t)
    EXPECT_GE(net.tensorIndices(t).size(), 1u) << "tensor " << t;
  std::vector<int> degrees = net.indexDegrees();
  for (int id = 0; id < net.numIndices(); ++id) {
    EXPECT_EQ(net.extent(id), extent);
    const std::string &name = net.indexName(id);
    if (name[0] == 'o') {
      EXPECT_EQ(degrees[id], 2); // one tensor plus the output
    } else {
      EXPECT_EQ(name[0], 'e');
      EXPECT_GE(degrees[id], 2);
      EXPECT_LE(degrees[id], maxDegree);
    }
  }
  // No index appears twice in a tensor.
  for (int t = 0; t < numTensors; ++t) {
    const auto &idx = net.tensorIndices(t);
    EXPECT_EQ(std::set<int>(idx.begin(), idx.end()).size(), idx.size());
  }
}

TEST(GeneratorsTest, RandomHypergraph) {
  std::string error;
  struct Case {
    int tensors, indices, maxDegree, open;
  } cases[] = {{10, 15, 3, 0}, {10, 15, 3, 4}, {2, 1, 2, 0},  {20, 19, 2, 1},
               {20, 5, 6, 0},  {30, 60, 5, 7}, {5, 3, 10, 2}, {1, 0, 3, 2},
               {50, 49, 2, 0}, {7, 40, 7, 0}};
  for (const Case &c : cases) {
    for (uint64_t seed = 0; seed < 10; ++seed) {
      std::optional<Network> net = randomHypergraph(
          c.tensors, c.indices, c.maxDegree, c.open, 3, seed, error);
      ASSERT_TRUE(net.has_value()) << error;
      checkHypergraph(*net, c.tensors, c.indices, c.maxDegree, c.open, 3);
    }
  }
  // Hyperedges do occur.
  std::optional<Network> net = randomHypergraph(30, 60, 5, 0, 2, 1, error);
  ASSERT_TRUE(net.has_value());
  std::vector<int> degrees = net->indexDegrees();
  EXPECT_GT(*std::max_element(degrees.begin(), degrees.end()), 2);
}

TEST(GeneratorsTest, RandomHypergraphDeterminism) {
  std::string error;
  std::string a = writeNetworkJson(*randomHypergraph(12, 20, 4, 2, 2, 8, error));
  std::string b = writeNetworkJson(*randomHypergraph(12, 20, 4, 2, 2, 8, error));
  std::string c = writeNetworkJson(*randomHypergraph(12, 20, 4, 2, 2, 9, error));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(fingerprint(*randomHypergraph(4, 4, 3, 1, 2, 5, error)),
            "e0 e3 o0,e1 e2,e0 e2 e3,e0 e1 e3->o0");
}

TEST(GeneratorsTest, RandomHypergraphErrors) {
  auto make = [](int t, int i, int d, int o, int64_t x) {
    return [=](std::string &e) { return randomHypergraph(t, i, d, o, x, 0, e); };
  };
  expectGeneratorError(make(10, 2, 3, 0, 2), "too few indices to connect 10");
  expectGeneratorError(make(0, 2, 3, 0, 2), "numTensors must be a positive");
  expectGeneratorError(make(5, -1, 3, 0, 2), "numIndices must be non-negative");
  expectGeneratorError(make(5, 5, 1, 0, 2), "maxDegree must be at least 2");
  expectGeneratorError(make(5, 5, 3, -2, 2), "numOpen must be non-negative");
  expectGeneratorError(make(5, 5, 3, 0, 0), "extent must be a positive");
  expectGeneratorError(make(1, 0, 3, 0, 2), "at least one open index");
  expectGeneratorError(make(1, 2, 3, 1, 2), "numIndices must be 0");
  expectGeneratorError(make(2000000, 3000000, 3, 0, 2), "too large");
}

//===----------------------------------------------------------------------===//
// matrixChain
//===----------------------------------------------------------------------===//

TEST(GeneratorsTest, MatrixChain) {
  std::string error;
  std::optional<Network> net = matrixChain({2, 3, 4, 5}, error);
  ASSERT_TRUE(net.has_value()) << error;
  checkNetwork(*net);
  EXPECT_EQ(fingerprint(*net), "d0 d1,d1 d2,d2 d3->d0 d3");
  EXPECT_EQ(net->extents(), (std::vector<int64_t>{2, 3, 4, 5}));
  std::optional<Network> one = matrixChain({7, 8}, error);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(fingerprint(*one), "d0 d1->d0 d1");
  checkNetwork(*one);
  expectGeneratorError([](std::string &e) { return matrixChain({3}, e); },
                       "at least 2 dimensions");
  expectGeneratorError([](std::string &e) { return matrixChain({}, e); },
                       "at least 2 dimensions");
  expectGeneratorError([](std::string &e) { return matrixChain({2, 0, 3}, e); },
                       "dimension 1 must be a positive integer, got 0");
}

//===----------------------------------------------------------------------===//
// All generators
//===----------------------------------------------------------------------===//

TEST(GeneratorsTest, NameAndDtypeRoundTrip) {
  std::string error;
  std::vector<std::optional<Network>> nets = {
      randomRegular(8, 3, 2, 1, error),
      lattice(3, 3, 2, 2, true, error),
      pepsNorm(2, 2, 3, 2, error),
      mpsMpoMps(4, 4, 2, 2, error),
      ttLayer({2, 3, 4}, {4, 3, 2}, 2, 8, error),
      randomCircuit(5, 5, 1, true, 2, error),
      randomHypergraph(9, 12, 4, 3, 2, 4, error),
      matrixChain({5, 6, 7}, error),
  };
  for (auto &net : nets) {
    ASSERT_TRUE(net.has_value()) << error;
    EXPECT_EQ(net->name, "network");
    EXPECT_EQ(net->dtype, ElementType::F32);
    net->name = "gen_1";
    net->dtype = ElementType::Complex64;
    checkNetwork(*net);
  }
}

} // namespace
