//===- JsonTest.cpp - Tests for the JSON reader and writer ----------------===//

#include "tn/Support/Json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace tnc;

namespace {

JsonValue parseOk(std::string_view text) {
  Diagnostic error;
  std::optional<JsonValue> v = parseJson(text, error);
  EXPECT_TRUE(v.has_value()) << "unexpected error " << error.pos.line << ":"
                             << error.pos.column << ": " << error.message
                             << "\nfor: " << text;
  return v ? std::move(*v) : JsonValue();
}

/// Expects a parse error at line:column whose message contains `substr`.
void expectError(std::string_view text, unsigned line, unsigned column,
                 const std::string &substr, unsigned maxDepth = 512) {
  Diagnostic error;
  std::optional<JsonValue> v = parseJson(text, error, maxDepth);
  ASSERT_FALSE(v.has_value()) << "expected an error for: " << text;
  EXPECT_EQ(error.pos.line, line) << error.message << "\nfor: " << text;
  EXPECT_EQ(error.pos.column, column) << error.message << "\nfor: " << text;
  EXPECT_NE(error.message.find(substr), std::string::npos)
      << "message '" << error.message << "' lacks '" << substr
      << "'\nfor: " << text;
}

/// Structural equality (kinds, values, member order).
bool sameValue(const JsonValue &a, const JsonValue &b) {
  if (a.kind() != b.kind())
    return false;
  switch (a.kind()) {
  case JsonValue::Kind::Null:
    return true;
  case JsonValue::Kind::Bool:
    return a.getBool() == b.getBool();
  case JsonValue::Kind::Integer:
    return a.getInteger() == b.getInteger();
  case JsonValue::Kind::Double:
    return a.getNumber() == b.getNumber() ||
           (std::isnan(a.getNumber()) && std::isnan(b.getNumber()));
  case JsonValue::Kind::String:
    return a.getString() == b.getString();
  case JsonValue::Kind::Array:
    if (a.getArray().size() != b.getArray().size())
      return false;
    for (size_t i = 0; i < a.getArray().size(); ++i)
      if (!sameValue(a.getArray()[i], b.getArray()[i]))
        return false;
    return true;
  case JsonValue::Kind::Object:
    if (a.getObject().size() != b.getObject().size())
      return false;
    for (size_t i = 0; i < a.getObject().size(); ++i)
      if (a.getObject()[i].first != b.getObject()[i].first ||
          !sameValue(a.getObject()[i].second, b.getObject()[i].second))
        return false;
    return true;
  }
  return false;
}

TEST(JsonTest, Literals) {
  EXPECT_TRUE(parseOk("null").isNull());
  JsonValue t = parseOk("true");
  ASSERT_TRUE(t.isBool());
  EXPECT_TRUE(t.getBool());
  JsonValue f = parseOk(" false ");
  ASSERT_TRUE(f.isBool());
  EXPECT_FALSE(f.getBool());
}

TEST(JsonTest, Integers) {
  EXPECT_EQ(parseOk("0").getInteger(), 0);
  EXPECT_EQ(parseOk("-0").getInteger(), 0);
  EXPECT_EQ(parseOk("42").getInteger(), 42);
  EXPECT_EQ(parseOk("-17").getInteger(), -17);
  JsonValue max = parseOk("9223372036854775807");
  ASSERT_TRUE(max.isInteger());
  EXPECT_EQ(max.getInteger(), INT64_MAX);
  JsonValue min = parseOk("-9223372036854775808");
  ASSERT_TRUE(min.isInteger());
  EXPECT_EQ(min.getInteger(), INT64_MIN);
  EXPECT_TRUE(parseOk("7").isNumber());
  EXPECT_EQ(parseOk("7").getNumber(), 7.0);
  EXPECT_TRUE(parseOk("7").numberText().empty());
}

TEST(JsonTest, IntegerOverflowBecomesDouble) {
  JsonValue big = parseOk("9223372036854775808");
  EXPECT_EQ(big.kind(), JsonValue::Kind::Double);
  EXPECT_EQ(big.numberText(), "9223372036854775808");
  EXPECT_DOUBLE_EQ(big.getNumber(), 9223372036854775808.0);
  JsonValue small = parseOk("-9223372036854775809");
  EXPECT_EQ(small.kind(), JsonValue::Kind::Double);
  EXPECT_EQ(small.numberText(), "-9223372036854775809");
  JsonValue huge = parseOk("123456789012345678901234567890");
  EXPECT_EQ(huge.kind(), JsonValue::Kind::Double);
  EXPECT_EQ(huge.numberText(), "123456789012345678901234567890");
}

TEST(JsonTest, Doubles) {
  JsonValue d = parseOk("1.5");
  EXPECT_EQ(d.kind(), JsonValue::Kind::Double);
  EXPECT_EQ(d.getNumber(), 1.5);
  EXPECT_EQ(d.numberText(), "1.5");
  EXPECT_FALSE(d.isInteger());
  EXPECT_TRUE(d.isNumber());
  EXPECT_EQ(parseOk("-2.5e-3").getNumber(), -2.5e-3);
  EXPECT_EQ(parseOk("1E+2").getNumber(), 100.0);
  EXPECT_EQ(parseOk("1e2").kind(), JsonValue::Kind::Double);
  EXPECT_EQ(parseOk("2.0").kind(), JsonValue::Kind::Double);
  EXPECT_EQ(parseOk("2.0").numberText(), "2.0");
  EXPECT_EQ(parseOk("0.1").getNumber(), 0.1);
  EXPECT_EQ(parseOk("-0.0").getNumber(), 0.0);
  EXPECT_TRUE(std::signbit(parseOk("-0.0").getNumber()));
  EXPECT_TRUE(std::isinf(parseOk("1e400").getNumber()));
  EXPECT_TRUE(std::isinf(parseOk("-1e400").getNumber()));
  EXPECT_LT(parseOk("-1e400").getNumber(), 0);
  EXPECT_EQ(parseOk("1e-400").getNumber(), 0.0);
  EXPECT_EQ(parseOk("1.7976931348623157e308").getNumber(),
            1.7976931348623157e308);
}

TEST(JsonTest, Strings) {
  EXPECT_EQ(parseOk("\"\"").getString(), "");
  EXPECT_EQ(parseOk("\"abc\"").getString(), "abc");
  EXPECT_EQ(parseOk(R"("\" \\ \/ \b \f \n \r \t")").getString(),
            "\" \\ / \b \f \n \r \t");
  EXPECT_EQ(parseOk(R"("\u0041\u00e9\u20AC")").getString(),
            "A\xC3\xA9\xE2\x82\xAC");
  // Surrogate pair: U+1F600.
  EXPECT_EQ(parseOk(R"("\uD83D\uDE00")").getString(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(parseOk(R"("\ud834\udd1e")").getString(), "\xF0\x9D\x84\x9E");
  // An escaped NUL is kept.
  EXPECT_EQ(parseOk(R"("a\u0000b")").getString(), std::string("a\0b", 3));
  // Raw UTF-8 and even invalid UTF-8 pass through as bytes.
  EXPECT_EQ(parseOk("\"\xC3\x84\"").getString(), "\xC3\x84");
  EXPECT_EQ(parseOk("\"\xFF\xFE\"").getString(), "\xFF\xFE");
  // DEL (0x7F) is not a control character in JSON.
  EXPECT_EQ(parseOk("\"\x7F\"").getString(), "\x7F");
}

TEST(JsonTest, ArraysAndObjects) {
  JsonValue a = parseOk("[1, \"x\", [true, null], {}, []]");
  ASSERT_TRUE(a.isArray());
  ASSERT_EQ(a.getArray().size(), 5u);
  EXPECT_EQ(a.getArray()[0].getInteger(), 1);
  EXPECT_EQ(a.getArray()[1].getString(), "x");
  EXPECT_EQ(a.getArray()[2].getArray().size(), 2u);
  EXPECT_TRUE(a.getArray()[3].isObject());
  EXPECT_TRUE(a.getArray()[3].getObject().empty());
  EXPECT_TRUE(a.getArray()[4].isArray());

  JsonValue o = parseOk(R"({"b": 1, "a": {"c": [2]}, "": 3})");
  ASSERT_TRUE(o.isObject());
  ASSERT_EQ(o.getObject().size(), 3u);
  EXPECT_EQ(o.getObject()[0].first, "b"); // source order kept
  EXPECT_EQ(o.getObject()[1].first, "a");
  EXPECT_EQ(o.getObject()[2].first, "");
  ASSERT_NE(o.get("a"), nullptr);
  EXPECT_EQ(o.get("a")->get("c")->getArray()[0].getInteger(), 2);
  EXPECT_EQ(o.get("missing"), nullptr);
  EXPECT_EQ(o.get("")->getInteger(), 3);
  EXPECT_EQ(a.get("a"), nullptr); // not an object
}

TEST(JsonTest, DuplicateKeysAreKept) {
  JsonValue o = parseOk(R"({"k": 1, "k": 2})");
  ASSERT_EQ(o.getObject().size(), 2u);
  EXPECT_EQ(o.get("k")->getInteger(), 2); // the last one wins
}

TEST(JsonTest, SetGetPush) {
  JsonValue o = JsonValue::object();
  o.set("x", JsonValue::integer(1));
  o.set("y", JsonValue::string("s"));
  o.set("x", JsonValue::boolean(true)); // replaces in place
  ASSERT_EQ(o.getObject().size(), 2u);
  EXPECT_EQ(o.getObject()[0].first, "x");
  EXPECT_TRUE(o.get("x")->getBool());
  o.append("x", JsonValue::null()); // keeps the duplicate
  EXPECT_EQ(o.getObject().size(), 3u);
  JsonValue a = JsonValue::array();
  a.push(JsonValue::number(0.5));
  a.push(JsonValue::integer(-3));
  EXPECT_EQ(writeJson(a), "[0.5,-3]");
  EXPECT_EQ(JsonValue::array({JsonValue::integer(1)}).getArray().size(), 1u);
}

TEST(JsonTest, KindNames) {
  EXPECT_STREQ(JsonValue::kindName(JsonValue::Kind::Null), "null");
  EXPECT_STREQ(JsonValue::kindName(JsonValue::Kind::Bool), "boolean");
  EXPECT_STREQ(JsonValue::kindName(JsonValue::Kind::Integer), "integer");
  EXPECT_STREQ(JsonValue::kindName(JsonValue::Kind::Double), "number");
  EXPECT_STREQ(JsonValue::kindName(JsonValue::Kind::String), "string");
  EXPECT_STREQ(JsonValue::kindName(JsonValue::Kind::Array), "array");
  EXPECT_STREQ(JsonValue::kindName(JsonValue::Kind::Object), "object");
}

TEST(JsonTest, Positions) {
  JsonValue v = parseOk("{\n  \"a\": [1,\n        2],\n  \"b\": \"x\"\n}");
  EXPECT_EQ(v.pos().line, 1u);
  EXPECT_EQ(v.pos().column, 1u);
  const JsonValue *a = v.get("a");
  EXPECT_EQ(a->pos().line, 2u);
  EXPECT_EQ(a->pos().column, 8u);
  EXPECT_EQ(a->getArray()[0].pos().line, 2u);
  EXPECT_EQ(a->getArray()[0].pos().column, 9u);
  EXPECT_EQ(a->getArray()[1].pos().line, 3u);
  EXPECT_EQ(a->getArray()[1].pos().column, 9u);
  EXPECT_EQ(v.get("b")->pos().line, 4u);
  EXPECT_EQ(v.get("b")->pos().column, 8u);
}

TEST(JsonTest, ColumnsCountCharactersNotBytes) {
  // "Ä" is two bytes but one column.
  JsonValue v = parseOk("[\"\xC3\x84\", 1]");
  EXPECT_EQ(v.getArray()[1].pos().column, 7u);
  // A CJK character (3 bytes) and an emoji (4 bytes).
  JsonValue w = parseOk("[\"\xE6\x97\xA5\xF0\x9F\x98\x80\", 1]");
  EXPECT_EQ(w.getArray()[1].pos().column, 8u);
  expectError("[\"\xC3\x84\" 1]", 1, 6, "expected ',' or ']'");
  // CRLF line ends: '\r' is an ordinary whitespace character.
  JsonValue crlf = parseOk("[\r\n 5]");
  EXPECT_EQ(crlf.getArray()[0].pos().line, 2u);
  EXPECT_EQ(crlf.getArray()[0].pos().column, 2u);
}

TEST(JsonTest, ByteOrderMarkIsSkipped) {
  JsonValue v = parseOk("\xEF\xBB\xBF[1]");
  EXPECT_EQ(v.pos().column, 1u);
  expectError("\xEF\xBB\xBF[1,]", 1, 4, "trailing comma");
}

TEST(JsonTest, EmptyAndTrailing) {
  expectError("", 1, 1, "empty input");
  expectError("   \n  ", 2, 3, "found end of input");
  expectError("1 2", 1, 3, "after the JSON document");
  expectError("{} x", 1, 4, "trailing characters");
  expectError("[1]]", 1, 4, "unexpected ']'");
  expectError("null\n\n  ,", 3, 3, "after the JSON document");
}

TEST(JsonTest, SyntaxErrors) {
  expectError("[1 2]", 1, 4, "expected ',' or ']' after array element");
  expectError("[1,]", 1, 4, "trailing commas are not allowed");
  expectError("[,1]", 1, 2, "expected a value");
  expectError("[1", 1, 3, "unexpected end of input, expected ',' or ']'");
  expectError("[", 1, 2, "unexpected end of input");
  expectError("{\"a\" 1}", 1, 6, "expected ':' after object key");
  expectError("{\"a\": 1,}", 1, 9, "trailing commas are not allowed");
  expectError("{\"a\": 1 \"b\": 2}", 1, 9,
              "expected ',' or '}' after object member");
  expectError("{a: 1}", 1, 2, "expected a string key");
  expectError("{1: 1}", 1, 2, "expected a string key");
  expectError("{\"a\":}", 1, 6, "expected a value");
  expectError("{\"a\": 1", 1, 8, "unexpected end of input, expected ',' or '}'");
  expectError("[1:2]", 1, 3, "expected ',' or ']'");
  expectError("@", 1, 1, "unexpected character '@'");
  expectError("[\x01]", 1, 2, "U+0001");
  expectError("\n  ]", 2, 3, "expected a value");
}

TEST(JsonTest, LiteralErrors) {
  expectError("tru", 1, 1, "invalid literal 'tru'");
  expectError("[nul]", 1, 2, "invalid literal 'nul'");
  expectError("nulls", 1, 1, "invalid literal 'nulls'");
  expectError("True", 1, 1, "invalid literal 'True'");
  expectError("[1, NaN]", 1, 5, "invalid literal 'NaN'");
  expectError("Infinity", 1, 1, "invalid literal");
}

TEST(JsonTest, NumberErrors) {
  expectError("01", 1, 1, "leading zeros");
  expectError("[-012]", 1, 2, "invalid number '-012': leading zeros");
  expectError("1.", 1, 1, "expected a digit after '.'");
  expectError("[1.e5]", 1, 2, "expected a digit after '.'");
  expectError("-", 1, 1, "expected a digit after '-'");
  expectError("[-]", 1, 2, "expected a digit after '-'");
  expectError("-a", 1, 1, "expected a digit after '-'");
  expectError("1e", 1, 1, "expected a digit in the exponent");
  expectError("1e+", 1, 1, "invalid number '1e+'");
  expectError("[1E-x]", 1, 2, "expected a digit in the exponent");
  expectError("+1", 1, 1, "must start with '-' or a digit");
  expectError(".5", 1, 1, "must start with '-' or a digit");
  expectError("[1, 2, 3.]", 1, 8, "invalid number '3.'");
  expectError("1.5.2", 1, 4, "after the JSON document");
  expectError("0x10", 1, 2, "after the JSON document");
}

TEST(JsonTest, StringErrors) {
  expectError("\"abc", 1, 1, "unterminated string");
  expectError("[\"abc", 1, 2, "unterminated string");
  expectError("\"abc\\", 1, 1, "unterminated string");
  expectError("\"a\nb\"", 1, 1, "raw newline");
  expectError("\"a\tb\"", 1, 3, "control character U+0009");
  expectError("\"a\x1f\"", 1, 3, "control character U+001F");
  expectError(R"("a\qb")", 1, 3, "invalid escape '\\q'");
  expectError(R"("\x41")", 1, 2, "invalid escape '\\x'");
  expectError(R"("\'")", 1, 2, "invalid escape");
  expectError(R"("\u12G4")", 1, 2, "expected 4 hexadecimal digits");
  expectError(R"("\u12")", 1, 2, "expected 4 hexadecimal digits");
  expectError(R"("\U0041")", 1, 2, "invalid escape '\\U'");
  expectError(R"("ab\uD800")", 1, 4, "unpaired UTF-16 high surrogate");
  expectError(R"("\uD800x")", 1, 2, "unpaired UTF-16 high surrogate");
  expectError(R"("\uD800\u0041")", 1, 2, "unpaired UTF-16 high surrogate");
  expectError(R"("\uD800\uD800")", 1, 2, "unpaired UTF-16 high surrogate");
  expectError(R"("\uDC00")", 1, 2, "unpaired UTF-16 low surrogate");
  expectError("{\n  \"k\": \"v\\z\"\n}", 2, 10, "invalid escape '\\z'");
}

TEST(JsonTest, DepthLimit) {
  EXPECT_TRUE(parseOk("[[[1]]]").isArray());
  Diagnostic error;
  EXPECT_TRUE(parseJson("[[[1]]]", error, 3).has_value());
  expectError("[[[[1]]]]", 1, 4, "nesting too deep", 3);
  expectError("{\"a\":{\"b\":{\"c\":{}}}}", 1, 16, "more than 3 levels", 3);
  // maxDepth 0 admits scalars only.
  EXPECT_TRUE(parseJson("1", error, 0).has_value());
  expectError("[]", 1, 1, "nesting too deep", 0);
}

TEST(JsonTest, DeepNestingDoesNotCrash) {
  // Far beyond the default limit: rejected, not a stack overflow.
  std::string deep(200000, '[');
  expectError(deep, 1, 513, "nesting too deep");
  std::string deepObjects;
  for (int i = 0; i < 100000; ++i)
    deepObjects += "{\"a\":";
  expectError(deepObjects, 1, 1 + 5 * 512, "nesting too deep");
  // Exactly at the limit is fine.
  std::string ok = std::string(512, '[') + std::string(512, ']');
  Diagnostic error;
  EXPECT_TRUE(parseJson(ok, error).has_value()) << error.message;
  // With a huge limit the parser itself still does not recurse.
  std::string veryDeep =
      std::string(100000, '[') + "1" + std::string(100000, ']');
  std::optional<JsonValue> v = parseJson(veryDeep, error, 1000000);
  EXPECT_TRUE(v.has_value());
  // Dismantle iteratively to keep the test's own destructor shallow.
  while (v && v->isArray() && !v->getArray().empty()) {
    JsonValue inner = std::move(v->getArray()[0]);
    *v = std::move(inner);
  }
}

TEST(JsonTest, QuoteJson) {
  EXPECT_EQ(quoteJson("abc"), "\"abc\"");
  EXPECT_EQ(quoteJson("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quoteJson("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
  EXPECT_EQ(quoteJson(std::string("\x01\x1f\x7f", 3)),
            "\"\\u0001\\u001F\\u007F\"");
  EXPECT_EQ(quoteJson(std::string("\0", 1)), "\"\\u0000\"");
  EXPECT_EQ(quoteJson("\xC3\x84/"), "\"\xC3\x84/\""); // UTF-8 kept as is
}

TEST(JsonTest, WriteCompact) {
  JsonValue v = parseOk(R"({"a": [1, 2.5, "x", null, true, false],
                            "b": {}, "c": [], "d": {"e": -7}})");
  EXPECT_EQ(writeJson(v),
            R"({"a":[1,2.5,"x",null,true,false],"b":{},"c":[],"d":{"e":-7}})");
}

TEST(JsonTest, WritePretty) {
  JsonValue v = parseOk(R"({"a": [1, 2], "b": [[1], {"c": "d"}], "e": {}})");
  EXPECT_EQ(writeJson(v, 2), "{\n"
                             "  \"a\": [1, 2],\n"
                             "  \"b\": [\n"
                             "    [1],\n"
                             "    {\n"
                             "      \"c\": \"d\"\n"
                             "    }\n"
                             "  ],\n"
                             "  \"e\": {}\n"
                             "}");
  EXPECT_EQ(writeJson(parseOk("[[1,2],[]]"), 0), "[\n[1, 2],\n[]\n]");
  EXPECT_EQ(writeJson(parseOk("5"), 4), "5");
}

TEST(JsonTest, WriteNumbers) {
  EXPECT_EQ(writeJson(JsonValue::number(2.0)), "2.0");
  EXPECT_EQ(writeJson(JsonValue::number(0.1)), "0.1");
  EXPECT_EQ(writeJson(JsonValue::number(-1.5e300)), "-1.5e+300");
  EXPECT_EQ(writeJson(JsonValue::number(INFINITY)), "null");
  EXPECT_EQ(writeJson(JsonValue::number(NAN)), "null");
  EXPECT_EQ(writeJson(JsonValue::integer(INT64_MIN)), "-9223372036854775808");
  // Doubles survive a round trip bit-exactly and stay doubles.
  for (double d : {0.1, 1.0 / 3.0, 123456.789e-200, 2.0, -0.0, 1e21,
                   5e-324, 1.7976931348623157e308}) {
    JsonValue back = parseOk(writeJson(JsonValue::number(d)));
    EXPECT_EQ(back.kind(), JsonValue::Kind::Double) << d;
    EXPECT_EQ(back.getNumber(), d);
  }
}

TEST(JsonTest, RoundTrip) {
  const char *docs[] = {
      "null",
      "[1, -2, 3.25, \"s\\n\\u00e9\\uD83D\\uDE00\", [[], {}], true]",
      R"({"inputs": [["a", "b"], ["b", "c"]], "output": ["a", "c"],
          "size_dict": {"a": 2, "b": 3, "c": 4}, "x": {"y": {"z": [0.5]}}})",
      "\"\\u0000\\u001f\\\\\"",
      "{\"k\": 1, \"k\": 2}",
  };
  for (const char *doc : docs) {
    JsonValue v = parseOk(doc);
    for (int indent : {-1, 0, 1, 2, 4}) {
      std::string text = writeJson(v, indent);
      JsonValue back = parseOk(text);
      EXPECT_TRUE(sameValue(v, back)) << doc << " -> " << text;
      EXPECT_EQ(writeJson(back, indent), text);
    }
  }
}

} // namespace
