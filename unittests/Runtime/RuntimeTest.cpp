//===- RuntimeTest.cpp - The CPU runtime's SVD and QR ---------------------===//
//
// The C entry points of libtnc_runtime.a, called as generated code calls
// them (memref descriptors), for f32, f64, complex<f32> and complex<f64>:
// reconstruction and orthonormality without truncation, the truncation
// rule's effects (kept rank, zeroed tails, discarded weight against the
// full spectrum), absorb and renorm modes, strided and offset views, and
// the error statuses (NaN/Inf input, bad sizes, invalid arguments).
//
//===----------------------------------------------------------------------===//

#include "tn/Runtime/CPU/Runtime.h"

#include "tn/Support/Random.h"
#include "tn/Truncation/Truncation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numeric>
#include <vector>

using namespace tnc;

namespace {

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

struct F32 {
  using C = float;
  using T = float;
  using R = float;
  using D2 = tnc_memref2d_f32;
  using D1R = tnc_memref1d_f32;
  static constexpr double tol = 1e-5;
  static constexpr const char *name = "f32";
  static int32_t svd(D2 *a, D2 *u, D1R *s, D2 *vt, tnc_memref1d_i64 *rank,
                     D1R *d, int64_t maxRank, int64_t minRank, double absC,
                     double relC, double weightC, int32_t mode, double deg,
                     int32_t absorb, int32_t renorm) {
    return _mlir_ciface_tnc_svd_f32(a, u, s, vt, rank, d, maxRank, minRank,
                                    absC, relC, weightC, mode, deg, absorb,
                                    renorm);
  }
  static int32_t qr(D2 *a, D2 *q, D2 *r) {
    return _mlir_ciface_tnc_qr_f32(a, q, r);
  }
};

struct F64 {
  using C = double;
  using T = double;
  using R = double;
  using D2 = tnc_memref2d_f64;
  using D1R = tnc_memref1d_f64;
  static constexpr double tol = 1e-12;
  static constexpr const char *name = "f64";
  static int32_t svd(D2 *a, D2 *u, D1R *s, D2 *vt, tnc_memref1d_i64 *rank,
                     D1R *d, int64_t maxRank, int64_t minRank, double absC,
                     double relC, double weightC, int32_t mode, double deg,
                     int32_t absorb, int32_t renorm) {
    return _mlir_ciface_tnc_svd_f64(a, u, s, vt, rank, d, maxRank, minRank,
                                    absC, relC, weightC, mode, deg, absorb,
                                    renorm);
  }
  static int32_t qr(D2 *a, D2 *q, D2 *r) {
    return _mlir_ciface_tnc_qr_f64(a, q, r);
  }
};

struct C64 {
  using C = tnc_complex64;
  using T = std::complex<float>;
  using R = float;
  using D2 = tnc_memref2d_c64;
  using D1R = tnc_memref1d_f32;
  static constexpr double tol = 1e-5;
  static constexpr const char *name = "c64";
  static int32_t svd(D2 *a, D2 *u, D1R *s, D2 *vt, tnc_memref1d_i64 *rank,
                     D1R *d, int64_t maxRank, int64_t minRank, double absC,
                     double relC, double weightC, int32_t mode, double deg,
                     int32_t absorb, int32_t renorm) {
    return _mlir_ciface_tnc_svd_c64(a, u, s, vt, rank, d, maxRank, minRank,
                                    absC, relC, weightC, mode, deg, absorb,
                                    renorm);
  }
  static int32_t qr(D2 *a, D2 *q, D2 *r) {
    return _mlir_ciface_tnc_qr_c64(a, q, r);
  }
};

struct C128 {
  using C = tnc_complex128;
  using T = std::complex<double>;
  using R = double;
  using D2 = tnc_memref2d_c128;
  using D1R = tnc_memref1d_f64;
  static constexpr double tol = 1e-12;
  static constexpr const char *name = "c128";
  static int32_t svd(D2 *a, D2 *u, D1R *s, D2 *vt, tnc_memref1d_i64 *rank,
                     D1R *d, int64_t maxRank, int64_t minRank, double absC,
                     double relC, double weightC, int32_t mode, double deg,
                     int32_t absorb, int32_t renorm) {
    return _mlir_ciface_tnc_svd_c128(a, u, s, vt, rank, d, maxRank, minRank,
                                     absC, relC, weightC, mode, deg, absorb,
                                     renorm);
  }
  static int32_t qr(D2 *a, D2 *q, D2 *r) {
    return _mlir_ciface_tnc_qr_c128(a, q, r);
  }
};

using cd = std::complex<double>;

cd toCd(float v) { return cd(v, 0); }
cd toCd(double v) { return cd(v, 0); }
cd toCd(tnc_complex64 v) { return cd(v.real, v.imag); }
cd toCd(tnc_complex128 v) { return cd(v.real, v.imag); }

template <typename C> C fromCd(cd v);
template <> float fromCd<float>(cd v) { return static_cast<float>(v.real()); }
template <> double fromCd<double>(cd v) { return v.real(); }
template <> tnc_complex64 fromCd<tnc_complex64>(cd v) {
  return {static_cast<float>(v.real()), static_cast<float>(v.imag())};
}
template <> tnc_complex128 fromCd<tnc_complex128>(cd v) {
  return {v.real(), v.imag()};
}

template <typename C> constexpr bool isComplexC = false;
template <> constexpr bool isComplexC<tnc_complex64> = true;
template <> constexpr bool isComplexC<tnc_complex128> = true;

//===----------------------------------------------------------------------===//
// Matrices and descriptors
//===----------------------------------------------------------------------===//

/// A dense m x n matrix of complex<double> (the reference arithmetic).
struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<cd> v;
  Matrix() = default;
  Matrix(int64_t r, int64_t c) : rows(r), cols(c), v(r * c) {}
  cd &operator()(int64_t i, int64_t j) { return v[i * cols + j]; }
  cd operator()(int64_t i, int64_t j) const { return v[i * cols + j]; }
};

