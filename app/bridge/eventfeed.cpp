// SPDX-License-Identifier: MIT
#include "eventfeed.h"

#include "runtime.h"

#include <QElapsedTimer>

namespace mailroom {

void EventFeed::attach(Runtime *runtime)
{
    m_runtime = runtime;
    if (runtime != nullptr)
        m_next = runtime->events().begin();
}

size_t EventFeed::read(bool all, const std::function<void(const std::vector<Event> &)> &apply)
{
    if (m_runtime == nullptr)
        return 0;
    size_t read = 0;
    QElapsedTimer spent;
    spent.start();
    const EventLog &log = m_runtime->events();
    for (;;) {
        m_batch.clear();
        m_next = log.read(m_next, kChunk, m_batch);
        apply(m_batch);
        read += m_batch.size();
        if (m_batch.size() < kChunk)
            break;
        if (!all && spent.elapsed() >= kFrameBudgetMs)
            break;
    }
    m_batch.clear();
    m_behind = m_next < log.end();
    return read;
}

} // namespace mailroom
