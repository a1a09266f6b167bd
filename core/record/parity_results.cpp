// Parity job results -> store checks (see job_results.h for the shapes).
#include "record/job_results.h"
#include "record/result_errors.h"

#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <limits>
#include <set>

namespace ptxwb::record {

using detail::badResult;
using nlohmann::json;

namespace {

const std::string kSource = "parity result";

/// parity::categoryName spells categories with hyphens ("within-contract"), the store with
/// underscores.
std::optional<store::ElementCategory> categoryFromParity(std::string name) {
    for (auto& ch : name)
        if (ch == '-') ch = '_';
    return store::parseCategory(name);
}

std::optional<store::CheckStatus> statusFromParity(const std::string& name) {
    if (name == "pass") return store::CheckStatus::Passed;
    if (name == "FAIL") return store::CheckStatus::Failed;
    if (name == "ERROR") return store::CheckStatus::Error;
    if (name == "skipped") return store::CheckStatus::Skipped;
    return std::nullopt;
}

/// A float from "0x3f800000": the exact value, NaN payloads and infinities included (the
/// decimal fields of the JSON turn NaN into null).
std::optional<double> floatFromBits(const json& bits) {
    if (!bits.is_string()) return std::nullopt;
    const std::string text = bits.get<std::string>();
    if (text.size() != 10 || text[0] != '0' || text[1] != 'x') return std::nullopt;
    std::uint32_t value = 0;
    for (char ch : text.substr(2)) {
        int digit = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                    : (ch >= 'a' && ch <= 'f')                   ? ch - 'a' + 10
                                                                 : -1;
        if (digit < 0) return std::nullopt;
        value = value << 4 | static_cast<std::uint32_t>(digit);
    }
    return static_cast<double>(std::bit_cast<float>(value));
}

/// A double field that the JSON writer may have turned into null (NaN): kept as infinity,
/// since the store's columns take no NaN and "worse than any bound" is what NaN means here.
double numberOrInfinity(const json& value) {
    return value.is_number() ? value.get<double>() : std::numeric_limits<double>::infinity();
}

Expected<store::ElementMismatch> mismatchFromJson(const json& s, const std::string& pointer) {
    store::ElementMismatch m;
    m.row = s.at("row").get<std::uint32_t>();
    m.col = s.at("col").get<std::uint32_t>();
    m.ulp = s.at("ulps").get<std::uint32_t>();
    auto category = categoryFromParity(s.at("category").get<std::string>());
    if (!category) {
        return badResult(kSource, pointer + "/category",
                         fmt::format("unknown element category '{}'", s["category"].dump()));
    }
    m.category = *category;
    auto actual = floatFromBits(s.value("candidate_bits", json()));
    auto expected = floatFromBits(s.value("reference_bits", json()));
    m.actual = actual ? *actual : numberOrInfinity(s.value("candidate", json()));
    m.expected = expected ? *expected : numberOrInfinity(s.value("reference", json()));
    return m;
}

/// The job sends the map max-pooled to at most 128 columns, one glyph per cell
/// (MismatchMap::render in core/parity).
Expected<store::MismatchMap> mapFromPreview(const json& map, const std::string& pointer) {
    const auto rows = map.at("rows").get<std::uint32_t>();
    const auto cols = map.at("preview_cols").get<std::uint32_t>();
    const json& lines = map.at("preview");
    if (!lines.is_array() || lines.size() != rows) {
        return badResult(kSource, pointer + "/preview",
                         fmt::format("expected {} preview rows, got {}", rows,
                                     lines.is_array() ? lines.size() : 0));
    }
    store::MismatchMap out(rows, cols);
    for (std::uint32_t r = 0; r < rows; ++r) {
        const std::string line = lines[r].get<std::string>();
        if (line.size() != cols) {
            return badResult(kSource, fmt::format("{}/preview/{}", pointer, r),
                             fmt::format("expected {} cells, got {}", cols, line.size()));
        }
        for (std::uint32_t c = 0; c < cols; ++c) {
            static constexpr std::string_view kGlyphs = ".~XNUO";
            auto at = kGlyphs.find(line[c]);
            if (at == std::string_view::npos) {
                return badResult(kSource, fmt::format("{}/preview/{}", pointer, r),
                                 fmt::format("unknown cell '{}' at column {}", line[c], c));
            }
            out.set(r, c, static_cast<store::ElementCategory>(at));
        }
    }
    return out;
}

/// The full-resolution map, when the job sent its non-identical elements as
/// [index, category, ulps] triples (parity::toJson).
Expected<store::MismatchMap> mapFromCells(const json& map, const std::string& pointer) {
    const auto rows = map.at("rows").get<std::uint32_t>();
    const auto cols = map.at("cols").get<std::uint32_t>();
    const json& cells = map.at("cells");
    store::MismatchMap out(rows, cols);
    const std::uint64_t size = std::uint64_t{rows} * cols;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const json& cell = cells[i];
        const auto where = fmt::format("{}/cells/{}", pointer, i);
        auto natural = [](const json& v) {
            return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
        };
        if (!cell.is_array() || cell.size() != 3 || !natural(cell[0]) || !natural(cell[1]) ||
            !natural(cell[2]))
            return badResult(kSource, where, "expected [index, category, ulps]");
        const auto index = cell[0].get<std::uint64_t>();
        const auto category = cell[1].get<std::uint64_t>();
        if (index >= size)
            return badResult(kSource, where,
                             fmt::format("element {} is outside the {}x{} map", index, rows, cols));
        if (category > static_cast<std::uint64_t>(store::ElementCategory::Overrun))
            return badResult(kSource, where, fmt::format("unknown category {}", category));
        out.set(static_cast<std::uint32_t>(index / cols), static_cast<std::uint32_t>(index % cols),
                static_cast<store::ElementCategory>(category), cell[2].get<std::uint64_t>());
    }
    return out;
}

Expected<store::Check> convertCheck(const json& j, const std::string& pointer) {
    store::Check c;
    c.kind = store::CheckKind::Parity;
    const auto candidate = j.at("candidate").get<std::string>();
    const auto reference = j.at("reference").get<std::string>();
    const int m = j.at("m").get<int>();
    const auto shape = j.value("shape", std::string());
    const auto tensor = j.value("tensor", std::string());
    c.name = fmt::format("{} vs {} M={} {}{}", candidate, reference, m, shape,
                         tensor.empty() ? "" : " " + tensor);
    c.kernels = {candidate, reference};
    const auto statusText = j.at("status").get<std::string>();
    auto status = statusFromParity(statusText);
    if (!status) {
        return badResult(kSource, pointer + "/status",
                         fmt::format("unknown check status '{}' (expected pass, FAIL, ERROR or "
                                     "skipped)",
                                     statusText));
    }
    c.status = *status;
    const json counts = j.value("counts", json::object()); // items() must not outlive it
    for (const auto& [name, count] : counts.items()) {
        auto category = categoryFromParity(name);
        if (!category) {
            return badResult(kSource, pointer + "/counts",
                             fmt::format("unknown element category '{}'", name));
        }
        c.counts[*category] = count.get<std::uint64_t>();
    }
    c.maxUlp = j.value("max_ulp", std::uint32_t{0});
    c.maxRelError = numberOrInfinity(j.value("max_rel_error", json(0.0)));
    const json& samples = j.value("first_mismatches", json::array());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        PTXWB_TRY(auto mm,
                  mismatchFromJson(samples[i], fmt::format("{}/first_mismatches/{}", pointer, i)));
        c.firstMismatches.push_back(mm);
    }
    c.evidence = {{"op", j.value("op", "")},
                  {"contract", j.value("contract", "")},
                  {"shape", shape},
                  {"tensor", tensor},
                  {"m", m},
                  {"summary", j.value("summary", "")},
                  {"guard_words_hit", j.value("guard_words_hit", 0)},
                  {"ulp_histogram", j.value("ulp_histogram", json::object())},
                  {"reference_vs_cpu", j.value("reference_vs_cpu", json::object())},
                  {"candidate_vs_cpu", j.value("candidate_vs_cpu", json::object())}};
    if (j.contains("error")) {
        c.evidence["error"] = j["error"];
        c.evidence["sticky"] = j.value("sticky", false);
    }
    c.evidence[kTimingEvidenceKey] = {{"reference", j.value("reference_timing", json::object())},
                                      {"candidate", j.value("candidate_timing", json::object())},
                                      {"seconds", j.value("seconds", 0.0)}};
    if (j.contains("map")) {
        const json& map = j["map"];
        if (map.contains("cells")) {
            PTXWB_TRY(auto full, mapFromCells(map, pointer + "/map"));
            c.evidence["map"] = {
                {"rows", map.at("rows")}, {"cols", map.at("cols")}, {"stored_cols", full.cols()}};
            c.mismatchMap = std::move(full);
        } else {
            PTXWB_TRY(auto preview, mapFromPreview(map, pointer + "/map"));
            c.evidence["map"] = {{"rows", map.at("rows")},
                                 {"cols", map.at("cols")},
                                 {"stored_cols", preview.cols()},
                                 {"pooling", "max over column groups (worst category)"}};
            c.mismatchMap = std::move(preview);
        }
    }
    return c;
}

} // namespace

