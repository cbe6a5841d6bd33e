// RUN: tn-opt %s --split-input-file --convert-tn-to-linalg --verify-diagnostics | FileCheck %s

// The input is permuted into the bipartition's order and collapsed to a
// matrix, the runtime writes fresh buffers, the factors are reshaped and
// permuted into their index lists, and the status becomes the entry
// point's trailing i32 result.
// CHECK: func.func private @tnc_svd_f64(memref<?x?xf64>, memref<?x?xf64>, memref<?xf64>, memref<?x?xf64>, memref<?xi64>, memref<?xf64>, i64, i64, f64, f64, f64, i32, f64, i32, i32) -> i32 attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @svd(
// CHECK-SAME: -> (tensor<4x3x2xf64>, tensor<3xf64>, tensor<3x5xf64>, index, f64, i32)
// CHECK: linalg.transpose ins(%{{.*}} : tensor<4x5x2xf64>) outs(%{{.*}} : tensor<4x2x5xf64>) permutation = [0, 2, 1]
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<4x2x5xf64> into tensor<8x5xf64>
// CHECK: bufferization.to_buffer %{{.*}} read_only : tensor<8x5xf64> to memref<8x5xf64>
// CHECK-DAG: %[[MAX:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[CUT:.*]] = arith.constant 1.000000e-10 : f64
// CHECK-DAG: %[[BOTH:.*]] = arith.constant 3 : i32
// CHECK: %[[STATUS:.*]] = call @tnc_svd_f64(
// CHECK: bufferization.to_tensor %{{.*}} restrict writable : memref<8x3xf64> to tensor<8x3xf64>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [4, 2, 3]
// CHECK: linalg.transpose ins(%{{.*}} : tensor<4x2x3xf64>) outs(%{{.*}} : tensor<4x3x2xf64>) permutation = [0, 2, 1]
// CHECK: return %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[STATUS]] : tensor<4x3x2xf64>, tensor<3xf64>, tensor<3x5xf64>, index, f64, i32
func.func @svd(%t: tensor<4x5x2xf64>) -> (tensor<4x3x2xf64>, tensor<3xf64>, tensor<3x5xf64>, index, f64) {
  %u, %s, %v, %rank, %err = tn.svd %t[l, r, p] -> [l, b, p], [b, r]
      {trunc = #tn.trunc<max_rank = 3, weight_cutoff = 1.0e-10, absorb = both>}
      : tensor<4x5x2xf64> -> (tensor<4x3x2xf64>, tensor<3xf64>, tensor<3x5xf64>, index, f64)
  return %u, %s, %v, %rank, %err : tensor<4x3x2xf64>, tensor<3xf64>, tensor<3x5xf64>, index, f64
}

// -----

// Two decompositions: the first failure's status is returned.
// CHECK-LABEL: func.func @two_qr(
// CHECK-SAME: -> (tensor<3x3xcomplex<f32>>, tensor<3x3xcomplex<f32>>, i32)
// CHECK: %[[S1:.*]] = call @tnc_qr_c64(
// CHECK: %[[S2:.*]] = call @tnc_qr_c64(
// CHECK: %[[FAILED:.*]] = arith.cmpi ne, %[[S1]], %{{.*}} : i32
// CHECK: %[[S:.*]] = arith.select %[[FAILED]], %[[S1]], %[[S2]] : i32
// CHECK: return %{{.*}}, %{{.*}}, %[[S]]
func.func @two_qr(%t: tensor<3x3xcomplex<f32>>) -> (tensor<3x3xcomplex<f32>>, tensor<3x3xcomplex<f32>>) {
  %q, %r = tn.qr %t[i, j] -> [i, k], [k, j] : tensor<3x3xcomplex<f32>> -> (tensor<3x3xcomplex<f32>>, tensor<3x3xcomplex<f32>>)
  %q2, %r2 = tn.qr %q[i, k] -> [i, m], [m, k] : tensor<3x3xcomplex<f32>> -> (tensor<3x3xcomplex<f32>>, tensor<3x3xcomplex<f32>>)
  return %q2, %r : tensor<3x3xcomplex<f32>>, tensor<3x3xcomplex<f32>>
}

// -----

// A function called from elsewhere keeps its signature.
// CHECK-LABEL: func.func @callee(
// CHECK-SAME: -> (tensor<2x2xf32>, tensor<2x2xf32>) {
func.func @callee(%t: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %q, %r = tn.qr %t[i, j] -> [i, k], [k, j] : tensor<2x2xf32> -> (tensor<2x2xf32>, tensor<2x2xf32>)
  return %q, %r : tensor<2x2xf32>, tensor<2x2xf32>
}
func.func @caller(%t: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %q, %r = func.call @callee(%t) : (tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>)
  return %q : tensor<2x2xf32>
}

// -----

// The entropy is a pair of reductions.
// CHECK-LABEL: func.func @entropy(
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]
// CHECK: math.log
// CHECK: tensor.extract
func.func @entropy(%s: tensor<8xf32>) -> f32 {
  %e = tn.entropy %s : tensor<8xf32> -> f32
  return %e : f32
}

// -----

func.func @half(%t: tensor<4x4xf16>) -> (tensor<4x4xf16>, tensor<4x4xf16>) {
  // expected-error @+1 {{tn.qr on the CPU supports f32, f64, complex<f32> and complex<f64>, not 'f16'}}
  %q, %r = tn.qr %t[i, j] -> [i, k], [k, j] : tensor<4x4xf16> -> (tensor<4x4xf16>, tensor<4x4xf16>)
  return %q, %r : tensor<4x4xf16>, tensor<4x4xf16>
}
