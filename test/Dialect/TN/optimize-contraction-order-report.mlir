// The report file: one entry per network, the path in opt_einsum's linear
// format.
// RUN: tn-opt %s --tn-optimize-contraction-order="report-file=%t.json remarks=false" -o /dev/null
// RUN: FileCheck %s < %t.json
// An unwritable report is an error.
// RUN: not tn-opt %s --tn-optimize-contraction-order="report-file=%t.missing/r.json remarks=false" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNWRITABLE
// UNWRITABLE: error: tn-optimize-contraction-order: cannot write report '{{.*}}r.json': No such file or directory

// CHECK: [
// CHECK-NEXT: {
// CHECK-NEXT: "name": "tt_layer",
// CHECK-NEXT: "num_tensors": 4,
// CHECK-NEXT: "algorithm": "optimal",
// CHECK-NEXT: "log10_cost": 8.428203,
// CHECK-NEXT: "log2_width": 21.321928,
// CHECK-NEXT: "log10_write": 6.654739,
// CHECK-NEXT: "log10_flops": 8.729233,
// CHECK-NEXT: "num_slices": 1,
// CHECK-NEXT: "sliced_indices": [],
// CHECK-NEXT: "slice_overhead": 1.0,
// CHECK-NEXT: "search_seconds": {{[0-9.e-]+}},
// CHECK-NEXT: "trials": 0,
// CHECK-NEXT: "path": [
// CHECK-NEXT: [0, 3],
// CHECK-NEXT: [1, 2],
// CHECK-NEXT: [0, 1]
// CHECK-NEXT: ]
// CHECK-NEXT: },
// CHECK-NEXT: {
// CHECK-NEXT: "name": "chain",
// CHECK: "path": [
// CHECK-NEXT: [2, 3],
// CHECK-NEXT: [1, 2],
// CHECK-NEXT: [0, 1]
// CHECK-NEXT: ]
// CHECK-NEXT: }
// CHECK-NEXT: ]
func.func @tt_layer(%x: tensor<256x8x16x16xf32>, %g1: tensor<8x10x8xf32>, %g2: tensor<8x16x10x8xf32>, %g3: tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32> {
  %0 = tn.network (%x[batch, i1, i2, i3], %g1[i1, o1, r1], %g2[r1, i2, o2, r2], %g3[r2, i3, o3]) -> [batch, o1, o2, o3] : (tensor<256x8x16x16xf32>, tensor<8x10x8xf32>, tensor<8x16x10x8xf32>, tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32>
  return %0 : tensor<256x10x10x10xf32>
}
func.func @chain(%a: tensor<100x100xf64>, %b: tensor<100x100xf64>, %c: tensor<100x100xf64>, %d: tensor<100x2xf64>) -> tensor<100x2xf64> {
  %0 = tn.network "ij,jk,kl,lm->im" (%a, %b, %c, %d) : (tensor<100x100xf64>, tensor<100x100xf64>, tensor<100x100xf64>, tensor<100x2xf64>) -> tensor<100x2xf64>
  return %0 : tensor<100x2xf64>
}
