#include "navigation_history.h"

namespace ptxwb::views {
namespace {
constexpr std::size_t kMaxEntries = 200;
}

void NavigationHistory::recordJump(TextPosition from, TextPosition to) {
    if (entries_.empty()) {
        entries_.push_back(from);
        index_ = 0;
    } else {
        entries_.resize(index_ + 1); // drop the forward part
        entries_[index_] = from;     // the place we leave is where Back returns to
    }
    entries_.push_back(to);
    index_ = entries_.size() - 1;
    if (entries_.size() > kMaxEntries) {
        entries_.erase(entries_.begin());
        --index_;
    }
}

std::optional<TextPosition> NavigationHistory::back(TextPosition current) {
    if (!canGoBack()) return std::nullopt;
    entries_[index_] = current;
    return entries_[--index_];
}

std::optional<TextPosition> NavigationHistory::forward(TextPosition current) {
    if (!canGoForward()) return std::nullopt;
    entries_[index_] = current;
    return entries_[++index_];
}

void NavigationHistory::clear() {
    entries_.clear();
    index_ = 0;
}

} // namespace ptxwb::views
