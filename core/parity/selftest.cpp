#include "parity/selftest.h"

#include "analysis/kernel_set_analysis.h"
#include "cuda/api.h"
#include "kernels/kernel_loader.h"
#include "parity/op_data.h"
#include "parity/pair_runner.h"
#include "parity/parity_job.h"
#include "parity/probe.h"

#include <chrono>
#include <fmt/format.h>
#include <map>
#include <set>

namespace ptxwb::parity {

using kernels::KernelSpec;

std::string staticRuleFor(const std::string& caughtBy) {
    if (caughtBy == "static:shared-u64-address") return "shared-address-64bit";
    return {};
}

namespace {

std::string where(const analysis::Finding& f) {
    return fmt::format("{}:{}:{}", f.location.file, f.location.line, f.location.column);
}

/// The analyzer's rows: each static zoo entry caught by its rule (with the finding as
/// evidence), every other kernel free of error-level findings. `skipped` sources get
/// "skipped" rows with the reason (no NVRTC on this machine, say).
void addAnalyzerRows(const kernels::KernelSet& set, int arch, std::vector<StaticCheckRow>& rows) {
    analysis::KernelSetAnalysisOptions options;
    options.analysis.ptxasPath.clear(); // resource usage is not a pass/fail question here
    options.arch = arch;
    auto analysed = analysis::analyzeKernelSet(set, options);
    const auto& m = set.manifest();
    if (!analysed) {
        rows.push_back({"analyzer", m.name, "FAIL", analysed.error().format()});
        return;
    }
    std::map<std::string, std::string> skippedWhy;
    for (const auto& s : analysed->skipped)
        skippedWhy[s.substr(0, s.find(": "))] = s.substr(s.find(": ") + 2);
    for (const auto& k : m.kernels) {
        const bool staticZoo = k.zoo && k.zoo->caughtBy.rfind("static:", 0) == 0;
        if (k.zoo && !staticZoo) continue; // known-bad, caught on the GPU
        const std::string check = staticZoo ? k.zoo->caughtBy : fmt::format("analyzer sm_{}", arch);
        if (auto it = skippedWhy.find(k.source); it != skippedWhy.end()) {
            rows.push_back({check, k.name, "skipped", it->second});
            continue;
        }
        const std::string file = analysis::analysedFileName(k.source, arch);
        const std::string rule = staticZoo ? staticRuleFor(k.zoo->caughtBy) : std::string();
        const analysis::Finding* hit = nullptr;
        std::size_t errors = 0;
        for (const auto& f : analysed->report.findings) {
            if (f.kernel != k.entry || f.location.file != file) continue;
            if (staticZoo && f.ruleId == rule && !hit) hit = &f;
            if (!staticZoo && f.severity == analysis::Severity::Error && errors++ == 0) hit = &f;
        }
        if (staticZoo)
            rows.push_back(hit ? StaticCheckRow{check, k.name, "ok",
                                                "caught by " + rule + " at " + where(*hit) + ": " +
                                                    hit->message}
                               : StaticCheckRow{check, k.name, "FAIL",
                                                fmt::format("not caught: no {} finding in {} ({})",
                                                            rule, k.entry, file)});
        else
            rows.push_back(hit ? StaticCheckRow{check, k.name, "FAIL",
                                                fmt::format("{} error(s), first {}", errors,
                                                            where(*hit) + ": " + hit->ruleId +
                                                                ": " + hit->message)}
                               : StaticCheckRow{check, k.name, "ok",
                                                fmt::format("no error-level finding in {}", file)});
    }
}

} // namespace

std::vector<StaticCheckRow> runStaticSelftest(const kernels::KernelSet& set,
                                              const std::vector<int>& archs) {
    std::vector<StaticCheckRow> rows;
    const auto& m = set.manifest();
    rows.push_back({"manifest", m.name, "ok",
                    fmt::format("{} kernels, pairs and roles valid", m.kernels.size())});

    // Every zoo entry must name a check that can actually run on it.
    for (const auto& k : m.kernels) {
        if (!k.zoo) continue;
        StaticCheckRow row{"zoo-designation", k.name, "ok", k.zoo->caughtBy};
        if (k.pairsWith.empty())
            row = {"zoo-designation", k.name, "FAIL", "a zoo kernel needs pairs_with"};
        else if (k.zoo->caughtBy == "probe:dequant" && k.op != kernels::OpKind::Gemv)
            row = {"zoo-designation", k.name, "FAIL", "probe:dequant applies to gemv kernels only"};
        rows.push_back(row);
    }

    // The PTX analyzer on every kernel, for the lowest arch asked for.
    addAnalyzerRows(set, archs.empty() ? 80 : archs.front(), rows);

    // Every source compiles with NVRTC for each arch and defines every entry the manifest names.
    auto nvrtc = cuda::loadNvrtc();
    std::set<std::string> sources;
    for (const auto& k : m.kernels)
        sources.insert(k.source);
    for (int arch : archs) {
        for (const auto& src : sources) {
            if (!nvrtc && src.find(".ptx") == std::string::npos) {
                rows.push_back({fmt::format("nvrtc-compile sm_{}", arch), src, "skipped",
                                nvrtc.error().message});
                continue;
            }
            auto ptx = kernels::ptxForSource(set, src, arch, false);
            if (!ptx) {
                rows.push_back(
                    {fmt::format("nvrtc-compile sm_{}", arch), src, "FAIL", ptx.error().format()});
                continue;
            }
            rows.push_back({fmt::format("nvrtc-compile sm_{}", arch), src, "ok",
                            fmt::format("{} bytes of PTX", ptx->size())});
            for (const auto& k : m.kernels) {
                if (k.source != src) continue;
                bool present = ptx->find(".entry " + k.entry + "(") != std::string::npos;
                rows.push_back(
                    {fmt::format("entry-present sm_{}", arch), k.name, present ? "ok" : "FAIL",
                     present ? k.entry : fmt::format("no .entry {} in {}", k.entry, src)});
            }
        }
    }
    return rows;
}

nlohmann::json toJson(const std::vector<StaticCheckRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows)
        out.push_back({{"check", r.check},
                       {"subject", r.subject},
                       {"status", r.status},
                       {"detail", r.detail}});
    return out;
}

