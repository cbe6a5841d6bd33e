//===- Json.cpp - Small JSON DOM with source positions --------------------===//
//
// An iterative (non-recursive) RFC 8259 parser, so that deeply nested input
// can never overflow the stack regardless of `maxDepth`, and a writer.
//
// Positions: lines are 1-based and split at '\n'; columns are 1-based and
// count characters, i.e. every byte that is not a UTF-8 continuation byte
// (0x80-0xBF). Invalid UTF-8 is accepted and passed through as bytes. A
// leading UTF-8 byte-order mark is skipped.
//
//===----------------------------------------------------------------------===//

#include "tn/Support/Json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace tnc {

//===----------------------------------------------------------------------===//
// JsonValue
//===----------------------------------------------------------------------===//

JsonValue JsonValue::boolean(bool b) {
  JsonValue v;
  v.kind_ = Kind::Bool;
  v.bool_ = b;
  return v;
}

JsonValue JsonValue::integer(int64_t i) {
  JsonValue v;
  v.kind_ = Kind::Integer;
  v.int_ = i;
  return v;
}

JsonValue JsonValue::number(double d) {
  JsonValue v;
  v.kind_ = Kind::Double;
  v.double_ = d;
  return v;
}

JsonValue JsonValue::string(std::string s) {
  JsonValue v;
  v.kind_ = Kind::String;
  v.string_ = std::move(s);
  return v;
}

JsonValue JsonValue::array(std::vector<JsonValue> elements) {
  JsonValue v;
  v.kind_ = Kind::Array;
  v.elements_ = std::move(elements);
  return v;
}

JsonValue JsonValue::object() {
  JsonValue v;
  v.kind_ = Kind::Object;
  return v;
}

const JsonValue *JsonValue::get(std::string_view key) const {
  if (kind_ != Kind::Object)
    return nullptr;
  // The last occurrence wins, as in most JSON libraries.
  for (auto it = members_.rbegin(); it != members_.rend(); ++it)
    if (it->first == key)
      return &it->second;
  return nullptr;
}

JsonValue &JsonValue::set(std::string key, JsonValue value) {
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (it->first == key) {
      it->second = std::move(value);
      return it->second;
    }
  }
  members_.emplace_back(std::move(key), std::move(value));
  return members_.back().second;
}

const char *JsonValue::kindName(Kind kind) {
  switch (kind) {
  case Kind::Null:
    return "null";
  case Kind::Bool:
    return "boolean";
  case Kind::Integer:
    return "integer";
  case Kind::Double:
    return "number";
  case Kind::String:
    return "string";
  case Kind::Array:
    return "array";
  case Kind::Object:
    return "object";
  }
  return "value";
}

//===----------------------------------------------------------------------===//
// Parser
//===----------------------------------------------------------------------===//

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Describes the character starting at text[i] for a diagnostic: 'x' for
/// printable ASCII, U+XXXX for control characters, the UTF-8 sequence for
/// other characters.
std::string describeChar(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  char buf[32];
  if (c >= 0x20 && c < 0x7F) {
    std::snprintf(buf, sizeof buf, "'%c'", c);
    return buf;
  }
  if (c < 0x80) {
    std::snprintf(buf, sizeof buf, "U+%04X", c);
    return buf;
  }
  size_t n = 1;
  while (i + n < text.size() && n < 4 &&
         (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80)
    ++n;
  return "'" + std::string(text.substr(i, n)) + "'";
}

class Parser {
public:
  Parser(std::string_view text, Diagnostic &error, unsigned maxDepth)
      : text_(text), error_(error), maxDepth_(maxDepth) {}

  std::optional<JsonValue> parse();

private:
  // Position bookkeeping: positions are computed lazily and incrementally
  // (offsets only ever increase), so the total cost is linear.
  SourcePos posAt(size_t offset) {
    if (offset < scanOffset_) {
      // Never happens for monotone queries; recompute from the start.
      scanOffset_ = 0;
      scanLine_ = 1;
      scanColumn_ = 1;
    }
    for (; scanOffset_ < offset && scanOffset_ < text_.size(); ++scanOffset_) {
      unsigned char c = static_cast<unsigned char>(text_[scanOffset_]);
      if (c == '\n') {
        ++scanLine_;
        scanColumn_ = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++scanColumn_;
      }
    }
    // A position pointing into the middle of a UTF-8 sequence is reported
    // at the character it belongs to (column already counted).
    SourcePos pos;
    pos.line = scanLine_;
    pos.column = scanColumn_;
    return pos;
  }

  bool fail(size_t offset, std::string message) {
    if (!failed_) {
      failed_ = true;
      error_.pos = posAt(offset);
      error_.message = std::move(message);
    }
    return false;
  }

  void skipWhitespace() {
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        ++i_;
      else
        break;
    }
  }

  bool atEnd() const { return i_ >= text_.size(); }

  std::string found() {
    if (atEnd())
      return "end of input";
    return describeChar(text_, i_);
  }

  bool parseString(std::string &out);
  bool parseNumber(JsonValue &out);
  bool parseLiteral(JsonValue &out);
  bool parseScalar(JsonValue &out);

  std::string_view text_;
  Diagnostic &error_;
  unsigned maxDepth_;
  size_t i_ = 0;
  bool failed_ = false;
  size_t scanOffset_ = 0;
  unsigned scanLine_ = 1;
  unsigned scanColumn_ = 1;
};

