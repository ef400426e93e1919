// Declarations a lever makes about its parameters, so that the scenario loader can
// validate lever blocks and the CLI can document them without either knowing the lever.
#pragma once

#include <string>
#include <vector>

namespace talentflow {

enum class ParamKind { kNumber, kInteger, kBool, kString, kStringList };

struct LeverParamDecl {
  std::string name;
  ParamKind kind = ParamKind::kNumber;
  double min = 0;  // inclusive range for kNumber / kInteger
  double max = 0;
  double default_number = 0;
  std::string default_text;
  bool required = false;
  std::string description;
};

struct LeverDecl {
  std::string name;          // lever kind as written in YAML (`lever:`)
  std::string description;   // one line: what it models
  std::string seed_clauses;  // where in the seed documents it comes from
  std::vector<LeverParamDecl> params;
};

}  // namespace talentflow
