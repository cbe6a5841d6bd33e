// RUN: tn-opt %s --split-input-file --convert-tn-to-linalg | FileCheck %s
// RUN: tn-opt %s --split-input-file --convert-tn-to-linalg=strategy=generic | FileCheck %s --check-prefix=GENERIC
// RUN: tn-opt %s --split-input-file --convert-tn-to-linalg="strategy=ttgt" | FileCheck %s --check-prefix=TTGT

// A plain matrix product is a linalg.matmul, without copies.
// CHECK-LABEL: func @matmul
// CHECK-NOT: linalg.transpose
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x48xf32>) outs(%{{.*}} : tensor<64x48xf32>)
// GENERIC-LABEL: func @matmul
// GENERIC-NOT: linalg.matmul
// GENERIC: linalg.generic
func.func @matmul(%a: tensor<64x32xf32>, %b: tensor<32x48xf32>) -> tensor<64x48xf32> {
  %0 = tn.contract "ik,kj->ij" (%a, %b) : (tensor<64x32xf32>, tensor<32x48xf32>) -> tensor<64x48xf32>
  return %0 : tensor<64x48xf32>
}

// -----

// The result is the transposed product of operands stored transposed: the
// GEMM operands are swapped, and nothing is copied.
// CHECK-LABEL: func @swapped
// CHECK-NOT: linalg.transpose
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<48x32xf32>, tensor<32x64xf32>) outs(%{{.*}} : tensor<48x64xf32>)
func.func @swapped(%a: tensor<32x64xf32>, %b: tensor<48x32xf32>) -> tensor<48x64xf32> {
  %0 = tn.contract "ki,jk->ji" (%a, %b) : (tensor<32x64xf32>, tensor<48x32xf32>) -> tensor<48x64xf32>
  return %0 : tensor<48x64xf32>
}

// -----

// The cheapest copy: the smaller operand into [K, N] (swapping would copy
// the larger operand and the result).
// CHECK-LABEL: func @one_copy
// CHECK: linalg.transpose ins(%{{.*}} : tensor<16x32xf32>) outs(%{{.*}} : tensor<32x16xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x16xf32>)
func.func @one_copy(%a: tensor<64x32xf32>, %b: tensor<16x32xf32>) -> tensor<64x16xf32> {
  %0 = tn.contract "ik,jk->ij" (%a, %b) : (tensor<64x32xf32>, tensor<16x32xf32>) -> tensor<64x16xf32>
  return %0 : tensor<64x16xf32>
}

// -----

// Batch index, grouped free indices collapsed into one GEMM dimension.
// CHECK-LABEL: func @batched
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3]] : tensor<4x8x16x32xf32> into tensor<4x128x32xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<4x128x32xf32>, tensor<4x32x24xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3]] output_shape [4, 8, 16, 24]
func.func @batched(%a: tensor<4x8x16x32xf32>, %b: tensor<4x32x24xf32>) -> tensor<4x8x16x24xf32> {
  %0 = tn.contract "bijk,bkl->bijl" (%a, %b) : (tensor<4x8x16x32xf32>, tensor<4x32x24xf32>) -> tensor<4x8x16x24xf32>
  return %0 : tensor<4x8x16x24xf32>
}

// -----

// The smaller operand is permuted to the larger one's contracted order; the
// bf16 operands are extended to f32 in the same pass.
// CHECK-LABEL: func @permuted_bf16
// CHECK: linalg.generic
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: linalg.generic
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x256xf32>, tensor<256x32xf32>)
func.func @permuted_bf16(%a: tensor<64x16x16xbf16>, %b: tensor<32x16x16xbf16>) -> tensor<64x32xf32> {
  %0 = tn.contract "ipq,jqp->ij" (%a, %b) : (tensor<64x16x16xbf16>, tensor<32x16x16xbf16>) -> tensor<64x32xf32>
  return %0 : tensor<64x32xf32>
}

// -----

