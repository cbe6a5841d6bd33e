# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "tnc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".json"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tnc_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%tnc_src", config.tnc_src_root))
config.substitutions.append(("%tnc_obj", config.tnc_obj_root))
# Libraries compiled by a sanitized build link the sanitizer runtimes, and
# Python is not instrumented: they must be loaded first (as in
# scripts/run-tests.sh's pytest run); Python's own allocations are not ours
# to report.
python = config.python_executable
if getattr(config, "tnc_sanitizers", "OFF").upper() in ("ON", "1", "TRUE", "YES"):
    import subprocess
    runtimes = [subprocess.run(["cc", "-print-file-name=" + lib], capture_output=True,
                               text=True).stdout.strip()
                for lib in ("libasan.so", "libubsan.so")]
    asan = os.environ.get("ASAN_OPTIONS", "allow_user_poisoning=0")
    python = "env LD_PRELOAD='{}' ASAN_OPTIONS='{}:detect_leaks=0' {}".format(
        " ".join(runtimes), asan, python)
config.substitutions.append(("%python", python))

llvm_config.use_default_substitutions()
# Sanitizer settings reach the tools (see scripts/run-tests.sh).
llvm_config.with_system_environment(["ASAN_OPTIONS", "UBSAN_OPTIONS"])
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# The benchmark networks beside the checkout (../shared/networks), when
# present: tests that need them are marked `REQUIRES: shared-networks`.
shared_networks = os.path.abspath(
    os.path.join(config.tnc_src_root, "..", "shared", "networks"))
if os.path.isdir(shared_networks):
    config.available_features.add("shared-networks")
    config.substitutions.append(("%shared_networks", shared_networks))

# Graphviz, to check that --export-dot output renders.
import shutil
if shutil.which("dot"):
    config.available_features.add("dot")

tool_dirs = [config.tnc_tools_dir, config.llvm_tools_dir]
tools = ["tn-opt", "tn-translate", "tn-netgen"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
