// `ptxwb model make --preset tiny|small|7b-shapes --quant f32|f16|q8_0|q4_k_m --seed N -o FILE`:
// a llama-architecture GGUF with seeded random weights (see reference/synthetic_model.h).
#include "cli_output.h"
#include "cmd_model.h"
#include "reference/synthetic_model.h"

#include <fmt/format.h>

namespace ptxwb::cli {

void setupModelMakeCommand(CommandLine& cl, CLI::App* model) {
    struct Args {
        std::string preset = "tiny", quant = "f32", output;
        std::uint64_t seed = 0;
    };
    auto args = std::make_shared<Args>();
    auto* sub = model->add_subcommand("make", "Write a synthetic llama model with seeded weights");
    sub->add_option("--preset", args->preset,
                    "tiny (a few MB), small (4 layers, D=512, GQA) or "
                    "7b-shapes (7B layer shapes, 2 layers)")
        ->check(CLI::IsMember({"tiny", "small", "7b-shapes"}));
    sub->add_option("--quant", args->quant, "f32, f16, q8_0 or q4_k_m")
        ->check(CLI::IsMember({"f32", "f16", "q8_0", "q4_k_m"}));
    sub->add_option("--seed", args->seed, "Seed of the weights");
    sub->add_option("-o,--output", args->output, "Output GGUF file")->required();
    onRun(cl, sub, [&cl, args] {
        auto preset = reference::parseSyntheticPreset(args->preset);
        auto quant = reference::parseSyntheticQuant(args->quant);
        if (!preset || !quant) {
            printUsageError(!preset ? preset.error().message : quant.error().message);
            return exit_code::usage;
        }
        ProgressLine progress(!cl.global().noProgress && !cl.global().quiet);
        auto writer = reference::buildSyntheticModel(reference::syntheticPreset(*preset), *quant,
                                                     args->seed, progress.sink());
        if (!writer) return printError(writer.error());
        auto status = writer->writeFile(args->output);
        progress.finish();
        if (!status) return printError(status.error());
        if (!cl.global().quiet)
            fmt::print("wrote {} ({} {}, seed {}, {} tensors)\n", args->output, args->preset,
                       args->quant, args->seed, writer->tensorCount());
        return 0;
    });
}

} // namespace ptxwb::cli
