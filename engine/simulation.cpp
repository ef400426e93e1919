// The monthly step: demand, separations and demography, search and destination choice,
// matching per market, and settling (insurance, hukou conversion, statistics).
#include "engine/simulation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>

namespace talentflow {
namespace {

constexpr std::size_t kStatus = 3;

std::int32_t AtomicAdd(std::int32_t& value, std::int32_t delta) {
  return std::atomic_ref<std::int32_t>(value).fetch_add(delta, std::memory_order_relaxed);
}

std::vector<double> Shares(const auto& items) {
  std::vector<double> out;
  for (const auto& item : items) out.push_back(item.share);
  return out;
}

std::size_t ChunkCount(std::size_t n) { return (n + kWorkerChunk - 1) / kWorkerChunk; }

// Parallel loop over fixed chunks of workers: the chunking never depends on threads.
template <class Body>
void ForEachChunk(std::size_t workers, Body&& body) {
  tbb::parallel_for(std::size_t{0}, ChunkCount(workers), [&](std::size_t chunk) {
    const std::size_t begin = chunk * kWorkerChunk;
    body(chunk, begin, std::min(workers, begin + kWorkerChunk));
  });
}

class PhaseTimer {
 public:
  explicit PhaseTimer(double& sink) : sink_(sink), start_(std::chrono::steady_clock::now()) {}
  ~PhaseTimer() {
    sink_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  double& sink_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

Simulation::Simulation(const ScenarioSpec& spec)
    : spec_(spec), geo_(BuildGeography(spec)), rng_(spec.run.seed), choice_(geo_) {
  const int R = geo_.regions, S = geo_.sectors, K = geo_.types, M = geo_.markets();
  const auto& b = spec_.behaviour;
  for (const auto& t : spec_.talent_types) {
    type_productivity_.push_back(t.productivity);
    type_search_rate_.push_back(t.on_the_job_search);
  }
  for (const auto& s : spec_.sectors) sector_separation_.push_back(s.separation_rate);
  for (const auto& r : spec_.regions) {
    region_services_.push_back(r.public_services);
    region_threshold_.push_back(r.hukou_threshold_months >= 0 ? r.hukou_threshold_months
                                                              : b.hukou.threshold_months);
  }
  market_wage_base_.resize(M);
  for (int r = 0; r < R; ++r) {
    for (int s = 0; s < S; ++s) {
      market_wage_base_[r * S + s] =
          b.labour_share * spec_.regions[r].productivity * spec_.sectors[s].productivity;
    }
  }
  // Static parts of the destination utility.
  const auto& c = b.choice;
  move_cost_.assign(static_cast<std::size_t>(R) * R * K, 0.0);
  for (int r = 0; r < R; ++r) {
    for (int r2 = 0; r2 < R; ++r2) {
      if (r == r2) continue;
      const double distance_term = c.distance * std::log1p(geo_.distance_km[r * R + r2] /
                                                           c.distance_scale);
      for (int k = 0; k < K; ++k) {
        move_cost_[(r * R + r2) * K + k] = distance_term + spec_.talent_types[k].migration_cost;
      }
    }
  }
  // The hukou penalty is money-metric: the log-income equivalent of the services a
  // non-local resident does without, relative to the region's typical wage.
  home_bonus_.resize(static_cast<std::size_t>(R) * 2);
  for (int r = 0; r < R; ++r) {
    const double typical_wage = b.labour_share * spec_.regions[r].productivity;
    const double services = c.hukou_penalty * c.wage * std::log1p(region_services_[r] / typical_wage);
    const double land = c.hukou_penalty * c.wage * std::log1p(b.land_income / typical_wage);
    home_bonus_[r * 2] = services;
    home_bonus_[r * 2 + 1] = services + land;
  }
  attraction_.resize(static_cast<std::size_t>(M) * K);
  market_vacancies_.resize(M);
  market_mean_productivity_.resize(M, 1.0);
  finding_rate_.assign(M, 0.5);
  step_hires_.resize(M);
  step_applicants_.resize(M);

  region_draw_ = AliasTable(geo_.population_share);
  sector_draw_ = AliasTable(Shares(spec_.sectors));
  std::vector<double> entrant_shares;
  for (const auto& t : spec_.talent_types) entrant_shares.push_back(t.entrant_share);
  entrant_type_draw_ = AliasTable(entrant_shares);

  // Tally layout.
  std::size_t at = 0;
  const auto take = [&](std::size_t n) {
    const std::size_t offset = at;
    at += n;
    return offset;
  };
  const std::size_t RK = static_cast<std::size_t>(R) * K;
  layout_.entrants = take(RK);
  layout_.exits = take(RK);
  layout_.separations = take(M);
  layout_.migrations = take(RK * R);
  layout_.flexible = take(RK * R);
  layout_.sector_transitions = take(static_cast<std::size_t>(S) * S);
  layout_.ownership_transitions = take(static_cast<std::size_t>(geo_.ownerships) * geo_.ownerships);
  layout_.conversions = take(R);
  layout_.mobility = take(1);
  layout_.population = take(RK);
  layout_.employed = take(RK);
  layout_.unemployed = take(RK);
  layout_.inactive = take(RK);
  layout_.wage_sum = take(M);
  layout_.wage_count = take(M);
  layout_.size = at;
  tallies_ = tbb::enumerable_thread_specific<std::vector<std::int64_t>>(
      std::vector<std::int64_t>(layout_.size, 0));

  InitialiseEmployers();
  InitialiseWorkers();
  ResetReport();
}

int Simulation::reports() const {
  return (spec_.run.steps + spec_.run.report_every - 1) / spec_.run.report_every;
}

std::size_t Simulation::WorkerBytes() const {
  const auto& w = workers_;
  return w.AllocatedBytes() + choice_of_.capacity_bytes() + applicants_.capacity() * sizeof(WorkerId);
}

void Simulation::InitialiseEmployers() {
  const int R = geo_.regions, S = geo_.sectors, M = geo_.markets();
  const auto& pop = spec_.population;
  // Employers per market in proportion to the market's expected employment, at least one
  // each, by largest remainder so the total is exact.
  std::vector<double> weight(M);
  for (int r = 0; r < R; ++r) {
    for (int s = 0; s < S; ++s) {
      weight[r * S + s] = geo_.population_share[r] * spec_.sectors[s].share;
    }
  }
  const std::int64_t total = spec_.employers.count;
  const std::int64_t spare = total - M;
  std::vector<std::int64_t> count(M, 1);
  std::vector<std::pair<double, int>> remainder(M);
  std::int64_t assigned = 0;
  for (int m = 0; m < M; ++m) {
    const double exact = weight[m] * static_cast<double>(spare);
    const auto whole = static_cast<std::int64_t>(std::floor(exact));
    count[m] += whole;
    assigned += whole;
    remainder[m] = {exact - static_cast<double>(whole), m};
  }
  std::stable_sort(remainder.begin(), remainder.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::int64_t i = 0; i < spare - assigned; ++i) ++count[remainder[i % M].second];

  employers_.Resize(static_cast<std::size_t>(total));
  employers_.market_begin.assign(M + 1, 0);
  for (int m = 0; m < M; ++m) {
    employers_.market_begin[m + 1] =
        employers_.market_begin[m] + static_cast<std::uint32_t>(count[m]);
  }
  const AliasTable ownership_draw(Shares(spec_.ownerships));
  const double size_sigma = spec_.employers.size_sigma;
  const double prod_sigma = spec_.employers.productivity_sigma;
  const double employed_total = static_cast<double>(pop.workers) * (1 - pop.inactive_share) *
                                (1 - pop.unemployment_rate);
  tbb::parallel_for(0, M, [&](int m) {
    const std::uint32_t begin = employers_.market_begin[m], end = employers_.market_begin[m + 1];
    double size_sum = 0;
    for (std::uint32_t j = begin; j < end; ++j) {
      const EmployerId e(j);
      const auto u = rng_.Uniforms(0, Purpose::kInitEmployer, j);
      employers_.region[e] = geo_.MarketRegion(MarketId(m));
      employers_.sector[e] = geo_.MarketSector(MarketId(m));
      employers_.ownership[e] = OwnershipId::FromIndex(ownership_draw.Sample(u.a));
      employers_.productivity[e] = static_cast<float>(std::exp(
          prod_sigma * rng_.Normal(0, Purpose::kInitEmployer, j, 1) - 0.5 * prod_sigma * prod_sigma));
      // The target holds the size weight until it is scaled below.
      employers_.target[e] =
          static_cast<float>(std::exp(size_sigma * rng_.Normal(0, Purpose::kInitEmployer, j, 2)));
      size_sum += employers_.target[e];
      employers_.headcount[e] = 0;
      employers_.vacancies[e] = 0;
      employers_.layoff_rate[e] = 0;
    }
    const double market_employment = employed_total * weight[m];
    for (std::uint32_t j = begin; j < end; ++j) {
      const EmployerId e(j);
      const double expected = market_employment * employers_.target[e] / size_sum;
      employers_.target[e] = static_cast<float>(expected * (1 + spec_.employers.vacancy_rate));
      const auto& own = spec_.ownerships[employers_.ownership[e].index()];
      employers_.quota[e] = own.is_public && own.quota > 0
                                ? static_cast<std::int32_t>(std::ceil(employers_.target[e] * own.quota))
                                : -1;
    }
  });
}

void Simulation::InitialiseWorkers() {
  const auto n = static_cast<std::size_t>(spec_.population.workers);
  const int M = geo_.markets();
  workers_.Resize(n);
  choice_of_.assign(n, kNoChoice);
  applicants_.assign(n, WorkerId(0));
  chunk_counts_.assign(ChunkCount(n) * M, 0);
  market_applicant_begin_.assign(M + 1, 0);

  // Employers are picked within a market in proportion to their target size.
  std::vector<AliasTable> employer_draw(M);
  tbb::parallel_for(0, M, [&](int m) {
    const std::uint32_t begin = employers_.market_begin[m], end = employers_.market_begin[m + 1];
    std::vector<double> w(end - begin);
    for (std::uint32_t j = begin; j < end; ++j) w[j - begin] = employers_.target[EmployerId(j)];
    employer_draw[m] = AliasTable(w);
  });
  const AliasTable type_draw(Shares(spec_.talent_types));
  const auto& pop = spec_.population;
  const int entry = spec_.demography.entry_age * 12;
  const int span = std::max(1, (spec_.demography.retirement_age - spec_.demography.entry_age) * 12);

  ForEachChunk(n, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const WorkerId w = WorkerId::FromIndex(i);
      const auto a = rng_.Uniforms(0, Purpose::kInitWorker, i, 0);
      const auto b = rng_.Uniforms(0, Purpose::kInitWorker, i, 1);
      const auto c = rng_.Uniforms(0, Purpose::kInitWorker, i, 2);
      const auto d = rng_.Uniforms(0, Purpose::kInitWorker, i, 3);
      const RegionId region = RegionId::FromIndex(region_draw_.Sample(a.a));
      const RegionId hukou =
          a.b < pop.migrant_share ? RegionId::FromIndex(region_draw_.Sample(b.a)) : region;
      const TypeId type = TypeId::FromIndex(type_draw.Sample(b.b));
      const SectorId sector = SectorId::FromIndex(sector_draw_.Sample(c.a));
      workers_.region[w] = region;
      workers_.hukou[w] = hukou;
      workers_.type[w] = type;
      workers_.sector[w] = sector;
      workers_.flags[w] = c.b < pop.rural_hukou_share ? worker_flag::kRuralHukou : 0;
      workers_.age_months[w] = static_cast<std::uint16_t>(entry + static_cast<int>(d.a * span));
      workers_.lock_end[w] = 0;
      workers_.employer[w] = kNoEmployer;
      workers_.wage[w] = 0;
      workers_.tenure[w] = 0;
      workers_.insured[w] = 0;
      if (d.b < pop.inactive_share) {
        workers_.status[w] = Status::kInactive;
        continue;
      }
      const auto e_draw = rng_.Uniforms(0, Purpose::kInitWorker, i, 4);
      workers_.insured[w] = static_cast<std::uint16_t>(e_draw.b * 120);
      if (e_draw.a < pop.unemployment_rate) {
        workers_.status[w] = Status::kUnemployed;
        continue;
      }
      const MarketId m = geo_.Market(region, sector);
      const EmployerId e(employers_.market_begin[m.index()] +
                         employer_draw[m.index()].Sample(rng_.Uniform(0, Purpose::kInitWorker, i, 5)));
      workers_.status[w] = Status::kEmployed;
      workers_.employer[w] = e;
      workers_.wage[w] = PostedWage(e, type);
      workers_.tenure[w] = static_cast<std::uint16_t>(e_draw.b * 120);
      AtomicAdd(employers_.headcount[e], 1);
    }
  });
  // Targets were drawn before the random assignment of workers; an employer that drew more
  // workers than expected keeps them rather than laying them off in the first month.
  tbb::parallel_for(std::size_t{0}, employers_.size(), [&](std::size_t j) {
    const EmployerId e = EmployerId::FromIndex(j);
    const double headcount = employers_.headcount[e] * (1 + spec_.employers.vacancy_rate);
    if (headcount > employers_.target[e]) employers_.target[e] = static_cast<float>(headcount);
    if (employers_.quota[e] >= 0) {
      employers_.quota[e] = std::max(employers_.quota[e], employers_.headcount[e]);
    }
  });
}

void Simulation::UpdateDemand() {
  const int M = geo_.markets();
  const double monthly_growth = std::log1p(spec_.labour_demand.growth) / 12.0;
  const double sigma = spec_.labour_demand.shock_sigma;
  const auto step = static_cast<std::uint32_t>(step_);
  tbb::parallel_for(0, M, [&](int m) {
    std::int64_t vacancies = 0;
    double weighted_productivity = 0, headcount_productivity = 0, headcount = 0;
    for (std::uint32_t j = employers_.market_begin[m]; j < employers_.market_begin[m + 1]; ++j) {
      const EmployerId e(j);
      float& target = employers_.target[e];
      if (step_ > 0 && (monthly_growth != 0 || sigma > 0)) {
        const double shock = sigma > 0 ? sigma * rng_.Normal(step, Purpose::kDemandShock, j) : 0.0;
        target = static_cast<float>(target * std::exp(monthly_growth + shock - 0.5 * sigma * sigma));
      }
      const std::int32_t have = employers_.headcount[e];
      const auto want = static_cast<std::int32_t>(std::lround(target));
      std::int32_t open = std::max(0, want - have);
      if (employers_.quota[e] >= 0) open = std::min(open, std::max(0, employers_.quota[e] - have));
      employers_.vacancies[e] = open;
      employers_.layoff_rate[e] =
          have > want && have > 0 ? static_cast<float>(have - want) / static_cast<float>(have) : 0.0f;
      vacancies += open;
      weighted_productivity += open * employers_.productivity[e];
      headcount_productivity += have * employers_.productivity[e];
      headcount += have;
    }
    market_vacancies_[m] = vacancies;
    // Expected pay in a market is set by the employers that are hiring.
    market_mean_productivity_[m] = vacancies > 0   ? weighted_productivity / vacancies
                                   : headcount > 0 ? headcount_productivity / headcount
                                                   : 1.0;
  });
}

void Simulation::EnterWorker(WorkerId w, std::uint32_t step, std::vector<std::int64_t>& tally) {
  const auto& pop = spec_.population;
  const auto a = rng_.Uniforms(step, Purpose::kEntrant, w.value(), 0);
  const auto b = rng_.Uniforms(step, Purpose::kEntrant, w.value(), 1);
  const RegionId region = RegionId::FromIndex(region_draw_.Sample(a.a));
  const TypeId type = TypeId::FromIndex(entrant_type_draw_.Sample(a.b));
  workers_.region[w] = region;
  workers_.hukou[w] = region;
  workers_.type[w] = type;
  workers_.sector[w] = SectorId::FromIndex(sector_draw_.Sample(b.a));
  workers_.status[w] = b.b < pop.inactive_share ? Status::kInactive : Status::kUnemployed;
  workers_.flags[w] = rng_.Uniform(step, Purpose::kEntrant, w.value(), 2) < pop.rural_hukou_share
                          ? worker_flag::kRuralHukou
                          : 0;
  workers_.employer[w] = kNoEmployer;
  workers_.wage[w] = 0;
  workers_.tenure[w] = 0;
  workers_.lock_end[w] = 0;
  workers_.insured[w] = 0;
  workers_.age_months[w] = static_cast<std::uint16_t>(spec_.demography.entry_age * 12);
  ++tally[layout_.entrants + region.index() * geo_.types + type.index()];
}

void Simulation::SeparateAndAge() {
  const auto step = static_cast<std::uint32_t>(step_);
  const bool demography = spec_.demography.enabled;
  const int retirement = spec_.demography.retirement_age * 12;
  ForEachChunk(workers_.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
    auto& tally = tallies_.local();
    for (std::size_t i = begin; i < end; ++i) {
      const WorkerId w = WorkerId::FromIndex(i);
      const bool employed = workers_.status[w] == Status::kEmployed;
      if (demography && ++workers_.age_months[w] >= retirement) {
        ++tally[layout_.exits + workers_.region[w].index() * geo_.types + workers_.type[w].index()];
        if (employed) {
          const EmployerId e = workers_.employer[w];
          AtomicAdd(employers_.headcount[e], -1);
          ++tally[layout_.separations + MarketOf(e).index()];
        }
        EnterWorker(w, step, tally);
        continue;
      }
      if (!employed) continue;
      const EmployerId e = workers_.employer[w];
      const double sigma = sector_separation_[workers_.sector[w].index()];
      const double layoff = employers_.layoff_rate[e];
      const double p = sigma + (1 - sigma) * layoff;
      if (rng_.Uniform(step, Purpose::kSeparation, i) >= p) continue;
      AtomicAdd(employers_.headcount[e], -1);
      ++tally[layout_.separations + MarketOf(e).index()];
      workers_.status[w] = Status::kUnemployed;
      workers_.employer[w] = kNoEmployer;
      workers_.wage[w] = 0;
      workers_.tenure[w] = 0;
      workers_.flags[w] |= worker_flag::kSeparatedNow;
    }
  });
}

void Simulation::Search() {
  const int R = geo_.regions, S = geo_.sectors, K = geo_.types, M = geo_.markets();
  const auto& c = spec_.behaviour.choice;
  // Destination-only utility of each market for each type.
  for (int r = 0; r < R; ++r) {
    const auto& region = spec_.regions[r];
    const double region_term = c.amenity * region.amenity - c.housing_cost * std::log(region.housing_cost) -
                               home_bonus_[r * 2];
    for (int s = 0; s < S; ++s) {
      const int m = r * S + s;
      const double log_income_base =
          std::log(market_wage_base_[m] * market_mean_productivity_[m]);
      const double finding = c.job_finding * std::log(finding_rate_[m]);
      for (int k = 0; k < K; ++k) {
        attraction_[m * K + k] =
            c.wage * (log_income_base + std::log(type_productivity_[k])) + finding + region_term;
      }
    }
  }
  choice_.Build({&attraction_, &move_cost_, &home_bonus_, c.sector_change});

  const auto step = static_cast<std::uint32_t>(step_);
  const std::size_t n = workers_.size();
  const double local_share = c.local_search_share;
  ForEachChunk(n, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
    std::uint32_t* counts = &chunk_counts_[chunk * M];
    std::fill(counts, counts + M, 0u);
    for (std::size_t i = begin; i < end; ++i) {
      const WorkerId w = WorkerId::FromIndex(i);
      choice_of_[w] = kNoChoice;
      const Status status = workers_.status[w];
      if (status == Status::kInactive || (workers_.flags[w] & worker_flag::kSeparatedNow)) continue;
      const auto u = rng_.Uniforms(step, Purpose::kSearch, i);
      if (status == Status::kEmployed &&
          (u.a >= type_search_rate_[workers_.type[w].index()] || workers_.lock_end[w] > step)) {
        continue;
      }
      const auto d = rng_.Uniforms(step, Purpose::kDestination, i);
      const MarketId m = choice_.Sample(workers_.region[w], workers_.type[w], workers_.hukou[w],
                                        workers_.flags[w] & worker_flag::kRuralHukou,
                                        workers_.sector[w], u.b < local_share, d.a, d.b);
      choice_of_[w] = m.value();
      ++counts[m.index()];
    }
  });
  // Offsets, market-major then chunk: applicants of a market end up in worker-id order.
  const std::size_t chunks = ChunkCount(n);
  std::uint32_t running = 0;
  for (int m = 0; m < M; ++m) {
    market_applicant_begin_[m] = running;
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
      const std::uint32_t count = chunk_counts_[chunk * M + m];
      chunk_counts_[chunk * M + m] = running;
      running += count;
    }
  }
  market_applicant_begin_[M] = running;
  ForEachChunk(n, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
    std::uint32_t* next = &chunk_counts_[chunk * M];
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t m = choice_of_[WorkerId::FromIndex(i)];
      if (m != kNoChoice) applicants_[next[m]++] = WorkerId::FromIndex(i);
    }
  });
}

