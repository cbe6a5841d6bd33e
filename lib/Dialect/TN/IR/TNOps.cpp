//===- TNOps.cpp - Operations of the tn dialect ---------------------------===//

#include "tn/Dialect/TN/IR/TNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tn;

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

bool mlir::tn::isSupportedElementType(Type type) {
  if (type.isF16() || type.isBF16() || type.isF32() || type.isF64())
    return true;
  if (auto complex = dyn_cast<ComplexType>(type))
    return complex.getElementType().isF32() ||
           complex.getElementType().isF64();
  return false;
}

Type mlir::tn::getRealElementType(Type type) {
  if (auto complex = dyn_cast<ComplexType>(type))
    return complex.getElementType();
  return type;
}

//===----------------------------------------------------------------------===//
// Index names and index lists: printing and parsing
//===----------------------------------------------------------------------===//

/// A name that MLIR's lexer reads back as one bare identifier or keyword.
static bool isBareIdentifier(StringRef s) {
  if (s.empty() || !(llvm::isAlpha(s[0]) || s[0] == '_'))
    return false;
  return llvm::all_of(s.drop_front(), [](char c) {
    return llvm::isAlnum(c) || c == '_' || c == '$' || c == '.';
  });
}

/// A non-negative decimal integer without leading zeros.
static bool isCanonicalDecimal(StringRef s) {
  if (s.empty() || s.size() > 18 || !llvm::all_of(s, llvm::isDigit))
    return false;
  return s == "0" || s[0] != '0';
}

static void printIndexName(OpAsmPrinter &p, StringAttr name) {
  StringRef s = name.getValue();
  if (isBareIdentifier(s) || isCanonicalDecimal(s)) {
    p << s;
    return;
  }
  // Keep valid UTF-8 readable ("É" rather than "\C3\89"): the lexer takes
  // raw non-ASCII bytes in string literals. Escape quotes, backslashes and
  // control characters only.
  const auto *utf8 = reinterpret_cast<const llvm::UTF8 *>(s.data());
  if (!llvm::isLegalUTF8String(&utf8, utf8 + s.size())) {
    p.printString(s);
    return;
  }
  raw_ostream &os = p.getStream();
  os << '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\')
      os << '\\' << c;
    else if (c < 0x20 || c == 0x7f)
      os << '\\' << llvm::hexdigit(c >> 4) << llvm::hexdigit(c & 0xf);
    else
      os << c;
  }
  os << '"';
}

static void printIndexList(OpAsmPrinter &p, ArrayAttr list) {
  p << '[';
  llvm::interleaveComma(list, p, [&](Attribute a) {
    printIndexName(p, cast<StringAttr>(a));
  });
  p << ']';
}

static ParseResult parseIndexName(OpAsmParser &parser, StringAttr &name) {
  SMLoc loc = parser.getCurrentLocation();
  std::string str;
  StringRef keyword;
  if (succeeded(parser.parseOptionalKeyword(&keyword))) {
    str = keyword.str();
  } else if (succeeded(parser.parseOptionalString(&str))) {
  } else {
    APInt value;
    OptionalParseResult intResult = parser.parseOptionalInteger(value);
    if (!intResult.has_value())
      return parser.emitError(loc, "expected an index name (an identifier, "
                                   "a non-negative integer or a string)");
    if (failed(*intResult))
      return failure();
    str = llvm::toString(value, 10, /*Signed=*/true);
  }
  if (str.empty())
    return parser.emitError(loc, "index names must be non-empty");
  name = parser.getBuilder().getStringAttr(str);
  return success();
}

static ParseResult parseIndexList(OpAsmParser &parser, ArrayAttr &list) {
  SmallVector<Attribute> names;
  auto parseOne = [&]() -> ParseResult {
    StringAttr name;
    if (parseIndexName(parser, name))
      return failure();
    names.push_back(name);
    return success();
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, parseOne))
    return failure();
  list = parser.getBuilder().getArrayAttr(names);
  return success();
}

