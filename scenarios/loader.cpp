// Scenario loading: text -> structural YAML guard -> node tree -> --set overrides ->
// schema validation (every problem collected) -> command-line options -> memory check.
// The schema here mirrors docs/scenario_format.md and engine/spec.hpp.
#include "scenarios/loader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>
#include <system_error>
#include <tuple>
#include <utility>

#include "engine/memory_estimate.hpp"
#include "engine/output_schema.hpp"
#include "scenarios/overrides.hpp"
#include "scenarios/yaml_guard.hpp"
#include "scenarios/yaml_reader.hpp"

namespace talentflow {
namespace {

constexpr double kShareTolerance = 1e-6;
constexpr double kSymmetryTolerance = 1e-9;
constexpr int kMaxSteps = 100'000;
constexpr std::uintmax_t kMaxFileBytes = 64u << 20;
// Past this many, further diagnostics are summarised: they are almost always one mistake
// repeated (e.g. a mis-indented list), and the user needs the first ones.
constexpr std::size_t kMaxDiagnostics = 100;
// Keys of a policies entry that are not lever parameters.
constexpr std::string_view kReservedPolicyKeys[] = {"lever", "name", "targets", "start",
                                                    "end",   "ramp", "budget"};
// Targeting keys under a policy's `targets`, with the LeverDecl::targets bit of each.
constexpr std::string_view kTargetKeys[] = {"regions", "sectors", "talent_types", "ownerships"};
constexpr unsigned kTargetBits[] = {target::kRegions, target::kSectors, target::kTalentTypes,
                                    target::kOwnerships};
// Names of a scenario list are listed in messages only when there are at most this many.
constexpr std::size_t kMaxNamesListed = 12;
// Selector keys of a `targets` entry, with the output dimension each selects on and the
// kind of name it takes (as TargetList's kind: 0 region, 1 sector, 2 talent type,
// 3 ownership, 4 policy).
struct SelectorKey {
  std::string_view key;
  Dim dim;
  int kind;
};
constexpr SelectorKey kSelectorKeys[] = {
    {"regions", Dim::kRegion, 0},
    {"talent_types", Dim::kTalentType, 2},
    {"sectors", Dim::kSector, 1},
    {"ownerships", Dim::kOwnership, 3},
    {"origins", Dim::kOrigin, 0},
    {"destinations", Dim::kDestination, 0},
    {"origin_sectors", Dim::kOriginSector, 1},
    {"destination_sectors", Dim::kDestinationSector, 1},
    {"origin_ownerships", Dim::kOriginOwnership, 3},
    {"destination_ownerships", Dim::kDestinationOwnership, 3},
    {"levers", Dim::kLever, 4},
};
// Indicators defined for urban regions only (0 or NaN elsewhere).
constexpr std::string_view kUrbanIndicators[] = {"new_urban_employment", "registered_unemployed",
                                                 "registered_unemployment_rate"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string GiB(std::int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
  return std::string(buf) + " GiB";
}

// MemAvailable from /proc/meminfo, or nullopt when it cannot be read.
std::optional<std::int64_t> ReadMemAvailable() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::int64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kib * 1024;
  }
  return std::nullopt;
}

// Validates the node tree into a ScenarioSpec, remembering the locations needed by the
// checks that run after the command-line options are applied.
class ScenarioParser {
 public:
  ScenarioParser(Reader& reader, const LoadOptions& options) : reader_(reader), options_(options) {}

  void Parse(const YAML::Node& root, ScenarioSpec* spec);

  std::optional<Location> workers_location;
  std::optional<Location> report_every_location;
  bool steps_ok = false;
  bool report_every_ok = false;
  bool run_start_ok = false;

 private:
  std::optional<MapReader> Block(MapReader& parent, std::string_view key, bool required);
  // Walks a list of maps; returns the list node when it is a list.
  std::optional<YAML::Node> List(MapReader& parent, std::string_view key, int max_entries,
                                 bool required, const std::function<void(MapReader&)>& per_entry);
  void CheckUniqueName(const std::string& kind, MapReader& entry, const std::string& name,
                       std::map<std::string, Location>* seen);
  void CheckShares(const std::string& what, const std::optional<YAML::Node>& list,
                   const std::vector<double>& shares, bool all_ok);

  void ParseRun(MapReader& top, RunSpec* run);
  void ParsePopulation(MapReader& top, PopulationSpec* population);
  void ParseEmployers(MapReader& top, EmployerSpec* employers, bool* count_ok,
                      std::optional<YAML::Node>* count_node);
  void ParseDemography(MapReader& top, DemographySpec* demography);
  void ParseRegions(MapReader& top, bool has_distances, std::vector<RegionSpec>* regions,
                    int* count);
  void ParseDistances(MapReader& top, int region_count, std::vector<double>* distances);
  void ParseSectors(MapReader& top, std::vector<SectorSpec>* sectors, int* count);
  void ParseOwnerships(MapReader& top, std::vector<OwnershipSpec>* ownerships);
  void ParseTalentTypes(MapReader& top, bool demography, std::vector<TalentTypeSpec>* types);
  void ParseBehaviour(MapReader& top, BehaviourSpec* behaviour);
  // "YYYY-MM" as (year, month), or nullopt after reporting the problem.
  std::optional<std::pair<int, int>> YearMonth(const YAML::Node& node, const std::string& path);
  void ParsePolicies(MapReader& top, ScenarioSpec* spec);
  void CheckPolicyName(MapReader& entry, const PolicySpec& policy,
                       std::map<std::string, std::pair<Location, bool>>* seen);
  void ParseTargets(MapReader& entry, const LeverDecl* decl, const ScenarioSpec& spec,
                    PolicySpec* policy);
  std::vector<int> TargetList(const YAML::Node& node, const std::string& path, int kind,
                              const ScenarioSpec& spec);
  void ParseSchedule(MapReader& entry, const RunSpec& run, PolicySpec* policy);
  void ParsePolicyParams(MapReader& entry, const LeverDecl& decl, PolicySpec* policy);
  void ParseGoals(MapReader& top, ScenarioSpec* spec);
  void ParseGoal(MapReader& entry, const ScenarioSpec& spec, TargetSpec* target);

