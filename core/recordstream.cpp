// SPDX-License-Identifier: MIT
#include "recordstream.h"

#include "runtime.h"

#include <chrono>
#include <vector>

namespace mailroom {

namespace {
/// How often the thread looks for new events when there were none.
constexpr auto kPoll = std::chrono::milliseconds(5);
constexpr size_t kBatch = 4096;
} // namespace

RecordStream::RecordStream(Runtime &runtime, std::ostream &out)
    : m_runtime(runtime), m_out(out), m_writer(out), m_next(runtime.events().begin()), m_thread([this] { loop(); })
{
}

RecordStream::~RecordStream() { (void)finish(); }

bool RecordStream::writeAvailable()
{
    EventLog &log = m_runtime.events();
    // Up to what is recorded now: a run that records faster than this writes must not keep
    // the writer (or finish()) here for ever.
    const uint64_t end = log.end();
    std::vector<Event> batch;
    batch.reserve(kBatch);
    bool any = false;
    while (m_next < end) {
        batch.clear();
        const uint64_t next = log.read(m_next, kBatch, batch);
        if (batch.empty())
            return any;
        any = true;
        for (const Event &e : batch)
            m_writer.write(e);
        m_written.fetch_add(batch.size(), std::memory_order_relaxed);
        m_next = next;
        // Behind by half the budget: stop the world until the file has caught up.
        const uint64_t behind = log.end() - m_next;
        if (!m_pausedByUs && behind > log.budget() / 2) {
            m_runtime.setPaused(true);
            m_pausedByUs = true;
        } else if (m_pausedByUs && behind < log.budget() / 8) {
            m_runtime.setPaused(false);
            m_pausedByUs = false;
        }
    }
    return any;
}

void RecordStream::loop()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        lock.unlock();
        const bool wrote = writeAvailable();
        if (wrote)
            m_out.flush();
        lock.lock();
        if (!wrote)
            m_cv.wait_for(lock, kPoll, [this] { return m_stop; });
    }
}

bool RecordStream::finish()
{
    std::unique_lock lock(m_mutex);
    if (m_stop) {
        m_cv.wait(lock, [this] { return m_finished; });
        return m_ok;
    }
    m_stop = true;
    lock.unlock();
    m_cv.notify_all();
    m_thread.join();
    (void)writeAvailable(); // what came after the thread's last look
    if (m_pausedByUs) {
        m_runtime.setPaused(false);
        m_pausedByUs = false;
    }
    m_out.flush();
    lock.lock();
    m_ok = static_cast<bool>(m_out);
    m_finished = true;
    m_cv.notify_all();
    return m_ok;
}

} // namespace mailroom
