//===- Random.h - A small portable PRNG -------------------------*- C++ -*-===//
//
// Deterministic on every platform (no std:: distributions): the generators
// and the randomized path optimizers draw from it, so a seed reproduces a
// network or a search exactly.
//
//===----------------------------------------------------------------------===//

#ifndef TN_SUPPORT_RANDOM_H
#define TN_SUPPORT_RANDOM_H

#include <cstdint>

namespace tnc {

/// splitmix64's output function: a bijective 64-bit mix (hash keys, seeds).
uint64_t hashMix64(uint64_t x);

/// splitmix64-seeded xoshiro256**.
class Rng {
public:
  explicit Rng(uint64_t seed);
  uint64_t next();
  /// Uniform integer in [0, n), n > 0 (unbiased, by rejection).
  uint64_t uniform(uint64_t n);
  /// Uniform double in [0, 1).
  double uniformReal();

private:
  uint64_t s_[4];
};

} // namespace tnc

#endif // TN_SUPPORT_RANDOM_H
