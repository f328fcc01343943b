// SPDX-License-Identifier: MIT
// The timer service: message timers (send_after) and the timeouts of timed receives, fired
// in deadline order by its own thread or by a scheduler that gets there first.

#include "detail/timers.h"

#include "detail/runtime_impl.h"

#include <algorithm>
#include <chrono>

namespace mailroom::detail {

namespace {

// How long before a deadline the timer thread primes the schedulers (primeSchedulers): its
// own wake-up and then theirs each take 100–300 µs on this virtual machine.
constexpr int64_t kPrimeAheadNs = 1'000'000;
// How long after the deadline primed schedulers go on spinning.
constexpr int64_t kPrimeAfterNs = 300'000;

/// Orders a heap of timeouts with the earliest (deadline, id) on top.
constexpr auto kLaterTimeout = [](const auto &a, const auto &b) {
    return std::pair(a.deadline, a.id) > std::pair(b.deadline, b.id);
};
/// Timeouts left in the heap past the live ones before a purge looks for ended waits. Each
/// timeout is looked at once whatever the slack; a small one spreads the purges thin: with
/// 1024 a call loop's purge took ~4 µs once every thousand calls, its p99.9.
constexpr size_t kTimeoutSlack = 64;

} // namespace

TimerService::TimerService(RuntimeImpl &rt)
    : m_rt(rt), m_thread([this] { loop(); }) {}

TimerService::~TimerService() { stop(); }

void TimerService::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

uint64_t TimerService::addMessage(Pid setter, Term dest, Term msg, int64_t deadline, uint64_t id)
{
    Timer t;
    t.pid = setter;
    t.dest = std::move(dest);
    t.msg = std::move(msg);
    t.deadline = deadline;
    return add(std::move(t), id);
}

void TimerService::addTimeout(Pid pid, uint64_t token, int64_t deadline)
{
    const uint64_t id = Ref::make().value; // orders it among message timers of the same deadline
    {
        std::lock_guard lock(m_mutex);
        if (m_timeouts.size() >= m_purgeAt)
            purgeTimeoutsLocked();
        m_timeouts.push_back(Timeout{ deadline, id, pid, token });
        std::push_heap(m_timeouts.begin(), m_timeouts.end(), kLaterTimeout);
        if (!addedLocked(deadline))
            return;
    }
    m_cv.notify_all();
}

bool TimerService::waitEnded(const Timeout &t) const
{
    // The token was taken before the timeout was added under the lock, so it reads as at
    // least t.token here: anything else means the wait is over.
    const Process *p = m_rt.lookup(t.pid);
    return p == nullptr || p->waitToken.load(std::memory_order_relaxed) != t.token;
}

void TimerService::purgeTimeoutsLocked()
{
    // A call loop leaves one ended timeout per call; each is looked at here once, so this
    // costs a lookup per timeout, where removing it when its wait ended cost two frees and
    // a lock.
    EpochManager::Guard guard(m_rt.epochs);
    std::erase_if(m_timeouts, [&](const Timeout &t) { return waitEnded(t); });
    std::make_heap(m_timeouts.begin(), m_timeouts.end(), kLaterTimeout);
    m_purgeAt = 2 * m_timeouts.size() + kTimeoutSlack;
}

void TimerService::dropEndedTimeoutsLocked()
{
    // Before the thread sleeps until the earliest deadline and primes the schedulers to spin
    // for it: the earliest may be a call's timeout whose reply came long ago.
    EpochManager::Guard guard(m_rt.epochs);
    while (!m_timeouts.empty() && waitEnded(m_timeouts.front())) {
        std::pop_heap(m_timeouts.begin(), m_timeouts.end(), kLaterTimeout);
        m_timeouts.pop_back();
    }
    noteNextLocked();
}

uint64_t TimerService::add(Timer t, uint64_t id)
{
    {
        std::lock_guard lock(m_mutex);
        const int64_t deadline = t.deadline;
        if (t.dest.isPid()) {
            m_aimedAt.emplace(t.dest.asPid().number, id);
            // seq_cst, as the load in cancelAimedAt: Runtime::sendAfter then reads the
            // target's state, the exiting target stores its state then reads this count, and
            // with weaker orders both could miss the other (a store-buffer race): the timer
            // would outlive its target.
            m_aimedCount.store(m_aimedAt.size(), std::memory_order_seq_cst);
        }
        m_byDeadline.emplace(std::make_pair(deadline, id), std::move(t));
        m_deadlines.emplace(id, deadline);
        if (!addedLocked(deadline))
            return id;
    }
    m_cv.notify_all();
    return id;
}

bool TimerService::addedLocked(int64_t deadline)
{
    // The thread wakes by itself at m_armedFor and then looks at every timer; only an
    // earlier deadline needs a wake-up. (A call's 5 s timeout, ended and set again by the
    // next call, wakes nobody.)
    noteNextLocked();
    if (deadline >= m_armedFor)
        return false;
    m_armedFor = deadline;
    return true;
}

std::optional<int64_t> TimerService::cancel(uint64_t id)
{
    std::lock_guard lock(m_mutex);
    auto it = m_deadlines.find(id);
    if (it == m_deadlines.end())
        return std::nullopt;
    const int64_t deadline = it->second;
    if (auto node = m_byDeadline.extract({ deadline, id }))
        forgetAimLocked(node.mapped(), id);
    m_deadlines.erase(it);
    noteNextLocked();
    return deadline;
}

std::vector<uint64_t> TimerService::cancelAimedAt(Pid pid)
{
    std::vector<uint64_t> ids;
    if (m_aimedCount.load(std::memory_order_seq_cst) == 0)
        return ids; // an exit with no timer aimed at any pid takes no lock (see add)
    std::lock_guard lock(m_mutex);
    const auto [first, last] = m_aimedAt.equal_range(pid.number);
    for (auto it = first; it != last; ++it) {
        const uint64_t id = it->second;
        if (auto deadline = m_deadlines.find(id); deadline != m_deadlines.end()) {
            m_byDeadline.erase({ deadline->second, id });
            m_deadlines.erase(deadline);
            ids.push_back(id);
        }
    }
    m_aimedAt.erase(first, last);
    m_aimedCount.store(m_aimedAt.size(), std::memory_order_relaxed);
    noteNextLocked();
    return ids;
}

void TimerService::forgetAimLocked(const Timer &t, uint64_t id)
{
    if (!t.dest.isPid())
        return;
    const auto [first, last] = m_aimedAt.equal_range(t.dest.asPid().number);
    for (auto it = first; it != last; ++it) {
        if (it->second == id) {
            m_aimedAt.erase(it);
            break;
        }
    }
    m_aimedCount.store(m_aimedAt.size(), std::memory_order_relaxed);
}

void TimerService::poke()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_pokes;
    }
    m_cv.notify_all();
}

