#include "text_line_buffer.h"

#include <QStringList>
#include <algorithm>
#include <cstring>

namespace ptxwb::views {

TextLineBuffer::TextLineBuffer() {
    lines_.push_back(LineRef{});
}

TextLineBuffer::TextLineBuffer(QByteArray utf8) : original_(std::move(utf8)) {
    const char* data = original_.constData();
    const qint64 size = original_.size();
    lines_.reserve(std::size_t(size / 32 + 1));
    qint64 start = 0;
    while (true) {
        const void* nl = std::memchr(data + start, '\n', std::size_t(size - start));
        const qint64 end = nl ? static_cast<const char*>(nl) - data : size;
        qint64 length = end - start;
        if (length > 0 && data[end - 1] == '\r') --length;
        lines_.push_back(LineRef{start, qint32(length), -1});
        maxLineBytes_ = std::max(maxLineBytes_, int(length));
        if (!nl) break;
        start = end + 1;
    }
    mayContainBlockComments_ = original_.contains("/*");
}

QString TextLineBuffer::line(int index) const {
    const LineRef& ref = lines_[std::size_t(index)];
    if (ref.edited >= 0) return editedLines_[std::size_t(ref.edited)];
    return QString::fromUtf8(original_.constData() + ref.offset, ref.length);
}

QByteArray TextLineBuffer::lineUtf8(int index) const {
    const LineRef& ref = lines_[std::size_t(index)];
    if (ref.edited >= 0) return editedLines_[std::size_t(ref.edited)].toUtf8();
    return QByteArray::fromRawData(original_.constData() + ref.offset, ref.length);
}

int TextLineBuffer::lineByteLength(int index) const {
    const LineRef& ref = lines_[std::size_t(index)];
    return ref.edited >= 0 ? int(editedLines_[std::size_t(ref.edited)].size()) : ref.length;
}

QString TextLineBuffer::text(TextPosition from, TextPosition to) const {
    from = clamp(from);
    to = clamp(to);
    if (to < from) std::swap(from, to);
    if (from.line == to.line) return line(from.line).mid(from.column, to.column - from.column);
    QString out = line(from.line).mid(from.column);
    for (int l = from.line + 1; l < to.line; ++l)
        out += u'\n' + line(l);
    out += u'\n' + line(to.line).left(to.column);
    return out;
}

QString TextLineBuffer::toPlainText() const {
    return QString::fromUtf8(toUtf8());
}

QByteArray TextLineBuffer::toUtf8() const {
    QByteArray out;
    out.reserve(original_.size() + 1024);
    for (int l = 0; l < lineCount(); ++l) {
        if (l > 0) out += '\n';
        out += lineUtf8(l);
    }
    return out;
}

TextLineBuffer::LineRef TextLineBuffer::makeEdited(QString text) {
    maxLineBytes_ = std::max(maxLineBytes_, int(text.size()));
    editedLines_.push_back(std::move(text));
    return LineRef{0, 0, qint32(editedLines_.size() - 1)};
}

LineEdit TextLineBuffer::replace(TextPosition from, TextPosition to, QStringView text) {
    from = clamp(from);
    to = clamp(to);
    if (to < from) std::swap(from, to);
    const QString head = line(from.line).left(from.column);
    const QString tail = line(to.line).mid(to.column);
    const QList<QStringView> parts = text.split(u'\n');

    std::vector<LineRef> replacement;
    replacement.reserve(std::size_t(parts.size()));
    TextPosition end;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        QString content = parts[i].toString();
        if (i == 0) content.prepend(head);
        if (i == parts.size() - 1) {
            end = TextPosition{from.line + int(i), int(content.size())};
            content.append(tail);
        }
        replacement.push_back(makeEdited(std::move(content)));
    }
    const int removed = to.line - from.line + 1;
    const auto first = lines_.begin() + from.line;
    // Same line count (typing inside a line): overwrite in place, no shifting of the index.
    const auto common = std::min<std::size_t>(std::size_t(removed), replacement.size());
    std::copy_n(replacement.begin(), common, first);
    if (replacement.size() > std::size_t(removed))
        lines_.insert(first + removed, replacement.begin() + removed, replacement.end());
    else if (replacement.size() < std::size_t(removed))
        lines_.erase(first + std::ptrdiff_t(common), first + removed);
    if (text.contains(u"/*")) mayContainBlockComments_ = true;
    ++revision_;
    return LineEdit{from.line, removed, int(replacement.size()), end};
}

TextPosition TextLineBuffer::clamp(TextPosition p) const {
    p.line = std::clamp(p.line, 0, lineCount() - 1);
    const int length = p.column <= 0 ? 0 : int(line(p.line).size());
    p.column = std::clamp(p.column, 0, length);
    return p;
}

TextPosition TextLineBuffer::endPosition() const {
    return clamp(TextPosition{lineCount() - 1, 1 << 30});
}

} // namespace ptxwb::views
