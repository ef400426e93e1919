// Typed reading of yaml-cpp nodes with error collection; see yaml_reader.hpp.
#include "scenarios/yaml_reader.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <system_error>
#include <utility>

namespace talentflow {
namespace {

std::string Quote(const std::string& text) {
  constexpr std::size_t kMaxShown = 60;
  if (text.size() <= kMaxShown) return "'" + text + "'";
  return "'" + text.substr(0, kMaxShown) + "...'";
}

std::string KindWord(const char* kind, const std::string& path) {
  return std::string("expected ") + kind + (path.empty() ? "" : " for " + path);
}

}  // namespace

bool Range::Contains(double v) const {
  if (lo_open ? !(v > lo) : !(v >= lo)) return false;
  if (hi_open ? !(v < hi) : !(v <= hi)) return false;
  return true;
}

std::string Range::Describe() const {
  const bool lo_inf = std::isinf(lo), hi_inf = std::isinf(hi);
  if (lo_inf && hi_inf) return "a finite number";
  if (hi_inf) return std::string(lo_open ? "> " : ">= ") + FormatDouble(lo);
  if (lo_inf) return std::string(hi_open ? "< " : "<= ") + FormatDouble(hi);
  return std::string("in ") + (lo_open ? "(" : "[") + FormatDouble(lo) + ", " + FormatDouble(hi) +
         (hi_open ? ")" : "]");
}

std::string FormatDouble(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, result.ptr);
}

NumberParse ParseDouble(const std::string& text, double* out) {
  if (text == ".inf" || text == "+.inf" || text == "-.inf" || text == ".nan" || text == ".Inf" ||
      text == "-.Inf" || text == ".NaN") {
    return NumberParse::kNotFinite;
  }
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  if (begin == end || *begin == '+' || (*begin == '-' && begin + 1 == end)) {
    return NumberParse::kNotNumber;
  }
  double v = 0;
  const auto result = std::from_chars(begin, end, v, std::chars_format::general);
  if (result.ec == std::errc::result_out_of_range) return NumberParse::kTooLarge;
  if (result.ec != std::errc() || result.ptr != end) return NumberParse::kNotNumber;
  if (!std::isfinite(v)) return NumberParse::kNotFinite;
  *out = v;
  return NumberParse::kOk;
}

NumberParse ParseInteger(const std::string& text, std::int64_t* out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  if (begin != end && *begin != '+') {
    std::int64_t v = 0;
    const auto result = std::from_chars(begin, end, v);
    if (result.ptr == end) {
      if (result.ec == std::errc::result_out_of_range) return NumberParse::kTooLarge;
      if (result.ec == std::errc()) {
        *out = v;
        return NumberParse::kOk;
      }
    }
  }
  // Not plain digits: accept real-number notation (2e9, 1.0) only for exact integers.
  double d = 0;
  const NumberParse as_double = ParseDouble(text, &d);
  if (as_double != NumberParse::kOk) return as_double;
  if (d != std::trunc(d)) return NumberParse::kNotInteger;
  if (std::fabs(d) >= 9.2e18) return NumberParse::kTooLarge;
  *out = static_cast<std::int64_t>(d);
  return NumberParse::kOk;
}

Reader::Reader(std::string file_source, std::vector<OverrideOrigin> origins,
               std::vector<Diagnostic>* diagnostics)
    : file_source_(std::move(file_source)),
      origins_(std::move(origins)),
      diagnostics_(diagnostics) {}

Location Reader::Where(const YAML::Node& node) const {
  if (!node.IsDefined()) return {file_source_, 0, 0};
  const YAML::Mark mark = node.Mark();
  for (const OverrideOrigin& origin : origins_) {
    if (node.is(origin.node)) {
      const int offset = mark.is_null() || mark.line != 0 ? 0 : mark.column;
      return {origin.source, 1, origin.column + offset};
    }
  }
  if (mark.is_null()) return {file_source_, 0, 0};
  return {file_source_, mark.line + 1, mark.column + 1};
}

void Reader::Error(const YAML::Node& node, const std::string& message) {
  Error(Where(node), message);
}

void Reader::Error(const Location& where, const std::string& message) {
  diagnostics_->push_back(Diagnostic{where.source, where.line, where.column, message});
}

