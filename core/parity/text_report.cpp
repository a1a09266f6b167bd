#include "parity/text_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ptxwb::parity {

namespace {

std::string xmlEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string environmentLine(const nlohmann::json& env) {
    std::string gpu = "no GPU";
    if (env.contains("devices") && !env["devices"].empty())
        gpu = fmt::format("{} ({})", env["devices"][0].value("name", ""),
                          env["devices"][0].value("arch", ""));
    std::string driver =
        env.contains("driver") ? env["driver"].value("cuda", std::string("?")) : "?";
    std::string nvrtc =
        env.contains("nvrtc") ? env["nvrtc"].value("version", std::string("?")) : "?";
    return fmt::format("{}, driver CUDA {}, NVRTC {}, kernel set {}", gpu, driver, nvrtc,
                       env.value("kernel_set_hash", std::string("?")).substr(0, 12));
}

} // namespace

std::string formatParityText(const nlohmann::json& r) {
    std::string out;
    if (r.contains("environment")) out += environmentLine(r["environment"]) + "\n";
    double bw = r.value("copy_bandwidth_gbps", 0.0);
    if (bw > 0)
        out += fmt::format("measured device-to-device copy bandwidth: {:.0f} GB/s (read + write)\n",
                           bw);
    out += fmt::format("{:<28} {:<22} {:>3}  {:<6} {:>7} {:>9} {:>8} {:>9} {:>8}  {}\n",
                       "candidate", "shape", "M", "status", "maxULP", "single us", "GB/s",
                       "cand us", "GB/s", "evidence");
    for (const auto& c : r.value("checks", nlohmann::json::array())) {
        const auto& rt = c.value("reference_timing", nlohmann::json::object());
        const auto& ct = c.value("candidate_timing", nlohmann::json::object());
        auto gb = [&](const nlohmann::json& t) {
            double g = t.value("gb_per_s", 0.0);
            if (g <= 0) return std::string("-");
            return bw > 0 ? fmt::format("{:.0f}({:.0f}%)", g, 100 * g / bw)
                          : fmt::format("{:.0f}", g);
        };
        auto us = [](const nlohmann::json& t) {
            double v = t.value("us", 0.0);
            return v > 0 ? fmt::format("{:.2f}", v) : std::string("-");
        };
        // A check that ended in an error compared nothing: no ULP figure.
        const std::string status = c.value("status", "");
        const std::string ulp =
            status == "ERROR" ? "-" : fmt::format("{}", c.value("max_ulp", std::uint64_t{0}));
        out += fmt::format("{:<28} {:<22} {:>3}  {:<6} {:>7} {:>9} {:>8} {:>9} {:>8}  {}\n",
                           c.value("candidate", ""), c.value("tensor", c.value("shape", "")),
                           c.value("m", 0), status, ulp, us(rt), gb(rt), us(ct), gb(ct),
                           c.value("summary", ""));
    }
    const auto& t = r.value("totals", nlohmann::json::object());
    out += fmt::format("{} checks: {} passed, {} failed, {} errors\n", t.value("planned", 0),
                       t.value("passed", 0), t.value("failed", 0), t.value("errors", 0));
    if (r.contains("aborted")) out += "aborted: " + r["aborted"].get<std::string>() + "\n";
    if (r.contains("hung"))
        out +=
            fmt::format("hung: {} check(s) whose kernel never returned; each ran in a worker that "
                        "was killed\n",
                        r["hung"].size());
    return out;
}

