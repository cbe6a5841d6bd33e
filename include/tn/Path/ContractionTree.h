//===- ContractionTree.h - Search view of a network and trees ---*- C++ -*-===//
//
// The data structures every optimizer works on (MLIR-free):
//
//  * Hypergraph: tensors (nodes) with their distinct indices, indices
//    (edges) with log2 extents, the tensors holding each index and the
//    output flag. Sizes are kept as log2 so that nothing overflows.
//  * ContractionTree: a binary tree whose leaves are the tensors. Optimizers
//    grow it bottom-up with contract(a, b) over the current roots; every
//    node knows its legs (open indices, with how many of the index's holders
//    lie under the node), its size and the cost of the step that made it.
//    Subtrees can be dissolved and rebuilt (reconfiguration); dead nodes are
//    skipped by every query and dropped by compacted().
//
// Units as in ContractionPath.h: cost = Σ_steps Π extents of the step's
// distinct indices (multiply-adds).
//
//===----------------------------------------------------------------------===//

#ifndef TN_PATH_CONTRACTIONTREE_H
#define TN_PATH_CONTRACTIONTREE_H

#include "tn/Network/Network.h"
#include "tn/Path/ContractionPath.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tnc {

/// A read-only view of a run of ints (a row of a compressed adjacency).
class IntRange {
public:
  IntRange(const int *data, size_t size) : data_(data), size_(size) {}
  const int *begin() const { return data_; }
  const int *end() const { return data_ + size_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int operator[](size_t i) const { return data_[i]; }
  std::vector<int> vec() const { return {begin(), end()}; }

private:
  const int *data_;
  size_t size_;
};

/// Rows of ints stored back to back (compressed sparse rows): one
/// allocation for all of them, so that building and copying a hypergraph
/// costs a handful of allocations, not one per tensor and index.
class IntRows {
public:
  IntRows() : start_(1, 0) {}
  /// Rows from vectors.
  explicit IntRows(const std::vector<std::vector<int>> &rows);
  size_t size() const { return start_.size() - 1; }
  IntRange operator[](size_t r) const {
    return {data_.data() + start_[r], static_cast<size_t>(start_[r + 1] - start_[r])};
  }
  /// Appends a row.
  template <typename It> void push(It first, It last) {
    data_.insert(data_.end(), first, last);
    start_.push_back(static_cast<int>(data_.size()));
  }
  std::vector<std::vector<int>> toVectors() const;

private:
  std::vector<int> start_;
  std::vector<int> data_;
};

class Hypergraph {
public:
  explicit Hypergraph(const Network &net);

  int numNodes() const { return static_cast<int>(nodeEdges_.size()); }
  int numEdges() const { return static_cast<int>(edgeNodes_.size()); }
  /// Distinct indices of a tensor, sorted.
  IntRange nodeEdges(int node) const { return nodeEdges_[node]; }
  /// Tensors holding an index, sorted, each once.
  IntRange edgeNodes(int edge) const { return edgeNodes_[edge]; }
  double edgeLog2Size(int edge) const { return edgeLog2_[edge]; }
  int64_t edgeExtent(int edge) const { return extents_[edge]; }
  bool isOutput(int edge) const { return output_[edge]; }
  /// Number of tensors holding the index: a node holding all of them closes
  /// the index (unless it is an output index).
  int edgeDegree(int edge) const { return degree_[edge]; }
  /// The degree an index must reach under a node to close: its degree, or
  /// never (INT_MAX) for output indices. One lookup for the hot loops.
  int closeCount(int edge) const { return closeAt_[edge]; }
  /// log2 of the number of elements of a tensor (distinct indices).
  double nodeLog2Size(int node) const;
  /// True if tensor `node` sums over an index by itself (a trace, or an index
  /// held by it alone that is not in the output).
  bool nodeReduces(int node) const { return nodeReduces_[node]; }
  /// The output indices (in network order).
  const std::vector<int> &outputEdges() const { return outputEdges_; }

  /// Treats `edge` as sliced: its extent counts as 1 in every size and cost.
  void sliceEdge(int edge);
  bool isSliced(int edge) const {
    return edgeLog2_[edge] == 0 && extents_[edge] > 1;
  }

