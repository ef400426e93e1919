// The lever registry: a table filled once during static initialisation by the lever
// files and read-only afterwards.
#include "policies/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace talentflow {
namespace {

// Function-local so registration does not depend on the order files are initialised in.
std::vector<LeverRegistration>& Table() {
  static std::vector<LeverRegistration> table;
  return table;
}

std::string KindName(const LeverParamDecl& p) {
  switch (p.kind) {
    case ParamKind::kNumber:
      return "number";
    case ParamKind::kInteger:
      return "integer";
    case ParamKind::kBool:
      return "bool";
    case ParamKind::kString:
      return "string";
    case ParamKind::kStringList:
      return "list of strings";
    case ParamKind::kNumberList:
      return p.list_size >= 0 ? fmt::format("list of {} numbers", p.list_size) : "list of numbers";
  }
  return "?";
}

std::string DefaultText(const LeverParamDecl& p) {
  switch (p.kind) {
    case ParamKind::kNumber:
    case ParamKind::kInteger:
      return fmt::format("{:g}", p.default_number);
    case ParamKind::kBool:
      return p.default_number != 0 ? "true" : "false";
    case ParamKind::kString:
    case ParamKind::kStringList:
      return p.default_text.empty() ? "\"\"" : p.default_text;
    case ParamKind::kNumberList:
      return fmt::format("[{}]", fmt::join(p.default_numbers, ", "));
  }
  return "";
}

}  // namespace

namespace detail {
bool RegisterLever(LeverRegistration registration) {
  Table().push_back(std::move(registration));
  return true;
}
}  // namespace detail

std::vector<LeverDecl> RegisteredLevers() {
  std::vector<LeverDecl> out;
  for (const auto& r : Table()) out.push_back(r.decl);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

PolicyList CreatePolicies(const ScenarioSpec& spec) {
  PolicyList out;
  for (std::size_t i = 0; i < spec.policies.size(); ++i) {
    const auto& p = spec.policies[i];
    const auto it = std::find_if(Table().begin(), Table().end(),
                                 [&](const auto& r) { return r.decl.name == p.lever; });
    if (it == Table().end()) throw std::logic_error("unregistered lever " + p.lever);
    out.push_back(it->factory(p, static_cast<int>(i), spec));
  }
  return out;
}

std::string DescribeLevers() {
  std::string out;
  const auto levers = RegisteredLevers();
  if (levers.empty()) return "no levers registered\n";
  for (const auto& l : levers) {
    std::vector<std::string> targets;
    if (l.targets & target::kRegions) targets.push_back("regions");
    if (l.targets & target::kSectors) targets.push_back("sectors");
    if (l.targets & target::kTalentTypes) targets.push_back("talent_types");
    if (l.targets & target::kOwnerships) targets.push_back("ownerships");
    out += fmt::format("{}\n  {}\n  seed clauses: {}\n  targets: {}{}\n  parameters:\n", l.name,
                       l.description, l.seed_clauses, fmt::join(targets, ", "),
                       l.pays ? "; accepts an annual budget (yuan)" : "");
    for (const auto& p : l.params) {
      std::string range;
      if ((p.kind == ParamKind::kNumber || p.kind == ParamKind::kInteger ||
           p.kind == ParamKind::kNumberList) &&
          (p.min != 0 || p.max != 0)) {
        range = fmt::format(", range [{:g}, {:g}]", p.min, p.max);
      }
      out += fmt::format("    {} ({}, default {}{}{}): {}\n", p.name, KindName(p), DefaultText(p),
                         range, p.required ? ", required" : "", p.description);
    }
    out += "\n";
  }
  return out;
}

}  // namespace talentflow
