#!/usr/bin/env python3
"""Contraction-path benchmark: tnc's `tn-optimize-contraction-order` against
opt_einsum and cotengra, on one suite of networks, in one run.

For every network it runs

  tnc         greedy, random-greedy (128 trials), optimal (exact search with a
              time limit), partition, hyper (time budget, `--tnc-time`) and,
              on Sycamore, hyper with the long budget (`--tnc-long-time`);
              all with threads=2 and a fixed seed;
  opt_einsum  greedy, dp (small networks only), RandomGreedy(max_repeats=128);
  cotengra    greedy, optimal (small networks only), RandomGreedyOptimizer
              (max_repeats=128), HyperOptimizer with tnc's budget and with a
              long budget (`--cotengra-time`), 2 worker processes;

every peer in a subprocess of its own with a time-out, and recomputes every
returned path's cost independently with cotengra
(ContractionTree.from_path(...).contraction_cost(): log10 of the sum over
steps of the product of extents, cotengra's units) and with opt_einsum
(contract_path(...).opt_cost, opt_einsum's flop units). tnc's reported
log10_cost must equal the recomputation within 1e-6; any difference is listed
at the end and makes the exit status 1.

Times: tnc's `search_seconds` from the pass's report (no process start-up,
no parsing), one cold call per tn-opt process; `tnc greedy` goes through the
Python package instead (python/tnc, warm, in-process, best of 20, exactly as
opt_einsum's greedy is timed) and `tnc greedy (tn-opt, cold)` keeps the
cold number; for the Python peers, the wall time of the optimizer call alone
(no interpreter start-up, no imports, a warm worker pool for cotengra's
HyperOptimizer). Deterministic greedy searches take the best of a few runs.

See README.md beside this file for the columns and the options.
"""
import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("TNC_BUILD_DIR", ROOT / "build")) / "bin"
SHARED = ROOT.parent / "shared" / "networks"
TOL = 1e-6          # |tnc reported - recomputed| allowed, log10 units
EQ = 1e-9           # "equal cost" tolerance, log10 units
RESULT = "RESULT "  # the worker's result line starts with this
# Deterministic greedy searches (tnc's package, opt_einsum's, cotengra's): the
# best of this many warm calls, at most 2 s of them; microsecond timings on a
# shared 2-core machine need more than a handful of samples.
GREEDY_RUNS = 20

# ---------------------------------------------------------------------------
# The suite
# ---------------------------------------------------------------------------
# name, tn-netgen arguments, tags. Tags: quick (in --quick), quickonly (only in
# --quick), long (also gets the long tnc hyper run).
REG = ["regular", "--degree=3", "--bond=2", "--seed=1"]
GENERATED = [
    # 12-20 tensors: the optimal-vs-dp comparison
    ("regular_n12", REG + ["--n=12"], {"quick"}),
    ("regular_n16", REG + ["--n=16"], set()),
    ("regular_n20", REG + ["--n=20"], {"quick"}),
    ("lattice_4x4", ["lattice", "--lx=4", "--ly=4", "--bond=2"], set()),
    ("peps_2x3_D3", ["peps", "--lx=2", "--ly=3", "--bond=3"], {"quick"}),
    ("peps_3x3_D3", ["peps", "--lx=3", "--ly=3", "--bond=3"], set()),
    # the rest of the classes
    ("tt_layer", ["tt", "--in-modes=8,16,16", "--out-modes=10,10,10", "--rank=8",
                  "--batch=256"], {"quick"}),
    ("peps_4x4_D3", ["peps", "--lx=4", "--ly=4", "--bond=3"], set()),
    ("lattice_6x6", ["lattice", "--lx=6", "--ly=6", "--bond=2"], {"quick"}),
    ("lattice_8x8", ["lattice", "--lx=8", "--ly=8", "--bond=2"], set()),
    ("lattice_4x4x4", ["lattice", "--lx=4", "--ly=4", "--lz=4", "--bond=2"], set()),
    ("hypergraph_t40_open6", ["hypergraph", "--tensors=40", "--indices=60",
                              "--max-degree=3", "--open=6", "--extent=2", "--seed=1"],
     {"quick"}),
    ("regular_n60", REG + ["--n=60"], set()),
    ("mps_mpo_L32_chi64_D5", ["mps-mpo", "--length=32", "--chi=64", "--mpo-bond=5",
                              "--phys=2"], set()),
    ("circuit_q12_d8_diag", ["circuit", "--qubits=12", "--depth=8", "--diagonal",
                             "--seed=1"], {"quick", "quickonly"}),
    ("regular_n200", REG + ["--n=200"], set()),
    ("circuit_q20_d12_diag", ["circuit", "--qubits=20", "--depth=12", "--diagonal",
                              "--seed=1"], set()),
    ("regular_n1000", REG + ["--n=1000"], {"quick"}),
]


