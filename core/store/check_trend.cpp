#include "store/check_trend.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace ptxwb::store {

std::vector<TrendGroup> groupTrend(const std::vector<TrendPoint>& points) {
    std::map<std::tuple<std::string, std::string>, TrendGroup> groups;
    for (const auto& p : points) {
        auto& g = groups[{p.driverVersion, p.smArch}];
        if (g.runs == 0) {
            g.driverVersion = p.driverVersion;
            g.smArch = p.smArch;
            g.firstUnixMs = p.startedUnixMs;
        }
        ++g.runs;
        if (p.status == CheckStatus::Passed) ++g.passed;
        if (isFailing(p.status)) ++g.failed;
        g.worstMaxUlp = std::max(g.worstMaxUlp, p.maxUlp);
        g.firstUnixMs = std::min(g.firstUnixMs, p.startedUnixMs);
        if (p.startedUnixMs >= g.lastUnixMs) {
            g.lastUnixMs = p.startedUnixMs;
            g.lastStatus = p.status;
        }
    }
    std::vector<TrendGroup> out;
    for (auto& [key, g] : groups)
        out.push_back(std::move(g));
    return out;
}

} // namespace ptxwb::store
