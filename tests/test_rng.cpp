// The block generator, for consecutive or given agents, gives exactly the scalar generator's
// words, on every code path the machine has and across a carry into the agent counter's high word;
// the 32-bit thresholds agree with the uniform comparisons they replace.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "engine/rng.hpp"

namespace talentflow {
namespace {

// The code paths this machine can run; the portable one runs everywhere.
std::vector<KeyedRng::Path> SupportedPaths() {
  std::vector<KeyedRng::Path> paths;
  for (const auto path :
       {KeyedRng::Path::kPortable, KeyedRng::Path::kAvx2, KeyedRng::Path::kAvx512}) {
    if (KeyedRng::Supports(path)) paths.push_back(path);
  }
  return paths;
}

void ExpectBlockMatchesScalar(const KeyedRng& rng, std::uint32_t step, Purpose purpose,
                              std::uint64_t first, std::uint16_t draw) {
  KeyedRng::Block best;
  rng.BitsBlock(step, purpose, first, best, draw);
  for (const auto path : SupportedPaths()) {
    KeyedRng::Block on_path;
    rng.BitsBlockOn(path, step, purpose, first, on_path, draw);
    for (std::size_t lane = 0; lane < KeyedRng::kBlock; ++lane) {
      const auto scalar = rng.Bits(step, purpose, first + lane, draw);
      for (int j = 0; j < 4; ++j) {
        ASSERT_EQ(on_path.words[j][lane], scalar[j])
            << "path " << static_cast<int>(path) << " agent " << first + lane << " word " << j;
        ASSERT_EQ(best.words[j][lane], scalar[j]) << "agent " << first + lane << " word " << j;
      }
    }
  }
}

TEST(KeyedRngBlock, BestPathIsSupported) {
  EXPECT_TRUE(KeyedRng::Supports(KeyedRng::BestPath()));
  EXPECT_TRUE(KeyedRng::Supports(KeyedRng::Path::kPortable));
}

TEST(KeyedRngBlock, MatchesScalarDraws) {
  const KeyedRng rng(0x0123456789abcdefULL);
  for (std::uint64_t first : {std::uint64_t{0}, std::uint64_t{64}, std::uint64_t{12345},
                              std::uint64_t{0xffffffffULL - 30}, std::uint64_t{0x1ffffffc0ULL}}) {
    ExpectBlockMatchesScalar(rng, 7, Purpose::kWorkerMonth, first, 0);
    ExpectBlockMatchesScalar(rng, 0xfffffffeu, Purpose::kDestination, first, 3);
  }
}

// The gathered form serves scattered workers (a market's applicants): any agents, any
// count up to a block (the vector paths take lanes 8, 16 and 32 at a time, so every
// remainder is tried), on every code path.
TEST(KeyedRngBlock, GatherMatchesScalarDraws) {
  const KeyedRng rng(0x0123456789abcdefULL);
  std::vector<std::uint32_t> agents = {
      7, 0xffffffffu, 3, 3, 123456789, 0, 64, 99999, 1u << 31, 42, 5, 17, 800, 0x7fffffffu, 2};
  for (std::uint32_t a = 0; agents.size() < KeyedRng::kBlock; ++a) {
    agents.push_back(a * 2654435761u);
  }
  for (const auto path : SupportedPaths()) {
    for (std::size_t count = 1; count <= KeyedRng::kBlock; ++count) {
      KeyedRng::Block best, on_path;
      rng.BitsGather(11, Purpose::kMatchOrder, agents.data(), count, best, 2);
      rng.BitsGatherOn(path, 11, Purpose::kMatchOrder, agents.data(), count, on_path, 2);
      for (std::size_t lane = 0; lane < count; ++lane) {
        const auto scalar = rng.Bits(11, Purpose::kMatchOrder, agents[lane], 2);
        for (int j = 0; j < 4; ++j) {
          ASSERT_EQ(on_path.words[j][lane], scalar[j])
              << "path " << static_cast<int>(path) << " count " << count << " lane " << lane;
          ASSERT_EQ(best.words[j][lane], scalar[j]) << "count " << count << " lane " << lane;
        }
      }
    }
  }
  std::vector<std::uint32_t> block(KeyedRng::kBlock);
  for (std::size_t lane = 0; lane < block.size(); ++lane) block[lane] = 1000 + 3 * lane;
  KeyedRng::Block fast;
  rng.BitsGather(4, Purpose::kDestination, block.data(), block.size(), fast);
  for (std::size_t lane = 0; lane < block.size(); ++lane) {
    ASSERT_EQ(fast.words[3][lane], rng.Bits(4, Purpose::kDestination, block[lane])[3]) << lane;
  }
}

TEST(KeyedRngBlock, DependsOnSeedStepAndPurpose) {
  const KeyedRng a(1), b(2);
  KeyedRng::Block x, y;
  a.BitsBlock(5, Purpose::kWorkerMonth, 0, x);
  b.BitsBlock(5, Purpose::kWorkerMonth, 0, y);
  EXPECT_NE(x.words[0][0], y.words[0][0]);
  a.BitsBlock(6, Purpose::kWorkerMonth, 0, y);
  EXPECT_NE(x.words[0][0], y.words[0][0]);
  a.BitsBlock(5, Purpose::kDestination, 0, y);
  EXPECT_NE(x.words[0][0], y.words[0][0]);
}

// The block path of the worker pass compares words with UnitThreshold instead of
// converting them: the two decisions must agree for every word, at the edges most of all.
TEST(KeyedRngUnit, ThresholdAgreesWithUniformComparison) {
  for (const double p : {0.0, 1e-12, 0x1p-33, 0x1p-32, 1.5 * 0x1p-32, 0.0123, 0.05, 1.0 / 3, 0.5,
                         0.999999999, 1 - 0x1p-33, 1.0, 1.5}) {
    const std::uint64_t t = KeyedRng::UnitThreshold(p);
    ASSERT_LE(t, std::uint64_t{1} << 32) << p;
    std::vector<std::uint64_t> probes = {0, 1, 2, 0xffffffffu, 0xfffffffeu};
    for (std::int64_t d = -2; d <= 2; ++d) {
      const std::int64_t x = static_cast<std::int64_t>(t) + d;
      if (x >= 0 && x <= 0xffffffffLL) probes.push_back(static_cast<std::uint64_t>(x));
    }
    for (const std::uint64_t x : probes) {
      const auto word = static_cast<std::uint32_t>(x);
      EXPECT_EQ(KeyedRng::Unit32(word) < p, word < t) << "p " << p << " x " << x;
    }
  }
}

}  // namespace
}  // namespace talentflow
