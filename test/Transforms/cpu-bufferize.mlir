// RUN: tn-opt %s --split-input-file --tn-cpu-bufferize | FileCheck %s

// A result that is a reshape of a fresh allocation (TTGT's expand_shape of
// a GEMM result) is computed in the out-parameter: the allocation becomes
// the inverse reshape of the out-parameter and no copy is left.
// CHECK-LABEL: func @reshaped_result
// CHECK-SAME: %[[A:[^:]*]]: memref<4x6xf32>, %[[OUT:[^:]*]]: memref<4x2x3xf32>)
// CHECK-NOT: memref.alloc
// CHECK: %[[V:.*]] = memref.collapse_shape %[[OUT]] {{\[\[}}0], [1, 2]] : memref<4x2x3xf32> into memref<4x6xf32>
// CHECK: linalg.generic {{.*}} ins(%[[A]] : memref<4x6xf32>) outs(%[[V]] : memref<4x6xf32>)
// CHECK-NOT: memref.copy
// CHECK: return
func.func @reshaped_result(%a: tensor<4x6xf32>) -> tensor<4x2x3xf32> {
  %e = tensor.empty() : tensor<4x6xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x6xf32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %x : f32
    linalg.yield %y : f32
  } -> tensor<4x6xf32>
  %x = tensor.expand_shape %r [[0], [1, 2]] output_shape [4, 2, 3] : tensor<4x6xf32> into tensor<4x2x3xf32>
  return %x : tensor<4x2x3xf32>
}

// -----

// Two reshapes (collapse, then expand) are undone in reverse order.
// CHECK-LABEL: func @two_reshapes
// CHECK-SAME: %[[OUT:[^:]*]]: memref<3x8xf32>)
// CHECK-NOT: memref.alloc
// CHECK: %[[C:.*]] = memref.collapse_shape %[[OUT]] {{\[\[}}0, 1]] : memref<3x8xf32> into memref<24xf32>
// CHECK: %[[V:.*]] = memref.expand_shape %[[C]] {{\[\[}}0, 1, 2]] output_shape [2, 3, 4] : memref<24xf32> into memref<2x3x4xf32>
// CHECK: outs(%[[V]] : memref<2x3x4xf32>)
// CHECK-NOT: memref.copy
func.func @two_reshapes(%a: tensor<2x3x4xf32>) -> tensor<3x8xf32> {
  %e = tensor.empty() : tensor<2x3x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, j, k)>, affine_map<(i, j, k) -> (i, j, k)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : tensor<2x3x4xf32>) outs(%e : tensor<2x3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.addf %x, %x : f32
    linalg.yield %y : f32
  } -> tensor<2x3x4xf32>
  %c = tensor.collapse_shape %r [[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
  %x = tensor.expand_shape %c [[0, 1]] output_shape [3, 8] : tensor<24xf32> into tensor<3x8xf32>
  return %x : tensor<3x8xf32>
}

// -----

// The allocation is also the second result, computed in that
// out-parameter: the reshaped first result stays a copy of it.
// CHECK-LABEL: func @also_returned
// CHECK-SAME: %[[OUT0:[^:]*]]: memref<4x2x3xf32>, %[[OUT1:[^:]*]]: memref<4x6xf32>)
// CHECK: outs(%[[OUT1]] : memref<4x6xf32>)
// CHECK: %[[V:.*]] = memref.expand_shape %[[OUT1]]
// CHECK: memref.copy %[[V]], %[[OUT0]]
func.func @also_returned(%a: tensor<4x6xf32>) -> (tensor<4x2x3xf32>, tensor<4x6xf32>) {
  %e = tensor.empty() : tensor<4x6xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x6xf32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %x : f32
    linalg.yield %y : f32
  } -> tensor<4x6xf32>
  %x = tensor.expand_shape %r [[0], [1, 2]] output_shape [4, 2, 3] : tensor<4x6xf32> into tensor<4x2x3xf32>
  return %x, %r : tensor<4x2x3xf32>, tensor<4x6xf32>
}

// -----