  /// Groups of tensors connected through shared indices, each sorted, in
  /// order of their smallest tensor.
  std::vector<std::vector<int>> components() const;

  /// A copy in which indices that are not outputs and have exactly the same
  /// holders are merged into one edge of the summed log2 size. Trees over
  /// the copy have the same costs as over the original and their SSA paths
  /// are valid for it; searches run faster on fewer legs. Merged edges have
  /// no single extent (edgeExtent returns 0) and cannot be sliced.
  Hypergraph mergedParallel() const;

private:
  IntRows nodeEdges_;
  IntRows edgeNodes_;
  std::vector<double> edgeLog2_;
  std::vector<int64_t> extents_;
  std::vector<bool> output_;
  std::vector<int> degree_, closeAt_;
  void finalizeEdges();
  std::vector<int> outputEdges_;
  std::vector<bool> nodeReduces_;
};

/// An open index of a tree node and how many of its holders are below it.
struct Leg {
  int edge;
  int count;
  bool operator==(const Leg &o) const {
    return edge == o.edge && count == o.count;
  }
};

/// A read-only view of a node's legs, sorted by edge. Views into a tree are
/// invalidated by the tree's next contract().
class LegRange {
public:
  LegRange() = default;
  LegRange(const Leg *data, size_t size) : data_(data), size_(size) {}
  LegRange(const std::vector<Leg> &v) : data_(v.data()), size_(v.size()) {}
  const Leg *begin() const { return data_; }
  const Leg *end() const { return data_ + size_; }
  const Leg *data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Leg &operator[](size_t i) const { return data_[i]; }
  const Leg &front() const { return data_[0]; }
  const Leg &back() const { return data_[size_ - 1]; }

private:
  const Leg *data_ = nullptr;
  size_t size_ = 0;
};

/// Merges the legs of two nodes (sorted by edge) into the legs of their
/// contraction, dropping indices that close. Returns the log2 size of the
/// result; `log2StepCost` receives the log2 of the step's cost (Π extents
/// of every index of either operand).
double mergeLegs(const Hypergraph &hg, LegRange a, LegRange b,
                 std::vector<Leg> &out, double &log2StepCost);

/// The log2 size of the contraction of two nodes' legs, without building
/// the merged legs (the greedy search's inner loop).
double mergedLog2Size(const Hypergraph &hg, LegRange a, LegRange b);

/// Whole-tree statistics, in tnc's units (see ContractionPath.h).
struct TreeStats {
  double log10Cost = -std::numeric_limits<double>::infinity();
  double log10Flops = -std::numeric_limits<double>::infinity();
  double log2Width = 0;
  double log10Write = -std::numeric_limits<double>::infinity();
  double log2Peak = 0;
};

/// log10 of the sum of 2^v over values[0, n) (-inf terms add nothing; -inf
/// if all are), accurately for any magnitudes: the sums are scaled by the
/// largest term. The tree statistics are computed with it.
double log10SumExp2(const double *values, size_t n);

class ContractionTree {
public:
  explicit ContractionTree(const Hypergraph &hg);

  const Hypergraph &hypergraph() const { return *hg_; }
  int numLeaves() const { return numLeaves_; }
  /// All nodes ever created, dead ones included.
  int numNodes() const { return static_cast<int>(nodes_.size()); }
  bool isLeaf(int n) const { return n < numLeaves_; }
  bool isDead(int n) const { return nodes_[n].dead; }
  int left(int n) const { return nodes_[n].left; }
  int right(int n) const { return nodes_[n].right; }
  int parent(int n) const { return nodes_[n].parent; }
  LegRange legs(int n) const {
    return {legPool_.data() + nodes_[n].legBegin, nodes_[n].legCount};
  }
  double log2Size(int n) const { return nodes_[n].log2Size; }
  /// log2 of the cost of the step creating `n` (-inf for a leaf).
  double log2StepCost(int n) const { return nodes_[n].log2Cost; }
  /// True if the step creating `n` sums at least one index.
  bool stepSums(int n) const { return nodes_[n].sums; }
  /// Number of leaves under `n`.
  int leafCount(int n) const { return nodes_[n].leaves; }
  /// For a leaf: log2 Π extents of the indices it sums by itself (its legs
  /// leave them out). 0 for internal nodes.
  double log2Closed(int n) const { return nodes_[n].log2Closed; }

