/*===- Runtime.h - tnc's CPU runtime: SVD and QR over LAPACKE ------*- C -*-===
 *
 * The functions that code generated for `tn.svd` and `tn.qr` calls on the
 * CPU. A plain C header (C99 and C++): the library is libtnc_runtime.a,
 * linked with `-llapacke -lopenblas -lm`.
 *
 * Calling convention: MLIR's `llvm.emit_c_interface`. Every memref argument
 * is passed as a pointer to its descriptor (the structs below: allocated and
 * aligned pointers, an offset, sizes and strides in elements, row-major
 * indices), every scalar by value. Element (i, j) of a rank-2 memref `d` is
 * d->aligned[d->offset + i * d->strides[0] + j * d->strides[1]]; any strides
 * are accepted, for inputs and outputs alike. The input is never modified
 * (the functions work on a contiguous copy).
 *
 * Complex elements are {real, imag} pairs, layout-compatible with C99
 * `float _Complex` / `double _Complex` and C++ `std::complex<float>` /
 * `std::complex<double>`.
 *
 * The functions never abort and never print; they return a status (below).
 *
 *===----------------------------------------------------------------------===*/

#ifndef TN_RUNTIME_CPU_RUNTIME_H
#define TN_RUNTIME_CPU_RUNTIME_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===--------------------------------------------------------------------===*
 * Status codes
 *===--------------------------------------------------------------------===*/

/** Success. */
#define TNC_STATUS_OK 0
/** The input holds a NaN or an infinity. All outputs are zero-filled and the
 *  rank is 0. */
#define TNC_STATUS_NON_FINITE_INPUT 1
/** LAPACK failed: both gesdd and the gesvd fallback did not converge (or
 *  geqrf/orgqr/ungqr reported an error). Outputs are zero-filled, rank 0. */
#define TNC_STATUS_LAPACK_FAILURE 2
/** Inconsistent sizes: k > min(m, n), a factor whose sizes do not match
 *  (u must be m x k, s k, vt k x n, q m x k and r k x n with k = min(m, n)
 *  for QR, rank and discarded 1), a negative size, or a dimension beyond
 *  LAPACK's 32-bit integers. Outputs whose own descriptor is unusable are
 *  left untouched; rank and discarded are set to 0 when they are usable. */
#define TNC_STATUS_BAD_SIZES 3
/** A work array could not be allocated. Outputs are zero-filled, rank 0. */
#define TNC_STATUS_ALLOCATION_FAILURE 4
/** A null descriptor (or a null data pointer with a non-zero size), or a
 *  truncation parameter outside its domain: a negative rank, min_rank >
 *  max_rank > 0, a negative, NaN or infinite cutoff or tolerance, or an enum
 *  value outside the ranges below. Outputs as for TNC_STATUS_BAD_SIZES. */
#define TNC_STATUS_INVALID_ARGUMENT 5

/** A readable name for a status code ("ok", "non-finite input", ...). */
const char *tnc_status_string(int32_t status);

/*===--------------------------------------------------------------------===*
 * Truncation enums: the numbering of the tn dialect's enums (TNEnums.td)
 *===--------------------------------------------------------------------===*/

/* weight_mode (tn::WeightMode) */
#define TNC_WEIGHT_RSUM2 0 /* sum_discarded s^2 / sum s^2 */
#define TNC_WEIGHT_SUM2 1  /* sum_discarded s^2 */
#define TNC_WEIGHT_RSUM1 2 /* sum_discarded s / sum s */
#define TNC_WEIGHT_SUM1 3  /* sum_discarded s */

/* absorb (tn::AbsorbMode) */
#define TNC_ABSORB_NONE 0  /* u, s, vt */
#define TNC_ABSORB_LEFT 1  /* u * S, vt */
#define TNC_ABSORB_RIGHT 2 /* u, S * vt */
#define TNC_ABSORB_BOTH 3  /* u * sqrt(S), sqrt(S) * vt */

/* renorm (tn::RenormMode) */
#define TNC_RENORM_NONE 0
#define TNC_RENORM_KEEP_L1 1   /* kept values keep the original 1-norm */
#define TNC_RENORM_KEEP_L2 2   /* kept values keep the original 2-norm */
#define TNC_RENORM_UNIT_L1 3   /* kept values get 1-norm 1 */
#define TNC_RENORM_UNIT_L2 4   /* kept values get 2-norm 1 */
#define TNC_RENORM_UNIT_LINF 5 /* kept values get max 1 */

/*===--------------------------------------------------------------------===*
 * Memref descriptors (ranks 1 and 2)
 *===--------------------------------------------------------------------===*/

typedef struct tnc_complex64 {
  float real;
  float imag;
} tnc_complex64;

typedef struct tnc_complex128 {
  double real;
  double imag;
} tnc_complex128;

#define TNC_DEFINE_MEMREF(NAME, T)                                             \
  typedef struct tnc_memref1d_##NAME {                                         \
    T *allocated;                                                              \
    T *aligned;                                                                \
    int64_t offset;                                                            \
    int64_t sizes[1];                                                          \
    int64_t strides[1];                                                        \
  } tnc_memref1d_##NAME;                                                       \
  typedef struct tnc_memref2d_##NAME {                                         \
    T *allocated;                                                              \
    T *aligned;                                                                \
    int64_t offset;                                                            \
    int64_t sizes[2];                                                          \
    int64_t strides[2];                                                        \
  } tnc_memref2d_##NAME;

