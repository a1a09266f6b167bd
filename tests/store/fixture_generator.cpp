// ptxwb_store_fixture: writes a run-history database with known content for tests of the CLI,
// the reports and the GUI. See tests/store/README.md.
//
//   ptxwb_store_fixture OUT.sqlite [--large | --recorded]
//
// OUT.sqlite must not exist yet. With --recorded it receives the three parity runs of
// recorded_runs.h (job results as the GPU worker returns them, recorded by core/record).
// Otherwise it receives three runs:
//   1. a passing parity run of the built-in set (seed 1, driver 550.54.15, sm_90)
//   2. a failing parity run (seed 2, driver 555.42.02) with the Q6_K dequant bug: mismatch map,
//      dequant-probe map, a changed BatchedQ6KGemvKernel PTX; with --large also a 512x14336
//      map holding a single overrun element
//   3. a failing run whose kernel and check names are hostile HTML
#include "fixture_runs.h"
#include "recorded_runs.h"
#include "store/history_store.h"

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace ptxwb::store;
    const std::string mode = argc == 3 ? argv[2] : "";
    if (argc < 2 || argc > 3 || (argc == 3 && mode != "--large" && mode != "--recorded")) {
        std::fprintf(stderr, "usage: ptxwb_store_fixture OUT.sqlite [--large | --recorded]\n");
        return 2;
    }
    const std::string out = argv[1];
    if (std::filesystem::exists(out)) {
        std::fprintf(stderr, "ptxwb_store_fixture: %s exists; remove it first\n", out.c_str());
        return 2;
    }
    auto store = HistoryStore::open(out);
    if (!store) {
        std::fprintf(stderr, "ptxwb_store_fixture: %s\n", store.error().format().c_str());
        return 3;
    }
    fixtures::ParityRunOptions passing;
    passing.seed = 1;
    fixtures::ParityRunOptions failing;
    failing.seed = 2;
    failing.withDequantBug = true;
    failing.driverVersion = "555.42.02";
    failing.startedUnixMs = passing.startedUnixMs + 86400000;
    failing.withLargeMap = mode == "--large";
    const std::vector<Run> runs =
        mode == "--recorded"
            ? ptxwb::testing::recordedParityRuns()
            : std::vector<Run>{fixtures::makeParityRun(passing), fixtures::makeParityRun(failing),
                               fixtures::makeHostileNamesRun()};
    for (const auto& run : runs) {
        if (auto st = store->insertRun(run); !st) {
            std::fprintf(stderr, "ptxwb_store_fixture: %s\n", st.error().format().c_str());
            return 5;
        }
        std::printf("%s %s\n", run.uuid.c_str(), runStatusName(run.status));
    }
    return 0;
}
