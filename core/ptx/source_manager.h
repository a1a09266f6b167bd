#pragma once
// Owns the text of PTX files. Everything else in core/ptx points into these buffers by offset
// (tokens are string_views, AST nodes keep 32-bit offsets), so a buffer must outlive every
// Module parsed from it. Line and column are computed only when a person needs to see them.

#include "util/expected.h"
#include "util/mapped_file.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::ptx {

/// Identifies one buffer inside a SourceManager.
using BufferId = std::uint32_t;

/// A half-open byte range [begin, end) inside one buffer.
struct SourceRange {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    [[nodiscard]] std::uint32_t size() const { return end - begin; }
    friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

/// 1-based line and column (columns count bytes, as compilers do).
struct LineColumn {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
    friend bool operator==(const LineColumn&, const LineColumn&) = default;
};

/// The buffers of one session. Buffers never move once added (string_views stay valid).
class SourceManager {
public:
    SourceManager();
    ~SourceManager();
    SourceManager(const SourceManager&) = delete;
    SourceManager& operator=(const SourceManager&) = delete;

    /// Adds in-memory text under a display name (e.g. "<stdin>" or a test name).
    BufferId addBuffer(std::string name, std::string text);
    /// Maps a file read-only. Files over 4 GiB are rejected: offsets are 32-bit.
    Expected<BufferId> addFile(const std::string& path);

    [[nodiscard]] std::string_view text(BufferId id) const;
    [[nodiscard]] const std::string& name(BufferId id) const;
    [[nodiscard]] std::size_t bufferCount() const { return buffers_.size(); }

    /// Line and column of a byte offset (offsets past the end clamp to the end).
    [[nodiscard]] LineColumn lineColumn(BufferId id, std::uint32_t offset) const;
    /// The text of a 1-based line without its line terminator.
    [[nodiscard]] std::string_view lineText(BufferId id, std::uint32_t line) const;
    /// "name:line:col" of an offset.
    [[nodiscard]] std::string formatLocation(BufferId id, std::uint32_t offset) const;

private:
    struct Buffer;
    const Buffer& buffer(BufferId id) const;
    std::vector<std::unique_ptr<Buffer>> buffers_;
};

} // namespace ptxwb::ptx