int64_t TimerService::earliestLocked() const
{
    const int64_t message = m_byDeadline.empty() ? INT64_MAX : m_byDeadline.begin()->first.first;
    const int64_t timeout = m_timeouts.empty() ? INT64_MAX : m_timeouts.front().deadline;
    return std::min(message, timeout);
}

void TimerService::noteNextLocked() { m_next.store(earliestLocked(), std::memory_order_relaxed); }

TimerService::Due TimerService::takeDueLocked(int64_t now)
{
    Due due;
    for (;;) {
        const bool message = !m_byDeadline.empty() && m_byDeadline.begin()->first.first <= now;
        const bool timeout = !m_timeouts.empty() && m_timeouts.front().deadline <= now;
        const auto timeoutFirst = [&] {
            const Timeout &t = m_timeouts.front();
            return std::pair(t.deadline, t.id) < m_byDeadline.begin()->first;
        };
        if (timeout && (!message || timeoutFirst())) {
            std::pop_heap(m_timeouts.begin(), m_timeouts.end(), kLaterTimeout);
            const Timeout t = m_timeouts.back();
            m_timeouts.pop_back();
            Timer fired;
            fired.isTimeout = true;
            fired.pid = t.pid;
            fired.token = t.token;
            fired.deadline = t.deadline;
            due.emplace_back(t.id, std::move(fired));
        } else if (message) {
            auto node = m_byDeadline.extract(m_byDeadline.begin());
            m_deadlines.erase(node.key().second);
            forgetAimLocked(node.mapped(), node.key().second);
            due.emplace_back(node.key().second, std::move(node.mapped()));
        } else {
            break;
        }
    }
    noteNextLocked();
    return due;
}

void TimerService::fireDue(bool wait)
{
    // Taking and delivering under one lock: a thread that took later timers cannot deliver
    // them before another has delivered the earlier ones it took.
    std::unique_lock firing(m_fireMutex, std::defer_lock);
    if (wait)
        firing.lock();
    else if (!firing.try_lock())
        return;
    Due due;
    {
        std::lock_guard lock(m_mutex);
        due = takeDueLocked(m_rt.clock.now());
    }
    fire(due);
}

void TimerService::fire(Due &due)
{
    for (auto &[id, t] : due) {
        if (t.isTimeout) {
            EpochManager::Guard guard(m_rt.epochs);
            if (Process *p = m_rt.lookup(t.pid); p != nullptr && p->waitToken.load() == t.token) {
                // Stale when the wait has just ended: its token no longer matches then.
                p->firedToken.store(t.token, std::memory_order_seq_cst);
                m_rt.wake(p);
            }
            continue;
        }
        Event fire;
        fire.type = EventType::TimerFire;
        fire.pid = t.pid;
        fire.ref = id;
        fire.flags = EventDeliveryTagged;
        fire.term = t.msg;
        m_rt.facade.record(std::move(fire));
        const Pid to = m_rt.resolve(t.dest);
        if (to.isValid())
            m_rt.deliver(t.pid, to, Envelope::Type::Message, MessageKind::Info, std::move(t.msg), 0, id);
    }
}

void TimerService::loop()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        dropEndedTimeoutsLocked();
        const int64_t next = earliestLocked();
        if (next == INT64_MAX) {
            m_armedFor = INT64_MAX;
            m_cv.wait(lock);
            continue;
        }
        if (next > m_rt.clock.now()) {
            const auto deadline = m_rt.clock.realDeadline(next);
            if (deadline == Clock::RealTime::max()) {
                m_armedFor = INT64_MAX; // the clock stands still: any new timer may matter
                m_cv.wait(lock);
                continue;
            }
            m_armedFor = next;
            const auto primeAt = deadline - std::chrono::nanoseconds(kPrimeAheadNs);
            if (Clock::RealTime::clock::now() < primeAt) {
                m_cv.wait_until(lock, primeAt);
                continue;
            }
            if (m_primedFor != next) {
                m_primedFor = next;
                m_rt.primeSchedulers(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count()
                    + kPrimeAfterNs);
            }
            m_cv.wait_until(lock, deadline);
            continue;
        }
        m_armedFor = INT64_MIN; // busy firing: it looks at the map again before it sleeps
        lock.unlock();
        fireDue(true);
        lock.lock();
    }
}

} // namespace mailroom::detail
