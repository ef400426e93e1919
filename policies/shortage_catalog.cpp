// shortage_catalog: an "urgently needed talent catalogue" (急需紧缺人才目录) with a green
// channel for the markets (region x sector) it lists. Listed markets match faster (the
// green channel's simplified procedures and the catalogue's guidance multiply matching
// efficiency) and may carry a subsidy paid to employers per hire of target talent types.
// The list is either the targeted markets (`mode: list`, a catalogue compiled by region and
// sector) or detected from the market's own state (`mode: auto`, the demand forecasting
// and early-warning mechanism): a targeted market is listed while its vacancy/applicant
// ratio has stayed above `threshold` for `months` consecutive months, and delisted as soon
// as the ratio falls back. Listed markets are recorded in the output (`shortage_catalog`).
// Seeds: 000 (15) compile and publish the catalogue by region, industry and field, with
// demand forecasting and early warning; 001 (42) publish the catalogue and open a green
// channel that simplifies introduction; 004 (二(一)) compile and publish a catalogue of
// urgently needed talent from employers' reported needs.
#include <algorithm>
#include <stdexcept>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class ShortageCatalog final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "shortage_catalog",
            .targets = target::kRegions | target::kSectors | target::kTalentTypes,
            .pays = true,
            .description =
                "shortage catalogue with a green channel: faster matching and an optional "
                "employer subsidy per hire in listed (or automatically detected) markets",
            .seed_clauses = "000 (15), 001 (42), 004",
            .params = {
                StringParam("mode", "list",
                            "list: the targeted markets are listed; auto: a targeted market is "
                            "listed while its vacancy/applicant ratio stays above `threshold`",
                            {"list", "auto"}),
                NumberParam("matching_multiplier", 1, 10, 1.3,
                            "multiplies matching efficiency in listed markets"),
                NumberParam("subsidy", 0, 1e7, 0,
                            "yuan paid to the employer per hire of a target talent type into a "
                            "listed market"),
                NumberParam("threshold", 0, 1000, 1.0,
                            "auto mode: vacancy/applicant ratio above which a market is tight"),
                IntegerParam("months", 1, 600, 3,
                             "auto mode: consecutive tight months before a market is listed"),
            }};
  }

  ShortageCatalog(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        multiplier_(Number("matching_multiplier")),
        subsidy_(Number("subsidy")),
        threshold_(Number("threshold")),
        months_(static_cast<int>(Number("months"))) {
    const std::string& mode = Text("mode");
    if (mode != "list" && mode != "auto") {
      throw std::invalid_argument("shortage_catalog: mode must be list or auto, got '" + mode +
                                  "'");
    }
    auto_ = mode == "auto";
  }

  bool Pays() const override { return subsidy_ > 0; }

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const int M = ctx.geo.markets();
    if (listed_.empty()) {
      listed_.assign(M, 0);
      tight_run_.assign(M, 0);
    }
    // The run counters describe consecutive months the lever has watched; a month it did not
    // act (budget spent) breaks the run, so stale counts never list a market.
    if (last_step_ >= 0 && ctx.step != last_step_ + 1)
      std::fill(tight_run_.begin(), tight_run_.end(), 0);
    last_step_ = ctx.step;
    for (int m = 0; m < M; ++m) {
      if (!targets_.Market(ctx.geo, m)) continue;
      if (auto_) {
        // ctx.counts is last month's: vacancies open at matching and applicants to the
        // market. A market nobody applied to counts its vacancies as the ratio.
        const double ratio =
            static_cast<double>(ctx.counts.vacancies[m]) /
            static_cast<double>(std::max<std::int64_t>(1, ctx.counts.applicants[m]));
        tight_run_[m] = ratio > threshold_ ? tight_run_[m] + 1 : 0;
        listed_[m] = tight_run_[m] >= months_;
      } else {
        listed_[m] = 1;
      }
      if (!listed_[m]) continue;
      knobs.matching_scale[m] *= 1 + (multiplier_ - 1) * intensity;
      knobs.shortage_listed[m] = 1;
    }
  }

  void Book(const PolicyContext& ctx, double intensity, Ledger& ledger) override {
    const int K = ctx.geo.types, O = ctx.geo.ownerships;
    for (int m = 0; m < ctx.geo.markets(); ++m) {
      if (listed_.empty() || !listed_[m]) continue;
      std::int64_t hires = 0;
      for (int k = 0; k < K; ++k) {
        if (!targets_.types[k]) continue;
        for (int o = 0; o < O; ++o) {
          hires += ctx.counts.hires[(static_cast<std::size_t>(m) * K + k) * O + o];
        }
      }
      if (hires > 0) {
        ledger.Book(instance(), RegionId::FromIndex(m / ctx.geo.sectors),
                    intensity * subsidy_ * static_cast<double>(hires));
      }
    }
  }

 private:
  double multiplier_, subsidy_, threshold_;
  int months_;
  bool auto_ = false;
  // Per market: listed this month, and consecutive tight months seen (auto mode).
  std::vector<std::uint8_t> listed_;
  std::vector<int> tight_run_;
  int last_step_ = -1;
};

TALENTFLOW_REGISTER_LEVER(ShortageCatalog);

}  // namespace
}  // namespace talentflow
