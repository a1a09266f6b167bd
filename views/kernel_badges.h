#pragma once
// How a kernel gets its position, read from its manifest parameter roles (kernel-set.md):
// `position` is direct (a scalar parameter), `position_buf` indirect (read from a device
// buffer, the CUDA-graph decode path), `positions` batched (one per row). The analyzer derives
// the same from the PTX (its summary's positionMode); the manifest says what the author meant.

#include <QStringList>

namespace ptxwb::views {

/// "direct", "indirect", "batched" for each position path the roles declare, in that order;
/// empty for kernels that take no position.
QStringList positionBadges(const QStringList& parameterRoles);

/// The same badges from the analyzer's position mode of the PTX ("direct", "indirect",
/// "batched-positions", "none", or several joined by '+'), in the same order.
QStringList positionBadgesFromMode(const QString& mode);

} // namespace ptxwb::views
