#pragma once
// Prints a KV validation report as text, JSON or JUnit XML (one testcase per check, so a CI
// system lists each problem by name).

#include "engine/kv_validation.h"

#include <string>

namespace ptxwb::cli {

std::string kvReportText(const engine::KvValidationReport& report);
std::string kvReportJunit(const engine::KvValidationReport& report, const std::string& suiteName);

} // namespace ptxwb::cli
