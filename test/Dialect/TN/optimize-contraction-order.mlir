// RUN: tn-opt %s --split-input-file --tn-optimize-contraction-order="algorithm=optimal" --verify-diagnostics | FileCheck %s

// CHECK-LABEL: func @tt_layer
// CHECK: tn.network {{.*}} {path = #tn.path<(0, 3), (2, 4), (1, 5)>}
func.func @tt_layer(%x: tensor<256x8x16x16xf32>, %g1: tensor<8x10x8xf32>, %g2: tensor<8x16x10x8xf32>, %g3: tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32> {
  // expected-remark @+1 {{contraction order (optimal): log10 cost 8.428, log2 width 21.32; left to right: log10 cost 8.694, log2 width 22.32}}
  %0 = tn.network (%x[batch, i1, i2, i3], %g1[i1, o1, r1], %g2[r1, i2, o2, r2], %g3[r2, i3, o3]) -> [batch, o1, o2, o3] : (tensor<256x8x16x16xf32>, tensor<8x10x8xf32>, tensor<8x16x10x8xf32>, tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32>
  return %0 : tensor<256x10x10x10xf32>
}

// -----

// A matrix chain: the optimum contracts the small end first.
// CHECK-LABEL: func @chain
// CHECK: {path = #tn.path<(2, 3), (1, 4), (0, 5)>}
func.func @chain(%a: tensor<100x100xf64>, %b: tensor<100x100xf64>, %c: tensor<100x100xf64>, %d: tensor<100x2xf64>) -> tensor<100x2xf64> {
  // expected-remark @+1 {{contraction order (optimal): log10 cost 4.778, log2 width 7.64; left to right: log10 cost 6.305, log2 width 13.29}}
  %0 = tn.network "ij,jk,kl,lm->im" (%a, %b, %c, %d) : (tensor<100x100xf64>, tensor<100x100xf64>, tensor<100x100xf64>, tensor<100x2xf64>) -> tensor<100x2xf64>
  return %0 : tensor<100x2xf64>
}

// -----

// Disconnected operands are joined by outer products, smallest first.
// CHECK-LABEL: func @outer
// CHECK: {path = #tn.path<(0, 1), (2, 3)>}
func.func @outer(%a: tensor<2xf32>, %b: tensor<3xf32>, %c: tensor<50xf32>) -> tensor<2x3x50xf32> {
  // expected-remark @+1 {{contraction order (optimal)}}
  %0 = tn.network "i,j,k->ijk" (%a, %b, %c) : (tensor<2xf32>, tensor<3xf32>, tensor<50xf32>) -> tensor<2x3x50xf32>
  return %0 : tensor<2x3x50xf32>
}

// -----

// One operand: nothing to order.
// CHECK-LABEL: func @single
// CHECK: tn.network "iij->j" {{.*}} {path = #tn.path<>}
func.func @single(%a: tensor<3x3x2xf32>) -> tensor<2xf32> {
  // expected-remark @+1 {{contraction order (optimal): log10 cost 0.778, log2 width 1.00}}
  %0 = tn.network "iij->j" (%a) : (tensor<3x3x2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
