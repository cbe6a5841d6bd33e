// RUN: tn-opt %s -canonicalize | FileCheck %s

// A one-operand network whose output is its operand's index list, in order,
// is the identity and folds away.
// CHECK-LABEL: func @identity
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>)
// CHECK-NOT: tn.network
// CHECK: return %[[A]]
func.func @identity(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tn.network (%a[left, right]) -> [left, right] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// A permutation, a trace, a reduction and a widening are not identities.
// CHECK-LABEL: func @not_identity
// CHECK-COUNT-4: tn.network
func.func @not_identity(%a: tensor<2x3xf32>, %s: tensor<3x3xf32>, %h: tensor<2x3xbf16>) -> (tensor<3x2xf32>, tensor<f32>, tensor<2xf32>, tensor<2x3xf32>) {
  %0 = tn.network "ij->ji" (%a) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = tn.network "ii->" (%s) : (tensor<3x3xf32>) -> tensor<f32>
  %2 = tn.network "ij->i" (%a) : (tensor<2x3xf32>) -> tensor<2xf32>
  %3 = tn.network "ij->ij" (%h) : (tensor<2x3xbf16>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<3x2xf32>, tensor<f32>, tensor<2xf32>, tensor<2x3xf32>
}

// Unused networks are pure and are erased.
// CHECK-LABEL: func @dead
// CHECK-NOT: tn.
// CHECK: return
func.func @dead(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  %0 = tn.network "ij,jk->ik" (%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = tn.contract "ij,jk->ik" (%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %u, %s, %v, %r, %e = tn.svd %1[i, k] -> [i, b], [b, k] : tensor<2x4xf32> -> (tensor<2x2xf32>, tensor<2xf32>, tensor<2x4xf32>, index, f32)
  return
}
