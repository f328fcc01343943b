// SPDX-License-Identifier: MIT
#pragma once

// The one place where the runtime's threads meet the GUI thread.
//
// Once per frame, on the GUI thread, the bridge reads what the runtime recorded since the
// last frame (its EventFeed), applies it to the WorldState and the History, and emits
// updated() once: every model syncs from there, so a burst of events becomes one batched
// model update per frame. Runtime threads reach the GUI only through post(), whose queue is
// drained on the same frame tick. What the views show beside that is the bridge's too, each
// a small class of its own: the Playhead (live, or an earlier moment), the Selection, and
// the CounterThrottle (how often the counters and the clock are told under a flood).

#include "counterthrottle.h"
#include "eventfeed.h"
#include "playhead.h"
#include "selection.h"
#include "world.h"

#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <functional>
#include <mutex>
#include <vector>

namespace mailroom {

class Runtime;

class EventBridge : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The Controller owns the event bridge")
    /// Virtual time shown by the views, in ms since the runtime started (live: now). It moves
    /// in steps of at least kNowStepMs (countdowns and elapsed times need no more), so an idle
    /// window does not redraw every frame.
    Q_PROPERTY(double nowMs READ nowMs NOTIFY nowChanged)
    // The counters below change with every frame that applies events; under a flood they
    // are told at most ten times a second, as is nowMs (CounterThrottle). Read directly,
    // they are always current.
    /// Events applied so far.
    Q_PROPERTY(double eventCount READ eventCountValue NOTIFY countersChanged)
    /// Events per second of virtual time over the last second.
    Q_PROPERTY(double eventRate READ eventRate NOTIFY countersChanged)
    /// True while more events wait than one frame applies (the views catch up).
    Q_PROPERTY(bool behind READ behind NOTIFY countersChanged)
    /// True while events come in bursts frame after frame: the views skip their transitions.
    Q_PROPERTY(bool flooding READ flooding NOTIFY floodingChanged)
    /// The shell process, named "iex" on the stage.
    Q_PROPERTY(int shellPid READ shellPid WRITE setShellPid NOTIFY shellPidChanged)
    /// The shell has a console line to evaluate: its card shows it running (a loop that
    /// records nothing would otherwise look like a shell waiting for messages).
    Q_PROPERTY(bool shellBusy READ shellBusy WRITE setShellBusy NOTIFY shellPidChanged)
    /// What the user selected (a trace line, a card): highlighted everywhere.
    Q_PROPERTY(int selectedPid READ selectedPid WRITE setSelectedPid NOTIFY selectionChanged)
    Q_PROPERTY(double selectedMessage READ selectedMessageValue WRITE setSelectedMessageValue NOTIFY
            selectionChanged)
    /// The views follow the runtime (true) or show the moment at the playhead (false: frozen
    /// or scrubbed; the runtime keeps running and the record keeps growing).
    Q_PROPERTY(bool live READ live NOTIFY playheadChanged)
    /// The seq of the last event the views show (live: the last one applied).
    Q_PROPERTY(double playhead READ playheadValue NOTIFY playheadChanged)
    /// The virtual time at the playhead, in ms.
    Q_PROPERTY(double playheadTimeMs READ playheadTimeMs NOTIFY playheadChanged)
    /// The range the playhead can be moved over: the oldest point still rebuildable and the
    /// last event applied.
    Q_PROPERTY(double firstSeq READ firstSeqValue NOTIFY countersChanged)
    Q_PROPERTY(double lastSeq READ lastSeqValue NOTIFY countersChanged)

public:
    /// Time spent applying events per frame before the rest waits for the next frame.
    static constexpr int kFrameBudgetMs = EventFeed::kFrameBudgetMs;
    static constexpr int64_t kNowStepMs = CounterThrottle::kNowStepMs;

    explicit EventBridge(QObject *parent = nullptr, size_t historyBudget = 1'500'000);
    ~EventBridge() override;

    /// Follows `runtime`'s log from its current beginning. GUI thread; the runtime must
    /// outlive the bridge or be detached with attach(nullptr) first.
    void attach(Runtime *runtime);
    /// Starts following once per frame (a timer at `intervalMs`). GUI thread.
    void start(int intervalMs = 16);
    void stop();

    /// Applies what the runtime recorded since the last call (within the frame budget
    /// unless `all`), runs what runtime threads posted, and emits updated() once.
    /// Returns the number of events applied. GUI thread.
    Q_INVOKABLE int pump(bool all = false);

    /// Applies events that come from a file, not a runtime (a recording replayed: attach
    /// no runtime). GUI thread.
    void feed(const std::vector<Event> &events);

    /// Runs `task` on the GUI thread at the next frame. Any thread.
    void post(std::function<void()> task);

