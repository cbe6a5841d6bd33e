//===- TruncationTest.cpp - The #tn.trunc rule against four libraries ----===//
//
// truncateSpectrum is checked on its own (edge cases, degeneracy, renorm,
// errors), then against a small port of each library's own published rule,
// on the same spectra (random with several seeds, ties, near-ties, zero
// tails, all-zero, a single value, a minimum rank above the available rank):
// the translated TruncationRule must give the same kept rank, the same
// discarded weight and, where the library renormalizes, the same factor.
// Where a library's rule cannot be expressed by the attribute, the
// difference is documented next to its port and tested as a difference.
//
//===----------------------------------------------------------------------===//

#include "tn/Truncation/Truncation.h"

#include "tn/Support/Random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace tnc;

namespace {

using Spectrum = std::vector<double>;
const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

TruncationResult run(const Spectrum &s, const TruncationRule &rule) {
  return truncateSpectrum(s.data(), static_cast<int64_t>(s.size()), rule);
}

std::string show(const Spectrum &s) {
  std::ostringstream os;
  os.precision(17);
  os << "[";
  for (size_t i = 0; i < s.size(); ++i)
    os << (i ? ", " : "") << s[i];
  os << "]";
  return os.str();
}

double sumSquares(const Spectrum &s) {
  double total = 0;
  for (double v : s)
    total += v * v;
  return total;
}

//===----------------------------------------------------------------------===//
// Random spectra
//===----------------------------------------------------------------------===//

class Gen {
public:
  explicit Gen(uint64_t seed) : rng(seed) {}
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * rng.uniformReal();
  }
  /// Uniform integer in [lo, hi].
  int64_t integer(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng.uniform(hi - lo + 1));
  }
  bool chance(double p) { return rng.uniformReal() < p; }
  double logUniform(double lo, double hi) {
    return std::exp(uniform(std::log(lo), std::log(hi)));
  }
  double normal() {
    double u1 = 1 - rng.uniformReal(), u2 = rng.uniformReal();
    return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

private:
  Rng rng;
};

enum class Kind {
  Random,     // log-normal values
  Ties,       // a few distinct values, repeated
  NearTies,   // clusters within a relative 1e-6
  ZeroTail,   // random values then exact zeros
  AllZero,    // every value 0
  Single,     // one value
  Normalized, // random, scaled to sum s^2 = 1
  Count
};

const char *kindName(Kind kind) {
  static const char *names[] = {"random",   "ties",   "near-ties", "zero-tail",
                                "all-zero", "single", "normalized"};
  return names[static_cast<int>(kind)];
}

Spectrum makeSpectrum(Gen &g, Kind kind) {
  Spectrum s;
  auto sortDown = [&] { std::sort(s.rbegin(), s.rend()); };
  switch (kind) {
  case Kind::Random:
  case Kind::Normalized:
  case Kind::ZeroTail: {
    int64_t n = g.integer(1, 30);
    double scale = g.logUniform(1e-3, 1e3);
    for (int64_t i = 0; i < n; ++i)
      s.push_back(scale * std::exp(2.5 * g.normal()));
    sortDown();
    if (kind == Kind::ZeroTail)
      s.insert(s.end(), static_cast<size_t>(g.integer(1, 5)), 0.0);
    if (kind == Kind::Normalized) {
      double norm = std::sqrt(sumSquares(s));
      for (double &v : s)
        v /= norm;
    }
    break;
  }
  case Kind::Ties: {
    int64_t distinct = g.integer(1, 5);
    for (int64_t d = 0; d < distinct; ++d) {
      double value = std::ldexp(1.0, static_cast<int>(g.integer(-8, 3)));
      s.insert(s.end(), static_cast<size_t>(g.integer(1, 4)), value);
    }
    sortDown();
    break;
  }
  case Kind::NearTies: {
    int64_t clusters = g.integer(1, 5);
    for (int64_t c = 0; c < clusters; ++c) {
      double value = g.logUniform(1e-3, 10);
      int64_t size = g.integer(1, 4);
      for (int64_t i = 0; i < size; ++i)
        s.push_back(value * (1 + 1e-6 * g.uniform(0, 1)));
    }
    sortDown();
    break;
  }
  case Kind::AllZero:
    s.assign(static_cast<size_t>(g.integer(1, 6)), 0.0);
    break;
  case Kind::Single:
    s.push_back(g.chance(0.2) ? 0.0 : g.logUniform(1e-3, 1e3));
    break;
  case Kind::Count:
    break;
  }
  return s;
}

/// A threshold near one of the values (never equal to it, except by a
/// measure-zero accident), or one off the ends of the spectrum.
double thresholdNear(Gen &g, const Spectrum &s) {
  double base = s[static_cast<size_t>(g.integer(0, s.size() - 1))];
  if (base == 0)
    base = g.logUniform(1e-6, 1);
  return base * g.uniform(0.5, 1.5);
}

//===----------------------------------------------------------------------===//
// The rule itself
//===----------------------------------------------------------------------===//

TEST(Truncation, DefaultRuleKeepsEverything) {
  Spectrum s = {3, 2, 1, 0.5, 0};
  TruncationResult r = run(s, TruncationRule());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.rank, 5);
  EXPECT_EQ(r.discardedWeight, 0);
  EXPECT_EQ(r.scale, 1);
  EXPECT_FALSE(r.degenerateCut);
}

TEST(Truncation, EmptySpectrum) {
  TruncationRule rule;
  rule.minRank = 3;
  rule.weightCutoff = 0.1;
  rule.renorm = TruncRenormMode::unit_l2;
  TruncationResult r =
      truncateSpectrum(static_cast<const double *>(nullptr), 0, rule);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.rank, 0);
  EXPECT_EQ(r.discardedWeight, 0);
  EXPECT_EQ(r.scale, 1);
}

TEST(Truncation, MaxRankAndMinRank) {
  Spectrum s = {5, 4, 3, 2, 1};
  TruncationRule rule;
  rule.maxRank = 2;
  TruncationResult r = run(s, rule);
  EXPECT_EQ(r.rank, 2);
  EXPECT_DOUBLE_EQ(r.discardedWeight, (9.0 + 4 + 1) / 55);
  // max_rank above the available rank: no truncation.
  rule.maxRank = 9;
  EXPECT_EQ(run(s, rule).rank, 5);
  // min_rank wins over a cutoff; above the available rank it is clamped.
  rule = TruncationRule();
  rule.absCutoff = 4.5;
  EXPECT_EQ(run(s, rule).rank, 1);
  rule.minRank = 3;
  EXPECT_EQ(run(s, rule).rank, 3);
  rule.minRank = 8;
  EXPECT_EQ(run(s, rule).rank, 5);
  EXPECT_EQ(run(s, rule).discardedWeight, 0);
  // min_rank 0 (library only) lets a cutoff remove everything.
  rule.minRank = 0;
  rule.absCutoff = 10;
  EXPECT_EQ(run(s, rule).rank, 0);
  EXPECT_DOUBLE_EQ(run(s, rule).discardedWeight, 1);
}

