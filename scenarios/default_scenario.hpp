// Access to the embedded default scenario (a 31-province China scenario).
#pragma once

namespace talentflow {
const char* DefaultScenarioText();
inline constexpr const char* kDefaultScenarioName = "<default scenario>";
}  // namespace talentflow
