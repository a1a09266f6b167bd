#pragma once
// Reads what a `ptxwb --progress-format jsonl` command writes: stderr lines are either JSON
// events ({"event":"progress",...}, {"event":"recorded",...}), `ptxwb: error:` / `ptxwb:
// warning:` lines, or plain text; stdout is the command's report. Output arrives in arbitrary
// chunks, so lines are assembled here before they are classified.

#include <QByteArray>
#include <QString>
#include <vector>

namespace ptxwb::views {

/// One line of a run's output, classified.
struct RunEvent {
    enum class Kind {
        Text,     ///< report or log text
        Warning,  ///< "ptxwb: warning: ..."
        Error,    ///< "ptxwb: error: ..." and its "ptxwb: note: ..." lines
        Progress, ///< done / total / phase
        Recorded, ///< the run is in the history: uuid, command, status, db
    };
    Kind kind = Kind::Text;
    QString text; ///< the line (Text/Warning/Error), the phase (Progress)
    qint64 done = 0;
    qint64 total = 0;
    QString uuid;
    QString command;
    QString status;
    QString database;
};

/// Splits a stream into lines and classifies them. One parser per stream (stdout, stderr).
class RunEventParser {
public:
    /// Appends a chunk; returns the events of the lines it completed.
    std::vector<RunEvent> feed(const QByteArray& chunk);
    /// The events of an unterminated last line (call when the process has ended).
    std::vector<RunEvent> flush();

    /// Classifies one line (without its newline).
    static RunEvent classify(const QByteArray& line);

private:
    QByteArray pending_;
};

} // namespace ptxwb::views
