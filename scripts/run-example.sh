#!/usr/bin/env bash
# The main job, on the bundled example (or on the network file given as $1):
# sets up and builds if needed, imports the network into the tn dialect,
# verifies and round-trips it, and prints its structure and naive costs.
# Files land in build/example/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${TNC_BUILD_DIR:-$ROOT/build}
NETWORK=${1:-$ROOT/examples/tt_layer.json}
OUT=$BUILD_DIR/example
BIN=$BUILD_DIR/bin

"$ROOT/scripts/setup.sh"
mkdir -p "$OUT"

echo
echo "== 1. import $(basename "$NETWORK")   (tn-translate --import-network)"
"$BIN/tn-translate" --import-network "$NETWORK" -o "$OUT/network.mlir"
cat "$OUT/network.mlir"

echo
echo "== 2. verify and round-trip   (tn-opt)"
"$BIN/tn-opt" "$OUT/network.mlir" -o "$OUT/roundtrip.mlir"
"$BIN/tn-opt" "$OUT/roundtrip.mlir" -mlir-print-op-generic | "$BIN/tn-opt" -o "$OUT/roundtrip2.mlir"
cmp -s "$OUT/roundtrip.mlir" "$OUT/roundtrip2.mlir" && echo "ok: custom and generic forms round-trip to identical IR"

echo
echo "== 3. structure and naive cost   (tn-translate --export-summary)"
"$BIN/tn-translate" --export-summary "$OUT/network.mlir"

echo
echo "== 4. drawing   (tn-translate --export-dot)"
"$BIN/tn-translate" --export-dot "$OUT/network.mlir" -o "$OUT/network.dot"
if command -v dot >/dev/null; then
  dot -Tsvg "$OUT/network.dot" -o "$OUT/network.svg"
  echo "wrote $OUT/network.dot and $OUT/network.svg"
else
  echo "wrote $OUT/network.dot"
fi
