#include "outline_view.h"

#include <QHeaderView>

namespace ptxwb::views {
using namespace Qt::StringLiterals;

OutlineView::OutlineView(QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(3);
    setHeaderLabels({tr("Function"), tr("Kind"), tr("Lines")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    setFrameShape(QFrame::NoFrame);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        emit functionActivated(item->data(0, Qt::UserRole).toInt());
    });
    connect(this, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        emit functionActivated(item->data(0, Qt::UserRole).toInt());
    });
}

void OutlineView::setOutline(const PtxOutline& outline) {
    clear();
    QList<QTreeWidgetItem*> items;
    for (std::size_t i = 0; i < outline.functions.size(); ++i) {
        const auto& f = outline.functions[i];
        auto* item = new QTreeWidgetItem;
        item->setText(0, f.name);
        if (f.isEntry) { // kernels are what the user came for
            QFont bold = item->font(0);
            bold.setBold(true);
            item->setFont(0, bold);
        }
        item->setToolTip(0, (f.isEntry ? tr(".entry (kernel) %1") : tr(".func %1")).arg(f.name));
        item->setText(1, f.isEntry ? tr("kernel") : tr("func"));
        item->setText(2, QString::number(f.closeLine - f.headerLine + 1));
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        item->setData(0, Qt::UserRole, int(i));
        items << item;
    }
    addTopLevelItems(items);
}

} // namespace ptxwb::views
