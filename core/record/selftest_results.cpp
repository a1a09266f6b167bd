// Dequant-probe and selftest job results -> store checks (see job_results.h for the shapes).
#include "record/job_results.h"
#include "record/result_errors.h"
#include "util/ulp.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ptxwb::record {

using detail::badResult;
using nlohmann::json;

namespace {

/// The per-position counts as a one-row map over a quantisation block, so the heatmap shows
/// which quant positions the kernel dequantises wrongly (in any row or super-block).
store::MismatchMap positionMap(const std::vector<std::uint64_t>& byPosition,
                               const std::string& format, std::uint32_t blockValues,
                               std::uint32_t subBlockValues) {
    store::MismatchMap map(1, static_cast<std::uint32_t>(byPosition.size()));
    for (std::uint32_t i = 0; i < byPosition.size(); ++i)
        if (byPosition[i] > 0) map.set(0, i, store::ElementCategory::Mismatch);
    map.probeLayout = store::ProbeLayout{format, blockValues, subBlockValues};
    return map;
}

Status convertProbe(store::Run& run, const json& r) {
    const auto kernel = r.at("kernel").get<std::string>();
    const int n = r.at("n").get<int>();
    const int k = r.at("k").get<int>();
    const auto elements = r.at("elements").get<std::uint64_t>();
    const auto mismatches = r.at("mismatches").get<std::uint64_t>();
    if (mismatches > elements) {
        return badResult("probe result", "/mismatches",
                         fmt::format("{} mismatches of only {} elements", mismatches, elements));
    }
    store::Check c;
    c.kind = store::CheckKind::Probe;
    c.name = fmt::format("{} dequant probe {}x{}", kernel, n, k);
    if (r.contains("tensor") && !r["tensor"].get<std::string>().empty())
        c.name += " of " + r["tensor"].get<std::string>();
    c.kernels = {kernel};
    c.status = mismatches > 0 ? store::CheckStatus::Failed : store::CheckStatus::Passed;
    c.counts[store::ElementCategory::Identical] = elements - mismatches;
    c.counts[store::ElementCategory::Mismatch] = mismatches;
    for (const auto& s : r.value("samples", json::array())) {
        store::ElementMismatch m;
        m.row = s.at("row").get<std::uint32_t>();
        m.col = s.at("col").get<std::uint32_t>();
        const float seen = s.at("seen").is_number() ? s["seen"].get<float>() : NAN;
        const float expected = s.at("expected").is_number() ? s["expected"].get<float>() : NAN;
        m.actual = seen;
        m.expected = expected;
        m.ulp = ulpDistance(seen, expected);
        m.category =
            std::isfinite(seen) ? store::ElementCategory::Mismatch : store::ElementCategory::NanInf;
        c.maxUlp = std::max(c.maxUlp, m.ulp);
        if (expected != 0 && std::isfinite(seen))
            c.maxRelError = std::max(c.maxRelError,
                                     static_cast<double>(std::abs((seen - expected) / expected)));
        c.firstMismatches.push_back(m);
    }
    const auto format = r.value("format", std::string());
    const auto blockValues = r.value("block_values", std::uint32_t{256});
    const auto subBlockValues = r.value("sub_block_values", std::uint32_t{32});
    c.evidence = {{"quantFormat", format},
                  {"n", n},
                  {"k", k},
                  {"by_super_block", r.value("by_super_block", json::array())},
                  {"by_sub_block", r.value("by_sub_block", json::array())},
                  {"position_map", r.value("position_map", std::string())},
                  {"max_ulp_of", "the samples"}};
    c.evidence[kTimingEvidenceKey] = {{"seconds", r.value("seconds", 0.0)}};
    const auto byPosition = r.value("by_position", std::vector<std::uint64_t>{});
    if (!byPosition.empty()) {
        c.mismatchMap = positionMap(byPosition, format, blockValues, subBlockValues);
        c.evidence["map"] = "one row over the positions of a block, all rows folded";
    }
    if (r.contains("model")) {
        run.environment.modelName =
            std::filesystem::path(r["model"].get<std::string>()).filename().string();
    }
    run.checks.push_back(std::move(c));
    return {};
}

std::optional<store::CheckStatus> staticStatus(const std::string& s) {
    if (s == "ok") return store::CheckStatus::Passed;
    if (s == "FAIL") return store::CheckStatus::Failed;
    if (s == "pending" || s == "skipped") return store::CheckStatus::Skipped;
    return std::nullopt;
}

std::optional<store::CheckStatus> zooStatus(const std::string& caught) {
    if (caught == "yes") return store::CheckStatus::Passed; // the workbench caught the mutant
    if (caught == "NO") return store::CheckStatus::Failed;
    if (caught == "pending") return store::CheckStatus::Skipped;
    if (caught == "error") return store::CheckStatus::Error;
    return std::nullopt;
}

std::optional<store::CheckStatus> goodStatus(const std::string& s) {
    if (s == "pass") return store::CheckStatus::Passed;
    if (s == "FAIL") return store::CheckStatus::Failed;
    if (s == "ERROR") return store::CheckStatus::Error;
    if (s == "skipped") return store::CheckStatus::Skipped;
    return std::nullopt;
}

Status convertSelftest(store::Run& run, const json& r) {
    const std::string source = "selftest result";
    auto add = [&](store::Check c, const std::string& pointer, const std::string& statusText,
                   std::optional<store::CheckStatus> status) -> Status {
        if (!status) {
            return badResult(source, pointer, fmt::format("unknown status '{}'", statusText));
        }
        c.kind = store::CheckKind::Selftest;
        c.status = *status;
        run.checks.push_back(std::move(c));
        return {};
    };
    const json& rows = r.value("static", json::array());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const json& row = rows[i];
        store::Check c;
        c.name = fmt::format("static {} {}", row.at("check").get<std::string>(),
                             row.at("subject").get<std::string>());
        c.evidence = {{"part", "static"}, {"detail", row.value("detail", std::string())}};
        const auto status = row.at("status").get<std::string>();
        PTXWB_CHECK(
            add(std::move(c), fmt::format("/static/{}/status", i), status, staticStatus(status)));
    }
    const json& zoo = r.value("zoo", json::array());
    for (std::size_t i = 0; i < zoo.size(); ++i) {
        const json& row = zoo[i];
        store::Check c;
        const auto mutant = row.at("mutant").get<std::string>();
        const auto how = row.value("expected_check", std::string());
        c.name = fmt::format("zoo {} caught by {}", mutant, how);
        c.kernels = {mutant};
        c.evidence = {{"part", "zoo"},
                      {"bug", row.value("bug", std::string())},
                      {"evidence", row.value("evidence", std::string())}};
        c.evidence[kTimingEvidenceKey] = {{"seconds", row.value("seconds", 0.0)}};
        const auto caught = row.at("caught").get<std::string>();
        PTXWB_CHECK(add(std::move(c), fmt::format("/zoo/{}/caught", i), caught, zooStatus(caught)));
    }
    const json& good = r.value("good", json::array());
    for (std::size_t i = 0; i < good.size(); ++i) {
        const json& row = good[i];
        store::Check c;
        const auto kernel = row.at("kernel").get<std::string>();
        const auto single = row.value("pairs_with", std::string());
        c.name = fmt::format("good {} vs {}", kernel, single);
        c.kernels = {kernel, single};
        c.evidence = {{"part", "good"}, {"evidence", row.value("evidence", std::string())}};
        c.evidence[kTimingEvidenceKey] = {{"seconds", row.value("seconds", 0.0)}};
        const auto status = row.at("status").get<std::string>();
        PTXWB_CHECK(
            add(std::move(c), fmt::format("/good/{}/status", i), status, goodStatus(status)));
    }
    if (r.contains("aborted")) {
        run.status = store::RunStatus::Error;
        run.statusReason = r["aborted"].get<std::string>();
    } else if (r.contains("hung") || r.contains("faulted")) {
        run.status = store::RunStatus::Error;
        std::vector<std::string> why;
        if (r.contains("hung")) why.push_back(fmt::format("hung: {}", fmt::join(r["hung"], ", ")));
        if (r.contains("faulted"))
            why.push_back(fmt::format("sticky CUDA error: {}", fmt::join(r["faulted"], ", ")));
        run.statusReason = fmt::format("{}", fmt::join(why, "; "));
    }
    return {};
}

} // namespace

Status addProbeResult(store::Run& run, const json& result) {
    const std::string source = "probe result";
    if (!result.is_object()) return badResult(source, "", "the result must be an object");
    return detail::guardJson(source, "", [&]() -> Status {
        applyJobEnvironment(run.environment, result.value("environment", json::object()));
        return convertProbe(run, result);
    });
}

Status addSelftestResult(store::Run& run, const json& result) {
    const std::string source = "selftest result";
    if (!result.is_object()) return badResult(source, "", "the result must be an object");
    return detail::guardJson(source, "", [&]() -> Status {
        applyJobEnvironment(run.environment, result.value("environment", json::object()));
        return convertSelftest(run, result);
    });
}

} // namespace ptxwb::record
