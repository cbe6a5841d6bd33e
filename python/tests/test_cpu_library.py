"""End to end on the CPU: networks compiled into shared libraries, called
from Python (ctypes) and from C, compared with NumPy.

Each case is imported from JSON, compiled with the CPU pipeline into a shared
library (tn-translate --emit-shared-library) with its C header
(--emit-c-header), called on fresh random inputs, and compared with
numpy.einsum in float64/complex128: relative Frobenius error <= 1e-5 for
f32 and complex<f32> (and bf16 inputs accumulated in f32), <= 1e-12 for f64
and complex<f64>, <= 1e-2 where the result itself is rounded to bf16."""
import ctypes
import json
import re
import shutil
import subprocess
import zlib

import numpy as np
import pytest

from conftest import run

import os
import shlex

PIPELINE = shlex.split(os.environ.get("TNC_TEST_CPU_PIPELINE", "--tn-cpu-pipeline"))

NETWORKS = {
    "chain": ("ab,bc,cd,de->ae", [(5, 7), (7, 3), (3, 8), (8, 4)]),
    "gemm": ("ik,kj->ij", [(33, 17), (17, 29)]),
    "transposed": ("ki,jk->ij", [(12, 9), (10, 12)]),
    "trace": ("iij,jk->k", [(4, 4, 5), (5, 3)]),
    "trace-scalar": ("ii->", [(6, 6)]),
    "batch": ("bij,bjk->bik", [(3, 4, 5), (3, 5, 2)]),
    "hyper-batch": ("bij,bjk,bk->bik", [(3, 4, 5), (3, 5, 2), (3, 2)]),
    "hyper-summed": ("ia,ib,ic->abc", [(6, 2), (6, 3), (6, 4)]),
    "outer": ("i,jk->ijk", [(3,), (2, 4)]),
    "outer-chain": ("a,b,c->abc", [(2,), (3,), (4,)]),
    "scalar": ("ab,bc,ca->", [(3, 4), (4, 5), (5, 3)]),
    "inner": ("abc,abc->", [(3, 4, 5), (3, 4, 5)]),
    "permuted": ("abcd,dbe->eca", [(3, 4, 5, 6), (6, 4, 7)]),
    # Products batched over the larger operand's leading free index, the
    # smaller operand broadcast (convert-tn-to-linalg's outer loops).
    "broadcast-batch": ("ior,birpq->bopq", [(3, 5, 2), (16, 3, 2, 4, 5)]),
    "broadcast-mixed": ("xbk,bkn->xbn", [(6, 4, 32), (4, 32, 48)]),
    # Short result rows (4, 10 elements) and long columns: vectors along the
    # columns, register tiles stored transposed (with an outer loop, and
    # with two outer indices fused into one loop).
    "short-rows": ("kij,lk->ijl", [(16, 48, 40), (4, 16)]),
    "short-rows-batched": ("bkq,kp->bpq", [(6, 96, 10), (96, 64)]),
    "short-rows-outer": ("bckq,kp->bcpq", [(3, 4, 96, 10), (96, 80)]),
    # The TT layer of the benchmark with batch 64: its last step is one.
    "tt-layer": ("bijk,ior,rjps,skq->bopq",
                 [(64, 8, 16, 16), (8, 10, 8), (8, 16, 10, 8), (8, 16, 10)]),
}

# Cases whose lowering must use the broadcast form (checked below, so that
# the numerical tests above cover it).
BROADCAST_CASES = ["broadcast-batch", "broadcast-mixed", "tt-layer"]
SHORT_ROW_CASES = ["short-rows", "short-rows-batched", "short-rows-outer"]

DTYPES = {
    "float32": (np.float32, 1e-5),
    "float64": (np.float64, 1e-12),
    "complex64": (np.complex64, 1e-5),
    "complex128": (np.complex128, 1e-12),
    "bfloat16": (np.uint16, 1e-2),
}


