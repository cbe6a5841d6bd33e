#!/usr/bin/env python3
"""Times importing and round-tripping networks:
    tn-translate --import-network FILE | tn-opt -o /dev/null
on the benchmark networks in ../shared/networks (when present) and on
networks from tn-netgen. Reports the median of several runs, and, as the
reference point a Python user has, the time for json.load plus building
opt_einsum's path info with a left-to-right path on the same file."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("TNC_BUILD_DIR", ROOT / "build")) / "bin"
SHARED = ROOT.parent / "shared" / "networks"
RUNS = int(os.environ.get("TNC_BENCH_RUNS", "7"))


def median_time(fn):
    samples = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def tnc_roundtrip(path):
    def go():
        imp = subprocess.run([str(BIN / "tn-translate"), "--import-network", str(path)],
                             capture_output=True, check=True)
        subprocess.run([str(BIN / "tn-opt"), "-o", os.devnull], input=imp.stdout,
                       capture_output=True, check=True)
    return median_time(go)


def opt_einsum_setup(path):
    try:
        import opt_einsum as oe
    except ImportError:
        return None

    def go():
        net = json.loads(Path(path).read_text())
        symbols = {}

        def sym(i):
            if i not in symbols:
                symbols[i] = oe.get_symbol(len(symbols))
            return symbols[i]
        eq = ",".join("".join(sym(i) for i in t) for t in net["inputs"])
        eq += "->" + "".join(sym(i) for i in net.get("output", []))
        shapes = [tuple(net["size_dict"][i] for i in t) for t in net["inputs"]]
        n = len(shapes)
        linear = [(0, 1)] + [(0, n - k - 1) for k in range(1, n - 1)]
        oe.contract_path(eq, *shapes, shapes=True, optimize=linear)
    return median_time(go)


def main():
    files = []
    if SHARED.is_dir():
        files += sorted(SHARED.glob("*.json"))
    tmp = Path(tempfile.mkdtemp())
    for name, args in [("gen_regular_1000", ["regular", "--n=1000", "--degree=3"]),
                       ("gen_circuit_50x20", ["circuit", "--qubits=50", "--depth=20", "--diagonal"])]:
        out = tmp / f"{name}.json"
        subprocess.run([str(BIN / "tn-netgen"), *args, "-o", str(out)], check=True)
        files.append(out)
    print(f"{'network':42s} {'tensors':>7s} {'tnc import+round trip':>22s} "
          f"{'json+opt_einsum path info':>26s} {'ratio':>6s}")
    for f in files:
        n = len(json.loads(f.read_text())["inputs"])
        t = tnc_roundtrip(f)
        o = opt_einsum_setup(f)
        ratio = f"{o / t:6.1f}" if o else "   n/a"
        ostr = f"{o * 1e3:23.1f} ms" if o else f"{'n/a':>26s}"
        print(f"{f.stem:42s} {n:7d} {t * 1e3:19.1f} ms {ostr} {ratio}")


if __name__ == "__main__":
    sys.exit(main())
