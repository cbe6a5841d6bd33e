//===- ExportSummary.cpp - A readable summary of each tensor network ------===//
//
// For every tn.network: its size and structure (tensors, indices,
// hyperedges, traces, open indices), the naive costs a compiler without an
// order optimizer pays (one loop nest; pairwise left to right), and, when the
// network carries a `path`, the cost of that path. Costs are in tnc's units
// (see tn/Path/ContractionPath.h).
//
//===----------------------------------------------------------------------===//

#include "tn/Dialect/TN/IR/TNOps.h"
#include "tn/Dialect/TN/Utils/NetworkInterop.h"
#include "tn/Path/ContractionPath.h"
#include "tn/Target/Translations.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

static void printCost(raw_ostream &os, StringRef label,
                      const tnc::PathCost &cost) {
  os << "  " << label << ": log10 cost " << llvm::format("%.3f", cost.log10Cost)
     << ", log10 flops " << llvm::format("%.3f", cost.log10Flops)
     << ", log2 width " << llvm::format("%.2f", cost.log2Width)
     << ", log10 write " << llvm::format("%.3f", cost.log10Write)
     << ", log2 peak " << llvm::format("%.2f", cost.log2Peak) << "\n";
}

static LogicalResult summarize(tn::NetworkOp op, raw_ostream &os) {
  tnc::Network net = tn::getNetwork(op);
  std::vector<int> degree(net.numIndices(), 0);
  int traces = 0;
  double log10LargestInput = 0;
  for (int t = 0; t < net.numTensors(); ++t) {
    std::vector<int> ids = net.tensorIndices(t);
    std::sort(ids.begin(), ids.end());
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i && ids[i] == ids[i - 1]) {
        ++traces;
        continue;
      }
      ++degree[ids[i]];
    }
    log10LargestInput = std::max(log10LargestInput, net.log10Size(t));
  }
  int hyperedges = 0;
  for (int d : degree)
    hyperedges += d >= 3;

  Type elementType = getElementTypeOrSelf(op.getType());
  os << "network @" << net.name << ": " << net.numTensors() << " tensors, "
     << net.numIndices() << " indices, element type " << elementType << "\n";
  os << "  output: " << net.output().size() << " open indices, "
     << op.getType() << "\n";
  os << "  hyperedges (3+ tensors): " << hyperedges
     << ", traced indices: " << traces << ", log2 largest input: "
     << llvm::format("%.2f", log10LargestInput / std::log10(2.0)) << "\n";
  os << "  costs in log10 multiply-adds (cotengra units); flops as "
        "opt_einsum counts them\n";
  os << "  single loop nest: log10 cost "
     << llvm::format("%.3f", tnc::log10SingleLoopCost(net)) << "\n";

  std::string error;
  std::optional<tnc::PathCost> naive = tnc::evaluateSsaPath(
      net, tnc::leftToRightPath(net.numTensors()), error);
  if (!naive)
    return op.emitError("cannot evaluate the left-to-right path: ") << error;
  printCost(os, "left to right", *naive);

  if (tn::ContractionPathAttr pathAttr = op.getPathAttr()) {
    tnc::Path path;
    for (size_t k = 0; k < pathAttr.getNumSteps(); ++k) {
      auto [a, b] = pathAttr.getStep(k);
      path.push_back({static_cast<int>(a), static_cast<int>(b)});
    }
    std::optional<tnc::PathCost> cost = tnc::evaluateSsaPath(net, path, error);
    if (!cost)
      return op.emitError("cannot evaluate the path attribute: ") << error;
    printCost(os, "path attribute", *cost);
    os << "  speed-up over left to right: 10^"
       << llvm::format("%.2f", naive->log10Cost - cost->log10Cost) << "\n";
  }
  return success();
}

LogicalResult mlir::tn::exportSummary(Operation *op, raw_ostream &os) {
  SmallVector<NetworkOp> networks;
  op->walk([&](NetworkOp network) { networks.push_back(network); });
  if (networks.empty())
    return op->emitError("no tn.network to summarize");
  for (NetworkOp network : networks)
    if (failed(summarize(network, os)))
      return failure();
  return success();
}
