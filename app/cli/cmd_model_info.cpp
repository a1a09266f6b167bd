// `ptxwb model info FILE [--json]`: header, metadata and the tensor table of a GGUF file. Reads
// only the header (tensor data is never touched), so it is instant on multi-GB models.
#include "cli_output.h"
#include "cmd_model.h"
#include "gguf/gguf_file.h"
#include "gguf/llama_model.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptxwb::cli {
namespace {

using namespace ptxwb::gguf;

nlohmann::json scalarJson(ValueType type, const MetadataValue& v) {
    switch (type) {
    case ValueType::U8:
        return v.scalarUnchecked<std::uint8_t>();
    case ValueType::I8:
        return v.scalarUnchecked<std::int8_t>();
    case ValueType::U16:
        return v.scalarUnchecked<std::uint16_t>();
    case ValueType::I16:
        return v.scalarUnchecked<std::int16_t>();
    case ValueType::U32:
        return v.scalarUnchecked<std::uint32_t>();
    case ValueType::I32:
        return v.scalarUnchecked<std::int32_t>();
    case ValueType::U64:
        return v.scalarUnchecked<std::uint64_t>();
    case ValueType::I64:
        return v.scalarUnchecked<std::int64_t>();
    case ValueType::F32:
        return v.scalarUnchecked<float>();
    case ValueType::F64:
        return v.scalarUnchecked<double>();
    case ValueType::Bool:
        return v.scalarUnchecked<std::uint8_t>() != 0;
    default:
        return nullptr;
    }
}

/// Arrays show their first `kHead` elements: a 150k-token vocabulary is not useful in full.
constexpr std::size_t kHead = 16;

nlohmann::json valueJson(const MetadataValue& v) {
    nlohmann::json j{{"type", valueTypeName(v.type)}};
    if (v.type == ValueType::String) {
        j["value"] = std::string(v.string);
    } else if (v.type != ValueType::Array) {
        j["value"] = scalarJson(v.type, v);
    } else {
        j["element_type"] = valueTypeName(v.elementType);
        j["count"] = v.count;
        auto head = nlohmann::json::array();
        const std::size_t n = std::min<std::uint64_t>(v.count, kHead);
        for (std::size_t i = 0; i < n; ++i) {
            if (v.elementType == ValueType::String) {
                head.push_back(std::string(v.strings[i]));
            } else if (v.elementType == ValueType::Array) {
                head.push_back(valueJson(v.arrays[i]));
            } else {
                MetadataValue e;
                e.raw = v.raw.subspan(i * scalarSize(v.elementType), scalarSize(v.elementType));
                head.push_back(scalarJson(v.elementType, e));
            }
        }
        j["head"] = std::move(head);
    }
    return j;
}

nlohmann::json infoJson(const GgufFile& f) {
    nlohmann::json j{{"path", f.path()},
                     {"version", f.version()},
                     {"alignment", f.alignment()},
                     {"file_size", f.fileSize()},
                     {"data_offset", f.dataSectionOffset()}};
    auto meta = nlohmann::json::array();
    for (const auto& e : f.metadata()) {
        auto v = valueJson(e.value);
        v["key"] = std::string(e.key);
        meta.push_back(std::move(v));
    }
    j["metadata"] = std::move(meta);
    auto tensors = nlohmann::json::array();
    for (const auto& t : f.tensors()) {
        const auto traits = ggmlTypeTraits(t.type);
        tensors.push_back({{"name", std::string(t.name)},
                           {"type", traits.name},
                           {"type_id", static_cast<std::uint32_t>(t.type)},
                           {"shape", t.dims},
                           {"offset", t.dataOffset},
                           {"size", t.byteSize},
                           {"compute_supported", traits.computeSupported}});
    }
    j["tensors"] = std::move(tensors);
    return j;
}

void printText(const GgufFile& f) {
    fmt::print("{}: GGUF v{}, {} metadata keys, {} tensors, alignment {}, data at byte {}, {} "
               "bytes\n",
               f.path(), f.version(), f.metadata().size(), f.tensors().size(), f.alignment(),
               f.dataSectionOffset(), f.fileSize());
    if (auto h = readLlamaHparams(f)) {
        fmt::print(
            "llama: {} layers, embedding {}, {} heads ({} KV heads, head dim {}), feed-forward "
            "{}, vocabulary {}, context {}, rope base {}, rms epsilon {}\n",
            h->blockCount, h->embeddingLength, h->headCount, h->headCountKv, h->headDim(),
            h->feedForwardLength, h->vocabSize, h->contextLength, h->ropeFreqBase, h->rmsEpsilon);
    }
    std::size_t keyWidth = 8;
    for (const auto& e : f.metadata())
        keyWidth = std::max(keyWidth, e.key.size());
    fmt::print("\nmetadata:\n");
    for (const auto& e : f.metadata()) {
        std::string type(valueTypeName(e.value.type));
        if (e.value.type == ValueType::Array)
            type = fmt::format("{}[{}]", valueTypeName(e.value.elementType), e.value.count);
        fmt::print("  {:<{}}  {:<14} {}\n", e.key, keyWidth, type, e.value.summary());
    }
    std::size_t nameWidth = 4;
    for (const auto& t : f.tensors())
        nameWidth = std::max(nameWidth, t.name.size());
    fmt::print("\ntensors:\n  {:<{}}  {:<8} {:<22} {:>14} {:>14}\n", "name", nameWidth, "type",
               "shape", "offset", "size");
    std::size_t unsupported = 0;
    for (const auto& t : f.tensors()) {
        const auto traits = ggmlTypeTraits(t.type);
        if (!traits.computeSupported) ++unsupported;
        fmt::print("  {:<{}}  {:<8} {:<22} {:>14} {:>14}{}\n", t.name, nameWidth, traits.name,
                   t.shapeText(), t.dataOffset, t.byteSize,
                   traits.computeSupported ? "" : "  (unsupported for compute)");
    }
    if (unsupported)
        fmt::print("\n{} tensor(s) use types ptxwb cannot compute with (supported: f32, f16, "
                   "bf16, q8_0, q4_K, q6_K)\n",
                   unsupported);
}

void setupInfo(CommandLine& cl, CLI::App* model) {
    struct Args {
        std::string path;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    auto* sub = model->add_subcommand("info", "Print the metadata and tensor table of a GGUF file");
    sub->add_option("FILE", args->path, "GGUF file")->required();
    sub->add_flag("--json", args->json, "Print as JSON");
    onRun(cl, sub, [args] {
        auto file = GgufFile::open(args->path);
        if (!file) return printError(file.error());
        if (args->json) {
            auto j = infoJson(*file);
            if (auto h = readLlamaHparams(*file)) {
                j["llama"] = {{"embedding_length", h->embeddingLength},
                              {"block_count", h->blockCount},
                              {"head_count", h->headCount},
                              {"head_count_kv", h->headCountKv},
                              {"head_dim", h->headDim()},
                              {"feed_forward_length", h->feedForwardLength},
                              {"context_length", h->contextLength},
                              {"rope_freq_base", h->ropeFreqBase},
                              {"rms_epsilon", h->rmsEpsilon},
                              {"vocab_size", h->vocabSize}};
            }
            fmt::print("{}\n", j.dump(2));
        } else {
            printText(*file);
        }
        return 0;
    });
}

} // namespace

void setupModelInfoCommand(CommandLine& cl, CLI::App* model) {
    setupInfo(cl, model);
}

} // namespace ptxwb::cli
