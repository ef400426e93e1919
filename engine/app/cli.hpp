// The `talentflow` command line: the one place that ties the scenario loader, the lever
// registry, the engine and the writer together.
#pragma once

namespace talentflow {

// Runs the command line; returns the process exit code (0 ok, 2 bad input, 1 internal).
int RunCli(int argc, char** argv);

}  // namespace talentflow