  Reader& reader_;
  const LoadOptions& options_;
};

std::optional<MapReader> ScenarioParser::Block(MapReader& parent, std::string_view key,
                                               bool required) {
  const std::optional<YAML::Node> node = parent.Get(key);
  if (!node) {
    if (required) parent.Missing(key);
    return std::nullopt;
  }
  if (!node->IsMap()) {
    reader_.Error(*node,
                  "expected a map for " + parent.PathOf(key) + ", got " + Reader::Describe(*node));
    return std::nullopt;
  }
  return MapReader(reader_, *node, parent.PathOf(key));
}

std::optional<YAML::Node> ScenarioParser::List(MapReader& parent, std::string_view key,
                                               int max_entries, bool required,
                                               const std::function<void(MapReader&)>& per_entry) {
  const std::optional<YAML::Node> node = parent.Get(key);
  const std::string path = parent.PathOf(key);
  if (!node) {
    if (required) parent.Missing(key);
    return std::nullopt;
  }
  if (!node->IsSequence()) {
    reader_.Error(*node, "expected a list for " + path + ", got " + Reader::Describe(*node));
    return std::nullopt;
  }
  const int min_entries = required ? 1 : 0;
  if (static_cast<int>(node->size()) < min_entries ||
      static_cast<int>(node->size()) > max_entries) {
    reader_.Error(*node, path + " must have " + std::to_string(min_entries) + ".." +
                             std::to_string(max_entries) + " entries, got " +
                             std::to_string(node->size()));
  }
  int index = 0;
  for (const YAML::Node& entry : *node) {
    if (!entry.IsMap()) {
      reader_.Error(entry, "expected a map for " + path + "." + std::to_string(index) + ", got " +
                               Reader::Describe(entry));
      ++index;
      continue;
    }
    // Entries are named in messages the way --set addresses them: by name, else index.
    MapReader probe(reader_, entry, path);
    const std::optional<YAML::Node> name = probe.Get("name");
    const std::string label = name && name->IsScalar() && !name->Scalar().empty()
                                  ? name->Scalar()
                                  : std::to_string(index);
    MapReader reader(reader_, entry, path + "." + label);
    per_entry(reader);
    ++index;
  }
  return node;
}

void ScenarioParser::CheckUniqueName(const std::string& kind, MapReader& entry,
                                     const std::string& name,
                                     std::map<std::string, Location>* seen) {
  const std::optional<YAML::Node> node = entry.Get("name");
  const Location here = node ? reader_.Where(*node) : reader_.Where(entry.node());
  const auto [it, inserted] = seen->emplace(name, here);
  if (!inserted) {
    reader_.Error(here, "duplicate " + kind + " name '" + name + "'" +
                            (it->second.line > 0 && it->second.source == here.source
                                 ? " (first used at line " + std::to_string(it->second.line) + ")"
                                 : ""));
  }
}

void ScenarioParser::CheckShares(const std::string& what, const std::optional<YAML::Node>& list,
                                 const std::vector<double>& shares, bool all_ok) {
  if (!list || !all_ok || shares.empty()) return;
  double sum = 0;
  for (double s : shares) sum += s;
  if (std::fabs(sum - 1.0) > kShareTolerance) {
    reader_.Error(
        *list, what + " sum to " + FormatDouble(sum) + "; they must sum to 1 (within " + "1e-6)");
  }
}

void ScenarioParser::Parse(const YAML::Node& root, ScenarioSpec* spec) {
  MapReader top(reader_, root, "");
  top.AllowOnly({"name", "description", "run", "population", "employers", "labour_demand",
                 "demography", "regions", "distances", "sectors", "ownerships", "talent_types",
                 "behaviour", "policies", "targets", "output"});
  top.String("name", &spec->name, false, true);
  top.String("description", &spec->description);

  ParseRun(top, &spec->run);
  ParsePopulation(top, &spec->population);
  bool count_ok = false;
  std::optional<YAML::Node> count_node;
  ParseEmployers(top, &spec->employers, &count_ok, &count_node);
  if (std::optional<MapReader> demand = Block(top, "labour_demand", false)) {
    demand->AllowOnly({"growth", "shock_sigma"});
    demand->Number("growth", &spec->labour_demand.growth, Range::OpenClosed(-1, 10));
    demand->Number("shock_sigma", &spec->labour_demand.shock_sigma, Range::Closed(0, 1));
  }
  ParseDemography(top, &spec->demography);

  int region_count = 0;
  ParseRegions(top, top.Has("distances"), &spec->regions, &region_count);
  ParseDistances(top, region_count, &spec->distances);
  int sector_count = 0;
  ParseSectors(top, &spec->sectors, &sector_count);
  ParseOwnerships(top, &spec->ownerships);
  ParseTalentTypes(top, spec->demography.enabled, &spec->talent_types);
  ParseBehaviour(top, &spec->behaviour);
  ParsePolicies(top, spec);
  if (std::optional<MapReader> output = Block(top, "output", false)) {
    output->AllowOnly({"compression", "retention_months"});
    output->Int("compression", &spec->output.compression, 0, 9);
    output->Int("retention_months", &spec->output.retention_months, 1, 600);
  }
  ParseGoals(top, spec);

  if (count_ok && count_node && region_count > 0 && sector_count > 0) {
    const std::int64_t markets = std::int64_t{region_count} * sector_count;
    if (spec->employers.count < markets) {
      reader_.Error(
          *count_node,
          "employers.count must be at least regions x sectors = " + std::to_string(region_count) +
              " x " + std::to_string(sector_count) + " = " + std::to_string(markets) + ", got " +
              std::to_string(spec->employers.count));
    }
  }
}

std::optional<std::pair<int, int>> ScenarioParser::YearMonth(const YAML::Node& node,
                                                             const std::string& path) {
  const std::optional<std::string> text = reader_.String(node, path, true);
  if (!text) return std::nullopt;
  const std::string& s = *text;
  const bool shape = s.size() == 7 && s[4] == '-' &&
                     std::all_of(s.begin(), s.begin() + 4, IsDigit) && IsDigit(s[5]) &&
                     IsDigit(s[6]);
  if (!shape) {
    reader_.Error(node, path + " must be YYYY-MM (e.g. 2025-01), got '" + s + "'");
    return std::nullopt;
  }
  const int year = std::stoi(s.substr(0, 4));
  const int month = std::stoi(s.substr(5, 2));
  if (month < 1 || month > 12) {
    reader_.Error(node, path + " month must be in 1..12, got '" + s + "'");
    return std::nullopt;
  }
  if (year < 1900 || year > 2500) {
    reader_.Error(node, path + " year must be in 1900..2500, got '" + s + "'");
    return std::nullopt;
  }
  return std::pair{year, month};
}

void ScenarioParser::ParseRun(MapReader& top, RunSpec* run) {
  std::optional<MapReader> block = Block(top, "run", true);
  if (!block) return;
  block->AllowOnly({"start", "steps", "seed", "report_every"});
  if (const std::optional<YAML::Node> start = block->Get("start")) {
    if (const std::optional<std::pair<int, int>> ym = YearMonth(*start, "run.start")) {
      run->start_year = ym->first;
      run->start_month = ym->second;
      run_start_ok = true;
    }
  } else {
    block->Missing("start");
  }
  steps_ok = block->Int("steps", &run->steps, 1, kMaxSteps, true);
  block->Unsigned("seed", &run->seed);
  report_every_ok = block->Int("report_every", &run->report_every, 1, kMaxSteps);
  if (const std::optional<YAML::Node> node = block->Get("report_every")) {
    report_every_location = reader_.Where(*node);
  }
}

void ScenarioParser::ParsePopulation(MapReader& top, PopulationSpec* population) {
  std::optional<MapReader> block = Block(top, "population", true);
  if (!block) return;
  block->AllowOnly({"workers", "inactive_share", "unemployment_rate", "migrant_share",
                    "rural_hukou_share", "represents"});
  if (block->Int64("workers", &population->workers, 1, kMaxWorkers, true)) {
    workers_location = reader_.Where(*block->Get("workers"));
  }
  block->Number("inactive_share", &population->inactive_share, Range::ClosedOpen(0, 1));
  block->Number("unemployment_rate", &population->unemployment_rate, Range::ClosedOpen(0, 1));
  block->Number("migrant_share", &population->migrant_share, Range::Closed(0, 1));
  block->Number("rural_hukou_share", &population->rural_hukou_share, Range::Closed(0, 1));
  block->Number("represents", &population->represents, Range::Positive());
}

void ScenarioParser::ParseEmployers(MapReader& top, EmployerSpec* employers, bool* count_ok,
                                    std::optional<YAML::Node>* count_node) {
  std::optional<MapReader> block = Block(top, "employers", true);
  if (!block) return;
  block->AllowOnly({"count", "size_sigma", "productivity_sigma", "vacancy_rate"});
  *count_ok = block->Int64("count", &employers->count, 1, kMaxEmployers, true);
  *count_node = block->Get("count");
  block->Number("size_sigma", &employers->size_sigma, Range::Closed(0, 5));
  block->Number("productivity_sigma", &employers->productivity_sigma, Range::Closed(0, 5));
  block->Number("vacancy_rate", &employers->vacancy_rate, Range::Closed(0, 10));
}

void ScenarioParser::ParseDemography(MapReader& top, DemographySpec* demography) {
  std::optional<MapReader> block = Block(top, "demography", false);
  if (!block) return;
  demography->enabled = true;
  block->AllowOnly({"entry_age", "retirement_age"});
  const bool entry_ok = block->Int("entry_age", &demography->entry_age, 14, 40);
  if (const std::optional<YAML::Node> node = block->Get("retirement_age")) {
    const std::string path = block->PathOf("retirement_age");
    if (const std::optional<std::int64_t> age = reader_.Integer(*node, path, 1, 80)) {
      if (entry_ok && *age <= demography->entry_age) {
        reader_.Error(*node, path + " must be in entry_age+1..80 = " +
                                 std::to_string(demography->entry_age + 1) + "..80, got " +
                                 node->Scalar());
      } else {
        demography->retirement_age = static_cast<int>(*age);
      }
    }
  } else if (entry_ok && demography->retirement_age <= demography->entry_age) {
    reader_.Error(block->node(), "demography.retirement_age (default " +
                                     std::to_string(demography->retirement_age) +
                                     ") must be greater than entry_age; give retirement_age");
  }
}

void ScenarioParser::ParseRegions(MapReader& top, bool has_distances,
                                  std::vector<RegionSpec>* regions, int* count) {
  std::map<std::string, Location> names;
  const std::optional<YAML::Node> list =
      List(top, "regions", kMaxRegions, true, [&](MapReader& entry) {
        entry.AllowOnly({"name", "group", "population", "lat", "lon", "productivity", "amenity",
                         "housing_cost", "public_services", "hardship_grade", "urban",
                         "hukou_threshold_months"});
        RegionSpec region;
        if (entry.String("name", &region.name, true, true) && entry.Has("name")) {
          CheckUniqueName("region", entry, region.name, &names);
        }
        entry.String("group", &region.group);
        entry.Number("population", &region.population, Range::Positive(), true);
        entry.Number("lat", &region.lat, Range::Closed(-90, 90));
        entry.Number("lon", &region.lon, Range::Closed(-180, 180));
        if (!has_distances) {
          std::vector<std::string> missing;
          if (!entry.Has("lat")) missing.push_back("lat");
          if (!entry.Has("lon")) missing.push_back("lon");
          if (!missing.empty()) {
            reader_.Error(entry.node(), entry.path() + " is missing " +
                                            (missing.size() == 2 ? "lat and lon" : missing[0]) +
                                            "; lat and lon are required unless a distances "
                                            "matrix is given");
          }
        }
        entry.Number("productivity", &region.productivity, Range::Positive(), true);
        entry.Number("amenity", &region.amenity, Range::Any());
        entry.Number("housing_cost", &region.housing_cost, Range::Positive());
        entry.Number("public_services", &region.public_services, Range::AtLeast(0));
        entry.Int("hardship_grade", &region.hardship_grade, 0, 6);
        entry.Bool("urban", &region.urban);
        entry.Int("hukou_threshold_months", &region.hukou_threshold_months, 0, 1200);
        regions->push_back(region);
      });
  *count = list ? static_cast<int>(list->size()) : 0;
}

void ScenarioParser::ParseDistances(MapReader& top, int region_count,
                                    std::vector<double>* distances) {
  const std::optional<YAML::Node> node = top.Get("distances");
  if (!node) return;
  if (!node->IsSequence()) {
    reader_.Error(*node, "expected a list of rows for distances, got " + Reader::Describe(*node));
    return;
  }
  const int n = static_cast<int>(node->size());
  if (region_count == 0) return;  // regions are broken or missing; already reported
  if (n != region_count) {
    reader_.Error(*node, "distances has " + std::to_string(n) + " rows but there are " +
                             std::to_string(region_count) +
                             " regions; it must be a square matrix with one row and one column "
                             "per region");
    return;
  }
  std::vector<YAML::Node> cells;
  std::vector<double> values;
  bool ok = true;
  int i = 0;
  for (const YAML::Node& row : *node) {
    if (!row.IsSequence()) {
      reader_.Error(row, "expected a list for distances row " + std::to_string(i) + ", got " +
                             Reader::Describe(row));
      ok = false;
    } else if (static_cast<int>(row.size()) != n) {
      reader_.Error(row, "distances row " + std::to_string(i) + " has " +
                             std::to_string(row.size()) + " entries but there are " +
                             std::to_string(n) + " regions; the matrix must be square");
      ok = false;
    } else {
      int j = 0;
      for (const YAML::Node& cell : row) {
        const std::string path = "distances[" + std::to_string(i) + "][" + std::to_string(j) + "]";
        const std::optional<double> v = reader_.Number(cell, path, Range::Any());
        ok = ok && v.has_value();
        cells.push_back(cell);
        values.push_back(v.value_or(0));
        ++j;
      }
    }
    ++i;
  }
  if (!ok) return;
  const auto cell_path = [](int a, int b) {
    return "distances[" + std::to_string(a) + "][" + std::to_string(b) + "]";
  };
  for (int a = 0; a < n; ++a) {
    for (int b = a; b < n; ++b) {
      const double v = values[a * n + b];
      const YAML::Node& cell = cells[a * n + b];
      if (a == b && v != 0) {
        reader_.Error(cell, cell_path(a, b) +
                                " must be 0 (the distance of a region to itself), got " +
                                cell.Scalar());
        ok = false;
      } else if (v < 0) {
        reader_.Error(cell, cell_path(a, b) + " must be >= 0, got " + cell.Scalar());
        ok = false;
      }
    }
  }
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < a; ++b) {
      const double lower = values[a * n + b], upper = values[b * n + a];
      if (std::fabs(lower - upper) >
          kSymmetryTolerance * std::max(std::fabs(lower), std::fabs(upper))) {
        reader_.Error(cells[a * n + b], "distances must be symmetric: " + cell_path(a, b) + " = " +
                                            cells[a * n + b].Scalar() + " but " + cell_path(b, a) +
                                            " = " + cells[b * n + a].Scalar());
        ok = false;
      }
    }
  }
  if (ok) *distances = std::move(values);
}