TEST(Truncation, CutoffsAtTheirThresholds) {
  Spectrum s = {1, 0.5, 0.25, 0.125};
  TruncationRule rule;
  // abs: discard s < abs (0.25 is kept at abs = 0.25).
  rule.absCutoff = 0.25;
  EXPECT_EQ(run(s, rule).rank, 3);
  rule.absCutoff = 0.2500001;
  EXPECT_EQ(run(s, rule).rank, 2);
  // rel: discard s < rel * max.
  rule = TruncationRule();
  rule.relCutoff = 0.5;
  EXPECT_EQ(run(s, rule).rank, 2);
  rule.relCutoff = 1;
  EXPECT_EQ(run(s, rule).rank, 1);
  // weight: discarded weight <= cutoff (sum of squares: 1.328125).
  rule = TruncationRule();
  rule.weightMode = TruncWeightMode::sum2;
  rule.weightCutoff = 0.078125; // 0.0625 + 0.015625: exactly two values
  EXPECT_EQ(run(s, rule).rank, 2);
  rule.weightCutoff = 0.078124;
  EXPECT_EQ(run(s, rule).rank, 3);
  rule.weightMode = TruncWeightMode::sum1;
  rule.weightCutoff = 0.375; // 0.25 + 0.125
  EXPECT_EQ(run(s, rule).rank, 2);
  rule.weightMode = TruncWeightMode::rsum1; // sum 1.875
  rule.weightCutoff = 0.13 / 1.875;
  EXPECT_EQ(run(s, rule).rank, 3);
  rule.weightMode = TruncWeightMode::rsum2;
  rule.weightCutoff = 0.02 / 1.328125;
  EXPECT_EQ(run(s, rule).rank, 3);
  EXPECT_NEAR(run(s, rule).discardedWeight, 0.015625 / 1.328125, 1e-16);
}

TEST(Truncation, SmallestAllowedRankWins) {
  Spectrum s = {10, 9, 8, 1, 0.5, 0.1};
  TruncationRule rule;
  rule.maxRank = 5;
  rule.absCutoff = 0.4;      // 5
  rule.relCutoff = 0.05;     // 5 (>= 0.5)
  rule.weightCutoff = 1e-10; // 6
  EXPECT_EQ(run(s, rule).rank, 5);
  rule.relCutoff = 0.2; // 3
  EXPECT_EQ(run(s, rule).rank, 3);
  rule.weightCutoff = 0.1; // rsum2: total 246.26, tail 1.26 -> 3
  EXPECT_EQ(run(s, rule).rank, 3);
  rule.weightCutoff = 0.3; // tail 65.26 / 246.26 -> 2
  EXPECT_EQ(run(s, rule).rank, 2);
}

TEST(Truncation, AllZeroSpectrum) {
  Spectrum s(4, 0.0);
  TruncationRule rule;
  // No cutoff: every value is kept (up to max_rank).
  TruncationResult r = run(s, rule);
  EXPECT_EQ(r.rank, 4);
  EXPECT_EQ(r.discardedWeight, 0);
  rule.maxRank = 3;
  EXPECT_EQ(run(s, rule).rank, 3);
  EXPECT_EQ(run(s, rule).discardedWeight, 0);
  // Any cutoff drops the zeros, down to min_rank.
  for (int which = 0; which < 3; ++which) {
    for (TruncWeightMode mode :
         {TruncWeightMode::rsum2, TruncWeightMode::sum2, TruncWeightMode::rsum1,
          TruncWeightMode::sum1}) {
      TruncationRule cut;
      cut.minRank = 2;
      (which == 0   ? cut.absCutoff
       : which == 1 ? cut.relCutoff
                    : cut.weightCutoff) = 1e-3;
      cut.weightMode = mode;
      for (TruncRenormMode renorm :
           {TruncRenormMode::none, TruncRenormMode::keep_l1,
            TruncRenormMode::keep_l2, TruncRenormMode::unit_l1,
            TruncRenormMode::unit_l2, TruncRenormMode::unit_linf}) {
        cut.renorm = renorm;
        TruncationResult z = run(s, cut);
        ASSERT_TRUE(z.ok());
        EXPECT_EQ(z.rank, 2);
        EXPECT_EQ(z.discardedWeight, 0); // not NaN
        EXPECT_EQ(z.scale, 1);           // not NaN or Inf
      }
    }
  }
}

TEST(Truncation, SingleValue) {
  Spectrum s = {2.5};
  TruncationRule rule;
  rule.absCutoff = 10;
  rule.weightCutoff = 0.9;
  rule.renorm = TruncRenormMode::unit_l2;
  TruncationResult r = run(s, rule);
  EXPECT_EQ(r.rank, 1);
  EXPECT_EQ(r.discardedWeight, 0);
  EXPECT_DOUBLE_EQ(r.scale, 0.4);
}

