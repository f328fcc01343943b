// SPDX-License-Identifier: MIT
// Figure 7 of docs/performance.md: the real window's frames while a script floods the stage,
// and its resident memory after a long flood.
//
// The app's Main.qml with the Controller and the default servers, offscreen with the software
// renderer (what the app uses without a GPU). A script in the console casts to a counting
// server in bursts every 10 ms, at 10 k and then 100 k messages a second; the time between
// consecutive frames (QQuickWindow::frameSwapped) while the stage animates is the frame time.
// Then 10 k messages a second go on (10 minutes in full mode) and the resident set is taken at
// the end and at the half, to show whether it levels off. Prints the harness's line protocol.
//
// Each frame is also split the way Qt's software render loop runs it (polish, sync, render),
// with the GUI thread's CPU time for the frame and between two frames (the bridge's pump and
// the models), printed as notes: on a loaded machine the intervals wait for a core, the CPU
// times do not. `--frames` skips the memory soak; `--csv FILE` writes every recorded frame
// (µs: the CPU time of polish and render, the wall time of sync, the GUI thread's CPU for the
// whole frame and before it).

#include "controller.h"
#include "genserver.h"
#include "harness.h"
#include "session.h"
#include "windowtesting.h"

#include <QEvent>
#include <QEventLoop>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>
#include <cstdio>
#include <ctime>
#include <string_view>

Q_IMPORT_QML_PLUGIN(MailroomPlugin)
Q_IMPORT_QML_PLUGIN(Mailroom_AppPlugin)

using namespace mailroom;

namespace {

constexpr int kTickMs = 10;

/// `perSecond` casts a second for `seconds`, in bursts every kTickMs, as typed in the console.
QString flood(int perSecond, int seconds)
{
    return testing::floodScript(kTickMs, perSecond * kTickMs / 1000, seconds * 1000 / kTickMs);
}

/// CPU time the calling thread has used, in ns.
int64_t threadCpuNs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

/// What one frame of the software render loop costs: it starts on the window's UpdateRequest,
/// polishes (up to afterAnimating), syncs (to afterSynchronizing), renders (beforeRendering to
/// afterRendering) and ends at afterFrameEnd. All on the GUI thread.
class FrameProbe : public QObject {
public:
    explicit FrameProbe(QQuickWindow *window)
        : m_window(window)
    {
        window->installEventFilter(this);
        const auto direct = Qt::DirectConnection;
        connect(
            window, &QQuickWindow::afterAnimating, this,
            [this] {
                m_polished = bench::nowNs();
                m_polishedCpu = threadCpuNs();
            },
            direct);
        connect(
            window, &QQuickWindow::afterSynchronizing, this, [this] { m_synced = bench::nowNs(); }, direct);
        connect(
            window, &QQuickWindow::beforeRendering, this,
            [this] {
                m_renderBegin = bench::nowNs();
                m_renderBeginCpu = threadCpuNs();
            },
            direct);
        connect(
            window, &QQuickWindow::afterRendering, this,
            [this] {
                m_rendered = bench::nowNs();
                m_renderedCpu = threadCpuNs();
            },
            direct);
        connect(
            window, &QQuickWindow::afterFrameEnd, this, [this] { frameEnded(); }, direct);
    }

    bool recording = false;
    std::FILE *csv = nullptr;
    std::vector<int64_t> polish, sync, render, polishCpu, renderCpu, frameCpu, betweenCpu;

    void clear()
    {
        for (auto *v : { &polish, &sync, &render, &polishCpu, &renderCpu, &frameCpu, &betweenCpu })
            v->clear();
        m_lastEndCpu = 0;
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_window && event->type() == QEvent::UpdateRequest) {
            m_begin = bench::nowNs();
            m_beginCpu = threadCpuNs();
            m_polished = m_synced = m_renderBegin = m_rendered = 0;
        }
        return false;
    }

private:
    void frameEnded()
    {
        const int64_t cpu = threadCpuNs();
        if (recording && m_begin != 0 && m_polished != 0 && m_synced != 0 && m_rendered != 0) {
            polish.push_back(m_polished - m_begin);
            sync.push_back(m_synced - m_polished);
            render.push_back(m_rendered - m_renderBegin);
            polishCpu.push_back(m_polishedCpu - m_beginCpu);
            renderCpu.push_back(m_renderedCpu - m_renderBeginCpu);
            frameCpu.push_back(cpu - m_beginCpu);
            if (m_lastEndCpu != 0)
                betweenCpu.push_back(m_beginCpu - m_lastEndCpu);
            if (csv != nullptr)
                std::fprintf(csv, "%lld,%lld,%lld,%lld,%lld,%lld\n", (long long)(m_begin / 1000),
                    (long long)polishCpu.back() / 1000, (long long)sync.back() / 1000,
                    (long long)renderCpu.back() / 1000, (long long)frameCpu.back() / 1000,
                    m_lastEndCpu != 0 ? (long long)betweenCpu.back() / 1000 : -1LL);
        }
        m_lastEndCpu = recording ? cpu : 0;
        m_begin = 0;
    }

    QQuickWindow *m_window;
    int64_t m_begin = 0, m_beginCpu = 0, m_polished = 0, m_synced = 0, m_renderBegin = 0, m_rendered = 0;
    int64_t m_polishedCpu = 0, m_renderBeginCpu = 0, m_renderedCpu = 0;
    int64_t m_lastEndCpu = 0;
};

