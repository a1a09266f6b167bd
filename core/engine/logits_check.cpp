#include "engine/logits_check.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>

namespace ptxwb::engine {

namespace {
std::size_t argmaxOf(const float* row, int n) {
    return std::size_t(std::max_element(row, row + n) - row);
}
} // namespace

LogitsCheck compareLogitsBitwise(const Logits& serial, const Logits& batched) {
    LogitsCheck c;
    if (serial.values.size() != batched.values.size()) {
        c.passed = false;
        c.text = fmt::format("batched prefill produced {} logits, serial prefill {}",
                             batched.values.size(), serial.values.size());
        return c;
    }
    std::size_t differing = 0;
    std::optional<std::size_t> first;
    for (std::size_t i = 0; i < serial.values.size(); ++i) {
        if (std::memcmp(&serial.values[i], &batched.values[i], sizeof(float)) != 0) {
            ++differing;
            if (!first) first = i;
        }
    }
    if (differing == 0) {
        c.text = fmt::format("batched prefill logits bit-identical to serial prefill ({} positions "
                             "x {} vocabulary)",
                             serial.rows, serial.vocab);
        return c;
    }
    c.passed = false;
    const std::size_t pos = *first / std::size_t(serial.vocab);
    const std::size_t tok = *first % std::size_t(serial.vocab);
    c.text = fmt::format("batched prefill logits differ from serial prefill in {} of {} elements; "
                         "first at position {}, token {}: serial {:.9g}, batched {:.9g}",
                         differing, serial.values.size(), pos, tok, serial.values[*first],
                         batched.values[*first]);
    return c;
}

LogitsCheck compareLogitsWithReference(const Logits& gpu, const std::vector<float>& reference,
                                       const std::string& label, double relTolerance) {
    LogitsCheck c;
    if (gpu.values.size() != reference.size()) {
        c.passed = false;
        c.text = fmt::format("{} logits: {} values, the reference has {}", label, gpu.values.size(),
                             reference.size());
        return c;
    }
    double worstRatio = 0.0;
    int worstPos = 0;
    std::vector<std::string> argmaxProblems;
    for (int p = 0; p < gpu.rows; ++p) {
        const float* g = gpu.values.data() + std::size_t(p) * std::size_t(gpu.vocab);
        const float* r = reference.data() + std::size_t(p) * std::size_t(gpu.vocab);
        double scale = 0.0;
        for (int v = 0; v < gpu.vocab; ++v)
            scale = std::max(scale, std::fabs(double(r[v])));
        const double tol = relTolerance * std::max(scale, 1e-30);
        for (int v = 0; v < gpu.vocab; ++v) {
            double diff = std::fabs(double(g[v]) - double(r[v]));
            if (std::isnan(diff)) diff = INFINITY;
            if (diff / tol > worstRatio) {
                worstRatio = diff / tol;
                worstPos = p;
            }
        }
        const std::size_t ga = argmaxOf(g, gpu.vocab);
        const std::size_t ra = argmaxOf(r, gpu.vocab);
        if (ga != ra && double(r[ra]) - double(r[ga]) > tol) {
            argmaxProblems.push_back(
                fmt::format("position {}: GPU picks {}, reference {}", p, ga, ra));
        }
    }
    c.passed = worstRatio <= 1.0 && argmaxProblems.empty();
    if (c.passed) {
        c.text =
            fmt::format("{} logits match the CPU reference within {:g} of each position's "
                        "largest |logit| (worst {:.3g} of the tolerance), argmax agrees at all "
                        "{} positions",
                        label, relTolerance, worstRatio, gpu.rows);
    } else if (!argmaxProblems.empty()) {
        c.text =
            fmt::format("{} logits: argmax differs from the CPU reference at {} positions ({})",
                        label, argmaxProblems.size(), argmaxProblems.front());
    } else {
        c.text = fmt::format("{} logits differ from the CPU reference by {:.3g} times the "
                             "tolerance at position {}",
                             label, worstRatio, worstPos);
    }
    return c;
}

} // namespace ptxwb::engine
