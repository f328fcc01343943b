// SPDX-License-Identifier: MIT
#pragma once

// What the bridge tells the readers of its counters (events, rate, range) and of its clock,
// and when. They change with every frame that applies events; under a flood (a
// FloodThrottle on the events applied) they are told at most ten times a second: drawing
// them again every frame costs the software renderer, and nobody reads a number that changes
// 60 times a second. The clock shown moves in steps of at least kNowStepMs (countdowns and
// elapsed times need no more), so an idle window does not redraw every frame. GUI thread.

#include "floodthrottle.h"

#include <cstdint>

namespace mailroom {

class CounterThrottle {
public:
    static constexpr int64_t kNowStepMs = 50;

    /// A frame applied `events` events: true when the counters are told now (then call
    /// told()), false while a flood holds them back.
    [[nodiscard]] bool admit(uint64_t events)
    {
        m_held += events;
        return m_throttle.admit(m_held);
    }
    /// The counters were told: true when events had been held for them since last time.
    bool told()
    {
        const bool held = m_held > 0;
        m_held = 0;
        return held;
    }
    /// True once each time the flood starts or ends (after admit()).
    bool floodingChanged()
    {
        if (m_throttle.flooding() == m_flooding)
            return false;
        m_flooding = m_throttle.flooding();
        return true;
    }
    [[nodiscard]] bool flooding() const { return m_flooding; }

    /// The clock moved to `nowNs`: true when the clock shown moves with it (a step of
    /// kNowStepMs, back in time, `force`, or a clock that stood still since the last frame).
    bool showNow(int64_t nowNs, bool force)
    {
        // A clock that stopped (a paused world) is shown where it stopped, at once: shown a
        // step behind, it would seem to jump when the next event forces it (a cast sent
        // while paused moved the paused clock by up to kNowStepMs).
        const bool stopped = nowNs == m_lastNowNs && nowNs != m_shownNowNs;
        m_lastNowNs = nowNs;
        if (!force && !stopped && nowNs - m_shownNowNs < kNowStepMs * 1'000'000 && nowNs >= m_shownNowNs)
            return false;
        m_shownNowNs = nowNs;
        return true;
    }
    [[nodiscard]] int64_t shownNowNs() const { return m_shownNowNs; }

private:
    FloodThrottle m_throttle{ FloodThrottle::Turn::Counters };
    uint64_t m_held = 0; // events applied since the counters were last told
    bool m_flooding = false;
    int64_t m_shownNowNs = 0;
    int64_t m_lastNowNs = -1; // the clock at the last frame
};

} // namespace mailroom
