"""The CPU code-generation pipeline on linalg, end to end.

Each case is a module of linalg-on-tensors functions (what convert-tn-to-linalg
produces), lowered with `tn-opt --tn-cpu-codegen`, translated with
mlir-translate, compiled with llc into a shared library, called through its
`_mlir_ciface_` wrapper with memref descriptors (results are trailing
out-parameters), and compared with NumPy on random inputs: relative Frobenius
error <= 1e-5 for f32, complex<f32> and bf16 inputs accumulated in f32,
<= 1e-12 for f64. The shapes are chosen so that the schedule splits off edges
along both register-tiled dimensions and, threaded, forms an OpenMP loop."""
import ctypes
import os
import shutil
import subprocess

import numpy as np
import pytest

from conftest import run

LLVM_BIN = "/usr/lib/llvm-22/bin"
LLVM_LIB = "/usr/lib/llvm-22/lib"


def llvm_tool(name):
    path = os.path.join(LLVM_BIN, name)
    return path if os.path.exists(path) else shutil.which(name + "-22")


TRANSLATE = llvm_tool("mlir-translate")
LLC = llvm_tool("llc")
CC = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
HAVE_OMP = os.path.exists(os.path.join(LLVM_LIB, "libomp.so"))

pytestmark = pytest.mark.skipif(
    not (TRANSLATE and LLC and CC),
    reason="mlir-translate-22, llc-22 and a C compiler are needed")

F32 = (np.float32, "f32", 1e-5)
F64 = (np.float64, "f64", 1e-12)


def tensor(shape, elt):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elt + ">"


def contraction(name, spec, shapes, elt="f32", in_elt=None):
    """A linalg.generic contraction `spec` ("aebf,fced->abcd") as a func."""
    in_elt = in_elt or elt
    ins, out = spec.split("->")
    a, b = ins.split(",")
    loops = sorted(set(a + b + out), key=(a + b + out).index)
    extents = {}
    for idx, shape in zip((a, b), shapes):
        extents.update(zip(idx, shape))
    out_shape = [extents[i] for i in out]
    dims = ", ".join(loops)

    def amap(idx):
        return f"affine_map<({dims}) -> ({', '.join(idx)})>"
    iters = ", ".join('"parallel"' if i in out else '"reduction"' for i in loops)
    ta, tb = tensor(shapes[0], in_elt), tensor(shapes[1], in_elt)
    tc = tensor(out_shape, elt)
    if elt.startswith("complex"):
        zero = f"complex.constant [0.0 : {elt[8:-1]}, 0.0 : {elt[8:-1]}] : {elt}"
        body = (f"    %m = complex.mul %x, %y : {elt}\n"
                f"    %s = complex.add %acc, %m : {elt}\n")
    else:
        zero = f"arith.constant 0.0 : {elt}"
        body = ""
        x, y = "%x", "%y"
        if in_elt != elt:
            body += (f"    %xe = arith.extf %x : {in_elt} to {elt}\n"
                     f"    %ye = arith.extf %y : {in_elt} to {elt}\n")
            x, y = "%xe", "%ye"
        body += (f"    %m = arith.mulf {x}, {y} : {elt}\n"
                 f"    %s = arith.addf %acc, %m : {elt}\n")
    return f"""
func.func @{name}(%a: {ta}, %b: {tb}) -> {tc} attributes {{llvm.emit_c_interface}} {{
  %e = tensor.empty() : {tc}
  %z = {zero}
  %c = linalg.fill ins(%z : {elt}) outs(%e : {tc}) -> {tc}
  %r = linalg.generic {{indexing_maps = [{amap(a)}, {amap(b)}, {amap(out)}],
                       iterator_types = [{iters}]}}
      ins(%a, %b : {ta}, {tb}) outs(%c : {tc}) {{
  ^bb0(%x: {in_elt}, %y: {in_elt}, %acc: {elt}):
{body}    linalg.yield %s : {elt}
  }} -> {tc}
  return %r : {tc}
}}
"""


def named(name, op, shapes, out_shape, elt="f32"):
    ta, tb, tc = (tensor(s, elt) for s in (*shapes, out_shape))
    return f"""
func.func @{name}(%a: {ta}, %b: {tb}) -> {tc} attributes {{llvm.emit_c_interface}} {{
  %e = tensor.empty() : {tc}
  %z = arith.constant 0.0 : {elt}
  %c = linalg.fill ins(%z : {elt}) outs(%e : {tc}) -> {tc}
  %r = {op} ins(%a, %b : {ta}, {tb}) outs(%c : {tc}) -> {tc}
  return %r : {tc}
}}
"""


