#pragma once
// Two runs of the history compared (store::compareRuns, as `ptxwb history compare`): the checks
// that changed, the environment fields that differ, the kernels whose PTX differs, and for a
// changed kernel the two stored PTX texts side by side (SideBySideView).

#include "store/history_store.h"
#include "store/run_compare.h"

#include <QWidget>
#include <memory>

class QCheckBox;
class QLabel;
class QStackedWidget;
class QTableView;
class QTabWidget;
class QTreeWidget;

namespace ptxwb::views {

class RunCompareModel;
class SideBySideView;

class RunCompareView : public QWidget {
    Q_OBJECT
public:
    explicit RunCompareView(QWidget* parent = nullptr);

    /// Loads runs A (baseline) and B (without maps) and shows how B differs from A.
    Status showComparison(std::shared_ptr<store::HistoryStore> history, const std::string& uuidA,
                          const std::string& uuidB);
    [[nodiscard]] const store::RunComparison& comparison() const { return comparison_; }
    /// "0b879d4b ↔ c05c9f7f": the tab's title.
    [[nodiscard]] QString title() const;

    /// Shows kernel `kernel`'s PTX of both runs side by side (its entry function). Returns why
    /// it cannot (absent from a run, PTX not recorded, not parseable), or empty.
    QString showKernelDiff(const QString& kernel);
    /// What the PTX area says when it shows no diff (empty while a diff is shown).
    [[nodiscard]] QString ptxMessage() const;

    [[nodiscard]] RunCompareModel* checksModel() const { return model_; }
    [[nodiscard]] QTableView* checksTable() const { return checks_; }
    [[nodiscard]] QTreeWidget* environmentTree() const { return environment_; }
    [[nodiscard]] QTreeWidget* kernelTree() const { return kernels_; }
    [[nodiscard]] SideBySideView* ptxDiff() const { return ptxDiff_; }
    [[nodiscard]] QCheckBox* showUnchangedBox() const { return showSame_; }

private:
    void checkSelected();
    void showPtxMessage(const QString& text);

    std::shared_ptr<store::HistoryStore> history_;
    std::vector<store::KernelSource> kernelsA_, kernelsB_;
    store::RunComparison comparison_;
    QLabel* header_ = nullptr;
    RunCompareModel* model_ = nullptr;
    QTableView* checks_ = nullptr;
    QCheckBox* showSame_ = nullptr;
    QTabWidget* facts_ = nullptr;
    QTreeWidget* environment_ = nullptr;
    QTreeWidget* kernels_ = nullptr;
    QStackedWidget* ptxArea_ = nullptr;
    QLabel* ptxMessage_ = nullptr;
    SideBySideView* ptxDiff_ = nullptr;
};

} // namespace ptxwb::views
