// A network with a path also gets its contraction tree drawn.
// RUN: tn-translate --export-dot %s | FileCheck %s
// RUN: %if dot %{ tn-translate --export-dot %s | dot -Tsvg > %t.svg %}

// CHECK: subgraph cluster_0 {
// CHECK: subgraph cluster_tree_0 {
// CHECK-NEXT: label="contraction tree of @tt_layer: log10 cost 8.428, log2 width 21.32";
// CHECK-NEXT: c0_0 [shape=box, label="T0"];
// CHECK-NEXT: c0_1 [shape=box, label="T1"];
// CHECK-NEXT: c0_2 [shape=box, label="T2"];
// CHECK-NEXT: c0_3 [shape=box, label="T3"];
// CHECK-NEXT: c0_4 [shape=ellipse, label="step 0\n2^21.3 elements\n10^7.62 ops"];
// CHECK-NEXT: c0_0 -- c0_4;
// CHECK-NEXT: c0_3 -- c0_4;
// CHECK-NEXT: c0_5 [shape=ellipse, label="step 1\n2^20.6 elements\n10^8.32 ops"];
// CHECK-NEXT: c0_2 -- c0_5;
// CHECK-NEXT: c0_4 -- c0_5;
// CHECK-NEXT: c0_6 [shape=ellipse, label="step 2\n2^18.0 elements\n10^7.21 ops"];
// CHECK-NEXT: c0_1 -- c0_6;
// CHECK-NEXT: c0_5 -- c0_6;
// CHECK-NEXT: }
func.func @tt_layer(%x: tensor<256x8x16x16xf32>, %g1: tensor<8x10x8xf32>, %g2: tensor<8x16x10x8xf32>, %g3: tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32> {
  %0 = tn.network (%x[batch, i1, i2, i3], %g1[i1, o1, r1], %g2[r1, i2, o2, r2], %g3[r2, i3, o3]) -> [batch, o1, o2, o3] {path = #tn.path<(0, 3), (2, 4), (1, 5)>} : (tensor<256x8x16x16xf32>, tensor<8x10x8xf32>, tensor<8x16x10x8xf32>, tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32>
  return %0 : tensor<256x10x10x10xf32>
}
