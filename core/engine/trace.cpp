#include "engine/trace.h"

#include "util/mapped_file.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptxwb::engine {

using nlohmann::json;

namespace {
constexpr const char* kSchema = "ptxwb.trace";
constexpr int kVersion = 1;

json paramToJson(const LaunchParam& p) {
    json j{{"name", p.name}, {"role", p.role}, {"kind", p.pointer ? "pointer" : "scalar"}};
    if (p.pointer) {
        j["tensor"] = p.tensor;
        j["offset"] = p.offset;
    } else {
        j["value"] = p.value;
    }
    return j;
}

json launchToJson(const TraceLaunch& l) {
    json j{{"seq", l.seq},
           {"phase", l.phase},
           {"layer", l.layer},
           {"op", l.op},
           {"kernel", l.kernel},
           {"entry", l.entry},
           {"module", l.module},
           {"grid", l.grid},
           {"block", l.block},
           {"shared_bytes", l.sharedBytes},
           {"registers", l.registers},
           {"graph", l.fromGraph},
           {"position_path", positionPathName(l.positionPath)}};
    if (l.durationUs) j["duration_us"] = *l.durationUs;
    if (l.positionValue) j["position_value"] = *l.positionValue;
    if (!l.positionsWritten.empty()) j["positions_written"] = l.positionsWritten;
    json params = json::array();
    for (const auto& p : l.params)
        params.push_back(paramToJson(p));
    j["params"] = std::move(params);
    return j;
}

/// Reads a required field with a type check; the error names the line and the field.
template <typename T>
Expected<T> field(const json& j, const char* name, const std::string& path, std::uint32_t line) {
    auto it = j.find(name);
    if (it == j.end()) {
        return makeError(ErrorKind::BadInput, fmt::format("missing field '{}'", name),
                         ErrorLocation::text(path, line, 1));
    }
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        return makeError(ErrorKind::BadInput,
                         fmt::format("field '{}' has the wrong type ({})", name, it->type_name()),
                         ErrorLocation::text(path, line, 1));
    }
}

Expected<TraceLaunch> launchFromJson(const json& j, const std::string& path, std::uint32_t line) {
    TraceLaunch l;
    PTXWB_TRY(l.seq, field<std::uint64_t>(j, "seq", path, line));
    PTXWB_TRY(l.layer, field<int>(j, "layer", path, line));
    PTXWB_TRY(l.op, field<std::string>(j, "op", path, line));
    PTXWB_TRY(l.kernel, field<std::string>(j, "kernel", path, line));
    PTXWB_TRY(l.grid, (field<std::array<std::uint32_t, 3>>(j, "grid", path, line)));
    PTXWB_TRY(l.block, (field<std::array<std::uint32_t, 3>>(j, "block", path, line)));
    l.phase = j.value("phase", std::string());
    l.entry = j.value("entry", l.kernel);
    l.module = j.value("module", std::string());
    l.sharedBytes = j.value("shared_bytes", 0u);
    l.registers = j.value("registers", 0);
    l.fromGraph = j.value("graph", false);
    if (j.contains("duration_us") && j["duration_us"].is_number()) {
        l.durationUs = j["duration_us"].get<double>();
    }
    std::string pathName = j.value("position_path", std::string("none"));
    auto parsedPath = positionPathFromName(pathName);
    if (!parsedPath) {
        return makeError(ErrorKind::BadInput,
                         fmt::format("unknown position_path '{}' (expected none, direct, "
                                     "indirect or batched)",
                                     pathName),
                         ErrorLocation::text(path, line, 1));
    }
    l.positionPath = *parsedPath;
    if (j.contains("position_value") && j["position_value"].is_number_integer()) {
        l.positionValue = j["position_value"].get<std::int64_t>();
    }
    if (j.contains("positions_written")) {
        PTXWB_TRY(l.positionsWritten, field<std::vector<int>>(j, "positions_written", path, line));
    }
    if (j.contains("params") && j["params"].is_array()) {
        for (const auto& p : j["params"]) {
            if (!p.is_object()) continue;
            LaunchParam param;
            param.name = p.value("name", std::string());
            param.role = p.value("role", std::string());
            param.pointer = p.value("kind", std::string("scalar")) == "pointer";
            param.value = p.value("value", std::string());
            param.tensor = p.value("tensor", std::string());
            param.offset = p.value("offset", std::uint64_t{0});
            l.params.push_back(std::move(param));
        }
    }
    return l;
}
} // namespace

const char* positionPathName(PositionPath path) {
    switch (path) {
    case PositionPath::None:
        return "none";
    case PositionPath::Direct:
        return "direct";
    case PositionPath::Indirect:
        return "indirect";
    case PositionPath::Batched:
        return "batched";
    }
    return "none";
}

std::optional<PositionPath> positionPathFromName(const std::string& name) {
    for (auto p : {PositionPath::None, PositionPath::Direct, PositionPath::Indirect,
                   PositionPath::Batched}) {
        if (name == positionPathName(p)) return p;
    }
    return std::nullopt;
}

std::string traceToJsonl(const Trace& trace) {
    std::string out = json{
        {"schema", kSchema},
        {"version", kVersion},
        {"model", trace.model},
        {"kernel_set", trace.kernelSet},
        {"tokens",
         trace.tokens}}.dump();
    out.push_back('\n');
    for (const auto& l : trace.launches) {
        out += launchToJson(l).dump();
        out.push_back('\n');
    }
    return out;
}

Expected<Trace> traceFromJsonl(std::string_view text, const std::string& path) {
    Trace trace;
    std::uint32_t lineNo = 0;
    bool sawHeader = false;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return makeError(ErrorKind::BadInput, "not a JSON object",
                             ErrorLocation::text(path, lineNo, 1));
        }
        if (!sawHeader) {
            if (j.value("schema", std::string()) != kSchema) {
                return makeError(ErrorKind::BadInput,
                                 "expected a header line with \"schema\": \"ptxwb.trace\"",
                                 ErrorLocation::text(path, lineNo, 1));
            }
            int version = j.value("version", 0);
            if (version != kVersion) {
                return makeError(ErrorKind::BadInput,
                                 fmt::format("trace schema version {} is not supported (this "
                                             "build reads version {})",
                                             version, kVersion),
                                 ErrorLocation::text(path, lineNo, 1));
            }
            trace.model = j.value("model", std::string());
            trace.kernelSet = j.value("kernel_set", std::string());
            if (j.contains("tokens") && j["tokens"].is_array()) {
                for (const auto& t : j["tokens"]) {
                    if (t.is_number_integer()) trace.tokens.push_back(t.get<int>());
                }
            }
            sawHeader = true;
            continue;
        }
        PTXWB_TRY(auto launch, launchFromJson(j, path, lineNo));
        trace.launches.push_back(std::move(launch));
    }
    if (!sawHeader) {
        return makeError(ErrorKind::BadInput, "empty trace (no header line)",
                         ErrorLocation::file(path));
    }
    return trace;
}

Expected<Trace> readTraceFile(const std::string& path) {
    PTXWB_TRY(auto file, MappedFile::open(path));
    return traceFromJsonl(file.text(), path);
}

} // namespace ptxwb::engine
