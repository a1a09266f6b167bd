// `ptxwb rules`: the analyzer's rule table; `ptxwb rules explain ID` prints a rule's page.
#include "analysis/rule.h"
#include "cli_output.h"
#include "command_registry.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::cli {
namespace {

int listRules() {
    std::size_t width = 0;
    for (const auto& r : analysis::allRules())
        width = std::max(width, r.id.size());
    for (const auto& r : analysis::allRules())
        fmt::print("{:<{}}  {:<7}  {}\n", r.id, width, analysis::severityName(r.severity), r.title);
    return exit_code::ok;
}

int explainRule(const std::string& id) {
    const auto* rule = analysis::findRule(id);
    if (!rule) {
        printUsageError("unknown rule '" + id + "' (see `ptxwb rules`)");
        return exit_code::usage;
    }
    if (auto page = analysis::ruleDocumentation(id)) {
        fmt::print("{}", *page);
        if (!page->ends_with('\n')) fmt::print("\n");
    } else {
        fmt::print("# {} — {}\n\nFix: {}\n", rule->id, rule->title, rule->fixHint);
    }
    return exit_code::ok;
}

void setupRulesCommand(CommandLine& cl) {
    auto* sub = cl.app().add_subcommand("rules", "List the analyzer's rules");
    auto id = std::make_shared<std::string>();
    auto* explain = sub->add_subcommand("explain", "Print the documentation of one rule");
    explain->add_option("id", *id, "Rule id")->required();
    // One callback decides: CLI11 runs the parent's callback after the subcommand's.
    sub->callback([&cl, explain, id] {
        if (explain->parsed())
            cl.setAction([id] { return explainRule(*id); });
        else
            cl.setAction([] { return listRules(); });
    });
}

} // namespace
PTXWB_REGISTER_COMMAND(rules, 31, setupRulesCommand);
} // namespace ptxwb::cli
