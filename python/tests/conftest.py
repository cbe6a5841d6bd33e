"""Shared fixtures: where the built tnc tools are."""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("TNC_BUILD_DIR", ROOT / "build"))
BIN = BUILD / "bin"


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: build tnc first (scripts/setup.sh)")
    return str(path)


def run(args, stdin=None, check=True):
    proc = subprocess.run(args, input=stdin, capture_output=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} failed ({proc.returncode}):\n"
            + proc.stderr.decode(errors="replace"))
    return proc


@pytest.fixture(scope="session")
def tools():
    return {name: tool(name) for name in ("tn-opt", "tn-translate", "tn-netgen")}


PACKAGES = BUILD / "python_packages"


@pytest.fixture(scope="session")
def tnc():
    """The tnc Python package from the build tree (build/python_packages)."""
    import importlib
    import sys
    if not (PACKAGES / "tnc" / "__init__.py").exists():
        pytest.fail(f"{PACKAGES}/tnc is missing: build tnc first (scripts/setup.sh)")
    if str(PACKAGES) not in sys.path:
        sys.path.insert(0, str(PACKAGES))
    return importlib.import_module("tnc")
