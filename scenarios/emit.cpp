// EmitScenarioYaml: writes a spec back as scenario YAML with every field present, in the
// documented layout. Strings are always double-quoted and numbers use the shortest
// round-trip form, so loading the text again yields exactly the same spec.
#include <cstdio>
#include <sstream>

#include "engine/output_schema.hpp"
#include "engine/targets.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace talentflow {
namespace {

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", c);
          out += buf;
        } else {
          out += ch;  // UTF-8 bytes pass through unchanged
        }
    }
  }
  return out + "\"";
}

std::string Num(double v) { return FormatDouble(v); }
std::string Bool(bool v) { return v ? "true" : "false"; }

std::string QuotedList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + Quoted(items[i]);
  return out + "]";
}

std::string NumberList(const std::vector<double>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + Num(items[i]);
  return out + "]";
}

// Month `months` after the run's first month, as YYYY-MM.
std::string YearMonth(const RunSpec& run, int months) {
  const int total = run.start_year * 12 + (run.start_month - 1) + months;
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d", total / 12, total % 12 + 1);
  return buf;
}

// A parameter without its declaration: guess from what the loader fills for each kind.
std::string GuessParam(const PolicyParamValue& v) {
  if (!v.list.empty()) return QuotedList(v.list);
  if (!v.numbers.empty()) return NumberList(v.numbers);
  if (v.text == "true" || v.text == "false") return v.text;
  if (!v.text.empty()) return Quoted(v.text);
  return Num(v.number);
}

std::string DeclaredParam(const PolicyParamValue& v, ParamKind kind) {
  switch (kind) {
    case ParamKind::kNumber:
      return Num(v.number);
    case ParamKind::kInteger: {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.0f", v.number);
      return buf;
    }
    case ParamKind::kBool:
      return Bool(v.number != 0);
    case ParamKind::kString:
      return Quoted(v.text);
    case ParamKind::kStringList:
      return QuotedList(v.list);
    case ParamKind::kNumberList:
      return NumberList(v.numbers);
  }
  return Num(v.number);
}

}  // namespace

std::string EmitScenarioYaml(const ScenarioSpec& spec) { return EmitScenarioYaml(spec, {}); }

