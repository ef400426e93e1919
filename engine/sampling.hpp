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
      double top = remaining - static_cast<double>(left);
      double n_real = remaining;
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