def to_bf16(x):
    """Rounds float32 values to bfloat16 (nearest even); returns the bits."""
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def random_array(rng, shape, dtype):
    if dtype == "bfloat16":
        return to_bf16(rng.standard_normal(shape))
    x = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return np.ascontiguousarray(x, dtype=DTYPES[dtype][0])


def as_reference(a, dtype):
    if dtype == "bfloat16":
        return from_bf16(a).astype(np.float64)
    return a.astype(np.complex128 if dtype.startswith("complex") else np.float64)


def compile_library(tools, mlir_text, tmp_path, stem):
    lowered = run([tools["tn-opt"], *PIPELINE], stdin=mlir_text.encode()).stdout
    (tmp_path / f"{stem}.ll.mlir").write_bytes(lowered)
    lib = tmp_path / f"lib{stem}.so"
    header = tmp_path / f"{stem}.h"
    run([tools["tn-translate"], "--emit-shared-library", "-o", str(lib)], stdin=lowered)
    run([tools["tn-translate"], "--emit-c-header", "-o", str(header)], stdin=lowered)
    return lib, header


def call(lib_path, name, inputs, out_shape, out_dtype):
    lib = ctypes.CDLL(str(lib_path))
    fn = lib[f"tn_{name}"]
    fn.restype = ctypes.c_int32
    out = np.zeros(out_shape, dtype=out_dtype)
    args = [ctypes.c_void_p(a.ctypes.data) for a in inputs] + [ctypes.c_void_p(out.ctypes.data)]
    fn.argtypes = [ctypes.c_void_p] * len(args)
    status = fn(*args)
    return status, out


def rel_error(got, expected):
    return np.linalg.norm(np.asarray(got - expected).ravel()) / max(
        np.linalg.norm(np.asarray(expected).ravel()), 1e-300)


def output_shape(equation, shapes):
    ins, out = equation.split("->")
    sizes = {}
    for term, shape in zip(ins.split(","), shapes):
        sizes.update(zip(term, shape))
    return tuple(sizes[c] for c in out)


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@pytest.mark.parametrize("case", sorted(NETWORKS))
def test_shared_library_from_python(tools, tmp_path, case, dtype):
    equation, shapes = NETWORKS[case]
    name = case.replace("-", "_")
    net = {"equation": equation, "shapes": [list(s) for s in shapes], "dtype": dtype,
           "name": name}
    ir = run([tools["tn-translate"], "--import-network"],
             stdin=json.dumps(net).encode()).stdout.decode()
    lib, header = compile_library(tools, ir, tmp_path, name)
    assert f"int32_t tn_{name}(" in header.read_text()
    # crc32, not hash(): str hashes change with every interpreter (PYTHONHASHSEED),
    # which made the inputs, and a failure, unreproducible.
    rng = np.random.default_rng(zlib.crc32(f"{case}/{dtype}".encode()))
    np_dtype, tol = DTYPES[dtype]
    for trial in range(2):  # fresh inputs each call
        arrays = [random_array(rng, s, dtype) for s in shapes]
        status, out = call(lib, name, arrays, output_shape(equation, shapes), np_dtype)
        assert status == 0
        expected = np.einsum(equation, *[as_reference(a, dtype) for a in arrays],
                             optimize=True)
        got = as_reference(out, dtype)
        err = rel_error(got, expected)
        assert err <= tol, f"{case} {dtype}: relative error {err:.3g} > {tol}"


