// The world: model dimensions (regions, sectors, types, ownership kinds, markets),
// geography, and the worker and employer stores as struct-of-arrays with typed ids.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/ids.hpp"
#include "engine/spec.hpp"

namespace talentflow {

// Self-employed workers (a lever's option) count as employed but have no employer.
enum class Status : std::uint8_t {
  kEmployed = 0,
  kUnemployed = 1,
  kInactive = 2,
  kSelfEmployed = 3
};

// Bits of WorkerStore::flags.
namespace worker_flag {
inline constexpr std::uint8_t kRuralHukou = 1 << 0;
inline constexpr std::uint8_t kFlexible = 1 << 1;    // works in another region without moving
inline constexpr std::uint8_t kSubsidised = 1 << 2;  // receives a lever's payment
inline constexpr std::uint8_t kKeyField = 1 << 3;    // quits need consent
}  // namespace worker_flag

// 25 bytes of state per worker.
struct WorkerStore {
  IdVector<WorkerId, RegionId> region;  // residence
  IdVector<WorkerId, RegionId> hukou;   // hukou registration
  IdVector<WorkerId, TypeId> type;
  IdVector<WorkerId, Status> status;
  IdVector<WorkerId, SectorId> sector;  // current, or last for the non-employed
  IdVector<WorkerId, std::uint8_t> flags;
  IdVector<WorkerId, EmployerId> employer;
  IdVector<WorkerId, float> wage;              // yuan per month; 0 when not employed
  IdVector<WorkerId, std::uint16_t> tenure;    // months with the current employer
  IdVector<WorkerId, std::uint16_t> lock_end;  // end (step) of the current service period
  IdVector<WorkerId, std::uint16_t> insured;   // insured months counted in this region
  // The value of age_clock when the worker's age was 0: a worker ages without a write (a
  // monthly write to every worker cost the separation pass 7 % of its time).
  IdVector<WorkerId, std::uint16_t> birth_month;
  IdVector<WorkerId, std::uint8_t> sponsor;  // lever instance + 1 paying for this job; 0 none
  std::uint16_t age_clock = 0;  // months everyone has aged (with demography on), modulo 2^16

  // Age in months, modulo 2^16 as a 16-bit count that went up every month would be.
  std::uint16_t AgeMonths(WorkerId w) const {
    return static_cast<std::uint16_t>(age_clock - birth_month[w]);
  }
  void SetAgeMonths(WorkerId w, int months) {
    birth_month[w] = static_cast<std::uint16_t>(age_clock - months);
  }

  std::size_t size() const { return region.size(); }
  void Resize(std::size_t n);
  std::size_t AllocatedBytes() const;
};

// 32 bytes per employer. Employers are stored grouped by market, so the employers of
// market m are the contiguous range [market_begin[m], market_begin[m + 1]).
struct EmployerStore {
  IdVector<EmployerId, RegionId> region;
  IdVector<EmployerId, SectorId> sector;
  IdVector<EmployerId, OwnershipId> ownership;
  IdVector<EmployerId, float> productivity;  // p_j
  IdVector<EmployerId, float> target;        // desired headcount
  IdVector<EmployerId, std::int32_t> headcount;
  IdVector<EmployerId, std::int32_t> vacancies;      // all open posts this month
  IdVector<EmployerId, std::int32_t> special_posts;  // of which outside the quota (last ones)
  IdVector<EmployerId, std::int32_t> quota;          // establishment quota; -1 = none
  IdVector<EmployerId, float> layoff_rate;           // this step's layoff probability
  std::vector<std::uint32_t> market_begin;           // markets + 1 entries

  std::size_t size() const { return region.size(); }
  void Resize(std::size_t n);
  std::size_t AllocatedBytes() const;
};

// Dimensions and static geography derived from the spec.
struct Geography {
  int regions = 0, sectors = 0, types = 0, ownerships = 0;
  std::vector<double> distance_km;       // regions x regions
  std::vector<double> population_share;  // per region, sums to 1

  int markets() const { return regions * sectors; }
  MarketId Market(RegionId r, SectorId s) const {
    return MarketId(static_cast<std::uint32_t>(r.index() * sectors + s.index()));
  }
  RegionId MarketRegion(MarketId m) const {
    return RegionId::FromIndex(m.index() / static_cast<std::size_t>(sectors));
  }
  SectorId MarketSector(MarketId m) const {
    return SectorId::FromIndex(m.index() % static_cast<std::size_t>(sectors));
  }
  double Distance(RegionId a, RegionId b) const {
    return distance_km[a.index() * regions + b.index()];
  }
};

Geography BuildGeography(const ScenarioSpec& spec);

// Great-circle distance in km between two points given in degrees.
double GreatCircleKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace talentflow