Matrix multiply(const Matrix &a, const Matrix &b) {
  Matrix c(a.rows, b.cols);
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t l = 0; l < a.cols; ++l)
      for (int64_t j = 0; j < b.cols; ++j)
        c(i, j) += a(i, l) * b(l, j);
  return c;
}

Matrix adjoint(const Matrix &a) {
  Matrix t(a.cols, a.rows);
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t j = 0; j < a.cols; ++j)
      t(j, i) = std::conj(a(i, j));
  return t;
}

double frobenius(const Matrix &a) {
  double total = 0;
  for (cd x : a.v)
    total += std::norm(x);
  return std::sqrt(total);
}

double distance(const Matrix &a, const Matrix &b) {
  double total = 0;
  for (size_t i = 0; i < a.v.size(); ++i)
    total += std::norm(a.v[i] - b.v[i]);
  return std::sqrt(total);
}

/// max |a^H a - I| over the first `count` columns of a.
double orthonormalityError(const Matrix &a, int64_t count) {
  double worst = 0;
  for (int64_t p = 0; p < count; ++p)
    for (int64_t q = 0; q < count; ++q) {
      cd dot = 0;
      for (int64_t i = 0; i < a.rows; ++i)
        dot += std::conj(a(i, p)) * a(i, q);
      worst = std::max(worst, std::abs(dot - cd(p == q ? 1 : 0)));
    }
  return worst;
}

template <typename Ty> Matrix randomMatrix(int64_t m, int64_t n, Rng &rng) {
  Matrix a(m, n);
  for (cd &x : a.v) {
    double re = 2 * rng.uniformReal() - 1;
    double im = isComplexC<typename Ty::C> ? 2 * rng.uniformReal() - 1 : 0;
    x = cd(re, im);
  }
  return a;
}

/// Storage for a rank-2 descriptor: row-major, or column-major (a
/// transposed view), with an offset and padding.
template <typename Ty> struct Storage2 {
  std::vector<typename Ty::C> buffer;
  typename Ty::D2 desc{};

  Storage2(int64_t rows, int64_t cols, bool columnMajor = false,
           int64_t offset = 0, int64_t pad = 0) {
    int64_t ld = (columnMajor ? rows : cols) + pad;
    int64_t outer = columnMajor ? cols : rows;
    buffer.assign(static_cast<size_t>(offset + std::max<int64_t>(outer, 1) *
                                                   std::max<int64_t>(ld, 1)),
                  fromCd<typename Ty::C>(cd(7, 7)));
    desc.allocated = buffer.data();
    desc.aligned = buffer.data();
    desc.offset = offset;
    desc.sizes[0] = rows;
    desc.sizes[1] = cols;
    desc.strides[0] = columnMajor ? 1 : ld;
    desc.strides[1] = columnMajor ? ld : 1;
  }
  typename Ty::C &at(int64_t i, int64_t j) {
    return buffer[desc.offset + i * desc.strides[0] + j * desc.strides[1]];
  }
  void set(const Matrix &a) {
    for (int64_t i = 0; i < a.rows; ++i)
      for (int64_t j = 0; j < a.cols; ++j)
        at(i, j) = fromCd<typename Ty::C>(a(i, j));
  }
  Matrix get() {
    Matrix a(desc.sizes[0], desc.sizes[1]);
    for (int64_t i = 0; i < a.rows; ++i)
      for (int64_t j = 0; j < a.cols; ++j)
        a(i, j) = toCd(at(i, j));
    return a;
  }
};

