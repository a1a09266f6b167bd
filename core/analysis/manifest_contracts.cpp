#include "analysis/manifest_contracts.h"

#include "util/mapped_file.h"

#include <fmt/format.h>
#include <map>

namespace ptxwb::analysis {
namespace {

std::string stringField(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Unexpected bad(const std::string& path, std::string message) {
    return makeError(ErrorKind::BadInput, std::move(message), ErrorLocation::file(path));
}

} // namespace

Expected<std::vector<KernelContract>> contractsFromManifest(const nlohmann::json& manifest,
                                                            const std::string& path) {
    if (!manifest.is_object() || !manifest.contains("kernels") || !manifest["kernels"].is_array())
        return bad(path, "manifest has no \"kernels\" array");
    std::vector<KernelContract> out;
    std::map<std::string, std::string> entryOfName;
    std::vector<std::string> pairNames;
    std::size_t index = 0;
    for (const auto& k : manifest["kernels"]) {
        const std::string name = k.is_object() ? stringField(k, "name") : std::string();
        if (name.empty()) return bad(path, fmt::format("kernels[{}] has no \"name\"", index));
        KernelContract c;
        c.kernel = stringField(k, "entry");
        if (c.kernel.empty()) c.kernel = name;
        entryOfName[name] = c.kernel;
        const std::string variant = stringField(k, "variant");
        if (variant == "batched")
            c.variant = KernelVariant::Batched;
        else if (variant.empty() || variant == "single")
            c.variant = KernelVariant::Single;
        else
            return bad(path, fmt::format("kernel '{}': variant must be \"single\" or \"batched\", "
                                         "not \"{}\"",
                                         name, variant));
        if (const std::string batch = stringField(k, "batch"); !batch.empty()) {
            auto axis = parseBatchAxis(batch);
            if (!axis)
                return bad(path, fmt::format("kernel '{}': batch must be grid.x, grid.y, grid.z "
                                             "or loop, not \"{}\"",
                                             name, batch));
            c.batchAxis = *axis;
            c.batchAxisDeclared = true;
        }
        if (auto it = k.find("params"); it != k.end() && it->is_array())
            for (const auto& p : *it)
                if (p.is_object())
                    c.params.push_back({stringField(p, "name"), stringField(p, "role")});
        pairNames.push_back(stringField(k, "pairs_with"));
        out.push_back(std::move(c));
        ++index;
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (pairNames[i].empty()) continue;
        auto it = entryOfName.find(pairNames[i]);
        out[i].pairsWith = it != entryOfName.end() ? it->second : pairNames[i];
    }
    return out;
}

Expected<std::vector<KernelContract>> readManifestContracts(const std::string& path) {
    PTXWB_TRY(auto text, readFileText(path));
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        return makeError(ErrorKind::BadInput, "manifest is not valid JSON",
                         ErrorLocation::bytes(path, e.byte > 0 ? e.byte - 1 : 0));
    }
    return contractsFromManifest(json, path);
}

} // namespace ptxwb::analysis
