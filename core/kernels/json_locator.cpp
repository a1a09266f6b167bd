#include "kernels/json_locator.h"

#include <cctype>

namespace ptxwb::kernels {

namespace {
std::string escapePointerToken(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}
} // namespace

JsonLocator::JsonLocator(std::string_view text, std::string path)
    : text_(text), path_(std::move(path)) {
    skipSpace();
    if (pos_ < text_.size()) scanValue("");
}

void JsonLocator::skipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
        ++pos_;
}

void JsonLocator::skipString() {
    (void)readString();
}

std::string JsonLocator::readString() {
    std::string out;
    ++pos_; // opening quote
    while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
            out += text_[pos_ + 1];
            pos_ += 2;
        } else {
            out += text_[pos_++];
        }
    }
    ++pos_; // closing quote
    return out;
}

void JsonLocator::scanValue(const std::string& pointer) {
    skipSpace();
    if (pos_ >= text_.size()) return;
    offsets_[pointer] = pos_;
    char c = text_[pos_];
    if (c == '{') {
        ++pos_;
        while (true) {
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] == '}') break;
            if (text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            std::string key = readString();
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == ':') ++pos_;
            scanValue(pointer + "/" + escapePointerToken(key));
        }
        ++pos_;
    } else if (c == '[') {
        ++pos_;
        std::size_t index = 0;
        while (true) {
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] == ']') break;
            if (text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            scanValue(pointer + "/" + std::to_string(index++));
        }
        ++pos_;
    } else if (c == '"') {
        skipString();
    } else {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
               text_[pos_] != ']' && !std::isspace(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
        // A stray '}' where a value belongs (`[}`: invalid JSON, which is exactly when the
        // locator is needed) must still be consumed, or the enclosing loop never ends.
        if (pos_ == start) ++pos_;
    }
}

ErrorLocation JsonLocator::atOffset(std::size_t offset) const {
    std::uint32_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text_.size(); ++i) {
        if (text_[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return ErrorLocation::text(path_, line, col);
}

ErrorLocation JsonLocator::locate(const std::string& pointer) const {
    std::string p = pointer;
    while (true) {
        auto it = offsets_.find(p);
        if (it != offsets_.end()) return atOffset(it->second);
        auto slash = p.rfind('/');
        if (slash == std::string::npos) return ErrorLocation::file(path_);
        p = p.substr(0, slash);
    }
}

ErrorLocation JsonLocator::locateInString(const std::string& pointer,
                                          std::size_t columnOffset) const {
    auto it = offsets_.find(pointer);
    if (it == offsets_.end()) return locate(pointer);
    return atOffset(it->second + 1 + columnOffset);
}

} // namespace ptxwb::kernels
