// The lever registry. Each lever file in policies/ registers its declaration and a factory
// with TALENTFLOW_REGISTER_LEVER, so adding a lever touches only its own file (and its
// test): the loader validates lever blocks from the declarations and the CLI lists them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/lever_decl.hpp"
#include "engine/policy.hpp"
#include "engine/spec.hpp"

namespace talentflow {

using LeverFactory =
    std::function<std::unique_ptr<Policy>(const PolicySpec&, int instance, const ScenarioSpec&)>;

struct LeverRegistration {
  LeverDecl decl;
  LeverFactory factory;
};

// Declarations of all registered levers, sorted by name.
std::vector<LeverDecl> RegisteredLevers();

// Builds the lever instances of a validated scenario, in the order of its `policies`.
PolicyList CreatePolicies(const ScenarioSpec& spec);

// `talentflow levers`: every lever with its parameters, defaults, ranges and seed clauses.
std::string DescribeLevers();
// The same as Markdown (docs/levers/reference.md).
std::string LeverReferenceMarkdown();

namespace detail {
// Called by TALENTFLOW_REGISTER_LEVER during static initialisation.
bool RegisterLever(LeverRegistration registration);
}  // namespace detail

}  // namespace talentflow

// Registers a lever class with a static `Declaration()` and a constructor
// (const PolicySpec&, int instance, const ScenarioSpec&).
#define TALENTFLOW_REGISTER_LEVER(Class)                                                         \
  static const bool kRegistered##Class = ::talentflow::detail::RegisterLever(                    \
      {Class::Declaration(),                                                                     \
       [](const ::talentflow::PolicySpec& spec, int instance,                                    \
          const ::talentflow::ScenarioSpec& scenario) -> std::unique_ptr<::talentflow::Policy> { \
         return std::make_unique<Class>(spec, instance, scenario);                               \
       }})
