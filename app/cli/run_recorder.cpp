#include "run_recorder.h"

#include "cli_output.h"
#include "store/history_store.h"
#include "util/mapped_file.h"
#include "util/paths.h"
#include "util/sha256.h"
#include "version.h"

#include <chrono>
#include <fmt/format.h>
#include <unistd.h>

namespace ptxwb::cli {

namespace {
std::int64_t nowUnixMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string hostName() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return {};
    return buf;
}
} // namespace

store::Run beginRun(const GlobalOptions& global, const std::string& command) {
    store::Run run;
    run.uuid = store::newRunUuid();
    run.command = command;
    run.commandLine = global.argv;
    if (!run.commandLine.empty()) run.commandLine.front() = "ptxwb";
    run.startedUnixMs = nowUnixMs();
    run.environment.host = hostName();
    run.environment.ptxwbVersion = versionNumber();
    return run;
}

std::string fileSha256(const std::string& path) {
    auto file = MappedFile::open(path);
    return file ? Sha256::hex(file->bytes()) : std::string();
}

void recordRun(const GlobalOptions& global, store::Run& run) {
    run.endedUnixMs = nowUnixMs();
    if (global.noHistory) return;
    const std::string path = global.dbPath.empty() ? defaultHistoryDatabase() : global.dbPath;
    auto history = store::HistoryStore::open(path);
    if (!history) {
        printWarning("run not recorded: " + history.error().format());
        return;
    }
    if (auto st = history->insertRun(run); !st) {
        printWarning("run not recorded: " + st.error().format());
        return;
    }
    if (!global.quiet) fmt::print(stderr, "recorded run {} in {}\n", run.uuid.substr(0, 8), path);
}

} // namespace ptxwb::cli

#include "kernels/kernel_set.h"
#include "record/job_results.h"

namespace ptxwb::cli {

void recordJobRun(const GlobalOptions& global, store::Run run,
                  const Expected<nlohmann::json>& result, const JobResultRecorder& addResults,
                  const std::string& kernelSetDir) {
    if (!result) {
        const ErrorKind kind = result.error().kind;
        if (kind == ErrorKind::Usage || kind == ErrorKind::Environment ||
            kind == ErrorKind::BadInput)
            return;
        run.status = store::RunStatus::Error;
        run.statusReason = result.error().format();
    } else if (auto st = addResults(run, *result); !st) {
        // Keep what converted: an unreadable result is itself worth a record.
        run.status = store::RunStatus::Error;
        run.statusReason = "result not understood: " + st.error().format();
    }
    if (auto set = kernels::KernelSet::load(kernelSetDir)) {
        record::addKernelSources(run, *set, record::archNumber(run.environment.smArch));
    }
    record::settleRunStatus(run);
    recordRun(global, run);
}

} // namespace ptxwb::cli
