//===- ContractionPath.cpp - Contraction paths and their cost -------------===//

#include "tn/Path/ContractionPath.h"

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

namespace {
/// Sorted, duplicate-free index ids of a tensor.
std::vector<int> distinct(std::vector<int> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

double log10SizeOf(const Network &net, const std::vector<int> &ids) {
  double s = 0;
  for (int id : ids)
    s += std::log10(static_cast<double>(net.extent(id)));
  return s;
}
} // namespace

std::optional<PathCost> evaluateSsaPath(const Network &net, const Path &ssa,
                                        std::string &error) {
  int n = net.numTensors();
  error = validateSsaPath(n, ssa);
  if (!error.empty())
    return std::nullopt;

  PathCost cost;
  std::vector<std::vector<int>> sets;
  sets.reserve(n + ssa.size());
  // How many live tensors hold each index, plus one if it is an output.
  std::vector<int> holders(net.numIndices(), 0);
  for (int id : net.output())
    holders[id] += 1;
  // Live elements, in plain doubles: exact enough for a peak, and finite for
  // any network whose intermediates fit in memory at all.
  double live = 0;
  for (int t = 0; t < n; ++t) {
    sets.push_back(distinct(net.tensorIndices(t)));
    for (int id : sets.back())
      holders[id] += 1;
    live += std::pow(10.0, log10SizeOf(net, sets.back()));
  }
  double peak = live;

  if (n == 1) {
    // One pass over the tensor if anything is summed or traced.
    const std::vector<int> &ids = net.tensorIndices(0);
    bool reduces = sets[0].size() != ids.size() ||
                   sets[0].size() != net.output().size();
    if (reduces) {
      cost.log10Cost = log10SizeOf(net, sets[0]);
      cost.log10Flops = cost.log10Cost;
    }
    cost.log2Width = log10SizeOf(net, distinct(net.output())) / std::log10(2.0);
    cost.log2Peak = std::log2(peak);
    return cost;
  }

  double log10Width = 0;
  for (const PathStep &step : ssa) {
    const std::vector<int> &a = sets[step.first];
    const std::vector<int> &b = sets[step.second];
    std::vector<int> all;
    std::set_union(a.begin(), a.end(), b.begin(), b.end(),
                   std::back_inserter(all));
    std::vector<int> kept;
    bool summed = false;
    for (int id : all) {
      int inA = std::binary_search(a.begin(), a.end(), id);
      int inB = std::binary_search(b.begin(), b.end(), id);
      holders[id] -= inA + inB;
      if (holders[id] > 0) {
        kept.push_back(id);
        holders[id] += 1;
      } else {
        summed = true;
      }
    }
    double stepCost = log10SizeOf(net, all);
    double resultSize = log10SizeOf(net, kept);
    cost.log10Cost = log10Add(cost.log10Cost, stepCost);
    cost.log10Flops = log10Add(cost.log10Flops,
                               stepCost + (summed ? std::log10(2.0) : 0.0));
    cost.log10Write = log10Add(cost.log10Write, resultSize);
    log10Width = std::max(log10Width, resultSize);
    live += std::pow(10.0, resultSize);
    peak = std::max(peak, live);
    live -= std::pow(10.0, log10SizeOf(net, a)) +
            std::pow(10.0, log10SizeOf(net, b));
    sets.push_back(std::move(kept));
    ++cost.numSteps;
  }
  cost.log2Width = log10Width / std::log10(2.0);
  cost.log2Peak = std::log2(peak);
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
