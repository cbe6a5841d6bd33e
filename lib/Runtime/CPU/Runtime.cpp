//===- Runtime.cpp - tnc's CPU runtime: SVD and QR over LAPACKE -----------===//
//
// See include/tn/Runtime/CPU/Runtime.h. The input is copied into a
// contiguous column-major buffer (any strides), factorized with LAPACKE's
// *_work routines (column-major: no internal transposition, no printing;
// our own work arrays, so allocation failures are ours to report), then the
// truncation rule (tn/Truncation) is applied and the factors are written
// through the output descriptors' strides.
//
// No C++ runtime dependency: malloc/free, no exceptions, no iostreams; the
// archive links with `-llapacke -lopenblas -lm` alone.
//
//===----------------------------------------------------------------------===//

#include "tn/Runtime/CPU/Runtime.h"

#include "tn/Truncation/Truncation.h"

#include <cmath>
#include <complex>

// LAPACK's complex types are std::complex (layout-compatible with the
// Fortran and C99 ones). lapack.h reads lapack_complex_*, lapacke_config.h
// LAPACK_COMPLEX_CPP.
#define LAPACK_COMPLEX_CPP
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <lapacke.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

using namespace tnc;

namespace {

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

/// Maps the C element type of a descriptor to the type computed with.
template <typename C> struct Elem;
template <> struct Elem<float> {
  using T = float;
  using R = float;
  static T load(const float &x) { return x; }
  static void store(float &d, T v) { d = v; }
};
template <> struct Elem<double> {
  using T = double;
  using R = double;
  static T load(const double &x) { return x; }
  static void store(double &d, T v) { d = v; }
};
template <> struct Elem<tnc_complex64> {
  using T = std::complex<float>;
  using R = float;
  static T load(const tnc_complex64 &x) { return T(x.real, x.imag); }
  static void store(tnc_complex64 &d, T v) {
    d.real = v.real();
    d.imag = v.imag();
  }
};
template <> struct Elem<tnc_complex128> {
  using T = std::complex<double>;
  using R = double;
  static T load(const tnc_complex128 &x) { return T(x.real, x.imag); }
  static void store(tnc_complex128 &d, T v) {
    d.real = v.real();
    d.imag = v.imag();
  }
};

template <typename T> bool isFinite(T v) { return std::isfinite(v); }
template <typename T> bool isFinite(std::complex<T> v) {
  return std::isfinite(v.real()) && std::isfinite(v.imag());
}

//===----------------------------------------------------------------------===//
// LAPACK dispatch (column-major, *_work variants)
//===----------------------------------------------------------------------===//

using cfloat = std::complex<float>;
using cdouble = std::complex<double>;

#define TNC_GESDD_REAL(T, P)                                                   \
  lapack_int gesdd(lapack_int m, lapack_int n, T *a, lapack_int lda, T *s,     \
                   T *u, lapack_int ldu, T *vt, lapack_int ldvt, T *work,      \
                   lapack_int lwork, T * /*rwork*/, lapack_int *iwork) {       \
    return LAPACKE_##P##gesdd_work(LAPACK_COL_MAJOR, 'S', m, n, a, lda, s, u,  \
                                   ldu, vt, ldvt, work, lwork, iwork);         \
  }                                                                            \
  lapack_int gesvd(lapack_int m, lapack_int n, T *a, lapack_int lda, T *s,     \
                   T *u, lapack_int ldu, T *vt, lapack_int ldvt, T *work,      \
                   lapack_int lwork, T * /*rwork*/) {                          \
    return LAPACKE_##P##gesvd_work(LAPACK_COL_MAJOR, 'S', 'S', m, n, a, lda,   \
                                   s, u, ldu, vt, ldvt, work, lwork);          \
  }                                                                            \
  lapack_int geqrf(lapack_int m, lapack_int n, T *a, lapack_int lda, T *tau,   \
                   T *work, lapack_int lwork) {                                \
    return LAPACKE_##P##geqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work,  \
                                   lwork);                                     \
  }                                                                            \
  lapack_int orgqr(lapack_int m, lapack_int n, lapack_int k, T *a,             \
                   lapack_int lda, const T *tau, T *work, lapack_int lwork) {  \
    return LAPACKE_##P##orgqr_work(LAPACK_COL_MAJOR, m, n, k, a, lda, tau,     \
                                   work, lwork);                               \
  }

