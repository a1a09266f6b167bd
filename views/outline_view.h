#pragma once
// The Outline dock: functions of the current editor (kernels first-class), click to jump.

#include "ptx_outline.h"

#include <QTreeWidget>

namespace ptxwb::views {

/// List of .entry/.func of one PTX text.
class OutlineView : public QTreeWidget {
    Q_OBJECT
public:
    explicit OutlineView(QWidget* parent = nullptr);
    void setOutline(const PtxOutline& outline);

signals:
    /// Index into PtxOutline::functions.
    void functionActivated(int index);
};

} // namespace ptxwb::views
