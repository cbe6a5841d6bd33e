"""Black-box fuzzing of the tools on malformed input.

Random mutations of valid network files (for `tn-translate --import-network`)
and of valid tn IR (for `tn-opt`) must give either success or a diagnostic
with a non-zero exit status: never a crash, an assertion or a hang. Batches
go through one process with --split-input-file; a failing batch is replayed
case by case to name the input that broke the tool.

TNC_FUZZ_ITERATIONS scales the number of mutated inputs (default 600 per
target); TNC_FUZZ_SEED picks another deterministic stream."""
import os
import random
import re
from pathlib import Path

import pytest

from conftest import ROOT, run

ITERATIONS = int(os.environ.get("TNC_FUZZ_ITERATIONS", "600"))
SEED = int(os.environ.get("TNC_FUZZ_SEED", "1"))
SPLIT = "\n// -----\n"

JSON_SNIPPETS = ['"', ",", "[", "]", "{", "}", ":", "-", "0", "1", "-1", "1e400",
                 "99999999999999999999", "null", "true", '"a"', '"É"', "\\",
                 "\\u00", '"inputs"', '"output"', '"size_dict"', '"equation"',
                 '"shapes"', '"dtype"', '"name"', "->", "...", "\x00", "\n"]
IR_SNIPPETS = ["%", "[", "]", "(", ")", "<", ">", ",", "->", ":", "\"", "tensor<2x3xf32>",
               "tensor<?xf32>", "-1", "0", "99999999999999999999", "#tn.path<(0, 1)>",
               "#tn.trunc<max_rank = 2>", "{", "}", "tn.network", "tn.contract",
               "tn.svd", "index", "f64", "complex<f32>", "\"\"", "\\", "@", "^bb0"]


def mutate(text: str, rng: random.Random, snippets) -> str:
    for _ in range(rng.randint(1, 4)):
        if not text:
            text = rng.choice(snippets)
            continue
        pos = rng.randrange(len(text))
        op = rng.randrange(6)
        if op == 0:  # delete a span
            text = text[:pos] + text[pos + rng.randint(1, 8):]
        elif op == 1:  # insert a token
            text = text[:pos] + rng.choice(snippets) + text[pos:]
        elif op == 2:  # duplicate a span
            end = min(len(text), pos + rng.randint(1, 40))
            text = text[:end] + text[pos:end] + text[end:]
        elif op == 3:  # replace a number
            numbers = list(re.finditer(r"-?\d+", text))
            if numbers:
                m = rng.choice(numbers)
                text = text[:m.start()] + str(rng.choice([0, -1, 1, 2, 3, 7, 2**31, 2**63, 10**30])) + text[m.end():]
        elif op == 4:  # swap two characters
            if pos + 1 < len(text):
                text = text[:pos] + text[pos + 1] + text[pos] + text[pos + 2:]
        else:  # truncate
            text = text[:pos]
    return text


def check_batch(tool_args, cases, workdir: Path, suffix: str):
    batch = workdir / f"batch{suffix}"
    batch.write_text(SPLIT.join(cases), encoding="utf-8", errors="surrogateescape")
    proc = run([*tool_args, "--split-input-file", str(batch), "-o", os.devnull], check=False)
    if proc.returncode in (0, 1):
        return
    # Replay one by one to report the culprit.
    for k, case in enumerate(cases):
        single = workdir / f"case{suffix}"
        single.write_text(case, encoding="utf-8", errors="surrogateescape")
        p = run([*tool_args, str(single), "-o", os.devnull], check=False)
        if p.returncode not in (0, 1):
            pytest.fail(f"{tool_args[0]} exited with {p.returncode} on input:\n{case!r}\n"
                        + p.stderr.decode(errors="replace")[-2000:])
    pytest.fail(f"{tool_args[0]} exited with {proc.returncode} on a batch; no single case reproduces it")


