#!/usr/bin/env python3
"""Runs a network compiled by tnc into a shared library on random inputs and
checks it against NumPy (opt_einsum's contract, in float64).

    scripts/run_compiled.py NETWORK.json LIBRARY.so [--repeat N]

The library's entry point is tn_<name> (the network's "name", default
"network"), on dense row-major arrays. Prints the relative error, the
kernel time and opt_einsum + NumPy's time on the same inputs; exits 1 when
the error exceeds the tolerance of the element type."""
import argparse
import ctypes
import json
import os
import sys
import time

# The kernels' OpenMP workers spin for 1 ms after each parallel region (not
# libomp's 200 ms, which would take the cores from NumPy's OpenBLAS threads;
# not 0, which makes every parallel region wake sleeping workers).
os.environ.setdefault("KMP_BLOCKTIME", "1")

import numpy as np
import opt_einsum as oe

DTYPES = {"float32": (np.float32, 1e-5), "float64": (np.float64, 1e-12),
          "complex64": (np.complex64, 1e-5), "complex128": (np.complex128, 1e-12)}
ALIASES = {"f32": "float32", "f64": "float64", "complex<f32>": "complex64",
           "complex<f64>": "complex128"}


def network_arrays(net):
    """(equation, shapes) in einsum letters."""
    if "equation" in net:
        eq = net["equation"]
        return eq if "->" in eq else eq + "->", [tuple(s) for s in net["shapes"]]
    names = {}

    def sym(i):
        key = str(i)
        if key not in names:
            names[key] = oe.get_symbol(len(names))
        return names[key]
    sizes = {str(k): v for k, v in net["size_dict"].items()}
    terms = ["".join(sym(i) for i in t) for t in net["inputs"]]
    eq = ",".join(terms) + "->" + "".join(sym(i) for i in net.get("output", []))
    shapes = [tuple(sizes[str(i)] for i in t) for t in net["inputs"]]
    return eq, shapes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("network")
    ap.add_argument("library")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    net = json.load(open(args.network))
    dtype_name = ALIASES.get(net.get("dtype", "float32"), net.get("dtype", "float32"))
    if dtype_name not in DTYPES:
        print(f"run_compiled.py: dtype {dtype_name} not supported here", file=sys.stderr)
        return 2
    dtype, tol = DTYPES[dtype_name]
    eq, shapes = network_arrays(net)
    out_shape = ()
    sizes = {}
    for term, shape in zip(eq.split("->")[0].split(","), shapes):
        sizes.update(zip(term, shape))
    out_shape = tuple(sizes[c] for c in eq.split("->")[1])

    rng = np.random.default_rng(args.seed)
    arrays = []
    for s in shapes:
        x = rng.standard_normal(s)
        if np.iscomplexobj(np.zeros(1, dtype)):
            x = x + 1j * rng.standard_normal(s)
        # Scaled so that large networks stay within the type's range.
        x = x / np.sqrt(max(1, int(np.prod([d for d in s]) ** (1 / max(1, len(s))))))
        arrays.append(np.ascontiguousarray(x, dtype=dtype))
    out = np.zeros(out_shape, dtype=dtype)

    lib = ctypes.CDLL(args.library)
    fn = lib["tn_" + net.get("name", "network")]
    fn.restype = ctypes.c_int32
    fn.argtypes = [ctypes.c_void_p] * (len(arrays) + 1)
    ptrs = [a.ctypes.data for a in arrays] + [out.ctypes.data]
    status = fn(*ptrs)
    if status != 0:
        print(f"tn_{net.get('name', 'network')} returned status {status}")
        return 1
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        fn(*ptrs)
        times.append(time.perf_counter() - t0)

    wide = [a.astype(np.complex128 if np.iscomplexobj(a) else np.float64) for a in arrays]
    expected = oe.contract(eq, *wide, optimize="auto-hq")
    err = np.linalg.norm(np.ravel(out - expected)) / max(np.linalg.norm(np.ravel(expected)), 1e-300)
    ref_times = []
    path, _ = oe.contract_path(eq, *arrays, optimize="auto-hq")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        oe.contract(eq, *arrays, optimize=path)
        ref_times.append(time.perf_counter() - t0)
    t, r = min(times), min(ref_times)
    ok = err <= tol
    print(f"tn_{net.get('name', 'network')}: {len(arrays)} inputs, output shape {out_shape}, "
          f"{dtype_name}")
    print(f"relative error vs NumPy (float64): {err:.2e} (tolerance {tol:g}) -> "
          f"{'ok' if ok else 'FAILED'}")
    print(f"time: compiled {t * 1e3:.3f} ms, opt_einsum + NumPy {r * 1e3:.3f} ms "
          f"(same inputs, best of {args.repeat}; ratio {r / t:.2f}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
