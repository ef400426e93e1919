// The monthly step: demand, separations and demography, search and destination choice,
// matching per market, and settling (insurance, hukou conversion, statistics).
#include "engine/simulation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/sampling.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The worker passes stream a dozen arrays at once, more than the hardware prefetchers
// follow, so each pass asks for the lines of the 64-worker block kPrefetchAhead workers on.
constexpr std::size_t kPrefetchAhead = 2 * KeyedRng::kBlock;
// Workers the separation and search pass goes by between its searchers' destination draws
// (see SeparateAndSearch).
constexpr std::size_t kDrawEvery = 1 << 14;
static_assert(kWorkerChunk % kDrawEvery == 0 && kDrawEvery % KeyedRng::kBlock == 0);

// How the passes ask for their streams' lines: non-temporal (prefetchnta) keeps them out
// of the outer caches, where the step's tables (destination choice, employers) stay; to
// every level (prefetcht0) where the CPU's non-temporal prefetch fills only the first
// level, whose lines the passes' other accesses then evict before use. Intel's do (on
// Sapphire Rapids, 10 M workers, 2 threads: the month 12 % faster to every level, 30
// in-process pairs, 0.875 +-0.009; separation and search 0.82, settling 0.90). AMD Zen 3,
// where the passes were tuned, keeps non-temporal.
bool CpuPrefetchesStreamsToAllLevels() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  return __builtin_cpu_is("intel");
#else
  return false;
#endif
}

template <class T>
void PrefetchBlock(const T* base, std::size_t first, bool to_all_levels) {
  const char* const begin = reinterpret_cast<const char*>(base + first);
  for (std::size_t offset = 0; offset < sizeof(T) * KeyedRng::kBlock; offset += 64) {
    if (to_all_levels) {
      __builtin_prefetch(begin + offset, 1, 3);
    } else {
      __builtin_prefetch(begin + offset, 1, 0);
    }
  }
}

double Unit32(std::uint32_t bits) { return KeyedRng::Unit32(bits); }

// std::popcount is a call into libgcc (a table lookup per byte) unless the build targets
// CPUs with POPCNT; this is a dozen inline instructions.
std::size_t BitCount(std::uint64_t x) {
#if defined(__POPCNT__)
  return static_cast<std::size_t>(std::popcount(x));
#else
  x -= (x >> 1) & 0x5555555555555555u;
  x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
  return static_cast<std::size_t>((x * 0x0101010101010101u) >> 56);
#endif
}

// The first `count` lanes of a block.
std::uint64_t LaneMask(std::size_t count) {
  return count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
}

// The quick test of the separation and search pass for a full block of 64 workers, given
// their monthly words. Bit l of `quiet` is set where worker l is inactive, or employed in
// a job that is not flexible with a word above `quiet_limit` (neither leaving nor
// searching at any market's and type's rates, layoffs included), and does not retire
// (age, `clock` less its birth month, at least `retirement`; 65536 for nobody); bit l of
// `may_leave` where it is employed and its word is not above `separation_limit`; bit l of
// `steady` where it is employed in a job that is not flexible and does not retire (its own
// rates then decide).
struct BlockMasks {
  std::uint64_t quiet, may_leave, steady;
};
BlockMasks QuietBlock(const Status* status, const std::uint8_t* flags, const std::uint16_t* birth,
                      std::uint16_t clock, const std::uint32_t* word, std::uint32_t quiet_limit,
                      std::uint32_t separation_limit, std::uint32_t retirement) {
  static_assert(KeyedRng::kBlock == 64);
  BlockMasks masks{0, 0, 0};
#if defined(__SSE2__)
  // Sixteen workers per step: bytes compare directly, and the 32-bit words and 16-bit ages
  // compare as signed numbers once their top bits are flipped, then pack down to bytes.
  const __m128i flip32 = _mm_set1_epi32(std::numeric_limits<std::int32_t>::min());
  const __m128i flip16 = _mm_set1_epi16(std::numeric_limits<std::int16_t>::min());
  const __m128i quiet_bound = _mm_set1_epi32(static_cast<std::int32_t>(quiet_limit ^ 0x80000000u));
  const __m128i separation =
      _mm_set1_epi32(static_cast<std::int32_t>(separation_limit ^ 0x80000000u));
  // age >= retirement is age > retirement - 1; with no one below 0, retirement 0 is all.
  const bool everyone_retires = retirement == 0;
  const __m128i last_working_age = _mm_set1_epi16(static_cast<std::int16_t>(
      ((std::min<std::uint32_t>(retirement, 65536) - 1) & 0xffff) ^ 0x8000));
  const bool nobody_retires = retirement > 0xffff;
  const __m128i now = _mm_set1_epi16(static_cast<std::int16_t>(clock));
  const __m128i zero = _mm_setzero_si128();
  const __m128i employed_code = _mm_set1_epi8(static_cast<char>(Status::kEmployed));
  const __m128i inactive_code = _mm_set1_epi8(static_cast<char>(Status::kInactive));
  const __m128i flexible_bit = _mm_set1_epi8(static_cast<char>(worker_flag::kFlexible));
  for (std::size_t base = 0; base < 64; base += 16) {
    __m128i still[4], clear[4];
    for (int q = 0; q < 4; ++q) {
      const __m128i w = _mm_xor_si128(
          _mm_load_si128(reinterpret_cast<const __m128i*>(word + base + 4 * q)), flip32);
      still[q] = _mm_cmpgt_epi32(w, quiet_bound);
      clear[q] = _mm_cmpgt_epi32(w, separation);
    }
    const __m128i stay_put =
        _mm_packs_epi16(_mm_packs_epi32(still[0], still[1]), _mm_packs_epi32(still[2], still[3]));
    const __m128i no_separation =
        _mm_packs_epi16(_mm_packs_epi32(clear[0], clear[1]), _mm_packs_epi32(clear[2], clear[3]));
    const __m128i st = _mm_loadu_si128(reinterpret_cast<const __m128i*>(status + base));
    const __m128i employed = _mm_cmpeq_epi8(st, employed_code);
    const __m128i inactive = _mm_cmpeq_epi8(st, inactive_code);
    const __m128i fl = _mm_loadu_si128(reinterpret_cast<const __m128i*>(flags + base));
    const __m128i not_flexible = _mm_cmpeq_epi8(_mm_and_si128(fl, flexible_bit), zero);
    __m128i retiring = zero;
    if (everyone_retires) {
      retiring = _mm_cmpeq_epi8(zero, zero);
    } else if (!nobody_retires) {
      const __m128i a0 =
          _mm_sub_epi16(now, _mm_loadu_si128(reinterpret_cast<const __m128i*>(birth + base)));
      const __m128i a1 =
          _mm_sub_epi16(now, _mm_loadu_si128(reinterpret_cast<const __m128i*>(birth + base + 8)));
      retiring = _mm_packs_epi16(_mm_cmpgt_epi16(_mm_xor_si128(a0, flip16), last_working_age),
                                 _mm_cmpgt_epi16(_mm_xor_si128(a1, flip16), last_working_age));
    }
    const __m128i steady = _mm_andnot_si128(retiring, _mm_and_si128(employed, not_flexible));
    const __m128i stays =
        _mm_or_si128(_mm_and_si128(steady, stay_put), _mm_andnot_si128(retiring, inactive));
    masks.quiet |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(stays))} << base;
    masks.steady |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(steady))} << base;
    masks.may_leave |= std::uint64_t{static_cast<std::uint16_t>(
                           _mm_movemask_epi8(_mm_andnot_si128(no_separation, employed)))}
                       << base;
  }
#else
  for (std::size_t lane = 0; lane < 64; ++lane) {
    const auto age = static_cast<std::uint16_t>(clock - birth[lane]);
    const bool employed = status[lane] == Status::kEmployed;
    const bool steady =
        employed & ((flags[lane] & worker_flag::kFlexible) == 0) & (age < retirement);
    const bool stays = (steady & (word[lane] > quiet_limit)) |
                       ((status[lane] == Status::kInactive) & (age < retirement));
    masks.quiet |= std::uint64_t{stays} << lane;
    masks.steady |= std::uint64_t{steady} << lane;
    masks.may_leave |= std::uint64_t{employed & (word[lane] <= separation_limit)} << lane;
  }
#endif
  return masks;
}

// Wages are summed in fen as integers, so the sums are exact in any order.
std::int64_t Fen(float wage) {
  return static_cast<std::int64_t>(static_cast<double>(wage) * 100.0 + 0.5);
}
std::uint64_t UnitThreshold(double p) { return KeyedRng::UnitThreshold(p); }

// The settling pass's test for the first `count` workers (at most 64) in a month without
// wage drift: bit l is set where worker l is inactive, or employed with neither a sponsor
// nor a flexible job and either in its hukou region or with fewer than `insured_limit`
// insured months (then, a month on, still below every region's bound for a hukou).
std::uint64_t PlainLanes(const Status* status, const std::uint8_t* sponsor,
                         const std::uint8_t* flags, const RegionId* hukou, const RegionId* region,
                         const std::uint16_t* insured, std::uint16_t insured_limit,
                         std::size_t count) {
  static_assert(sizeof(RegionId) == 2);
  std::uint64_t plain = 0;
  std::size_t base = 0;
#if defined(__SSE2__)
  // Sixteen workers per step; the 16-bit regions and insured months compare in two halves
  // packed to bytes.
  const __m128i zero = _mm_setzero_si128();
  const __m128i employed_code = _mm_set1_epi8(static_cast<char>(Status::kEmployed));
  const __m128i inactive_code = _mm_set1_epi8(static_cast<char>(Status::kInactive));
  const __m128i flexible_bit = _mm_set1_epi8(static_cast<char>(worker_flag::kFlexible));
  const __m128i limit = _mm_set1_epi16(static_cast<short>(insured_limit));
  const auto load = [](const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); };
  // insured < limit, unsigned: the saturating difference limit - insured is not zero.
  const auto below = [&](const std::uint16_t* p) {
    return _mm_xor_si128(_mm_cmpeq_epi16(_mm_subs_epu16(limit, load(p)), zero), _mm_set1_epi16(-1));
  };
  for (; base + 16 <= count; base += 16) {
    const __m128i st = load(status + base);
    const __m128i unsponsored = _mm_cmpeq_epi8(load(sponsor + base), zero);
    const __m128i not_flexible =
        _mm_cmpeq_epi8(_mm_and_si128(load(flags + base), flexible_bit), zero);
    const __m128i at_home =
        _mm_packs_epi16(_mm_cmpeq_epi16(load(hukou + base), load(region + base)),
                        _mm_cmpeq_epi16(load(hukou + base + 8), load(region + base + 8)));
    const __m128i short_insured = _mm_packs_epi16(below(insured + base), below(insured + base + 8));
    const __m128i employee =
        _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(st, employed_code), unsponsored),
                      _mm_and_si128(not_flexible, _mm_or_si128(at_home, short_insured)));
    const __m128i result = _mm_or_si128(employee, _mm_cmpeq_epi8(st, inactive_code));
    plain |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(result))} << base;
  }
#endif
  for (; base < count; ++base) {
    const bool employee = (status[base] == Status::kEmployed) & (sponsor[base] == 0) &
                          ((flags[base] & worker_flag::kFlexible) == 0) &
                          ((hukou[base] == region[base]) | (insured[base] < insured_limit));
    plain |= static_cast<std::uint64_t>(employee | (status[base] == Status::kInactive)) << base;
  }
  return plain;
}

// Bit l set where worker l of the first `count` (at most 64) is employed.
std::uint64_t EmployedLanes(const Status* status, std::size_t count) {
  std::uint64_t employed = 0;
  std::size_t base = 0;
#if defined(__SSE2__)
  const __m128i employed_code = _mm_set1_epi8(static_cast<char>(Status::kEmployed));
  for (; base + 16 <= count; base += 16) {
    const __m128i st = _mm_loadu_si128(reinterpret_cast<const __m128i*>(status + base));
    employed |= std::uint64_t{static_cast<std::uint16_t>(
                    _mm_movemask_epi8(_mm_cmpeq_epi8(st, employed_code)))}
                << base;
  }
#endif
  for (; base < count; ++base) {
    employed |= static_cast<std::uint64_t>(status[base] == Status::kEmployed) << base;
  }
  return employed;
}

