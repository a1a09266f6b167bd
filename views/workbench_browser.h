#pragma once
// The "Kernel Set & Model" dock: the opened kernel set's ops → pairs → variants, and the
// opened model file. Activating a variant opens its source.

#include <QTreeWidget>

namespace ptxwb::views {

/// Tree of kernel sets and models.
class WorkbenchBrowser : public QTreeWidget {
    Q_OBJECT
public:
    enum Role { SourcePathRole = Qt::UserRole + 1 };
    explicit WorkbenchBrowser(QWidget* parent = nullptr);

    /// Reads a kernelset.json manifest; returns an error message (empty on success).
    QString addKernelSet(const QString& manifestPath);
    /// Source of the first kernel of the most recently added kernel set, or empty.
    QString firstSourcePath() const;
    /// Adds a model file (.gguf).
    void addModel(const QString& path);

signals:
    /// A kernel source (.ptx/.cu) was activated.
    void sourceActivated(const QString& path);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void removePlaceholder();
    QTreeWidgetItem* placeholder_ = nullptr; ///< the hint shown while nothing is open
};

} // namespace ptxwb::views
