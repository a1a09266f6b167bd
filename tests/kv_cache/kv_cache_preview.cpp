// ptxwb_kv_cache_preview HISTORY [RUN] [--select LAYER:k|v:HEAD[:POSITION]] [--screenshot PNG]:
// the KV-cache view on its own, for a look at a recorded `ptxwb qa --validate-kv-cache` run
// before the main window embeds it. RUN is a UUID, a unique prefix or "latest" (the default).
// With --screenshot it writes the window as a PNG and exits (works with
// QT_QPA_PLATFORM=offscreen). Launch clicks are printed.
#include "kv_cache_view.h"

#include <QApplication>
#include <QTextStream>
#include <QTimer>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    QString screenshot;
    if (const auto i = args.indexOf(QStringLiteral("--screenshot"));
        i >= 0 && i + 1 < args.size()) {
        screenshot = args[i + 1];
        args.remove(i, 2);
    }
    QStringList select;
    if (const auto i = args.indexOf(QStringLiteral("--select")); i >= 0 && i + 1 < args.size()) {
        select = args[i + 1].split(QLatin1Char(':'));
        args.remove(i, 2);
    }
    QTextStream err(stderr);
    if (args.isEmpty() || args.size() > 2 || (!select.isEmpty() && select.size() < 3)) {
        err << "usage: ptxwb_kv_cache_preview HISTORY [RUN] [--select LAYER:k|v:HEAD[:POSITION]] "
               "[--screenshot PNG]\n";
        return 2;
    }
    auto history = ptxwb::store::HistoryStore::open(args[0].toStdString(),
                                                    ptxwb::store::HistoryStore::OpenMode::ReadOnly);
    if (!history) {
        err << QString::fromStdString(history.error().format()) << '\n';
        return 3;
    }
    ptxwb::views::KvCacheView view;
    const bool opened =
        view.openRun(std::make_shared<ptxwb::store::HistoryStore>(std::move(*history)),
                     args.size() > 1 ? args[1] : QStringLiteral("latest"));
    if (!opened) err << view.errorText() << '\n';
    if (opened && !select.isEmpty()) {
        view.selectHead(select[0].toInt(), select[1], select[2].toInt());
        if (select.size() > 3) view.selectPosition(select[3].toInt());
    }
    QObject::connect(&view, &ptxwb::views::KvCacheView::showLaunch,
                     [](const QString& run, quint32 seq) {
                         QTextStream(stdout) << "show launch #" << seq << " of run " << run << '\n';
                     });
    view.resize(view.sizeHint());
    view.show();
    if (!screenshot.isEmpty()) {
        QTimer::singleShot(0, [&] { app.exit(view.grab().save(screenshot) && opened ? 0 : 1); });
    }
    return app.exec();
}
