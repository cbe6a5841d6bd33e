//===- Einsum.cpp - Einsum equations <-> networks -------------------------===//
//
// parseEinsum follows NumPy's einsum conventions:
//   - indices are single ASCII letters; spaces are ignored;
//   - "->" introduces an explicit output; without it the output is every
//     index that occurs exactly once, in character-code order (uppercase
//     before lowercase), preceded by the ellipsis dimensions;
//   - "..." stands for the leading dimensions not named by letters; the
//     ellipses of all operands are right-aligned and their dimensions named
//     "..0", "..1", ... (the leftmost dimension of the longest one is "..0").
// Unlike NumPy, broadcasting is not supported: an index (or ellipsis
// dimension) must have the same extent everywhere. An explicit output must
// contain "..." exactly when some operand does.
//
// Errors in the equation text have pos = {1, column} (1-based, counting
// characters); errors that concern the shapes have column 0.
//
//===----------------------------------------------------------------------===//

#include "tn/Network/Network.h"

#include <algorithm>
#include <cstdio>

namespace tnc {

namespace detail {
/// Which shape entry an einsum error refers to (-1: none). Shared with
/// Network.cpp, which maps it to a JSON position.
struct EinsumErrorLocation {
  int operand = -1;        // shapes[operand]
  int dim = -1;            // shapes[operand][dim]
  bool shapeCount = false; // the number of shapes is wrong
};
std::optional<Network>
parseEinsumImpl(std::string_view equation,
                const std::vector<std::vector<int64_t>> &shapes,
                Diagnostic &error, EinsumErrorLocation &location);
} // namespace detail

namespace {

constexpr char kEllipsis = '.';

struct Token {
  char c;          // ASCII letter, ',', '-', '>', '.'
  unsigned column; // 1-based character column in the equation
};

struct Sub {
  char c; // a letter or kEllipsis
  unsigned column;
};

struct Term {
  std::vector<Sub> subs;
  unsigned column = 0; // where the term starts (0 if empty)
  int ellipsis = -1;   // position of the ellipsis in subs, or -1
  int numLetters = 0;

  std::string text() const {
    std::string s;
    for (const Sub &sub : subs)
      s += sub.c == kEllipsis ? std::string("...") : std::string(1, sub.c);
    return s;
  }
};

bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::nullopt_t fail(Diagnostic &error, unsigned column, std::string message) {
  error.pos.line = 1;
  error.pos.column = column;
  error.message = std::move(message);
  return std::nullopt;
}

std::string columnSuffix(unsigned column) {
  return " at column " + std::to_string(column);
}

std::string ellipsisName(int64_t k) { return ".." + std::to_string(k); }

} // namespace

std::optional<Network>
detail::parseEinsumImpl(std::string_view equation,
                        const std::vector<std::vector<int64_t>> &shapes,
                        Diagnostic &error, EinsumErrorLocation &location) {
  location = EinsumErrorLocation();

  // Tokenize: drop spaces, reject anything that is not part of the grammar.
  std::vector<Token> tokens;
  tokens.reserve(equation.size());
  unsigned column = 0;
  for (size_t i = 0; i < equation.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(equation[i]);
    ++column;
    if (c == ' ')
      continue;
    if (isLetter(static_cast<char>(c)) || c == ',' || c == '-' || c == '>' ||
        c == '.') {
      tokens.push_back({static_cast<char>(c), column});
      continue;
    }
    std::string shown;
    if (c >= 0x21 && c < 0x7F) {
      shown = "'" + std::string(1, static_cast<char>(c)) + "'";
    } else if (c < 0x80) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", c);
      shown = buf;
    } else {
      size_t n = 1;
      while (i + n < equation.size() && n < 4 &&
             (static_cast<unsigned char>(equation[i + n]) & 0xC0) == 0x80)
        ++n;
      shown = "'" + std::string(equation.substr(i, n)) + "'";
    }
    return fail(error, column,
                "invalid character " + shown + " in equation" +
                    columnSuffix(column) +
                    " (indices must be single ASCII letters)");
  }

