//===- Optimize.cpp - Contraction-order optimization driver ---------------===//

#include "tn/Path/Optimize.h"
#include "tn/Path/Greedy.h"
#include "tn/Path/Optimal.h"
#include "tn/Path/Partition.h"
#include "tn/Path/Rebuild.h"
#include "tn/Path/Reconfigure.h"
#include "tn/Support/Random.h"

#include <algorithm>
#include <atomic>
#include <array>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <mutex>
#include <thread>

namespace tnc {

std::optional<Algorithm> parseAlgorithm(const std::string &s) {
  if (s == "auto")
    return Algorithm::Auto;
  if (s == "optimal")
    return Algorithm::Optimal;
  if (s == "greedy")
    return Algorithm::Greedy;
  if (s == "random-greedy")
    return Algorithm::RandomGreedy;
  if (s == "partition")
    return Algorithm::Partition;
  if (s == "hyper")
    return Algorithm::Hyper;
  return std::nullopt;
}

const char *algorithmName(Algorithm algorithm) {
  switch (algorithm) {
  case Algorithm::Auto:
    return "auto";
  case Algorithm::Optimal:
    return "optimal";
  case Algorithm::Greedy:
    return "greedy";
  case Algorithm::RandomGreedy:
    return "random-greedy";
  case Algorithm::Partition:
    return "partition";
  case Algorithm::Hyper:
    return "hyper";
  }
  return "?";
}

std::string validateOptimizeOptions(const OptimizeOptions &o) {
  auto bad = [](double v) { return !std::isfinite(v) || v < 0; };
  auto number = [](double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return std::string(buf);
  };
  if (bad(o.maxTimeSeconds))
    return "max-time must be a finite non-negative number, got " +
           number(o.maxTimeSeconds);
  if (bad(o.memoryLimit))
    return "memory-limit must be a finite non-negative number, got " +
           number(o.memoryLimit);
  if (bad(o.sliceTarget))
    return "slice-target must be a finite non-negative number, got " +
           number(o.sliceTarget);
  if (o.repeats < 0 || o.threads < 0)
    return "repeats and threads must be non-negative";
  if ((o.memoryLimit > 0 && o.memoryLimit < 1) ||
      (o.sliceTarget > 0 && o.sliceTarget < 1))
    return "memory-limit and slice-target count elements and must be at "
           "least 1";
  return "";
}

std::optional<OptimizeOptions> parseOptimizeOptions(std::string_view text,
                                                    std::string &error) {
  OptimizeOptions o;
  auto isSpace = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  auto parseDouble = [](const std::string &v, double &out) {
    if (v.empty())
      return false;
    char *end = nullptr;
    errno = 0;
    out = std::strtod(v.c_str(), &end);
    return *end == '\0' && errno != ERANGE;
  };
  auto parseInt = [](const std::string &v, int64_t lo, int64_t hi,
                     int64_t &out) {
    if (v.empty())
      return false;
    char *end = nullptr;
    errno = 0;
    long long x = std::strtoll(v.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE || x < lo || x > hi)
      return false;
    out = x;
    return true;
  };
  size_t i = 0;
  while (i < text.size()) {
    if (isSpace(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && !isSpace(text[j]))
      ++j;
    std::string word(text.substr(i, j - i));
    i = j;
    size_t eq = word.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = "expected key=value, got '" + word + "'";
      return std::nullopt;
    }
    std::string key = word.substr(0, eq), value = word.substr(eq + 1);
    auto invalid = [&](const char *expected) {
      error = "invalid value '" + value + "' for " + key + " (expected " +
              expected + ")";
      return std::nullopt;
    };
    if (key == "algorithm") {
      std::optional<Algorithm> a = parseAlgorithm(value);
      if (!a)
        return invalid("auto, optimal, greedy, random-greedy, partition or "
                       "hyper");
      o.algorithm = *a;
    } else if (key == "objective") {
      std::optional<Objective> obj = parseObjective(value);
      if (!obj)
        return invalid("flops, size, write, combo, limit, combo-<alpha> or "
                       "limit-<alpha>");
      o.objective = *obj;
    } else if (key == "max-time" || key == "memory-limit" ||
               key == "slice-target") {
      double v;
      if (!parseDouble(value, v))
        return invalid("a number");
      (key == "max-time"       ? o.maxTimeSeconds
       : key == "memory-limit" ? o.memoryLimit
                               : o.sliceTarget) = v;
    } else if (key == "repeats" || key == "threads") {
      int64_t v;
      if (!parseInt(value, INT32_MIN, INT32_MAX, v))
        return invalid("an integer");
      (key == "repeats" ? o.repeats : o.threads) = static_cast<int>(v);
    } else if (key == "seed") {
      char *end = nullptr;
      errno = 0;
      unsigned long long v = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || value[0] == '-' || *end != '\0' || errno == ERANGE)
        return invalid("a non-negative integer");
      o.seed = v;
    } else if (key == "simplify" || key == "reconfigure") {
      bool v;
      if (value == "true" || value == "1")
        v = true;
      else if (value == "false" || value == "0")
        v = false;
      else
        return invalid("true or false");
      (key == "simplify" ? o.simplify : o.reconfigure) = v;
    } else {
      error = "unknown option '" + key +
              "' (expected algorithm, objective, max-time, repeats, seed, "
              "memory-limit, slice-target, threads, simplify or reconfigure)";
      return std::nullopt;
    }
  }
  error = validateOptimizeOptions(o);
  if (!error.empty())
    return std::nullopt;
  return o;
}