TEST(Truncation, NonFiniteSpectrumIsAnError) {
  for (double bad : {kNaN, kInf, -kInf}) {
    for (size_t at = 0; at < 3; ++at) {
      Spectrum s = {3, 2, 1};
      s[at] = bad;
      TruncationResult r = run(s, TruncationRule());
      EXPECT_EQ(r.status, TruncationStatus::NonFiniteSpectrum);
      EXPECT_EQ(r.rank, 0);
      EXPECT_TRUE(std::isnan(r.discardedWeight));
      EXPECT_FALSE(r.ok());
    }
  }
  float f[] = {1.0f, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_EQ(truncateSpectrum(f, 2, TruncationRule()).status,
            TruncationStatus::NonFiniteSpectrum);
}

TEST(Truncation, InvalidSpectrumIsAnError) {
  EXPECT_EQ(run({1, 2}, TruncationRule()).status,
            TruncationStatus::InvalidSpectrum);
  EXPECT_EQ(run({1, -0.5}, TruncationRule()).status,
            TruncationStatus::InvalidSpectrum);
  EXPECT_EQ(truncateSpectrum(static_cast<const double *>(nullptr), 2,
                             TruncationRule())
                .status,
            TruncationStatus::InvalidSpectrum);
  double one = 1;
  EXPECT_EQ(truncateSpectrum(&one, -1, TruncationRule()).status,
            TruncationStatus::InvalidSpectrum);
}

TEST(Truncation, InvalidRuleIsAnError) {
  Spectrum s = {1, 0.5};
  std::vector<TruncationRule> bad(10);
  bad[0].maxRank = -1;
  bad[1].minRank = -1;
  bad[2].maxRank = 2, bad[2].minRank = 3;
  bad[3].absCutoff = -1e-3;
  bad[4].relCutoff = kNaN;
  bad[5].weightCutoff = kInf;
  bad[6].degeneracyTol = -1;
  bad[7].weightMode = static_cast<TruncWeightMode>(4);
  bad[8].absorb = static_cast<TruncAbsorbMode>(-1);
  bad[9].renorm = static_cast<TruncRenormMode>(6);
  for (const TruncationRule &rule : bad) {
    EXPECT_FALSE(isValidTruncationRule(rule));
    TruncationResult r = run(s, rule);
    EXPECT_EQ(r.status, TruncationStatus::InvalidRule);
    EXPECT_EQ(r.rank, 0);
  }
  EXPECT_TRUE(isValidTruncationRule(TruncationRule()));
  EXPECT_STREQ(truncationStatusName(TruncationStatus::InvalidRule),
               "invalid truncation rule");
}

TEST(Truncation, DegeneracyMovesTheCutDown) {
  Spectrum s = {4, 2, 2 * (1 - 1e-9), 2 * (1 - 2e-9), 1, 0.5};
  TruncationRule rule;
  rule.maxRank = 3; // cut inside the 2's
  rule.degeneracyTol = 1e-6;
  TruncationResult r = run(s, rule);
  EXPECT_EQ(r.rank, 1);
  EXPECT_FALSE(r.degenerateCut);
  // A tolerance below the splitting keeps the cut.
  rule.degeneracyTol = 1e-10;
  EXPECT_EQ(run(s, rule).rank, 3);
  // Exact ties.
  Spectrum t = {3, 1, 1, 1, 0.5};
  rule = TruncationRule();
  rule.maxRank = 2;
  rule.degeneracyTol = 1e-12;
  EXPECT_EQ(run(t, rule).rank, 1);
  rule.maxRank = 4; // cut between 1 and 0.5: not degenerate
  EXPECT_EQ(run(t, rule).rank, 4);
}

TEST(Truncation, DegeneracyMovesUpWhenMinRankForbidsDown) {
  Spectrum s = {3, 1, 1, 1, 0.5};
  TruncationRule rule;
  rule.minRank = 2;
  rule.absCutoff = 2; // would keep 1, min_rank makes it 2 (inside the 1's)
  rule.degeneracyTol = 1e-12;
  TruncationResult r = run(s, rule);
  EXPECT_EQ(r.rank, 4);
  EXPECT_FALSE(r.degenerateCut);
  // max_rank forbids up as well: the cut stays and is reported.
  rule.maxRank = 3;
  r = run(s, rule);
  EXPECT_EQ(r.rank, 2);
  EXPECT_TRUE(r.degenerateCut);
  // Zeros are degenerate with each other, not with a positive value.
  Spectrum z = {2, 0, 0, 0};
  rule = TruncationRule();
  rule.maxRank = 3;
  rule.degeneracyTol = 0.1;
  EXPECT_EQ(run(z, rule).rank, 1);
}

TEST(Truncation, RenormFactors) {
  Spectrum s = {4, 3, 2, 1};
  TruncationRule rule;
  rule.maxRank = 2;
  auto scale = [&](TruncRenormMode mode) {
    rule.renorm = mode;
    return run(s, rule).scale;
  };
  EXPECT_EQ(scale(TruncRenormMode::none), 1);
  EXPECT_DOUBLE_EQ(scale(TruncRenormMode::keep_l1), 10.0 / 7);
  EXPECT_DOUBLE_EQ(scale(TruncRenormMode::keep_l2), std::sqrt(30.0 / 25));
  EXPECT_DOUBLE_EQ(scale(TruncRenormMode::unit_l1), 1.0 / 7);
  EXPECT_DOUBLE_EQ(scale(TruncRenormMode::unit_l2), 1.0 / 5);
  EXPECT_DOUBLE_EQ(scale(TruncRenormMode::unit_linf), 1.0 / 4);
  // Without truncation keep_* is exactly 1.
  rule.maxRank = 0;
  EXPECT_EQ(scale(TruncRenormMode::keep_l1), 1);
  EXPECT_EQ(scale(TruncRenormMode::keep_l2), 1);
}

TEST(Truncation, TinyTailKeepsItsWeight) {
  // total - kept would round the tail away; it is summed directly.
  Spectrum s = {1, 1e-10};
  TruncationRule rule;
  rule.maxRank = 1;
  EXPECT_NEAR(run(s, rule).discardedWeight, 1e-20, 1e-34);
}

TEST(Truncation, FloatOverloadMatchesDouble) {
  Gen g(7);
  for (int trial = 0; trial < 200; ++trial) {
    Kind kind = static_cast<Kind>(trial % static_cast<int>(Kind::Count));
    Spectrum s = makeSpectrum(g, kind);
    std::vector<float> f(s.begin(), s.end());
    Spectrum back(f.begin(), f.end());
    TruncationRule rule;
    rule.maxRank = g.chance(0.5) ? g.integer(1, 10) : 0;
    rule.absCutoff = g.chance(0.3) ? thresholdNear(g, back) : 0;
    rule.weightCutoff = g.chance(0.5) ? g.logUniform(1e-6, 0.5) : 0;
    rule.renorm = static_cast<TruncRenormMode>(g.integer(0, 5));
    TruncationResult a = run(back, rule);
    TruncationResult b = truncateSpectrum(f.data(), f.size(), rule);
    EXPECT_EQ(a.rank, b.rank) << show(back);
    EXPECT_EQ(a.discardedWeight, b.discardedWeight);
    EXPECT_EQ(a.scale, b.scale);
  }
}

/// The enum numbering is the dialect's (TNEnums.td), which the runtimes
/// receive as int32.
TEST(Truncation, EnumNumberingMatchesTheDialect) {
  std::ifstream in(std::string(TNC_SOURCE_DIR) +
                   "/include/tn/Dialect/TN/IR/TNEnums.td");
  ASSERT_TRUE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string td = buffer.str();
  // `def TN_<Enum> : I32EnumAttr<` opens an enum, `I32EnumAttrCase<"<name>",
  // <value>>` lines list its cases.
  std::map<std::string, std::map<std::string, int>> enums;
  std::string current;
  std::istringstream lines(td);
  for (std::string line; std::getline(lines, line);) {
    size_t def = line.find("def TN_");
    size_t enumAttr = line.find(" : I32EnumAttr<");
    size_t enumCase = line.find("I32EnumAttrCase<\"");
    if (def != std::string::npos && enumAttr != std::string::npos) {
      current = line.substr(def + 7, enumAttr - def - 7);
    } else if (enumCase != std::string::npos) {
      size_t begin = enumCase + 17;
      size_t end = line.find('"', begin);
      ASSERT_NE(end, std::string::npos) << line;
      enums[current][line.substr(begin, end - begin)] =
          std::atoi(line.c_str() + line.find(',', end) + 1);
    }
  }
  std::map<std::string, int> weight = {{"rsum2", int(TruncWeightMode::rsum2)},
                                       {"sum2", int(TruncWeightMode::sum2)},
                                       {"rsum1", int(TruncWeightMode::rsum1)},
                                       {"sum1", int(TruncWeightMode::sum1)}};
  std::map<std::string, int> absorb = {{"none", int(TruncAbsorbMode::none)},
                                       {"left", int(TruncAbsorbMode::left)},
                                       {"right", int(TruncAbsorbMode::right)},
                                       {"both", int(TruncAbsorbMode::both)}};
  std::map<std::string, int> renorm = {
      {"none", int(TruncRenormMode::none)},
      {"keep_l1", int(TruncRenormMode::keep_l1)},
      {"keep_l2", int(TruncRenormMode::keep_l2)},
      {"unit_l1", int(TruncRenormMode::unit_l1)},
      {"unit_l2", int(TruncRenormMode::unit_l2)},
      {"unit_linf", int(TruncRenormMode::unit_linf)}};
  EXPECT_EQ(enums["WeightMode"], weight);
  EXPECT_EQ(enums["AbsorbMode"], absorb);
  EXPECT_EQ(enums["RenormMode"], renorm);
}

//===----------------------------------------------------------------------===//
// ITensor
//
// Port of `truncate!(P; mindim, maxdim, cutoff, use_absolute_cutoff,
// use_relative_cutoff)` in NDTensors,
//   https://github.com/ITensor/ITensors.jl/blob/main/NDTensors/src/truncate.jl
// as called by the dense `svd` with P = S.^2,
//   https://github.com/ITensor/ITensors.jl/blob/main/NDTensors/src/linearalgebra/linearalgebra.jl
// with the defaults of NDTensors/src/default_kwargs.jl (mindim 1, maxdim
// length(P), cutoff typemin = none, relative cutoff on, absolute off).
//
// Mapping: maxdim -> max_rank, mindim -> min_rank, cutoff (relative) ->
// weight_cutoff with rsum2, cutoff with use_relative_cutoff = false ->
// weight_cutoff with sum2, use_absolute_cutoff with cutoff = c ->
// abs_cutoff = sqrt(c).
// Differences: (1) absolute: ITensor drops s^2 <= c, the attribute drops
// s < sqrt(c): they differ when s^2 == c exactly (AbsoluteBoundary below).
// (2) ITensor's cutoff = 0 (explicit) still drops exact zeros (0 <= 0);
// the attribute's 0 means "no cutoff". (3) ITensor's truncerr is absolute in
// the absolute and non-relative modes; the attribute's discarded weight is
// always relative (compared as truncerr / sum s^2).
//===----------------------------------------------------------------------===//

struct ITensorParams {
  std::optional<int64_t> mindim, maxdim;
  std::optional<double> cutoff;
  bool absolute = false;
  bool relative = true;
};

struct ITensorResult {
  int64_t kept;
  double truncerr;
};

ITensorResult itensorTruncate(const Spectrum &s, const ITensorParams &p) {
  std::vector<double> P;
  for (double v : s)
    P.push_back(v * v);
  const int64_t origm = static_cast<int64_t>(P.size());
  const int64_t mindim = p.mindim.value_or(1);
  const int64_t maxdim = p.maxdim.value_or(origm);
  const double cutoff = p.cutoff.value_or(-kInf);
  if (origm == 1)
    return {1, 0.0};
  // (P >= 0 here: the sign flip and the zeroing of negative weights are
  // no-ops.) Julia's P[n] is P[n - 1] below.
  int64_t n = origm;
  double truncerr = 0;
  while (n > maxdim) {
    truncerr += P[n - 1];
    --n;
  }
  if (p.absolute) {
    while (P[n - 1] <= cutoff && n > mindim) {
      truncerr += P[n - 1];
      --n;
    }
  } else {
    double scale = 1;
    if (p.relative) {
      scale = 0;
      for (double v : P)
        scale += v;
      if (scale == 0)
        scale = 1;
    }
    while (truncerr + P[n - 1] <= cutoff * scale && n > mindim) {
      truncerr += P[n - 1];
      --n;
    }
    truncerr /= scale;
  }
  if (n < 1)
    n = 1;
  return {n, truncerr};
}

TruncationRule fromITensor(const ITensorParams &p) {
  TruncationRule rule;
  rule.maxRank = p.maxdim.value_or(0);
  rule.minRank = p.mindim.value_or(1);
  if (p.cutoff && *p.cutoff > 0) {
    if (p.absolute) {
      rule.absCutoff = std::sqrt(*p.cutoff);
    } else {
      rule.weightCutoff = *p.cutoff;
      rule.weightMode =
          p.relative ? TruncWeightMode::rsum2 : TruncWeightMode::sum2;
    }
  }
  return rule;
}

void expectSameAsITensor(const Spectrum &s, const ITensorParams &p) {
  ITensorResult ref = itensorTruncate(s, p);
  TruncationResult ours = run(s, fromITensor(p));
  ASSERT_TRUE(ours.ok());
  EXPECT_EQ(ours.rank, ref.kept);
  double total = sumSquares(s);
  double refWeight = ref.truncerr;
  if ((p.absolute || !p.relative) && total > 0)
    refWeight /= total;
  EXPECT_NEAR(ours.discardedWeight, refWeight,
              1e-12 * std::max(refWeight, 1e-300) + 1e-300);
}

TEST(TruncationITensor, RandomSpectra) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    Gen g(seed);
    for (int trial = 0; trial < 300; ++trial) {
      Kind kind = static_cast<Kind>(g.integer(0, int(Kind::Count) - 1));
      Spectrum s = makeSpectrum(g, kind);
      int64_t n = static_cast<int64_t>(s.size());
      ITensorParams p;
      if (g.chance(0.5))
        p.maxdim = g.integer(1, n + 2);
      if (g.chance(0.5))
        p.mindim = g.integer(1, p.maxdim ? *p.maxdim : n + 3);
      if (g.chance(0.85)) {
        double mode = g.uniform(0, 1);
        if (mode < 0.25) {
          p.absolute = true;
          double t = thresholdNear(g, s);
          p.cutoff = t * t;
        } else {
          p.relative = mode >= 0.4;
          p.cutoff = p.relative ? g.logUniform(1e-10, 0.6)
                                : g.logUniform(1e-10, 0.6) *
                                      std::max(sumSquares(s), 1e-6);
        }
      }
      SCOPED_TRACE(testing::Message()
                   << "seed " << seed << " trial " << trial << " "
                   << kindName(kind) << " s=" << show(s)
                   << " maxdim=" << p.maxdim.value_or(-1)
                   << " mindim=" << p.mindim.value_or(-1)
                   << " cutoff=" << p.cutoff.value_or(-1)
                   << " absolute=" << p.absolute << " relative=" << p.relative);
      expectSameAsITensor(s, p);
    }
  }
}