// The end of the settling pass for the first `count` workers: a month more of tenure and
// insured months for the working, stopping at 65535.
void MonthOn(const Status* status, std::uint16_t* tenure, std::uint16_t* insured,
             std::size_t count) {
  std::size_t base = 0;
#if defined(__SSE2__)
  const __m128i employed_code = _mm_set1_epi8(static_cast<char>(Status::kEmployed));
  const __m128i self_employed_code = _mm_set1_epi8(static_cast<char>(Status::kSelfEmployed));
  const __m128i one = _mm_set1_epi16(1);
  for (; base + 16 <= count; base += 16) {
    const __m128i st = _mm_loadu_si128(reinterpret_cast<const __m128i*>(status + base));
    const __m128i working =
        _mm_or_si128(_mm_cmpeq_epi8(st, employed_code), _mm_cmpeq_epi8(st, self_employed_code));
    // Each byte twice is a 16-bit mask per worker; the add saturates.
    const __m128i add[2] = {_mm_and_si128(_mm_unpacklo_epi8(working, working), one),
                            _mm_and_si128(_mm_unpackhi_epi8(working, working), one)};
    for (int half = 0; half < 2; ++half) {
      __m128i* const t = reinterpret_cast<__m128i*>(tenure + base + 8 * half);
      __m128i* const n = reinterpret_cast<__m128i*>(insured + base + 8 * half);
      _mm_storeu_si128(t, _mm_adds_epu16(_mm_loadu_si128(t), add[half]));
      _mm_storeu_si128(n, _mm_adds_epu16(_mm_loadu_si128(n), add[half]));
    }
  }
#endif
  for (; base < count; ++base) {
    const unsigned working = static_cast<unsigned>(status[base] == Status::kEmployed) |
                             static_cast<unsigned>(status[base] == Status::kSelfEmployed);
    tenure[base] = static_cast<std::uint16_t>(
        tenure[base] + (working & static_cast<unsigned>(tenure[base] != 0xffff)));
    insured[base] = static_cast<std::uint16_t>(
        insured[base] + (working & static_cast<unsigned>(insured[base] != 0xffff)));
  }
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

Simulation::Simulation(const ScenarioSpec& spec, PolicyList policies)
    : spec_(spec),
      geo_(BuildGeography(spec)),
      rng_(spec.run.seed),
      choice_(geo_),
      streams_to_all_levels_(CpuPrefetchesStreamsToAllLevels()),
      policies_(std::move(policies)),
      ledger_(static_cast<int>(policies_.size()), geo_.regions) {
  const int R = geo_.regions, S = geo_.sectors, K = geo_.types, M = geo_.markets();
  const auto& b = spec_.behaviour;
  for (const auto& t : spec_.talent_types) {
    type_productivity_.push_back(t.productivity);
    type_search_rate_.push_back(t.on_the_job_search);
  }
  for (const auto& s : spec_.sectors) {
    sector_separation_.push_back(s.separation_rate);
    separation_bits_.push_back(UnitThreshold(s.separation_rate));
    key_field_.push_back(s.key_field ? 1 : 0);
  }
  // An employed worker without layoffs leaves below the separation rate and otherwise
  // searches with its type's rate: its word is below this bound for either.
  for (int s = 0; s < S; ++s) {
    for (int k = 0; k < K; ++k) {
      const double sigma = sector_separation_[s];
      move_or_search_bits_.push_back(UnitThreshold(sigma + (1 - sigma) * type_search_rate_[k]));
    }
  }
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
  base_move_cost_.assign(static_cast<std::size_t>(R) * R * K, 0.0);
  for (int r = 0; r < R; ++r) {
    for (int r2 = 0; r2 < R; ++r2) {
      if (r == r2) continue;
      const double distance_term =
          c.distance * std::log1p(geo_.distance_km[r * R + r2] / c.distance_scale);
      for (int k = 0; k < K; ++k) {
        base_move_cost_[(r * R + r2) * K + k] =
            distance_term + spec_.talent_types[k].migration_cost;
      }
    }
  }
  move_cost_ = base_move_cost_;
  flexible_cost_.assign(static_cast<std::size_t>(K) * R, 0.0);
  region_drift_.assign(R, 0.0);
  region_drifts_.assign(R, 0);
  local_search_bits_.assign(R, 0);
  conversion_months_.assign(R, 0);
  home_bonus_.assign(static_cast<std::size_t>(R) * K * 2, 0.0);
  attraction_.resize(static_cast<std::size_t>(M) * K);
  market_vacancies_.resize(M);
  market_layoffs_.assign(M, 0.0f);
  quiet_bits_.assign(static_cast<std::size_t>(M) * K, 0);
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
  layout_.unemployed = take(RK);
  layout_.inactive_change = take(RK);
  layout_.wage_change = take(M);
  const std::size_t O = geo_.ownerships;
  layout_.hires_detail = take(M * K * O);
  layout_.employees_change = take(M * K);
  layout_.returns = take(RK);
  layout_.flexible_change = take(RK);
  layout_.flexible_home_change = take(RK);
  layout_.sponsored_hires = take(256 * static_cast<std::size_t>(R));
  layout_.sponsored_paid = take(256 * static_cast<std::size_t>(R));
  layout_.sponsored_early_exits = take(256 * static_cast<std::size_t>(R));
  layout_.self_employment_starts = take(RK);
  layout_.self_employed = take(RK);
  layout_.new_hires = take(RK);
  layout_.retirements_employed = take(RK);
  layout_.registered = take(RK);
  layout_.sponsored_completions = take(256 * static_cast<std::size_t>(R));
  layout_.sponsored_retained = take(256 * static_cast<std::size_t>(R));
  layout_.headcount_change = take(static_cast<std::size_t>(spec_.employers.count));
  layout_.size = at;
  completion_history_.assign(
      static_cast<std::size_t>(spec_.output.retention_months) * spec_.policies.size() * R, 0);

  for (auto& p : policies_) {
    if (p->Pays()) paying_.push_back(p.get());
  }
  budget_spent_.assign(policies_.size(), 0.0);
  budget_exhausted_.assign(policies_.size(), 0);
  budget_year_ = spec_.run.start_year;
  knobs_.Reset(spec_, geo_);
  counts_.hires.assign(M * K * O, 0);
  counts_.employed.assign(M * K, 0);
  counts_.vacancies.assign(M, 0);
  counts_.applicants.assign(M, 0);
  counts_.returns.assign(RK, 0);
  counts_.flexible_employed.assign(RK, 0);
  counts_.sponsored_hires.assign(256 * static_cast<std::size_t>(R), 0);
  counts_.sponsored_paid.assign(256 * static_cast<std::size_t>(R), 0);
  counts_.sponsored_early_exits.assign(256 * static_cast<std::size_t>(R), 0);
  counts_.self_employment_starts.assign(RK, 0);
  counts_.self_employed.assign(RK, 0);
  tallies_ = tbb::enumerable_thread_specific<std::vector<std::int64_t>>(
      std::vector<std::int64_t>(layout_.size, 0));
  headcount_deltas_ = tbb::enumerable_thread_specific<std::vector<std::int8_t>>(
      std::vector<std::int8_t>(static_cast<std::size_t>(spec_.employers.count), 0));

  InitialiseEmployers();
  static_assert(sizeof(EmployerProfile) == 16);
  employer_profile_.resize(employers_.size());
  for (std::size_t j = 0; j < employers_.size(); ++j) {
    const EmployerId e = EmployerId::FromIndex(j);
    const MarketId m = geo_.Market(employers_.region[e], employers_.sector[e]);
    employer_profile_[e] = {market_wage_base_[m.index()] * employers_.productivity[e], m.value(),
                            employers_.region[e], employers_.sector[e], employers_.ownership[e]};
  }
  InitialiseWorkers();
  employee_stock_.assign(M * K, 0);
  wage_stock_.assign(M, 0);
  flexible_stock_.assign(RK, 0);
  flexible_home_stock_.assign(RK, 0);
  inactive_stock_.assign(RK, 0);
  // InitialiseWorkers tallied the employees and the inactive as it placed them.
  for (auto& t : tallies_) FoldStockChanges(t);
  ResetReport();
}

int Simulation::reports() const {
  return (spec_.run.steps + spec_.run.report_every - 1) / spec_.run.report_every;
}

std::size_t Simulation::WorkerBytes() const {
  const auto& w = workers_;
  return w.AllocatedBytes() + searching_.capacity() * sizeof(std::uint64_t) +
         offer_.capacity() * sizeof(std::uint32_t) + applicants_.capacity() * sizeof(std::uint32_t);
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
  const double employed_total =
      static_cast<double>(pop.workers) * (1 - pop.inactive_share) * (1 - pop.unemployment_rate);
  tbb::parallel_for(0, M, [&](int m) {
    const std::uint32_t begin = employers_.market_begin[m], end = employers_.market_begin[m + 1];
    double size_sum = 0;
    for (std::uint32_t j = begin; j < end; ++j) {
      const EmployerId e(j);
      const auto u = rng_.Uniforms(0, Purpose::kInitEmployer, j);
      employers_.region[e] = geo_.MarketRegion(MarketId(m));
      employers_.sector[e] = geo_.MarketSector(MarketId(m));
      employers_.ownership[e] = OwnershipId::FromIndex(ownership_draw.Sample(u.a));
      employers_.productivity[e] =
          static_cast<float>(std::exp(prod_sigma * rng_.Normal(0, Purpose::kInitEmployer, j, 1) -
                                      0.5 * prod_sigma * prod_sigma));
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
      employers_.quota[e] =
          own.is_public && own.quota > 0
              ? static_cast<std::int32_t>(std::ceil(employers_.target[e] * own.quota))
              : -1;
    }
  });
}

void Simulation::InitialiseWorkers() {
  const auto n = static_cast<std::size_t>(spec_.population.workers);
  const int M = geo_.markets();
  workers_.Resize(n);
  searching_.assign((n + 63) / 64, 0);
  offer_.assign(n, 0);
  applicants_.reserve(n / 8);
  chunk_counts_.assign(ChunkCount(n) * M, 0);
  market_applicant_begin_.assign(M + 1, 0);
  market_cursor_ = tbb::enumerable_thread_specific<std::vector<std::uint32_t>>(
      std::vector<std::uint32_t>(static_cast<std::size_t>(M), 0));

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

  const std::size_t K = geo_.types;
  ForEachChunk(n, [&, K](std::size_t, std::size_t begin, std::size_t end) {
    std::int64_t* const tally = tallies_.local().data();
    // A worker's six keyed draws (draw indices 0 to 5), made for 64 workers at a time by the
    // vector generator: the uniforms of Uniforms(0, kInitWorker, i, draw).
    std::array<KeyedRng::Block, 6> draws;
    // The employed of a block take their employer in three passes, so that the lines of the
    // employer tables, then of the chosen employers, are asked for before they are read:
    // these are random reads into arrays larger than the caches.
    std::array<std::uint32_t, KeyedRng::kBlock> lane_market, lane_employer;
    for (std::size_t first = begin; first < end; first += KeyedRng::kBlock) {
      const std::size_t count = std::min(KeyedRng::kBlock, end - first);
      for (std::uint16_t draw = 0; draw < draws.size(); ++draw) {
        rng_.BitsBlock(0, Purpose::kInitWorker, first, draws[draw], draw);
      }
      const auto uniforms = [&draws](std::size_t draw, std::size_t lane) {
        const auto& words = draws[draw].words;
        return KeyedRng::Uniform2{KeyedRng::ToUnit(words[0][lane], words[1][lane]),
                                  KeyedRng::ToUnit(words[2][lane], words[3][lane])};
      };
      std::uint64_t employed = 0;
      for (std::size_t lane = 0; lane < count; ++lane) {
        const WorkerId w = WorkerId::FromIndex(first + lane);
        const auto a = uniforms(0, lane);
        const auto b = uniforms(1, lane);
        const auto c = uniforms(2, lane);
        const auto d = uniforms(3, lane);
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
        workers_.SetAgeMonths(w, entry + static_cast<int>(d.a * span));
        workers_.lock_end[w] = 0;
        workers_.employer[w] = kNoEmployer;
        workers_.wage[w] = 0;
        workers_.tenure[w] = 0;
        workers_.insured[w] = 0;
        workers_.sponsor[w] = 0;
        if (d.b < pop.inactive_share) {
          workers_.status[w] = Status::kInactive;
          ++tally[layout_.inactive_change + region.index() * K + type.index()];
          continue;
        }
        const auto e_draw = uniforms(4, lane);
        workers_.insured[w] = static_cast<std::uint16_t>(e_draw.b * 120);
        if (e_draw.a < pop.unemployment_rate) {
          workers_.status[w] = Status::kUnemployed;
          continue;
        }
        const MarketId m = geo_.Market(region, sector);
        lane_market[lane] = m.value();
        employer_draw[m.index()].Prefetch(uniforms(5, lane).a);
        employed |= std::uint64_t{1} << lane;
      }
      for (std::uint64_t rest = employed; rest != 0; rest &= rest - 1) {
        const auto lane = static_cast<std::size_t>(std::countr_zero(rest));
        const std::uint32_t m = lane_market[lane];
        const EmployerId e(employers_.market_begin[m] +
                           employer_draw[m].Sample(uniforms(5, lane).a));
        lane_employer[lane] = e.value();
        __builtin_prefetch(&employer_profile_[e]);
        __builtin_prefetch(&employers_.headcount[e], 1);
      }
      for (std::uint64_t rest = employed; rest != 0; rest &= rest - 1) {
        const auto lane = static_cast<std::size_t>(std::countr_zero(rest));
        const WorkerId w = WorkerId::FromIndex(first + lane);
        const EmployerId e(lane_employer[lane]);
        workers_.status[w] = Status::kEmployed;
        workers_.employer[w] = e;
        workers_.wage[w] = PostedWage(e, workers_.type[w]);
        workers_.tenure[w] = static_cast<std::uint16_t>(uniforms(4, lane).b * 120);
        AtomicAdd(employers_.headcount[e], 1);
        CountEmployee(w, lane_market[lane], 1, tally);
      }
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
  const bool shocks = step_ > 0 && sigma > 0;
  tbb::parallel_for(0, M, [&](int m) {
    std::int64_t vacancies = 0;
    float layoffs = 0;  // the highest layoff rate
    double weighted_productivity = 0, headcount_productivity = 0, headcount = 0;
    const double demand_scale = knobs_.demand_scale[m];
    const std::uint32_t begin = employers_.market_begin[m];
    // Each employer's shock is Normal(step, kDemandShock, j), its key's words made for 64
    // employers at a time (with a scalar generator call each, the phase took an eighth longer).
    KeyedRng::Block shock_words;
    for (std::uint32_t j = begin; j < employers_.market_begin[m + 1]; ++j) {
      const EmployerId e(j);
      float& target = employers_.target[e];
      const std::size_t lane = (j - begin) % KeyedRng::kBlock;
      if (shocks && lane == 0) rng_.BitsBlock(step, Purpose::kDemandShock, j, shock_words);
      if (step_ > 0 && (monthly_growth != 0 || sigma > 0)) {
        const double shock =
            shocks
                ? sigma *
                      KeyedRng::NormalOf({shock_words.words[0][lane], shock_words.words[1][lane],
                                          shock_words.words[2][lane], shock_words.words[3][lane]})
                : 0.0;
        target =
            static_cast<float>(target * std::exp(monthly_growth + shock - 0.5 * sigma * sigma));
      }
      const std::int32_t have = employers_.headcount[e];
      const auto want = static_cast<std::int32_t>(std::lround(target * demand_scale));
      std::int32_t open = std::max(0, want - have);
      std::int32_t special = 0;
      if (employers_.quota[e] >= 0) {
        const std::size_t own = employers_.ownership[e].index();
        const double quota_value = employers_.quota[e] * knobs_.quota_scale[own];
        const auto quota = static_cast<std::int32_t>(std::floor(quota_value));
        const std::int32_t regular = std::min(open, std::max(0, quota - have));
        // Special posts above the quota, open only to the types a lever names. Posts already
        // filled above the quota count against them, so they do not renew every month.
        const auto special_total =
            static_cast<std::int32_t>(std::floor(quota_value * knobs_.special_post_share[own]));
        special =
            std::min(open - regular, std::max(0, quota + special_total - std::max(have, quota)));
        open = regular + special;
      }
      employers_.vacancies[e] = open;
      employers_.special_posts[e] = special;
      employers_.layoff_rate[e] = have > want && have > 0
                                      ? static_cast<float>(have - want) / static_cast<float>(have)
                                      : 0.0f;
      layoffs = std::max(layoffs, employers_.layoff_rate[e]);
      vacancies += open;
      weighted_productivity += open * employers_.productivity[e];
      headcount_productivity += have * employers_.productivity[e];
      headcount += have;
    }
    market_vacancies_[m] = vacancies;
    market_layoffs_[m] = layoffs;
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
  workers_.SetAgeMonths(w, spec_.demography.entry_age * 12);
  workers_.sponsor[w] = 0;
  const std::size_t cell = region.index() * geo_.types + type.index();
  ++tally[layout_.entrants + cell];
  if (workers_.status[w] == Status::kInactive) ++tally[layout_.inactive_change + cell];
}

void Simulation::CountEmployee(WorkerId w, std::size_t job_market, std::int64_t sign,
                               std::int64_t* tally) const {
  const std::size_t K = geo_.types, k = workers_.type[w].index();
  tally[layout_.employees_change + job_market * K + k] += sign;
  tally[layout_.wage_change + job_market] += sign * Fen(workers_.wage[w]);
  if ((workers_.flags[w] & worker_flag::kFlexible) != 0) {
    const std::size_t job_region = job_market / static_cast<std::size_t>(geo_.sectors);
    tally[layout_.flexible_change + job_region * K + k] += sign;
    tally[layout_.flexible_home_change + workers_.region[w].index() * K + k] += sign;
  }
}

void Simulation::FoldStockChanges(std::vector<std::int64_t>& t) {
  const auto fold = [&t](std::vector<std::int64_t>& stock, std::size_t offset) {
    for (std::size_t i = 0; i < stock.size(); ++i) {
      stock[i] += t[offset + i];
      t[offset + i] = 0;
    }
  };
  fold(employee_stock_, layout_.employees_change);
  fold(wage_stock_, layout_.wage_change);
  fold(flexible_stock_, layout_.flexible_change);
  fold(flexible_home_stock_, layout_.flexible_home_change);
  fold(inactive_stock_, layout_.inactive_change);
}

namespace {

// Adds `sign` to employer e's headcount change in this thread's byte, which moves the
// whole change to the thread's 64-bit count (`overflow`) when it reaches +-64: the sum of
// the two is exact whatever the order of hires and separations.
void AddHeadcount(std::int8_t* delta, std::int64_t* overflow, std::size_t e, int sign) {
  constexpr int kLimit = 64;
  int change = delta[e] + sign;
  if (change == kLimit || change == -kLimit) {
    overflow[e] += change;
    change = 0;
  }
  delta[e] = static_cast<std::int8_t>(change);
}

}  // namespace

void Simulation::LeaveJob(WorkerId w, EmployerId e, std::size_t market, bool counts_as_early,
                          std::vector<std::int64_t>& tally, std::int8_t* headcount_delta) {
  CountEmployee(w, market, -1, tally.data());
  AddHeadcount(headcount_delta, tally.data() + layout_.headcount_change, e.index(), -1);
  ++tally[layout_.separations + market];
  const std::uint8_t sponsor = workers_.sponsor[w];
  if (sponsor != 0 && counts_as_early && workers_.lock_end[w] > step_) {
    ++tally[layout_.sponsored_early_exits + sponsor * geo_.regions +
            employer_profile_[e].region.index()];
  }
  workers_.sponsor[w] = 0;
  workers_.flags[w] &= static_cast<std::uint8_t>(~worker_flag::kFlexible);
}

namespace {

// A met slot in applicants_: the tag, the special-post bit and the employer (employer
// counts are below 2^30, see kMaxEmployers; worker indices, which the tag replaces, below
// 2^31, see kMaxWorkers).
constexpr std::uint32_t kOfferTag = 1u << 31;
constexpr std::uint32_t kOfferSpecial = 1u << 30;
constexpr std::uint32_t kOfferEmployer = kOfferSpecial - 1;
static_assert(kMaxEmployers <= kOfferEmployer);
static_assert(kMaxWorkers <= kOfferTag);
}  // namespace

void Simulation::BuildChoiceTables() {
  const int R = geo_.regions, S = geo_.sectors, K = geo_.types;
  const auto& b = spec_.behaviour;
  const auto& c = b.choice;
  // The hukou penalty is money-metric: the log-income equivalent of the services a
  // non-local resident does without (less what relaxation or a permit restores), relative
  // to the region's typical wage. Rural hukou holders also forfeit land income by leaving.
  std::vector<double>& penalty = scratch_penalty_;
  penalty.assign(R, 0.0);
  for (int r = 0; r < R; ++r) {
    const double typical_wage = b.labour_share * spec_.regions[r].productivity;
    const double withheld =
        1 - std::max(knobs_.hukou_relaxation[r], knobs_.permit_services_share[r]);
    penalty[r] =
        c.hukou_penalty * c.wage * std::log1p(region_services_[r] * withheld / typical_wage);
    const double land = c.hukou_penalty * c.wage * std::log1p(b.land_income / typical_wage);
    for (int k = 0; k < K; ++k) {
      const double back = c.wage * std::log1p(knobs_.return_bonus[r * K + k] / typical_wage);
      home_bonus_[(r * K + k) * 2] = penalty[r] + back;
      home_bonus_[(r * K + k) * 2 + 1] = penalty[r] + land + back;
    }
  }
  // Destination-only utility of each market for each type.
  for (int r = 0; r < R; ++r) {
    const auto& region = spec_.regions[r];
    const double region_term =
        c.amenity * region.amenity - c.housing_cost * std::log(region.housing_cost) - penalty[r];
    for (int s = 0; s < S; ++s) {
      const int m = r * S + s;
      const double income_base = market_wage_base_[m] * market_mean_productivity_[m];
      const double finding = c.job_finding * std::log(finding_rate_[m]);
      for (int k = 0; k < K; ++k) {
        const double income = income_base * type_productivity_[k] + knobs_.income_bonus[m * K + k];
        attraction_[m * K + k] = c.wage * std::log(income) + finding + region_term;
      }
    }
  }
  // A flexible job elsewhere costs the share of the wage it forgoes instead of the move.
  bool any_flexible = false;
  for (int k = 0; k < K; ++k) {
    for (int r2 = 0; r2 < R; ++r2) {
      const double share = knobs_.flexible_share[k * R + r2];
      flexible_cost_[k * R + r2] = share > 0 ? -c.wage * std::log(share) : -1;
      any_flexible = any_flexible || share > 0;
    }
  }
  if (any_flexible) {
    for (int r = 0; r < R; ++r) {
      for (int r2 = 0; r2 < R; ++r2) {
        for (int k = 0; k < K; ++k) {
          const std::size_t i = (r * R + r2) * K + k;
          const double flex = flexible_cost_[k * R + r2];
          const bool reachable = r != r2 && flex >= 0 &&
                                 geo_.distance_km[r * R + r2] <= knobs_.flexible_max_km[k * R + r2];
          move_cost_[i] = reachable ? std::min(base_move_cost_[i], flex) : base_move_cost_[i];
        }
      }
    }
  } else {
    move_cost_ = base_move_cost_;
  }
  choice_.Build({&attraction_, &move_cost_, &home_bonus_, c.sector_change});
}

// One pass over the workers: ageing (exits and entrants), separations, business closures
// and starts, and the search decision with its destination, counted per market. One 32-bit
// word per worker and month, u, serves the common decisions: an employed worker leaves
// for u < L = sigma + (1 - sigma) layoff (its own separation for u < sigma), and otherwise
// searches for u < L + (1 - L) s, which given no leaving has probability s; a
// self-employed worker closes for u below the closure rate; an unemployed worker at home
// starts a business for u below that rate. The words come four to a generator call:
// worker j takes word (j / 64) % 4 of counter 64 (j / 256) + j % 64, so 256 consecutive
// workers share one block call. A searcher's local-only choice comes with its destination.
void Simulation::SeparateAndSearch() {
  const auto step = static_cast<std::uint32_t>(step_);
  const bool demography = spec_.demography.enabled;
  const int retirement = spec_.demography.retirement_age * 12;
  // Everyone ages a month: each worker's age is the clock less its birth month.
  if (demography) ++workers_.age_clock;
  const std::uint16_t clock = workers_.age_clock;
  const int K = geo_.types, S = geo_.sectors, M = geo_.markets();
  // A searcher in region r looks only there when word 0 of its destination draw is below
  // local_search_bits_[r]: Unit32(word) < the local-only share, compared as integers.
  for (int r = 0; r < geo_.regions; ++r) {
    local_search_bits_[r] =
        UnitThreshold(spec_.behaviour.choice.local_search_share * knobs_.local_search_scale[r]);
  }
  const double benefit = spec_.behaviour.unemployment_benefit;
  const bool any_layoffs =
      std::any_of(market_layoffs_.begin(), market_layoffs_.end(), [](auto f) { return f != 0; });
  // A word at or above these bounds means no separation by the worker's own choice, and
  // neither separation nor search, for any market and type (a bound of 2^32, a rate of 1,
  // no 32-bit word reaches). The first only picks the employers whose lines are asked for.
  const std::uint64_t separation_bound =
      *std::max_element(separation_bits_.begin(), separation_bits_.end());
  std::uint64_t quiet_bound =
      *std::max_element(move_or_search_bits_.begin(), move_or_search_bits_.end());
  if (any_layoffs) {
    // An employee of a market with layoffs leaves for u < L = sigma + (1 - sigma) l at its
    // employer's rate l, and otherwise searches for u < L + (1 - L) s: at most the bound
    // at the market's highest rate. The passes compute each employer's bound in double,
    // where rounding moves it by a few units in the last place from the exact value, which
    // grows with l; the margin covers that (a word between the two is tested exactly).
    constexpr double kMargin = 1e-9;
    for (int m = 0; m < M; ++m) {
      const std::size_t s = static_cast<std::size_t>(m % S);
      const double sigma = sector_separation_[s];
      const double leave = sigma + (1 - sigma) * market_layoffs_[m];
      for (int k = 0; k < K; ++k) {
        const std::uint64_t own = move_or_search_bits_[s * K + k];
        std::uint64_t& bound = quiet_bits_[static_cast<std::size_t>(m) * K + k];
        bound =
            market_layoffs_[m] == 0
                ? own
                : std::max(own, UnitThreshold(std::min(
                                    1.0, leave + (1 - leave) * type_search_rate_[k] + kMargin)));
        quiet_bound = std::max(quiet_bound, bound);
      }
    }
  }
  const auto limit = [](std::uint64_t bound) {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(bound, 0xffffffffu));
  };
  // The quick test below takes words above these limits (at least the bounds).
  const std::uint32_t separation_limit = limit(separation_bound);
  const std::uint32_t quiet_limit = limit(quiet_bound);
  // Sizes captured by value: by reference they would be reloaded after every byte store.
  const std::size_t n = workers_.size();
  const bool all_levels = streams_to_all_levels_;
  ForEachChunk(n, [&, K, S, M, n, demography, retirement, separation_bound, separation_limit,
                   quiet_limit, any_layoffs, clock,
                   all_levels](std::size_t chunk, std::size_t begin, std::size_t end) {
    auto& tally = tallies_.local();
    std::uint32_t* counts = &chunk_counts_[chunk * M];
    std::fill(counts, counts + M, 0u);
    // Raw pointers: byte stores would otherwise force the compiler to reload every
    // vector's data pointer after each write.
    Status* const status = workers_.status.data();
    std::uint8_t* const flags = workers_.flags.data();
    const std::uint16_t* const birth = workers_.birth_month.data();
    const auto age = [&](std::size_t j) { return static_cast<std::uint16_t>(clock - birth[j]); };
    const RegionId* const region = workers_.region.data();
    const RegionId* const hukou = workers_.hukou.data();
    const TypeId* const type = workers_.type.data();
    const SectorId* const sector = workers_.sector.data();
    const EmployerId* const employer = workers_.employer.data();
    const std::uint16_t* const lock_end = workers_.lock_end.data();
    const std::uint16_t* const tenure = workers_.tenure.data();
    const float* const wage = workers_.wage.data();
    const std::uint8_t* const sponsor = workers_.sponsor.data();
    const float* const layoff_rate = employers_.layoff_rate.data();
    const float* const market_layoffs = market_layoffs_.data();
    const EmployerProfile* const profile = employer_profile_.data();
    std::int8_t* const headcount_delta = headcount_deltas_.local().data();
    const double* const separation = sector_separation_.data();
    const double* const search_rate = type_search_rate_.data();
    const std::uint64_t* const move_or_search_bits = move_or_search_bits_.data();
    // Worker j's bound when employed and without layoffs (see move_or_search_bits_).
    const auto move_or_search_bound = [&](std::size_t j) {
      return move_or_search_bits[sector[j].index() * K + type[j].index()];
    };
    // Worker j's bound when employed in a job that is not flexible, in any month.
    const std::uint64_t* const quiet_bits = quiet_bits_.data();
    const auto quiet_bound_of = [&](std::size_t j) {
      return any_layoffs
                 ? quiet_bits[(region[j].index() * S + sector[j].index()) * K + type[j].index()]
                 : move_or_search_bound(j);
    };
    std::uint64_t* const searching = searching_.data();
    // The chunk's searchers, packed from the chunk's first slot in worker order: first
    // their worker indices, then, written over them, the markets they chose.
    std::uint32_t* const searchers = offer_.data() + begin;
    std::size_t searcher_count = 0;
    // The month's words for 256 workers at a time (chunks start at multiples of 256).
    static_assert(kWorkerChunk % (4 * KeyedRng::kBlock) == 0);
    // Two groups' words: the current block's and the next block's, which may be the next
    // group's (see `ahead` below).
    std::array<KeyedRng::Block, 2> group_words;
    std::array<std::size_t, 2> group_of = {SIZE_MAX, SIZE_MAX};
    const auto words_of = [&](std::size_t block_first) -> const std::uint32_t* {
      const std::size_t group = block_first / (4 * KeyedRng::kBlock);
      KeyedRng::Block& words = group_words[group % 2];
      if (group_of[group % 2] != group) {
        rng_.BitsBlock(step, Purpose::kWorkerMonth, group * KeyedRng::kBlock, words);
        group_of[group % 2] = group;
      }
      return words.words[block_first / KeyedRng::kBlock % 4];
    };
    const auto quiet_masks = [&](std::size_t block_first) {
      return QuietBlock(status + block_first, flags + block_first, birth + block_first, clock,
                        words_of(block_first), quiet_limit, separation_limit,
                        demography ? static_cast<std::uint32_t>(std::max(retirement, 0)) : 65536);
    };
    // The next block's quiet test runs a block early, so the employers its leavers will
    // leave are asked for a block before they are written (a worker's employer is random,
    // its headcount byte's line at best in L2). Nothing this block does reads or writes the
    // next block's workers.
    BlockMasks ahead{0, 0, 0};
    bool have_ahead = false;
    // Asks for the headcount lines of the employers that the block's `leaving` may leave.
    const auto ask_for_leavers = [&](std::size_t block_first, std::uint64_t leaving) {
      for (std::uint64_t rest = leaving; rest != 0; rest &= rest - 1) {
        const std::size_t j = block_first + static_cast<std::size_t>(std::countr_zero(rest));
        __builtin_prefetch(headcount_delta + employer[j].index(), 1);
      }
    };
    KeyedRng::Block destination;
    std::array<DestinationChoice::AwayCells, KeyedRng::kBlock> away_cells;
    std::array<std::uint32_t, KeyedRng::kBlock> markets;
    std::array<double, KeyedRng::kBlock> u_items;  // each searcher's uniform for the market
    const std::uint64_t* const local_search_bits = local_search_bits_.data();
    // The searchers draw their destinations in batches of 64 (vector generator calls), each
    // batch's markets written over its indices, once the pass has gone by a quarter of the
    // chunk (kDrawEvery workers) and at the chunk's end. Nothing else in the pass reads what
    // the choice reads or writes, so when they draw does not change any result. Drawn after
    // so many workers, the searchers' fields and the choice tables are still cached from the
    // streams: on a core with 1.25 MiB of L2 (10 M workers, 2 threads, in-process pairs of 12
    // months), the separation and search pass took 0.93 +-0.01 of the time it took drawing at
    // the end of each chunk (2 MiB of the streams), 0.97 drawing every 2,048 workers and 0.97
    // every 32,768. Drawing between blocks, at least 64 at a time, had taken about 10 %
    // longer than at the chunk's end, with 2 MiB of L2 (40 pairs).
    std::size_t drawn = 0;  // the searchers before this one have their markets
    const auto choose_destinations = [&](bool all) {
      for (std::size_t start = drawn; start < searcher_count; start += KeyedRng::kBlock) {
        const std::size_t count = std::min(KeyedRng::kBlock, searcher_count - start);
        if (count < KeyedRng::kBlock && !all) break;  // drawn with the next batch
        drawn = start + count;
        rng_.BitsGather(step, Purpose::kDestination, searchers + start, count, destination);
        // Word 0 decides a local-only search, word 1 the mixture part, words 2 and 3 (53
        // bits) the market within it. The searchers are sorted by case first (without
        // branches), so each case's loop runs without one. The large tables' cells that
        // those who look further may read are loaded before those who look locally are
        // sampled.
        std::array<std::uint8_t, KeyedRng::kBlock> local_lanes, away_lanes;
        std::size_t local_count = 0, away_count = 0;
        for (std::size_t s = 0; s < count; ++s) {
          const bool local_only =
              destination.words[0][s] < local_search_bits[region[searchers[start + s]].index()];
          u_items[s] = KeyedRng::ToUnit(destination.words[2][s], destination.words[3][s]);
          local_lanes[local_count] = static_cast<std::uint8_t>(s);
          away_lanes[away_count] = static_cast<std::uint8_t>(s);
          local_count += local_only;
          away_count += !local_only;
        }
        for (std::size_t a = 0; a < away_count; ++a) {
          const std::size_t s = away_lanes[a], i = searchers[start + s];
          away_cells[a] = choice_.LoadAway(region[i], type[i], sector[i], u_items[s]);
        }
        for (std::size_t l = 0; l < local_count; ++l) {
          const std::size_t s = local_lanes[l], i = searchers[start + s];
          markets[s] = choice_
                           .SampleLocal(region[i], type[i], sector[i],
                                        Unit32(destination.words[1][s]), u_items[s])
                           .value();
        }
        for (std::size_t a = 0; a < away_count; ++a) {
          const std::size_t s = away_lanes[a], i = searchers[start + s];
          markets[s] = choice_
                           .SampleAway(region[i], type[i], hukou[i],
                                       (flags[i] & worker_flag::kRuralHukou) != 0, sector[i],
                                       Unit32(destination.words[1][s]), u_items[s], away_cells[a])
                           .value();
        }
        for (std::size_t s = 0; s < count; ++s) {
          searchers[start + s] = markets[s];
          ++counts[markets[s]];
        }
      }
    };
    for (std::size_t first = begin; first < end; first += KeyedRng::kBlock) {
      const std::size_t last = std::min(end, first + KeyedRng::kBlock);
      const std::uint32_t* const word = words_of(first);
      searching[first / 64] = 0;
      if (const std::size_t ahead_first = first + kPrefetchAhead;
          ahead_first + KeyedRng::kBlock <= n) {
        PrefetchBlock(status, ahead_first, all_levels);
        PrefetchBlock(flags, ahead_first, all_levels);
        PrefetchBlock(birth, ahead_first, all_levels);
        PrefetchBlock(region, ahead_first, all_levels);
        PrefetchBlock(hukou, ahead_first, all_levels);
        PrefetchBlock(type, ahead_first, all_levels);
        PrefetchBlock(sector, ahead_first, all_levels);
        PrefetchBlock(employer, ahead_first, all_levels);
        PrefetchBlock(lock_end, ahead_first, all_levels);
        // Read only by those who leave a job, but a miss there costs more than the stream
        // (asking for leavers' lines only, with their employers', made the pass 18 % slower).
        PrefetchBlock(wage, ahead_first, all_levels);
        PrefetchBlock(sponsor, ahead_first, all_levels);
        PrefetchBlock(tenure, ahead_first, all_levels);  // written for those who leave a job
      }
      // Most employed workers neither leave nor search in a month, and then only age. The
      // block's draws pick them out with integer comparisons; the others take the full
      // path. The comparisons are against the highest rate of any sector or type, so a
      // few who stay put take the full path too (it leaves them as they are), and the
      // loop has no table lookups and runs in vector registers. So do the employers
      // likely to lose a worker (their lines are asked for, as for offers in Settle).
      const std::size_t count = last - first;
      std::uint64_t attention = 0, leaving = 0;
      const bool quiet_test = count == KeyedRng::kBlock;
      BlockMasks masks = ahead;
      if (!have_ahead && quiet_test) masks = quiet_masks(first);
      have_ahead = last + KeyedRng::kBlock <= end;
      if (have_ahead) {
        ahead = quiet_masks(last);
        ask_for_leavers(last, ahead.may_leave);
      }
      if (quiet_test) {
        attention = ~masks.quiet;
        leaving = masks.may_leave;
        // The limit is the highest of any market and type: those it sends on who stay put
        // at their own rates are taken off again here, without branches (the full path
        // would leave them as they are). An employee whose job is not flexible works for an
        // employer of its own market (region and sector), whose layoff rate is at most the
        // market's highest.
        for (std::uint64_t rest = attention & masks.steady; rest != 0; rest &= rest - 1) {
          const auto lane = static_cast<std::size_t>(std::countr_zero(rest));
          const std::size_t j = first + lane;
          const bool stays = word[lane] >= quiet_bound_of(j);
          attention &= ~(std::uint64_t{stays} << lane);
        }
        if (any_layoffs) {
          // The market's bound is at its highest layoff rate, often a small employer's; the
          // others are tested at their own employer's rate, as the full path would.
          for (std::uint64_t rest = attention & masks.steady; rest != 0; rest &= rest - 1) {
            const auto lane = static_cast<std::size_t>(std::countr_zero(rest));
            const std::size_t j = first + lane;
            const double sigma = separation[sector[j].index()];
            const double layoff = layoff_rate[employer[j].index()];
            const double leave = sigma + (1 - sigma) * layoff;
            const double u = Unit32(word[lane]);
            const bool stays =
                (layoff == 0)
                    ? word[lane] >= move_or_search_bound(j)
                    : (u >= leave) & (u >= leave + (1 - leave) * search_rate[type[j].index()]);
            attention &= ~(std::uint64_t{stays} << lane);
          }
        }
      } else {
        // The exact test, for a chunk's last block when it is short (inactive workers only
        // age, unless they retire).
        for (std::size_t lane = 0; lane < count; ++lane) {
          const std::size_t j = first + lane;
          const bool quiet =
              (((status[j] == Status::kEmployed) & ((flags[j] & worker_flag::kFlexible) == 0) &
                (market_layoffs[region[j].index() * S + sector[j].index()] == 0) &
                (word[lane] >= move_or_search_bound(j))) |
               (status[j] == Status::kInactive)) &
              !(demography & (age(j) >= retirement));
          attention |= static_cast<std::uint64_t>(!quiet) << lane;
          leaving |= static_cast<std::uint64_t>((status[j] == Status::kEmployed) &
                                                (word[lane] < separation_bound))
                     << lane;
        }
        ask_for_leavers(first, leaving);
      }
      for (std::uint64_t rest = attention; rest != 0; rest &= rest - 1) {
        const std::size_t i = first + static_cast<std::size_t>(std::countr_zero(rest));
        const WorkerId w = WorkerId::FromIndex(i);
        // An employed worker lives where it works unless its job is flexible, and always
        // works in its employer's sector (tests/test_lever_flexible_hiring.cpp checks both):
        // its job's market needs the employer's record only for a flexible job.
        const auto job_market = [&](EmployerId e) -> std::size_t {
          return (flags[i] & worker_flag::kFlexible) != 0
                     ? profile[e.index()].market
                     : region[i].index() * S + sector[i].index();
        };
        std::uint64_t& bits = searching[i / 64];
        const std::uint64_t bit = std::uint64_t{1} << (i % 64);
        if (demography && age(i) >= retirement) {
          ++tally[layout_.exits + region[i].index() * K + type[i].index()];
          if (status[i] == Status::kEmployed) {
            const std::size_t market = job_market(employer[i]);
            ++tally[layout_.retirements_employed + market / S * K + type[i].index()];
            LeaveJob(w, employer[i], market, false, tally, headcount_delta);
          } else if (status[i] == Status::kSelfEmployed) {
            ++tally[layout_.retirements_employed + region[i].index() * K + type[i].index()];
          } else if (status[i] == Status::kInactive) {
            --tally[layout_.inactive_change + region[i].index() * K + type[i].index()];
          }
          EnterWorker(w, step, tally);
        }
        const Status st = status[i];
        if (st == Status::kInactive) continue;
        const std::uint32_t u_bits = word[i - first];
        const double u = Unit32(u_bits);
        if (st == Status::kSelfEmployed) {
          const std::size_t cell = region[i].index() * K + type[i].index();
          if (u < knobs_.self_employment_exit[cell]) {
            status[i] = Status::kUnemployed;
            workers_.wage[w] = 0;
            workers_.tenure[w] = 0;
          }
          continue;
        }
        if (st == Status::kEmployed) {
          const EmployerId e = employer[i];
          const double sigma = separation[sector[i].index()];
          // The employer's layoff rate is looked up only where some employer of the market
          // sheds jobs (a non-flexible worker's market is its own region and sector).
          const bool flexible = (flags[i] & worker_flag::kFlexible) != 0;
          const double layoff =
              flexible || market_layoffs[region[i].index() * S + sector[i].index()] != 0
                  ? layoff_rate[e.index()]
                  : 0.0;
          const double leave = sigma + (1 - sigma) * layoff;
          if (u < leave) {
            // u < sigma is the worker's own separation; the rest are layoffs, which carry
            // no clawback and ignore service periods. Either way no search this month.
            LeaveJob(w, e, job_market(e), u < sigma, tally, headcount_delta);
            status[i] = Status::kUnemployed;
            workers_.employer[w] = kNoEmployer;
            workers_.wage[w] = 0;
            workers_.tenure[w] = 0;
            continue;
          }
          // Without layoffs the bound is the table's (the quiet test's), to the same bit.
          if (layoff == 0 ? u_bits >= move_or_search_bound(i)
                          : u >= leave + (1 - leave) * search_rate[type[i].index()]) {
            continue;
          }
          const std::size_t mk = job_market(e) * K + type[i].index();
          // Quitting inside a service period, or from a key field, needs consent.
          if (lock_end[i] > step &&
              rng_.Uniform(step, Purpose::kQuitConsent, i) >= knobs_.quit_consent[mk]) {
            continue;
          }
          if (key_field_[sector[i].index()] &&
              rng_.Uniform(step, Purpose::kKeyFieldConsent, i) >= knobs_.key_field_consent[mk]) {
            continue;
          }
        } else if (region[i] == hukou[i]) {
          // Unemployed at home: starting a business (a lever's option) replaces searching.
          const std::size_t cell = region[i].index() * K + type[i].index();
          const double rate = knobs_.self_employment_rate[cell];
          if (rate > 0 && knobs_.self_employment_income[cell] > benefit && u < rate) {
            status[i] = Status::kSelfEmployed;
            workers_.wage[w] = static_cast<float>(knobs_.self_employment_income[cell]);
            workers_.tenure[w] = 0;
            ++tally[layout_.self_employment_starts + cell];
            continue;
          }
        }
        bits |= bit;
        searchers[searcher_count++] = w.value();
      }
      if ((last - begin) % kDrawEvery == 0) choose_destinations(false);
    }
    choose_destinations(true);
  });
}

std::vector<std::uint32_t>& Simulation::ChunkCursor(std::size_t chunk, bool to_write) {
  std::vector<std::uint32_t>& cursor = market_cursor_.local();
  const std::size_t markets = cursor.size();
  std::copy_n(&chunk_counts_[chunk * markets], markets, cursor.begin());
  // The chunk's entries are one run per market, the next chunk's run (or the market's end)
  // following it. The passes jump between the runs in worker order, so their lines are
  // asked for first.
  const bool last_chunk = chunk + 1 == ChunkCount(workers_.size());
  const std::uint32_t* const applicants = applicants_.data();
  const auto ask = [to_write](const std::uint32_t* entry) {
    if (to_write) {
      __builtin_prefetch(entry, 1);
    } else {
      __builtin_prefetch(entry);
    }
  };
  for (std::size_t m = 0; m < markets; ++m) {
    const std::uint32_t run_end =
        last_chunk ? market_applicant_begin_[m + 1] : chunk_counts_[(chunk + 1) * markets + m];
    if (cursor[m] == run_end) continue;
    for (std::uint32_t a = cursor[m]; a < run_end; a += 64 / sizeof(std::uint32_t)) {
      ask(applicants + a);
    }
    ask(applicants + run_end - 1);
  }
  return cursor;
}

// Groups the month's searchers by chosen market (a stable counting sort over fixed worker
// chunks, so the order is the same for any thread count).
void Simulation::GroupApplicants() {
  const int M = geo_.markets();
  const std::size_t n = workers_.size();
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
  if (applicants_.size() < running) applicants_.resize(running);
  ForEachChunk(n, [&](std::size_t chunk, std::size_t begin, std::size_t end) {
    // The chunk's first positions stay in chunk_counts_: the settling pass walks them again.
    std::vector<std::uint32_t>& next = ChunkCursor(chunk, true);
    const std::uint64_t* const searching = searching_.data();
    const std::uint32_t* packed = offer_.data() + begin;
    for (std::size_t word = begin / 64; word < (end + 63) / 64; ++word) {
      for (std::uint64_t bits = searching[word]; bits != 0; bits &= bits - 1) {
        const std::size_t i = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        applicants_[next[*packed++]++] = static_cast<std::uint32_t>(i);
      }
    }
  });
}

double Simulation::ServicesValue(WorkerId w, RegionId r, int insured) const {
  const double services = region_services_[r.index()];
  if (workers_.hukou[w] == r) return services;
  return insured >= knobs_.permit_months[r.index()]
             ? services * knobs_.permit_services_share[r.index()]
             : 0.0;
}

void Simulation::Match() {
  const int M = geo_.markets();
  const auto& b = spec_.behaviour;
  const auto step = static_cast<std::uint32_t>(step_);
  tbb::parallel_for(0, M, [&](int m) {
    auto& scratch = match_scratch_.local();
    const std::uint32_t a_begin = market_applicant_begin_[m],
                        a_end = market_applicant_begin_[m + 1];
    const std::int64_t applicants = a_end - a_begin;
    const std::int64_t vacancies = market_vacancies_[m];
    step_applicants_[m] = applicants;
    if (applicants == 0 || vacancies == 0) return;
    const double meetings = b.matching.efficiency * knobs_.matching_scale[m] *
                            std::pow(static_cast<double>(applicants), 1 - b.matching.elasticity) *
                            std::pow(static_cast<double>(vacancies), b.matching.elasticity);
    // Stochastic rounding keeps the expected number of meetings exact.
    const double u_round = rng_.Uniform(step, Purpose::kMatchRound, static_cast<std::uint64_t>(m));
    const std::int64_t met = std::min(
        {applicants, vacancies, static_cast<std::int64_t>(std::floor(meetings + u_round))});
    if (met <= 0) return;
    // The met applicants are those with the smallest keyed draws: a uniform random subset,
    // and a worker keeps its draw across runs that differ only in policy. Positions rise
    // with worker indices within a market, so equal draws are ordered by worker.
    auto& keyed = scratch.keyed;
    keyed.clear();
    std::uint32_t* const queue = applicants_.data();
    for (std::uint32_t a = a_begin; a < a_end; a += KeyedRng::kBlock) {
      const std::size_t count = std::min<std::size_t>(KeyedRng::kBlock, a_end - a);
      KeyedRng::Block draws;
      rng_.BitsGather(step, Purpose::kMatchOrder, queue + a, count, draws);
      for (std::size_t l = 0; l < count; ++l) {
        keyed.push_back(std::uint64_t{draws.words[0][l]} << 32 | (a + l));
      }
    }
    SortByHigh32(keyed, scratch.sorted);
    // Choose `met` of the market's vacancy slots uniformly (selection sampling), so each
    // employer meets applicants in proportion to its vacancies and never more than it has.
    // A slot past an employer's regular posts is a special post outside its quota.
    // One uniform per chosen slot (not per slot); slots of a market are numbered through
    // its employers in order. The i-th chosen slot goes to the i-th met applicant, in the
    // applicant's position.
    std::uint32_t j = employers_.market_begin[m];
    std::int64_t employer_end = employers_.vacancies[EmployerId(j)];  // first slot past j
    std::int64_t paired = 0;
    // Draw j is uniform j % 2 of Uniforms(step, kVacancySlot, m << 32 | j / 2), made for
    // 64 keys (128 draws) at a time.
    KeyedRng::Block slot_words;
    std::int64_t slot_block = -1;
    SampleSequential(
        met, vacancies,
        [&](std::int64_t draw) {
          const auto key = static_cast<std::uint64_t>(draw / 2);
          if (const auto block = static_cast<std::int64_t>(key / KeyedRng::kBlock);
              block != slot_block) {
            rng_.BitsBlock(step, Purpose::kVacancySlot,
                           static_cast<std::uint64_t>(m) << 32 | (key - key % KeyedRng::kBlock),
                           slot_words);
            slot_block = block;
          }
          const std::size_t lane = key % KeyedRng::kBlock, word = draw % 2 * 2;
          return KeyedRng::ToUnit(slot_words.words[word][lane], slot_words.words[word + 1][lane]);
        },
        [&](std::int64_t position) {
          while (position >= employer_end) {
            ++j;
            employer_end += employers_.vacancies[EmployerId(j)];
          }
          const EmployerId e(j);
          const std::int64_t within = position - (employer_end - employers_.vacancies[e]);
          const bool special = within >= employers_.vacancies[e] - employers_.special_posts[e];
          queue[keyed[paired++] & 0xffffffffu] =
              kOfferTag | (special ? kOfferSpecial : 0u) | e.value();
        });
  });
}

// The worker compares the job it met with what it has; hiring moves it (or gives it a
// flexible job from where it lives) and books the move's statistics.
void Simulation::ConsiderOffer(std::size_t i, std::uint32_t slot, std::uint32_t step,
                               std::vector<std::int64_t>& tally, std::int8_t* headcount_delta) {
  const int K = geo_.types, R = geo_.regions, S = geo_.sectors, O = geo_.ownerships;
  const auto& b = spec_.behaviour;
  const WorkerId w = WorkerId::FromIndex(i);
  const EmployerId e(slot & kOfferEmployer);
  const bool special = (slot & kOfferSpecial) != 0;
  const EmployerProfile& job = employer_profile_[e];
  const int m = static_cast<int>(job.market);
  const RegionId to = job.region;
  const double discrimination = b.discrimination * knobs_.discrimination_scale[to.index()];
  const double poaching = knobs_.poach_rejection[m];
  const TypeId k = workers_.type[w];
  const RegionId from = workers_.region[w];
  const bool employed = workers_.status[w] == Status::kEmployed;
  if (workers_.employer[w] == e) return;
  if (special && !knobs_.special_post_type[job.ownership.index() * K + k.index()]) {
    return;
  }
  if (discrimination > 0 && workers_.hukou[w] != to &&
      rng_.Uniform(step, Purpose::kDiscrimination, w.value()) < discrimination) {
    return;
  }
  // The lever's setting first: whether the worker is employed is a coin toss to the
  // branch predictor.
  if (poaching > 0 && employed && rng_.Uniform(step, Purpose::kPoaching, w.value()) < poaching) {
    return;
  }
  // The worker compares the job's money value with what it has: wage (or benefit)
  // plus lever payments plus the public services it can use where it would live.
  const std::size_t mk = static_cast<std::size_t>(m) * K + k.index();
  const float offer = PostedWage(e, k);
  const double bonus = knobs_.income_bonus[mk];
  const int insured = workers_.insured[w];
  double current = ServicesValue(w, from, insured);
  // The job it has. An employee lives where it works unless its job is flexible, and works
  // in its employer's sector: only a flexible job needs the employer's record, whose line
  // is rarely cached, for its market and region (a byte per employer, which stays in L2,
  // gives the ownership).
  std::size_t old_market = 0;
  RegionId old_region = from;
  OwnershipId old_ownership{};
  if (employed) {
    const EmployerId old = workers_.employer[w];
    if ((workers_.flags[w] & worker_flag::kFlexible) != 0) {
      const EmployerProfile& old_job = employer_profile_[old];
      old_market = old_job.market;
      old_region = old_job.region;
    } else {
      old_market = from.index() * static_cast<std::size_t>(S) + workers_.sector[w].index();
    }
    old_ownership = employers_.ownership[old];
    current += workers_.wage[w] + knobs_.income_bonus[old_market * K + k.index()];
  } else {
    current += b.unemployment_benefit;
  }
  const int moved_insured = static_cast<int>(insured * knobs_.portability_region[to.index()]);
  const double move_value =
      offer + bonus +
      (to == from ? ServicesValue(w, from, insured) : ServicesValue(w, to, moved_insured));
  bool flexible = false;
  double value = move_value;
  if (to != from) {
    const double share = knobs_.flexible_share[k.index() * R + to.index()];
    if (share > 0 &&
        geo_.Distance(from, to) <= knobs_.flexible_max_km[k.index() * R + to.index()]) {
      // Flexible or move is decided in the utility terms of destination choice: moving
      // costs distance and the type's migration cost, a flexible job the forgone wage.
      const double flexible_value = share * offer + bonus + ServicesValue(w, from, insured);
      const double beta = b.choice.wage;
      const double move_utility = beta * std::log(move_value) -
                                  base_move_cost_[(from.index() * R + to.index()) * K + k.index()];
      if (beta * std::log(flexible_value) >= move_utility) {
        flexible = true;
        value = flexible_value;
      }
    }
  }
  if (value <= current) return;
  const OwnershipId ownership = job.ownership;
  bool new_in_region = !employed;  // not employed in this region before: new employment
  if (employed) {
    new_in_region = old_region != to;
    ++tally[layout_.sector_transitions + workers_.sector[w].index() * S + job.sector.index()];
    ++tally[layout_.ownership_transitions + old_ownership.index() * O + ownership.index()];
    if (spec_.ownerships[old_ownership.index()].is_public !=
        spec_.ownerships[ownership.index()].is_public) {
      workers_.insured[w] =
          static_cast<std::uint16_t>(workers_.insured[w] * knobs_.portability_public[to.index()]);
    }
    LeaveJob(w, workers_.employer[w], old_market, true, tally, headcount_delta);
  }
  AddHeadcount(headcount_delta, tally.data() + layout_.headcount_change, e.index(), 1);
  ++tally[layout_.hires_detail + mk * O + ownership.index()];
  if (new_in_region) ++tally[layout_.new_hires + to.index() * K + k.index()];
  const RegionId hukou = workers_.hukou[w];
  if (flexible) {
    ++tally[layout_.flexible + (k.index() * R + from.index()) * R + to.index()];
    workers_.flags[w] |= worker_flag::kFlexible;
  } else if (to != from) {
    ++tally[layout_.migrations + (k.index() * R + from.index()) * R + to.index()];
    if (to == hukou) ++tally[layout_.returns + to.index() * K + k.index()];
    workers_.region[w] = to;
    workers_.insured[w] = static_cast<std::uint16_t>(moved_insured);
  }
  if (employed || (to != from && !flexible)) ++tally[layout_.mobility];
  const std::uint8_t sponsor = knobs_.sponsor[mk];
  workers_.sponsor[w] = sponsor;
  if (sponsor != 0) ++tally[layout_.sponsored_hires + sponsor * R + to.index()];
  workers_.lock_end[w] =
      static_cast<std::uint16_t>(std::min<std::uint32_t>(0xffff, step + knobs_.service_months[mk]));
  workers_.status[w] = Status::kEmployed;
  workers_.employer[w] = e;
  workers_.sector[w] = job.sector;
  workers_.wage[w] =
      flexible ? static_cast<float>(knobs_.flexible_share[k.index() * R + to.index()] * offer)
               : offer;
  workers_.tenure[w] = 0;
  CountEmployee(w, job.market, 1, tally.data());
}

void Simulation::Settle() {
  const auto step = static_cast<std::uint32_t>(step_);
  const auto& b = spec_.behaviour;
  const int K = geo_.types, R = geo_.regions, S = geo_.sectors;
  const double conversion = b.hukou.conversion_rate;
  const auto retention = static_cast<std::uint32_t>(spec_.output.retention_months);
  const bool record = report_due_;
  const std::size_t n = workers_.size();
  // This month's per-region terms, so the pass compares integers and skips the wage drift
  // when no region has any.
  bool any_drift = false, all_drift = true;
  for (int r = 0; r < R; ++r) {
    region_drift_[r] = b.wage_drift + knobs_.wage_drift_extra[r];
    region_drifts_[r] = region_drift_[r] != 0;
    any_drift = any_drift || region_drifts_[r];
    all_drift = all_drift && region_drifts_[r];
    // For an integer count of months, insured >= x is insured >= ceil(x). Where no one
    // converts, no count of months (at most 65535) reaches the bound.
    const double months = std::ceil(region_threshold_[r] * knobs_.conversion_threshold_scale[r]);
    conversion_months_[r] = months < 65536 && conversion * knobs_.conversion_rate_scale[r] > 0
                                ? static_cast<std::uint32_t>(std::max(months, 0.0))
                                : 65536;
  }
  // An employee who will have fewer insured months than every region's bound after this
  // month (one more) cannot be a candidate for a hukou: insured + 1 < bound, for all bounds.
  const std::uint32_t lowest_bound =
      *std::min_element(conversion_months_.begin(), conversion_months_.begin() + R);
  const auto insured_limit = static_cast<std::uint16_t>(
      lowest_bound == 0 ? 0 : std::min<std::uint32_t>(lowest_bound - 1, 0xffff));
  const bool all_levels = streams_to_all_levels_;
  ForEachChunk(n, [&, K, R, S, n, any_drift, all_drift, insured_limit, all_levels](
                      std::size_t, std::size_t begin, std::size_t end) {
    std::vector<std::int64_t>& tally_buffer = tallies_.local();
    std::int64_t* const tally = tally_buffer.data();
    // Raw pointers, so byte and short stores do not force reloads (see SeparateAndSearch).
    const std::uint64_t* const searching = searching_.data();
    // The chunk's searchers' markets, packed from the chunk's first slot in worker order
    // (see offer_), and then the entries they get back from matching.
    std::uint32_t* const packed = offer_.data() + begin;
    const std::uint32_t* const applicants = applicants_.data();
    std::uint8_t* const flags = workers_.flags.data();
    const Status* const status = workers_.status.data();
    const RegionId* const region = workers_.region.data();
    RegionId* const hukou = workers_.hukou.data();
    const TypeId* const type = workers_.type.data();
    const EmployerId* const employer = workers_.employer.data();
    const std::uint8_t* const sponsor = workers_.sponsor.data();
    const std::uint16_t* const lock_end = workers_.lock_end.data();
    std::uint16_t* const tenure = workers_.tenure.data();
    std::uint16_t* const insured = workers_.insured.data();
    float* const wage = workers_.wage.data();
    const EmployerProfile* const profile = employer_profile_.data();
    const OwnershipId* const ownership = employers_.ownership.data();
    const SectorId* const sector = workers_.sector.data();
    const std::uint16_t* const paid_months = knobs_.sponsor_paid_months.data();
    const double* const rate_scale = knobs_.conversion_rate_scale.data();
    // Tally sections as local pointers: the compiler cannot keep layout_ in registers
    // across the byte stores below.
    std::int64_t* const sponsored_paid = tally + layout_.sponsored_paid;
    std::int64_t* const self_employed = tally + layout_.self_employed;
    std::int64_t* const conversions = tally + layout_.conversions;
    std::int64_t* const unemployed_cells = tally + layout_.unemployed;
    std::int64_t* const wage_change = tally + layout_.wage_change;
    std::int64_t* const registered = tally + layout_.registered;
    std::int8_t* const headcount_delta = headcount_deltas_.local().data();
    const std::size_t employer_count = employers_.size();
    const double* const region_drift = region_drift_.data();
    const std::uint8_t* const region_drifts = region_drifts_.data();
    const std::uint32_t* const conversion_months = conversion_months_.data();
    // A searcher's entry in applicants_ is its chunk's next position in the market it
    // chose (GroupApplicants placed them in worker order). The entries come back first,
    // in a pass over the chunk's packed list.
    std::vector<std::uint32_t>& cursor = ChunkCursor(begin / kWorkerChunk, false);
    std::size_t searcher_count = 0;
    for (std::size_t word = begin / 64; word < (end + 63) / 64; ++word) {
      searcher_count += BitCount(searching[word]);
    }
    for (std::size_t k = 0; k < searcher_count; ++k) packed[k] = applicants[cursor[packed[k]]++];
    // Workers who may convert their hukou this month are collected over blocks and draw
    // together, at least 64 at a time (vector generator calls instead of a scalar one
    // each). Nothing else in the pass reads their hukou except the count of registered
    // unemployed, which the conversion updates itself (it runs between blocks, after the
    // candidates' own counts).
    std::array<std::uint32_t, 2 * KeyedRng::kBlock> candidates;
    std::size_t candidate_count = 0;
    KeyedRng::Block conversion_words;
    const auto convert = [&] {
      for (std::size_t start = 0; start < candidate_count; start += KeyedRng::kBlock) {
        const std::size_t count = std::min(KeyedRng::kBlock, candidate_count - start);
        rng_.BitsGather(step, Purpose::kHukouConversion, candidates.data() + start, count,
                        conversion_words);
        for (std::size_t c = 0; c < count; ++c) {
          const std::size_t i = candidates[start + c];
          const std::size_t ri = region[i].index();
          // The uniform of Uniform(step, kHukouConversion, i).
          if (KeyedRng::ToUnit(conversion_words.words[0][c], conversion_words.words[1][c]) <
              conversion * rate_scale[ri]) {
            hukou[i] = region[i];
            ++conversions[ri];
            if (record && status[i] == Status::kUnemployed) {
              ++registered[ri * K + type[i].index()];
            }
          }
        }
      }
      candidate_count = 0;
    };
    // The searchers of the block starting at `block_first` who met an employer; the lines of
    // their new employer's record and headcount byte, and of their old employer's ownership
    // and headcount bytes, are asked for now and read when that block's offers are taken up:
    // a worker meets a random employer, whose record is rarely still cached. No
    // branches on what a worker met: one who met no one, or has no job, asks for the last
    // employer's line instead (the same line each time, so it stays cached).
    std::size_t ahead_k = 0;  // the packed slot of the next look-ahead's first searcher
    const auto look_ahead = [&](std::size_t block_first) {
      std::uint64_t met = 0;
      const std::size_t spare = employer_count - 1;
      for (std::uint64_t bits = searching[block_first / 64]; bits != 0; bits &= bits - 1) {
        const auto lane = static_cast<std::size_t>(std::countr_zero(bits));
        const std::size_t j = block_first + lane;
        const std::uint32_t entry = packed[ahead_k++];
        const bool met_one = (entry & kOfferTag) != 0;
        // Selected with a mask: the compiler would otherwise branch on met_one.
        const std::size_t keep = std::size_t{0} - met_one;
        const std::size_t e = ((entry & kOfferEmployer) & keep) | (spare & ~keep);
        const std::size_t old =
            (std::min<std::size_t>(employer[j].index(), spare) & keep) | (spare & ~keep);
        __builtin_prefetch(profile + e);
        __builtin_prefetch(headcount_delta + e, 1);
        __builtin_prefetch(ownership + old);  // see ConsiderOffer
        __builtin_prefetch(headcount_delta + old, 1);
        __builtin_prefetch(wage + j);         // an employed searcher compares the offer with it
        __builtin_prefetch(lock_end + j, 1);  // a hire sets its service period's end
        met |= std::uint64_t{met_one} << lane;
      }
      return met;
    };
    std::uint64_t offered = look_ahead(begin);
    std::size_t block_k = 0;  // the packed slot of this block's first searcher
    for (std::size_t first = begin; first < end; first += KeyedRng::kBlock) {
      const std::size_t last = std::min(end, first + KeyedRng::kBlock);
      if (const std::size_t ahead = first + kPrefetchAhead; ahead + KeyedRng::kBlock <= n) {
        PrefetchBlock(flags, ahead, all_levels);
        PrefetchBlock(status, ahead, all_levels);
        PrefetchBlock(region, ahead, all_levels);
        PrefetchBlock(hukou, ahead, all_levels);
        PrefetchBlock(type, ahead, all_levels);
        PrefetchBlock(employer, ahead, all_levels);
        PrefetchBlock(sponsor, ahead, all_levels);
        PrefetchBlock(tenure, ahead, all_levels);
        PrefetchBlock(insured, ahead, all_levels);
        if (any_drift) PrefetchBlock(wage, ahead, all_levels);  // else read by searchers only
        PrefetchBlock(sector, ahead, all_levels);
      }
      // Offers first: taking one up touches only the worker's own fields and the tallies.
      const std::uint64_t block_searching = searching[first / 64];
      for (std::uint64_t bits = offered; bits != 0; bits &= bits - 1) {
        const auto lane = static_cast<std::size_t>(std::countr_zero(bits));
        // The searcher's slot: the block's first, plus the searchers before it in the block.
        const std::size_t k = block_k + BitCount(block_searching & (bits ^ (bits - 1))) - 1;
        ConsiderOffer(first + lane, packed[k], step, tally_buffer, headcount_delta);
      }
      block_k += BitCount(block_searching);
      // The next block's lines are asked for only now, the rest of this block's pass ahead
      // of their use (10 M workers, 2 threads): asked for a whole block ahead, settling took
      // 3 % longer, two blocks ahead 10 %, and after the rest of this block 8 %.
      const std::size_t next = first + KeyedRng::kBlock;
      offered = next < end ? look_ahead(next) : 0;
      // Employees who stay put, are not sponsored, hold no flexible job, live in their
      // hukou region (or are still short of every region's bound for a hukou) and see no
      // wage drift need nothing here but a month more (below): the employee stocks move
      // only with the changes tallied where jobs are taken and left.
      // Nor do the inactive, whose stock moves only with entries and exits. The test runs in
      // vector registers; drift, a lookup by region, is looked at only for those it passes.
      const std::size_t count = last - first;
      std::uint64_t attention =
          ~PlainLanes(status + first, sponsor + first, flags + first, hukou + first, region + first,
                      insured + first, insured_limit, count) &
          LaneMask(count);
      if (any_drift) {
        // A plain employee in a region with wage drift needs nothing else: its wage moves
        // here, in a loop of its own (through the loop below, wage drift in every region made
        // settling 2.9 times slower). Its job is not flexible, so it works where it lives.
        // The region test has no branches: where only some regions drift, it is a coin
        // toss to the branch predictor.
        std::uint64_t drifting = EmployedLanes(status + first, count) & ~attention;
        if (!all_drift) {
          std::uint64_t in_drift_region = 0;
          for (std::size_t lane = 0; lane < count; ++lane) {
            in_drift_region |= std::uint64_t{region_drifts[region[first + lane].index()]} << lane;
          }
          drifting &= in_drift_region;
        }
        for (std::uint64_t rest = drifting; rest != 0; rest &= rest - 1) {
          const std::size_t i = first + static_cast<std::size_t>(std::countr_zero(rest));
          const std::size_t r = region[i].index();
          const std::int64_t before = Fen(wage[i]);
          wage[i] = static_cast<float>(wage[i] * (1 + region_drift[r]));
          wage_change[r * S + sector[i].index()] += Fen(wage[i]) - before;
        }
      }
      for (std::uint64_t rest = attention; rest != 0; rest &= rest - 1) {
        const std::size_t i = first + static_cast<std::size_t>(std::countr_zero(rest));
        const Status st = status[i];
        const std::size_t ri = region[i].index();
        const std::size_t cell = ri * K + type[i].index();
        const bool at_home = hukou[i].index() == ri;
        // A migrant in the labour force is a candidate for a hukou once its insured months,
        // as they will be after this month (the counts move on below), reach the region's
        // bound. Collected without branches: the next slot is always written and kept only
        // for a candidate. So are the stocks counted here (adding zero for the others).
        const unsigned working =
            static_cast<unsigned>(st == Status::kEmployed) | (st == Status::kSelfEmployed);
        const std::uint32_t insured_after = insured[i] + (working & (insured[i] != 0xffff));
        candidates[candidate_count] = static_cast<std::uint32_t>(i);
        candidate_count += static_cast<std::size_t>(!at_home & (st != Status::kInactive) &
                                                    (insured_after >= conversion_months[ri]));
        self_employed[cell] += st == Status::kSelfEmployed;
        if (record) {
          const bool unemployed = st == Status::kUnemployed;
          unemployed_cells[cell] += unemployed;
          registered[cell] += unemployed & at_home;
        }
        // Only a sponsored worker or wage drift gives an employee more to do.
        // One branch, mostly not taken: on the status alone it would be a coin toss.
        const bool more = (st == Status::kEmployed) & ((sponsor[i] != 0) | any_drift);
        if (more) {
          // An employed worker lives where it works, in its employer's sector, unless its
          // job is flexible (tests/test_lever_flexible_hiring.cpp checks this): no gather from
          // the employers.
          const bool flexible = (flags[i] & worker_flag::kFlexible) != 0;
          const std::size_t job_region =
              flexible ? profile[employer[i].index()].region.index() : ri;
          if (sponsor[i] != 0) {
            if (tenure[i] < paid_months[sponsor[i]]) {
              ++sponsored_paid[sponsor[i] * R + job_region];
            }
            // The service period's last month, and retention_months after it ends (a tenure
            // that long rules out hires without a service period). A sponsor stays set only
            // while the worker keeps the sponsored job, so the retained are a subset of the
            // completions retention_months earlier.
            const std::uint32_t service_end = lock_end[i];
            if (step + 1 == service_end) {
              ++tally[layout_.sponsored_completions + sponsor[i] * R + job_region];
            } else if (step + 1 == service_end + retention && tenure[i] >= retention) {
              ++tally[layout_.sponsored_retained + sponsor[i] * R + job_region];
            }
          }
          if (any_drift && region_drift[job_region] != 0) {
            const std::int64_t before = Fen(wage[i]);
            wage[i] = static_cast<float>(wage[i] * (1 + region_drift[job_region]));
            wage_change[job_region * S + sector[i].index()] += Fen(wage[i]) - before;
          }
        }
      }
      // A month more of tenure and insurance for everyone working, a block at a time in
      // vector registers; the counts stop at their type's maximum.
      MonthOn(status + first, tenure + first, insured + first, count);
      if (candidate_count >= KeyedRng::kBlock) convert();
    }
    if (candidate_count > 0) convert();
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
  zero(report_.self_employed, R * K);
  zero(report_.shortage_catalog, M);
  zero(report_.fiscal_cost, spec_.policies.size() * R);
  zero(report_.new_urban_employment, R * K);
  zero(report_.registered_unemployed, R * K);
  zero(report_.talents_attracted, R * K);
  zero(report_.registered_unemployment_rate, R);
  zero(report_.shortage_vacancies, M);
  zero(report_.shortage_hires, M);
  zero(report_.shortage_fill_rate, M);
  const std::size_t P = spec_.policies.size();
  zero(report_.sponsored_hires, P * R);
  zero(report_.sponsored_early_exits, P * R);
  zero(report_.sponsored_completions, P * R);
  zero(report_.sponsored_retained, P * R);
  zero(report_.sponsored_retention_cohort, P * R);
  zero(report_.sponsored_retention_rate, P * R);
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
  const std::size_t R = geo_.regions, K = geo_.types, P = spec_.policies.size();
  // Sponsor ids are one byte (lever instance + 1); row 0 of the by-sponsor counts is unused.
  const std::size_t sponsored_cells = std::min<std::size_t>(P, 255) * R;
  std::vector<std::int64_t> completions(P * R, 0);
  for (auto* v :
       {&counts_.hires, &counts_.returns, &counts_.sponsored_hires, &counts_.sponsored_paid,
        &counts_.sponsored_early_exits, &counts_.self_employment_starts, &counts_.self_employed}) {
    std::fill(v->begin(), v->end(), 0);
  }
  for (auto& delta : headcount_deltas_) {
    for (std::size_t j = 0; j < employers_.size(); ++j) {
      employers_.headcount[EmployerId::FromIndex(j)] += delta[j];
    }
    std::fill(delta.begin(), delta.end(), std::int8_t{0});
  }
  for (auto& t : tallies_) {
    for (std::size_t j = 0; j < employers_.size(); ++j) {
      employers_.headcount[EmployerId::FromIndex(j)] +=
          static_cast<std::int32_t>(t[layout_.headcount_change + j]);
    }
    add(report_.entrants, t, layout_.entrants);
    add(report_.exits, t, layout_.exits);
    add(report_.separations, t, layout_.separations);
    add(report_.migrations, t, layout_.migrations);
    add(report_.flexible_hires, t, layout_.flexible);
    add(report_.sector_transitions, t, layout_.sector_transitions);
    add(report_.ownership_transitions, t, layout_.ownership_transitions);
    add(report_.hukou_conversions, t, layout_.conversions);
    report_.mobility_events += t[layout_.mobility];
    for (std::size_t i = 0; i < R * K; ++i) {
      report_.new_urban_employment[i] +=
          t[layout_.new_hires + i] - t[layout_.retirements_employed + i];
    }
    for (std::size_t i = 0; i < sponsored_cells; ++i) {
      completions[i] += t[layout_.sponsored_completions + R + i];
      report_.sponsored_retained[i] += t[layout_.sponsored_retained + R + i];
    }
    if (report_due_) {
      add(report_.registered_unemployed, t, layout_.registered);
      add(report_.unemployed, t, layout_.unemployed);
    }
    for (std::size_t i = layout_.migrations; i < layout_.migrations + report_.migrations.size();
         ++i) {
      total_migrations_ += t[i];
    }
    add(counts_.hires, t, layout_.hires_detail);
    FoldStockChanges(t);
    add(counts_.returns, t, layout_.returns);
    add(counts_.sponsored_hires, t, layout_.sponsored_hires);
    add(counts_.sponsored_paid, t, layout_.sponsored_paid);
    add(counts_.sponsored_early_exits, t, layout_.sponsored_early_exits);
    add(counts_.self_employment_starts, t, layout_.self_employment_starts);
    add(counts_.self_employed, t, layout_.self_employed);
    std::fill(t.begin(), t.end(), 0);
  }
  counts_.employed = employee_stock_;
  counts_.flexible_employed = flexible_stock_;
  counts_.vacancies = market_vacancies_;
  counts_.applicants = step_applicants_;
  // Hires per market: the detailed counts summed over talent types and ownership kinds.
  const std::size_t per_market = counts_.hires.size() / M;
  for (std::size_t m = 0; m < M; ++m) {
    const auto first = counts_.hires.begin() + static_cast<std::ptrdiff_t>(m * per_market);
    step_hires_[m] =
        std::accumulate(first, first + static_cast<std::ptrdiff_t>(per_market), std::int64_t{0});
  }
  for (std::size_t i = 0; i < R * K; ++i) {
    report_.new_urban_employment[i] += counts_.self_employment_starts[i];
  }
  const std::size_t retention = spec_.output.retention_months;
  std::int64_t* const history =
      completion_history_.data() + static_cast<std::size_t>(step_) % retention * P * R;
  for (std::size_t i = 0; i < P * R; ++i) {
    if (i < sponsored_cells) {
      report_.sponsored_hires[i] += counts_.sponsored_hires[R + i];
      report_.sponsored_early_exits[i] += counts_.sponsored_early_exits[R + i];
    }
    report_.sponsored_completions[i] += completions[i];
    report_.sponsored_retention_cohort[i] += history[i];
    history[i] = completions[i];
  }
  for (std::size_t m = 0; m < M; ++m) {
    report_.shortage_catalog[m] += knobs_.shortage_listed[m];
    if (knobs_.shortage_listed[m]) {
      report_.shortage_vacancies[m] += market_vacancies_[m];
      report_.shortage_hires[m] += step_hires_[m];
    }
    report_.vacancies[m] += market_vacancies_[m];
    report_.applicants[m] += step_applicants_[m];
    report_.hires[m] += step_hires_[m];
    // Smoothed so a market nobody tried last month is neither certain nor hopeless.
    finding_rate_[m] = (static_cast<double>(step_hires_[m]) + 0.5) /
                       (static_cast<double>(step_applicants_[m]) + 1.0);
  }
  if (!report_due_) return;
  report_.self_employed = counts_.self_employed;
  report_.inactive = inactive_stock_;
  // Employed and population follow from the employee stocks, which count employees by
  // where their job is; the flexible ones live elsewhere.
  const std::size_t S = geo_.sectors;
  std::vector<std::int64_t> wage_count(M, 0);
  for (std::size_t m = 0; m < M; ++m) {
    for (std::size_t k = 0; k < K; ++k) wage_count[m] += counts_.employed[m * K + k];
  }
  for (std::size_t r = 0; r < R; ++r) {
    for (std::size_t k = 0; k < K; ++k) {
      const std::size_t cell = r * K + k;
      std::int64_t employed =
          counts_.self_employed[cell] - flexible_stock_[cell] + flexible_home_stock_[cell];
      for (std::size_t s = 0; s < S; ++s) employed += counts_.employed[(r * S + s) * K + k];
      report_.employed[cell] = employed;
      report_.population[cell] = employed + report_.unemployed[cell] + report_.inactive[cell];
    }
  }
  for (std::size_t m = 0; m < M; ++m) {
    std::int64_t employment = 0;
    for (std::uint32_t j = employers_.market_begin[m]; j < employers_.market_begin[m + 1]; ++j) {
      employment += employers_.headcount[EmployerId(j)];
    }
    report_.employment[m] = employment;
    report_.mean_wage[m] =
        wage_count[m] > 0 ? static_cast<double>(wage_stock_[m]) / 100.0 / wage_count[m] : 0.0;
    report_.job_finding_rate[m] =
        report_.applicants[m] > 0 ? static_cast<double>(report_.hires[m]) / report_.applicants[m]
                                  : 0.0;
    report_.vacancy_filling_rate[m] =
        report_.vacancies[m] > 0 ? static_cast<double>(report_.hires[m]) / report_.vacancies[m]
                                 : 0.0;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto ratio = [nan](std::int64_t num, std::int64_t den) {
    return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : nan;
  };
  for (std::size_t m = 0; m < M; ++m) {
    report_.shortage_fill_rate[m] = ratio(report_.shortage_hires[m], report_.shortage_vacancies[m]);
  }
  for (std::size_t i = 0; i < P * R; ++i) {
    report_.sponsored_retention_rate[i] =
        ratio(report_.sponsored_retained[i], report_.sponsored_retention_cohort[i]);
  }
  for (std::size_t r = 0; r < R; ++r) {
    std::int64_t registered = 0, employed = 0;
    for (std::size_t k = 0; k < K; ++k) {
      if (!spec_.regions[r].urban) {
        report_.new_urban_employment[r * K + k] = 0;
        report_.registered_unemployed[r * K + k] = 0;
      }
      registered += report_.registered_unemployed[r * K + k];
      employed += report_.employed[r * K + k];
      // Every change of region is a hire, so moves and flexible hires into r are all the
      // hires of workers from elsewhere.
      std::int64_t attracted = 0;
      for (std::size_t o = 0; o < R; ++o) {
        if (o == r) continue;
        attracted +=
            report_.migrations[(k * R + o) * R + r] + report_.flexible_hires[(k * R + o) * R + r];
      }
      report_.talents_attracted[r * K + k] = attracted;
    }
    report_.registered_unemployment_rate[r] =
        spec_.regions[r].urban ? ratio(registered, employed + registered) : nan;
  }
  for (std::size_t i = 0; i < report_.population.size(); ++i) {
    report_.labour_force += report_.employed[i] + report_.unemployed[i];
  }
  // Per month, so a shorter last reporting step is comparable with the others.
  const int months = step_ - report_.first_step + 1;
  const double rate = report_.labour_force > 0 ? static_cast<double>(report_.mobility_events) /
                                                     report_.labour_force / months
                                               : 0.0;
  if (base_mobility_rate_ < 0) base_mobility_rate_ = rate;
  report_.talent_flow_index = base_mobility_rate_ > 0 ? 100.0 * rate / base_mobility_rate_ : 100.0;
  report_.last_step = step_;
}

void Simulation::ApplyPolicies() {
  knobs_.Reset(spec_, geo_);
  const int calendar = spec_.run.start_month - 1 + step_;
  const int year = spec_.run.start_year + calendar / 12;
  if (year != budget_year_) {
    budget_year_ = year;
    std::fill(budget_spent_.begin(), budget_spent_.end(), 0.0);
    std::fill(budget_exhausted_.begin(), budget_exhausted_.end(), 0);
  }
  const PolicyContext ctx{spec_, geo_, step_, year, calendar % 12 + 1, counts_};
  for (auto& p : policies_) {
    const double intensity = p->Intensity(step_);
    // A lever whose annual budget is spent stops acting until the next calendar year.
    if (intensity > 0 && !budget_exhausted_[p->instance()]) p->Apply(ctx, intensity, knobs_);
  }
}

void Simulation::BookPayments() {
  ledger_.Clear();
  if (paying_.empty()) return;
  const int calendar = spec_.run.start_month - 1 + step_;
  const PolicyContext ctx{
      spec_, geo_, step_, spec_.run.start_year + calendar / 12, calendar % 12 + 1, counts_};
  for (Policy* p : paying_) {
    const int i = p->instance();
    const double intensity = p->Intensity(step_);
    if (intensity <= 0 || budget_exhausted_[i]) continue;
    p->Book(ctx, intensity, ledger_);
    const double budget = p->spec().budget;
    if (budget < 0) continue;
    // The month that reaches the budget pays out only what is left, shared pro rata.
    const double month = ledger_.InstanceTotal(i);
    if (month > 0 && budget_spent_[i] + month >= budget) {
      ledger_.Scale(i, std::max(0.0, budget - budget_spent_[i]) / month);
      budget_exhausted_[i] = 1;
    }
    budget_spent_[i] += ledger_.InstanceTotal(i);
  }
  const int R = geo_.regions;
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    for (int r = 0; r < R; ++r)
      report_.fiscal_cost[i * R + r] += ledger_.At(static_cast<int>(i), r);
  }
}

void Simulation::Step() {
  if (report_due_) ResetReport();
  report_due_ = (step_ + 1) % spec_.run.report_every == 0 || step_ + 1 == spec_.run.steps;
  const auto timed = [this](Phase phase, auto&& work) {
    PhaseTimer timer(phase_seconds_[static_cast<int>(phase)]);
    work();
  };
  timed(Phase::kDemand, [this] {
    ApplyPolicies();
    UpdateDemand();
  });
  timed(Phase::kChoiceTables, [this] { BuildChoiceTables(); });
  timed(Phase::kSeparateSearch, [this] { SeparateAndSearch(); });
  timed(Phase::kGroup, [this] { GroupApplicants(); });
  timed(Phase::kMatching, [this] { Match(); });
  timed(Phase::kSettle, [this] { Settle(); });
  timed(Phase::kStatistics, [this] {
    MergeTallies();
    BookPayments();
  });
  ++step_;
}

}  // namespace talentflow
