"""tnc: the tensor-network compiler's Python package.

The contraction-order optimizer that `tn-opt --tn-optimize-contraction-order`
runs, callable from Python on opt_einsum-style networks:

    >>> import tnc
    >>> info = tnc.optimize_path(["ab", "bc", "cd"], "ad",
    ...                          {"a": 2, "b": 8, "c": 8, "d": 2})
    >>> info.path                     # opt_einsum's linear format
    [(0, 1), (0, 1)]

`tnc.Optimizer` plugs it into opt_einsum (`oe.contract(..., optimize=
tnc.Optimizer(algorithm="hyper", max_time=5))`) and into cotengra
(`optimize=` accepts the same callable).
"""
from ._capi import TncError, LIB as _LIB
from .paths import Optimizer, PathInfo, einsum_path, optimize_path, path_cost

__version__ = _LIB.tnc_version().decode()

__all__ = ["Optimizer", "PathInfo", "TncError", "einsum_path", "optimize_path",
           "path_cost", "__version__"]
