// SPDX-License-Identifier: MIT
#include "eventlog.h"

#include <algorithm>

namespace mailroom {

EventLog::EventLog(size_t budget)
    : m_budget(std::max<size_t>(budget, 1024)) {}

EventLog::Buffer::Buffer(EventLog &log, const Clock &clock)
    : m_log(&log), m_clock(&clock), m_useTicks(clock.mode() == Clock::Mode::Real && Clock::ticksAreSteady())
{
}

void EventLog::Buffer::flush()
{
    if (m_events.empty())
        return;
    numberAll();
    if (m_useTicks)
        mapTicks();
    m_log->appendBatch(m_events);
}

void EventLog::Buffer::readTogether(uint64_t &ticks, int64_t &time) const
{
    // Between two clock readings, so that a thread preempted in between (which would skew
    // every stamp of the batch) is caught and reads again.
    constexpr int64_t kTogetherNs = 2'000;
    for (int attempt = 0;; ++attempt) {
        const int64_t before = m_clock->now();
        ticks = Clock::ticks();
        const int64_t after = m_clock->now();
        time = before + (after - before) / 2;
        if (after - before <= kTogetherNs || attempt == 3)
            return;
    }
}

void EventLog::Buffer::mapTicks()
{
    if (m_events.size() < 2)
        return; // the first event has an exact stamp
    uint64_t endTicks = 0;
    int64_t endTime = 0;
    readTogether(endTicks, endTime);
    const double nsPerTick = endTicks > m_anchorTicks
        ? static_cast<double>(endTime - m_anchorTime) / static_cast<double>(endTicks - m_anchorTicks)
        : 0.0;
    int64_t previous = m_anchorTime;
    for (size_t i = 1; i < m_events.size(); ++i) {
        const auto ticks = static_cast<uint64_t>(m_events[i].time);
        int64_t time = m_anchorTime;
        if (ticks > m_anchorTicks)
            time += static_cast<int64_t>(static_cast<double>(ticks - m_anchorTicks) * nsPerTick);
        // A thread that moved to a core whose counter disagrees, or a clock whose speed
        // changed within the batch, still gets stamps in order and within the batch's span.
        time = std::clamp(time, previous, std::max(previous, endTime));
        m_events[i].time = time;
        previous = time;
    }
}

Event &EventLog::slotLocked(uint64_t seq) const
{
    const uint64_t index = seq - m_chunkBase;
    return m_chunks[index / kChunk]->events[index % kChunk];
}

void EventLog::placeLocked(Event &&e)
{
    if (e.seq < m_base) {
        // Its slot was trimmed while it sat in a buffer: count it as dropped.
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    while (e.seq - m_chunkBase >= m_chunks.size() * kChunk)
        m_chunks.push_back(m_spare ? std::move(m_spare) : std::make_unique<Chunk>());
    m_top = std::max(m_top, e.seq + 1);
    slotLocked(e.seq) = std::move(e);
}

void EventLog::trimLocked()
{
    // A slot is filled when it holds its own seq: a reused chunk's slots still hold events
    // a whole budget older.
    while (m_ready < m_top && slotLocked(m_ready).seq == m_ready)
        ++m_ready;
    // Drop only the oldest published events, never a slot a writer still has to fill. The
    // dropped events stay in their slots until the chunk is reused and they are overwritten:
    // touching each one here would read cold memory a whole budget behind the writers.
    if (m_top - m_base <= m_budget || m_base >= m_ready)
        return;
    const uint64_t newBase = std::min(m_top - m_budget, m_ready);
    m_dropped.fetch_add(newBase - m_base, std::memory_order_relaxed);
    m_base = newBase;
    while (m_base - m_chunkBase >= kChunk) {
        m_spare = std::move(m_chunks.front());
        m_chunks.pop_front();
        m_chunkBase += kChunk;
    }
}

void EventLog::append(Event &&e)
{
    std::lock_guard lock(m_mutex);
    placeLocked(std::move(e));
    trimLocked();
}

void EventLog::appendBatch(std::vector<Event> &events)
{
    std::lock_guard lock(m_mutex);
    for (auto &e : events)
        placeLocked(std::move(e));
    events.clear();
    trimLocked();
}

uint64_t EventLog::read(uint64_t from, size_t max, std::vector<Event> &out) const
{
    std::lock_guard lock(m_mutex);
    from = std::max(from, m_base);
    const uint64_t to = std::min<uint64_t>(m_ready, from + max);
    for (uint64_t s = from; s < to; ++s)
        out.push_back(slotLocked(s));
    return std::max(from, to);
}

uint64_t EventLog::end() const
{
    std::lock_guard lock(m_mutex);
    return m_ready;
}

uint64_t EventLog::begin() const
{
    std::lock_guard lock(m_mutex);
    return m_base;
}

std::string_view toString(EventType type)
{
    switch (type) {
    case EventType::Spawn: return "spawn";
    case EventType::Exit: return "exit";
    case EventType::Link: return "link";
    case EventType::Unlink: return "unlink";
    case EventType::Monitor: return "monitor";
    case EventType::Demonitor: return "demonitor";
    case EventType::Send: return "send";
    case EventType::Dequeue: return "dequeue";
    case EventType::HandlerBegin: return "handler_begin";
    case EventType::HandlerEnd: return "handler_end";
    case EventType::TimerSet: return "timer_set";
    case EventType::TimerFire: return "timer_fire";
    case EventType::TimerCancel: return "timer_cancel";
    case EventType::Suspend: return "suspend";
    case EventType::Resume: return "resume";
    case EventType::Register: return "register";
    case EventType::Unregister: return "unregister";
    case EventType::Output: return "output";
    case EventType::BlockBegin: return "block_begin";
    case EventType::BlockEnd: return "block_end";
    case EventType::TraceFlag: return "trace_flag";
    case EventType::StateInit: return "state_init";
    }
    return "unknown";
}

std::string_view toString(MessageKind kind)
{
    switch (kind) {
    case MessageKind::Info: return "info";
    case MessageKind::Call: return "call";
    case MessageKind::Cast: return "cast";
    case MessageKind::Reply: return "reply";
    case MessageKind::System: return "system";
    }
    return "unknown";
}

} // namespace mailroom
