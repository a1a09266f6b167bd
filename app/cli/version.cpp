#include "version.h"

namespace ptxwb::cli {

std::string versionNumber() {
    return PTXWB_VERSION;
}
std::string versionLine() {
    return std::string("ptxwb ") + PTXWB_VERSION;
}

} // namespace ptxwb::cli
