// `ptxwb model dequant FILE TENSOR -o OUT.f32`: one tensor as raw little-endian float32,
// row-major (ggml dims[0] fastest), exactly as ggml dequantises it.
#include "cli_output.h"
#include "cmd_model.h"
#include "gguf/gguf_file.h"
#include "reference/dequantize.h"
#include "util/mapped_file.h"

#include <fmt/format.h>

namespace ptxwb::cli {

void setupModelDequantCommand(CommandLine& cl, CLI::App* model) {
    struct Args {
        std::string path, tensor, output;
    };
    auto args = std::make_shared<Args>();
    auto* sub = model->add_subcommand(
        "dequant", "Write one tensor as raw float32 (row-major, as ggml dequantises it)");
    sub->add_option("FILE", args->path, "GGUF file")->required();
    sub->add_option("TENSOR", args->tensor, "Tensor name, e.g. blk.0.attn_q.weight")->required();
    sub->add_option("-o,--output", args->output, "Output file (.f32)")->required();
    onRun(cl, sub, [args] {
        auto file = gguf::GgufFile::open(args->path);
        if (!file) return printError(file.error());
        const gguf::TensorInfo* t = file->findTensor(args->tensor);
        if (!t) {
            printUsageError(fmt::format("{}: no tensor named '{}' (see ptxwb model info)",
                                        args->path, args->tensor));
            return exit_code::usage;
        }
        std::vector<float> values(static_cast<std::size_t>(t->elementCount));
        if (auto s = reference::dequantize(t->type, file->tensorData(*t), values); !s)
            return printError(file->errorAt(
                t->infoOffset, fmt::format("tensor '{}': {}", t->name, s.error().message)));
        std::string_view bytes(reinterpret_cast<const char*>(values.data()),
                               values.size() * sizeof(float));
        if (auto s = writeFileAtomic(args->output, bytes); !s) return printError(s.error());
        return 0;
    });
}

} // namespace ptxwb::cli
