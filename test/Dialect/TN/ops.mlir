// RUN: tn-opt %s | FileCheck %s
// Round trip through the custom and the generic forms.
// RUN: tn-opt %s | tn-opt | FileCheck %s
// RUN: tn-opt %s -mlir-print-op-generic | tn-opt | FileCheck %s

// CHECK-LABEL: func @matmul
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // CHECK: tn.network "ij,jk->ik" (%{{.*}}, %{{.*}}) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %0 = tn.network "ij,jk->ik" (%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// Single-letter names given in the bracketed form print in einsum form.
// CHECK-LABEL: func @bracket_to_einsum
func.func @bracket_to_einsum(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // CHECK: tn.network "ij,jk->ik"
  %0 = tn.network (%a[i, j], %b[j, k]) -> [i, k] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// Long, numeric, quoted and non-ASCII index names use the bracketed form.
// CHECK-LABEL: func @named_indices
func.func @named_indices(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<4x5xf64>) -> tensor<2x5xf64> {
  // CHECK: tn.network (%{{.*}}[left, bond1], %{{.*}}[bond1, "k'"], %{{.*}}["k'", 17]) -> [left, 17]
  %0 = tn.network (%a[left, bond1], %b[bond1, "k'"], %c["k'", 17]) -> [left, 17] : (tensor<2x3xf64>, tensor<3x4xf64>, tensor<4x5xf64>) -> tensor<2x5xf64>
  return %0 : tensor<2x5xf64>
}

// CHECK-LABEL: func @unicode_and_escapes
func.func @unicode_and_escapes(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: tn.network (%{{.*}}["É", "a\"b\\c\0A"]) -> ["a\"b\\c\0A", "É"]
  %0 = tn.network (%a["É", "a\"b\\c\0A"]) -> ["a\"b\\c\0A", "\C3\89"] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// Keyword-like names are plain identifiers.
// CHECK-LABEL: func @keyword_names
func.func @keyword_names(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // CHECK: tn.network (%{{.*}}[f32, index]) -> [f32]
  %0 = tn.network (%a[f32, index]) -> [f32] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// CHECK-LABEL: func @path
func.func @path(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // CHECK: tn.network "ij,jk,kl->il" ({{.*}}) {path = #tn.path<(1, 2), (0, 3)>}
  %0 = tn.network "ij,jk,kl->il" (%a, %b, %c) {path = #tn.path<(1, 2), (0, 3)>} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// Hyperedge (b in three operands), batch index (b kept), trace (a a),
// outer product and scalar results.
// CHECK-LABEL: func @index_semantics
func.func @index_semantics(%x: tensor<4x4x3xf32>, %y: tensor<3x5xf32>, %z: tensor<3xf32>, %u: tensor<2xf32>, %v: tensor<6xf32>) -> (tensor<3x5xf32>, tensor<2x6xf32>, tensor<f32>, tensor<3xf32>) {
  // CHECK: tn.network "aab,bc,b->bc"
  %0 = tn.network "aab,bc,b->bc" (%x, %y, %z) : (tensor<4x4x3xf32>, tensor<3x5xf32>, tensor<3xf32>) -> tensor<3x5xf32>
  // CHECK: tn.network "i,j->ij"
  %1 = tn.network "i,j->ij" (%u, %v) : (tensor<2xf32>, tensor<6xf32>) -> tensor<2x6xf32>
  // CHECK: tn.network "bc,bc->"
  %2 = tn.network "bc,bc->" (%y, %y) : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<f32>
  // CHECK: tn.network "aab->b"
  %3 = tn.network "aab->b" (%x) : (tensor<4x4x3xf32>) -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3x5xf32>, tensor<2x6xf32>, tensor<f32>, tensor<3xf32>
}

// Every element type; f16 and bf16 may accumulate into an f32 result.
// CHECK-LABEL: func @element_types
func.func @element_types(%h: tensor<2x2xf16>, %bh: tensor<2x2xbf16>, %d: tensor<2x2xf64>, %c: tensor<2x2xcomplex<f32>>, %z: tensor<2x2xcomplex<f64>>) {
  // CHECK: -> tensor<2x2xf16>
  %0 = tn.network "ij,jk->ik" (%h, %h) : (tensor<2x2xf16>, tensor<2x2xf16>) -> tensor<2x2xf16>
  // CHECK: -> tensor<2x2xf32>
  %1 = tn.network "ij,jk->ik" (%bh, %bh) : (tensor<2x2xbf16>, tensor<2x2xbf16>) -> tensor<2x2xf32>
  // CHECK: -> tensor<2x2xf64>
  %2 = tn.network "ij,jk->ik" (%d, %d) : (tensor<2x2xf64>, tensor<2x2xf64>) -> tensor<2x2xf64>
  // CHECK: -> tensor<2x2xcomplex<f32>>
  %3 = tn.network "ij,jk->ik" (%c, %c) : (tensor<2x2xcomplex<f32>>, tensor<2x2xcomplex<f32>>) -> tensor<2x2xcomplex<f32>>
  // CHECK: -> tensor<complex<f64>>
  %4 = tn.network "ij,ij->" (%z, %z) : (tensor<2x2xcomplex<f64>>, tensor<2x2xcomplex<f64>>) -> tensor<complex<f64>>
  return
}

// CHECK-LABEL: func @contract
func.func @contract(%a: tensor<8x2x3xf32>, %b: tensor<8x3x4xf32>, %x: tensor<4x2x8xf64>, %y: tensor<8x4xf64>) -> (tensor<8x2x4xf32>, tensor<4x2x4xf64>) {
  // CHECK: tn.contract "bij,bjk->bik" (%{{.*}}, %{{.*}}) : (tensor<8x2x3xf32>, tensor<8x3x4xf32>) -> tensor<8x2x4xf32>
  %0 = tn.contract "bij,bjk->bik" (%a, %b) : (tensor<8x2x3xf32>, tensor<8x3x4xf32>) -> tensor<8x2x4xf32>
  // CHECK: tn.contract (%{{.*}}[left, phys, bond], %{{.*}}[bond, right]) -> [left, phys, right]
  %1 = tn.contract (%x[left, phys, bond], %y[bond, right]) -> [left, phys, right] : (tensor<4x2x8xf64>, tensor<8x4xf64>) -> tensor<4x2x4xf64>
  return %0, %1 : tensor<8x2x4xf32>, tensor<4x2x4xf64>
}

// CHECK-LABEL: func @svd
func.func @svd(%t: tensor<16x2x16xf64>, %c: tensor<4x6xcomplex<f32>>) {
  // CHECK: %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} = tn.svd %{{.*}}[l, p, r] -> [l, p, b], [b, r] {trunc = #tn.trunc<max_rank = 8, weight_cutoff = 1.0e-12>} : tensor<16x2x16xf64> -> (tensor<16x2x8xf64>, tensor<8xf64>, tensor<8x16xf64>, index, f64)
  %u, %s, %v, %rank, %err = tn.svd %t[l, p, r] -> [l, p, b], [b, r] {trunc = #tn.trunc<max_rank = 8, weight_cutoff = 1.0e-12>} : tensor<16x2x16xf64> -> (tensor<16x2x8xf64>, tensor<8xf64>, tensor<8x16xf64>, index, f64)
  // The bond may sit anywhere in either factor; no rule means no truncation.
  // CHECK: tn.svd %{{.*}}[l, p, r] -> [b, r], [p, b, l] : tensor<16x2x16xf64> -> (tensor<16x16xf64>, tensor<16xf64>, tensor<2x16x16xf64>, index, f64)
  %u2, %s2, %v2, %rank2, %err2 = tn.svd %t[l, p, r] -> [b, r], [p, b, l] : tensor<16x2x16xf64> -> (tensor<16x16xf64>, tensor<16xf64>, tensor<2x16x16xf64>, index, f64)
  // The default rule, written out, is elided.
  // CHECK: tn.svd %{{.*}}[i, j] -> [i, k], [k, j] : tensor<4x6xcomplex<f32>> -> (tensor<4x4xcomplex<f32>>, tensor<4xf32>, tensor<4x6xcomplex<f32>>, index, f32)
  %u3, %s3, %v3, %rank3, %err3 = tn.svd %c[i, j] -> [i, k], [k, j] {trunc = #tn.trunc<>} : tensor<4x6xcomplex<f32>> -> (tensor<4x4xcomplex<f32>>, tensor<4xf32>, tensor<4x6xcomplex<f32>>, index, f32)
  return
}

// CHECK-LABEL: func @qr
func.func @qr(%t: tensor<16x2x16xf32>) {
  // CHECK: tn.qr %{{.*}}[l, p, r] -> [l, p, b], [b, r] : tensor<16x2x16xf32> -> (tensor<16x2x16xf32>, tensor<16x16xf32>)
  %q, %r = tn.qr %t[l, p, r] -> [l, p, b], [b, r] : tensor<16x2x16xf32> -> (tensor<16x2x16xf32>, tensor<16x16xf32>)
  // CHECK: tn.qr %{{.*}}[l, p, r] -> [l, b], [p, r, b] : tensor<16x2x16xf32> -> (tensor<16x16xf32>, tensor<2x16x16xf32>)
  %q2, %r2 = tn.qr %t[l, p, r] -> [l, b], [p, r, b] : tensor<16x2x16xf32> -> (tensor<16x16xf32>, tensor<2x16x16xf32>)
  return
}

// CHECK-LABEL: func @entropy
func.func @entropy(%s: tensor<8xf64>, %t: tensor<8xf32>) -> (f64, f32, f32) {
  // CHECK: tn.entropy %{{.*}} : tensor<8xf64> -> f64
  %0 = tn.entropy %s : tensor<8xf64> -> f64
  // CHECK: tn.entropy %{{.*}} {base = 2.000000e+00 : f64, order = 2.000000e+00 : f64} : tensor<8xf32> -> f32
  %1 = tn.entropy %t {order = 2.0, base = 2.0} : tensor<8xf32> -> f32
  // CHECK: tn.entropy %{{.*}} {normalize = false, order = 0x7FF0000000000000 : f64} : tensor<8xf32> -> f32
  %2 = tn.entropy %t {order = 0x7FF0000000000000 : f64, normalize = false} : tensor<8xf32> -> f32
  return %0, %1, %2 : f64, f32, f32
}
