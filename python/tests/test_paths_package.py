"""The Python package's path API (python/tnc over libtnc_capi.so).

Every search's path is checked independently: its cost recomputed by
opt_einsum (FLOP convention) and by a plain-Python evaluator in tnc's units,
exact searches against brute force, and contractions through
`opt_einsum.contract(optimize=tnc.Optimizer())` against NumPy einsum on
random inputs. Bad input must raise TncError with a message, never crash."""
import ctypes
import itertools
import json
import math
import random
import zlib

import numpy as np
import opt_einsum as oe
import pytest

from conftest import run

ALGORITHMS = ["auto", "optimal", "greedy", "random-greedy", "partition", "hyper"]


def random_network(rng, n, extra_edges, open_count=1, max_extent=4, hyper=False):
    """A connected random network: a random spanning tree plus extra edges
    (parallel edges allowed), optional hyperedges and open indices."""
    inputs = [[] for _ in range(n)]
    size, label = {}, 0

    def new_index(holders):
        nonlocal label
        name = f"i{label}"
        label += 1
        size[name] = rng.randint(2, max_extent)
        for t in holders:
            inputs[t].append(name)
        return name

    for t in range(1, n):
        new_index([t, rng.randrange(t)])
    for _ in range(extra_edges):
        new_index(rng.sample(range(n), 3 if hyper and rng.random() < 0.3 else 2))
    output = [new_index([rng.randrange(n)]) for _ in range(open_count)]
    return inputs, output, size


def step_cost(a, b, size):
    prod = 1
    for ix in set(a) | set(b):
        prod *= size[ix]
    return prod


def evaluate(inputs, output, size, path):
    """tnc's cost of a linear path: sum over steps of the product of the
    extents of every index of the two operands; the new operand keeps the
    indices still needed elsewhere or in the output."""
    ops = [tuple(t) for t in inputs]
    total = 0
    for i, j in path:
        a, b = ops[i], ops[j]
        for k in sorted((i, j), reverse=True):
            del ops[k]
        rest = set(output).union(*map(set, ops))
        total += step_cost(a, b, size)
        ops.append(tuple(ix for ix in dict.fromkeys(a + b) if ix in rest))
    return total


def brute_force(inputs, output, size):
    """The least cost over all contraction trees (subset DP)."""
    n = len(inputs)
    full = (1 << n) - 1
    sets = [set(t) for t in inputs]

    def legs(mask):
        inside = set().union(*(sets[t] for t in range(n) if mask >> t & 1))
        outside = set(output).union(*(sets[t] for t in range(n) if not mask >> t & 1))
        return inside & outside

    best = {1 << t: 0 for t in range(n)}
    for mask in sorted(range(1, full + 1), key=lambda m: bin(m).count("1")):
        if mask in best:
            continue
        value = math.inf
        sub = (mask - 1) & mask
        while sub:
            other = mask ^ sub
            if sub < other:
                value = min(value, best[sub] + best[other]
                            + step_cost(legs(sub), legs(other), size))
            sub = (sub - 1) & mask
        best[mask] = value
    return best[full]


def einsum_equation(inputs, output):
    symbols = {}
    sym = lambda ix: symbols.setdefault(ix, oe.get_symbol(len(symbols)))
    terms = ["".join(sym(ix) for ix in t) for t in inputs]
    return ",".join(terms) + "->" + "".join(sym(ix) for ix in output)