template <typename V, typename D> struct Storage1 {
  std::vector<V> buffer;
  D desc{};
  explicit Storage1(int64_t size, int64_t stride = 1, V fill = V(7)) {
    buffer.assign(static_cast<size_t>(std::max<int64_t>(size, 1) * stride),
                  fill);
    desc.allocated = buffer.data();
    desc.aligned = buffer.data();
    desc.offset = 0;
    desc.sizes[0] = size;
    desc.strides[0] = stride;
  }
  V &at(int64_t i) { return buffer[i * desc.strides[0]]; }
};

struct Params {
  int64_t maxRank = 0, minRank = 1;
  double absCutoff = 0, relCutoff = 0, weightCutoff = 0;
  int32_t weightMode = TNC_WEIGHT_RSUM2;
  double degeneracyTol = 0;
  int32_t absorb = TNC_ABSORB_NONE;
  int32_t renorm = TNC_RENORM_NONE;
};

/// One SVD call: a (m x n) with bond extent k.
template <typename Ty> struct SvdCall {
  Storage2<Ty> a, u, vt;
  Storage1<typename Ty::R, typename Ty::D1R> s, discarded;
  Storage1<int64_t, tnc_memref1d_i64> rank;
  int32_t status = -1;

  SvdCall(const Matrix &input, int64_t k, bool transposedInput = false,
          bool columnMajorOutputs = false)
      : a(input.rows, input.cols, transposedInput, transposedInput ? 0 : 3,
          transposedInput ? 0 : 2),
        u(input.rows, k, columnMajorOutputs),
        vt(k, input.cols, columnMajorOutputs), s(k, columnMajorOutputs ? 2 : 1),
        discarded(1), rank(1) {
    a.set(input);
  }
  int32_t run(const Params &p) {
    status = Ty::svd(&a.desc, &u.desc, &s.desc, &vt.desc, &rank.desc,
                     &discarded.desc, p.maxRank, p.minRank, p.absCutoff,
                     p.relCutoff, p.weightCutoff, p.weightMode, p.degeneracyTol,
                     p.absorb, p.renorm);
    return status;
  }
  std::vector<double> spectrum() {
    std::vector<double> out;
    for (int64_t i = 0; i < s.desc.sizes[0]; ++i)
      out.push_back(s.at(i));
    return out;
  }
  /// U diag(S) VT with S as returned (absorb = none).
  Matrix product() {
    Matrix us = u.get();
    for (int64_t i = 0; i < us.rows; ++i)
      for (int64_t j = 0; j < us.cols; ++j)
        us(i, j) *= s.at(j);
    return multiply(us, vt.get());
  }
};

template <typename Ty> class RuntimeTyped : public testing::Test {};
using Types = testing::Types<F32, F64, C64, C128>;
TYPED_TEST_SUITE(RuntimeTyped, Types);

const int64_t kShapes[][2] = {{7, 5}, {5, 7}, {6, 6},  {1, 4},
                              {4, 1}, {1, 1}, {24, 17}};

//===----------------------------------------------------------------------===//
// SVD
//===----------------------------------------------------------------------===//

TYPED_TEST(RuntimeTyped, SvdReconstructsWithoutTruncation) {
  using Ty = TypeParam;
  Rng rng(1);
  for (const auto &[m, n] : kShapes) {
    SCOPED_TRACE(testing::Message() << Ty::name << " " << m << "x" << n);
    Matrix a = randomMatrix<Ty>(m, n, rng);
    int64_t k = std::min(m, n);
    SvdCall<Ty> call(a, k);
    ASSERT_EQ(call.run(Params()), TNC_STATUS_OK);
    EXPECT_EQ(call.rank.at(0), k);
    EXPECT_EQ(call.discarded.at(0), 0);
    std::vector<double> s = call.spectrum();
    for (int64_t i = 0; i < k; ++i) {
      EXPECT_GT(s[i], 0);
      if (i > 0) {
        EXPECT_LE(s[i], s[i - 1]);
      }
    }
    EXPECT_LE(distance(call.product(), a) / frobenius(a), Ty::tol);
    EXPECT_LE(orthonormalityError(call.u.get(), k), Ty::tol);
    EXPECT_LE(orthonormalityError(adjoint(call.vt.get()), k), Ty::tol);
    // The input is not modified.
    EXPECT_EQ(distance(call.a.get(), SvdCall<Ty>(a, k).a.get()), 0);
  }
}

