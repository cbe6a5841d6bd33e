//===- Network.cpp - MLIR-free tensor network hypergraph ------------------===//
//
// The Network class, element types, the JSON reader (both vocabularies) and
// the JSON writer. parseEinsum lives in Einsum.cpp.
//
//===----------------------------------------------------------------------===//

#include "tn/Network/Network.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace tnc {

namespace detail {
/// Which shape entry an einsum error refers to (-1: none). Shared with
/// Einsum.cpp, which defines parseEinsumImpl.
struct EinsumErrorLocation {
  int operand = -1; // shapes[operand]
  int dim = -1;     // shapes[operand][dim]
  bool shapeCount = false; // the number of shapes is wrong
};
std::optional<Network>
parseEinsumImpl(std::string_view equation,
                const std::vector<std::vector<int64_t>> &shapes,
                Diagnostic &error, EinsumErrorLocation &location);
} // namespace detail

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

std::optional<ElementType> parseElementType(std::string_view s) {
  static const struct {
    const char *name;
    ElementType type;
  } names[] = {
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
  for (const auto &n : names)
    if (s == n.name)
      return n.type;
  return std::nullopt;
}

const char *mlirTypeName(ElementType type) {
  switch (type) {
  case ElementType::F16:
    return "f16";
  case ElementType::BF16:
    return "bf16";
  case ElementType::F32:
    return "f32";
  case ElementType::F64:
    return "f64";
  case ElementType::Complex64:
    return "complex<f32>";
  case ElementType::Complex128:
    return "complex<f64>";
  }
  return "f32";
}

const char *numpyTypeName(ElementType type) {
  switch (type) {
  case ElementType::F16:
    return "float16";
  case ElementType::BF16:
    return "bfloat16";
  case ElementType::F32:
    return "float32";
  case ElementType::F64:
    return "float64";
  case ElementType::Complex64:
    return "complex64";
  case ElementType::Complex128:
    return "complex128";
  }
  return "float32";
}

//===----------------------------------------------------------------------===//
// Network
//===----------------------------------------------------------------------===//

int Network::addIndex(std::string_view indexName, int64_t extent) {
  int id = static_cast<int>(names_.size());
  auto inserted = byName_.try_emplace(std::string(indexName), id);
  if (!inserted.second) {
    int existing = inserted.first->second;
    return extents_[existing] == extent ? existing : -1;
  }
  names_.emplace_back(indexName);
  extents_.push_back(extent);
  return id;
}

int Network::findIndex(std::string_view indexName) const {
  auto it = byName_.find(std::string(indexName));
  return it == byName_.end() ? -1 : it->second;
}

int Network::addTensor(std::vector<int> indices) {
  inputs_.push_back(std::move(indices));
  return static_cast<int>(inputs_.size()) - 1;
}

std::vector<int64_t> Network::shape(int t) const {
  std::vector<int64_t> result;
  result.reserve(inputs_[t].size());
  for (int id : inputs_[t])
    result.push_back(extents_[id]);
  return result;
}

std::vector<int> Network::indexDegrees() const {
  std::vector<int> degrees(names_.size(), 0);
  // lastSeen[id] == t + 1 when index id was already counted for tensor t.
  std::vector<int> lastSeen(names_.size(), 0);
  for (size_t t = 0; t < inputs_.size(); ++t) {
    for (int id : inputs_[t]) {
      if (id < 0 || id >= numIndices())
        continue;
      if (lastSeen[id] != static_cast<int>(t) + 1) {
        lastSeen[id] = static_cast<int>(t) + 1;
        ++degrees[id];
      }
    }
  }
  std::vector<bool> inOutput(names_.size(), false);
  for (int id : output_) {
    if (id < 0 || id >= numIndices() || inOutput[id])
      continue;
    inOutput[id] = true;
    ++degrees[id];
  }
  return degrees;
}

std::string Network::validate() const {
  const int n = numIndices();
  for (size_t t = 0; t < inputs_.size(); ++t)
    for (int id : inputs_[t])
      if (id < 0 || id >= n)
        return "tensor " + std::to_string(t) + " refers to index id " +
               std::to_string(id) + ", but there are " + std::to_string(n) +
               " indices";
  for (int id : output_)
    if (id < 0 || id >= n)
      return "output refers to index id " + std::to_string(id) +
             ", but there are " + std::to_string(n) + " indices";
  for (int id = 0; id < n; ++id)
    if (extents_[id] < 1)
      return "index '" + names_[id] + "' has non-positive extent " +
             std::to_string(extents_[id]);
  std::vector<bool> used(n, false);
  for (const auto &tensor : inputs_)
    for (int id : tensor)
      used[id] = true;
  std::vector<bool> seen(n, false);
  for (int id : output_) {
    if (!used[id])
      return "output index '" + names_[id] + "' does not appear in any input";
    if (seen[id])
      return "output index '" + names_[id] + "' is repeated";
    seen[id] = true;
  }
  for (int id = 0; id < n; ++id)
    if (!used[id])
      return "index '" + names_[id] + "' is not used by any tensor";
  return "";
}

double Network::log10Size(int t) const {
  double sum = 0;
  for (int id : inputs_[t])
    sum += std::log10(static_cast<double>(extents_[id]));
  return sum;
}

//===----------------------------------------------------------------------===//
// JSON reader
//===----------------------------------------------------------------------===//

namespace {

/// Quotes a (user-supplied) name for a message: 'name', with control
/// characters and quotes escaped so the message stays on one line.
std::string quoteName(std::string_view name) {
  std::string out = "'";
  for (char ch : name) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else if (c == '\'' || c == '\\') {
      out += '\\';
      out += ch;
    } else {
      out += ch;
    }
  }
  out += '\'';
  return out;
}

/// Describes a JSON value for "got ..." messages.
std::string describeValue(const JsonValue &v) {
  switch (v.kind()) {
  case JsonValue::Kind::Integer:
    return std::to_string(v.getInteger());
  case JsonValue::Kind::Double:
    return v.numberText().empty() ? std::string("a number") : v.numberText();
  case JsonValue::Kind::String:
    if (v.getString().size() <= 40)
      return "the string " + quoteJson(v.getString());
    return "a string";
  case JsonValue::Kind::Null:
    return "null";
  case JsonValue::Kind::Bool:
    return v.getBool() ? "true" : "false";
  case JsonValue::Kind::Array:
    return "an array";
  case JsonValue::Kind::Object:
    return "an object";
  }
  return "a value";
}

bool isIntegerSpelling(const std::string &text) {
  return !text.empty() && text.find_first_of(".eE") == std::string::npos;
}

/// Checks that `v` is an extent (a positive integer that fits int64).
/// `what` names it in the message ("extent of index 'b'").
bool readExtent(const JsonValue &v, const std::string &what, int64_t &extent,
                Diagnostic &error) {
  error.pos = v.pos();
  if (v.isInteger()) {
    if (v.getInteger() >= 1) {
      extent = v.getInteger();
      return true;
    }
    error.message = what + " must be a positive integer, got " +
                    std::to_string(v.getInteger());
    return false;
  }
  if (v.kind() == JsonValue::Kind::Double &&
      isIntegerSpelling(v.numberText())) {
    if (v.numberText()[0] == '-')
      error.message = what + " must be a positive integer, got " +
                      v.numberText();
    else
      error.message = what + " must fit in a signed 64-bit integer, got " +
                      v.numberText();
    return false;
  }
  if (v.kind() == JsonValue::Kind::Double) {
    error.message = what + " must be a positive integer, got " +
                    describeValue(v) +
                    " (numbers with a fraction or exponent are not accepted)";
    return false;
  }
  error.message = what + " must be a positive integer, got " + describeValue(v);
  return false;
}

/// Where an index occurs, for messages: input `tensor`, or the output (-1).
std::string indexPlace(int tensor) {
  return tensor < 0 ? std::string("\"output\"")
                    : "input " + std::to_string(tensor);
}

/// Reads an index name: a non-empty string, or an integer (decimal). Sets
/// `name` to point at the string (or at `scratch` for integers).
bool readIndexName(const JsonValue &v, int tensor, std::string_view &name,
                   std::string &scratch, Diagnostic &error) {
  if (v.isString()) {
    if (v.getString().empty()) {
      error.pos = v.pos();
      error.message =
          "index name in " + indexPlace(tensor) + " must not be empty";
      return false;
    }
    name = v.getString();
    return true;
  }
  if (v.isInteger()) {
    scratch = std::to_string(v.getInteger());
    name = scratch;
    return true;
  }
  error.pos = v.pos();
  error.message = "index in " + indexPlace(tensor) +
                  " must be a string or an integer, got " + describeValue(v);
  return false;
}

/// A small open-addressing hash table from index names (views of strings
/// that outlive it) to extents and ids; much faster than a node-based map
/// for networks with many indices.
class SizeTable {
public:
  struct Entry {
    std::string_view name;
    int64_t extent = 0;
    int id = -1; // -1 until the index is first used
    bool used = false;
  };

  explicit SizeTable(size_t expected) {
    size_t capacity = 16;
    while (capacity < expected * 2)
      capacity *= 2;
    slots_.resize(capacity);
  }

  /// The entry for `name`, or nullptr.
  Entry *find(std::string_view name) {
    size_t mask = slots_.size() - 1;
    for (size_t i = hash(name) & mask;; i = (i + 1) & mask) {
      Entry &e = slots_[i];
      if (!e.used)
        return nullptr;
      if (e.name == name)
        return &e;
    }
  }

  /// Inserts `name`; returns the existing entry instead if it is present.
  std::pair<Entry *, bool> insert(std::string_view name, int64_t extent) {
    size_t mask = slots_.size() - 1;
    for (size_t i = hash(name) & mask;; i = (i + 1) & mask) {
      Entry &e = slots_[i];
      if (!e.used) {
        e.used = true;
        e.name = name;
        e.extent = extent;
        return {&e, true};
      }
      if (e.name == name)
        return {&e, false};
    }
  }

private:
  static size_t hash(std::string_view s) {
    uint64_t h = 1469598103934665603ull; // FNV-1a
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    return static_cast<size_t>(h ^ (h >> 29));
  }
  std::vector<Entry> slots_;
};

bool isIdentifier(const std::string &s) {
  if (s.empty())
    return false;
  for (size_t k = 0; k < s.size(); ++k) {
    char c = s[k];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!(alpha || (k > 0 && digit)))
      return false;
  }
  return true;
}

