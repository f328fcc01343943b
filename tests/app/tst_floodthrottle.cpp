// SPDX-License-Identifier: MIT
// FloodThrottle on a clock stepped by hand: when a view under a flood applies its
// changes, and that views with different phases do not all apply in the same frame.

#include "floodthrottle.h"

#include <QTest>
#include <vector>

using namespace mailroom;

namespace {

constexpr qint64 kFrameMs = 16;

/// The frames (by index) at which a throttle applied, fed a burst every frame from 0 to
/// `frames`.
std::vector<int> appliedFrames(FloodThrottle &throttle, int frames, uint64_t burst)
{
    std::vector<int> applied;
    for (int f = 0; f < frames; ++f)
        if (throttle.admitAt(f * kFrameMs, burst))
            applied.push_back(f);
    return applied;
}

} // namespace

class TestFloodThrottle : public QObject {
    Q_OBJECT

private slots:
    void quietChangesApplyEveryFrame()
    {
        FloodThrottle throttle(FloodThrottle::Turn::Counters);
        const auto applied = appliedFrames(throttle, 60, FloodThrottle::kBusyChanges - 1);
        QCOMPARE(applied.size(), size_t(60));
        QVERIFY(!throttle.flooding());
    }

    void aFloodAppliesAboutTenTimesASecond()
    {
        FloodThrottle throttle(FloodThrottle::Turn::Counters);
        const auto applied = appliedFrames(throttle, 120, 500); // ~2 s of frames
        QVERIFY(throttle.flooding());
        // The bursts that reveal the flood apply at once, then one frame in every
        // kBusyIntervalMs.
        QCOMPARE(applied.front(), 0);
        for (size_t i = FloodThrottle::kBusyFrames + 1; i < applied.size(); ++i) {
            const qint64 gap = (applied[i] - applied[i - 1]) * kFrameMs;
            QVERIFY2(gap >= FloodThrottle::kBusyIntervalMs && gap < FloodThrottle::kBusyIntervalMs + kFrameMs,
                qPrintable(QString("gap of %1 ms").arg(gap)));
        }
        QVERIFY(applied.size() >= 18 && applied.size() <= 24);
    }

    void aQuietFrameEndsTheFlood()
    {
        FloodThrottle throttle(FloodThrottle::Turn::Counters);
        (void)appliedFrames(throttle, 30, 500);
        QVERIFY(throttle.flooding());
        // Held back until the interval is over, then the small change applies and ends it.
        qint64 ms = 30 * kFrameMs;
        while (!throttle.admitAt(ms, 3))
            ms += kFrameMs;
        QVERIFY(!throttle.flooding());
        QVERIFY(throttle.admitAt(ms + kFrameMs, 3));
    }

    void nowAppliesEvenUnderAFlood()
    {
        FloodThrottle throttle(FloodThrottle::Turn::Counters);
        (void)appliedFrames(throttle, 30, 500);
        QVERIFY(throttle.flooding());
        QVERIFY(throttle.admitAt(30 * kFrameMs, 500, true));
    }

    // The four views handed the same flood in the same frames take turns, so no frame carries more than one
    // view's update once the flood has set in. (Without phases every update lands in the same frames.)
    void viewsWithPhasesTakeTurns()
    {
        using Turn = FloodThrottle::Turn;
        FloodThrottle views[] = { FloodThrottle(Turn::Counters), FloodThrottle(Turn::Trace),
            FloodThrottle(Turn::Calls), FloodThrottle(Turn::Flights) };
        const int frames = 300;
        std::vector<int> perFrame(frames, 0);
        for (auto &view : views) {
            const auto applied = appliedFrames(view, frames, 500);
            QVERIFY(view.flooding());
            QVERIFY(applied.size() >= 40); // still ten times a second
            for (int f : applied)
                ++perFrame[size_t(f)];
        }
        for (int f = FloodThrottle::kBusyFrames + 1; f < frames; ++f)
            QVERIFY2(perFrame[size_t(f)] <= 1,
                qPrintable(QString("frame %1: %2 views").arg(f).arg(perFrame[size_t(f)])));
    }
};

QTEST_APPLESS_MAIN(TestFloodThrottle)
#include "tst_floodthrottle.moc"
