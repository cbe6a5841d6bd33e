//===- ContractionTree.cpp - Search view of a network and trees -----------===//

#include "tn/Path/ContractionTree.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

namespace tnc {

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();
static const double kLog10Of2 = std::log10(2.0);

//===----------------------------------------------------------------------===//
// Hypergraph
//===----------------------------------------------------------------------===//

IntRows::IntRows(const std::vector<std::vector<int>> &rows) : start_(1, 0) {
  start_.reserve(rows.size() + 1);
  size_t total = 0;
  for (const auto &r : rows)
    total += r.size();
  data_.reserve(total);
  for (const auto &r : rows)
    push(r.begin(), r.end());
}

std::vector<std::vector<int>> IntRows::toVectors() const {
  std::vector<std::vector<int>> out(size());
  for (size_t r = 0; r < size(); ++r)
    out[r] = (*this)[r].vec();
  return out;
}

Hypergraph::Hypergraph(const Network &net) {
  int numEdges = net.numIndices();
  edgeLog2_.resize(numEdges);
  extents_.resize(numEdges);
  output_.assign(numEdges, false);
  for (int e = 0; e < numEdges; ++e) {
    extents_[e] = net.extent(e);
    edgeLog2_[e] = std::log2(static_cast<double>(net.extent(e)));
  }
  for (int e : net.output()) {
    output_[e] = true;
    outputEdges_.push_back(e);
  }
  // Tensors' distinct indices, then each index's holders by counting sort
  // (tensors in increasing order, so each row comes out sorted).
  nodeReduces_.assign(net.numTensors(), false);
  std::vector<int> degree(numEdges, 0), ids;
  for (int t = 0; t < net.numTensors(); ++t) {
    ids = net.tensorIndices(t);
    std::sort(ids.begin(), ids.end());
    bool trace = std::adjacent_find(ids.begin(), ids.end()) != ids.end();
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int e : ids)
      ++degree[e];
    nodeReduces_[t] = trace;
    nodeEdges_.push(ids.begin(), ids.end());
  }
  std::vector<int> start(numEdges + 1, 0);
  for (int e = 0; e < numEdges; ++e)
    start[e + 1] = start[e] + degree[e];
  std::vector<int> holders(start.back()), fill(start.begin(), start.end() - 1);
  for (int t = 0; t < net.numTensors(); ++t)
    for (int e : nodeEdges_[t])
      holders[fill[e]++] = t;
  for (int e = 0; e < numEdges; ++e)
    edgeNodes_.push(holders.begin() + start[e], holders.begin() + start[e + 1]);
  for (int t = 0; t < net.numTensors(); ++t)
    for (int e : nodeEdges_[t])
      if (degree[e] == 1 && !output_[e])
        nodeReduces_[t] = true;
  finalizeEdges();
}

void Hypergraph::finalizeEdges() {
  degree_.resize(numEdges());
  closeAt_.resize(numEdges());
  for (int e = 0; e < numEdges(); ++e) {
    degree_[e] = static_cast<int>(edgeNodes_[e].size());
    closeAt_[e] = output_[e] ? std::numeric_limits<int>::max() : degree_[e];
  }
}

double Hypergraph::nodeLog2Size(int node) const {
  double s = 0;
  for (int e : nodeEdges_[node])
    s += edgeLog2_[e];
  return s;
}

void Hypergraph::sliceEdge(int edge) { edgeLog2_[edge] = 0; }

std::vector<std::vector<int>> Hypergraph::components() const {
  int n = numNodes();
  std::vector<int> comp(n, -1);
  std::vector<std::vector<int>> result;
  std::vector<bool> edgeSeen(numEdges(), false);
  for (int start = 0; start < n; ++start) {
    if (comp[start] >= 0)
      continue;
    int id = static_cast<int>(result.size());
    result.emplace_back();
    std::vector<int> stack = {start};
    comp[start] = id;
    while (!stack.empty()) {
      int v = stack.back();
      stack.pop_back();
      result[id].push_back(v);
      for (int e : nodeEdges_[v]) {
        if (edgeSeen[e])
          continue;
        edgeSeen[e] = true;
        for (int w : edgeNodes_[e])
          if (comp[w] < 0) {
            comp[w] = id;
            stack.push_back(w);
          }
      }
    }
    std::sort(result[id].begin(), result[id].end());
  }
  return result;
}