bool Parser::parseString(std::string &out) {
  size_t start = i_;
  ++i_; // opening quote
  out.clear();
  while (true) {
    // Fast path: copy a run of ordinary bytes.
    size_t runStart = i_;
    while (i_ < text_.size()) {
      unsigned char c = static_cast<unsigned char>(text_[i_]);
      if (c == '"' || c == '\\' || c < 0x20)
        break;
      ++i_;
    }
    out.append(text_.data() + runStart, i_ - runStart);
    if (atEnd())
      return fail(start, "unterminated string");
    char c = text_[i_];
    if (c == '"') {
      ++i_;
      return true;
    }
    if (c != '\\') {
      char buf[64];
      std::snprintf(buf, sizeof buf,
                    "control character U+%04X in string must be escaped",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      if (c == '\n')
        return fail(start, "unterminated string (a raw newline cannot "
                           "appear inside a string; use \\n)");
      return fail(i_, buf);
    }
    size_t escStart = i_;
    ++i_;
    if (atEnd())
      return fail(start, "unterminated string");
    char e = text_[i_++];
    switch (e) {
    case '"':
      out += '"';
      break;
    case '\\':
      out += '\\';
      break;
    case '/':
      out += '/';
      break;
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case 't':
      out += '\t';
      break;
    case 'u': {
      auto readHex4 = [&](size_t at, uint32_t &value) {
        if (at + 4 > text_.size())
          return false;
        value = 0;
        for (size_t k = 0; k < 4; ++k) {
          int h = hexValue(text_[at + k]);
          if (h < 0)
            return false;
          value = value * 16 + static_cast<uint32_t>(h);
        }
        return true;
      };
      uint32_t cp;
      if (!readHex4(i_, cp))
        return fail(escStart, "invalid \\u escape in string: expected 4 "
                              "hexadecimal digits after \\u");
      i_ += 4;
      if (cp >= 0xDC00 && cp <= 0xDFFF) {
        char buf[96];
        std::snprintf(buf, sizeof buf,
                      "unpaired UTF-16 low surrogate \\u%04X in string", cp);
        return fail(escStart, buf);
      }
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        uint32_t lo;
        if (i_ + 1 < text_.size() && text_[i_] == '\\' &&
            text_[i_ + 1] == 'u' && readHex4(i_ + 2, lo) && lo >= 0xDC00 &&
            lo <= 0xDFFF) {
          i_ += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else {
          char buf[128];
          std::snprintf(buf, sizeof buf,
                        "unpaired UTF-16 high surrogate \\u%04X in string "
                        "(expected a \\uDC00-\\uDFFF escape to follow)",
                        cp);
          return fail(escStart, buf);
        }
      }
      appendUtf8(out, cp);
      break;
    }
    default:
      return fail(escStart, "invalid escape '\\" +
                                (static_cast<unsigned char>(e) >= 0x20 &&
                                         static_cast<unsigned char>(e) < 0x7F
                                     ? std::string(1, e) + "'"
                                     : "' followed by " +
                                           describeChar(text_, i_ - 1)) +
                                " in string (valid escapes: \\\" \\\\ "
                                "\\/ \\b \\f \\n \\r \\t \\uXXXX)");
    }
  }
}

bool Parser::parseNumber(JsonValue &out) {
  size_t start = i_;
  size_t k = i_;
  // The literal as far as it plausibly extends, for messages.
  auto literal = [&](size_t end) {
    while (end < text_.size() &&
           (isDigit(text_[end]) || text_[end] == '.' || text_[end] == 'e' ||
            text_[end] == 'E' || text_[end] == '+' || text_[end] == '-'))
      ++end;
    return std::string(text_.substr(start, end - start));
  };
  bool negative = false;
  if (text_[k] == '-') {
    negative = true;
    ++k;
  }
  if (k >= text_.size() || !isDigit(text_[k]))
    return fail(start, "invalid number '" + literal(k) +
                           "': expected a digit after '-'");
  if (text_[k] == '0' && k + 1 < text_.size() && isDigit(text_[k + 1]))
    return fail(start, "invalid number '" + literal(k) +
                           "': leading zeros are not allowed");
  size_t intStart = k;
  while (k < text_.size() && isDigit(text_[k]))
    ++k;
  size_t intEnd = k;
  bool isInt = true;
  if (k < text_.size() && text_[k] == '.') {
    isInt = false;
    ++k;
    if (k >= text_.size() || !isDigit(text_[k]))
      return fail(start, "invalid number '" + literal(k) +
                             "': expected a digit after '.'");
    while (k < text_.size() && isDigit(text_[k]))
      ++k;
  }
  if (k < text_.size() && (text_[k] == 'e' || text_[k] == 'E')) {
    isInt = false;
    ++k;
    if (k < text_.size() && (text_[k] == '+' || text_[k] == '-'))
      ++k;
    if (k >= text_.size() || !isDigit(text_[k]))
      return fail(start, "invalid number '" + literal(k) +
                             "': expected a digit in the exponent");
    while (k < text_.size() && isDigit(text_[k]))
      ++k;
  }
  i_ = k;
  if (isInt) {
    // Accumulate negatively so that INT64_MIN is representable.
    int64_t value = 0;
    bool overflow = false;
    for (size_t d = intStart; d < intEnd; ++d) {
      int digit = text_[d] - '0';
      if (value < (INT64_MIN + digit) / 10) {
        overflow = true;
        break;
      }
      value = value * 10 - digit;
    }
    if (!overflow && !negative) {
      if (value == INT64_MIN)
        overflow = true;
      else
        value = -value;
    }
    if (!overflow) {
      out = JsonValue::integer(value);
      return true;
    }
  }
  const char *first = text_.data() + start;
  const char *last = text_.data() + k;
  double d = 0;
  auto result = std::from_chars(first, last, d);
  if (result.ec == std::errc::result_out_of_range) {
    // Overflow gives +-infinity, underflow (signed) zero.
    bool expNegative = false;
    for (const char *p = first; p + 1 < last; ++p)
      if ((*p == 'e' || *p == 'E') && p[1] == '-')
        expNegative = true;
    if (expNegative)
      d = negative ? -0.0 : 0.0;
    else
      d = negative ? -HUGE_VAL : HUGE_VAL;
  }
  out = JsonValue::number(d, std::string(first, last));
  return true;
}

bool Parser::parseLiteral(JsonValue &out) {
  static const struct {
    const char *word;
    int kind; // 0 null, 1 true, 2 false
  } literals[] = {{"null", 0}, {"true", 1}, {"false", 2}};
  for (const auto &lit : literals) {
    size_t n = std::strlen(lit.word);
    if (text_.substr(i_, n) == lit.word) {
      // Reject "nullx", "true1", ...
      if (i_ + n < text_.size()) {
        char c = text_[i_ + n];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) ||
            c == '_')
          break;
      }
      i_ += n;
      out = lit.kind == 0 ? JsonValue::null()
                          : JsonValue::boolean(lit.kind == 1);
      return true;
    }
  }
  size_t end = i_;
  while (end < text_.size() && end - i_ < 32) {
    char c = text_[end];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) ||
          c == '_'))
      break;
    ++end;
  }
  return fail(i_, "invalid literal '" + std::string(text_.substr(i_, end - i_)) +
                      "' (expected true, false or null)");
}

