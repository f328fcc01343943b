#pragma once

// Under a flood the views' rows change every frame, faster than anyone reads them, and
// laying them out and drawing them again costs most of a frame (figure 7 of
// docs/performance.md). A FloodThrottle sees a flood in what a view is handed: after
// kBusyFrames bursts of at least kBusyChanges changes, each less than kBusyGapMs after the
// last, the view applies changes at most every kBusyIntervalMs. A quiet frame (fewer
// changes) ends it, so once the flood stops the view is exactly as it would be without.

#include <QElapsedTimer>
#include <cstdint>

namespace mailroom {

class FloodThrottle {
public:
    static constexpr int kBusyFrames = 3;
    static constexpr uint64_t kBusyChanges = 64;
    static constexpr qint64 kBusyGapMs = 200;
    static constexpr qint64 kBusyIntervalMs = 100;

    /// Whether a view handed `changes` changes since it last applied some applies them now
    /// (true) or waits for a later frame (false: a flood, and it applied less than
    /// kBusyIntervalMs ago). `now` (a playhead move, a filter change) applies at once. After
    /// true the view applies everything pending. GUI thread.
    [[nodiscard]] bool admit(uint64_t changes, bool now = false)
    {
        if (!m_clock.isValid())
            m_clock.start();
        const qint64 ms = m_clock.elapsed();
        if (!now && flooding() && ms - m_lastChangeMs < kBusyIntervalMs)
            return false;
        const bool burst = changes >= kBusyChanges;
        m_busyFrames = burst && ms - m_lastChangeMs < kBusyGapMs ? m_busyFrames + 1 : 0;
        m_lastChangeMs = ms;
        return true;
    }

    /// True while changes come in bursts frame after frame (and are held back).
    [[nodiscard]] bool flooding() const { return m_busyFrames >= kBusyFrames; }

private:
    QElapsedTimer m_clock;
    qint64 m_lastChangeMs = -kBusyGapMs;
    int m_busyFrames = 0;
};

} // namespace mailroom
