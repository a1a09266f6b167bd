#pragma once
// The background tints of a status in every table (results, history, run comparison), so a
// failed row looks the same wherever it is shown.

#include <QColor>

namespace ptxwb::views::status_colours {

inline QColor passed() {
    return {0xc8, 0xe6, 0xc9};
}
inline QColor failed() {
    return {0xff, 0xcd, 0xd2};
}
inline QColor error() {
    return {0xff, 0xe0, 0xb2};
}
/// Skipped, or present in one run only.
inline QColor neutral() {
    return {0xe0, 0xe0, 0xe0};
}
/// Changed between two runs without passing or failing anew.
inline QColor changed() {
    return {0xff, 0xf9, 0xc4};
}

} // namespace ptxwb::views::status_colours
