// SPDX-License-Identifier: MIT
#pragma once

// Internal: the timer service (send_after and the timeouts of timed receives). Not for use
// outside core/.

#include "term.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailroom::detail {

class RuntimeImpl;

class TimerService {
public:
    explicit TimerService(RuntimeImpl &rt);
    ~TimerService();
    TimerService(const TimerService &) = delete;
    TimerService &operator=(const TimerService &) = delete;

    /// A message timer (send_after) under `id` (a fresh Ref value: the caller records its
    /// TimerSet before the timer can fire). Returns the id.
    uint64_t addMessage(Pid setter, Term dest, Term msg, int64_t deadline, uint64_t id);
    /// A wake-up for a process's timed receive: it sets firedToken to `token` and wakes the
    /// process at `deadline` unless the wait has ended by then (its waitToken moved on). Ending
    /// the wait is all it takes to drop it; nothing to cancel.
    void addTimeout(Pid pid, uint64_t token, int64_t deadline);
    /// Removes a message timer; its deadline, or nullopt when it is gone.
    std::optional<int64_t> cancel(uint64_t id);
    /// Removes the message timers aimed at `pid` by its pid (not by a name), as OTP cancels
    /// them when that process exits. Returns their ids. Any thread; cheap while no timer is
    /// aimed at a pid.
    std::vector<uint64_t> cancelAimedAt(Pid pid);
    /// Re-reads the clock (after a speed change or a manual advance).
    void poke();
    void stop();
    /// The earliest deadline set (virtual ns); INT64_MAX when none. Any thread, no lock.
    [[nodiscard]] int64_t nextDeadline() const { return m_next.load(std::memory_order_relaxed); }
    /// Fires the timers that are due. The timer thread's work; schedulers do it too between
    /// processes and while spinning for a deadline (whichever comes first: each fires once).
    /// One thread fires at a time, so timers arrive in deadline order. `wait`: false gives
    /// up when another thread is firing (that one takes everything due).
    void fireDue(bool wait);

private:
    struct Timer {
        bool isTimeout = false;
        Pid pid; // setter (message) or waiting process (timeout)
        uint64_t token = 0;
        Term dest;
        Term msg;
        int64_t deadline = 0;
    };
    /// A timed receive's wake-up. Most end unneeded (a call's reply comes in microseconds),
    /// so ending one costs nothing: it stays in the heap until due, or until a purge finds
    /// its wait over.
    struct Timeout {
        int64_t deadline;
        uint64_t id;
        Pid pid;
        uint64_t token;
    };
    using Due = std::vector<std::pair<uint64_t, Timer>>;
    uint64_t add(Timer t, uint64_t id);
    /// Forgets that the message timer `id` (taken out of the maps) was aimed at a pid.
    void forgetAimLocked(const Timer &t, uint64_t id);
    void loop();
    /// Takes the timers due at `now` out of the maps, earliest first.
    Due takeDueLocked(int64_t now);
    void fire(Due &due);
    /// After a timer was added: whether the timer thread must wake for its deadline.
    [[nodiscard]] bool addedLocked(int64_t deadline);
    void noteNextLocked();
    [[nodiscard]] int64_t earliestLocked() const;
    /// Whether the process has stopped waiting (or is gone). Under the lock, inside an
    /// epoch guard.
    [[nodiscard]] bool waitEnded(const Timeout &t) const;
    /// Drops the timeouts whose waits have ended.
    void purgeTimeoutsLocked();
    /// Drops ended waits' timeouts from the top of the heap, so the earliest deadline is live.
    void dropEndedTimeoutsLocked();

    RuntimeImpl &m_rt;
    std::mutex m_fireMutex; // held while taking due timers and delivering them; before m_mutex
    std::mutex m_mutex; // protects everything below
    std::condition_variable m_cv;
    std::map<std::pair<int64_t, uint64_t>, Timer> m_byDeadline; // message timers
    std::unordered_map<uint64_t, int64_t> m_deadlines; // message timer id -> deadline
    std::unordered_multimap<uint32_t, uint64_t> m_aimedAt; // pid number -> timers aimed at that pid
    std::atomic<size_t> m_aimedCount{ 0 }; // m_aimedAt's size, read without the lock
    std::vector<Timeout> m_timeouts; // a heap, earliest on top
    size_t m_purgeAt = 0; // m_timeouts' size that starts a purge
    bool m_stop = false;
    uint64_t m_pokes = 0;
    // The virtual deadline the thread will wake at by itself (INT64_MAX: it waits for a
    // notify; INT64_MIN: it is firing timers and looks again before sleeping).
    int64_t m_armedFor = INT64_MAX;
    int64_t m_primedFor = INT64_MIN; // the deadline the schedulers were last primed for
    std::atomic<int64_t> m_next{ INT64_MAX }; // the earliest deadline of either kind
    std::thread m_thread;
};

} // namespace mailroom::detail
