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

RESULTS="$BUILD_DIR/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

echo "== lit =="
"$LIT" -sv "$BUILD_DIR/test" --xunit-xml-output="$RESULTS/lit.xml"

echo "== C++ unit tests =="
"$BUILD_DIR/bin/tnc-unittests" --gtest_brief=1 --gtest_output="xml:$RESULTS/unittests.xml"

if [ -d "$ROOT/python/tests" ]; then
  echo "== pytest =="
  TNC_BUILD_DIR="$BUILD_DIR" "$PYTHON" -m pytest -q "$ROOT/python/tests" \
    --junitxml="$RESULTS/pytest.xml" -p no:cacheprovider
fi

"$PYTHON" "$ROOT/scripts/summarize_tests.py" "$RESULTS"
