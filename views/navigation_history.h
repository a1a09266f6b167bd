#pragma once
// Back/forward over jump locations, like a browser: a new jump after going back drops the
// forward part. Only jumps are recorded (go to line, definition, finding, search hit), not
// every cursor movement, so Alt+Left returns to where the user was reading.

#include "text_line_buffer.h"

#include <optional>
#include <vector>

namespace ptxwb::views {

/// Jump history of one editor.
class NavigationHistory {
public:
    /// Records a jump from `from` to `to`.
    void recordJump(TextPosition from, TextPosition to);
    /// Where to go back to from `current` (which becomes the forward target), if anywhere.
    std::optional<TextPosition> back(TextPosition current);
    std::optional<TextPosition> forward(TextPosition current);
    bool canGoBack() const { return index_ > 0; }
    bool canGoForward() const { return index_ + 1 < entries_.size(); }
    void clear();

private:
    std::vector<TextPosition> entries_;
    std::size_t index_ = 0; ///< entries_[index_] is the current location once anything was recorded
};

} // namespace ptxwb::views