/// Byte offset of a (line, column) position in `text`, or npos.
size_t offsetOf(std::string_view text, SourcePos pos) {
  if (pos.line == 0)
    return std::string_view::npos;
  size_t k = 0;
  unsigned line = 1;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF")
    k = 3; // the JSON parser skips a byte-order mark
  while (line < pos.line) {
    size_t nl = text.find('\n', k);
    if (nl == std::string_view::npos)
      return std::string_view::npos;
    k = nl + 1;
    ++line;
  }
  unsigned column = 1;
  while (k < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[k]);
    if ((c & 0xC0) != 0x80) {
      if (column == pos.column)
        return k;
      ++column;
    }
    ++k;
  }
  return std::string_view::npos;
}

/// Position in the JSON text of character `column` (1-based) of the string
/// value `v`, when that can be determined exactly (no escapes before it);
/// otherwise the position of the string itself.
SourcePos positionInString(std::string_view text, const JsonValue &v,
                           unsigned column) {
  SourcePos pos = v.pos();
  size_t start = offsetOf(text, pos);
  if (start == std::string_view::npos || start >= text.size() ||
      text[start] != '"')
    return pos;
  // Walk `column` characters of the raw literal; give up on an escape.
  unsigned seen = 0;
  for (size_t k = start + 1; k < text.size(); ++k) {
    unsigned char c = static_cast<unsigned char>(text[k]);
    if (c == '\\' || c == '"')
      return v.pos();
    if ((c & 0xC0) != 0x80) {
      ++seen;
      if (seen == column) {
        SourcePos result = pos;
        result.column = pos.column + column;
        return result;
      }
    }
  }
  return v.pos();
}

