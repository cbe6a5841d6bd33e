//===- Truncation.h - The #tn.trunc rule on a spectrum ----------*- C++ -*-===//
//
// The arithmetic of the `#tn.trunc` attribute (include/tn/Dialect/TN/IR/
// TNAttrs.td): given a non-increasing spectrum of singular values, how many
// to keep, the discarded weight and the renormalization factor. Shared by
// the CPU and GPU runtimes. MLIR-free, no LAPACK, no allocation.
//
// The rule, exactly:
//
//  * Let n be the length of the spectrum s (s[0] >= s[1] >= ... >= 0).
//  * Each cutoff that is set (> 0) allows a rank; the kept rank is the
//    smallest of them (n when none is set):
//      abs_cutoff     keep s[i] >= abs_cutoff        (discard s < abs_cutoff)
//      rel_cutoff     keep s[i] >= rel_cutoff*s[0]   (discard s < rel*max s);
//                     an all-zero spectrum is discarded entirely
//      weight_cutoff  discard the largest number d of smallest values whose
//                     weight W is at most weight_cutoff (W <= cutoff, not <):
//                       rsum2  W = sum_{tail} s^2 / sum_{all} s^2
//                       sum2   W = sum_{tail} s^2
//                       rsum1  W = sum_{tail} s   / sum_{all} s
//                       sum1   W = sum_{tail} s
//                     (relative weights are evaluated as
//                     sum_tail <= cutoff * sum_all, so an all-zero spectrum
//                     has weight 0 and is discarded entirely).
//    Consequently exact zeros are dropped by every cutoff that is set.
//  * The rank is then clamped to [lo, hi] with hi = min(max_rank, n)
//    (max_rank 0: hi = n) and lo = min(min_rank, n): a minimum rank above
//    the available rank is clamped to the available rank.
//  * degeneracy_tol > 0: a cut between s[r-1] and s[r] (0 < r < n) is
//    degenerate when log(s[r-1]) - log(s[r]) < degeneracy_tol (two zeros are
//    degenerate; a positive value and a zero are not). A degenerate cut is
//    moved down to the largest non-degenerate rank in [lo, r) (rank 0, when
//    lo is 0, is never degenerate); if there is none, up to the smallest
//    non-degenerate rank in (r, hi] (rank n is never degenerate); if there
//    is none either, it stays and `degenerateCut` is set.
//  * discardedWeight = sum_{i >= rank} s^2 / sum_i s^2 (0 when the spectrum
//    is all zero or empty), whatever the weight mode.
//  * scale (multiply the kept values by it):
//      none       1
//      keep_l1    sum_all s   / sum_kept s         (quimb renorm=1)
//      keep_l2    sqrt(sum_all s^2 / sum_kept s^2) (quimb renorm=2)
//      unit_l1    1 / sum_kept s
//      unit_l2    1 / sqrt(sum_kept s^2)
//      unit_linf  1 / s[0]
//    and 1 whenever the denominator is 0 (nothing kept, or only zeros).
//
// Edge cases: n = 0 gives rank 0, discarded weight 0, scale 1 (status Ok).
// An all-zero spectrum gives rank lo when any cutoff is set and hi when none
// is, with discarded weight 0 and scale 1 (with degeneracy_tol, a cut
// inside the zeros can only move to rank 0 or n, so it usually stays and
// sets `degenerateCut`). NaN or Inf in the spectrum gives status
// NonFiniteSpectrum, rank 0 and a NaN discarded weight: never a silent
// result.
//
//===----------------------------------------------------------------------===//

#ifndef TN_TRUNCATION_TRUNCATION_H
#define TN_TRUNCATION_TRUNCATION_H

#include <cstdint>

namespace tnc {

/// The numbering of ::mlir::tn::WeightMode (TNEnums.td); the runtimes
/// receive it as int32.
enum class TruncWeightMode : int32_t {
  rsum2 = 0,
  sum2 = 1,
  rsum1 = 2,
  sum1 = 3
};

/// The numbering of ::mlir::tn::AbsorbMode (TNEnums.td). The truncation
/// rule itself ignores it; the runtimes apply it.
enum class TruncAbsorbMode : int32_t {
  none = 0,
  left = 1,
  right = 2,
  both = 3
};

/// The numbering of ::mlir::tn::RenormMode (TNEnums.td).
enum class TruncRenormMode : int32_t {
  none = 0,
  keep_l1 = 1,
  keep_l2 = 2,
  unit_l1 = 3,
  unit_l2 = 4,
  unit_linf = 5
};

/// The fields of `#tn.trunc`, with its defaults (no truncation).
struct TruncationRule {
  int64_t maxRank = 0; ///< 0: no limit
  int64_t minRank = 1; ///< 0 is accepted here (the dialect requires >= 1)
  double absCutoff = 0;
  double relCutoff = 0;
  double weightCutoff = 0;
  TruncWeightMode weightMode = TruncWeightMode::rsum2;
  double degeneracyTol = 0;
  TruncAbsorbMode absorb = TruncAbsorbMode::none;
  TruncRenormMode renorm = TruncRenormMode::none;
};

enum class TruncationStatus : int32_t {
  Ok = 0,
  /// The spectrum holds a NaN or an infinity.
  NonFiniteSpectrum = 1,
  /// The spectrum is not non-increasing, holds a negative value, n < 0, or
  /// s is null with n > 0.
  InvalidSpectrum = 2,
  /// A negative rank, min_rank > max_rank > 0, a negative, NaN or infinite
  /// cutoff or tolerance, or an enum value outside its range.
  InvalidRule = 3,
};

struct TruncationResult {
  /// The kept rank (0 on error).
  int64_t rank = 0;
  /// sum_{i >= rank} s^2 / sum s^2 (NaN on error).
  double discardedWeight = 0;
  /// Factor by which to multiply the kept values (1 on error).
  double scale = 1;
  TruncationStatus status = TruncationStatus::Ok;
  /// The degeneracy tolerance could not be honoured within [lo, hi].
  bool degenerateCut = false;

  bool ok() const { return status == TruncationStatus::Ok; }
};

/// Checks the rule alone (see TruncationStatus::InvalidRule).
bool isValidTruncationRule(const TruncationRule &rule);

/// Applies `rule` to the non-increasing, non-negative spectrum s[0..n).
/// Sums are accumulated in double for both overloads.
TruncationResult truncateSpectrum(const double *s, int64_t n,
                                  const TruncationRule &rule);
TruncationResult truncateSpectrum(const float *s, int64_t n,
                                  const TruncationRule &rule);

/// A readable name for a status ("ok", "non-finite spectrum", ...).
const char *truncationStatusName(TruncationStatus status);

} // namespace tnc

#endif // TN_TRUNCATION_TRUNCATION_H
