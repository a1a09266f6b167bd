#include "json_schema_subset.h"

namespace ptxwb::testing_support {

namespace {

bool hasType(const nlohmann::json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "null") return v.is_null();
    return false;
}

class Validator {
public:
    explicit Validator(const nlohmann::json& root) : root_(root) {}

    void check(const nlohmann::json& v, const nlohmann::json& s, const std::string& at) {
        if (s.contains("$ref")) {
            const std::string ref = s["$ref"];
            const std::string prefix = "#/$defs/";
            if (ref.rfind(prefix, 0) != 0 || !root_["$defs"].contains(ref.substr(prefix.size()))) {
                problems.push_back(at + ": unresolvable $ref " + ref);
                return;
            }
            check(v, root_["$defs"][ref.substr(prefix.size())], at);
        }
        if (s.contains("type")) {
            bool ok = false;
            if (s["type"].is_array()) {
                for (const auto& t : s["type"])
                    ok = ok || hasType(v, t);
            } else {
                ok = hasType(v, s["type"]);
            }
            if (!ok) {
                problems.push_back(at + ": expected type " + s["type"].dump() + ", got " +
                                   v.dump().substr(0, 60));
                return;
            }
        }
        if (s.contains("const") && v != s["const"])
            problems.push_back(at + ": expected " + s["const"].dump());
        if (s.contains("enum")) {
            bool found = false;
            for (const auto& e : s["enum"])
                found = found || e == v;
            if (!found) problems.push_back(at + ": " + v.dump() + " not in " + s["enum"].dump());
        }
        if (s.contains("minimum") && v.is_number() &&
            v.get<double>() < s["minimum"].get<double>()) {
            problems.push_back(at + ": below minimum");
        }
        if (s.contains("allOf")) {
            for (const auto& sub : s["allOf"])
                check(v, sub, at);
        }
        if (s.contains("oneOf")) {
            int matches = 0;
            for (const auto& sub : s["oneOf"]) {
                Validator inner(root_);
                inner.check(v, sub, at);
                matches += inner.problems.empty() ? 1 : 0;
            }
            if (matches != 1)
                problems.push_back(at + ": matches " + std::to_string(matches) + " of oneOf");
        }
        if (v.is_object()) {
            if (s.contains("required")) {
                for (const auto& key : s["required"]) {
                    if (!v.contains(key.get<std::string>()))
                        problems.push_back(at + ": missing " + key.get<std::string>());
                }
            }
            for (const auto& [key, value] : v.items()) {
                if (s.contains("properties") && s["properties"].contains(key)) {
                    check(value, s["properties"][key], at + "/" + key);
                } else if (s.contains("additionalProperties") &&
                           s["additionalProperties"].is_object()) {
                    check(value, s["additionalProperties"], at + "/" + key);
                }
            }
        }
        if (v.is_array()) {
            if (s.contains("minItems") && v.size() < s["minItems"].get<std::size_t>())
                problems.push_back(at + ": too few items");
            if (s.contains("maxItems") && v.size() > s["maxItems"].get<std::size_t>())
                problems.push_back(at + ": too many items");
            if (s.contains("items")) {
                for (std::size_t i = 0; i < v.size(); ++i)
                    check(v[i], s["items"], at + "/" + std::to_string(i));
            }
        }
    }

    std::vector<std::string> problems;

private:
    const nlohmann::json& root_;
};

} // namespace

std::vector<std::string> validateAgainstSchema(const nlohmann::json& value,
                                               const nlohmann::json& schema) {
    Validator v(schema);
    v.check(value, schema, "");
    return v.problems;
}

} // namespace ptxwb::testing_support