const char *const kKnownKeys[] = {"inputs", "output", "size_dict", "equation",
                                  "shapes", "dtype",  "name"};

bool fail(Diagnostic &error, SourcePos pos, std::string message) {
  error.pos = pos;
  error.message = std::move(message);
  return false;
}

bool readCotengra(const JsonValue *inputs, const JsonValue *output,
                  const JsonValue *sizeDict, Network &net, Diagnostic &error) {
  if (!sizeDict->isObject())
    return fail(error, sizeDict->pos(),
                "\"size_dict\" must be an object mapping index names to "
                "extents, got " +
                    describeValue(*sizeDict));
  SizeTable sizes(sizeDict->getObject().size());
  for (const auto &member : sizeDict->getObject()) {
    const std::string &name = member.first;
    if (name.empty())
      return fail(error, member.second.pos(),
                  "index name in \"size_dict\" must not be empty");
    int64_t extent = 0;
    if (!readExtent(member.second, "extent of index " + quoteName(name),
                    extent, error))
      return false;
    auto inserted = sizes.insert(name, extent);
    if (!inserted.second) {
      if (inserted.first->extent != extent)
        return fail(error, member.second.pos(),
                    "index " + quoteName(name) + " has extent " +
                        std::to_string(inserted.first->extent) +
                        " in size_dict but is listed again with extent " +
                        std::to_string(extent));
      return fail(error, member.second.pos(),
                  "index " + quoteName(name) +
                      " is listed twice in \"size_dict\"");
    }
  }

  if (!inputs->isArray())
    return fail(error, inputs->pos(),
                "\"inputs\" must be an array of tensors (arrays of indices), "
                "got " +
                    describeValue(*inputs));
  if (inputs->getArray().empty())
    return fail(error, inputs->pos(),
                "\"inputs\" must contain at least one tensor");
  std::string_view name;
  std::string scratch;
  int tensorNo = 0;
  for (const JsonValue &tensor : inputs->getArray()) {
    if (!tensor.isArray())
      return fail(error, tensor.pos(),
                  indexPlace(tensorNo) + " must be an array of indices, got " +
                      describeValue(tensor));
    std::vector<int> ids;
    ids.reserve(tensor.getArray().size());
    for (const JsonValue &idx : tensor.getArray()) {
      if (!readIndexName(idx, tensorNo, name, scratch, error))
        return false;
      SizeTable::Entry *entry = sizes.find(name);
      if (!entry)
        return fail(error, idx.pos(),
                    "unknown index " + quoteName(name) +
                        " (not in size_dict)");
      if (entry->id < 0)
        entry->id = net.addIndex(name, entry->extent);
      ids.push_back(entry->id);
    }
    net.addTensor(std::move(ids));
    ++tensorNo;
  }

  std::vector<int> out;
  if (output) {
    if (!output->isArray())
      return fail(error, output->pos(),
                  "\"output\" must be an array of indices, got " +
                      describeValue(*output));
    std::vector<bool> inOutput(net.numIndices(), false);
    for (const JsonValue &idx : output->getArray()) {
      if (!readIndexName(idx, -1, name, scratch, error))
        return false;
      int id = net.findIndex(name);
      if (id < 0)
        return fail(error, idx.pos(),
                    "output index " + quoteName(name) +
                        " does not appear in any input");
      if (inOutput[id])
        return fail(error, idx.pos(),
                    "output index " + quoteName(name) + " is repeated");
      inOutput[id] = true;
      out.push_back(id);
    }
  }
  net.setOutput(std::move(out));
  return true;
}