void applyJobEnvironment(store::Environment& env, const json& environment) {
    if (!environment.is_object()) return;
    const json& devices = environment.value("devices", json::array());
    if (devices.is_array() && !devices.empty() && devices[0].is_object()) {
        const json& d = devices[0];
        env.gpuName = d.value("name", env.gpuName);
        env.smArch = d.value("arch", env.smArch);
        env.gpuUuid = d.value("uuid", env.gpuUuid);
    }
    // The kernel driver's release ("580.159.04") when the worker could read it, else the CUDA
    // driver API version number ("13000") as older runs recorded it.
    if (environment.contains("driver") && environment["driver"].is_object()) {
        const json& driver = environment["driver"];
        if (driver.contains("release") && driver["release"].is_string())
            env.driverVersion = driver["release"].get<std::string>();
        else if (driver.contains("version"))
            env.driverVersion = driver["version"].dump();
    }
    if (environment.contains("nvrtc") && environment["nvrtc"].is_object())
        env.toolkitVersion = environment["nvrtc"].value("version", env.toolkitVersion);
    env.kernelSetHash = environment.value("kernel_set_hash", env.kernelSetHash);
}

Expected<store::Check> parityCheckFromJson(const json& check) {
    return detail::guardJson(kSource, "", [&]() -> Expected<store::Check> {
        if (!check.is_object()) return badResult(kSource, "", "a check must be an object");
        return convertCheck(check, "");
    });
}

