//===- Optimize.h - Contraction-order optimization driver -------*- C++ -*-===//
//
// The entry point the compiler pass, the Python package and the benchmarks
// share: simplify the network, search for a contraction tree with the chosen
// algorithm under a time or trial budget, improve it, slice it to a memory
// target, and report. MLIR-free.
//
//===----------------------------------------------------------------------===//

#ifndef TN_PATH_OPTIMIZE_H
#define TN_PATH_OPTIMIZE_H

#include "tn/Network/Network.h"
#include "tn/Path/ContractionTree.h"
#include "tn/Support/Json.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tnc {

enum class Algorithm { Auto, Optimal, Greedy, RandomGreedy, Partition, Hyper };

/// "auto", "optimal", "greedy", "random-greedy", "partition", "hyper".
std::optional<Algorithm> parseAlgorithm(const std::string &s);
const char *algorithmName(Algorithm algorithm);

struct OptimizeOptions {
  Algorithm algorithm = Algorithm::Auto;
  Objective objective;
  /// Search time budget in seconds (0: none; the trial budget decides).
  /// Randomized searches stopped by time are not reproducible; stopped by
  /// `repeats` they are, for a given seed and thread count.
  double maxTimeSeconds = 0;
  /// Number of randomized trials (0: the algorithm's default).
  int repeats = 0;
  uint64_t seed = 0;
  /// Largest intermediate allowed, in elements (0: no limit).
  double memoryLimit = 0;
  /// Slice until the largest intermediate has at most this many elements
  /// (0: no slicing).
  double sliceTarget = 0;
  /// Worker threads for randomized searches (0: all cores).
  int threads = 0;
  /// Simplify before searching (absorb rank-1/2 tensors, merge parallel
  /// indices, split components).
  bool simplify = true;
  /// Subtree reconfiguration of the best tree (randomized algorithms).
  bool reconfigure = true;
  /// Called now and then with a one-line progress message (may be empty).
  std::function<void(const std::string &)> progress;
};

struct OptimizeResult {
  /// The contraction tree over the network's tensors, in SSA form.
  Path ssa;
  /// Statistics of the tree per slice (equal to the whole when unsliced).
  TreeStats stats;
  /// What ran, e.g. "optimal", "hyper (best: partition)".
  std::string algorithm;
  /// Sliced indices (network index ids) and the slice count.
  std::vector<int> slicedIndices;
  double log10Slices = 0;
  /// log10 of the total cost over all slices.
  double log10TotalCost = 0;
  /// Total cost with slicing / cost of the tree before slicing.
  double sliceOverhead = 1;
  double searchSeconds = 0;
  int trials = 0;
};

/// Checks the numeric options: max-time, memory-limit and slice-target
/// finite and non-negative, memory-limit and slice-target 0 or at least 1,
/// repeats and threads non-negative. Returns an empty string when valid, else
/// the message (naming the options as the pass does).
std::string validateOptimizeOptions(const OptimizeOptions &options);

/// Parses options written as the pass writes them, space-separated
/// `key=value` words: algorithm, objective, max-time, repeats, seed,
/// memory-limit, slice-target, threads, simplify, reconfigure (booleans:
/// true/false/1/0). Unknown keys, malformed values and out-of-range numbers
/// are errors (then `error` says which and the result is std::nullopt).
/// Used by the C API and the Python package.
std::optional<OptimizeOptions> parseOptimizeOptions(std::string_view text,
                                                    std::string &error);

/// Finds a contraction order for `net`. Returns std::nullopt with a message
/// for an impossible request (e.g. "optimal" on a component of more than 64
/// tensors, or a search stopped before it found anything).
std::optional<OptimizeResult> optimizeContraction(const Network &net,
                                                  const OptimizeOptions &options,
                                                  std::string &error);

/// A path as a JSON array of [a, b] pairs.
JsonValue pathToJson(const Path &path);

/// The report entry of one network (see docs/passes.md): name, num_tensors,
/// algorithm, log10_cost, log2_width, log10_write, num_slices,
/// sliced_indices, search_seconds, path (opt_einsum's linear format).
/// Log values are rounded to 6 decimals unless `fullPrecision`.
JsonValue reportEntry(const Network &net, const OptimizeResult &result,
                      bool fullPrecision = false);

} // namespace tnc

#endif // TN_PATH_OPTIMIZE_H
