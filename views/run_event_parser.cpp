#include "run_event_parser.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

std::vector<RunEvent> RunEventParser::feed(const QByteArray& chunk) {
    pending_.append(chunk);
    std::vector<RunEvent> events;
    qsizetype start = 0;
    for (qsizetype nl = pending_.indexOf('\n'); nl >= 0; nl = pending_.indexOf('\n', start)) {
        events.push_back(classify(pending_.mid(start, nl - start)));
        start = nl + 1;
    }
    pending_.remove(0, start);
    return events;
}

std::vector<RunEvent> RunEventParser::flush() {
    std::vector<RunEvent> events;
    if (!pending_.isEmpty()) events.push_back(classify(pending_));
    pending_.clear();
    return events;
}

RunEvent RunEventParser::classify(const QByteArray& rawLine) {
    QByteArray line = rawLine;
    if (line.endsWith('\r')) line.chop(1);
    // A progress line drawn for a terminal ("\r\033[K...") carries nothing for a log.
    line.replace("\033[K", "");
    if (const qsizetype cr = line.lastIndexOf('\r'); cr >= 0) line.remove(0, cr + 1);
    RunEvent e;
    if (line.startsWith('{') && line.contains("\"event\"")) {
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        const QString event = o.value(u"event"_s).toString();
        if (error.error == QJsonParseError::NoError && event == u"progress") {
            e.kind = RunEvent::Kind::Progress;
            e.text = o.value(u"phase"_s).toString();
            e.done = o.value(u"done"_s).toInteger();
            e.total = o.value(u"total"_s).toInteger();
            return e;
        }
        if (error.error == QJsonParseError::NoError && event == u"recorded") {
            e.kind = RunEvent::Kind::Recorded;
            e.uuid = o.value(u"uuid"_s).toString();
            e.command = o.value(u"command"_s).toString();
            e.status = o.value(u"status"_s).toString();
            e.database = o.value(u"db"_s).toString();
            e.text = QString::fromUtf8(line);
            return e;
        }
    }
    e.text = QString::fromUtf8(line);
    if (line.startsWith("ptxwb: error:") || line.startsWith("ptxwb: note:"))
        e.kind = RunEvent::Kind::Error;
    else if (line.startsWith("ptxwb: warning:"))
        e.kind = RunEvent::Kind::Warning;
    return e;
}

} // namespace ptxwb::views
