//===- NetworkTest.cpp - Tests for Network and its JSON reader/writer -----===//

#include "tn/Network/Generators.h"
#include "tn/Network/Network.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace tnc;

namespace {

/// 1-based line:column of the `occurrence`-th occurrence of `needle` in an
/// ASCII text.
SourcePos posOf(std::string_view text, std::string_view needle,
                int occurrence = 0) {
  size_t at = text.find(needle);
  for (int k = 0; k < occurrence && at != std::string_view::npos; ++k)
    at = text.find(needle, at + 1);
  EXPECT_NE(at, std::string_view::npos) << "test bug: no '" << needle << "'";
  SourcePos pos;
  pos.line = 1;
  pos.column = 1;
  for (size_t i = 0; i < at && at != std::string_view::npos; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

Network parseOk(std::string_view text) {
  Diagnostic error;
  std::optional<Network> net = parseNetworkJson(text, error);
  EXPECT_TRUE(net.has_value()) << error.pos.line << ":" << error.pos.column
                               << ": " << error.message << "\nfor: " << text;
  if (!net)
    return Network();
  EXPECT_EQ(net->validate(), "");
  return std::move(*net);
}

void expectErrorAt(std::string_view text, SourcePos where,
                   const std::string &substr) {
  Diagnostic error;
  std::optional<Network> net = parseNetworkJson(text, error);
  ASSERT_FALSE(net.has_value()) << "expected an error for: " << text;
  EXPECT_EQ(error.pos.line, where.line) << error.message << "\nfor: " << text;
  EXPECT_EQ(error.pos.column, where.column)
      << error.message << "\nfor: " << text;
  EXPECT_NE(error.message.find(substr), std::string::npos)
      << "message '" << error.message << "' lacks '" << substr
      << "'\nfor: " << text;
}

/// Expects an error located at the (first) occurrence of `needle`.
void expectError(std::string_view text, std::string_view needle,
                 const std::string &substr, int occurrence = 0) {
  expectErrorAt(text, posOf(text, needle, occurrence), substr);
}

std::vector<std::string> names(const Network &net, const std::vector<int> &ids) {
  std::vector<std::string> result;
  for (int id : ids)
    result.push_back(net.indexName(id));
  return result;
}

void expectSameNetwork(const Network &a, const Network &b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.dtype, b.dtype);
  ASSERT_EQ(a.numIndices(), b.numIndices());
  for (int i = 0; i < a.numIndices(); ++i) {
    EXPECT_EQ(a.indexName(i), b.indexName(i));
    EXPECT_EQ(a.extent(i), b.extent(i));
  }
  EXPECT_EQ(a.inputs(), b.inputs());
  EXPECT_EQ(a.output(), b.output());
}

using Names = std::vector<std::string>;

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

TEST(NetworkTest, ElementTypes) {
  struct {
    const char *spelling;
    ElementType type;
  } cases[] = {
      {"f16", ElementType::F16},
      {"bf16", ElementType::BF16},
      {"f32", ElementType::F32},
      {"f64", ElementType::F64},
      {"complex<f32>", ElementType::Complex64},
      {"complex<f64>", ElementType::Complex128},
      {"float16", ElementType::F16},
      {"bfloat16", ElementType::BF16},
      {"float32", ElementType::F32},
      {"float64", ElementType::F64},
      {"complex64", ElementType::Complex64},
      {"complex128", ElementType::Complex128},
      {"c64", ElementType::Complex64},
      {"c128", ElementType::Complex128},
  };
  for (const auto &c : cases) {
    std::optional<ElementType> t = parseElementType(c.spelling);
    ASSERT_TRUE(t.has_value()) << c.spelling;
    EXPECT_EQ(*t, c.type) << c.spelling;
  }
  for (const char *bad : {"", "F32", "float", "complex", "complex<f16>",
                          "int32", " f32", "f32 "})
    EXPECT_FALSE(parseElementType(bad).has_value()) << bad;
  EXPECT_STREQ(mlirTypeName(ElementType::F16), "f16");
  EXPECT_STREQ(mlirTypeName(ElementType::BF16), "bf16");
  EXPECT_STREQ(mlirTypeName(ElementType::F32), "f32");
  EXPECT_STREQ(mlirTypeName(ElementType::F64), "f64");
  EXPECT_STREQ(mlirTypeName(ElementType::Complex64), "complex<f32>");
  EXPECT_STREQ(mlirTypeName(ElementType::Complex128), "complex<f64>");
  EXPECT_STREQ(numpyTypeName(ElementType::F16), "float16");
  EXPECT_STREQ(numpyTypeName(ElementType::BF16), "bfloat16");
  EXPECT_STREQ(numpyTypeName(ElementType::F32), "float32");
  EXPECT_STREQ(numpyTypeName(ElementType::F64), "float64");
  EXPECT_STREQ(numpyTypeName(ElementType::Complex64), "complex64");
  EXPECT_STREQ(numpyTypeName(ElementType::Complex128), "complex128");
  for (ElementType t : {ElementType::F16, ElementType::BF16, ElementType::F32,
                        ElementType::F64, ElementType::Complex64,
                        ElementType::Complex128}) {
    EXPECT_EQ(parseElementType(mlirTypeName(t)), t);
    EXPECT_EQ(parseElementType(numpyTypeName(t)), t);
  }
}

//===----------------------------------------------------------------------===//
// Network API
//===----------------------------------------------------------------------===//

TEST(NetworkTest, Defaults) {
  Network net;
  EXPECT_EQ(net.name, "network");
  EXPECT_EQ(net.dtype, ElementType::F32);
  EXPECT_EQ(net.numTensors(), 0);
  EXPECT_EQ(net.numIndices(), 0);
  EXPECT_EQ(net.validate(), "");
}

TEST(NetworkTest, AddIndex) {
  Network net;
  EXPECT_EQ(net.addIndex("a", 2), 0);
  EXPECT_EQ(net.addIndex("b", 3), 1);
  EXPECT_EQ(net.addIndex("a", 2), 0); // known, same extent
  EXPECT_EQ(net.addIndex("a", 5), -1); // known, different extent
  EXPECT_EQ(net.numIndices(), 2);
  EXPECT_EQ(net.findIndex("b"), 1);
  EXPECT_EQ(net.findIndex("c"), -1);
  EXPECT_EQ(net.findIndex(""), -1);
  EXPECT_EQ(net.indexName(1), "b");
  EXPECT_EQ(net.extent(0), 2);
  EXPECT_EQ(net.extents(), (std::vector<int64_t>{2, 3}));
  // Names are arbitrary byte strings.
  EXPECT_EQ(net.addIndex("\xC3\x84", 7), 2);
  EXPECT_EQ(net.findIndex("\xC3\x84"), 2);
}

TEST(NetworkTest, TensorsShapesDegrees) {
  Network net;
  int a = net.addIndex("a", 10), b = net.addIndex("b", 2),
      c = net.addIndex("c", 5);
  EXPECT_EQ(net.addTensor({a, a, b}), 0); // trace over a
  EXPECT_EQ(net.addTensor({b, c}), 1);
  EXPECT_EQ(net.addTensor({}), 2); // scalar
  EXPECT_EQ(net.addTensor({b}), 3);
  net.setOutput({c});
  EXPECT_EQ(net.numTensors(), 4);
  EXPECT_EQ(net.tensorIndices(1), (std::vector<int>{b, c}));
  EXPECT_EQ(net.inputs().size(), 4u);
  EXPECT_EQ(net.shape(0), (std::vector<int64_t>{10, 10, 2}));
  EXPECT_EQ(net.shape(2), (std::vector<int64_t>{}));
  EXPECT_EQ(net.output(), (std::vector<int>{c}));
  // a: one tensor (trace counts once); b: three tensors (a hyperedge);
  // c: one tensor plus the output.
  EXPECT_EQ(net.indexDegrees(), (std::vector<int>{1, 3, 2}));
  EXPECT_NEAR(net.log10Size(0), 2 + std::log10(2.0), 1e-12);
  EXPECT_NEAR(net.log10Size(1), 1.0, 1e-12);
  EXPECT_EQ(net.log10Size(2), 0.0);
  EXPECT_EQ(net.validate(), "");
}

TEST(NetworkTest, Validate) {
  {
    Network net;
    int a = net.addIndex("a", 2), z = net.addIndex("z", 2);
    net.addTensor({a});
    net.setOutput({z});
    EXPECT_EQ(net.validate(), "output index 'z' does not appear in any input");
  }
  {
    Network net;
    int a = net.addIndex("a", 2);
    net.addTensor({a});
    net.setOutput({a, a});
    EXPECT_EQ(net.validate(), "output index 'a' is repeated");
  }
  {
    Network net;
    int a = net.addIndex("a", 0);
    net.addTensor({a});
    EXPECT_NE(net.validate().find("index 'a' has non-positive extent 0"),
              std::string::npos);
  }
  {
    Network net;
    int a = net.addIndex("a", 2);
    net.addIndex("unused", 3);
    net.addTensor({a, a});
    EXPECT_EQ(net.validate(), "index 'unused' is not used by any tensor");
  }
  {
    Network net;
    net.addIndex("a", 2);
    net.addTensor({0, 7});
    EXPECT_NE(net.validate().find("index id 7"), std::string::npos);
  }
  {
    Network net;
    int a = net.addIndex("a", 2);
    net.addTensor({a});
    net.setOutput({-1});
    EXPECT_NE(net.validate().find("index id -1"), std::string::npos);
  }
}

//===----------------------------------------------------------------------===//
// JSON reader: cotengra vocabulary
//===----------------------------------------------------------------------===//

TEST(NetworkJsonTest, Cotengra) {
  Network net = parseOk(R"({
    "inputs": [["a", "b"], ["b", "c"]],
    "output": ["a", "c"],
    "size_dict": {"c": 4, "a": 2, "b": 3}
  })");
  EXPECT_EQ(net.name, "network");
  EXPECT_EQ(net.dtype, ElementType::F32);
  ASSERT_EQ(net.numTensors(), 2);
  ASSERT_EQ(net.numIndices(), 3);
  // Ids follow first appearance, not size_dict order.
  EXPECT_EQ(net.indexName(0), "a");
  EXPECT_EQ(net.indexName(1), "b");
  EXPECT_EQ(net.indexName(2), "c");
  EXPECT_EQ(net.extents(), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(net.inputs(), (std::vector<std::vector<int>>{{0, 1}, {1, 2}}));
  EXPECT_EQ(net.output(), (std::vector<int>{0, 2}));
}

TEST(NetworkJsonTest, NameDtypeAndKeyOrder) {
  Network net = parseOk(R"({"dtype": "complex<f64>", "name": "my_net2",
    "size_dict": {"i": 5}, "output": [], "inputs": [["i"], ["i"]]})");
  EXPECT_EQ(net.name, "my_net2");
  EXPECT_EQ(net.dtype, ElementType::Complex128);
  EXPECT_TRUE(net.output().empty());
  EXPECT_EQ(parseOk(R"({"inputs": [["i"]], "size_dict": {"i": 1},
                        "output": ["i"], "dtype": "c64", "name": "_"})")
                .dtype,
            ElementType::Complex64);
  EXPECT_EQ(parseOk(R"({"inputs": [["i"]], "size_dict": {"i": 1},
                        "dtype": "bfloat16"})")
                .dtype,
            ElementType::BF16);
}

