//===- Paths.cpp - C API of the contraction-path library ------------------===//
//
// Thin C wrappers over tnc::optimizeContraction and tnc::evaluateSsaPath.
// Every input is checked before it reaches the library (which assumes a
// valid network) and no C++ exception or abort crosses the boundary.
//
//===----------------------------------------------------------------------===//

#include "tn-c/Paths.h"

#include "tn/Network/Network.h"
#include "tn/Path/ContractionPath.h"
#include "tn/Path/Optimize.h"
#include "tn/Support/Json.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#ifndef TNC_VERSION
#define TNC_VERSION "unknown"
#endif

using namespace tnc;

namespace {

char *copyString(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p)
    std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

int32_t fail(int32_t status, const std::string &message, char **error) {
  if (error)
    *error = copyString(message);
  return status;
}

int32_t succeed(const JsonValue &value, char **result, char **error) {
  if (!result)
    return fail(TNC_INVALID_OPTIONS, "the result pointer is NULL", error);
  *result = copyString(writeJson(value));
  if (!*result)
    return fail(TNC_INTERNAL_ERROR, "out of memory", error);
  return TNC_OK;
}

/// Builds a network from the flat arrays; std::nullopt and a message for
/// anything out of range.
std::optional<Network> buildNetwork(int32_t numTensors, const int32_t *ranks,
                                    const int32_t *indices, int32_t numIndices,
                                    const int64_t *extents, int32_t numOutput,
                                    const int32_t *output, std::string &error) {
  if (numTensors < 1) {
    error = "a network needs at least one tensor, got " +
            std::to_string(numTensors);
    return std::nullopt;
  }
  if (numIndices < 0 || numOutput < 0) {
    error = "num_indices and num_output must be non-negative";
    return std::nullopt;
  }
  if (!ranks || (numIndices > 0 && !extents) || (numOutput > 0 && !output)) {
    error = "a NULL array with a non-zero length";
    return std::nullopt;
  }
  Network net;
  for (int32_t i = 0; i < numIndices; ++i) {
    if (extents[i] < 1) {
      error = "index " + std::to_string(i) + " has extent " +
              std::to_string(extents[i]) + "; extents must be at least 1";
      return std::nullopt;
    }
    net.addIndex(std::to_string(i), extents[i]);
  }
  auto checkId = [&](int32_t id, const std::string &where) {
    if (id >= 0 && id < numIndices)
      return true;
    error = where + " refers to index " + std::to_string(id) +
            ", outside [0, " + std::to_string(numIndices) + ")";
    return false;
  };
  int64_t offset = 0;
  for (int32_t t = 0; t < numTensors; ++t) {
    if (ranks[t] < 0) {
      error = "tensor " + std::to_string(t) + " has negative rank " +
              std::to_string(ranks[t]);
      return std::nullopt;
    }
    if (ranks[t] > 0 && !indices) {
      error = "a NULL array with a non-zero length";
      return std::nullopt;
    }
    std::vector<int> ids(indices + offset, indices + offset + ranks[t]);
    for (int id : ids)
      if (!checkId(id, "tensor " + std::to_string(t)))
        return std::nullopt;
    net.addTensor(std::move(ids));
    offset += ranks[t];
  }
  std::vector<int> out(output, output + numOutput);
  for (int id : out)
    if (!checkId(id, "the output"))
      return std::nullopt;
  net.setOutput(std::move(out));
  error = net.validate();
  if (!error.empty())
    return std::nullopt;
  return net;
}

int32_t optimize(const Network &net, const char *options, char **result,
                 char **error) {
  std::string message;
  std::optional<OptimizeOptions> opts =
      parseOptimizeOptions(options ? options : "", message);
  if (!opts)
    return fail(TNC_INVALID_OPTIONS, message, error);
  std::optional<OptimizeResult> found =
      optimizeContraction(net, *opts, message);
  if (!found)
    return fail(TNC_SEARCH_FAILED, message, error);
  JsonValue entry = reportEntry(net, *found, /*fullPrecision=*/true);
  entry.set("ssa_path", pathToJson(found->ssa));
  return succeed(entry, result, error);
}

/// Clears the out-pointers and runs `body`, turning exceptions into
/// statuses: nothing C++ crosses the C boundary.
template <typename F> int32_t guarded(char **result, char **error, F &&body) {
  if (result)
    *result = nullptr;
  if (error)
    *error = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(TNC_INTERNAL_ERROR, "out of memory", error);
  } catch (...) {
    return fail(TNC_INTERNAL_ERROR, "internal error", error);
  }
}

