// Merging histories: `ptxwb history import` (a fleet of machines, one database per node, brought
// together) and `history export` (one run, to attach to a bug).
#include "store/history_store.h"

#include <fmt/format.h>

namespace ptxwb::store {

Expected<ImportSummary> HistoryStore::importFrom(const std::string& otherPath) {
    auto source = HistoryStore::open(otherPath, OpenMode::ReadOnly);
    if (!source) return Unexpected{std::move(source.error()).withContext("importing")};
    PTXWB_TRY(auto runs, source->listRuns());
    ImportSummary summary;
    // One transaction for the whole import: a failure half-way imports nothing.
    PTXWB_TRY(auto tx, Transaction::begin(db_));
    // Oldest first, so rowids follow time as they do in a history written live.
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        PTXWB_TRY(bool present, containsRun(it->uuid));
        if (present) {
            ++summary.runsAlreadyPresent;
            continue;
        }
        LoadOptions options;
        options.ptxTexts = true;
        auto run = source->loadRun(it->uuid, options);
        if (!run) return Unexpected{std::move(run.error()).withContext("importing")};
        // insertRun re-hashes every PTX text, so a damaged source cannot plant a text under a
        // hash it does not have.
        PTXWB_CHECK(insertRun(*run));
        ++summary.runsImported;
        summary.importedUuids.push_back(it->uuid);
    }
    PTXWB_CHECK(tx.commit());
    return summary;
}

Status HistoryStore::exportRun(const std::string& uuid, const std::string& targetPath) {
    LoadOptions options;
    options.ptxTexts = true;
    PTXWB_TRY(auto run, loadRun(uuid, options));
    PTXWB_TRY(auto target, HistoryStore::open(targetPath, OpenMode::CreateIfMissing));
    PTXWB_TRY(bool present, target.containsRun(uuid));
    if (present) return {};
    return target.insertRun(run);
}

} // namespace ptxwb::store