namespace {

uint64_t mix(uint64_t seed, uint64_t i) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + i + 0x632BE59BD9B4E019ull;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return x;
}

/// Connected groups among a set of live roots (through shared open legs).
std::vector<std::vector<int>> groupsOf(const ContractionTree &tree,
                                       const std::vector<int> &nodes) {
  std::vector<int> firstHolder(tree.hypergraph().numEdges(), -1);
  std::vector<int> parent(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    parent[i] = static_cast<int>(i);
  auto find = [&](int x) {
    while (parent[x] != x)
      x = parent[x] = parent[parent[x]];
    return x;
  };
  for (size_t i = 0; i < nodes.size(); ++i)
    for (const Leg &leg : tree.legs(nodes[i])) {
      int &first = firstHolder[leg.edge];
      if (first < 0)
        first = static_cast<int>(i);
      else
        parent[find(static_cast<int>(i))] = find(first);
    }
  std::vector<std::vector<int>> groups;
  std::vector<int> groupOf(nodes.size(), -1);
  for (size_t i = 0; i < nodes.size(); ++i) {
    int r = find(static_cast<int>(i));
    if (groupOf[r] < 0) {
      groupOf[r] = static_cast<int>(groups.size());
      groups.emplace_back();
    }
    groups[groupOf[r]].push_back(nodes[i]);
  }
  return groups;
}

/// Joins roots that share no index by outer products, smallest first.
int joinByOuterProducts(ContractionTree &tree, std::vector<int> roots) {
  while (roots.size() > 1) {
    std::sort(roots.begin(), roots.end(), [&](int a, int b) {
      if (tree.log2Size(a) != tree.log2Size(b))
        return tree.log2Size(a) > tree.log2Size(b);
      return a > b;
    });
    int a = roots.back();
    roots.pop_back();
    int b = roots.back();
    roots.pop_back();
    roots.push_back(tree.contract(a, b));
  }
  return roots.front();
}

/// Rank simplification: contracts tensors with at most two legs into a
/// neighbour when the step is cheap: the result is no larger than the larger
/// operand and the step costs no more than one pass over it (a vector, or a
/// matrix with a small extent, absorbed into its neighbour). Heuristic
/// searches gain from the smaller network; exact searches skip it.
void absorbLowRank(ContractionTree &tree) {
  bool changed = true;
  std::vector<Leg> scratch;
  while (changed) {
    changed = false;
    std::vector<int> roots = tree.roots();
    std::vector<std::vector<int>> holders(tree.hypergraph().numEdges());
    for (int r : roots)
      for (const Leg &leg : tree.legs(r))
        holders[leg.edge].push_back(r);
    std::vector<char> used(tree.numNodes(), 0);
    for (int r : roots) {
      if (used[r] || tree.legs(r).size() > 2)
        continue;
      int best = -1;
      double bestSize = 0;
      for (const Leg &leg : tree.legs(r))
        for (int m : holders[leg.edge]) {
          if (m == r || used[m])
            continue;
          double cost;
          double size = mergeLegs(tree.hypergraph(), tree.legs(r),
                                  tree.legs(m), scratch, cost);
          double larger = std::max(tree.log2Size(r), tree.log2Size(m));
          if (size > larger + 1e-9 || cost > larger + 1e-9)
            continue;
          if (best < 0 || size < bestSize || (size == bestSize && m < best)) {
            best = m;
            bestSize = size;
          }
        }
      if (best < 0)
        continue;
      used[r] = used[best] = 1;
      tree.contract(std::min(r, best), std::max(r, best));
      changed = true;
    }
  }
}

struct TrialResult {
  double score = std::numeric_limits<double>::infinity();
  int index = -1;
  std::string method;
  std::optional<ContractionTree> tree;
};

bool trialBefore(const TrialResult &a, const TrialResult &b) {
  return a.score < b.score || (a.score == b.score && a.index < b.index);
}

/// Inserts `r` into `top` (sorted, at most `k` entries).
void keepTop(std::vector<TrialResult> &top, TrialResult r, size_t k) {
  auto it = std::lower_bound(top.begin(), top.end(), r, trialBefore);
  if (static_cast<size_t>(it - top.begin()) >= k)
    return;
  top.insert(it, std::move(r));
  if (top.size() > k)
    top.pop_back();
}

/// Reconfigures each tree in `trees` (in parallel), with growing subtree
/// sizes, and returns the index of the best result. With `rebuild` (a time
/// budget), once subtrees of up to 12 have converged, half of the time left
/// goes to rebuilding larger regions (rebuildSubtrees) before the larger
/// sizes get the rest.
size_t reconfigureBest(std::vector<TrialResult> &trees, int threads,
                       const Objective &objective,
                       const std::vector<int> &subtreeSizes,
                       Clock::time_point deadline, bool rebuild,
                       uint64_t seed) {
  auto work = [&](size_t k) {
    ContractionTree &tree = *trees[k].tree;
    // The ladder of sizes again while it still changes the tree: a
    // replacement at one size (also one that only lowers the write or the
    // width) opens moves at another (rand_50_5: 16.22 -> 16.15 from a tree
    // that subtrees of 12 alone could not improve).
    auto ladder = [&](int maxSize) {
      for (int sweep = 0; sweep < 8; ++sweep) {
        int replaced = 0;
        for (int size : subtreeSizes) {
          if (Clock::now() >= deadline || size > maxSize)
            break;
          ReconfigureOptions r;
          r.objective = objective;
          r.subtreeSize = size;
          r.maxPasses = 16;
          r.deadline = deadline;
          replaced += reconfigure(tree, r);
        }
        if (replaced == 0 || Clock::now() >= deadline)
          break;
      }
    };
    if (rebuild) {
      // Trees that subtrees of 12 cannot improve still differ from better
      // ones in how tens of tensors are grouped. Rebuilding such regions
      // (10 s, seeds 1-4): regular_n200 9.85/9.84/9.91/9.81 ->
      // 9.83/9.81/9.88/9.81, randreg_200_3_a 11.75/11.69/11.67/11.70 ->
      // 11.66/11.66/11.70/11.69 (seeds 5-12: mean 11.672 -> 11.666 with
      // regions of 20 tensors up to 60% of the network against 30 up to
      // 50%); the larger sizes still help Sycamore, hence the split.
      ladder(12);
      RebuildOptions o;
      o.objective = objective;
      o.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      (deadline - Clock::now()) * 0.5);
      Rng rng(mix(seed, 0x5EB17Dull + k));
      rebuildSubtrees(tree, o, rng);
    }
    ladder(std::numeric_limits<int>::max());
    trees[k].score = score(tree, objective);
  };
  std::vector<std::thread> pool;
  int used = std::max(1, std::min<int>(threads, static_cast<int>(trees.size())));
  for (int t = 0; t < used; ++t)
    pool.emplace_back([&, t] {
      for (size_t k = t; k < trees.size(); k += used)
        work(k);
    });
  for (std::thread &th : pool)
    th.join();
  size_t best = 0;
  for (size_t k = 1; k < trees.size(); ++k)
    if (trialBefore(trees[k], trees[best]))
      best = k;
  return best;
}

