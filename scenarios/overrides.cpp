// Applies --set overrides; see overrides.hpp. Path segments address map keys, list
// entries by index, or list entries by their `name` key (or, for an entry without a name,
// by its `lever` key, which is then its name).
#include "scenarios/overrides.hpp"

#include <cctype>
#include <optional>
#include <string_view>

#include "scenarios/yaml_guard.hpp"

namespace talentflow {
namespace {

constexpr const char* kSetSource = "--set";

struct Segment {
  std::string text;
  int column = 1;  // 1-based within "PATH=VALUE"
};

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The scalar value of `key` in a map entry, or nullopt.
std::optional<std::string> ScalarField(const YAML::Node& entry, std::string_view key) {
  if (!entry.IsMap()) return std::nullopt;
  for (const auto& kv : entry) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key && kv.second.IsScalar()) {
      return kv.second.Scalar();
    }
  }
  return std::nullopt;
}

// The child of `parent` addressed by `segment`, or nullopt.
std::optional<YAML::Node> Child(const YAML::Node& parent, const std::string& segment) {
  if (parent.IsMap()) {
    for (const auto& kv : parent) {
      if (kv.first.IsScalar() && kv.first.Scalar() == segment) return kv.second;
    }
    return std::nullopt;
  }
  if (parent.IsSequence()) {
    if (AllDigits(segment) && segment.size() < 10) {
      const std::size_t index = std::stoul(segment);
      if (index < parent.size()) {
        std::size_t i = 0;
        for (const auto& entry : parent) {
          if (i++ == index) return entry;
        }
      }
      return std::nullopt;
    }
    // By `name`; failing that, an entry without a name by its `lever` (a policy's default
    // instance name).
    for (const auto& entry : parent) {
      if (ScalarField(entry, "name") == segment) return entry;
    }
    for (const auto& entry : parent) {
      if (!ScalarField(entry, "name") && ScalarField(entry, "lever") == segment) return entry;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<OverrideOrigin> ApplyOverrides(YAML::Node& root,
                                           const std::vector<std::string>& overrides,
                                           std::vector<Diagnostic>* diagnostics) {
  std::vector<OverrideOrigin> origins;
  for (const std::string& text : overrides) {
    const auto fail = [&](const std::string& why) {
      diagnostics->push_back(Diagnostic{kSetSource, 0, 0, "'" + text + "': " + why});
    };
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos) {
      fail("expected PATH=VALUE");
      continue;
    }
    const std::string path = text.substr(0, eq);
    const std::string value_text = text.substr(eq + 1);
    std::vector<Segment> segments;
    bool malformed = path.empty();
    for (std::size_t start = 0; !malformed && start <= path.size();) {
      std::size_t dot = path.find('.', start);
      if (dot == std::string::npos) dot = path.size();
      segments.push_back({path.substr(start, dot - start), static_cast<int>(start) + 1});
      malformed = segments.back().text.empty();
      start = dot + 1;
    }
    if (malformed) {
      fail("malformed path; expected keys separated by '.', e.g. run.steps=120");
      continue;
    }

    // The value is YAML text; it must be a single scalar and is guarded like the file.
    const YamlGuardResult guard = CheckYamlStructure(value_text);
    const std::string source = std::string(kSetSource) + " " + text;
    const int value_column = static_cast<int>(eq) + 2;
    if (guard.problem) {
      diagnostics->push_back(Diagnostic{source, 1,
                                        value_column + std::max(0, guard.problem->column - 1),
                                        guard.problem->message});
      continue;
    }
    YAML::Node value;
    try {
      value = YAML::Load(value_text);
    } catch (const YAML::Exception& e) {
      diagnostics->push_back(Diagnostic{source, 1, value_column, "YAML syntax error: " + e.msg});
      continue;
    }
    if (!value.IsScalar()) {
      diagnostics->push_back(Diagnostic{source, 1, value_column,
                                        "--set needs a single value (a number, string or "
                                        "true/false), got " +
                                            Reader::Describe(value)});
      continue;
    }

    if (!root.IsMap()) {
      fail("the scenario is not a map, so nothing can be set in it");
      continue;
    }
    YAML::Node parent;
    parent.reset(root);  // reset, not assignment: assignment would overwrite the tree
    std::string walked;
    bool found = true;
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      const std::optional<YAML::Node> child = Child(parent, segments[i].text);
      if (!child) {
        fail("no entry '" + segments[i].text + "' in " +
             (walked.empty() ? "the scenario" : "'" + walked + "'") +
             (parent.IsSequence() ? " (list entries are addressed by index or name)" : ""));
        found = false;
        break;
      }
      walked += (walked.empty() ? "" : ".") + segments[i].text;
      parent.reset(*child);
    }
    if (!found) continue;
    const Segment& leaf = segments.back();
    if (!parent.IsMap() && !parent.IsSequence()) {
      fail("'" + walked + "' is a single value, not a map or list");
      continue;
    }
    std::optional<YAML::Node> target = Child(parent, leaf.text);
    if (target && !target->IsScalar() && !target->IsNull()) {
      fail("'" + path + "' is " + Reader::Describe(*target) + "; only single values can be set");
      continue;
    }
    if (target) {
      YAML::Node slot;
      slot.reset(*target);
      slot = value;  // rebinds the tree's node to the new value, keeping its position
    } else if (parent.IsMap()) {
      // A new key; it is validated (and reported if unknown) like any key in the file.
      YAML::Node key(leaf.text);
      parent.force_insert(key, value);
      origins.push_back({key, source, leaf.column});
    } else {
      fail("no entry '" + leaf.text + "' in '" + walked +
           "' (list entries are addressed by index or name)");
      continue;
    }
    origins.push_back({value, source, value_column});
  }
  return origins;
}

}  // namespace talentflow
