// RUN: tn-opt %s --convert-tn-to-linalg --verify-diagnostics
// RUN: not tn-opt %s --convert-tn-to-linalg=strategy=bogus 2>&1 | FileCheck %s --check-prefix=STRATEGY

// STRATEGY: error: convert-tn-to-linalg: unknown strategy 'bogus' (expected auto, ttgt or generic)

func.func @sliced(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{sliced networks must be expanded first (run tn-expand-network)}}
  %0 = tn.network "ij,jk->ik" (%a, %b) {sliced_indices = ["j"]} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
