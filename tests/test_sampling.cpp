// The sequential sampler used to pick vacancy slots: exactly n distinct indices in
// increasing order, each index chosen with probability n / N. And the radix sort that
// orders applicants' keyed draws: the order of a full comparison sort.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/rng.hpp"
#include "engine/sampling.hpp"

namespace talentflow {
namespace {

TEST(SampleSequential, ChoosesExactlyNDistinctIncreasingIndices) {
  const KeyedRng rng(9);
  for (std::int64_t total : {1, 2, 7, 100, 5000}) {
    for (std::int64_t n : {std::int64_t{0}, std::int64_t{1}, total / 3, total - 1, total}) {
      std::vector<std::int64_t> picked;
      SampleSequential(
          n, total, [&](std::int64_t j) { return rng.Uniform(0, Purpose::kVacancySlot, j); },
          [&](std::int64_t i) { picked.push_back(i); });
      ASSERT_EQ(static_cast<std::int64_t>(picked.size()), n);
      for (std::size_t i = 0; i < picked.size(); ++i) {
        EXPECT_GE(picked[i], 0);
        EXPECT_LT(picked[i], total);
        if (i > 0) {
          EXPECT_GT(picked[i], picked[i - 1]);
        }
      }
    }
  }
}

TEST(SampleSequential, EveryIndexEquallyLikely) {
  // 40 of 100 slots, 20000 repetitions: each slot's count is binomial(20000, 0.4), sd 69;
  // every count within 5 sd of 8000.
  const KeyedRng rng(10);
  const std::int64_t total = 100, n = 40;
  const int reps = 20000;
  std::vector<int> counts(total, 0);
  for (int r = 0; r < reps; ++r) {
    SampleSequential(
        n, total,
        [&](std::int64_t j) {
          return rng.Uniform(static_cast<std::uint32_t>(r), Purpose::kVacancySlot, j);
        },
        [&](std::int64_t i) { ++counts[i]; });
  }
  const double expected = reps * 0.4, sd = std::sqrt(reps * 0.4 * 0.6);
  for (std::int64_t i = 0; i < total; ++i) EXPECT_NEAR(counts[i], expected, 5 * sd) << i;
}

// Vitter's method A with its skip found one term at a time, as first written: the
// sampler counts four terms at a time and must choose the same slots for the same draws.
std::vector<std::int64_t> MethodAOneTermAtATime(std::int64_t n, std::int64_t total,
                                                const std::vector<double>& draws) {
  std::vector<std::int64_t> picked;
  std::int64_t position = 0;
  double remaining = static_cast<double>(total);
  for (std::int64_t chosen = 0; chosen < n; ++chosen) {
    const std::int64_t left = n - chosen;
    const double v = draws[chosen];
    std::int64_t skip = 0;
    if (left == 1) {
      skip = static_cast<std::int64_t>(remaining * v);
    } else {
      double top = remaining - static_cast<double>(left), n_real = remaining;
      double quot = top / n_real;
      while (quot > v) {
        ++skip;
        top -= 1;
        n_real -= 1;
        quot *= top / n_real;
      }
    }
    position += skip;
    remaining -= static_cast<double>(skip + 1);
    picked.push_back(position++);
  }
  return picked;
}

TEST(SampleSequential, SameSlotsAsTheOneTermAtATimeSkip) {
  // Sizes around the block of four, sparse and dense samples, and draws of exactly 0 and
  // next to 1, where the skip is longest or none.
  const KeyedRng rng(12);
  int compared = 0;
  for (std::int64_t total : {2, 3, 4, 5, 8, 9, 37, 1000, 123457}) {
    for (std::int64_t n :
         {std::int64_t{1}, std::int64_t{2}, total / 50, total / 3, total / 2, total - 1, total}) {
      if (n < 1 || n > total) continue;
      for (int rep = 0; rep < 4; ++rep) {
        std::vector<double> draws(static_cast<std::size_t>(n));
        for (std::int64_t j = 0; j < n; ++j) {
          draws[j] = rng.Uniform(static_cast<std::uint32_t>(rep), Purpose::kVacancySlot,
                                 static_cast<std::uint64_t>(total) << 32 | j);
          if (rep == 2 && j % 5 == 0) draws[j] = 0.0;
          if (rep == 3 && j % 7 == 0) draws[j] = std::nextafter(1.0, 0.0);
        }
        std::vector<std::int64_t> picked;
        SampleSequential(
            n, total, [&](std::int64_t j) { return draws[j]; },
            [&](std::int64_t i) { picked.push_back(i); });
        ASSERT_EQ(picked, MethodAOneTermAtATime(n, total, draws))
            << "n " << n << " of " << total << ", draws " << rep;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 200);
}

TEST(SortByHigh32, OrdersAsAComparisonSortOfTheWholeKeys) {
  // Keys as matching builds them, (draw << 32 | position) in position order. Draws from a
  // narrow range force ties, which must stay in position order; draws sharing digits make
  // passes skip, so the result ends up in either buffer.
  const KeyedRng rng(11);
  std::vector<std::uint64_t> keys, scratch, expected;
  int case_index = 0;
  for (std::size_t n : {0, 1, 2, 63, 1000, 5000}) {
    for (std::uint32_t mask : {0xffffffffu, 0xff000000u, 0x0000ff00u, 0x7u, 0x0u}) {
      keys.clear();
      for (std::size_t p = 0; p < n; ++p) {
        const std::uint32_t draw = rng.Bits(0, Purpose::kMatchOrder, p, case_index)[0] & mask;
        keys.push_back(std::uint64_t{draw} << 32 | p);
      }
      expected = keys;
      std::sort(expected.begin(), expected.end());
      SortByHigh32(keys, scratch);
      EXPECT_EQ(keys, expected) << "n " << n << " mask " << mask;
      ++case_index;
    }
  }
}

}  // namespace
}  // namespace talentflow