@pytest.mark.parametrize("case", BROADCAST_CASES)
def test_broadcast_cases_take_the_broadcast_form(tools, case):
    """The cases above meant for the broadcast form get it: a linalg.generic
    GEMM whose operands have fewer dimensions than its loops, and no copy of
    the larger operand or of the result."""
    equation, shapes = NETWORKS[case]
    net = {"equation": equation, "shapes": [list(s) for s in shapes], "name": "n"}
    ir = run([tools["tn-translate"], "--import-network"],
             stdin=json.dumps(net).encode()).stdout
    linalg = run([tools["tn-opt"], "--tn-optimize-contraction-order=objective=combo-512",
                  "--tn-expand-network", "--convert-tn-to-linalg"], stdin=ir).stdout.decode()
    generics = [l for l in linalg.splitlines() if "linalg.generic" in l and '"reduction"' in l]
    maps = dict(l.split(" = affine_map<", 1) for l in linalg.splitlines()
                if l.startswith("#map"))

    def dims(name):  # the loop dims an affine map reads
        return [d.strip() for d in maps[name].split("->")[1].strip(" ()>").split(",")]

    def elements(text):  # of the first tensor type in text
        shape = text.split("tensor<")[1].split(">")[0].split("x")[:-1]
        return int(np.prod([int(d) for d in shape]))
    larger = 0  # elements of the larger operand of a broadcast product
    for line in generics:
        names = line.split("indexing_maps = [")[1].split("]")[0].split(", ")
        if line.count('"reduction"') != 1 or len(names) != 3:
            continue
        a, b, out = (dims(n) for n in names)
        # Result dims by holder: both operands (b), one of them (l or r).
        # TTGT's plain products are ordered [batch, one side, other side].
        sig = "".join("b" if d in a and d in b else "l" if d in a else "r" for d in out)
        if re.fullmatch(r"b*(l*r*|r*l*)", sig) is None:
            types = line.split(" : ")[1].split(")")[0].split(", ")
            larger = max(larger, *(elements(t) for t in types))
    assert larger, linalg
    for line in linalg.splitlines():
        if "linalg.transpose" in line:
            assert elements(line.split("ins(")[1]) < larger, line


@pytest.mark.parametrize("case", SHORT_ROW_CASES)
def test_short_row_cases_vectorize_the_columns(tools, case):
    """The cases above meant for transposed register tiles get them: the
    product's last parallel loop is not the result's innermost dimension,
    nothing larger than the smaller operand is copied, and the schedule
    vectorizes it (FMAs on 16-wide vectors, a transpose per register tile)."""
    equation, shapes = NETWORKS[case]
    net = {"equation": equation, "shapes": [list(s) for s in shapes], "name": "n"}
    ir = run([tools["tn-translate"], "--import-network"],
             stdin=json.dumps(net).encode()).stdout
    linalg = run([tools["tn-opt"], "--tn-optimize-contraction-order",
                  "--tn-expand-network", "--convert-tn-to-linalg"], stdin=ir).stdout
    text = linalg.decode()
    maps = dict(l.split(" = affine_map<", 1) for l in text.splitlines()
                if l.startswith("#map"))
    generics = [l for l in text.splitlines() if "linalg.generic" in l and '"reduction"' in l]
    assert len(generics) == 1, text
    names = generics[0].split("indexing_maps = [")[1].split("]")[0].split(", ")
    iterators = generics[0].split("iterator_types = [")[1].split("]")[0].split(", ")
    last_parallel = max(i for i, t in enumerate(iterators) if "parallel" in t)
    out = maps[names[2]].split("->")[1].strip(" ()>").split(",")
    assert out[-1].strip() != f"d{last_parallel}", generics[0]
    # One loop per group: outer (the two of "short-rows-outer" fused), Q, P, K.
    expected_loops = 3 if case == "short-rows" else 4
    assert len(iterators) == expected_loops, generics[0]
    smaller = min(int(np.prod(s)) for s in shapes)
    for line in text.splitlines():
        if "linalg.transpose" in line:
            shape = line.split("ins(")[1].split("tensor<")[1].split(">")[0].split("x")[:-1]
            assert int(np.prod([int(d) for d in shape])) <= smaller, line
    scheduled = run([tools["tn-opt"], "--tn-cpu-schedule=target=x86-64-avx512"],
                    stdin=linalg).stdout.decode()
    assert "vector.transpose" in scheduled
    assert re.search(r"vector\.fma .* : vector<(16|32|64)xf32>", scheduled), scheduled