std::string formatParityJunit(const nlohmann::json& r) {
    const auto& checks = r.value("checks", nlohmann::json::array());
    int failures = 0, errors = 0;
    for (const auto& c : checks) {
        std::string s = c.value("status", "");
        if (s == "FAIL") ++failures;
        if (s == "ERROR") ++errors;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format(
        "<testsuite name=\"ptxwb parity\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        checks.size(), failures, errors);
    for (const auto& c : checks) {
        std::string name =
            fmt::format("{} vs {} M={} {}", c.value("candidate", ""), c.value("reference", ""),
                        c.value("m", 0), c.value("shape", ""));
        out += fmt::format("  <testcase classname=\"parity.{}\" name=\"{}\" time=\"{:.3f}\"",
                           xmlEscape(c.value("op", "")), xmlEscape(name), c.value("seconds", 0.0));
        std::string s = c.value("status", "");
        if (s == "FAIL")
            out += fmt::format(">\n    <failure message=\"{}\"/>\n  </testcase>\n",
                               xmlEscape(c.value("summary", "")));
        else if (s == "ERROR")
            out += fmt::format(">\n    <error message=\"{}\"/>\n  </testcase>\n",
                               xmlEscape(c.value("summary", "")));
        else
            out += "/>\n";
    }
    out += "</testsuite>\n";
    return out;
}

std::string formatSelftestText(const nlohmann::json& r) {
    std::string out;
    if (r.contains("environment")) out += environmentLine(r["environment"]) + "\n";
    out += "static checks:\n";
    int ok = 0;
    for (const auto& s : r.value("static", nlohmann::json::array())) {
        // Passing rows are counted, except a zoo entry's static verdict: which rule caught it,
        // and where, is the point of the row.
        const bool zooVerdict = s.value("check", "").rfind("static:", 0) == 0;
        if (s.value("status", "") == "ok") ++ok;
        if (s.value("status", "") == "ok" && !zooVerdict) continue;
        out += fmt::format("  {:<8} {:<28} {:<28} {}\n", s.value("status", ""),
                           s.value("check", ""), s.value("subject", ""), s.value("detail", ""));
    }
    out += fmt::format("  {} static checks ok\n", ok);
    if (r.contains("zoo")) {
        out += fmt::format("\n{:<28} {:<26} {:<8} {:>7}  {}\n", "mutant", "expected check",
                           "caught?", "time s", "evidence");
        for (const auto& z : r["zoo"])
            out += fmt::format("{:<28} {:<26} {:<8} {:>7.2f}  {}\n", z.value("mutant", ""),
                               z.value("expected_check", ""), z.value("caught", ""),
                               z.value("seconds", 0.0), z.value("evidence", ""));
        out += fmt::format("\n{:<28} {:<24} {:<6} {:>7}  {}\n", "good kernel", "pairs with",
                           "status", "time s", "evidence");
        for (const auto& g : r.value("good", nlohmann::json::array()))
            out += fmt::format("{:<28} {:<24} {:<6} {:>7.2f}  {}\n", g.value("kernel", ""),
                               g.value("pairs_with", ""), g.value("status", ""),
                               g.value("seconds", 0.0), g.value("evidence", ""));
    }
    const auto& t = r.value("totals", nlohmann::json::object());
    out += fmt::format("\nselftest: {} static failures, {} skipped", t.value("static_failures", 0),
                       t.value("skipped", 0));
    if (r.contains("zoo"))
        out +=
            fmt::format(", {} mutants escaped, {} good kernels failed, {:.1f} s",
                        t.value("escaped", 0), t.value("good_failed", 0), r.value("seconds", 0.0));
    out += "\n";
    if (r.contains("aborted")) out += "aborted: " + r["aborted"].get<std::string>() + "\n";
    for (const char* key : {"hung", "faulted"})
        if (r.contains(key))
            out +=
                fmt::format("{}: {} (each settled as an error; the rest ran in a fresh worker)\n",
                            key == std::string("hung") ? "hung kernels" : "sticky CUDA errors",
                            fmt::join(r[key], ", "));
    return out;
}

bool runFaulted(const nlohmann::json& r) {
    return r.contains("aborted") || r.contains("hung") || r.contains("faulted");
}

bool parityFailed(const nlohmann::json& r) {
    const auto& t = r.value("totals", nlohmann::json::object());
    return t.value("failed", 0) > 0 || t.value("errors", 0) > 0 || runFaulted(r);
}

bool selftestFailed(const nlohmann::json& r) {
    const auto& t = r.value("totals", nlohmann::json::object());
    return t.value("static_failures", 0) > 0 || t.value("escaped", 0) > 0 ||
           t.value("good_failed", 0) > 0 || runFaulted(r);
}

} // namespace ptxwb::parity