bool Parser::parseScalar(JsonValue &out) {
  char c = text_[i_];
  if (c == '"') {
    std::string s;
    if (!parseString(s))
      return false;
    out = JsonValue::string(std::move(s));
    return true;
  }
  if (c == '-' || isDigit(c))
    return parseNumber(out);
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
    return parseLiteral(out);
  if (c == '+' || c == '.')
    return fail(i_, "invalid number: a JSON number must start with '-' or a "
                    "digit");
  if (c == ']' || c == '}' || c == ',' || c == ':')
    return fail(i_, "expected a value, found " + found());
  return fail(i_, "unexpected character " + found() + ", expected a value");
}

std::optional<JsonValue> Parser::parse() {
  // Skip a UTF-8 byte-order mark without counting it as a column.
  if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") {
    text_ = text_.substr(3);
  }
  struct Frame {
    JsonValue value;
    std::string key; // pending key (objects)
  };
  std::vector<Frame> stack;
  JsonValue completed;

  skipWhitespace();
  if (atEnd()) {
    fail(i_, text_.empty() ? "empty input, expected a JSON value"
                           : "expected a JSON value, found end of input");
    return std::nullopt;
  }

  // Reads an object key and the ':' that follows; leaves i_ at the value.
  auto readKey = [&](Frame &frame, bool afterComma) {
    skipWhitespace();
    if (atEnd() || text_[i_] != '"') {
      if (afterComma && !atEnd() && text_[i_] == '}')
        return fail(i_, "expected a string key after ',' in object (trailing "
                        "commas are not allowed)");
      return fail(i_, "expected a string key in object, found " + found());
    }
    if (!parseString(frame.key))
      return false;
    skipWhitespace();
    if (atEnd() || text_[i_] != ':')
      return fail(i_, "expected ':' after object key, found " + found());
    ++i_;
    return true;
  };

  while (true) {
    // State: at the start of a value.
    skipWhitespace();
    if (atEnd()) {
      fail(i_, "unexpected end of input, expected a value");
      return std::nullopt;
    }
    size_t valueStart = i_;
    char c = text_[i_];
    if (c == '[' || c == '{') {
      if (stack.size() >= maxDepth_) {
        fail(i_, "nesting too deep (more than " + std::to_string(maxDepth_) +
                     " levels of arrays/objects)");
        return std::nullopt;
      }
      Frame frame;
      frame.value = c == '[' ? JsonValue::array() : JsonValue::object();
      frame.value.setPos(posAt(valueStart));
      ++i_;
      skipWhitespace();
      char close = c == '[' ? ']' : '}';
      if (!atEnd() && text_[i_] == close) {
        ++i_;
        completed = std::move(frame.value);
      } else {
        if (c == '{' && !readKey(frame, false))
          return std::nullopt;
        stack.push_back(std::move(frame));
        continue; // parse the first element / member value
      }
    } else {
      JsonValue v;
      if (!parseScalar(v))
        return std::nullopt;
      v.setPos(posAt(valueStart));
      completed = std::move(v);
    }

    // State: a value has been completed; attach it and look for what comes
    // next, closing containers as needed.
    while (true) {
      if (stack.empty()) {
        skipWhitespace();
        if (!atEnd()) {
          fail(i_, "unexpected " + found() +
                       " after the JSON document (trailing characters)");
          return std::nullopt;
        }
        return std::optional<JsonValue>(std::move(completed));
      }
      Frame &top = stack.back();
      bool isArray = top.value.isArray();
      if (isArray)
        top.value.push(std::move(completed));
      else
        top.value.append(std::move(top.key), std::move(completed));
      skipWhitespace();
      char close = isArray ? ']' : '}';
      if (!atEnd() && text_[i_] == ',') {
        ++i_;
        if (!isArray) {
          if (!readKey(top, true))
            return std::nullopt;
        } else {
          skipWhitespace();
          if (!atEnd() && text_[i_] == ']') {
            fail(i_, "expected a value after ',' in array (trailing commas "
                     "are not allowed)");
            return std::nullopt;
          }
        }
        break; // parse the next value
      }
      if (!atEnd() && text_[i_] == close) {
        ++i_;
        completed = std::move(top.value);
        stack.pop_back();
        continue;
      }
      if (atEnd()) {
        fail(i_, std::string("unexpected end of input, expected ',' or '") +
                     close + "' after " +
                     (isArray ? "array element" : "object member"));
        return std::nullopt;
      }
      fail(i_, std::string("expected ',' or '") + close + "' after " +
                   (isArray ? "array element" : "object member") +
                   ", found " + found());
      return std::nullopt;
    }
  }
}

} // namespace