@pytest.mark.parametrize("seed", range(8))
def test_optimal_equals_brute_force(tnc, seed):
    rng = random.Random(seed)
    inputs, output, size = random_network(rng, rng.randint(3, 7), rng.randint(1, 5),
                                          open_count=rng.randint(0, 2), hyper=seed % 2 == 1)
    info = tnc.optimize_path(inputs, output, size, algorithm="optimal")
    assert 10 ** info.log10_cost == pytest.approx(brute_force(inputs, output, size), rel=1e-9)
    assert info.algorithm == "optimal"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_search_reports_the_cost_of_its_path(tnc, algorithm):
    rng = random.Random(zlib.crc32(algorithm.encode()))  # not hash(): per-process
    inputs, output, size = random_network(rng, 14, 10, open_count=2, hyper=True)
    info = tnc.optimize_path(inputs, output, size, algorithm=algorithm,
                             max_time=0.5 if algorithm == "hyper" else None,
                             repeats=16 if algorithm != "hyper" else None, seed=3)
    assert len(info.path) == len(inputs) - 1
    cost = evaluate(inputs, output, size, info.path)
    assert 10 ** info.log10_cost == pytest.approx(cost, rel=1e-5)
    # opt_einsum's own bookkeeping of the same path (its FLOP convention).
    eq = einsum_equation(inputs, output)
    shapes = [tuple(size[ix] for ix in t) for t in inputs]
    _, pinfo = oe.contract_path(eq, *shapes, shapes=True, optimize=info.path)
    assert math.log10(pinfo.opt_cost) == pytest.approx(info.log10_flops, abs=1e-5)
    assert tnc.path_cost(inputs, output, size, info.path)["log10_cost"] == \
        pytest.approx(info.log10_cost, abs=1e-6)
    # The SSA path is the same tree.
    assert len(info.ssa_path) == len(info.path)


def test_greedy_matches_opt_einsum_greedy(tnc):
    """algorithm=greedy is opt_einsum's greedy (same queue discipline and
    score): never a higher cost on these networks (equal up to ties)."""
    for seed in range(6):
        rng = random.Random(100 + seed)
        inputs, output, size = random_network(rng, 40, 30, open_count=2, max_extent=5)
        info = tnc.optimize_path(inputs, output, size, algorithm="greedy")
        theirs = oe.paths.greedy([set(t) for t in inputs], set(output), size)
        assert info.log10_cost <= math.log10(evaluate(inputs, output, size, theirs)) + 1e-9


def test_random_greedy_is_no_worse_than_greedy(tnc):
    """Randomized searches start from the deterministic greedy variants."""
    for seed in range(4):
        rng = random.Random(200 + seed)
        inputs, output, size = random_network(rng, 80, 50, open_count=1)
        greedy = tnc.optimize_path(inputs, output, size, algorithm="greedy")
        rg = tnc.optimize_path(inputs, output, size, algorithm="random-greedy",
                               repeats=8, threads=2)
        assert rg.log10_cost <= greedy.log10_cost + 1e-9
        assert rg.trials == 8


def test_reproducible_for_a_seed(tnc):
    rng = random.Random(7)
    inputs, output, size = random_network(rng, 60, 40)
    runs = [tnc.optimize_path(inputs, output, size, algorithm="random-greedy",
                              repeats=24, seed=11, threads=t) for t in (1, 2, 2)]
    assert runs[0].path == runs[1].path == runs[2].path


def test_optimizer_in_opt_einsum_contracts_correctly(tnc):
    rng = random.Random(3)
    nrng = np.random.default_rng(3)
    for hyper in (False, True):
        inputs, output, size = random_network(rng, 9, 6, open_count=2, max_extent=3,
                                              hyper=hyper)
        eq = einsum_equation(inputs, output)
        ops = [nrng.standard_normal([size[ix] for ix in t]) for t in inputs]
        opt = tnc.Optimizer(algorithm="hyper", max_time=0.2)
        got = oe.contract(eq, *ops, optimize=opt)
        want = np.einsum(eq, *ops, optimize=False)
        assert opt.last is not None and len(opt.last.path) == len(ops) - 1
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
        # opt_einsum's memory_limit reaches tnc.
        _, pinfo = oe.contract_path(eq, *ops, optimize=opt, memory_limit=64)
        assert opt.last.log2_width <= 6 + 1e-9 or opt.last.num_slices > 1


def test_einsum_path_with_arrays_shapes_and_ellipsis(tnc):
    a, b, c = np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 5))
    by_arrays = tnc.einsum_path("ab,bc,cd->ad", a, b, c)
    by_shapes = tnc.einsum_path("ab,bc,cd->ad", (2, 3), (3, 4), (4, 5))
    assert by_arrays.path == by_shapes.path
    assert 10 ** by_arrays.log10_cost == pytest.approx(min(2 * 3 * 4 + 2 * 4 * 5,
                                                           3 * 4 * 5 + 2 * 3 * 5))
    implicit = tnc.einsum_path("ab,bc", (2, 3), (3, 4))
    assert implicit.path == [(0, 1)]
    batched = tnc.einsum_path("...ab,...bc->...ac", (7, 2, 3), (7, 3, 4))
    assert 10 ** batched.log10_cost == pytest.approx(7 * 2 * 3 * 4)


