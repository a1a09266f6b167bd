#pragma once
// A validator for the subset of JSON Schema (2020-12) that resources/schemas uses: type,
// required, properties, additionalProperties, items, enum, const, oneOf, allOf, $ref to
// "#/$defs/...", minimum, minItems, maxItems. Enough to keep the documented schema and the JSON
// writers in step; not a general validator.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::testing_support {

/// Problems found, each as "json/pointer: what is wrong"; empty when `value` conforms.
std::vector<std::string> validateAgainstSchema(const nlohmann::json& value,
                                               const nlohmann::json& schema);

} // namespace ptxwb::testing_support
