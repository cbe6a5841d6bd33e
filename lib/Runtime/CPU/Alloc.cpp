//===- Alloc.cpp - The allocator behind generated code --------------------===//
//
// tn-cpu-pipeline lowers memref allocations to _mlir_memref_to_llvm_alloc /
// _aligned_alloc / _free (finalize-memref-to-llvm's generic functions), and
// these implement them. Intermediates of a contraction are large and die at
// the end of every call; with plain malloc each one is a fresh mmap whose
// pages fault in again on every call (a TT layer spent 60% of its time
// there). Freed blocks of 256 KiB or more are kept (up to 1 GiB in all) and
// handed out again for requests between half their size and their size.
//
//===----------------------------------------------------------------------===//

#include "tn/Runtime/CPU/Runtime.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

namespace {

constexpr size_t kHeader = 64;             // keeps 64-byte alignment
constexpr size_t kCacheMin = 256 << 10;    // blocks worth keeping
constexpr size_t kCacheBytes = 1ull << 30; // most bytes kept
constexpr int kCacheSlots = 64;
constexpr size_t kHugePage = 2u << 20;  // x86-64 and aarch64 (4 KiB base pages)

/// Stored in the kHeader bytes before each user pointer.
struct Header {
  void *base;      // what posix_memalign returned
  size_t capacity; // usable bytes after the header
};

struct Cache {
  pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  void *blocks[kCacheSlots] = {}; // user pointers
  size_t bytes = 0;
} cache;

Header *headerOf(void *p) {
  return reinterpret_cast<Header *>(static_cast<char *>(p) - kHeader);
}

void *fresh(size_t size, size_t alignment) {
  if (alignment < kHeader)
    alignment = kHeader;
  // The header sits in the alignment's slack before the user pointer.
  size_t slack = (kHeader + alignment - 1) / alignment * alignment;
  void *base = nullptr;
#ifdef MADV_HUGEPAGE
  // Large blocks on transparent huge pages where the system allows them
  // only on request (the usual "madvise" setting), as NumPy does for its
  // arrays: a GEMM streaming a multi-megabyte intermediate otherwise
  // misses the TLB on every 4 KiB page.
  // Only whole huge pages are advised: a tail (the 64-byte header pushes a
  // power-of-two block into the next page) stays on small pages rather than
  // faulting in 2 MiB for a few bytes.
  if (size >= kHugePage && alignment < kHugePage) {
    if (posix_memalign(&base, kHugePage, slack + size) != 0)
      return nullptr;
    madvise(base, (slack + size) / kHugePage * kHugePage, MADV_HUGEPAGE);
  } else
#endif
  if (posix_memalign(&base, alignment, slack + size) != 0)
    return nullptr;
  void *user = static_cast<char *>(base) + slack;
  Header *h = headerOf(user);
  h->base = base;
  h->capacity = size;
  return user;
}

void *allocate(size_t size, size_t alignment) {
  if (size == 0)
    size = 1;
  if (size >= kCacheMin && alignment <= kHeader) {
    pthread_mutex_lock(&cache.mutex);
    int best = -1;
    for (int i = 0; i < kCacheSlots; ++i) {
      void *b = cache.blocks[i];
      if (!b)
        continue;
      size_t c = headerOf(b)->capacity;
      if (c >= size && c / 2 <= size &&
          (best < 0 || c < headerOf(cache.blocks[best])->capacity))
        best = i;
    }
    void *hit = nullptr;
    if (best >= 0) {
      hit = cache.blocks[best];
      cache.blocks[best] = nullptr;
      cache.bytes -= headerOf(hit)->capacity;
    }
    pthread_mutex_unlock(&cache.mutex);
    if (hit)
      return hit;
  }
  return fresh(size, alignment);
}

} // namespace

extern "C" {

void *_mlir_memref_to_llvm_alloc(size_t size) { return allocate(size, kHeader); }

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  return allocate(size, alignment);
}

void _mlir_memref_to_llvm_free(void *p) {
  if (!p)
    return;
  Header *h = headerOf(p);
  if (h->capacity >= kCacheMin &&
      static_cast<char *>(p) - static_cast<char *>(h->base) == kHeader) {
    pthread_mutex_lock(&cache.mutex);
    bool kept = false;
    if (cache.bytes + h->capacity <= kCacheBytes)
      for (int i = 0; i < kCacheSlots; ++i)
        if (!cache.blocks[i]) {
          cache.blocks[i] = p;
          cache.bytes += h->capacity;
          kept = true;
          break;
        }
    pthread_mutex_unlock(&cache.mutex);
    if (kept)
      return;
  }
  free(h->base);
}

void tnc_release_cached_memory(void) {
  pthread_mutex_lock(&cache.mutex);
  for (int i = 0; i < kCacheSlots; ++i)
    if (cache.blocks[i]) {
      free(headerOf(cache.blocks[i])->base);
      cache.blocks[i] = nullptr;
    }
  cache.bytes = 0;
  pthread_mutex_unlock(&cache.mutex);
}

} // extern "C"
