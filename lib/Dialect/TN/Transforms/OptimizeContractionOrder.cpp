//===- OptimizeContractionOrder.cpp - Choose contraction orders -----------===//
//
// Runs tnc's path optimizer (tn/Path/Optimize.h) on every tn.network and
// attaches the tree (and slicing) it chooses.
//
//===----------------------------------------------------------------------===//

#include "tn/Dialect/TN/IR/TNOps.h"
#include "tn/Dialect/TN/Transforms/Passes.h"
#include "tn/Dialect/TN/Utils/NetworkInterop.h"
#include "tn/Path/Optimize.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>

namespace mlir::tn {
#define GEN_PASS_DEF_TNOPTIMIZECONTRACTIONORDER
#include "tn/Dialect/TN/Transforms/Passes.h.inc"
} // namespace mlir::tn

using namespace mlir;
using namespace mlir::tn;

namespace {
std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

struct OptimizeContractionOrderPass
    : public tn::impl::TNOptimizeContractionOrderBase<
          OptimizeContractionOrderPass> {
  using Base::Base;

  void runOnOperation() override;
};
} // namespace

void OptimizeContractionOrderPass::runOnOperation() {
  Operation *root = getOperation();
  // Options first: a typo must not silently fall back to a default.
  std::optional<tnc::Algorithm> algo = tnc::parseAlgorithm(algorithm);
  if (!algo) {
    mlir::emitError(root->getLoc(), "tn-optimize-contraction-order: unknown algorithm '")
        << algorithm
        << "' (expected auto, optimal, greedy, random-greedy, partition or "
           "hyper)";
    return signalPassFailure();
  }
  std::optional<tnc::Objective> obj = tnc::parseObjective(objective);
  if (!obj) {
    mlir::emitError(root->getLoc(), "tn-optimize-contraction-order: unknown objective '")
        << objective
        << "' (expected flops, size, write, combo, limit, combo-<alpha> or "
           "limit-<alpha>)";
    return signalPassFailure();
  }
  tnc::OptimizeOptions options;
  options.algorithm = *algo;
  options.objective = *obj;
  options.maxTimeSeconds = maxTime;
  options.repeats = repeats;
  options.seed = seed;
  options.memoryLimit = memoryLimit;
  options.sliceTarget = sliceTarget;
  options.threads = threads;
  std::string invalid = tnc::validateOptimizeOptions(options);
  if (!invalid.empty()) {
    mlir::emitError(root->getLoc(), "tn-optimize-contraction-order: ")
        << invalid;
    return signalPassFailure();
  }
  // A progress line on long searches, only where a person is watching.
  if (llvm::sys::Process::StandardErrIsDisplayed())
    options.progress = [](const std::string &line) {
      llvm::errs() << "tn-optimize-contraction-order: " << line << "\n";
    };

  tnc::JsonValue report = tnc::JsonValue::array();
  bool failed = false;
  root->walk([&](NetworkOp op) {
    if (!overwrite && op.getPathAttr())
      return;
    tnc::Network net = getNetwork(op);
    std::string error;
    std::optional<tnc::OptimizeResult> result =
        tnc::optimizeContraction(net, options, error);
    if (!result) {
      op.emitError("cannot choose a contraction order: ") << error;
      failed = true;
      return;
    }
    OpBuilder b(op);
    SmallVector<int64_t> steps;
    for (const tnc::PathStep &s : result->ssa) {
      steps.push_back(s.first);
      steps.push_back(s.second);
    }
    op.setPathAttr(ContractionPathAttr::get(op.getContext(), steps));
    if (result->slicedIndices.empty()) {
      op.removeSlicedIndicesAttr();
    } else {
      SmallVector<Attribute> names;
      for (int id : result->slicedIndices)
        names.push_back(b.getStringAttr(net.indexName(id)));
      op.setSlicedIndicesAttr(b.getArrayAttr(names));
    }
    report.push(tnc::reportEntry(net, *result));

    if (remarks) {
      std::string error2;
      std::optional<tnc::PathCost> naive = tnc::evaluateSsaPath(
          net, tnc::leftToRightPath(net.numTensors()), error2);
      auto diag = mlir::emitRemark(op.getLoc())
                  << "contraction order (" << result->algorithm
                  << "): log10 cost "
                  << fixed(result->log10TotalCost, 3)
                  << ", log2 width "
                  << fixed(result->stats.log2Width, 2);
      if (naive)
        diag << "; left to right: log10 cost "
             << fixed(naive->log10Cost, 3) << ", log2 width "
             << fixed(naive->log2Width, 2);
      if (!result->slicedIndices.empty())
        diag << "; " << result->slicedIndices.size() << " sliced indices, 10^"
             << fixed(result->log10Slices, 2) << " slices, overhead "
             << fixed(result->sliceOverhead, 3);
    }
  });
  if (failed)
    return signalPassFailure();

  if (!reportFile.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(reportFile, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      mlir::emitError(root->getLoc(), "tn-optimize-contraction-order: cannot write report '")
          << reportFile << "': " << ec.message();
      return signalPassFailure();
    }
    os << tnc::writeJson(report, 1) << "\n";
  }
}
