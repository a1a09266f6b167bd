#include "editor_finding.h"

#include <QCoreApplication>

namespace ptxwb::views {

QString severityName(FindingSeverity severity) {
    switch (severity) {
    case FindingSeverity::Error:
        return QCoreApplication::translate("ptxwb", "Error");
    case FindingSeverity::Warning:
        return QCoreApplication::translate("ptxwb", "Warning");
    case FindingSeverity::Note:
        break;
    }
    return QCoreApplication::translate("ptxwb", "Note");
}

} // namespace ptxwb::views
