//===- EinsumTest.cpp - Tests for parseEinsum and einsumEquation ----------===//

#include "tn/Network/Generators.h"
#include "tn/Network/Network.h"

#include <gtest/gtest.h>

#include <string>

using namespace tnc;

namespace {

using Shapes = std::vector<std::vector<int64_t>>;
using Names = std::vector<std::string>;

Network parseOk(std::string_view eq, const Shapes &shapes) {
  Diagnostic error;
  std::optional<Network> net = parseEinsum(eq, shapes, error);
  EXPECT_TRUE(net.has_value()) << "'" << eq << "': column " << error.pos.column
                               << ": " << error.message;
  if (!net)
    return Network();
  EXPECT_EQ(net->validate(), "") << eq;
  return std::move(*net);
}

void expectError(std::string_view eq, const Shapes &shapes, unsigned column,
                 const std::string &substr) {
  Diagnostic error;
  std::optional<Network> net = parseEinsum(eq, shapes, error);
  ASSERT_FALSE(net.has_value()) << "expected an error for '" << eq << "'";
  EXPECT_EQ(error.pos.line, 1u) << error.message;
  EXPECT_EQ(error.pos.column, column) << "'" << eq << "': " << error.message;
  EXPECT_NE(error.message.find(substr), std::string::npos)
      << "message '" << error.message << "' lacks '" << substr << "'";
}

Names names(const Network &net, const std::vector<int> &ids) {
  Names result;
  for (int id : ids)
    result.push_back(net.indexName(id));
  return result;
}

Names tensorNames(const Network &net, int t) {
  return names(net, net.tensorIndices(t));
}

TEST(EinsumTest, MatrixMultiply) {
  Network net = parseOk("ij,jk->ik", {{2, 3}, {3, 4}});
  EXPECT_EQ(net.name, "network");
  EXPECT_EQ(net.dtype, ElementType::F32);
  ASSERT_EQ(net.numTensors(), 2);
  EXPECT_EQ(tensorNames(net, 0), (Names{"i", "j"}));
  EXPECT_EQ(tensorNames(net, 1), (Names{"j", "k"}));
  EXPECT_EQ(names(net, net.output()), (Names{"i", "k"}));
  EXPECT_EQ(net.extents(), (std::vector<int64_t>{2, 3, 4}));
  // Ids in order of first appearance.
  EXPECT_EQ(net.inputs(), (std::vector<std::vector<int>>{{0, 1}, {1, 2}}));
}

TEST(EinsumTest, ExplicitOutputOrder) {
  Network net = parseOk("ij,jk->ki", {{2, 3}, {3, 4}});
  EXPECT_EQ(names(net, net.output()), (Names{"k", "i"}));
}

TEST(EinsumTest, ImplicitOutput) {
  // Indices occurring once, sorted by character code.
  Network net = parseOk("kj,ji", {{4, 3}, {3, 2}});
  EXPECT_EQ(names(net, net.output()), (Names{"i", "k"}));
  // Uppercase before lowercase (NumPy order).
  Network mixed = parseOk("aB,Bc,Ad", {{2, 3}, {3, 4}, {5, 6}});
  EXPECT_EQ(names(mixed, mixed.output()), (Names{"A", "a", "c", "d"}));
  // A single operand: transpose stays sorted.
  Network t = parseOk("ba", {{2, 3}});
  EXPECT_EQ(names(t, t.output()), (Names{"a", "b"}));
  // Repeated within one operand counts as twice: a trace.
  Network trace = parseOk("ii", {{3, 3}});
  EXPECT_TRUE(trace.output().empty());
  Network partial = parseOk("iij", {{3, 3, 2}});
  EXPECT_EQ(names(partial, partial.output()), (Names{"j"}));
}

TEST(EinsumTest, SpacesAreIgnored) {
  Network net = parseOk(" i j , j k -> i k ", {{2, 3}, {3, 4}});
  EXPECT_EQ(tensorNames(net, 1), (Names{"j", "k"}));
  EXPECT_EQ(names(net, net.output()), (Names{"i", "k"}));
  Network spacedArrow = parseOk("ij - > j", {{2, 3}});
  EXPECT_EQ(names(spacedArrow, spacedArrow.output()), (Names{"j"}));
}

TEST(EinsumTest, TraceHyperedgeBatchScalar) {
  Network trace = parseOk("ii->", {{5, 5}});
  EXPECT_EQ(trace.numIndices(), 1);
  EXPECT_EQ(trace.shape(0), (std::vector<int64_t>{5, 5}));
  EXPECT_TRUE(trace.output().empty());

  Network diag = parseOk("ii->i", {{5, 5}});
  EXPECT_EQ(names(diag, diag.output()), (Names{"i"}));

  Network hyper = parseOk("ab,ab,ab->ab", {{2, 3}, {2, 3}, {2, 3}});
  EXPECT_EQ(hyper.indexDegrees(), (std::vector<int>{4, 4}));

  Network batch = parseOk("bij,bjk->bik", {{7, 2, 3}, {7, 3, 4}});
  EXPECT_EQ(names(batch, batch.output()), (Names{"b", "i", "k"}));

  Network scalar = parseOk("ij,ij->", {{2, 3}, {2, 3}});
  EXPECT_TRUE(scalar.output().empty());

  Network outer = parseOk("i,j", {{2}, {3}});
  EXPECT_EQ(names(outer, outer.output()), (Names{"i", "j"}));

  // Empty terms are rank-0 operands.
  Network empties = parseOk(",i,->i", {{}, {4}, {}});
  EXPECT_EQ(empties.numTensors(), 3);
  EXPECT_TRUE(empties.tensorIndices(0).empty());
  Network nothing = parseOk("", {{}});
  EXPECT_EQ(nothing.numTensors(), 1);
  EXPECT_EQ(nothing.numIndices(), 0);
  Network arrowOnly = parseOk("->", {{}});
  EXPECT_EQ(arrowOnly.numTensors(), 1);
}

TEST(EinsumTest, UppercaseAndAllLetters) {
  std::string lhs = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::vector<int64_t> shape(52, 1);
  Network net = parseOk(lhs + "->" + lhs, {shape});
  EXPECT_EQ(net.numIndices(), 52);
  EXPECT_EQ(net.indexName(51), "Z");
}

TEST(EinsumTest, Ellipsis) {
  Network net = parseOk("...ij,...jk->...ik", {{5, 6, 2, 3}, {5, 6, 3, 4}});
  EXPECT_EQ(tensorNames(net, 0), (Names{"..0", "..1", "i", "j"}));
  EXPECT_EQ(tensorNames(net, 1), (Names{"..0", "..1", "j", "k"}));
  EXPECT_EQ(names(net, net.output()), (Names{"..0", "..1", "i", "k"}));
  EXPECT_EQ(net.extent(net.findIndex("..0")), 5);
  EXPECT_EQ(net.extent(net.findIndex("..1")), 6);

  // Ellipsis at the end, or in the middle.
  Network end = parseOk("i...->...i", {{2, 3, 4}});
  EXPECT_EQ(tensorNames(end, 0), (Names{"i", "..0", "..1"}));
  EXPECT_EQ(names(end, end.output()), (Names{"..0", "..1", "i"}));
  Network mid = parseOk("a...b->ba...", {{2, 3, 4}});
  EXPECT_EQ(tensorNames(mid, 0), (Names{"a", "..0", "b"}));
  EXPECT_EQ(names(mid, mid.output()), (Names{"b", "a", "..0"}));

  // Different ellipsis ranks are right-aligned.
  Network aligned = parseOk("...i,...i->...", {{7, 5, 2}, {5, 2}});
  EXPECT_EQ(tensorNames(aligned, 0), (Names{"..0", "..1", "i"}));
  EXPECT_EQ(tensorNames(aligned, 1), (Names{"..1", "i"}));
  EXPECT_EQ(names(aligned, aligned.output()), (Names{"..0", "..1"}));

  // An ellipsis may stand for no dimensions at all.
  Network none = parseOk("...ij,jk...->...ik", {{2, 3}, {3, 4}});
  EXPECT_EQ(none.numIndices(), 3);
  EXPECT_EQ(names(none, none.output()), (Names{"i", "k"}));

  // Spaces inside the ellipsis are ignored as well (as in NumPy).
  Network spaced = parseOk(". . .i->i...", {{3, 2}});
  EXPECT_EQ(tensorNames(spaced, 0), (Names{"..0", "i"}));
}

TEST(EinsumTest, ImplicitEllipsis) {
  // Ellipsis dimensions come first, then the single-occurrence letters.
  Network net = parseOk("...ij,...jk", {{5, 2, 3}, {5, 3, 4}});
  EXPECT_EQ(names(net, net.output()), (Names{"..0", "i", "k"}));
  Network trace = parseOk("i...i", {{3, 4, 5, 3}});
  EXPECT_EQ(names(trace, trace.output()), (Names{"..0", "..1"}));
}

TEST(EinsumTest, SyntaxErrors) {
  expectError("ij,j$->i", {{2, 3}, {3}}, 5,
              "invalid character '$' in equation at column 5");
  expectError("ij,jk->ik,", {{2, 3}, {3, 4}}, 10, "unexpected ','");
  expectError("i1->i", {{2, 2}}, 2, "invalid character '1'");
  expectError("i\tj", {{2, 2}}, 2, "invalid character U+0009");
  // Non-ASCII characters are named and counted as one column.
  expectError("\xC3\xA4" "b,\xC3\xA9", {{2, 2}, {2}}, 1,
              "invalid character '\xC3\xA4' in equation at column 1");
  expectError("ab,\xC3\xA9", {{2, 2}, {2}}, 4, "invalid character '\xC3\xA9'");
  expectError("\xC3\xA4\xC3\xA4\x80", {{2}}, 1, "invalid character");
  expectError("ab\x80", {{2, 2}}, 3, "invalid character");
  expectError("ij->i->j", {{2, 3}}, 6, "'->' appears more than once");
  expectError("ij-i", {{2, 3}}, 3, "'-' at column 3 must be followed by '>'");
  expectError("ij-", {{2, 3}}, 3, "must be followed by '>'");
  expectError("ij>i", {{2, 3}}, 3, "'>' at column 3 must be preceded by '-'");
  expectError("i..j", {{2, 3}}, 2, "is not part of an ellipsis");
  expectError("i.", {{2}}, 2, "is not part of an ellipsis");
  expectError("....i", {{2, 3}}, 4, "is not part of an ellipsis");
  expectError("...i...", {{2, 3}}, 5, "more than one '...' in operand 0");
  expectError("i,......", {{2}, {3}}, 6, "more than one '...' in operand 1");
  expectError("...i->......i", {{2, 3}}, 10, "more than one '...' in the output");
}

TEST(EinsumTest, OutputErrors) {
  expectError("ij,jk->iki", {{2, 3}, {3, 4}}, 10, "output index 'i' is repeated");
  expectError("ij,jk->iz", {{2, 3}, {3, 4}}, 9,
              "output index 'z' does not appear in any input");
  // Caught before any shape problem.
  expectError("ij->z", {{2}}, 5, "output index 'z' does not appear");
  expectError("...i->i", {{2, 3}}, 5, "must contain '...' because operand 0");
  expectError("i,...j->ij", {{2}, {3}}, 7, "operand 1 ('...j') has one");
  expectError("ij->...ij", {{2, 3}}, 5, "the output has '...'");
}

TEST(EinsumTest, ShapeErrors) {
  expectError("ab,bc,cd->ad", {{2, 3}, {3, 4}}, 0,
              "\"shapes\" has 2 entries but the equation has 3 operands");
  expectError("ab", {{2, 3}, {3, 4}}, 0,
              "\"shapes\" has 2 entries but the equation has 1 operand");
  expectError("ij,jk->ik", {{2, 3}, {3, 4, 5}}, 0,
              "operand 1 ('jk') has 2 indices but its shape has rank 3");
  expectError("i", {{}}, 0, "operand 0 ('i') has 1 index but its shape has rank 0");
  expectError("...ijk", {{2, 3}}, 0,
              "operand 0 ('...ijk') has 3 indices besides '...' but its shape "
              "has rank 2");
  expectError("ij,jk->ik", {{2, 3}, {5, 4}}, 0,
              "index 'j' has extent 3 in operand 0 but 5 in operand 1");
  expectError("ii", {{2, 3}}, 0,
              "index 'i' is repeated in operand 0 with different extents 2 "
              "and 3");
  expectError("ij,jk", {{2, -3}, {-3, 4}}, 0,
              "extent of dimension 1 of operand 0 must be a positive "
              "integer, got -3");
  expectError("i", {{0}}, 0, "got 0");
  // Broadcasting is rejected.
  expectError("ij,ij->ij", {{2, 3}, {1, 3}}, 0,
              "index 'i' has extent 2 in operand 0 but 1 in operand 1 "
              "(broadcasting is not supported)");
  expectError("...i,...i->...i", {{4, 2}, {1, 2}}, 0,
              "ellipsis dimension '..0' has extent 4 in operand 0 but 1 in "
              "operand 1 (broadcasting is not supported)");
  expectError("...i,...i->...i", {{4, 3, 2}, {5, 2}}, 0,
              "ellipsis dimension '..1' has extent 3 in operand 0 but 5");
}

TEST(EinsumTest, EinsumEquation) {
  Network net = parseOk("ij,jk->ik", {{2, 3}, {3, 4}});
  EXPECT_EQ(einsumEquation(net), std::optional<std::string>("ij,jk->ik"));
  Network implicit = parseOk("ba,cb", {{2, 3}, {4, 2}});
  EXPECT_EQ(einsumEquation(implicit), std::optional<std::string>("ba,cb->ac"));
  Network scalar = parseOk("ii,,j->", {{2, 2}, {}, {3}});
  EXPECT_EQ(einsumEquation(scalar), std::optional<std::string>("ii,,j->"));
  // Ellipsis names are not letters.
  Network ell = parseOk("...i->...i", {{2, 3}});
  EXPECT_FALSE(einsumEquation(ell).has_value());
  Network ellNone = parseOk("...i->...i", {{3}});
  EXPECT_EQ(einsumEquation(ellNone), std::optional<std::string>("i->i"));

  Network named;
  named.addTensor({named.addIndex("ab", 2)});
  EXPECT_FALSE(einsumEquation(named).has_value());
  Network digit;
  digit.addTensor({digit.addIndex("1", 2)});
  EXPECT_FALSE(einsumEquation(digit).has_value());
  Network unicode;
  unicode.addTensor({unicode.addIndex("\xC3\x84", 2)});
  EXPECT_FALSE(einsumEquation(unicode).has_value());
  Network upper;
  int A = upper.addIndex("A", 2), z = upper.addIndex("z", 3);
  upper.addTensor({A, z});
  upper.addTensor({z});
  upper.setOutput({A});
  EXPECT_EQ(einsumEquation(upper), std::optional<std::string>("Az,z->A"));
}

TEST(EinsumTest, EquationRoundTrip) {
  const char *eqs[] = {"ij,jk->ik", "ii->", "abc,cd,dea->eb", "a,a,a->a", "->",
                       "ZzA,Aq->qZ"};
  for (const char *eq : eqs) {
    Shapes shapes;
    // Build shapes from the equation: extent = letter position + 2.
    std::string s = eq;
    std::string lhs = s.substr(0, s.find("->"));
    size_t start = 0;
    while (true) {
      size_t comma = lhs.find(',', start);
      std::string term = lhs.substr(start, comma == std::string::npos
                                               ? std::string::npos
                                               : comma - start);
      std::vector<int64_t> shape;
      for (char c : term)
        shape.push_back(2 + (c % 5));
      shapes.push_back(shape);
      if (comma == std::string::npos)
        break;
      start = comma + 1;
    }
    Network parsed = parseOk(eq, shapes);
    std::optional<std::string> back = einsumEquation(parsed);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, eq);
    Network again = parseOk(*back, shapes);
    EXPECT_EQ(again.inputs(), parsed.inputs());
    EXPECT_EQ(again.output(), parsed.output());
    EXPECT_EQ(again.extents(), parsed.extents());
  }
}