#define TNC_GESDD_COMPLEX(T, R, P)                                             \
  lapack_int gesdd(lapack_int m, lapack_int n, T *a, lapack_int lda, R *s,     \
                   T *u, lapack_int ldu, T *vt, lapack_int ldvt, T *work,      \
                   lapack_int lwork, R *rwork, lapack_int *iwork) {            \
    return LAPACKE_##P##gesdd_work(LAPACK_COL_MAJOR, 'S', m, n, a, lda, s, u,  \
                                   ldu, vt, ldvt, work, lwork, rwork, iwork);  \
  }                                                                            \
  lapack_int gesvd(lapack_int m, lapack_int n, T *a, lapack_int lda, R *s,     \
                   T *u, lapack_int ldu, T *vt, lapack_int ldvt, T *work,      \
                   lapack_int lwork, R *rwork) {                               \
    return LAPACKE_##P##gesvd_work(LAPACK_COL_MAJOR, 'S', 'S', m, n, a, lda,   \
                                   s, u, ldu, vt, ldvt, work, lwork, rwork);   \
  }                                                                            \
  lapack_int geqrf(lapack_int m, lapack_int n, T *a, lapack_int lda, T *tau,   \
                   T *work, lapack_int lwork) {                                \
    return LAPACKE_##P##geqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work,  \
                                   lwork);                                     \
  }                                                                            \
  lapack_int orgqr(lapack_int m, lapack_int n, lapack_int k, T *a,             \
                   lapack_int lda, const T *tau, T *work, lapack_int lwork) {  \
    return LAPACKE_##P##ungqr_work(LAPACK_COL_MAJOR, m, n, k, a, lda, tau,     \
                                   work, lwork);                               \
  }

TNC_GESDD_REAL(float, s)
TNC_GESDD_REAL(double, d)
TNC_GESDD_COMPLEX(cfloat, float, c)
TNC_GESDD_COMPLEX(cdouble, double, z)

#undef TNC_GESDD_REAL
#undef TNC_GESDD_COMPLEX

template <typename T> constexpr bool isComplex = false;
template <typename T> constexpr bool isComplex<std::complex<T>> = true;

/// The optimal lwork from a workspace query's first element (rounded up,
/// at least 1), or -1 when it does not fit LAPACK's integers.
template <typename T> lapack_int queriedSize(T value) {
  double v;
  if constexpr (isComplex<T>)
    v = static_cast<double>(value.real());
  else
    v = static_cast<double>(value);
  v = std::ceil(v);
  if (!(v >= 1))
    return 1;
  if (v > static_cast<double>(std::numeric_limits<lapack_int>::max()))
    return -1;
  return static_cast<lapack_int>(v);
}

//===----------------------------------------------------------------------===//
// Buffers
//===----------------------------------------------------------------------===//

/// A malloc'ed array freed on scope exit; `ok()` is false when the
/// allocation failed.
template <typename T> class Buffer {
public:
  Buffer() = default;
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
  ~Buffer() { std::free(data); }
  bool allocate(int64_t count) {
    std::free(data);
    data = nullptr;
    if (count < 1)
      count = 1;
    if (static_cast<uint64_t>(count) >
        std::numeric_limits<size_t>::max() / sizeof(T))
      return false;
    data =
        static_cast<T *>(std::malloc(static_cast<size_t>(count) * sizeof(T)));
    return data != nullptr;
  }
  T *get() { return data; }
  T &operator[](int64_t i) { return data[i]; }

private:
  T *data = nullptr;
};

