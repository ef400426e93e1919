// Sequential random sampling without replacement (Vitter 1984, method A): chooses n of N
// items in increasing order with one uniform per chosen item, not one per item.
#pragma once

#include <cstdint>

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

}  // namespace talentflow