Hypergraph Hypergraph::mergedParallel() const {
  Hypergraph h = *this;
  std::map<std::vector<int>, int> groupOf;
  std::vector<int> newId(numEdges(), -1);
  h.edgeNodes_ = IntRows();
  h.edgeLog2_.clear();
  h.extents_.clear();
  h.output_.clear();
  for (int e = 0; e < numEdges(); ++e) {
    int id = -1;
    if (!output_[e]) {
      auto [it, inserted] =
          groupOf.try_emplace(edgeNodes_[e].vec(), h.numEdges());
      if (!inserted) {
        id = it->second;
        h.edgeLog2_[id] += edgeLog2_[e];
        h.extents_[id] = 0;
      }
    }
    if (id < 0) {
      id = h.numEdges();
      h.edgeNodes_.push(edgeNodes_[e].begin(), edgeNodes_[e].end());
      h.edgeLog2_.push_back(edgeLog2_[e]);
      h.extents_.push_back(extents_[e]);
      h.output_.push_back(output_[e]);
    }
    newId[e] = id;
  }
  std::vector<std::vector<int>> nodeEdges = nodeEdges_.toVectors();
  for (auto &edges : nodeEdges) {
    for (int &e : edges)
      e = newId[e];
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  }
  h.nodeEdges_ = IntRows(nodeEdges);
  for (int &e : h.outputEdges_)
    e = newId[e];
  h.finalizeEdges();
  return h;
}

//===----------------------------------------------------------------------===//
// Legs
//===----------------------------------------------------------------------===//

double mergeLegs(const Hypergraph &hg, LegRange a, LegRange b,
                 std::vector<Leg> &out, double &log2StepCost) {
  out.resize(a.size() + b.size());
  Leg *o = out.data();
  double cost = 0, size = 0;
  const Leg *i = a.data(), *ie = i + a.size();
  const Leg *j = b.data(), *je = j + b.size();
  auto keep = [&](int edge, int count) {
    double s = hg.edgeLog2Size(edge);
    cost += s;
    if (count < hg.closeCount(edge)) {
      *o++ = {edge, count};
      size += s;
    }
  };
  while (i != ie && j != je) {
    if (i->edge < j->edge) {
      keep(i->edge, i->count);
      ++i;
    } else if (j->edge < i->edge) {
      keep(j->edge, j->count);
      ++j;
    } else {
      keep(i->edge, i->count + j->count);
      ++i;
      ++j;
    }
  }
  for (; i != ie; ++i)
    keep(i->edge, i->count);
  for (; j != je; ++j)
    keep(j->edge, j->count);
  out.resize(o - out.data());
  log2StepCost = cost;
  return size;
}

double mergedLog2Size(const Hypergraph &hg, LegRange a, LegRange b) {
  double size = 0;
  const Leg *i = a.data(), *ie = i + a.size();
  const Leg *j = b.data(), *je = j + b.size();
  while (i != ie && j != je) {
    if (i->edge < j->edge) {
      size += hg.edgeLog2Size(i->edge);
      ++i;
    } else if (j->edge < i->edge) {
      size += hg.edgeLog2Size(j->edge);
      ++j;
    } else {
      if (i->count + j->count < hg.closeCount(i->edge))
        size += hg.edgeLog2Size(i->edge);
      ++i;
      ++j;
    }
  }
  for (; i != ie; ++i)
    size += hg.edgeLog2Size(i->edge);
  for (; j != je; ++j)
    size += hg.edgeLog2Size(j->edge);
  return size;
}

//===----------------------------------------------------------------------===//
// ContractionTree
//===----------------------------------------------------------------------===//

ContractionTree::ContractionTree(const Hypergraph &hg)
    : hg_(&hg), numLeaves_(hg.numNodes()) {
  nodes_.reserve(2 * numLeaves_);
  nodes_.resize(numLeaves_);
  // Intermediates' legs follow the leaves' in the same pool; room for a
  // typical tree up front saves regrowing it step by step.
  size_t leafLegs = 0;
  for (int t = 0; t < numLeaves_; ++t)
    leafLegs += hg.nodeEdges(t).size();
  legPool_.reserve(3 * leafLegs + 16);
  for (int t = 0; t < numLeaves_; ++t) {
    Node &node = nodes_[t];
    double size = 0;
    node.legBegin = static_cast<uint32_t>(legPool_.size());
    for (int e : hg.nodeEdges(t)) {
      // An index held by this tensor alone closes right away (a trace or a
      // reduction) unless it is an output index.
      if (hg.edgeDegree(e) == 1 && !hg.isOutput(e)) {
        node.log2Closed += hg.edgeLog2Size(e);
        node.closesAlone = true;
        continue;
      }
      legPool_.push_back({e, 1});
      size += hg.edgeLog2Size(e);
    }
    node.legCount = static_cast<uint32_t>(legPool_.size()) - node.legBegin;
    node.log2Size = size;
  }
}