/// Parameters of one trial: a method and a point of the unit cube that the
/// method maps to its options.
constexpr size_t kSampleDims = 12;
struct Sample {
  int method = 0; // 0: greedy, 1: partition
  std::array<double, kSampleDims> u{};
  /// >= 0: not sampled but deterministicGreedy(variant), run first so that
  /// a randomized search is never worse than the deterministic greedy
  /// variants; not reported to the tuner.
  int variant = -1;
};

/// The deterministic greedy variants. Each wins somewhere: opt_einsum's
/// discipline (circuits, 3D lattices; variant 0, what algorithm=greedy
/// runs), the full queue (2D lattices, hyperedge circuits), stronger and
/// weaker weights of the removed sizes (MPS sandwiches, random graphs,
/// trees).
constexpr int kNumDeterministicGreedy = 4;
GreedyOptions deterministicGreedy(int variant) {
  static const std::pair<double, bool> variants[kNumDeterministicGreedy] = {
      {1.0, true}, {1.0, false}, {2.0, true}, {0.5, true}};
  GreedyOptions g;
  g.costmod = variants[variant].first;
  g.lazy = variants[variant].second;
  return g;
}

/// A small deterministic tuner (in the spirit of cotengra's use of optuna):
/// samples uniformly at first, then increasingly around the best points
/// seen so far, and favours the method whose best score is lower.
class Tuner {
public:
  Tuner(std::vector<int> methods) : methods_(std::move(methods)) {
    history_.resize(2);
  }

