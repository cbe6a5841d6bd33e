// RUN: tn-opt %s --split-input-file --tn-prepare-c-abi | FileCheck %s

// Public functions with bodies are entry points: marked for the
// _mlir_ciface_ form, signature recorded. Private ones and declarations are
// left alone.
// CHECK-LABEL: func.func @net(
// CHECK-SAME: attributes {llvm.emit_c_interface, tn.c_abi_inputs = [tensor<2x3xf32>, tensor<3xcomplex<f64>>], tn.c_abi_results = [tensor<2xbf16>]}
// CHECK-LABEL: func.func private @helper(
// CHECK-NOT: tn.c_abi
// CHECK: func.func private @external
func.func @net(%a: tensor<2x3xf32>, %b: tensor<3xcomplex<f64>>) -> tensor<2xbf16> {
  %0 = func.call @helper() : () -> tensor<2xbf16>
  return %0 : tensor<2xbf16>
}
func.func private @helper() -> tensor<2xbf16> {
  %0 = tensor.empty() : tensor<2xbf16>
  return %0 : tensor<2xbf16>
}
func.func private @external(tensor<?xf32>) -> tensor<?xf32>