TEST(TruncationITensor, EdgeCases) {
  ITensorParams rel;
  rel.cutoff = 1e-3;
  rel.mindim = 2;
  expectSameAsITensor({0, 0, 0, 0}, rel); // all zero: mindim
  expectSameAsITensor({0.7}, rel);        // single value
  rel.mindim = 9;                         // above the available rank
  expectSameAsITensor({3, 2, 1e-3, 1e-4}, rel);
  ITensorParams ties;
  ties.cutoff = 0.25; // s^2 = 1 each, total 4: exactly one value may go
  expectSameAsITensor({1, 1, 1, 1}, ties);
  EXPECT_EQ(run({1, 1, 1, 1}, fromITensor(ties)).rank, 3);
  ties.maxdim = 2;
  expectSameAsITensor({1, 1, 1, 1}, ties);
}

TEST(TruncationITensor, AbsoluteBoundary) {
  // ITensor drops s^2 <= c; the attribute drops s < sqrt(c).
  Spectrum s = {1, 0.5, 0.25};
  ITensorParams p;
  p.absolute = true;
  p.cutoff = 0.25; // s = 0.5 sits exactly on the threshold
  EXPECT_EQ(itensorTruncate(s, p).kept, 1);
  EXPECT_EQ(run(s, fromITensor(p)).rank, 2);
  // Off the boundary they agree.
  p.cutoff = 0.2500001;
  expectSameAsITensor(s, p);
  p.cutoff = 0.2499999;
  expectSameAsITensor(s, p);
}

TEST(TruncationITensor, ExplicitZeroCutoffDropsZeros) {
  // ITensor's cutoff = 0 drops exact zeros; the attribute's 0 is "none".
  Spectrum s = {1, 0.5, 0, 0};
  ITensorParams p;
  p.cutoff = 0.0;
  EXPECT_EQ(itensorTruncate(s, p).kept, 2);
  EXPECT_EQ(run(s, fromITensor(p)).rank, 4);
}

