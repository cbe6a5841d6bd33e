// RUN: tn-opt %s --split-input-file --convert-tn-to-linalg=strategy=generic | FileCheck %s

// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @matmul
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[C:.*]]: f32):
// CHECK:   %[[M:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK:   %[[S:.*]] = arith.addf %[[C]], %[[M]] : f32
// CHECK:   linalg.yield %[[S]] : f32
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = tn.contract "ij,jk->ik" (%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// A trace maps two dimensions to one loop; a batch index is parallel.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d2, d0)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func @trace_batch
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[Y]], #[[O]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
func.func @trace_batch(%x: tensor<4x4x3xf64>, %y: tensor<3x2x5xf64>) -> tensor<3x5xf64> {
  %0 = tn.contract "aab,bdc->bc" (%x, %y) : (tensor<4x4x3xf64>, tensor<3x2x5xf64>) -> tensor<3x5xf64>
  return %0 : tensor<3x5xf64>
}

// -----

// Complex: complex.mul and complex.add, a complex zero.
// CHECK-LABEL: func @complex_scalar
// CHECK: complex.constant [0.000000e+00, 0.000000e+00] : complex<f64>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["reduction", "reduction"]
// CHECK: complex.mul
// CHECK: complex.add
func.func @complex_scalar(%a: tensor<2x3xcomplex<f64>>, %b: tensor<2x3xcomplex<f64>>) -> tensor<complex<f64>> {
  %0 = tn.contract "ij,ij->" (%a, %b) : (tensor<2x3xcomplex<f64>>, tensor<2x3xcomplex<f64>>) -> tensor<complex<f64>>
  return %0 : tensor<complex<f64>>
}

// -----

// bf16 operands of an f32 result are extended in the body.
// CHECK-LABEL: func @widen
// CHECK: ^bb0(%[[A:.*]]: bf16, %[[B:.*]]: bf16, %[[C:.*]]: f32):
// CHECK: arith.extf %[[A]] : bf16 to f32
// CHECK: arith.extf %[[B]] : bf16 to f32
func.func @widen(%a: tensor<2x3xbf16>, %b: tensor<3x4xbf16>) -> tensor<2x4xf32> {
  %0 = tn.network "ij,jk->ik" (%a, %b) : (tensor<2x3xbf16>, tensor<3x4xbf16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// A network that was not expanded: one loop nest over every index.
// CHECK-LABEL: func @network
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3x4xf32>, tensor<4x5xf32>)
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @network(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %0 = tn.network "ij,jk,kl->il" (%a, %b, %c) : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
