#include "worker/job.h"

#include <map>

namespace ptxwb::worker {

namespace {
std::map<std::string, JobHandler>& jobs() {
    static std::map<std::string, JobHandler> table;
    return table;
}
} // namespace

bool registerJob(const std::string& name, JobHandler handler) {
    jobs()[name] = std::move(handler);
    return true;
}

const JobHandler* findJob(const std::string& name) {
    auto it = jobs().find(name);
    return it == jobs().end() ? nullptr : &it->second;
}

std::vector<std::string> registeredJobNames() {
    std::vector<std::string> names;
    for (const auto& [name, handler] : jobs())
        names.push_back(name);
    return names;
}

} // namespace ptxwb::worker
