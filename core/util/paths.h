#pragma once
// Per-user locations, following the XDG base directory specification.

#include "util/expected.h"

#include <string>

namespace ptxwb {

/// $XDG_DATA_HOME/ptxwb (default ~/.local/share/ptxwb).
std::string userDataDir();
/// $XDG_CACHE_HOME/ptxwb (default ~/.cache/ptxwb).
std::string userCacheDir();
/// The default run-history database: userDataDir()/history.sqlite.
std::string defaultHistoryDatabase();
/// mkdir -p.
Status makeDirectories(const std::string& path);

} // namespace ptxwb