class Memref(ctypes.Structure):
    pass


def descriptor(array):
    """A ranked memref descriptor pointing at `array` (kept alive by caller)."""
    rank = array.ndim
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank),
                   ("strides", ctypes.c_int64 * rank)]
    cls = type(f"Memref{rank}", (ctypes.Structure,), {"_fields_": fields})
    d = cls()
    d.allocated = d.aligned = array.ctypes.data
    d.offset = 0
    for i in range(rank):
        d.sizes[i] = array.shape[i]
        d.strides[i] = array.strides[i] // array.itemsize
    return d


def compile_module(tools, source, options, tmp_path):
    src = tmp_path / "kernel.mlir"
    src.write_text(source)
    opts = " ".join(f"{k}={v}" for k, v in options.items())
    lowered = run([tools["tn-opt"], str(src), f"--tn-cpu-codegen={opts}"]).stdout
    llvm_dialect = tmp_path / "kernel.llvm.mlir"
    llvm_dialect.write_bytes(lowered)
    ir = tmp_path / "kernel.ll"
    run([TRANSLATE, "--mlir-to-llvmir", str(llvm_dialect), "-o", str(ir)])
    obj = tmp_path / "kernel.o"
    run([LLC, "-O3", "-relocation-model=pic", "-filetype=obj", str(ir), "-o", str(obj)])
    lib = tmp_path / "kernel.so"
    link = [CC, "-shared", str(obj), "-o", str(lib), "-lm"]
    if options.get("threads", 1) != 1:
        link += [f"-L{LLVM_LIB}", "-lomp", f"-Wl,-rpath,{LLVM_LIB}"]
    run(link)
    return ctypes.CDLL(str(lib)), lowered.decode()


def call(lib, name, inputs, outputs):
    """Calls _mlir_ciface_<name>(inputs..., outputs...) (destination passing)."""
    descs = [descriptor(a) for a in (*inputs, *outputs)]
    fn = getattr(lib, f"_mlir_ciface_{name}")
    fn.restype = None
    fn(*[ctypes.byref(d) for d in descs])


def rel_err(got, want):
    return np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-300)


def random(rng, shape, dtype):
    if np.issubdtype(dtype, np.complexfloating):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def to_bf16(x):
    """Rounds float32 values to bfloat16 (nearest even); returns the bits."""
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


# name: (einsum spec, shapes, element type); the spec's output order is the
# result layout.
CONTRACTIONS = {
    # 6 x 64 register tiles with edges on both dimensions (M 70 = 66 + 4,
    # N 200 = 192 + 8), K not a multiple of anything.
    "matmul_f32": ("ik,kj->ij", [(70, 130), (130, 200)], F32),
    # Larger, with an N edge of 40 = 32 + 8 and a split of the cache tile.
    "matmul_f32_large": ("ik,kj->ij", [(300, 257), (257, 1000)], F32),
    "matmul_f64": ("ik,kj->ij", [(67, 90), (90, 45)], F64),
    # The 6-D contraction of the notes, two reduction dims, smaller.
    "contract6": ("aebf,fced->abcd", [(8, 10, 12, 7), (7, 6, 10, 40)], F32),
    "contract6_f64": ("aebf,fced->abcd", [(4, 5, 12, 3), (3, 6, 5, 20)], F64),
    # The output's innermost index is in the first operand: roles swap.
    "swapped": ("ki,kj->ji", [(50, 72), (50, 30)], F32),
    # B's innermost index is not the vector dimension: left to the loops.
    "transposed_b": ("ik,jk->ij", [(20, 30), (40, 30)], F32),
    "batched": ("bik,bkj->bij", [(3, 20, 70), (3, 70, 130)], F32),
    "trace_like": ("ak,kab->b", [(6, 9), (9, 6, 70)], F32),
}


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("case", sorted(CONTRACTIONS))
def test_contractions(tools, tmp_path, case, threads):
    if threads != 1 and not HAVE_OMP:
        pytest.skip("libomp (libomp-22-dev) is not installed")
    spec, shapes, (dtype, elt, tol) = CONTRACTIONS[case]
    lib, _ = compile_module(tools, contraction(case, spec, shapes, elt),
                            {"threads": threads}, tmp_path)
    rng = np.random.default_rng(11)
    a, b = (random(rng, s, dtype) for s in shapes)
    want = np.einsum(spec, a.astype(np.float64), b.astype(np.float64))
    got = np.zeros(want.shape, dtype)
    call(lib, case, [a, b], [got])
    assert rel_err(got, want) <= tol