  Sample propose(Rng &rng) {
    Sample s;
    s.method = chooseMethod(rng);
    const auto &h = history_[s.method];
    bool explore = h.size() < 4 || rng.uniformReal() < 0.35;
    if (explore) {
      for (double &x : s.u)
        x = rng.uniformReal();
      return s;
    }
    // A parent among the best eight, better ranks more likely.
    size_t n = std::min<size_t>(8, h.size());
    size_t k = static_cast<size_t>(n * rng.uniformReal() * rng.uniformReal());
    const std::array<double, kSampleDims> &parent = h[std::min(k, n - 1)].second;
    for (size_t d = 0; d < s.u.size(); ++d) {
      double g = gaussian(rng) * 0.12;
      s.u[d] = std::min(1.0, std::max(0.0, parent[d] + g));
    }
    return s;
  }

  void report(const Sample &s, double score) {
    auto &h = history_[s.method];
    auto it = std::lower_bound(
        h.begin(), h.end(), score,
        [](const auto &entry, double v) { return entry.first < v; });
    h.insert(it, {score, s.u});
    if (h.size() > 32)
      h.pop_back();
  }

private:
  static double gaussian(Rng &rng) {
    double u1 = std::max(rng.uniformReal(), 1e-300), u2 = rng.uniformReal();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  int chooseMethod(Rng &rng) {
    if (methods_.size() == 1)
      return methods_[0];
    // Until every method has a few results: round robin.
    for (int m : methods_)
      if (history_[m].size() < 4)
        return m;
    double best = std::numeric_limits<double>::infinity();
    for (int m : methods_)
      best = std::min(best, history_[m].front().first);
    std::vector<double> w;
    double total = 0;
    for (int m : methods_) {
      // A method a decade behind gets about a fifth of the trials of the
      // leader; none drops below 10%.
      double x = 0.1 + std::exp(-(history_[m].front().first - best) * 1.6);
      w.push_back(x);
      total += x;
    }
    double r = rng.uniformReal() * total;
    for (size_t i = 0; i < methods_.size(); ++i) {
      if (r < w[i])
        return methods_[i];
      r -= w[i];
    }
    return methods_.back();
  }

  std::vector<int> methods_;
  std::vector<std::vector<std::pair<double, std::array<double, kSampleDims>>>> history_;
};

/// Runs up to `numTrials` tuned trials in rounds of a few per thread: a
/// round's samples depend only on earlier rounds, and its trials run in
/// parallel, so the outcome is reproducible for a seed unless the deadline
/// cuts in. The first `seededVariants` trials are the deterministic greedy
/// variants. Returns the `keep` best trees, best first.
template <typename Fn>
std::vector<TrialResult>
runTunedTrials(const ContractionTree &base, int numTrials, int threads,
               Clock::time_point deadline, const Objective &objective,
               Tuner &tuner, uint64_t seed, Fn &&trial, size_t keep,
               int seededVariants, int &completed,
               const std::function<void(const std::string &)> &progress) {
  std::vector<TrialResult> top;
  double bestScore = std::numeric_limits<double>::infinity();
  auto start = Clock::now(), lastReport = start;
  // Fixed, so that the samples do not depend on the thread count.
  const int roundSize = 8;
  completed = 0;
  for (int first = 0, round = 0; first < numTrials; first += roundSize, ++round) {
    if (Clock::now() >= deadline)
      break;
    int count = std::min(roundSize, numTrials - first);
    Rng rng(mix(seed ^ 0xA5A5A5A5ull, static_cast<uint64_t>(round)));
    std::vector<Sample> samples;
    for (int i = 0; i < count; ++i) {
      if (first + i < seededVariants) {
        Sample s;
        s.variant = first + i;
        samples.push_back(s);
        continue;
      }
      samples.push_back(tuner.propose(rng));
    }
    std::vector<std::optional<TrialResult>> results(count);
    // Trials go to whichever thread is free (their lengths vary a lot); each
    // writes its own slot, so the result does not depend on the schedule.
    std::atomic<int> nextTrial{0};
    auto worker = [&](int) {
      for (int i; (i = nextTrial.fetch_add(1)) < count;) {
        if (Clock::now() >= deadline)
          break;
        ContractionTree tree = base;
        int index = first + i;
        std::string method = trial(index, samples[i], tree);
        TrialResult r;
        r.score = score(tree, objective);
        r.index = index;
        r.method = std::move(method);
        r.tree = std::move(tree);
        results[i] = std::move(r);
      }
    };
    if (threads <= 1) {
      worker(0);
    } else {
      std::vector<std::thread> pool;
      for (int t = 0; t < threads; ++t)
        pool.emplace_back(worker, t);
      for (std::thread &th : pool)
        th.join();
    }
    for (int i = 0; i < count; ++i) {
      if (!results[i])
        continue;
      ++completed;
      if (samples[i].variant < 0)
        tuner.report(samples[i], results[i]->score);
      bestScore = std::min(bestScore, results[i]->score);
      keepTop(top, std::move(*results[i]), keep);
    }
    if (progress && Clock::now() - lastReport > std::chrono::seconds(1)) {
      lastReport = Clock::now();
      char buf[160];
      std::snprintf(buf, sizeof buf, "%d trials in %.1f s, best score %.3f",
                    completed,
                    std::chrono::duration<double>(lastReport - start).count(),
                    bestScore);
      progress(buf);
    }
  }
  return top;
}

} // namespace

