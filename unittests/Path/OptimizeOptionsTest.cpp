//===- OptimizeOptionsTest.cpp - Option parsing, validation, IntRows ------===//

#include "tn/Path/ContractionTree.h"
#include "tn/Path/Optimize.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace tnc;

namespace {

OptimizeOptions parsed(const char *text) {
  std::string error;
  std::optional<OptimizeOptions> o = parseOptimizeOptions(text, error);
  EXPECT_TRUE(o.has_value()) << text << ": " << error;
  return o ? *o : OptimizeOptions();
}

std::string rejected(const char *text) {
  std::string error;
  EXPECT_FALSE(parseOptimizeOptions(text, error).has_value()) << text;
  EXPECT_FALSE(error.empty()) << text;
  return error;
}

TEST(OptimizeOptions, ParsesEveryKey) {
  OptimizeOptions o = parsed(
      "  algorithm=hyper objective=combo-256 max-time=2.5 repeats=7 seed=18446744073709551615 "
      "memory-limit=1e6\tslice-target=4096 threads=2 simplify=false reconfigure=0 ");
  EXPECT_EQ(o.algorithm, Algorithm::Hyper);
  EXPECT_EQ(o.objective.kind, ObjectiveKind::Combo);
  EXPECT_EQ(o.objective.alpha, 256);
  EXPECT_EQ(o.maxTimeSeconds, 2.5);
  EXPECT_EQ(o.repeats, 7);
  EXPECT_EQ(o.seed, 18446744073709551615ull);
  EXPECT_EQ(o.memoryLimit, 1e6);
  EXPECT_EQ(o.sliceTarget, 4096);
  EXPECT_EQ(o.threads, 2);
  EXPECT_FALSE(o.simplify);
  EXPECT_FALSE(o.reconfigure);
}

TEST(OptimizeOptions, EmptyGivesTheDefaults) {
  OptimizeOptions o = parsed("");
  EXPECT_EQ(o.algorithm, Algorithm::Auto);
  EXPECT_EQ(o.objective.kind, ObjectiveKind::Flops);
  EXPECT_EQ(o.repeats, 0);
  EXPECT_TRUE(o.simplify);
}

TEST(OptimizeOptions, RejectsWithAMessage) {
  EXPECT_NE(rejected("algorithm=best").find("algorithm"), std::string::npos);
  EXPECT_NE(rejected("objective=speed").find("objective"), std::string::npos);
  EXPECT_NE(rejected("seeds=1").find("unknown option 'seeds'"), std::string::npos);
  EXPECT_NE(rejected("greedy").find("key=value"), std::string::npos);
  EXPECT_NE(rejected("=3").find("key=value"), std::string::npos);
  rejected("max-time=");
  rejected("max-time=abc");
  rejected("max-time=1e999");
  EXPECT_NE(rejected("max-time=-1").find("max-time"), std::string::npos);
  EXPECT_NE(rejected("max-time=nan").find("finite"), std::string::npos);
  rejected("repeats=1.5");
  rejected("repeats=99999999999");
  EXPECT_NE(rejected("repeats=-1").find("non-negative"), std::string::npos);
  rejected("seed=-1");
  rejected("threads=two");
  rejected("simplify=yes");
  EXPECT_NE(rejected("slice-target=0.5").find("at least 1"), std::string::npos);
  EXPECT_NE(rejected("memory-limit=inf").find("memory-limit"), std::string::npos);
}

TEST(OptimizeOptions, ValidateMatchesParse) {
  OptimizeOptions o;
  EXPECT_EQ(validateOptimizeOptions(o), "");
  o.sliceTarget = 0.25;
  EXPECT_NE(validateOptimizeOptions(o), "");
  o = OptimizeOptions();
  o.threads = -2;
  EXPECT_NE(validateOptimizeOptions(o), "");
}

TEST(IntRows, RowsBackToBack) {
  IntRows rows({{3, 1}, {}, {7}});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].vec(), (std::vector<int>{3, 1}));
  EXPECT_TRUE(rows[1].empty());
  EXPECT_EQ(rows[2][0], 7);
  std::vector<int> extra = {4, 5, 6};
  rows.push(extra.begin(), extra.end());
  EXPECT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[3].size(), 3u);
  EXPECT_EQ(rows.toVectors(), (std::vector<std::vector<int>>{{3, 1}, {}, {7}, {4, 5, 6}}));
  EXPECT_EQ(IntRows().size(), 0u);
}

TEST(Hypergraph, HoldersSortedAndDegrees) {
  Diagnostic d;
  std::optional<Network> net =
      parseEinsum("ab,bcc,ad,db->ac", {{2, 3}, {3, 4, 4}, {2, 5}, {5, 3}}, d);
  ASSERT_TRUE(net) << d.message;
  Hypergraph hg(*net);
  int b = net->findIndex("b"), c = net->findIndex("c");
  EXPECT_EQ(hg.edgeNodes(b).vec(), (std::vector<int>{0, 1, 3}));
  EXPECT_EQ(hg.edgeDegree(b), 3);
  EXPECT_EQ(hg.nodeEdges(1).size(), 2u); // b and c, the trace counted once
  EXPECT_TRUE(hg.nodeReduces(1));
  EXPECT_TRUE(hg.isOutput(c));
  EXPECT_EQ(hg.closeCount(c), std::numeric_limits<int>::max());
  Hypergraph merged = hg.mergedParallel();
  EXPECT_EQ(merged.numNodes(), hg.numNodes());
}

} // namespace
