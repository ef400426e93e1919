// Typed ids for agents and model dimensions, and a vector indexed by them, so a region
// index can never be used where a sector index is meant.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace talentflow {

template <class Tag, class Rep>
class StrongId {
 public:
  using rep_type = Rep;
  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep value) : value_(value) {}
  template <class Int>
  static constexpr StrongId FromIndex(Int index) {
    return StrongId(static_cast<Rep>(index));
  }
  constexpr Rep value() const { return value_; }
  constexpr std::size_t index() const { return static_cast<std::size_t>(value_); }
  friend constexpr auto operator<=>(StrongId, StrongId) = default;

 private:
  Rep value_ = 0;
};

using WorkerId = StrongId<struct WorkerTag, std::uint32_t>;
using EmployerId = StrongId<struct EmployerTag, std::uint32_t>;
using RegionId = StrongId<struct RegionTag, std::uint16_t>;
using SectorId = StrongId<struct SectorTag, std::uint8_t>;
using TypeId = StrongId<struct TypeTag, std::uint8_t>;
using OwnershipId = StrongId<struct OwnershipTag, std::uint8_t>;
// A market is a (region, sector) cell: index = region * sectors + sector.
using MarketId = StrongId<struct MarketTag, std::uint32_t>;

inline constexpr EmployerId kNoEmployer{std::numeric_limits<std::uint32_t>::max()};

// A std::vector that can only be indexed by its id type.
template <class Id, class T>
class IdVector {
 public:
  IdVector() = default;
  explicit IdVector(std::size_t n, const T& value = T()) : data_(n, value) {}
  T& operator[](Id id) { return data_[id.index()]; }
  const T& operator[](Id id) const { return data_[id.index()]; }
  std::size_t size() const { return data_.size(); }
  void resize(std::size_t n, const T& value = T()) { data_.resize(n, value); }
  void assign(std::size_t n, const T& value) { data_.assign(n, value); }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  auto begin() { return data_.begin(); }
  auto end() { return data_.end(); }
  auto begin() const { return data_.begin(); }
  auto end() const { return data_.end(); }
  std::size_t capacity_bytes() const { return data_.capacity() * sizeof(T); }

 private:
  std::vector<T> data_;
};

}  // namespace talentflow