TEST(NetworkJsonTest, OutputOmittedIsScalar) {
  Network net = parseOk(R"({"inputs": [["a","b"],["b","a"]],
                            "size_dict": {"a": 2, "b": 2}})");
  EXPECT_TRUE(net.output().empty());
  EXPECT_EQ(net.numTensors(), 2);
}

TEST(NetworkJsonTest, IntegerAndUnicodeIndexNames) {
  Network net = parseOk("{\"inputs\": [[0, 1, \"\xC3\x84\"], [1, -5, 0]],"
                        " \"output\": [-5, \"\xC3\x84\"],"
                        " \"size_dict\": {\"0\": 2, \"1\": 3, \"-5\": 4,"
                        " \"\xC3\x84\": 5}}");
  EXPECT_EQ(names(net, net.tensorIndices(0)), (Names{"0", "1", "\xC3\x84"}));
  EXPECT_EQ(names(net, net.tensorIndices(1)), (Names{"1", "-5", "0"}));
  EXPECT_EQ(names(net, net.output()), (Names{"-5", "\xC3\x84"}));
  EXPECT_EQ(net.extent(net.findIndex("-5")), 4);
  // An integer and the string with its decimal spelling are the same index.
  Network same = parseOk(R"({"inputs": [[7], ["7"]], "size_dict": {"7": 2}})");
  EXPECT_EQ(same.numIndices(), 1);
  // Other strings are names too, even if they look like numbers or contain
  // spaces, quotes or escapes.
  Network odd = parseOk(R"({"inputs": [["07", " ", "a\"b", "\u00e9\n"]],
    "size_dict": {"07": 2, " ": 2, "a\"b": 2, "\u00e9\n": 2}})");
  EXPECT_EQ(names(odd, odd.tensorIndices(0)),
            (Names{"07", " ", "a\"b", "\xC3\xA9\n"}));
}