//===----------------------------------------------------------------------===//
// Descriptors
//===----------------------------------------------------------------------===//

constexpr int64_t kMaxLapackDim = std::numeric_limits<lapack_int>::max();

template <typename D> int64_t numElements(const D *d, int rank) {
  int64_t count = 1;
  for (int i = 0; i < rank; ++i)
    count *= d->sizes[i];
  return count;
}

/// A descriptor, with a data pointer unless it is empty.
template <typename D> bool present(const D *d, int rank) {
  if (!d)
    return false;
  if (d->aligned)
    return true;
  for (int i = 0; i < rank; ++i)
    if (d->sizes[i] <= 0)
      return true;
  return false;
}

template <typename D> bool nonNegativeSizes(const D *d, int rank) {
  for (int i = 0; i < rank; ++i)
    if (d->sizes[i] < 0)
      return false;
  return true;
}

template <typename D> auto &at2(D *d, int64_t i, int64_t j) {
  return d->aligned[d->offset + i * d->strides[0] + j * d->strides[1]];
}
template <typename D> auto &at1(D *d, int64_t i) {
  return d->aligned[d->offset + i * d->strides[0]];
}

template <typename D> void zero2(D *d) {
  using C = std::remove_reference_t<decltype(d->aligned[0])>;
  for (int64_t i = 0; i < d->sizes[0]; ++i)
    for (int64_t j = 0; j < d->sizes[1]; ++j)
      std::memset(&at2(d, i, j), 0, sizeof(C));
}
template <typename D> void zero1(D *d) {
  using C = std::remove_reference_t<decltype(d->aligned[0])>;
  for (int64_t i = 0; i < d->sizes[0]; ++i)
    std::memset(&at1(d, i), 0, sizeof(C));
}

/// Copies the m x n input into a column-major buffer with leading dimension
/// max(1, m); returns false when it holds a NaN or an infinity.
template <typename D, typename T> bool copyIn(D *a, T *out, int64_t lda) {
  using E =
      Elem<std::remove_cv_t<std::remove_reference_t<decltype(a->aligned[0])>>>;
  bool finite = true;
  for (int64_t j = 0; j < a->sizes[1]; ++j)
    for (int64_t i = 0; i < a->sizes[0]; ++i) {
      T v = E::load(at2(a, i, j));
      finite &= isFinite(v);
      out[i + j * lda] = v;
    }
  return finite;
}

//===----------------------------------------------------------------------===//
// SVD
//===----------------------------------------------------------------------===//

