// Bad options are errors, never silent defaults.
// RUN: not tn-opt %s --tn-optimize-contraction-order="algorithm=bogus" 2>&1 | FileCheck %s --check-prefix=ALGO
// ALGO: error: tn-optimize-contraction-order: unknown algorithm 'bogus' (expected auto, optimal, greedy, random-greedy, partition or hyper)
// RUN: not tn-opt %s --tn-optimize-contraction-order="objective=speed" 2>&1 | FileCheck %s --check-prefix=OBJ
// OBJ: error: tn-optimize-contraction-order: unknown objective 'speed'
// RUN: not tn-opt %s --tn-optimize-contraction-order="objective=combo-x" 2>&1 | FileCheck %s --check-prefix=OBJ2
// OBJ2: error: tn-optimize-contraction-order: unknown objective 'combo-x'
// RUN: not tn-opt %s --tn-optimize-contraction-order="max-time=-1" 2>&1 | FileCheck %s --check-prefix=TIME
// TIME: error: tn-optimize-contraction-order: max-time must be a finite non-negative number
// RUN: not tn-opt %s --tn-optimize-contraction-order="slice-target=0.5" 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: error: tn-optimize-contraction-order: memory-limit and slice-target count elements and must be at least 1
// RUN: not tn-opt %s --tn-optimize-contraction-order="repeats=-3" 2>&1 | FileCheck %s --check-prefix=REPEATS
// REPEATS: error: tn-optimize-contraction-order: repeats and threads must be non-negative
// RUN: not tn-opt %s --tn-optimize-contraction-order="repeats=abc" 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: 'abc' value invalid for integer argument
// The exact search refuses components beyond 64 tensors.
// RUN: tn-netgen regular --n=70 --degree=3 | tn-translate --import-network | not tn-opt --tn-optimize-contraction-order="algorithm=optimal" 2>&1 | FileCheck %s --check-prefix=TOOBIG
// TOOBIG: error: cannot choose a contraction order: optimal search failed on a component of 70 tensors:

func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = tn.network "ij,jk->ik" (%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