bool readEquation(std::string_view text, const JsonValue *equation,
                  const JsonValue *shapes, Network &net, Diagnostic &error) {
  if (!equation->isString())
    return fail(error, equation->pos(),
                "\"equation\" must be a string, got " +
                    describeValue(*equation));
  if (!shapes->isArray())
    return fail(error, shapes->pos(),
                "\"shapes\" must be an array of shapes (arrays of extents), "
                "got " +
                    describeValue(*shapes));
  std::vector<std::vector<int64_t>> dims;
  dims.reserve(shapes->getArray().size());
  int operand = 0;
  for (const JsonValue &shape : shapes->getArray()) {
    if (!shape.isArray())
      return fail(error, shape.pos(),
                  "shape " + std::to_string(operand) +
                      " must be an array of extents, got " +
                      describeValue(shape));
    std::vector<int64_t> extents;
    int dim = 0;
    for (const JsonValue &e : shape.getArray()) {
      int64_t extent = 0;
      if (!readExtent(e,
                      "dimension " + std::to_string(dim) + " of shape " +
                          std::to_string(operand),
                      extent, error))
        return false;
      extents.push_back(extent);
      ++dim;
    }
    dims.push_back(std::move(extents));
    ++operand;
  }
  detail::EinsumErrorLocation location;
  Diagnostic einsumError;
  std::optional<Network> parsed = detail::parseEinsumImpl(
      equation->getString(), dims, einsumError, location);
  if (parsed) {
    std::string name = std::move(net.name);
    ElementType dtype = net.dtype;
    net = std::move(*parsed);
    net.name = std::move(name);
    net.dtype = dtype;
    return true;
  }
  error.message = einsumError.message;
  if (location.shapeCount) {
    error.pos = shapes->pos();
  } else if (location.operand >= 0 &&
             location.operand < static_cast<int>(shapes->getArray().size())) {
    const JsonValue &shape = shapes->getArray()[location.operand];
    error.pos = shape.pos();
    if (location.dim >= 0 &&
        location.dim < static_cast<int>(shape.getArray().size()))
      error.pos = shape.getArray()[location.dim].pos();
  } else if (einsumError.pos.column > 0) {
    error.pos = positionInString(text, *equation, einsumError.pos.column);
    error.message = "in \"equation\": " + error.message;
  } else {
    error.pos = equation->pos();
  }
  return false;
}

} // namespace

