//===- EmitCPU.cpp - Objects, shared libraries and C headers --------------===//
//
// The last step of the CPU flow: a module in the LLVM dialect (from
// tn-cpu-pipeline) becomes LLVM IR, is optimized for the target and emitted
// as an object; --emit-shared-library links that object with tnc's runtime
// through the system compiler driver; --emit-c-header declares the entry
// points recorded by tn-prepare-c-abi.
//
//===----------------------------------------------------------------------===//

#include "tn/Target/Translations.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Transforms/Utils/SplitModule.h"

#include <map>
#include <mutex>
#include <atomic>
#include <set>
#include <thread>

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kInputs = "tn.c_abi_inputs";
constexpr llvm::StringLiteral kResults = "tn.c_abi_results";

void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
  });
}

/// The target machine for `options` (the host unless a triple is given).
std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const tn::CPUTargetOptions &options, Location loc) {
  initializeTargets();
  llvm::Triple triple(options.triple.empty() ? llvm::sys::getDefaultTargetTriple()
                                             : options.triple);
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    emitError(loc) << "unknown target triple '" << triple.str() << "': " << error;
    return nullptr;
  }
  bool host = options.cpu == "host";
  if (host && !options.triple.empty() &&
      triple.getArch() != llvm::Triple(llvm::sys::getDefaultTargetTriple()).getArch()) {
    emitError(loc) << "--target-cpu=host with a foreign --target-triple '"
                   << triple.str() << "': name the CPU (e.g. generic)";
    return nullptr;
  }
  std::string cpu = host ? llvm::sys::getHostCPUName().str() : options.cpu;
  SmallVector<std::string> features;
  if (host)
    for (const auto &f : llvm::sys::getHostCPUFeatures())
      features.push_back((f.second ? "+" : "-") + f.first().str());
  if (!options.features.empty())
    features.push_back(options.features);
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, llvm::join(features, ","), targetOptions, llvm::Reloc::PIC_,
      std::nullopt,
      options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
      : options.optLevel == 0 ? llvm::CodeGenOptLevel::None
                              : llvm::CodeGenOptLevel::Default));
  if (!tm)
    emitError(loc) << "cannot create a target machine for '" << triple.str()
                   << "' cpu '" << cpu << "'";
  return tm;
}

/// Emits the (optimized) module `m` as an object into `buffer`. Returns an
/// error message, or an empty string.
std::string emitObjectFile(llvm::Module &m, llvm::TargetMachine &tm,
                           SmallVectorImpl<char> &buffer) {
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, stream, nullptr,
                             llvm::CodeGenFileType::ObjectFile))
    return "the target cannot emit object files";
  pm.run(m);
  return "";
}

/// Pieces a module is split into for parallel code generation: fixed, so
/// that the library's bytes do not depend on the build machine's cores.
constexpr unsigned kCodegenPieces = 8;