namespace {

// A shape where the zoo entry's fault shows: the ragged one for tail bugs, a small one otherwise.
kernels::DimValues selftestShape(const KernelSpec& k, bool ragged) {
    auto shapes = defaultShapes(k.op);
    if (ragged && shapes.size() > 1) return shapes[1];
    if (k.op == kernels::OpKind::Gemv) return {{"N", 512}, {"K", 2048}};
    return shapes.front();
}

nlohmann::json pairRow(kernels::LoadedKernelSet& set, const KernelSpec& k, int m, bool ragged,
                       std::uint64_t seed) {
    CheckOptions opt;
    opt.shape = selftestShape(k, ragged);
    opt.m = m;
    opt.seed = seed;
    opt.timingRepetitions = 0;
    auto r = runPairCheck(set, k, opt);
    if (!r) return {{"status", "ERROR"}, {"evidence", r.error().format()}};
    nlohmann::json j{{"status", checkStatusName(r->status)},
                     {"evidence", r->summary},
                     {"seconds", r->seconds},
                     {"overrun", r->counts[static_cast<int>(Category::Overrun)]},
                     {"sticky", r->stickyError}};
    return j;
}

} // namespace

Expected<nlohmann::json> runSelftestJob(const nlohmann::json& params, const ProgressSink& progress,
                                        const CancelToken& cancel) {
    auto started = std::chrono::steady_clock::now();
    PTXWB_TRY(kernels::KernelSet set,
              kernels::KernelSet::load(params.value("kernel_set", std::string())));
    nlohmann::json out;
    auto staticRows = runStaticSelftest(set);
    out["static"] = toJson(staticRows);
    int staticFailures = 0, skipped = 0;
    for (const auto& r : staticRows) {
        if (r.status == "FAIL") ++staticFailures;
        if (r.status == "skipped") ++skipped;
    }
    out["totals"] = {{"static_failures", staticFailures}, {"skipped", skipped}};
    if (params.value("static_only", false)) return out;

    PTXWB_TRY(auto context, cuda::Context::create(params.value("device", 0)));
    const auto& dev = context->device();
    kernels::LoadedKernelSet loaded(set, dev.smMajor * 10 + dev.smMinor);
    out["environment"] = environmentRecord(set.contentHash());
    const auto& m = set.manifest();
    std::size_t total = 0, done = 0;
    for (const auto& k : m.kernels)
        total += k.pairsWith.empty() ? 0 : 1;
    nlohmann::json zoo = nlohmann::json::array(), good = nlohmann::json::array();
    int escaped = 0, goodFailed = 0;
    // Rows an earlier worker settled for kernels that hung or faulted it (see
    // settleSelftestKernel): reported as they are, not run again.
    std::map<std::string, nlohmann::json> settled;
    for (const auto& s : params.value("settled", nlohmann::json::array()))
        settled[s.value("name", std::string())] = s;
    for (const auto& k : m.kernels) {
        if (k.pairsWith.empty()) continue;
        if (cancel.cancelled()) return makeError(ErrorKind::Cancelled, "selftest cancelled");
        if (auto s = settled.find(k.name); s != settled.end()) {
            ++done;
            const bool mutant = k.zoo.has_value();
            nlohmann::json row = mutant ? nlohmann::json{{"mutant", k.name},
                                                         {"expected_check", k.zoo->caughtBy},
                                                         {"bug", k.zoo->bug},
                                                         {"caught", "error"}}
                                        : nlohmann::json{{"kernel", k.name},
                                                         {"pairs_with", k.pairsWith},
                                                         {"status", "ERROR"}};
            row["evidence"] = s->second.value("reason", std::string());
            row["seconds"] = 0.0;
            (mutant ? zoo : good).push_back(row);
            if (!mutant) ++goodFailed;
            continue;
        }
        report(progress, done++, total, k.name);
        auto t0 = std::chrono::steady_clock::now();
        if (k.zoo) {
            nlohmann::json row{
                {"mutant", k.name}, {"expected_check", k.zoo->caughtBy}, {"bug", k.zoo->bug}};
            const std::string& how = k.zoo->caughtBy;
            bool caught = false;
            std::string evidence;
            if (how.rfind("static:", 0) == 0) {
                // The static part above ran the analyzer; its row is the verdict. The pair run
                // shows what the bug does (or does not do) on this GPU.
                for (const auto& r : staticRows)
                    if (r.check == how && r.subject == k.name) {
                        caught = r.status == "ok";
                        evidence = r.detail;
                    }
                auto p = pairRow(loaded, k, 4, false, 11);
                evidence += "; parity on this GPU: " + p.value("evidence", std::string());
            } else if (how == "probe:dequant") {
                auto probe = runDequantProbe(loaded, k, 64, 1024, 11);
                if (!probe)
                    evidence = probe.error().format();
                else {
                    caught = probe->mismatches > 0;
                    evidence = fmt::format("probe: {} of {} weights differ", probe->mismatches,
                                           probe->elements);
                }
            } else {
                bool ragged = how == "guard:overrun";
                auto p = pairRow(loaded, k, ragged ? 2 : 4, ragged, 11);
                evidence = p.value("evidence", std::string());
                if (how == "guard:overrun")
                    caught = p.value("overrun", 0) > 0;
                else
                    caught = p.value("status", std::string()) == "FAIL";
                if (p.value("sticky", false)) {
                    row["caught"] = "error";
                    row["evidence"] = evidence;
                    zoo.push_back(row);
                    out["aborted"] = "sticky CUDA error in " + k.name;
                    out["faulted_kernel"] = k.name;
                    out["fault"] = evidence;
                    break;
                }
            }
            if (!row.contains("caught")) {
                row["caught"] = caught ? "yes" : "NO";
                if (!caught) ++escaped;
            }
            row["evidence"] = evidence;
            row["seconds"] =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            zoo.push_back(row);
        } else {
            nlohmann::json row{{"kernel", k.name}, {"pairs_with", k.pairsWith}};
            std::string status = "pass";
            std::string evidence;
            for (int mm : {1, 3}) {
                auto p = pairRow(loaded, k, mm, false, 23 + mm);
                if (p.value("status", std::string()) != "pass") {
                    status = p.value("status", std::string("FAIL"));
                    evidence = fmt::format("M={}: {}", mm, p.value("evidence", std::string()));
                    break;
                }
                evidence = p.value("evidence", std::string());
            }
            if (status == "pass" && k.op == kernels::OpKind::Gemv) {
                auto probe = runDequantProbe(loaded, k, 32, 512, 5);
                if (!probe || probe->mismatches > 0) {
                    status = "FAIL";
                    evidence = probe ? fmt::format("probe: {} weights differ", probe->mismatches)
                                     : probe.error().format();
                } else {
                    evidence += "; probe exact";
                }
            }
            if (status != "pass") ++goodFailed;
            row["status"] = status;
            row["evidence"] = evidence;
            row["seconds"] =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            good.push_back(row);
        }
    }
    report(progress, total, total, "done");
    out["zoo"] = zoo;
    out["good"] = good;
    out["totals"]["escaped"] = escaped;
    out["totals"]["good_failed"] = goodFailed;
    out["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return out;
}

bool settleSelftestKernel(nlohmann::json& params, const std::string& kernel,
                          const std::string& reason) {
    return addSkipEntry(params["settled"], "name", kernel, reason);
}

} // namespace ptxwb::parity
