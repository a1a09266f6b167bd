#pragma once
// One editor tab: a PtxTextView over one file, with its find bar. Knows its file path and
// whether the file may be edited.

#include "find_bar.h"
#include "ptx_text_view.h"

#include <QString>
#include <QWidget>

namespace ptxwb::views {

/// A PTX/CUDA source tab.
class PtxEditor : public QWidget {
    Q_OBJECT
public:
    explicit PtxEditor(QWidget* parent = nullptr);

    /// Reads `path`; returns an error message (empty on success).
    QString loadFile(const QString& path);
    /// Shows text that has no file (tests, generated PTX).
    void setText(const QString& displayName, const QByteArray& utf8);
    /// Writes the text back atomically; returns an error message (empty on success).
    QString save();

    QString filePath() const { return filePath_; }
    QString displayName() const;
    PtxTextView* view() const { return view_; }
    FindBar* findBar() const { return findBar_; }

public slots:
    void showFind();
    void findNext();
    void findPrevious();
    /// Asks for a line number (Ctrl+G).
    void askGoToLine();

private:
    void runQuery(const FindQuery& query);
    void updateResultText();

    PtxTextView* view_ = nullptr;
    FindBar* findBar_ = nullptr;
    QString filePath_;
    QString displayName_;
};

} // namespace ptxwb::views
