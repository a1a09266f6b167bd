#include "ptx/source_manager.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace ptxwb::ptx {

struct SourceManager::Buffer {
    std::string name;
    std::string owned;
    MappedFile mapped;
    std::string_view text;
    // Offsets where each line starts; built on the first lineColumn() call because most
    // buffers (clean files) never need it.
    mutable std::vector<std::uint32_t> lineStarts;

    const std::vector<std::uint32_t>& lines() const {
        if (lineStarts.empty()) {
            lineStarts.reserve(text.size() / 24 + 1);
            lineStarts.push_back(0);
            const char* base = text.data();
            const char* end = base + text.size();
            for (const char* p = base; p < end;) {
                const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
                if (!nl) break;
                p = static_cast<const char*>(nl) + 1;
                lineStarts.push_back(static_cast<std::uint32_t>(p - base));
            }
        }
        return lineStarts;
    }
};

SourceManager::SourceManager() = default;
SourceManager::~SourceManager() = default;

BufferId SourceManager::addBuffer(std::string name, std::string text) {
    auto b = std::make_unique<Buffer>();
    b->name = std::move(name);
    b->owned = std::move(text);
    b->text = b->owned;
    buffers_.push_back(std::move(b));
    return static_cast<BufferId>(buffers_.size() - 1);
}

Expected<BufferId> SourceManager::addFile(const std::string& path) {
    PTXWB_TRY(MappedFile file, MappedFile::open(path));
    if (file.size() >= std::numeric_limits<std::uint32_t>::max())
        return makeError(
            ErrorKind::BadInput,
            fmt::format("file is {} bytes; PTX files over 4 GiB are not supported", file.size()),
            ErrorLocation::file(path));
    auto b = std::make_unique<Buffer>();
    b->name = path;
    b->mapped = std::move(file);
    b->text = b->mapped.text();
    buffers_.push_back(std::move(b));
    return static_cast<BufferId>(buffers_.size() - 1);
}

const SourceManager::Buffer& SourceManager::buffer(BufferId id) const {
    return *buffers_.at(id);
}

std::string_view SourceManager::text(BufferId id) const {
    return buffer(id).text;
}
const std::string& SourceManager::name(BufferId id) const {
    return buffer(id).name;
}

LineColumn SourceManager::lineColumn(BufferId id, std::uint32_t offset) const {
    const Buffer& b = buffer(id);
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(b.text.size()));
    const auto& starts = b.lines();
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    auto line = static_cast<std::uint32_t>(it - starts.begin());
    return {line, offset - starts[line - 1] + 1};
}

std::string_view SourceManager::lineText(BufferId id, std::uint32_t line) const {
    const Buffer& b = buffer(id);
    const auto& starts = b.lines();
    if (line == 0 || line > starts.size()) return {};
    std::size_t begin = starts[line - 1];
    std::size_t end = line < starts.size() ? starts[line] : b.text.size();
    std::string_view s = b.text.substr(begin, end - begin);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string SourceManager::formatLocation(BufferId id, std::uint32_t offset) const {
    LineColumn lc = lineColumn(id, offset);
    return fmt::format("{}:{}:{}", name(id), lc.line, lc.column);
}

} // namespace ptxwb::ptx
