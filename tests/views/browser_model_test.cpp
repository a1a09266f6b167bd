// The kernel set / model browser's item model under QAbstractItemModelTester: the built-in
// kernel set's ops → pairs → variants with zoo entries and position badges, a GGUF model's
// metadata and tensors (a small model written by core/gguf's writer), and located errors.

#include "gguf/gguf_writer.h"
#include "kernel_badges.h"
#include "qtest_main.h"
#include "workbench_browser.h"
#include "workbench_tree_model.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>

using namespace ptxwb::views;
using Kind = WorkbenchTreeModel::NodeKind;

namespace {

QString builtinManifest() {
    return QStringLiteral(PTXWB_RESOURCES "/kernels/kernelset.json");
}

QString writeTinyModel(const QTemporaryDir& dir) {
    ptxwb::gguf::GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setU32("llama.embedding_length", 64);
    w.setStringArray("tokenizer.ggml.tokens", {"<s>", "</s>", "a", "b"});
    std::vector<std::byte> norm(64 * 4);
    std::vector<std::byte> embed(4 * 64 * 2);
    if (!w.addTensor("output_norm.weight", ptxwb::gguf::GgmlType::F32, {64}, norm)) return {};
    if (!w.addTensor("token_embd.weight", ptxwb::gguf::GgmlType::F16, {64, 4}, embed)) return {};
    const QString path = dir.filePath(QStringLiteral("tiny.gguf"));
    return w.writeFile(path.toStdString()) ? path : QString();
}

QModelIndex path(const WorkbenchTreeModel& m, std::initializer_list<const char*> names) {
    QModelIndex i;
    for (const char* n : names) {
        i = m.findChild(i, QString::fromLatin1(n));
        if (!i.isValid()) return {};
    }
    return i;
}

} // namespace

class BrowserModelTest : public QObject {
    Q_OBJECT
private slots:
    void positionBadgesFollowRoles() {
        QCOMPARE(positionBadges({QStringLiteral("input"), QStringLiteral("position")}),
                 QStringList{QStringLiteral("direct")});
        QCOMPARE(positionBadges({QStringLiteral("position_buf")}),
                 QStringList{QStringLiteral("indirect")});
        QCOMPARE(positionBadges({QStringLiteral("positions"), QStringLiteral("dim:M")}),
                 QStringList{QStringLiteral("batched")});
        QCOMPARE(positionBadges({QStringLiteral("input"), QStringLiteral("output")}),
                 QStringList());
    }

    void builtinKernelSetAsOpsPairsVariants() {
        WorkbenchTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.addKernelSet(builtinManifest()), QString());
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex set = model.index(0, 0);
        QCOMPARE(set.data().toString(), QStringLiteral("builtin-llama"));
        QCOMPARE(model.kind(set), Kind::KernelSet);

