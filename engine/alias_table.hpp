// Walker/Vose alias tables: O(1) sampling from a discrete distribution, used wherever a
// per-agent draw would otherwise scan a list (destinations, employers, regions).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace talentflow {

// One column of a table: its probability and its alias side by side, so a draw reads one
// cache line.
struct AliasCell {
  float prob;
  std::uint32_t alias;
};

// a if c, else b, without a branch: for choices that are coin tosses to the branch
// predictor, whose branch would also wait for the data it compares.
inline std::uint32_t Select(bool c, std::uint32_t a, std::uint32_t b) {
  const std::uint32_t keep_a = std::uint32_t{0} - static_cast<std::uint32_t>(c);
  return (a & keep_a) | (b & ~keep_a);
}

// A view on one table stored in a larger arena, so thousands of tables share one
// allocation that is reused every step.
struct AliasView {
  const AliasCell* cells = nullptr;
  std::uint32_t size = 0;

  // u in [0, 1): the integer part of u * size picks a column, the fraction decides
  // between the column and its alias.
  std::uint32_t Sample(double u) const { return Pick(u, size, cells[Column(u, size)]); }
  // The column u picks, and the outcome given that column's cell (read by the caller).
  static std::uint32_t Column(double u, std::uint32_t size) {
    const auto column = static_cast<std::uint32_t>(u * size);
    return column >= size ? size - 1 : column;
  }
  static std::uint32_t Pick(double u, std::uint32_t size, AliasCell cell) {
    const double scaled = u * size;
    const std::uint32_t column = Column(u, size);
    return Select(scaled - column < cell.prob, column, cell.alias);
  }
  // Asks for the line Sample(u) reads.
  void Prefetch(double u) const {
    if (size == 0) return;
    std::uint32_t column = static_cast<std::uint32_t>(u * size);
    if (column >= size) column = size - 1;
    __builtin_prefetch(cells + column);
  }
};

// Scratch reused between builds so building allocates nothing once warm.
struct AliasScratch {
  std::vector<double> scaled;
  std::vector<std::uint32_t> small, large;
};

// Builds the table for `weights` (non-negative, any scale) into `cells` (weights.size()
// of them). All-zero weights give a uniform table; callers guard against choosing
// from an empty distribution. Returns the sum of the weights.
double BuildAlias(std::span<const double> weights, AliasCell* cells, AliasScratch& scratch);

// A self-contained table for one distribution.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights);
  std::uint32_t Sample(double u) const { return View().Sample(u); }
  void Prefetch(double u) const { View().Prefetch(u); }
  AliasView View() const { return {cells_.data(), static_cast<std::uint32_t>(cells_.size())}; }
  double total() const { return total_; }
  std::size_t size() const { return cells_.size(); }

 private:
  std::vector<AliasCell> cells_;
  double total_ = 0;
};

}  // namespace talentflow
