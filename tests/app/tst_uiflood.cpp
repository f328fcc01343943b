// SPDX-License-Identifier: MIT
// The real window under a flood (issue 7): a script in the console casts to a server about
// 10,000 times a second for a minute while the test watches what a user would notice. The
// GUI event loop keeps turning (a 10 ms timer measures the gaps between its turns), a click
// in the middle of the flood is answered, every message is handled and seen by the views
// (the record's drop counter says exactly what the runtime's log let go, the bridge misses
// nothing), and memory levels off once the bounded record and history are full.
#include "controller.h"
#include "session.h"
#include "windowtesting.h"

#include <QElapsedTimer>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>
#include <algorithm>
#include <ctime>
#include <unistd.h>

Q_IMPORT_QML_PLUGIN(MailroomPlugin)
Q_IMPORT_QML_PLUGIN(Mailroom_AppPlugin)

using namespace mailroom;
using mailroom::testing::findItem;

namespace {

/// How long the flood lasts: a minute, as the issue asks (the memory check needs a run long
/// enough for the bounded record to fill in its first half). The test's CTest TIMEOUT
/// (tests/app/CMakeLists.txt) leaves room for this on a loaded two-core machine.
constexpr int kFloodSeconds = 60;
/// The script sends kBurst casts, then waits for a send_after of kTickMs it set before them:
/// kBurst * 1000 / kTickMs = 10,000 casts a second (a little less, by how late the timer is).
constexpr int kTickMs = 10;
constexpr int kBurst = 100;
constexpr int kTicks = kFloodSeconds * 1000 / kTickMs;
constexpr int64_t kMessages = int64_t(kTicks) * kBurst;

/// The record and the views' history, smaller than the app's (2,000,000 and 1,500,000
/// events) so that both fill within the first half of the flood (about 40,000 events a
/// second); the mechanism that bounds them is the same. The record's budget is also how far
/// (25 s of flood) the views may fall behind before the bridge has to skip events.
constexpr size_t kEventBudget = 1'000'000;
constexpr size_t kHistoryBudget = 200'000;

/// What a user would notice, in two measures. The wall-clock gap between two turns of the
/// GUI thread catches a freeze of any cause, a wait on a lock included: the window never
/// stops for kMaxGapMs, and 99 turns in 100 come within kP99GapMs. These hold on a two-core
/// machine busy with other builds, where the GUI thread also waits for a core. The GUI
/// thread's own CPU time between two turns does not depend on that load and says whether the
/// app does too much per frame: no turn costs kMaxTurnCpuMs, 99 in 100 at most kP99TurnCpuMs.
constexpr qint64 kMaxGapMs = 1000;
constexpr qint64 kP99GapMs = 500;
constexpr qint64 kMaxTurnCpuMs = 250;
constexpr qint64 kP99TurnCpuMs = 100;
/// Memory levels off: growth over the flood's second half is at most a quarter of the
/// growth over its first half, plus a slack for the allocator and the call samples the
/// statistics panel keeps (24 bytes per message, bounded at History::kSamples).
constexpr double kLevelOffRatio = 0.25;
constexpr qint64 kSlackBytes = qint64(16) << 20U;

/// CPU time the calling thread has used, in ms.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

/// The value below which `fraction` of `values` lie (nearest rank).
template<typename T> T percentile(std::vector<T> values, double fraction)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(fraction * double(values.size())))];
}

/// Resident memory of this process, in bytes.
qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / double(1 << 20), 'f', 1) + QStringLiteral(" MB");
}

} // namespace

class TestUiFlood : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the window's settings go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("MailroomTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_uiflood"));
    }

    void theWindowStaysResponsiveUnderAMinuteOfTenThousandCastsASecond();
};

