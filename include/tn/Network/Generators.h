//===- Generators.h - Deterministic tensor network generators ---*- C++ -*-===//
//
// Networks of the classes the project tests and benchmarks on. All generators
// are deterministic: the same arguments (and seed) give the same network on
// every platform (an own PRNG, no std:: distributions). Index names are
// short, readable and unique ("b12", "p3", ...). Each generator validates its
// arguments and returns std::nullopt with a message in `error` when they are
// out of range (non-positive sizes, an odd n*degree for regular graphs, ...).
//
//===----------------------------------------------------------------------===//

#ifndef TN_NETWORK_GENERATORS_H
#define TN_NETWORK_GENERATORS_H

#include "tn/Network/Network.h"
#include "tn/Support/Random.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tnc {

/// Closed network on a random `degree`-regular graph with `n` nodes, every
/// edge an index of extent `bond` (configuration model with restarts; no
/// self-loops or multi-edges). Requires n*degree even and degree < n.
std::optional<Network> randomRegular(int n, int degree, int64_t bond,
                                     uint64_t seed, std::string &error);

/// Lx x Ly (x Lz when lz > 1) lattice of tensors with bond extent `bond`;
/// periodic wraps every dimension of length > 2. Closed (scalar output).
std::optional<Network> lattice(int lx, int ly, int lz, int64_t bond,
                               bool periodic, std::string &error);

/// Norm <psi|psi> of an Lx x Ly PEPS with bond dimension `bond` and physical
/// dimension `phys`: two layers (ket and bra) joined by the physical indices.
std::optional<Network> pepsNorm(int lx, int ly, int64_t bond, int64_t phys,
                                std::string &error);

/// Expectation value <psi|H|psi> of an open-boundary MPS (bond `chi`,
/// physical `d`) with an MPO (bond `mpoBond`) of length L: 3L tensors.
std::optional<Network> mpsMpoMps(int length, int64_t chi, int64_t mpoBond,
                                 int64_t phys, std::string &error);

/// A tensor-train (TT / MPO) layer applied to a batch:
///   y[batch, o1..od] = x[batch, i1..id] * G1[i1, o1, r1] G2[r1, i2, o2, r2]
///                      ... Gd[r(d-1), id, od]
/// Tensor 0 is the input x; the output is (batch, o1, ..., od). Requires
/// inModes.size() == outModes.size() >= 1.
std::optional<Network> ttLayer(const std::vector<int64_t> &inModes,
                               const std::vector<int64_t> &outModes,
                               int64_t rank, int64_t batch, std::string &error);

/// A random quantum circuit amplitude <x|C|0...0> on `qubits` qubits with
/// `depth` layers of random single-qubit gates (2x2) and two-qubit gates on
/// random pairs. With `diagonalHyperedges`, two-qubit gates are diagonal
/// (CZ/RZZ-like) and keep the wire indices, producing hyperedges; otherwise
/// they are rank-4 tensors. `openQubits` of the output qubits are left open
/// (the output indices) instead of being closed by a basis vector.
std::optional<Network> randomCircuit(int qubits, int depth, uint64_t seed,
                                     bool diagonalHyperedges, int openQubits,
                                     std::string &error);

/// A random hypergraph: `numTensors` tensors, `numIndices` indices of
/// extent `extent`, each joining between 2 and `maxDegree` random distinct
/// tensors; `numOpen` further indices each on one tensor are left open
/// (output). Every tensor gets at least one index and the network is
/// connected.
std::optional<Network> randomHypergraph(int numTensors, int numIndices,
                                        int maxDegree, int numOpen,
                                        int64_t extent, uint64_t seed,
                                        std::string &error);

/// A chain of `n` matrices with the given n+1 dimensions: A1[d0,d1]
/// A2[d1,d2] ... -> [d0, dn].
std::optional<Network> matrixChain(const std::vector<int64_t> &dims,
                                   std::string &error);

} // namespace tnc

#endif // TN_NETWORK_GENERATORS_H
