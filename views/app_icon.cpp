#include "app_icon.h"

// The resources are compiled into the static ptxwb_views library; a static library's resource
// initialiser is only linked in when something references it, hence the explicit init.
static void initPtxwbResources() {
    Q_INIT_RESOURCE(ptxwb);
}

namespace ptxwb::views {

QIcon ptxwbIcon() {
    static const bool initialised = (initPtxwbResources(), true);
    (void)initialised;
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/ptxwb/icons/ptxwb-%1.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace ptxwb::views
