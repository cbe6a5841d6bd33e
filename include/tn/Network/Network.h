//===- Network.h - MLIR-free tensor network hypergraph ----------*- C++ -*-===//
//
// The tensor network as a hypergraph: tensors are nodes, indices (legs) are
// hyperedges identified by name, each with one extent. An index may appear in
// any number of tensors (2: an ordinary bond, 3+: a hyperedge), several times
// in one tensor (a trace), and in the output (open / batch index).
//
// This library has no MLIR or LLVM dependency; the dialect importer, the
// path optimizers, the Python package and the benchmarks all share it.
//
//===----------------------------------------------------------------------===//

#ifndef TN_NETWORK_NETWORK_H
#define TN_NETWORK_NETWORK_H

#include "tn/Support/Json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tnc {

enum class ElementType { F16, BF16, F32, F64, Complex64, Complex128 };

/// Accepts MLIR spellings (f16, bf16, f32, f64, complex<f32>, complex<f64>),
/// NumPy spellings (float16, bfloat16, float32, float64, complex64,
/// complex128) and the short forms c64 / c128. Case-sensitive.
std::optional<ElementType> parseElementType(std::string_view s);
/// The MLIR spelling: "f32", "complex<f64>", ...
const char *mlirTypeName(ElementType type);
/// The NumPy spelling: "float32", "complex128", ... (bf16 -> "bfloat16").
const char *numpyTypeName(ElementType type);

class Network {
public:
  /// Name of the network (entry points are named from it). Must be a C
  /// identifier when it is used for code generation; the JSON reader accepts
  /// [A-Za-z_][A-Za-z0-9_]* only.
  std::string name = "network";
  ElementType dtype = ElementType::F32;

  int numTensors() const { return static_cast<int>(inputs_.size()); }
  int numIndices() const { return static_cast<int>(names_.size()); }

  /// Adds an index, or returns the existing id if the name is known with the
  /// same extent; returns -1 if it is known with a different extent.
  int addIndex(std::string_view name, int64_t extent);
  /// Id of a named index, or -1.
  int findIndex(std::string_view name) const;
  const std::string &indexName(int id) const { return names_[id]; }
  int64_t extent(int id) const { return extents_[id]; }
  const std::vector<int64_t> &extents() const { return extents_; }

  /// Appends a tensor with the given index ids; returns its position.
  int addTensor(std::vector<int> indices);
  const std::vector<int> &tensorIndices(int t) const { return inputs_[t]; }
  const std::vector<std::vector<int>> &inputs() const { return inputs_; }
  std::vector<int64_t> shape(int t) const;

  void setOutput(std::vector<int> indices) { output_ = std::move(indices); }
  const std::vector<int> &output() const { return output_; }

  /// Number of tensors each index appears in (a trace counts once), plus one
  /// if it is in the output.
  std::vector<int> indexDegrees() const;

  /// Checks the invariants the importer guarantees: every output index
  /// appears in some input, no output index is repeated, extents positive,
  /// every index used. Returns an empty string when valid.
  std::string validate() const;

  /// log10 of the number of elements of tensor t (0 for a scalar).
  double log10Size(int t) const;

private:
  std::vector<std::string> names_;
  std::vector<int64_t> extents_;
  std::unordered_map<std::string, int> byName_;
  std::vector<std::vector<int>> inputs_;
  std::vector<int> output_;
};

/// Reads a network from JSON text, in either vocabulary:
///   {"inputs": [[idx, ...], ...], "output": [idx, ...],
///    "size_dict": {idx: extent}}            (opt_einsum / cotengra)
///   {"equation": "ab,bc->ac", "shapes": [[2, 3], [3, 4]]}
/// with optional "dtype" (default f32) and "name" (default "network").
/// Index names may be JSON strings or integers (written in decimal). "output"
/// may be omitted (scalar result). Unknown top-level keys are an error so
/// that typos do not pass silently. On failure returns std::nullopt and
/// fills `error` with the position of the offending value.
std::optional<Network> parseNetworkJson(std::string_view text,
                                        Diagnostic &error);

/// Builds a network from an einsum equation and operand shapes. Supports
/// explicit ("ij,jk->ik") and implicit ("ij,jk") output, repeated indices
/// (traces, hyperedges, batch), scalar output ("ij,ij->"), spaces, and "..."
/// (expanded to fresh indices named "..0", "..1", ...; broadcasting of
/// mismatched extents is rejected). On failure `error.pos.column` is the
/// 1-based character offset in the equation (line 1), or 0 if the error
/// concerns the shapes.
std::optional<Network> parseEinsum(std::string_view equation,
                                   const std::vector<std::vector<int64_t>> &shapes,
                                   Diagnostic &error);

/// Writes the cotengra vocabulary (inputs/output/size_dict, plus name and
/// dtype). Parsing the result gives back an identical network.
std::string writeNetworkJson(const Network &net, int indent = 1);

/// The einsum equation of the network if every index name is a single ASCII
/// letter, else std::nullopt.
std::optional<std::string> einsumEquation(const Network &net);

} // namespace tnc

#endif // TN_NETWORK_NETWORK_H