def test_slicing_reports_original_labels(tnc):
    rng = random.Random(5)
    inputs, output, size = random_network(rng, 20, 20, open_count=0, max_extent=2)
    whole = tnc.optimize_path(inputs, output, size, algorithm="greedy")
    target = 2 ** max(1, int(whole.log2_width) - 3)
    info = tnc.optimize_path(inputs, output, size, algorithm="greedy", slice_target=target)
    assert info.log2_width <= math.log2(target) + 1e-9
    assert info.sliced_indices and all(ix in size for ix in info.sliced_indices)
    assert info.num_slices == math.prod(size[ix] for ix in info.sliced_indices)
    assert info.slice_overhead >= 1.0


def test_labels_may_be_any_hashable(tnc):
    inputs = [(("x", 0), 5), (5, 7.5), (7.5, None)]
    size = {("x", 0): 2, 5: 3, 7.5: 4, None: 5}
    info = tnc.optimize_path(inputs, [("x", 0), None], size)
    assert 10 ** info.log10_cost == pytest.approx(brute_force(inputs, [("x", 0), None], size))


def test_single_tensor_and_disconnected_networks(tnc):
    one = tnc.optimize_path(["ab"], "a", {"a": 2, "b": 3})
    assert one.path == []
    apart = tnc.optimize_path(["ab", "cd", "bc", "ef"], "adef",
                              {c: 2 for c in "abcdef"}, algorithm="hyper", max_time=0.1)
    assert len(apart.path) == 3


@pytest.mark.parametrize("call, message", [
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2}), "has no size"),
    (lambda t: t.optimize_path(["ab"], "z", {"a": 2, "b": 2}), "appears in no input"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 0, "b": 2}), "positive integers"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2.5, "b": 2}), "positive integers"),
    (lambda t: t.optimize_path([], "", {}), "at least one tensor"),
    (lambda t: t.optimize_path(["ab", "ba"], "aa", {"a": 2, "b": 2}), "output"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2, "b": 2}, algorithm="best"),
     "unknown algorithm"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2, "b": 2}, objective="speed"),
     "objective"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2, "b": 2}, objective="flops seed=1"),
     "invalid value"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2, "b": 2}, max_time=-1.0), "max-time"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2, "b": 2}, max_time=math.nan), "finite"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2, "b": 2}, repeats=-3), "non-negative"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2, "b": 2}, repeats=1.5), "integer"),
    (lambda t: t.optimize_path(["ab"], "a", {"a": 2, "b": 2}, slice_target=0.5),
     "at least 1"),
    (lambda t: t.optimize_path(["ab"] * 70 + ["b"], "", {"a": 2, "b": 2},
                               algorithm="optimal"), "optimal"),
    (lambda t: t.einsum_path("ab,bc->ac", (2, 3), (4, 5)), "extent"),
    (lambda t: t.einsum_path("ab,b?->a", (2, 3), (3, 4)), "'\\?' in equation at column 5"),
    (lambda t: t.einsum_path("ab->a", "oops"), "neither"),
    (lambda t: t.path_cost(["ab", "bc"], "ac", {c: 2 for c in "abc"}, [(0, 5)]),
     "invalid path"),
    (lambda t: t.Optimizer(algorithm="fast"), "unknown algorithm"),
])
def test_bad_input_raises(tnc, call, message):
    with pytest.raises(tnc.TncError, match=message):
        call(tnc)