template <typename D2, typename D1R>
int32_t svdImpl(D2 *a, D2 *u, D1R *s, D2 *vt, tnc_memref1d_i64 *rank,
                D1R *discarded, int64_t maxRank, int64_t minRank,
                double absCutoff, double relCutoff, double weightCutoff,
                int32_t weightMode, double degeneracyTol, int32_t absorb,
                int32_t renorm) {
  using CE = std::remove_reference_t<decltype(a->aligned[0])>;
  using E = Elem<CE>;
  using T = typename E::T;
  using R = typename E::R;

  bool rankOk = present(rank, 1) && rank->sizes[0] == 1;
  bool discardedOk = present(discarded, 1) && discarded->sizes[0] == 1;
  auto fail = [&](int32_t status, bool zeroFactors) {
    if (zeroFactors) {
      zero2(u);
      zero1(s);
      zero2(vt);
    }
    if (rankOk)
      at1(rank, 0) = 0;
    if (discardedOk)
      at1(discarded, 0) = 0;
    return status;
  };

  if (!present(a, 2) || !present(u, 2) || !present(s, 1) || !present(vt, 2) ||
      !present(rank, 1) || !present(discarded, 1))
    return fail(TNC_STATUS_INVALID_ARGUMENT, false);
  if (!rankOk || !discardedOk || !nonNegativeSizes(a, 2) ||
      !nonNegativeSizes(u, 2))
    return fail(TNC_STATUS_BAD_SIZES, false);
  const int64_t m = a->sizes[0], n = a->sizes[1];
  const int64_t mn = m < n ? m : n;
  const int64_t k = u->sizes[1];
  if (u->sizes[0] != m || s->sizes[0] != k || vt->sizes[0] != k ||
      vt->sizes[1] != n || k > mn || m > kMaxLapackDim || n > kMaxLapackDim)
    return fail(TNC_STATUS_BAD_SIZES, false);

  TruncationRule rule;
  rule.maxRank = maxRank;
  rule.minRank = minRank;
  rule.absCutoff = absCutoff;
  rule.relCutoff = relCutoff;
  rule.weightCutoff = weightCutoff;
  rule.weightMode = static_cast<TruncWeightMode>(weightMode);
  rule.degeneracyTol = degeneracyTol;
  rule.absorb = static_cast<TruncAbsorbMode>(absorb);
  rule.renorm = static_cast<TruncRenormMode>(renorm);
  if (!isValidTruncationRule(rule))
    return fail(TNC_STATUS_INVALID_ARGUMENT, false);
  // The bond extent k caps the rank.
  rule.maxRank = maxRank > 0 && maxRank < k ? maxRank : k;
  rule.minRank = minRank < k ? minRank : k;

  if (mn == 0) {
    at1(rank, 0) = 0;
    at1(discarded, 0) = 0;
    return TNC_STATUS_OK;
  }
  if (k == 0) {
    // Nothing can be kept: the whole weight is discarded (none when the
    // matrix is zero). No factorization needed.
    bool nonZero = false;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        T v = E::load(at2(a, i, j));
        if (!isFinite(v))
          return fail(TNC_STATUS_NON_FINITE_INPUT, true);
        nonZero |= v != T(0);
      }
    at1(rank, 0) = 0;
    at1(discarded, 0) = nonZero ? R(1) : R(0);
    return TNC_STATUS_OK;
  }

  const lapack_int lm = static_cast<lapack_int>(m);
  const lapack_int ln = static_cast<lapack_int>(n);
  const lapack_int lmn = static_cast<lapack_int>(mn);
  const lapack_int lda = lm, ldu = lm, ldvt = lmn;

  Buffer<T> work, copy, uBuf, vtBuf;
  Buffer<R> sBuf, rwork;
  Buffer<lapack_int> iwork;
  if (!copy.allocate(m * n) || !uBuf.allocate(m * mn) ||
      !vtBuf.allocate(mn * n) || !sBuf.allocate(mn) || !iwork.allocate(8 * mn))
    return fail(TNC_STATUS_ALLOCATION_FAILURE, true);
  if constexpr (isComplex<T>) {
    // gesdd (jobz = 'S') needs mn * max(5 mn + 7, 2 max(m, n) + 2 mn + 1);
    // gesvd 5 mn.
    int64_t mx = m > n ? m : n;
    int64_t a1 = 5 * mn + 7, a2 = 2 * mx + 2 * mn + 1;
    if (!rwork.allocate(mn * (a1 > a2 ? a1 : a2)))
      return fail(TNC_STATUS_ALLOCATION_FAILURE, true);
  } else {
    rwork.allocate(1);
  }

  if (!copyIn(a, copy.get(), lda))
    return fail(TNC_STATUS_NON_FINITE_INPUT, true);

  // gesdd, then gesvd on a fresh copy when it fails.
  lapack_int info = 0;
  {
    T query{};
    info = gesdd(lm, ln, copy.get(), lda, sBuf.get(), uBuf.get(), ldu,
                 vtBuf.get(), ldvt, &query, -1, rwork.get(), iwork.get());
    lapack_int lwork = info == 0 ? queriedSize(query) : -1;
    if (lwork < 0)
      info = -1;
    else if (!work.allocate(lwork))
      return fail(TNC_STATUS_ALLOCATION_FAILURE, true);
    else
      info =
          gesdd(lm, ln, copy.get(), lda, sBuf.get(), uBuf.get(), ldu,
                vtBuf.get(), ldvt, work.get(), lwork, rwork.get(), iwork.get());
  }
  if (info != 0) {
    copyIn(a, copy.get(), lda);
    T query{};
    info = gesvd(lm, ln, copy.get(), lda, sBuf.get(), uBuf.get(), ldu,
                 vtBuf.get(), ldvt, &query, -1, rwork.get());
    lapack_int lwork = info == 0 ? queriedSize(query) : -1;
    if (lwork < 0)
      return fail(TNC_STATUS_LAPACK_FAILURE, true);
    if (!work.allocate(lwork))
      return fail(TNC_STATUS_ALLOCATION_FAILURE, true);
    info = gesvd(lm, ln, copy.get(), lda, sBuf.get(), uBuf.get(), ldu,
                 vtBuf.get(), ldvt, work.get(), lwork, rwork.get());
    if (info != 0)
      return fail(TNC_STATUS_LAPACK_FAILURE, true);
  }

  TruncationResult trunc = truncateSpectrum(sBuf.get(), mn, rule);
  if (!trunc.ok())
    return fail(trunc.status == TruncationStatus::InvalidRule
                    ? TNC_STATUS_INVALID_ARGUMENT
                    : TNC_STATUS_LAPACK_FAILURE,
                true);
  const int64_t kept = trunc.rank;

  // The renormalized kept values, and what each factor's row/column gets.
  using SE = Elem<std::remove_reference_t<decltype(s->aligned[0])>>;
  for (int64_t j = 0; j < k; ++j) {
    R value = j < kept ? static_cast<R>(sBuf[j] * trunc.scale) : R(0);
    R left = 1, right = 1;
    switch (absorb) {
    case TNC_ABSORB_LEFT:
      left = value;
      break;
    case TNC_ABSORB_RIGHT:
      right = value;
      break;
    case TNC_ABSORB_BOTH:
      left = right = std::sqrt(value);
      break;
    default:
      break;
    }
    SE::store(at1(s, j), value);
    for (int64_t i = 0; i < m; ++i)
      E::store(at2(u, i, j), j < kept ? uBuf[i + j * ldu] * left : T(0));
    for (int64_t l = 0; l < n; ++l)
      E::store(at2(vt, j, l), j < kept ? vtBuf[j + l * ldvt] * right : T(0));
  }
  at1(rank, 0) = kept;
  at1(discarded, 0) = static_cast<R>(trunc.discardedWeight);
  return TNC_STATUS_OK;
}

