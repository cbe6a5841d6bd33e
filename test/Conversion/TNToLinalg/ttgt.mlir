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

// Copies that cost more than the product: the cost model keeps the direct
// loop nest; strategy=ttgt forces the transposes.
// CHECK-LABEL: func @copy_bound
// CHECK-NOT: linalg.matmul
// CHECK: linalg.generic
// TTGT-LABEL: func @copy_bound
// TTGT: linalg.transpose
// TTGT: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4096x2xf32>, tensor<2x4xf32>)
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
