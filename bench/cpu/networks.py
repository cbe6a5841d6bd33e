#!/usr/bin/env python3
"""Compiled networks against opt_einsum + NumPy, in one run.

For each network: tnc compiles it ahead of time (tn-opt --tn-cpu-pipeline,
tn-translate --emit-shared-library), the kernel is called through its C
entry point (ctypes) on random inputs, and opt_einsum.contract with NumPy
runs the same contraction on the same inputs with its best path (found
once, outside the timing; optimize='auto-hq'). The TT layer is also compared
with the dense 2048x1000 product it replaces (NumPy/OpenBLAS sgemm). Every
result is checked against a float64 reference. Times are the median of
--repeat calls, made in --rounds blocks that alternate between tnc and the
peers (each block after a warm-up call); ratios > 1 mean tnc is faster.

    bench/cpu/networks.py [--repeat 20] [--rounds 5] [--threads 2] [--only tt,mps,regular]
"""
import argparse
import ctypes
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The kernels' OpenMP workers spin for 1 ms after each parallel region,
# then sleep. Not libomp's 200 ms: they would take the cores from NumPy's
# OpenBLAS threads measured next. Not 0 either: every parallel region of a
# call (one per kernel) would then wake sleeping workers, which on this VM
# made the TT layer's first calls after a pause 8-9 ms instead of 4.7 ms.
os.environ.setdefault("KMP_BLOCKTIME", "1")

import numpy as np
import opt_einsum as oe

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("TNC_BUILD_DIR", ROOT / "build")) / "bin"

NETWORKS = [
    ("tt", "TT layer 2048->1000 (8*16*16 -> 10*10*10, rank 8, batch 256)",
     ["tt", "--in-modes=8,16,16", "--out-modes=10,10,10", "--rank=8", "--batch=256"]),
    ("mps", "MPS-MPO-MPS expectation (L 32, chi 64, D 5, d 2)",
     ["mps-mpo", "--length=32", "--chi=64", "--mpo-bond=5", "--phys=2"]),
    ("regular", "random 3-regular graph (60 tensors, bond 4)",
     ["regular", "--n=60", "--degree=3", "--bond=4", "--seed=1"]),
]