void ScenarioParser::ParseSectors(MapReader& top, std::vector<SectorSpec>* sectors, int* count) {
  std::map<std::string, Location> names;
  std::vector<double> shares;
  bool shares_ok = true;
  const std::optional<YAML::Node> list =
      List(top, "sectors", kMaxSectors, true, [&](MapReader& entry) {
        entry.AllowOnly({"name", "share", "productivity", "separation_rate", "key_field"});
        SectorSpec sector;
        if (entry.String("name", &sector.name, true, true) && entry.Has("name")) {
          CheckUniqueName("sector", entry, sector.name, &names);
        }
        shares_ok = entry.Number("share", &sector.share, Range::Closed(0, 1), true) && shares_ok;
        shares.push_back(sector.share);
        entry.Number("productivity", &sector.productivity, Range::Positive());
        entry.Number("separation_rate", &sector.separation_rate, Range::Closed(0, 1));
        entry.Bool("key_field", &sector.key_field);
        sectors->push_back(sector);
      });
  *count = list ? static_cast<int>(list->size()) : 0;
  CheckShares("sector shares", list, shares, shares_ok);
}

void ScenarioParser::ParseOwnerships(MapReader& top, std::vector<OwnershipSpec>* ownerships) {
  std::map<std::string, Location> names;
  std::vector<double> shares;
  bool shares_ok = true;
  const std::optional<YAML::Node> list =
      List(top, "ownerships", kMaxOwnerships, true, [&](MapReader& entry) {
        entry.AllowOnly({"name", "share", "public", "quota"});
        OwnershipSpec ownership;
        if (entry.String("name", &ownership.name, true, true) && entry.Has("name")) {
          CheckUniqueName("ownership", entry, ownership.name, &names);
        }
        shares_ok = entry.Number("share", &ownership.share, Range::Closed(0, 1), true) && shares_ok;
        shares.push_back(ownership.share);
        const bool public_ok = entry.Bool("public", &ownership.is_public);
        if (entry.Number("quota", &ownership.quota, Range::AtLeast(0)) && public_ok &&
            ownership.quota > 0 && !ownership.is_public) {
          reader_.Error(*entry.Get("quota"), entry.PathOf("quota") +
                                                 " is only allowed when public: true (quotas "
                                                 "are for government organs and public "
                                                 "institutions)");
        }
        ownerships->push_back(ownership);
      });
  CheckShares("ownership shares", list, shares, shares_ok);
}

