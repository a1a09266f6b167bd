#pragma once
// Force-included into every test executable. PTXWB_TEST_DATA_DIR, PTXWB_RESOURCES_DIR and
// PTXWB_CLI_PATH name where the build tree's files are; an environment variable of the same
// name overrides each, so a test tree copied to another machine (one with a GPU) still finds its
// data and the CLI.

#include <cstdlib>

inline const char* ptxwbTestPath(const char* variable, const char* builtIn) {
    const char* value = std::getenv(variable);
    return (value != nullptr && *value != '\0') ? value : builtIn;
}
