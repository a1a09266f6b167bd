#pragma once
// The KV-cache view of a `ptxwb qa --validate-kv-cache` run: pick a layer, a KV head and K or
// V; the heatmap shows positions (rows) x head dimension (columns) of serial vs batched
// prefill, with never-written and written-twice positions marked in the row header. Clicking a
// position (in the header or the heatmap) lists the launches of the batched prefill that wrote
// it, with kernel, geometry and the position they read; clicking a launch asks for it in the
// trace view (showLaunch). The main window embeds it; it needs nothing but the history.

#include "kv_cache_model.h"

#include <QWidget>
#include <memory>
#include <optional>

class QButtonGroup;
class QComboBox;
class QLabel;
class QListWidget;
class QToolButton;

namespace ptxwb::views {

class HeatmapLegend;
class HeatmapView;
class KvCacheRowMargin;
class KvCacheRowOverlay;

class KvCacheView : public QWidget {
    Q_OBJECT
public:
    explicit KvCacheView(QWidget* parent = nullptr);
    ~KvCacheView() override;

    /// Shows run `runUuid` (full UUID, unique prefix or "latest") of `history`. On failure the
    /// view shows the error in place of the heatmap and returns false; errorText() has it.
    bool openRun(std::shared_ptr<store::HistoryStore> history, const QString& runUuid);
    [[nodiscard]] QString runUuid() const;
    [[nodiscard]] QString errorText() const { return error_; }
    [[nodiscard]] const KvCacheModel* model() const { return model_ ? &*model_ : nullptr; }

    /// Selects (layer, "k"/"v", head) as the combos and toggle would.
    void selectHead(int layer, const QString& tensor, int head);
    /// The head shown, or nullptr.
    [[nodiscard]] const KvHeadEntry* currentHead() const { return current_; }
    /// Selects a position (row) of the current head: fills the writer panel.
    void selectPosition(int position);
    [[nodiscard]] int selectedPosition() const { return position_; }

    [[nodiscard]] QComboBox* layerCombo() const { return layerCombo_; }
    [[nodiscard]] QComboBox* headCombo() const { return headCombo_; }
    [[nodiscard]] QToolButton* kButton() const { return kButton_; }
    [[nodiscard]] QToolButton* vButton() const { return vButton_; }
    [[nodiscard]] HeatmapView* heatmap() const { return heatmap_; }
    [[nodiscard]] KvCacheRowMargin* rowMargin() const { return margin_; }
    [[nodiscard]] HeatmapLegend* legend() const { return legend_; }
    [[nodiscard]] QLabel* headSummary() const { return headSummary_; }
    [[nodiscard]] QLabel* positionDetails() const { return positionDetails_; }
    /// One item per writer launch (Qt::UserRole: its seq).
    [[nodiscard]] QListWidget* writerList() const { return writers_; }

    [[nodiscard]] QSize sizeHint() const override { return {1200, 720}; }

signals:
    /// The user asked to see launch `seq` of run `runUuid` in the trace view.
    void showLaunch(QString runUuid, quint32 seq);
    void positionSelected(int position);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    /// Up/Down move the selected position (keys the heatmap and row header leave unhandled).
    void keyPressEvent(QKeyEvent* event) override;

private:
    void buildUi();
    void fillCombos();
    void showCurrentHead();
    void showError(const QString& text);
    [[nodiscard]] QString currentTensor() const;
    [[nodiscard]] int suggestedPosition() const;
    [[nodiscard]] int problemsWidth() const;

    std::shared_ptr<store::HistoryStore> history_;
    std::optional<KvCacheModel> model_;
    const KvHeadEntry* current_ = nullptr;
    int position_ = -1;
    QString error_;
    QPointF pressPos_;
    bool filling_ = false;

    QLabel* title_ = nullptr;
    QLabel* problems_ = nullptr;
    QComboBox* layerCombo_ = nullptr;
    QComboBox* headCombo_ = nullptr;
    QToolButton* kButton_ = nullptr;
    QToolButton* vButton_ = nullptr;
    QButtonGroup* tensorGroup_ = nullptr;
    HeatmapView* heatmap_ = nullptr;
    QLabel* axisCaption_ = nullptr;
    KvCacheRowMargin* margin_ = nullptr;
    KvCacheRowOverlay* overlay_ = nullptr;
    HeatmapLegend* legend_ = nullptr;
    QLabel* headSummary_ = nullptr;
    QLabel* positionTitle_ = nullptr;
    QLabel* positionDetails_ = nullptr;
    QListWidget* writers_ = nullptr;
};

} // namespace ptxwb::views