int ContractionTree::contract(int a, int b) {
  assert(a != b && nodes_[a].parent < 0 && nodes_[b].parent < 0);
  Node node;
  node.left = a;
  node.right = b;
  node.leaves = nodes_[a].leaves + nodes_[b].leaves;
  LegRange la = legs(a), lb = legs(b);
  node.log2Size = mergeLegs(*hg_, la, lb, scratch_, node.log2Cost);
  // The step sums an index when the result has fewer legs than the union.
  size_t unionSize = 0;
  {
    size_t i = 0, j = 0;
    while (i < la.size() || j < lb.size()) {
      ++unionSize;
      if (j == lb.size() || (i < la.size() && la[i].edge < lb[j].edge))
        ++i;
      else if (i == la.size() || lb[j].edge < la[i].edge)
        ++j;
      else
        ++i, ++j;
    }
  }
  node.sums = scratch_.size() < unionSize;
  // Append after the views above are no longer needed (the pool may move).
  node.legBegin = static_cast<uint32_t>(legPool_.size());
  node.legCount = static_cast<uint32_t>(scratch_.size());
  legPool_.insert(legPool_.end(), scratch_.begin(), scratch_.end());
  // Indices a leaf sums by itself are looped over in this step too.
  for (int c : {a, b})
    if (isLeaf(c) && nodes_[c].closesAlone) {
      node.log2Cost += nodes_[c].log2Closed;
      node.sums = true;
    }
  int id = static_cast<int>(nodes_.size());
  nodes_.push_back(std::move(node));
  nodes_[a].parent = id;
  nodes_[b].parent = id;
  return id;
}

std::vector<int> ContractionTree::roots() const {
  std::vector<int> r;
  for (int n = 0; n < numNodes(); ++n)
    if (!nodes_[n].dead && nodes_[n].parent < 0)
      r.push_back(n);
  return r;
}

bool ContractionTree::isComplete() const { return roots().size() == 1; }

int ContractionTree::root() const {
  std::vector<int> r = roots();
  return r.size() == 1 ? r[0] : -1;
}

int ContractionTree::dissolve(int top, const std::vector<int> &frontier) {
  int parentOfTop = nodes_[top].parent;
  std::vector<bool> isFrontier(numNodes(), false);
  for (int f : frontier)
    isFrontier[f] = true;
  std::vector<int> stack = {top};
  while (!stack.empty()) {
    int n = stack.back();
    stack.pop_back();
    if (isFrontier[n]) {
      nodes_[n].parent = -1;
      continue;
    }
    assert(!isLeaf(n) && "frontier must cover the subtree's leaves");
    nodes_[n].dead = true;
    stack.push_back(nodes_[n].left);
    stack.push_back(nodes_[n].right);
  }
  if (parentOfTop >= 0) {
    Node &p = nodes_[parentOfTop];
    if (p.left == top)
      p.left = -1;
    else
      p.right = -1;
  }
  nodes_[top].parent = -1;
  return parentOfTop;
}

void ContractionTree::attach(int parent, int child) {
  Node &p = nodes_[parent];
  if (p.left < 0)
    p.left = child;
  else
    p.right = child;
  nodes_[child].parent = parent;
}

void ContractionTree::postOrder(int n, std::vector<int> &out) const {
  // Iterative: deep trees (chains of 1000 tensors) must not overflow.
  std::vector<std::pair<int, bool>> stack = {{n, false}};
  while (!stack.empty()) {
    auto [v, expanded] = stack.back();
    stack.pop_back();
    if (isLeaf(v)) {
      out.push_back(v);
      continue;
    }
    if (expanded) {
      out.push_back(v);
      continue;
    }
    stack.push_back({v, true});
    int l = nodes_[v].left, r = nodes_[v].right;
    // Larger subtree first (fewer live intermediates), ties by id.
    if (nodes_[l].leaves < nodes_[r].leaves)
      std::swap(l, r);
    stack.push_back({r, false});
    stack.push_back({l, false});
  }
}