TEST(NetworkJsonTest, TracesHyperedgesScalarsUnused) {
  Network net = parseOk(R"({"inputs": [["a", "a", "h"], ["h"], ["h", "b"], []],
    "output": ["b"], "size_dict": {"a": 3, "h": 2, "b": 4, "unused": 9}})");
  EXPECT_EQ(net.numTensors(), 4);
  EXPECT_EQ(net.numIndices(), 3); // the unused entry is ignored
  EXPECT_EQ(net.findIndex("unused"), -1);
  EXPECT_EQ(net.indexDegrees(), (std::vector<int>{1, 3, 2}));
  EXPECT_TRUE(net.tensorIndices(3).empty());
  EXPECT_EQ(net.shape(0), (std::vector<int64_t>{3, 3, 2}));
}

TEST(NetworkJsonTest, LargeExtents) {
  Network net = parseOk(R"({"inputs": [["a"]],
    "size_dict": {"a": 9223372036854775807}})");
  EXPECT_EQ(net.extent(0), INT64_MAX);
}

TEST(NetworkJsonTest, ExtentErrors) {
  const char *neg = R"({"inputs": [["a", "b"]], "size_dict": {"a": 2, "b": -3}})";
  expectError(neg, "-3", "extent of index 'b' must be a positive integer, got -3");
  const char *zero = R"({"inputs": [["a"]], "size_dict": {"a": 0}})";
  expectError(zero, "0}", "extent of index 'a' must be a positive integer, got 0");
  const char *real = R"({"inputs": [["a"]], "size_dict": {"a": 2.0}})";
  expectError(real, "2.0", "must be a positive integer, got 2.0");
  expectError(real, "2.0", "fraction or exponent");
  const char *exp = R"({"inputs": [["a"]], "size_dict": {"a": 1e3}})";
  expectError(exp, "1e3", "got 1e3");
  const char *str = R"({"inputs": [["a"]], "size_dict": {"a": "2"}})";
  expectError(str, "\"2\"", "must be a positive integer, got the string \"2\"");
  const char *nul = R"({"inputs": [["a"]], "size_dict": {"a": null}})";
  expectError(nul, "null", "got null");
  const char *arr = R"({"inputs": [["a"]], "size_dict": {"a": [2]}})";
  expectError(arr, "[2]", "got an array");
  const char *big =
      R"({"inputs": [["a"]], "size_dict": {"a": 9223372036854775808}})";
  expectError(big, "9223372036854775808",
              "extent of index 'a' must fit in a signed 64-bit integer, got "
              "9223372036854775808");
  const char *bigNeg =
      R"({"inputs": [["a"]], "size_dict": {"a": -99999999999999999999}})";
  expectError(bigNeg, "-9999", "must be a positive integer, got -9999");
  // Unused entries are still checked.
  const char *unused =
      R"({"inputs": [["a"]], "size_dict": {"a": 2, "zz": -1}})";
  expectError(unused, "-1", "extent of index 'zz'");
  // Odd names are quoted legibly.
  const char *ctl = R"({"inputs": [["a"]], "size_dict": {"a\n'": 0}})";
  expectError(ctl, "0}", "extent of index 'a\\x0A\\''");
}

