#pragma once
// The options of a run in a small form: the command, then only the fields that command reads
// (kernel set, pairs, batch sizes, kernel, model, injected faults, tokens), and the device the
// GPU jobs run on. The devices come from the worker's `gpu-info` job (never from this process).

#include "gpu_info_source.h"
#include "run_request.h"

#include <QWidget>
#include <vector>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLineEdit;
class QToolButton;

namespace ptxwb::views {

/// Form for RunOptions.
class RunForm : public QWidget {
    Q_OBJECT
public:
    explicit RunForm(QWidget* parent = nullptr);

    RunOptions options() const;
    void setOptions(const RunOptions& options);
    /// Fills the device picker; with no devices it offers device 0 and says why in its tooltip.
    void setDevices(const std::vector<GpuDeviceInfo>& devices, const QString& whyNone = {});
    QComboBox* commandBox() const { return command_; }
    QComboBox* deviceBox() const { return device_; }

signals:
    /// The Refresh button next to the device picker.
    void refreshDevicesRequested();

private:
    void showFieldsOf(RunCommand command);
    QWidget* withBrowse(QLineEdit* edit, bool directory, const QString& filter);

    QFormLayout* layout_ = nullptr;
    QComboBox* command_ = nullptr;
    QLineEdit* files_ = nullptr;
    QLineEdit* kernelSet_ = nullptr;
    QLineEdit* pairs_ = nullptr;
    QLineEdit* batchSizes_ = nullptr;
    QLineEdit* kernel_ = nullptr;
    QLineEdit* model_ = nullptr;
    QLineEdit* inject_ = nullptr;
    QLineEdit* tokens_ = nullptr;
    QCheckBox* staticOnly_ = nullptr;
    QComboBox* device_ = nullptr;
    QWidget* filesRow_ = nullptr;
    QWidget* kernelSetRow_ = nullptr;
    QWidget* modelRow_ = nullptr;
};

} // namespace ptxwb::views
