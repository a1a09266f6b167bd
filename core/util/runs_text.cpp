#include "util/runs_text.h"

#include <fmt/format.h>

namespace ptxwb {

std::string formatRuns(const std::vector<int>& values, std::string_view dash) {
    std::string out;
    for (std::size_t i = 0; i < values.size();) {
        std::size_t j = i;
        while (j + 1 < values.size() && values[j + 1] == values[j] + 1)
            ++j;
        if (!out.empty()) out += ", ";
        out += j == i ? fmt::format("{}", values[i])
                      : fmt::format("{}{}{}", values[i], dash, values[j]);
        i = j + 1;
    }
    return out;
}

} // namespace ptxwb
