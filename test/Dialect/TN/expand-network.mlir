// RUN: tn-opt %s --split-input-file --tn-expand-network | FileCheck %s

// The path decides the tree; intermediates keep the indices still needed, in
// order of first appearance; the last step produces the output order.
// CHECK-LABEL: func @tt_layer
// CHECK-SAME: (%[[X:.*]]: tensor<256x8x16x16xf32>, %[[G1:.*]]: tensor<8x10x8xf32>, %[[G2:.*]]: tensor<8x16x10x8xf32>, %[[G3:.*]]: tensor<8x16x10xf32>)
// CHECK: %[[A:.*]] = tn.contract (%[[X]][batch, i1, i2, i3], %[[G3]][r2, i3, o3]) -> [batch, i1, i2, r2, o3] : (tensor<256x8x16x16xf32>, tensor<8x16x10xf32>) -> tensor<256x8x16x8x10xf32>
// CHECK: %[[B:.*]] = tn.contract (%[[G2]][r1, i2, o2, r2], %[[A]][batch, i1, i2, r2, o3]) -> [r1, o2, batch, i1, o3]
// CHECK: %[[C:.*]] = tn.contract (%[[G1]][i1, o1, r1], %[[B]][r1, o2, batch, i1, o3]) -> [batch, o1, o2, o3] : (tensor<8x10x8xf32>, tensor<8x10x256x8x10xf32>) -> tensor<256x10x10x10xf32>
// CHECK: return %[[C]]
func.func @tt_layer(%x: tensor<256x8x16x16xf32>, %g1: tensor<8x10x8xf32>, %g2: tensor<8x16x10x8xf32>, %g3: tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32> {
  %0 = tn.network (%x[batch, i1, i2, i3], %g1[i1, o1, r1], %g2[r1, i2, o2, r2], %g3[r2, i3, o3]) -> [batch, o1, o2, o3] {path = #tn.path<(0, 3), (2, 4), (1, 5)>} : (tensor<256x8x16x16xf32>, tensor<8x10x8xf32>, tensor<8x16x10x8xf32>, tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32>
  return %0 : tensor<256x10x10x10xf32>
}

// -----

// Without a path: left to right. Hyperedges stay while a later operand or
// the output holds them; traces are passed through to tn.contract.
// CHECK-LABEL: func @no_path
// CHECK: %[[A:.*]] = tn.contract "aab,bc->bc"
// CHECK: tn.contract "bc,bd->bc" (%[[A]], %{{.*}})
func.func @no_path(%x: tensor<4x4x3xf32>, %y: tensor<3x5xf32>, %z: tensor<3x2xf32>) -> tensor<3x5xf32> {
  %0 = tn.network "aab,bc,bd->bc" (%x, %y, %z) : (tensor<4x4x3xf32>, tensor<3x5xf32>, tensor<3x2xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// bf16 operands accumulating into f32 are extended first.
// CHECK-LABEL: func @widen
// CHECK: %[[A:.*]] = arith.extf %{{.*}} : tensor<2x3xbf16> to tensor<2x3xf32>
// CHECK: %[[B:.*]] = arith.extf %{{.*}} : tensor<3x4xbf16> to tensor<3x4xf32>
// CHECK: tn.contract "ij,jk->ik" (%[[A]], %[[B]]) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
func.func @widen(%a: tensor<2x3xbf16>, %b: tensor<3x4xbf16>) -> tensor<2x4xf32> {
  %0 = tn.network "ij,jk->ik" (%a, %b) : (tensor<2x3xbf16>, tensor<3x4xbf16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// One operand and no slicing: left alone.
// CHECK-LABEL: func @single
// CHECK: tn.network "iij->j"
func.func @single(%a: tensor<3x3x2xf32>) -> tensor<2xf32> {
  %0 = tn.network "iij->j" (%a) : (tensor<3x3x2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Slicing a summed index (j) and an output index (l): a loop over 3 * 5
// slices, one-element slices of the operands, and accumulation into the
// output's slice along l.
// CHECK-LABEL: func @sliced
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f64)
// CHECK: %[[C15:.*]] = arith.constant 15 : index
// CHECK: scf.for %[[S:.*]] = %{{.*}} to %[[C15]] step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (tensor<2x5xf64>)
// CHECK-DAG: %[[L:.*]] = arith.remui %{{.*}}, %{{.*}} : index
// CHECK-DAG: tensor.extract_slice %{{.*}}[0, %{{.*}}] [2, 1] [1, 1] : tensor<2x3xf64> to tensor<2xf64>
// CHECK-DAG: tensor.extract_slice %{{.*}}[%{{.*}}, 0] [1, 4] [1, 1] : tensor<3x4xf64> to tensor<4xf64>
// CHECK-DAG: tensor.extract_slice %{{.*}}[0, %{{.*}}] [4, 1] [1, 1] : tensor<4x5xf64> to tensor<4xf64>
// CHECK: tn.contract
// CHECK: %[[PART:.*]] = tn.contract {{.*}} -> tensor<2xf64>
// CHECK: %[[OLD:.*]] = tensor.extract_slice %[[ACC]][0, %{{.*}}] [2, 1] [1, 1] : tensor<2x5xf64> to tensor<2xf64>
// CHECK: %[[SUM:.*]] = linalg.add ins(%[[PART]], %[[OLD]] : tensor<2xf64>, tensor<2xf64>)
// CHECK: %[[NEW:.*]] = tensor.insert_slice %[[SUM]] into %[[ACC]][0, %{{.*}}] [2, 1] [1, 1]
// CHECK: scf.yield %[[NEW]]
// CHECK-NEXT: } {tn.slices}
func.func @sliced(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<4x5xf64>) -> tensor<2x5xf64> {
  %0 = tn.network "ij,jk,kl->il" (%a, %b, %c) {path = #tn.path<(0, 1), (3, 2)>, sliced_indices = ["j", "l"]} : (tensor<2x3xf64>, tensor<3x4xf64>, tensor<4x5xf64>) -> tensor<2x5xf64>
  return %0 : tensor<2x5xf64>
}

// -----

// Complex accumulators start at a complex zero; summed-only slicing adds the
// whole part.
// CHECK-LABEL: func @sliced_complex
// CHECK: complex.constant [0.000000e+00 : f32, 0.000000e+00 : f32] : complex<f32>
// CHECK: scf.for
// CHECK: linalg.add ins(%{{.*}}, %{{.*}} : tensor<2x4xcomplex<f32>>, tensor<2x4xcomplex<f32>>) outs(%{{.*}} : tensor<2x4xcomplex<f32>>)
func.func @sliced_complex(%a: tensor<2x3xcomplex<f32>>, %b: tensor<3x4xcomplex<f32>>) -> tensor<2x4xcomplex<f32>> {
  %0 = tn.network "ij,jk->ik" (%a, %b) {sliced_indices = ["j"]} : (tensor<2x3xcomplex<f32>>, tensor<3x4xcomplex<f32>>) -> tensor<2x4xcomplex<f32>>
  return %0 : tensor<2x4xcomplex<f32>>
}