//===----------------------------------------------------------------------===//
// QR
//===----------------------------------------------------------------------===//

template <typename D2> int32_t qrImpl(D2 *a, D2 *q, D2 *r) {
  using CE = std::remove_reference_t<decltype(a->aligned[0])>;
  using E = Elem<CE>;
  using T = typename E::T;

  if (!present(a, 2) || !present(q, 2) || !present(r, 2))
    return TNC_STATUS_INVALID_ARGUMENT;
  if (!nonNegativeSizes(a, 2))
    return TNC_STATUS_BAD_SIZES;
  const int64_t m = a->sizes[0], n = a->sizes[1];
  const int64_t k = m < n ? m : n;
  if (q->sizes[0] != m || q->sizes[1] != k || r->sizes[0] != k ||
      r->sizes[1] != n || m > kMaxLapackDim || n > kMaxLapackDim)
    return TNC_STATUS_BAD_SIZES;
  auto fail = [&](int32_t status) {
    zero2(q);
    zero2(r);
    return status;
  };
  if (k == 0)
    return TNC_STATUS_OK;

  const lapack_int lm = static_cast<lapack_int>(m);
  const lapack_int ln = static_cast<lapack_int>(n);
  const lapack_int lk = static_cast<lapack_int>(k);
  const lapack_int lda = lm;
  Buffer<T> copy, tau, work;
  if (!copy.allocate(m * n) || !tau.allocate(k))
    return fail(TNC_STATUS_ALLOCATION_FAILURE);
  if (!copyIn(a, copy.get(), lda))
    return fail(TNC_STATUS_NON_FINITE_INPUT);

  T query{};
  lapack_int info = geqrf(lm, ln, copy.get(), lda, tau.get(), &query, -1);
  lapack_int lwork = info == 0 ? queriedSize(query) : -1;
  T query2{};
  if (info == 0)
    info = orgqr(lm, lk, lk, copy.get(), lda, tau.get(), &query2, -1);
  lapack_int lwork2 = info == 0 ? queriedSize(query2) : -1;
  if (info != 0 || lwork < 0 || lwork2 < 0)
    return fail(TNC_STATUS_LAPACK_FAILURE);
  if (!work.allocate(lwork > lwork2 ? lwork : lwork2))
    return fail(TNC_STATUS_ALLOCATION_FAILURE);
  info = geqrf(lm, ln, copy.get(), lda, tau.get(), work.get(), lwork);
  if (info != 0)
    return fail(TNC_STATUS_LAPACK_FAILURE);
  // R: the upper triangle (trapezoid) of the first k rows.
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      E::store(at2(r, i, j), j >= i ? copy[i + j * lda] : T(0));
  info = orgqr(lm, lk, lk, copy.get(), lda, tau.get(), work.get(), lwork2);
  if (info != 0)
    return fail(TNC_STATUS_LAPACK_FAILURE);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < k; ++j)
      E::store(at2(q, i, j), copy[i + j * lda]);
  return TNC_STATUS_OK;
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

