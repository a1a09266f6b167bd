#pragma once
// Errors for job results that do not have the shape the converters expect. The results come
// from our own worker, so a bad one is a version skew or a bug; the message names the result
// and the JSON pointer of the offending value so it can be found in `--format json` output.

#include "util/expected.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <string>

namespace ptxwb::record::detail {

/// "parity result: /checks/3/status: unknown check status 'meh'".
inline Unexpected badResult(const std::string& source, const std::string& pointer,
                            const std::string& message) {
    return makeError(ErrorKind::BadInput,
                     fmt::format("{}: {}", pointer.empty() ? "/" : pointer, message),
                     ErrorLocation::file(source));
}

/// nlohmann's exception text without its "[json.exception.type_error.302] " prefix.
inline std::string jsonProblem(const nlohmann::json::exception& e) {
    std::string what = e.what();
    auto close = what.find("] ");
    return close == std::string::npos ? what : what.substr(close + 2);
}

/// Runs `convert` (which may throw nlohmann exceptions on wrongly typed values) and turns such
/// an exception into badResult(source, pointer, ...).
template <typename Fn>
auto guardJson(const std::string& source, const std::string& pointer, Fn&& convert)
    -> decltype(convert()) {
    try {
        return convert();
    } catch (const nlohmann::json::exception& e) {
        return badResult(source, pointer, jsonProblem(e));
    }
}

} // namespace ptxwb::record::detail
