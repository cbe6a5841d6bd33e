//===- CABI.cpp - The plain C entry points of compiled networks -----------===//
//
// tn-prepare-c-abi records each entry point's tensor signature before
// bufferization; tn-lower-c-abi, on the LLVM dialect, adds
//   int32_t tn_<name>(const T *in0, ..., T *out0, ...)
// which passes dense row-major arrays to the kernel as memref descriptors.
//
//===----------------------------------------------------------------------===//

#include "tn/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::tn {
#define GEN_PASS_DEF_TNPREPARECABI
#define GEN_PASS_DEF_TNLOWERCABI
#include "tn/Conversion/Passes.h.inc"
} // namespace mlir::tn

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kInputs = "tn.c_abi_inputs";
constexpr llvm::StringLiteral kResults = "tn.c_abi_results";

bool supportedElement(Type t) {
  if (auto c = dyn_cast<ComplexType>(t))
    t = c.getElementType();
  return t.isF16() || t.isBF16() || t.isF32() || t.isF64();
}

struct PrepareCABI : public tn::impl::TNPrepareCABIBase<PrepareCABI> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool failedAny = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      auto check = [&](Type t, const char *what, unsigned i) {
        auto tensor = dyn_cast<RankedTensorType>(t);
        if (tensor && tensor.hasStaticShape() &&
            supportedElement(tensor.getElementType()))
          return true;
        func.emitError() << "entry point @" << func.getSymName() << ": " << what
                         << " #" << i << " has type " << t
                         << "; the C ABI takes statically shaped tensors of "
                            "f16, bf16, f32, f64, complex<f32> or complex<f64>";
        failedAny = true;
        return false;
      };
      SmallVector<Attribute> inputs, results;
      FunctionType type = func.getFunctionType();
      bool ok = true;
      for (auto [i, t] : llvm::enumerate(type.getInputs())) {
        ok &= check(t, "argument", i);
        inputs.push_back(TypeAttr::get(t));
      }
      // A trailing i32 is the status of the runtime calls (see
      // convert-tn-to-linalg); the C entry point returns it.
      ArrayRef<Type> resultTypes = type.getResults();
      if (!resultTypes.empty() && resultTypes.back().isInteger(32))
        resultTypes = resultTypes.drop_back();
      for (auto [i, t] : llvm::enumerate(resultTypes)) {
        ok &= check(t, "result", i);
        results.push_back(TypeAttr::get(t));
      }
      if (resultTypes.empty()) {
        func.emitError() << "entry point @" << func.getSymName()
                         << " returns nothing";
        failedAny = true;
        continue;
      }
      if (!ok)
        continue;
      OpBuilder b(func);
      func->setAttr("llvm.emit_c_interface", b.getUnitAttr());
      func->setAttr(kInputs, b.getArrayAttr(inputs));
      func->setAttr(kResults, b.getArrayAttr(results));
    }
    if (failedAny)
      signalPassFailure();
  }
};

struct LowerCABI : public tn::impl::TNLowerCABIBase<LowerCABI> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LLVM::LLVMFuncOp> kernels;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      // The _mlir_ciface_ wrappers carry the kernel's attributes too.
      if (func->hasAttr(kInputs) && !func.isExternal() &&
          !func.getSymName().starts_with("_mlir_ciface_"))
        kernels.push_back(func);
    for (LLVM::LLVMFuncOp kernel : kernels)
      if (failed(lower(kernel)))
        return signalPassFailure();
  }

  LogicalResult lower(LLVM::LLVMFuncOp kernel) {
    MLIRContext *ctx = &getContext();
    auto inputs = kernel->getAttrOfType<ArrayAttr>(kInputs);
    auto results = kernel->getAttrOfType<ArrayAttr>(kResults);
    if (!inputs || !results)
      return kernel.emitError("malformed ") << kInputs << "/" << kResults;
    SmallVector<RankedTensorType> arrays;
    for (ArrayAttr list : {inputs, results})
      for (Attribute a : list) {
        auto t = dyn_cast<TypeAttr>(a);
        auto tensor = t ? dyn_cast<RankedTensorType>(t.getValue()) : nullptr;
        if (!tensor || !tensor.hasStaticShape())
          return kernel.emitError("malformed ") << kInputs << " entry " << a;
        arrays.push_back(tensor);
      }
    // The kernel takes each array as (allocated, aligned, offset, sizes...,
    // strides...), inputs first, then the out-parameters.
    LLVM::LLVMFunctionType kernelType = kernel.getFunctionType();
    unsigned expected = 0;
    for (RankedTensorType t : arrays)
      expected += 3 + 2 * t.getRank();
    if (kernelType.getNumParams() != expected)
      return kernel.emitError("tn-lower-c-abi: @")
             << kernel.getSymName() << " takes " << kernelType.getNumParams()
             << " parameters, expected " << expected
             << " (a memref descriptor per input and output; were the results "
                "turned into out-parameters?)";
    Type i32 = IntegerType::get(ctx, 32), i64 = IntegerType::get(ctx, 64);
    Type returned = kernelType.getReturnType();
    bool hasStatus = !isa<LLVM::LLVMVoidType>(returned);
    if (hasStatus && returned != i32)
      return kernel.emitError("tn-lower-c-abi: @")
             << kernel.getSymName() << " returns " << returned
             << "; expected nothing or an i32 status";

    std::string name = ("tn_" + kernel.getSymName()).str();
    auto module = getOperation();
    if (module.lookupSymbol(name))
      return kernel.emitError("tn-lower-c-abi: symbol @")
             << name << " already exists";
    OpBuilder b(ctx);
    b.setInsertionPointAfter(kernel);
    Location loc = kernel.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    SmallVector<Type> params(arrays.size(), ptr);
    auto wrapper = LLVM::LLVMFuncOp::create(
        b, loc, name, LLVM::LLVMFunctionType::get(i32, params));
    Block *entry = wrapper.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    auto constant = [&](int64_t v) -> Value {
      return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
    };
    SmallVector<Value> args;
    for (auto [i, t] : llvm::enumerate(arrays)) {
      Value p = entry->getArgument(i);
      args.push_back(p);
      args.push_back(p);
      args.push_back(constant(0));
      for (int64_t d : t.getShape())
        args.push_back(constant(d));
      int64_t stride = 1;
      SmallVector<int64_t> strides(t.getRank());
      for (int64_t d = t.getRank() - 1; d >= 0; --d) {
        strides[d] = stride;
        stride *= t.getDimSize(d);
      }
      for (int64_t s : strides)
        args.push_back(constant(s));
    }
    auto call = LLVM::CallOp::create(b, loc, kernel, args);
    Value status = hasStatus ? call.getResult()
                             : LLVM::ConstantOp::create(b, loc, i32,
                                                        b.getI32IntegerAttr(0))
                                   .getResult();
    LLVM::ReturnOp::create(b, loc, status);
    // Callers use tn_<name> or _mlir_ciface_<name>; the kernel's own
    // expanded-descriptor symbol stays inside the object or library.
    kernel.setVisibility_(LLVM::Visibility::Hidden);
    return success();
  }
};

} // namespace