Status addParityResult(store::Run& run, const json& result) {
    if (!result.is_object()) return badResult(kSource, "", "the result must be an object");
    return detail::guardJson(kSource, "", [&]() -> Status {
        applyJobEnvironment(run.environment, result.value("environment", json::object()));
        if (result.contains("seed")) run.environment.seed = result["seed"].get<std::uint64_t>();
        if (result.contains("distribution"))
            run.labels["inputs"] = result["distribution"].get<std::string>();
        if (result.contains("model")) {
            const auto model = result["model"].get<std::string>();
            run.environment.modelName = std::filesystem::path(model).filename().string();
            run.labels["tensor"] = result.value("tensor", std::string());
        }
        const json& checks = result.value("checks", json::array());
        if (!checks.is_array()) return badResult(kSource, "/checks", "must be an array");
        std::set<std::string> names;
        for (const auto& c : run.checks)
            names.insert(c.name);
        for (std::size_t i = 0; i < checks.size(); ++i) {
            const std::string pointer = fmt::format("/checks/{}", i);
            if (!checks[i].is_object()) return badResult(kSource, pointer, "must be an object");
            auto check = detail::guardJson(kSource, pointer,
                                           [&] { return convertCheck(checks[i], pointer); });
            if (!check) return Unexpected{std::move(check).error()};
            // A shape or pair given twice on the command line runs twice; keep both runs.
            std::string name = check->name;
            for (int n = 2; names.contains(check->name); ++n)
                check->name = fmt::format("{} #{}", name, n);
            names.insert(check->name);
            run.checks.push_back(std::move(*check));
        }
        if (result.contains("aborted")) {
            run.status = store::RunStatus::Error;
            run.statusReason = result["aborted"].get<std::string>();
        } else if (result.contains("hung")) {
            run.status = store::RunStatus::Error;
            run.statusReason =
                fmt::format("{} check(s) hung: their kernel never returned", result["hung"].size());
        }
        return {};
    });
}

} // namespace ptxwb::record
