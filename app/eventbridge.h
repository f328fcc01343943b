#pragma once

// The one place where the runtime's threads meet the GUI thread.
//
// Once per frame, on the GUI thread, the bridge reads what the runtime recorded since the
// last frame (EventLog::read, by sequence number), applies it to the WorldState and the
// History, and emits updated() once: every model syncs from there, so a burst of events
// becomes one batched model update per frame. Runtime threads reach the GUI only through
// post(), whose queue is drained on the same frame tick.

#include "world.h"

#include <QElapsedTimer>
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
    /// Events applied so far.
    Q_PROPERTY(double eventCount READ eventCountValue NOTIFY updated)
    /// Events per second of virtual time over the last second.
    Q_PROPERTY(double eventRate READ eventRate NOTIFY updated)
    /// True while more events wait than one frame applies (the views catch up).
    Q_PROPERTY(bool behind READ behind NOTIFY updated)
    /// The shell process, named "iex" on the stage.
    Q_PROPERTY(int shellPid READ shellPid WRITE setShellPid NOTIFY shellPidChanged)
    /// What the user selected (a trace line, a card): highlighted everywhere.
    Q_PROPERTY(int selectedPid READ selectedPid WRITE setSelectedPid NOTIFY selectionChanged)
    Q_PROPERTY(double selectedMessage READ selectedMessageValue WRITE setSelectedMessageValue NOTIFY
            selectionChanged)

public:
    /// Time spent applying events per frame before the rest waits for the next frame.
    static constexpr int kFrameBudgetMs = 8;
    static constexpr int64_t kNowStepMs = 50;

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

    /// Runs `task` on the GUI thread at the next frame. Any thread.
    void post(std::function<void()> task);

    [[nodiscard]] const WorldState &view() const { return m_state; }
    [[nodiscard]] const History &history() const { return m_history; }
    [[nodiscard]] Reducer &reducer() { return m_reducer; }
    [[nodiscard]] Runtime *runtime() const { return m_runtime; }

    [[nodiscard]] double nowMs() const { return double(m_shownNowNs) / 1e6; }
    /// The virtual time of the last frame (not stepped).
    [[nodiscard]] int64_t nowNs() const { return m_nowNs; }
    [[nodiscard]] qint64 eventCount() const { return qint64(m_applied); }
    [[nodiscard]] double eventCountValue() const { return double(m_applied); }
    [[nodiscard]] double eventRate() const;
    [[nodiscard]] bool behind() const { return m_behind; }
    [[nodiscard]] int shellPid() const { return m_shellPid; }
    void setShellPid(int pid);
    [[nodiscard]] int selectedPid() const { return m_selectedPid; }
    void setSelectedPid(int pid);
    [[nodiscard]] qint64 selectedMessage() const { return m_selectedMessage; }
    void setSelectedMessage(qint64 id);
    // QML sees 64-bit ids as numbers (exact below 2^53).
    [[nodiscard]] double selectedMessageValue() const { return double(m_selectedMessage); }
    void setSelectedMessageValue(double id) { setSelectedMessage(qint64(id)); }

signals:
    void updated();
    void nowChanged();
    void shellPidChanged();
    void selectionChanged();

private:
    Runtime *m_runtime = nullptr;
    WorldState m_state;
    History m_history;
    Reducer m_reducer { m_state, m_history };
    uint64_t m_next = 1;
    uint64_t m_applied = 0;
    int64_t m_nowNs = 0;
    int64_t m_shownNowNs = 0;
    bool m_behind = false;
    RateMeter m_rate;
    int m_shellPid = 0;
    int m_selectedPid = 0;
    qint64 m_selectedMessage = 0;
    QTimer m_timer;
    std::vector<Event> m_batch;

    std::mutex m_postMutex; // protects m_posted
    std::vector<std::function<void()>> m_posted;
};

} // namespace mailroom
