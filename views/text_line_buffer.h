#pragma once
// The text behind the PTX editor: the file's bytes, kept as loaded, plus an index of lines.
// Opening a 40 MB file costs one pass of memchr; a line is decoded only when it is painted,
// searched or edited. Edited lines live beside the original bytes, so typing never copies the
// file. (A QTextDocument spends ~3 µs per line building blocks: over a second for 14 MB.)

#include <QByteArray>
#include <QString>
#include <compare>
#include <cstdint>
#include <vector>

namespace ptxwb::views {

/// A place in the text: 0-based line and UTF-16 column within that line.
struct TextPosition {
    int line = 0;
    int column = 0;
    auto operator<=>(const TextPosition&) const = default;
};

/// What one replace() did to the line structure, so views can move their markers.
struct LineEdit {
    int firstLine = 0;     ///< first line touched
    int removedLines = 0;  ///< lines [firstLine, firstLine + removedLines) were replaced ...
    int insertedLines = 0; ///< ... by this many lines
    TextPosition end;      ///< end of the inserted text
};

/// Line-indexed, editable text over an immutable UTF-8 buffer.
class TextLineBuffer {
public:
    TextLineBuffer();
    /// Takes the file contents; "\n" and "\r\n" both end a line.
    explicit TextLineBuffer(QByteArray utf8);

    int lineCount() const { return int(lines_.size()); }
    /// The line's text without its line break.
    QString line(int index) const;
    /// UTF-8 bytes of the line; for unedited lines a view into the file (no copy).
    QByteArray lineUtf8(int index) const;
    /// Bytes of the line as stored; equals the column count for ASCII text.
    int lineByteLength(int index) const;
    /// Longest line in bytes, for the horizontal scroll range.
    int maxLineByteLength() const { return maxLineBytes_; }

    /// Text between two positions, lines joined with "\n".
    QString text(TextPosition from, TextPosition to) const;
    QString toPlainText() const;
    QByteArray toUtf8() const;

    /// Replaces [from, to) by `text` (which may contain "\n").
    LineEdit replace(TextPosition from, TextPosition to, QStringView text);

    /// Keeps a position inside the text.
    TextPosition clamp(TextPosition p) const;
    TextPosition endPosition() const;

    /// Increases with every edit; lets caches know they are stale.
    std::uint64_t revision() const { return revision_; }
    /// False when no "/*" occurs anywhere: then no line starts inside a block comment.
    bool mayContainBlockComments() const { return mayContainBlockComments_; }

private:
    struct LineRef {
        qint64 offset = 0;  ///< into original_ (edited < 0) ...
        qint32 length = 0;  ///< ... bytes, without the line break
        qint32 edited = -1; ///< index into editedLines_ when the line was changed
    };
    LineRef makeEdited(QString text);

    QByteArray original_;
    std::vector<LineRef> lines_;
    std::vector<QString> editedLines_;
    int maxLineBytes_ = 0;
    std::uint64_t revision_ = 0;
    bool mayContainBlockComments_ = false;
};

} // namespace ptxwb::views
