// RUN: tn-opt %s --split-input-file --tn-cpu-schedule="target=x86-64-avx512" | FileCheck %s
// RUN: tn-opt %s --split-input-file --tn-cpu-schedule="target=x86-64-avx512 threads=2" | FileCheck %s --check-prefix=THREADS
// RUN: tn-opt %s --split-input-file --tn-cpu-schedule="target=x86-64" | FileCheck %s --check-prefix=AVX2
// RUN: tn-opt %s --split-input-file --tn-cpu-schedule="target=aarch64" | FileCheck %s --check-prefix=NEON
// RUN: tn-opt %s --split-input-file --tn-cpu-schedule="target=x86-64-avx512 register-tile=8,32 cache-tiles=64,512,128" | FileCheck %s --check-prefix=TILES
// RUN: not tn-opt %s --tn-cpu-schedule="target=sparc" 2>&1 | FileCheck %s --check-prefix=BADTARGET

// BADTARGET: unknown target 'sparc'

// A GEMM whose extents divide the 6 x 64 register tile and the cache tiles:
// packed B panels (K x 64 per register tile), packed A panels (6 x K), the
// reduction by one step with the 6 x 64 accumulator in registers, 24 FMAs
// on 16-wide vectors.
// CHECK-LABEL: func @matmul
// CHECK-NOT: linalg.matmul
// CHECK: tensor.empty() : tensor<4x256x64xf32>
// CHECK: scf.for {{.*}} step %c66
// CHECK: tensor.empty() : tensor<11x6x256xf32>
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<6x64xf32>, vector<6x64xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}} = %[[ACC]]) -> (vector<6x64xf32>)
// CHECK-COUNT-6: vector.fma {{.*}} : vector<64xf32>
// CHECK-NOT: vector.contract
// CHECK: return
// THREADS-LABEL: func @matmul
// THREADS: scf.forall
// THREADS: vector.fma
// AVX2-LABEL: func @matmul
// AVX2: vector.transfer_read {{.*}} vector<6x16xf32>
// AVX2: vector.fma {{.*}} : vector<16xf32>
// NEON-LABEL: func @matmul
// NEON: vector.fma {{.*}} : vector<16xf32>
// TILES-LABEL: func @matmul
// TILES: vector.transfer_read {{.*}} vector<8x32xf32>
// TILES: vector.fma {{.*}} : vector<32xf32>
func.func @matmul(%a: tensor<264x256xf32>, %b: tensor<256x256xf32>, %c: tensor<264x256xf32>) -> tensor<264x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<264x256xf32>, tensor<256x256xf32>) outs(%c : tensor<264x256xf32>) -> tensor<264x256xf32>
  return %r : tensor<264x256xf32>
}

// -----

// Edges: M = 70 = 66 + 4 and N = 200 = 192 + 8 are split off; the narrow N
// edge is padded to one vector.
// CHECK-LABEL: func @edges
// CHECK-NOT: linalg.matmul
// CHECK-DAG: tensor.extract_slice %{{.*}}[0, 0] [66, 130]
// CHECK-DAG: vector<4x64xf32>
// CHECK-DAG: vector<6x16xf32>
// CHECK: return
func.func @edges(%a: tensor<70x130xf32>, %b: tensor<130x200xf32>, %c: tensor<70x200xf32>) -> tensor<70x200xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<70x130xf32>, tensor<130x200xf32>) outs(%c : tensor<70x200xf32>) -> tensor<70x200xf32>
  return %r : tensor<70x200xf32>
}

// -----

// f64: 6 x 32 (four 8-wide vectors per row).
// CHECK-LABEL: func @matmul_f64
// CHECK: scf.for {{.*}} -> (vector<6x32xf64>)
// CHECK: vector.fma {{.*}} : vector<32xf64>
func.func @matmul_f64(%a: tensor<96x128xf64>, %b: tensor<128x128xf64>, %c: tensor<96x128xf64>) -> tensor<96x128xf64> {
  %r = linalg.matmul ins(%a, %b : tensor<96x128xf64>, tensor<128x128xf64>) outs(%c : tensor<96x128xf64>) -> tensor<96x128xf64>
  return %r : tensor<96x128xf64>
}

// -----

// batch_matmul: the batch dimension is an outer loop (and the threads'
// dimension).
// CHECK-LABEL: func @bmm
// CHECK-NOT: linalg.batch_matmul
// CHECK: vector.fma
// THREADS-LABEL: func @bmm
// THREADS: scf.forall {{.*}} in (2)
func.func @bmm(%a: tensor<8x96x128xf32>, %b: tensor<8x128x128xf32>, %c: tensor<8x96x128xf32>) -> tensor<8x96x128xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<8x96x128xf32>, tensor<8x128x128xf32>) outs(%c : tensor<8x96x128xf32>) -> tensor<8x96x128xf32>
  return %r : tensor<8x96x128xf32>
}

