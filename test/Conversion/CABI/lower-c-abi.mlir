// RUN: tn-opt %s --split-input-file --tn-lower-c-abi --verify-diagnostics | FileCheck %s

// The plain C entry point passes each dense row-major array as a descriptor
// (pointer twice, offset 0, static sizes, row-major strides) and returns 0;
// the kernel symbol is hidden.
// CHECK-LABEL: llvm.func hidden @net(
// CHECK: llvm.func @tn_net(%[[A:.*]]: !llvm.ptr, %[[B:.*]]: !llvm.ptr) -> i32
// CHECK-DAG: %[[C0:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-DAG: %[[C1:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-DAG: %[[C2:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG: %[[C3:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK: llvm.call @net(%[[A]], %[[A]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[B]], %[[B]], %{{.*}}, %{{.*}}, %{{.*}})
// CHECK: %[[OK:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK: llvm.return %[[OK]] : i32
llvm.func @net(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64, %a5: i64, %a6: i64,
               %b0: !llvm.ptr, %b1: !llvm.ptr, %b2: i64, %b3: i64, %b4: i64)
    attributes {tn.c_abi_inputs = [tensor<2x3xf32>], tn.c_abi_results = [tensor<2xf32>]} {
  llvm.return
}
// The memref-descriptor wrapper carries the same attributes and is skipped.
llvm.func @_mlir_ciface_net(%a: !llvm.ptr, %b: !llvm.ptr)
    attributes {tn.c_abi_inputs = [tensor<2x3xf32>], tn.c_abi_results = [tensor<2xf32>]} {
  llvm.return
}

// -----

// A kernel with an i32 status returns it.
// CHECK-LABEL: llvm.func @tn_status(
// CHECK: %[[S:.*]] = llvm.call @status(
// CHECK: llvm.return %[[S]] : i32
llvm.func @status(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64) -> i32
    attributes {tn.c_abi_inputs = [], tn.c_abi_results = [tensor<f64>]} {
  %0 = llvm.mlir.constant(0 : i32) : i32
  llvm.return %0 : i32
}

// -----

// expected-error @+1 {{tn-lower-c-abi: @unconverted takes 3 parameters, expected 5 (a memref descriptor per input and output; were the results turned into out-parameters?)}}
llvm.func @unconverted(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64)
    attributes {tn.c_abi_inputs = [tensor<4xf32>], tn.c_abi_results = []} {
  llvm.return
}

// -----

// expected-error @+1 {{tn-lower-c-abi: @float_status returns 'f32'; expected nothing or an i32 status}}
llvm.func @float_status(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64) -> f32
    attributes {tn.c_abi_inputs = [], tn.c_abi_results = [tensor<f32>]} {
  %0 = llvm.mlir.constant(0.0 : f32) : f32
  llvm.return %0 : f32
}
