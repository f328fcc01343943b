// SPDX-License-Identifier: MIT
#include "playhead.h"

#include <algorithm>
#include <iterator>

namespace mailroom {

void Playhead::beforeLive(const Event &e)
{
    const bool gap = m_history.endSeq() == m_history.firstSeq() || e.seq != m_history.endSeq();
    if (!gap && e.seq < m_snapshotDue)
        return;
    // What came before a gap cannot be replayed past it.
    if (gap)
        m_snapshots.clear();
    size_t parts = m_live.processes().size() + m_live.timers().size();
    for (const ProcessRecord &p : m_live.processes())
        parts += p.mailbox.size();
    WorldState snapshot{ m_live };
    snapshot.setSeq(e.seq - 1, m_live.timeNs());
    m_snapshots.push_back(std::move(snapshot));
    const uint64_t every = std::min<uint64_t>(kSnapshotEvery, std::max<uint64_t>(m_historyBudget / 8, 1));
    m_snapshotDue = e.seq + std::max<uint64_t>(every, parts);
}

void Playhead::afterLive()
{
    // A snapshot is of use while the events after it are kept.
    while (!m_snapshots.empty() && m_snapshots.front().seq() + 1 < m_history.firstSeq())
        m_snapshots.pop_front();
}

uint64_t Playhead::firstSeq() const
{
    return m_snapshots.empty() ? m_live.seq() : m_snapshots.front().seq();
}

bool Playhead::freeze()
{
    if (!m_following)
        return false;
    m_scrub = m_live;
    m_following = false;
    ++m_epoch;
    return true;
}

bool Playhead::goLive()
{
    if (m_following)
        return false;
    m_following = true;
    m_scrub = {};
    ++m_epoch;
    return true;
}

bool Playhead::moveTo(uint64_t seq)
{
    seq = std::clamp(seq, firstSeq(), m_live.seq());
    if (!m_following && seq == m_scrub.seq())
        return false;
    // Forward a little from where the playhead is, or from the last snapshot before `seq`.
    const bool forward = !m_following && m_scrub.seq() < seq && m_scrub.seq() + 1 >= m_history.firstSeq()
        && seq - m_scrub.seq() <= kSnapshotEvery;
    if (!forward) {
        const auto after = std::upper_bound(m_snapshots.begin(), m_snapshots.end(), seq,
            [](uint64_t s, const WorldState &snapshot) { return s < snapshot.seq(); });
        if (after == m_snapshots.begin())
            m_scrub = m_live; // nothing kept before: only now can be shown
        else
            m_scrub = *std::prev(after);
    }
    for (uint64_t s = m_scrub.seq() + 1; s <= seq; ++s) {
        if (const Event *e = m_history.event(s))
            m_scrubReducer.apply(*e);
    }
    m_scrub.setSeq(seq, m_scrub.timeNs());
    m_following = false;
    ++m_epoch;
    return true;
}

} // namespace mailroom
