#pragma once
// Side by side: two functions (a single kernel and its batched twin, or one kernel from two
// files) in two read-only PTX panes, aligned row by row by the normalised diff
// (function_alignment.h). Filler rows stand where one side has no line, changed / only-left /
// only-right rows are shaded, both panes scroll together, a strip shows every difference, and
// each side's findings sit on their own lines.

#include "editor_finding.h"
#ifndef Q_MOC_RUN // moc cannot read the PTX front end's X-macro tables; it needs no ptx type
#include "function_alignment.h"
#endif

#include <QString>
#include <QWidget>
#include <vector>

class QLabel;

namespace ptxwb::views {

class DiffOverviewStrip;
class PtxTextView;

/// One side of the comparison: a text and the function in it.
struct CompareSide {
    QString path;     ///< file path (names findings) or a display name
    QByteArray text;  ///< the whole file, UTF-8
    QString function; ///< entry or .func name
};

/// Two aligned PTX panes.
class SideBySideView : public QWidget {
    Q_OBJECT
public:
    enum Side { Left = 0, Right = 1 };
    explicit SideBySideView(QWidget* parent = nullptr);

    /// Aligns and shows the two functions; returns an error message (empty on success).
    QString setSides(CompareSide left, CompareSide right);
    /// Findings of one side's whole file; those inside the shown function appear in its pane.
    void setFindings(Side side, const std::vector<EditorFinding>& findings);

    const CompareSide& side(Side s) const { return sides_[s]; }
    const FunctionAlignment& alignment() const { return alignment_; }
    PtxTextView* pane(Side s) const { return panes_[s]; }
    DiffOverviewStrip* overview() const { return overview_; }
    /// The pane row showing 0-based `fileLine` of a side, or -1 when it is not shown.
    int rowForLine(Side s, int fileLine) const;
    /// The 0-based file line a pane row shows, or -1 for a filler row.
    int lineForRow(Side s, int row) const;
    /// "3 changed · 1 only left · 2 only right · 40 same".
    QString summary() const;
    /// A title for the tab ("rmsnorm ↔ batched_rmsnorm").
    QString title() const;

    /// Re-applies the theme colours (after a palette change).
    void refreshColors();

protected:
    void changeEvent(QEvent* event) override;

private:
    void syncScroll(Side from);
    void updateOverviewFrame();

    CompareSide sides_[2];
    FunctionAlignment alignment_;
    std::vector<int> firstRowOfLine_[2]; ///< indexed by file line - first line of the function
    PtxTextView* panes_[2] = {nullptr, nullptr};
    QLabel* headers_[2] = {nullptr, nullptr};
    QLabel* summary_ = nullptr;
    DiffOverviewStrip* overview_ = nullptr;
    bool syncing_ = false;
};

} // namespace ptxwb::views
