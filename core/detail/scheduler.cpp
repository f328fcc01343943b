// SPDX-License-Identifier: MIT
// The schedulers: one thread each, running processes from its own queue, stealing from
// the others' when it runs dry, and parking when there is nothing to do.

#include "detail/scheduler.h"

#include "detail/runtime_impl.h"
#include "detail/switch.h"

#include <algorithm>
#include <array>

namespace mailroom::detail {

namespace {

constexpr int kSpinRounds = 2000;
/// A scheduler looks at the processes started from outside before its own queue once in
/// this many picks.
constexpr uint32_t kInjectedEvery = 61;

constexpr int64_t kFlushIntervalNs = 1'000'000;
// A scheduler reads the clock after this many runs (or a long one) to fire due timers and
// publish its events. Runs that end in a wait are short; the timer thread fires the timers
// of a scheduler stuck in a long one.
constexpr uint32_t kCheckEveryRuns = 8;

void cpuRelax()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

} // namespace

Scheduler::Scheduler(RuntimeImpl &rt, int index)
    : m_rt(rt), m_index(index), m_events(rt.log, rt.clock) {}

void Scheduler::start()
{
    m_thread = std::thread([this] { loop(); });
}

void Scheduler::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void Scheduler::pushNext(Process *p)
{
    if (m_runNext != nullptr)
        pushBack(m_runNext);
    m_runNext = p;
}

void Scheduler::pushBack(Process *p)
{
    {
        std::lock_guard lock(m_queueMutex);
        m_queue.push_back(p);
    }
    m_queueSize.fetch_add(1, std::memory_order_seq_cst);
    m_rt.wakeIdleScheduler();
}

Process *Scheduler::steal(Scheduler &thief)
{
    // Half the queue, from the back: one lock per batch rather than per process, and the
    // thief does not come straight back for the next.
    std::array<Process *, kStealBatch> taken{};
    size_t n = 0;
    {
        std::lock_guard lock(m_queueMutex);
        n = std::min(kStealBatch, (m_queue.size() + 1) / 2);
        for (size_t i = 0; i < n; ++i) {
            taken[i] = m_queue.back();
            m_queue.pop_back();
        }
        if (n != 0)
            m_queueSize.fetch_sub(n, std::memory_order_seq_cst);
    }
    if (n > 1) {
        {
            std::lock_guard lock(thief.m_queueMutex);
            for (size_t i = n - 1; i >= 1; --i)
                thief.m_queue.push_back(taken[i]);
        }
        thief.m_queueSize.fetch_add(n - 1, std::memory_order_seq_cst);
    }
    return n != 0 ? taken[0] : nullptr;
}

Process *Scheduler::takeIf(const std::function<Process *(std::deque<Process *> &)> &pick)
{
    if (m_runNext != nullptr && readScheduler() == this) {
        std::deque<Process *> one{ m_runNext };
        if (Process *p = pick(one)) {
            m_runNext = nullptr;
            return p;
        }
    }
    std::lock_guard lock(m_queueMutex);
    Process *p = pick(m_queue);
    if (p != nullptr)
        m_queueSize.fetch_sub(1, std::memory_order_seq_cst);
    return p;
}

bool Scheduler::unpark()
{
    if (!m_parked.load(std::memory_order_seq_cst))
        return false;
    m_parked.store(false, std::memory_order_seq_cst);
    m_parkSeq.fetch_add(1, std::memory_order_seq_cst);
    m_parkSeq.notify_one();
    return true;
}

Process *Scheduler::next()
{
    if (m_rt.paused.load(std::memory_order_acquire))
        return m_rt.stepTarget.load() != 0 ? m_rt.takeStepTarget() : nullptr;
    // Processes that yield go back to this scheduler's own queue and would be picked again
    // before anything spawned from outside the runtime ever ran: now and then, those first
    // (Go's scheduler looks at its global queue every 61 picks for the same reason).
    if (++m_picks % kInjectedEvery == 0)
        if (Process *p = m_rt.takeInjected())
            return p;
    if (Process *p = m_runNext) {
        m_runNext = nullptr;
        return p;
    }
    if (m_queueSize.load(std::memory_order_relaxed) > 0) {
        std::lock_guard lock(m_queueMutex);
        if (!m_queue.empty()) {
            Process *p = m_queue.front();
            m_queue.pop_front();
            m_queueSize.fetch_sub(1, std::memory_order_seq_cst);
            return p;
        }
    }
    if (Process *p = m_rt.takeInjected())
        return p;
    for (auto &other : m_rt.schedulers)
        if (other.get() != this && other->hasStealable())
            if (Process *p = other->steal(*this))
                return p;
    return nullptr;
}

void Scheduler::idle()
{
    m_events.flush(false); // placed just below: no one else need wake for it
    // Nothing to run: place the batches the busy schedulers published, which they would
    // otherwise place themselves, in the middle of a process's run.
    m_rt.log.placePending();
    const auto hasWork = [this] {
        if (m_rt.paused.load(std::memory_order_seq_cst))
            return m_rt.stepTarget.load(std::memory_order_seq_cst) != 0;
        if (m_runNext != nullptr || m_rt.hasInjected() || m_rt.log.hasPending())
            return true;
        return std::any_of(m_rt.schedulers.begin(), m_rt.schedulers.end(),
            [](const auto &s) { return s->hasStealable(); });
    };
    // Spin briefly first: a cross-thread wake-up through the kernel costs tens of µs here.
    // True as soon as there is something to do; false after `rounds` pauses without.
    const auto spin = [&](int rounds) {
        for (int i = 0; i < rounds; ++i) {
            if (hasWork() || m_rt.stopping.load(std::memory_order_relaxed))
                return true;
            cpuRelax();
        }
        return false;
    };
    // Still nothing: make chunks for a growing record ahead, so the busy schedulers do not
    // fault their pages in (one at a time, looking for work between).
    while (!hasWork() && !m_rt.stopping.load(std::memory_order_relaxed) && m_rt.log.growAhead()) {
    }
    if (spin(kSpinRounds))
        return;
    // A timer is about to fire (primeSchedulers): one scheduler spins on and fires it at
    // its deadline; the others park.
    if (Clock::realNs() < m_rt.spinUntilNs.load(std::memory_order_relaxed)
        && !m_rt.timerWatch.exchange(true, std::memory_order_acquire)) {
        struct Release {
            std::atomic<bool> &watch;
            ~Release() { watch.store(false, std::memory_order_release); }
        } release{ m_rt.timerWatch };
        while (Clock::realNs() < m_rt.spinUntilNs.load(std::memory_order_relaxed)) {
            if (spin(16))
                return;
            if (m_rt.clock.now() >= m_rt.timers->nextDeadline())
                m_rt.timers->fireDue(false);
        }
    }
    const uint32_t seq = m_parkSeq.load(std::memory_order_seq_cst);
    m_parked.store(true, std::memory_order_seq_cst);
    if (hasWork() || m_rt.stopping.load(std::memory_order_seq_cst)) {
        m_parked.store(false, std::memory_order_seq_cst);
        return;
    }
    m_parkSeq.wait(seq, std::memory_order_seq_cst);
    m_parked.store(false, std::memory_order_seq_cst);
}

void Scheduler::run(Process *p)
{
    if (!p->fiber) {
        switch (m_rt.settleStackless(p)) {
        case RuntimeImpl::Stackless::Exited:
            return;
        case RuntimeImpl::Stackless::Idle:
            park(p);
            return;
        case RuntimeImpl::Stackless::Run:
            if (!m_rt.rehydrate(p))
                return;
            break;
        }
    }
    p->state.store(RunState::Running, std::memory_order_relaxed);
    p->scheduler = this;
    setCurrent(p);
    p->returnTo.tsanFiber = m_side.tsanFiber;
    m_events.runBegins();
    beforeSwitch(m_side, p->side);
    p->fiber = std::move(p->fiber).resume();
    afterSwitch(m_side);
    setCurrent(nullptr);
    // Before another scheduler can run it (or see it exit), the events it kept unnumbered
    // take their place in the order.
    m_events.runEnds();
    const YieldReason why = p->yieldReason; // p may be freed once finalized
    switch (why) {
    case YieldReason::Yield:
        p->state.store(RunState::Runnable, std::memory_order_seq_cst);
        pushBack(p);
        break;
    case YieldReason::Wait:
        park(p);
        break;
    case YieldReason::Hibernated:
    case YieldReason::Exited:
    case YieldReason::None:
#ifdef MAILROOM_TSAN
        beforeSwitch(m_side, p->side);
        p->fiber = {}; // unwinds the finished fiber and frees its stack
        beforeSwitch(p->side, m_side);
#endif
        if (why != YieldReason::Hibernated) {
            m_rt.finalize(p);
            break;
        }
        park(p); // stackless until a message comes
        break;
    }
    if (m_rt.clock.mode() == Clock::Mode::Manual) {
        m_events.flush(); // a test stepping time reads what happened at once
        return;
    }
    // The clock (clock_gettime, ~25 ns here: a tenth of a ring's hop; even the time-stamp
    // counter alone takes ~15) is read after every few runs, and after every run that used
    // up its reductions (a long one).
    if (++m_runsUnchecked < kCheckEveryRuns && why != YieldReason::Yield)
        return;
    m_runsUnchecked = 0;
    const int64_t now = m_rt.clock.now();
    // A busy scheduler fires due timers between processes, as the BEAM's do: the timer
    // thread's wake-up is 100–300 µs late here, and it may be waiting for a core.
    if (now >= m_rt.timers->nextDeadline())
        m_rt.timers->fireDue(false);
    if (now - m_lastFlush > kFlushIntervalNs) {
        m_events.flush();
        m_lastFlush = now;
    }
}

void Scheduler::park(Process *p)
{
    p->state.store(RunState::Waiting, std::memory_order_seq_cst);
    // What came while it switched out (a message, its timer; a hibernated process has no
    // timer of its own) runs it again at once.
    if (p->inboxPending()
        || p->firedToken.load(std::memory_order_seq_cst) == p->waitToken.load(std::memory_order_seq_cst)) {
        RunState expected = RunState::Waiting;
        if (p->state.compare_exchange_strong(expected, RunState::Runnable, std::memory_order_seq_cst))
            pushNext(p);
    }
}

void Scheduler::loop()
{
    setScheduler(this);
    m_rt.stacks.attachThreadCache(m_rt.options.stackSize);
#ifdef MAILROOM_TSAN
    m_side.tsanFiber = __tsan_get_current_fiber();
#endif
    for (;;) {
        if (m_rt.stopping.load(std::memory_order_acquire) && m_rt.live.load(std::memory_order_acquire) == 0)
            break;
        if (Process *p = next()) {
            run(p);
            continue;
        }
        if (m_rt.stopping.load(std::memory_order_acquire) && m_rt.live.load(std::memory_order_acquire) == 0)
            break;
        idle();
    }
    m_events.flush();
    m_rt.stacks.releaseThreadCache();
    setScheduler(nullptr);
}

} // namespace mailroom::detail
