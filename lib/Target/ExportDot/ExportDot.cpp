//===- ExportDot.cpp - Graphviz drawings of tensor networks ---------------===//
//
// One cluster per tn.network: tensors are boxes labelled with their operand
// number and shape; an index shared by two tensors is an edge labelled with
// its name and extent; an index shared by three or more tensors (a
// hyperedge) is a dot joined to each of them; an open (output) index is a
// leg ending in its label; a trace is a loop; an index summed within one
// tensor is a dashed leg ending in a sum sign.
//
//===----------------------------------------------------------------------===//

#include "tn/Dialect/TN/IR/TNOps.h"
#include "tn/Dialect/TN/Utils/NetworkInterop.h"
#include "tn/Path/ContractionTree.h"
#include "tn/Target/Translations.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace mlir;

/// A double-quoted Graphviz string.
static std::string dotQuote(StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

static std::string shapeString(const tnc::Network &net, int t) {
  std::vector<int64_t> shape = net.shape(t);
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

static void writeNetwork(const tnc::Network &net, unsigned clusterId,
                         raw_ostream &os) {
  std::string p = "n" + std::to_string(clusterId) + "_";
  os << "  subgraph cluster_" << clusterId << " {\n";
  os << "    label=" << dotQuote("@" + net.name + ": " +
                                 std::to_string(net.numTensors()) +
                                 " tensors, " +
                                 std::to_string(net.numIndices()) + " indices")
     << ";\n";
  for (int t = 0; t < net.numTensors(); ++t)
    os << "    " << p << "t" << t << " [shape=box, label="
       << dotQuote("T" + std::to_string(t) + "\n" + shapeString(net, t))
       << "];\n";

  // Tensors holding each index (once per tensor), and trace multiplicity.
  std::vector<std::vector<int>> holders(net.numIndices());
  std::vector<std::vector<int>> traces(net.numIndices());
  for (int t = 0; t < net.numTensors(); ++t) {
    std::vector<int> ids = net.tensorIndices(t);
    std::vector<int> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (i && sorted[i] == sorted[i - 1]) {
        if (traces[sorted[i]].empty() || traces[sorted[i]].back() != t)
          traces[sorted[i]].push_back(t);
        continue;
      }
      holders[sorted[i]].push_back(t);
    }
  }
  std::vector<bool> open(net.numIndices(), false);
  for (int id : net.output())
    open[id] = true;

  for (int id = 0; id < net.numIndices(); ++id) {
    std::string label =
        net.indexName(id) + " (" + std::to_string(net.extent(id)) + ")";
    const std::vector<int> &h = holders[id];
    size_t degree = h.size() + (open[id] ? 1 : 0);
    std::string idNode = p + "i" + std::to_string(id);
    for (int t : traces[id])
      os << "    " << p << "t" << t << " -- " << p << "t" << t
         << " [label=" << dotQuote(label) << ", style=bold];\n";
    if (degree == 2 && h.size() == 2) {
      os << "    " << p << "t" << h[0] << " -- " << p << "t" << h[1]
         << " [label=" << dotQuote(label) << "];\n";
      continue;
    }
    if (degree == 2 && open[id]) {
      os << "    " << idNode << " [shape=plaintext, label="
         << dotQuote(label) << "];\n";
      os << "    " << p << "t" << h[0] << " -- " << idNode << ";\n";
      continue;
    }
    if (degree == 1) {
      if (!traces[id].empty())
        continue; // drawn as a loop
      os << "    " << idNode << " [shape=plaintext, label="
         << dotQuote("\xCE\xA3 " + label) << "];\n";
      os << "    " << p << "t" << h[0] << " -- " << idNode
         << " [style=dashed];\n";
      continue;
    }
    // A hyperedge: a dot joined to every holder (and to the open label).
    os << "    " << idNode << " [shape=point, width=0.08, xlabel="
       << dotQuote(label) << "];\n";
    for (int t : h)
      os << "    " << p << "t" << t << " -- " << idNode << ";\n";
    if (open[id]) {
      os << "    " << idNode << "_open [shape=plaintext, label="
         << dotQuote(net.indexName(id)) << "];\n";
      os << "    " << idNode << " -- " << idNode << "_open;\n";
    }
  }
  os << "  }\n";
}

/// The contraction tree of a network's path, as its own cluster: leaves are
/// the operands, each internal node a step labelled with its number, the
/// size of its result and its cost.
static void writeTree(const tnc::Network &net, const tnc::Path &path,
                      unsigned clusterId, raw_ostream &os) {
  tnc::Hypergraph hg(net);
  std::string error;
  std::optional<tnc::ContractionTree> tree =
      tnc::ContractionTree::fromSsa(hg, path, error);
  if (!tree)
    return;
  std::string p = "c" + std::to_string(clusterId) + "_";
  tnc::TreeStats stats = tree->stats();
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "contraction tree of @%s: log10 cost %.3f, log2 width %.2f",
                net.name.c_str(), stats.log10Cost, stats.log2Width);
  os << "  subgraph cluster_tree_" << clusterId << " {\n";
  os << "    label=" << dotQuote(buf) << ";\n";
  for (int t = 0; t < net.numTensors(); ++t)
    os << "    " << p << t << " [shape=box, label="
       << dotQuote("T" + std::to_string(t)) << "];\n";
  for (int n = tree->numLeaves(); n < tree->numNodes(); ++n) {
    std::snprintf(buf, sizeof buf, "step %d\n2^%.1f elements\n10^%.2f ops",
                  n - tree->numLeaves(), tree->log2Size(n),
                  tree->log2StepCost(n) * std::log10(2.0));
    os << "    " << p << n << " [shape=ellipse, label=" << dotQuote(buf)
       << "];\n";
    os << "    " << p << tree->left(n) << " -- " << p << n << ";\n";
    os << "    " << p << tree->right(n) << " -- " << p << n << ";\n";
  }
  os << "  }\n";
}

LogicalResult mlir::tn::exportDot(Operation *op, raw_ostream &os) {
  SmallVector<NetworkOp> networks;
  op->walk([&](NetworkOp network) { networks.push_back(network); });
  if (networks.empty())
    return op->emitError("no tn.network to draw");
  os << "graph tn {\n";
  os << "  graph [overlap=false, splines=true, fontsize=10];\n";
  os << "  node [fontsize=10];\n  edge [fontsize=9];\n";
  for (auto [k, network] : llvm::enumerate(networks)) {
    tnc::Network net = getNetwork(network);
    writeNetwork(net, k, os);
    if (ContractionPathAttr pathAttr = network.getPathAttr()) {
      tnc::Path path;
      for (size_t s = 0; s < pathAttr.getNumSteps(); ++s) {
        auto [a, b] = pathAttr.getStep(s);
        path.push_back({static_cast<int>(a), static_cast<int>(b)});
      }
      writeTree(net, path, k, os);
    }
  }
  os << "}\n";
  return success();
}
