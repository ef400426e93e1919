// Sequential random sampling without replacement (Vitter 1984, method A): chooses n of N
// items in increasing order with one uniform per chosen item, not one per item. And the
// ordering of keyed draws that picks which applicants are met.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace talentflow {

// Calls take(index) for each of `n` indices chosen uniformly from [0, total), in
// increasing order; uniform(j) must return the j-th uniform draw in [0, 1).
template <class Uniform, class Take>
void SampleSequential(std::int64_t n, std::int64_t total, Uniform&& uniform, Take&& take) {
  std::int64_t position = 0;
  double remaining = static_cast<double>(total);
  for (std::int64_t chosen = 0; chosen < n; ++chosen) {
    const std::int64_t left = n - chosen;
    const double v = uniform(chosen);
    std::int64_t skip = 0;
    if (left == 1) {
      skip = static_cast<std::int64_t>(remaining * v);
    } else {
      // P(skip >= s) is the product of (remaining - left - i) / (remaining - i), i < s.
      // Four terms of the product at a time, counted without a branch each: the skip is
      // a coin toss to the branch predictor. The terms are those of the one-at-a-time
      // loop, in its order, so the skip is the same to the bit. The product falls with
      // each term (each factor is below 1), so the terms above v come first.
      double top = remaining - static_cast<double>(left);
      double n_real = remaining;
      double quot = top / n_real;
      for (;;) {
        const double t1 = top - 1, t2 = t1 - 1, t3 = t2 - 1;
        const double n1 = n_real - 1, n2 = n1 - 1, n3 = n2 - 1;
        const double q1 = quot * (t1 / n1), q2 = q1 * (t2 / n2), q3 = q2 * (t3 / n3);
        const int above = (quot > v) + (q1 > v) + (q2 > v) + (q3 > v);
        skip += above;
        if (above < 4) break;
        top = t3 - 1;
        n_real = n3 - 1;
        quot = q3 * (top / n_real);
      }
    }
    position += skip;
    remaining -= static_cast<double>(skip + 1);
    take(position);
    ++position;
  }
}

// Sorts keys by their upper 32 bits, keeping the order of keys with equal upper halves
// (a least-significant-digit radix sort, four passes of eight bits, through `scratch`).
// For keys (draw << 32 | position) listed in position order this is the order of
// std::sort on the whole keys, at a few operations per key instead of a comparison sort's
// log2(n) unpredictable branches.
inline void SortByHigh32(std::vector<std::uint64_t>& keys, std::vector<std::uint64_t>& scratch) {
  constexpr int kPasses = 4, kBuckets = 256;
  std::array<std::array<std::uint32_t, kBuckets>, kPasses> count{};
  for (const std::uint64_t key : keys) {
    for (int pass = 0; pass < kPasses; ++pass) ++count[pass][(key >> (32 + 8 * pass)) & 0xff];
  }
  scratch.resize(keys.size());
  std::span<std::uint64_t> from(keys), to(scratch);
  for (int pass = 0; pass < kPasses; ++pass) {
    // All keys share this digit: the pass would not move anything.
    if (count[pass][(from.empty() ? 0 : from[0] >> (32 + 8 * pass)) & 0xff] == from.size()) {
      continue;
    }
    std::uint32_t running = 0;
    for (std::uint32_t& c : count[pass]) running += std::exchange(c, running);
    for (const std::uint64_t key : from) to[count[pass][(key >> (32 + 8 * pass)) & 0xff]++] = key;
    std::swap(from, to);
  }
  if (from.data() != keys.data()) keys.swap(scratch);
}

}  // namespace talentflow