    /// What the views show: the live state, or the state rebuilt at the playhead.
    [[nodiscard]] const WorldState &view() const { return m_playhead.view(); }
    /// The live state (always the newest, whatever the playhead).
    [[nodiscard]] const WorldState &liveState() const { return m_state; }
    [[nodiscard]] const History &history() const { return m_history; }
    [[nodiscard]] Reducer &reducer() { return m_reducer; }
    [[nodiscard]] Runtime *runtime() const { return m_feed.runtime(); }

    // Time travel (the Playhead). GUI thread.

    /// Stops the playhead where it is; the runtime keeps running. GUI thread.
    Q_INVOKABLE void freeze();
    /// The views follow the runtime again.
    Q_INVOKABLE void goLive();
    /// Shows the moment just after event `seq` (clamped to [firstSeq, lastSeq]); freezes.
    Q_INVOKABLE void seek(double seq);
    /// Moves the playhead `events` events forward (or back when negative); freezes.
    Q_INVOKABLE void stepBy(int events);
    [[nodiscard]] bool live() const { return m_playhead.live(); }
    /// The last seq the views show: the playhead, or the last event applied when live.
    [[nodiscard]] uint64_t limitSeq() const { return m_playhead.limitSeq(); }
    /// Bumped whenever the playhead jumps (a seek, a step, going live): models that add up
    /// the record as it grows start again from the History when it changes.
    [[nodiscard]] uint64_t playheadEpoch() const { return m_playhead.epoch(); }
    [[nodiscard]] double playheadValue() const { return double(limitSeq()); }
    [[nodiscard]] double playheadTimeMs() const { return double(view().timeNs()) / 1e6; }
    [[nodiscard]] uint64_t firstSeq() const { return m_playhead.firstSeq(); }
    [[nodiscard]] double firstSeqValue() const { return double(firstSeq()); }
    [[nodiscard]] double lastSeqValue() const { return double(m_state.seq()); }
    /// Snapshots kept (for tests and the scrub benchmark).
    [[nodiscard]] size_t snapshotCount() const { return m_playhead.snapshotCount(); }

    [[nodiscard]] double nowMs() const { return double(m_counters.shownNowNs()) / 1e6; }
    /// The virtual time the views show, not stepped: live, the runtime's clock at the last
    /// frame; otherwise the time at the playhead.
    [[nodiscard]] int64_t nowNs() const { return live() ? m_nowNs : view().timeNs(); }
    [[nodiscard]] qint64 eventCount() const { return qint64(m_applied); }
    [[nodiscard]] double eventCountValue() const { return double(m_applied); }
    [[nodiscard]] double eventRate() const;
    [[nodiscard]] bool behind() const { return m_feed.behind(); }
    [[nodiscard]] bool flooding() const { return m_counters.flooding(); }
    [[nodiscard]] int shellPid() const { return m_shellPid; }
    void setShellPid(int pid);
    [[nodiscard]] bool shellBusy() const { return m_shellBusy; }
    void setShellBusy(bool busy);
    [[nodiscard]] int selectedPid() const { return m_selection.pid(); }
    void setSelectedPid(int pid);
    [[nodiscard]] qint64 selectedMessage() const { return m_selection.message(); }
    void setSelectedMessage(qint64 id);
    // QML sees 64-bit ids as numbers (exact below 2^53).
    [[nodiscard]] double selectedMessageValue() const { return double(selectedMessage()); }
    void setSelectedMessageValue(double id) { setSelectedMessage(qint64(id)); }

signals:
    void updated();
    void countersChanged();
    void floodingChanged();
    void nowChanged();
    void shellPidChanged();
    void selectionChanged();
    void playheadChanged();

private:
    /// Applies `e` live, keeping a snapshot first when one is due.
    void applyLive(const Event &e);
    /// applyLive() for each, counted in the event rate.
    void applyAll(const std::vector<Event> &events);
    /// Tells the views the playhead moved (when `moved`).
    void playheadMoved(bool moved);
    /// Updates the shown time after the playhead or the live clock moved.
    void updateNow(bool force);
    /// Tells the views about a change outside the live stream (a playhead move, a file).
    void emitAll();

    EventFeed m_feed;
    WorldState m_state;
    History m_history;
    Reducer m_reducer{ m_state, m_history };
    Playhead m_playhead;
    Selection m_selection;
    CounterThrottle m_counters;
    uint64_t m_applied = 0;
    int64_t m_nowNs = 0;
    RateMeter m_rate;
    int m_shellPid = 0;
    bool m_shellBusy = false;
    QTimer m_timer;

    std::mutex m_postMutex; // protects m_posted
    std::vector<std::function<void()>> m_posted;
};

} // namespace mailroom
