#include "eventbridge.h"

#include "runtime.h"

namespace mailroom {

namespace {
constexpr size_t kChunk = 2048; // events copied per EventLog::read, so its lock is held briefly
}

EventBridge::EventBridge(QObject *parent, size_t historyBudget)
    : QObject(parent)
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
            for (const Event &e : m_batch) {
                m_reducer.apply(e);
                m_rate.add(e.time);
            }
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

    emit updated();
    if (m_nowNs - m_shownNowNs >= kNowStepMs * 1'000'000 || m_nowNs < m_shownNowNs || applied > 0) {
        m_shownNowNs = m_nowNs;
        emit nowChanged();
    }
    return applied;
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
