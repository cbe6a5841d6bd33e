// RUN: tn-translate --export-summary %s | FileCheck %s
// RUN: not tn-translate --export-summary %S/../ExportDot/no-network.mlir 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: error: no tn.network to summarize

// The TT layer of the CPU benchmark (2048 -> 1000, rank 8, batch 256). The
// numbers agree with opt_einsum.contract_path on the same paths: left to
// right 10^8.995 flops, width 2^22.32; the optimal path
// [(0, 3), (1, 2), (0, 1)] (in SSA form (0, 3), (2, 4), (1, 5)) 10^8.729
// flops.
// CHECK-LABEL: network @tt_layer: 4 tensors, 9 indices, element type f32
// CHECK-NEXT: output: 4 open indices, tensor<256x10x10x10xf32>
// CHECK-NEXT: hyperedges (3+ tensors): 0, traced indices: 0, log2 largest input: 19.00
// CHECK: single loop nest: log10 cost 10.526
// CHECK-NEXT: left to right: log10 cost 8.694, log10 flops 8.995, log2 width 22.32
// CHECK-NEXT: path attribute: log10 cost 8.428, log10 flops 8.729, log2 width 21.32
// CHECK-NEXT: speed-up over left to right: 10^0.27
func.func @tt_layer(%x: tensor<256x8x16x16xf32>, %g1: tensor<8x10x8xf32>, %g2: tensor<8x16x10x8xf32>, %g3: tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32> {
  %0 = tn.network (%x[batch, i1, i2, i3], %g1[i1, o1, r1], %g2[r1, i2, o2, r2], %g3[r2, i3, o3]) -> [batch, o1, o2, o3] {path = #tn.path<(0, 3), (2, 4), (1, 5)>} : (tensor<256x8x16x16xf32>, tensor<8x10x8xf32>, tensor<8x16x10x8xf32>, tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32>
  return %0 : tensor<256x10x10x10xf32>
}

// A single operand: a trace costs one pass over its distinct indices (3);
// a transpose contracts nothing.
// CHECK-LABEL: network @trace
// CHECK: left to right: log10 cost 0.477
// CHECK-LABEL: network @transpose
// CHECK: left to right: log10 cost -inf, log10 flops -inf, log2 width 2.58, log10 write -inf
func.func @trace(%a: tensor<3x3xf32>) -> tensor<f32> {
  %0 = tn.network "ii->" (%a) : (tensor<3x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @transpose(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = tn.network "ij->ji" (%a) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// Hyperedges and batch indices: b is in three operands and the output.
// CHECK-LABEL: network @hyper: 3 tensors, 4 indices
// CHECK-NEXT: output: 2 open indices
// CHECK-NEXT: hyperedges (3+ tensors): 1, traced indices: 1
func.func @hyper(%x: tensor<4x4x3xf32>, %y: tensor<3x5xf32>, %z: tensor<3x2xf32>) -> tensor<3x5xf32> {
  %0 = tn.network "aab,bc,bd->bc" (%x, %y, %z) : (tensor<4x4x3xf32>, tensor<3x5xf32>, tensor<3x2xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}
