"""End to end: tn.svd, tn.qr and tn.entropy compiled for the CPU (calls into
tnc's LAPACK runtime), run through the C entry point, checked with NumPy:
reconstruction, orthonormality, truncation (kept rank, discarded weight),
entropies, and the status returned for non-finite input."""
import ctypes

import numpy as np
import pytest

from conftest import run
from test_cpu_library import compile_library, rel_error

TYPES = {
    "f32": ("f32", np.float32, 1e-5),
    "f64": ("f64", np.float64, 1e-12),
    "c64": ("complex<f32>", np.complex64, 1e-5),
    "c128": ("complex<f64>", np.complex128, 1e-12),
}
REAL = {"f32": ("f32", np.float32), "f64": ("f64", np.float64),
        "c64": ("f32", np.float32), "c128": ("f64", np.float64)}


def svd_module(t, trunc, rank_limit):
    """t[l, p, r] -> U[l, b, p], S[b], V[r, b] (V given transposed, to
    exercise the permutations), plus rank (as a float), discarded weight and
    the von Neumann and Renyi-2 entropies."""
    el, _, _ = TYPES[t]
    re, _ = REAL[t]
    k = rank_limit
    return f"""
func.func @split(%t: tensor<6x2x5x{el}>) -> (tensor<6x{k}x2x{el}>, tensor<{k}x{re}>, tensor<5x{k}x{el}>, tensor<4x{re}>) {{
  %u, %s, %v, %rank, %err = tn.svd %t[l, p, r] -> [l, b, p], [r, b] {trunc}
      : tensor<6x2x5x{el}> -> (tensor<6x{k}x2x{el}>, tensor<{k}x{re}>, tensor<5x{k}x{el}>, index, {re})
  %e1 = tn.entropy %s : tensor<{k}x{re}> -> {re}
  %e2 = tn.entropy %s {{order = 2.0 : f64, base = 2.0 : f64}} : tensor<{k}x{re}> -> {re}
  %ri = arith.index_cast %rank : index to i64
  %rf = arith.sitofp %ri : i64 to {re}
  %info = tensor.from_elements %rf, %err, %e1, %e2 : tensor<4x{re}>
  return %u, %s, %v, %info : tensor<6x{k}x2x{el}>, tensor<{k}x{re}>, tensor<5x{k}x{el}>, tensor<4x{re}>
}}
"""


