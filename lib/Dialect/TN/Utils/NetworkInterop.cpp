//===- NetworkInterop.cpp - tnc::Network <-> tn dialect -------------------===//

#include "tn/Dialect/TN/Utils/NetworkInterop.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::tn;

Type mlir::tn::getMLIRElementType(MLIRContext *ctx, tnc::ElementType type) {
  Builder b(ctx);
  switch (type) {
  case tnc::ElementType::F16:
    return b.getF16Type();
  case tnc::ElementType::BF16:
    return b.getBF16Type();
  case tnc::ElementType::F32:
    return b.getF32Type();
  case tnc::ElementType::F64:
    return b.getF64Type();
  case tnc::ElementType::Complex64:
    return ComplexType::get(b.getF32Type());
  case tnc::ElementType::Complex128:
    return ComplexType::get(b.getF64Type());
  }
  return {};
}

std::optional<tnc::ElementType> mlir::tn::getNetworkElementType(Type type) {
  if (type.isF16())
    return tnc::ElementType::F16;
  if (type.isBF16())
    return tnc::ElementType::BF16;
  if (type.isF32())
    return tnc::ElementType::F32;
  if (type.isF64())
    return tnc::ElementType::F64;
  if (auto complex = dyn_cast<ComplexType>(type)) {
    if (complex.getElementType().isF32())
      return tnc::ElementType::Complex64;
    if (complex.getElementType().isF64())
      return tnc::ElementType::Complex128;
  }
  return std::nullopt;
}

func::FuncOp mlir::tn::buildNetworkFunc(OpBuilder &builder, Location loc,
                                        const tnc::Network &net) {
  MLIRContext *ctx = builder.getContext();
  Type elementType = getMLIRElementType(ctx, net.dtype);
  SmallVector<StringAttr> names;
  names.reserve(net.numIndices());
  for (int i = 0; i < net.numIndices(); ++i)
    names.push_back(builder.getStringAttr(net.indexName(i)));

  SmallVector<Type> inputTypes;
  SmallVector<SmallVector<StringAttr>> operandIndices;
  for (int t = 0; t < net.numTensors(); ++t) {
    inputTypes.push_back(RankedTensorType::get(net.shape(t), elementType));
    SmallVector<StringAttr> list;
    for (int id : net.tensorIndices(t))
      list.push_back(names[id]);
    operandIndices.push_back(std::move(list));
  }
  SmallVector<int64_t> resultShape;
  SmallVector<StringAttr> resultIndices;
  for (int id : net.output()) {
    resultShape.push_back(net.extent(id));
    resultIndices.push_back(names[id]);
  }
  auto resultType = RankedTensorType::get(resultShape, elementType);

  auto func = func::FuncOp::create(
      builder, loc, net.name, builder.getFunctionType(inputTypes, resultType));
  Block *body = func.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(body);
  auto network = NetworkOp::create(builder, loc, resultType,
                                   body->getArguments(), operandIndices,
                                   resultIndices);
  func::ReturnOp::create(builder, loc, network.getResult());
  return func;
}

tnc::Network mlir::tn::getNetwork(NetworkOp op) {
  tnc::Network net;
  if (auto func = op->getParentOfType<func::FuncOp>())
    net.name = func.getSymName().str();
  Type elementType = getElementTypeOrSelf(op.getInputs().front().getType());
  net.dtype = getNetworkElementType(elementType).value_or(tnc::ElementType::F32);
  llvm::DenseMap<StringAttr, int> ids;
  auto idOf = [&](StringAttr name, int64_t extent) {
    auto it = ids.find(name);
    if (it != ids.end())
      return it->second;
    int id = net.addIndex(name.getValue(), extent);
    ids[name] = id;
    return id;
  };
  for (auto [operand, listAttr] :
       llvm::zip(op.getInputs(), op.getOperandIndices())) {
    auto type = cast<RankedTensorType>(operand.getType());
    std::vector<int> tensorIds;
    for (auto [dim, name] : llvm::enumerate(cast<ArrayAttr>(listAttr)))
      tensorIds.push_back(idOf(cast<StringAttr>(name), type.getDimSize(dim)));
    net.addTensor(std::move(tensorIds));
  }
  std::vector<int> output;
  for (auto [dim, name] : llvm::enumerate(op.getResultIndices()))
    output.push_back(
        idOf(cast<StringAttr>(name), op.getType().getDimSize(dim)));
  net.setOutput(std::move(output));
  return net;
}
