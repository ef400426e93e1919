// The counter-based random generator. Every draw is a pure function of
// (seed, step, purpose, agent, draw index): no generator state is shared or carried, so
// results do not depend on thread count or iteration order, and a worker gets the same
// draws for the same purpose in a baseline and a policy run (common random numbers).
#pragma once

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace talentflow {

// One value per use of randomness. Never reuse a purpose for a different decision:
// that would correlate the two decisions.
enum class Purpose : std::uint16_t {
  kInitEmployer = 1,
  kInitWorker = 2,
  kDemandShock = 10,
  kDemography = 11,
  kEntrant = 12,
  kWorkerMonth = 13,  // one word per worker, four workers to a key (see SeparateAndSearch)
  kDestination = 15,  // local-only search, mixture part, market (two words)
  kMatchRound = 16,
  kMatchOrder = 17,
  kVacancySlot = 18,
  kDiscrimination = 19,
  kHukouConversion = 20,
  kQuitConsent = 21,
  kKeyFieldConsent = 22,
  kPoaching = 23,
};

class KeyedRng {
 public:
  using Philox = r123::Philox4x32;

  explicit KeyedRng(std::uint64_t seed) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  }

  // Four independent 32-bit words for one (step, purpose, agent, draw) key.
  std::array<std::uint32_t, 4> Bits(std::uint32_t step, Purpose purpose, std::uint64_t agent,
                                    std::uint16_t draw = 0) const {
    Philox::ctr_type counter = {{static_cast<std::uint32_t>(agent),
                                 static_cast<std::uint32_t>(agent >> 32), step,
                                 CounterWord3(purpose, draw)}};
    const Philox::ctr_type out = Philox()(counter, key_);
    return {out[0], out[1], out[2], out[3]};
  }

  // Two uniform doubles in [0, 1) with 53 random bits each.
  struct Uniform2 {
    double a, b;
  };
  Uniform2 Uniforms(std::uint32_t step, Purpose purpose, std::uint64_t agent,
                    std::uint16_t draw = 0) const {
    const auto w = Bits(step, purpose, agent, draw);
    return {ToUnit(w[0], w[1]), ToUnit(w[2], w[3])};
  }
  double Uniform(std::uint32_t step, Purpose purpose, std::uint64_t agent,
                 std::uint16_t draw = 0) const {
    return Uniforms(step, purpose, agent, draw).a;
  }
  // A standard normal by Box-Muller from one key.
  double Normal(std::uint32_t step, Purpose purpose, std::uint64_t agent,
                std::uint16_t draw = 0) const {
    return NormalOf(Bits(step, purpose, agent, draw));
  }
  // Normal's value from its key's four words (as from a Block's lane).
  static double NormalOf(const std::array<std::uint32_t, 4>& w) {
    const double a = ToUnit(w[0], w[1]), b = ToUnit(w[2], w[3]);
    const double radius = std::sqrt(-2.0 * std::log1p(-a));  // 1 - a is in (0, 1]
    return radius * std::cos(6.283185307179586 * b);
  }

  // The four words of Bits() for kBlock consecutive agents starting at `first_agent`:
  // words[j][lane] == Bits(step, purpose, first_agent + lane, draw)[j]. Computed many lanes
  // at a time with SIMD multiplies; a scalar call costs four to ten times more.
  static constexpr std::size_t kBlock = 64;
  struct Block {
    alignas(64) std::uint32_t words[4][kBlock];
  };
  void BitsBlock(std::uint32_t step, Purpose purpose, std::uint64_t first_agent, Block& out,
                 std::uint16_t draw = 0) const;
  // The same for up to kBlock given agents (below 2^32, such as worker indices):
  // words[j][lane] == Bits(step, purpose, agents[lane], draw)[j] for lane < count. Lanes
  // are computed in eights, so a few agents cost a few lanes.
  void BitsGather(std::uint32_t step, Purpose purpose, const std::uint32_t* agents,
                  std::size_t count, Block& out, std::uint16_t draw = 0) const;

  // The code paths of the block forms, which give the same integers: a lane-wise loop (what
  // CPUs without AVX2 run), AVX2, and AVX-512. BitsBlock and BitsGather take the best the
  // CPU supports; the tests compare every supported path with the scalar call. The *On
  // forms run the given path, which must be one the CPU supports.
  enum class Path { kPortable, kAvx2, kAvx512 };
  static bool Supports(Path path);
  static Path BestPath();
  void BitsBlockOn(Path path, std::uint32_t step, Purpose purpose, std::uint64_t first_agent,
                   Block& out, std::uint16_t draw = 0) const;
  void BitsGatherOn(Path path, std::uint32_t step, Purpose purpose, const std::uint32_t* agents,
                    std::size_t count, Block& out, std::uint16_t draw = 0) const;

  // A uniform in (0, 1) from one 32-bit word, for decisions that need no finer grain.
  static double Unit32(std::uint32_t bits) { return (bits + 0.5) * 0x1p-32; }
  // The integer t with Unit32(x) < p exactly when x < t, so a block of words can be
  // compared without conversions: (x + 0.5) 2^-32 < p is x < p 2^32 - 0.5 (every step is
  // exact in double), which for an integer x is x < ceil(p 2^32 - 0.5).
  static std::uint64_t UnitThreshold(double p) {
    return static_cast<std::uint64_t>(std::clamp(std::ceil(p * 0x1p32 - 0.5), 0.0, 0x1p32));
  }

  static double ToUnit(std::uint32_t hi, std::uint32_t lo) {
    const std::uint64_t bits = (static_cast<std::uint64_t>(hi) << 21) ^ (lo >> 11);
    return static_cast<double>(bits & ((std::uint64_t{1} << 53) - 1)) * 0x1.0p-53;
  }

 private:
  // The counter's last word: the purpose and the draw index.
  static std::uint32_t CounterWord3(Purpose purpose, std::uint16_t draw) {
    return (static_cast<std::uint32_t>(purpose) << 16) | draw;
  }

  Philox::key_type key_;
};

}  // namespace talentflow
