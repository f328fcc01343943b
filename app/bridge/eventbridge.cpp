// SPDX-License-Identifier: MIT
#include "eventbridge.h"

#include "runtime.h"

#include <algorithm>

namespace mailroom {

EventBridge::EventBridge(QObject *parent, size_t historyBudget)
    : QObject(parent)
    , m_history(historyBudget)
    , m_playhead(m_state, m_history, historyBudget)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { pump(); });
}

EventBridge::~EventBridge() = default;

void EventBridge::attach(Runtime *runtime)
{
    m_feed.attach(runtime);
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
    const auto applied
        = int(m_feed.read(all, [this](const std::vector<Event> &events) { applyAll(events); }));
    // Live, the views show now; the clock is lock-free to read.
    if (Runtime *runtime = m_feed.runtime(); runtime != nullptr)
        m_nowNs = std::max(runtime->clock().now(), m_state.timeNs());
    m_applied += uint64_t(applied);

    std::vector<std::function<void()>> posted;
    {
        std::lock_guard lock(m_postMutex);
        posted.swap(m_posted);
    }
    for (auto &task : posted)
        task();

    const bool tell = m_counters.admit(uint64_t(applied));
    if (m_counters.floodingChanged())
        emit floodingChanged();
    emit updated();
    if (tell) {
        emit countersChanged();
        updateNow(m_counters.told());
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
    if (m_counters.showNow(nowNs(), force))
        emit nowChanged();
}

void EventBridge::applyLive(const Event &e)
{
    m_playhead.beforeLive(e);
    m_reducer.apply(e);
    m_playhead.afterLive();
}

void EventBridge::applyAll(const std::vector<Event> &events)
{
    for (const Event &e : events) {
        applyLive(e);
        m_rate.add(e.time);
    }
}

void EventBridge::playheadMoved(bool moved)
{
    if (!moved)
        return;
    emit playheadChanged();
    emitAll();
}

void EventBridge::freeze()
{
    playheadMoved(m_playhead.freeze());
}

void EventBridge::goLive()
{
    playheadMoved(m_playhead.goLive());
}

void EventBridge::seek(double seq)
{
    playheadMoved(m_playhead.moveTo(seq <= 0 ? 0 : uint64_t(seq)));
}

void EventBridge::stepBy(int events)
{
    const auto from = int64_t(limitSeq());
    playheadMoved(m_playhead.moveTo(uint64_t(std::max<int64_t>(0, from + events))));
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

void EventBridge::setShellBusy(bool busy)
{
    if (m_shellBusy == busy)
        return;
    m_shellBusy = busy;
    emit shellPidChanged();
}

void EventBridge::setSelectedPid(int pid)
{
    if (m_selection.setPid(pid))
        emit selectionChanged();
}

void EventBridge::setSelectedMessage(qint64 id)
{
    if (m_selection.setMessage(id))
        emit selectionChanged();
}

} // namespace mailroom
