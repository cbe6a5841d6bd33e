//===- TNAttrs.cpp - Attributes of the tn dialect -------------------------===//

#include "tn/Dialect/TN/IR/TNAttrs.h"
#include "tn/Dialect/TN/IR/TNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace mlir;
using namespace mlir::tn;

#include "tn/Dialect/TN/IR/TNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tn/Dialect/TN/IR/TNAttrs.cpp.inc"

void TNDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tn/Dialect/TN/IR/TNAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// ContractionPathAttr
//===----------------------------------------------------------------------===//

Attribute ContractionPathAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> steps;
  if (parser.parseLess())
    return {};
  if (failed(parser.parseOptionalGreater())) {
    auto parseStep = [&]() -> ParseResult {
      int64_t a, b;
      if (parser.parseLParen() || parser.parseInteger(a) ||
          parser.parseComma() || parser.parseInteger(b) ||
          parser.parseRParen())
        return failure();
      steps.push_back(a);
      steps.push_back(b);
      return success();
    };
    if (parser.parseCommaSeparatedList(parseStep) || parser.parseGreater())
      return {};
  }
  return ContractionPathAttr::getChecked(
      [&] { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), steps);
}

void ContractionPathAttr::print(AsmPrinter &printer) const {
  printer << '<';
  for (size_t k = 0, e = getNumSteps(); k < e; ++k) {
    if (k)
      printer << ", ";
    auto [a, b] = getStep(k);
    printer << '(' << a << ", " << b << ')';
  }
  printer << '>';
}

LogicalResult
ContractionPathAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                            ArrayRef<int64_t> steps) {
  if (steps.size() % 2)
    return emitError() << "contraction path must hold pairs of tensor ids";
  for (int64_t id : steps)
    if (id < 0)
      return emitError() << "contraction path tensor ids must be "
                            "non-negative, got "
                         << id;
  return success();
}

std::string ContractionPathAttr::validateFor(int64_t numOperands) const {
  std::string msg;
  llvm::raw_string_ostream os(msg);
  int64_t expected = numOperands > 0 ? numOperands - 1 : 0;
  if (static_cast<int64_t>(getNumSteps()) != expected) {
    os << "path has " << getNumSteps() << " step(s) but a network of "
       << numOperands << " operand(s) needs " << expected;
    return msg;
  }
  std::vector<bool> used(numOperands + getNumSteps(), false);
  for (size_t k = 0, e = getNumSteps(); k < e; ++k) {
    auto [a, b] = getStep(k);
    int64_t live = numOperands + static_cast<int64_t>(k);
    for (int64_t id : {a, b}) {
      if (id >= live) {
        os << "path step " << k << " uses tensor " << id
           << ", which does not exist yet (tensors 0.." << live - 1
           << " exist)";
        return msg;
      }
      if (used[id]) {
        os << "path step " << k << " uses tensor " << id
           << ", which an earlier step already contracted";
        return msg;
      }
    }
    if (a == b) {
      os << "path step " << k << " contracts tensor " << a << " with itself";
      return msg;
    }
    used[a] = used[b] = true;
  }
  return msg;
}

//===----------------------------------------------------------------------===//
// TruncationAttr
//===----------------------------------------------------------------------===//

namespace {
/// The fields of a truncation rule, with their defaults.
struct TruncFields {
  int64_t maxRank = 0;
  int64_t minRank = 1;
  double absCutoff = 0, relCutoff = 0, weightCutoff = 0, degeneracyTol = 0;
  WeightMode weightMode = WeightMode::rsum2;
  AbsorbMode absorb = AbsorbMode::none;
  RenormMode renorm = RenormMode::none;
};
} // namespace

static constexpr llvm::StringLiteral kTruncKeys =
    "max_rank, min_rank, abs_cutoff, rel_cutoff, weight_cutoff, weight_mode, "
    "degeneracy_tol, absorb, renorm";

template <typename EnumT>
static ParseResult
parseEnumKeyword(AsmParser &parser, StringRef key, EnumT &out,
                 std::optional<EnumT> (*symbolize)(StringRef),
                 StringRef choices) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef kw;
  if (parser.parseOptionalKeyword(&kw))
    return parser.emitError(loc) << "expected one of " << choices
                                 << " for '" << key << "'";
  std::optional<EnumT> v = symbolize(kw);
  if (!v)
    return parser.emitError(loc) << "invalid " << key << " '" << kw
                                 << "'; expected one of " << choices;
  out = *v;
  return success();
}

/// Parses a number written as an integer or a float literal.
static ParseResult parseNumber(AsmParser &parser, StringRef key, double &out) {
  SMLoc loc = parser.getCurrentLocation();
  Attribute attr;
  if (parser.parseAttribute(attr))
    return failure();
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    out = f.getValueAsDouble();
    return success();
  }
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    out = static_cast<double>(i.getValue().getSExtValue());
    return success();
  }
  return parser.emitError(loc) << "expected a number for '" << key << "'";
}