// A transpose that keeps the innermost dimension copies rows: vector
// transfers along it (output dim i is input dim perm[i]); other transposes
// stay linalg.transpose.
// CHECK-LABEL: func @row_transpose
// CHECK-SAME: %[[A:[^:]*]]: memref<4x3x10xf32>, %[[B:[^:]*]]: memref<5x7xf32>, %[[OUT0:[^:]*]]: memref<3x4x10xf32>, %[[OUT1:[^:]*]]: memref<7x5xf32>)
// CHECK-NOT: linalg.transpose {{.*}} memref<4x3x10xf32>
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[V:.*]] = vector.transfer_read %[[A]][%[[J]], %[[I]], %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<4x3x10xf32>, vector<10xf32>
// CHECK: vector.transfer_write %[[V]], %[[OUT0]][%[[I]], %[[J]], %{{.*}}] {in_bounds = [true]} : vector<10xf32>, memref<3x4x10xf32>
// CHECK: linalg.transpose ins(%[[B]] : memref<5x7xf32>) outs(%[[OUT1]] : memref<7x5xf32>) permutation = [1, 0]
func.func @row_transpose(%a: tensor<4x3x10xf32>, %b: tensor<5x7xf32>) -> (tensor<3x4x10xf32>, tensor<7x5xf32>) {
  %e = tensor.empty() : tensor<3x4x10xf32>
  %t = linalg.transpose ins(%a : tensor<4x3x10xf32>) outs(%e : tensor<3x4x10xf32>) permutation = [1, 0, 2]
  %e2 = tensor.empty() : tensor<7x5xf32>
  %u = linalg.transpose ins(%b : tensor<5x7xf32>) outs(%e2 : tensor<7x5xf32>) permutation = [1, 0]
  return %t, %u : tensor<3x4x10xf32>, tensor<7x5xf32>
}

// -----

// The parts of a split op write views of one buffer; their insert_slices
// bufferize to copies of each view onto itself, which are erased (no copy
// loops: strided copies are vectorized only after that cleanup).
// CHECK-LABEL: func @parts_in_place
// CHECK-NOT: vector.transfer_read
// CHECK-NOT: memref.copy
// CHECK-NOT: linalg.copy
// CHECK: return
func.func @parts_in_place(%a: tensor<8x80xf32>) -> tensor<8x80xf32> {
  %e = tensor.empty() : tensor<8x80xf32>
  %a0 = tensor.extract_slice %a[0, 0] [6, 80] [1, 1] : tensor<8x80xf32> to tensor<6x80xf32>
  %e0 = tensor.extract_slice %e[0, 0] [6, 80] [1, 1] : tensor<8x80xf32> to tensor<6x80xf32>
  %r0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%a0 : tensor<6x80xf32>) outs(%e0 : tensor<6x80xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %x : f32
    linalg.yield %y : f32
  } -> tensor<6x80xf32>
  %i0 = tensor.insert_slice %r0 into %e[0, 0] [6, 80] [1, 1] : tensor<6x80xf32> into tensor<8x80xf32>
  %a1 = tensor.extract_slice %a[6, 0] [2, 80] [1, 1] : tensor<8x80xf32> to tensor<2x80xf32>
  %e1 = tensor.extract_slice %i0[6, 0] [2, 80] [1, 1] : tensor<8x80xf32> to tensor<2x80xf32>
  %r1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%a1 : tensor<2x80xf32>) outs(%e1 : tensor<2x80xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.addf %x, %x : f32
    linalg.yield %y : f32
  } -> tensor<2x80xf32>
  %i1 = tensor.insert_slice %r1 into %i0[6, 0] [2, 80] [1, 1] : tensor<2x80xf32> into tensor<8x80xf32>
  return %i1 : tensor<8x80xf32>
}

// -----

// A copy between different strided buffers stays, as loops of vector
// transfers along the contiguous innermost dimension.
// CHECK-LABEL: func @strided_copy
// CHECK-SAME: %[[A:[^:]*]]: memref<8x128xf32>, %[[OUT:[^:]*]]: memref<4x64xf32>)
// CHECK: %[[V:.*]] = memref.subview %[[A]][2, 32] [4, 64] [1, 1]
// CHECK: scf.for
// CHECK: vector.transfer_read %[[V]]{{.*}} : memref<4x64xf32, strided<[128, 1], offset: 288>>, vector<64xf32>
// CHECK: vector.transfer_write %{{.*}}, %[[OUT]]
// CHECK-NOT: linalg.copy
// CHECK-NOT: memref.copy
// CHECK: return
func.func @strided_copy(%a: tensor<8x128xf32>) -> tensor<4x64xf32> {
  %s = tensor.extract_slice %a[2, 32] [4, 64] [1, 1] : tensor<8x128xf32> to tensor<4x64xf32>
  return %s : tensor<4x64xf32>
}
