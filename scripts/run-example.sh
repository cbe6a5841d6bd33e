#!/usr/bin/env bash
# The main job, on the bundled examples (examples/*.json) or on the network
# files given as arguments: sets up and builds if needed, then for each
# network imports it into the tn dialect, verifies and round-trips it,
# chooses a contraction order, prints the optimized cost next to the naive
# ones, expands the network into pairwise contractions and draws it, then
# compiles it for this CPU into a shared library with a C header, runs it on
# random inputs and checks the result against NumPy. Files land in
# build/example/<name>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${TNC_BUILD_DIR:-$ROOT/build}
BIN=$BUILD_DIR/bin
if [ $# -gt 0 ]; then NETWORKS=("$@"); else NETWORKS=("$ROOT"/examples/*.json); fi

"$ROOT/scripts/setup.sh"

for NETWORK in "${NETWORKS[@]}"; do
  NAME=$(basename "$NETWORK" .json)
  OUT=$BUILD_DIR/example/$NAME
  mkdir -p "$OUT"
  echo
  echo "######## $NAME"
  echo
  echo "== 1. import   (tn-translate --import-network $NETWORK)"
  "$BIN/tn-translate" --import-network "$NETWORK" -o "$OUT/network.mlir"
  if [ "$(wc -c < "$OUT/network.mlir")" -lt 2000 ]; then
    cat "$OUT/network.mlir"
  else
    cut -c1-200 "$OUT/network.mlir" | head -4
    echo "  ... (full IR in $OUT/network.mlir)"
  fi

  echo
  echo "== 2. verify and round-trip   (tn-opt)"
  "$BIN/tn-opt" "$OUT/network.mlir" -o "$OUT/roundtrip.mlir"
  "$BIN/tn-opt" "$OUT/roundtrip.mlir" -mlir-print-op-generic | "$BIN/tn-opt" -o "$OUT/roundtrip2.mlir"
  cmp -s "$OUT/roundtrip.mlir" "$OUT/roundtrip2.mlir" && echo "ok: custom and generic forms round-trip to identical IR"

  echo
  echo "== 3. contraction order   (tn-opt --tn-optimize-contraction-order)"
  "$BIN/tn-opt" "$OUT/network.mlir" --mlir-print-op-on-diagnostic=false \
    --tn-optimize-contraction-order="algorithm=${TNC_ALGORITHM:-auto} seed=1 report-file=$OUT/report.json" \
    -o "$OUT/ordered.mlir" 2>&1 | grep -o "remark: .*" || true
  echo "report: $OUT/report.json"

  echo
  echo "== 4. structure, naive and optimized cost   (tn-translate --export-summary)"
  "$BIN/tn-translate" --export-summary "$OUT/ordered.mlir"

  echo
  echo "== 5. pairwise contractions   (tn-opt --tn-expand-network)"
  "$BIN/tn-opt" "$OUT/ordered.mlir" --tn-expand-network -o "$OUT/expanded.mlir"
  STEPS=$(grep -c "tn\.contract" "$OUT/expanded.mlir" || true)
  grep -E "tn\.contract|scf\.for" "$OUT/expanded.mlir" | sed 's/^ */  /' | cut -c1-200 | head -6
  [ "$STEPS" -gt 6 ] && echo "  ... ($STEPS tn.contract in $OUT/expanded.mlir)"

  echo
  echo "== 6. drawing of the network and its tree   (tn-translate --export-dot)"
  "$BIN/tn-translate" --export-dot "$OUT/ordered.mlir" -o "$OUT/network.dot"
  if command -v dot >/dev/null; then
    dot -Tsvg "$OUT/network.dot" -o "$OUT/network.svg"
    echo "wrote $OUT/network.dot and $OUT/network.svg"
  else
    echo "wrote $OUT/network.dot"
  fi

  echo
  echo "== 7. compile for this CPU   (tn-opt --tn-cpu-pipeline | tn-translate --emit-shared-library / --emit-c-header)"
  "$BIN/tn-opt" "$OUT/network.mlir" --tn-cpu-pipeline -o "$OUT/lowered.mlir"
  "$BIN/tn-translate" --emit-shared-library "$OUT/lowered.mlir" -o "$OUT/lib$NAME.so"
  "$BIN/tn-translate" --emit-c-header "$OUT/lowered.mlir" -o "$OUT/$NAME.h"
  echo "wrote $OUT/lib$NAME.so and $OUT/$NAME.h:"
  grep -E "^int32_t tn_" "$OUT/$NAME.h" | sed 's/^/  /'

  echo
  echo "== 8. run it and check against NumPy   (scripts/run_compiled.py)"
  "${PYTHON:-python3}" "$ROOT/scripts/run_compiled.py" "$NETWORK" "$OUT/lib$NAME.so"
done
