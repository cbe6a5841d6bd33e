#!/usr/bin/env bash
# Runs every tnc test suite: sets up and builds if needed, then runs the lit
# tests (IR, tools, end-to-end), the C++ unit tests (GoogleTest) and the
# Python tests (pytest), and ends with one line: "N passed, N failed".
# Exit status: 0 when nothing failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${TNC_BUILD_DIR:-$ROOT/build}
LIT=/usr/lib/llvm-22/bin/lit
PYTHON=${PYTHON:-python3}

"$ROOT/scripts/setup.sh" || { echo "0 passed, 1 failed (setup or build)"; exit 1; }
ninja -C "$BUILD_DIR" tnc-test-depends >/dev/null || { echo "0 passed, 1 failed (build)"; exit 1; }

# For -DTNC_ENABLE_SANITIZERS=ON builds: libMLIR.so is not instrumented, and
# LLVM's allocators poison their slack only in instrumented code, so manual
# poisoning gives false reports when both touch one allocator; real
# out-of-bounds accesses in tnc's code are still caught.
export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_poisoning=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

RESULTS="$BUILD_DIR/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

echo "== lit =="
"$LIT" -sv "$BUILD_DIR/test" --xunit-xml-output="$RESULTS/lit.xml"

echo "== C++ unit tests =="
"$BUILD_DIR/bin/tnc-unittests" --gtest_brief=1 --gtest_output="xml:$RESULTS/unittests.xml"

if [ -d "$ROOT/python/tests" ]; then
  echo "== pytest =="
  PRELOAD=
  if grep -q "^TNC_ENABLE_SANITIZERS:BOOL=ON" "$BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    # The libraries the tests compile link the sanitized runtime, and Python
    # is not instrumented: the sanitizer runtimes must be loaded first.
    # Python's own allocations are not ours to report.
    PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
    export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
  fi
  LD_PRELOAD="$PRELOAD" TNC_BUILD_DIR="$BUILD_DIR" "$PYTHON" -m pytest -q "$ROOT/python/tests" \
    --junitxml="$RESULTS/pytest.xml" -p no:cacheprovider
fi

"$PYTHON" "$ROOT/scripts/summarize_tests.py" "$RESULTS"
