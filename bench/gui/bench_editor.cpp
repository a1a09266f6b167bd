// Benchmarks of the PTX editor on large files (issue 9's performance targets):
// - open a 14 MB / 40 MB PTX file and paint the first frame (target < 1 s for 14 MB),
// - one frame of scrolling by a page / jumping far, and one frame of typing, on 40 MB
//   (target < 16 ms), with findings present,
// - the whole-file passes that run once (outline scan) or on request (find all).
// The text is the RMSNorm pair fixture repeated with renamed kernels, so line lengths and
// token mix are those of nvcc output.

#include "ptx_editor.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QScrollBar>
#include <QTemporaryDir>
#include <benchmark/benchmark.h>
#include <memory>

using namespace ptxwb::views;

namespace {

QTemporaryDir& tempDir() {
    static QTemporaryDir dir;
    return dir;
}

// Writes (once) a PTX file of about `megabytes` MB and returns its path.
QString largePtx(int megabytes) {
    const QString path = tempDir().filePath(QStringLiteral("large_%1mb.ptx").arg(megabytes));
    if (QFile::exists(path)) return path;
    QFile fixture(QStringLiteral(PTXWB_BENCH_FIXTURE));
    fixture.open(QIODevice::ReadOnly);
    const QByteArray text = fixture.readAll();
    const qsizetype bodyStart = text.indexOf(".visible .entry");
    const QByteArray header = text.left(bodyStart);
    const QByteArray body = text.mid(bodyStart);
    QByteArray out = header;
    out.reserve(qsizetype(megabytes) * 1000 * 1000 + body.size());
    for (int copy = 0; out.size() < qsizetype(megabytes) * 1000 * 1000; ++copy) {
        QByteArray renamed = body;
        renamed.replace("rmsnorm_f32", QByteArray("rmsnorm_f32_v" + QByteArray::number(copy)));
        out += renamed;
    }
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(out);
    return path;
}

std::vector<EditorFinding> findingsEvery(int lines, int step) {
    std::vector<EditorFinding> out;
    for (int line = 10; line < lines; line += step) {
        EditorFinding f;
        f.severity = FindingSeverity(line % 3);
        f.ruleId = QStringLiteral("bench-rule");
        f.message = QStringLiteral("synthetic finding");
        f.range = {{line, 1}, {line, 12}};
        out.push_back(f);
    }
    return out;
}

struct LoadedEditor {
    PtxEditor editor;
    QImage frame;
    explicit LoadedEditor(int megabytes) : frame(1400, 900, QImage::Format_ARGB32_Premultiplied) {
        editor.resize(1400, 900);
        editor.loadFile(largePtx(megabytes));
        editor.view()->setReadOnly(false);
        editor.view()->setFindings(findingsEvery(editor.view()->buffer().lineCount(), 97));
        paint();
    }
    void paint() { editor.view()->viewport()->render(&frame); }
};

void BM_OpenToFirstPaint(benchmark::State& state) {
    const int megabytes = int(state.range(0));
    const QString path = largePtx(megabytes);
    QImage frame(1400, 900, QImage::Format_ARGB32_Premultiplied);
    int lines = 0;
    for (auto _ : state) {
        auto editor = std::make_unique<PtxEditor>();
        editor->resize(1400, 900);
        editor->loadFile(path);
        editor->render(&frame);
        lines = editor->view()->buffer().lineCount();
        benchmark::DoNotOptimize(frame.bits());
        state.PauseTiming(); // tearing down (and the background outline scan) is not "open"
        editor.reset();
        state.ResumeTiming();
    }
    state.counters["lines"] = lines;
}
BENCHMARK(BM_OpenToFirstPaint)->Arg(14)->Arg(40)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ScrollPageFrame(benchmark::State& state) {
    static LoadedEditor loaded(40);
    auto* bar = loaded.editor.view()->verticalScrollBar();
    for (auto _ : state) {
        bar->setValue(
            bar->value() + bar->pageStep() < bar->maximum() ? bar->value() + bar->pageStep() : 0);
        loaded.paint();
    }
}
BENCHMARK(BM_ScrollPageFrame)->Unit(benchmark::kMillisecond);

void BM_JumpFarFrame(benchmark::State& state) {
    static LoadedEditor loaded(40);
    PtxTextView* view = loaded.editor.view();
    int line = 0;
    const int lines = view->buffer().lineCount();
    for (auto _ : state) {
        line = (line + 389'117) % lines; // a different region every frame
        view->scrollToLine(line);
        loaded.paint();
    }
}
BENCHMARK(BM_JumpFarFrame)->Unit(benchmark::kMillisecond);

void BM_TypingFrame(benchmark::State& state) {
    static LoadedEditor loaded(40);
    PtxTextView* view = loaded.editor.view();
    const int middle = view->buffer().lineCount() / 2;
    view->setCursorPosition({middle, 1});
    int n = 0;
    for (auto _ : state) {
        // A keystroke: a character, and every 20th a new line (shifts 1.3M line entries).
        view->insertText(++n % 20 == 0 ? QStringLiteral("\n") : QStringLiteral("a"));
        loaded.paint();
    }
}
BENCHMARK(BM_TypingFrame)->Unit(benchmark::kMillisecond);

void BM_OutlineScan(benchmark::State& state) {
    static LoadedEditor loaded(40);
    std::size_t functions = 0;
    for (auto _ : state)
        functions = scanPtxOutline(loaded.editor.view()->buffer()).functions.size();
    state.counters["functions"] = double(functions);
}
BENCHMARK(BM_OutlineScan)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_FindAll(benchmark::State& state) {
    static LoadedEditor loaded(40);
    int hits = 0;
    for (auto _ : state)
        hits = loaded.editor.view()->findAll({QStringLiteral("st.shared"), true});
    state.counters["hits"] = hits;
}
BENCHMARK(BM_FindAll)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
