#include "workbench_browser.h"

#include <QContextMenuEvent>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMenu>
#include <map>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

WorkbenchBrowser::WorkbenchBrowser(QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(2);
    setHeaderLabels({tr("Name"), tr("Details")});
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(false);
    setUniformRowHeights(true);
    setFrameShape(QFrame::NoFrame);
    placeholder_ = new QTreeWidgetItem(this);
    placeholder_->setText(
        0, tr("Open a kernelset.json or a .gguf model (File → Open, or drop it here)"));
    placeholder_->setFlags(Qt::NoItemFlags);
    placeholder_->setFirstColumnSpanned(true);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const QString path = item->data(0, SourcePathRole).toString();
        if (!path.isEmpty()) emit sourceActivated(path);
    });
}

QString WorkbenchBrowser::addKernelSet(const QString& manifestPath) {
    QFile file(manifestPath);
    if (!file.open(QIODevice::ReadOnly))
        return tr("%1: cannot open: %2").arg(manifestPath, file.errorString());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (doc.isNull())
        return tr("%1: byte %2: %3").arg(manifestPath).arg(error.offset).arg(error.errorString());
    const QJsonObject root = doc.object();
    removePlaceholder();
    const QDir dir = QFileInfo(manifestPath).dir();
    auto* set = new QTreeWidgetItem(this);
    set->setText(0, root[u"name"].toString(QFileInfo(manifestPath).dir().dirName()));
    set->setText(1, tr("kernel set"));
    set->setToolTip(0, manifestPath);
    QFont bold = set->font(0);
    bold.setBold(true);
    set->setFont(0, bold);

    // ops → pairs (single kernel + the batched kernels that pair with it) → variants.
    std::map<QString, QTreeWidgetItem*> ops;
    std::map<QString, QTreeWidgetItem*> pairs;
    const QJsonArray kernels = root[u"kernels"].toArray();
    for (const QJsonValue& value : kernels) {
        const QJsonObject k = value.toObject();
        const QString op = k[u"op"].toString(u"?"_s);
        QTreeWidgetItem*& opItem = ops[op];
        if (!opItem) {
            opItem = new QTreeWidgetItem(set);
            opItem->setText(0, op);
            opItem->setText(1, tr("op"));
        }
        const QString name = k[u"name"].toString();
        const QString pairKey = k[u"pairs_with"].toString(name);
        QTreeWidgetItem*& pair = pairs[pairKey];
        if (!pair) {
            pair = new QTreeWidgetItem(opItem);
            pair->setText(0, pairKey);
            pair->setText(1, tr("pair"));
        }
        auto* variant = new QTreeWidgetItem(pair);
        const QString kind = k[u"variant"].toString(u"single"_s);
        variant->setText(0, name);
        QString details = kind;
        if (!k[u"contract"].toString().isEmpty()) details += u" · "_s + k[u"contract"].toString();
        if (!k[u"zoo"].toString().isEmpty() || k[u"zoo"].toBool())
            details += u" · "_s + tr("bug zoo");
        variant->setText(1, details);
        const QString source = k[u"source"].toString();
        if (!source.isEmpty()) {
            variant->setData(0, SourcePathRole, dir.filePath(source));
            variant->setToolTip(0, dir.filePath(source));
        }
    }
    set->setExpanded(true);
    for (auto& [name, item] : ops)
        item->setExpanded(true);
    return {};
}

QString WorkbenchBrowser::firstSourcePath() const {
    for (int i = topLevelItemCount() - 1; i >= 0; --i) {
        // set → op → pair → variant
        QTreeWidgetItem* set = topLevelItem(i);
        if (set->childCount() > 0 && set->child(0)->childCount() > 0 &&
            set->child(0)->child(0)->childCount() > 0)
            return set->child(0)->child(0)->child(0)->data(0, SourcePathRole).toString();
    }
    return {};
}

void WorkbenchBrowser::removePlaceholder() {
    delete placeholder_;
    placeholder_ = nullptr;
}

void WorkbenchBrowser::addModel(const QString& path) {
    removePlaceholder();
    auto* model = new QTreeWidgetItem(this);
    model->setText(0, QFileInfo(path).fileName());
    model->setText(
        1, tr("model, %1").arg(QLocale::system().formattedDataSize(QFileInfo(path).size())));
    model->setToolTip(0, path);
    QFont bold = model->font(0);
    bold.setBold(true);
    model->setFont(0, bold);
}

void WorkbenchBrowser::contextMenuEvent(QContextMenuEvent* event) {
    QTreeWidgetItem* item = itemAt(viewport()->mapFrom(this, event->pos()));
    if (!item) return;
    const QString path = item->data(0, SourcePathRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Open Source"), this, [this, path] { emit sourceActivated(path); })
        ->setEnabled(!path.isEmpty());
    menu.exec(event->globalPos());
}

} // namespace ptxwb::views
