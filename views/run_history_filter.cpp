#include "run_history_filter.h"

#include "run_history_model.h"

#include <algorithm>
#include <cctype>

namespace ptxwb::views {

namespace {

bool containsNoCase(const std::string& text, const std::string& needle) {
    const auto it =
        std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
        });
    return it != text.end();
}

/// "550" matches "550" and "550.54.15", not "5501".
bool versionPrefix(const std::string& version, const std::string& prefix) {
    return version == prefix ||
           (version.size() > prefix.size() && version.compare(0, prefix.size(), prefix) == 0 &&
            version[prefix.size()] == '.');
}

} // namespace

bool runMatchesFilter(const store::RunSummary& run, const store::RunFilter& f) {
    const store::Environment& e = run.environment;
    if (!f.gpu.empty() && !containsNoCase(e.gpuName, f.gpu)) return false;
    if (!f.arch.empty() && e.smArch != f.arch) return false;
    if (!f.driver.empty() && !versionPrefix(e.driverVersion, f.driver)) return false;
    if (!f.toolkit.empty() && !versionPrefix(e.toolkitVersion, f.toolkit)) return false;
    if (!f.kernelSet.empty() && e.kernelSetName != f.kernelSet &&
        e.kernelSetHash.compare(0, f.kernelSet.size(), f.kernelSet) != 0)
        return false;
    if (!f.command.empty() && run.command != f.command) return false;
    return !f.status || run.status == *f.status;
}

RunHistoryFilterModel::RunHistoryFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(RunHistoryModel::SortRole);
}

void RunHistoryFilterModel::setRunFilter(const store::RunFilter& filter) {
    filter_ = filter;
    invalidateFilter();
}

bool RunHistoryFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
    const auto* runs = qobject_cast<const RunHistoryModel*>(sourceModel());
    return runs && sourceRow < runs->rowCount() && runMatchesFilter(runs->run(sourceRow), filter_);
}

} // namespace ptxwb::views