/// guarded() for the entry points taking a network as flat arrays: builds
/// it, or fails with TNC_INVALID_NETWORK, then runs `body(network)`.
template <typename F>
int32_t
withNetwork(int32_t numTensors, const int32_t *ranks, const int32_t *indices,
            int32_t numIndices, const int64_t *extents, int32_t numOutput,
            const int32_t *output, char **result, char **error, F &&body) {
  return guarded(result, error, [&]() -> int32_t {
    std::string message;
    std::optional<Network> net =
        buildNetwork(numTensors, ranks, indices, numIndices, extents, numOutput,
                     output, message);
    if (!net)
      return fail(TNC_INVALID_NETWORK, message, error);
    return body(*net);
  });
}

} // namespace

extern "C" {

int32_t tnc_optimize_path(int32_t num_tensors, const int32_t *ranks,
                          const int32_t *indices, int32_t num_indices,
                          const int64_t *extents, int32_t num_output,
                          const int32_t *output, const char *options,
                          char **result, char **error) {
  return withNetwork(num_tensors, ranks, indices, num_indices, extents,
                     num_output, output, result, error,
                     [&](const Network &net) {
                       return optimize(net, options, result, error);
                     });
}

int32_t tnc_optimize_path_json(const char *network, const char *options,
                               char **result, char **error) {
  return guarded(result, error, [&]() -> int32_t {
    if (!network)
      return fail(TNC_INVALID_NETWORK, "the network is NULL", error);
    Diagnostic diag;
    std::optional<Network> net = parseNetworkJson(network, diag);
    if (!net)
      return fail(TNC_INVALID_NETWORK,
                  std::to_string(diag.pos.line) + ":" +
                      std::to_string(diag.pos.column) + ": " + diag.message,
                  error);
    return optimize(*net, options, result, error);
  });
}

int32_t tnc_path_cost(int32_t num_tensors, const int32_t *ranks,
                      const int32_t *indices, int32_t num_indices,
                      const int64_t *extents, int32_t num_output,
                      const int32_t *output, int32_t num_steps,
                      const int32_t *path, char **result, char **error) {
  return withNetwork(
      num_tensors, ranks, indices, num_indices, extents, num_output, output,
      result, error, [&](const Network &net) -> int32_t {
        std::string message;
        if (num_steps < 0 || (num_steps > 0 && !path))
          return fail(TNC_INVALID_NETWORK, "invalid path array", error);
        Path linear;
        for (int32_t s = 0; s < num_steps; ++s)
          linear.push_back({path[2 * s], path[2 * s + 1]});
        std::optional<Path> ssa = linearToSsa(num_tensors, linear, message);
        if (!ssa)
          return fail(TNC_INVALID_NETWORK, "invalid path: " + message, error);
        std::optional<PathCost> cost = evaluateSsaPath(net, *ssa, message);
        if (!cost)
          return fail(TNC_INVALID_NETWORK, "invalid path: " + message, error);
        auto num = [](double v) {
          return std::isfinite(v) ? JsonValue::number(v) : JsonValue::null();
        };
        JsonValue e = JsonValue::object();
        e.set("log10_cost", num(cost->log10Cost));
        e.set("log10_flops", num(cost->log10Flops));
        e.set("log2_width", num(cost->log2Width));
        e.set("log10_write", num(cost->log10Write));
        e.set("log2_peak", num(cost->log2Peak));
        e.set("num_steps", JsonValue::integer(cost->numSteps));
        return succeed(e, result, error);
      });
}

void tnc_free(char *p) { std::free(p); }

const char *tnc_version(void) { return TNC_VERSION; }

} // extern "C"
