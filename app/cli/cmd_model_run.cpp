// `ptxwb model run FILE --tokens 1,2,3 [--logits OUT.f32] [--kv-dump DIR] [--json]`: the CPU
// reference forward over the tokens at positions 0..n-1.
//
// Outputs:
//  - stdout: the argmax token of every position (text or JSON).
//  - --logits: raw little-endian float32 [n_tokens, n_vocab], row-major.
//  - --kv-dump DIR: per layer L (0-based, no padding), `layer_L_k.npy` and `layer_L_v.npy`,
//    float32 arrays of shape (n_kv_heads, n_tokens, head_dim) in C order: element [g, t, d] is
//    KV head g at position t. K is stored after RoPE (llama adjacent-pair mode), i.e. exactly
//    what a KV cache holds. This is the cache layout of docs/kernel-set.md with
//    max_len = n_tokens, and the dump layout the engine's KV validation reads.
#include "cli_output.h"
#include "cmd_model.h"
#include "gguf/gguf_file.h"
#include "reference/llama_forward.h"
#include "util/mapped_file.h"
#include "util/npy.h"

#include <charconv>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptxwb::cli {
namespace {

Expected<std::vector<std::int32_t>> parseTokens(const std::string& text) {
    std::vector<std::int32_t> tokens;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item(text.data() + start, comma - start);
        std::int32_t v = 0;
        auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty() || ec != std::errc{} || end != item.data() + item.size() || v < 0)
            return makeError(ErrorKind::Usage,
                             fmt::format("--tokens: '{}' is not a token id (expected a comma-"
                                         "separated list of non-negative integers)",
                                         item));
        tokens.push_back(v);
        start = comma + 1;
    }
    return tokens;
}

Status dumpKv(const std::string& dir, const reference::ForwardResult& r) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return makeError(ErrorKind::Environment,
                         fmt::format("cannot create {}: {}", dir, ec.message()));
    const std::vector<std::uint64_t> shape{r.kvHeads, r.tokens, r.headDim};
    for (std::size_t layer = 0; layer < r.kv.size(); ++layer) {
        const auto base = (std::filesystem::path(dir) / fmt::format("layer_{}", layer)).string();
        PTXWB_CHECK(writeNpy(base + "_k.npy", shape, r.kv[layer].k.data()));
        PTXWB_CHECK(writeNpy(base + "_v.npy", shape, r.kv[layer].v.data()));
    }
    return Status{};
}

} // namespace

void setupModelRunCommand(CommandLine& cl, CLI::App* model) {
    struct Args {
        std::string path, tokens, logits, kvDump;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    auto* sub = model->add_subcommand("run", "Run the CPU reference forward over a token sequence");
    sub->add_option("FILE", args->path, "GGUF file (llama architecture)")->required();
    sub->add_option("--tokens", args->tokens, "Comma-separated token ids, e.g. 1,2,3")->required();
    sub->add_option("--logits", args->logits, "Write logits [n_tokens, n_vocab] as raw float32");
    sub->add_option("--kv-dump", args->kvDump,
                    "Write layer_L_k.npy / layer_L_v.npy of shape (n_kv_heads, n_tokens, "
                    "head_dim) into this directory");
    sub->add_flag("--json", args->json, "Print the result as JSON");
    onRun(cl, sub, [args] {
        auto tokens = parseTokens(args->tokens);
        if (!tokens) {
            printUsageError(tokens.error().message);
            return exit_code::usage;
        }
        auto file = gguf::GgufFile::open(args->path);
        if (!file) return printError(file.error());
        auto weights = reference::LlamaWeights::load(*file);
        if (!weights) return printError(weights.error());
        auto result = reference::llamaForward(*weights, *tokens);
        if (!result) {
            if (result.error().kind == ErrorKind::Usage) {
                printUsageError(result.error().message);
                return exit_code::usage;
            }
            return printError(result.error());
        }
        if (!args->logits.empty()) {
            std::string_view bytes(reinterpret_cast<const char*>(result->logits.data()),
                                   result->logits.size() * sizeof(float));
            if (auto s = writeFileAtomic(args->logits, bytes); !s) return printError(s.error());
        }
        if (!args->kvDump.empty())
            if (auto s = dumpKv(args->kvDump, *result); !s) return printError(s.error());
        if (args->json) {
            nlohmann::json j{{"tokens", *tokens},           {"argmax", result->argmax},
                             {"vocab", result->vocab},      {"layers", result->kv.size()},
                             {"kv_heads", result->kvHeads}, {"head_dim", result->headDim}};
            std::vector<float> maxLogit;
            for (std::size_t t = 0; t < result->tokens; ++t)
                maxLogit.push_back(result->logits[t * result->vocab +
                                                  static_cast<std::size_t>(result->argmax[t])]);
            j["argmax_logit"] = maxLogit;
            fmt::print("{}\n", j.dump(2));
        } else {
            fmt::print("{:>5} {:>8} {:>8} {:>12}\n", "pos", "token", "argmax", "logit");
            for (std::size_t t = 0; t < result->tokens; ++t) {
                const auto best = static_cast<std::size_t>(result->argmax[t]);
                fmt::print("{:>5} {:>8} {:>8} {:>12.6f}\n", t, (*tokens)[t], best,
                           result->logits[t * result->vocab + best]);
            }
        }
        return 0;
    });
}

} // namespace ptxwb::cli