/// Translates, optimizes and emits `module` as objects, one per entry of
/// `buffers` on return; collects the external functions they call into
/// `externals`. The whole module is optimized first (internal kernels keep
/// their shrunk signatures and inlining decisions); with `threads` > 1 it is
/// then split by function into up to kCodegenPieces pieces (llvm::SplitModule,
/// local symbols externalized as hidden), compiled on `threads` threads,
/// each piece in an LLVM context of its own: LLVM's back end dominates the
/// build of a network's many kernels.
LogicalResult emitObjects(ModuleOp module, const tn::CPUTargetOptions &options,
                          unsigned threads,
                          SmallVectorImpl<SmallVector<char, 0>> &buffers,
                          std::set<std::string> &externals) {
  Location loc = module.getLoc();
  if (!module.getOps<func::FuncOp>().empty())
    return emitError(loc) << "the module is not lowered to the LLVM dialect "
                             "(run tn-opt --tn-cpu-pipeline first)";
  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(options, loc);
  if (!tm)
    return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "tnc");
  if (!llvmModule)
    return emitError(loc) << "cannot translate the module to LLVM IR";
  llvmModule->setTargetTriple(tm->getTargetTriple());
  llvmModule->setDataLayout(tm->createDataLayout());
  auto optimize = makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0,
                                            tm.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return emitError(loc) << "LLVM optimization failed: "
                          << llvm::toString(std::move(err));
  unsigned defined = 0;
  for (llvm::Function &f : *llvmModule) {
    defined += !f.isDeclaration();
    if (f.isDeclaration() && !f.isIntrinsic())
      externals.insert(f.getName().str());
  }
  unsigned pieces = threads > 1 ? std::min(kCodegenPieces, defined) : 1;
  if (pieces <= 1) {
    buffers.resize(1);
    std::string error = emitObjectFile(*llvmModule, *tm, buffers[0]);
    if (!error.empty())
      return emitError(loc) << error;
    return success();
  }

  // Split, and carry each piece to its thread as bitcode.
  std::vector<SmallVector<char, 0>> bitcode;
  llvm::SplitModule(*llvmModule, pieces, [&](std::unique_ptr<llvm::Module> part) {
    bitcode.emplace_back();
    llvm::raw_svector_ostream out(bitcode.back());
    llvm::WriteBitcodeToFile(*part, out);
  });
  // Target machines are made here (making one may report a diagnostic), one
  // per worker: a TargetMachine is not shared between threads.
  unsigned workers = std::min<unsigned>(threads, bitcode.size());
  std::vector<std::unique_ptr<llvm::TargetMachine>> machines;
  machines.push_back(std::move(tm));
  while (machines.size() < workers) {
    machines.push_back(createTargetMachine(options, loc));
    if (!machines.back())
      return failure();
  }
  buffers.resize(bitcode.size());
  std::vector<std::string> errors(bitcode.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      for (size_t i; (i = next.fetch_add(1)) < bitcode.size();) {
        llvm::LLVMContext partContext;
        llvm::Expected<std::unique_ptr<llvm::Module>> part =
            llvm::parseBitcodeFile(
                llvm::MemoryBufferRef(
                    StringRef(bitcode[i].data(), bitcode[i].size()), "tnc-part"),
                partContext);
        if (!part) {
          errors[i] = "cannot read a split module back: " +
                      llvm::toString(part.takeError());
          continue;
        }
        errors[i] = emitObjectFile(**part, *machines[w], buffers[i]);
      }
    });
  for (std::thread &t : pool)
    t.join();
  for (const std::string &error : errors)
    if (!error.empty())
      return emitError(loc) << error;
  return success();
}