//===----------------------------------------------------------------------===//
// TeNPy
//
// Port of `truncate(S, options)`,
//   https://github.com/tenpy/tenpy/blob/main/tenpy/algorithms/truncation.py
// (options chi_max, chi_min, degeneracy_tol, svd_min, trunc_cut; each
// constraint is a set of allowed cuts, intersected in that order, and a
// constraint that would leave no allowed cut is dropped with a warning by
// `_combine_constraints`; the smallest allowed cut, i.e. the largest rank,
// wins).
//
// Mapping: chi_max -> max_rank, chi_min -> min_rank, svd_min -> abs_cutoff
// (keep S >= svd_min, the same boundary), trunc_cut -> weight_cutoff =
// trunc_cut^2 with sum2 (truncate() compares sum S_discarded^2 <=
// trunc_cut^2 on S as given; svd_theta normalizes S to norm 1 first, where
// sum2 and rsum2 coincide: NormalizedSpectraWithRsum2 below),
// degeneracy_tol -> degeneracy_tol.
// Difference: where TeNPy drops an unsatisfiable constraint, the attribute
// clamps instead: svd_min or trunc_cut asking for fewer than chi_min values
// gives chi_min here, while TeNPy ignores the cutoff and keeps up to
// chi_max; chi_min above the available rank is clamped here, while TeNPy
// ignores chi_min; a degeneracy that cannot be honoured inside [chi_min,
// chi_max] moves the cut up here, while TeNPy then drops the cutoff. The
// port reports whether it dropped a constraint; the ranks must agree
// whenever it did not (ConstraintDropping below shows the difference).
//===----------------------------------------------------------------------===//

struct TenpyParams {
  std::optional<int64_t> chiMax, chiMin;
  std::optional<double> degeneracyTol, svdMin, truncCut;
};

struct TenpyResult {
  int64_t kept;
  double eps; // sum of the discarded S^2 (TruncationError.from_S)
  bool dropped;
};

TenpyResult tenpyTruncate(const Spectrum &S, const TenpyParams &p) {
  const int64_t n = static_cast<int64_t>(S.size());
  std::vector<double> logS(S.size());
  for (size_t i = 0; i < S.size(); ++i)
    logS[i] = std::log(S[i] <= 0 ? 1e-100 : S[i]);
  std::vector<int64_t> piv(S.size());
  std::iota(piv.begin(), piv.end(), 0);
  std::stable_sort(piv.begin(), piv.end(),
                   [&](int64_t a, int64_t b) { return logS[a] < logS[b]; });
  std::vector<double> sortedLog;
  for (int64_t i : piv)
    sortedLog.push_back(logS[i]);
  std::vector<bool> good(S.size(), true);
  bool dropped = false;
  auto combine = [&](const std::vector<bool> &good2) {
    std::vector<bool> res(S.size());
    bool any = false;
    for (size_t i = 0; i < S.size(); ++i)
      any |= (res[i] = good[i] && good2[i]);
    if (any)
      good = res;
    else
      dropped = true;
  };
  // Python's good2[-k:] for k >= 0: from max(0, n - k), all when k == 0.
  auto tailStart = [&](int64_t k) {
    return k == 0 ? int64_t(0) : std::max<int64_t>(0, n - k);
  };
  if (p.chiMax) {
    std::vector<bool> good2(S.size(), false);
    for (int64_t i = tailStart(*p.chiMax); i < n; ++i)
      good2[i] = true;
    combine(good2);
  }
  if (p.chiMin && *p.chiMin > 1) {
    std::vector<bool> good2(S.size(), true);
    for (int64_t i = tailStart(*p.chiMin - 1); i < n; ++i)
      good2[i] = false;
    combine(good2);
  }
  if (p.degeneracyTol && *p.degeneracyTol != 0) {
    std::vector<bool> good2(S.size());
    good2[0] = true;
    for (int64_t i = 1; i < n; ++i)
      good2[i] = sortedLog[i] - sortedLog[i - 1] >= *p.degeneracyTol;
    combine(good2);
  }
  if (p.svdMin) {
    std::vector<bool> good2(S.size());
    for (int64_t i = 0; i < n; ++i)
      good2[i] = sortedLog[i] >= std::log(*p.svdMin);
    combine(good2);
  }
  if (p.truncCut) {
    std::vector<bool> good2(S.size());
    double cumsum = 0;
    for (int64_t i = 0; i < n; ++i) {
      cumsum += S[piv[i]] * S[piv[i]];
      good2[i] = cumsum > *p.truncCut * *p.truncCut;
    }
    combine(good2);
  }
  int64_t cut = 0;
  while (!good[cut])
    ++cut;
  double eps = 0;
  for (int64_t i = 0; i < cut; ++i)
    eps += S[piv[i]] * S[piv[i]];
  return {n - cut, eps, dropped};
}

TruncationRule fromTenpy(const TenpyParams &p, TruncWeightMode mode) {
  TruncationRule rule;
  rule.maxRank = p.chiMax.value_or(0);
  rule.minRank = p.chiMin && *p.chiMin > 1 ? *p.chiMin : 1;
  rule.absCutoff = p.svdMin.value_or(0);
  rule.weightCutoff = p.truncCut ? *p.truncCut * *p.truncCut : 0;
  rule.weightMode = mode;
  rule.degeneracyTol = p.degeneracyTol.value_or(0);
  return rule;
}

TenpyParams randomTenpyParams(Gen &g, const Spectrum &s, Kind kind) {
  int64_t n = static_cast<int64_t>(s.size());
  TenpyParams p;
  if (g.chance(0.6))
    p.chiMax = g.integer(1, n + 2);
  if (g.chance(0.4))
    p.chiMin = g.integer(1, p.chiMax ? *p.chiMax : n + 3);
  if (g.chance(kind == Kind::NearTies || kind == Kind::Ties ? 0.7 : 0.3))
    p.degeneracyTol = g.logUniform(1e-4, 0.05);
  if (g.chance(0.4))
    p.svdMin = thresholdNear(g, s);
  if (g.chance(0.5)) {
    double cut = std::sqrt(g.logUniform(1e-10, 0.6) * sumSquares(s));
    if (cut > 0 && cut < 1) // truncate() rejects trunc_cut >= 1
      p.truncCut = cut;
  }
  return p;
}

TEST(TruncationTenpy, RandomSpectra) {
  int compared = 0, total = 0;
  for (uint64_t seed = 11; seed <= 16; ++seed) {
    Gen g(seed);
    for (int trial = 0; trial < 300; ++trial) {
      Kind kind = static_cast<Kind>(g.integer(0, int(Kind::Count) - 1));
      Spectrum s = makeSpectrum(g, kind);
      TenpyParams p = randomTenpyParams(g, s, kind);
      TenpyResult ref = tenpyTruncate(s, p);
      TruncationResult ours = run(s, fromTenpy(p, TruncWeightMode::sum2));
      ++total;
      ASSERT_TRUE(ours.ok());
      if (ref.dropped)
        continue;
      ++compared;
      SCOPED_TRACE(testing::Message()
                   << "seed " << seed << " trial " << trial << " "
                   << kindName(kind) << " s=" << show(s)
                   << " chi_max=" << p.chiMax.value_or(-1)
                   << " chi_min=" << p.chiMin.value_or(-1)
                   << " deg=" << p.degeneracyTol.value_or(-1)
                   << " svd_min=" << p.svdMin.value_or(-1)
                   << " trunc_cut=" << p.truncCut.value_or(-1));
      EXPECT_EQ(ours.rank, ref.kept);
      EXPECT_FALSE(ours.degenerateCut);
      double sum = sumSquares(s);
      EXPECT_NEAR(ours.discardedWeight * sum, ref.eps,
                  1e-12 * ref.eps + 1e-300);
    }
  }
  // The comparison is not vacuous.
  EXPECT_GT(compared, total * 6 / 10) << compared << " of " << total;
}

