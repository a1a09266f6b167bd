// ptxwb_store_fixture: writes a run-history database with known content for tests of the CLI,
// the reports and the GUI. See tests/store/README.md.
//
//   ptxwb_store_fixture OUT.sqlite [--large]
//
// OUT.sqlite must not exist yet. It receives three runs:
//   1. a passing parity run of the built-in set (seed 1, driver 550.54.15, sm_90)
//   2. a failing parity run (seed 2, driver 555.42.02) with the Q6_K dequant bug: mismatch map,
//      dequant-probe map, a changed BatchedQ6KGemvKernel PTX; with --large also a 512x14336
//      map holding a single overrun element
//   3. a failing run whose kernel and check names are hostile HTML
#include "fixture_runs.h"
#include "store/history_store.h"

#include <cstdio>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
    using namespace ptxwb::store;
    if (argc < 2 || argc > 3 || (argc == 3 && std::string(argv[2]) != "--large")) {
        std::fprintf(stderr, "usage: ptxwb_store_fixture OUT.sqlite [--large]\n");
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
    failing.withLargeMap = argc == 3;
    for (const auto& run : {fixtures::makeParityRun(passing), fixtures::makeParityRun(failing),
                            fixtures::makeHostileNamesRun()}) {
        if (auto st = store->insertRun(run); !st) {
            std::fprintf(stderr, "ptxwb_store_fixture: %s\n", st.error().format().c_str());
            return 5;
        }
        std::printf("%s %s\n", run.uuid.c_str(), runStatusName(run.status));
    }
    return 0;
}