TEST(EinsumTest, RandomEquationsNeverCrash) {
  // Random equations over a small alphabet with random shapes: every call
  // either gives a valid network or an error on line 1 with a column inside
  // the equation (0 for shape errors).
  const char *pieces[] = {"a", "b", "c", "A", ",", "->", "-", ">", ".",
                          "...", " ", "$", "\xC3\xA9", "i", "i"};
  Rng rng(2024);
  int ok = 0, bad = 0;
  for (int iter = 0; iter < 5000; ++iter) {
    std::string eq;
    size_t len = rng.uniform(10);
    for (size_t k = 0; k < len; ++k)
      eq += pieces[rng.uniform(sizeof(pieces) / sizeof(pieces[0]))];
    Shapes shapes(1 + rng.uniform(3));
    for (auto &shape : shapes) {
      shape.resize(rng.uniform(5));
      for (auto &extent : shape)
        extent = static_cast<int64_t>(rng.uniform(4)) - (rng.uniform(20) == 0);
    }
    Diagnostic error;
    std::optional<Network> net = parseEinsum(eq, shapes, error);
    if (net) {
      ++ok;
      EXPECT_EQ(net->validate(), "") << eq;
      EXPECT_EQ(net->numTensors(), static_cast<int>(shapes.size()));
    } else {
      ++bad;
      EXPECT_EQ(error.pos.line, 1u) << eq;
      EXPECT_LE(error.pos.column, eq.size()) << eq;
      EXPECT_FALSE(error.message.empty()) << eq;
    }
  }
  EXPECT_GT(ok, 20);
  EXPECT_GT(bad, 1000);
}

} // namespace
