"""tnc's cost model agrees with opt_einsum's on the same paths.

For networks from every generator (hyperedges, open indices, batch indices
included) and random complete paths, the log10 FLOP count and the largest
intermediate that `tn-translate --export-summary` reports for the network's
path attribute equal what `opt_einsum.contract_path` computes for the same
path in its linear format."""
import json
import math
import random
import re
import zlib

import opt_einsum as oe
import pytest

from conftest import run

GENERATORS = [
    ["regular", "--n=12", "--degree=3", "--bond=3", "--seed=2"],
    ["lattice", "--lx=3", "--ly=4", "--bond=2"],
    ["peps", "--lx=2", "--ly=3", "--bond=3", "--phys=2"],
    ["mps-mpo", "--length=5", "--chi=8", "--mpo-bond=3", "--phys=2"],
    ["tt", "--in-modes=4,8,4", "--out-modes=5,5,4", "--rank=3", "--batch=16"],
    ["circuit", "--qubits=4", "--depth=3", "--seed=1", "--diagonal", "--open=2"],
    ["hypergraph", "--tensors=10", "--indices=14", "--max-degree=4", "--open=2",
     "--extent=3", "--seed=4"],
    ["chain", "--dims=5,3,7,2,6"],
]


def random_ssa_path(n, rng):
    live = list(range(n))
    path = []
    for k in range(n - 1):
        a, b = rng.sample(live, 2)
        live.remove(a)
        live.remove(b)
        live.append(n + k)
        path.append((a, b))
    return path


def ssa_to_linear(n, ssa):
    current = list(range(n))
    linear = []
    for k, (a, b) in enumerate(ssa):
        i, j = sorted((current.index(a), current.index(b)))
        linear.append((i, j))
        del current[j]
        del current[i]
        current.append(n + k)
    return linear


def einsum_of(net):
    """The network as an opt_einsum equation and operand shapes."""
    symbols = {}

    def sym(name):
        if name not in symbols:
            symbols[name] = oe.get_symbol(len(symbols))
        return symbols[name]

    terms = ["".join(sym(i) for i in t) for t in net["inputs"]]
    eq = ",".join(terms) + "->" + "".join(sym(i) for i in net.get("output", []))
    shapes = [tuple(net["size_dict"][i] for i in t) for t in net["inputs"]]
    return eq, shapes


def opt_einsum_cost(net, linear):
    eq, shapes = einsum_of(net)
    _, info = oe.contract_path(eq, *shapes, shapes=True, optimize=linear)
    return math.log10(float(info.opt_cost)), math.log2(float(info.largest_intermediate))


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g[0])
def test_path_costs_match_opt_einsum(tools, gen):
    net_json = run([tools["tn-netgen"], *gen]).stdout
    net = json.loads(net_json)
    n = len(net["inputs"])
    ir = run([tools["tn-translate"], "--import-network"], stdin=net_json).stdout.decode()
    rng = random.Random(zlib.crc32(gen[0].encode()))
    for trial in range(5):
        ssa = random_ssa_path(n, rng)
        attr = "{path = #tn.path<" + ", ".join(f"({a}, {b})" for a, b in ssa) + ">}"
        lines = ir.splitlines()
        for k, line in enumerate(lines):
            if "tn.network" in line:
                cut = line.rindex(" : (")
                lines[k] = line[:cut] + " " + attr + line[cut:]
        summary = run([tools["tn-translate"], "--export-summary"],
                      stdin="\n".join(lines).encode()).stdout.decode()
        m = re.search(r"path attribute: log10 cost ([^,]+), log10 flops ([^,]+), "
                      r"log2 width ([^,]+),", summary)
        assert m, summary
        flops, width = float(m.group(2)), float(m.group(3))
        ref_flops, ref_width = opt_einsum_cost(net, ssa_to_linear(n, ssa))
        assert flops == pytest.approx(ref_flops, abs=2e-3), (gen, ssa)
        # opt_einsum counts the output as an intermediate as well.
        assert width == pytest.approx(ref_width, abs=2e-2), (gen, ssa)


def opt_einsum_greedy_ssa(net):
    """opt_einsum's greedy path, as an SSA path."""
    eq, shapes = einsum_of(net)
    path, _ = oe.contract_path(eq, *shapes, shapes=True, optimize="greedy")
    # Re-score opt_einsum's path in tnc's units through an SSA path attribute.
    n = len(shapes)
    current, ssa = list(range(n)), []
    for k, step in enumerate(path):
        i, j = sorted(step)
        ssa.append((current[i], current[j]))
        del current[j]
        del current[i]
        current.append(n + k)
    return ssa


@pytest.mark.parametrize("gen", GENERATORS[:7] + [
    ["regular", "--n=100", "--degree=3", "--bond=2", "--seed=3"],
    ["lattice", "--lx=3", "--ly=3", "--lz=3", "--bond=2"],
], ids=lambda g: g[0] + ("-" + g[1] if g[0] in ("regular", "lattice") else ""))
def test_greedy_is_no_worse_than_opt_einsum(tools, gen):
    """tnc's greedy uses opt_einsum's queue discipline and score, so its
    cost never exceeds opt_einsum greedy's on the same network (equal up to
    ties)."""
    net_json = run([tools["tn-netgen"], *gen]).stdout
    net = json.loads(net_json)
    ir = run([tools["tn-translate"], "--import-network"], stdin=net_json).stdout.decode()
    out = run([tools["tn-opt"], "--tn-optimize-contraction-order=algorithm=greedy remarks=false"],
              stdin=ir.encode())
    ours = run([tools["tn-translate"], "--export-summary"], stdin=out.stdout).stdout.decode()
    ours_cost = float(re.search(r"path attribute: log10 cost ([^,]+),", ours).group(1))
    ssa = opt_einsum_greedy_ssa(net)
    attr = "{path = #tn.path<" + ", ".join(f"({a}, {b})" for a, b in ssa) + ">}"
    lines = ir.splitlines()
    for k, line in enumerate(lines):
        if "tn.network" in line:
            cut = line.rindex(" : (")
            lines[k] = line[:cut] + " " + attr + line[cut:]
    theirs = run([tools["tn-translate"], "--export-summary"],
                 stdin="\n".join(lines).encode()).stdout.decode()
    theirs_cost = float(re.search(r"path attribute: log10 cost ([^,]+),", theirs).group(1))
    assert ours_cost <= theirs_cost + 1e-3, (gen, ours_cost, theirs_cost)