std::optional<Network> parseNetworkJson(std::string_view text,
                                        Diagnostic &error) {
  std::optional<JsonValue> doc = parseJson(text, error);
  if (!doc)
    return std::nullopt;
  if (!doc->isObject()) {
    fail(error, doc->pos(),
         "expected a JSON object describing a tensor network, got " +
             describeValue(*doc));
    return std::nullopt;
  }

  const JsonValue *members[7] = {};
  for (const auto &member : doc->getObject()) {
    int which = -1;
    for (int k = 0; k < 7; ++k)
      if (member.first == kKnownKeys[k])
        which = k;
    if (which < 0) {
      fail(error, member.second.pos(),
           "unknown top-level key " + quoteJson(member.first) +
               " (expected \"inputs\", \"output\", \"size_dict\", "
               "\"equation\", \"shapes\", \"dtype\" or \"name\")");
      return std::nullopt;
    }
    if (members[which]) {
      fail(error, member.second.pos(),
           "duplicate top-level key " + quoteJson(member.first));
      return std::nullopt;
    }
    members[which] = &member.second;
  }
  const JsonValue *inputs = members[0], *output = members[1],
                  *sizeDict = members[2], *equation = members[3],
                  *shapes = members[4], *dtype = members[5], *name = members[6];

  Network net;
  if (name) {
    if (!name->isString()) {
      fail(error, name->pos(),
           "\"name\" must be a string, got " + describeValue(*name));
      return std::nullopt;
    }
    if (!isIdentifier(name->getString())) {
      fail(error, name->pos(),
           "invalid name " + quoteJson(name->getString()) +
               ": must be a C identifier matching [A-Za-z_][A-Za-z0-9_]*");
      return std::nullopt;
    }
    net.name = name->getString();
  }
  if (dtype) {
    if (!dtype->isString()) {
      fail(error, dtype->pos(),
           "\"dtype\" must be a string, got " + describeValue(*dtype));
      return std::nullopt;
    }
    std::optional<ElementType> type = parseElementType(dtype->getString());
    if (!type) {
      fail(error, dtype->pos(),
           "invalid dtype " + quoteJson(dtype->getString()) +
               " (expected one of f16, bf16, f32, f64, complex<f32>, "
               "complex<f64>, float16, bfloat16, float32, float64, "
               "complex64, complex128, c64, c128)");
      return std::nullopt;
    }
    net.dtype = *type;
  }

  bool cotengra = inputs || output || sizeDict;
  bool einsum = equation || shapes;
  if (cotengra && einsum) {
    // Report at whichever key of the second vocabulary appears.
    const JsonValue *first = inputs ? inputs : (sizeDict ? sizeDict : output);
    const JsonValue *second = equation ? equation : shapes;
    const char *firstName = inputs ? "inputs" : (sizeDict ? "size_dict"
                                                           : "output");
    const char *secondName = equation ? "equation" : "shapes";
    const JsonValue *later = second;
    if (first->pos().line > second->pos().line ||
        (first->pos().line == second->pos().line &&
         first->pos().column > second->pos().column))
      later = first;
    fail(error, later->pos(),
         std::string("both \"") + firstName + "\" and \"" + secondName +
             "\" given: use either the inputs/output/size_dict vocabulary "
             "or the equation/shapes vocabulary, not both");
    return std::nullopt;
  }
  if (!cotengra && !einsum) {
    fail(error, doc->pos(),
         "missing \"inputs\" (with \"size_dict\") or \"equation\" (with "
         "\"shapes\"): the document does not describe a tensor network");
    return std::nullopt;
  }
  if (cotengra) {
    if (!inputs) {
      fail(error, doc->pos(), "missing \"inputs\"");
      return std::nullopt;
    }
    if (!sizeDict) {
      fail(error, doc->pos(),
           "missing \"size_dict\" (the extent of every index)");
      return std::nullopt;
    }
    if (!readCotengra(inputs, output, sizeDict, net, error))
      return std::nullopt;
  } else {
    if (!equation) {
      fail(error, doc->pos(), "missing \"equation\"");
      return std::nullopt;
    }
    if (!shapes) {
      fail(error, doc->pos(),
           "missing \"shapes\" (the shape of every operand)");
      return std::nullopt;
    }
    if (!readEquation(text, equation, shapes, net, error))
      return std::nullopt;
  }
  return net;
}

//===----------------------------------------------------------------------===//
// JSON writer
//===----------------------------------------------------------------------===//

std::string writeNetworkJson(const Network &net, int indent) {
  JsonValue doc = JsonValue::object();
  doc.set("name", JsonValue::string(net.name));
  doc.set("dtype", JsonValue::string(numpyTypeName(net.dtype)));
  JsonValue inputs = JsonValue::array();
  inputs.getArray().reserve(net.inputs().size());
  for (const auto &tensor : net.inputs()) {
    JsonValue t = JsonValue::array();
    t.getArray().reserve(tensor.size());
    for (int id : tensor)
      t.push(JsonValue::string(net.indexName(id)));
    inputs.push(std::move(t));
  }
  doc.set("inputs", std::move(inputs));
  JsonValue output = JsonValue::array();
  for (int id : net.output())
    output.push(JsonValue::string(net.indexName(id)));
  doc.set("output", std::move(output));
  JsonValue sizes = JsonValue::object();
  for (int id = 0; id < net.numIndices(); ++id)
    sizes.append(net.indexName(id), JsonValue::integer(net.extent(id)));
  doc.set("size_dict", std::move(sizes));
  std::string text = writeJson(doc, indent);
  text += '\n';
  return text;
}

} // namespace tnc