// Rows of 4 elements: rather than copy the result (a GEMM with 4096-wide
// rows, then a transpose) or make the vector dimension 4 elements wide, the
// product runs its vectors along the 4096 columns: loops [Q, P, K], the
// operand with P laid out [K, P] (here in place) and passed second, the
// result in place (the CPU schedule stores its register tiles transposed).
// Only the 8-element operand is copied.
// CHECK-DAG: #[[R:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[L:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-LABEL: func @copy_bound
// CHECK-NOT: linalg.matmul
// CHECK: linalg.transpose ins(%{{.*}} : tensor<4x2xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#[[R]], #[[L]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2x4096xf32>) outs(%{{.*}} : tensor<4096x4xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: return
// TTGT-LABEL: func @copy_bound
// TTGT-NOT: linalg.matmul
// TTGT: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2x4096xf32>) outs(%{{.*}} : tensor<4096x4xf32>)
func.func @copy_bound(%a: tensor<2x64x64xf32>, %b: tensor<4x2xf32>) -> tensor<64x64x4xf32> {
  %0 = tn.contract "kij,lk->ijl" (%a, %b) : (tensor<2x64x64xf32>, tensor<4x2xf32>) -> tensor<64x64x4xf32>
  return %0 : tensor<64x64x4xf32>
}

// -----

// A trace and an index summed in one operand are reduced first; the rest is
// a matrix-vector product (a unit GEMM dimension).
// CHECK-DAG: #[[DIAG:.*]] = affine_map<(d0, d1) -> (d1, d0, d0)>
// CHECK-LABEL: func @trace_then_gemm
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], {{.*}}], iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<16x128x128xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [1, 128]
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x128xf32>, tensor<128x64xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<1x64xf32> into tensor<64xf32>
func.func @trace_then_gemm(%a: tensor<16x128x128xf32>, %b: tensor<128x64xf32>) -> tensor<64xf32> {
  %0 = tn.contract "ijj,jk->k" (%a, %b) : (tensor<16x128x128xf32>, tensor<128x64xf32>) -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

// -----

// The larger operand's leading free index (b) is a batch over which the
// smaller operand is broadcast: only the small operand is permuted; neither
// the large operand nor the result is copied (plain TTGT would copy both).
// CHECK-DAG: #[[BA:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[BB:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[BC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @broadcast_batch
// CHECK: linalg.transpose ins(%{{.*}} : tensor<8x10x8xf32>) outs(%{{.*}} : tensor<10x8x8xf32>) permutation = [1, 0, 2]
// CHECK-NOT: linalg.transpose
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3, 4]] : tensor<256x8x8x10x10xf32> into tensor<256x64x100xf32>
// CHECK: linalg.generic {indexing_maps = [#[[BA]], #[[BB]], #[[BC]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<10x64xf32>, tensor<256x64x100xf32>) outs(%{{.*}} : tensor<256x10x100xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [256, 10, 10, 10]
// CHECK-NOT: linalg.transpose
// CHECK: return
// GENERIC-LABEL: func @broadcast_batch
// GENERIC-NOT: linalg.transpose
// GENERIC: linalg.generic
// GENERIC-SAME: ins(%{{.*}}, %{{.*}} : tensor<8x10x8xf32>, tensor<256x8x8x10x10xf32>)
func.func @broadcast_batch(%g: tensor<8x10x8xf32>, %t: tensor<256x8x8x10x10xf32>) -> tensor<256x10x10x10xf32> {
  %0 = tn.contract "ior,birpq->bopq" (%g, %t) : (tensor<8x10x8xf32>, tensor<256x8x8x10x10xf32>) -> tensor<256x10x10x10xf32>
  return %0 : tensor<256x10x10x10xf32>
}

// -----

// Outer loops mixing a free index of the left operand (x, broadcast over the
// right one) and a batch index (b), complex elements: no copies, and x takes
// the place of the empty left free group.
// CHECK-DAG: #[[MA:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[MB:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3, d2)>
// CHECK-DAG: #[[MC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @mixed_outer
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#[[MA]], #[[MB]], #[[MC]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<6x4x32xcomplex<f64>>, tensor<4x32x48xcomplex<f64>>) outs(%{{.*}} : tensor<6x4x48xcomplex<f64>>)
// CHECK: complex.mul
// CHECK: complex.add
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @mixed_outer(%a: tensor<6x4x32xcomplex<f64>>, %b: tensor<4x32x48xcomplex<f64>>) -> tensor<6x4x48xcomplex<f64>> {
  %0 = tn.contract "xbk,bkn->xbn" (%a, %b) : (tensor<6x4x32xcomplex<f64>>, tensor<4x32x48xcomplex<f64>>) -> tensor<6x4x48xcomplex<f64>>
  return %0 : tensor<6x4x48xcomplex<f64>>
}