def build_suite(args, tmp, tools):
    """[(name, json path, tags)] in run order; generated files go to tmp."""
    suite = []
    for name, gen, tags in GENERATED:
        if args.quick and "quick" not in tags and not args.only:
            continue
        if not args.quick and "quickonly" in tags and not args.only:
            continue
        suite.append((name, gen, tags))
    if SHARED.is_dir() and (not args.quick or args.only):
        for f in sorted(SHARED.glob("*.json")):
            tags = {"shared"}
            if "sycamore" in f.stem:
                tags.add("long")
            suite.append((f.stem, f, tags))
    if args.only:
        keys = [k for k in args.only.split(",") if k]
        suite = [s for s in suite if any(k in s[0] for k in keys)]
    out = []
    for name, src, tags in suite:
        if isinstance(src, Path):
            out.append((name, src, tags))
            continue
        f = tmp / f"{name}.json"
        subprocess.run([str(tools["tn-netgen"]), *src, f"--name={name}", "-o", str(f)],
                       check=True)
        out.append((name, f, tags))
    return out


# ---------------------------------------------------------------------------
# Networks and independent costs
# ---------------------------------------------------------------------------
def load_network(path):
    """inputs (lists of single-character symbols), output, size_dict."""
    import opt_einsum as oe
    net = json.loads(Path(path).read_text())
    if "equation" in net:
        raise ValueError("equation-vocabulary files are not supported here")
    sym = {}

    def s(ix):
        key = str(ix)
        if key not in sym:
            sym[key] = oe.get_symbol(len(sym))
        return sym[key]
    inputs = [[s(ix) for ix in term] for term in net["inputs"]]
    output = [s(ix) for ix in net.get("output", [])]
    size_dict = {}
    for k, v in net["size_dict"].items():
        if str(k) in sym:
            size_dict[sym[str(k)]] = int(v)
    return inputs, output, size_dict


def recompute(inputs, output, size_dict, path):
    """(log10 Σ Π extents, log2 width) by cotengra; log10 flops by opt_einsum."""
    import cotengra as ctg
    import opt_einsum as oe
    path = [tuple(int(i) for i in step) for step in path]
    tree = ctg.ContractionTree.from_path(inputs, output, size_dict, path=path,
                                         autocomplete=False, check=True)
    if not tree.is_complete():
        raise ValueError("the path does not contract the network to one tensor")
    cost = tree.contraction_cost()
    width = tree.contraction_width()
    eq = ",".join("".join(t) for t in inputs) + "->" + "".join(output)
    shapes = [tuple(size_dict[i] for i in t) for t in inputs]
    _, info = oe.contract_path(eq, *shapes, shapes=True, optimize=path)
    return math.log10(cost), width, math.log10(info.opt_cost)


# ---------------------------------------------------------------------------
# Subprocesses with time-outs (the whole process group is killed on time-out)
# ---------------------------------------------------------------------------
def run_proc(cmd, timeout, stdin_text=None):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin_text is not None else None,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        out, err = p.communicate(stdin_text, timeout=timeout)
        return p.returncode, out, err, False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return None, out, err, True


def last_line(text, n=200):
    """The first line that says 'error', else the last line."""
    lines = [l.strip() for l in (text or "").strip().splitlines() if l.strip()]
    errs = [l for l in lines if "error" in l.lower()]
    line = errs[0] if errs else (lines[-1] if lines else "")
    if "error: " in line:  # drop the location prefix (a temp file name)
        line = line[line.index("error: ") + len("error: "):]
    return line[:n]


# ---------------------------------------------------------------------------
# tnc
# ---------------------------------------------------------------------------
def run_tnc(tools, mlir, tmp, options, timeout, runs=1):
    """Runs tn-opt's pass; returns a result dict (path, seconds, ...)."""
    best = None
    for r in range(runs):
        report = tmp / f"report_{os.getpid()}_{time.monotonic_ns()}.json"
        opts = " ".join(f"{k}={v}" for k, v in options.items())
        cmd = [str(tools["tn-opt"]), str(mlir),
               f"--tn-optimize-contraction-order={opts} report-file={report} remarks=false",
               "-o", os.devnull]
        t0 = time.perf_counter()
        rc, out, err, timed_out = run_proc(cmd, timeout)
        wall = time.perf_counter() - t0
        if timed_out:
            return {"status": "timeout", "note": f"no result in {timeout:g} s"}
        if rc != 0 or not report.exists():
            return {"status": "error", "note": last_line(err) or f"exit {rc}"}
        rep = json.loads(report.read_text())
        report.unlink()
        if len(rep) != 1:
            return {"status": "error", "note": f"report has {len(rep)} entries"}
        e = rep[0]
        res = {"status": "ok", "path": e["path"], "seconds": e["search_seconds"],
               "wall_seconds": wall, "trials": e.get("trials"), "reported": e,
               "note": e.get("algorithm", "")}
        if e.get("num_slices", 1) != 1:
            res["note"] += f" sliced x{e['num_slices']}"
        if best is None or res["seconds"] < best["seconds"]:
            best = res
        if res["seconds"] > 1.0:
            break
    return best


# ---------------------------------------------------------------------------
# The peers (run as `run.py --worker` with a JSON spec on stdin)
# ---------------------------------------------------------------------------
def _warm():
    return os.getpid()


def peer_features():
    import importlib.util
    f = {"kahypar": importlib.util.find_spec("kahypar") is not None,
         "optuna": importlib.util.find_spec("optuna") is not None,
         "cotengrust": importlib.util.find_spec("cotengrust") is not None}
    return f