// -----

// A direct 6-D contraction, C[a,b,c,d] = sum_{e,f} A[a,e,b,f] B[f,c,e,d]:
// two reduction dimensions, both tiled by one in the kernel.
// CHECK-LABEL: func @contract6
// CHECK-NOT: linalg.generic
// CHECK: vector.fma
#mA = affine_map<(a, b, c, d, e, f) -> (a, e, b, f)>
#mB = affine_map<(a, b, c, d, e, f) -> (f, c, e, d)>
#mC = affine_map<(a, b, c, d, e, f) -> (a, b, c, d)>
func.func @contract6(%A: tensor<16x32x32x48xf32>, %B: tensor<48x12x32x64xf32>, %C: tensor<16x32x12x64xf32>) -> tensor<16x32x12x64xf32> {
  %0 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%A, %B : tensor<16x32x32x48xf32>, tensor<48x12x32x64xf32>) outs(%C : tensor<16x32x12x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x32x12x64xf32>
  return %0 : tensor<16x32x12x64xf32>
}

// -----

// bf16 operands extended to an f32 accumulator.
// CHECK-LABEL: func @bf16
// CHECK-NOT: linalg.generic
// CHECK: arith.extf {{.*}} : vector<{{.*}}xbf16> to vector<{{.*}}xf32>
// CHECK: vector.fma
func.func @bf16(%a: tensor<96x128xbf16>, %b: tensor<128x128xbf16>, %c: tensor<96x128xf32>) -> tensor<96x128xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<96x128xbf16>, tensor<128x128xbf16>) outs(%c : tensor<96x128xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xe = arith.extf %x : bf16 to f32
    %ye = arith.extf %y : bf16 to f32
    %m = arith.mulf %xe, %ye : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<96x128xf32>
  return %r : tensor<96x128xf32>
}

// -----

// Left to the generic lowering: complex element types, a B operand whose
// innermost dimension is not the output's, and ops below min-flops.
// CHECK-LABEL: func @complex
// CHECK: linalg.generic
// CHECK: complex.mul
func.func @complex(%a: tensor<64x64xcomplex<f32>>, %b: tensor<64x64xcomplex<f32>>, %c: tensor<64x64xcomplex<f32>>) -> tensor<64x64xcomplex<f32>> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<64x64xcomplex<f32>>, tensor<64x64xcomplex<f32>>) outs(%c : tensor<64x64xcomplex<f32>>) {
  ^bb0(%x: complex<f32>, %y: complex<f32>, %acc: complex<f32>):
    %m = complex.mul %x, %y : complex<f32>
    %s = complex.add %acc, %m : complex<f32>
    linalg.yield %s : complex<f32>
  } -> tensor<64x64xcomplex<f32>>
  return %r : tensor<64x64xcomplex<f32>>
}

// CHECK-LABEL: func @transposed_b
// CHECK: linalg.generic
func.func @transposed_b(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (j, k)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// CHECK-LABEL: func @tiny
// CHECK: linalg.matmul
func.func @tiny(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// The broadcast form of TTGT (convert-tn-to-linalg's outer loops): the small
// operand A[m, k] is reused for every b of B[b, k, n]. b plays an N
// dimension; the op is scheduled like a GEMM, with threads the forall runs
// over b. The 10 rows of m get a 10 x 32 register tile of their own (no
// 2-row edge re-reading B).
// CHECK-LABEL: func @broadcast_gemm
// CHECK-NOT: linalg.generic
// CHECK: vector.transfer_read {{.*}} vector<10x32xf32>
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: return
// THREADS-LABEL: func @broadcast_gemm
// THREADS: scf.forall (%{{.*}}) in (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<256x10x100xf32>)
// THREADS: vector.fma
#bA = affine_map<(b, m, n, k) -> (m, k)>
#bB = affine_map<(b, m, n, k) -> (b, k, n)>
#bC = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @broadcast_gemm(%a: tensor<10x64xf32>, %b: tensor<256x64x100xf32>, %c: tensor<256x10x100xf32>) -> tensor<256x10x100xf32> {
  %r = linalg.generic {indexing_maps = [#bA, #bB, #bC], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : tensor<10x64xf32>, tensor<256x64x100xf32>) outs(%c : tensor<256x10x100xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<256x10x100xf32>
  return %r : tensor<256x10x100xf32>
}

// -----

// The zero fill of the result, used by the GEMM alone, is fused into the
// register tiles: each 6 x 64 accumulator starts from a zero vector (the
// result is never zeroed as a whole, nor read before it is written); with
// threads, the forall's shared output is the empty tensor itself.
// CHECK-LABEL: func @fill_fused
// CHECK-NOT: linalg.fill
// CHECK: %[[Z:.*]] = vector.broadcast %{{.*}} : f32 to vector<6x64xf32>
// CHECK-NEXT: scf.for {{.*}} iter_args(%{{.*}} = %[[Z]]) -> (vector<6x64xf32>)
// CHECK-NOT: vector.transfer_read {{.*}} vector<6x64xf32>
// CHECK: return
// THREADS-LABEL: func @fill_fused
// THREADS: %[[E:.*]] = tensor.empty() : tensor<264x256xf32>
// THREADS-NOT: linalg.fill
// THREADS: scf.forall {{.*}} shared_outs(%{{.*}} = %[[E]])
// THREADS: vector.broadcast %{{.*}} : f32 to vector<6x64xf32>
func.func @fill_fused(%a: tensor<264x256xf32>, %b: tensor<256x256xf32>) -> tensor<264x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<264x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<264x256xf32>) -> tensor<264x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<264x256xf32>, tensor<256x256xf32>) outs(%c : tensor<264x256xf32>) -> tensor<264x256xf32>
  return %r : tensor<264x256xf32>
}