TEST(TruncationTenpy, NormalizedSpectraWithRsum2) {
  // svd_theta normalizes S before truncate(); there the documented mapping
  // weight_cutoff = trunc_cut^2 with rsum2 holds.
  int compared = 0;
  for (uint64_t seed = 21; seed <= 24; ++seed) {
    Gen g(seed);
    for (int trial = 0; trial < 300; ++trial) {
      Spectrum s = makeSpectrum(g, Kind::Normalized);
      TenpyParams p = randomTenpyParams(g, s, Kind::Normalized);
      TenpyResult ref = tenpyTruncate(s, p);
      if (ref.dropped)
        continue;
      ++compared;
      TruncationResult ours = run(s, fromTenpy(p, TruncWeightMode::rsum2));
      EXPECT_EQ(ours.rank, ref.kept) << show(s);
      EXPECT_NEAR(ours.discardedWeight, ref.eps, 1e-12 * ref.eps + 1e-15);
    }
  }
  EXPECT_GT(compared, 600);
}

TEST(TruncationTenpy, EdgeCases) {
  auto same = [](const Spectrum &s, const TenpyParams &p) {
    TenpyResult ref = tenpyTruncate(s, p);
    ASSERT_FALSE(ref.dropped);
    EXPECT_EQ(run(s, fromTenpy(p, TruncWeightMode::sum2)).rank, ref.kept)
        << show(s);
  };
  TenpyParams p;
  p.chiMax = 3;
  p.degeneracyTol = 1e-8;
  same({2, 1, 1, 1, 0.5}, p); // ties at the cut: keep 1
  EXPECT_EQ(tenpyTruncate({2, 1, 1, 1, 0.5}, p).kept, 1);
  same({0.9}, p); // single value
  p = TenpyParams();
  p.svdMin = 0.5; // on the boundary: both keep S >= svd_min
  same({1, 0.5, 0.25}, p);
  EXPECT_EQ(tenpyTruncate({1, 0.5, 0.25}, p).kept, 2);
  p = TenpyParams();
  p.truncCut = 0.5; // S^2 = 0.25 each: exactly one may go
  same({0.5, 0.5, 0.5, 0.5}, p);
  EXPECT_EQ(tenpyTruncate({0.5, 0.5, 0.5, 0.5}, p).kept, 3);
  p = TenpyParams();
  p.chiMin = 3; // chi_min == available rank
  p.svdMin = 0.2;
  same({1, 0.5, 0.25}, p);
}

TEST(TruncationTenpy, ConstraintDropping) {
  // svd_min asks for fewer values than chi_min: TeNPy drops svd_min and
  // keeps all four (chi_max), the attribute clamps to min_rank 3.
  Spectrum s = {0.8, 0.5, 0.3, 0.1};
  TenpyParams p;
  p.chiMax = 4;
  p.chiMin = 3;
  p.svdMin = 0.4;
  TenpyResult ref = tenpyTruncate(s, p);
  EXPECT_TRUE(ref.dropped);
  EXPECT_EQ(ref.kept, 4);
  EXPECT_EQ(run(s, fromTenpy(p, TruncWeightMode::sum2)).rank, 3);
  // chi_min above the available rank: TeNPy drops chi_min (svd_min then
  // keeps 2), the attribute clamps min_rank to 3.
  Spectrum t = {1, 0.1, 0.01};
  p = TenpyParams();
  p.chiMin = 5;
  p.svdMin = 0.05;
  ref = tenpyTruncate(t, p);
  EXPECT_TRUE(ref.dropped);
  EXPECT_EQ(ref.kept, 2);
  EXPECT_EQ(run(t, fromTenpy(p, TruncWeightMode::sum2)).rank, 3);
  // All zero: TeNPy cannot satisfy svd_min and keeps everything; the
  // attribute drops the zeros down to min_rank.
  p = TenpyParams();
  p.svdMin = 1e-14;
  ref = tenpyTruncate({0, 0, 0}, p);
  EXPECT_TRUE(ref.dropped);
  EXPECT_EQ(ref.kept, 3);
  EXPECT_EQ(run({0, 0, 0}, fromTenpy(p, TruncWeightMode::sum2)).rank, 1);
}

//===----------------------------------------------------------------------===//
// quimb
//
// Port of `_compute_number_svals_to_keep_numba`,
// `_compute_svals_renorm_factor_numba` and `_trim_and_renorm_svd_result_numba`
// (the path `svd_truncated` takes for NumPy arrays),
//   https://github.com/jcmgray/quimb/blob/main/quimb/tensor/decomp.py
// cutoff_mode 1 abs (keep s > cutoff), 2 rel (keep s > cutoff * s[0]),
// 3 sum2, 4 rsum2, 5 sum1, 6 rsum1 (discard from the end while the
// discarded sum stays <= cutoff, times sum(s^p) for the relative modes);
// at least one value is kept; max_bond (-1: none) caps it; renorm 1 / 2
// rescales the kept values to the original 1- / 2-norm; `error` is
// sqrt(sum of the discarded s^2).
//
// Mapping: max_bond -> max_rank (-1 -> 0), abs / rel -> abs_cutoff /
// rel_cutoff, sum2 / rsum2 / sum1 / rsum1 -> weight_cutoff with that
// weight_mode, cutoff <= 0 -> no cutoff, min_rank 1, renorm 1 / 2 ->
// keep_l1 / keep_l2.
// Differences: (1) abs and rel: quimb drops s == threshold, the attribute
// keeps it (Boundary below). (2) quimb computes its renorm factor as
// total / kept, NaN when everything kept is zero; the attribute gives 1.
// (3) With renorm > 0 and no cutoff, quimb runs the cutoff search with
// cutoff = -1, which for an all-zero spectrum in the sum modes discards
// down to one value; the attribute keeps the zeros (the random test below
// does not draw that combination).
//===----------------------------------------------------------------------===//

enum QuimbMode {
  qAbs = 1,
  qRel = 2,
  qSum2 = 3,
  qRsum2 = 4,
  qSum1 = 5,
  qRsum1 = 6
};

int64_t quimbNumberToKeep(const Spectrum &s, double cutoff, int mode) {
  int64_t nChi = 0;
  if (mode == qAbs) {
    for (double v : s)
      nChi += v > cutoff;
  } else if (mode == qRel) {
    for (double v : s)
      nChi += v > cutoff * s[0];
  } else {
    int pow = (mode == qSum2 || mode == qRsum2) ? 2 : 1;
    auto p = [&](double v) { return pow == 2 ? v * v : v; };
    double target = cutoff;
    if (mode == qRsum2 || mode == qRsum1) {
      double total = 0;
      for (double v : s)
        total += p(v);
      target *= total;
    }
    nChi = static_cast<int64_t>(s.size());
    double ssum = 0;
    for (int64_t i = nChi - 1; i >= 0; --i) {
      ssum += p(s[i]);
      if (ssum > target)
        break;
      --nChi;
    }
  }
  return std::max<int64_t>(nChi, 1);
}

double quimbRenormFactor(const Spectrum &s, int64_t nChi, int renorm) {
  double keep = 0, lose = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    double s2 = renorm >= 2 ? std::pow(s[i], renorm) : s[i];
    (static_cast<int64_t>(i) < nChi ? keep : lose) += s2;
  }
  double f = (keep + lose) / keep;
  if (renorm >= 2)
    f = std::pow(f, 1.0 / renorm);
  return f;
}

struct QuimbResult {
  int64_t kept;
  double factor; // by which the kept values were multiplied
  double error;  // sqrt(sum discarded s^2)
};