def test_c_api_rejects_malformed_arrays(tnc):
    """Direct ctypes calls with out-of-range ids, negative ranks and NULL
    arrays: a status and a message, never a crash."""
    from tnc import _capi
    lib, i32, i64 = _capi.LIB, ctypes.c_int32, ctypes.c_int64

    def call(nt, ranks, idx, ni, ext, no, out, options=b""):
        res, err = ctypes.c_void_p(), ctypes.c_void_p()
        arr = lambda t, v: None if v is None else (t * max(1, len(v)))(*v)
        status = lib.tnc_optimize_path(nt, arr(i32, ranks), arr(i32, idx), ni, arr(i64, ext),
                                       no, arr(i32, out), options, ctypes.byref(res),
                                       ctypes.byref(err))
        msg = ctypes.string_at(err.value).decode() if err.value else ""
        lib.tnc_free(res.value)
        lib.tnc_free(err.value)
        return status, msg

    assert call(2, [2, 2], [0, 1, 1, 2], 3, [2, 2, 2], 2, [0, 2]) == (0, "")
    assert call(2, [2, 2], [0, 1, 1, 9], 3, [2, 2, 2], 0, [])[0] == 1
    assert call(2, [2, -1], [0, 1], 2, [2, 2], 0, [])[0] == 1
    assert call(2, None, None, 0, None, 0, None)[0] == 1
    assert call(0, [], [], 0, [], 0, [])[0] == 1
    assert call(1, [1], [0], 1, [-4], 0, [])[0] == 1
    assert call(1, [2], [0, 1], 2, [2, 2], 0, [])[0] == 0
    assert call(2, [1, 1], [0, 0], 2, [2, 2], 0, [])[0] == 1  # index 1 unused
    assert call(1, [1], [0], 1, [2], 0, [], b"bogus")[0] == 2
    assert call(1, [1], [0], 1, [2], 0, [], b"threads=99999999999")[0] == 2
    rng = random.Random(0)
    for _ in range(300):
        nt = rng.randint(-1, 4)
        ranks = [rng.randint(-1, 3) for _ in range(max(0, nt))]
        idx = [rng.randint(-2, 5) for _ in range(sum(max(0, r) for r in ranks))]
        ni = rng.randint(-1, 5)
        ext = [rng.randint(-1, 3) for _ in range(max(0, ni))]
        out = [rng.randint(-1, 5) for _ in range(rng.randint(0, 2))]
        status, msg = call(nt, ranks, idx, ni, ext, len(out), out)
        assert status == 0 or msg


def test_json_entry_point_matches_arrays(tnc, tools):
    net = json.loads(run([tools["tn-netgen"], "peps", "--lx=2", "--ly=3", "--bond=3"]).stdout)
    from tnc import _capi
    text = _capi.call(_capi.LIB.tnc_optimize_path_json, json.dumps(net).encode(),
                      b"algorithm=optimal")
    by_json = json.loads(text)
    by_arrays = tnc.optimize_path(net["inputs"], net.get("output", []), net["size_dict"],
                                  algorithm="optimal")
    assert by_json["log10_cost"] == pytest.approx(by_arrays.log10_cost, abs=1e-9)
    with pytest.raises(tnc.TncError, match="1:"):
        _capi.call(_capi.LIB.tnc_optimize_path_json, b"{not json", b"")


def test_same_path_as_the_pass(tnc, tools, tmp_path):
    """The package and tn-optimize-contraction-order share one implementation."""
    net_json = run([tools["tn-netgen"], "regular", "--n=40", "--degree=3", "--bond=2",
                    "--seed=4"]).stdout
    net = json.loads(net_json)
    ir = run([tools["tn-translate"], "--import-network"], stdin=net_json).stdout
    report = tmp_path / "r.json"
    run([tools["tn-opt"], "--tn-optimize-contraction-order=algorithm=random-greedy "
         f"repeats=16 seed=5 threads=2 remarks=false report-file={report}"], stdin=ir)
    entry = json.loads(report.read_text())[0]
    info = tnc.optimize_path(net["inputs"], net.get("output", []), net["size_dict"],
                             algorithm="random-greedy", repeats=16, seed=5, threads=2)
    assert [list(p) for p in info.path] == entry["path"]
    assert info.log10_cost == pytest.approx(entry["log10_cost"], abs=1e-6)  # rounded there


def test_numpy_integer_sizes_are_accepted(tnc):
    size = {"a": np.int64(2), "b": np.int32(3), "c": 4}
    info = tnc.optimize_path(["ab", "bc"], "ac", size)
    assert info.path == [(0, 1)] and 10 ** info.log10_cost == pytest.approx(24)
    with pytest.raises(tnc.TncError, match="up to 2"):
        tnc.optimize_path(["ab", "bc"], "ac", {"a": 2**70, "b": 3, "c": 4})
