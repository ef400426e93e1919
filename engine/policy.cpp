// Neutral knob values, and the parts of a lever the framework handles for every lever:
// targeting, schedule and typed parameter access.
#include "engine/policy.hpp"

#include <algorithm>
#include <stdexcept>

namespace talentflow {

void Knobs::Reset(const ScenarioSpec& spec, const Geography& geo) {
  const std::size_t R = geo.regions, M = geo.markets(), K = geo.types, O = geo.ownerships;
  hukou_relaxation.assign(R, 0.0);
  conversion_threshold_scale.assign(R, 1.0);
  conversion_rate_scale.assign(R, 1.0);
  permit_services_share.assign(R, 0.0);
  permit_months.assign(R, 0);
  discrimination_scale.assign(R, 1.0);
  local_search_scale.assign(R, 1.0);
  wage_drift_extra.assign(R, 0.0);
  matching_scale.assign(M, 1.0);
  demand_scale.assign(M, 1.0);
  poach_rejection.assign(M, 0.0);
  income_bonus.assign(M * K, 0.0);
  quit_consent.assign(M * K, 1.0);
  key_field_consent.assign(M * K, 1.0);
  sponsor.assign(M * K, 0);
  service_months.assign(M * K, 0);
  return_bonus.assign(R * K, 0.0);
  flexible_share.assign(K * R, 0.0);
  flexible_max_km.assign(K * R, 0.0);
  quota_scale.assign(O, 1.0);
  special_post_share.assign(O, 0.0);
  special_post_type.assign(O * K, 0);
  portability_region.assign(R, spec.behaviour.insurance_portability);
  portability_public.assign(R, spec.behaviour.insurance_portability_public);
  shortage_listed.assign(M, 0);
  self_employment_rate.assign(R * K, 0.0);
  self_employment_income.assign(R * K, 0.0);
  self_employment_exit.assign(R * K, spec.behaviour.self_employment_exit);
  sponsor_paid_months.assign(256, 0);
}

Policy::Policy(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
    : spec_(spec), instance_(instance) {
  if (instance < 0 || instance > 254) throw std::invalid_argument("at most 255 lever instances");
  const auto resolve = [](const std::vector<int>& chosen, std::size_t n) {
    std::vector<std::uint8_t> mask(n, chosen.empty() ? 1 : 0);
    for (int i : chosen) mask.at(static_cast<std::size_t>(i)) = 1;
    return mask;
  };
  targets_.regions = resolve(spec.regions, scenario.regions.size());
  targets_.sectors = resolve(spec.sectors, scenario.sectors.size());
  targets_.types = resolve(spec.talent_types, scenario.talent_types.size());
  targets_.ownerships = resolve(spec.ownerships, scenario.ownerships.size());
}

void Policy::Book(const PolicyContext&, double, Ledger&) {}

double Policy::Intensity(int step) const {
  if (step < spec_.start || (spec_.end >= 0 && step >= spec_.end)) return 0.0;
  if (spec_.ramp <= 0) return 1.0;
  return std::min(1.0, static_cast<double>(step - spec_.start + 1) / spec_.ramp);
}

namespace {
const PolicyParamValue& Find(const PolicySpec& spec, const std::string& name) {
  for (const auto& p : spec.params) {
    if (p.name == name) return p;
  }
  throw std::logic_error("lever " + spec.lever + " has no parameter " + name);
}
}  // namespace

double Policy::Number(const std::string& name) const { return Find(spec_, name).number; }
const std::vector<double>& Policy::Numbers(const std::string& name) const {
  return Find(spec_, name).numbers;
}
const std::vector<std::string>& Policy::Texts(const std::string& name) const {
  return Find(spec_, name).list;
}
const std::string& Policy::Text(const std::string& name) const { return Find(spec_, name).text; }

}  // namespace talentflow
