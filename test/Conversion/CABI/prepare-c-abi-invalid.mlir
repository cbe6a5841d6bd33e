// RUN: tn-opt %s --split-input-file --tn-prepare-c-abi --verify-diagnostics

// expected-error @+1 {{entry point @dynamic: argument #0 has type 'tensor<?x3xf32>'; the C ABI takes statically shaped tensors of f16, bf16, f32, f64, complex<f32> or complex<f64>}}
func.func @dynamic(%a: tensor<?x3xf32>) -> tensor<3xf32> {
  %0 = tensor.empty() : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// expected-error @+1 {{entry point @integers: result #0 has type 'tensor<3xi32>'}}
func.func @integers(%a: tensor<3xf32>) -> tensor<3xi32> {
  %0 = tensor.empty() : tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// expected-error @+1 {{entry point @scalar: result #0 has type 'f32'}}
func.func @scalar(%a: tensor<3xf32>) -> f32 {
  %0 = arith.constant 0.0 : f32
  return %0 : f32
}

// -----

// expected-error @+1 {{entry point @nothing returns nothing}}
func.func @nothing(%a: tensor<3xf32>) {
  return
}