std::optional<OptimizeResult> optimizeContraction(const Network &net,
                                                  const OptimizeOptions &opts,
                                                  std::string &error) {
  auto start = Clock::now();
  Clock::time_point deadline =
      opts.maxTimeSeconds > 0
          ? start + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(opts.maxTimeSeconds))
          : Clock::time_point::max();
  // The number of worker threads, asked for only by the searches that use
  // them (hardware_concurrency reads /sys: tens of microseconds, more than a
  // whole greedy search of a small network).
  auto workerThreads = [&]() {
    if (opts.threads > 0)
      return opts.threads;
    static const int cores =
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return cores;
  };
  // The deterministic greedy of a small network needs neither the
  // hypergraph nor a tree: the same path and statistics from bit sets.
  if (opts.algorithm == Algorithm::Greedy && opts.sliceTarget <= 0 &&
      opts.memoryLimit <= 0) {
    OptimizeResult small;
    if (greedySmallNetwork(net, small.ssa, small.stats)) {
      small.algorithm = algorithmName(Algorithm::Greedy);
      small.log10TotalCost = small.stats.log10Cost;
      small.searchSeconds =
          std::chrono::duration<double>(Clock::now() - start).count();
      return small;
    }
  }
  Objective objective = opts.objective;
  if (opts.memoryLimit > 0)
    objective.log2MemoryLimit = std::log2(opts.memoryLimit);

  OptimizeResult result;
  Hypergraph full(net);
  // Merging parallel indices speeds up the searches that evaluate many
  // candidate steps; a greedy pass gives the same tree either way.
  bool merge = opts.simplify && opts.algorithm != Algorithm::Greedy &&
               opts.algorithm != Algorithm::RandomGreedy;
  std::optional<Hypergraph> merged;
  if (merge)
    merged = full.mergedParallel();
  ContractionTree base(merged ? *merged : full);

  Algorithm algorithm = opts.algorithm;
  bool solved = false;
  if (algorithm == Algorithm::Auto) {
    size_t largest = 0;
    for (const auto &g : groupsOf(base, base.roots()))
      largest = std::max(largest, g.size());
    algorithm = largest <= 16 ? Algorithm::Optimal : Algorithm::Hyper;
  }
  if (algorithm == Algorithm::Hyper && base.roots().size() <= 64) {
    // The exact search is one of the hyper search's methods: sparse networks
    // of up to 64 tensors often solve in well under a second, and then no
    // sampled tree can do better. Those that solve at all within a hyper
    // budget do so fast (the suite's take at most 0.5 s), while a dense one
    // (rand_50_5) would waste whatever it gets: a quarter of the budget, at
    // most 1 s plus a twentieth of it (a second without a budget).
    ContractionTree attempt = base;
    OptimalOptions o;
    o.objective = objective;
    o.timeLimitSeconds =
        opts.maxTimeSeconds > 0
            ? std::min(opts.maxTimeSeconds / 4, 1.0 + opts.maxTimeSeconds / 20)
            : 1.0;
    std::string ignored;
    if (optimalContract(attempt, attempt.roots(), o, ignored) >= 0) {
      base = std::move(attempt);
      solved = true;
    }
  }
  // The exact search sees the whole network (merging parallel indices does
  // not change any cost); the others work on a simplified one, one
  // connected component at a time.
  bool exact = algorithm == Algorithm::Optimal;
  // The deterministic greedy is the fast path: it needs no simplification
  // (it joins components itself) and no per-component bookkeeping.
  bool whole = exact || algorithm == Algorithm::Greedy;
  if (opts.simplify && !whole)
    absorbLowRank(base);
  std::vector<std::vector<int>> groups =
      solved  ? std::vector<std::vector<int>>{}
      : whole ? std::vector<std::vector<int>>{base.roots()}
              : groupsOf(base, base.roots());

  std::string used = algorithmName(algorithm);
  if (solved)
    used = "hyper (best: optimal)";
  int totalTrials = 0;
  std::vector<int> groupRoots;
  for (const std::vector<int> &group : groups) {
    if (group.size() == 1) {
      groupRoots.push_back(group[0]);
      continue;
    }
    if (exact) {
      OptimalOptions o;
      o.objective = objective;
      if (opts.maxTimeSeconds > 0)
        o.timeLimitSeconds = std::max(
            0.0, std::chrono::duration<double>(deadline - Clock::now()).count());
      int r = optimalContract(base, group, o, error);
      if (r < 0) {
        error = "optimal search failed on a component of " +
                std::to_string(group.size()) + " tensors: " + error;
        return std::nullopt;
      }
      groupRoots.push_back(r);
      continue;
    }
    if (algorithm == Algorithm::Greedy) {
      // One deterministic pass with opt_einsum's queue discipline and score:
      // its tree (up to ties), at a fraction of its time. The other
      // deterministic variants seed the randomized searches.
      groupRoots.push_back(
          greedyContract(base, group, deterministicGreedy(0), nullptr));
      continue;
    }

    // Randomized searches: independent trials from the same base tree.
    int numTrials = opts.repeats > 0 ? opts.repeats
                    : opts.maxTimeSeconds > 0
                        ? std::numeric_limits<int>::max()
                        : (algorithm == Algorithm::RandomGreedy ? 64
                           : algorithm == Algorithm::Partition  ? 16
                                                                : 128);
    uint64_t seed = opts.seed;
    // Greedy parameters. Our score is sab - costmod (sa + sb); cotengra's
    // sab / c - c (sa + sb) is the same with costmod = c^2, and its range
    // c in [0.3, 4] works much better on circuits than costmod <= 2.
    auto greedyFrom = [](double u0, double u1, double u2, double u3) {
      GreedyOptions g;
      double c = 0.3 + u0 * 3.7;
      g.costmod = c * c;
      g.temperature = std::pow(10.0, -3.0 + u1 * 3.0);
      g.randomStrength = u2 < 0.2 ? 0.0 : std::pow(10.0, -3.0 + u2 * 3.0);
      g.lazy = u3 < 0.5;
      return g;
    };
    auto build = [&](int i, const Sample &sample,
                     ContractionTree &tree) -> std::string {
      Rng rng(mix(seed, static_cast<uint64_t>(i)));
      const auto &u = sample.u;
      if (sample.variant >= 0) {
        greedyContract(tree, group, deterministicGreedy(sample.variant),
                       nullptr);
        return "greedy";
      }
      if (sample.method == 0) {
        greedyContract(tree, group, greedyFrom(u[0], u[1], u[2], u[3]), &rng);
        return "greedy";
      }
      PartitionOptions p;
      p.imbalance = 0.01 + u[0] * 0.89;
      p.imbalanceDecay = -5.0 + u[1] * 10.0;
      p.cutoff = 10 + static_cast<int>(u[2] * 30.0);
      p.method = u[5] < 0.125 ? PartitionMethod::LabelPropagation
                              : PartitionMethod::Multilevel;
      // Four bisection attempts per split (the best cut kept): fewer trials
      // with better cuts beat more rougher ones on random graphs
      // (regular_n200: 9.92-10.09 against 10.03-10.15 with one attempt, same
      // 10 s; rand_50_5: even). Letting the tuner pick the count (1-8) led
      // it into worse trees on rand_50_5 (16.33 against 16.06).
      p.attempts = 4;
      // cotengra's kahypar space: more than two parts per split (the parts'
      // roots joined greedily by their real sizes), jittered cut weights,
      // or every index weighted 1.
      p.parts = u[8] < 0.5 ? 2 : 2 + static_cast<int>((u[8] - 0.5) * 2 * 14.999);
      p.partsDecay = u[9];
      p.randomStrength = u[10] < 0.5 ? 0.0 : std::pow(10.0, -2.0 + (u[10] - 0.5) * 6.0);
      p.weightByLog2Extent = u[11] < 0.85;
      GreedyOptions sub = greedyFrom(u[3], u[4], u[6], u[7]);
      p.subOptimizer = [&rng, sub](ContractionTree &t,
                                    const std::vector<int> &nodes) {
        return greedyContract(t, nodes, sub, &rng);
      };
      partitionContract(tree, group, p, rng);
      return p.method == PartitionMethod::Multilevel ? "partition"
                                                     : "partition/labels";
    };
    bool polish = opts.reconfigure && (algorithm == Algorithm::Hyper ||
                                       algorithm == Algorithm::Partition);
    // Like cotengra's hyper optimizer, every trial tree is reconfigured
    // (subtrees of 8) before it is scored, so that the tuner learns which
    // parameters give the best improvable trees.
    auto trial = [&](int i, const Sample &sample,
                     ContractionTree &tree) -> std::string {
      std::string method = build(i, sample, tree);
      if (polish) {
        ReconfigureOptions r;
        r.objective = objective;
        r.subtreeSize = 8;
        // Up to three passes: a replacement opens moves the first pass has
        // gone by. One pass left rand_50_5's best trees in one of two
        // basins by seed (10 s: 16.06 or 16.22); three reach 16.053-16.060
        // on seeds 1-4 for a third of the trials.
        r.maxPasses = 3;
        if (opts.maxTimeSeconds > 0)
          r.deadline = deadline;
        reconfigure(tree, r);
      }
      return method;
    };
    Tuner tuner(algorithm == Algorithm::RandomGreedy ? std::vector<int>{0}
                : algorithm == Algorithm::Partition  ? std::vector<int>{1}
                                                     : std::vector<int>{0, 1});
    int completed = 0;
    // With a time budget, 70% goes to the trials and the rest to improving
    // the best trees: on dense random graphs the best trial decides (larger
    // subtrees barely improve it), and more trials find better trees
    // (regular_n200, 10 s: 9.83-10.00 against 9.89-10.05 with half).
    Clock::time_point trialDeadline = deadline;
    if (polish && opts.maxTimeSeconds > 0)
      trialDeadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         (deadline - Clock::now()) * 0.7);
    std::vector<TrialResult> top = runTunedTrials(
        base, numTrials, workerThreads(), trialDeadline, objective, tuner, seed, trial,
        polish ? 4 : 1,
        algorithm == Algorithm::Partition ? 0 : kNumDeterministicGreedy,
        completed, opts.progress);
    totalTrials += completed;
    if (top.empty()) {
      error = "the search found no contraction tree before its time limit";
      return std::nullopt;
    }
    size_t chosen = 0;
    if (polish) {
      // Bounded by trials: subtrees of 8 and 10 (reproducible). Bounded by
      // time: keep growing them until the budget is spent.
      std::vector<int> sizes = {8, 10};
      if (opts.maxTimeSeconds > 0)
        for (int k = 12; k <= 24; k += 2)
          sizes.push_back(k);
      chosen = reconfigureBest(top, workerThreads(), objective, sizes, deadline,
                               opts.maxTimeSeconds > 0, seed);
    }
    TrialResult &best = top[chosen];
    base = std::move(*best.tree);
    // The group's root is the root above its first node.
    int r = group[0];
    while (base.parent(r) >= 0)
      r = base.parent(r);
    groupRoots.push_back(r);
    if (algorithm == Algorithm::Hyper)
      used = "hyper (best: " + best.method + ")";
  }
  if (!solved)
    joinByOuterProducts(base, groupRoots);

  // Back on the original indices: the path is the same (and the tree
  // itself when the search ran on them).
  result.ssa = base.ssaPath();
  std::optional<ContractionTree> tree =
      merge ? ContractionTree::fromSsa(full, result.ssa, error)
            : std::optional<ContractionTree>(std::move(base));
  if (!tree) {
    error = "internal error: the optimized path is invalid: " + error;
    return std::nullopt;
  }

  // Slice to the target (or to the memory limit a tree could not meet).
  double log2Target = std::numeric_limits<double>::infinity();
  if (opts.sliceTarget > 0)
    log2Target = std::log2(opts.sliceTarget);
  if (opts.memoryLimit > 0 && tree->log2Width() > objective.log2MemoryLimit)
    log2Target = std::min(log2Target, objective.log2MemoryLimit);
  double unslicedCost = tree->log10Cost();
  if (tree->log2Width() > log2Target + 1e-9) {
    ReconfigureOptions r;
    r.objective = objective;
    r.subtreeSize = 8;
    r.maxPasses = 2;
    SliceResult sliced =
        sliceTree(full, *tree, log2Target, r, opts.reconfigure);
    result.ssa = tree->ssaPath();
    result.slicedIndices = sliced.edges;
    result.log10Slices = sliced.log10Slices;
    if (tree->log2Width() > log2Target + 1e-9) {
      error = "cannot slice the network below the target: the smallest "
              "achievable largest intermediate has 2^" +
              std::to_string(tree->log2Width()) + " elements";
      return std::nullopt;
    }
  }
  result.stats = tree->stats(/*withPeak=*/false);
  result.log10TotalCost = result.log10Slices + result.stats.log10Cost;
  result.sliceOverhead =
      result.slicedIndices.empty()
          ? 1.0
          : std::pow(10.0, result.log10TotalCost - unslicedCost);
  result.algorithm = used;
  result.trials = totalTrials;
  result.searchSeconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