void TestUiFlood::theWindowStaysResponsiveUnderAMinuteOfTenThousandCastsASecond()
{
    Controller controller(nullptr, kHistoryBudget);
    Controller::setInstance(&controller);
    RuntimeOptions options;
    options.schedulers = 2;
    options.eventBudget = kEventBudget;
    controller.start(true, options);

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.setInitialProperties({ { QStringLiteral("initialTheme"), QStringLiteral("dark") } });
    engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
    QCOMPARE(engine.rootObjects().size(), 1);
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
    QVERIFY(window != nullptr);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
    controller.setFreshProcess(false); // the click below runs in the shell, the flood beside it

    // The sink, on the stage like any server.
    Runtime &runtime = controller.session()->runtime();
    const Term started = testing::startFloodSink(runtime);
    QVERIFY2(started.isTuple(2) && started[1].isPid(), started.inspect().c_str());
    const Pid sink = started[1].asPid();
    QTRY_VERIFY(controller.processes()->valueOf(int(sink.number), QStringLiteral("stateText")).toString()
        == QStringLiteral("0"));

    // What the views were handed, counted frame by frame from the bridge's history.
    EventBridge &bridge = *controller.bridge();
    const History &history = bridge.history();
    uint64_t scanned = history.endSeq();
    uint64_t missed = 0; // events the history let go before a frame looked at them
    int64_t castsSent = 0;
    int64_t castsHandled = 0;
    const auto tally = [&] {
        if (history.firstSeq() > scanned) {
            missed += history.firstSeq() - scanned;
            scanned = history.firstSeq();
        }
        for (; scanned < history.endSeq(); ++scanned) {
            const Event *e = history.event(scanned);
            if (e == nullptr || e->kind != MessageKind::Cast)
                continue;
            if (e->type == EventType::Send && e->other == sink)
                ++castsSent;
            else if (e->type == EventType::HandlerEnd && e->pid == sink)
                ++castsHandled;
        }
    };
    const QMetaObject::Connection tallying = connect(&bridge, &EventBridge::updated, this, tally);

    // The GUI thread's turns, and the resident memory once a second.
    std::vector<qint64> gaps; // wall ms between two turns
    std::vector<double> turnCpu; // the GUI thread's CPU ms between two turns
    gaps.reserve(size_t(kFloodSeconds) * 200);
    turnCpu.reserve(size_t(kFloodSeconds) * 200);
    QElapsedTimer sinceTurn;
    double cpuAtTurn = 0;
    QTimer turns;
    turns.setTimerType(Qt::PreciseTimer);
    connect(&turns, &QTimer::timeout, this, [&] {
        gaps.push_back(sinceTurn.restart());
        const double cpu = threadCpuMs();
        turnCpu.push_back(cpu - cpuAtTurn);
        cpuAtTurn = cpu;
    });
    std::vector<std::pair<qint64, qint64>> rss; // (ms since the flood began, bytes)
    QElapsedTimer sinceFlood;
    QTimer sampler;
    connect(
        &sampler, &QTimer::timeout, this, [&] { rss.emplace_back(sinceFlood.elapsed(), residentBytes()); });

    QSignalSpy evaluated(&controller, &Controller::evaluated);
    sinceFlood.start();
    sinceTurn.start();
    cpuAtTurn = threadCpuMs();
    const double cpuAtStart = cpuAtTurn;
    turns.start(10);
    sampler.start(1000);
    rss.emplace_back(0, residentBytes());
    // The flood, then the sink's state, which :sys.get_state reads after every cast was handled.
    controller.evaluateIn(
        testing::floodScript(kTickMs, kBurst, kTicks) + QStringLiteral("\n:sys.get_state(:flood_sink)"), true);

    // Halfway through, a user clicks Counter's get_count: the answer comes while it floods.
    QTest::qWait(kFloodSeconds * 1000 / 2);
    QCOMPARE(evaluated.count(), 0); // still flooding
    QQuickItem *button = findItem(window->contentItem(), QStringLiteral("counterGetCount"));
    QVERIFY(button != nullptr);
    QElapsedTimer sinceClick;
    sinceClick.start();
    QTest::mouseClick(window, Qt::LeftButton, {},
        button->mapToScene(QPointF(button->width() / 2, button->height() / 2)).toPoint());
    QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 10'000);
    const qint64 clickAnsweredMs = sinceClick.elapsed();
    QCOMPARE(evaluated.at(0).at(0).toString(), QStringLiteral("GenServer.call(Counter, :get_count)"));
    QCOMPARE(evaluated.at(0).at(2).toString(), QStringLiteral("0"));

    // The flood ends with the sink's state, read after it handled every cast.
    QVERIFY2(evaluated.wait(kFloodSeconds * 1000 * 3), "the flood did not finish");
    const qint64 floodMs = sinceFlood.elapsed();
    const double guiCpuMs = threadCpuMs() - cpuAtStart;
    turns.stop();
    sampler.stop();
    rss.emplace_back(floodMs, residentBytes());
    QCOMPARE(evaluated.count(), 2);
    QVERIFY2(evaluated.at(1).at(1).toBool(), qPrintable(evaluated.at(1).at(2).toString()));
    QCOMPARE(evaluated.at(1).at(2).toString(), QString::number(kMessages));

    // The views catch up (frame by frame, as a user would watch them).
    const EventLog &log = runtime.events();
    QTRY_COMPARE_WITH_TIMEOUT(history.endSeq(), log.end(), 60'000);
    disconnect(tallying);
    // Events the runtime recorded that the bridge never applied: the log let them go before
    // the views read them, which happens only when the GUI thread falls further behind than
    // the log's budget (a machine too loaded to give it a core's share).
    const uint64_t skipped = (log.end() - 1) - uint64_t(bridge.eventCount());

    // How the event loop turned.
    QVERIFY(!gaps.empty());
    const qint64 maxGap = *std::max_element(gaps.begin(), gaps.end());
    const qint64 p99Gap = percentile(gaps, 0.99);
    const qint64 p50Gap = percentile(gaps, 0.50);
    const double maxTurnCpu = *std::max_element(turnCpu.begin(), turnCpu.end());
    const double p99TurnCpu = percentile(turnCpu, 0.99);

    // Memory: before the flood, halfway, at the end.
    const qint64 first = rss.front().second;
    qint64 middle = first;
    for (const auto &[ms, bytes] : rss)
        if (ms <= floodMs / 2)
            middle = bytes;
    const qint64 last = rss.back().second;
    QString curve;
    for (size_t i = 0; i < rss.size(); i += std::max<size_t>(1, rss.size() / 12))
        curve += QStringLiteral(" %1s:%2").arg(rss[i].first / 1000).arg(rss[i].second >> 20U);
    curve += QStringLiteral(" %1s:%2").arg(floodMs / 1000).arg(last >> 20U);

    qInfo(
        "flood: %lld casts in %.1f s (%.0f/s); the views saw %lld sent and %lld handled; the bridge applied "
        "%lld events and skipped %llu, the log dropped %llu",
        qlonglong(kMessages), double(floodMs) / 1000, double(kMessages) * 1000 / double(floodMs),
        qlonglong(castsSent), qlonglong(castsHandled), qlonglong(bridge.eventCount()), qulonglong(skipped),
        qulonglong(log.dropped()));
    qInfo("event loop: %zu turns, gap p50 %lld ms, p99 %lld ms, max %lld ms; a click answered in %lld ms",
        gaps.size(), qlonglong(p50Gap), qlonglong(p99Gap), qlonglong(maxGap), qlonglong(clickAnsweredMs));
    qInfo("GUI thread: %.1f s of CPU in %.1f s; CPU per turn p99 %.1f ms, max %.1f ms", guiCpuMs / 1000,
        double(floodMs) / 1000, p99TurnCpu, maxTurnCpu);
    qInfo("RSS (s:MB):%s; first half +%s, second half +%s", qPrintable(curve),
        qPrintable(megabytes(middle - first)), qPrintable(megabytes(last - middle)));

    // Every message accounted for. The server handled them all (its state said so above, and
    // its card shows it); the runtime's log dropped only its oldest events and says exactly
    // how many; the history handed every frame all it applied; and the views saw every send
    // and every handled cast, except those in events the bridge skipped, each of which the
    // log counted as dropped.
    QTRY_COMPARE(controller.processes()->valueOf(int(sink.number), QStringLiteral("stateText")).toString(),
        QString::number(kMessages));
    QCOMPARE(controller.processes()->valueOf(int(sink.number), QStringLiteral("mailboxDepth")).toInt(), 0);
    QVERIFY2(log.dropped() > 0, "the flood filled the runtime's log (its budget is lowered for this)");
    QCOMPARE(log.dropped(), log.begin() - 1);
    QCOMPARE(missed, uint64_t(0));
    QVERIFY(history.endSeq() - history.firstSeq() <= kHistoryBudget);
    QVERIFY2(skipped <= log.dropped(), "the bridge skipped only what the log dropped");
    if (skipped == 0) {
        QCOMPARE(castsSent, kMessages);
        QCOMPARE(castsHandled, kMessages);
    } else {
        qWarning(
            "the views fell more than the log's budget behind and skipped %llu events", qulonglong(skipped));
        QVERIFY(castsSent <= kMessages && castsSent + int64_t(skipped) >= kMessages);
        QVERIFY(castsHandled <= kMessages && castsHandled + int64_t(skipped) >= kMessages);
    }

    // The window stayed responsive and memory levelled off.
    QVERIFY2(maxGap < kMaxGapMs, qPrintable(QStringLiteral("the GUI thread stalled %1 ms").arg(maxGap)));
    QVERIFY2(p99Gap < kP99GapMs, qPrintable(QStringLiteral("p99 gap %1 ms").arg(p99Gap)));
    QVERIFY2(maxTurnCpu < double(kMaxTurnCpuMs),
        qPrintable(QStringLiteral("a turn of the GUI thread took %1 ms of CPU").arg(maxTurnCpu)));
    QVERIFY2(p99TurnCpu < double(kP99TurnCpuMs),
        qPrintable(QStringLiteral("p99 CPU per turn %1 ms").arg(p99TurnCpu)));
    QVERIFY2(last - middle <= qint64(kLevelOffRatio * double(middle - first)) + kSlackBytes,
        qPrintable(QStringLiteral("memory still grows: first half +%1, second half +%2")
                       .arg(megabytes(middle - first), megabytes(last - middle))));
}

QTEST_MAIN(TestUiFlood)
#include "tst_uiflood.moc"