QuimbResult quimbTrim(const Spectrum &s, double cutoff, int mode,
                      int64_t maxBond, int renorm) {
  const int64_t d = static_cast<int64_t>(s.size());
  QuimbResult r{d, 1.0, 0.0};
  auto error = [&](int64_t from) {
    double e = 0;
    for (int64_t i = from; i < d; ++i)
      e += s[i] * s[i];
    return std::sqrt(e);
  };
  if (cutoff > 0 || renorm > 0) {
    int64_t nChi = quimbNumberToKeep(s, cutoff, mode);
    if (maxBond > 0)
      nChi = std::min(nChi, maxBond);
    if (nChi < d) {
      r.error = error(nChi);
      if (renorm > 0)
        r.factor = quimbRenormFactor(s, nChi, renorm);
      r.kept = nChi;
    }
  } else if (maxBond != -1 && maxBond < d) {
    r.error = error(maxBond);
    r.kept = maxBond;
  }
  return r;
}

TruncationRule fromQuimb(double cutoff, int mode, int64_t maxBond, int renorm) {
  TruncationRule rule;
  rule.maxRank = maxBond > 0 ? maxBond : 0;
  if (cutoff > 0) {
    switch (mode) {
    case qAbs:
      rule.absCutoff = cutoff;
      break;
    case qRel:
      rule.relCutoff = cutoff;
      break;
    default:
      rule.weightCutoff = cutoff;
      rule.weightMode = mode == qSum2    ? TruncWeightMode::sum2
                        : mode == qRsum2 ? TruncWeightMode::rsum2
                        : mode == qSum1  ? TruncWeightMode::sum1
                                         : TruncWeightMode::rsum1;
    }
  }
  rule.renorm = renorm == 1   ? TruncRenormMode::keep_l1
                : renorm == 2 ? TruncRenormMode::keep_l2
                              : TruncRenormMode::none;
  return rule;
}

void expectSameAsQuimb(const Spectrum &s, double cutoff, int mode,
                       int64_t maxBond, int renorm) {
  QuimbResult ref = quimbTrim(s, cutoff, mode, maxBond, renorm);
  TruncationResult ours = run(s, fromQuimb(cutoff, mode, maxBond, renorm));
  ASSERT_TRUE(ours.ok());
  EXPECT_EQ(ours.rank, ref.kept);
  double total = sumSquares(s);
  double refWeight = total > 0 ? ref.error * ref.error / total : 0;
  EXPECT_NEAR(ours.discardedWeight, refWeight, 1e-12 * refWeight + 1e-300);
  if (std::isfinite(ref.factor)) {
    EXPECT_NEAR(ours.scale, ref.factor, 1e-12 * ref.factor);
  } else {
    EXPECT_EQ(ours.scale, 1); // documented difference (2)
  }
}

TEST(TruncationQuimb, RandomSpectra) {
  for (uint64_t seed = 31; seed <= 36; ++seed) {
    Gen g(seed);
    for (int trial = 0; trial < 300; ++trial) {
      Kind kind = static_cast<Kind>(g.integer(0, int(Kind::Count) - 1));
      Spectrum s = makeSpectrum(g, kind);
      int64_t n = static_cast<int64_t>(s.size());
      int mode = static_cast<int>(g.integer(1, 6));
      int64_t maxBond = g.chance(0.5) ? g.integer(1, n + 2) : -1;
      int renorm = static_cast<int>(g.integer(0, 2));
      double cutoff = -1; // quimb's default: none
      if (g.chance(0.85)) {
        switch (mode) {
        case qAbs:
          cutoff = thresholdNear(g, s);
          break;
        case qRel:
          cutoff = g.logUniform(1e-6, 1.2);
          break;
        case qRsum2:
        case qRsum1:
          cutoff = g.logUniform(1e-10, 0.6);
          break;
        case qSum2:
          cutoff = g.logUniform(1e-10, 0.6) * std::max(sumSquares(s), 1e-6);
          break;
        default: {
          double sum = std::accumulate(s.begin(), s.end(), 0.0);
          cutoff = g.logUniform(1e-10, 0.6) * std::max(sum, 1e-6);
        }
        }
      } else if (kind == Kind::AllZero && renorm > 0) {
        renorm = 0; // documented difference (3)
      }
      SCOPED_TRACE(testing::Message()
                   << "seed " << seed << " trial " << trial << " "
                   << kindName(kind) << " s=" << show(s) << " cutoff=" << cutoff
                   << " mode=" << mode << " max_bond=" << maxBond
                   << " renorm=" << renorm);
      expectSameAsQuimb(s, cutoff, mode, maxBond, renorm);
    }
  }
}

TEST(TruncationQuimb, EdgeCases) {
  for (int mode = 1; mode <= 6; ++mode) {
    SCOPED_TRACE(mode);
    expectSameAsQuimb({0, 0, 0}, 1e-3, mode, -1, 0); // all zero: one kept
    expectSameAsQuimb({0, 0, 0}, 1e-3, mode, 2, 2);  // renorm factor NaN
    expectSameAsQuimb({0.3}, 1e-3, mode, -1, 1);     // single value
    expectSameAsQuimb({2, 1, 1, 1, 0.5}, 0.05, mode, 3, 2); // ties
  }
  expectSameAsQuimb({1, 1, 1, 1}, 0.25, qRsum2, -1, 2); // weight boundary
  expectSameAsQuimb({1, 1, 1, 1}, 1.0, qSum2, -1, 1);
  expectSameAsQuimb({3, 2, 1}, -1, qRsum2, 2, 2); // max_bond + renorm only
}

TEST(TruncationQuimb, Boundary) {
  // quimb keeps s > cutoff; the attribute keeps s >= cutoff.
  Spectrum s = {1, 0.5, 0.25};
  EXPECT_EQ(quimbTrim(s, 0.5, qAbs, -1, 0).kept, 1);
  EXPECT_EQ(run(s, fromQuimb(0.5, qAbs, -1, 0)).rank, 2);
  EXPECT_EQ(quimbTrim(s, 0.5, qRel, -1, 0).kept, 1);
  EXPECT_EQ(run(s, fromQuimb(0.5, qRel, -1, 0)).rank, 2);
  // Off the boundary they agree.
  for (double c : {0.4999999, 0.5000001})
    for (int mode : {qAbs, qRel})
      expectSameAsQuimb(s, c, mode, -1, 0);
}

//===----------------------------------------------------------------------===//
// cuTensorNet
//
// The documented semantics of cutensornetTensorSVDConfigAttributes_t /
// SVDMethod (max_extent, abs_cutoff, rel_cutoff, discarded_weight_cutoff,
// normalization L1 / L2 / LInf; "if multiple truncation parameters are set
// ... the truncated extent will be determined as the lowest among all";
// "at least one singular value will be retained"),
//   https://docs.nvidia.com/cuda/cuquantum/latest/cutensornet/api/types.html
//   https://docs.nvidia.com/cuda/cuquantum/latest/python/api/generated/cuquantum.cutensornet.tensor.SVDMethod.html
// as NVIDIA's own NumPy reference `matrix_svd` implements them for the
// cuTensorNet tests,
//   https://github.com/NVIDIA/cuQuantum/blob/main/python/tests/cuquantum_tests/tensornet/utils/approxTN_utils.py
// (keep s > max(abs_cutoff, rel_cutoff * s[0]); keep the smallest k with
// cumsum(s^2)[k-1] / sum(s^2) >= 1 - discarded_weight_cutoff; the minimum
// of these and max_extent, at least 1; discarded weight 1 - kept s^2 /
// total s^2; normalization divides the kept values by their 1-norm, 2-norm
// or largest value).
//
// Mapping: max_extent -> max_rank, abs_cutoff, rel_cutoff -> the same,
// discarded_weight_cutoff -> weight_cutoff with rsum2, min_rank 1,
// normalization L1 / L2 / LInf -> renorm unit_l1 / unit_l2 / unit_linf.
// Differences: (1) abs_cutoff / rel_cutoff: cuTensorNet drops s equal to
// the threshold, the attribute keeps it (Boundary below). (2) An all-zero
// spectrum gives NaN discarded weight and normalization there (0 / 0); the
// attribute gives 0 and 1. (3) On an all-zero spectrum with rel_cutoff as
// the only cutoff, the threshold rel_cutoff * s[0] is 0, which the
// reference treats as "no cutoff" (every zero kept); the attribute drops
// exact zeros under any cutoff, so min_rank (1) is kept, as quimb does.
//===----------------------------------------------------------------------===//

