//===- Json.h - Small JSON DOM with source positions ------------*- C++ -*-===//
//
// A dependency-free JSON reader and writer used by the MLIR-free libraries
// (network files, path reports). Every value remembers the line and column
// where it starts so that callers can report precise diagnostics. No
// exceptions: parse failures are returned as a JsonError.
//
//===----------------------------------------------------------------------===//

#ifndef TN_SUPPORT_JSON_H
#define TN_SUPPORT_JSON_H

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tnc {

/// A 1-based line/column position in a text buffer; line 0 means unknown.
/// Columns count characters (UTF-8 code points), not bytes.
struct SourcePos {
  unsigned line = 0;
  unsigned column = 0;
};

/// An error with the position it refers to.
struct Diagnostic {
  SourcePos pos;
  std::string message;
};

class JsonValue {
public:
  enum class Kind { Null, Bool, Integer, Double, String, Array, Object };

  JsonValue() = default;
  static JsonValue null() { return JsonValue(); }
  static JsonValue boolean(bool b);
  static JsonValue integer(int64_t i);
  static JsonValue number(double d);
  /// A Double that remembers its source spelling (see numberText()).
  static JsonValue number(double d, std::string spelling);
  static JsonValue string(std::string s);
  static JsonValue array(std::vector<JsonValue> elements = {});
  static JsonValue object();

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::Null; }
  bool isBool() const { return kind_ == Kind::Bool; }
  /// True for numbers written without fraction or exponent that fit int64.
  bool isInteger() const { return kind_ == Kind::Integer; }
  bool isNumber() const {
    return kind_ == Kind::Integer || kind_ == Kind::Double;
  }
  bool isString() const { return kind_ == Kind::String; }
  bool isArray() const { return kind_ == Kind::Array; }
  bool isObject() const { return kind_ == Kind::Object; }

  bool getBool() const { return bool_; }
  int64_t getInteger() const { return int_; }
  double getNumber() const {
    return kind_ == Kind::Integer ? static_cast<double>(int_) : double_;
  }
  const std::string &getString() const { return string_; }
  /// For a Double parsed from text: the number as spelled in the source
  /// ("2.0", "1e3", or an integer too large for int64); empty otherwise.
  /// Lets callers quote the offending literal in diagnostics.
  const std::string &numberText() const {
    static const std::string empty;
    return kind_ == Kind::Double ? string_ : empty;
  }
  const std::vector<JsonValue> &getArray() const { return elements_; }
  std::vector<JsonValue> &getArray() { return elements_; }
  /// Object members in the order they appear in the source.
  const std::vector<std::pair<std::string, JsonValue>> &getObject() const {
    return members_;
  }
  /// Object member lookup; nullptr if absent (or if this is not an object).
  const JsonValue *get(std::string_view key) const;
  /// Appends (or replaces) an object member.
  JsonValue &set(std::string key, JsonValue value);
  /// Appends an object member without looking for an existing one (the
  /// parser keeps duplicate keys so that callers can diagnose them).
  void append(std::string key, JsonValue value) {
    members_.emplace_back(std::move(key), std::move(value));
  }
  /// Appends an array element.
  void push(JsonValue value) { elements_.push_back(std::move(value)); }

  /// Position of the first character of this value in the parsed text.
  SourcePos pos() const { return pos_; }
  void setPos(SourcePos pos) { pos_ = pos; }

  /// Human-readable kind name ("string", "array", ...), for diagnostics.
  static const char *kindName(Kind kind);

private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  int64_t int_ = 0;
  double double_ = 0;
  std::string string_;
  std::vector<JsonValue> elements_;
  std::vector<std::pair<std::string, JsonValue>> members_;
  SourcePos pos_;
};

/// Parses a complete JSON document (RFC 8259; no comments, no trailing
/// commas). Nesting deeper than `maxDepth` is rejected rather than
/// overflowing the stack. On failure returns std::nullopt and fills `error`.
std::optional<JsonValue> parseJson(std::string_view text, Diagnostic &error,
                                   unsigned maxDepth = 512);

/// Serializes a value. `indent` < 0 gives the compact form; otherwise
/// pretty-printed with that many spaces per level, except that arrays whose
/// elements are all scalars are kept on one line.
std::string writeJson(const JsonValue &value, int indent = -1);

/// Escapes a string as a JSON string literal (with the quotes).
std::string quoteJson(std::string_view s);

} // namespace tnc

#endif // TN_SUPPORT_JSON_H