/// log10 of Σ 2^x over the values, accurately for any magnitudes.
template <typename Fn>
static double log10SumExp2(int begin, int end, Fn &&valueOf) {
  double hi = kNegInf;
  for (int n = begin; n < end; ++n)
    hi = std::max(hi, valueOf(n));
  if (hi == kNegInf)
    return kNegInf;
  double sum = 0;
  for (int n = begin; n < end; ++n) {
    double v = valueOf(n);
    if (v != kNegInf)
      sum += std::exp2(v - hi);
  }
  return (hi + std::log2(sum)) * kLog10Of2;
}

double log10SumExp2(const double *values, size_t n) {
  return log10SumExp2(0, static_cast<int>(n),
                      [values](int i) { return values[i]; });
}

double ContractionTree::log10Cost() const {
  return log10SumExp2(numLeaves_, numNodes(), [&](int n) {
    return nodes_[n].dead ? kNegInf : nodes_[n].log2Cost;
  });
}

double ContractionTree::log10Write() const {
  return log10SumExp2(numLeaves_, numNodes(), [&](int n) {
    return nodes_[n].dead ? kNegInf : nodes_[n].log2Size;
  });
}

double ContractionTree::log2Width() const {
  double w = 0;
  for (int n = numLeaves_; n < numNodes(); ++n)
    if (!nodes_[n].dead)
      w = std::max(w, nodes_[n].log2Size);
  return w;
}

TreeStats ContractionTree::stats(bool withPeak) const {
  TreeStats s;
  // Sums of 2^x scaled by the largest term (log10SumExp2): an exp2 per step
  // and sum, not a log and a pow per step.
  s.log10Cost = log10Cost();
  s.log10Flops = log10SumExp2(numLeaves_, numNodes(), [&](int n) {
    const Node &node = nodes_[n];
    return node.dead ? kNegInf : node.log2Cost + (node.sums ? 1.0 : 0.0);
  });
  s.log10Write = log10Write();
  s.log2Width = log2Width();
  // A lone tensor that reduces costs one pass over it.
  if (numLeaves_ == 1 && hg_->nodeReduces(0)) {
    s.log10Cost = hg_->nodeLog2Size(0) * kLog10Of2;
    s.log10Flops = s.log10Cost;
  }
  if (numLeaves_ == 1) {
    double out = 0;
    for (int e : hg_->outputEdges())
      out += hg_->edgeLog2Size(e);
    s.log2Width = out;
  }
  if (!withPeak)
    return s;
  // Peak: inputs are alive until consumed, in post-order.
  double live = 0;
  for (int t = 0; t < numLeaves_; ++t)
    live += std::exp2(hg_->nodeLog2Size(t));
  double peak = live;
  for (int r : roots()) {
    if (isLeaf(r))
      continue;
    std::vector<int> order;
    postOrder(r, order);
    for (int n : order) {
      if (isLeaf(n))
        continue;
      const Node &node = nodes_[n];
      live += std::exp2(node.log2Size);
      peak = std::max(peak, live);
      for (int c : {node.left, node.right})
        live -= std::exp2(isLeaf(c) ? hg_->nodeLog2Size(c) : nodes_[c].log2Size);
    }
  }
  s.log2Peak = std::log2(peak);
  return s;
}

Path ContractionTree::ssaPath() const {
  Path path;
  int r = root();
  if (r < 0 || isLeaf(r))
    return path;
  std::vector<int> order;
  postOrder(r, order);
  std::vector<int> ssaId(numNodes(), -1);
  for (int t = 0; t < numLeaves_; ++t)
    ssaId[t] = t;
  int next = numLeaves_;
  for (int n : order) {
    if (isLeaf(n))
      continue;
    // Canonical: each pair in increasing id order, whichever child an
    // optimizer built first.
    int a = ssaId[nodes_[n].left], b = ssaId[nodes_[n].right];
    path.push_back({std::min(a, b), std::max(a, b)});
    ssaId[n] = next++;
  }
  return path;
}

ContractionTree ContractionTree::compacted() const {
  ContractionTree t(*hg_);
  std::vector<int> map(numNodes(), -1);
  for (int l = 0; l < numLeaves_; ++l)
    map[l] = l;
  for (int r : roots()) {
    if (isLeaf(r))
      continue;
    std::vector<int> order;
    postOrder(r, order);
    for (int n : order)
      if (!isLeaf(n))
        map[n] = t.contract(map[nodes_[n].left], map[nodes_[n].right]);
  }
  return t;
}

