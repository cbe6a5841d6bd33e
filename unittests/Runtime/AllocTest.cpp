//===- AllocTest.cpp - The allocator behind generated code ----------------===//

#include "tn/Runtime/CPU/Runtime.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace {

bool aligned(void *p, uintptr_t a) { return reinterpret_cast<uintptr_t>(p) % a == 0; }

TEST(RuntimeAlloc, LargeBlocksAreReusedSmallOnesAreNot) {
  tnc_release_cached_memory();
  const size_t big = 1 << 20;
  void *a = _mlir_memref_to_llvm_alloc(big);
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(aligned(a, 64));
  std::memset(a, 1, big); // the whole block is usable
  _mlir_memref_to_llvm_free(a);
  // A request between half the block and the block gets it back.
  void *b = _mlir_memref_to_llvm_alloc(big - 4096);
  EXPECT_EQ(a, b);
  _mlir_memref_to_llvm_free(b);
  // A much smaller request does not take a block twice its size.
  void *c = _mlir_memref_to_llvm_alloc(big / 4);
  EXPECT_NE(c, a);
  _mlir_memref_to_llvm_free(c);
  tnc_release_cached_memory();
}

TEST(RuntimeAlloc, AlignmentIsHonoured) {
  for (size_t alignment : {16, 64, 128, 4096}) {
    void *p = _mlir_memref_to_llvm_aligned_alloc(alignment, 3 << 18);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(aligned(p, alignment)) << alignment;
    std::memset(p, 0, 3 << 18);
    _mlir_memref_to_llvm_free(p);
  }
  void *small = _mlir_memref_to_llvm_alloc(0);
  EXPECT_NE(small, nullptr);
  _mlir_memref_to_llvm_free(small);
  _mlir_memref_to_llvm_free(nullptr);
  tnc_release_cached_memory();
}

#ifdef __linux__
TEST(RuntimeAlloc, MultiMegabyteBlocksStartOnAHugePage) {
  // Blocks of 2 MiB or more are placed at the start of a 2 MiB page (and
  // advised for transparent huge pages): the header's 64 bytes, or the
  // requested alignment's slack, then the data.
  tnc_release_cached_memory();
  const uintptr_t huge = 2u << 20;
  void *p = _mlir_memref_to_llvm_alloc(5u << 20);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ((reinterpret_cast<uintptr_t>(p) - 64) % huge, 0u);
  std::memset(p, 7, 5u << 20);
  void *q = _mlir_memref_to_llvm_aligned_alloc(4096, 3u << 20);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ((reinterpret_cast<uintptr_t>(q) - 4096) % huge, 0u);
  std::memset(q, 7, 3u << 20);
  // An alignment above the huge page size keeps the plain path.
  void *r = _mlir_memref_to_llvm_aligned_alloc(4u << 20, 3u << 20);
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(aligned(r, 4u << 20));
  std::memset(r, 7, 3u << 20);
  _mlir_memref_to_llvm_free(p);
  // Kept and handed out again like any large block.
  EXPECT_EQ(_mlir_memref_to_llvm_alloc(4u << 20), p);
  _mlir_memref_to_llvm_free(p);
  _mlir_memref_to_llvm_free(q);
  _mlir_memref_to_llvm_free(r);
  tnc_release_cached_memory();
}

#endif

TEST(RuntimeAlloc, ManyLiveBlocks) {
  // More blocks than the cache keeps: the rest go back to the system.
  void *blocks[100];
  for (void *&b : blocks) {
    b = _mlir_memref_to_llvm_alloc(300 << 10);
    ASSERT_NE(b, nullptr);
  }
  for (void *b : blocks)
    _mlir_memref_to_llvm_free(b);
  for (void *&b : blocks)
    b = _mlir_memref_to_llvm_alloc(300 << 10);
  for (size_t i = 0; i < 100; ++i)
    for (size_t j = i + 1; j < 100; ++j)
      ASSERT_NE(blocks[i], blocks[j]);
  for (void *b : blocks)
    _mlir_memref_to_llvm_free(b);
  tnc_release_cached_memory();
}

} // namespace
