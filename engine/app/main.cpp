// Entry point of the `talentflow` executable.
#include "engine/app/cli.hpp"

int main(int argc, char** argv) { return talentflow::RunCli(argc, argv); }