/// True if every index name is a single ASCII letter.
static bool isEinsumPrintable(ArrayRef<ArrayAttr> lists) {
  return llvm::all_of(lists, [](ArrayAttr list) {
    return llvm::all_of(list, [](Attribute a) {
      StringRef s = cast<StringAttr>(a).getValue();
      return s.size() == 1 && llvm::isAlpha(s[0]);
    });
  });
}

static std::string buildEinsum(ArrayRef<ArrayAttr> operandLists,
                               ArrayAttr resultList) {
  std::string eq;
  auto append = [&](ArrayAttr list) {
    for (Attribute a : list)
      eq += cast<StringAttr>(a).getValue();
  };
  for (auto [k, list] : llvm::enumerate(operandLists)) {
    if (k)
      eq += ',';
    append(list);
  }
  eq += "->";
  append(resultList);
  return eq;
}

/// Parses "ij,jk->ik" into index lists. Errors are reported at `loc`.
static ParseResult parseEinsumEquation(OpAsmParser &parser, SMLoc loc,
                                       StringRef eq,
                                       SmallVectorImpl<ArrayAttr> &operandLists,
                                       ArrayAttr &resultList) {
  Builder &b = parser.getBuilder();
  size_t arrow = eq.find("->");
  if (arrow == StringRef::npos)
    return parser.emitError(loc, "einsum equation '")
           << eq << "' must have an explicit output ('->')";
  if (eq.find("->", arrow + 2) != StringRef::npos)
    return parser.emitError(loc, "einsum equation '")
           << eq << "' has more than one '->'";
  auto toList = [&](StringRef term, ArrayAttr &list) -> ParseResult {
    SmallVector<Attribute> names;
    for (char c : term) {
      if (c == ' ')
        continue;
      if (!llvm::isAlpha(c))
        return parser.emitError(loc, "invalid character '")
               << StringRef(&c, 1) << "' in einsum equation '" << eq
               << "'; indices in the einsum form are single letters (use "
                  "the bracketed form for other names)";
      names.push_back(b.getStringAttr(StringRef(&c, 1)));
    }
    list = b.getArrayAttr(names);
    return success();
  };
  SmallVector<StringRef> terms;
  eq.take_front(arrow).split(terms, ',');
  for (StringRef term : terms) {
    ArrayAttr list;
    if (toList(term, list))
      return failure();
    operandLists.push_back(list);
  }
  return toList(eq.drop_front(arrow + 2), resultList);
}

namespace {
/// The parsed operand/index part shared by tn.network and tn.contract.
struct IndexedForm {
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  SmallVector<ArrayAttr> operandLists;
  ArrayAttr resultList;
};
} // namespace

static ParseResult parseIndexedForm(OpAsmParser &parser, IndexedForm &form) {
  std::string eq;
  SMLoc eqLoc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalString(&eq))) {
    if (parser.parseOperandList(form.operands, AsmParser::Delimiter::Paren) ||
        parseEinsumEquation(parser, eqLoc, eq, form.operandLists,
                            form.resultList))
      return failure();
    if (form.operandLists.size() != form.operands.size())
      return parser.emitError(eqLoc, "einsum equation '")
             << eq << "' has " << form.operandLists.size()
             << " operand term(s) but " << form.operands.size()
             << " operand(s) are given";
    return success();
  }
  auto parseOne = [&]() -> ParseResult {
    OpAsmParser::UnresolvedOperand operand;
    ArrayAttr list;
    if (parser.parseOperand(operand) || parseIndexList(parser, list))
      return failure();
    form.operands.push_back(operand);
    form.operandLists.push_back(list);
    return success();
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, parseOne) ||
      parser.parseArrow() || parseIndexList(parser, form.resultList))
    return failure();
  return success();
}

static void printIndexedForm(OpAsmPrinter &p, ValueRange operands,
                             ArrayRef<ArrayAttr> operandLists,
                             ArrayAttr resultList) {
  p << ' ';
  if (isEinsumPrintable(operandLists) && isEinsumPrintable(resultList)) {
    p.printString(buildEinsum(operandLists, resultList));
    p << " (";
    p.printOperands(operands);
    p << ')';
    return;
  }
  p << '(';
  for (auto [k, operand] : llvm::enumerate(operands)) {
    if (k)
      p << ", ";
    p.printOperand(operand);
    printIndexList(p, operandLists[k]);
  }
  p << ") -> ";
  printIndexList(p, resultList);
}