void ScenarioParser::ParseTalentTypes(MapReader& top, bool demography,
                                      std::vector<TalentTypeSpec>* types) {
  std::map<std::string, Location> names;
  std::vector<double> shares, entrant_shares;
  bool shares_ok = true, entrant_ok = true;
  const std::optional<YAML::Node> list =
      List(top, "talent_types", kMaxTalentTypes, true, [&](MapReader& entry) {
        entry.AllowOnly({"name", "share", "productivity", "on_the_job_search", "migration_cost",
                         "entrant_share"});
        TalentTypeSpec type;
        if (entry.String("name", &type.name, true, true) && entry.Has("name")) {
          CheckUniqueName("talent type", entry, type.name, &names);
        }
        shares_ok = entry.Number("share", &type.share, Range::Closed(0, 1), true) && shares_ok;
        shares.push_back(type.share);
        entry.Number("productivity", &type.productivity, Range::Positive());
        entry.Number("on_the_job_search", &type.on_the_job_search, Range::Closed(0, 1));
        entry.Number("migration_cost", &type.migration_cost, Range::AtLeast(0));
        entrant_ok =
            entry.Number("entrant_share", &type.entrant_share, Range::Closed(0, 1)) && entrant_ok;
        entrant_shares.push_back(type.entrant_share);
        types->push_back(type);
      });
  CheckShares("talent type shares", list, shares, shares_ok);
  if (demography) {
    CheckShares("talent type entrant_share values (required with demography)", list, entrant_shares,
                entrant_ok);
  }
}

void ScenarioParser::ParseBehaviour(MapReader& top, BehaviourSpec* behaviour) {
  std::optional<MapReader> block = Block(top, "behaviour", false);
  if (!block) return;
  block->AllowOnly({"labour_share", "unemployment_benefit", "wage_drift", "land_income",
                    "insurance_portability", "insurance_portability_public", "self_employment_exit",
                    "discrimination", "matching", "choice", "hukou"});
  block->Number("labour_share", &behaviour->labour_share, Range::OpenClosed(0, 1));
  block->Number("unemployment_benefit", &behaviour->unemployment_benefit, Range::AtLeast(0));
  block->Number("wage_drift", &behaviour->wage_drift, Range::Closed(-0.1, 0.1));
  block->Number("land_income", &behaviour->land_income, Range::AtLeast(0));
  block->Number("insurance_portability", &behaviour->insurance_portability, Range::Closed(0, 1));
  block->Number("insurance_portability_public", &behaviour->insurance_portability_public,
                Range::Closed(0, 1));
  block->Number("self_employment_exit", &behaviour->self_employment_exit, Range::Closed(0, 1));
  block->Number("discrimination", &behaviour->discrimination, Range::Closed(0, 1));
  if (std::optional<MapReader> matching = Block(*block, "matching", false)) {
    matching->AllowOnly({"efficiency", "elasticity"});
    matching->Number("efficiency", &behaviour->matching.efficiency, Range::OpenClosed(0, 10));
    matching->Number("elasticity", &behaviour->matching.elasticity, Range::Closed(0, 1));
  }
  if (std::optional<MapReader> choice = Block(*block, "choice", false)) {
    ChoiceSpec& c = behaviour->choice;
    choice->AllowOnly({"wage", "job_finding", "amenity", "distance", "distance_scale",
                       "housing_cost", "sector_change", "hukou_penalty", "local_search_share"});
    choice->Number("wage", &c.wage, Range::AtLeast(0));
    choice->Number("job_finding", &c.job_finding, Range::AtLeast(0));
    choice->Number("amenity", &c.amenity, Range::Any());
    choice->Number("distance", &c.distance, Range::AtLeast(0));
    choice->Number("distance_scale", &c.distance_scale, Range::Positive());
    choice->Number("housing_cost", &c.housing_cost, Range::AtLeast(0));
    choice->Number("sector_change", &c.sector_change, Range::AtLeast(0));
    choice->Number("hukou_penalty", &c.hukou_penalty, Range::AtLeast(0));
    choice->Number("local_search_share", &c.local_search_share, Range::Closed(0, 1));
  }
  if (std::optional<MapReader> hukou = Block(*block, "hukou", false)) {
    hukou->AllowOnly({"threshold_months", "conversion_rate"});
    hukou->Int("threshold_months", &behaviour->hukou.threshold_months, 0, 1200);
    hukou->Number("conversion_rate", &behaviour->hukou.conversion_rate, Range::Closed(0, 1));
  }
}

// Months from the run's first month to (year, month); negative when before it.
int MonthsFromRunStart(const RunSpec& run, const std::pair<int, int>& year_month) {
  return (year_month.first - run.start_year) * 12 + (year_month.second - run.start_month);
}

std::string YearMonthText(const RunSpec& run, int months) {
  const int total = run.start_year * 12 + (run.start_month - 1) + months;
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d", total / 12, total % 12 + 1);
  return buf;
}

