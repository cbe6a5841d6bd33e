//===- ContractionPath.cpp - Contraction paths and their cost -------------===//

#include "tn/Path/ContractionPath.h"
#include "tn/Path/ContractionTree.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tnc {

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double log10Add(double a, double b) {
  if (a == kNegInf)
    return b;
  if (b == kNegInf)
    return a;
  double hi = std::max(a, b), lo = std::min(a, b);
  return hi + std::log10(1.0 + std::pow(10.0, lo - hi));
}

std::string validateSsaPath(int numTensors, const Path &ssa) {
  int expected = numTensors > 0 ? numTensors - 1 : 0;
  if (static_cast<int>(ssa.size()) != expected)
    return "path has " + std::to_string(ssa.size()) +
           " step(s) but a network of " + std::to_string(numTensors) +
           " tensor(s) needs " + std::to_string(expected);
  std::vector<bool> used(numTensors + ssa.size(), false);
  for (size_t k = 0; k < ssa.size(); ++k) {
    int live = numTensors + static_cast<int>(k);
    for (int id : {ssa[k].first, ssa[k].second}) {
      if (id < 0 || id >= live)
        return "path step " + std::to_string(k) + " uses tensor " +
               std::to_string(id) + ", which does not exist (tensors 0.." +
               std::to_string(live - 1) + " exist)";
      if (used[id])
        return "path step " + std::to_string(k) + " uses tensor " +
               std::to_string(id) + ", which an earlier step already "
               "contracted";
    }
    if (ssa[k].first == ssa[k].second)
      return "path step " + std::to_string(k) + " contracts tensor " +
             std::to_string(ssa[k].first) + " with itself";
    used[ssa[k].first] = used[ssa[k].second] = true;
  }
  return "";
}

std::optional<PathCost> evaluateSsaPath(const Network &net, const Path &ssa,
                                        std::string &error) {
  Hypergraph hg(net);
  std::optional<ContractionTree> tree = ContractionTree::fromSsa(hg, ssa, error);
  if (!tree)
    return std::nullopt;
  TreeStats stats = tree->stats();
  PathCost cost;
  cost.log10Cost = stats.log10Cost;
  cost.log10Flops = stats.log10Flops;
  cost.log2Width = stats.log2Width;
  cost.log10Write = stats.log10Write;
  cost.log2Peak = stats.log2Peak;
  cost.numSteps = static_cast<int>(ssa.size());
  return cost;
}

Path leftToRightPath(int numTensors) {
  Path path;
  if (numTensors < 2)
    return path;
  path.push_back({0, 1});
  for (int t = 2; t < numTensors; ++t)
    path.push_back({numTensors + t - 2, t});
  return path;
}

double log10SingleLoopCost(const Network &net) {
  double s = 0;
  for (int id = 0; id < net.numIndices(); ++id)
    s += std::log10(static_cast<double>(net.extent(id)));
  return s;
}

std::optional<Path> ssaToLinear(int numTensors, const Path &ssa,
                                std::string &error) {
  error = validateSsaPath(numTensors, ssa);
  if (!error.empty())
    return std::nullopt;
  std::vector<int> current(numTensors);
  for (int t = 0; t < numTensors; ++t)
    current[t] = t;
  Path linear;
  for (size_t k = 0; k < ssa.size(); ++k) {
    auto pos = [&](int id) {
      return static_cast<int>(std::find(current.begin(), current.end(), id) -
                              current.begin());
    };
    int i = pos(ssa[k].first), j = pos(ssa[k].second);
    linear.push_back({std::min(i, j), std::max(i, j)});
    current.erase(current.begin() + std::max(i, j));
    current.erase(current.begin() + std::min(i, j));
    current.push_back(numTensors + static_cast<int>(k));
  }
  return linear;
}

std::optional<Path> linearToSsa(int numTensors, const Path &linear,
                                std::string &error) {
  int expected = numTensors > 0 ? numTensors - 1 : 0;
  if (static_cast<int>(linear.size()) != expected) {
    error = "path has " + std::to_string(linear.size()) +
            " step(s) but a network of " + std::to_string(numTensors) +
            " tensor(s) needs " + std::to_string(expected);
    return std::nullopt;
  }
  std::vector<int> current(numTensors);
  for (int t = 0; t < numTensors; ++t)
    current[t] = t;
  Path ssa;
  for (size_t k = 0; k < linear.size(); ++k) {
    int i = linear[k].first, j = linear[k].second;
    int size = static_cast<int>(current.size());
    if (i < 0 || j < 0 || i >= size || j >= size || i == j) {
      error = "path step " + std::to_string(k) + " (" + std::to_string(i) +
              ", " + std::to_string(j) + ") is invalid for " +
              std::to_string(size) + " remaining operand(s)";
      return std::nullopt;
    }
    ssa.push_back({current[i], current[j]});
    current.erase(current.begin() + std::max(i, j));
    current.erase(current.begin() + std::min(i, j));
    current.push_back(numTensors + static_cast<int>(k));
  }
  return ssa;
}

} // namespace tnc
