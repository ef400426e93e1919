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
// The same rounds on eight lanes per register: _mm256_mul_epu32 multiplies the even
// 32-bit lanes into 64-bit products, so odd lanes are shifted down and multiplied apart,
// then high and low halves are blended back into lane order.
__attribute__((target("avx2"))) void PhiloxLanesAvx2(std::uint32_t key0, std::uint32_t key1,
                                                     const Lanes& in, std::uint32_t word2,
                                                     std::uint32_t word3, KeyedRng::Block& out) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kMultiplier0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kMultiplier1));
  for (std::size_t base = 0; base < in.lanes; base += 8) {
    __m256i c0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.low + base));
    __m256i c1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.high + base));
    __m256i c2 = _mm256_set1_epi32(static_cast<int>(word2));
    __m256i c3 = _mm256_set1_epi32(static_cast<int>(word3));
    std::uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < kRounds; ++round) {
      const __m256i p0_even = _mm256_mul_epu32(c0, m0);
      const __m256i p0_odd = _mm256_mul_epu32(_mm256_srli_epi64(c0, 32), m0);
      const __m256i p1_even = _mm256_mul_epu32(c2, m1);
      const __m256i p1_odd = _mm256_mul_epu32(_mm256_srli_epi64(c2, 32), m1);
      // Lane order: even lanes take the low 32 bits of the 64-bit slot, odd lanes the high.
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(p0_even, 32), p0_odd, 0xAA);
      const __m256i lo0 = _mm256_blend_epi32(p0_even, _mm256_slli_epi64(p0_odd, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(p1_even, 32), p1_odd, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(p1_even, _mm256_slli_epi64(p1_odd, 32), 0xAA);
      const __m256i n0 =
          _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
      const __m256i n2 =
          _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
      c0 = n0;
      c1 = lo1;
      c2 = n2;
      c3 = lo0;
      k0 += kWeyl0;
      k1 += kWeyl1;
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[0] + base), c0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[1] + base), c1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[2] + base), c2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[3] + base), c3);
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