JsonValue pathToJson(const Path &path) {
  JsonValue out = JsonValue::array();
  for (const PathStep &step : path) {
    JsonValue pair = JsonValue::array();
    pair.push(JsonValue::integer(step.first));
    pair.push(JsonValue::integer(step.second));
    out.push(std::move(pair));
  }
  return out;
}

JsonValue reportEntry(const Network &net, const OptimizeResult &result,
                      bool fullPrecision) {
  auto round = [fullPrecision](double v, double scale) {
    return std::isfinite(v) && !fullPrecision ? std::round(v * scale) / scale
                                              : v;
  };
  JsonValue e = JsonValue::object();
  e.set("name", JsonValue::string(net.name));
  e.set("num_tensors", JsonValue::integer(net.numTensors()));
  e.set("algorithm", JsonValue::string(result.algorithm));
  auto num = [&](double v) {
    return std::isfinite(v) ? JsonValue::number(round(v, 1e6))
                            : JsonValue::null();
  };
  e.set("log10_cost", num(result.log10TotalCost));
  e.set("log2_width", num(result.stats.log2Width));
  e.set("log10_write", num(result.log10Slices + result.stats.log10Write));
  e.set("log10_flops", num(result.log10Slices + result.stats.log10Flops));
  double slices = std::pow(10.0, result.log10Slices);
  e.set("num_slices", slices < 9.0e15 ? JsonValue::integer(static_cast<int64_t>(
                                            std::llround(slices)))
                                      : JsonValue::number(slices));
  JsonValue sliced = JsonValue::array();
  for (int id : result.slicedIndices)
    sliced.push(JsonValue::string(net.indexName(id)));
  e.set("sliced_indices", std::move(sliced));
  e.set("slice_overhead", num(result.sliceOverhead));
  // Nanoseconds: warm greedy searches of small networks take microseconds.
  e.set("search_seconds", std::isfinite(result.searchSeconds)
                              ? JsonValue::number(round(result.searchSeconds, 1e9))
                              : JsonValue::null());
  e.set("trials", JsonValue::integer(result.trials));
  std::string error;
  std::optional<Path> linear = ssaToLinear(net.numTensors(), result.ssa, error);
  e.set("path", pathToJson(linear ? *linear : Path()));
  return e;
}

} // namespace tnc