TEST(NetworkJsonTest, SizeDictErrors) {
  const char *notObject = R"({"inputs": [["a"]], "size_dict": [["a", 2]]})";
  expectError(notObject, "[[\"a\", 2]]", "\"size_dict\" must be an object");
  const char *dupDiff =
      R"({"inputs": [["k"]], "size_dict": {"k": 4, "k": 5}})";
  expectError(dupDiff, "5",
              "index 'k' has extent 4 in size_dict but is listed again with "
              "extent 5");
  const char *dupSame =
      R"({"inputs": [["k"]], "size_dict": {"k": 4, "k": 4}})";
  expectError(dupSame, "4", "index 'k' is listed twice", 1);
  const char *emptyKey = R"({"inputs": [["a"]], "size_dict": {"": 4}})";
  expectError(emptyKey, "4", "must not be empty");
  const char *missing = "{\n  \"inputs\": [[\"a\"]]\n}";
  expectErrorAt(missing, {1, 1}, "missing \"size_dict\"");
}

TEST(NetworkJsonTest, InputErrors) {
  const char *unknown =
      R"({"inputs": [["a", "b"], ["b", "x"]], "size_dict": {"a": 2, "b": 2}})";
  expectError(unknown, "\"x\"", "unknown index 'x' (not in size_dict)");
  const char *notArray = R"({"inputs": {"a": 1}, "size_dict": {"a": 2}})";
  expectError(notArray, "{\"a\": 1}", "\"inputs\" must be an array");
  const char *empty = R"({"inputs": [], "size_dict": {}})";
  expectError(empty, "[]", "at least one tensor");
  const char *tensorNotArray =
      R"({"inputs": [["a"], "a"], "size_dict": {"a": 2}})";
  expectError(tensorNotArray, "\"a\"]", "input 1 must be an array of indices",
              1);
  const char *boolIdx = R"({"inputs": [["a", true]], "size_dict": {"a": 2}})";
  expectError(boolIdx, "true",
              "index in input 0 must be a string or an integer, got true");
  const char *realIdx = R"({"inputs": [["a", 1.5]], "size_dict": {"a": 2}})";
  expectError(realIdx, "1.5", "got 1.5");
  const char *emptyName = R"({"inputs": [["a", ""]], "size_dict": {"a": 2}})";
  expectError(emptyName, "\"\"", "index name in input 0 must not be empty");
  const char *missing = R"({"size_dict": {"a": 2}, "output": []})";
  expectErrorAt(missing, {1, 1}, "missing \"inputs\"");
}