@pytest.mark.parametrize("threads", [1, 2, 0])
def test_named_ops(tools, tmp_path, threads):
    if threads != 1 and not HAVE_OMP:
        pytest.skip("libomp (libomp-22-dev) is not installed")
    source = (named("mm", "linalg.matmul", [(200, 170), (170, 300)], (200, 300))
              + named("bmm", "linalg.batch_matmul", [(4, 64, 96), (4, 96, 80)],
                      (4, 64, 80))
              + named("mm64", "linalg.matmul", [(50, 40), (40, 70)], (50, 70), "f64"))
    lib, lowered = compile_module(tools, source, {"threads": threads}, tmp_path)
    if threads != 1:
        assert "omp.parallel" in lowered
    rng = np.random.default_rng(3)
    for name, shapes, dtype, tol, spec in [
            ("mm", [(200, 170), (170, 300)], np.float32, 1e-5, "ik,kj->ij"),
            ("bmm", [(4, 64, 96), (4, 96, 80)], np.float32, 1e-5, "bik,bkj->bij"),
            ("mm64", [(50, 40), (40, 70)], np.float64, 1e-12, "ik,kj->ij")]:
        a, b = (random(rng, s, dtype) for s in shapes)
        want = np.einsum(spec, a.astype(np.float64), b.astype(np.float64))
        got = np.zeros(want.shape, dtype)
        call(lib, name, [a, b], [got])
        assert rel_err(got, want) <= tol, name


def test_complex(tools, tmp_path):
    source = (contraction("c64", "ik,kj->ij", [(16, 24), (24, 40)], "complex<f32>")
              + contraction("c128", "aij,jb->bai", [(3, 5, 7), (7, 4)], "complex<f64>"))
    lib, _ = compile_module(tools, source, {}, tmp_path)
    rng = np.random.default_rng(5)
    for name, spec, shapes, dtype, tol in [
            ("c64", "ik,kj->ij", [(16, 24), (24, 40)], np.complex64, 1e-5),
            ("c128", "aij,jb->bai", [(3, 5, 7), (7, 4)], np.complex128, 1e-12)]:
        a, b = (random(rng, s, dtype) for s in shapes)
        want = np.einsum(spec, a.astype(np.complex128), b.astype(np.complex128))
        got = np.zeros(want.shape, dtype)
        call(lib, name, [a, b], [got])
        assert rel_err(got, want) <= tol, name


def test_bf16_inputs(tools, tmp_path):
    shapes = [(70, 128), (128, 96)]
    source = contraction("bf", "ik,kj->ij", shapes, "f32", in_elt="bf16")
    lib, _ = compile_module(tools, source, {}, tmp_path)
    rng = np.random.default_rng(9)
    a, b = (to_bf16(rng.standard_normal(s).astype(np.float32)) for s in shapes)
    want = from_bf16(a).astype(np.float64) @ from_bf16(b).astype(np.float64)
    got = np.zeros(want.shape, np.float32)
    call(lib, "bf", [a, b], [got])
    assert rel_err(got, want) <= 1e-5