def random_tensor(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.iscomplexobj(np.zeros(1, dtype)):
        x = x + 1j * rng.standard_normal(shape)
    return np.ascontiguousarray(x, dtype=dtype)


def run_split(lib, t, a, k):
    _, dtype, _ = TYPES[t]
    _, real = REAL[t]
    outs = [np.zeros((6, k, 2), dtype), np.zeros(k, real), np.zeros((5, k), dtype),
            np.zeros(4, real)]
    fn = ctypes.CDLL(str(lib)).tn_split
    fn.restype = ctypes.c_int32
    fn.argtypes = [ctypes.c_void_p] * 5
    status = fn(a.ctypes.data, *[o.ctypes.data for o in outs])
    return status, outs


@pytest.mark.parametrize("t", sorted(TYPES))
def test_svd_full_rank(tools, tmp_path, t):
    lib, _ = compile_library(tools, svd_module(t, "", 5), tmp_path, "split")
    _, dtype, tol = TYPES[t]
    rng = np.random.default_rng(3)
    a = random_tensor(rng, (6, 2, 5), dtype)
    status, (u, s, v, info) = run_split(lib, t, a, 5)
    assert status == 0
    # A[l, p, r] = sum_b U[l, b, p] S[b] V[r, b]
    recon = np.einsum("lbp,b,rb->lpr", u.astype(complex), s, v.astype(complex))
    assert rel_error(recon, a) <= 10 * tol
    um = u.transpose(0, 2, 1).reshape(12, 5)
    assert rel_error(um.conj().T @ um, np.eye(5)) <= 10 * tol
    expected = np.linalg.svd(a.reshape(12, 5).astype(complex), compute_uv=False)
    assert rel_error(s, expected) <= 10 * tol
    assert info[0] == 5 and abs(info[1]) <= 10 * tol
    p = expected ** 2 / np.sum(expected ** 2)
    assert abs(info[2] - (-np.sum(p * np.log(p)))) <= 1e3 * tol
    assert abs(info[3] - np.log2(np.sum(p ** 2)) / (1 - 2)) <= 1e3 * tol


@pytest.mark.parametrize("t", ["f32", "f64", "c128"])
def test_svd_truncated(tools, tmp_path, t):
    trunc = "{trunc = #tn.trunc<max_rank = 3, weight_cutoff = 0.2>}"
    lib, _ = compile_library(tools, svd_module(t, trunc, 3), tmp_path, "split")
    _, dtype, tol = TYPES[t]
    rng = np.random.default_rng(5)
    a = random_tensor(rng, (6, 2, 5), dtype)
    status, (u, s, v, info) = run_split(lib, t, a, 3)
    assert status == 0
    full = np.linalg.svd(a.reshape(12, 5).astype(complex), compute_uv=False)
    w = full ** 2 / np.sum(full ** 2)
    # the most values with discarded relative weight <= 0.2, at most 3 kept
    tail = np.cumsum(w[::-1])[::-1]  # tail[i] = weight of values i..end
    keep = next(i for i in range(1, 6) if i == 5 or tail[i] <= 0.2)
    keep = min(keep, 3)
    assert info[0] == keep
    assert abs(info[1] - np.sum(w[keep:])) <= 10 * tol
    assert rel_error(s[:keep], full[:keep]) <= 10 * tol
    assert np.all(s[keep:] == 0) and np.all(u[:, keep:, :] == 0) and np.all(v[:, keep:] == 0)
    best = np.einsum("lbp,b,rb->lpr", u.astype(complex), s, v.astype(complex))
    err = np.linalg.norm(best - a) ** 2 / np.linalg.norm(a) ** 2
    assert abs(err - np.sum(w[keep:])) <= 1e3 * tol


def test_svd_nan_input_returns_status(tools, tmp_path):
    lib, header = compile_library(tools, svd_module("f64", "", 5), tmp_path, "split")
    a = np.ones((6, 2, 5))
    a[1, 1, 1] = np.nan
    status, (u, s, v, info) = run_split(lib, "f64", a, 5)
    assert status == 1  # TNC_STATUS_NON_FINITE_INPUT
    assert not np.any(np.isnan(u)) and not np.any(np.isnan(s))


@pytest.mark.parametrize("t", sorted(TYPES))
def test_qr(tools, tmp_path, t):
    el, dtype, tol = TYPES[t]
    src = f"""
func.func @qr(%t: tensor<3x4x5x{el}>) -> (tensor<5x3x4x{el}>, tensor<5x5x{el}>) {{
  %q, %r = tn.qr %t[a, b, c] -> [k, a, b], [k, c] : tensor<3x4x5x{el}> -> (tensor<5x3x4x{el}>, tensor<5x5x{el}>)
  return %q, %r : tensor<5x3x4x{el}>, tensor<5x5x{el}>
}}
"""
    lib, _ = compile_library(tools, src, tmp_path, "qr")
    rng = np.random.default_rng(9)
    a = random_tensor(rng, (3, 4, 5), dtype)
    q, r = np.zeros((5, 3, 4), dtype), np.zeros((5, 5), dtype)
    fn = ctypes.CDLL(str(lib)).tn_qr
    fn.restype = ctypes.c_int32
    fn.argtypes = [ctypes.c_void_p] * 3
    assert fn(a.ctypes.data, q.ctypes.data, r.ctypes.data) == 0
    assert rel_error(np.einsum("kab,kc->abc", q, r), a) <= 10 * tol
    qm = q.reshape(5, 12).T
    assert rel_error(qm.conj().T @ qm, np.eye(5)) <= 10 * tol
    assert np.allclose(np.tril(r, -1), 0)