TEST(NetworkJsonTest, OutputErrors) {
  const char *notInInput = R"({"inputs": [["a", "b"]], "output": ["a", "z"],
    "size_dict": {"a": 2, "b": 2, "z": 2}})";
  expectError(notInInput, "\"z\"",
              "output index 'z' does not appear in any input");
  // An output index missing from size_dict too is reported the same way.
  const char *nowhere = R"({"inputs": [["a"]], "output": ["q"],
    "size_dict": {"a": 2}})";
  expectError(nowhere, "\"q\"", "output index 'q' does not appear in any input");
  const char *repeated = R"({"inputs": [["a", "b"]], "output": ["a", "b", "a"],
    "size_dict": {"a": 2, "b": 2}})";
  expectError(repeated, "\"a\"", "output index 'a' is repeated", 2);
  const char *notArray =
      R"({"inputs": [["a"]], "output": "a", "size_dict": {"a": 2}})";
  expectError(notArray, "\"a\",", "\"output\" must be an array", 0);
  const char *nullOut =
      R"({"inputs": [["a"]], "output": null, "size_dict": {"a": 2}})";
  expectError(nullOut, "null", "\"output\" must be an array of indices, got null");
  const char *badIdx =
      R"({"inputs": [["a"]], "output": [{}], "size_dict": {"a": 2}})";
  expectError(badIdx, "{}", "index in \"output\" must be a string or an integer");
}

