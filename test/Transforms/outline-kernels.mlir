// RUN: tn-opt %s --tn-outline-kernels="min-ops=6" --split-input-file | FileCheck %s

// Two nests identical up to value names share one kernel; the constants they
// use are cloned into it, the buffers become its arguments.
// CHECK-LABEL: func.func private @scale_kernel(%{{.*}}: memref<8x16xf32>)
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"], tn.kernel}
// CHECK-DAG: arith.constant 2.000000e+00 : f32
// CHECK-DAG: arith.constant 16 : index
// CHECK: scf.for
// CHECK: scf.for
// CHECK: return
// CHECK-NOT: func.func private
// CHECK-LABEL: func.func @scale(
// CHECK-SAME: %[[A:.*]]: memref<8x16xf32>, %[[B:.*]]: memref<8x16xf32>)
// CHECK-NOT: scf.for
// CHECK: call @scale_kernel(%[[A]])
// CHECK-NEXT: call @scale_kernel(%[[B]])
// CHECK-NEXT: return
func.func @scale(%a: memref<8x16xf32>, %b: memref<8x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %x = memref.load %a[%i, %j] : memref<8x16xf32>
      %y = arith.mulf %x, %two : f32
      memref.store %y, %a[%i, %j] : memref<8x16xf32>
    }
  }
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %x = memref.load %b[%i, %j] : memref<8x16xf32>
      %y = arith.mulf %x, %two : f32
      memref.store %y, %b[%i, %j] : memref<8x16xf32>
    }
  }
  return
}

// -----

// Nests that differ in a constant are two kernels; a value that is not a
// constant (the bound %n) is an argument.
// CHECK-LABEL: func.func private @differ_kernel(%{{.*}}: index, %{{.*}}: memref<16xf32>)
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK-LABEL: func.func private @differ_kernel_0(%{{.*}}: index, %{{.*}}: memref<16xf32>)
// CHECK: arith.constant 3.000000e+00 : f32
// CHECK-LABEL: func.func @differ(
// CHECK: call @differ_kernel(%{{.*}}, %{{.*}}) : (index, memref<16xf32>) -> ()
// CHECK: call @differ_kernel_0(%{{.*}}, %{{.*}}) : (index, memref<16xf32>) -> ()
func.func @differ(%a: memref<16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %two = arith.constant 2.0 : f32
  %three = arith.constant 3.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<16xf32>
    %y = arith.mulf %x, %two : f32
    %z = arith.addf %y, %x : f32
    memref.store %z, %a[%i] : memref<16xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<16xf32>
    %y = arith.mulf %x, %three : f32
    %z = arith.addf %y, %x : f32
    memref.store %z, %a[%i] : memref<16xf32>
  }
  return
}

// -----

// Left in place: a nest below min-ops, a loop with results (its values are
// used after it); linalg ops on buffers are outlined whatever their size.
// CHECK-LABEL: func.func private @rest_kernel(%{{.*}}: memref<16xf32>)
// CHECK: linalg.fill
// CHECK-LABEL: func.func @rest(
// CHECK: call @rest_kernel(
// CHECK: scf.for
// CHECK: memref.store
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: call
func.func @rest(%a: memref<16xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%a : memref<16xf32>)
  scf.for %i = %c0 to %c16 step %c1 {
    memref.store %zero, %a[%i] : memref<16xf32>
  }
  %s = scf.for %i = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<16xf32>
    %y = arith.addf %acc, %x : f32
    %z = arith.mulf %y, %y : f32
    %w = arith.addf %z, %x : f32
    scf.yield %w : f32
  }
  return %s : f32
}

// -----

// The loop over a network's slices (tn.slices) stays in the function; the
// nests in its body are the kernels (here two identical ones, one function),
// the slice index an argument.
// CHECK-LABEL: func.func private @sliced_kernel(%{{.*}}: memref<4x8x16xf32>, %{{.*}}: index)
// CHECK-NOT: func.func private
// CHECK-LABEL: func.func @sliced(
// CHECK: scf.for %[[S:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: call @sliced_kernel(%{{.*}}, %[[S]])
// CHECK-NEXT: call @sliced_kernel(%{{.*}}, %[[S]])
// CHECK-NEXT: } {tn.slices}
func.func @sliced(%a: memref<4x8x16xf32>, %b: memref<4x8x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %two = arith.constant 2.0 : f32
  scf.for %s = %c0 to %c4 step %c1 {
    scf.for %i = %c0 to %c8 step %c1 {
      scf.for %j = %c0 to %c16 step %c1 {
        %x = memref.load %a[%s, %i, %j] : memref<4x8x16xf32>
        %y = arith.mulf %x, %two : f32
        memref.store %y, %a[%s, %i, %j] : memref<4x8x16xf32>
      }
    }
    scf.for %i = %c0 to %c8 step %c1 {
      scf.for %j = %c0 to %c16 step %c1 {
        %x = memref.load %b[%s, %i, %j] : memref<4x8x16xf32>
        %y = arith.mulf %x, %two : f32
        memref.store %y, %b[%s, %i, %j] : memref<4x8x16xf32>
      }
    }
  } {tn.slices}
  return
}
