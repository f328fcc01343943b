// SPDX-License-Identifier: MIT
#include "eventlog.h"

#include <algorithm>

namespace mailroom {

// `line` sits in the gap between `other` and `ref`: the record's memory per event is what it
// was without it.
static_assert(sizeof(Event) == 40 + 2 * sizeof(Term), "Event::line must fill padding, not grow the event");

EventLog::EventLog(size_t budget)
    : m_budget(std::max<size_t>(budget, 1024)) {}

EventLog::Buffer::Buffer(EventLog &log, const Clock &clock)
    : m_log(&log), m_clock(&clock), m_useTicks(clock.mode() == Clock::Mode::Real && Clock::ticksAreSteady())
{
}

void EventLog::Buffer::flush(bool notify)
{
    if (m_events.empty())
        return;
    numberAll();
    Batch batch;
    if (m_useTicks && m_events.size() >= 2) { // the first event has an exact stamp
        batch.ticks = true;
        batch.anchorTicks = m_anchorTicks;
        batch.anchorTime = m_anchorTime;
        readTogether(batch.endTicks, batch.endTime);
    }
    batch.events = std::move(m_events);
    m_events.clear(); // moved from: valid, empty
    m_log->handOff(std::move(batch), m_events, notify);
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

void EventLog::mapTicks(Batch &batch)
{
    if (!batch.ticks)
        return;
    const double nsPerTick = batch.endTicks > batch.anchorTicks
        ? static_cast<double>(batch.endTime - batch.anchorTime) / static_cast<double>(batch.endTicks - batch.anchorTicks)
        : 0.0;
    int64_t previous = batch.anchorTime;
    for (size_t i = 1; i < batch.events.size(); ++i) {
        const auto ticks = static_cast<uint64_t>(batch.events[i].time);
        int64_t time = batch.anchorTime;
        if (ticks > batch.anchorTicks)
            time += static_cast<int64_t>(static_cast<double>(ticks - batch.anchorTicks) * nsPerTick);
        // A thread that moved to a core whose counter disagrees, or a clock whose speed
        // changed within the batch, still gets stamps in order and within the batch's span.
        time = std::clamp(time, previous, std::max(previous, batch.endTime));
        batch.events[i].time = time;
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
    while (e.seq - m_chunkBase >= m_chunks.size() * kChunk) {
        if (m_spares.empty()) {
            m_chunks.push_back(std::make_unique<Chunk>());
        } else {
            m_chunks.push_back(std::move(m_spares.back()));
            m_spares.pop_back();
        }
    }
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
        if (m_spares.empty())
            m_spares.push_back(std::move(m_chunks.front())); // else freed: the log is at its budget
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

void EventLog::handOff(Batch &&batch, std::vector<Event> &next, bool notify)
{
    size_t pending = 0;
    {
        std::lock_guard lock(m_pendingMutex);
        m_pending.push_back(std::move(batch));
        pending = m_pending.size();
        if (!m_emptied.empty()) {
            next = std::move(m_emptied.back());
            m_emptied.pop_back();
        }
        m_hasPending.store(true, std::memory_order_release);
    }
    if (next.capacity() == 0)
        next.reserve(kBatch);
    if (pending >= kMaxPending)
        placeOldest();
    else if (notify && m_onHandOff)
        m_onHandOff();
}

bool EventLog::growAhead()
{
    {
        std::lock_guard lock(m_mutex);
        const size_t chunks = m_chunks.size() + m_spares.size();
        if (m_spares.size() >= kSpares || chunks * kChunk >= m_budget + 2 * kChunk)
            return false;
    }
    auto chunk = std::make_unique<Chunk>(); // constructing every event touches every page
    std::lock_guard lock(m_mutex);
    m_spares.push_back(std::move(chunk));
    return true;
}

void EventLog::placePending()
{
    if (!hasPending())
        return;
    std::lock_guard lock(m_mutex);
    placePendingLocked();
}

void EventLog::placeOldest()
{
    std::lock_guard lock(m_mutex);
    Batch batch;
    {
        std::lock_guard pendingLock(m_pendingMutex);
        if (m_pending.empty())
            return;
        batch = std::move(m_pending.front());
        m_pending.erase(m_pending.begin());
        m_hasPending.store(!m_pending.empty(), std::memory_order_release);
    }
    mapTicks(batch);
    for (Event &e : batch.events)
        placeLocked(std::move(e));
    batch.events.clear();
    trimLocked();
    std::lock_guard pendingLock(m_pendingMutex);
    if (m_emptied.size() < 2 * kMaxPending)
        m_emptied.push_back(std::move(batch.events));
}

void EventLog::placePendingLocked()
{
    std::vector<Batch> batches;
    {
        std::lock_guard lock(m_pendingMutex);
        batches.swap(m_pending);
        m_hasPending.store(false, std::memory_order_release);
    }
    if (batches.empty())
        return;
    for (Batch &batch : batches) {
        mapTicks(batch);
        for (Event &e : batch.events)
            placeLocked(std::move(e));
        batch.events.clear();
    }
    trimLocked();
    // The vectors go back for the next hand-offs (as many as could be pending at once), so
    // a writer's batches reuse memory that is already mapped.
    std::lock_guard lock(m_pendingMutex);
    for (Batch &batch : batches)
        if (m_emptied.size() < 2 * kMaxPending)
            m_emptied.push_back(std::move(batch.events));
    batches.clear();
    if (m_pending.empty() && m_pending.capacity() < batches.capacity())
        m_pending.swap(batches); // keeps the capacity: no allocation on the next hand-off
}

uint64_t EventLog::read(uint64_t from, size_t max, std::vector<Event> &out) const
{
    std::lock_guard lock(m_mutex);
    // What is published is readable: placing it changes nothing a reader can tell apart
    // from its having been placed at publication (logically const).
    const_cast<EventLog *>(this)->placePendingLocked();
    from = std::max(from, m_base);
    const uint64_t to = std::min<uint64_t>(m_ready, from + max);
    for (uint64_t s = from; s < to; ++s)
        out.push_back(slotLocked(s));
    return std::max(from, to);
}

uint64_t EventLog::end() const
{
    std::lock_guard lock(m_mutex);
    const_cast<EventLog *>(this)->placePendingLocked();
    return m_ready;
}

uint64_t EventLog::dropped() const
{
    std::lock_guard lock(m_mutex);
    const_cast<EventLog *>(this)->placePendingLocked();
    return m_dropped.load(std::memory_order_relaxed);
}

uint64_t EventLog::begin() const
{
    std::lock_guard lock(m_mutex);
    const_cast<EventLog *>(this)->placePendingLocked();
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
