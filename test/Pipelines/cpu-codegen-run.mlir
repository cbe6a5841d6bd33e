// End to end: the scheduled GEMM (edges on M and N, threaded) against a
// plain loop nest, on integer-valued inputs (so every summation order gives
// the same f32 result): the largest difference must be exactly 0.
// RUN: tn-opt %s --tn-cpu-codegen="threads=1" | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so | FileCheck %s
// RUN: tn-opt %s --tn-cpu-codegen="threads=2" | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so,/usr/lib/llvm-22/lib/libomp.so | FileCheck %s
// RUN: tn-opt %s --tn-cpu-codegen="register-tile=8,32 cache-tiles=32,128,64" | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so | FileCheck %s

// CHECK: checksum
// CHECK-NEXT: 5.0928e+06
// CHECK-NEXT: max difference
// CHECK-NEXT: 0{{$}}

func.func @mm(%a: tensor<130x170xf32>, %b: tensor<170x200xf32>) -> tensor<130x200xf32> attributes {llvm.emit_c_interface} {
  %e = tensor.empty() : tensor<130x200xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<130x200xf32>) -> tensor<130x200xf32>
  %r = linalg.matmul ins(%a, %b : tensor<130x170xf32>, tensor<170x200xf32>) outs(%c : tensor<130x200xf32>) -> tensor<130x200xf32>
  return %r : tensor<130x200xf32>
}

// x[i, j] = ((i * p + j * q) mod 7) - 3
func.func @init(%p: index, %q: index, %t: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c7 = arith.constant 7 : index
  %c3 = arith.constant 3 : index
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      outs(%t : tensor<?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %ip = arith.muli %i, %p : index
    %jq = arith.muli %j, %q : index
    %s = arith.addi %ip, %jq : index
    %m = arith.remui %s, %c7 : index
    %v = arith.subi %m, %c3 : index
    %w = arith.index_cast %v : index to i64
    %f = arith.sitofp %w : i64 to f32
    linalg.yield %f : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %m = arith.constant 130 : index
  %n = arith.constant 200 : index
  %k = arith.constant 170 : index
  %ea = tensor.empty(%m, %k) : tensor<?x?xf32>
  %eb = tensor.empty(%k, %n) : tensor<?x?xf32>
  %ad = func.call @init(%c2, %c3, %ea) : (index, index, tensor<?x?xf32>) -> tensor<?x?xf32>
  %bd = func.call @init(%c5, %c1, %eb) : (index, index, tensor<?x?xf32>) -> tensor<?x?xf32>
  %a = tensor.cast %ad : tensor<?x?xf32> to tensor<130x170xf32>
  %b = tensor.cast %bd : tensor<?x?xf32> to tensor<170x200xf32>
  %c = func.call @mm(%a, %b) : (tensor<130x170xf32>, tensor<170x200xf32>) -> tensor<130x200xf32>
  %zero = arith.constant 0.0 : f32
  // Reference: a plain loop nest, and the largest |difference|; checksum of
  // |C| to catch an all-zero result.
  %res:2 = scf.for %i = %c0 to %m step %c1 iter_args(%d0 = %zero, %s0 = %zero) -> (f32, f32) {
    %r:2 = scf.for %j = %c0 to %n step %c1 iter_args(%d1 = %d0, %s1 = %s0) -> (f32, f32) {
      %dot = scf.for %l = %c0 to %k step %c1 iter_args(%acc = %zero) -> (f32) {
        %x = tensor.extract %a[%i, %l] : tensor<130x170xf32>
        %y = tensor.extract %b[%l, %j] : tensor<170x200xf32>
        %p = arith.mulf %x, %y : f32
        %s = arith.addf %acc, %p : f32
        scf.yield %s : f32
      }
      %got = tensor.extract %c[%i, %j] : tensor<130x200xf32>
      %diff = arith.subf %got, %dot : f32
      %ad2 = math.absf %diff : f32
      %d2 = arith.maximumf %d1, %ad2 : f32
      %ag = math.absf %got : f32
      %s2 = arith.addf %s1, %ag : f32
      scf.yield %d2, %s2 : f32, f32
    }
    scf.yield %r#0, %r#1 : f32, f32
  }
  vector.print str "checksum\n"
  vector.print %res#1 : f32
  vector.print str "max difference\n"
  vector.print %res#0 : f32
  return
}