  // Split into operand terms and the optional output term.
  std::vector<Term> terms(1);
  Term output;
  bool explicitOutput = false;
  unsigned arrowColumn = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token &t = tokens[i];
    Term &term = explicitOutput ? output : terms.back();
    switch (t.c) {
    case '-':
      if (i + 1 >= tokens.size() || tokens[i + 1].c != '>')
        return fail(error, t.column,
                    "'-'" + columnSuffix(t.column) +
                        " must be followed by '>' (the output separator is "
                        "'->')");
      if (explicitOutput)
        return fail(error, t.column,
                    "'->' appears more than once in equation" +
                        columnSuffix(t.column));
      explicitOutput = true;
      arrowColumn = t.column;
      ++i;
      break;
    case '>':
      return fail(error, t.column,
                  "'>'" + columnSuffix(t.column) +
                      " must be preceded by '-' (the output separator is "
                      "'->')");
    case ',':
      if (explicitOutput)
        return fail(error, t.column,
                    "unexpected ','" + columnSuffix(t.column) +
                        " in the output (after '->')");
      terms.emplace_back();
      break;
    case '.': {
      std::string termName =
          explicitOutput ? std::string("the output")
                         : "operand " + std::to_string(terms.size() - 1);
      if (i + 2 >= tokens.size() || tokens[i + 1].c != '.' ||
          tokens[i + 2].c != '.')
        return fail(error, t.column,
                    "'.'" + columnSuffix(t.column) +
                        " is not part of an ellipsis '...'");
      if (term.ellipsis >= 0)
        return fail(error, t.column,
                    "more than one '...' in " + termName +
                        columnSuffix(t.column));
      if (term.subs.empty())
        term.column = t.column;
      term.ellipsis = static_cast<int>(term.subs.size());
      term.subs.push_back({kEllipsis, t.column});
      i += 2;
      break;
    }
    default: // a letter
      if (term.subs.empty())
        term.column = t.column;
      term.subs.push_back({t.c, t.column});
      ++term.numLetters;
      break;
    }
  }

  // Equation-only checks on the output.
  int firstEllipsisOperand = -1;
  for (size_t k = 0; k < terms.size(); ++k)
    if (terms[k].ellipsis >= 0 && firstEllipsisOperand < 0)
      firstEllipsisOperand = static_cast<int>(k);
  if (explicitOutput) {
    bool inInputs[128] = {};
    for (const Term &term : terms)
      for (const Sub &sub : term.subs)
        if (sub.c != kEllipsis)
          inInputs[static_cast<unsigned char>(sub.c)] = true;
    bool seen[128] = {};
    for (const Sub &sub : output.subs) {
      if (sub.c == kEllipsis) {
        if (firstEllipsisOperand < 0)
          return fail(error, sub.column,
                      "the output has '...'" + columnSuffix(sub.column) +
                          " but no operand has one");
        continue;
      }
      unsigned char c = static_cast<unsigned char>(sub.c);
      if (!inInputs[c])
        return fail(error, sub.column,
                    "output index '" + std::string(1, sub.c) +
                        "' does not appear in any input" +
                        columnSuffix(sub.column));
      if (seen[c])
        return fail(error, sub.column,
                    "output index '" + std::string(1, sub.c) +
                        "' is repeated" + columnSuffix(sub.column));
      seen[c] = true;
    }
    if (firstEllipsisOperand >= 0 && output.ellipsis < 0)
      return fail(error, arrowColumn,
                  "the output (after '->'" + columnSuffix(arrowColumn) +
                      ") must contain '...' because operand " +
                      std::to_string(firstEllipsisOperand) + " ('" +
                      terms[firstEllipsisOperand].text() + "') has one");
  }

  // Shapes.
  if (shapes.size() != terms.size()) {
    location.shapeCount = true;
    return fail(error, 0,
                "\"shapes\" has " + std::to_string(shapes.size()) +
                    (shapes.size() == 1 ? " entry" : " entries") +
                    " but the equation has " + std::to_string(terms.size()) +
                    (terms.size() == 1 ? " operand" : " operands"));
  }
  for (size_t k = 0; k < shapes.size(); ++k) {
    for (size_t d = 0; d < shapes[k].size(); ++d) {
      if (shapes[k][d] < 1) {
        location.operand = static_cast<int>(k);
        location.dim = static_cast<int>(d);
        return fail(error, 0,
                    "extent of dimension " + std::to_string(d) +
                        " of operand " + std::to_string(k) +
                        " must be a positive integer, got " +
                        std::to_string(shapes[k][d]));
      }
    }
  }
  int64_t numEllipsisDims = 0;
  for (size_t k = 0; k < terms.size(); ++k) {
    const Term &term = terms[k];
    int64_t rank = static_cast<int64_t>(shapes[k].size());
    std::string what = "operand " + std::to_string(k) + " ('" + term.text() +
                       "')";
    if (term.ellipsis < 0 && rank != term.numLetters) {
      location.operand = static_cast<int>(k);
      return fail(error, 0,
                  what + " has " + std::to_string(term.numLetters) +
                      (term.numLetters == 1 ? " index" : " indices") +
                      " but its shape has rank " + std::to_string(rank));
    }
    if (term.ellipsis >= 0) {
      if (rank < term.numLetters) {
        location.operand = static_cast<int>(k);
        return fail(error, 0,
                    what + " has " + std::to_string(term.numLetters) +
                        (term.numLetters == 1 ? " index" : " indices") +
                        " besides '...' but its shape has rank " +
                        std::to_string(rank));
      }
      numEllipsisDims = std::max(numEllipsisDims, rank - term.numLetters);
    }
  }

  // Build the network; ids in order of first appearance.
  Network net;
  std::vector<int> firstOperand; // by index id
  for (size_t k = 0; k < terms.size(); ++k) {
    const Term &term = terms[k];
    const std::vector<int64_t> &shape = shapes[k];
    int64_t ellipsisDims =
        static_cast<int64_t>(shape.size()) - term.numLetters;
    std::vector<int> ids;
    ids.reserve(shape.size());
    size_t dim = 0;
    auto addDim = [&](const std::string &name, bool isEllipsisDim) {
      int64_t extent = shape[dim];
      int id = net.addIndex(name, extent);
      if (id < 0) {
        int prev = net.findIndex(name);
        int64_t prevExtent = net.extent(prev);
        location.operand = static_cast<int>(k);
        location.dim = static_cast<int>(dim);
        std::string what =
            (isEllipsisDim ? "ellipsis dimension '" : "index '") + name + "'";
        std::string message;
        if (firstOperand[prev] == static_cast<int>(k))
          message = what + " is repeated in operand " + std::to_string(k) +
                    " with different extents " + std::to_string(prevExtent) +
                    " and " + std::to_string(extent);
        else
          message = what + " has extent " + std::to_string(prevExtent) +
                    " in operand " + std::to_string(firstOperand[prev]) +
                    " but " + std::to_string(extent) + " in operand " +
                    std::to_string(k);
        if (prevExtent == 1 || extent == 1)
          message += " (broadcasting is not supported)";
        fail(error, 0, std::move(message));
        return false;
      }
      if (id == static_cast<int>(firstOperand.size())) {
        firstOperand.push_back(static_cast<int>(k));
      }
      ids.push_back(id);
      ++dim;
      return true;
    };
    for (const Sub &sub : term.subs) {
      if (sub.c == kEllipsis) {
        for (int64_t e = 0; e < ellipsisDims; ++e)
          if (!addDim(ellipsisName(numEllipsisDims - ellipsisDims + e), true))
            return std::nullopt;
      } else if (!addDim(std::string(1, sub.c), false)) {
        return std::nullopt;
      }
    }
    net.addTensor(std::move(ids));
  }

  std::vector<int> out;
  if (explicitOutput) {
    for (const Sub &sub : output.subs) {
      if (sub.c == kEllipsis) {
        for (int64_t e = 0; e < numEllipsisDims; ++e)
          out.push_back(net.findIndex(ellipsisName(e)));
      } else {
        out.push_back(net.findIndex(std::string(1, sub.c)));
      }
    }
  } else {
    if (firstEllipsisOperand >= 0)
      for (int64_t e = 0; e < numEllipsisDims; ++e)
        out.push_back(net.findIndex(ellipsisName(e)));
    int count[128] = {};
    for (const Term &term : terms)
      for (const Sub &sub : term.subs)
        if (sub.c != kEllipsis)
          ++count[static_cast<unsigned char>(sub.c)];
    for (int c = 0; c < 128; ++c)
      if (count[c] == 1)
        out.push_back(net.findIndex(std::string(1, static_cast<char>(c))));
  }
  net.setOutput(std::move(out));
  return net;
}

std::optional<Network>
parseEinsum(std::string_view equation,
            const std::vector<std::vector<int64_t>> &shapes,
            Diagnostic &error) {
  detail::EinsumErrorLocation location;
  return detail::parseEinsumImpl(equation, shapes, error, location);
}

std::optional<std::string> einsumEquation(const Network &net) {
  auto letter = [&](int id) -> std::optional<char> {
    if (id < 0 || id >= net.numIndices())
      return std::nullopt;
    const std::string &name = net.indexName(id);
    if (name.size() != 1 || !isLetter(name[0]))
      return std::nullopt;
    return name[0];
  };
  std::string eq;
  for (int t = 0; t < net.numTensors(); ++t) {
    if (t)
      eq += ',';
    for (int id : net.tensorIndices(t)) {
      std::optional<char> c = letter(id);
      if (!c)
        return std::nullopt;
      eq += *c;
    }
  }
  eq += "->";
  for (int id : net.output()) {
    std::optional<char> c = letter(id);
    if (!c)
      return std::nullopt;
    eq += *c;
  }
  return eq;
}

} // namespace tnc