double Simulation::JobValue(WorkerId w, RegionId r, double wage) const {
  return wage + (workers_.hukou[w] == r ? region_services_[r.index()] : 0.0);
}

void Simulation::Match() {
  const int M = geo_.markets(), K = geo_.types, R = geo_.regions, S = geo_.sectors;
  const int O = geo_.ownerships;
  const auto& b = spec_.behaviour;
  const auto step = static_cast<std::uint32_t>(step_);
  tbb::parallel_for(0, M, [&](int m) {
    auto& scratch = match_scratch_.local();
    auto& tally = tallies_.local();
    const std::uint32_t a_begin = market_applicant_begin_[m], a_end = market_applicant_begin_[m + 1];
    const std::int64_t applicants = a_end - a_begin;
    const std::int64_t vacancies = market_vacancies_[m];
    step_applicants_[m] = applicants;
    step_hires_[m] = 0;
    if (applicants == 0 || vacancies == 0) return;
    const double meetings = b.matching.efficiency *
                            std::pow(static_cast<double>(applicants), 1 - b.matching.elasticity) *
                            std::pow(static_cast<double>(vacancies), b.matching.elasticity);
    // Stochastic rounding keeps the expected number of meetings exact.
    const double u_round = rng_.Uniform(step, Purpose::kMatchRound, static_cast<std::uint64_t>(m));
    const std::int64_t met = std::min({applicants, vacancies,
                                       static_cast<std::int64_t>(std::floor(meetings + u_round))});
    if (met <= 0) return;
    // The met applicants are those with the smallest keyed draws: a uniform random subset,
    // and a worker keeps its draw across runs that differ only in policy.
    auto& keyed = scratch.keyed;
    keyed.clear();
    for (std::uint32_t a = a_begin; a < a_end; ++a) {
      const WorkerId w = applicants_[a];
      const std::uint64_t key = rng_.Bits(step, Purpose::kMatchOrder, w.value())[0];
      keyed.push_back(key << 32 | w.value());
    }
    std::nth_element(keyed.begin(), keyed.begin() + (met - 1), keyed.end());
    std::sort(keyed.begin(), keyed.begin() + met);
    // Choose `met` of the market's vacancy slots uniformly (selection sampling), so each
    // employer meets applicants in proportion to its vacancies and never more than it has.
    auto& slots = scratch.slots;
    slots.clear();
    std::int64_t seen = 0;
    for (std::uint32_t j = employers_.market_begin[m];
         j < employers_.market_begin[m + 1] && static_cast<std::int64_t>(slots.size()) < met; ++j) {
      for (std::int32_t v = 0; v < employers_.vacancies[EmployerId(j)]; ++v, ++seen) {
        const double u = rng_.Uniform(step, Purpose::kVacancySlot,
                                      static_cast<std::uint64_t>(m) << 32 | static_cast<std::uint64_t>(seen));
        if (u * static_cast<double>(vacancies - seen) <
            static_cast<double>(met - static_cast<std::int64_t>(slots.size()))) {
          slots.push_back(EmployerId(j));
        }
      }
    }
    std::int64_t hires = 0;
    for (std::int64_t i = 0; i < met; ++i) {
      const WorkerId w = WorkerId::FromIndex(keyed[i] & 0xffffffffu);
      const EmployerId e = slots[i];
      const RegionId to = employers_.region[e];
      const RegionId from = workers_.region[w];
      if (b.discrimination > 0 && workers_.hukou[w] != to &&
          rng_.Uniform(step, Purpose::kDiscrimination, w.value()) < b.discrimination) {
        continue;
      }
      const TypeId k = workers_.type[w];
      const float offer = PostedWage(e, k);
      const bool employed = workers_.status[w] == Status::kEmployed;
      const double current =
          JobValue(w, from, employed ? workers_.wage[w] : b.unemployment_benefit);
      if (JobValue(w, to, offer) <= current || workers_.employer[w] == e) continue;
      if (employed) {
        const EmployerId old = workers_.employer[w];
        AtomicAdd(employers_.headcount[old], -1);
        ++tally[layout_.separations + MarketOf(old).index()];
        ++tally[layout_.sector_transitions + workers_.sector[w].index() * S +
                employers_.sector[e].index()];
        ++tally[layout_.ownership_transitions + employers_.ownership[old].index() * O +
                employers_.ownership[e].index()];
      }
      AtomicAdd(employers_.headcount[e], 1);
      ++hires;
      if (to != from) {
        ++tally[layout_.migrations + (k.index() * R + from.index()) * R + to.index()];
        workers_.region[w] = to;
        workers_.insured[w] = static_cast<std::uint16_t>(
            std::floor(workers_.insured[w] * b.insurance_portability));
      }
      if (employed || to != from) ++tally[layout_.mobility];
      workers_.status[w] = Status::kEmployed;
      workers_.employer[w] = e;
      workers_.sector[w] = employers_.sector[e];
      workers_.wage[w] = offer;
      workers_.tenure[w] = 0;
    }
    step_hires_[m] = hires;
  });
  (void)K;
}