TYPED_TEST(RuntimeTyped, SvdTruncationEffects) {
  using Ty = TypeParam;
  Rng rng(2);
  const int64_t m = 12, n = 9, mn = 9;
  Matrix a = randomMatrix<Ty>(m, n, rng);
  SvdCall<Ty> full(a, mn);
  ASSERT_EQ(full.run(Params()), TNC_STATUS_OK);
  std::vector<double> spectrum = full.spectrum();
  double total = 0;
  for (double v : spectrum)
    total += v * v;

  struct Case {
    int64_t k;
    Params p;
  };
  std::vector<Case> cases;
  Params p;
  p.maxRank = 4; // static extent 4
  cases.push_back({4, p});
  p = Params();
  p.weightCutoff = 0.05; // rsum2 on the full spectrum
  cases.push_back({mn, p});
  p = Params();
  p.relCutoff = 0.5;
  cases.push_back({mn, p});
  p = Params();
  p.absCutoff = spectrum[2] * 1.0001; // keeps 2
  p.maxRank = 6;
  cases.push_back({6, p});
  p.minRank = 3; // min_rank above what the cutoff allows
  cases.push_back({6, p});
  p = Params();
  // An absolute weight (sum1) that allows dropping the two smallest values.
  p.weightCutoff = spectrum[mn - 1] + spectrum[mn - 2] * 1.01;
  p.weightMode = TNC_WEIGHT_SUM1;
  cases.push_back({mn, p});

  for (const Case &c : cases) {
    SCOPED_TRACE(testing::Message()
                 << Ty::name << " k=" << c.k << " max=" << c.p.maxRank
                 << " min=" << c.p.minRank << " abs=" << c.p.absCutoff
                 << " rel=" << c.p.relCutoff << " w=" << c.p.weightCutoff);
    SvdCall<Ty> call(a, c.k);
    ASSERT_EQ(call.run(c.p), TNC_STATUS_OK);
    // The rank is the rule's on the full spectrum, with max_rank capped at
    // the bond extent.
    TruncationRule rule;
    rule.maxRank = c.p.maxRank > 0 ? std::min(c.p.maxRank, c.k) : c.k;
    rule.minRank = c.p.minRank;
    rule.absCutoff = c.p.absCutoff;
    rule.relCutoff = c.p.relCutoff;
    rule.weightCutoff = c.p.weightCutoff;
    rule.weightMode = static_cast<TruncWeightMode>(c.p.weightMode);
    TruncationResult expected = truncateSpectrum(spectrum.data(), mn, rule);
    int64_t r = call.rank.at(0);
    EXPECT_EQ(r, expected.rank);
    EXPECT_GT(r, 0);
    EXPECT_LT(r, mn);
    double tail = 0;
    for (int64_t i = r; i < mn; ++i)
      tail += spectrum[i] * spectrum[i];
    EXPECT_NEAR(call.discarded.at(0), tail / total, Ty::tol);
    // Kept values agree with the full SVD; tails are zero.
    std::vector<double> s = call.spectrum();
    for (int64_t i = 0; i < c.k; ++i) {
      if (i < r) {
        EXPECT_NEAR(s[i], spectrum[i], Ty::tol * spectrum[0] * 10);
      } else {
        EXPECT_EQ(s[i], 0);
      }
    }
    Matrix u = call.u.get(), vt = call.vt.get();
    for (int64_t j = r; j < c.k; ++j) {
      for (int64_t i = 0; i < m; ++i)
        EXPECT_EQ(u(i, j), cd(0));
      for (int64_t l = 0; l < n; ++l)
        EXPECT_EQ(vt(j, l), cd(0));
    }
    EXPECT_LE(orthonormalityError(u, r), Ty::tol);
    EXPECT_LE(orthonormalityError(adjoint(vt), r), Ty::tol);
    // The truncated product is the best rank-r approximation:
    // ||A - A_r||^2 / ||A||^2 is the discarded weight.
    double err = distance(call.product(), a) / frobenius(a);
    EXPECT_NEAR(err * err, tail / total, 10 * Ty::tol);
  }
}

