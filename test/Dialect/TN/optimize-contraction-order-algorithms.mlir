// The exact, random-greedy, partition and hyper searches find the optimum of
// the TT layer (opt_einsum's optimal path [(0, 3), (1, 2), (0, 1)], 10^8.428)
// and of a matrix chain; the deterministic greedy, which below 64 tensors is
// opt_einsum's greedy, gives opt_einsum's TT tree (10^8.734).
// RUN: tn-opt %s --tn-optimize-contraction-order="algorithm=optimal remarks=false" | FileCheck %s
// RUN: tn-opt %s --tn-optimize-contraction-order="algorithm=greedy remarks=false" | FileCheck %s --check-prefix=GREEDY
// RUN: tn-opt %s --tn-optimize-contraction-order="algorithm=random-greedy repeats=16 remarks=false" | FileCheck %s
// RUN: tn-opt %s --tn-optimize-contraction-order="algorithm=partition repeats=4 remarks=false" | FileCheck %s
// RUN: tn-opt %s --tn-optimize-contraction-order="algorithm=hyper repeats=16 remarks=false" | FileCheck %s
// RUN: tn-opt %s --tn-optimize-contraction-order="algorithm=auto remarks=false" | FileCheck %s
// RUN: tn-opt %s --tn-optimize-contraction-order="algorithm=hyper repeats=8 threads=1 objective=size remarks=false" | FileCheck %s --check-prefix=SIZE

// CHECK-LABEL: func @tt_layer
// CHECK: {path = #tn.path<(0, 3), (2, 4), (1, 5)>}
// GREEDY-LABEL: func @tt_layer
// GREEDY: {path = #tn.path<(1, 2), (3, 4), (0, 5)>}
// Minimizing the largest intermediate first gives another tree (2^20.64
// rather than 2^21.32 elements, at 10^8.641).
// SIZE-LABEL: func @tt_layer
// SIZE: {path = #tn.path<(2, 3), (0, 4), (1, 5)>}
func.func @tt_layer(%x: tensor<256x8x16x16xf32>, %g1: tensor<8x10x8xf32>, %g2: tensor<8x16x10x8xf32>, %g3: tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32> {
  %0 = tn.network (%x[batch, i1, i2, i3], %g1[i1, o1, r1], %g2[r1, i2, o2, r2], %g3[r2, i3, o3]) -> [batch, o1, o2, o3] : (tensor<256x8x16x16xf32>, tensor<8x10x8xf32>, tensor<8x16x10x8xf32>, tensor<8x16x10xf32>) -> tensor<256x10x10x10xf32>
  return %0 : tensor<256x10x10x10xf32>
}

// CHECK-LABEL: func @chain
// CHECK: {path = #tn.path<(2, 3), (1, 4), (0, 5)>}
// The chain's first candidates all tie (size removed 10^4); greedy, like
// opt_einsum's, takes the oldest pair and ends at 10^6.017.
// GREEDY-LABEL: func @chain
// GREEDY: {path = #tn.path<(0, 1), (2, 3), (4, 5)>}
func.func @chain(%a: tensor<100x100xf64>, %b: tensor<100x100xf64>, %c: tensor<100x100xf64>, %d: tensor<100x2xf64>) -> tensor<100x2xf64> {
  %0 = tn.network "ij,jk,kl,lm->im" (%a, %b, %c, %d) : (tensor<100x100xf64>, tensor<100x100xf64>, tensor<100x100xf64>, tensor<100x2xf64>) -> tensor<100x2xf64>
  return %0 : tensor<100x2xf64>
}