// -----

// K = 1024 takes two cache blocks: the fill stays outside the K loop (the
// whole result serially; the thread's chunk inside the forall with threads)
// and the accumulators are read from the result.
// CHECK-LABEL: func @fill_long_k
// CHECK: linalg.fill {{.*}} -> tensor<264x256xf32>
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} vector<6x64xf32>
// CHECK: return
// THREADS-LABEL: func @fill_long_k
// THREADS: scf.forall
// THREADS: linalg.fill {{.*}} -> tensor<264x128xf32>
// THREADS: scf.for
// THREADS: vector.transfer_read {{.*}} vector<6x64xf32>
func.func @fill_long_k(%a: tensor<264x1024xf32>, %b: tensor<1024x256xf32>) -> tensor<264x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<264x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<264x256xf32>) -> tensor<264x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<264x1024xf32>, tensor<1024x256xf32>) outs(%c : tensor<264x256xf32>) -> tensor<264x256xf32>
  return %r : tensor<264x256xf32>
}

// -----

// A fill with another user stays for that user; the product gets a copy of
// it, fused into its tiles (the accumulators start from zero, not from a
// read of the result).
// CHECK-LABEL: func @fill_shared
// CHECK: %[[F:.*]] = linalg.fill {{.*}} -> tensor<264x256xf32>
// CHECK-NOT: linalg.fill
// CHECK-NOT: vector.transfer_read {{.*}} vector<6x64xf32>
// CHECK: scf.for {{.*}} -> (vector<6x64xf32>)
// CHECK-NOT: linalg.fill
// CHECK: return %{{.*}}, %[[F]]
func.func @fill_shared(%a: tensor<264x256xf32>, %b: tensor<256x256xf32>) -> (tensor<264x256xf32>, tensor<264x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<264x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<264x256xf32>) -> tensor<264x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<264x256xf32>, tensor<256x256xf32>) outs(%c : tensor<264x256xf32>) -> tensor<264x256xf32>
  return %r, %c : tensor<264x256xf32>, tensor<264x256xf32>
}

// -----

