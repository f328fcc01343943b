// SPDX-License-Identifier: MIT
#pragma once

// Internal: a scheduler thread and its run queue. Not for use outside core/.

#include "detail/process.h"
#include "detail/switch.h"
#include "eventlog.h"

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace mailroom::detail {

class RuntimeImpl;

class Scheduler {
public:
    Scheduler(RuntimeImpl &rt, int index);
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    void start();
    void join();
    /// Owner thread only: makes p run next on this scheduler.
    void pushNext(Process *p);
    /// Owner thread only.
    void pushBack(Process *p);
    /// `thief`'s thread: takes half this scheduler's queue (at most kStealBatch) from the
    /// back; returns one to run and queues the rest on `thief`.
    Process *steal(Scheduler &thief);
    static constexpr size_t kStealBatch = 32;
    [[nodiscard]] bool hasStealable() const { return m_queueSize.load(std::memory_order_seq_cst) > 0; }
    /// Takes the process `pick` chooses from this scheduler's queues (run-next only on the
    /// owner thread). Any thread.
    Process *takeIf(const std::function<Process *(std::deque<Process *> &)> &pick);
    /// Any thread: wakes the scheduler if it is parked. True when it was.
    bool unpark();
    [[nodiscard]] EventLog::Buffer &events() { return m_events; }
    [[nodiscard]] RuntimeImpl &runtime() const { return m_rt; }

private:
    void loop();
    Process *next();
    void run(Process *p);
    /// After `p` switched out to wait (or hibernated): Waiting, unless something it waits
    /// for came meanwhile.
    void park(Process *p);
    void idle();

    RuntimeImpl &m_rt;
    [[maybe_unused]] const int m_index; // which scheduler it is, for a debugger
    std::thread m_thread;
    Process *m_runNext = nullptr; // owner thread only
    uint32_t m_picks = 0; // processes taken to run; owner thread only
    std::mutex m_queueMutex; // protects m_queue
    std::deque<Process *> m_queue;
    std::atomic<size_t> m_queueSize{ 0 };
    std::atomic<bool> m_parked{ false };
    std::atomic<uint32_t> m_parkSeq{ 0 };
    EventLog::Buffer m_events;
    int64_t m_lastFlush = 0;
    uint32_t m_runsUnchecked = 0; // runs since run() last read the clock
    SwitchSide m_side; // this thread's own stack, for the sanitizers
};

} // namespace mailroom::detail
