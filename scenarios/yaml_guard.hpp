// Structural pre-check of YAML text, run on the event stream before any node tree is
// built or walked: syntax errors, multiple documents, recursive aliases, and documents
// whose aliases expand to more nodes than a scenario could ever need ("billion laughs").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace talentflow {

inline constexpr std::int64_t kMaxExpandedYamlNodes = 1'000'000;

struct YamlProblem {
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
  std::string message;
};

struct YamlGuardResult {
  std::optional<YamlProblem> problem;
  bool empty = false;  // no document at all (empty text or only comments)
};

// Parses `text` as a stream of events. Reports the first problem found; the caller may
// build a node tree only when there is none. `max_nodes` limits the nodes that aliases
// add when expanded (plain nodes are bounded by the file size instead).
YamlGuardResult CheckYamlStructure(const std::string& text,
                                   std::int64_t max_nodes = kMaxExpandedYamlNodes);

}  // namespace talentflow