TEST(NetworkJsonTest, TopLevelErrors) {
  const char *typo = "{\n  \"inptus\": [[\"a\"]],\n  \"size_dict\": {\"a\": 2}\n}";
  expectErrorAt(typo, {2, 13}, "unknown top-level key \"inptus\"");
  const char *dup = R"({"inputs": [["a"]], "inputs": [["a"]], "size_dict": {"a": 2}})";
  expectError(dup, "[[\"a\"]]", "duplicate top-level key \"inputs\"", 1);
  const char *both = R"({"inputs": [["a"]], "size_dict": {"a": 2},
    "equation": "a", "shapes": [[2]]})";
  expectError(both, "\"a\", \"shapes", "both \"inputs\" and \"equation\"");
  const char *bothReversed = R"({"shapes": [[2]], "equation": "a",
    "size_dict": {"a": 2}, "inputs": [["a"]]})";
  expectError(bothReversed, "[[\"a\"]]", "not both");
  const char *mixed = R"({"equation": "a", "shapes": [[2]], "output": []})";
  expectError(mixed, "[]}", "both \"output\" and \"equation\"");
  const char *neither = R"({"name": "x", "dtype": "f32"})";
  expectErrorAt(neither, {1, 1}, "missing \"inputs\"");
  expectErrorAt(neither, {1, 1}, "or \"equation\"");
  expectErrorAt("{}", {1, 1}, "missing");
  expectErrorAt("  [1, 2]", {1, 3}, "expected a JSON object");
  expectErrorAt("\"x\"", {1, 1}, "got the string \"x\"");
  // JSON syntax errors come through with their position.
  expectErrorAt("{\"inputs\": [[\"a\"],]}", {1, 19}, "trailing commas");
  expectErrorAt("", {1, 1}, "empty input");
  expectErrorAt("{\"inputs\": [[\"a\"]], \"size_dict\": {\"a\": 2}} x", {1, 44},
                "trailing characters");
}

TEST(NetworkJsonTest, NameAndDtypeErrors) {
  const char *badDtype =
      R"({"inputs": [["a"]], "size_dict": {"a": 2}, "dtype": "float128"})";
  expectError(badDtype, "\"float128\"", "invalid dtype \"float128\"");
  const char *numDtype =
      R"({"inputs": [["a"]], "size_dict": {"a": 2}, "dtype": 32})";
  expectError(numDtype, "32", "\"dtype\" must be a string, got 32");
  for (const char *bad : {"1abc", "a-b", "", "a b", "\\u00e9t\\u00e9"}) {
    std::string text = std::string(R"({"inputs": [["a"]], "size_dict": {"a": 2},
      "name": ")") + bad + "\"}";
    expectError(text, "\"" + std::string(bad) + "\"",
                "must be a C identifier matching [A-Za-z_][A-Za-z0-9_]*");
  }
  const char *numName =
      R"({"inputs": [["a"]], "size_dict": {"a": 2}, "name": 5})";
  expectError(numName, "5}", "\"name\" must be a string");
}

//===----------------------------------------------------------------------===//
// JSON reader: equation vocabulary
//===----------------------------------------------------------------------===//

TEST(NetworkJsonTest, Equation) {
  Network net = parseOk(R"({"equation": "ab,bc->ac", "shapes": [[2, 3], [3, 4]],
                            "name": "mm", "dtype": "f64"})");
  EXPECT_EQ(net.name, "mm");
  EXPECT_EQ(net.dtype, ElementType::F64);
  EXPECT_EQ(names(net, net.output()), (Names{"a", "c"}));
  EXPECT_EQ(net.extents(), (std::vector<int64_t>{2, 3, 4}));
  Network implicit = parseOk(R"({"shapes": [[2, 2]], "equation": "ii"})");
  EXPECT_TRUE(implicit.output().empty());
}