/// Checks the inherent attributes a parser collected (the index lists and
/// any written in the attribute dictionary), as ODS-generated parsers do:
/// an attribute of the wrong kind is an error, not silently dropped.
template <typename OpTy>
static ParseResult verifyParsedAttrs(OpAsmParser &parser,
                                     OperationState &result, SMLoc loc) {
  return OpTy::verifyInherentAttrs(result.name, result.attributes,
                                   [&]() { return parser.emitError(loc); });
}

/// Parses `attr-dict : (types) -> type` and resolves the operands.
static ParseResult parseTypesAndResolve(OpAsmParser &parser,
                                        OperationState &result,
                                        ArrayRef<OpAsmParser::UnresolvedOperand>
                                            operands) {
  if (parser.parseOptionalAttrDict(result.attributes))
    return failure();
  SMLoc typeLoc = parser.getCurrentLocation();
  FunctionType fnType;
  if (parser.parseColonType(fnType))
    return failure();
  if (fnType.getNumInputs() != operands.size())
    return parser.emitError(typeLoc, "expected ")
           << operands.size() << " operand type(s) but got "
           << fnType.getNumInputs();
  if (parser.resolveOperands(operands, fnType.getInputs(), typeLoc,
                             result.operands))
    return failure();
  result.addTypes(fnType.getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// Shared verification
//===----------------------------------------------------------------------===//

namespace {
struct Occurrence {
  int64_t extent;
  unsigned operand;
  unsigned dim;
};
} // namespace

static std::string quoteName(StringAttr name) {
  return ("'" + name.getValue() + "'").str();
}

LogicalResult mlir::tn::verifyIndexedContraction(
    Operation *op, ValueRange operands, ArrayRef<ArrayAttr> operandIndices,
    ArrayAttr resultIndices, RankedTensorType resultType) {
  if (operands.empty())
    return op->emitOpError("requires at least one operand");
  if (operandIndices.size() != operands.size())
    return op->emitOpError("has ")
           << operandIndices.size() << " index list(s) but "
           << operands.size()
           << " operand(s); expected one index list per operand";

  Type elementType;
  llvm::DenseMap<StringAttr, Occurrence> first;
  for (auto [k, operand] : llvm::enumerate(operands)) {
    auto type = cast<RankedTensorType>(operand.getType());
    if (!type.hasStaticShape())
      return op->emitOpError("operand #")
             << k << " must have a static shape, got " << type;
    if (k == 0)
      elementType = type.getElementType();
    else if (type.getElementType() != elementType)
      return op->emitOpError("operand #")
             << k << " has element type " << type.getElementType()
             << " but operand #0 has " << elementType
             << "; all operands must share one element type";
    ArrayAttr list = operandIndices[k];
    if (static_cast<int64_t>(list.size()) != type.getRank())
      return op->emitOpError("operand #")
             << k << " has rank " << type.getRank() << " but its index list has "
             << list.size() << " name(s)";
    for (auto [dim, attr] : llvm::enumerate(list)) {
      auto name = cast<StringAttr>(attr);
      if (name.getValue().empty())
        return op->emitOpError("index names must be non-empty");
      int64_t extent = type.getDimSize(dim);
      auto [it, inserted] = first.try_emplace(
          name, Occurrence{extent, static_cast<unsigned>(k),
                           static_cast<unsigned>(dim)});
      if (!inserted && it->second.extent != extent)
        return op->emitOpError("index ")
               << quoteName(name) << " has extent " << it->second.extent
               << " in operand #" << it->second.operand << " (dimension "
               << it->second.dim << ") but " << extent << " in operand #" << k
               << " (dimension " << dim << ")";
    }
  }

  if (!resultType.hasStaticShape())
    return op->emitOpError("result must have a static shape, got ")
           << resultType;
  if (static_cast<int64_t>(resultIndices.size()) != resultType.getRank())
    return op->emitOpError("result has rank ")
           << resultType.getRank() << " but the output index list has "
           << resultIndices.size() << " name(s)";
  llvm::SmallDenseSet<StringAttr, 8> seen;
  for (auto [dim, attr] : llvm::enumerate(resultIndices)) {
    auto name = cast<StringAttr>(attr);
    if (!seen.insert(name).second)
      return op->emitOpError("output index ")
             << quoteName(name) << " is repeated";
    auto it = first.find(name);
    if (it == first.end())
      return op->emitOpError("output index ")
             << quoteName(name) << " does not appear in any operand";
    if (resultType.getDimSize(dim) != it->second.extent)
      return op->emitOpError("result dimension #")
             << dim << " has extent " << resultType.getDimSize(dim)
             << " but index " << quoteName(name) << " has extent "
             << it->second.extent;
  }

  Type resultElement = resultType.getElementType();
  bool halfInputs = elementType.isF16() || elementType.isBF16();
  if (resultElement != elementType && !(halfInputs && resultElement.isF32())) {
    auto diag = op->emitOpError("result element type ")
                << resultElement << " must be the operand element type "
                << elementType;
    if (halfInputs)
      diag << " or f32";
    return diag;
  }
  return success();
}

llvm::DenseMap<StringAttr, int64_t>
mlir::tn::getIndexExtents(ValueRange operands,
                          ArrayRef<ArrayAttr> operandIndices) {
  llvm::DenseMap<StringAttr, int64_t> extents;
  for (auto [operand, list] : llvm::zip(operands, operandIndices)) {
    auto type = cast<RankedTensorType>(operand.getType());
    for (auto [dim, attr] : llvm::enumerate(list))
      extents.try_emplace(cast<StringAttr>(attr), type.getDimSize(dim));
  }
  return extents;
}

static SmallVector<ArrayAttr> toListVector(ArrayAttr lists) {
  return llvm::map_to_vector(lists,
                             [](Attribute a) { return cast<ArrayAttr>(a); });
}

static SmallVector<StringAttr> toNames(ArrayAttr list) {
  return llvm::map_to_vector(list,
                             [](Attribute a) { return cast<StringAttr>(a); });
}

//===----------------------------------------------------------------------===//
// NetworkOp
//===----------------------------------------------------------------------===//

void NetworkOp::build(OpBuilder &builder, OperationState &state,
                      Type resultType, ValueRange inputs,
                      ArrayRef<SmallVector<StringAttr>> operandIndices,
                      ArrayRef<StringAttr> resultIndices) {
  SmallVector<Attribute> lists;
  for (const SmallVector<StringAttr> &list : operandIndices)
    lists.push_back(builder.getArrayAttr(
        SmallVector<Attribute>(list.begin(), list.end())));
  build(builder, state, resultType, inputs, builder.getArrayAttr(lists),
        builder.getArrayAttr(
            SmallVector<Attribute>(resultIndices.begin(), resultIndices.end())),
        /*path=*/nullptr, /*sliced_indices=*/nullptr);
}

SmallVector<StringAttr> NetworkOp::getIndicesOf(unsigned k) {
  return toNames(cast<ArrayAttr>(getOperandIndices()[k]));
}

SmallVector<StringAttr> NetworkOp::getResultIndexNames() {
  return toNames(getResultIndices());
}

ParseResult NetworkOp::parse(OpAsmParser &parser, OperationState &result) {
  IndexedForm form;
  if (parseIndexedForm(parser, form))
    return failure();
  Builder &b = parser.getBuilder();
  result.addAttribute(getOperandIndicesAttrName(result.name),
                      b.getArrayAttr(SmallVector<Attribute>(
                          form.operandLists.begin(), form.operandLists.end())));
  result.addAttribute(getResultIndicesAttrName(result.name), form.resultList);
  SMLoc loc = parser.getCurrentLocation();
  if (parseTypesAndResolve(parser, result, form.operands))
    return failure();
  return verifyParsedAttrs<NetworkOp>(parser, result, loc);
}

void NetworkOp::print(OpAsmPrinter &p) {
  printIndexedForm(p, getInputs(), toListVector(getOperandIndices()),
                   getResultIndices());
  p.printOptionalAttrDict((*this)->getAttrs(),
                          {getOperandIndicesAttrName(),
                           getResultIndicesAttrName()});
  p << " : ";
  p.printFunctionalType(*this);
}

LogicalResult NetworkOp::verify() {
  if (failed(verifyIndexedContraction(*this, getInputs(),
                                      toListVector(getOperandIndices()),
                                      getResultIndices(), getType())))
    return failure();
  if (ContractionPathAttr path = getPathAttr()) {
    std::string msg = path.validateFor(getInputs().size());
    if (!msg.empty())
      return emitOpError("has an invalid contraction path: ") << msg;
  }
  if (ArrayAttr sliced = getSlicedIndicesAttr()) {
    llvm::DenseMap<StringAttr, int64_t> extents =
        getIndexExtents(getInputs(), toListVector(getOperandIndices()));
    llvm::SmallDenseSet<Attribute, 8> seen;
    for (Attribute a : sliced) {
      auto name = cast<StringAttr>(a);
      if (!extents.contains(name))
        return emitOpError("sliced index ")
               << quoteName(name) << " is not an index of the network";
      if (!seen.insert(a).second)
        return emitOpError("sliced index ") << quoteName(name)
                                            << " is listed more than once";
    }
  }
  return success();
}

OpFoldResult NetworkOp::fold(FoldAdaptor) {
  // A single operand whose indices are the output, in order: the identity.
  if (getInputs().size() != 1 || getInputs()[0].getType() != getType())
    return {};
  if (getOperandIndices()[0] != getResultIndices())
    return {};
  return getInputs()[0];
}

//===----------------------------------------------------------------------===//
// ContractOp
//===----------------------------------------------------------------------===//

ParseResult ContractOp::parse(OpAsmParser &parser, OperationState &result) {
  SMLoc loc = parser.getCurrentLocation();
  IndexedForm form;
  if (parseIndexedForm(parser, form))
    return failure();
  if (form.operands.size() != 2)
    return parser.emitError(loc, "'tn.contract' takes exactly two operands, "
                                 "got ")
           << form.operands.size() << " (use 'tn.network' for more)";
  result.addAttribute(getLhsIndicesAttrName(result.name),
                      form.operandLists[0]);
  result.addAttribute(getRhsIndicesAttrName(result.name),
                      form.operandLists[1]);
  result.addAttribute(getResultIndicesAttrName(result.name), form.resultList);
  SMLoc attrLoc = parser.getCurrentLocation();
  if (parseTypesAndResolve(parser, result, form.operands))
    return failure();
  return verifyParsedAttrs<ContractOp>(parser, result, attrLoc);
}

void ContractOp::print(OpAsmPrinter &p) {
  printIndexedForm(p, {getLhs(), getRhs()},
                   {getLhsIndices(), getRhsIndices()}, getResultIndices());
  p.printOptionalAttrDict((*this)->getAttrs(),
                          {getLhsIndicesAttrName(), getRhsIndicesAttrName(),
                           getResultIndicesAttrName()});
  p << " : ";
  p.printFunctionalType(*this);
}

LogicalResult ContractOp::verify() {
  return verifyIndexedContraction(*this, {getLhs(), getRhs()},
                                  {getLhsIndices(), getRhsIndices()},
                                  getResultIndices(), getType());
}

//===----------------------------------------------------------------------===//
// Decompositions (tn.svd, tn.qr)
//===----------------------------------------------------------------------===//

static int64_t saturatingMul(int64_t a, int64_t b) {
  if (a != 0 && b > std::numeric_limits<int64_t>::max() / a)
    return std::numeric_limits<int64_t>::max();
  return a * b;
}

int64_t SVDOp::computeMaxRank(int64_t leftSize, int64_t rightSize,
                              int64_t maxRankLimit) {
  int64_t rank = std::min(leftSize, rightSize);
  if (maxRankLimit > 0)
    rank = std::min(rank, maxRankLimit);
  return rank;
}

/// The bond of a split: the one name of `leftList` that is not an input
/// index (null if there is not exactly one).
static StringAttr findBond(ArrayAttr inputList, ArrayAttr leftList) {
  llvm::SmallDenseSet<Attribute, 8> inputs(inputList.begin(), inputList.end());
  StringAttr bond;
  for (Attribute a : leftList) {
    if (inputs.contains(a))
      continue;
    if (bond && bond != a)
      return {};
    bond = cast<StringAttr>(a);
  }
  return bond;
}

namespace {
/// What a split op tells the shared verifier.
struct SplitSpec {
  RankedTensorType inputType;
  ArrayAttr inputList, leftList, rightList;
  RankedTensorType leftType, rightType;
  StringRef leftName, rightName; // "U"/"V" or "Q"/"R"
  int64_t maxRankLimit;          // 0: none
};
} // namespace

/// Verifies the index lists and factor types of a split; returns the bond
/// extent (the maximum rank) in `bondExtent`.
static LogicalResult verifySplit(Operation *op, const SplitSpec &spec,
                                 int64_t &bondExtent) {
  RankedTensorType inputType = spec.inputType;
  if (!inputType.hasStaticShape())
    return op->emitOpError("input must have a static shape, got ")
           << inputType;
  if (static_cast<int64_t>(spec.inputList.size()) != inputType.getRank())
    return op->emitOpError("input has rank ")
           << inputType.getRank() << " but its index list has "
           << spec.inputList.size() << " name(s)";
  llvm::DenseMap<StringAttr, int64_t> extents;
  for (auto [dim, attr] : llvm::enumerate(spec.inputList)) {
    auto name = cast<StringAttr>(attr);
    if (name.getValue().empty())
      return op->emitOpError("index names must be non-empty");
    if (!extents.try_emplace(name, inputType.getDimSize(dim)).second)
      return op->emitOpError("input index ")
             << quoteName(name)
             << " is repeated; decompositions do not take traces";
  }

  // The bond: exactly one new name in each factor list, the same one.
  auto newNames = [&](ArrayAttr list) {
    SmallVector<StringAttr> names;
    for (Attribute a : list) {
      auto name = cast<StringAttr>(a);
      if (!extents.contains(name) && !llvm::is_contained(names, name))
        names.push_back(name);
    }
    return names;
  };
  SmallVector<StringAttr> leftNew = newNames(spec.leftList);
  SmallVector<StringAttr> rightNew = newNames(spec.rightList);
  for (auto [side, names] :
       {std::make_pair(spec.leftName, &leftNew),
        std::make_pair(spec.rightName, &rightNew)}) {
    if (names->size() != 1) {
      auto diag = op->emitOpError("the ")
                  << side
                  << " index list must hold exactly one index that is not an "
                     "input index (the new bond), found "
                  << names->size();
      if (!names->empty()) {
        diag << ": ";
        llvm::interleaveComma(*names, diag, [&](StringAttr n) {
          diag << quoteName(n);
        });
      }
      return diag;
    }
  }
  StringAttr bond = leftNew.front();
  if (rightNew.front() != bond)
    return op->emitOpError("the ")
           << spec.leftName << " and " << spec.rightName
           << " index lists must share the new bond index, but "
           << spec.leftName << " has " << quoteName(bond) << " and "
           << spec.rightName << " has " << quoteName(rightNew.front());

  // The bipartition: every input index in exactly one factor, once.
  llvm::DenseMap<StringAttr, StringRef> side;
  int64_t leftSize = 1, rightSize = 1;
  for (auto [sideName, list, size] :
       {std::make_tuple(spec.leftName, spec.leftList, &leftSize),
        std::make_tuple(spec.rightName, spec.rightList, &rightSize)}) {
    bool sawBond = false;
    for (Attribute a : list) {
      auto name = cast<StringAttr>(a);
      if (name == bond) {
        if (sawBond)
          return op->emitOpError("bond index ")
                 << quoteName(bond) << " appears more than once in the "
                 << sideName << " index list";
        sawBond = true;
        continue;
      }
      auto [it, inserted] = side.try_emplace(name, sideName);
      if (!inserted) {
        if (it->second == sideName)
          return op->emitOpError("input index ")
                 << quoteName(name) << " appears more than once in the "
                 << sideName << " index list";
        return op->emitOpError("input index ")
               << quoteName(name) << " appears in both the " << spec.leftName
               << " and the " << spec.rightName
               << " index lists; the two sides must be a bipartition";
      }
      *size = saturatingMul(*size, extents.lookup(name));
    }
  }
  for (Attribute a : spec.inputList)
    if (!side.contains(cast<StringAttr>(a)))
      return op->emitOpError("input index ")
             << quoteName(cast<StringAttr>(a)) << " appears in neither the "
             << spec.leftName << " nor the " << spec.rightName
             << " index list; the two sides must cover every input index";

  bondExtent = SVDOp::computeMaxRank(leftSize, rightSize, spec.maxRankLimit);
  extents[bond] = bondExtent;

  // Factor types.
  for (auto [sideName, list, type] :
       {std::make_tuple(spec.leftName, spec.leftList, spec.leftType),
        std::make_tuple(spec.rightName, spec.rightList, spec.rightType)}) {
    if (type.getElementType() != inputType.getElementType())
      return op->emitOpError("factor ")
             << sideName << " has element type " << type.getElementType()
             << " but the input has " << inputType.getElementType();
    if (static_cast<int64_t>(list.size()) != type.getRank())
      return op->emitOpError("factor ")
             << sideName << " has rank " << type.getRank()
             << " but its index list has " << list.size() << " name(s)";
    for (auto [dim, attr] : llvm::enumerate(list)) {
      auto name = cast<StringAttr>(attr);
      int64_t expected = extents.lookup(name);
      if (type.getDimSize(dim) != expected) {
        auto diag = op->emitOpError("factor ")
                    << sideName << " dimension #" << dim << " (index "
                    << quoteName(name) << ") has extent ";
        if (ShapedType::isDynamic(type.getDimSize(dim)))
          diag << "?";
        else
          diag << type.getDimSize(dim);
        diag << " but expected " << expected;
        if (name == bond)
          diag << " (the maximum rank: min(" << leftSize << ", " << rightSize
               << (spec.maxRankLimit > 0
                       ? ", max_rank " + std::to_string(spec.maxRankLimit)
                       : std::string())
               << "))";
        return diag;
      }
    }
  }
  return success();
}

/// Parses `%x[idx...] -> [left...], [right...] attr-dict : type -> (types)`.
static ParseResult parseSplit(OpAsmParser &parser, OperationState &result,
                              StringRef inputAttr, StringRef leftAttr,
                              StringRef rightAttr) {
  OpAsmParser::UnresolvedOperand input;
  ArrayAttr inputList, leftList, rightList;
  Type inputType;
  if (parser.parseOperand(input) || parseIndexList(parser, inputList) ||
      parser.parseArrow() || parseIndexList(parser, leftList) ||
      parser.parseComma() || parseIndexList(parser, rightList) ||
      parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColonType(inputType) ||
      parser.parseArrowTypeList(result.types) ||
      parser.resolveOperand(input, inputType, result.operands))
    return failure();
  result.addAttribute(inputAttr, inputList);
  result.addAttribute(leftAttr, leftList);
  result.addAttribute(rightAttr, rightList);
  return success();
}

static void printSplit(OpAsmPrinter &p, Operation *op, Value input,
                       ArrayAttr inputList, ArrayAttr leftList,
                       ArrayAttr rightList, ArrayRef<StringRef> elided) {
  p << ' ';
  p.printOperand(input);
  printIndexList(p, inputList);
  p << " -> ";
  printIndexList(p, leftList);
  p << ", ";
  printIndexList(p, rightList);
  p.printOptionalAttrDict(op->getAttrs(), elided);
  p << " : " << input.getType();
  p.printArrowTypeList(op->getResultTypes());
}

StringAttr SVDOp::getBondIndex() {
  return findBond(getInputIndices(), getLeftIndices());
}

ParseResult SVDOp::parse(OpAsmParser &parser, OperationState &result) {
  SMLoc loc = parser.getCurrentLocation();
  if (parseSplit(parser, result, getInputIndicesAttrName(result.name),
                 getLeftIndicesAttrName(result.name),
                 getRightIndicesAttrName(result.name)))
    return failure();
  return verifyParsedAttrs<SVDOp>(parser, result, loc);
}

void SVDOp::print(OpAsmPrinter &p) {
  SmallVector<StringRef> elided = {getInputIndicesAttrName(),
                                   getLeftIndicesAttrName(),
                                   getRightIndicesAttrName()};
  // The default rule prints as nothing.
  if (getTruncAttr() == TruncationAttr::get(getContext()))
    elided.push_back(getTruncAttrName());
  printSplit(p, *this, getInput(), getInputIndices(), getLeftIndices(),
             getRightIndices(), elided);
}

LogicalResult SVDOp::verify() {
  int64_t bondExtent;
  SplitSpec spec{getInput().getType(), getInputIndices(), getLeftIndices(),
                 getRightIndices(),    getU().getType(),  getV().getType(),
                 "U",                  "V",               getTruncation().getMaxRank()};
  if (failed(verifySplit(*this, spec, bondExtent)))
    return failure();
  Type real = getRealElementType(getInput().getType().getElementType());
  auto sType = getS().getType();
  if (sType.getElementType() != real)
    return emitOpError("singular values must have the real element type ")
           << real << ", got " << sType.getElementType();
  if (sType.getDimSize(0) != bondExtent)
    return emitOpError("singular values must have the maximum rank ")
           << bondExtent << " as their extent, got " << sType;
  if (getDiscarded().getType() != real)
    return emitOpError("the discarded weight must have the real element type ")
           << real << ", got " << getDiscarded().getType();
  return success();
}

StringAttr QROp::getBondIndex() {
  return findBond(getInputIndices(), getLeftIndices());
}

ParseResult QROp::parse(OpAsmParser &parser, OperationState &result) {
  SMLoc loc = parser.getCurrentLocation();
  if (parseSplit(parser, result, getInputIndicesAttrName(result.name),
                 getLeftIndicesAttrName(result.name),
                 getRightIndicesAttrName(result.name)))
    return failure();
  return verifyParsedAttrs<QROp>(parser, result, loc);
}

void QROp::print(OpAsmPrinter &p) {
  printSplit(p, *this, getInput(), getInputIndices(), getLeftIndices(),
             getRightIndices(),
             {getInputIndicesAttrName(), getLeftIndicesAttrName(),
              getRightIndicesAttrName()});
}

LogicalResult QROp::verify() {
  int64_t bondExtent;
  SplitSpec spec{getInput().getType(), getInputIndices(), getLeftIndices(),
                 getRightIndices(),    getQ().getType(),  getR().getType(),
                 "Q",                  "R",               0};
  return verifySplit(*this, spec, bondExtent);
}

//===----------------------------------------------------------------------===//
// EntropyOp
//===----------------------------------------------------------------------===//

LogicalResult EntropyOp::verify() {
  double order = getOrder().convertToDouble();
  if (std::isnan(order) || order <= 0)
    return emitOpError("order must be positive (1 for von Neumann, inf for "
                       "the min-entropy), got ")
           << order;
  if (std::optional<APFloat> base = getBase()) {
    double b = base->convertToDouble();
    if (!std::isfinite(b) || b <= 0 || b == 1)
      return emitOpError("log base must be finite, positive and not 1, got ")
             << b;
  }
  if (getResult().getType() != getSpectrum().getType().getElementType())
    return emitOpError("result type ")
           << getResult().getType()
           << " must be the element type of the spectrum, "
           << getSpectrum().getType().getElementType();
  return success();
}

#define GET_OP_CLASSES
#include "tn/Dialect/TN/IR/TNOps.cpp.inc"