TNC_DEFINE_MEMREF(f32, float)
TNC_DEFINE_MEMREF(f64, double)
TNC_DEFINE_MEMREF(c64, tnc_complex64)
TNC_DEFINE_MEMREF(c128, tnc_complex128)
TNC_DEFINE_MEMREF(i64, int64_t)

#undef TNC_DEFINE_MEMREF

/*===--------------------------------------------------------------------===*
 * SVD
 *
 * a (m x n) = u (m x k) . diag(s) (k) . vt (k x n), with k the static bond
 * extent (k <= min(m, n); less when max_rank caps it). vt is V^H (the
 * conjugate transpose of the right singular vectors). Singular values are
 * descending. The truncation rule of #tn.trunc (include/tn/Truncation/
 * Truncation.h) is applied to the full spectrum of min(m, n) values with
 * max_rank capped at k (and min_rank clamped to k): it gives the kept rank.
 * Then:
 *  - s[i], column i of u and row i of vt are zero for i >= rank;
 *  - the kept s are multiplied by the renorm factor;
 *  - absorb: left multiplies column i of u by s[i], right row i of vt by
 *    s[i], both each by sqrt(s[i]); s itself is written in every mode (it
 *    holds the renormalized kept values);
 *  - rank[0] = the kept rank; discarded[0] = sum_{i >= rank} s_i^2 /
 *    sum_i s_i^2 over the full spectrum, before renormalization (0 for an
 *    all-zero matrix).
 * gesdd is used, with gesvd as a fallback when it fails.
 *===--------------------------------------------------------------------===*/

int32_t _mlir_ciface_tnc_svd_f32(
    tnc_memref2d_f32 *a, tnc_memref2d_f32 *u, tnc_memref1d_f32 *s,
    tnc_memref2d_f32 *vt, tnc_memref1d_i64 *rank, tnc_memref1d_f32 *discarded,
    int64_t max_rank, int64_t min_rank, double abs_cutoff, double rel_cutoff,
    double weight_cutoff, int32_t weight_mode, double degeneracy_tol,
    int32_t absorb, int32_t renorm);

int32_t _mlir_ciface_tnc_svd_f64(
    tnc_memref2d_f64 *a, tnc_memref2d_f64 *u, tnc_memref1d_f64 *s,
    tnc_memref2d_f64 *vt, tnc_memref1d_i64 *rank, tnc_memref1d_f64 *discarded,
    int64_t max_rank, int64_t min_rank, double abs_cutoff, double rel_cutoff,
    double weight_cutoff, int32_t weight_mode, double degeneracy_tol,
    int32_t absorb, int32_t renorm);

int32_t _mlir_ciface_tnc_svd_c64(
    tnc_memref2d_c64 *a, tnc_memref2d_c64 *u, tnc_memref1d_f32 *s,
    tnc_memref2d_c64 *vt, tnc_memref1d_i64 *rank, tnc_memref1d_f32 *discarded,
    int64_t max_rank, int64_t min_rank, double abs_cutoff, double rel_cutoff,
    double weight_cutoff, int32_t weight_mode, double degeneracy_tol,
    int32_t absorb, int32_t renorm);

int32_t _mlir_ciface_tnc_svd_c128(
    tnc_memref2d_c128 *a, tnc_memref2d_c128 *u, tnc_memref1d_f64 *s,
    tnc_memref2d_c128 *vt, tnc_memref1d_i64 *rank,
    tnc_memref1d_f64 *discarded, int64_t max_rank, int64_t min_rank,
    double abs_cutoff, double rel_cutoff, double weight_cutoff,
    int32_t weight_mode, double degeneracy_tol, int32_t absorb,
    int32_t renorm);

/*===--------------------------------------------------------------------===*
 * QR
 *
 * Reduced QR: a (m x n) = q (m x k) . r (k x n) with k = min(m, n), q with
 * orthonormal columns and r upper triangular (upper trapezoidal when
 * m < n). LAPACK geqrf, then orgqr (real) or ungqr (complex).
 *===--------------------------------------------------------------------===*/

int32_t _mlir_ciface_tnc_qr_f32(tnc_memref2d_f32 *a, tnc_memref2d_f32 *q,
                                tnc_memref2d_f32 *r);
int32_t _mlir_ciface_tnc_qr_f64(tnc_memref2d_f64 *a, tnc_memref2d_f64 *q,
                                tnc_memref2d_f64 *r);
int32_t _mlir_ciface_tnc_qr_c64(tnc_memref2d_c64 *a, tnc_memref2d_c64 *q,
                                tnc_memref2d_c64 *r);
int32_t _mlir_ciface_tnc_qr_c128(tnc_memref2d_c128 *a, tnc_memref2d_c128 *q,
                                 tnc_memref2d_c128 *r);

/*===--------------------------------------------------------------------===*
 * Memory
 *
 * Generated code allocates its intermediates through
 * _mlir_memref_to_llvm_alloc / _aligned_alloc / _free (defined here), which
 * keep freed blocks of 256 KiB or more (up to 1 GiB) for the next call
 * instead of returning them to the system. tnc_release_cached_memory hands
 * the kept blocks back.
 *===--------------------------------------------------------------------===*/

void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *ptr);
void tnc_release_cached_memory(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TN_RUNTIME_CPU_RUNTIME_H */