TEST(NetworkJsonTest, EquationErrors) {
  const char *count =
      R"({"equation": "ab,bc,cd->ad", "shapes": [[2, 3], [3, 4]]})";
  expectError(count, "[[2, 3]",
              "\"shapes\" has 2 entries but the equation has 3 operands");
  const char *rank =
      R"({"equation": "ij,jk->ik", "shapes": [[2, 3], [3, 4, 5]]})";
  expectError(rank, "[3, 4, 5]",
              "operand 1 ('jk') has 2 indices but its shape has rank 3");
  const char *conflict =
      R"({"equation": "ij,jk->ik", "shapes": [[2, 3], [5, 4]]})";
  expectError(conflict, "5,",
              "index 'j' has extent 3 in operand 0 but 5 in operand 1");
  const char *negative =
      R"({"equation": "ij->i", "shapes": [[2, -3]]})";
  expectError(negative, "-3",
              "dimension 1 of shape 0 must be a positive integer, got -3");
  const char *real = R"({"equation": "i->i", "shapes": [[2.5]]})";
  expectError(real, "2.5", "got 2.5");
  // Syntax errors point into the equation string.
  const char *syntax = R"({"equation": "ab,b$->a", "shapes": [[2, 3], [3]]})";
  expectError(syntax, "$", "invalid character '$'");
  expectError(syntax, "$", "at column 5");
  const char *multiline = "{\n  \"equation\":\n    \"ij,jk->ii\",\n"
                          "  \"shapes\": [[2, 3], [3, 4]]\n}";
  expectErrorAt(multiline, {3, 14}, "output index 'i' is repeated");
  // After an escape the exact column is unknown: the string's position.
  const char *escaped =
      R"({"equation": "a\u0062,b$", "shapes": [[2, 3], [3]]})";
  expectError(escaped, "\"a\\u", "invalid character '$'");
  const char *notString = R"({"equation": ["ab"], "shapes": [[2, 3]]})";
  expectError(notString, "[\"ab\"]", "\"equation\" must be a string");
  const char *shapesNotArray = R"({"equation": "a", "shapes": 3})";
  expectError(shapesNotArray, "3}", "\"shapes\" must be an array");
  const char *shapeNotArray = R"({"equation": "a,b", "shapes": [[2], 3]})";
  expectError(shapeNotArray, "3]", "shape 1 must be an array of extents");
  const char *noShapes = R"({"equation": "ab"})";
  expectErrorAt(noShapes, {1, 1}, "missing \"shapes\"");
  const char *noEquation = R"({"shapes": [[2]]})";
  expectErrorAt(noEquation, {1, 1}, "missing \"equation\"");
}

//===----------------------------------------------------------------------===//
// JSON writer
//===----------------------------------------------------------------------===//

TEST(NetworkJsonTest, WriteFormat) {
  Network net = parseOk(R"({"inputs": [["a", "b"], ["b"]], "output": ["a"],
                            "size_dict": {"a": 2, "b": 3}, "name": "n1",
                            "dtype": "f16"})");
  EXPECT_EQ(writeNetworkJson(net), "{\n"
                                   " \"name\": \"n1\",\n"
                                   " \"dtype\": \"float16\",\n"
                                   " \"inputs\": [\n"
                                   "  [\"a\", \"b\"],\n"
                                   "  [\"b\"]\n"
                                   " ],\n"
                                   " \"output\": [\"a\"],\n"
                                   " \"size_dict\": {\n"
                                   "  \"a\": 2,\n"
                                   "  \"b\": 3\n"
                                   " }\n"
                                   "}\n");
  EXPECT_EQ(writeNetworkJson(net, -1),
            "{\"name\":\"n1\",\"dtype\":\"float16\",\"inputs\":[[\"a\",\"b\"],"
            "[\"b\"]],\"output\":[\"a\"],\"size_dict\":{\"a\":2,\"b\":3}}\n");
}

TEST(NetworkJsonTest, RoundTrip) {
  const char *docs[] = {
      R"({"inputs": [["a", "b"], ["b", "c"]], "output": ["c", "a"],
          "size_dict": {"a": 2, "b": 3, "c": 4}})",
      R"({"inputs": [[3, 1], [1, 3, 3], []], "size_dict": {"1": 5, "3": 7},
          "dtype": "complex<f32>", "name": "Trace_1"})",
      "{\"inputs\": [[\"\xC3\x84\", \"a\\\"\\\\\\n\\u0001\"]],"
      " \"output\": [\"a\\\"\\\\\\n\\u0001\"],"
      " \"size_dict\": {\"\xC3\x84\": 1, \"a\\\"\\\\\\n\\u0001\": "
      "9223372036854775807}}",
      R"({"equation": "...ij,...jk->...ik", "shapes": [[5, 2, 3], [5, 3, 4]]})",
  };
  for (const char *doc : docs) {
    Network net = parseOk(doc);
    for (int indent : {-1, 0, 1, 2}) {
      std::string text = writeNetworkJson(net, indent);
      Network back = parseOk(text);
      expectSameNetwork(net, back);
      EXPECT_EQ(writeNetworkJson(back, indent), text);
    }
  }
}