extern "C" {

const char *tnc_status_string(int32_t status) {
  switch (status) {
  case TNC_STATUS_OK:
    return "ok";
  case TNC_STATUS_NON_FINITE_INPUT:
    return "non-finite input";
  case TNC_STATUS_LAPACK_FAILURE:
    return "LAPACK failure";
  case TNC_STATUS_BAD_SIZES:
    return "bad sizes";
  case TNC_STATUS_ALLOCATION_FAILURE:
    return "allocation failure";
  case TNC_STATUS_INVALID_ARGUMENT:
    return "invalid argument";
  default:
    return "unknown status";
  }
}

#define TNC_DEFINE_SVD(X, RX)                                                  \
  int32_t _mlir_ciface_tnc_svd_##X(                                            \
      tnc_memref2d_##X *a, tnc_memref2d_##X *u, tnc_memref1d_##RX *s,          \
      tnc_memref2d_##X *vt, tnc_memref1d_i64 *rank,                            \
      tnc_memref1d_##RX *discarded, int64_t max_rank, int64_t min_rank,        \
      double abs_cutoff, double rel_cutoff, double weight_cutoff,              \
      int32_t weight_mode, double degeneracy_tol, int32_t absorb,              \
      int32_t renorm) {                                                        \
    return svdImpl(a, u, s, vt, rank, discarded, max_rank, min_rank,           \
                   abs_cutoff, rel_cutoff, weight_cutoff, weight_mode,         \
                   degeneracy_tol, absorb, renorm);                            \
  }                                                                            \
  int32_t _mlir_ciface_tnc_qr_##X(tnc_memref2d_##X *a, tnc_memref2d_##X *q,    \
                                  tnc_memref2d_##X *r) {                       \
    return qrImpl(a, q, r);                                                    \
  }

TNC_DEFINE_SVD(f32, f32)
TNC_DEFINE_SVD(f64, f64)
TNC_DEFINE_SVD(c64, f32)
TNC_DEFINE_SVD(c128, f64)

#undef TNC_DEFINE_SVD

} // extern "C"
