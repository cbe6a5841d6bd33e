"""End to end: networks contracted by the compiled code equal NumPy's einsum.

Each case imports a generated network, chooses an order (optionally with
slicing), expands it into tn.contract (and slice loops), lowers to linalg and
LLVM, runs it with mlir-runner on random inputs embedded as constants, and
compares the printed result with numpy.einsum in float64 (relative Frobenius
error <= 1e-5: the runner prints 6 significant digits)."""
import json
import re
import shutil
import subprocess

import numpy as np
import opt_einsum as oe
import pytest

from conftest import BIN, run

LLVM_LIB = "/usr/lib/llvm-22/lib"
RUNNER = "/usr/lib/llvm-22/bin/mlir-runner"

LOWER = [
    "--convert-tn-to-linalg",
    "--one-shot-bufferize=bufferize-function-boundaries",
    "--convert-linalg-to-loops", "--convert-scf-to-cf", "--expand-strided-metadata",
    "--lower-affine", "--finalize-memref-to-llvm", "--convert-complex-to-llvm",
    "--convert-arith-to-llvm", "--convert-cf-to-llvm", "--convert-func-to-llvm",
    "--reconcile-unrealized-casts",
]

CASES = {
    "chain": (["chain", "--dims=3,4,5,2,3"], ""),
    "chain-sliced": (["chain", "--dims=3,4,5,2,3"], "slice-target=4"),
    "tt": (["tt", "--in-modes=2,3,2", "--out-modes=3,2,2", "--rank=2", "--batch=3"], ""),
    "tt-sliced": (["tt", "--in-modes=2,3,2", "--out-modes=3,2,2", "--rank=2", "--batch=3"],
                  "slice-target=8"),
    "peps": (["peps", "--lx=2", "--ly=2", "--bond=2", "--phys=2"], "algorithm=greedy"),
    "mps-mpo": (["mps-mpo", "--length=4", "--chi=3", "--mpo-bond=2", "--phys=2"],
                "algorithm=partition repeats=4"),
    "circuit-hyper": (["circuit", "--qubits=4", "--depth=3", "--diagonal", "--open=2",
                       "--seed=5"], "algorithm=hyper repeats=8"),
    "circuit-hyper-sliced": (["circuit", "--qubits=4", "--depth=3", "--diagonal", "--open=2",
                              "--seed=5"], "slice-target=2"),
    "hypergraph": (["hypergraph", "--tensors=7", "--indices=9", "--max-degree=3",
                    "--open=2", "--extent=2", "--seed=3"], "algorithm=random-greedy repeats=8"),
    "hypergraph-sliced": (["hypergraph", "--tensors=7", "--indices=9", "--max-degree=3",
                           "--open=2", "--extent=2", "--seed=3"], "slice-target=4"),
    "regular": (["regular", "--n=8", "--degree=3", "--bond=2", "--seed=1"], ""),
}

EQUATIONS = {
    # traces, hyperedges kept in the output, outer products, scalars
    "trace-hyper": ('{"equation": "iij,jk,jl->jkl", "shapes": [[2,2,3],[3,2],[3,4]]}', ""),
    "trace-hyper-sliced": ('{"equation": "iij,jk,jl->jkl", "shapes": [[2,2,3],[3,2],[3,4]]}',
                           "slice-target=2"),
    "outer": ('{"equation": "i,j,k->ijk", "shapes": [[2],[3],[2]]}', ""),
    "scalar": ('{"equation": "ab,bc,ca->", "shapes": [[2,3],[3,4],[4,2]]}', ""),
    "single-trace": ('{"equation": "iij->j", "shapes": [[3,3,2]]}', ""),
    # No intermediates: nothing to slice, the target is met trivially.
    "single-target": ('{"equation": "iij->j", "shapes": [[3,3,2]]}', "slice-target=1"),
    # TTGT layouts: batch indices, transposed operands and result, swapped
    # GEMM operands, indices summed inside one operand, matrix-vector.
    "ttgt-batch-transposed": ('{"equation": "bkil,lbmj->jibm", '
                              '"shapes": [[3,2,4,5],[5,3,2,3]]}', ""),
    "ttgt-swapped": ('{"equation": "ik,jk->ji", "shapes": [[4,5],[3,5]]}', ""),
    "ttgt-matvec": ('{"equation": "ijk,jk->i", "shapes": [[4,3,5],[3,5]]}', ""),
    "ttgt-vecmat-trace": ('{"equation": "jj,jk,kl->l", "shapes": [[3,3],[3,5],[5,2]]}', ""),
    # Outer loops: the larger operand's leading free index batches the
    # product, the smaller operand is broadcast (alone, and with a batch
    # index after a free one).
    "ttgt-broadcast": ('{"equation": "ior,birpq->bopq", '
                       '"shapes": [[3,5,2],[16,3,2,4,5]]}', ""),
    "ttgt-broadcast-mixed": ('{"equation": "xbk,bkn->xbn", '
                             '"shapes": [[3,2,5],[2,5,4]]}', ""),
}


