#!/usr/bin/env python3
"""GEMM through tnc's CPU pipeline against NumPy/OpenBLAS, in the same run.

Each C = A @ B (sgemm and dgemm; n = 1000, 1024, 2048, 4096 by default) is a
linalg.matmul on tensors, compiled with `tn-opt --tn-cpu-codegen`,
`mlir-translate --mlir-to-llvmir` and `llc -O3` into a shared library and
called through its `_mlir_ciface_` entry point (destination passing: C is an
out-parameter, no copy). NumPy computes `np.matmul(A, B, out=C)` into the same
kind of preallocated array. Both use the same number of threads (OpenMP for
tnc, OpenBLAS's pool for NumPy: OPENBLAS_NUM_THREADS is set before NumPy is
imported). Best wall time over --rounds blocks of --reps calls (each block
after a warm-up call, tnc and NumPy alternating); the results are checked
against each other.

    python3 bench/cpu/gemm.py [--threads N] [--sizes 1000,2048] [--dtypes f32]
"""
import argparse
import ctypes
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LLVM_BIN = Path("/usr/lib/llvm-22/bin")
LLVM_LIB = Path("/usr/lib/llvm-22/lib")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                   help="threads for both sides (default: all cores)")
    p.add_argument("--sizes", default="1000,1024,2048,4096",
                   help="comma-separated n (square n x n x n)")
    p.add_argument("--dtypes", default="f32,f64", help="f32,f64")
    p.add_argument("--reps", type=int, default=5, help="timed calls per block")
    p.add_argument("--rounds", type=int, default=3,
                   help="blocks per side, alternating tnc and NumPy; the best "
                        "of all is kept (filters out load from other processes)")
    p.add_argument("--build", default=os.environ.get("TNC_BUILD_DIR", ROOT / "build"),
                   help="tnc build directory (default: $TNC_BUILD_DIR or build/)")
    p.add_argument("--options", default="",
                   help="extra tn-cpu-codegen options, e.g. 'register-tile=8,32'")
    return p.parse_args()


args = parse_args()
# Before NumPy is imported: OpenBLAS sizes its pool at load time.
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
os.environ["OMP_NUM_THREADS"] = str(args.threads)
import numpy as np  # noqa: E402

SOURCE = """
func.func @gemm(%a: tensor<{n}x{n}x{t}>, %b: tensor<{n}x{n}x{t}>) -> tensor<{n}x{n}x{t}>
    attributes {{llvm.emit_c_interface}} {{
  %e = tensor.empty() : tensor<{n}x{n}x{t}>
  %z = arith.constant 0.0 : {t}
  %c = linalg.fill ins(%z : {t}) outs(%e : tensor<{n}x{n}x{t}>) -> tensor<{n}x{n}x{t}>
  %r = linalg.matmul ins(%a, %b : tensor<{n}x{n}x{t}>, tensor<{n}x{n}x{t}>)
                     outs(%c : tensor<{n}x{n}x{t}>) -> tensor<{n}x{n}x{t}>
  return %r : tensor<{n}x{n}x{t}>
}}
"""


def check(cmd):
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr.decode()}")
    return proc


def compile_gemm(n, elt, threads, workdir):
    stem = Path(workdir) / f"gemm_{elt}_{n}"
    stem.with_suffix(".mlir").write_text(SOURCE.format(n=n, t=elt))
    options = f"threads={threads} {args.options}".strip()
    check([Path(args.build) / "bin" / "tn-opt", stem.with_suffix(".mlir"),
           f"--tn-cpu-codegen={options}", "-o", stem.with_suffix(".llvm.mlir")])
    check([LLVM_BIN / "mlir-translate", "--mlir-to-llvmir",
           stem.with_suffix(".llvm.mlir"), "-o", stem.with_suffix(".ll")])
    check([LLVM_BIN / "llc", "-O3", "-relocation-model=pic", "-filetype=obj",
           stem.with_suffix(".ll"), "-o", stem.with_suffix(".o")])
    link = ["cc", "-shared", stem.with_suffix(".o"), "-o", stem.with_suffix(".so")]
    if threads != 1:
        link += [f"-L{LLVM_LIB}", "-lomp", f"-Wl,-rpath,{LLVM_LIB}"]
    check(link)
    return ctypes.CDLL(str(stem.with_suffix(".so"))).__getattr__("_mlir_ciface_gemm")


class Memref2D(ctypes.Structure):
    _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * 2),
                ("strides", ctypes.c_int64 * 2)]


def memref(a):
    d = Memref2D()
    d.allocated = d.aligned = a.ctypes.data
    d.offset = 0
    d.sizes[:] = a.shape
    d.strides[:] = [s // a.itemsize for s in a.strides]
    return d


def best_times(fns, reps, rounds=1):
    """Best wall time of each function, each timed in a block of its own
    after a pause: a runtime's idle workers spin for a while after a parallel
    region (OpenMP's KMP_BLOCKTIME, OpenBLAS's pool) and would take a core
    from the other side if the calls were interleaved."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            time.sleep(0.5)
            fn()
            for _ in range(reps):
                t = time.perf_counter()
                fn()
                best[i] = min(best[i], time.perf_counter() - t)
    return best


def main():
    sizes = [int(s) for s in args.sizes.split(",")]
    dtypes = {"f32": np.float32, "f64": np.float64}
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for elt in args.dtypes.split(","):
            dtype = dtypes[elt]
            for n in sizes:
                kernel = compile_gemm(n, elt, args.threads, workdir)
                kernel.restype = None
                rng = np.random.default_rng(0)
                a = rng.standard_normal((n, n)).astype(dtype)
                b = rng.standard_normal((n, n)).astype(dtype)
                c_tnc = np.empty((n, n), dtype)
                c_np = np.empty((n, n), dtype)
                descs = [memref(x) for x in (a, b, c_tnc)]
                ptrs = [ctypes.byref(d) for d in descs]
                t_tnc, t_np = best_times(
                    [lambda: kernel(*ptrs), lambda: np.matmul(a, b, out=c_np)],
                    args.reps, args.rounds)
                err = np.linalg.norm(c_tnc - c_np) / np.linalg.norm(c_np)
                tol = 1e-5 if dtype == np.float32 else 1e-12
                if not err <= tol:
                    sys.exit(f"{elt} n={n}: relative difference {err:.2e} > {tol}")
                flops = 2.0 * n ** 3
                rows.append((f"{'s' if elt == 'f32' else 'd'}gemm", n,
                             flops / t_tnc / 1e9, flops / t_np / 1e9))
                print(f"{rows[-1][0]} n={n}: tnc {rows[-1][2]:.1f} GFLOP/s, "
                      f"NumPy {rows[-1][3]:.1f} GFLOP/s", file=sys.stderr)
    print(f"\n{args.threads} thread(s); best of {args.rounds} x {args.reps} calls\n")
    print("| case | n | tnc GFLOP/s | NumPy/OpenBLAS GFLOP/s | tnc / NumPy |")
    print("|---|---:|---:|---:|---:|")
    for name, n, g_tnc, g_np in rows:
        print(f"| {name} | {n} | {g_tnc:.1f} | {g_np:.1f} | {g_tnc / g_np:.2f} |")


if __name__ == "__main__":
    main()