TYPED_TEST(RuntimeTyped, SvdAbsorbModes) {
  using Ty = TypeParam;
  Rng rng(3);
  const int64_t m = 8, n = 6, k = 4;
  Matrix a = randomMatrix<Ty>(m, n, rng);
  SvdCall<Ty> plain(a, k);
  Params p;
  p.maxRank = k;
  ASSERT_EQ(plain.run(p), TNC_STATUS_OK);
  Matrix best = plain.product();
  std::vector<double> s = plain.spectrum();

  for (int32_t absorb : {TNC_ABSORB_LEFT, TNC_ABSORB_RIGHT, TNC_ABSORB_BOTH}) {
    SCOPED_TRACE(testing::Message() << Ty::name << " absorb " << absorb);
    SvdCall<Ty> call(a, k);
    p.absorb = absorb;
    ASSERT_EQ(call.run(p), TNC_STATUS_OK);
    EXPECT_EQ(call.rank.at(0), k);
    Matrix u = call.u.get(), vt = call.vt.get();
    // The factors multiply to the truncated product, without S.
    EXPECT_LE(distance(multiply(u, vt), best) / frobenius(best), Ty::tol);
    // s is still written.
    for (int64_t j = 0; j < k; ++j)
      EXPECT_NEAR(call.s.at(j), s[j], Ty::tol * s[0] * 10);
    // Where S went: column norms of u, row norms of vt.
    for (int64_t j = 0; j < k; ++j) {
      double un = 0, vn = 0;
      for (int64_t i = 0; i < m; ++i)
        un += std::norm(u(i, j));
      for (int64_t l = 0; l < n; ++l)
        vn += std::norm(vt(j, l));
      double uExpected = absorb == TNC_ABSORB_LEFT   ? s[j] * s[j]
                         : absorb == TNC_ABSORB_BOTH ? s[j]
                                                     : 1;
      double vExpected = absorb == TNC_ABSORB_RIGHT  ? s[j] * s[j]
                         : absorb == TNC_ABSORB_BOTH ? s[j]
                                                     : 1;
      EXPECT_NEAR(un, uExpected, 10 * Ty::tol * uExpected);
      EXPECT_NEAR(vn, vExpected, 10 * Ty::tol * vExpected);
    }
    if (absorb == TNC_ABSORB_LEFT) {
      EXPECT_LE(orthonormalityError(adjoint(vt), k), Ty::tol);
    }
    if (absorb == TNC_ABSORB_RIGHT) {
      EXPECT_LE(orthonormalityError(u, k), Ty::tol);
    }
  }
}

TYPED_TEST(RuntimeTyped, SvdRenorm) {
  using Ty = TypeParam;
  Rng rng(4);
  const int64_t m = 7, n = 7, k = 3;
  Matrix a = randomMatrix<Ty>(m, n, rng);
  SvdCall<Ty> full(a, n);
  ASSERT_EQ(full.run(Params()), TNC_STATUS_OK);
  std::vector<double> spectrum = full.spectrum();
  double l1 = 0, l2 = 0;
  for (double v : spectrum) {
    l1 += v;
    l2 += v * v;
  }
  for (int32_t renorm = TNC_RENORM_KEEP_L1; renorm <= TNC_RENORM_UNIT_LINF;
       ++renorm) {
    SCOPED_TRACE(testing::Message() << Ty::name << " renorm " << renorm);
    SvdCall<Ty> call(a, k);
    Params p;
    p.maxRank = k;
    p.renorm = renorm;
    p.absorb = renorm == TNC_RENORM_UNIT_L2 ? TNC_ABSORB_BOTH : TNC_ABSORB_NONE;
    ASSERT_EQ(call.run(p), TNC_STATUS_OK);
    std::vector<double> s = call.spectrum();
    double s1 = std::accumulate(s.begin(), s.end(), 0.0), s2 = 0;
    for (double v : s)
      s2 += v * v;
    double tol = 10 * Ty::tol;
    switch (renorm) {
    case TNC_RENORM_KEEP_L1:
      EXPECT_NEAR(s1, l1, tol * l1);
      break;
    case TNC_RENORM_KEEP_L2:
      EXPECT_NEAR(s2, l2, tol * l2);
      break;
    case TNC_RENORM_UNIT_L1:
      EXPECT_NEAR(s1, 1, tol);
      break;
    case TNC_RENORM_UNIT_L2:
      EXPECT_NEAR(s2, 1, tol);
      // Absorbed both ways: the factors carry the renormalized values.
      EXPECT_NEAR(frobenius(multiply(call.u.get(), call.vt.get())), 1, tol);
      break;
    case TNC_RENORM_UNIT_LINF:
      EXPECT_NEAR(s[0], 1, tol);
      break;
    }
    // The direction of the spectrum is unchanged; discarded is before
    // renormalization.
    for (int64_t i = 1; i < k; ++i)
      EXPECT_NEAR(s[i] / s[0], spectrum[i] / spectrum[0], tol);
    double tail = 0;
    for (int64_t i = k; i < n; ++i)
      tail += spectrum[i] * spectrum[i];
    EXPECT_NEAR(call.discarded.at(0), tail / l2, Ty::tol);
  }
}

TYPED_TEST(RuntimeTyped, SvdStridedViews) {
  using Ty = TypeParam;
  Rng rng(5);
  for (const auto &[m, n] : kShapes) {
    SCOPED_TRACE(testing::Message() << Ty::name << " " << m << "x" << n);
    Matrix a = randomMatrix<Ty>(m, n, rng);
    int64_t k = std::min(m, n);
    SvdCall<Ty> contiguous(a, k);
    ASSERT_EQ(contiguous.run(Params()), TNC_STATUS_OK);
    // A transposed view (column-major storage, strides {1, m}) in, and
    // column-major outputs with a strided s.
    SvdCall<Ty> transposed(a, k, /*transposedInput=*/true,
                           /*columnMajorOutputs=*/true);
    ASSERT_EQ(transposed.run(Params()), TNC_STATUS_OK);
    std::vector<double> s1 = contiguous.spectrum(), s2 = transposed.spectrum();
    for (int64_t i = 0; i < k; ++i)
      EXPECT_NEAR(s1[i], s2[i], Ty::tol * s1[0] * 10);
    EXPECT_LE(distance(transposed.product(), a) / frobenius(a), Ty::tol);
    EXPECT_EQ(distance(transposed.a.get(), a) / frobenius(a) <= Ty::tol, true);
  }
}

