#!/usr/bin/env bash
# Installs everything tnc needs on Debian 12 (apt and pip), then configures
# and builds into build/. Idempotent: when everything is installed and built
# it only re-runs the (incremental) build.
#
#   scripts/setup.sh            install if needed, configure if needed, build
#   TNC_BUILD_DIR=dir           build somewhere else (default: build)
#   TNC_CMAKE_ARGS="..."        extra CMake arguments for a fresh configure
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${TNC_BUILD_DIR:-$ROOT/build}
LLVM_PREFIX=/usr/lib/llvm-22

APT_PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools   # LLVM/MLIR 22 (libMLIR.so, tblgen, lit, FileCheck)
  cmake ninja-build g++                      # build
  libgtest-dev                               # C++ unit tests
  graphviz                                   # checks --export-dot output
  libopenblas-dev liblapacke-dev             # CPU runtime: SVD/QR through LAPACKE
  libomp-22-dev                              # OpenMP runtime for multi-threaded kernels
  llvm-22                                    # llc/opt for checking generated code
)
PIP_PACKAGES=(numpy opt_einsum pytest)

log() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to run: $*" >&2; exit 1; fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import numpy, opt_einsum, pytest' >/dev/null 2>&1; then
  log "installing Python packages: ${PIP_PACKAGES[*]}"
  "$PYTHON" -m pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}" \
    || "$PYTHON" -m pip install -q --disable-pip-version-check --break-system-packages "${PIP_PACKAGES[@]}"
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  log "configuring $BUILD_DIR"
  # shellcheck disable=SC2086
  cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=$LLVM_PREFIX/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=$LLVM_PREFIX/bin/lit \
    -DPython3_EXECUTABLE="$(command -v "$PYTHON")" \
    ${TNC_CMAKE_ARGS:-} >/dev/null
fi
log "building in $BUILD_DIR"
# shellcheck disable=SC2086
if ! ninja -C "$BUILD_DIR" ${TNC_NINJA_ARGS:-} >"$BUILD_DIR/build.log" 2>&1; then
  grep -E -B2 -A12 'error|FAILED' "$BUILD_DIR/build.log" | head -80 >&2
  echo "setup: build failed; full log in $BUILD_DIR/build.log" >&2
  exit 1
fi
