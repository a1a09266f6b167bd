#include "kernel_badges.h"

namespace ptxwb::views {
using namespace Qt::StringLiterals;

QStringList positionBadges(const QStringList& roles) {
    QStringList badges;
    if (roles.contains(u"position"_s)) badges << u"direct"_s;
    if (roles.contains(u"position_buf"_s)) badges << u"indirect"_s;
    if (roles.contains(u"positions"_s)) badges << u"batched"_s;
    return badges;
}

QStringList positionBadgesFromMode(const QString& mode) {
    const QStringList parts = mode.split(u'+', Qt::SkipEmptyParts);
    QStringList badges;
    if (parts.contains(u"direct"_s)) badges << u"direct"_s;
    if (parts.contains(u"indirect"_s)) badges << u"indirect"_s;
    if (parts.contains(u"batched-positions"_s)) badges << u"batched"_s;
    return badges;
}

} // namespace ptxwb::views
