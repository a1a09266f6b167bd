#pragma once
// What the Run dock asks the ptxwb CLI to do: a command with its options, turned into the exact
// argument list a person would type. The GUI runs GPU work only through the CLI (which runs it
// in a supervised worker and records it in the history), so a GUI run and a CLI run of the same
// arguments are the same run.

#include <QString>
#include <QStringList>
#include <optional>

namespace ptxwb::views {

/// The commands the Run dock can start.
enum class RunCommand { Analyze, Parity, Probe, Selftest, Trace, KvValidation };

/// Every command, in the order the Run dock offers them.
inline constexpr RunCommand kRunCommands[] = {RunCommand::Analyze, RunCommand::Parity,
                                              RunCommand::Probe,   RunCommand::Selftest,
                                              RunCommand::Trace,   RunCommand::KvValidation};

/// Display name ("Parity") and the CLI subcommand ("parity", "qa") of a command.
QString runCommandTitle(RunCommand command);
QString runCommandName(RunCommand command);
/// The command whose runCommandName() is `name`.
std::optional<RunCommand> runCommandFromName(const QString& name);
/// True for the commands whose run record holds trace launches (trace, qa).
bool runCommandRecordsTrace(RunCommand command);
/// True for the commands whose run record holds KV-cache head maps (qa).
bool runCommandRecordsKvMaps(RunCommand command);

/// Options of one run; each command reads the fields it has (see buildRunArguments).
struct RunOptions {
    RunCommand command = RunCommand::Analyze;
    QStringList files;       ///< analyze: PTX files (none: the kernel set's sources)
    QString kernelSet;       ///< every command: kernel set directory ("" = built-in)
    QString pairs;           ///< parity: comma-separated kernel names
    QString batchSizes;      ///< parity: M list, "1,2,4"
    QString kernel;          ///< probe: GEMV kernel (required)
    QString model;           ///< trace, qa (required); parity, probe (optional)
    QString inject;          ///< trace, qa: comma-separated fault names
    QString tokens;          ///< trace, qa: comma-separated token ids
    bool staticOnly = false; ///< selftest
    int device = 0;          ///< CUDA ordinal (global --device)
};

/// The CLI arguments for `options`, recording into `historyDatabase`, with machine-readable
/// progress (--progress-format jsonl). std::nullopt with `error` set when an option is not
/// usable (a missing required field, a list that is not comma-separated integers).
std::optional<QStringList> buildRunArguments(const RunOptions& options,
                                             const QString& historyDatabase, QString* error);

} // namespace ptxwb::views
