// Declarations a lever makes about its parameters, so that the scenario loader can
// validate lever blocks and the CLI can document them without either knowing the lever.
#pragma once

#include <string>
#include <vector>

namespace talentflow {

enum class ParamKind { kNumber, kInteger, kBool, kString, kStringList, kNumberList };

struct LeverParamDecl {
  std::string name;
  ParamKind kind = ParamKind::kNumber;
  double min = 0;  // inclusive range for kNumber / kInteger
  double max = 0;
  double default_number = 0;
  std::string default_text;             // kString; kStringList: comma-separated
  std::vector<double> default_numbers;  // kNumberList
  int list_size = -1;                   // kNumberList: required length, -1 any
  std::vector<std::string> choices;     // kString: the allowed values; empty = any
  bool required = false;
  std::string description;
};

// Which targeting keys a lever accepts.
namespace target {
inline constexpr unsigned kRegions = 1, kSectors = 2, kTalentTypes = 4, kOwnerships = 8;
inline constexpr unsigned kAll = 15;
}  // namespace target

struct LeverDecl {
  std::string name;                 // lever kind as written in YAML (`lever:`)
  unsigned targets = target::kAll;  // targeting keys allowed
  bool pays = false;                // whether it makes payments (so `budget` is allowed)
  std::string description;          // one line: what it models
  std::string seed_clauses;         // where in the seed documents it comes from
  std::vector<LeverParamDecl> params;
};

// Builders for declarations, so a lever's parameter list reads as a table.
inline LeverParamDecl NumberParam(std::string name, double min, double max, double value,
                                  std::string description) {
  LeverParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::kNumber;
  p.min = min;
  p.max = max;
  p.default_number = value;
  p.description = std::move(description);
  return p;
}
inline LeverParamDecl IntegerParam(std::string name, int min, int max, int value,
                                   std::string description) {
  LeverParamDecl p = NumberParam(std::move(name), min, max, value, std::move(description));
  p.kind = ParamKind::kInteger;
  return p;
}
inline LeverParamDecl BoolParam(std::string name, bool value, std::string description) {
  LeverParamDecl p = NumberParam(std::move(name), 0, 0, value ? 1 : 0, std::move(description));
  p.kind = ParamKind::kBool;
  p.default_text = value ? "true" : "false";
  return p;
}
inline LeverParamDecl NumberListParam(std::string name, double min, double max,
                                      std::vector<double> values, int size,
                                      std::string description) {
  LeverParamDecl p = NumberParam(std::move(name), min, max, 0, std::move(description));
  p.kind = ParamKind::kNumberList;
  p.default_numbers = std::move(values);
  p.list_size = size;
  return p;
}
inline LeverParamDecl StringParam(std::string name, std::string value, std::string description,
                                  std::vector<std::string> choices = {}) {
  LeverParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::kString;
  p.default_text = std::move(value);
  p.description = std::move(description);
  p.choices = std::move(choices);
  return p;
}

}  // namespace talentflow
