// A module lowered to the LLVM dialect, as tn-cpu-pipeline leaves it.
// RUN: tn-translate --emit-c-header %s | FileCheck %s --check-prefix=HEADER
// RUN: tn-translate --emit-object %s -o %t.o
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=OBJECT
// RUN: tn-translate --emit-object --target-triple=aarch64-linux-gnu --target-cpu=generic %s -o %t.arm.o
// RUN: llvm-readelf -h %t.arm.o | FileCheck %s --check-prefix=ARM
// RUN: tn-translate --emit-shared-library %s -o %t.so
// RUN: llvm-nm -D --defined-only %t.so | FileCheck %s --check-prefix=LIBRARY

// HEADER: #ifndef TNC_NET_H
// HEADER: #include <stdint.h>
// HEADER: typedef struct { float re, im; } tn_complex64;
// HEADER: typedef struct {{[{]$}}
// HEADER-NEXT:   float *allocated;
// HEADER-NEXT:   float *aligned;
// HEADER-NEXT:   int64_t offset;
// HEADER-NEXT:   int64_t sizes[1];
// HEADER-NEXT:   int64_t strides[1];
// HEADER-NEXT: } tn_memref_f32_1d;
// HEADER: /* Network "net". Dense row-major arrays:
// HEADER-NEXT:  *   in0: float[2][3]
// HEADER-NEXT:  *   out0: float[2] (written)
// HEADER: #define TN_NET_IN0_ELEMENTS 6
// HEADER: #define TN_NET_OUT0_ELEMENTS 2
// HEADER: int32_t tn_net(const float *in0, float *out0);
// HEADER: void _mlir_ciface_net(tn_memref_f32_2d *in0, tn_memref_f32_1d *out0);
// HEADER: #endif /* TNC_NET_H */

// OBJECT-DAG: T _mlir_ciface_net
// OBJECT-DAG: T tn_net
// ARM: Machine: AArch64

// The kernel's own symbol is not exported.
// LIBRARY-NOT: {{ net$}}
// LIBRARY-DAG: T _mlir_ciface_net
// LIBRARY-DAG: T tn_net
// LIBRARY-NOT: {{ net$}}

module {
  llvm.func hidden @net(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64, %a5: i64, %a6: i64,
                        %b0: !llvm.ptr, %b1: !llvm.ptr, %b2: i64, %b3: i64, %b4: i64)
      attributes {tn.c_abi_inputs = [tensor<2x3xf32>], tn.c_abi_results = [tensor<2xf32>]} {
    llvm.return
  }
  llvm.func @tn_net(%a: !llvm.ptr, %b: !llvm.ptr) -> i32 {
    %0 = llvm.mlir.constant(0 : i32) : i32
    llvm.return %0 : i32
  }
  llvm.func @_mlir_ciface_net(%a: !llvm.ptr, %b: !llvm.ptr)
      attributes {tn.c_abi_inputs = [tensor<2x3xf32>], tn.c_abi_results = [tensor<2xf32>]} {
    llvm.return
  }
}
