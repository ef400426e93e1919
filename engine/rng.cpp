// The block forms of the keyed generator: Philox4x32-10 for 64 consecutive agents, or up to
// 64 given ones, at once, with AVX2 where the CPU has it and a lane-wise loop the compiler
// vectorises otherwise.
// Both give exactly the integers of the scalar Random123 call (tests/test_rng.cpp).
#include "engine/rng.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TALENTFLOW_HAVE_AVX2_PATH 1
#endif

namespace talentflow {

namespace {

constexpr std::uint32_t kMultiplier0 = 0xD2511F53, kMultiplier1 = 0xCD9E8D57;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9, kWeyl1 = 0xBB67AE85;
constexpr int kRounds = 10;
constexpr std::size_t N = KeyedRng::kBlock;

// The agents of a block: lane l of the first `lanes` (a multiple of 8) has counter words
// low[l], high[l].
struct Lanes {
  alignas(32) std::uint32_t low[N];
  alignas(32) std::uint32_t high[N];
  std::size_t lanes;
};

Lanes Consecutive(std::uint64_t first) {
  Lanes in;
  for (std::size_t lane = 0; lane < N; ++lane) {
    in.low[lane] = static_cast<std::uint32_t>(first + lane);
    in.high[lane] = static_cast<std::uint32_t>((first + lane) >> 32);
  }
  in.lanes = N;
  return in;
}

Lanes Given(const std::uint32_t* agents, std::size_t count) {
  Lanes in;
  in.lanes = (count + 7) / 8 * 8;
  for (std::size_t lane = 0; lane < in.lanes; ++lane) {
    in.low[lane] = lane < count ? agents[lane] : 0;
    in.high[lane] = 0;
  }
  return in;
}

void PhiloxLanes(std::uint32_t key0, std::uint32_t key1, const Lanes& in, std::uint32_t word2,
                 std::uint32_t word3, KeyedRng::Block& out) {
  std::uint32_t* const c0 = out.words[0];
  std::uint32_t* const c1 = out.words[1];
  std::uint32_t* const c2 = out.words[2];
  std::uint32_t* const c3 = out.words[3];
  const std::size_t lanes = in.lanes;
  for (std::size_t lane = 0; lane < lanes; ++lane) {
    c0[lane] = in.low[lane];
    c1[lane] = in.high[lane];
    c2[lane] = word2;
    c3[lane] = word3;
  }
  for (int round = 0; round < kRounds; ++round) {
    for (std::size_t lane = 0; lane < lanes; ++lane) {
      const std::uint64_t p0 = std::uint64_t{kMultiplier0} * c0[lane];
      const std::uint64_t p1 = std::uint64_t{kMultiplier1} * c2[lane];
      const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1[lane] ^ key0;
      const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3[lane] ^ key1;
      c0[lane] = n0;
      c1[lane] = static_cast<std::uint32_t>(p1);
      c2[lane] = n2;
      c3[lane] = static_cast<std::uint32_t>(p0);
    }
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
}

#ifdef TALENTFLOW_HAVE_AVX2_PATH
#define TALENTFLOW_AVX2 __attribute__((target("avx2"), always_inline)) inline

// The same rounds, eight lanes at a time. _mm256_mul_epu32 multiplies the low halves of
// 64-bit slots, so the even lanes and the odd lanes are kept apart, one lane in the low
// half of each slot: a product's low half is then already in place and its high half one
// shift away, with no shuffling back into lane order until the end. The high halves of
// the slots carry junk that never reaches a low half (xor is lane-wise, the multiply
// reads low halves only, and the shift brings down a product's true high half).
struct Avx2State {
  __m256i c0, c1, c2, c3;  // the four counter words of four lanes of one parity
};

// The rounds of the even and the odd lanes side by side: each is a chain of dependent
// multiplies, and two in flight keep the multiplier busier.
TALENTFLOW_AVX2 void Avx2Rounds(Avx2State (&s)[2], const __m256i* round_key0,
                                const __m256i* round_key1) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kMultiplier0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kMultiplier1));
  for (int round = 0; round < kRounds; ++round) {
    for (int k = 0; k < 2; ++k) {
      const __m256i p0 = _mm256_mul_epu32(s[k].c0, m0);
      const __m256i p1 = _mm256_mul_epu32(s[k].c2, m1);
      // The key goes in first: it and the other word are ready before the product.
      s[k].c0 =
          _mm256_xor_si256(_mm256_srli_epi64(p1, 32), _mm256_xor_si256(s[k].c1, round_key0[round]));
      s[k].c2 =
          _mm256_xor_si256(_mm256_srli_epi64(p0, 32), _mm256_xor_si256(s[k].c3, round_key1[round]));
      s[k].c1 = p1;
      s[k].c3 = p0;
    }
  }
}