def worker():
    import random
    spec = json.loads(sys.stdin.read())
    random.seed(spec["seed"])
    try:
        import numpy as np
        np.random.seed(spec["seed"] % 2**32)
    except ImportError:
        pass
    method, p = spec["method"], spec["params"]
    inputs, output, size_dict = load_network(spec["file"])
    trials = None
    if method == "tnc-py-greedy":
        # tnc's Python package, warm and in-process like opt_einsum's greedy
        # below: the best of GREEDY_RUNS calls (at most 2 s of them). The
        # time is the search measured inside
        # the library (search_seconds, as for the tn-opt rows); the Python
        # call around it (building the ctypes arrays, reading the JSON
        # result) is in the note.
        sys.path.insert(0, str(BIN.parent / "python_packages"))
        import tnc
        best, call, spent = None, math.inf, 0.0
        for _ in range(GREEDY_RUNS):
            t0 = time.perf_counter()
            info = tnc.optimize_path(inputs, output, size_dict, algorithm="greedy",
                                     threads=p["threads"])
            call = min(call, time.perf_counter() - t0)
            spent += time.perf_counter() - t0
            if best is None or info.search_seconds < best.search_seconds:
                best = info
            if spent > 2.0:
                break
        print(RESULT + json.dumps({"path": [list(s) for s in best.path],
                                   "seconds": best.search_seconds, "trials": None,
                                   "note": f"package, warm; Python call {fmt_t(call)} s",
                                   "reported": {k: getattr(best, k) for k in (
                                       "log10_cost", "log10_flops", "log2_width",
                                       "num_slices")},
                                   "checkpoints": {}}), flush=True)
        return
    import cotengra as ctg
    import opt_einsum as oe
    from cotengra.pathfinders import path_basic as pb
    sets, out_set = [set(t) for t in inputs], set(output)

    def timed(fn, runs=1):
        best_t, res = math.inf, None
        spent = 0.0
        for _ in range(runs):
            t0 = time.perf_counter()
            res = fn()
            t = time.perf_counter() - t0
            best_t = min(best_t, t)
            spent += t
            if spent > 2.0:
                break
        return res, best_t

    if method == "oe-greedy":
        path, secs = timed(lambda: oe.paths.greedy(sets, out_set, size_dict),
                           runs=GREEDY_RUNS)
    elif method == "oe-dp":
        path, secs = timed(lambda: oe.DynamicProgramming(minimize="flops")(
            sets, out_set, size_dict))
    elif method == "oe-random-greedy":
        opt = oe.RandomGreedy(max_repeats=p["repeats"], max_time=p["max_time"])
        path, secs = timed(lambda: opt(sets, out_set, size_dict))
        trials = len(opt.costs)
    elif method == "ctg-greedy":
        path, secs = timed(lambda: pb.optimize_greedy(inputs, output, size_dict),
                           runs=GREEDY_RUNS)
    elif method == "ctg-optimal":
        path, secs = timed(lambda: pb.optimize_optimal(inputs, output, size_dict,
                                                       minimize="flops"))
    elif method == "ctg-random-greedy":
        # RandomGreedyOptimizer keeps its best over calls; batches of 2 trials per worker
        # (split over its worker processes) until max_repeats or max_time.
        from cotengra.parallel import parse_parallel_arg
        from opt_einsum.paths import ssa_to_linear
        pool = parse_parallel_arg(p["workers"])
        if pool is not None:
            for fut in [pool.submit(_warm) for _ in range(2 * p["workers"])]:
                fut.result()
        batch = 2 * max(1, p["workers"])
        opt = ctg.RandomGreedyOptimizer(max_repeats=batch, seed=spec["seed"],
                                        parallel=p["workers"])

        def rg():
            nonlocal trials
            trials, t0 = 0, time.perf_counter()
            while trials < p["repeats"]:
                opt.max_repeats = min(batch, p["repeats"] - trials)
                opt.ssa_path(inputs, output, size_dict)
                trials += opt.max_repeats
                if time.perf_counter() - t0 > p["max_time"]:
                    break
            return ssa_to_linear(opt.best_ssa_path)
        path, secs = timed(rg)
    elif method == "ctg-hyper":
        import warnings
        warnings.filterwarnings("ignore")
        try:
            import optuna
            optuna.logging.set_verbosity(optuna.logging.WARNING)
        except ImportError:
            pass
        from cotengra.parallel import parse_parallel_arg
        pool = parse_parallel_arg(p["workers"])
        if pool is not None:  # start the workers before the clock does
            for fut in [pool.submit(_warm) for _ in range(2 * p["workers"])]:
                fut.result()
        opt = ctg.HyperOptimizer(methods=p["methods"], optlib=p["optlib"],
                                 max_time=p["max_time"], max_repeats=p["repeats"],
                                 parallel=p["workers"], progbar=False)
        # Record every finished trial with its time, so that the result of a
        # shorter budget B can be read off this run: HyperOptimizer checks its
        # time only between trials, so a run with max_time=B returns the best
        # of the trials finished up to the first one that ends after B.
        record, clock = [], [0.0]
        report = opt._maybe_report_result

        def recording(setting, trial):
            report(setting, trial)
            record.append((time.perf_counter() - clock[0], trial["score"],
                           trial.get("tree"), setting["method"]))
        opt._maybe_report_result = recording

        def search():
            clock[0] = time.perf_counter()
            return opt.search(inputs, output, size_dict)
        tree, secs = timed(search)
        path = tree.get_path()
        trials = len(opt.scores)
        best = opt.best.get("params", {}).get("method")
        spec["note"] = f"best: {best}" if best else ""
        checkpoints = {}
        for b in p.get("checkpoints", []):
            upto = next((i for i, r in enumerate(record) if r[0] >= b), len(record) - 1)
            cands = [r for r in record[:upto + 1] if r[2] is not None]
            if not cands:
                continue
            r = min(cands, key=lambda r: r[1])
            checkpoints[str(b)] = {
                "path": [list(map(int, st)) for st in r[2].get_path()],
                "seconds": record[upto][0], "trials": upto + 1,
                "note": f"best: {r[3]}; from the {p['max_time']:g} s run's trials"
                        + ("" if record[upto][0] >= b else
                           " (that run ended before this budget)")}
    else:
        raise SystemExit(f"unknown method {method}")
    print(RESULT + json.dumps({"path": [list(map(int, s)) for s in path],
                               "seconds": secs, "trials": trials,
                               "note": spec.get("note", ""),
                               "checkpoints": locals().get("checkpoints", {})}),
          flush=True)


