"""Contraction paths: tnc's optimizers on opt_einsum-style networks.

A network is given as opt_einsum and cotengra give it: `inputs`, one
sequence of index labels per tensor (strings, tuples, frozensets; labels
are any hashable), `output`, the open labels in order, and `size_dict`,
label -> extent. Paths are in opt_einsum's linear format: a list of pairs of
positions in the shrinking operand list, the new intermediate appended at
the end.
"""
import ctypes
import json
from array import array
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Hashable, Iterable, List, Optional, Sequence, Tuple

from . import _capi
from ._capi import TncError

_ALGORITHMS = ("auto", "optimal", "greedy", "random-greedy", "partition", "hyper")


@dataclass
class PathInfo:
    """What a search found.

    path            opt_einsum's linear format (list of position pairs)
    ssa_path        the same tree in SSA form (ids: inputs 0..n-1, then one
                    new id per step)
    algorithm       what ran, e.g. "hyper (best: partition)"
    log10_cost      log10 of the total cost over all slices, in multiply-adds
                    (Σ over steps of Π of the extents; cotengra's
                    contraction_cost)
    log10_flops     the same in opt_einsum's FLOP convention
    log2_width      log2 of the largest intermediate (per slice)
    log10_write     log10 of the elements written over all slices
    sliced_indices  the labels sliced to meet slice_target / memory_limit
    num_slices      number of slices (1 when unsliced)
    slice_overhead  total sliced cost / unsliced cost
    search_seconds  time spent searching, measured inside the library
    trials          randomized trials run
    """
    path: List[Tuple[int, int]]
    ssa_path: List[Tuple[int, int]]
    algorithm: str
    log10_cost: Optional[float]
    log10_flops: Optional[float]
    log2_width: Optional[float]
    log10_write: Optional[float]
    sliced_indices: List[Hashable] = field(default_factory=list)
    num_slices: int = 1
    slice_overhead: float = 1.0
    search_seconds: float = 0.0
    trials: int = 0

    @property
    def cost(self) -> float:
        """Total cost in multiply-adds (may be huge; a float)."""
        return 0.0 if self.log10_cost is None else 10.0 ** self.log10_cost