// Odd lanes back into the high halves of the slots.
TALENTFLOW_AVX2 __m256i Avx2Merge(__m256i even, __m256i odd) {
  return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

__attribute__((target("avx2"))) void PhiloxLanesAvx2(std::uint32_t key0, std::uint32_t key1,
                                                     const Lanes& in, std::uint32_t word2,
                                                     std::uint32_t word3, KeyedRng::Block& out) {
  __m256i round_key0[kRounds], round_key1[kRounds];
  for (int round = 0; round < kRounds; ++round) {
    round_key0[round] = _mm256_set1_epi32(static_cast<int>(key0));
    round_key1[round] = _mm256_set1_epi32(static_cast<int>(key1));
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  const __m256i c2 = _mm256_set1_epi32(static_cast<int>(word2));
  const __m256i c3 = _mm256_set1_epi32(static_cast<int>(word3));
  for (std::size_t base = 0; base < in.lanes; base += 8) {
    const __m256i low = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.low + base));
    const __m256i high = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.high + base));
    // The even lanes, then the odd ones.
    Avx2State s[2] = {{low, high, c2, c3},
                      {_mm256_srli_epi64(low, 32), _mm256_srli_epi64(high, 32), c2, c3}};
    Avx2Rounds(s, round_key0, round_key1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[0] + base),
                       Avx2Merge(s[0].c0, s[1].c0));
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[1] + base),
                       Avx2Merge(s[0].c1, s[1].c1));
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[2] + base),
                       Avx2Merge(s[0].c2, s[1].c2));
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[3] + base),
                       Avx2Merge(s[0].c3, s[1].c3));
  }
}

bool CpuHasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
#endif

void RunPhilox(std::uint32_t key0, std::uint32_t key1, const Lanes& in, std::uint32_t word2,
               std::uint32_t word3, KeyedRng::Block& out) {
#ifdef TALENTFLOW_HAVE_AVX2_PATH
  static const bool avx2 = CpuHasAvx2();  // a property of the machine, fixed for the run
  if (avx2) {
    PhiloxLanesAvx2(key0, key1, in, word2, word3, out);
    return;
  }
#endif
  PhiloxLanes(key0, key1, in, word2, word3, out);
}

}  // namespace

void KeyedRng::BitsBlock(std::uint32_t step, Purpose purpose, std::uint64_t first_agent, Block& out,
                         std::uint16_t draw) const {
  RunPhilox(key_[0], key_[1], Consecutive(first_agent), step, CounterWord3(purpose, draw), out);
}

void KeyedRng::BitsBlockPortable(std::uint32_t step, Purpose purpose, std::uint64_t first_agent,
                                 Block& out, std::uint16_t draw) const {
  PhiloxLanes(key_[0], key_[1], Consecutive(first_agent), step, CounterWord3(purpose, draw), out);
}

void KeyedRng::BitsGather(std::uint32_t step, Purpose purpose, const std::uint32_t* agents,
                          std::size_t count, Block& out, std::uint16_t draw) const {
  RunPhilox(key_[0], key_[1], Given(agents, std::min(count, kBlock)), step,
            CounterWord3(purpose, draw), out);
}

void KeyedRng::BitsGatherPortable(std::uint32_t step, Purpose purpose, const std::uint32_t* agents,
                                  std::size_t count, Block& out, std::uint16_t draw) const {
  PhiloxLanes(key_[0], key_[1], Given(agents, std::min(count, kBlock)), step,
              CounterWord3(purpose, draw), out);
}

}  // namespace talentflow