def run_peer(method, net_file, params, timeout, seed):
    spec = json.dumps({"method": method, "file": str(net_file), "params": params,
                       "seed": seed})
    t0 = time.perf_counter()
    rc, out, err, timed_out = run_proc([sys.executable, str(Path(__file__).resolve()),
                                        "--worker"], timeout, spec)
    wall = time.perf_counter() - t0
    if timed_out:
        return {"status": "timeout", "note": f"no result in {timeout:g} s"}
    lines = [l for l in out.splitlines() if l.startswith(RESULT)]
    if rc != 0 or not lines:
        return {"status": "error", "note": last_line(err) or f"exit {rc}"}
    r = json.loads(lines[-1][len(RESULT):])
    r.update(status="ok", wall_seconds=wall)
    return r


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
def fmt_t(t):
    if t is None:
        return "-"
    return f"{t:.3g}" if t >= 0.001 else f"{t:.2e}"


def fmt_ratio(r):
    if r is None:
        return "-"
    if r >= 1e4 or r < 1e-3:
        return f"{r:.2e}"
    return f"{r:.3g}"


def best_peer(rows):
    peers = [r for r in rows if r["family"] != "tnc" and r["status"] == "ok"]
    if not peers:
        return None
    lo = min(r["log10_cost"] for r in peers)
    tied = [r for r in peers if r["log10_cost"] <= lo + EQ]
    return min(tied, key=lambda r: r["seconds"])


def print_table(net, rows):
    bp = best_peer(rows)
    print(f"\n== {net['name']}: {net['tensors']} tensors, {net['indices']} indices, "
          f"{net['open']} open, {net['hyper']} hyperedges; load {net['load_before']:.1f}"
          f"->{net['load_after']:.1f}"
          + (f"; best peer: {bp['method']}" if bp else ""))
    print(f"  {'method':24s} {'log10 cost':>10s} {'log2 width':>10s} {'seconds':>9s} "
          f"{'cost/peer':>9s} {'time/peer':>9s} {'trials':>7s} {'check':>6s}  note")
    for r in rows:
        if r["status"] != "ok":
            print(f"  {r['method']:24s} {'-':>10s} {'-':>10s} {'-':>9s} {'-':>9s} "
                  f"{'-':>9s} {'-':>7s} {'':>6s}  {r['status']}: {r.get('note', '')}")
            continue
        cr = tr = None
        if bp is not None:
            cr = 10 ** (r["log10_cost"] - bp["log10_cost"])
            tr = r["seconds"] / max(bp["seconds"], 1e-9)
        mark = "*" if r is bp else " "
        check = r.get("check", "")
        trials = "-" if r.get("trials") in (None, 0) else str(r["trials"])
        print(f" {mark}{r['method']:24s} {r['log10_cost']:10.4f} {r['log2_width']:10.2f} "
              f"{fmt_t(r['seconds']):>9s} {fmt_ratio(cr):>9s} {fmt_ratio(tr):>9s} "
              f"{trials:>7s} {check:>6s}  {r.get('note', '')}")
    sys.stdout.flush()