// -----

// Outer loops of batch indices only are the batch of linalg.batch_matmul.
// CHECK-LABEL: func @batch_prefix
// CHECK-NOT: linalg.generic
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<12x16x32xf64>, tensor<12x32x24xf64>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3]] output_shape [3, 4, 16, 24]
func.func @batch_prefix(%a: tensor<3x4x16x32xf64>, %b: tensor<3x4x32x24xf64>) -> tensor<3x4x16x24xf64> {
  %0 = tn.contract "abik,abkj->abij" (%a, %b) : (tensor<3x4x16x32xf64>, tensor<3x4x32x24xf64>) -> tensor<3x4x16x24xf64>
  return %0 : tensor<3x4x16x24xf64>
}

// -----

// The last step of a TT layer: the [1024 x 10] slices of the larger operand
// (batch, then 1024 contracted elements, then 10 free ones) are multiplied
// in place by the [100 x 1024] smaller one: vectors along its 100 rows,
// the result written in place. (The other layouts copy the larger operand,
// 655 K elements: a copy beyond 1 MiB counts 4 times.) The two outer loops of the larger operand
// alone (b, c) are one loop of 64 iterations.
// CHECK-DAG: #[[R:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>
// CHECK-DAG: #[[L:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d1)>
// CHECK-LABEL: func @short_rows_batched
// CHECK: linalg.transpose ins(%{{.*}} : tensor<10x10x32x32xf32>) outs(%{{.*}} : tensor<32x32x10x10xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3], [4]] : tensor<8x8x32x32x10xf32> into tensor<64x1024x10xf32>
// CHECK: linalg.generic {indexing_maps = [#[[R]], #[[L]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<64x1024x10xf32>, tensor<1024x100xf32>) outs(%{{.*}} : tensor<64x100x10xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @short_rows_batched(%w: tensor<10x10x32x32xf32>, %t: tensor<8x8x32x32x10xf32>) -> tensor<8x8x10x10x10xf32> {
  %0 = tn.contract (%w[o1, o2, i1, i2], %t[b, c, i1, i2, o3]) -> [b, c, o1, o2, o3] : (tensor<10x10x32x32xf32>, tensor<8x8x32x32x10xf32>) -> tensor<8x8x10x10x10xf32>
  return %0 : tensor<8x8x10x10x10xf32>
}

// -----

// Not vectorized along the columns: complex elements (the CPU schedule does
// not vectorize them), and rows of one element (a plain GEMM has its
// vectors there already).
// CHECK-LABEL: func @short_rows_complex
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x64x64xcomplex<f32>>, tensor<4x2xcomplex<f32>>)
func.func @short_rows_complex(%a: tensor<2x64x64xcomplex<f32>>, %b: tensor<4x2xcomplex<f32>>) -> tensor<64x64x4xcomplex<f32>> {
  %0 = tn.contract "kij,lk->ijl" (%a, %b) : (tensor<2x64x64xcomplex<f32>>, tensor<4x2xcomplex<f32>>) -> tensor<64x64x4xcomplex<f32>>
  return %0 : tensor<64x64x4xcomplex<f32>>
}
// CHECK-LABEL: func @unit_rows
// CHECK-NOT: linalg.generic
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<512x256xf32>, tensor<256x256xf32>)
func.func @unit_rows(%w: tensor<256x256xf32>, %t: tensor<32x16x256x1xf32>) -> tensor<32x16x256x1xf32> {
  %0 = tn.contract "kp,yzkq->yzpq" (%w, %t) : (tensor<256x256xf32>, tensor<32x16x256x1xf32>) -> tensor<32x16x256x1xf32>
  return %0 : tensor<32x16x256x1xf32>
}
