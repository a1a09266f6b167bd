#pragma once
// nlohmann::json keeps no source positions, but a manifest error must say file:line:col. This
// scans the (already validated) JSON text once and records where every value starts, keyed by
// its JSON pointer ("/kernels/3/grid/0").

#include "util/error.h"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace ptxwb::kernels {

class JsonLocator {
public:
    JsonLocator(std::string_view text, std::string path);
    /// Location of the value at `pointer`, or of the nearest enclosing value that exists.
    [[nodiscard]] ErrorLocation locate(const std::string& pointer) const;
    /// Location `columnOffset` characters into the string value at `pointer` (after its quote).
    [[nodiscard]] ErrorLocation locateInString(const std::string& pointer,
                                               std::size_t columnOffset) const;
    /// 1-based line and column of a byte offset.
    [[nodiscard]] ErrorLocation atOffset(std::size_t offset) const;

private:
    void scanValue(const std::string& pointer);
    void skipSpace();
    void skipString();
    std::string readString();
    std::string_view text_;
    std::string path_;
    std::size_t pos_ = 0;
    std::map<std::string, std::size_t> offsets_;
};

} // namespace ptxwb::kernels