# ---------------------------------------------------------------------------
# The bars of the issue
# ---------------------------------------------------------------------------
def summary(nets, all_rows, args):
    by = {}
    for r in all_rows:
        by.setdefault(r["network"], {})[r["method_key"]] = r
    ntens = {n["name"]: n["tensors"] for n in nets}
    ok = lambda r: r is not None and r["status"] == "ok"
    verdicts = []
    print("\n" + "=" * 100)
    print("SUMMARY: the bars of the issue")

    # 1. optimal == dp, >= 10x faster, on 12-20 tensor networks
    print("\n[1] tnc optimal equals opt_einsum dp's cost and is >= 10x faster "
          "(12-20-tensor networks)")
    met, seen = True, 0
    for name in by:
        if not 12 <= ntens[name] <= 20:
            continue
        t, d = by[name].get("tnc-optimal"), by[name].get("oe-dp")
        if not ok(t) or not ok(d):
            why = (f"tnc optimal {t['status'] if t else 'not run'}, "
                   f"oe dp {d['status'] if d else 'not run'}")
            print(f"    {name:28s} n={ntens[name]:<4d} no comparison ({why})")
            if t is not None and not ok(t):
                met = False
            continue
        seen += 1
        delta = t["log10_cost"] - d["log10_cost"]
        speed = d["seconds"] / max(t["seconds"], 1e-9)
        equal = abs(delta) <= 1e-6
        good = delta <= 1e-6 and speed >= 10
        met &= good
        c = by[name].get("ctg-optimal")
        cnote = (f"; cotengra optimal {c['log10_cost']:.4f}" if ok(c) else "")
        print(f"    {name:28s} n={ntens[name]:<4d} tnc {t['log10_cost']:.6f} vs dp "
              f"{d['log10_cost']:.6f} ({'equal' if equal else ('lower' if delta < 0 else 'HIGHER')}),"
              f" {fmt_t(t['seconds'])} s vs {fmt_t(d['seconds'])} s = {speed:.1f}x"
              f"{cnote}  {'ok' if good else 'NOT MET'}")
    verdicts.append(("optimal == dp and >= 10x faster on 12-20 tensors",
                     met if seen else None, seen))

    # 2. greedy >= 20x faster than opt_einsum greedy at equal or lower cost
    print("\n[2] tnc greedy >= 20x faster than opt_einsum greedy at equal or lower cost")
    met, seen, worst = True, 0, None
    greedy_rows = []
    for name in by:
        t, o = by[name].get("tnc-greedy"), by[name].get("oe-greedy")
        if not ok(t) or not ok(o):
            continue
        seen += 1
        speed = o["seconds"] / max(t["seconds"], 1e-9)
        delta = t["log10_cost"] - o["log10_cost"]
        good = speed >= 20 and delta <= EQ
        met &= good
        worst = speed if worst is None else min(worst, speed)
        greedy_rows.append((name, (speed, o["seconds"]), good))
        print(f"    {name:28s} n={ntens[name]:<5d} {speed:8.1f}x faster, cost "
              f"{t['log10_cost']:.4f} vs {o['log10_cost']:.4f} "
              f"(x{10 ** delta:.3g})  {'ok' if good else 'NOT MET'}")
    verdicts.append(("greedy >= 20x faster than opt_einsum greedy at equal or lower cost, "
                     "every network", met if seen else None, seen))
    big = [(name, s, good) for name, s, good in greedy_rows if s[1] >= 0.01]
    if big:
        print(f"    on the {len(big)} networks where opt_einsum greedy takes >= 10 ms: "
              f"{min(s[0] for _, s, _ in big):.1f}x to {max(s[0] for _, s, _ in big):.1f}x, "
              f"{sum(1 for *_, g in big if g)} of {len(big)} meet the bar")
    verdicts.append(("  ... on networks where opt_einsum greedy takes >= 10 ms",
                     all(g for *_, g in big) if big else None, len(big)))

    # 3. hyper (short budget) <= cotengra HyperOptimizer (long budget) on every network
    print(f"\n[3] tnc hyper ({args.tnc_time:g} s, 2 threads) <= cotengra HyperOptimizer "
          f"({args.cotengra_time:g} s) on every network")
    met, seen = True, 0
    for name in by:
        t, c = by[name].get("tnc-hyper"), by[name].get("ctg-hyper-long")
        if not ok(c):
            continue
        seen += 1
        if not ok(t):
            met = False
            print(f"    {name:28s} tnc hyper {t['status'] if t else 'not run'}  NOT MET")
            continue
        delta = t["log10_cost"] - c["log10_cost"]
        good = delta <= EQ
        met &= good
        print(f"    {name:28s} {t['log10_cost']:9.4f} vs {c['log10_cost']:9.4f} "
              f"(x{10 ** delta:.3g}; {fmt_t(t['seconds'])} s vs {fmt_t(c['seconds'])} s)"
              f"  {'ok' if good else 'NOT MET'}")
    verdicts.append((f"hyper {args.tnc_time:g}s <= cotengra hyper {args.cotengra_time:g}s "
                     "on every network", met if seen else None, seen))
    syc = [n for n in by if "sycamore" in n]
    for name in syc:
        cands = [r for k, r in by[name].items()
                 if k in ("tnc-hyper", "tnc-hyper-long") and ok(r) and r["seconds"] <= 60.5]
        if cands:
            b = min(cands, key=lambda r: r["log10_cost"])
            good = b["log10_cost"] <= 18.3
            print(f"    {name}: best tnc hyper within 60 s: 10^{b['log10_cost']:.4f} "
                  f"({b['method']}, {fmt_t(b['seconds'])} s) vs bar 10^18.3  "
                  f"{'ok' if good else 'NOT MET'}")
        else:
            good = False
            print(f"    {name}: no tnc hyper result within 60 s  NOT MET")
        verdicts.append(("Sycamore n53 m20 <= 10^18.3 within 60 s", good, 1))
    if not syc:
        print("    (Sycamore network not in this run)")

    # 4. random-greedy returns a path for 1000-tensor networks in under 1 s
    print("\n[4] tnc random-greedy returns a path for 1000-tensor networks in < 1 s")
    met, seen = True, 0
    for name in by:
        if ntens[name] < 900:
            continue
        t = by[name].get("tnc-random-greedy")
        seen += 1
        if not ok(t):
            met = False
            print(f"    {name:28s} n={ntens[name]}: {t['status'] if t else 'not run'}  NOT MET")
            continue
        good = t["seconds"] < 1.0
        if ntens[name] >= 1000:
            met &= good
        peers = ", ".join(f"{by[name][k]['method']} {fmt_t(by[name][k]['seconds'])} s"
                          for k in ("oe-random-greedy", "ctg-random-greedy")
                          if ok(by[name].get(k)))
        print(f"    {name:28s} n={ntens[name]:<5d} {fmt_t(t['seconds'])} s "
              f"({t.get('trials')} trials; process wall {fmt_t(t.get('wall_seconds'))} s)"
              f"{' [< 1000 tensors, informational]' if ntens[name] < 1000 else ''}"
              f"  {'ok' if good else 'NOT MET'}   peers: {peers}")
    verdicts.append(("random-greedy < 1 s on 1000-tensor networks", met if seen else None,
                     seen))

    # cost checks
    print("\n[check] tnc's reported log10_cost vs the independent recomputation "
          f"(cotengra contraction_cost), tolerance {TOL:g}")
    bad = [r for r in all_rows if r["family"] == "tnc" and r["status"] == "ok"
           and r.get("check") != "ok"]
    checked = sum(1 for r in all_rows if r["family"] == "tnc" and r["status"] == "ok")
    if not bad:
        print(f"    all {checked} tnc results match")
    for r in bad:
        print(f"    MISMATCH {r['network']} / {r['method']}: {r.get('check_detail')}")
    other = [r for r in all_rows if r["family"] == "tnc" and r["status"] == "ok"
             and r.get("check_info")]
    for r in other:
        print(f"    note {r['network']} / {r['method']}: {r['check_info']}")
    invalid = [r for r in all_rows if r["status"] == "invalid"]
    for r in invalid:
        print(f"    INVALID PATH {r['network']} / {r['method']}: {r.get('note')}")

    loads = [x for n in nets for x in (n["load_before"], n["load_after"])]
    if loads:
        busy = max(loads) > (os.cpu_count() or 1) + 0.5
        print(f"\n[machine] 1-minute load average {min(loads):.1f} to {max(loads):.1f} on "
              f"{os.cpu_count()} cores" + ("; other processes competed for the cores, so "
                                          "times (and what time-bounded searches found) are "
                                          "noisy" if busy else ""))

    print("\nBARS")
    for text, good, n in verdicts:
        word = "N/A    " if good is None else "MET    " if good else "NOT MET"
        print(f"    {word}  {text}  ({n} networks compared)")
    return not bad and not any(r["family"] == "tnc" for r in invalid)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="small subset, short budgets (about 3 minutes)")
    ap.add_argument("--only", metavar="NAME[,NAME]",
                    help="networks whose names contain one of these substrings "
                         "(from the whole suite, shared networks included)")
    ap.add_argument("--json", metavar="FILE", help="write every row to this JSON file")
    ap.add_argument("--tnc-time", type=float, help="tnc hyper budget, s [10; quick 2]")
    ap.add_argument("--tnc-long-time", type=float,
                    help="tnc hyper budget on Sycamore, s [60; quick 5]")
    ap.add_argument("--cotengra-time", type=float,
                    help="long cotengra HyperOptimizer budget, s [60; quick 5]")
    ap.add_argument("--cotengra-repeats", type=int, default=None,
                    help="trial cap of the long cotengra run [1024]")
    ap.add_argument("--optimal-time", type=float,
                    help="tnc optimal time limit, s [20; quick 5]")
    ap.add_argument("--dp-max", type=int, default=25,
                    help="largest network for opt_einsum dp and cotengra optimal [25]")
    ap.add_argument("--dp-timeout", type=float,
                    help="time-out of opt_einsum dp and cotengra optimal, s [300; quick 60]")
    ap.add_argument("--peer-timeout", type=float, default=300,
                    help="time-out of the other peer runs, s [300]")
    ap.add_argument("--peer-rg-time", type=float,
                    help="time cap of the peers' random-greedy runs, s [60; quick 20]")
    ap.add_argument("--repeats", type=int, default=128,
                    help="trials of every random-greedy [128]")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--separate-cotengra-runs", action="store_true",
                    help="run cotengra's HyperOptimizer with tnc's budget separately "
                         "instead of reading its result off the long run's trials")
    ap.add_argument("--no-peers", action="store_true", help="tnc only")
    ap.add_argument("--methods", metavar="KEY[,KEY]",
                    help="only the rows whose key contains one of these "
                         "(keys: tnc-greedy, tnc-random-greedy, tnc-optimal, tnc-partition, "
                         "tnc-hyper, oe-greedy, oe-dp, oe-random-greedy, ctg-greedy, "
                         "ctg-optimal, ctg-random-greedy, ctg-hyper)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker()

    q = args.quick
    args.tnc_time = args.tnc_time or (2 if q else 10)
    args.tnc_long_time = args.tnc_long_time or (5 if q else 60)
    args.cotengra_time = args.cotengra_time or (5 if q else 60)
    args.optimal_time = args.optimal_time or (5 if q else 20)
    args.peer_rg_time = args.peer_rg_time or (20 if q else 60)
    args.dp_timeout = args.dp_timeout or (60 if q else 300)
    args.cotengra_repeats = args.cotengra_repeats or 1024

    try:
        import cotengra as ctg
        import opt_einsum as oe
    except ImportError as e:
        sys.exit(f"error: {e}; install the peers with: pip install opt_einsum cotengra "
                 "kahypar optuna")
    feats = peer_features()
    methods = ["greedy", "kahypar"] if feats["kahypar"] else ["greedy", "labels"]
    optlib = "optuna" if feats["optuna"] else "random"

    tmp = Path(tempfile.mkdtemp(prefix="tnc-bench-paths-"))
    # Snapshot the tools: other people may rebuild build/bin during the run.
    tools = {}
    for t in ("tn-netgen", "tn-translate", "tn-opt"):
        src = BIN / t
        if not src.exists():
            sys.exit(f"error: {src} not found; build first (scripts/setup.sh)")
        shutil.copy2(src, tmp / t)
        tools[t] = tmp / t

    def git(*a):
        try:
            return subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True,
                                  text=True).stdout.strip()
        except OSError:
            return "?"
    dirty = git("diff", "--name-only", "HEAD")
    print("tnc contraction-path benchmark")
    print(f"  tnc: {BIN} (tn-opt built {time.ctime((BIN / 'tn-opt').stat().st_mtime)}), "
          f"git {git('rev-parse', '--short', 'HEAD')}"
          f"{' + uncommitted changes: ' + ', '.join(dirty.splitlines()) if dirty else ''}")
    print(f"  opt_einsum {oe.__version__}, cotengra {ctg.__version__} "
          f"(HyperOptimizer methods={methods}, optlib={optlib}, "
          f"cotengrust {'present' if feats['cotengrust'] else 'absent: pure-Python greedy/optimal'})")
    print(f"  machine: {os.cpu_count()} cores; tnc threads={args.threads}, seed={args.seed}; "
          f"cotengra HyperOptimizer: {args.threads} worker processes")
    print(f"  budgets: tnc hyper {args.tnc_time:g} s (Sycamore also {args.tnc_long_time:g} s), "
          f"tnc optimal limit {args.optimal_time:g} s, cotengra hyper {args.tnc_time:g} s "
          f"and {args.cotengra_time:g} s (<= {args.cotengra_repeats} trials), random-greedy "
          f"{args.repeats} trials (peers capped at {args.peer_rg_time:g} s), dp/cotengra-optimal up to {args.dp_max} tensors "
          f"(time-out {args.dp_timeout:g} s)")
    print("  costs: log10 of sum over steps of prod of extents, recomputed by cotengra "
          "from each returned path; cost/peer = 10^(log10 cost - best peer's), "
          "time/peer = seconds / best peer's seconds ('*' marks the best peer)")
    sys.stdout.flush()

    suite = build_suite(args, tmp, tools)
    all_rows, nets = [], []
    t_start = time.perf_counter()
    for name, f, tags in suite:
        try:
            inputs, output, size_dict = load_network(f)
        except Exception as e:  # noqa: BLE001
            print(f"\n== {name}: cannot read: {e}")
            continue
        counts = {}
        for t in inputs:
            for ix in set(t):
                counts[ix] = counts.get(ix, 0) + 1
        for ix in output:
            counts[ix] = counts.get(ix, 0) + 1
        net = {"name": name, "file": str(f), "tensors": len(inputs), "indices": len(counts),
               "open": len(output), "hyper": sum(1 for c in counts.values() if c > 2)}
        net["load_before"] = os.getloadavg()[0]
        nets.append(net)
        n = len(inputs)
        mlir = tmp / f"{name}.mlir"
        rc, _, err, _ = run_proc([str(tools["tn-translate"]), "--import-network", str(f),
                                  "-o", str(mlir)], 600)
        rows = []
        if rc != 0:
            print(f"\n== {name}: tn-translate failed: {last_line(err)}")

        # (key, label, family, runner)
        plan = []
        base = {"threads": args.threads, "seed": args.seed}
        if rc == 0:
            plan += [
                ("tnc-greedy", "tnc greedy", "tnc",
                 lambda: run_peer("tnc-py-greedy", f, {"threads": args.threads}, 600,
                                  args.seed)),
                ("tnc-greedy-cold", "tnc greedy (tn-opt, cold)", "tnc",
                 lambda: run_tnc(tools, mlir, tmp, {**base, "algorithm": "greedy"}, 600, runs=3)),
                ("tnc-random-greedy", f"tnc random-greedy", "tnc",
                 lambda: run_tnc(tools, mlir, tmp, {**base, "algorithm": "random-greedy",
                                                    "repeats": args.repeats}, 600)),
                ("tnc-optimal", "tnc optimal", "tnc",
                 lambda: run_tnc(tools, mlir, tmp, {**base, "algorithm": "optimal",
                                                    "max-time": args.optimal_time},
                                 args.optimal_time + 60)),
                ("tnc-partition", "tnc partition", "tnc",
                 lambda: run_tnc(tools, mlir, tmp, {**base, "algorithm": "partition"}, 600)),
                ("tnc-hyper", f"tnc hyper {args.tnc_time:g}s", "tnc",
                 lambda: run_tnc(tools, mlir, tmp, {**base, "algorithm": "hyper",
                                                    "max-time": args.tnc_time},
                                 args.tnc_time * 2 + 60)),
            ]
            if "long" in tags:
                plan.append(("tnc-hyper-long", f"tnc hyper {args.tnc_long_time:g}s", "tnc",
                             lambda: run_tnc(tools, mlir, tmp,
                                             {**base, "algorithm": "hyper",
                                              "max-time": args.tnc_long_time},
                                             args.tnc_long_time * 2 + 60)))
        if not args.no_peers:
            peer = lambda m, p, to: (lambda: run_peer(m, f, p, to, args.seed))
            rg = {"repeats": args.repeats, "max_time": args.peer_rg_time,
                  "workers": args.threads}
            hyp = {"methods": methods, "optlib": optlib, "workers": args.threads}
            plan.append(("oe-greedy", "opt_einsum greedy", "opt_einsum",
                         peer("oe-greedy", {}, args.peer_timeout)))
            if n <= args.dp_max:
                plan.append(("oe-dp", "opt_einsum dp", "opt_einsum",
                             peer("oe-dp", {}, args.dp_timeout)))
            plan.append(("oe-random-greedy", "opt_einsum random-greedy", "opt_einsum",
                         peer("oe-random-greedy", rg, args.peer_timeout)))
            plan.append(("ctg-greedy", "cotengra greedy", "cotengra",
                         peer("ctg-greedy", {}, args.peer_timeout)))
            if n <= args.dp_max:
                plan.append(("ctg-optimal", "cotengra optimal", "cotengra",
                             peer("ctg-optimal", {}, args.dp_timeout)))
            plan.append(("ctg-random-greedy", "cotengra random-greedy", "cotengra",
                         peer("ctg-random-greedy", rg, args.peer_timeout)))
            short = ("ctg-hyper", f"cotengra hyper {args.tnc_time:g}s")
            separate = args.separate_cotengra_runs or args.tnc_time >= args.cotengra_time
            if separate:
                plan.append((*short, "cotengra",
                             peer("ctg-hyper", {**hyp, "max_time": args.tnc_time,
                                                "repeats": 10**9},
                                  args.tnc_time * 1.5 + 90)))
            plan.append(("ctg-hyper-long", f"cotengra hyper {args.cotengra_time:g}s",
                         "cotengra",
                         peer("ctg-hyper", {**hyp, "max_time": args.cotengra_time,
                                            "repeats": args.cotengra_repeats,
                                            "checkpoints": [] if separate
                                            else [args.tnc_time]},
                              args.cotengra_time * 1.5 + 90),
                         None if separate else short))

        if args.methods:
            want = [m for m in args.methods.split(",") if m]
            plan = [p for p in plan if any(m in p[0] for m in want)]
        results = []
        for key, label, family, runner, *extra in plan:
            try:
                r = runner()
            except Exception as e:  # noqa: BLE001
                r = {"status": "error", "note": f"{type(e).__name__}: {e}"}
            if extra and extra[0]:
                # the short budget's result, read off the long run's trials
                k2, l2 = extra[0]
                cp = r.get("checkpoints", {}).get(str(args.tnc_time))
                if r["status"] == "ok" and cp:
                    r2 = {**cp, "status": "ok"}
                else:
                    r2 = {"status": r["status"] if r["status"] != "ok" else "error",
                          "note": r.get("note", "no trial recorded")}
                results.append((k2, l2, family, r2))
            r.pop("checkpoints", None)
            results.append((key, label, family, r))
        for key, label, family, r in results:
            r.update(network=name, tensors=n, method=label, method_key=key, family=family)
            if r["status"] == "ok":
                try:
                    c, w, fl = recompute(inputs, output, size_dict, r["path"])
                    r.update(log10_cost=c, log2_width=w, log10_flops=fl)
                except Exception as e:  # noqa: BLE001
                    r.update(status="invalid", note=f"recomputation failed: {e}")
            if r["status"] == "ok" and family == "tnc":
                rep = r["reported"]
                d = rep["log10_cost"] - r["log10_cost"]
                if abs(d) <= TOL:
                    r["check"] = "ok"
                else:
                    r["check"] = "BAD"
                    r["check_detail"] = (f"reported log10_cost {rep['log10_cost']:.6f}, "
                                         f"recomputed {r['log10_cost']:.6f} (diff {d:+.2e})")
                info = []
                if abs(rep["log10_flops"] - r["log10_flops"]) > TOL:
                    info.append(f"log10_flops reported {rep['log10_flops']:.6f} vs "
                                f"opt_einsum {r['log10_flops']:.6f}")
                if abs(rep["log2_width"] - r["log2_width"]) > TOL:
                    info.append(f"log2_width reported {rep['log2_width']:.6f} vs "
                                f"cotengra {r['log2_width']:.6f}")
                if rep.get("num_slices", 1) != 1:
                    info.append(f"sliced into {rep['num_slices']} (not asked for)")
                if info:
                    r["check_info"] = "; ".join(info)
            rows.append(r)
        net["load_after"] = os.getloadavg()[0]
        print_table(net, rows)
        all_rows.extend(rows)

    good = summary(nets, all_rows, args)
    print(f"\ntotal time {time.perf_counter() - t_start:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"args": vars(args), "networks": nets,
                                               "rows": all_rows}, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
