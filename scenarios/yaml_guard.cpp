// Event-stream checks that protect the node-tree walk: yaml-cpp shares aliased nodes,
// so the tree stays small while a walk over it can be exponential or, for an alias
// inside its own anchor, infinite.
#include "scenarios/yaml_guard.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace talentflow {
namespace {

// Thrown from inside the event handler to stop the parser at the first problem.
struct GuardStop {
  YamlProblem problem;
};

YamlProblem ProblemAt(const YAML::Mark& mark, std::string message) {
  YamlProblem p;
  if (!mark.is_null()) {
    p.line = mark.line + 1;
    p.column = mark.column + 1;
  }
  p.message = std::move(message);
  return p;
}

// Sizes every anchored node as if its aliases were expanded, and counts the nodes that
// aliases add to the document.
class ExpansionCounter : public YAML::EventHandler {
 public:
  explicit ExpansionCounter(std::int64_t max_nodes) : max_nodes_(max_nodes) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& anchor_name) override {
    // yaml-cpp numbers anchors 1, 2, ... in the order they are defined.
    anchor_names_.push_back(anchor_name);
  }

  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { Leaf(anchor); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchor_sizes_.find(anchor);
    if (it == anchor_sizes_.end()) {
      // Defined but not finished: the alias sits inside the node it names.
      throw GuardStop{ProblemAt(mark, "alias *" + AnchorName(anchor) +
                                          " refers to a node that contains it (recursive alias)")};
    }
    Add(it->second);
    // Only nodes created by aliases count: a large plain file costs what it weighs.
    alias_total_ = SaturatingAdd(alias_total_, it->second);
    if (alias_total_ > max_nodes_) {
      throw GuardStop{ProblemAt(mark, "aliases expand the document to more than " +
                                          std::to_string(max_nodes_) + " nodes (at alias *" +
                                          AnchorName(anchor) + "); the limit guards against " +
                                          "exponentially nested aliases")};
    }
  }

  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct OpenNode {
    YAML::anchor_t anchor;
    std::int64_t size;
  };

  static std::int64_t SaturatingAdd(std::int64_t a, std::int64_t b) {
    constexpr std::int64_t kCap = std::int64_t{1} << 60;
    return std::min(kCap, a + b);  // both operands are <= kCap, so no overflow
  }

  void Add(std::int64_t n) {
    if (!open_.empty()) open_.back().size = SaturatingAdd(open_.back().size, n);
  }

  void Leaf(YAML::anchor_t anchor) {
    Add(1);
    if (anchor != YAML::NullAnchor) anchor_sizes_[anchor] = 1;
  }

  void Open(YAML::anchor_t anchor) {
    Add(1);
    open_.push_back({anchor, 1});
  }

  void Close() {
    if (open_.empty()) return;
    const OpenNode done = open_.back();
    open_.pop_back();
    // The node's own 1 was already added to the parent at Open; add its children now.
    if (!open_.empty()) open_.back().size = SaturatingAdd(open_.back().size, done.size - 1);
    if (done.anchor != YAML::NullAnchor) anchor_sizes_[done.anchor] = done.size;
  }

  std::string AnchorName(YAML::anchor_t anchor) const {
    if (anchor >= 1 && anchor <= anchor_names_.size()) return anchor_names_[anchor - 1];
    return std::to_string(anchor);
  }

  std::int64_t max_nodes_;
  std::int64_t alias_total_ = 0;
  std::vector<OpenNode> open_;
  std::unordered_map<YAML::anchor_t, std::int64_t> anchor_sizes_;
  std::vector<std::string> anchor_names_;
};

// Only records where a second document starts.
class DocumentStartRecorder : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { throw GuardStop{ProblemAt(mark, "")}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

YamlGuardResult CheckYamlStructure(const std::string& text, std::int64_t max_nodes) {
  YamlGuardResult result;
  std::istringstream in(text);
  try {
    YAML::Parser parser(in);
    ExpansionCounter counter(max_nodes);
    if (!parser.HandleNextDocument(counter)) {
      result.empty = true;
      return result;
    }
    DocumentStartRecorder second;
    try {
      if (parser.HandleNextDocument(second)) {
        // A document without content still counts: the file has two documents.
        result.problem = YamlProblem{0, 0, ""};
      }
    } catch (const GuardStop& stop) {
      result.problem = stop.problem;
    }
    if (result.problem) {
      result.problem->message =
          "a scenario file must contain exactly one YAML document; found a second one";
    }
  } catch (const GuardStop& stop) {
    result.problem = stop.problem;
  } catch (const YAML::Exception& e) {
    result.problem = ProblemAt(e.mark, "YAML syntax error: " + e.msg);
  }
  return result;
}

}  // namespace talentflow