std::optional<ContractionTree>
ContractionTree::fromSsa(const Hypergraph &hg, const Path &ssa,
                         std::string &error) {
  error = validateSsaPath(hg.numNodes(), ssa);
  if (!error.empty())
    return std::nullopt;
  ContractionTree t(hg);
  for (const PathStep &step : ssa)
    t.contract(step.first, step.second);
  return t;
}

//===----------------------------------------------------------------------===//
// Objectives
//===----------------------------------------------------------------------===//

std::optional<Objective> parseObjective(const std::string &s) {
  Objective o;
  auto withAlpha = [&](const std::string &prefix, ObjectiveKind kind) -> bool {
    if (s == prefix) {
      o.kind = kind;
      return true;
    }
    if (s.rfind(prefix + "-", 0) != 0)
      return false;
    std::string num = s.substr(prefix.size() + 1);
    char *end = nullptr;
    double alpha = std::strtod(num.c_str(), &end);
    if (num.empty() || *end != '\0' || !(alpha >= 0) || !std::isfinite(alpha))
      return false;
    o.kind = kind;
    o.alpha = alpha;
    return true;
  };
  if (s == "flops")
    o.kind = ObjectiveKind::Flops;
  else if (s == "size")
    o.kind = ObjectiveKind::Size;
  else if (s == "write")
    o.kind = ObjectiveKind::Write;
  else if (!withAlpha("combo", ObjectiveKind::Combo) &&
           !withAlpha("limit", ObjectiveKind::Limit))
    return std::nullopt;
  return o;
}

double log10StepScore(double log2StepCost, double log2Size,
                      const Objective &objective) {
  double c = log2StepCost * kLog10Of2, w = log2Size * kLog10Of2;
  switch (objective.kind) {
  case ObjectiveKind::Flops:
  case ObjectiveKind::Size:
    return c;
  case ObjectiveKind::Write:
    return w;
  case ObjectiveKind::Combo:
    return log10Add(c, w + std::log10(std::max(objective.alpha, 1e-300)));
  case ObjectiveKind::Limit:
    return std::max(c, w + std::log10(std::max(objective.alpha, 1e-300)));
  }
  return c;
}

double score(const TreeStats &s, const Objective &objective) {
  // Over the memory limit: worse than anything under it, and the less over
  // the better.
  double penalty = 0;
  if (s.log2Width > objective.log2MemoryLimit + 1e-9)
    penalty = 1e6 + (s.log2Width - objective.log2MemoryLimit) * 1e3;
  switch (objective.kind) {
  case ObjectiveKind::Flops:
    return penalty + s.log10Cost;
  case ObjectiveKind::Size:
    // Width first; cost breaks ties (log10 costs stay far below 1000).
    return penalty + s.log2Width * 1000.0 + s.log10Cost;
  case ObjectiveKind::Write:
    return penalty + s.log10Write;
  case ObjectiveKind::Combo:
    return penalty + log10Add(s.log10Cost,
                              s.log10Write + std::log10(std::max(objective.alpha, 1e-300)));
  case ObjectiveKind::Limit:
    break;
  }
  return penalty; // Limit needs the per-step form; see score(tree, ...).
}

double score(const ContractionTree &tree, const Objective &objective) {
  if (objective.kind != ObjectiveKind::Limit) {
    // Only what the objective needs (no peak-memory walk).
    TreeStats s;
    s.log2Width = tree.log2Width();
    if (tree.numLeaves() == 1) {
      s = tree.stats();
    } else {
      s.log10Cost = tree.log10Cost();
      if (objective.kind == ObjectiveKind::Write ||
          objective.kind == ObjectiveKind::Combo)
        s.log10Write = tree.log10Write();
    }
    return score(s, objective);
  }
  double total = -std::numeric_limits<double>::infinity();
  for (int n = tree.numLeaves(); n < tree.numNodes(); ++n)
    if (!tree.isDead(n))
      total = log10Add(total, log10StepScore(tree.log2StepCost(n),
                                             tree.log2Size(n), objective));
  double penalty = 0;
  double width = tree.log2Width();
  if (width > objective.log2MemoryLimit + 1e-9)
    penalty = 1e6 + (width - objective.log2MemoryLimit) * 1e3;
  return penalty + total;
}

} // namespace tnc
