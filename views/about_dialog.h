#pragma once
// Help → About: versions of ptxwb, Qt and the compiler, and the GPU environment as reported by
// the worker process (the GUI itself never loads the CUDA driver).

#include <QDialog>

class QLabel;

namespace ptxwb::views {

class GpuInfoSource;
struct GpuInfo;

/// The About dialog; asks `source` for GPU information when shown.
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    AboutDialog(GpuInfoSource* source, QWidget* parent = nullptr);
    /// The GPU section as currently shown (for tests).
    QString gpuText() const;
    /// ptxwb, Qt (built against / running), compiler, build type.
    static QString versionsHtml();

protected:
    void showEvent(QShowEvent* event) override;

private:
    GpuInfoSource* source_;
    QLabel* gpu_ = nullptr;
    bool requested_ = false;
};

} // namespace ptxwb::views
