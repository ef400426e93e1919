// Scenario loading: YAML text -> validated ScenarioSpec. Every problem is collected as a
// Diagnostic with file:line:column; nothing is allocated for the run before validation
// succeeds. This is the only place in the project that parses YAML.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/lever_decl.hpp"
#include "engine/spec.hpp"

namespace talentflow {

struct Diagnostic {
  std::string source;  // file name, or "--set PATH=VALUE" for command-line overrides
  int line = 0;        // 1-based; 0 when unknown
  int column = 0;      // 1-based; 0 when unknown
  std::string message;
  std::string ToString() const;  // "source:line:column: message"
};

struct LoadOptions {
  std::vector<std::string> overrides;        // "PATH=VALUE" (from --set)
  std::optional<std::int64_t> workers;       // --workers: rescale workers and employers
  std::optional<int> steps;                  // --steps
  std::optional<std::uint64_t> seed;         // --seed
  std::vector<LeverDecl> levers;             // known levers (from the policy registry)
  std::int64_t available_memory_bytes = -1;  // -1: read MemAvailable from /proc/meminfo
};

struct LoadResult {
  std::optional<ScenarioSpec> spec;  // set only when there are no errors
  std::vector<Diagnostic> errors;
  std::string given_text;     // the file as given (plus a comment listing overrides)
  std::string resolved_text;  // the validated spec with every default filled in, as YAML
};

// Value forms: integers are plain scalars (12, -3, +5); real-number notation (2e9, 1.0) is
// accepted where an integer is expected only when it denotes an exact integer, so 1.5 is
// rejected. Quoted scalars ("12") are strings and never numbers or booleans; booleans are
// exactly true or false. Neither function throws: every problem becomes a Diagnostic.
LoadResult LoadScenarioFile(const std::string& path, const LoadOptions& options);
LoadResult LoadScenarioText(const std::string& text, const std::string& source_name,
                            const LoadOptions& options);

// The resolved scenario as YAML; loading it again gives the same spec.
std::string EmitScenarioYaml(const ScenarioSpec& spec);
// As above, writing each policy parameter in the form its lever declares (the one-argument
// form guesses the form from the value, which cannot tell an empty list from 0).
std::string EmitScenarioYaml(const ScenarioSpec& spec, const std::vector<LeverDecl>& levers);

}  // namespace talentflow
