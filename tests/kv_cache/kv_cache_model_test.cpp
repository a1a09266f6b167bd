// The KV-cache view's model and sentences, without widgets: head entries read from the
// recorded evidence, writer lookup through the trace, row marks, launch descriptions and the
// error for malformed evidence.

// clang-format off
// First: core headers use names (emit) that Qt defines as macros.
#include "kv_cache_fixture.h"
// clang-format on

#include "kv_cache_model.h"
#include "kv_cache_text.h"
#include "qtest_main.h"

#include <QTemporaryDir>

using namespace ptxwb;
using namespace ptxwb::views;
using namespace ptxwb::testing;
using json = nlohmann::json;

class KvCacheModelTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;

private slots:
    void staleRunIndexesEveryHeadAndItsWriters() {
        auto fixture =
            writeKvFixtureHistory(dir_.filePath(QStringLiteral("a.sqlite")).toStdString());
        auto history = store::HistoryStore::open(fixture.path);
        QVERIFY(history);
        auto model = KvCacheModel::load(*history, fixture.staleUuid.substr(0, 8));
        QVERIFY2(model, model ? "" : model.error().format().c_str());
        QCOMPARE(model->runUuid(), fixture.staleUuid);
        QCOMPARE(model->entries().size(), std::size_t(8));
        QCOMPARE(model->layers(), (std::vector<int>{0, 1}));
        QCOMPARE(model->heads(), (std::vector<int>{0, 1}));
        QCOMPARE(model->problems().front(),
                 std::string("layer 0-1, all KV heads: positions 1..5 never written, K/V differ "
                             "from serial prefill at position 0, position 0 written 6 times by "
                             "kv_scatter_indirect (launches #9, #10, #11, #12, and 8 more, "
                             "position_buf = 0)"));
        const KvHeadEntry* e = model->find(0, "v", 1);
        QVERIFY(e);
        QCOMPARE(e->neverWritten, (std::vector<int>{1, 2, 3, 4, 5}));
        QCOMPARE(e->writtenTwice, (std::vector<int>{0}));
        QCOMPARE(KvCacheModel::rowMarks(*e, 0), unsigned(kRowWrittenTwice | kRowMismatched));
        QCOMPARE(KvCacheModel::rowMarks(*e, 4), unsigned(kRowNeverWritten));
        const auto writers = model->writersOf(*e, 0);
        QCOMPARE(writers.size(), std::size_t(6));
        QCOMPARE(writers.front()->seq, 15u); // layer 0's V scatters follow its 6 K scatters
        QCOMPARE(describeLaunchPosition(*writers.front()), std::string("position_buf = 0"));
        QVERIFY(model->writersOf(*e, 3).empty());
        auto map = model->loadMap(*history, *e);
        QVERIFY(map);
        QCOMPARE(map->rows(), 6u);
        QCOMPARE(map->category(5, 63), store::ElementCategory::Unwritten);
        QVERIFY(!model->find(2, "k", 0));
    }

    void writerMissingFromTheTraceIsNamedBySeq() {
        QCOMPARE(kvWriterText(77, nullptr), QStringLiteral("#77  (not in the recorded trace)"));
        store::TraceLaunch direct;
        direct.op = "kv_scatter_k";
        direct.kernel = "kv_scatter";
        direct.entry = "kv_scatter";
        direct.grid = {1, 2, 1};
        direct.block = {128, 1, 1};
        direct.positionPath = "direct";
        direct.positionValue = 7;
        QCOMPARE(kvWriterText(3, &direct),
                 QStringLiteral("#3  kv_scatter_k · kv_scatter\ngrid (1, 2, 1) · block (128, 1, 1) "
                                "· position = 7"));
        QCOMPARE(kvPositionRuns({0, 2, 3, 4, 9}), QStringLiteral("0, 2..4, 9"));
    }

    void oneLaunchWritingTwiceIsCountedByWrites() {
        // A batched scatter whose positions[] held 3 twice: one launch, two writes, and the row
        // it should have written left alone.
        KvHeadEntry e;
        e.layer = 1;
        e.tensor = "k";
        e.head = 2;
        e.status = store::CheckStatus::Failed;
        e.tokens = 12;
        e.positions = 12;
        e.headDim = 32;
        e.neverWritten = {4};
        e.writtenTwice = {3};
        e.writeCounts = {{3, 2}};
        for (int p = 0; p < 12; ++p)
            if (p != 4) e.writers[p] = {47};
        e.counts[store::ElementCategory::Identical] = 320;
        e.counts[store::ElementCategory::Mismatch] = 32;
        e.counts[store::ElementCategory::Unwritten] = 32;
        QCOMPARE(kvHeadSummary(e),
                 QStringLiteral("Layer 1 K, KV head 2: failed. Position 4 never written; "
                                "position 3 written 2 times by 1 launch; 32 of 384 elements "
                                "differ from serial prefill."));
        QCOMPARE(kvPositionDetails(e, 3, nullptr),
                 QStringLiteral("Written 2 times by 1 launch; a prefill writes each position "
                                "once."));
        QCOMPARE(kvPositionDetails(e, 4, nullptr),
                 QStringLiteral("Never written: it still holds the poison.\nThis layer's "
                                "scatters wrote positions 0..3, 5..11, none of them this one."));
    }

    void malformedEvidenceIsAnErrorNamingTheCheck() {
        const std::string path = dir_.filePath(QStringLiteral("bad.sqlite")).toStdString();
        auto history = store::HistoryStore::open(path);
        QVERIFY(history);
        store::Run run;
        run.uuid = store::newRunUuid();
        run.command = "qa";
        store::Check check;
        check.kind = store::CheckKind::Kv;
        check.name = "kv-cache layer 0 k head 0";
        check.evidence = {{"layer", 0},
                          {"tensor", "k"},
                          {"head", 0},
                          {"tokens", 2},
                          {"positions", 2},
                          {"head_dim", 4},
                          {"never_written", json::array()},
                          {"written_twice", json::array()},
                          {"writers", {{"first", {1}}}}};
        run.checks.push_back(check);
        QVERIFY(history->insertRun(run));
        auto model = KvCacheModel::load(*history, run.uuid);
        QVERIFY(!model);
        QCOMPARE(QString::fromStdString(model.error().format()),
                 QString::fromStdString(path) +
                     QStringLiteral(": check \"kv-cache layer 0 k head 0\": evidence: writers: "
                                    "\"first\" is not a position"));
        run.uuid = store::newRunUuid();
        run.checks[0].evidence["writers"] = json::object();
        run.checks[0].evidence["head"] = "zero";
        QVERIFY(history->insertRun(run));
        model = KvCacheModel::load(*history, run.uuid);
        QVERIFY(!model);
        QVERIFY(model.error().message.find("evidence: type must be number, but is string") !=
                std::string::npos);
    }
};

PTXWB_QTEST_CLASS(KvCacheModelTest);
#include "kv_cache_model_test.moc"
