// RUN: tn-opt %s --tn-cpu-codegen="target=x86-64-avx512" | FileCheck %s
// RUN: tn-opt %s --tn-cpu-codegen="target=x86-64-avx512 threads=2" | FileCheck %s --check-prefix=OMP
// RUN: tn-opt %s --tn-cpu-codegen="target=x86-64-avx512 threads=0" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM
// RUN: tn-opt %s --tn-cpu-codegen="target=aarch64" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=ARM
// RUN: tn-opt %s --tn-cpu-codegen="schedule=false target-attributes=false" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=PLAIN

// Everything ends in the LLVM dialect; entry points are destination-passing
// (the result is a trailing out-parameter, nothing is returned) with a C
// wrapper taking memref descriptors; the GEMM is 16-wide FMAs, in a kernel
// function of its own (tn-outline-kernels: internal, noinline) that the
// entry point calls.
// CHECK: module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"}
// CHECK-NOT: func.func
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
// CHECK-NOT: vector.
// CHECK: llvm.func internal @[[GEMM:mm_kernel[_0-9]*]]({{.*}}) attributes {passthrough = ["noinline"]
// CHECK: llvm.intr.fmuladd({{.*}}) : (vector<64xf32>, vector<64xf32>, vector<64xf32>) -> vector<64xf32>
// CHECK: llvm.func @mm(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64) attributes {llvm.emit_c_interface, target_cpu = "x86-64-v4"}
// CHECK: llvm.call @[[GEMM]](
// CHECK: llvm.func @_mlir_ciface_mm(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NEXT: llvm.load
// CHECK: llvm.call @mm(
// CHECK: llvm.func @_mlir_ciface_c64(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.func @_mlir_ciface_bf(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.func @_mlir_ciface_mixed(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)

// OMP: llvm.func internal @mm_kernel(
// OMP: omp.parallel num_threads
// OMP: omp.wsloop
// OMP: llvm.intr.fmuladd

// LLVM: target triple = "x86_64-unknown-linux-gnu"
// LLVM: define internal void @mm_kernel(
// LLVM: call void {{.*}}@__kmpc_fork_call
// LLVM: define void @mm(
// LLVM: call void @mm_kernel(
// LLVM: define void @_mlir_ciface_mm(ptr %0, ptr %1, ptr %2)
// LLVM: "target-cpu"="x86-64-v4"

// ARM: target triple = "aarch64-unknown-linux-gnu"
// ARM: define void @_mlir_ciface_mm(ptr %0, ptr %1, ptr %2)
// ARM: "target-features"="+neon"

// PLAIN: define void @_mlir_ciface_mm(ptr %0, ptr %1, ptr %2)
// PLAIN-NOT: "target-cpu"

func.func @mm(%a: tensor<200x300xf32>, %b: tensor<300x256xf32>) -> tensor<200x256xf32> attributes {llvm.emit_c_interface} {
  %e = tensor.empty() : tensor<200x256xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<200x256xf32>) -> tensor<200x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<200x300xf32>, tensor<300x256xf32>) outs(%c : tensor<200x256xf32>) -> tensor<200x256xf32>
  return %r : tensor<200x256xf32>
}

func.func @c64(%a: tensor<16x24xcomplex<f32>>, %b: tensor<24x8xcomplex<f32>>) -> tensor<16x8xcomplex<f32>> attributes {llvm.emit_c_interface} {
  %e = tensor.empty() : tensor<16x8xcomplex<f32>>
  %z = complex.constant [0.0 : f32, 0.0 : f32] : complex<f32>
  %c = linalg.fill ins(%z : complex<f32>) outs(%e : tensor<16x8xcomplex<f32>>) -> tensor<16x8xcomplex<f32>>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x24xcomplex<f32>>, tensor<24x8xcomplex<f32>>) outs(%c : tensor<16x8xcomplex<f32>>) {
  ^bb0(%x: complex<f32>, %y: complex<f32>, %acc: complex<f32>):
    %m = complex.mul %x, %y : complex<f32>
    %s = complex.add %acc, %m : complex<f32>
    linalg.yield %s : complex<f32>
  } -> tensor<16x8xcomplex<f32>>
  return %r : tensor<16x8xcomplex<f32>>
}

func.func @bf(%a: tensor<64x128xbf16>, %b: tensor<128x96xbf16>) -> tensor<64x96xf32> attributes {llvm.emit_c_interface} {
  %e = tensor.empty() : tensor<64x96xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<64x128xbf16>, tensor<128x96xbf16>) outs(%c : tensor<64x96xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xe = arith.extf %x : bf16 to f32
    %ye = arith.extf %y : bf16 to f32
    %m = arith.mulf %xe, %ye : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x96xf32>
  return %r : tensor<64x96xf32>
}

// A trace, a transpose, elementwise math and reshapes (left to loops).
func.func @mixed(%a: tensor<3x3x5xf64>, %b: tensor<5x7xf64>) -> tensor<7x5xf64> attributes {llvm.emit_c_interface} {
  %e = tensor.empty() : tensor<5xf64>
  %z = arith.constant 0.0 : f64
  %c = linalg.fill ins(%z : f64) outs(%e : tensor<5xf64>) -> tensor<5xf64>
  %t = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, a, b)>, affine_map<(a, b) -> (b)>], iterator_types = ["reduction", "parallel"]}
      ins(%a : tensor<3x3x5xf64>) outs(%c : tensor<5xf64>) {
  ^bb0(%x: f64, %acc: f64):
    %s = arith.addf %acc, %x : f64
    linalg.yield %s : f64
  } -> tensor<5xf64>
  %e2 = tensor.empty() : tensor<7x5xf64>
  %bt = linalg.transpose ins(%b : tensor<5x7xf64>) outs(%e2 : tensor<7x5xf64>) permutation = [1, 0]
  %e3 = tensor.empty() : tensor<7x5xf64>
  %o = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%bt, %t : tensor<7x5xf64>, tensor<5xf64>) outs(%e3 : tensor<7x5xf64>) {
  ^bb0(%x: f64, %y: f64, %out: f64):
    %m = arith.mulf %x, %y : f64
    %q = math.exp %m : f64
    linalg.yield %q : f64
  } -> tensor<7x5xf64>
  %col = tensor.collapse_shape %o [[0, 1]] : tensor<7x5xf64> into tensor<35xf64>
  %exp = tensor.expand_shape %col [[0, 1]] output_shape [7, 5] : tensor<35xf64> into tensor<7x5xf64>
  return %exp : tensor<7x5xf64>
}