// The key node (not the value) of `key` in a map, for errors about the key's presence.
std::optional<YAML::Node> KeyNode(const YAML::Node& map, std::string_view key) {
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.first;
  }
  return std::nullopt;
}

std::string AcceptedTargets(unsigned targets) {
  std::vector<std::string> accepted;
  for (std::size_t i = 0; i < std::size(kTargetKeys); ++i) {
    if (targets & kTargetBits[i]) accepted.emplace_back(kTargetKeys[i]);
  }
  return accepted.empty() ? "it accepts no targeting" : "it accepts: " + Join(accepted);
}

void ScenarioParser::ParsePolicies(MapReader& top, ScenarioSpec* spec) {
  std::map<std::string, std::pair<Location, bool>> names;  // instance -> (where, named)
  List(top, "policies", 100'000, false, [&](MapReader& entry) {
    PolicySpec policy;
    const bool lever_ok = entry.String("lever", &policy.lever, true, true);
    policy.instance = policy.lever;
    const bool name_ok = entry.String("name", &policy.instance, false, true);
    if (lever_ok && name_ok) CheckPolicyName(entry, policy, &names);
    const LeverDecl* decl = nullptr;
    if (lever_ok) {
      for (const LeverDecl& d : options_.levers) {
        if (d.name == policy.lever) decl = &d;
      }
      if (decl == nullptr) {
        std::vector<std::string> known;
        for (const LeverDecl& d : options_.levers) known.push_back(d.name);
        reader_.Error(*entry.Get("lever"), "unknown lever '" + policy.lever + "'; known levers: " +
                                               (known.empty() ? "(none)" : Join(known)));
      }
    }
    if (decl != nullptr) {
      std::vector<std::string_view> allowed(std::begin(kReservedPolicyKeys),
                                            std::end(kReservedPolicyKeys));
      for (const LeverParamDecl& p : decl->params) {
        if (std::find(allowed.begin(), allowed.end(), p.name) != allowed.end()) {
          reader_.Error(*entry.Get("lever"), "internal error: lever '" + decl->name +
                                                 "' declares a parameter named '" + p.name +
                                                 "', which is a reserved key");
        }
        allowed.push_back(p.name);
      }
      entry.AllowOnly(allowed);
    }
    // Targets and the schedule do not depend on the lever, so they are checked even when
    // the lever is unknown; what the lever allows is checked only when it is known.
    ParseTargets(entry, decl, *spec, &policy);
    ParseSchedule(entry, spec->run, &policy);
    if (const std::optional<YAML::Node> budget = entry.Get("budget")) {
      if (decl != nullptr && !decl->pays) {
        reader_.Error(*KeyNode(entry.node(), "budget"),
                      "lever '" + decl->name + "' makes no payments; budget does not apply");
      } else {
        entry.Number("budget", &policy.budget, Range::Positive());
      }
    }
    if (decl != nullptr) ParsePolicyParams(entry, *decl, &policy);
    spec->policies.push_back(policy);
  });
}

void ScenarioParser::CheckPolicyName(MapReader& entry, const PolicySpec& policy,
                                     std::map<std::string, std::pair<Location, bool>>* seen) {
  const std::optional<YAML::Node> name = entry.Get("name");
  const Location here = reader_.Where(name ? *name : *entry.Get("lever"));
  const auto [it, inserted] = seen->emplace(policy.instance, std::pair{here, name.has_value()});
  if (inserted) return;
  const Location& first = it->second.first;
  std::string message = "duplicate policy name '" + policy.instance + "'";
  if (first.line > 0 && first.source == here.source) {
    message += " (first used at line " + std::to_string(first.line) + ")";
  }
  if (!name && !it->second.second) {
    message += "; lever '" + policy.lever +
               "' is used more than once, so give each of its entries a distinct name (an entry "
               "without one is named after its lever)";
  } else if (!name) {
    message += "; an entry without a name is named after its lever; give this one a name";
  } else if (!it->second.second) {
    message += "; the earlier entry has no name and is named after its lever; give it a name";
  }
  reader_.Error(here, message);
}

void ScenarioParser::ParseTargets(MapReader& entry, const LeverDecl* decl, const ScenarioSpec& spec,
                                  PolicySpec* policy) {
  std::optional<MapReader> block = Block(entry, "targets", false);
  if (!block) return;
  block->AllowOnly(std::vector<std::string_view>(std::begin(kTargetKeys), std::end(kTargetKeys)));
  std::vector<int>* const lists[] = {&policy->regions, &policy->sectors, &policy->talent_types,
                                     &policy->ownerships};
  for (std::size_t i = 0; i < std::size(kTargetKeys); ++i) {
    const std::optional<YAML::Node> node = block->Get(kTargetKeys[i]);
    if (!node) continue;
    if (decl != nullptr && !(decl->targets & kTargetBits[i])) {
      reader_.Error(*KeyNode(block->node(), kTargetKeys[i]),
                    "lever '" + decl->name + "' cannot be targeted by " +
                        std::string(kTargetKeys[i]) + "; " + AcceptedTargets(decl->targets));
      continue;
    }
    *lists[i] = TargetList(*node, block->PathOf(kTargetKeys[i]), static_cast<int>(i), spec);
  }
}

// One targeting list (kind: index into kTargetKeys) as indices into the scenario's list.
std::vector<int> ScenarioParser::TargetList(const YAML::Node& node, const std::string& path,
                                            int kind, const ScenarioSpec& spec) {
  static constexpr const char* kWhat[] = {"region", "sector", "talent type", "ownership", "policy"};
  static constexpr const char* kWhatPlural[] = {"regions", "sectors", "talent types", "ownerships",
                                                "policies"};
  std::vector<int> indices;
  if (!node.IsSequence()) {
    reader_.Error(node, std::string("expected a list of ") +
                            (kind == 0 ? "region or region group" : kWhat[kind]) + " names for " +
                            path + ", got " + Reader::Describe(node));
    return indices;
  }
  if (node.size() == 0) {
    reader_.Error(
        node, path + " must not be empty; leave the key out to target all " + kWhatPlural[kind]);
    return indices;
  }
  std::vector<std::string> names;
  std::vector<std::string> groups;  // regions only: each region's group
  switch (kind) {
    case 0:
      for (const RegionSpec& r : spec.regions) {
        names.push_back(r.name);
        groups.push_back(r.group);
      }
      break;
    case 1:
      for (const SectorSpec& s : spec.sectors) names.push_back(s.name);
      break;
    case 2:
      for (const TalentTypeSpec& t : spec.talent_types) names.push_back(t.name);
      break;
    case 4:
      for (const PolicySpec& p : spec.policies) names.push_back(p.instance);
      break;
    default:
      for (const OwnershipSpec& o : spec.ownerships) names.push_back(o.name);
      break;
  }
  const auto add = [&](int index) {
    if (std::find(indices.begin(), indices.end(), index) == indices.end()) indices.push_back(index);
  };
  std::map<std::string, Location> seen;
  int i = 0;
  for (const YAML::Node& item : node) {
    const std::string item_path = path + "." + std::to_string(i++);
    const std::optional<std::string> name = reader_.String(item, item_path, true);
    if (!name) continue;
    const Location here = reader_.Where(item);
    const auto [it, inserted] = seen.emplace(*name, here);
    if (!inserted) {
      reader_.Error(here,
                    "duplicate entry '" + *name + "' in " + path +
                        (it->second.line > 0 && it->second.source == here.source
                             ? " (first given at line " + std::to_string(it->second.line) + ")"
                             : ""));
      continue;
    }
    // A region name takes precedence over a group of the same name.
    const auto found = std::find(names.begin(), names.end(), *name);
    if (found != names.end()) {
      add(static_cast<int>(found - names.begin()));
      continue;
    }
    bool group_found = false;
    for (std::size_t r = 0; r < groups.size(); ++r) {
      if (groups[r] == *name) {
        add(static_cast<int>(r));
        group_found = true;
      }
    }
    if (group_found) continue;
    if (kind == 0) {
      reader_.Error(item, "'" + *name + "' in " + path + " is not a region or region group");
    } else {
      reader_.Error(item,
                    "'" + *name + "' in " + path + " is not a " + kWhat[kind] +
                        (names.empty() ? std::string("; the scenario has no ") + kWhatPlural[kind]
                         : names.size() <= kMaxNamesListed
                             ? std::string("; ") + kWhatPlural[kind] + ": " + Join(names)
                             : ""));
    }
  }
  return indices;
}

