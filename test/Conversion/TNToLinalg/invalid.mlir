// RUN: tn-opt %s --convert-tn-to-linalg --verify-diagnostics

func.func @sliced(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{sliced networks must be expanded first (run tn-expand-network)}}
  %0 = tn.network "ij,jk->ik" (%a, %b) {sliced_indices = ["j"]} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