  /// Contracts two live roots into a new root; returns its id.
  int contract(int a, int b);
  /// The live nodes without a parent, in id order.
  std::vector<int> roots() const;
  bool isComplete() const;
  /// The root of a complete tree.
  int root() const;

  /// Kills the internal nodes strictly above `frontier` and up to and
  /// including `top` (which must be an ancestor of every frontier node, and
  /// `frontier` must be exactly the boundary of that subtree), making the
  /// frontier nodes roots again. Returns top's former parent (or -1); the
  /// caller rebuilds the subtree and calls attach(parent, newTop).
  int dissolve(int top, const std::vector<int> &frontier);
  /// Hangs root `child` under `parent` in the slot a dissolve freed.
  void attach(int parent, int child);

  /// Statistics of the live tree (complete or not: the steps made so far).
  /// Peak memory follows the post-order of the tree (left 0 without
  /// `withPeak`, which saves a walk of the tree).
  TreeStats stats(bool withPeak = true) const;
  /// Σ over live steps of the step costs, log10.
  double log10Cost() const;
  /// Σ over live steps of the result sizes, log10.
  double log10Write() const;
  /// log2 of the largest live intermediate (and of the output).
  double log2Width() const;

  /// The SSA path of a complete tree (post-order: children before parents,
  /// the larger subtree first; each pair in increasing id order), ready for
  /// #tn.path or ssaToLinear.
  Path ssaPath() const;
  /// A copy without dead nodes, internal nodes renumbered in post-order.
  ContractionTree compacted() const;

  /// Builds the tree of an SSA path (std::nullopt and a message if the path
  /// is not a complete path over hg's tensors).
  static std::optional<ContractionTree> fromSsa(const Hypergraph &hg,
                                                const Path &ssa,
                                                std::string &error);

private:
  struct Node {
    int left = -1, right = -1, parent = -1;
    int leaves = 1;
    bool dead = false;
    bool sums = false;
    double log2Size = 0;
    double log2Cost = -std::numeric_limits<double>::infinity();
    /// Leaves: log2 Π extents of the indices the tensor sums by itself,
    /// paid by the first step that consumes it.
    double log2Closed = 0;
    bool closesAlone = false;
    /// The legs: legPool_[legBegin, legBegin + legCount).
    uint32_t legBegin = 0, legCount = 0;
  };
  void postOrder(int n, std::vector<int> &out) const;

  const Hypergraph *hg_;
  int numLeaves_;
  std::vector<Node> nodes_;
  /// Every node's legs, back to back: one allocation for the whole tree, so
  /// copies (one per search trial) are cheap.
  std::vector<Leg> legPool_;
  std::vector<Leg> scratch_;
};

/// What an optimizer minimizes.
enum class ObjectiveKind { Flops, Size, Write, Combo, Limit };

struct Objective {
  ObjectiveKind kind = ObjectiveKind::Flops;
  /// Weight of writes for Combo and Limit (cotengra's default 64).
  double alpha = 64;
  /// Hard limit on the largest intermediate, log2 elements (infinite: none).
  double log2MemoryLimit = std::numeric_limits<double>::infinity();
};

/// Parses "flops", "size", "write", "combo", "limit" (also "combo-<alpha>"
/// and "limit-<alpha>", as cotengra spells them).
std::optional<Objective> parseObjective(const std::string &s);

/// A scalar score of a tree for an objective: lower is better. Trees over
/// the memory limit score worse than any tree under it. Scores of different
/// objectives are not comparable.
double score(const ContractionTree &tree, const Objective &objective);
double score(const TreeStats &stats, const Objective &objective);

/// The score contribution of one step, for searches that add steps
/// incrementally (flops: 10^cost, write: 10^size, ...), in log10.
double log10StepScore(double log2StepCost, double log2Size,
                      const Objective &objective);

} // namespace tnc

#endif // TN_PATH_CONTRACTIONTREE_H