void ScenarioParser::ParseSchedule(MapReader& entry, const RunSpec& run, PolicySpec* policy) {
  // Without a valid run.start the dates cannot be placed; their form is still checked.
  bool start_ok = true;
  if (const std::optional<YAML::Node> node = entry.Get("start")) {
    const std::string path = entry.PathOf("start");
    start_ok = false;
    if (const std::optional<std::pair<int, int>> ym = YearMonth(*node, path); ym && run_start_ok) {
      const int months = MonthsFromRunStart(run, *ym);
      if (months < 0) {
        reader_.Error(*node, path + " must not be before run.start = " + YearMonthText(run, 0) +
                                 ", got " + node->Scalar());
      } else {
        policy->start = months;
        start_ok = true;
      }
    }
  }
  if (const std::optional<YAML::Node> node = entry.Get("end")) {
    const std::string path = entry.PathOf("end");
    if (const std::optional<std::pair<int, int>> ym = YearMonth(*node, path);
        ym && run_start_ok && start_ok) {
      const int months = MonthsFromRunStart(run, *ym);
      if (months <= policy->start) {
        reader_.Error(
            *node, path + " must be after the start " + YearMonthText(run, policy->start) +
                       (entry.Has("start") ? "" : " (run.start)") +
                       " (end is the first month the lever no longer acts), got " + node->Scalar());
      } else {
        policy->end = months;
      }
    }
  }
  entry.Int("ramp", &policy->ramp, 0, kMaxSteps);
}

// Splits a comma-separated default of a string-list parameter.
std::vector<std::string> SplitDefaultList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto first = item.find_first_not_of(' ');
    const auto last = item.find_last_not_of(' ');
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
  }
  return items;
}

void ScenarioParser::ParsePolicyParams(MapReader& entry, const LeverDecl& decl,
                                       PolicySpec* policy) {
  for (const LeverParamDecl& p : decl.params) {
    PolicyParamValue value;
    value.name = p.name;
    // min == max == 0 is the declaration's "no range" (an all-zero range is meaningless).
    const bool ranged = !(p.min == 0 && p.max == 0);
    const std::optional<YAML::Node> node = entry.Get(p.name);
    const std::string path = entry.PathOf(p.name);
    if (!node) {
      if (p.required) {
        reader_.Error(entry.node(), "missing required parameter '" + p.name + "' of lever '" +
                                        decl.name + "' in " + entry.path());
      }
      switch (p.kind) {
        case ParamKind::kNumber:
        case ParamKind::kInteger:
          value.number = p.default_number;
          break;
        case ParamKind::kBool:
          value.number = p.default_number != 0 ? 1 : 0;
          value.text = value.number != 0 ? "true" : "false";
          break;
        case ParamKind::kString:
          value.text = p.default_text;
          break;
        case ParamKind::kStringList:
          value.list = SplitDefaultList(p.default_text);
          break;
        case ParamKind::kNumberList:
          value.numbers = p.default_numbers;
          break;
      }
      policy->params.push_back(value);
      continue;
    }
    switch (p.kind) {
      case ParamKind::kNumber: {
        const Range range = ranged ? Range::Closed(p.min, p.max) : Range::Any();
        if (const std::optional<double> v = reader_.Number(*node, path, range)) value.number = *v;
        break;
      }
      case ParamKind::kInteger: {
        const std::int64_t lo = ranged ? static_cast<std::int64_t>(std::ceil(p.min))
                                       : std::numeric_limits<std::int64_t>::min() / 2;
        const std::int64_t hi = ranged ? static_cast<std::int64_t>(std::floor(p.max))
                                       : std::numeric_limits<std::int64_t>::max() / 2;
        if (const std::optional<std::int64_t> v = reader_.Integer(*node, path, lo, hi)) {
          value.number = static_cast<double>(*v);
        }
        break;
      }
      case ParamKind::kBool:
        if (const std::optional<bool> v = reader_.Bool(*node, path)) {
          value.number = *v ? 1 : 0;
          value.text = *v ? "true" : "false";
        }
        break;
      case ParamKind::kString:
        if (const std::optional<std::string> v = reader_.String(*node, path, false)) {
          value.text = *v;
          if (!p.choices.empty() &&
              std::find(p.choices.begin(), p.choices.end(), *v) == p.choices.end()) {
            std::string allowed;
            for (const auto& c : p.choices) allowed += (allowed.empty() ? "" : ", ") + c;
            reader_.Error(*node, path + " must be one of " + allowed + ", got '" + *v + "'");
          }
        }
        break;
      case ParamKind::kStringList:
        if (!node->IsSequence()) {
          reader_.Error(
              *node, "expected a list of strings for " + path + ", got " + Reader::Describe(*node));
        } else {
          int i = 0;
          for (const YAML::Node& item : *node) {
            const std::optional<std::string> v =
                reader_.String(item, path + "." + std::to_string(i++), true);
            if (v) value.list.push_back(*v);
          }
        }
        break;
      case ParamKind::kNumberList:
        if (!node->IsSequence()) {
          reader_.Error(
              *node, "expected a list of numbers for " + path + ", got " + Reader::Describe(*node));
        } else {
          if (p.list_size >= 0 && static_cast<int>(node->size()) != p.list_size) {
            reader_.Error(*node, path + ": expected " + std::to_string(p.list_size) +
                                     (p.list_size == 1 ? " number" : " numbers") + ", got " +
                                     std::to_string(node->size()));
          }
          const Range range = ranged ? Range::Closed(p.min, p.max) : Range::Any();
          int i = 0;
          for (const YAML::Node& item : *node) {
            const std::optional<double> v =
                reader_.Number(item, path + "." + std::to_string(i++), range);
            if (v) value.numbers.push_back(*v);
          }
        }
        break;
    }
    policy->params.push_back(value);
  }
}

