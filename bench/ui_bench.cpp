// Figure 7 of docs/performance.md: the real window's frames while a script floods the stage,
// and its resident memory after a long flood.
//
// The app's Main.qml with the Controller and the default servers, offscreen with the software
// renderer (what the app uses without a GPU). A script in the console casts to a counting
// server in bursts every 10 ms, at 10 k and then 100 k messages a second; the time between
// consecutive frames (QQuickWindow::frameSwapped) while the stage animates is the frame time.
// Then 10 k messages a second go on (10 minutes in full mode) and the resident set is taken at
// the end and at the half, to show whether it levels off. Prints the harness's line protocol.

#include "controller.h"
#include "genserver.h"
#include "harness.h"
#include "session.h"

#include <QEventLoop>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>
#include <cstdio>
#include <string_view>

Q_IMPORT_QML_PLUGIN(MailroomPlugin)
Q_IMPORT_QML_PLUGIN(Mailroom_AppPlugin)

using namespace mailroom;

namespace {

/// Counts the casts it handled.
class Sink final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "FloodSink"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term::integer(0)); }
    Term handleCast(const Term & /*request*/, const Term &state) override
    {
        return gen::noreply(Term::integer(state.asInteger() + 1));
    }
};

constexpr int kTickMs = 10;

/// `perSecond` casts a second for `seconds`, in bursts every kTickMs, as typed in the console.
QString flood(int perSecond, int seconds)
{
    return QStringLiteral(R"(flood = fn
  _flood, 0 -> :done
  flood, ticks ->
    Process.send_after(self(), :tick, %1)
    Enum.each(1..%2, fn _ -> GenServer.cast(:flood_sink, :hit) end)
    receive do
      :tick -> :ok
    end
    flood.(flood, ticks - 1)
end
flood.(flood, %3))")
        .arg(kTickMs)
        .arg(perSecond * kTickMs / 1000)
        .arg(seconds * 1000 / kTickMs);
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
    for (int i = 1; i < argc; ++i)
        quick = quick || std::string_view(argv[i]) == "--quick" || std::string_view(argv[i]) == "--smoke";
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
    spin(2000); // the default servers come up
    gen::StartOptions sinkOptions;
    sinkOptions.name = Atom::intern("flood_sink");
    (void)gen::start(controller.session()->runtime(), std::make_shared<Sink>(), Term(), sinkOptions);

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

    const bench::Output out;
    out.version("ui: the app's window offscreen, software renderer");
    const auto measure = [&](int perSecond, const char *id) {
        controller.evaluateIn(flood(perSecond, floodSeconds), true);
        spin(500); // under way
        intervals.clear();
        last = 0;
        recording = true;
        spin(floodSeconds * 1000 - 1000);
        recording = false;
        std::string p50 = std::string("ui_frame_p50_") + id;
        std::string p99 = std::string("ui_frame_p99_") + id;
        if (intervals.size() < 10) {
            out.note(p50, "fewer than 10 frames were drawn");
            return;
        }
        out.figure(p50, bench::percentile(intervals, 0.50));
        out.figure(p99, bench::percentile(intervals, 0.99));
        spin(1500); // the rest of the flood drains
    };
    measure(10'000, "10k");
    measure(100'000, "100k");

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