Attribute TruncationAttr::parse(AsmParser &parser, Type) {
  TruncFields f;
  llvm::SmallSet<StringRef, 8> seen;
  if (parser.parseLess())
    return {};
  if (failed(parser.parseOptionalGreater())) {
    auto parseField = [&]() -> ParseResult {
      SMLoc loc = parser.getCurrentLocation();
      StringRef key;
      if (parser.parseKeyword(&key))
        return failure();
      if (!seen.insert(key).second)
        return parser.emitError(loc) << "truncation field '" << key
                                     << "' is given more than once";
      if (parser.parseEqual())
        return failure();
      if (key == "max_rank")
        return parser.parseInteger(f.maxRank);
      if (key == "min_rank")
        return parser.parseInteger(f.minRank);
      if (key == "abs_cutoff")
        return parseNumber(parser, key, f.absCutoff);
      if (key == "rel_cutoff")
        return parseNumber(parser, key, f.relCutoff);
      if (key == "weight_cutoff")
        return parseNumber(parser, key, f.weightCutoff);
      if (key == "degeneracy_tol")
        return parseNumber(parser, key, f.degeneracyTol);
      if (key == "weight_mode")
        return parseEnumKeyword(parser, key, f.weightMode, symbolizeWeightMode,
                                "rsum2, sum2, rsum1, sum1");
      if (key == "absorb")
        return parseEnumKeyword(parser, key, f.absorb, symbolizeAbsorbMode,
                                "none, left, right, both");
      if (key == "renorm")
        return parseEnumKeyword(
            parser, key, f.renorm, symbolizeRenormMode,
            "none, keep_l1, keep_l2, unit_l1, unit_l2, unit_linf");
      return parser.emitError(loc) << "unknown truncation field '" << key
                                   << "'; expected one of " << kTruncKeys;
    };
    if (parser.parseCommaSeparatedList(parseField) || parser.parseGreater())
      return {};
  }
  return TruncationAttr::getChecked(
      [&] { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), f.maxRank, f.minRank, APFloat(f.absCutoff),
      APFloat(f.relCutoff), APFloat(f.weightCutoff), f.weightMode,
      APFloat(f.degeneracyTol), f.absorb, f.renorm);
}

/// The shortest decimal form of `v` that reads back as the same double, as an
/// MLIR float literal (always with a '.': "1.0e-12", "0.5", "100.0").
static std::string formatDouble(double v) {
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  std::string s = buf;
  size_t e = s.find_first_of("eE");
  std::string mantissa = s.substr(0, e);
  if (mantissa.find('.') == std::string::npos)
    mantissa += ".0";
  return e == std::string::npos ? mantissa : mantissa + s.substr(e);
}

void TruncationAttr::print(AsmPrinter &printer) const {
  TruncFields d;
  printer << '<';
  llvm::ListSeparator sep;
  auto printFloatField = [&](StringRef key, const APFloat &value, double def) {
    double v = value.convertToDouble();
    if (v != def) {
      printer << StringRef(sep) << key << " = " << formatDouble(v);
    }
  };
  if (getMaxRank() != d.maxRank)
    printer << StringRef(sep) << "max_rank = " << getMaxRank();
  if (getMinRank() != d.minRank)
    printer << StringRef(sep) << "min_rank = " << getMinRank();
  printFloatField("abs_cutoff", getAbsCutoff(), d.absCutoff);
  printFloatField("rel_cutoff", getRelCutoff(), d.relCutoff);
  printFloatField("weight_cutoff", getWeightCutoff(), d.weightCutoff);
  if (getWeightMode() != d.weightMode)
    printer << StringRef(sep) << "weight_mode = " << stringifyWeightMode(getWeightMode());
  printFloatField("degeneracy_tol", getDegeneracyTol(), d.degeneracyTol);
  if (getAbsorb() != d.absorb)
    printer << StringRef(sep) << "absorb = " << stringifyAbsorbMode(getAbsorb());
  if (getRenorm() != d.renorm)
    printer << StringRef(sep) << "renorm = " << stringifyRenormMode(getRenorm());
  printer << '>';
}

LogicalResult
TruncationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       int64_t maxRank, int64_t minRank, APFloat absCutoff,
                       APFloat relCutoff, APFloat weightCutoff, WeightMode,
                       APFloat degeneracyTol, AbsorbMode, RenormMode) {
  if (maxRank < 0)
    return emitError() << "max_rank must be non-negative (0 means no "
                          "limit), got "
                       << maxRank;
  if (minRank < 1)
    return emitError() << "min_rank must be at least 1, got " << minRank;
  if (maxRank > 0 && minRank > maxRank)
    return emitError() << "min_rank (" << minRank
                       << ") must not exceed max_rank (" << maxRank << ")";
  std::pair<StringRef, APFloat> cutoffs[] = {{"abs_cutoff", absCutoff},
                                             {"rel_cutoff", relCutoff},
                                             {"weight_cutoff", weightCutoff},
                                             {"degeneracy_tol", degeneracyTol}};
  for (auto &[name, apValue] : cutoffs)
    if (double value = apValue.convertToDouble();
        !std::isfinite(value) || value < 0)
      return emitError() << name
                         << " must be a finite non-negative number, got "
                         << value;
  return success();
}
