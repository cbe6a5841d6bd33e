// RUN: tn-opt %s -split-input-file -verify-diagnostics

// Every verifier rule of tn.network, tn.contract, tn.svd, tn.qr, tn.entropy
// and the tn attributes, one case each.

func.func @no_operands() -> tensor<f32> {
  // expected-error @+1 {{requires at least one operand}}
  %0 = tn.network () -> [] : () -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @list_count(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{has 1 index list(s) but 2 operand(s); expected one index list per operand}}
  %0 = "tn.network"(%a, %b) <{operand_indices = [["i"]], result_indices = []}> : (tensor<2xf32>, tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @rank_vs_list(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{operand #0 has rank 2 but its index list has 3 name(s)}}
  %0 = tn.network "ijk->i" (%a) : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @mismatched_extents(%a: tensor<2x3xf32>, %b: tensor<5x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{index 'j' has extent 3 in operand #0 (dimension 1) but 5 in operand #1 (dimension 0)}}
  %0 = tn.network "ij,jk->ik" (%a, %b) : (tensor<2x3xf32>, tensor<5x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @mismatched_trace(%a: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error @+1 {{index 'i' has extent 2 in operand #0 (dimension 0) but 3 in operand #0 (dimension 1)}}
  %0 = tn.network "ii->" (%a) : (tensor<2x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @output_absent(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{output index 'z' does not appear in any operand}}
  %0 = tn.network "ij->z" (%a) : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @output_repeated(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{output index 'i' is repeated}}
  %0 = tn.network "ij->ii" (%a) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @result_rank(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{result has rank 2 but the output index list has 1 name(s)}}
  %0 = tn.network "ij->i" (%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @result_extent(%a: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{result dimension #0 has extent 3 but index 'i' has extent 2}}
  %0 = tn.network "ij->i" (%a) : (tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dynamic_operand(%a: tensor<?x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{operand #0 must have a static shape, got 'tensor<?x3xf32>'}}
  %0 = tn.network "ij->j" (%a) : (tensor<?x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dynamic_result(%a: tensor<2x3xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{result must have a static shape, got 'tensor<?xf32>'}}
  %0 = tn.network "ij->j" (%a) : (tensor<2x3xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @mixed_element_types(%a: tensor<2xf32>, %b: tensor<2xf64>) -> tensor<f32> {
  // expected-error @+1 {{operand #1 has element type 'f64' but operand #0 has 'f32'; all operands must share one element type}}
  %0 = tn.network "i,i->" (%a, %b) : (tensor<2xf32>, tensor<2xf64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @result_element_type(%a: tensor<2xf32>) -> tensor<f64> {
  // expected-error @+1 {{result element type 'f64' must be the operand element type 'f32'}}
  %0 = tn.network "i->" (%a) : (tensor<2xf32>) -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

func.func @half_result_element_type(%a: tensor<2xbf16>) -> tensor<f64> {
  // expected-error @+1 {{result element type 'f64' must be the operand element type 'bf16' or f32}}
  %0 = tn.network "i->" (%a) : (tensor<2xbf16>) -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

func.func @unsupported_element_type(%a: tensor<2xi32>) -> tensor<i32> {
  // expected-error @+1 {{operand #0 must be variadic of ranked tensor of f16, bf16, f32, f64, complex<f32> or complex<f64> values}}
  %0 = tn.network "i->" (%a) : (tensor<2xi32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @empty_name(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{index names must be non-empty}}
  %0 = "tn.network"(%a) <{operand_indices = [[""]], result_indices = []}> : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @non_string_index(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{'operand_indices' failed to satisfy constraint: list of index-name lists}}
  %0 = "tn.network"(%a) <{operand_indices = [[1]], result_indices = []}> : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @path_length(%a: tensor<2xf32>, %b: tensor<2xf32>, %c: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{has an invalid contraction path: path has 1 step(s) but a network of 3 operand(s) needs 2}}
  %0 = tn.network "i,i,i->" (%a, %b, %c) {path = #tn.path<(0, 1)>} : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @path_future(%a: tensor<2xf32>, %b: tensor<2xf32>, %c: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{path step 0 uses tensor 3, which does not exist yet (tensors 0..2 exist)}}
  %0 = tn.network "i,i,i->" (%a, %b, %c) {path = #tn.path<(0, 3), (1, 2)>} : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @path_reuse(%a: tensor<2xf32>, %b: tensor<2xf32>, %c: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{path step 1 uses tensor 0, which an earlier step already contracted}}
  %0 = tn.network "i,i,i->" (%a, %b, %c) {path = #tn.path<(0, 1), (0, 2)>} : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @path_self(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{path step 0 contracts tensor 1 with itself}}
  %0 = tn.network "i,i->" (%a, %b) {path = #tn.path<(1, 1)>} : (tensor<2xf32>, tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @path_negative(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{contraction path tensor ids must be non-negative, got -1}}
  %0 = tn.network "i,i->" (%a, %b) {path = #tn.path<(-1, 1)>} : (tensor<2xf32>, tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @path_syntax(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{expected ','}}
  %0 = tn.network "i,i->" (%a, %b) {path = #tn.path<(0 1)>} : (tensor<2xf32>, tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @contract_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{index 'j' has extent 3 in operand #0 (dimension 1) but 4 in operand #1 (dimension 0)}}
  %0 = tn.contract "ij,jk->ik" (%a, %b) : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @contract_output_absent(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{output index 'q' does not appear in any operand}}
  %0 = tn.contract (%a[i, j], %b[j, k]) -> [i, q] : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @svd_rank_vs_list(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{input has rank 2 but its index list has 3 name(s)}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j, k] -> [i, b], [b, j, k] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_trace(%t: tensor<4x4xf32>) {
  // expected-error @+1 {{input index 'i' is repeated; decompositions do not take traces}}
  %u, %s, %v, %r, %e = tn.svd %t[i, i] -> [i, b], [b, i] : tensor<4x4xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, index, f32)
  return
}

// -----

func.func @svd_no_bond(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{the U index list must hold exactly one index that is not an input index (the new bond), found 0}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i], [j] : tensor<4x6xf32> -> (tensor<4xf32>, tensor<4xf32>, tensor<6xf32>, index, f32)
  return
}

// -----

func.func @svd_two_bonds(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{the U index list must hold exactly one index that is not an input index (the new bond), found 2: 'a', 'b'}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, a, b], [b, j] : tensor<4x6xf32> -> (tensor<4x4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_different_bonds(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{the U and V index lists must share the new bond index, but U has 'a' and V has 'b'}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, a], [b, j] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_bond_twice(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{bond index 'b' appears more than once in the V index list}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j, b] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6x4xf32>, index, f32)
  return
}

// -----

func.func @svd_not_covering(%t: tensor<4x6x2xf32>) {
  // expected-error @+1 {{input index 'k' appears in neither the U nor the V index list; the two sides must cover every input index}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j, k] -> [i, b], [b, j] : tensor<4x6x2xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_both_sides(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{input index 'j' appears in both the U and the V index lists; the two sides must be a bipartition}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, j, b], [b, j] : tensor<4x6xf32> -> (tensor<4x6x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_same_side_twice(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{input index 'i' appears more than once in the U index list}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_bond_extent(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{factor U dimension #1 (index 'b') has extent 6 but expected 4 (the maximum rank: min(4, 6))}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x6xf32>, tensor<6xf32>, tensor<6x6xf32>, index, f32)
  return
}

// -----

func.func @svd_bond_extent_max_rank(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{factor U dimension #1 (index 'b') has extent 4 but expected 2 (the maximum rank: min(4, 6, max_rank 2))}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<max_rank = 2>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_factor_extent(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{factor V dimension #1 (index 'j') has extent 5 but expected 6}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x5xf32>, index, f32)
  return
}

// -----

func.func @svd_factor_rank(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{factor V has rank 3 but its index list has 2 name(s)}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6x1xf32>, index, f32)
  return
}

// -----

func.func @svd_factor_element_type(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{factor U has element type 'f64' but the input has 'f32'}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x4xf64>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_s_type(%t: tensor<4x6xcomplex<f32>>) {
  // expected-error @+1 {{singular values must have the real element type 'f32', got 'f64'}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<4x6xcomplex<f32>> -> (tensor<4x4xcomplex<f32>>, tensor<4xf64>, tensor<4x6xcomplex<f32>>, index, f32)
  return
}

// -----

func.func @svd_s_extent(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{singular values must have the maximum rank 4 as their extent, got 'tensor<6xf32>'}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<6xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_discarded_type(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{the discarded weight must have the real element type 'f32', got 'f64'}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f64)
  return
}

// -----

func.func @svd_dynamic(%t: tensor<?x6xf32>) {
  // expected-error @+1 {{input must have a static shape, got 'tensor<?x6xf32>'}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<?x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @svd_result_count(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{expected 5 results}}
  %u, %s, %v = tn.svd %t[i, j] -> [i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>)
  return
}

// -----

func.func @qr_bond_extent(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{factor Q dimension #1 (index 'b') has extent 6 but expected 4 (the maximum rank: min(4, 6))}}
  %q, %r = tn.qr %t[i, j] -> [i, b], [b, j] : tensor<4x6xf32> -> (tensor<4x6xf32>, tensor<6x6xf32>)
  return
}

// -----

func.func @qr_not_covering(%t: tensor<4x6x2xf32>) {
  // expected-error @+1 {{input index 'k' appears in neither the Q nor the R index list}}
  %q, %r = tn.qr %t[i, j, k] -> [i, b], [b, j] : tensor<4x6x2xf32> -> (tensor<4x4xf32>, tensor<4x6xf32>)
  return
}

// -----

func.func @qr_no_bond(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{the R index list must hold exactly one index that is not an input index (the new bond), found 0}}
  %q, %r = tn.qr %t[i, j] -> [i, b], [j] : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<6xf32>)
  return
}

// -----

func.func @entropy_order(%s: tensor<4xf32>) -> f32 {
  // expected-error @+1 {{order must be positive (1 for von Neumann, inf for the min-entropy), got -1}}
  %0 = tn.entropy %s {order = -1.0} : tensor<4xf32> -> f32
  return %0 : f32
}

// -----

func.func @entropy_base(%s: tensor<4xf32>) -> f32 {
  // expected-error @+1 {{log base must be finite, positive and not 1, got 1}}
  %0 = tn.entropy %s {base = 1.0} : tensor<4xf32> -> f32
  return %0 : f32
}

// -----

func.func @entropy_result(%s: tensor<4xf32>) -> f64 {
  // expected-error @+1 {{result type 'f64' must be the element type of the spectrum, 'f32'}}
  %0 = tn.entropy %s : tensor<4xf32> -> f64
  return %0 : f64
}

// -----

func.func @entropy_complex(%s: tensor<4xcomplex<f32>>) -> f32 {
  // expected-error @+1 {{operand #0 must be 1D tensor of f16, bf16, f32 or f64 values}}
  %0 = tn.entropy %s : tensor<4xcomplex<f32>> -> f32
  return %0 : f32
}

// -----

func.func @entropy_rank(%s: tensor<4x4xf32>) -> f32 {
  // expected-error @+1 {{operand #0 must be 1D tensor of f16, bf16, f32 or f64 values}}
  %0 = tn.entropy %s : tensor<4x4xf32> -> f32
  return %0 : f32
}

// -----

//===----------------------------------------------------------------------===//
// Custom syntax errors
//===----------------------------------------------------------------------===//

func.func @einsum_no_arrow(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{einsum equation 'i' must have an explicit output ('->')}}
  %0 = tn.network "i" (%a) : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @einsum_two_arrows(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{einsum equation 'i->->' has more than one '->'}}
  %0 = tn.network "i->->" (%a) : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @einsum_bad_char(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{invalid character '1' in einsum equation 'i1->'; indices in the einsum form are single letters (use the bracketed form for other names)}}
  %0 = tn.network "i1->" (%a) : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @einsum_term_count(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{einsum equation 'i,i->' has 2 operand term(s) but 1 operand(s) are given}}
  %0 = tn.network "i,i->" (%a) : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @type_count(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{expected 2 operand type(s) but got 1}}
  %0 = tn.network "i,i->" (%a, %b) : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @bad_index_name(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{expected an index name (an identifier, a non-negative integer or a string)}}
  %0 = tn.network (%a[%a]) -> [] : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @empty_index_name(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{index names must be non-empty}}
  %0 = tn.network (%a[""]) -> [] : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @contract_three(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{'tn.contract' takes exactly two operands, got 3 (use 'tn.network' for more)}}
  %0 = tn.contract "i,i,i->" (%a, %a, %a) : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

//===----------------------------------------------------------------------===//
// #tn.trunc
//===----------------------------------------------------------------------===//

func.func @trunc_min_gt_max(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{min_rank (5) must not exceed max_rank (3)}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<max_rank = 3, min_rank = 5>} : tensor<4x6xf32> -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_negative_cutoff(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{weight_cutoff must be a finite non-negative number, got -1.000000e-03}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<weight_cutoff = -1.0e-3>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_not_a_number(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{expected a number for 'abs_cutoff'}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<abs_cutoff = "small">} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_negative_rel_cutoff(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{rel_cutoff must be a finite non-negative number, got -2}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<rel_cutoff = -2>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_negative_degeneracy(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{degeneracy_tol must be a finite non-negative number, got -1}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<degeneracy_tol = -1>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_negative_max_rank(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{max_rank must be non-negative (0 means no limit), got -2}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<max_rank = -2>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_zero_min_rank(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{min_rank must be at least 1, got 0}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<min_rank = 0>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_unknown_field(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{unknown truncation field 'maxdim'; expected one of max_rank, min_rank, abs_cutoff, rel_cutoff, weight_cutoff, weight_mode, degeneracy_tol, absorb, renorm}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<maxdim = 3>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_duplicate_field(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{truncation field 'max_rank' is given more than once}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<max_rank = 3, max_rank = 2>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_bad_absorb(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{invalid absorb 'middle'; expected one of none, left, right, both}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<absorb = middle>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_bad_mode(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{invalid weight_mode 'rsum3'; expected one of rsum2, sum2, rsum1, sum1}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<weight_mode = rsum3>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_bad_renorm(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{invalid renorm 'l2'; expected one of none, keep_l1, keep_l2, unit_l1, unit_l2, unit_linf}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = #tn.trunc<renorm = l2>} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @trunc_wrong_attr_kind(%t: tensor<4x6xf32>) {
  // expected-error @+1 {{attribute 'trunc' failed to satisfy constraint: How a decomposition's spectrum is truncated and distributed}}
  %u, %s, %v, %r, %e = tn.svd %t[i, j] -> [i, b], [b, j] {trunc = 3 : i64} : tensor<4x6xf32> -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x6xf32>, index, f32)
  return
}

// -----

func.func @sliced_unknown(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{sliced index 'q' is not an index of the network}}
  %0 = tn.network "ij,jk->ik" (%a, %b) {sliced_indices = ["q"]} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @sliced_twice(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{sliced index 'j' is listed more than once}}
  %0 = tn.network "ij,jk->ik" (%a, %b) {sliced_indices = ["j", "j"]} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
