// RUN: not tn-translate --emit-object %s 2>&1 | FileCheck %s --check-prefix=UNLOWERED
// RUN: not tn-translate --emit-c-header %s 2>&1 | FileCheck %s --check-prefix=NOENTRY
// RUN: not tn-translate --emit-object --target-triple=nonsense-unknown-none --target-cpu=generic %S/emit.mlir 2>&1 | FileCheck %s --check-prefix=TRIPLE
// RUN: not tn-translate --emit-object --target-triple=aarch64-linux-gnu %S/emit.mlir 2>&1 | FileCheck %s --check-prefix=HOSTCPU
// RUN: not tn-translate --emit-shared-library --linker=no-such-linker-tnc %S/emit.mlir 2>&1 | FileCheck %s --check-prefix=LINKER

// UNLOWERED: error: the module is not lowered to the LLVM dialect (run tn-opt --tn-cpu-pipeline first)
// NOENTRY: error: no entry points: run tn-opt --tn-cpu-pipeline (which marks them with tn-prepare-c-abi) first
// TRIPLE: error: unknown target triple 'nonsense-unknown-none'
// HOSTCPU: error: --target-cpu=host with a foreign --target-triple 'aarch64-linux-gnu': name the CPU (e.g. generic)
// LINKER: error: cannot find the linker driver 'no-such-linker-tnc' on PATH (--linker)
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