def dense(a: np.ndarray) -> str:
    if a.ndim == 0:
        return repr(float(a))
    return "[" + ", ".join(dense(x) for x in a) + "]"


def tensor_type(shape) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f64>"


def einsum_reference(net, arrays):
    if "equation" in net:
        return np.einsum(net["equation"], *arrays)
    symbols = {}

    def sym(i):
        if i not in symbols:
            symbols[i] = oe.get_symbol(len(symbols))
        return symbols[i]
    eq = ",".join("".join(sym(i) for i in t) for t in net["inputs"])
    eq += "->" + "".join(sym(i) for i in net.get("output", []))
    return oe.contract(eq, *arrays)


def run_case(tools, net_json: str, opt_options: str, tmp_path, strategy="auto"):
    net = json.loads(net_json)
    net["dtype"] = "float64"
    net_json = json.dumps(net)
    ir = run([tools["tn-translate"], "--import-network"], stdin=net_json.encode()).stdout.decode()
    # Shapes, in input order, from the imported function signature.
    sig = re.search(r"func\.func @(\w+)\((.*?)\) -> (tensor<[^>]*>)", ir)
    name, args, result_type = sig.group(1), sig.group(2), sig.group(3)
    shapes = [tuple(int(d) for d in re.findall(r"(\d+)x", t))
              for t in re.findall(r"tensor<([^>]*)>", args)]
    rng = np.random.default_rng(7)
    arrays = [rng.standard_normal(s) for s in shapes]
    lines = [ir.rstrip().rstrip("}").rstrip(), "  func.func @main() {"]
    for k, a in enumerate(arrays):
        lines.append(f"    %in{k} = arith.constant dense<{dense(a)}> : {tensor_type(a.shape)}")
    operands = ", ".join(f"%in{k}" for k in range(len(arrays)))
    types = ", ".join(tensor_type(a.shape) for a in arrays)
    lines.append(f"    %r = func.call @{name}({operands}) : ({types}) -> {result_type}")
    lines.append(f"    %u = tensor.cast %r : {result_type} to tensor<*xf64>")
    lines.append("    func.call @printMemrefF64(%u) : (tensor<*xf64>) -> ()")
    lines.append("    return\n  }")
    lines.append("  func.func private @printMemrefF64(tensor<*xf64>)\n}")
    source = tmp_path / "main.mlir"
    source.write_text("\n".join(lines))

    order = [tools["tn-opt"], str(source),
             f"--tn-optimize-contraction-order=remarks=false {opt_options}".strip(),
             "--tn-expand-network"]
    expanded = run(order).stdout
    lower = [f"--convert-tn-to-linalg=strategy={strategy}", *LOWER[1:]]
    lowered = run([tools["tn-opt"], *lower], stdin=expanded).stdout
    out = run([RUNNER, "-e", "main", "-entry-point-result=void",
               f"-shared-libs={LLVM_LIB}/libmlir_runner_utils.so,"
               f"{LLVM_LIB}/libmlir_c_runner_utils.so"], stdin=lowered).stdout.decode()
    data = out.split("data =", 1)[1]
    values = np.array([float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?|-?nan|-?inf", data)])
    expected = np.asarray(einsum_reference(net, arrays)).reshape(-1)
    assert values.shape == expected.shape, (values, expected)
    err = np.linalg.norm(values - expected) / max(np.linalg.norm(expected), 1e-300)
    assert err <= 1e-5, f"relative error {err}:\n{values}\n{expected}"
    return expanded.decode()


@pytest.mark.skipif(shutil.which(RUNNER) is None and not __import__("os").path.exists(RUNNER),
                    reason="mlir-runner not installed")
@pytest.mark.parametrize("strategy", ["generic", "ttgt"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_networks(tools, tmp_path, case, strategy):
    gen, options = CASES[case]
    net_json = run([tools["tn-netgen"], *gen]).stdout.decode()
    expanded = run_case(tools, net_json, options, tmp_path, strategy)
    if "sliced" in case:
        assert "scf.for" in expanded, "expected a slice loop"


@pytest.mark.parametrize("strategy", ["generic", "ttgt"])
@pytest.mark.parametrize("case", sorted(EQUATIONS))
def test_equations(tools, tmp_path, case, strategy):
    net_json, options = EQUATIONS[case]
    expanded = run_case(tools, net_json, options, tmp_path, strategy)
    if "sliced" in case:
        assert "scf.for" in expanded, "expected a slice loop"