def seed_networks(tools):
    docs = [
        '{"equation": "ab,bc->ac", "shapes": [[2, 3], [3, 4]], "name": "mm"}',
        '{"equation": "...ij,...jk", "shapes": [[7, 2, 3], [7, 3, 4]], "dtype": "bf16"}',
        '{"inputs": [["a", "b"], ["b", "É", 3], [3]], "output": ["a"], '
        '"size_dict": {"a": 2, "b": 3, "É": 2, "3": 4}, "dtype": "complex64"}',
    ]
    for gen in (["chain", "--dims=2,3,4"], ["peps", "--lx=2", "--ly=2"],
                ["circuit", "--qubits=3", "--depth=2", "--diagonal", "--open=1"]):
        docs.append(run([tools["tn-netgen"], *gen]).stdout.decode())
    return docs


def test_fuzz_import_network(tools, tmp_path):
    rng = random.Random(SEED)
    seeds = seed_networks(tools)
    batch = []
    for i in range(ITERATIONS):
        batch.append(mutate(rng.choice(seeds), rng, JSON_SNIPPETS))
        if len(batch) == 100 or i == ITERATIONS - 1:
            check_batch([tools["tn-translate"], "--import-network"], batch, tmp_path, "json")
            batch = []


def test_fuzz_tn_opt(tools, tmp_path):
    rng = random.Random(SEED + 1)
    sources = []
    for name in ("ops.mlir", "canonicalize.mlir"):
        text = (ROOT / "test/Dialect/TN" / name).read_text(encoding="utf-8")
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
        sources += [f.strip() for f in re.split(r"(?=^func\.func)", text, flags=re.M) if f.strip()]
    # The generic form exposes the attributes themselves to mutation.
    generic = run([tools["tn-opt"], "-mlir-print-op-generic",
                   str(ROOT / "test/Dialect/TN/ops.mlir")]).stdout.decode()
    sources += [f.strip() for f in re.split(r'(?=^  "func\.func")', generic, flags=re.M)
                if f.strip().startswith('"func.func"')]
    batch = []
    for i in range(ITERATIONS):
        batch.append(mutate(rng.choice(sources), rng, IR_SNIPPETS))
        if len(batch) == 100 or i == ITERATIONS - 1:
            check_batch([tools["tn-opt"], "--canonicalize"], batch, tmp_path, "mlir")
            batch = []


def tn_sources(tools):
    sources = []
    for name in ("ops.mlir", "canonicalize.mlir"):
        text = (ROOT / "test/Dialect/TN" / name).read_text(encoding="utf-8")
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
        sources += [f.strip() for f in re.split(r"(?=^func\.func)", text, flags=re.M) if f.strip()]
    return sources


def test_fuzz_lowering(tools, tmp_path):
    """Mutated tn IR through the lowering to linalg (TTGT and generic, the
    decomposition calls) and the C ABI preparation."""
    rng = random.Random(SEED + 2)
    sources = tn_sources(tools)
    batch = []
    for i in range(ITERATIONS):
        batch.append(mutate(rng.choice(sources), rng, IR_SNIPPETS))
        if len(batch) == 100 or i == ITERATIONS - 1:
            check_batch([tools["tn-opt"], "--tn-expand-network",
                         "--convert-tn-to-linalg=strategy=ttgt", "--tn-prepare-c-abi"],
                        batch, tmp_path, "lower")
            batch = []


LLVM_SNIPPETS = ["!llvm.ptr", "i64", "i32", "f32", "llvm.return", "tn.c_abi_inputs",
                 "tn.c_abi_results", "tensor<2x3xf32>", "tensor<?xf32>", "tensor<i32>",
                 "[", "]", "{", "}", "(", ")", "%", ":", "=", "@", "\"", "-1", "0"]


def test_fuzz_emission(tools, tmp_path):
    """Mutated LLVM-dialect modules through --emit-c-header and --emit-object."""
    rng = random.Random(SEED + 3)
    text = (ROOT / "test/Target/CPU/emit.mlir").read_text(encoding="utf-8")
    source = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
    iterations = max(50, ITERATIONS // 3)
    for flag in ("--emit-c-header", "--emit-object"):
        batch = []
        for i in range(iterations):
            batch.append(mutate(source, rng, LLVM_SNIPPETS))
            if len(batch) == 50 or i == iterations - 1:
                check_batch([tools["tn-translate"], flag], batch, tmp_path, "emit")
                batch = []
