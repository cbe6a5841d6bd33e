//===- tn-netgen.cpp - Generate tensor network JSON files -----------------===//
//
// tn-netgen <kind> [--key=value ...] [-o file]
//
// Writes a generated network (see tn/Network/Generators.h) in the JSON
// format read by parseNetworkJson. Deterministic for given options.
//
//===----------------------------------------------------------------------===//

#include "tn/Network/Generators.h"
#include "tn/Network/Network.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

using namespace tnc;

namespace {

enum class OptKind { Int, Int64, Seed, Bool, List, String };

struct OptSpec {
  const char *name;
  OptKind kind;
  const char *defaultValue;
  const char *help;
};

struct KindSpec {
  const char *name;
  const char *help;
  std::vector<OptSpec> options;
};

const std::vector<KindSpec> &kinds() {
  static const std::vector<KindSpec> specs = {
      {"regular",
       "random regular graph (closed network)",
       {{"n", OptKind::Int, "10", "number of tensors"},
        {"degree", OptKind::Int, "3", "indices per tensor"},
        {"bond", OptKind::Int64, "2", "extent of every index"},
        {"seed", OptKind::Seed, "0", "random seed"}}},
      {"lattice",
       "Lx x Ly (x Lz) lattice (closed network)",
       {{"lx", OptKind::Int, "4", "size in x"},
        {"ly", OptKind::Int, "4", "size in y"},
        {"lz", OptKind::Int, "1", "size in z (1: 2D lattice)"},
        {"bond", OptKind::Int64, "2", "bond extent"},
        {"periodic", OptKind::Bool, "false",
         "wrap dimensions longer than 2"}}},
      {"peps",
       "norm <psi|psi> of an Lx x Ly PEPS",
       {{"lx", OptKind::Int, "3", "size in x"},
        {"ly", OptKind::Int, "3", "size in y"},
        {"bond", OptKind::Int64, "2", "virtual bond extent"},
        {"phys", OptKind::Int64, "2", "physical extent"}}},
      {"mps-mpo",
       "<psi|H|psi> of an open-boundary MPS and MPO",
       {{"length", OptKind::Int, "10", "number of sites"},
        {"chi", OptKind::Int64, "8", "MPS bond extent"},
        {"mpo-bond", OptKind::Int64, "4", "MPO bond extent"},
        {"phys", OptKind::Int64, "2", "physical extent"}}},
      {"tt",
       "tensor-train layer applied to a batch",
       {{"in-modes", OptKind::List, "4,4,4", "input modes i1,...,id"},
        {"out-modes", OptKind::List, "4,4,4", "output modes o1,...,od"},
        {"rank", OptKind::Int64, "4", "TT rank"},
        {"batch", OptKind::Int64, "16", "batch extent"}}},
      {"circuit",
       "random quantum circuit amplitude",
       {{"qubits", OptKind::Int, "8", "number of qubits"},
        {"depth", OptKind::Int, "4", "number of layers"},
        {"seed", OptKind::Seed, "0", "random seed"},
        {"diagonal", OptKind::Bool, "false",
         "diagonal two-qubit gates (hyperedges)"},
        {"open", OptKind::Int, "0", "number of open output qubits"}}},
      {"hypergraph",
       "random connected hypergraph",
       {{"tensors", OptKind::Int, "10", "number of tensors"},
        {"indices", OptKind::Int, "15", "number of inner indices"},
        {"max-degree", OptKind::Int, "3", "max tensors per index (>= 2)"},
        {"open", OptKind::Int, "0", "number of open (output) indices"},
        {"extent", OptKind::Int64, "2", "extent of every index"},
        {"seed", OptKind::Seed, "0", "random seed"}}},
      {"chain",
       "matrix chain A1 A2 ... An",
       {{"dims", OptKind::List, "2,3,4,5", "dimensions d0,...,dn"}}},
  };
  return specs;
}

const std::vector<OptSpec> &commonOptions() {
  static const std::vector<OptSpec> specs = {
      {"name", OptKind::String, "network", "network name (C identifier)"},
      {"dtype", OptKind::String, "f32",
       "element type (f16, bf16, f32, f64, complex<f32>, complex<f64>, ...)"},
  };
  return specs;
}

void printUsage(FILE *out) {
  std::fprintf(out,
               "usage: tn-netgen <kind> [--key=value ...] [-o file]\n"
               "\n"
               "Generates a tensor network and writes it as JSON "
               "(inputs/output/size_dict)\nto stdout or to the -o file.\n"
               "\nkinds and their options (default in brackets):\n");
  for (const KindSpec &k : kinds()) {
    std::fprintf(out, "  %-11s %s\n", k.name, k.help);
    for (const OptSpec &o : k.options)
      std::fprintf(out, "      --%-12s %s [%s]\n", o.name, o.help,
                   o.defaultValue);
  }
  std::fprintf(out, "\ncommon options:\n");
  for (const OptSpec &o : commonOptions())
    std::fprintf(out, "      --%-12s %s [%s]\n", o.name, o.help,
                 o.defaultValue);
  std::fprintf(out, "  -o FILE            write to FILE instead of stdout\n"
                    "  --help             print this help\n");
}

int fail(const std::string &message) {
  std::fprintf(stderr, "tn-netgen: error: %s\n", message.c_str());
  return 1;
}

template <typename T> bool parseInteger(const std::string &text, T &value) {
  if (text.empty())
    return false;
  const char *first = text.data();
  const char *last = first + text.size();
  auto result = std::from_chars(first, last, value, 10);
  return result.ec == std::errc() && result.ptr == last;
}

class Options {
public:
  std::map<std::string, std::string> values; // validated keys
  std::string error;