JsonValue JsonValue::number(double d, std::string spelling) {
  JsonValue v = number(d);
  v.string_ = std::move(spelling);
  return v;
}

std::optional<JsonValue> parseJson(std::string_view text, Diagnostic &error,
                                   unsigned maxDepth) {
  Parser parser(text, error, maxDepth);
  return parser.parse();
}

//===----------------------------------------------------------------------===//
// Writer
//===----------------------------------------------------------------------===//

std::string quoteJson(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20 || c == 0x7F) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04X", c);
        out += buf;
      } else {
        out += ch;
      }
    }
  }
  out += '"';
  return out;
}

namespace {

void writeDouble(std::string &out, double d) {
  if (!std::isfinite(d)) {
    out += "null"; // JSON has no infinities or NaNs
    return;
  }
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, result.ptr);
  // Keep it a Double when read back: "2" -> "2.0".
  if (s.find_first_of(".eE") == std::string::npos)
    s += ".0";
  out += s;
}

bool isScalar(const JsonValue &v) { return !v.isArray() && !v.isObject(); }

void writeValue(std::string &out, const JsonValue &v, int indent, int level) {
  auto newline = [&](int lvl) {
    out += '\n';
    out.append(static_cast<size_t>(indent) * static_cast<size_t>(lvl), ' ');
  };
  switch (v.kind()) {
  case JsonValue::Kind::Null:
    out += "null";
    return;
  case JsonValue::Kind::Bool:
    out += v.getBool() ? "true" : "false";
    return;
  case JsonValue::Kind::Integer:
    out += std::to_string(v.getInteger());
    return;
  case JsonValue::Kind::Double:
    writeDouble(out, v.getNumber());
    return;
  case JsonValue::Kind::String:
    out += quoteJson(v.getString());
    return;
  case JsonValue::Kind::Array: {
    const auto &elems = v.getArray();
    if (elems.empty()) {
      out += "[]";
      return;
    }
    bool oneLine = indent < 0;
    if (!oneLine) {
      oneLine = true;
      for (const auto &e : elems)
        if (!isScalar(e))
          oneLine = false;
    }
    out += '[';
    for (size_t k = 0; k < elems.size(); ++k) {
      if (k)
        out += indent < 0 ? "," : (oneLine ? ", " : ",");
      if (!oneLine)
        newline(level + 1);
      writeValue(out, elems[k], indent, level + 1);
    }
    if (!oneLine)
      newline(level);
    out += ']';
    return;
  }
  case JsonValue::Kind::Object: {
    const auto &members = v.getObject();
    if (members.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    for (size_t k = 0; k < members.size(); ++k) {
      if (k)
        out += ',';
      if (indent >= 0)
        newline(level + 1);
      out += quoteJson(members[k].first);
      out += indent >= 0 ? ": " : ":";
      writeValue(out, members[k].second, indent, level + 1);
    }
    if (indent >= 0)
      newline(level);
    out += '}';
    return;
  }
  }
}

} // namespace

std::string writeJson(const JsonValue &value, int indent) {
  std::string out;
  writeValue(out, value, indent, 0);
  return out;
}

} // namespace tnc