std::string EmitScenarioYaml(const ScenarioSpec& spec, const std::vector<LeverDecl>& levers) {
  std::ostringstream o;
  o << "# Resolved scenario: every value, defaults filled in.\n";
  o << "name: " << Quoted(spec.name) << "\n";
  o << "description: " << Quoted(spec.description) << "\n";

  o << "\nrun:\n";
  o << "  start: " << YearMonth(spec.run, 0) << "\n";
  o << "  steps: " << spec.run.steps << "\n";
  o << "  seed: " << spec.run.seed << "\n";
  o << "  report_every: " << spec.run.report_every << "\n";

  const PopulationSpec& p = spec.population;
  o << "\npopulation:\n";
  o << "  workers: " << p.workers << "\n";
  o << "  inactive_share: " << Num(p.inactive_share) << "\n";
  o << "  unemployment_rate: " << Num(p.unemployment_rate) << "\n";
  o << "  migrant_share: " << Num(p.migrant_share) << "\n";
  o << "  rural_hukou_share: " << Num(p.rural_hukou_share) << "\n";
  if (p.represents > 0) {
    o << "  represents: " << Num(p.represents) << "\n";
  } else {
    o << "  # represents: absent (targets in people cannot be scaled)\n";
  }

  const EmployerSpec& e = spec.employers;
  o << "\nemployers:\n";
  o << "  count: " << e.count << "\n";
  o << "  size_sigma: " << Num(e.size_sigma) << "\n";
  o << "  productivity_sigma: " << Num(e.productivity_sigma) << "\n";
  o << "  vacancy_rate: " << Num(e.vacancy_rate) << "\n";

  o << "\nlabour_demand:\n";
  o << "  growth: " << Num(spec.labour_demand.growth) << "\n";
  o << "  shock_sigma: " << Num(spec.labour_demand.shock_sigma) << "\n";

  if (spec.demography.enabled) {
    o << "\ndemography:\n";
    o << "  entry_age: " << spec.demography.entry_age << "\n";
    o << "  retirement_age: " << spec.demography.retirement_age << "\n";
  } else {
    o << "\n# demography: absent (no entry or exit)\n";
  }

  o << "\nregions:\n";
  for (const RegionSpec& r : spec.regions) {
    o << "  - name: " << Quoted(r.name) << "\n";
    o << "    group: " << Quoted(r.group) << "\n";
    o << "    population: " << Num(r.population) << "\n";
    o << "    lat: " << Num(r.lat) << "\n";
    o << "    lon: " << Num(r.lon) << "\n";
    o << "    productivity: " << Num(r.productivity) << "\n";
    o << "    amenity: " << Num(r.amenity) << "\n";
    o << "    housing_cost: " << Num(r.housing_cost) << "\n";
    o << "    public_services: " << Num(r.public_services) << "\n";
    o << "    hardship_grade: " << r.hardship_grade << "\n";
    o << "    urban: " << Bool(r.urban) << "\n";
    if (r.hukou_threshold_months >= 0) {
      o << "    hukou_threshold_months: " << r.hukou_threshold_months << "\n";
    }
  }

  const std::size_t n = spec.regions.size();
  if (!spec.distances.empty() && spec.distances.size() == n * n) {
    o << "\ndistances:\n";
    for (std::size_t i = 0; i < n; ++i) {
      o << "  - [";
      for (std::size_t j = 0; j < n; ++j) o << (j ? ", " : "") << Num(spec.distances[i * n + j]);
      o << "]\n";
    }
  }

  o << "\nsectors:\n";
  for (const SectorSpec& s : spec.sectors) {
    o << "  - name: " << Quoted(s.name) << "\n";
    o << "    share: " << Num(s.share) << "\n";
    o << "    productivity: " << Num(s.productivity) << "\n";
    o << "    separation_rate: " << Num(s.separation_rate) << "\n";
    o << "    key_field: " << Bool(s.key_field) << "\n";
  }

  o << "\nownerships:\n";
  for (const OwnershipSpec& w : spec.ownerships) {
    o << "  - name: " << Quoted(w.name) << "\n";
    o << "    share: " << Num(w.share) << "\n";
    o << "    public: " << Bool(w.is_public) << "\n";
    o << "    quota: " << Num(w.quota) << "\n";
  }

  o << "\ntalent_types:\n";
  for (const TalentTypeSpec& k : spec.talent_types) {
    o << "  - name: " << Quoted(k.name) << "\n";
    o << "    share: " << Num(k.share) << "\n";
    o << "    productivity: " << Num(k.productivity) << "\n";
    o << "    on_the_job_search: " << Num(k.on_the_job_search) << "\n";
    o << "    migration_cost: " << Num(k.migration_cost) << "\n";
    o << "    entrant_share: " << Num(k.entrant_share) << "\n";
  }

  const BehaviourSpec& b = spec.behaviour;
  o << "\nbehaviour:\n";
  o << "  labour_share: " << Num(b.labour_share) << "\n";
  o << "  unemployment_benefit: " << Num(b.unemployment_benefit) << "\n";
  o << "  wage_drift: " << Num(b.wage_drift) << "\n";
  o << "  land_income: " << Num(b.land_income) << "\n";
  o << "  insurance_portability: " << Num(b.insurance_portability) << "\n";
  o << "  insurance_portability_public: " << Num(b.insurance_portability_public) << "\n";
  o << "  self_employment_exit: " << Num(b.self_employment_exit) << "\n";
  o << "  discrimination: " << Num(b.discrimination) << "\n";
  o << "  matching:\n";
  o << "    efficiency: " << Num(b.matching.efficiency) << "\n";
  o << "    elasticity: " << Num(b.matching.elasticity) << "\n";
  o << "  choice:\n";
  o << "    wage: " << Num(b.choice.wage) << "\n";
  o << "    job_finding: " << Num(b.choice.job_finding) << "\n";
  o << "    amenity: " << Num(b.choice.amenity) << "\n";
  o << "    distance: " << Num(b.choice.distance) << "\n";
  o << "    distance_scale: " << Num(b.choice.distance_scale) << "\n";
  o << "    housing_cost: " << Num(b.choice.housing_cost) << "\n";
  o << "    sector_change: " << Num(b.choice.sector_change) << "\n";
  o << "    hukou_penalty: " << Num(b.choice.hukou_penalty) << "\n";
  o << "    local_search_share: " << Num(b.choice.local_search_share) << "\n";
  o << "  hukou:\n";
  o << "    threshold_months: " << b.hukou.threshold_months << "\n";
  o << "    conversion_rate: " << Num(b.hukou.conversion_rate) << "\n";

  if (spec.policies.empty()) {
    o << "\npolicies: []\n";
  } else {
    o << "\npolicies:\n";
    for (const PolicySpec& policy : spec.policies) {
      o << "  - lever: " << Quoted(policy.lever) << "\n";
      o << "    name: " << Quoted(policy.instance) << "\n";
      // Targets by name: a group was expanded to its regions when loading.
      const auto names = [](const std::vector<int>& indices, const auto& items) {
        std::vector<std::string> out;
        for (const int i : indices) {
          out.push_back(i >= 0 && i < static_cast<int>(items.size()) ? items[i].name
                                                                     : std::to_string(i));
        }
        return QuotedList(out);
      };
      if (policy.regions.empty() && policy.sectors.empty() && policy.talent_types.empty() &&
          policy.ownerships.empty()) {
        o << "    # targets: absent (acts on everyone)\n";
      } else {
        o << "    targets:\n";
        if (!policy.regions.empty()) {
          o << "      regions: " << names(policy.regions, spec.regions) << "\n";
        }
        if (!policy.sectors.empty()) {
          o << "      sectors: " << names(policy.sectors, spec.sectors) << "\n";
        }
        if (!policy.talent_types.empty()) {
          o << "      talent_types: " << names(policy.talent_types, spec.talent_types) << "\n";
        }
        if (!policy.ownerships.empty()) {
          o << "      ownerships: " << names(policy.ownerships, spec.ownerships) << "\n";
        }
      }
      o << "    start: " << YearMonth(spec.run, policy.start) << "\n";
      if (policy.end >= 0) {
        o << "    end: " << YearMonth(spec.run, policy.end) << "\n";
      } else {
        o << "    # end: absent (acts to the end of the run)\n";
      }
      o << "    ramp: " << policy.ramp << "\n";
      if (policy.budget >= 0) o << "    budget: " << Num(policy.budget) << "\n";
      const LeverDecl* decl = nullptr;
      for (const LeverDecl& d : levers) {
        if (d.name == policy.lever) decl = &d;
      }
      for (const PolicyParamValue& v : policy.params) {
        const LeverParamDecl* param = nullptr;
        if (decl) {
          for (const LeverParamDecl& pd : decl->params) {
            if (pd.name == v.name) param = &pd;
          }
        }
        o << "    " << v.name << ": " << (param ? DeclaredParam(v, param->kind) : GuessParam(v))
          << "\n";
      }
    }
  }

  if (spec.targets.empty()) {
    o << "\ntargets: []\n";
  } else {
    o << "\ntargets:\n";
    for (const TargetSpec& target : spec.targets) {
      o << "  - name: " << Quoted(target.name) << "\n";
      o << "    indicator: " << Quoted(target.indicator) << "\n";
      const VariableDecl* variable = FindVariable(target.indicator);
      for (std::size_t d = 0; variable && d < target.selections.size(); ++d) {
        if (target.selections[d].empty() || d >= variable->dims.size()) continue;
        const Dim dim = variable->dims[d];
        std::vector<std::string> names;
        for (const int i : target.selections[d]) {
          switch (dim) {
            case Dim::kRegion:
            case Dim::kOrigin:
            case Dim::kDestination:
              names.push_back(spec.regions[i].name);
              break;
            case Dim::kTalentType:
              names.push_back(spec.talent_types[i].name);
              break;
            case Dim::kSector:
            case Dim::kOriginSector:
            case Dim::kDestinationSector:
              names.push_back(spec.sectors[i].name);
              break;
            case Dim::kOwnership:
            case Dim::kOriginOwnership:
            case Dim::kDestinationOwnership:
              names.push_back(spec.ownerships[i].name);
              break;
            case Dim::kLever:
              names.push_back(spec.policies[i].instance);
              break;
          }
        }
        // Selector keys are the dimension names in the plural.
        o << "    " << DimName(dim) << "s: " << QuotedList(names) << "\n";
      }
      o << "    comparison: " << ComparisonName(target.comparison) << "\n";
      o << "    value: " << Num(target.value) << "\n";
      o << "    over: " << AggregationName(target.over) << "\n";
    }
  }

  o << "\noutput:\n";
  o << "  compression: " << spec.output.compression << "\n";
  o << "  retention_months: " << spec.output.retention_months << "\n";
  return o.str();
}

}  // namespace talentflow