def test_bf16_inputs_f32_result(tools, tmp_path):
    """bf16 operands, f32 accumulation and result (the network's result type)."""
    ir = """
func.func @mixed(%a: tensor<16x24xbf16>, %b: tensor<24x8xbf16>, %c: tensor<8x12xbf16>) -> tensor<16x12xf32> {
  %0 = tn.network "ij,jk,kl->il" (%a, %b, %c) : (tensor<16x24xbf16>, tensor<24x8xbf16>, tensor<8x12xbf16>) -> tensor<16x12xf32>
  return %0 : tensor<16x12xf32>
}
"""
    lib, header = compile_library(tools, ir, tmp_path, "mixed")
    text = header.read_text()
    assert "int32_t tn_mixed(const uint16_t *in0, const uint16_t *in1, const uint16_t *in2, float *out0);" in text
    rng = np.random.default_rng(11)
    arrays = [to_bf16(rng.standard_normal(s)) for s in [(16, 24), (24, 8), (8, 12)]]
    status, out = call(lib, "mixed", arrays, (16, 12), np.float32)
    assert status == 0
    expected = np.einsum("ij,jk,kl->il", *[from_bf16(a).astype(np.float64) for a in arrays])
    assert rel_error(out, expected) <= 1e-5


C_DRIVER = r"""
#include "%(header)s"
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 12345;
static double next_value(void) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(state >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

int main(int argc, char **argv) {
  %(decls)s
  %(fill)s
  int status = tn_%(name)s(%(args)s);
  if (status != TN_OK) { fprintf(stderr, "status %%d\n", status); return 2; }
  FILE *f = fopen(argv[1], "wb");
  if (!f) return 3;
  %(dump)s
  fclose(f);
  return 0;
}
"""


def random_short_row_product(rng):
    """A pairwise product with short result rows: batch, left-only (P, at
    least 16 elements), right-only (Q, 2-15) and contracted indices in random
    orders in each operand and in the result (whose last index is Q's)."""
    letters = iter("abcdefghij")
    groups = {"batch": [], "p": [], "q": [], "k": []}
    extent = {}
    for group, count, choices in (("batch", rng.integers(0, 2), [2, 3]),
                                  ("p", rng.integers(1, 3), [16, 24, 48]),
                                  ("q", rng.integers(1, 3), [2, 3, 5, 7]),
                                  ("k", rng.integers(1, 3), [16, 32, 48])):
        for _ in range(count):
            name = next(letters)
            groups[group].append(name)
            extent[name] = int(rng.choice(choices))
    if np.prod([extent[x] for x in groups["p"]]) < 16:
        extent[groups["p"][0]] = 16
    if np.prod([extent[x] for x in groups["q"]]) > 15:
        extent[groups["q"][0]] = 2
    # Half of the left operands are in the order the transposed tiles read
    # in place ([batch, k, p], each group permuted).
    if rng.random() < 0.5:
        left = [x for g in ("batch", "k", "p") for x in rng.permutation(groups[g])]
    else:
        left = list(rng.permutation(groups["batch"] + groups["p"] + groups["k"]))
    right = list(rng.permutation(groups["batch"] + groups["k"] + groups["q"]))
    head = list(rng.permutation(groups["batch"] + groups["p"] + groups["q"][:-1]))
    out = head + groups["q"][-1:]
    equation = "".join(left) + "," + "".join(right) + "->" + "".join(out)
    shapes = [tuple(extent[x] for x in left), tuple(extent[x] for x in right)]
    return equation, shapes


