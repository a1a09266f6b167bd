#include "parity/parity_job.h"

#include "cuda/context.h"
#include "cuda/device_info.h"
#include "gguf/gguf_file.h"
#include "kernels/kernel_loader.h"
#include "parity/cpu_reference.h"
#include "parity/op_data.h"
#include "parity/pair_runner.h"
#include "parity/probe.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <optional>
#include <set>

namespace ptxwb::parity {

using kernels::KernelSpec;

nlohmann::json environmentRecord(const std::string& kernelSetHash) {
    nlohmann::json env = cuda::toJson(cuda::queryGpuEnvironment());
    env["kernel_set_hash"] = kernelSetHash;
    return env;
}

namespace {

template <typename T>
Expected<std::vector<T>> listParam(const nlohmann::json& params, const char* key) {
    std::vector<T> out;
    if (!params.contains(key) || params[key].is_null()) return out;
    if (!params[key].is_array())
        return makeError(ErrorKind::Usage, fmt::format("parameter '{}' must be a list", key));
    try {
        for (const auto& v : params[key])
            out.push_back(v.get<T>());
    } catch (const nlohmann::json::exception&) {
        return makeError(ErrorKind::Usage,
                         fmt::format("parameter '{}' has an element of the wrong type", key));
    }
    return out;
}

struct Session {
    kernels::KernelSet set;
    std::unique_ptr<cuda::Context> context;
    std::unique_ptr<kernels::LoadedKernelSet> loaded;
};

Expected<std::unique_ptr<Session>> openSession(const nlohmann::json& params) {
    auto s = std::make_unique<Session>();
    PTXWB_TRY(s->set, kernels::KernelSet::load(params.value("kernel_set", std::string())));
    PTXWB_TRY(s->context, cuda::Context::create(params.value("device", 0)));
    const auto& dev = s->context->device();
    s->loaded = std::make_unique<kernels::LoadedKernelSet>(s->set, dev.smMajor * 10 + dev.smMinor);
    return s;
}

std::vector<const KernelSpec*> selectCandidates(const kernels::KernelSetManifest& m,
                                                const std::vector<std::string>& names,
                                                bool includeZoo, Status& st) {
    std::vector<const KernelSpec*> out;
    if (names.empty()) {
        for (const auto& k : m.kernels)
            if (!k.pairsWith.empty() && (includeZoo || !k.zoo)) out.push_back(&k);
        return out;
    }
    for (const auto& n : names) {
        const KernelSpec* k = m.find(n);
        if (k == nullptr) {
            st = makeError(ErrorKind::Usage, fmt::format("no kernel '{}' in the kernel set", n));
            return {};
        }
        // Naming a single kernel selects every candidate paired with it.
        if (k->pairsWith.empty()) {
            for (const auto& c : m.kernels)
                if (c.pairsWith == k->name && (includeZoo || !c.zoo)) out.push_back(&c);
        } else {
            out.push_back(k);
        }
    }
    if (out.empty())
        st = makeError(ErrorKind::Usage, "the selected kernels have no pairs to check");
    return out;
}

} // namespace

namespace {

kernels::WeightFormat formatOfTensor(gguf::GgmlType type) {
    switch (type) {
    case gguf::GgmlType::Q4_K:
        return kernels::WeightFormat::Q4_K;
    case gguf::GgmlType::Q6_K:
        return kernels::WeightFormat::Q6_K;
    case gguf::GgmlType::Q8_0:
        return kernels::WeightFormat::Q8_0;
    case gguf::GgmlType::F16:
        return kernels::WeightFormat::F16;
    case gguf::GgmlType::F32:
        return kernels::WeightFormat::F32;
    default:
        return kernels::WeightFormat::None;
    }
}

// The first `maxRows` rows of a model tensor, checked against what the GEMV kernel reads.
Expected<std::pair<std::vector<std::uint8_t>, std::pair<int, int>>>
tensorRows(const gguf::GgufFile& file, const std::string& name, const KernelSpec& kernel,
           int maxRows) {
    if (name.empty()) return makeError(ErrorKind::Usage, "--model needs --tensor NAME");
    const gguf::TensorInfo* t = file.findTensor(name);
    if (t == nullptr)
        return makeError(ErrorKind::BadInput, fmt::format("no tensor '{}' in the model", name),
                         ErrorLocation::file(file.path()));
    if (formatOfTensor(t->type) != kernel.weights)
        return makeError(ErrorKind::Usage, fmt::format("tensor {} is {}, but {} reads {}", name,
                                                       gguf::ggmlTypeName(t->type), kernel.name,
                                                       kernels::weightFormatName(kernel.weights)));
    const int k = static_cast<int>(t->rowLength());
    const int n = static_cast<int>(
        std::min<std::uint64_t>(t->rowCount(), static_cast<std::uint64_t>(maxRows)));
    if (k % 256 != 0)
        return makeError(
            ErrorKind::Usage,
            fmt::format("tensor {} has rows of {} values; the GEMV kernels need a multiple of 256",
                        name, k));
    auto data = file.tensorData(*t);
    std::size_t bytes = weightRowBytes(kernel.weights, k) * static_cast<std::size_t>(n);
    if (data.size() < bytes)
        return makeError(ErrorKind::BadInput, fmt::format("tensor {} is truncated", name),
                         ErrorLocation::file(file.path()));
    std::vector<std::uint8_t> rows(bytes);
    std::memcpy(rows.data(), data.data(), bytes);
    return std::pair{std::move(rows), std::pair{n, k}};
}

} // namespace

Expected<std::vector<GemvTensor>> gemvTensors(const gguf::GgufFile& file, const std::string& only) {
    const bool tiedOutput = file.findTensor("output.weight") == nullptr;
    std::vector<GemvTensor> out;
    for (const auto& t : file.tensors()) {
        const std::string name(t.name);
        if (!only.empty() ? name != only : (name == "token_embd.weight" && !tiedOutput)) continue;
        const auto format = formatOfTensor(t.type);
        if (t.dims.size() != 2 || format == kernels::WeightFormat::None ||
            t.rowLength() % 256 != 0) {
            if (!only.empty())
                return makeError(ErrorKind::Usage,
                                 fmt::format("tensor {} ({} {}) is not a weight matrix the GEMV "
                                             "kernels take (2-D, rows a multiple of 256 values)",
                                             name, gguf::ggmlTypeName(t.type), t.shapeText()));
            continue;
        }
        out.push_back({name, format,
                       static_cast<int>(std::min<std::uint64_t>(t.rowCount(), 1u << 30)),
                       static_cast<int>(t.rowLength())});
    }
    if (!only.empty() && out.empty())
        return makeError(ErrorKind::BadInput, fmt::format("no tensor '{}' in the model", only),
                         ErrorLocation::file(file.path()));
    return out;
}

Expected<nlohmann::json> runParityJob(const nlohmann::json& params, const ProgressSink& progress,
                                      const CancelToken& cancel) {
    const std::string model = params.value("model", std::string());
    PTXWB_TRY(auto pairNames, listParam<std::string>(params, "pairs"));
    PTXWB_TRY(auto ms, listParam<int>(params, "m"));
    PTXWB_TRY(auto shapeTexts, listParam<std::string>(params, "shapes"));
    if (ms.empty()) ms = {1, 2, 3, 4, 8, 16};
    for (int m : ms)
        if (m < 1 || m > 4096)
            return makeError(ErrorKind::Usage,
                             fmt::format("batch size {} out of range 1..4096", m));
    PTXWB_TRY(Distribution dist,
              parseDistribution(params.value("distribution", std::string("normal"))));
    std::uint64_t seed = params.value("seed", std::uint64_t{1});
    int reps = params.value("timing_reps", 10);
    bool includeZoo = params.value("include_zoo", !pairNames.empty());

    PTXWB_TRY(auto session, openSession(params));
    Status st;
    auto candidates = selectCandidates(session->set.manifest(), pairNames, includeZoo, st);
    if (!st) return st.error();

    // Plan every check first so progress has a total.
    struct Planned {
        const KernelSpec* kernel;
        kernels::DimValues shape;
        int m;
        std::string tensor; ///< the model tensor that is the weight matrix, or none
    };
    std::vector<Planned> plan;
    const int modelRows = params.value("model_rows", 4096);
    // Opened (mapped, its header parsed) once for the whole run: a model has hundreds of tensors.
    std::optional<gguf::GgufFile> modelFile;
    if (!model.empty()) {
        PTXWB_TRY(auto file, gguf::GgufFile::open(model));
        modelFile.emplace(std::move(file));
    }
    if (modelFile) {
        // A model tensor is the weight matrix of every selected GEMV pair that reads its format;
        // without --tensor, every weight matrix of the model is (each layer's projections and
        // the output head).
        const std::string tensor = params.value("tensor", std::string());
        PTXWB_TRY(auto tensors, gemvTensors(*modelFile, tensor));
        for (const auto& t : tensors)
            for (const auto* k : candidates) {
                if (k->op != kernels::OpKind::Gemv || k->weights != t.format) continue;
                for (int m : ms)
                    plan.push_back(
                        {k, {{"N", std::min(t.rows, modelRows)}, {"K", t.rowLength}}, m, t.name});
            }
        if (plan.empty())
            return makeError(
                ErrorKind::Usage,
                tensor.empty()
                    ? fmt::format("no weight matrix of {} matches a selected GEMV pair", model)
                    : fmt::format("tensor '{}' matches no selected GEMV pair", tensor));
    }
    for (const auto* k : model.empty() ? candidates : std::vector<const KernelSpec*>{}) {
        std::vector<kernels::DimValues> shapes;
        for (const auto& t : shapeTexts) {
            auto s = parseShape(k->op, t);
            if (s)
                shapes.push_back(*s); // a shape written for another op's dims does not apply here
        }
        if (shapes.empty()) shapes = defaultShapes(k->op);
        for (const auto& s : shapes)
            for (int m : ms)
                plan.push_back({k, s, m, {}});
    }

    nlohmann::json result;
    result["environment"] = environmentRecord(session->set.contentHash());
    result["seed"] = seed;
    result["distribution"] = distributionName(dist);
    if (!model.empty()) {
        result["model"] = model;
        result["tensor"] = params.value("tensor", std::string());
    }
    if (params.value("measure_bandwidth", false)) {
        PTXWB_TRY(double bw, measureCopyBandwidth());
        result["copy_bandwidth_gbps"] = bw;
    }
    nlohmann::json checks = nlohmann::json::array();
    int passed = 0, failed = 0, errors = 0;
    // A run that a sticky CUDA error cut short goes on in a fresh worker from `first_check`
    // (see appendParityContinuation); each check keeps its seed, so the rest is the same.
    const auto first = params.value("first_check", std::size_t{0});
    result["first_check"] = first;
    // Checks an earlier worker hung on (see markParityCheckHung): reported, not run again.
    std::map<std::size_t, std::string> hung;
    for (const auto& h : params.value("hung_checks", nlohmann::json::array()))
        hung[h.value("check", std::size_t{0})] = h.value("reason", std::string("the kernel hung"));
    std::shared_ptr<const std::vector<std::uint8_t>> weights; // of the tensor checked last
    std::string weightsTensor; // a tensor has one format, so its rows serve every pair of it
    auto errorCheck = [&](const Planned& p, std::string message) {
        CheckResult bad;
        bad.tensor = p.tensor;
        bad.candidate = p.kernel->name;
        bad.reference = p.kernel->pairsWith;
        bad.op = kernels::opKindName(p.kernel->op);
        bad.m = p.m;
        bad.shape = formatShape(p.shape);
        bad.status = CheckStatus::Error;
        bad.errorMessage = std::move(message);
        bad.summary = bad.errorMessage;
        checks.push_back(toJson(bad));
        ++errors;
    };
    for (std::size_t i = first; i < plan.size(); ++i) {
        if (cancel.cancelled()) return makeError(ErrorKind::Cancelled, "parity run cancelled");
        const auto& p = plan[i];
        if (auto h = hung.find(i); h != hung.end()) {
            errorCheck(p, h->second);
            continue;
        }
        report(progress, i, plan.size(),
               fmt::format("{} M={} {}", p.kernel->name, p.m, formatShape(p.shape)));
        CheckOptions opt;
        opt.shape = p.shape;
        opt.m = p.m;
        opt.distribution = dist;
        opt.seed = seed + i * 7919;
        opt.timingRepetitions = reps;
        if (!p.tensor.empty()) {
            // Checks of one tensor are planned together: its rows are read once for all of them.
            if (p.tensor != weightsTensor) {
                auto rows = tensorRows(*modelFile, p.tensor, *p.kernel, modelRows);
                if (!rows) {
                    errorCheck(p, rows.error().format());
                    continue;
                }
                weights = std::make_shared<const std::vector<std::uint8_t>>(std::move(rows->first));
                weightsTensor = p.tensor;
            }
            opt.weights = weights;
        }
        auto r = runPairCheck(*session->loaded, *p.kernel, opt);
        if (!r) {
            errorCheck(p, r.error().format());
            continue;
        }
        if (!p.tensor.empty()) r->tensor = p.tensor;
        if (r->status == CheckStatus::Pass)
            ++passed;
        else if (r->status == CheckStatus::Fail)
            ++failed;
        else
            ++errors;
        checks.push_back(toJson(*r));
        if (r->stickyError) {
            // The context is dead; the worker that runs this job must be replaced before more
            // checks.
            result["aborted"] =
                fmt::format("sticky CUDA error in {}: {}", r->candidate, r->errorMessage);
            result["next_check"] = i + 1;
            break;
        }
    }
    report(progress, plan.size(), plan.size(), "done");
    result["checks"] = checks;
    result["totals"] = {
        {"planned", plan.size()}, {"passed", passed}, {"failed", failed}, {"errors", errors}};
    return result;
}

Expected<nlohmann::json> runProbeJob(const nlohmann::json& params, const ProgressSink& progress,
                                     const CancelToken&) {
    PTXWB_TRY(auto session, openSession(params));
    std::string name = params.value("kernel", std::string());
    const KernelSpec* k = session->set.manifest().find(name);
    if (k == nullptr)
        return makeError(ErrorKind::Usage, fmt::format("no kernel '{}' in the kernel set", name));
    report(progress, 0, 1, "probing " + name);
    std::string model = params.value("model", std::string());
    ProbeResult r;
    if (!model.empty()) {
        PTXWB_TRY(auto file, gguf::GgufFile::open(model));
        PTXWB_TRY(auto rows, tensorRows(file, params.value("tensor", std::string()), *k,
                                        params.value("n", 64)));
        PTXWB_TRY(r, runDequantProbeOn(*session->loaded, *k, rows.second.first, rows.second.second,
                                       rows.first));
    } else {
        PTXWB_TRY(r,
                  runDequantProbe(*session->loaded, *k, params.value("n", 64),
                                  params.value("k", 1024), params.value("seed", std::uint64_t{1})));
    }
    report(progress, 1, 1, "done");
    nlohmann::json out = toJson(r);
    if (!model.empty()) {
        out["model"] = model;
        out["tensor"] = params.value("tensor", std::string());
    }
    out["environment"] = environmentRecord(session->set.contentHash());
    return out;
}

bool addSkipEntry(nlohmann::json& list, const char* key, const nlohmann::json& id,
                  const std::string& reason) {
    if (!list.is_array()) list = nlohmann::json::array();
    for (const auto& entry : list)
        if (entry.value(key, nlohmann::json()) == id) return false;
    list.push_back({{key, id}, {"reason", reason}});
    return true;
}

bool markParityCheckHung(nlohmann::json& params, std::uint64_t check, const std::string& reason) {
    return addSkipEntry(params["hung_checks"], "check", check, reason);
}

bool parityRunCutShort(const nlohmann::json& result) {
    return result.contains("aborted") && result.contains("next_check") &&
           result["next_check"].get<std::size_t>() <
               result.value("totals", nlohmann::json::object()).value("planned", std::size_t{0});
}

void appendParityContinuation(nlohmann::json& merged, const nlohmann::json& next) {
    for (const auto& c : next.value("checks", nlohmann::json::array()))
        merged["checks"].push_back(c);
    auto& totals = merged["totals"];
    const auto nextTotals = next.value("totals", nlohmann::json::object());
    for (const char* key : {"passed", "failed", "errors"})
        totals[key] = totals.value(key, 0) + nextTotals.value(key, 0);
    // Every sticky error stays in the report; the run ends where the last part ended.
    std::vector<std::string> faults;
    if (merged.contains("aborted")) faults.push_back(merged["aborted"].get<std::string>());
    merged.erase("next_check");
    if (next.contains("aborted")) {
        faults.push_back(next["aborted"].get<std::string>());
        if (next.contains("next_check")) merged["next_check"] = next["next_check"];
    }
    if (!faults.empty()) merged["aborted"] = fmt::format("{}", fmt::join(faults, "; "));
    merged["restarts"] = merged.value("restarts", 0) + 1;
}

} // namespace ptxwb::parity
