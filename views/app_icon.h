#pragma once
#include <QIcon>

namespace ptxwb::views {
/// The application icon at every size shipped in the resources.
QIcon ptxwbIcon();
} // namespace ptxwb::views
