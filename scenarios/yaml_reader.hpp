// Typed, error-collecting access to a yaml-cpp node tree. Every read either yields a
// valid value or records a Diagnostic at the node's file (or --set) location, so the
// schema code in loader.cpp can check everything in one pass without exceptions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/loader.hpp"

namespace talentflow {

struct Location {
  std::string source;
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

// A node that came from the command line rather than the file.
struct OverrideOrigin {
  YAML::Node node;
  std::string source;  // "--set PATH=VALUE"
  int column = 1;      // 1-based column of the node's text within "PATH=VALUE"
};

// Allowed interval for a real number; infinite bounds mean "unbounded".
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  static Range Any() { return {}; }
  static Range Closed(double lo, double hi) { return {lo, hi, false, false}; }
  static Range ClosedOpen(double lo, double hi) { return {lo, hi, false, true}; }
  static Range OpenClosed(double lo, double hi) { return {lo, hi, true, false}; }
  static Range AtLeast(double lo) {
    return {lo, std::numeric_limits<double>::infinity(), false, false};
  }
  static Range Positive() { return {0, std::numeric_limits<double>::infinity(), true, false}; }

  bool Contains(double v) const;
  std::string Describe() const;  // e.g. "in [0, 1)", "> 0", "a finite number"
};

// Shortest text that reads back as exactly the same double.
std::string FormatDouble(double v);

// Results of parsing a plain scalar as a number.
enum class NumberParse { kOk, kNotNumber, kNotFinite, kNotInteger, kTooLarge };
NumberParse ParseDouble(const std::string& text, double* out);
// Plain integers, and also exponent forms such as 2e9 when they denote an exact integer.
NumberParse ParseInteger(const std::string& text, std::int64_t* out);

class Reader {
 public:
  Reader(std::string file_source, std::vector<OverrideOrigin> origins,
         std::vector<Diagnostic>* diagnostics);

  Location Where(const YAML::Node& node) const;
  void Error(const YAML::Node& node, const std::string& message);
  void Error(const Location& where, const std::string& message);
  const std::string& file_source() const { return file_source_; }

  // Each reader reports its own problems and returns nullopt on any of them. `path` names
  // the value in messages (e.g. "run.steps").
  std::optional<double> Number(const YAML::Node& node, const std::string& path, const Range& range);
  std::optional<std::int64_t> Integer(const YAML::Node& node, const std::string& path,
                                      std::int64_t lo, std::int64_t hi);
  std::optional<std::uint64_t> Unsigned(const YAML::Node& node, const std::string& path);
  std::optional<bool> Bool(const YAML::Node& node, const std::string& path);
  std::optional<std::string> String(const YAML::Node& node, const std::string& path,
                                    bool non_empty);

  // "a map", "a list", "an empty value", or the scalar quoted.
  static std::string Describe(const YAML::Node& node);

 private:
  bool IsQuoted(const YAML::Node& node) const;

  std::string file_source_;
  std::vector<OverrideOrigin> origins_;
  std::vector<Diagnostic>* diagnostics_;
};

// Reading one YAML map: key lookup, unknown/duplicate key reporting and typed fields.
class MapReader {
 public:
  // `node` must be a map (check with IsMap first).
  MapReader(Reader& reader, const YAML::Node& node, std::string path);

  // Reports every key not in `allowed` and every repeated key.
  void AllowOnly(const std::vector<std::string_view>& allowed);
  // The value for `key`, or nullopt if absent.
  std::optional<YAML::Node> Get(std::string_view key) const;
  bool Has(std::string_view key) const { return Get(key).has_value(); }
  std::string PathOf(std::string_view key) const;
  void Missing(std::string_view key);

  // Fields: leave *out unchanged when absent; return false when invalid (or absent but
  // required), true otherwise.
  bool Number(std::string_view key, double* out, const Range& range, bool required = false);
  bool Int(std::string_view key, int* out, std::int64_t lo, std::int64_t hi, bool required = false);
  bool Int64(std::string_view key, std::int64_t* out, std::int64_t lo, std::int64_t hi,
             bool required = false);
  bool Unsigned(std::string_view key, std::uint64_t* out, bool required = false);
  bool Bool(std::string_view key, bool* out, bool required = false);
  bool String(std::string_view key, std::string* out, bool required = false,
              bool non_empty = false);

  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  Reader& reader() { return reader_; }

 private:
  Reader& reader_;
  YAML::Node node_;
  std::string path_;
};

}  // namespace talentflow
