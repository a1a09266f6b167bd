#include "kv_cache_text.h"

#include "util/runs_text.h"

#include <QCoreApplication>
#include <QStringList>

namespace ptxwb::views {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("KvCacheView", text);
}

QString plural(std::size_t n, const char* one, const char* many) {
    return tr(n == 1 ? one : many);
}

std::size_t writersAt(const KvHeadEntry& e, int position) {
    const auto it = e.writers.find(position);
    return it == e.writers.end() ? 0 : it->second.size();
}

/// How many times a written-twice position was written (its launches when no count was kept).
std::size_t timesWritten(const KvHeadEntry& e, int position) {
    const auto it = e.writeCounts.find(position);
    return it == e.writeCounts.end() ? writersAt(e, position) : std::size_t(it->second);
}

/// "6 times by 6 launches", "2 times by 1 launch".
QString timesAndLaunches(const KvHeadEntry& e, int position) {
    const std::size_t launches = writersAt(e, position);
    return tr("%1 times by %2 %3")
        .arg(timesWritten(e, position))
        .arg(launches)
        .arg(plural(launches, "launch", "launches"));
}

} // namespace

QString kvPositionRuns(const std::vector<int>& positions) {
    return QString::fromStdString(formatRuns(positions, ".."));
}

QString kvRunTitle(const store::Run& run) {
    QStringList parts{tr("KV cache"), tr("%1 run %2")
                                          .arg(QString::fromStdString(run.command),
                                               QString::fromStdString(run.uuid.substr(0, 8)))};
    if (!run.environment.modelName.empty())
        parts << QString::fromStdString(run.environment.modelName);
    if (!run.environment.gpuName.empty()) parts << QString::fromStdString(run.environment.gpuName);
    parts << QString::fromLatin1(store::runStatusName(run.status));
    return parts.join(QStringLiteral(" · "));
}

QString kvHeadSummary(const KvHeadEntry& e) {
    QStringList problems;
    if (!e.neverWritten.empty()) {
        problems << tr("%1 %2 never written")
                        .arg(plural(e.neverWritten.size(), "Position", "Positions"),
                             kvPositionRuns(e.neverWritten));
    }
    for (int pos : e.writtenTwice) {
        problems << tr("position %1 written %2").arg(pos).arg(timesAndLaunches(e, pos));
    }
    if (!e.writtenBeyond.empty()) {
        problems << tr("%1 %2 written past the %3 prompt tokens")
                        .arg(plural(e.writtenBeyond.size(), "position", "positions"),
                             kvPositionRuns(e.writtenBeyond))
                        .arg(e.tokens);
    }
    const std::uint64_t differing =
        e.counts[store::ElementCategory::Mismatch] + e.counts[store::ElementCategory::NanInf];
    if (differing > 0) {
        problems << tr("%1 of %2 elements differ from serial prefill")
                        .arg(differing)
                        .arg(e.counts.total());
    }
    if (!e.serialNeverWritten.empty()) {
        problems
            << tr("serial prefill left %1 unwritten").arg(kvPositionRuns(e.serialNeverWritten));
    }
    QString head = tr("Layer %1 %2, KV head %3: %4")
                       .arg(e.layer)
                       .arg(QString::fromStdString(e.tensor).toUpper())
                       .arg(e.head)
                       .arg(QString::fromLatin1(store::checkStatusName(e.status)));
    if (problems.isEmpty())
        return head + tr(". Every position written once, identical to serial prefill.");
    QString text = problems.join(QStringLiteral("; "));
    text[0] = text[0].toUpper();
    return head + QStringLiteral(". ") + text + QStringLiteral(".");
}

QString kvPositionDetails(const KvHeadEntry& e, int position, const store::MismatchMap* map) {
    const unsigned marks = KvCacheModel::rowMarks(e, position);
    QStringList lines;
    if ((marks & kRowNeverWritten) != 0) {
        std::vector<int> written;
        for (const auto& [pos, seqs] : e.writers)
            if (!seqs.empty()) written.push_back(pos);
        lines << tr("Never written: it still holds the poison.");
        if (!written.empty()) {
            lines << tr("This layer's scatters wrote %1 %2, none of them this one.")
                         .arg(plural(written.size(), "position", "positions"),
                              kvPositionRuns(written));
        }
    } else if (position >= e.tokens) {
        lines << tr("Past the %1 prompt tokens: it should not have been written.").arg(e.tokens);
    }
    const std::size_t writers = writersAt(e, position);
    if ((marks & kRowWrittenTwice) != 0) {
        lines << tr("Written %1; a prefill writes each position once.")
                     .arg(timesAndLaunches(e, position));
    } else if (writers == 1) {
        lines << tr("Written by one launch.");
    }
    if ((marks & kRowSerialUnwritten) != 0)
        lines << tr("Serial prefill (the reference) left it unwritten.");
    if (map && position >= 0 && std::uint32_t(position) < map->rows()) {
        std::uint32_t differing = 0;
        std::uint32_t unwritten = 0;
        for (std::uint32_t d = 0; d < map->cols(); ++d) {
            const auto c = map->category(std::uint32_t(position), d);
            differing +=
                (c == store::ElementCategory::Mismatch || c == store::ElementCategory::NanInf) ? 1
                                                                                               : 0;
            unwritten += c == store::ElementCategory::Unwritten ? 1 : 0;
        }
        if (differing > 0) {
            lines << tr("%1 of %2 elements differ from serial prefill.")
                         .arg(differing)
                         .arg(map->cols());
        } else if (unwritten == 0 && position < e.tokens) {
            lines << tr("Identical to serial prefill.");
        }
    }
    return lines.join(QLatin1Char('\n'));
}

QString kvWriterText(std::uint32_t seq, const store::TraceLaunch* launch) {
    if (!launch) return tr("#%1  (not in the recorded trace)").arg(seq);
    QString second = QString::fromStdString(describeLaunchGeometry(*launch));
    const std::string position = describeLaunchPosition(*launch);
    if (!position.empty()) second += QStringLiteral(" · ") + QString::fromStdString(position);
    return QStringLiteral("#%1  %2\n%3")
        .arg(seq)
        .arg(QString::fromStdString(describeLaunchKernel(*launch)), second);
}

} // namespace ptxwb::views