/// "p50 / p99" of `samples` (ns) in ms.
std::string quantilesMs(std::vector<int64_t> &samples)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.1f / %.1f", bench::percentile(samples, 0.50) / 1e6,
        bench::percentile(samples, 0.99) / 1e6);
    return text;
}

/// Runs the event loop for `ms`, as the app does (blocking when there is nothing to do).
void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("MailroomBench"));
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    bool quick = false;
    bool framesOnly = false;
    QStringList hidden;
    QString screenshot;
    const char *csvPath = nullptr;
    for (int i = 1; i < argc; ++i) {
        quick = quick || std::string_view(argv[i]) == "--quick" || std::string_view(argv[i]) == "--smoke";
        framesOnly = framesOnly || std::string_view(argv[i]) == "--frames";
        if (std::string_view(argv[i]) == "--hide" && i + 1 < argc)
            hidden = QString::fromLocal8Bit(argv[++i]).split(QLatin1Char(','));
        if (std::string_view(argv[i]) == "--screenshot" && i + 1 < argc)
            screenshot = QString::fromLocal8Bit(argv[++i]);
        if (std::string_view(argv[i]) == "--csv" && i + 1 < argc)
            csvPath = argv[++i];
    }
    const int floodSeconds = quick ? 3 : 20;
    const int soakSeconds = quick ? 6 : 600;

    Controller controller(nullptr);
    Controller::setInstance(&controller);
    RuntimeOptions options;
    options.output = [](Pid, std::string_view) {};
    controller.start(true, options);
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
    auto *window = engine.rootObjects().isEmpty()
        ? nullptr
        : qobject_cast<QQuickWindow *>(engine.rootObjects().first());
    if (window == nullptr) {
        std::fprintf(stderr, "mailroom-bench-ui: the window did not load\n");
        return 1;
    }
    // --hide a,b: hides the items with those object names, to see what each part of the window
    // costs a frame.
    for (const QString &name : hidden) {
        auto *item = window->findChild<QQuickItem *>(name);
        if (item == nullptr) {
            std::fprintf(stderr, "mailroom-bench-ui: no item named %s\n", qPrintable(name));
            return 1;
        }
        item->setVisible(false);
    }
    spin(2000); // the default servers come up
    (void)testing::startFloodSink(controller.session()->runtime());

    std::vector<int64_t> intervals;
    int64_t last = 0;
    bool recording = false;
    QObject::connect(
        window, &QQuickWindow::frameSwapped, window,
        [&] {
            const int64_t now = bench::nowNs();
            if (recording && last != 0)
                intervals.push_back(now - last);
            last = now;
        },
        Qt::DirectConnection);
    FrameProbe probe(window);
    if (csvPath != nullptr) {
        probe.csv = std::fopen(csvPath, "w");
        if (probe.csv == nullptr) {
            std::fprintf(stderr, "mailroom-bench-ui: cannot write %s\n", csvPath);
            return 1;
        }
        std::fprintf(probe.csv, "begin_us,polish_cpu_us,sync_us,render_cpu_us,frame_cpu_us,before_cpu_us\n");
    }

    const bench::Output out;
    out.version("ui: the app's window offscreen, software renderer");
    const auto measure = [&](int perSecond, const char *id) {
        controller.evaluateIn(flood(perSecond, floodSeconds), true);
        spin(500); // under way
        intervals.clear();
        probe.clear();
        last = 0;
        recording = true;
        probe.recording = true;
        if (!screenshot.isEmpty() && perSecond == 10'000) {
            // --screenshot OUT.png: the window halfway through the 10 k flood.
            spin(floodSeconds * 500 - 500);
            probe.recording = false;
            recording = false;
            window->grabWindow().save(screenshot);
            last = 0;
            recording = true;
            probe.recording = true;
            spin(floodSeconds * 500 - 500);
        } else {
            spin(floodSeconds * 1000 - 1000);
        }
        recording = false;
        probe.recording = false;
        std::string p50 = std::string("ui_frame_p50_") + id;
        std::string p99 = std::string("ui_frame_p99_") + id;
        if (intervals.size() < 10) {
            out.note(p50, "fewer than 10 frames were drawn");
            return;
        }
        out.figure(p50, bench::percentile(intervals, 0.50));
        out.figure(p99, bench::percentile(intervals, 0.99));
        const std::string split = std::to_string(intervals.size()) + " frames, p50 / p99 ms: polish "
            + quantilesMs(probe.polish) + ", sync " + quantilesMs(probe.sync) + ", render "
            + quantilesMs(probe.render) + "; GUI thread CPU: polish " + quantilesMs(probe.polishCpu)
            + ", render " + quantilesMs(probe.renderCpu) + ", whole frame " + quantilesMs(probe.frameCpu)
            + ", between frames " + quantilesMs(probe.betweenCpu);
        out.note(std::string("ui_frame_split_") + id, split);
        spin(1500); // the rest of the flood drains
    };
    measure(10'000, "10k");
    measure(100'000, "100k");
    if (probe.csv != nullptr)
        std::fclose(probe.csv);
    if (framesOnly)
        return 0;

    controller.evaluateIn(flood(10'000, soakSeconds), true);
    spin(soakSeconds * 1000 / 2);
    const int64_t half = bench::residentBytes();
    spin(soakSeconds * 1000 / 2);
    const int64_t end = bench::residentBytes();
    out.figure("ui_rss_10min", double(end));
    char note[160];
    std::snprintf(note, sizeof note, "%d s at 10 k msg/s: %.0f MB at the half, %.0f MB at the end",
        soakSeconds, double(half) / (1 << 20), double(end) / (1 << 20));
    out.note("ui_rss_10min", note);
    return 0;
}