void Simulation::Settle() {
  const auto step = static_cast<std::uint32_t>(step_);
  const auto& b = spec_.behaviour;
  const int K = geo_.types;
  const double drift = 1 + b.wage_drift;
  const double conversion = b.hukou.conversion_rate;
  const bool record = report_due_;
  ForEachChunk(workers_.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
    auto& tally = tallies_.local();
    for (std::size_t i = begin; i < end; ++i) {
      const WorkerId w = WorkerId::FromIndex(i);
      workers_.flags[w] &= static_cast<std::uint8_t>(~worker_flag::kSeparatedNow);
      const Status status = workers_.status[w];
      const RegionId r = workers_.region[w];
      if (status == Status::kEmployed) {
        if (workers_.tenure[w] < 0xffff) ++workers_.tenure[w];
        if (workers_.insured[w] < 0xffff) ++workers_.insured[w];
        if (drift != 1) workers_.wage[w] = static_cast<float>(workers_.wage[w] * drift);
      }
      if (workers_.hukou[w] != r && status != Status::kInactive &&
          workers_.insured[w] >= region_threshold_[r.index()] &&
          rng_.Uniform(step, Purpose::kHukouConversion, i) < conversion) {
        workers_.hukou[w] = r;
        ++tally[layout_.conversions + r.index()];
      }
      if (!record) continue;
      const std::size_t cell = r.index() * K + workers_.type[w].index();
      ++tally[layout_.population + cell];
      if (status == Status::kEmployed) {
        ++tally[layout_.employed + cell];
        const std::size_t m = MarketOf(workers_.employer[w]).index();
        // Wages are summed in fen as integers so the sum is exact in any order.
        tally[layout_.wage_sum + m] += std::llround(static_cast<double>(workers_.wage[w]) * 100.0);
        ++tally[layout_.wage_count + m];
      } else {
        ++tally[(status == Status::kUnemployed ? layout_.unemployed : layout_.inactive) + cell];
      }
    }
  });
}

