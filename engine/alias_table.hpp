// Walker/Vose alias tables: O(1) sampling from a discrete distribution, used wherever a
// per-agent draw would otherwise scan a list (destinations, employers, regions).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace talentflow {

// A view on one table stored in a larger arena, so thousands of tables share two
// allocations that are reused every step.
struct AliasView {
  const float* prob = nullptr;
  const std::uint32_t* alias = nullptr;
  std::uint32_t size = 0;

  // u in [0, 1): the integer part of u * size picks a column, the fraction decides
  // between the column and its alias.
  std::uint32_t Sample(double u) const {
    const double scaled = u * size;
    std::uint32_t column = static_cast<std::uint32_t>(scaled);
    if (column >= size) column = size - 1;
    const double fraction = scaled - column;
    return fraction < prob[column] ? column : alias[column];
  }
  // Asks for the lines Sample(u) reads.
  void Prefetch(double u) const {
    if (size == 0) return;
    std::uint32_t column = static_cast<std::uint32_t>(u * size);
    if (column >= size) column = size - 1;
    __builtin_prefetch(prob + column);
    __builtin_prefetch(alias + column);
  }
};

// Scratch reused between builds so building allocates nothing once warm.
struct AliasScratch {
  std::vector<double> scaled;
  std::vector<std::uint32_t> small, large;
};

// Builds the table for `weights` (non-negative, any scale) into prob/alias (each of
// weights.size()). All-zero weights give a uniform table; callers guard against choosing
// from an empty distribution. Returns the sum of the weights.
double BuildAlias(std::span<const double> weights, float* prob, std::uint32_t* alias,
                  AliasScratch& scratch);

// A self-contained table for one distribution.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights);
  std::uint32_t Sample(double u) const { return View().Sample(u); }
  void Prefetch(double u) const { View().Prefetch(u); }
  AliasView View() const {
    return {prob_.data(), alias_.data(), static_cast<std::uint32_t>(prob_.size())};
  }
  double total() const { return total_; }
  std::size_t size() const { return prob_.size(); }

 private:
  std::vector<float> prob_;
  std::vector<std::uint32_t> alias_;
  double total_ = 0;
};

}  // namespace talentflow