        const QModelIndex pair = path(model, {"builtin-llama", "rmsnorm", "RmsNormKernel"});
        QVERIFY(pair.isValid());
        QCOMPARE(model.kind(pair), Kind::Pair);
        // The single kernel first, then its batched twins, zoo entries among them.
        const QModelIndex single = model.index(0, 0, pair);
        QCOMPARE(single.data().toString(), QStringLiteral("RmsNormKernel"));
        QCOMPARE(single.data(WorkbenchTreeModel::VariantRole).toString(), QStringLiteral("single"));
        const QModelIndex u64 = model.findChild(pair, QStringLiteral("ZooBatchedRmsNormSharedU64"));
        QVERIFY(u64.isValid());
        QVERIFY(u64.data(WorkbenchTreeModel::ZooRole).toBool());
        QCOMPARE(u64.siblingAtColumn(1).data().toString(),
                 QStringLiteral("batched bitwise [bug zoo]"));
        QVERIFY(u64.data(WorkbenchTreeModel::SourcePathRole)
                    .toString()
                    .endsWith(QStringLiteral("/rmsnorm_batched_u64.ptx")));
        QCOMPARE(u64.data(WorkbenchTreeModel::EntryRole).toString(),
                 QStringLiteral("zoo_batched_rmsnorm_u64_shared"));
        QVERIFY(u64.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Bug zoo: ")));
        const QModelIndex plain = model.findChild(pair, QStringLiteral("BatchedRmsNormKernel"));
        QVERIFY(!plain.data(WorkbenchTreeModel::ZooRole).toBool());

        // Every position path of the set shows up as a badge somewhere.
        QSet<QString> badges;
        std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& i) {
            for (const QVariant& b : i.data(WorkbenchTreeModel::BadgesRole).toList())
                badges.insert(b.toString());
            for (int r = 0; r < model.rowCount(i); ++r)
                walk(model.index(r, 0, i));
        };
        walk(set);
        QCOMPARE(badges, (QSet<QString>{QStringLiteral("direct"), QStringLiteral("indirect"),
                                        QStringLiteral("batched")}));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void modelMetadataAndTensors() {
        QTemporaryDir dir;
        const QString file = writeTinyModel(dir);
        QVERIFY(!file.isEmpty());
        WorkbenchTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.addModel(file), QString());
        const QModelIndex top = model.index(0, 0);
        QCOMPARE(top.data().toString(), QStringLiteral("tiny.gguf"));
        QVERIFY(top.siblingAtColumn(1).data().toString().startsWith(QStringLiteral("GGUF v3, ")));
        const QModelIndex meta = model.findChild(top, QStringLiteral("Metadata"));
        QCOMPARE(meta.siblingAtColumn(1).data().toString(), QStringLiteral("3 key(s)"));
        QCOMPARE(model.findChild(meta, QStringLiteral("llama.embedding_length"))
                     .siblingAtColumn(1)
                     .data()
                     .toString(),
                 QStringLiteral("64"));
        const QModelIndex tensors = model.findChild(top, QStringLiteral("Tensors"));
        QCOMPARE(model.rowCount(tensors), 2);
        const QModelIndex embd = model.findChild(tensors, QStringLiteral("token_embd.weight"));
        QCOMPARE(model.kind(embd), Kind::Tensor);
        QCOMPARE(embd.siblingAtColumn(1).data().toString(),
                 QStringLiteral("f16  [64, 4]  512 bytes"));
    }

    void badInputsGiveLocatedErrors() {
        QTemporaryDir dir;
        WorkbenchTreeModel model;
        QFile broken(dir.filePath(QStringLiteral("kernelset.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"kernels\": [ }");
        broken.close();
        const QString error = model.addKernelSet(broken.fileName());
        QVERIFY2(error.startsWith(broken.fileName() + QStringLiteral(": byte 15: ")),
                 qPrintable(error));
        QFile notGguf(dir.filePath(QStringLiteral("x.gguf")));
        QVERIFY(notGguf.open(QIODevice::WriteOnly));
        notGguf.write("GGML this is not");
        notGguf.close();
        QVERIFY(!model.addModel(notGguf.fileName()).isEmpty());
        QCOMPARE(model.rowCount(), 0);
    }

    void browserActivatesPairsAndSources() {
        WorkbenchBrowser browser;
        QCOMPARE(browser.addKernelSet(builtinManifest()), QString());
        WorkbenchTreeModel* model = browser.model();
        const QModelIndex pair = path(*model, {"builtin-llama", "rmsnorm", "RmsNormKernel"});
        const QModelIndex u64 =
            model->findChild(pair, QStringLiteral("ZooBatchedRmsNormSharedU64"));
        const KernelPairChoice choice = browser.pairFor(u64);
        QVERIFY(choice.singleSource.endsWith(QStringLiteral("/rmsnorm.cu")));
        QCOMPARE(choice.singleEntry, QStringLiteral("rmsnorm"));
        QCOMPARE(choice.batchedEntry, QStringLiteral("zoo_batched_rmsnorm_u64_shared"));
        QCOMPARE(choice.manifestPath, builtinManifest());
        QVERIFY(browser.pairFor(model->index(0, 0, pair)).batchedSource.isEmpty()); // a single

        QSignalSpy pairs(&browser, &WorkbenchBrowser::pairActivated);
        QSignalSpy sources(&browser, &WorkbenchBrowser::sourceActivated);
        emit browser.tree()->activated(u64);
        emit browser.tree()->activated(model->index(0, 0, pair));
        QCOMPARE(pairs.size(), 1);
        QCOMPARE(sources.size(), 1);
        QVERIFY(sources.at(0).at(0).toString().endsWith(QStringLiteral("/rmsnorm.cu")));
        QVERIFY(browser.firstSourcePath().endsWith(QStringLiteral(".cu")));
        QVERIFY(browser.firstSourcePath(QStringLiteral("ptx"))
                    .endsWith(QStringLiteral("/rmsnorm_batched_u64.ptx")));
    }
};

PTXWB_QTEST_CLASS(BrowserModelTest);
#include "browser_model_test.moc"
