#pragma once
// Launch geometry as integer expressions over dims: "N", "ceil_div(N, 4)", "M * 2 + 1",
// "min(HD, 128)". Parsed once from the manifest, evaluated per check with that check's dims.

#include "util/expected.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ptxwb::kernels {

using DimValues = std::map<std::string, std::int64_t>;

/// A parsed geometry expression.
class GeometryExpr {
public:
    struct Node;
    GeometryExpr();
    /// A constant (for defaults like block.y = 1).
    static GeometryExpr constant(std::int64_t value);
    /// Parses `text`; errors carry the 0-based column within `text` in ErrorLocation::column
    /// (1-based, with an empty path) so the caller can shift it into its own file position.
    static Expected<GeometryExpr> parse(const std::string& text);

    /// Evaluates with `dims`; an unknown name, division by zero or a negative result is an error.
    Expected<std::int64_t> evaluate(const DimValues& dims) const;
    /// The names the expression reads.
    [[nodiscard]] std::vector<std::string> names() const;
    [[nodiscard]] const std::string& text() const { return text_; }

private:
    std::shared_ptr<const Node> root_;
    std::string text_;
};

} // namespace ptxwb::kernels