TYPED_TEST(RuntimeTyped, SvdNonFiniteInput) {
  using Ty = TypeParam;
  Rng rng(6);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (cd bad : {cd(nan, 0), cd(inf, 0), cd(-inf, 0), cd(0, nan)}) {
    if (!isComplexC<typename Ty::C> && bad.imag() != 0)
      continue;
    Matrix a = randomMatrix<Ty>(5, 4, rng);
    a(3, 2) = bad;
    SvdCall<Ty> call(a, 4);
    EXPECT_EQ(call.run(Params()), TNC_STATUS_NON_FINITE_INPUT);
    EXPECT_EQ(call.rank.at(0), 0);
    EXPECT_EQ(call.discarded.at(0), 0);
    EXPECT_EQ(frobenius(call.u.get()), 0);
    EXPECT_EQ(frobenius(call.vt.get()), 0);
    for (double v : call.spectrum())
      EXPECT_EQ(v, 0);
    // The same through the k = 0 shortcut.
    SvdCall<Ty> empty(a, 0);
    EXPECT_EQ(empty.run(Params()), TNC_STATUS_NON_FINITE_INPUT);
  }
  Matrix q = randomMatrix<Ty>(4, 3, rng);
  q(0, 0) = cd(nan, 0);
  Storage2<Ty> in(4, 3), qo(4, 3), ro(3, 3);
  in.set(q);
  EXPECT_EQ(Ty::qr(&in.desc, &qo.desc, &ro.desc), TNC_STATUS_NON_FINITE_INPUT);
  EXPECT_EQ(frobenius(qo.get()), 0);
  EXPECT_EQ(frobenius(ro.get()), 0);
}

TYPED_TEST(RuntimeTyped, SvdBadSizes) {
  using Ty = TypeParam;
  Rng rng(7);
  Matrix a = randomMatrix<Ty>(5, 3, rng);
  {
    SvdCall<Ty> call(a, 4); // k > min(m, n)
    EXPECT_EQ(call.run(Params()), TNC_STATUS_BAD_SIZES);
    EXPECT_EQ(call.rank.at(0), 0);
    EXPECT_EQ(call.discarded.at(0), 0);
    // Outputs untouched.
    EXPECT_EQ(call.u.get()(0, 0), cd(7, isComplexC<typename Ty::C> ? 7 : 0));
  }
  {
    SvdCall<Ty> call(a, 3);
    call.u.desc.sizes[0] = 4; // u rows != m
    EXPECT_EQ(call.run(Params()), TNC_STATUS_BAD_SIZES);
  }
  {
    SvdCall<Ty> call(a, 3);
    call.s.desc.sizes[0] = 2; // s size != k
    EXPECT_EQ(call.run(Params()), TNC_STATUS_BAD_SIZES);
  }
  {
    SvdCall<Ty> call(a, 3);
    call.vt.desc.sizes[1] = 2; // vt cols != n
    EXPECT_EQ(call.run(Params()), TNC_STATUS_BAD_SIZES);
  }
  {
    SvdCall<Ty> call(a, 3);
    call.rank.desc.sizes[0] = 2;
    EXPECT_EQ(call.run(Params()), TNC_STATUS_BAD_SIZES);
  }
  {
    SvdCall<Ty> call(a, 3);
    call.a.desc.sizes[0] = -1;
    EXPECT_EQ(call.run(Params()), TNC_STATUS_BAD_SIZES);
  }
  // QR: q and r must use k = min(m, n).
  Storage2<Ty> in(5, 3), q(5, 2), r(2, 3);
  in.set(a);
  EXPECT_EQ(Ty::qr(&in.desc, &q.desc, &r.desc), TNC_STATUS_BAD_SIZES);
  Storage2<Ty> q3(5, 3), r4(3, 4);
  EXPECT_EQ(Ty::qr(&in.desc, &q3.desc, &r4.desc), TNC_STATUS_BAD_SIZES);
}