// Rows of 10 elements, columns of 80 (a batched [80 x 128] x [128 x 10]
// product, convert-tn-to-linalg's loops [b, Q, P, K]): the vectors run along
// P, the last parallel loop and the innermost dimension of operand 1, not
// along the output's 10-element rows. The register tile is 10 x 32 (the
// 10 rows of operand 0's [128 x 10] slice, already in packed order: not
// copied) plus a 10 x 16 edge; each tile's accumulators are transposed once
// before the reduction loop and once after it, never inside it.
// CHECK-LABEL: func @short_rows
// CHECK-NOT: tensor.empty() : tensor<{{.*}}x128x10xf32>
// CHECK: vector.transpose %{{.*}}, [1, 0] : vector<32x10xf32> to vector<10x32xf32>
// CHECK-NEXT: scf.for {{.*}} -> (vector<10x32xf32>) {
// CHECK-NOT: vector.transpose
// CHECK-COUNT-10: vector.fma {{.*}} : vector<32xf32>
// CHECK-NOT: vector.transpose
// CHECK: scf.yield %{{.*}} : vector<10x32xf32>
// CHECK-NEXT: }
// CHECK-NEXT: vector.transpose %{{.*}}, [1, 0] : vector<10x32xf32> to vector<32x10xf32>
// CHECK-NEXT: vector.transfer_write %{{.*}} : vector<32x10xf32>, tensor<1x32x10xf32>
// CHECK: scf.for {{.*}} -> (vector<10x16xf32>) {
// CHECK-COUNT-10: vector.fma {{.*}} : vector<16xf32>
// CHECK: return
// On AVX2 the 10 rows are 4 + 4 + 2: never a tile of one row, which would
// lower to scalar code.
// AVX2-LABEL: func @short_rows
// AVX2-NOT: vector<1xf32>
// AVX2: scf.for {{.*}} -> (vector<4x16xf32>) {
// AVX2-NOT: vector<1xf32>
// AVX2: scf.for {{.*}} -> (vector<2x16xf32>) {
// AVX2-NOT: vector<1xf32>
// AVX2: return
#short_rows_r = affine_map<(b, q, p, k) -> (b, k, q)>
#short_rows_l = affine_map<(b, q, p, k) -> (k, p)>
#short_rows_c = affine_map<(b, q, p, k) -> (b, p, q)>
func.func @short_rows(%x: tensor<64x128x10xf32>, %w: tensor<128x80xf32>) -> tensor<64x80x10xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x80x10xf32>
  %init = linalg.fill ins(%cst : f32) outs(%e : tensor<64x80x10xf32>) -> tensor<64x80x10xf32>
  %0 = linalg.generic {indexing_maps = [#short_rows_r, #short_rows_l, #short_rows_c], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<64x128x10xf32>, tensor<128x80xf32>) outs(%init : tensor<64x80x10xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x80x10xf32>
  return %0 : tensor<64x80x10xf32>
}

// -----

// 1000 rows are not a multiple of 6: the 6 x 64 tile would split the rows
// at the top, and the fill could no longer be fused into the tiles (the
// whole result zeroed, then read back). With K = 16 that costs more than
// the narrower 8 x 32 tile, which divides them; with K = 512 it does not.
// CHECK-LABEL: func @short_k
// CHECK-NOT: linalg.fill
// CHECK: -> (vector<8x32xf32>)
// CHECK-LABEL: func @long_k
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1000x64xf32>)
// CHECK: -> (vector<6x64xf32>)
func.func @short_k(%a: tensor<1000x16xf32>, %b: tensor<16x64xf32>) -> tensor<1000x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1000x64xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1000x64xf32>) -> tensor<1000x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1000x16xf32>, tensor<16x64xf32>) outs(%c : tensor<1000x64xf32>) -> tensor<1000x64xf32>
  return %r : tensor<1000x64xf32>
}
func.func @long_k(%a: tensor<1000x512xf32>, %b: tensor<512x64xf32>) -> tensor<1000x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1000x64xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1000x64xf32>) -> tensor<1000x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1000x512xf32>, tensor<512x64xf32>) outs(%c : tensor<1000x64xf32>) -> tensor<1000x64xf32>
  return %r : tensor<1000x64xf32>
}

// -----

// 13 rows: the 6 x 64 tile would leave a one-row edge, which lowers to
// scalar code; the tiles are 8 + 5 rows instead.
// CHECK-LABEL: func @thirteen_rows
// CHECK-NOT: vector<1xf32>
// CHECK: scf.for {{.*}} -> (vector<8x32xf32>) {
// CHECK-NOT: vector<1xf32>
// CHECK: scf.for {{.*}} -> (vector<5x32xf32>) {
// CHECK-NOT: vector<1xf32>
// CHECK: return
#thirteen_r = affine_map<(b, q, p, k) -> (b, k, q)>
#thirteen_l = affine_map<(b, q, p, k) -> (k, p)>
#thirteen_c = affine_map<(b, q, p, k) -> (b, p, q)>
func.func @thirteen_rows(%x: tensor<64x256x13xf32>, %w: tensor<256x512xf32>) -> tensor<64x512x13xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x512x13xf32>
  %init = linalg.fill ins(%cst : f32) outs(%e : tensor<64x512x13xf32>) -> tensor<64x512x13xf32>
  %0 = linalg.generic {indexing_maps = [#thirteen_r, #thirteen_l, #thirteen_c], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<64x256x13xf32>, tensor<256x512xf32>) outs(%init : tensor<64x512x13xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x512x13xf32>
  return %0 : tensor<64x512x13xf32>
}

// -----

// One zero fill shared by two products (CSE merges identical fills) becomes
// one fill per product, each fused into its product's tiles: no fill is
// left, and no zeroed buffer needs copying for the second user.
// CHECK-LABEL: func @shared_fill
// CHECK-NOT: linalg.fill
// CHECK: scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK-NOT: linalg.fill
// CHECK: scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @shared_fill(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>, %c: tensor<32x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r0 = linalg.matmul ins(%a, %b : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r1 = linalg.matmul ins(%a, %c : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r0, %r1 : tensor<64x64xf32>, tensor<64x64xf32>
}
