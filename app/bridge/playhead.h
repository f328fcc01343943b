// SPDX-License-Identifier: MIT
#pragma once

// The bridge's playhead: the views follow the runtime (live) or show the world just after
// some earlier event (frozen or scrubbed; the runtime keeps running and the record keeps
// growing). Every few thousand live events it keeps a copy of the live state (a snapshot);
// the state at any seq is the snapshot before it plus the events between, replayed from the
// History. GUI thread.

#include "world.h"

#include <cstddef>
#include <cstdint>
#include <deque>

namespace mailroom {

class Playhead {
public:
    /// At least this many events between snapshots, and at least as many as the state has
    /// parts (processes, queued messages, timers), so copying stays O(1) per event.
    static constexpr uint64_t kSnapshotEvery = 4096;

    /// Follows `live`, kept up to date from `history` (both the bridge's); `historyBudget`
    /// is the History's, which bounds how far apart snapshots are.
    Playhead(const WorldState &live, const History &history, size_t historyBudget)
        : m_live(live)
        , m_history(history)
        , m_historyBudget(historyBudget)
    {
    }

    /// Before the live state applies `e`: keeps a snapshot when one is due.
    void beforeLive(const Event &e);
    /// After it did: lets go of the snapshots no kept event follows any more.
    void afterLive();

    [[nodiscard]] bool live() const { return m_following; }
    /// What the views show: the live state, or the state rebuilt at the playhead.
    [[nodiscard]] const WorldState &view() const { return m_following ? m_live : m_scrub; }
    /// The last seq the views show: the playhead, or the last event applied when live.
    [[nodiscard]] uint64_t limitSeq() const { return view().seq(); }
    /// Bumped whenever the playhead jumps (a seek, a step, going live).
    [[nodiscard]] uint64_t epoch() const { return m_epoch; }
    /// The oldest seq the playhead can be moved to.
    [[nodiscard]] uint64_t firstSeq() const;
    [[nodiscard]] size_t snapshotCount() const { return m_snapshots.size(); }

    /// Stops the playhead where the live state is; false when it was not live.
    bool freeze();
    /// Follows the live state again; false when it did.
    bool goLive();
    /// Shows the moment just after event `seq` (clamped to [firstSeq, the live seq]) and
    /// stops following; false when the playhead was there already.
    bool moveTo(uint64_t seq);

private:
    const WorldState &m_live;
    const History &m_history;
    size_t m_historyBudget;
    bool m_following = true;
    WorldState m_scrub; // the state at the playhead (not live)
    Reducer m_scrubReducer{ m_scrub };
    std::deque<WorldState> m_snapshots; // each the state after its seq(), oldest first
    uint64_t m_snapshotDue = 0; // take the next snapshot before applying this seq
    uint64_t m_epoch = 0;
};

} // namespace mailroom
