#include "eventbridge.h"

#include "runtime.h"

#include <algorithm>

namespace mailroom {

namespace {
constexpr size_t kChunk = 2048; // events copied per EventLog::read, so its lock is held briefly
}

EventBridge::EventBridge(QObject *parent, size_t historyBudget)
    : QObject(parent)
    , m_historyBudget(historyBudget)
    , m_history(historyBudget)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { pump(); });
}

EventBridge::~EventBridge() = default;

void EventBridge::attach(Runtime *runtime)
{
    m_runtime = runtime;
    if (runtime != nullptr)
        m_next = runtime->events().begin();
}

void EventBridge::start(int intervalMs)
{
    m_timer.start(intervalMs);
}

void EventBridge::stop()
{
    m_timer.stop();
}

int EventBridge::pump(bool all)
{
    int applied = 0;
    if (m_runtime != nullptr) {
        QElapsedTimer spent;
        spent.start();
        const EventLog &log = m_runtime->events();
        for (;;) {
            m_batch.clear();
            m_next = log.read(m_next, kChunk, m_batch);
            applyAll(m_batch);
            applied += int(m_batch.size());
            if (m_batch.size() < kChunk)
                break;
            if (!all && spent.elapsed() >= kFrameBudgetMs)
                break;
        }
        m_batch.clear();
        m_behind = m_next < log.end();
        // Live, the views show now; the clock is lock-free to read.
        m_nowNs = std::max(m_runtime->clock().now(), m_state.timeNs());
    }
    m_applied += uint64_t(applied);

    std::vector<std::function<void()>> posted;
    {
        std::lock_guard lock(m_postMutex);
        posted.swap(m_posted);
    }
    for (auto &task : posted)
        task();

    m_heldEvents += uint64_t(applied);
    const bool tell = m_throttle.admit(m_heldEvents);
    if (m_throttle.flooding() != m_flooding) {
        m_flooding = m_throttle.flooding();
        emit floodingChanged();
    }
    emit updated();
    if (tell) {
        emit countersChanged();
        updateNow(m_heldEvents > 0);
        m_heldEvents = 0;
    }
    return applied;
}

void EventBridge::emitAll()
{
    emit updated();
    emit countersChanged();
    updateNow(true);
}

void EventBridge::updateNow(bool force)
{
    const int64_t now = nowNs();
    if (force || now - m_shownNowNs >= kNowStepMs * 1'000'000 || now < m_shownNowNs) {
        m_shownNowNs = now;
        emit nowChanged();
    }
}

void EventBridge::applyLive(const Event &e)
{
    const bool gap = m_history.endSeq() == m_history.firstSeq() || e.seq != m_history.endSeq();
    if (gap || e.seq >= m_snapshotDue) {
        // What came before a gap cannot be replayed past it.
        if (gap)
            m_snapshots.clear();
        size_t parts = m_state.processes().size() + m_state.timers().size();
        for (const ProcessRecord &p : m_state.processes())
            parts += p.mailbox.size();
        Snapshot snapshot { m_state };
        snapshot.state.setSeq(e.seq - 1, m_state.timeNs());
        m_snapshots.push_back(std::move(snapshot));
        const uint64_t every = std::min<uint64_t>(kSnapshotEvery, std::max<uint64_t>(m_historyBudget / 8, 1));
        m_snapshotDue = e.seq + std::max<uint64_t>(every, parts);
    }
    m_reducer.apply(e);
    // A snapshot is of use while the events after it are kept.
    while (!m_snapshots.empty() && m_snapshots.front().state.seq() + 1 < m_history.firstSeq())
        m_snapshots.pop_front();
}

void EventBridge::applyAll(const std::vector<Event> &events)
{
    for (const Event &e : events) {
        applyLive(e);
        m_rate.add(e.time);
    }
}

uint64_t EventBridge::firstSeq() const
{
    return m_snapshots.empty() ? m_state.seq() : m_snapshots.front().state.seq();
}

void EventBridge::freeze()
{
    if (!m_live)
        return;
    m_scrub = m_state;
    m_live = false;
    ++m_playheadEpoch;
    emit playheadChanged();
    emitAll();
}

void EventBridge::goLive()
{
    if (m_live)
        return;
    m_live = true;
    m_scrub = {};
    ++m_playheadEpoch;
    emit playheadChanged();
    emitAll();
}

void EventBridge::seek(double seq)
{
    moveTo(seq <= 0 ? 0 : uint64_t(seq));
}

void EventBridge::stepBy(int events)
{
    const auto from = int64_t(limitSeq());
    moveTo(uint64_t(std::max<int64_t>(0, from + events)));
}

void EventBridge::moveTo(uint64_t seq)
{
    seq = std::clamp(seq, firstSeq(), m_state.seq());
    if (!m_live && seq == m_scrub.seq())
        return;
    // Forward a little from where the playhead is, or from the last snapshot before `seq`.
    const bool forward = !m_live && m_scrub.seq() < seq && m_scrub.seq() + 1 >= m_history.firstSeq()
        && seq - m_scrub.seq() <= kSnapshotEvery;
    if (!forward) {
        const auto after = std::upper_bound(m_snapshots.begin(), m_snapshots.end(), seq,
            [](uint64_t s, const Snapshot &snapshot) { return s < snapshot.state.seq(); });
        if (after == m_snapshots.begin())
            m_scrub = m_state; // nothing kept before: only now can be shown
        else
            m_scrub = std::prev(after)->state;
    }
    for (uint64_t s = m_scrub.seq() + 1; s <= seq; ++s) {
        if (const Event *e = m_history.event(s))
            m_scrubReducer.apply(*e);
    }
    m_scrub.setSeq(seq, m_scrub.timeNs());
    m_live = false;
    ++m_playheadEpoch;
    emit playheadChanged();
    emitAll();
}

void EventBridge::feed(const std::vector<Event> &events)
{
    applyAll(events);
    m_applied += events.size();
    m_nowNs = m_state.timeNs();
    emitAll();
}

void EventBridge::post(std::function<void()> task)
{
    std::lock_guard lock(m_postMutex);
    m_posted.push_back(std::move(task));
}

double EventBridge::eventRate() const
{
    return m_rate.perSecond(m_nowNs);
}

void EventBridge::setShellPid(int pid)
{
    if (m_shellPid == pid)
        return;
    m_shellPid = pid;
    emit shellPidChanged();
}

void EventBridge::setSelectedPid(int pid)
{
    if (m_selectedPid == pid)
        return;
    m_selectedPid = pid;
    emit selectionChanged();
}

void EventBridge::setSelectedMessage(qint64 id)
{
    if (m_selectedMessage == id)
        return;
    m_selectedMessage = id;
    emit selectionChanged();
}

} // namespace mailroom
