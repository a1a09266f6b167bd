// The JSON report: resources/schemas/ptxwb-report.schema.json describes it.
#include "report/report.h"
#include "report/report_model.h"
#include "store/run_json.h"

namespace ptxwb::reports {

std::string renderJson(const ReportInput& input) {
    nlohmann::json failing = nlohmann::json::array();
    for (const auto* c : failingChecks(input.run)) {
        failing.push_back({{"kind", store::checkKindName(c->kind)},
                           {"name", c->name},
                           {"evidence", worstEvidence(*c)}});
    }
    nlohmann::json j{{"schema", "ptxwb-report/1"},
                     {"generator", {{"name", "ptxwb"}, {"version", input.ptxwbVersion}}},
                     {"run", store::toJson(input.run)},
                     {"failingChecks", failing},
                     {"baseline", nullptr},
                     {"comparison", nullptr}};
    if (input.against) j["baseline"] = store::toJson(store::summarize(*input.against));
    if (input.comparison) j["comparison"] = store::toJson(*input.comparison);
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace ptxwb::reports
