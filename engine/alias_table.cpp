// Vose's alias method, deterministic: the same weights always give the same table.
#include "engine/alias_table.hpp"

namespace talentflow {

double BuildAlias(std::span<const double> weights, AliasCell* cells, AliasScratch& scratch) {
  const std::size_t n = weights.size();
  double total = 0;
  for (double w : weights) total += w;
  if (n == 0) return 0;
  if (!(total > 0)) {
    for (std::size_t i = 0; i < n; ++i) {
      cells[i] = {1.0f, static_cast<std::uint32_t>(i)};
    }
    return 0;
  }
  scratch.scaled.resize(n);
  scratch.small.clear();
  scratch.large.clear();
  for (std::size_t i = 0; i < n; ++i) {
    scratch.scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scratch.scaled[i] < 1.0 ? scratch.small : scratch.large)
        .push_back(static_cast<std::uint32_t>(i));
  }
  while (!scratch.small.empty() && !scratch.large.empty()) {
    const std::uint32_t s = scratch.small.back();
    scratch.small.pop_back();
    const std::uint32_t l = scratch.large.back();
    cells[s] = {static_cast<float>(scratch.scaled[s]), l};
    scratch.scaled[l] -= 1.0 - scratch.scaled[s];
    if (scratch.scaled[l] < 1.0) {
      scratch.large.pop_back();
      scratch.small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding.
  for (std::uint32_t i : scratch.large) {
    cells[i] = {1.0f, i};
  }
  for (std::uint32_t i : scratch.small) {
    cells[i] = {1.0f, i};
  }
  return total;
}

AliasTable::AliasTable(std::span<const double> weights) : cells_(weights.size()) {
  AliasScratch scratch;
  total_ = BuildAlias(weights, cells_.data(), scratch);
}

}  // namespace talentflow
