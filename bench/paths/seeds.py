#!/usr/bin/env python3
"""tnc's randomized, time-bounded order searches over several seeds on one
network: the spread that a single run of bench/paths/run.py hides.

    bench/paths/seeds.py NETWORK.json [--time 10] [--seeds 1-4]
                         [--algorithm hyper] [--threads 2]

NETWORK.json is a network in the opt_einsum/cotengra vocabulary (the
`../shared/networks` files, or `tn-netgen` output). Each seed is one call of
the Python package (`tnc.optimize_path(..., algorithm, max_time, threads,
seed)`) in this process; prints log10 cost (cotengra's units: Σ Π extents),
the trial count and the method of the best tree, then the minimum, median
and maximum over the seeds. Budgets are wall time, so results depend on the
machine's load: run it on a quiet machine.
"""
import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("TNC_BUILD_DIR", ROOT / "build"))
sys.path.insert(0, str(BUILD / "python_packages"))
import tnc  # noqa: E402


def seed_list(text):
    seeds = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        seeds.extend(range(int(lo), int(hi or lo) + 1))
    return seeds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("network")
    ap.add_argument("--time", type=float, default=10.0, help="budget per seed, s")
    ap.add_argument("--seeds", type=seed_list, default=seed_list("1-4"),
                    help="e.g. 1-4 or 1,3,5-8")
    ap.add_argument("--algorithm", default="hyper")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    net = json.loads(Path(args.network).read_text())
    # Index names as strings throughout (size_dict's JSON keys are strings).
    inputs = [[str(i) for i in term] for term in net["inputs"]]
    output = [str(i) for i in net.get("output", [])]
    costs = []
    for seed in args.seeds:
        info = tnc.optimize_path(inputs, output, net["size_dict"],
                                 algorithm=args.algorithm, max_time=args.time,
                                 threads=args.threads, seed=seed)
        costs.append(info.log10_cost)
        print(f"seed {seed}: log10 cost {info.log10_cost:.4f}, {info.trials} trials, "
              f"{info.algorithm}", flush=True)
    print(f"{Path(args.network).stem}, {args.algorithm} {args.time:g} s, "
          f"threads={args.threads}, {len(costs)} seeds: min {min(costs):.4f}, "
          f"median {statistics.median(costs):.4f}, max {max(costs):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
