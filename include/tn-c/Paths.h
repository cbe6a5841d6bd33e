/*===- tn-c/Paths.h - C API of the contraction-path library -------*- C -*-===*\
|*                                                                            *|
|* A plain C interface to tnc's contraction-order optimizer (the library      *|
|* behind tn-optimize-contraction-order), for the Python package (ctypes) and *|
|* for any program that wants paths without MLIR. Built as libtnc_capi.so.    *|
|*                                                                            *|
|* A network is given as flat arrays: tensor t has ranks[t] indices, listed   *|
|* one tensor after the other in `indices`; index ids run from 0 to           *|
|* num_indices - 1 and index id i has extent extents[i]. An id may appear in  *|
|* any number of tensors (hyperedges), several times in one tensor (traces)   *|
|* and in `output` (open indices). Every id must be used.                     *|
|*                                                                            *|
|* Results are JSON objects (UTF-8, NUL-terminated, allocated by the library, *|
|* freed with tnc_free). Functions return 0 on success; otherwise a status    *|
|* below and, when `error` is not NULL, a message in *error (also to be       *|
|* freed with tnc_free). Nothing aborts the caller.                           *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef TN_C_PATHS_H
#define TN_C_PATHS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define TNC_CAPI_EXPORT __declspec(dllexport)
#else
#define TNC_CAPI_EXPORT __attribute__((visibility("default")))
#endif

enum {
  TNC_OK = 0,
  TNC_INVALID_NETWORK = 1, /* bad sizes, ids out of range, bad JSON, ... */
  TNC_INVALID_OPTIONS = 2, /* unknown key, malformed or out-of-range value */
  TNC_SEARCH_FAILED = 3,   /* e.g. "optimal" on a too large component */
  TNC_INTERNAL_ERROR = 4   /* out of memory and the like */
};

/* Finds a contraction order. `options` is NULL or the pass's options as
 * space-separated key=value words: algorithm=auto|optimal|greedy|
 * random-greedy|partition|hyper, objective=flops|size|write|combo[-a]|
 * limit[-a], max-time=<s>, repeats=<n>, seed=<n>, memory-limit=<elements>,
 * slice-target=<elements>, threads=<n>, simplify=true|false,
 * reconfigure=true|false. The result is the report entry of
 * tn-optimize-contraction-order (name, num_tensors, algorithm, log10_cost,
 * log2_width, log10_write, log10_flops, num_slices, sliced_indices as
 * decimal id strings, slice_overhead, search_seconds, trials, and path in
 * opt_einsum's linear format) plus "ssa_path". */
TNC_CAPI_EXPORT int32_t tnc_optimize_path(
    int32_t num_tensors, const int32_t *ranks, const int32_t *indices,
    int32_t num_indices, const int64_t *extents, int32_t num_output,
    const int32_t *output, const char *options, char **result, char **error);

/* The same for a network in the JSON vocabularies that tn-translate
 * --import-network reads ({"inputs", "output", "size_dict"} or
 * {"equation", "shapes"}). */
TNC_CAPI_EXPORT int32_t tnc_optimize_path_json(const char *network,
                                               const char *options,
                                               char **result, char **error);

/* The cost of a given path in opt_einsum's linear format (num_steps pairs
 * in `path`): {"log10_cost", "log10_flops", "log2_width", "log10_write",
 * "log2_peak", "num_steps"} (log values of zero costs are null). */
TNC_CAPI_EXPORT int32_t tnc_path_cost(
    int32_t num_tensors, const int32_t *ranks, const int32_t *indices,
    int32_t num_indices, const int64_t *extents, int32_t num_output,
    const int32_t *output, int32_t num_steps, const int32_t *path,
    char **result, char **error);

/* Frees a string returned by this library (NULL is fine). */
TNC_CAPI_EXPORT void tnc_free(char *p);

/* The library version, e.g. "0.1.0". */
TNC_CAPI_EXPORT const char *tnc_version(void);

#ifdef __cplusplus
}
#endif

#endif /* TN_C_PATHS_H */