void Simulation::ResetReport() {
  const std::size_t R = geo_.regions, S = geo_.sectors, K = geo_.types, O = geo_.ownerships;
  const std::size_t M = geo_.markets();
  auto zero = [](auto& v, std::size_t n) { v.assign(n, 0); };
  zero(report_.population, R * K);
  zero(report_.employed, R * K);
  zero(report_.unemployed, R * K);
  zero(report_.inactive, R * K);
  zero(report_.entrants, R * K);
  zero(report_.exits, R * K);
  zero(report_.employment, M);
  zero(report_.vacancies, M);
  zero(report_.applicants, M);
  zero(report_.hires, M);
  zero(report_.separations, M);
  zero(report_.mean_wage, M);
  zero(report_.job_finding_rate, M);
  zero(report_.vacancy_filling_rate, M);
  zero(report_.migrations, K * R * R);
  zero(report_.flexible_hires, K * R * R);
  zero(report_.sector_transitions, S * S);
  zero(report_.ownership_transitions, O * O);
  zero(report_.hukou_conversions, R);
  zero(report_.fiscal_cost, spec_.policies.size() * R);
  report_.mobility_events = 0;
  report_.labour_force = 0;
  report_.first_step = step_;
  report_.last_step = step_;
}

void Simulation::MergeTallies() {
  // Integer sums: the result is the same whatever thread produced which part.
  const auto add = [](std::vector<std::int64_t>& into, const std::vector<std::int64_t>& from,
                      std::size_t offset) {
    for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[offset + i];
  };
  const std::size_t M = geo_.markets();
  std::vector<std::int64_t> wage_sum(M, 0), wage_count(M, 0);
  for (auto& t : tallies_) {
    add(report_.entrants, t, layout_.entrants);
    add(report_.exits, t, layout_.exits);
    add(report_.separations, t, layout_.separations);
    add(report_.migrations, t, layout_.migrations);
    add(report_.flexible_hires, t, layout_.flexible);
    add(report_.sector_transitions, t, layout_.sector_transitions);
    add(report_.ownership_transitions, t, layout_.ownership_transitions);
    add(report_.hukou_conversions, t, layout_.conversions);
    report_.mobility_events += t[layout_.mobility];
    if (report_due_) {
      add(report_.population, t, layout_.population);
      add(report_.employed, t, layout_.employed);
      add(report_.unemployed, t, layout_.unemployed);
      add(report_.inactive, t, layout_.inactive);
      add(wage_sum, t, layout_.wage_sum);
      add(wage_count, t, layout_.wage_count);
    }
    for (std::size_t i = layout_.migrations; i < layout_.migrations + report_.migrations.size(); ++i) {
      total_migrations_ += t[i];
    }
    std::fill(t.begin(), t.end(), 0);
  }
  for (std::size_t m = 0; m < M; ++m) {
    report_.vacancies[m] += market_vacancies_[m];
    report_.applicants[m] += step_applicants_[m];
    report_.hires[m] += step_hires_[m];
    // Smoothed so a market nobody tried last month is neither certain nor hopeless.
    finding_rate_[m] = (static_cast<double>(step_hires_[m]) + 0.5) /
                       (static_cast<double>(step_applicants_[m]) + 1.0);
  }
  if (!report_due_) return;
  for (std::size_t m = 0; m < M; ++m) {
    std::int64_t employment = 0;
    for (std::uint32_t j = employers_.market_begin[m]; j < employers_.market_begin[m + 1]; ++j) {
      employment += employers_.headcount[EmployerId(j)];
    }
    report_.employment[m] = employment;
    report_.mean_wage[m] =
        wage_count[m] > 0 ? static_cast<double>(wage_sum[m]) / 100.0 / wage_count[m] : 0.0;
    report_.job_finding_rate[m] =
        report_.applicants[m] > 0 ? static_cast<double>(report_.hires[m]) / report_.applicants[m] : 0.0;
    report_.vacancy_filling_rate[m] =
        report_.vacancies[m] > 0 ? static_cast<double>(report_.hires[m]) / report_.vacancies[m] : 0.0;
  }
  for (std::size_t i = 0; i < report_.population.size(); ++i) {
    report_.labour_force += report_.employed[i] + report_.unemployed[i];
  }
  const double rate = report_.labour_force > 0
                          ? static_cast<double>(report_.mobility_events) / report_.labour_force
                          : 0.0;
  if (base_mobility_rate_ < 0) base_mobility_rate_ = rate;
  report_.talent_flow_index = base_mobility_rate_ > 0 ? 100.0 * rate / base_mobility_rate_ : 100.0;
  report_.last_step = step_;
}

void Simulation::Step() {
  if (report_due_) ResetReport();
  report_due_ = (step_ + 1) % spec_.run.report_every == 0 || step_ + 1 == spec_.run.steps;
  auto& t = phase_seconds_;
  {
    PhaseTimer timer(t[static_cast<int>(Phase::kDemand)]);
    UpdateDemand();
  }
  {
    PhaseTimer timer(t[static_cast<int>(Phase::kSeparation)]);
    SeparateAndAge();
  }
  {
    PhaseTimer timer(t[static_cast<int>(Phase::kSearch)]);
    Search();
  }
  {
    PhaseTimer timer(t[static_cast<int>(Phase::kMatching)]);
    Match();
  }
  {
    PhaseTimer timer(t[static_cast<int>(Phase::kSettle)]);
    Settle();
    MergeTallies();
  }
  ++step_;
}

}  // namespace talentflow