TEST(NetworkJsonTest, RoundTripEveryDtype) {
  for (ElementType t : {ElementType::F16, ElementType::BF16, ElementType::F32,
                        ElementType::F64, ElementType::Complex64,
                        ElementType::Complex128}) {
    Network net;
    net.dtype = t;
    net.name = "x";
    net.addTensor({net.addIndex("i", 2)});
    Network back = parseOk(writeNetworkJson(net));
    expectSameNetwork(net, back);
  }
}

//===----------------------------------------------------------------------===//
// Robustness
//===----------------------------------------------------------------------===//

TEST(NetworkJsonTest, MutationFuzz) {
  const std::string seeds[] = {
      R"({"inputs": [["a", "b"], ["b", "c"]], "output": ["a", "c"],
          "size_dict": {"a": 2, "b": 3, "c": 4}, "name": "n", "dtype": "f64"})",
      R"({"equation": "ab,bc->ac", "shapes": [[2, 3], [3, 4]]})",
      R"({"equation": "...ii,i...->...", "shapes": [[2, 3, 3], [3, 2]]})",
      R"({"inputs": [[0, 1, 1], [1, -2], []], "output": [-2],
          "size_dict": {"0": 1, "1": 2, "-2": 9223372036854775807}})",
      "{\"inputs\": [[\"\xC3\x84\", \"\\u00e9\"]], \"size_dict\": "
      "{\"\xC3\x84\": 2, \"\\u00e9\": 3}, \"output\": [\"\xC3\x84\"]}",
  };
  const char alphabet[] = "{}[]\",:-+0123456789.eE abcij\\u/n\ttf\x01\xC3\x84\xFF";
  Rng rng(12345);
  int parsed = 0, failed = 0;
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text = seeds[rng.uniform(5)];
    int mutations = 1 + static_cast<int>(rng.uniform(4));
    for (int m = 0; m < mutations; ++m) {
      size_t at = text.empty() ? 0 : rng.uniform(text.size());
      char c = alphabet[rng.uniform(sizeof(alphabet) - 1)];
      switch (rng.uniform(6)) {
      case 0: // delete
        if (!text.empty())
          text.erase(at, 1);
        break;
      case 1: // insert
        text.insert(text.begin() + static_cast<long>(at), c);
        break;
      case 2: // replace
        if (!text.empty())
          text[at] = c;
        break;
      case 3: { // duplicate a span
        size_t len = rng.uniform(12);
        text.insert(at, text.substr(at, len));
        break;
      }
      case 4: // truncate
        text.resize(at);
        break;
      case 5: { // swap two characters
        if (!text.empty())
          std::swap(text[at], text[rng.uniform(text.size())]);
        break;
      }
      }
    }
    Diagnostic error;
    std::optional<Network> net = parseNetworkJson(text, error);
    if (net) {
      ++parsed;
      EXPECT_EQ(net->validate(), "") << text;
      EXPECT_GE(net->numTensors(), 1);
      Diagnostic again;
      std::optional<Network> back =
          parseNetworkJson(writeNetworkJson(*net), again);
      ASSERT_TRUE(back.has_value()) << again.message << "\n" << text;
      expectSameNetwork(*net, *back);
    } else {
      ++failed;
      EXPECT_GE(error.pos.line, 1u) << error.message << "\n" << text;
      EXPECT_GE(error.pos.column, 1u) << error.message << "\n" << text;
      EXPECT_FALSE(error.message.empty()) << text;
    }
  }
  // Both outcomes are exercised.
  EXPECT_GT(parsed, 50);
  EXPECT_GT(failed, 1000);
}

} // namespace
