// RUN: tn-translate --export-dot %s | FileCheck %s
// RUN: tn-translate --export-dot %s | FileCheck %s --check-prefix=SYNTAX

// SYNTAX: graph tn {
// SYNTAX-NOT: cluster_2
// SYNTAX: }{{$}}

// CHECK: subgraph cluster_0 {
// CHECK-NEXT: label="@chain: 3 tensors, 4 indices";
// CHECK-DAG: n0_t0 [shape=box, label="T0\n2x3"];
// CHECK-DAG: n0_t1 [shape=box, label="T1\n3x4"];
// CHECK-DAG: n0_t2 [shape=box, label="T2\n4x5"];
// Open legs end in their label.
// CHECK-DAG: n0_i0 [shape=plaintext, label="i (2)"];
// CHECK-DAG: n0_t0 -- n0_i0;
// Bonds are edges labelled with name and extent.
// CHECK-DAG: n0_t0 -- n0_t1 [label="j (3)"];
// CHECK-DAG: n0_t1 -- n0_t2 [label="k (4)"];
// CHECK-DAG: n0_t2 -- n0_i3;
// CHECK: }
func.func @chain(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %0 = tn.network "ij,jk,kl->il" (%a, %b, %c) : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// CHECK: subgraph cluster_1 {
// CHECK-NEXT: label="@hyper: 3 tensors, 4 indices";
// A trace is a loop.
// CHECK-DAG: n1_t0 -- n1_t0 [label="a (4)", style=bold];
// A hyperedge kept in the output (a batch index) is a dot with an open leg.
// CHECK-DAG: n1_i1 [shape=point, width=0.08, xlabel="b (3)"];
// CHECK-DAG: n1_t0 -- n1_i1;
// CHECK-DAG: n1_t1 -- n1_i1;
// CHECK-DAG: n1_t2 -- n1_i1;
// CHECK-DAG: n1_i1_open [shape=plaintext, label="b"];
// CHECK-DAG: n1_i1 -- n1_i1_open;
// An index summed within one tensor is a dashed leg.
// CHECK-DAG: n1_i3 [shape=plaintext, label="Σ d (2)"];
// CHECK-DAG: n1_t2 -- n1_i3 [style=dashed];
// CHECK: }
func.func @hyper(%x: tensor<4x4x3xf32>, %y: tensor<3x5xf32>, %z: tensor<3x2xf32>) -> tensor<3x5xf32> {
  %0 = tn.network "aab,bc,bd->bc" (%x, %y, %z) : (tensor<4x4x3xf32>, tensor<3x5xf32>, tensor<3x2xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// Quotes in names are escaped.
// CHECK: subgraph cluster_2 {
// CHECK: label="T0\nscalar"
// CHECK: label="x\"y (2)"
func.func @scalar(%s: tensor<f32>, %v: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tn.network (%s[], %v["x\"y"]) -> ["x\"y"] : (tensor<f32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// Graphviz accepts the output.
// RUN: %if dot %{ tn-translate --export-dot %s | dot -Tsvg > %t.svg %}