  bool getInt(const char *key, int &out) {
    return get(key, out, "an integer");
  }
  bool getInt64(const char *key, int64_t &out) {
    return get(key, out, "an integer");
  }
  bool getSeed(const char *key, uint64_t &out) {
    return get(key, out, "a non-negative integer");
  }
  bool getBool(const char *key, bool &out) {
    const std::string &v = values[key];
    if (v == "true" || v == "1" || v == "yes" || v == "on") {
      out = true;
      return true;
    }
    if (v == "false" || v == "0" || v == "no" || v == "off") {
      out = false;
      return true;
    }
    error = "invalid value '" + v + "' for --" + key +
            ": expected true or false";
    return false;
  }
  bool getList(const char *key, std::vector<int64_t> &out) {
    const std::string &v = values[key];
    out.clear();
    size_t start = 0;
    while (true) {
      size_t comma = v.find(',', start);
      std::string item = v.substr(
          start, comma == std::string::npos ? std::string::npos : comma - start);
      int64_t x;
      if (!parseInteger(item, x)) {
        error = "invalid value '" + v + "' for --" + key +
                ": expected a comma-separated list of integers";
        return false;
      }
      out.push_back(x);
      if (comma == std::string::npos)
        return true;
      start = comma + 1;
    }
  }

private:
  template <typename T> bool get(const char *key, T &out, const char *what) {
    const std::string &v = values[key];
    if (parseInteger(v, out))
      return true;
    // Distinguish out-of-range numbers from garbage.
    bool digits = !v.empty() && !(std::is_unsigned<T>::value && v[0] == '-');
    for (size_t k = 0; k < v.size(); ++k)
      if (!((v[k] >= '0' && v[k] <= '9') || (k == 0 && v[k] == '-' &&
                                               v.size() > 1)))
        digits = false;
    if (digits)
      error = "value '" + v + "' for --" + key + " is out of range";
    else
      error = "invalid value '" + v + "' for --" + key + ": expected " + what;
    return false;
  }
};

const OptSpec *findOption(const KindSpec &kind, const std::string &name) {
  for (const OptSpec &o : kind.options)
    if (name == o.name)
      return &o;
  for (const OptSpec &o : commonOptions())
    if (name == o.name)
      return &o;
  return nullptr;
}

bool writeOutput(const std::string &path, const std::string &text,
                 std::string &error) {
  if (path.empty() || path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
        std::fflush(stdout) != 0) {
      error = "cannot write to stdout: " + std::string(std::strerror(errno));
      return false;
    }
    return true;
  }
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) {
    error = "cannot open '" + path + "' for writing: " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int savedErrno = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok) {
    error = "cannot write to '" + path + "': " + std::strerror(savedErrno);
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h" || arg == "-help") {
      printUsage(stdout);
      return 0;
    }
  }

  const KindSpec *kind = nullptr;
  std::string outputPath;
  bool haveOutput = false;
  std::vector<std::pair<std::string, std::string>> given; // (key, value)
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-o") {
      if (i + 1 >= argc)
        return fail("option '-o' requires a file name");
      if (haveOutput)
        return fail("option '-o' given more than once");
      haveOutput = true;
      outputPath = argv[++i];
      if (outputPath.empty())
        return fail("option '-o' requires a non-empty file name");
      continue;
    }
    if (arg.size() >= 2 && arg[0] == '-' && arg[1] == '-') {
      size_t eq = arg.find('=');
      std::string key = arg.substr(2, eq == std::string::npos
                                          ? std::string::npos
                                          : eq - 2);
      if (key.empty())
        return fail("invalid option '" + arg + "'");
      if (eq == std::string::npos)
        given.push_back({key, std::string("\x01")}); // marker: no value
      else
        given.push_back({key, arg.substr(eq + 1)});
      continue;
    }
    if (!arg.empty() && arg[0] == '-')
      return fail("unknown option '" + arg +
                  "' (options are written --key=value; see --help)");
    if (kind)
      return fail("unexpected argument '" + arg + "' (the kind is already '" +
                  kind->name + "')");
    for (const KindSpec &k : kinds())
      if (arg == k.name)
        kind = &k;
    if (!kind) {
      std::string names;
      for (const KindSpec &k : kinds())
        names += std::string(names.empty() ? "" : ", ") + k.name;
      return fail("unknown kind '" + arg + "' (expected one of " + names +
                  ")");
    }
  }
  if (!kind)
    return fail("missing network kind (see --help)");

  Options opts;
  for (const OptSpec &o : kind->options)
    opts.values[o.name] = o.defaultValue;
  for (const OptSpec &o : commonOptions())
    opts.values[o.name] = o.defaultValue;
  std::map<std::string, bool> seen;
  for (const auto &kv : given) {
    const OptSpec *spec = findOption(*kind, kv.first);
    if (!spec)
      return fail("unknown option '--" + kv.first + "' for kind '" +
                  kind->name + "' (see --help)");
    if (seen[kv.first])
      return fail("option '--" + kv.first + "' given more than once");
    seen[kv.first] = true;
    if (kv.second == "\x01") {
      if (spec->kind != OptKind::Bool)
        return fail("option '--" + kv.first + "' requires a value (--" +
                    kv.first + "=...)");
      opts.values[kv.first] = "true";
    } else {
      opts.values[kv.first] = kv.second;
    }
  }

  std::string error;
  std::optional<Network> net;
  const std::string k = kind->name;
  if (k == "regular") {
    int n, degree;
    int64_t bond;
    uint64_t seed;
    if (!opts.getInt("n", n) || !opts.getInt("degree", degree) ||
        !opts.getInt64("bond", bond) || !opts.getSeed("seed", seed))
      return fail(opts.error);
    net = randomRegular(n, degree, bond, seed, error);
  } else if (k == "lattice") {
    int lx, ly, lz;
    int64_t bond;
    bool periodic;
    if (!opts.getInt("lx", lx) || !opts.getInt("ly", ly) ||
        !opts.getInt("lz", lz) || !opts.getInt64("bond", bond) ||
        !opts.getBool("periodic", periodic))
      return fail(opts.error);
    net = lattice(lx, ly, lz, bond, periodic, error);
  } else if (k == "peps") {
    int lx, ly;
    int64_t bond, phys;
    if (!opts.getInt("lx", lx) || !opts.getInt("ly", ly) ||
        !opts.getInt64("bond", bond) || !opts.getInt64("phys", phys))
      return fail(opts.error);
    net = pepsNorm(lx, ly, bond, phys, error);
  } else if (k == "mps-mpo") {
    int length;
    int64_t chi, mpoBond, phys;
    if (!opts.getInt("length", length) || !opts.getInt64("chi", chi) ||
        !opts.getInt64("mpo-bond", mpoBond) || !opts.getInt64("phys", phys))
      return fail(opts.error);
    net = mpsMpoMps(length, chi, mpoBond, phys, error);
  } else if (k == "tt") {
    std::vector<int64_t> in, out;
    int64_t rank, batch;
    if (!opts.getList("in-modes", in) || !opts.getList("out-modes", out) ||
        !opts.getInt64("rank", rank) || !opts.getInt64("batch", batch))
      return fail(opts.error);
    net = ttLayer(in, out, rank, batch, error);
  } else if (k == "circuit") {
    int qubits, depth, open;
    uint64_t seed;
    bool diagonal;
    if (!opts.getInt("qubits", qubits) || !opts.getInt("depth", depth) ||
        !opts.getSeed("seed", seed) || !opts.getBool("diagonal", diagonal) ||
        !opts.getInt("open", open))
      return fail(opts.error);
    net = randomCircuit(qubits, depth, seed, diagonal, open, error);
  } else if (k == "hypergraph") {
    int tensors, indices, maxDegree, open;
    int64_t extent;
    uint64_t seed;
    if (!opts.getInt("tensors", tensors) ||
        !opts.getInt("indices", indices) ||
        !opts.getInt("max-degree", maxDegree) || !opts.getInt("open", open) ||
        !opts.getInt64("extent", extent) || !opts.getSeed("seed", seed))
      return fail(opts.error);
    net = randomHypergraph(tensors, indices, maxDegree, open, extent, seed,
                           error);
  } else if (k == "chain") {
    std::vector<int64_t> dims;
    if (!opts.getList("dims", dims))
      return fail(opts.error);
    net = matrixChain(dims, error);
  }
  if (!net)
    return fail(k + ": " + error);

  const std::string &name = opts.values["name"];
  bool identifier = !name.empty();
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!(alpha || (i > 0 && c >= '0' && c <= '9')))
      identifier = false;
  }
  if (!identifier)
    return fail("invalid value '" + name +
                "' for --name: must match [A-Za-z_][A-Za-z0-9_]*");
  std::optional<ElementType> dtype = parseElementType(opts.values["dtype"]);
  if (!dtype)
    return fail("invalid value '" + opts.values["dtype"] +
                "' for --dtype: expected f16, bf16, f32, f64, complex<f32>, "
                "complex<f64>, float16, bfloat16, float32, float64, "
                "complex64, complex128, c64 or c128");
  net->name = name;
  net->dtype = *dtype;

  if (!writeOutput(outputPath, writeNetworkJson(*net), error))
    return fail(error);
  return 0;
}