bool Reader::IsQuoted(const YAML::Node& node) const { return node.Tag() == "!"; }

std::string Reader::Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Null:
      return "an empty value";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      break;
  }
  return Quote(node.Scalar());
}

std::optional<double> Reader::Number(const YAML::Node& node, const std::string& path,
                                     const Range& range) {
  if (!node.IsScalar()) {
    Error(node, KindWord("a number", path) + ", got " + Describe(node));
    return std::nullopt;
  }
  if (IsQuoted(node)) {
    Error(node, KindWord("a number", path) + ", got the quoted string " + Quote(node.Scalar()));
    return std::nullopt;
  }
  double v = 0;
  switch (ParseDouble(node.Scalar(), &v)) {
    case NumberParse::kOk:
      break;
    case NumberParse::kNotFinite:
    case NumberParse::kTooLarge:
      Error(node, KindWord("a finite number", path) + ", got " + Quote(node.Scalar()));
      return std::nullopt;
    default:
      Error(node, KindWord("a number", path) + ", got " + Quote(node.Scalar()));
      return std::nullopt;
  }
  if (!range.Contains(v)) {
    Error(node, path + " must be " + range.Describe() + ", got " + node.Scalar());
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> Reader::Integer(const YAML::Node& node, const std::string& path,
                                            std::int64_t lo, std::int64_t hi) {
  if (!node.IsScalar()) {
    Error(node, KindWord("an integer", path) + ", got " + Describe(node));
    return std::nullopt;
  }
  if (IsQuoted(node)) {
    Error(node, KindWord("an integer", path) + ", got the quoted string " + Quote(node.Scalar()));
    return std::nullopt;
  }
  std::int64_t v = 0;
  const NumberParse parsed = ParseInteger(node.Scalar(), &v);
  const std::string range_text = std::to_string(lo) + ".." + std::to_string(hi);
  if (parsed == NumberParse::kTooLarge) {
    Error(node, path + " must be in " + range_text + ", got " + node.Scalar());
    return std::nullopt;
  }
  if (parsed != NumberParse::kOk) {
    Error(node, KindWord("an integer", path) + ", got " + Quote(node.Scalar()));
    return std::nullopt;
  }
  if (v < lo || v > hi) {
    Error(node, path + " must be in " + range_text + ", got " + node.Scalar());
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> Reader::Unsigned(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar() || IsQuoted(node)) {
    Error(node,
          KindWord("a non-negative integer", path) + ", got " +
              (node.IsScalar() ? "the quoted string " + Quote(node.Scalar()) : Describe(node)));
    return std::nullopt;
  }
  const std::string& text = node.Scalar();
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  std::uint64_t v = 0;
  if (begin != end && *begin != '+' && *begin != '-') {
    const auto result = std::from_chars(begin, end, v);
    if (result.ptr == end && result.ec == std::errc()) return v;
    if (result.ptr == end && result.ec == std::errc::result_out_of_range) {
      Error(node, path + " must be in 0..18446744073709551615, got " + text);
      return std::nullopt;
    }
  }
  std::int64_t s = 0;
  const NumberParse parsed = ParseInteger(text, &s);
  if (parsed == NumberParse::kOk && s >= 0) return static_cast<std::uint64_t>(s);
  if (parsed == NumberParse::kOk || parsed == NumberParse::kTooLarge) {
    Error(node, path + " must be in 0..18446744073709551615, got " + text);
  } else {
    Error(node, KindWord("a non-negative integer", path) + ", got " + Quote(text));
  }
  return std::nullopt;
}

std::optional<bool> Reader::Bool(const YAML::Node& node, const std::string& path) {
  if (node.IsScalar() && !IsQuoted(node)) {
    if (node.Scalar() == "true") return true;
    if (node.Scalar() == "false") return false;
  }
  Error(node, KindWord("true or false", path) + ", got " +
                  (node.IsScalar() && IsQuoted(node) ? "the quoted string " + Quote(node.Scalar())
                                                     : Describe(node)));
  return std::nullopt;
}

std::optional<std::string> Reader::String(const YAML::Node& node, const std::string& path,
                                          bool non_empty) {
  if (!node.IsScalar()) {
    Error(node, KindWord("a string", path) + ", got " + Describe(node));
    return std::nullopt;
  }
  if (non_empty && node.Scalar().empty()) {
    Error(node, path + " must not be empty");
    return std::nullopt;
  }
  return node.Scalar();
}

MapReader::MapReader(Reader& reader, const YAML::Node& node, std::string path)
    : reader_(reader), node_(node), path_(std::move(path)) {}

void MapReader::AllowOnly(const std::vector<std::string_view>& allowed) {
  std::map<std::string, YAML::Node> seen;  // first occurrence of each key
  for (const auto& kv : node_) {
    const YAML::Node& key = kv.first;
    if (!key.IsScalar()) {
      reader_.Error(key, "keys must be plain names, got " + Reader::Describe(key) +
                             (path_.empty() ? "" : " in " + path_));
      continue;
    }
    const std::string& name = key.Scalar();
    bool known = false;
    for (std::string_view a : allowed) known = known || a == name;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
      }
      reader_.Error(key, (path_.empty() ? "unknown top-level key '" + name + "'"
                                        : "unknown key '" + name + "' in " + path_) +
                             "; allowed keys: " + list);
      continue;
    }
    const auto [it, inserted] = seen.emplace(name, key);
    if (!inserted) {
      const Location first = reader_.Where(it->second);
      reader_.Error(key, "duplicate key '" + PathOf(name) + "'" +
                             (first.line > 0 && first.source == reader_.file_source()
                                  ? " (first given at line " + std::to_string(first.line) + ")"
                                  : ""));
    }
  }
}

std::optional<YAML::Node> MapReader::Get(std::string_view key) const {
  for (const auto& kv : node_) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  }
  return std::nullopt;
}