def sh(args, stdin=None):
    p = subprocess.run([str(a) for a in args], input=stdin, capture_output=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{p.stderr.decode()}")
    return p.stdout


def equation(net):
    names = {}

    def sym(i):
        if str(i) not in names:
            names[str(i)] = oe.get_symbol(len(names))
        return names[str(i)]
    sizes = {str(k): v for k, v in net["size_dict"].items()}
    terms = ["".join(sym(i) for i in t) for t in net["inputs"]]
    eq = ",".join(terms) + "->" + "".join(sym(i) for i in net.get("output", []))
    return eq, [tuple(sizes[str(i)] for i in t) for t in net["inputs"]]


def timed(fns, repeat, rounds, pause=0.25):
    """Median wall time of each of `fns` over `repeat` calls, made in
    `rounds` blocks that alternate between the functions (each block after a
    warm-up call), so that a slow phase of the shared host falls on every
    side rather than on whichever ran during it. Each block starts after a
    `pause`: OpenBLAS's worker threads spin for about 0.1 s after a call
    (libomp's for KMP_BLOCKTIME, 1 ms here), and a block started inside that
    window shares the cores with them (the TT layer measured 2x slower)."""
    samples = [[] for _ in fns]
    per_block = max(1, -(-repeat // rounds))
    for _ in range(rounds):
        for fn, ts in zip(fns, samples):
            time.sleep(pause)
            fn()
            for _ in range(per_block):
                t0 = time.perf_counter()
                fn()
                ts.append(time.perf_counter() - t0)
    return [float(np.median(ts)) for ts in samples]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=20,
                    help="timed calls per side (the median is reported)")
    ap.add_argument("--rounds", type=int, default=5,
                    help="blocks the calls are made in, alternating between tnc and the peers")
    ap.add_argument("--threads", type=int, default=0,
                    help="tn-cpu-pipeline threads= (0: OpenMP default, all cores)")
    ap.add_argument("--only", help="comma-separated keys: " + ",".join(k for k, _, _ in NETWORKS))
    ap.add_argument("--pause", type=float, default=0.25,
                    help="seconds of idle before each block (other thread pools go to sleep)")
    ap.add_argument("--pipeline-options", default="",
                    help="extra tn-cpu-pipeline options, e.g. 'copy-cost=4 objective=combo-512'")
    args = ap.parse_args()
    try:
        import threadpoolctl  # noqa: F401
    except ImportError:
        pass
    print(f"numpy {np.__version__}, opt_einsum {oe.__version__}; "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}; "
          f"{os.cpu_count()} CPUs")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for key, title, gen in NETWORKS:
            if args.only and key not in args.only.split(","):
                continue
            net_json = sh([BIN / "tn-netgen", *gen, f"--name={key}"])
            net = json.loads(net_json)
            (tmp / f"{key}.json").write_bytes(net_json)
            eq, shapes = equation(net)
            opts = f"threads={args.threads} {args.pipeline_options}".strip()
            t0 = time.perf_counter()
            mlir = sh([BIN / "tn-translate", "--import-network", tmp / f"{key}.json"])
            lowered = sh([BIN / "tn-opt", f"--tn-cpu-pipeline={opts}"], stdin=mlir)
            lib = tmp / f"lib{key}.so"
            sh([BIN / "tn-translate", "--emit-shared-library", "-o", lib], stdin=lowered)
            compile_s = time.perf_counter() - t0

            rng = np.random.default_rng(0)
            arrays = [np.ascontiguousarray(rng.standard_normal(s) / np.sqrt(max(s)),
                                           dtype=np.float32) for s in shapes]
            sizes = {}
            for term, s in zip(eq.split("->")[0].split(","), shapes):
                sizes.update(zip(term, s))
            out = np.zeros(tuple(sizes[c] for c in eq.split("->")[1]), np.float32)
            fn = ctypes.CDLL(str(lib))["tn_" + key]
            fn.restype = ctypes.c_int32
            fn.argtypes = [ctypes.c_void_p] * (len(arrays) + 1)
            ptrs = [a.ctypes.data for a in arrays] + [out.ctypes.data]
            assert fn(*ptrs) == 0
            path, info = oe.contract_path(eq, *arrays, optimize="auto-hq")
            ref = oe.contract(eq, *[a.astype(np.float64) for a in arrays], optimize=path)
            err = np.linalg.norm(np.ravel(out - ref)) / max(np.linalg.norm(np.ravel(ref)), 1e-300)
            fns = [lambda: fn(*ptrs), lambda: oe.contract(eq, *arrays, optimize=path)]
            if key == "tt":
                x = rng.standard_normal((256, 2048)).astype(np.float32)
                w = rng.standard_normal((2048, 1000)).astype(np.float32)
                fns.append(lambda: x @ w)
            t_tnc, t_oe, *t_dense = timed(fns, args.repeat, args.rounds, args.pause)
            row = {"key": key, "title": title, "tnc_ms": t_tnc * 1e3, "oe_ms": t_oe * 1e3,
                   "ratio_oe": t_oe / t_tnc, "error": err, "compile_s": compile_s,
                   "oe_log10_flops": float(np.log10(float(info.opt_cost)))}
            if t_dense:
                row["dense_ms"] = t_dense[0] * 1e3
                row["ratio_dense"] = t_dense[0] / t_tnc
            rows.append(row)
            extra = (f"; dense 2048x1000 product {row['dense_ms']:.3f} ms "
                     f"(tnc {row['ratio_dense']:.2f}x)" if "dense_ms" in row else "")
            print(f"{title}: tnc {row['tnc_ms']:.3f} ms, opt_einsum+NumPy {row['oe_ms']:.3f} ms "
                  f"-> {row['ratio_oe']:.2f}x{extra}; rel. error {err:.1e}; "
                  f"compile {compile_s:.1f} s", flush=True)
    print()
    print("| network | tnc (ms) | opt_einsum + NumPy (ms) | speed-up | other |")
    print("|---|---:|---:|---:|---|")
    for r in rows:
        other = (f"dense sgemm {r['dense_ms']:.3f} ms ({r['ratio_dense']:.2f}x)"
                 if "dense_ms" in r else "")
        print(f"| {r['title']} | {r['tnc_ms']:.3f} | {r['oe_ms']:.3f} | {r['ratio_oe']:.2f}x | {other} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
