// The block forms of the keyed generator: Philox4x32-10 for 64 consecutive agents, or up to
// 64 given ones, at once, with AVX-512 or AVX2 where the CPU has them (chosen at run time)
// and a lane-wise loop the compiler vectorises otherwise.
// All give exactly the integers of the scalar Random123 call (tests/test_rng.cpp).
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
  alignas(64) std::uint32_t low[N];
  alignas(64) std::uint32_t high[N];
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
#define TALENTFLOW_AVX512 __attribute__((target("avx512f,avx2"), always_inline)) inline
// GCC 12 takes the undefined source operand inside the AVX-512 intrinsics for an
// uninitialised read (GCC bug 105593, fixed in GCC 13); off until the AVX-512 path ends.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// The vector paths run the same rounds on many lanes at a time. The multiply
// (_mm256_mul_epu32, _mm512_mul_epu32) takes the low halves of 64-bit slots, so even and
// odd lanes are kept apart, one lane in the low half of each slot: a product's low half is
// then already in place and its high half one shift or shuffle away, with no shuffling
// back into lane order until the end. The high halves of the slots carry junk that never
// reaches a low half (xor is lane-wise, the multiply reads low halves only, and the shift
// or shuffle brings down a product's true high half). Each lane's rounds are a chain of
// dependent multiplies, so several state sets run side by side to keep the multiplier
// busy.
struct Avx2State {
  __m256i c0, c1, c2, c3;  // the four counter words of the lanes of one parity
};
struct Avx512State {
  __m512i c0, c1, c2, c3;
};

TALENTFLOW_AVX2 __m256i Broadcast256(std::uint32_t x) {
  return _mm256_set1_epi32(static_cast<int>(x));
}
TALENTFLOW_AVX512 __m512i Broadcast512(std::uint32_t x) {
  return _mm512_set1_epi32(static_cast<int>(x));
}

// Odd lanes back into the high halves of the slots.
TALENTFLOW_AVX2 __m256i Merge(__m256i even, __m256i odd) {
  return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}
TALENTFLOW_AVX512 __m512i Merge(__m512i even, __m512i odd) {
  return _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

// Eight lanes from `base`: the even and the odd ones side by side (tuned on Zen 3; four
// chains, or a shuffle for the shift, measured no faster on Sapphire Rapids).
TALENTFLOW_AVX2 void Avx2Lanes(const Lanes& in, std::size_t base, const __m256i* round_key0,
                               const __m256i* round_key1, __m256i c2, __m256i c3,
                               KeyedRng::Block& out) {
  const __m256i m0 = Broadcast256(kMultiplier0), m1 = Broadcast256(kMultiplier1);
  const __m256i low = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.low + base));
  const __m256i high = _mm256_load_si256(reinterpret_cast<const __m256i*>(in.high + base));
  Avx2State s[2] = {{low, high, c2, c3},
                    {_mm256_srli_epi64(low, 32), _mm256_srli_epi64(high, 32), c2, c3}};
  for (int round = 0; round < kRounds; ++round) {
    for (Avx2State& t : s) {
      const __m256i p0 = _mm256_mul_epu32(t.c0, m0), p1 = _mm256_mul_epu32(t.c2, m1);
      // The key goes in first: it and the other word are ready before the product.
      t = {_mm256_xor_si256(_mm256_srli_epi64(p1, 32), _mm256_xor_si256(t.c1, round_key0[round])),
           p1,
           _mm256_xor_si256(_mm256_srli_epi64(p0, 32), _mm256_xor_si256(t.c3, round_key1[round])),
           p0};
    }
  }
  _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[0] + base), Merge(s[0].c0, s[1].c0));
  _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[1] + base), Merge(s[0].c1, s[1].c1));
  _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[2] + base), Merge(s[0].c2, s[1].c2));
  _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[3] + base), Merge(s[0].c3, s[1].c3));
}

// 16 kGroups lanes from `base`, an even and an odd state set for each sixteen. The high
// halves come down by a shuffle, which runs beside the multiplier, where a shift would
// queue for its port; the three-way xor is one instruction. Four sets (32 lanes) at a time
// were 12 % faster than two on Sapphire Rapids.
template <int kGroups>
TALENTFLOW_AVX512 void Avx512Lanes(const Lanes& in, std::size_t base, const __m512i* round_key0,
                                   const __m512i* round_key1, __m512i c2, __m512i c3,
                                   KeyedRng::Block& out) {
  const __m512i m0 = Broadcast512(kMultiplier0), m1 = Broadcast512(kMultiplier1);
  Avx512State s[2 * kGroups];
  for (int g = 0; g < kGroups; ++g) {
    const __m512i low = _mm512_load_si512(in.low + base + 16 * g);
    const __m512i high = _mm512_load_si512(in.high + base + 16 * g);
    s[2 * g] = {low, high, c2, c3};
    s[2 * g + 1] = {_mm512_srli_epi64(low, 32), _mm512_srli_epi64(high, 32), c2, c3};
  }
  constexpr int kXor3 = 0x96;  // a ^ b ^ c as a truth table
  for (int round = 0; round < kRounds; ++round) {
    for (Avx512State& t : s) {
      const __m512i p0 = _mm512_mul_epu32(t.c0, m0), p1 = _mm512_mul_epu32(t.c2, m1);
      t = {_mm512_ternarylogic_epi32(_mm512_shuffle_epi32(p1, _MM_PERM_DDBB), t.c1,
                                     round_key0[round], kXor3),
           p1,
           _mm512_ternarylogic_epi32(_mm512_shuffle_epi32(p0, _MM_PERM_DDBB), t.c3,
                                     round_key1[round], kXor3),
           p0};
    }
  }
  for (int g = 0; g < kGroups; ++g) {
    const std::size_t at = base + 16 * g;
    const Avx512State &even = s[2 * g], &odd = s[2 * g + 1];
    _mm512_store_si512(out.words[0] + at, Merge(even.c0, odd.c0));
    _mm512_store_si512(out.words[1] + at, Merge(even.c1, odd.c1));
    _mm512_store_si512(out.words[2] + at, Merge(even.c2, odd.c2));
    _mm512_store_si512(out.words[3] + at, Merge(even.c3, odd.c3));
  }
}

