// SPDX-License-Identifier: MIT
#pragma once

// Under a flood the views' rows change every frame, faster than anyone reads them, and
// laying them out and drawing them again costs most of a frame (figure 7 of
// docs/performance.md). A FloodThrottle sees a flood in what a view is handed: after
// kBusyFrames bursts of at least kBusyChanges changes, each less than kBusyGapMs after the
// last, the view applies changes at most every kBusyIntervalMs. A quiet frame (fewer
// changes) ends it, so once the flood stops the view is exactly as it would be without.
//
// The views are handed their changes in the same frame, so throttles that begin together
// would apply together, and one frame in every six would carry every view's update. Each
// view's throttle has a phase: on entering a flood it waits that much longer before the
// first update it holds back, so the views take turns, a frame each.

#include <QElapsedTimer>
#include <cstdint>

namespace mailroom {

class FloodThrottle {
public:
    static constexpr int kBusyFrames = 3;
    static constexpr uint64_t kBusyChanges = 64;
    static constexpr qint64 kBusyGapMs = 200;
    static constexpr qint64 kBusyIntervalMs = 100;

    /// The views that hold changes back under a flood, in the order of their turns: each
    /// applies an equal share of kBusyIntervalMs after the one before.
    enum class Turn { Counters,
        Trace,
        Calls,
        Flights,
        Count };

    explicit FloodThrottle(Turn turn)
        : m_phaseMs(kBusyIntervalMs * int(turn) / int(Turn::Count))
    {
    }

    /// Whether a view handed `changes` changes since it last applied some applies them now
    /// (true) or waits for a later frame (false: a flood, and it applied less than
    /// kBusyIntervalMs ago). `now` (a playhead move, a filter change) applies at once. After
    /// true the view applies everything pending. GUI thread.
    [[nodiscard]] bool admit(uint64_t changes, bool now = false)
    {
        if (!m_clock.isValid())
            m_clock.start();
        return admitAt(m_clock.elapsed(), changes, now);
    }

    /// admit() at `ms` milliseconds on a clock of the caller's (tests step it by hand).
    [[nodiscard]] bool admitAt(qint64 ms, uint64_t changes, bool now = false)
    {
        if (!now && flooding() && ms - m_lastChangeMs < kBusyIntervalMs)
            return false;
        const bool burst = changes >= kBusyChanges;
        m_busyFrames = burst && ms - m_lastChangeMs < kBusyGapMs ? m_busyFrames + 1 : 0;
        m_lastChangeMs = m_busyFrames == kBusyFrames ? ms + m_phaseMs : ms;
        return true;
    }

    /// True while changes come in bursts frame after frame (and are held back).
    [[nodiscard]] bool flooding() const { return m_busyFrames >= kBusyFrames; }

private:
    qint64 m_phaseMs = 0;
    QElapsedTimer m_clock;
    qint64 m_lastChangeMs = -kBusyGapMs;
    int m_busyFrames = 0;
};

} // namespace mailroom