def test_random_short_row_products(tools, tmp_path):
    """Random products with short result rows, in every index order, compiled
    and compared with NumPy (f32 and f64); most of them take the transposed
    register tiles (checked, so that the test exercises them)."""
    rng = np.random.default_rng(20261123)
    transposed = 0
    for case in range(12):
        equation, shapes = random_short_row_product(rng)
        for dtype in ("float32", "float64"):
            net = {"equation": equation, "shapes": [list(x) for x in shapes],
                   "dtype": dtype, "name": "r"}
            ir = run([tools["tn-translate"], "--import-network"],
                     stdin=json.dumps(net).encode()).stdout
            if dtype == "float32":
                linalg = run([tools["tn-opt"], "--tn-optimize-contraction-order",
                              "--tn-expand-network", "--convert-tn-to-linalg"],
                             stdin=ir).stdout.decode()
                maps = dict(l.split(" = affine_map<", 1) for l in linalg.splitlines()
                            if l.startswith("#map"))
                for line in linalg.splitlines():
                    if "linalg.generic" not in line or '"reduction"' not in line:
                        continue
                    names = line.split("indexing_maps = [")[1].split("]")[0].split(", ")
                    its = line.split("iterator_types = [")[1].split("]")[0].split(", ")
                    last = max(i for i, t in enumerate(its) if "parallel" in t)
                    res = maps[names[-1]].split("->")[1].strip(" ()>").split(",")
                    transposed += res[-1].strip() != f"d{last}"
            lib, _ = compile_library(tools, ir.decode(), tmp_path, f"r{case}{dtype}")
            arrays = [random_array(rng, x, dtype) for x in shapes]
            status, got = call(lib, "r", arrays, output_shape(equation, shapes),
                               DTYPES[dtype][0])
            assert status == 0
            expected = np.einsum(equation, *[a.astype(np.float64) for a in arrays])
            err = rel_error(got.astype(np.float64), expected)
            assert err <= DTYPES[dtype][1], f"{equation} {shapes} {dtype}: {err:.3g}"
    assert transposed >= 4, transposed


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
@pytest.mark.parametrize("dtype,ctype", [("float32", "float"), ("float64", "double")])
def test_shared_library_from_c(tools, tmp_path, dtype, ctype):
    """A C program includes the generated header, links the library, calls
    tn_<name> on its own inputs and writes inputs and output for NumPy."""
    equation, shapes = NETWORKS["permuted"]
    name = "permuted"
    net = {"equation": equation, "shapes": [list(s) for s in shapes], "dtype": dtype,
           "name": name}
    ir = run([tools["tn-translate"], "--import-network"],
             stdin=json.dumps(net).encode()).stdout.decode()
    lib, header = compile_library(tools, ir, tmp_path, name)
    macro = f"TN_{name.upper()}"
    decls, fill, dump, args = [], [], [], []
    for k in range(len(shapes)):
        decls.append(f"static {ctype} in{k}[{macro}_IN{k}_ELEMENTS];")
        fill.append(f"for (int i = 0; i < {macro}_IN{k}_ELEMENTS; ++i) in{k}[i] = ({ctype})next_value();")
        dump.append(f"fwrite(in{k}, sizeof({ctype}), {macro}_IN{k}_ELEMENTS, f);")
        args.append(f"in{k}")
    decls.append(f"static {ctype} out0[{macro}_OUT0_ELEMENTS];")
    dump.append(f"fwrite(out0, sizeof({ctype}), {macro}_OUT0_ELEMENTS, f);")
    args.append("out0")
    src = tmp_path / "driver.c"
    src.write_text(C_DRIVER % {"header": header, "decls": "\n  ".join(decls),
                               "fill": "\n  ".join(fill), "dump": "\n  ".join(dump),
                               "name": name, "args": ", ".join(args)})
    exe = tmp_path / "driver"
    run(["cc", "-std=c99", "-Wall", "-Werror", "-o", str(exe), str(src), str(lib),
         f"-Wl,-rpath,{tmp_path}"])
    data_file = tmp_path / "data.bin"
    run([str(exe), str(data_file)])
    np_dtype = np.float32 if dtype == "float32" else np.float64
    data = np.fromfile(data_file, dtype=np_dtype)
    arrays, offset = [], 0
    for s in shapes:
        n = int(np.prod(s))
        arrays.append(data[offset:offset + n].reshape(s).astype(np.float64))
        offset += n
    out = data[offset:]
    expected = np.einsum(equation, *arrays).ravel()
    tol = 1e-5 if dtype == "float32" else 1e-12
    assert rel_error(out, expected) <= tol