struct CutnParams {
  int64_t maxExtent = 0;
  double absCutoff = 0, relCutoff = 0, discardedWeightCutoff = 0;
  int normalization = 0; // 0 none, 1 L1, 2 L2, 3 LInf
};

struct CutnResult {
  int64_t reducedExtent;
  double discardedWeight;
  double factor; // the normalization divides by 1 / factor
};

CutnResult cutensornetTruncate(const Spectrum &s, const CutnParams &p) {
  const int64_t n = static_cast<int64_t>(s.size());
  double cutoff = std::max(p.absCutoff, p.relCutoff * s[0]);
  int64_t maxExtent = p.maxExtent == 0 ? n : p.maxExtent;
  int64_t reduced;
  if (cutoff != 0) {
    int64_t above = 0;
    for (double v : s)
      above += v > cutoff;
    reduced = std::min(maxExtent, above);
  } else {
    reduced = maxExtent;
  }
  if (p.discardedWeightCutoff != 0) {
    std::vector<double> cum(s.size());
    double acc = 0;
    for (int64_t i = 0; i < n; ++i)
      cum[i] = acc += s[i] * s[i];
    int64_t count = 0;
    for (int64_t i = 0; i < n; ++i)
      count += cum[i] / cum[n - 1] < 1 - p.discardedWeightCutoff;
    reduced = std::min(reduced, count + 1);
  }
  reduced = std::max<int64_t>(reduced, 1);
  reduced = std::min(reduced, n); // s[:reduced] slices at most n
  CutnResult r{reduced, 0.0, 1.0};
  double total = sumSquares(s), kept2 = 0, kept1 = 0;
  for (int64_t i = 0; i < reduced; ++i) {
    kept2 += s[i] * s[i];
    kept1 += s[i];
  }
  if (reduced != n)
    r.discardedWeight = 1 - kept2 / total;
  if (p.normalization == 1)
    r.factor = 1 / kept1;
  else if (p.normalization == 2)
    r.factor = 1 / std::sqrt(kept2);
  else if (p.normalization == 3)
    r.factor = 1 / s[0];
  return r;
}

TruncationRule fromCutensornet(const CutnParams &p) {
  TruncationRule rule;
  rule.maxRank = p.maxExtent;
  rule.absCutoff = p.absCutoff;
  rule.relCutoff = p.relCutoff;
  rule.weightCutoff = p.discardedWeightCutoff;
  rule.weightMode = TruncWeightMode::rsum2;
  rule.renorm = p.normalization == 1   ? TruncRenormMode::unit_l1
                : p.normalization == 2 ? TruncRenormMode::unit_l2
                : p.normalization == 3 ? TruncRenormMode::unit_linf
                                       : TruncRenormMode::none;
  return rule;
}

void expectSameAsCutensornet(const Spectrum &s, const CutnParams &p) {
  CutnResult ref = cutensornetTruncate(s, p);
  TruncationResult ours = run(s, fromCutensornet(p));
  ASSERT_TRUE(ours.ok());
  if (sumSquares(s) == 0) {
    if (p.relCutoff > 0 && p.absCutoff == 0 && p.discardedWeightCutoff == 0) {
      // Documented difference (3).
      int64_t n = static_cast<int64_t>(s.size());
      EXPECT_EQ(ref.reducedExtent, p.maxExtent ? std::min(p.maxExtent, n) : n);
      EXPECT_EQ(ours.rank, 1);
    } else {
      EXPECT_EQ(ours.rank, ref.reducedExtent);
    }
    // Documented difference (2).
    EXPECT_EQ(ours.discardedWeight, 0);
    EXPECT_EQ(ours.scale, 1);
    return;
  }
  EXPECT_EQ(ours.rank, ref.reducedExtent);
  // 1 - kept / total cancels: absolute tolerance.
  EXPECT_NEAR(ours.discardedWeight, ref.discardedWeight, 1e-13);
  EXPECT_NEAR(ours.scale, ref.factor, 1e-12 * ref.factor);
}

TEST(TruncationCutensornet, RandomSpectra) {
  for (uint64_t seed = 41; seed <= 46; ++seed) {
    Gen g(seed);
    for (int trial = 0; trial < 300; ++trial) {
      Kind kind = static_cast<Kind>(g.integer(0, int(Kind::Count) - 1));
      Spectrum s = makeSpectrum(g, kind);
      int64_t n = static_cast<int64_t>(s.size());
      CutnParams p;
      if (g.chance(0.5))
        p.maxExtent = g.integer(1, n + 2);
      if (g.chance(0.4))
        p.absCutoff = thresholdNear(g, s);
      if (g.chance(0.4))
        p.relCutoff = g.logUniform(1e-6, 1.2);
      if (g.chance(0.5))
        p.discardedWeightCutoff = g.logUniform(1e-10, 0.6);
      p.normalization = static_cast<int>(g.integer(0, 3));
      SCOPED_TRACE(testing::Message()
                   << "seed " << seed << " trial " << trial << " "
                   << kindName(kind) << " s=" << show(s)
                   << " max_extent=" << p.maxExtent << " abs=" << p.absCutoff
                   << " rel=" << p.relCutoff << " dw="
                   << p.discardedWeightCutoff << " norm=" << p.normalization);
      expectSameAsCutensornet(s, p);
    }
  }
}

TEST(TruncationCutensornet, EdgeCases) {
  CutnParams p;
  p.discardedWeightCutoff = 0.25;
  p.normalization = 2;
  expectSameAsCutensornet({1, 1, 1, 1}, p); // ties, exactly one may go
  EXPECT_EQ(cutensornetTruncate({1, 1, 1, 1}, p).reducedExtent, 3);
  expectSameAsCutensornet({0, 0, 0}, p); // all zero
  expectSameAsCutensornet({4.0}, p);     // single value
  p.maxExtent = 9;                       // above the available rank
  p.absCutoff = 0.3;
  expectSameAsCutensornet({2, 1, 0.5, 0.1}, p);
}

TEST(TruncationCutensornet, Boundary) {
  Spectrum s = {1, 0.5, 0.25};
  CutnParams p;
  p.absCutoff = 0.5;
  EXPECT_EQ(cutensornetTruncate(s, p).reducedExtent, 1);
  EXPECT_EQ(run(s, fromCutensornet(p)).rank, 2);
  p = CutnParams();
  p.relCutoff = 0.25;
  EXPECT_EQ(cutensornetTruncate(s, p).reducedExtent, 2);
  EXPECT_EQ(run(s, fromCutensornet(p)).rank, 3);
  p.relCutoff = 0.2500001;
  expectSameAsCutensornet(s, p);
}

} // namespace