std::string MapReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void MapReader::Missing(std::string_view key) {
  reader_.Error(node_, path_.empty()
                           ? "missing required top-level key '" + std::string(key) + "'"
                           : "missing required key '" + std::string(key) + "' in " + path_);
}

bool MapReader::Number(std::string_view key, double* out, const Range& range, bool required) {
  const std::optional<YAML::Node> node = Get(key);
  if (!node) {
    if (required) Missing(key);
    return !required;
  }
  const std::optional<double> v = reader_.Number(*node, PathOf(key), range);
  if (v) *out = *v;
  return v.has_value();
}

bool MapReader::Int(std::string_view key, int* out, std::int64_t lo, std::int64_t hi,
                    bool required) {
  std::int64_t v = *out;
  const bool ok = Int64(key, &v, lo, hi, required);
  if (ok) *out = static_cast<int>(v);
  return ok;
}

bool MapReader::Int64(std::string_view key, std::int64_t* out, std::int64_t lo, std::int64_t hi,
                      bool required) {
  const std::optional<YAML::Node> node = Get(key);
  if (!node) {
    if (required) Missing(key);
    return !required;
  }
  const std::optional<std::int64_t> v = reader_.Integer(*node, PathOf(key), lo, hi);
  if (v) *out = *v;
  return v.has_value();
}

bool MapReader::Unsigned(std::string_view key, std::uint64_t* out, bool required) {
  const std::optional<YAML::Node> node = Get(key);
  if (!node) {
    if (required) Missing(key);
    return !required;
  }
  const std::optional<std::uint64_t> v = reader_.Unsigned(*node, PathOf(key));
  if (v) *out = *v;
  return v.has_value();
}

bool MapReader::Bool(std::string_view key, bool* out, bool required) {
  const std::optional<YAML::Node> node = Get(key);
  if (!node) {
    if (required) Missing(key);
    return !required;
  }
  const std::optional<bool> v = reader_.Bool(*node, PathOf(key));
  if (v) *out = *v;
  return v.has_value();
}

bool MapReader::String(std::string_view key, std::string* out, bool required, bool non_empty) {
  const std::optional<YAML::Node> node = Get(key);
  if (!node) {
    if (required) Missing(key);
    return !required;
  }
  const std::optional<std::string> v = reader_.String(*node, PathOf(key), non_empty);
  if (v) *out = *v;
  return v.has_value();
}

}  // namespace talentflow
