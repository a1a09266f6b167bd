#include "worker/protocol.h"

namespace ptxwb::worker {

using nlohmann::json;

json errorToJson(const Error& error) {
    json j{{"kind", errorKindName(error.kind)},
           {"message", error.message},
           {"notes", error.notes},
           {"poisons_process", error.poisonsProcess}};
    if (error.location) j["location"] = error.location->format();
    return j;
}

namespace {
ErrorKind kindFromName(const std::string& name) {
    for (auto k : {ErrorKind::Usage, ErrorKind::BadInput, ErrorKind::Environment,
                   ErrorKind::GpuFault, ErrorKind::Internal, ErrorKind::Cancelled}) {
        if (name == errorKindName(k)) return k;
    }
    return ErrorKind::Internal;
}
} // namespace

Error errorFromJson(const json& j) {
    Error e(kindFromName(j.value("kind", std::string("internal"))),
            j.value("message", std::string("(no message)")));
    if (j.contains("location") && j["location"].is_string()) {
        e.location = ErrorLocation::file(j["location"].get<std::string>());
    }
    if (j.contains("notes") && j["notes"].is_array()) {
        for (const auto& n : j["notes"]) {
            if (n.is_string()) e.notes.push_back(n.get<std::string>());
        }
    }
    e.poisonsProcess = j.value("poisons_process", false);
    return e;
}

json makeRunRequest(const std::string& id, const std::string& job, const json& params) {
    return json{{"protocol", kProtocolVersion},
                {"type", "run"},
                {"id", id},
                {"job", job},
                {"params", params}};
}

json makeCancelRequest(const std::string& id) {
    return json{{"protocol", kProtocolVersion}, {"type", "cancel"}, {"id", id}};
}

json makeShutdownRequest() {
    return json{{"protocol", kProtocolVersion}, {"type", "shutdown"}};
}

std::optional<json> parseMessage(const std::string& line, std::string& why) {
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        why = "not a JSON object";
        return std::nullopt;
    }
    if (!j.contains("protocol") || !j["protocol"].is_number_integer()) {
        why = "missing protocol version";
        return std::nullopt;
    }
    if (j["protocol"].get<int>() != kProtocolVersion) {
        why = "protocol version " + std::to_string(j["protocol"].get<int>()) +
              " is not supported (this build speaks " + std::to_string(kProtocolVersion) + ")";
        return std::nullopt;
    }
    return j;
}

} // namespace ptxwb::worker