TYPED_TEST(RuntimeTyped, SvdInvalidArguments) {
  using Ty = TypeParam;
  Rng rng(8);
  Matrix a = randomMatrix<Ty>(4, 4, rng);
  std::vector<Params> bad(7);
  bad[0].maxRank = -1;
  bad[1].maxRank = 2, bad[1].minRank = 3;
  bad[2].absCutoff = -1;
  bad[3].weightCutoff = std::numeric_limits<double>::quiet_NaN();
  bad[4].weightMode = 4;
  bad[5].absorb = 4;
  bad[6].renorm = -1;
  for (const Params &p : bad) {
    SvdCall<Ty> call(a, 4);
    EXPECT_EQ(call.run(p), TNC_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(call.rank.at(0), 0);
  }
  SvdCall<Ty> call(a, 4);
  EXPECT_EQ(Ty::svd(nullptr, &call.u.desc, &call.s.desc, &call.vt.desc,
                    &call.rank.desc, &call.discarded.desc, 0, 1, 0, 0, 0, 0, 0,
                    0, 0),
            TNC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(Ty::svd(&call.a.desc, &call.u.desc, &call.s.desc, &call.vt.desc,
                    nullptr, &call.discarded.desc, 0, 1, 0, 0, 0, 0, 0, 0, 0),
            TNC_STATUS_INVALID_ARGUMENT);
  call.a.desc.aligned = nullptr;
  EXPECT_EQ(call.run(Params()), TNC_STATUS_INVALID_ARGUMENT);
  Storage2<Ty> q(4, 4), r(4, 4);
  EXPECT_EQ(Ty::qr(&call.a.desc, &q.desc, &r.desc),
            TNC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(Ty::qr(&q.desc, nullptr, &r.desc), TNC_STATUS_INVALID_ARGUMENT);
}

TYPED_TEST(RuntimeTyped, SvdAllZeroMatrix) {
  using Ty = TypeParam;
  Matrix zero(5, 4);
  {
    // No cutoff: the zeros are kept (the rank is the bond extent).
    SvdCall<Ty> call(zero, 4);
    ASSERT_EQ(call.run(Params()), TNC_STATUS_OK);
    EXPECT_EQ(call.rank.at(0), 4);
    EXPECT_EQ(call.discarded.at(0), 0);
    for (double v : call.spectrum())
      EXPECT_EQ(v, 0);
    EXPECT_EQ(frobenius(call.product()), 0);
  }
  {
    // Any cutoff drops them down to min_rank; renorm leaves them at zero.
    SvdCall<Ty> call(zero, 4);
    Params p;
    p.weightCutoff = 1e-12;
    p.minRank = 2;
    p.renorm = TNC_RENORM_UNIT_L2;
    p.absorb = TNC_ABSORB_BOTH;
    ASSERT_EQ(call.run(p), TNC_STATUS_OK);
    EXPECT_EQ(call.rank.at(0), 2);
    EXPECT_EQ(call.discarded.at(0), 0);
    for (double v : call.spectrum())
      EXPECT_EQ(v, 0);
    EXPECT_EQ(frobenius(call.u.get()), 0);
    EXPECT_EQ(frobenius(call.vt.get()), 0);
  }
}

TYPED_TEST(RuntimeTyped, SvdEmptyAndZeroExtent) {
  using Ty = TypeParam;
  Rng rng(9);
  Matrix empty(0, 3);
  SvdCall<Ty> call(empty, 0);
  EXPECT_EQ(call.run(Params()), TNC_STATUS_OK);
  EXPECT_EQ(call.rank.at(0), 0);
  EXPECT_EQ(call.discarded.at(0), 0);
  // k = 0 on a non-empty matrix: everything is discarded.
  Matrix a = randomMatrix<Ty>(3, 2, rng);
  SvdCall<Ty> none(a, 0);
  EXPECT_EQ(none.run(Params()), TNC_STATUS_OK);
  EXPECT_EQ(none.rank.at(0), 0);
  EXPECT_EQ(none.discarded.at(0), 1);
  SvdCall<Ty> zero(Matrix(3, 2), 0);
  EXPECT_EQ(zero.run(Params()), TNC_STATUS_OK);
  EXPECT_EQ(zero.discarded.at(0), 0);
  // QR of an empty matrix.
  Storage2<Ty> in(0, 3), q(0, 0), r(0, 3);
  EXPECT_EQ(Ty::qr(&in.desc, &q.desc, &r.desc), TNC_STATUS_OK);
}

TYPED_TEST(RuntimeTyped, SvdDegeneracyTolerance) {
  using Ty = TypeParam;
  // diag(3, 1, 1, 1, 0.5) in a rotated basis would need an orthogonal
  // matrix; a diagonal input is enough: its spectrum is exact.
  Matrix a(5, 5);
  double d[] = {3, 1, 1, 1, 0.5};
  for (int i = 0; i < 5; ++i)
    a(i, i) = d[i];
  Params p;
  p.maxRank = 2;
  p.degeneracyTol = 1e-4;
  SvdCall<Ty> call(a, 2);
  ASSERT_EQ(call.run(p), TNC_STATUS_OK);
  EXPECT_EQ(call.rank.at(0), 1);
  EXPECT_NEAR(call.discarded.at(0), 3.25 / 12.25, Ty::tol);
}

//===----------------------------------------------------------------------===//
// QR
//===----------------------------------------------------------------------===//

TYPED_TEST(RuntimeTyped, QrReconstructs) {
  using Ty = TypeParam;
  Rng rng(10);
  for (const auto &[m, n] : kShapes) {
    for (bool strided : {false, true}) {
      SCOPED_TRACE(testing::Message() << Ty::name << " " << m << "x" << n
                                      << " strided " << strided);
      Matrix a = randomMatrix<Ty>(m, n, rng);
      int64_t k = std::min(m, n);
      Storage2<Ty> in(m, n, strided, strided ? 0 : 1, strided ? 1 : 0);
      Storage2<Ty> q(m, k, strided), r(k, n);
      in.set(a);
      ASSERT_EQ(Ty::qr(&in.desc, &q.desc, &r.desc), TNC_STATUS_OK);
      Matrix qm = q.get(), rm = r.get();
      EXPECT_LE(distance(multiply(qm, rm), a) / frobenius(a), Ty::tol);
      EXPECT_LE(orthonormalityError(qm, k), Ty::tol);
      for (int64_t i = 0; i < k; ++i)
        for (int64_t j = 0; j < std::min(i, n); ++j)
          EXPECT_EQ(rm(i, j), cd(0)) << i << "," << j;
      EXPECT_EQ(distance(in.get(), a) / frobenius(a) <= Ty::tol, true);
    }
  }
}

//===----------------------------------------------------------------------===//
// The header's constants
//===----------------------------------------------------------------------===//

TEST(Runtime, EnumsMatchTheTruncationLibrary) {
  EXPECT_EQ(TNC_WEIGHT_RSUM2, int(TruncWeightMode::rsum2));
  EXPECT_EQ(TNC_WEIGHT_SUM2, int(TruncWeightMode::sum2));
  EXPECT_EQ(TNC_WEIGHT_RSUM1, int(TruncWeightMode::rsum1));
  EXPECT_EQ(TNC_WEIGHT_SUM1, int(TruncWeightMode::sum1));
  EXPECT_EQ(TNC_ABSORB_NONE, int(TruncAbsorbMode::none));
  EXPECT_EQ(TNC_ABSORB_LEFT, int(TruncAbsorbMode::left));
  EXPECT_EQ(TNC_ABSORB_RIGHT, int(TruncAbsorbMode::right));
  EXPECT_EQ(TNC_ABSORB_BOTH, int(TruncAbsorbMode::both));
  EXPECT_EQ(TNC_RENORM_NONE, int(TruncRenormMode::none));
  EXPECT_EQ(TNC_RENORM_KEEP_L1, int(TruncRenormMode::keep_l1));
  EXPECT_EQ(TNC_RENORM_KEEP_L2, int(TruncRenormMode::keep_l2));
  EXPECT_EQ(TNC_RENORM_UNIT_L1, int(TruncRenormMode::unit_l1));
  EXPECT_EQ(TNC_RENORM_UNIT_L2, int(TruncRenormMode::unit_l2));
  EXPECT_EQ(TNC_RENORM_UNIT_LINF, int(TruncRenormMode::unit_linf));
}

TEST(Runtime, StatusStrings) {
  EXPECT_STREQ(tnc_status_string(TNC_STATUS_OK), "ok");
  EXPECT_STREQ(tnc_status_string(TNC_STATUS_NON_FINITE_INPUT),
               "non-finite input");
  EXPECT_STREQ(tnc_status_string(TNC_STATUS_LAPACK_FAILURE), "LAPACK failure");
  EXPECT_STREQ(tnc_status_string(TNC_STATUS_BAD_SIZES), "bad sizes");
  EXPECT_STREQ(tnc_status_string(TNC_STATUS_ALLOCATION_FAILURE),
               "allocation failure");
  EXPECT_STREQ(tnc_status_string(TNC_STATUS_INVALID_ARGUMENT),
               "invalid argument");
  EXPECT_STREQ(tnc_status_string(99), "unknown status");
  // Distinct non-zero codes.
  std::vector<int> codes = {TNC_STATUS_NON_FINITE_INPUT,
                            TNC_STATUS_LAPACK_FAILURE, TNC_STATUS_BAD_SIZES,
                            TNC_STATUS_ALLOCATION_FAILURE,
                            TNC_STATUS_INVALID_ARGUMENT};
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(std::unique(codes.begin(), codes.end()), codes.end());
  EXPECT_EQ(codes.front(), 1);
}

} // namespace