// The scenario's `targets`: goals the run is judged against (engine/targets.hpp). Parsed
// after everything they name (regions, policies, population).
void ScenarioParser::ParseGoals(MapReader& top, ScenarioSpec* spec) {
  std::map<std::string, Location> names;
  List(top, "targets", 10'000, false, [&](MapReader& entry) {
    TargetSpec target;
    ParseGoal(entry, *spec, &target);
    if (!target.name.empty()) CheckUniqueName("target", entry, target.name, &names);
    spec->targets.push_back(target);
  });
}

void ScenarioParser::ParseGoal(MapReader& entry, const ScenarioSpec& spec, TargetSpec* target) {
  std::vector<std::string_view> allowed = {"name", "indicator", "comparison", "value", "over"};
  for (const SelectorKey& s : kSelectorKeys) allowed.push_back(s.key);
  entry.AllowOnly(allowed);
  const VariableDecl* variable = nullptr;
  if (entry.String("indicator", &target->indicator, true, true)) {
    variable = FindVariable(target->indicator);
    if (variable == nullptr) {
      reader_.Error(*entry.Get("indicator"),
                    "unknown indicator '" + target->indicator + "' in " +
                        entry.PathOf("indicator") +
                        "; indicators are the output variables (`talentflow dictionary`)");
    }
  }
  target->name = target->indicator;
  entry.String("name", &target->name, false, true);

  std::string comparison;
  if (entry.String("comparison", &comparison, true, true)) {
    if (comparison == "at_least") {
      target->comparison = TargetComparison::kAtLeast;
    } else if (comparison == "at_most") {
      target->comparison = TargetComparison::kAtMost;
    } else {
      reader_.Error(
          *entry.Get("comparison"),
          entry.PathOf("comparison") + " must be at_least or at_most, got '" + comparison + "'");
    }
  }
  static constexpr std::pair<std::string_view, TargetAggregation> kOver[] = {
      {"sum", TargetAggregation::kSum},
      {"last", TargetAggregation::kLast},
      {"mean", TargetAggregation::kMean},
      {"min", TargetAggregation::kMin},
      {"max", TargetAggregation::kMax}};
  std::string over;
  if (entry.String("over", &over, false, true) && entry.Has("over")) {
    const auto* found = std::find_if(std::begin(kOver), std::end(kOver),
                                     [&](const auto& o) { return o.first == over; });
    if (found == std::end(kOver)) {
      reader_.Error(
          *entry.Get("over"),
          entry.PathOf("over") + " must be one of sum, last, mean, min, max, got '" + over + "'");
    } else {
      target->over = found->second;
      if (variable != nullptr && variable->combine == Combine::kIndex &&
          target->over == TargetAggregation::kSum) {
        reader_.Error(*entry.Get("over"), "indicator '" + target->indicator +
                                              "' is an index; a sum over the run means nothing, "
                                              "use last, mean, min or max");
      }
    }
  } else if (variable != nullptr && variable->combine == Combine::kIndex) {
    reader_.Error(*KeyNode(entry.node(), "indicator"),
                  "indicator '" + target->indicator +
                      "' is an index; give `over` (last, mean, min or max): the default sum "
                      "over the run means nothing for it");
  }
  const bool share = variable != nullptr && variable->combine == Combine::kRatio &&
                     std::string_view(variable->units) == "1";
  if (entry.Number("value", &target->value, Range::Any(), true) && share &&
      (target->value < 0 || target->value > 1)) {
    reader_.Error(*entry.Get("value"), entry.PathOf("value") + " must be in [0, 1], got " +
                                           FormatDouble(target->value) + ": " + target->indicator +
                                           " is a share, so write 5 % as 0.05");
  }
  if (variable == nullptr) return;
  const bool urban_only =
      std::find(std::begin(kUrbanIndicators), std::end(kUrbanIndicators),
                std::string_view(target->indicator)) != std::end(kUrbanIndicators);
  if (urban_only && std::none_of(spec.regions.begin(), spec.regions.end(),
                                 [](const RegionSpec& r) { return r.urban; })) {
    reader_.Error(*entry.Get("indicator"), "indicator '" + target->indicator +
                                               "' is defined for urban regions only, and the "
                                               "scenario has none");
  }

  // Selectors: one list per dimension of the indicator.
  target->selections.assign(variable->dims.size(), {});
  for (const SelectorKey& s : kSelectorKeys) {
    const std::optional<YAML::Node> node = entry.Get(s.key);
    if (!node) continue;
    const auto at = std::find(variable->dims.begin(), variable->dims.end(), s.dim);
    if (at == variable->dims.end()) {
      std::string dims;
      for (Dim d : variable->dims) dims += (dims.empty() ? "" : ", ") + std::string(DimName(d));
      const std::string message =
          "indicator '" + target->indicator + "' has no " + DimName(s.dim) + " dimension, so " +
          std::string(s.key) +
          " does not apply (its dimensions: " + (dims.empty() ? "none" : dims) + ")";
      reader_.Error(*KeyNode(entry.node(), s.key), message);
      continue;
    }
    std::vector<int>& chosen =
        target->selections[static_cast<std::size_t>(at - variable->dims.begin())];
    chosen = TargetList(*node, entry.PathOf(s.key), s.kind, spec);
    if (urban_only && s.dim == Dim::kRegion && node->IsSequence()) {
      // Reported at the name that brings a rural region in (a region, or a group).
      for (const YAML::Node& item : *node) {
        if (!item.IsScalar()) continue;
        const std::string& name = item.Scalar();
        const auto region = std::find_if(spec.regions.begin(), spec.regions.end(),
                                         [&](const RegionSpec& r) { return r.name == name; });
        for (const RegionSpec& r : spec.regions) {
          const bool named = region != spec.regions.end() ? &r == &*region : r.group == name;
          if (!named || r.urban) continue;
          reader_.Error(item, "region '" + r.name + "'" +
                                  (r.name == name ? "" : " of group '" + name + "'") + " in " +
                                  entry.PathOf(s.key) + " is not urban; " + target->indicator +
                                  " is defined for urban regions only");
          break;
        }
      }
    }
  }
  // Without a region selector an urban-only indicator covers the urban regions, so a rate
  // is not diluted by the employed of regions where nobody registers.
  if (urban_only) {
    const std::size_t at = static_cast<std::size_t>(
        std::find(variable->dims.begin(), variable->dims.end(), Dim::kRegion) -
        variable->dims.begin());
    if (at < target->selections.size() && target->selections[at].empty()) {
      for (std::size_t r = 0; r < spec.regions.size(); ++r) {
        if (spec.regions[r].urban) target->selections[at].push_back(static_cast<int>(r));
      }
    }
  }
  if (variable->combine == Combine::kSum && variable->extensive &&
      spec.population.represents <= 0) {
    reader_.Error(*KeyNode(entry.node(), "indicator"),
                  "indicator '" + target->indicator + "' is in " + variable->units +
                      ", which scale with the population: set population.represents (the real "
                      "number of people the simulated workers stand for) so the target can be "
                      "compared in real numbers");
  }
}

std::string OptionsComment(const LoadOptions& options) {
  std::vector<std::string> parts;
  for (const std::string& o : options.overrides) parts.push_back("--set " + o);
  if (options.workers) parts.push_back("--workers " + std::to_string(*options.workers));
  if (options.steps) parts.push_back("--steps " + std::to_string(*options.steps));
  if (options.seed) parts.push_back("--seed " + std::to_string(*options.seed));
  if (parts.empty()) return "";
  return "# overridden on the command line: " + Join(parts) + "\n";
}