__attribute__((target("avx2"))) void PhiloxLanesAvx2(std::uint32_t key0, std::uint32_t key1,
                                                     const Lanes& in, std::uint32_t word2,
                                                     std::uint32_t word3, KeyedRng::Block& out) {
  __m256i round_key0[kRounds], round_key1[kRounds];
  for (int round = 0; round < kRounds; ++round) {
    round_key0[round] = Broadcast256(key0);
    round_key1[round] = Broadcast256(key1);
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  const __m256i c2 = Broadcast256(word2), c3 = Broadcast256(word3);
  for (std::size_t base = 0; base < in.lanes; base += 8) {
    Avx2Lanes(in, base, round_key0, round_key1, c2, c3, out);
  }
}

// Thirty-two lanes at a time, then sixteen, then eight (a gather's count is a multiple of
// eight).
__attribute__((target("avx512f,avx2"))) void PhiloxLanesAvx512(std::uint32_t key0,
                                                               std::uint32_t key1, const Lanes& in,
                                                               std::uint32_t word2,
                                                               std::uint32_t word3,
                                                               KeyedRng::Block& out) {
  __m512i round_key0[kRounds], round_key1[kRounds];
  __m256i narrow_key0[kRounds], narrow_key1[kRounds];
  for (int round = 0; round < kRounds; ++round) {
    round_key0[round] = Broadcast512(key0);
    round_key1[round] = Broadcast512(key1);
    narrow_key0[round] = Broadcast256(key0);
    narrow_key1[round] = Broadcast256(key1);
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  const __m512i c2 = Broadcast512(word2), c3 = Broadcast512(word3);
  std::size_t base = 0;
  for (; base + 32 <= in.lanes; base += 32) {
    Avx512Lanes<2>(in, base, round_key0, round_key1, c2, c3, out);
  }
  if (base + 16 <= in.lanes) {
    Avx512Lanes<1>(in, base, round_key0, round_key1, c2, c3, out);
    base += 16;
  }
  if (base < in.lanes) {
    Avx2Lanes(in, base, narrow_key0, narrow_key1, Broadcast256(word2), Broadcast256(word3), out);
  }
}

#pragma GCC diagnostic pop

// The AVX-512 path runs its last eight lanes with AVX2, so it needs both.
KeyedRng::Path DetectPath() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2")) return KeyedRng::Path::kPortable;
  return __builtin_cpu_supports("avx512f") ? KeyedRng::Path::kAvx512 : KeyedRng::Path::kAvx2;
}
#else
KeyedRng::Path DetectPath() { return KeyedRng::Path::kPortable; }
#endif

void RunPhilox(KeyedRng::Path path, std::uint32_t key0, std::uint32_t key1, const Lanes& in,
               std::uint32_t word2, std::uint32_t word3, KeyedRng::Block& out) {
  switch (path) {
#ifdef TALENTFLOW_HAVE_AVX2_PATH
    case KeyedRng::Path::kAvx512:
      PhiloxLanesAvx512(key0, key1, in, word2, word3, out);
      return;
    case KeyedRng::Path::kAvx2:
      PhiloxLanesAvx2(key0, key1, in, word2, word3, out);
      return;
#endif
    default:
      PhiloxLanes(key0, key1, in, word2, word3, out);
  }
}

// The best path of this machine, fixed for the run.
KeyedRng::Path Best() {
  static const KeyedRng::Path best = DetectPath();
  return best;
}

}  // namespace

// The paths are ordered: a CPU that runs one runs those before it.
bool KeyedRng::Supports(Path path) { return path <= Best(); }

KeyedRng::Path KeyedRng::BestPath() { return Best(); }

void KeyedRng::BitsBlock(std::uint32_t step, Purpose purpose, std::uint64_t first_agent, Block& out,
                         std::uint16_t draw) const {
  RunPhilox(Best(), key_[0], key_[1], Consecutive(first_agent), step, CounterWord3(purpose, draw),
            out);
}

void KeyedRng::BitsBlockOn(Path path, std::uint32_t step, Purpose purpose,
                           std::uint64_t first_agent, Block& out, std::uint16_t draw) const {
  RunPhilox(path, key_[0], key_[1], Consecutive(first_agent), step, CounterWord3(purpose, draw),
            out);
}

void KeyedRng::BitsGather(std::uint32_t step, Purpose purpose, const std::uint32_t* agents,
                          std::size_t count, Block& out, std::uint16_t draw) const {
  RunPhilox(Best(), key_[0], key_[1], Given(agents, std::min(count, kBlock)), step,
            CounterWord3(purpose, draw), out);
}

void KeyedRng::BitsGatherOn(Path path, std::uint32_t step, Purpose purpose,
                            const std::uint32_t* agents, std::size_t count, Block& out,
                            std::uint16_t draw) const {
  RunPhilox(path, key_[0], key_[1], Given(agents, std::min(count, kBlock)), step,
            CounterWord3(purpose, draw), out);
}

}  // namespace talentflow