std::string defaultRuntimeDir() {
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  SmallString<256> dir(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(dir, "..", "lib");
  return std::string(dir);
}

/// A temporary file removed when this goes out of scope.
struct TempFile {
  SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

//===----------------------------------------------------------------------===//
// C header
//===----------------------------------------------------------------------===//

struct CType {
  std::string name;    // element type in C
  std::string suffix;  // for descriptor struct names
  std::string comment; // what the bits mean, if not obvious
};

std::optional<CType> cTypeOf(Type t) {
  if (t.isF32())
    return CType{"float", "f32", ""};
  if (t.isF64())
    return CType{"double", "f64", ""};
  if (t.isBF16())
    return CType{"uint16_t", "bf16", "bfloat16 bit patterns"};
  if (t.isF16())
    return CType{"uint16_t", "f16", "IEEE half-precision bit patterns"};
  if (auto c = dyn_cast<ComplexType>(t)) {
    if (c.getElementType().isF32())
      return CType{"tn_complex64", "c64", ""};
    if (c.getElementType().isF64())
      return CType{"tn_complex128", "c128", ""};
  }
  return std::nullopt;
}

std::string upper(StringRef s) {
  std::string out;
  for (char c : s)
    out.push_back(llvm::isAlnum(c) ? llvm::toUpper(c) : '_');
  return out;
}

} // namespace

LogicalResult mlir::tn::emitObject(ModuleOp module, llvm::raw_ostream &os,
                                   const CPUTargetOptions &options) {
  SmallVector<SmallVector<char, 0>> buffers;
  std::set<std::string> externals;
  if (failed(emitObjects(module, options, /*threads=*/1, buffers, externals)))
    return failure();
  os.write(buffers[0].data(), buffers[0].size());
  return success();
}

LogicalResult mlir::tn::emitSharedLibrary(ModuleOp module, llvm::raw_ostream &os,
                                          const CPUTargetOptions &options) {
  Location loc = module.getLoc();
  SmallVector<SmallVector<char, 0>> buffers;
  std::set<std::string> externals;
  unsigned threads = options.codegenThreads > 0
                         ? options.codegenThreads
                         : std::max(1u, std::thread::hardware_concurrency());
  if (failed(emitObjects(module, options, threads, buffers, externals)))
    return failure();
  std::vector<TempFile> objects(buffers.size());
  TempFile library;
  for (auto [object, buffer] : llvm::zip(objects, buffers)) {
    int fd;
    if (llvm::sys::fs::createTemporaryFile("tnc", "o", fd, object.path))
      return emitError(loc) << "cannot create a temporary file";
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out.write(buffer.data(), buffer.size());
    out.close();
    if (out.has_error())
      return emitError(loc) << "cannot write " << object.path << ": "
                            << out.error().message();
  }
  if (llvm::sys::fs::createTemporaryFile("tnc", "so", library.path))
    return emitError(loc) << "cannot create a temporary file";

  auto linker = llvm::sys::findProgramByName(options.linker);
  if (!linker)
    return emitError(loc) << "cannot find the linker driver '" << options.linker
                          << "' on PATH (--linker)";
  std::vector<std::string> args = {*linker, "-shared", "-o", library.path.str().str()};
  for (const TempFile &object : objects)
    args.push_back(object.path.str().str());
  bool runtime = false, openmp = false, runnerUtils = false;
  for (const std::string &name : externals) {
    StringRef n(name);
    runtime |= n.starts_with("_mlir_ciface_tnc_") || n.starts_with("tnc_") ||
               n.starts_with("_mlir_memref_to_llvm_");
    openmp |= n.starts_with("__kmpc_") || n.starts_with("omp_");
    runnerUtils |= n == "memrefCopy";
  }
  if (runtime) {
    std::string dir = options.runtimeDir.empty() ? defaultRuntimeDir()
                                                 : options.runtimeDir;
    SmallString<256> archive(dir);
    llvm::sys::path::append(archive, "libtnc_runtime.a");
    if (!llvm::sys::fs::exists(archive))
      return emitError(loc) << "the module calls tnc's runtime but "
                            << archive << " does not exist (--tnc-runtime-dir)";
    args.push_back(std::string(archive));
    // The runtime's symbols stay inside the library: two tnc libraries in
    // one process each use their own copy.
    args.push_back("-Wl,--exclude-libs,libtnc_runtime.a");
    args.push_back("-llapacke");
    args.push_back("-lopenblas");
  }
  if (openmp || runnerUtils) {
    args.push_back("-L" LLVM_LIBRARY_DIR);
    args.push_back("-Wl,-rpath," LLVM_LIBRARY_DIR);
  }
  if (openmp)
    args.push_back("-lomp");
  if (runnerUtils)
    args.push_back("-lmlir_c_runner_utils");
  args.push_back("-lm");
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  TempFile log;
  if (llvm::sys::fs::createTemporaryFile("tnc", "log", log.path))
    return emitError(loc) << "cannot create a temporary file";
  std::optional<StringRef> redirects[] = {std::nullopt, log.path.str(),
                                          log.path.str()};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(*linker, argRefs, std::nullopt, redirects,
                                     /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                     &error);
  if (rc != 0) {
    auto text = llvm::MemoryBuffer::getFile(log.path);
    InFlightDiagnostic diag = emitError(loc) << "linking the shared library failed";
    if (!error.empty())
      diag << ": " << error;
    diag << " (" << llvm::join(args, " ") << ")";
    if (text)
      diag << ":\n" << (*text)->getBuffer();
    return diag;
  }
  auto bytes = llvm::MemoryBuffer::getFile(library.path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
  if (!bytes)
    return emitError(loc) << "cannot read the linked library back";
  os << (*bytes)->getBuffer();
  return success();
}

LogicalResult mlir::tn::emitCHeader(ModuleOp module, llvm::raw_ostream &os) {
  struct Entry {
    std::string name;
    SmallVector<RankedTensorType> inputs, outputs;
    bool status;
  };
  SmallVector<Entry> entries;
  for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
    if (func.getSymName().starts_with("_mlir_ciface_") || func.isExternal())
      continue;
    auto in = func->getAttrOfType<ArrayAttr>(kInputs);
    auto out = func->getAttrOfType<ArrayAttr>(kResults);
    if (!in || !out)
      continue;
    Entry e;
    e.name = func.getSymName().str();
    e.status = !isa<LLVM::LLVMVoidType>(func.getFunctionType().getReturnType());
    for (auto [list, target] : {std::pair{in, &e.inputs}, {out, &e.outputs}})
      for (Attribute a : list) {
        auto t = dyn_cast<TypeAttr>(a);
        auto tensor = t ? dyn_cast<RankedTensorType>(t.getValue()) : nullptr;
        if (!tensor || !cTypeOf(tensor.getElementType()))
          return func.emitError("malformed ") << kInputs << " entry " << a;
        target->push_back(tensor);
      }
    entries.push_back(std::move(e));
  }
  if (entries.empty())
    return emitError(module.getLoc())
           << "no entry points: run tn-opt --tn-cpu-pipeline (which marks them "
              "with tn-prepare-c-abi) first";

  std::string guard = "TNC_" + upper(entries.front().name) + "_H";
  os << "/* Generated by tnc (tn-translate --emit-c-header). Do not edit. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  // Shared definitions, guarded so that several headers can be included.
  os << "#ifndef TNC_COMMON_TYPES\n#define TNC_COMMON_TYPES\n"
     << "/* Complex numbers: layout-compatible with C99 float _Complex /\n"
     << "   double _Complex and C++ std::complex<float> / std::complex<double>. */\n"
     << "typedef struct { float re, im; } tn_complex64;\n"
     << "typedef struct { double re, im; } tn_complex128;\n"
     << "/* Status codes returned by the entry points. */\n"
     << "enum { TN_OK = 0 };\n#endif\n\n";
  // (type suffix, rank) -> C element type, one descriptor struct each.
  std::map<std::pair<std::string, int64_t>, std::string> descriptors;
  for (const Entry &e : entries)
    for (const auto *list : {&e.inputs, &e.outputs})
      for (RankedTensorType t : *list) {
        CType c = *cTypeOf(t.getElementType());
        descriptors[{c.suffix, t.getRank()}] = c.name;
      }
  for (const auto &[key, element] : descriptors) {
    const auto &[suffix, rank] = key;
    std::string name = "tn_memref_" + suffix + "_" + std::to_string(rank) + "d";
    os << "#ifndef TNC_DEFINED_" << upper(name) << "\n#define TNC_DEFINED_"
       << upper(name) << "\n/* An MLIR memref descriptor (_mlir_ciface_ convention). */\n"
       << "typedef struct {\n  " << element << " *allocated;\n  " << element
       << " *aligned;\n  int64_t offset;\n";
    if (rank > 0)
      os << "  int64_t sizes[" << rank << "];\n  int64_t strides[" << rank << "];\n";
    os << "} " << name << ";\n#endif\n\n";
  }
  for (const Entry &e : entries) {
    std::string macro = "TN_" + upper(e.name);
    auto describe = [&](RankedTensorType t) {
      std::string s = cTypeOf(t.getElementType())->name;
      for (int64_t d : t.getShape())
        s += "[" + std::to_string(d) + "]";
      if (t.getRank() == 0)
        s += " (a scalar)";
      std::string c = cTypeOf(t.getElementType())->comment;
      if (!c.empty())
        s += ", " + c;
      return s;
    };
    os << "/* Network \"" << e.name << "\". Dense row-major arrays:\n";
    for (auto [i, t] : llvm::enumerate(e.inputs))
      os << " *   in" << i << ": " << describe(t) << "\n";
    for (auto [i, t] : llvm::enumerate(e.outputs))
      os << " *   out" << i << ": " << describe(t) << " (written)\n";
    os << " * Returns TN_OK (0) on success, another status on failure. */\n";
    for (auto [i, t] : llvm::enumerate(e.inputs))
      os << "#define " << macro << "_IN" << i << "_ELEMENTS "
         << t.getNumElements() << "\n";
    for (auto [i, t] : llvm::enumerate(e.outputs))
      os << "#define " << macro << "_OUT" << i << "_ELEMENTS "
         << t.getNumElements() << "\n";
    os << "int32_t tn_" << e.name << "(";
    SmallVector<std::string> params;
    for (auto [i, t] : llvm::enumerate(e.inputs))
      params.push_back("const " + cTypeOf(t.getElementType())->name + " *in" +
                       std::to_string(i));
    for (auto [i, t] : llvm::enumerate(e.outputs))
      params.push_back(cTypeOf(t.getElementType())->name + " *out" +
                       std::to_string(i));
    os << llvm::join(params, ", ") << ");\n";
    os << "/* The same kernel on memref descriptors, for MLIR interoperation. */\n"
       << (e.status ? "int32_t" : "void") << " _mlir_ciface_" << e.name << "(";
    params.clear();
    auto desc = [](RankedTensorType t) {
      return "tn_memref_" + cTypeOf(t.getElementType())->suffix + "_" +
             std::to_string(t.getRank()) + "d";
    };
    for (auto [i, t] : llvm::enumerate(e.inputs))
      params.push_back(desc(t) + " *in" + std::to_string(i));
    for (auto [i, t] : llvm::enumerate(e.outputs))
      params.push_back(desc(t) + " *out" + std::to_string(i));
    os << llvm::join(params, ", ") << ");\n\n";
  }
  os << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n#endif /* " << guard
     << " */\n";
  return success();
}
