//===- Random.cpp - A small portable PRNG ---------------------------------===//

#include "tn/Support/Random.h"

namespace tnc {


uint64_t hashMix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

namespace {
uint64_t splitmix64(uint64_t &x) { return hashMix64(x += 0x9E3779B97F4A7C15ull); }
uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
} // namespace

Rng::Rng(uint64_t seed) {
  uint64_t x = seed;
  for (uint64_t &s : s_)
    s = splitmix64(x);
}

uint64_t Rng::next() {
  uint64_t result = rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

uint64_t Rng::uniform(uint64_t n) {
  if (n <= 1)
    return 0;
  // Reject the lowest (2^64 mod n) values so that the rest divide evenly.
  uint64_t threshold = (0 - n) % n;
  while (true) {
    uint64_t r = next();
    if (r >= threshold)
      return r % n;
  }
}

double Rng::uniformReal() {
  return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
}


} // namespace tnc