// Applies --workers/--steps/--seed to a spec that passed file validation.
void ApplyOptions(const LoadOptions& options, const ScenarioParser& parser, ScenarioSpec* spec,
                  std::vector<Diagnostic>* errors, Reader& reader) {
  if (options.workers) {
    const std::int64_t n = *options.workers;
    if (n < 1 || n > kMaxWorkers) {
      errors->push_back(
          {"--workers", 0, 0,
           "must be in 1.." + std::to_string(kMaxWorkers) + ", got " + std::to_string(n)});
    } else if (spec->population.workers > 0) {
      const double scale = static_cast<double>(n) / static_cast<double>(spec->population.workers);
      const std::int64_t markets =
          static_cast<std::int64_t>(spec->regions.size() * spec->sectors.size());
      std::int64_t count = std::llround(std::min(static_cast<double>(spec->employers.count) * scale,
                                                 static_cast<double>(kMaxEmployers)));
      count = std::max({count, markets, std::int64_t{1}});
      spec->population.workers = n;
      spec->employers.count = count;
    }
  }
  if (options.steps) {
    const int steps = *options.steps;
    if (steps < 1 || steps > kMaxSteps) {
      errors->push_back(
          {"--steps", 0, 0,
           "must be in 1.." + std::to_string(kMaxSteps) + ", got " + std::to_string(steps)});
    } else {
      spec->run.steps = steps;
      if (parser.report_every_ok && spec->run.report_every > steps) {
        errors->push_back(
            {"--steps", 0, 0,
             "must be at least run.report_every = " + std::to_string(spec->run.report_every) +
                 ", got " + std::to_string(steps)});
      }
    }
  } else if (parser.steps_ok && parser.report_every_ok &&
             spec->run.report_every > spec->run.steps) {
    reader.Error(*parser.report_every_location, "run.report_every must be in 1..steps = 1.." +
                                                    std::to_string(spec->run.steps) + ", got " +
                                                    std::to_string(spec->run.report_every));
  }
  if (options.seed) spec->run.seed = *options.seed;
}

void CheckMemory(const LoadOptions& options, const ScenarioParser& parser, const ScenarioSpec& spec,
                 std::vector<Diagnostic>* errors) {
  std::optional<std::int64_t> available;
  if (options.available_memory_bytes >= 0) {
    available = options.available_memory_bytes;
  } else {
    available = ReadMemAvailable();
  }
  if (!available) return;  // cannot tell; the allocation itself will fail loudly
  const std::int64_t needed = EstimateMemoryBytes(spec);
  if (needed <= *available) return;
  const std::string message = "estimated memory " + GiB(needed) + " exceeds the available " +
                              GiB(*available) + " (" + std::to_string(spec.population.workers) +
                              " workers); reduce population.workers";
  if (options.workers) {
    errors->push_back({"--workers", 0, 0, message});
  } else {
    const Location where = parser.workers_location.value_or(Location{});
    errors->push_back({where.source, where.line, where.column, message});
  }
}

void Load(const std::string& text, const std::string& source_name, const LoadOptions& options,
          LoadResult* result) {
  std::vector<Diagnostic>& errors = result->errors;
  const YamlGuardResult guard = CheckYamlStructure(text);
  if (guard.problem) {
    errors.push_back(
        {source_name, guard.problem->line, guard.problem->column, guard.problem->message});
    return;
  }
  if (guard.empty) {
    errors.push_back({source_name, 1, 1, "the scenario is empty (no YAML document)"});
    return;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    const int column = e.mark.is_null() ? 0 : e.mark.column + 1;
    errors.push_back({source_name, line, column, "YAML syntax error: " + e.msg});
    return;
  }
  if (root.IsNull()) {
    const YAML::Mark mark = root.Mark();
    errors.push_back({source_name, mark.is_null() ? 1 : mark.line + 1,
                      mark.is_null() ? 1 : mark.column + 1,
                      "the scenario is empty (the document has no keys)"});
    return;
  }
  if (!root.IsMap()) {
    const YAML::Mark mark = root.Mark();
    errors.push_back({source_name, mark.line + 1, mark.column + 1,
                      "a scenario must be a map of keys (run, population, regions, ...), got " +
                          Reader::Describe(root)});
    return;
  }

  std::vector<OverrideOrigin> origins = ApplyOverrides(root, options.overrides, &errors);
  Reader reader(source_name, std::move(origins), &errors);
  ScenarioParser parser(reader, options);
  ScenarioSpec spec;
  parser.Parse(root, &spec);
  ApplyOptions(options, parser, &spec, &errors, reader);

  // File diagnostics in reading order; command-line ones after them.
  std::stable_sort(errors.begin(), errors.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    const bool a_cli = a.source != source_name, b_cli = b.source != source_name;
    if (a_cli != b_cli) return b_cli;
    if (a_cli) return false;
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  if (errors.size() > kMaxDiagnostics) {
    const std::size_t hidden = errors.size() - kMaxDiagnostics;
    errors.resize(kMaxDiagnostics);
    errors.push_back({source_name, 0, 0, std::to_string(hidden) + " more problems not shown"});
  }
  if (!errors.empty()) return;
  CheckMemory(options, parser, spec, &errors);
  if (!errors.empty()) return;
  result->resolved_text = EmitScenarioYaml(spec, options.levers);
  result->spec = std::move(spec);
}

}  // namespace

std::string Diagnostic::ToString() const {
  if (line <= 0) return source + ": " + message;
  return source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

LoadResult LoadScenarioText(const std::string& text, const std::string& source_name,
                            const LoadOptions& options) {
  LoadResult result;
  try {
    result.given_text = text;
    const std::string comment = OptionsComment(options);
    if (!comment.empty()) {
      if (!text.empty() && text.back() != '\n') result.given_text += '\n';
      result.given_text += comment;
    }
    Load(text, source_name, options, &result);
  } catch (const std::exception& e) {
    result.spec.reset();
    result.errors.push_back({source_name, 0, 0, std::string("internal error: ") + e.what()});
  } catch (...) {
    result.spec.reset();
    result.errors.push_back({source_name, 0, 0, "internal error while loading the scenario"});
  }
  if (!result.errors.empty()) {
    result.spec.reset();
    result.resolved_text.clear();
  }
  return result;
}

LoadResult LoadScenarioFile(const std::string& path, const LoadOptions& options) {
  const auto fail = [&](const std::string& message) {
    LoadResult result;
    result.errors.push_back({path, 0, 0, message});
    return result;
  };
  try {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return fail("is a directory, not a file");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxFileBytes) {
      return fail("file is too large for a scenario (" + std::to_string(size) + " bytes)");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return fail("cannot open file: " + std::error_code(errno, std::generic_category()).message());
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return fail("cannot read file");
    return LoadScenarioText(text.str(), path, options);
  } catch (const std::exception& e) {
    return fail(std::string("cannot read file: ") + e.what());
  } catch (...) {
    return fail("cannot read file");
  }
}

}  // namespace talentflow
