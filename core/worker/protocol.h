#pragma once
// The worker protocol: one JSON object per line on the worker's stdin (requests) and stdout
// (events). Versioned so a GUI and a worker from different builds fail clearly, not subtly.
//
// Requests:
//   {"protocol":1,"type":"run","id":"7","job":"parity","params":{...}}
//   {"protocol":1,"type":"cancel","id":"7"}
//   {"protocol":1,"type":"shutdown"}
// Events:
//   {"protocol":1,"event":"hello","pid":123,"version":"0.1.0","jobs":["gpu-info",...]}
//   {"protocol":1,"event":"progress","id":"7","done":3,"total":40,"phase":"Q6K M=4"}
//   {"protocol":1,"event":"log","id":"7","message":"..."}
//   {"protocol":1,"event":"result","id":"7","result":{...}}
//   {"protocol":1,"event":"error","id":"7","error":{"kind":"gpu-fault","message":"...",
//        "location":"file:line:col","notes":[...],"poisons_process":true}}

#include "util/error.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ptxwb::worker {

inline constexpr int kProtocolVersion = 1;

/// JSON form of an Error (kind, message, location text, notes, poisons_process).
nlohmann::json errorToJson(const Error& error);
/// Inverse of errorToJson; the location comes back as a path-only location holding the text.
Error errorFromJson(const nlohmann::json& j);

nlohmann::json makeRunRequest(const std::string& id, const std::string& job,
                              const nlohmann::json& params);
nlohmann::json makeCancelRequest(const std::string& id);
nlohmann::json makeShutdownRequest();

/// Parses one protocol line; nullopt with `why` set when it is not a valid protocol object.
std::optional<nlohmann::json> parseMessage(const std::string& line, std::string& why);

} // namespace ptxwb::worker
