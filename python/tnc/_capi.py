"""Loads libtnc_capi.so, the C API of tnc's path library (include/tn-c/Paths.h)."""
import ctypes
import os
from pathlib import Path

_LIB_NAME = "libtnc_capi.so"


class TncError(ValueError):
    """A request the library rejected: a malformed network, a bad option, or
    a search that could not finish (the message says which)."""


def _candidates():
    env = os.environ.get("TNC_CAPI_LIBRARY")
    if env:
        # An explicit choice is the only one: a wrong path must not silently
        # fall back to another build.
        return [Path(env)]
    here = Path(__file__).resolve().parent
    out = [here / _LIB_NAME]          # build/python_packages/tnc (or installed)
    build = os.environ.get("TNC_BUILD_DIR")
    if build:
        out.append(Path(build) / "lib" / _LIB_NAME)
    out.append(here.parents[1] / "build" / "lib" / _LIB_NAME)  # source checkout
    return out


def _load():
    tried = []
    for path in _candidates():
        if path.exists():
            lib = ctypes.CDLL(str(path))
            break
        tried.append(str(path))
    else:
        raise ImportError(
            f"tnc: cannot find {_LIB_NAME} (looked in {', '.join(tried)}); build tnc "
            "(scripts/setup.sh) and put build/python_packages on PYTHONPATH, or set "
            "TNC_CAPI_LIBRARY")
    i32, i64 = ctypes.c_int32, ctypes.c_int64
    p32, p64 = ctypes.POINTER(i32), ctypes.POINTER(i64)
    pstr = ctypes.POINTER(ctypes.c_void_p)
    lib.tnc_optimize_path.argtypes = [i32, p32, p32, i32, p64, i32, p32,
                                      ctypes.c_char_p, pstr, pstr]
    lib.tnc_optimize_path.restype = i32
    lib.tnc_optimize_path_json.argtypes = [ctypes.c_char_p, ctypes.c_char_p, pstr, pstr]
    lib.tnc_optimize_path_json.restype = i32
    lib.tnc_path_cost.argtypes = [i32, p32, p32, i32, p64, i32, p32, i32, p32, pstr, pstr]
    lib.tnc_path_cost.restype = i32
    lib.tnc_free.argtypes = [ctypes.c_void_p]
    lib.tnc_free.restype = None
    lib.tnc_version.argtypes = []
    lib.tnc_version.restype = ctypes.c_char_p
    return lib


LIB = _load()


def call(fn, *args):
    """Calls a tnc_* function whose last two arguments are the result and
    error out-pointers; returns the result text or raises TncError."""
    result, error = ctypes.c_void_p(), ctypes.c_void_p()
    status = fn(*args, ctypes.byref(result), ctypes.byref(error))
    try:
        if status != 0:
            message = ctypes.string_at(error.value).decode() if error.value else ""
            raise TncError(message or f"tnc error status {status}")
        return ctypes.string_at(result.value).decode()
    finally:
        LIB.tnc_free(result.value)
        LIB.tnc_free(error.value)
