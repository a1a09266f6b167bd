#pragma once
// The worker side of the protocol: `ptxwb worker` calls serveWorker(), which answers requests
// from stdin with events on stdout until shutdown or end of input.

#include <string>

namespace ptxwb::worker {

/// Runs the request loop. The protocol stream is a private copy of stdout: file descriptor 1 is
/// pointed at stderr first, so anything else printing to stdout (a kernel's printf, a library's
/// chatter) cannot corrupt the protocol. Returns the process exit code.
int serveWorker(const std::string& version);

} // namespace ptxwb::worker