def _format_options(algorithm="auto", objective="flops", max_time=None,
                    repeats=None, seed=None, memory_limit=None,
                    slice_target=None, threads=None, simplify=None,
                    reconfigure=None) -> bytes:
    words = []

    def add(key, value):
        if value is None:
            return
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float):
            text = repr(value)  # "nan"/"inf" reach the library, which rejects them
        else:
            text = str(value)
        if not text or any(c.isspace() or c == "=" for c in text):
            raise TncError(f"invalid value {value!r} for {key}")
        words.append(f"{key}={text}")

    if algorithm not in _ALGORITHMS:
        raise TncError(f"unknown algorithm {algorithm!r} (expected one of "
                       f"{', '.join(_ALGORITHMS)})")
    add("algorithm", algorithm)
    add("objective", objective)
    for key, value in (("max-time", max_time), ("memory-limit", memory_limit),
                       ("slice-target", slice_target)):
        if value is not None and not isinstance(value, (int, float)):
            raise TncError(f"{key} must be a number, got {value!r}")
        add(key, float(value) if value is not None else None)
    for key, value in (("repeats", repeats), ("seed", seed), ("threads", threads)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TncError(f"{key} must be an integer, got {value!r}")
        add(key, value)
    add("simplify", simplify)
    add("reconfigure", reconfigure)
    return " ".join(words).encode()


def _c_array(ctype, code, values):
    """A ctypes array over an array.array of `values` (converted in C; the
    array.array is kept alive by the returned tuple's first element)."""
    buf = array(code, values or [0])
    return buf, (ctype * len(buf)).from_buffer(buf)


class _Arrays:
    """The network as the C API's flat arrays, with the label <-> id maps."""

    def __init__(self, inputs, output, size_dict):
        ids: Dict[Hashable, int] = {}
        ranks, flat = [], []
        get, append = ids.get, flat.append
        for term in inputs:
            start = len(flat)
            for label in term:
                i = get(label)
                if i is None:
                    i = ids[label] = len(ids)
                append(i)
            ranks.append(len(flat) - start)
        if not ranks:
            raise TncError("a network needs at least one tensor")
        labels: List[Hashable] = list(ids)
        out = []
        for label in output:
            if label not in ids:
                raise TncError(f"output index {label!r} appears in no input")
            out.append(ids[label])
        try:
            extents = [size_dict[label] for label in labels]
        except KeyError as e:
            raise TncError(f"index {e.args[0]!r} has no size in size_dict") from None
        try:
            # Converts in C: ints and integer-like values (NumPy's) pass,
            # floats and strings raise TypeError, huge values OverflowError.
            checked = array("q", extents)
        except (TypeError, OverflowError):
            checked = None
        if checked is None or (extents and (min(checked) < 1 or max(checked) > 2**62)) \
                or bool in set(map(type, extents)):
            for label, extent in zip(labels, extents):
                ok = (not isinstance(extent, bool) and hasattr(extent, "__index__")
                      and 1 <= int(extent) <= 2**62)
                if not ok:
                    raise TncError(f"index {label!r} has size {extent!r}; sizes must be "
                                   "positive integers up to 2^62")
        self.labels = labels
        i32, i64 = ctypes.c_int32, ctypes.c_int64
        self._keep = []

        def arr(ctype, code, values):
            buf, c = _c_array(ctype, code, values)
            self._keep.append(buf)
            return c

        self.args = (len(ranks), arr(i32, "i", ranks), arr(i32, "i", flat), len(labels),
                     arr(i64, "q", extents), len(out), arr(i32, "i", out))


def _info(text: str, label_of) -> PathInfo:
    r = json.loads(text)
    return PathInfo(
        path=[tuple(p) for p in r["path"]],
        ssa_path=[tuple(p) for p in r["ssa_path"]],
        algorithm=r["algorithm"],
        log10_cost=r["log10_cost"],
        log10_flops=r["log10_flops"],
        log2_width=r["log2_width"],
        log10_write=r["log10_write"],
        sliced_indices=[label_of(s) for s in r["sliced_indices"]],
        num_slices=r["num_slices"],
        slice_overhead=r["slice_overhead"],
        search_seconds=r["search_seconds"],
        trials=r["trials"],
    )


def optimize_path(inputs: Sequence[Iterable[Hashable]], output: Iterable[Hashable],
                  size_dict: Dict[Hashable, int], algorithm: str = "auto",
                  objective: str = "flops", max_time: Optional[float] = None,
                  repeats: Optional[int] = None, seed: Optional[int] = None,
                  memory_limit: Optional[float] = None,
                  slice_target: Optional[float] = None,
                  threads: Optional[int] = None, simplify: Optional[bool] = None,
                  reconfigure: Optional[bool] = None) -> PathInfo:
    """Finds a contraction order with one of tnc's searches.

    algorithm     auto (optimal up to 16 tensors per component, else hyper),
                  optimal, greedy, random-greedy, partition, hyper
    objective     flops, size, write, combo, limit, combo-<alpha>,
                  limit-<alpha> (combo: flops + alpha * elements written)
    max_time      search budget in seconds (randomized searches)
    repeats       randomized trials
    seed          random seed (results are reproducible for a given seed,
                  thread count and trial budget)
    memory_limit  largest intermediate allowed, in elements
    slice_target  slice until the largest intermediate has at most this
                  many elements
    threads       worker threads (default: all cores)

    The same options as the pass `tn-optimize-contraction-order`. Raises
    TncError for a malformed network or option.
    """
    options = _format_options(algorithm, objective, max_time, repeats, seed,
                              memory_limit, slice_target, threads, simplify,
                              reconfigure)
    arrays = _Arrays(inputs, output, size_dict)
    text = _capi.call(_capi.LIB.tnc_optimize_path, *arrays.args, options)
    return _info(text, lambda s: arrays.labels[int(s)])


def einsum_path(equation: str, *operands, **options) -> PathInfo:
    """optimize_path for an einsum equation ("ab,bc->ac", implicit output,
    "..." and repeated indices allowed); `operands` are arrays (anything with
    a .shape) or shapes."""
    shapes = []
    for op in operands:
        shape = getattr(op, "shape", op)
        try:
            if isinstance(shape, (str, bytes)):
                raise TypeError
            shapes.append([int(d) for d in shape])
        except (TypeError, ValueError):
            raise TncError(f"operand {len(shapes)} is neither an array nor a shape: "
                           f"{op!r}") from None
    if not isinstance(equation, str):
        raise TncError(f"the equation must be a string, got {equation!r}")
    network = json.dumps({"equation": equation, "shapes": shapes}).encode()
    options = _format_options(**options)
    try:
        text = _capi.call(_capi.LIB.tnc_optimize_path_json, network, options)
    except TncError as e:
        # The position in the JSON text built here means nothing to the
        # caller; the message itself names the equation's column.
        raise TncError(re.sub(r"^\d+:\d+: ", "", str(e))) from None
    return _info(text, lambda s: s)


def path_cost(inputs: Sequence[Iterable[Hashable]], output: Iterable[Hashable],
              size_dict: Dict[Hashable, int],
              path: Sequence[Tuple[int, int]]) -> Dict[str, Any]:
    """The cost of a path in opt_einsum's linear format, in tnc's units:
    {"log10_cost", "log10_flops", "log2_width", "log10_write", "log2_peak",
    "num_steps"}."""
    arrays = _Arrays(inputs, output, size_dict)
    steps = [int(x) for pair in path for x in pair]
    if any(len(tuple(pair)) != 2 for pair in path):
        raise TncError("each path step must be a pair of positions")
    buf = (ctypes.c_int32 * max(1, len(steps)))(*steps)
    text = _capi.call(_capi.LIB.tnc_path_cost, *arrays.args, len(path), buf)
    return json.loads(text)


try:  # Subclass opt_einsum's optimizer base when it is there.
    from opt_einsum.paths import PathOptimizer as _Base
except ImportError:  # pragma: no cover - opt_einsum is optional
    _Base = object


class Optimizer(_Base):
    """An opt_einsum PathOptimizer (and cotengra `optimize=` callable) that
    runs tnc's search:

        oe.contract("ab,bc,cd->ad", x, y, z, optimize=tnc.Optimizer())

    Keyword arguments are those of optimize_path. opt_einsum's memory_limit
    argument, when given, becomes tnc's memory_limit. The PathInfo of the
    last search is kept in `.last`.
    """

    def __init__(self, **options):
        _format_options(**options)  # reject bad options now, not at first use
        self.options = options
        self.last: Optional[PathInfo] = None

    def __call__(self, inputs, output, size_dict, memory_limit=None):
        options = dict(self.options)
        if memory_limit is not None and memory_limit != -1 and \
                "memory_limit" not in options:
            options["memory_limit"] = float(memory_limit)
        info = optimize_path(inputs, output, size_dict, **options)
        self.last = info
        return info.path