MIXED = """
func.func @mixed(%a: tensor<3x3x5xf64>, %b: tensor<5x7xf64>) -> tensor<7x5xf64>
    attributes {llvm.emit_c_interface} {
  %e = tensor.empty() : tensor<5xf64>
  %z = arith.constant 0.0 : f64
  %c = linalg.fill ins(%z : f64) outs(%e : tensor<5xf64>) -> tensor<5xf64>
  %t = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, a, b)>,
                                        affine_map<(a, b) -> (b)>],
                       iterator_types = ["reduction", "parallel"]}
      ins(%a : tensor<3x3x5xf64>) outs(%c : tensor<5xf64>) {
  ^bb0(%x: f64, %acc: f64):
    %s = arith.addf %acc, %x : f64
    linalg.yield %s : f64
  } -> tensor<5xf64>
  %e2 = tensor.empty() : tensor<7x5xf64>
  %bt = linalg.transpose ins(%b : tensor<5x7xf64>) outs(%e2 : tensor<7x5xf64>) permutation = [1, 0]
  %e3 = tensor.empty() : tensor<7x5xf64>
  %o = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                                        affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%bt, %t : tensor<7x5xf64>, tensor<5xf64>) outs(%e3 : tensor<7x5xf64>) {
  ^bb0(%x: f64, %y: f64, %out: f64):
    %m = arith.mulf %x, %y : f64
    %q = math.exp %m : f64
    linalg.yield %q : f64
  } -> tensor<7x5xf64>
  %col = tensor.collapse_shape %o [[0, 1]] : tensor<7x5xf64> into tensor<35xf64>
  %exp = tensor.expand_shape %col [[0, 1]] output_shape [7, 5] : tensor<35xf64> into tensor<7x5xf64>
  return %exp : tensor<7x5xf64>
}

func.func @sliced(%a: tensor<32x8x16xf32>, %b: tensor<8x16x72xf32>) -> tensor<32x72xf32>
    attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %e = tensor.empty() : tensor<32x72xf32>
  %z = arith.constant 0.0 : f32
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<32x72xf32>) -> tensor<32x72xf32>
  %r = scf.for %s = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (tensor<32x72xf32>) {
    %as = tensor.extract_slice %a[0, %s, 0] [32, 1, 16] [1, 1, 1] : tensor<32x8x16xf32> to tensor<32x16xf32>
    %bs = tensor.extract_slice %b[%s, 0, 0] [1, 16, 72] [1, 1, 1] : tensor<8x16x72xf32> to tensor<16x72xf32>
    %p = linalg.matmul ins(%as, %bs : tensor<32x16xf32>, tensor<16x72xf32>) outs(%acc : tensor<32x72xf32>) -> tensor<32x72xf32>
    scf.yield %p : tensor<32x72xf32>
  }
  return %r : tensor<32x72xf32>
}
"""


@pytest.mark.parametrize("schedule", ["true", "false"])
def test_mixed_ops(tools, tmp_path, schedule):
    """Traces, transposes, elementwise math, reshapes and a slice loop."""
    lib, _ = compile_module(tools, MIXED, {"schedule": schedule}, tmp_path)
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 3, 5)), rng.standard_normal((5, 7))
    want = np.exp(b.T * np.einsum("aab->b", a)[None, :])
    got = np.zeros((7, 5))
    call(lib, "mixed", [a, b], [got])
    assert rel_err(got, want) <= 1e-12
    x = rng.standard_normal((32, 8, 16)).astype(np.float32)
    y = rng.standard_normal((8, 16, 72)).astype(np.float32)
    want = np.einsum("asb,sbc->ac", x.astype(np.float64), y.astype(np.float64))
    got = np.zeros((32, 72), np.float32)
    call(lib, "sliced", [x, y], [got])
    assert rel_err(got, want) <= 1e-5


@pytest.mark.parametrize("target", ["x86-64", "x86-64-avx512"])
def test_targets(tools, tmp_path, target):
    """Schedules for other vector widths (run here when the host has them)."""
    flags = open("/proc/cpuinfo").read()
    if target == "x86-64-avx512" and "avx512f" not in flags:
        pytest.skip("no AVX-512 on this host")
    if "avx2" not in flags:
        pytest.skip("no AVX2 on this host")
    shapes = [(50, 70), (70, 90)]
    lib, lowered = compile_module(
        tools, contraction("mm", "ik,kj->ij", shapes), {"target": target}, tmp_path)
    assert "target_cpu" in lowered
    rng = np.random.default_rng(2)
    a, b = (random(rng, s, np.float32) for s in shapes)
    want = a.astype(np.float64) @ b.astype(np.float64)
    got = np.zeros(want.shape, np.float32)
    call(lib, "mm", [a, b], [got])
    assert rel_err(got, want) <= 1e-5


def test_aarch64_lowers(tools, tmp_path):
    """The aarch64 schedule reaches the LLVM dialect and LLVM IR (not run)."""
    src = tmp_path / "mm.mlir"
    src.write_text(contraction("mm", "ik,kj->ij", [(50, 70), (70, 90)]))
    lowered = run([tools["tn-opt"], str(src), "--tn-cpu-codegen=target=aarch64"]).stdout
    assert b"aarch64" in lowered
    out = subprocess.run([TRANSLATE, "--mlir-to-llvmir"], input=lowered,
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    assert b"<4 x float>" in out.stdout or b"<16 x float>" in out.stdout
