// `ptxwb version`: the version, also as JSON for tools that record it.
#include "command_registry.h"
#include "version.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptxwb::cli {
namespace {

void setupVersionCommand(CommandLine& cl) {
    auto json = std::make_shared<bool>(false);
    auto* sub = cl.app().add_subcommand("version", "Print the ptxwb version");
    sub->add_flag("--json", *json, "Print as JSON");
    onRun(cl, sub, [json] {
        if (*json) {
            nlohmann::json j{{"name", "ptxwb"}, {"version", versionNumber()}};
            fmt::print("{}\n", j.dump(2));
        } else {
            fmt::print("{}\n", versionLine());
        }
        return 0;
    });
}

} // namespace
PTXWB_REGISTER_COMMAND(version, 0, setupVersionCommand);
} // namespace ptxwb::cli
