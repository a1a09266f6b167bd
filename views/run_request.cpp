#include "run_request.h"

#include <QObject>
#include <QRegularExpression>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

QString runCommandTitle(RunCommand command) {
    switch (command) {
    case RunCommand::Analyze:
        return QObject::tr("Analyse");
    case RunCommand::Parity:
        return QObject::tr("Parity");
    case RunCommand::Probe:
        return QObject::tr("Dequant probe");
    case RunCommand::Selftest:
        return QObject::tr("Self test");
    case RunCommand::Trace:
        return QObject::tr("Trace");
    case RunCommand::KvValidation:
        return QObject::tr("KV-cache validation");
    }
    return {};
}

QString runCommandName(RunCommand command) {
    switch (command) {
    case RunCommand::Analyze:
        return u"analyze"_s;
    case RunCommand::Parity:
        return u"parity"_s;
    case RunCommand::Probe:
        return u"probe"_s;
    case RunCommand::Selftest:
        return u"selftest"_s;
    case RunCommand::Trace:
        return u"trace"_s;
    case RunCommand::KvValidation:
        return u"qa"_s;
    }
    return {};
}

std::optional<RunCommand> runCommandFromName(const QString& name) {
    for (RunCommand c : kRunCommands)
        if (runCommandName(c) == name) return c;
    return std::nullopt;
}

bool runCommandRecordsTrace(RunCommand command) {
    return command == RunCommand::Trace || command == RunCommand::KvValidation;
}

bool runCommandRecordsKvMaps(RunCommand command) {
    return command == RunCommand::KvValidation;
}

namespace {

/// "1, 2,4" -> "1,2,4"; std::nullopt when an item is not a non-negative integer.
std::optional<QString> integerList(const QString& text) {
    static const QRegularExpression integer(u"^\\d+$"_s);
    QStringList items;
    for (const QString& item : text.split(u',', Qt::SkipEmptyParts)) {
        const QString trimmed = item.trimmed();
        if (!integer.match(trimmed).hasMatch()) return std::nullopt;
        items << trimmed;
    }
    return items.join(u',');
}

QString commaList(const QString& text) {
    QStringList items;
    for (const QString& item : text.split(u',', Qt::SkipEmptyParts))
        if (!item.trimmed().isEmpty()) items << item.trimmed();
    return items.join(u',');
}

bool fail(QString* error, const QString& message) {
    if (error) *error = message;
    return false;
}

/// Adds the per-command options; false (with `error`) when one is unusable.
bool addCommandArguments(const RunOptions& o, QStringList& args, QString* error) {
    if (!o.kernelSet.isEmpty()) args << u"--kernel-set"_s << o.kernelSet;
    switch (o.command) {
    case RunCommand::Analyze:
        args << o.files;
        return true;
    case RunCommand::Parity: {
        if (!commaList(o.pairs).isEmpty()) args << u"--pairs"_s << commaList(o.pairs);
        const auto ms = integerList(o.batchSizes);
        if (!ms)
            return fail(error, QObject::tr("batch sizes must be integers separated by commas, "
                                           "got '%1'")
                                   .arg(o.batchSizes));
        if (!ms->isEmpty()) args << u"--m"_s << *ms;
        if (!o.model.isEmpty()) args << u"--model"_s << o.model;
        return true;
    }
    case RunCommand::Probe:
        if (o.kernel.trimmed().isEmpty())
            return fail(error, QObject::tr("the dequant probe needs a GEMV kernel name"));
        args << u"--kernel"_s << o.kernel.trimmed();
        if (!o.model.isEmpty()) args << u"--model"_s << o.model;
        return true;
    case RunCommand::Selftest:
        if (o.staticOnly) args << u"--static-only"_s;
        return true;
    case RunCommand::Trace:
    case RunCommand::KvValidation: {
        if (o.model.isEmpty())
            return fail(error,
                        QObject::tr("%1 needs a GGUF model").arg(runCommandTitle(o.command)));
        if (o.command == RunCommand::KvValidation) args << u"--validate-kv-cache"_s;
        args << u"--model"_s << o.model;
        const auto tokens = integerList(o.tokens);
        if (!tokens)
            return fail(
                error,
                QObject::tr("tokens must be integers separated by commas, got '%1'").arg(o.tokens));
        if (!tokens->isEmpty()) args << u"--tokens"_s << *tokens;
        for (const QString& fault : commaList(o.inject).split(u',', Qt::SkipEmptyParts))
            args << u"--inject"_s << fault;
        return true;
    }
    }
    return fail(error, QObject::tr("unknown command"));
}

} // namespace

std::optional<QStringList> buildRunArguments(const RunOptions& options,
                                             const QString& historyDatabase, QString* error) {
    if (options.device < 0) {
        if (error) *error = QObject::tr("device ordinal must be 0 or more");
        return std::nullopt;
    }
    QStringList args;
    if (!historyDatabase.isEmpty()) args << u"--db"_s << historyDatabase;
    args << u"--progress-format"_s << u"jsonl"_s;
    args << u"--device"_s << QString::number(options.device);
    args << runCommandName(options.command);
    if (!addCommandArguments(options, args, error)) return std::nullopt;
    return args;
}

} // namespace ptxwb::views
