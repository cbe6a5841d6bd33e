//===- Truncation.cpp - The #tn.trunc rule on a spectrum ------------------===//
//
// See include/tn/Truncation/Truncation.h for the rule. MLIR-free.
//
//===----------------------------------------------------------------------===//

#include "tn/Truncation/Truncation.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace tnc;

namespace {

bool isFiniteNonNegative(double v) { return std::isfinite(v) && v >= 0; }

/// Whether a cut between a = s[r-1] and b = s[r] (a >= b >= 0) splits a
/// degenerate pair.
bool isDegenerate(double a, double b, double tol) {
  if (b == 0)
    return a == 0;
  return std::log(a) - std::log(b) < tol;
}

template <typename T>
TruncationResult truncateImpl(const T *sIn, int64_t n,
                              const TruncationRule &rule) {
  TruncationResult result;
  auto fail = [&](TruncationStatus status) {
    result.rank = 0;
    result.discardedWeight = std::numeric_limits<double>::quiet_NaN();
    result.scale = 1;
    result.status = status;
    result.degenerateCut = false;
    return result;
  };
  if (!isValidTruncationRule(rule))
    return fail(TruncationStatus::InvalidRule);
  if (n < 0 || (n > 0 && !sIn))
    return fail(TruncationStatus::InvalidSpectrum);
  // NaN/Inf first: a NaN also breaks the ordering check.
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(static_cast<double>(sIn[i])))
      return fail(TruncationStatus::NonFiniteSpectrum);
  for (int64_t i = 0; i < n; ++i)
    if (sIn[i] < 0 || (i > 0 && sIn[i] > sIn[i - 1]))
      return fail(TruncationStatus::InvalidSpectrum);
  if (n == 0)
    return result;

  auto s = [&](int64_t i) { return static_cast<double>(sIn[i]); };

  const int64_t hi = rule.maxRank > 0 ? std::min(rule.maxRank, n) : n;
  const int64_t lo = std::min(rule.minRank, n);

  int64_t rank = n;
  // Number of leading values v with keep(v); the spectrum is sorted, so the
  // kept values form a prefix.
  auto countPrefix = [&](auto keep) {
    int64_t count = 0;
    while (count < n && keep(s(count)))
      ++count;
    return count;
  };
  if (rule.absCutoff > 0)
    rank = std::min(rank,
                    countPrefix([&](double v) { return v >= rule.absCutoff; }));
  if (rule.relCutoff > 0) {
    double threshold = rule.relCutoff * s(0);
    if (s(0) == 0)
      rank = 0; // all zero: every value is discarded
    else
      rank =
          std::min(rank, countPrefix([&](double v) { return v >= threshold; }));
  }
  if (rule.weightCutoff > 0) {
    bool squared = rule.weightMode == TruncWeightMode::rsum2 ||
                   rule.weightMode == TruncWeightMode::sum2;
    bool relative = rule.weightMode == TruncWeightMode::rsum2 ||
                    rule.weightMode == TruncWeightMode::rsum1;
    auto weight = [&](int64_t i) { return squared ? s(i) * s(i) : s(i); };
    double limit = rule.weightCutoff;
    if (relative) {
      double total = 0;
      for (int64_t i = 0; i < n; ++i)
        total += weight(i);
      limit *= total;
    }
    // Discard from the smallest value up while the tail weight stays within
    // the limit.
    int64_t kept = n;
    double tail = 0;
    while (kept > 0 && tail + weight(kept - 1) <= limit) {
      tail += weight(kept - 1);
      --kept;
    }
    rank = std::min(rank, kept);
  }
  rank = std::max(std::min(rank, hi), lo);

  if (rule.degeneracyTol > 0 && rank > 0 && rank < n &&
      isDegenerate(s(rank - 1), s(rank), rule.degeneracyTol)) {
    auto allowed = [&](int64_t r) {
      return r == 0 || r == n ||
             !isDegenerate(s(r - 1), s(r), rule.degeneracyTol);
    };
    int64_t moved = -1;
    for (int64_t r = rank - 1; r >= lo && moved < 0; --r)
      if (allowed(r))
        moved = r;
    for (int64_t r = rank + 1; r <= hi && moved < 0; ++r)
      if (allowed(r))
        moved = r;
    if (moved >= 0)
      rank = moved;
    else
      result.degenerateCut = true;
  }
  result.rank = rank;

  // Sums from the smallest value up; the tail is summed on its own (not as
  // total - kept, which loses a tail tiny next to the kept part).
  double tail1 = 0, tail2 = 0, kept1 = 0, kept2 = 0;
  for (int64_t i = n - 1; i >= 0; --i) {
    double v = s(i);
    (i < rank ? kept1 : tail1) += v;
    (i < rank ? kept2 : tail2) += v * v;
  }
  double total1 = kept1 + tail1, total2 = kept2 + tail2;
  result.discardedWeight = total2 > 0 ? tail2 / total2 : 0.0;

  double scale = 1;
  switch (rule.renorm) {
  case TruncRenormMode::none:
    break;
  case TruncRenormMode::keep_l1:
    if (kept1 > 0)
      scale = total1 / kept1;
    break;
  case TruncRenormMode::keep_l2:
    if (kept2 > 0)
      scale = std::sqrt(total2 / kept2);
    break;
  case TruncRenormMode::unit_l1:
    if (kept1 > 0)
      scale = 1 / kept1;
    break;
  case TruncRenormMode::unit_l2:
    if (kept2 > 0)
      scale = 1 / std::sqrt(kept2);
    break;
  case TruncRenormMode::unit_linf:
    if (rank > 0 && s(0) > 0)
      scale = 1 / s(0);
    break;
  }
  result.scale = scale;
  return result;
}

} // namespace

bool tnc::isValidTruncationRule(const TruncationRule &rule) {
  if (rule.maxRank < 0 || rule.minRank < 0)
    return false;
  if (rule.maxRank > 0 && rule.minRank > rule.maxRank)
    return false;
  for (double v :
       {rule.absCutoff, rule.relCutoff, rule.weightCutoff, rule.degeneracyTol})
    if (!isFiniteNonNegative(v))
      return false;
  auto weight = static_cast<int32_t>(rule.weightMode);
  auto absorb = static_cast<int32_t>(rule.absorb);
  auto renorm = static_cast<int32_t>(rule.renorm);
  return weight >= 0 && weight <= 3 && absorb >= 0 && absorb <= 3 &&
         renorm >= 0 && renorm <= 5;
}

TruncationResult tnc::truncateSpectrum(const double *s, int64_t n,
                                       const TruncationRule &rule) {
  return truncateImpl(s, n, rule);
}

TruncationResult tnc::truncateSpectrum(const float *s, int64_t n,
                                       const TruncationRule &rule) {
  return truncateImpl(s, n, rule);
}

const char *tnc::truncationStatusName(TruncationStatus status) {
  switch (status) {
  case TruncationStatus::Ok:
    return "ok";
  case TruncationStatus::NonFiniteSpectrum:
    return "non-finite spectrum";
  case TruncationStatus::InvalidSpectrum:
    return "invalid spectrum";
  case TruncationStatus::InvalidRule:
    return "invalid truncation rule";
  }
  return "unknown status";
}
