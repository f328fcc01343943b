#include "runtime.h"

#include "detail/runtime_impl.h"
#include "detail/switch.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <utility>


namespace mailroom {

namespace detail {

namespace {

thread_local Process *tl_current = nullptr;
thread_local Scheduler *tl_scheduler = nullptr;

// Fibers migrate between threads; reading the thread-locals through a call the compiler
// cannot inline stops it from caching their addresses across a context switch.
[[gnu::noinline]] Process *readCurrent()
{
    asm volatile("" ::: "memory");
    return tl_current;
}
[[gnu::noinline]] Scheduler *readScheduler()
{
    asm volatile("" ::: "memory");
    return tl_scheduler;
}

constexpr int kSpinRounds = 2000;
/// A scheduler looks at the processes started from outside before its own queue once in
/// this many picks.
constexpr uint32_t kInjectedEvery = 61;
// How long before a deadline the timer thread primes the schedulers (primeSchedulers): its
// own wake-up and then theirs each take 100–300 µs on this virtual machine.
constexpr int64_t kPrimeAheadNs = 1'000'000;
// How long after the deadline primed schedulers go on spinning.
constexpr int64_t kPrimeAfterNs = 300'000;

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

Term downMessage(uint64_t ref, Pid who, const Term &reason)
{
    return Term::tuple({Term(atoms::down()), Term(Ref{ref}), Term(atoms::process()), Term(who), reason});
}

Process &requireCurrent()
{
    Process *p = readCurrent();
    if (p == nullptr)
        throw std::logic_error("this operation is only allowed inside a process");
    return *p;
}

/// Acts on one drained envelope: messages go to the save queue; signals are applied.
void absorb(Process &p, Envelope *e)
{
    if (e->type == Envelope::Type::Message) {
        if (e->kind == MessageKind::Reply && e->alias != 0 && !p.aliases.contains(e->alias)) {
            // A late reply to a call that gave up: discarded, as OTP's aliases do.
            Event ev;
            ev.type = EventType::Dequeue;
            ev.pid = p.pid;
            ev.other = e->from;
            ev.ref = e->id;
            ev.kind = e->kind;
            ev.flags = EventDiscarded;
            ev.term = e->term;
            p.rt.facade.record(std::move(ev));
            p.inbox.dispose(e);
            p.envelopeGone();
            return;
        }
        p.saved.push(e);
        return;
    }
    if (e->type == Envelope::Type::Wake) {
        p.inbox.dispose(e);
        p.envelopeGone();
        return;
    }
    const Term reason = e->term;
    const Pid from = e->from;
    const bool isLink = e->type == Envelope::Type::LinkDown;
    p.inbox.dispose(e);
    if (isLink) {
        std::lock_guard lock(p.linkMutex);
        std::erase(p.links, from);
    }
    if (!isLink && reason.isAtom() && reason.asAtom() == atoms::kill()) {
        p.envelopeGone();
        throw ExitSignal(Term(atoms::killed()), from);
    }
    if (p.trapExit) {
        auto *msg = new Envelope; // the signal stays in the mailbox as an {:EXIT, from, reason} message
        msg->from = from;
        msg->term = Term::tuple({Term(atoms::exitAtom()), Term(from), reason});
        p.saved.push(msg);
        return;
    }
    p.envelopeGone();
    if (reasons::isNormal(reason) && !(from == p.pid && !isLink))
        return;
    throw ExitSignal(reason, from);
}

/// Moves everything that has arrived into the save queue, applying signals.
void drain(Process &p)
{
    // The count of envelopes taken is stored once per drain rather than once per envelope,
    // and however the drain ends (an exit signal throws out of absorb).
    struct Taken {
        Process &p;
        uint64_t n;
        ~Taken() { p.drained.store(n, std::memory_order_relaxed); }
    } taken{p, p.drained.load(std::memory_order_relaxed)};
    for (;;) {
        Envelope *e = p.inbox.pop();
        if (e == nullptr) {
            if (p.inbox.pushes(std::memory_order_acquire) > taken.n)
                continue; // a push is midway: its node shows up in a moment
            return;
        }
        ++taken.n;
        absorb(p, e);
    }
}

/// Switches from the process back to its scheduler.
void switchOut(Process &p, YieldReason why)
{
    p.yieldReason = why;
    beforeSwitch(p.side, p.returnTo);
    p.sink = std::move(p.sink).resume();
    afterSwitch(p.side, &p.returnTo); // possibly on another scheduler thread now
}

/// While the world is paused: whether `p` may take a message now (it is the step target
/// and a step token is left). When it may not, it is recorded as held back, and a finished
/// step ends here.
bool passGate(Process &p)
{
    RuntimeImpl &rt = p.rt;
    if (rt.stepTarget.load() == p.pid.number) {
        int tokens = rt.stepTokens.load();
        while (tokens > 0)
            if (rt.stepTokens.compare_exchange_weak(tokens, tokens - 1))
                return true;
        rt.stepTarget.store(0); // its one message is handled: the step is over
    }
    std::lock_guard lock(rt.gatedMutex);
    if (std::find(rt.gated.begin(), rt.gated.end(), p.pid) == rt.gated.end())
        rt.gated.push_back(p.pid);
    return false;
}

} // namespace

Process *currentProcess() { return readCurrent(); }

// Process ---------------------------------------------------------------------------

Process::Process(RuntimeImpl &runtime, Pid id, std::function<void()> fn, Term lbl)
    : rt(runtime), pid(id), label(std::move(lbl)), body(std::move(fn))
{
#ifdef MAILROOM_TSAN
    side.tsanFiber = __tsan_create_fiber(0);
#endif
}

Process::~Process()
{
    while (Envelope *e = inbox.pop())
        inbox.dispose(e);
#ifdef MAILROOM_TSAN
    __tsan_destroy_fiber(side.tsanFiber);
#endif
}

// Scheduler ---------------------------------------------------------------------------

Scheduler::Scheduler(RuntimeImpl &rt, int index) : m_rt(rt), m_index(index), m_events(rt.log, rt.clock) {}

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
        std::deque<Process *> one{m_runNext};
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
    m_events.flush();
    const auto hasWork = [this] {
        if (m_rt.paused.load(std::memory_order_seq_cst))
            return m_rt.stepTarget.load(std::memory_order_seq_cst) != 0;
        if (m_runNext != nullptr || m_rt.hasInjected())
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
    if (spin(kSpinRounds))
        return;
    // A timer is about to fire (primeSchedulers): one scheduler spins on and fires it at
    // its deadline; the others park.
    if (Clock::realNs() < m_rt.spinUntilNs.load(std::memory_order_relaxed)
        && !m_rt.timerWatch.exchange(true, std::memory_order_acquire)) {
        struct Release {
            std::atomic<bool> &watch;
            ~Release() { watch.store(false, std::memory_order_release); }
        } release{m_rt.timerWatch};
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
    if (!p->fiber && !m_rt.rehydrate(p))
        return;
    p->state.store(RunState::Running, std::memory_order_relaxed);
    p->scheduler = this;
    tl_current = p;
    p->returnTo.tsanFiber = m_side.tsanFiber;
    m_events.runBegins();
    beforeSwitch(m_side, p->side);
    p->fiber = std::move(p->fiber).resume();
    afterSwitch(m_side);
    tl_current = nullptr;
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
    tl_scheduler = this;
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
    tl_scheduler = nullptr;
}

// Timers ----------------------------------------------------------------------------------

TimerService::TimerService(RuntimeImpl &rt) : m_rt(rt), m_thread([this] { loop(); }) {}

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

namespace {
/// Orders a heap of timeouts with the earliest (deadline, id) on top.
constexpr auto kLaterTimeout = [](const auto &a, const auto &b) {
    return std::pair(a.deadline, a.id) > std::pair(b.deadline, b.id);
};
/// Timeouts left in the heap past the live ones before a purge looks for ended waits.
constexpr size_t kTimeoutSlack = 1024;
} // namespace

void TimerService::addTimeout(Pid pid, uint64_t token, int64_t deadline)
{
    const uint64_t id = Ref::make().value; // orders it among message timers of the same deadline
    {
        std::lock_guard lock(m_mutex);
        if (m_timeouts.size() >= m_purgeAt)
            purgeTimeoutsLocked();
        m_timeouts.push_back(Timeout{deadline, id, pid, token});
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
    m_byDeadline.erase({deadline, id});
    m_deadlines.erase(it);
    noteNextLocked();
    return deadline;
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

// RuntimeImpl -------------------------------------------------------------------------------

RuntimeImpl::RuntimeImpl(Runtime &f, RuntimeOptions opts)
    : facade(f), options(std::move(opts)), clock(options.clockMode, options.speed), log(options.eventBudget),
      m_table(new std::atomic<Process *>[size_t(1) << kTableBits]())
{
    if (!options.output)
        options.output = [](Pid, std::string_view text) {
            std::fwrite(text.data(), 1, text.size(), stdout);
            std::fflush(stdout);
        };
    if (!options.errorReport)
        options.errorReport = [](std::string_view text) {
            std::fwrite(text.data(), 1, text.size(), stderr);
            std::fflush(stderr);
        };
    if (options.schedulers == 0)
        options.schedulers = std::max(1U, std::thread::hardware_concurrency());
    speedBeforePause = options.speed;
    recording.store(options.recordEvents, std::memory_order_relaxed);
    m_nextPid.store(std::max<uint32_t>(options.firstPid, 1));
}

void RuntimeImpl::skipPidsTo(uint32_t next)
{
    uint32_t current = m_nextPid.load();
    while (current < next && !m_nextPid.compare_exchange_weak(current, next)) {
    }
}

RuntimeImpl::~RuntimeImpl()
{
    shutdown();
    for (auto &chunk : m_names)
        delete[] chunk.load();
}

void RuntimeImpl::start()
{
    timers = std::make_unique<TimerService>(*this);
    for (unsigned i = 0; i < options.schedulers; ++i)
        schedulers.push_back(std::make_unique<Scheduler>(*this, int(i)));
    for (auto &s : schedulers)
        s->start();
}

void RuntimeImpl::shutdown()
{
    if (stopping.exchange(true))
        return;
    if (paused.exchange(false))
        clock.setSpeed(speedBeforePause);
    // Kill every live process; their exits run on the schedulers. Pids are handed out in
    // order from firstPid, so until they wrap round the table only that range can be in
    // use; one guard for the whole walk (one per slot of all 2^20 took ~25 ms).
    {
        const size_t slots = size_t(1) << kTableBits;
        const uint64_t first = std::max<uint32_t>(options.firstPid, 1);
        const uint64_t next = m_nextPid.load(std::memory_order_acquire);
        const bool wrapped = next < first || next - first > slots;
        const size_t begin = wrapped ? 0 : size_t(first);
        const size_t end = wrapped ? slots : size_t(next);
        EpochManager::Guard guard(epochs);
        for (size_t i = begin; i < end; ++i)
            if (Process *p = m_table[i & (slots - 1)].load(std::memory_order_acquire))
                deliver({}, p->pid, Envelope::Type::ExitSignal, MessageKind::System, Term(atoms::kill()));
    }
    for (auto &s : schedulers)
        s->unpark();
    for (auto &s : schedulers)
        s->join();
    if (timers)
        timers->stop();
    epochs.collect();
}

Process *RuntimeImpl::lookup(Pid pid) const
{
    if (!pid.isValid())
        return nullptr;
    Process *p = m_table[pid.number & ((size_t(1) << kTableBits) - 1)].load(std::memory_order_acquire);
    return p != nullptr && p->pid == pid ? p : nullptr;
}

boost::context::fiber RuntimeImpl::makeFiber(Process *p, size_t stackSize)
{
    return boost::context::fiber(std::allocator_arg, PooledStack(stacks, stackSize, &p->side),
                                     [p](boost::context::fiber &&sink) {
                                         afterSwitch(p->side, &p->returnTo, true);
                                         p->sink = std::move(sink);
                                         Term reason(atoms::normal());
                                         bool hibernating = false;
                                         try {
                                             detail::drain(*p); // a kill may already be waiting
                                             p->body();
                                             hibernating = static_cast<bool>(p->next);
                                         } catch (const ProcessExit &e) {
                                             reason = e.reason();
                                         } catch (const RuntimeError &e) {
                                             reason = Term::tuple({e.term(), Term()});
                                         } catch (const std::exception &e) {
                                             reason = reasons::fromException(e.what());
                                             p->rt.facade.report("** (RuntimeError) " + std::string(e.what())
                                                                 + " in process " + Term(p->pid).inspect() + "\n");
                                         } catch (...) {
                                             reason = reasons::fromException("unknown C++ exception");
                                         }
                                         if (hibernating) {
                                             // The old body's captures go here, on its own stack.
                                             p->body = std::move(p->next);
                                             p->yieldReason = YieldReason::Hibernated;
                                         } else {
                                             p->body = nullptr;
                                             p->next = nullptr;
                                             p->rt.notifyExit(p, reason);
                                             p->yieldReason = YieldReason::Exited;
                                         }
#ifdef MAILROOM_TSAN
                                         // TSan counts calls per fiber: returning from here would
                                         // pop frames off the scheduler's count. Switch out like a
                                         // yield instead; the scheduler unwinds this fiber.
                                         beforeSwitch(p->side, p->returnTo);
                                         p->sink = std::move(p->sink).resume();
#else
                                         beforeSwitch(p->side, p->returnTo, true);
#endif
                                         return std::move(p->sink);
                                     });
}

Pid RuntimeImpl::spawn(std::function<void()> body, const SpawnOptions &opts, Process *parent)
{
    if (stopping.load())
        throw std::runtime_error("the runtime is shutting down");
    const size_t mask = (size_t(1) << kTableBits) - 1;
    Process *p = nullptr;
    for (size_t attempts = 0;; ++attempts) {
        if (attempts > mask)
            throw RuntimeError("too many processes", Term(atoms::error()));
        const Pid pid{m_nextPid.fetch_add(1, std::memory_order_relaxed)};
        if (!pid.isValid())
            continue;
        Process *expected = nullptr;
        if (m_table[pid.number & mask].load(std::memory_order_relaxed) != nullptr)
            continue;
        auto *candidate = new Process(*this, pid, std::move(body), opts.label);
        if (m_table[pid.number & mask].compare_exchange_strong(expected, candidate)) {
            p = candidate;
            break;
        }
        body = std::move(candidate->body);
        delete candidate;
    }
    live.fetch_add(1, std::memory_order_acq_rel);
    p->stackSize = opts.stackSize != 0 ? opts.stackSize : options.stackSize;
    try {
        p->fiber = makeFiber(p, p->stackSize);
    } catch (const std::exception &) {
        // No stack to be had (memory or the kernel's mapping limit): undo, as the BEAM
        // answers a spawn past its process limit with system_limit.
        m_table[p->pid.number & mask].store(nullptr, std::memory_order_release);
        live.fetch_sub(1, std::memory_order_acq_rel);
        epochs.retire(p, [](void *object) { delete static_cast<Process *>(object); });
        throw RuntimeError("cannot allocate a process stack: out of memory, or past the kernel's "
                           "vm.max_map_count (each stack is 2 mappings; "
                + std::to_string(live.load(std::memory_order_relaxed)) + " processes alive)",
            Term::atom("system_limit"));
    }
    {
        Event e;
        e.type = EventType::Spawn;
        e.pid = p->pid;
        e.other = parent != nullptr ? parent->pid : Pid{};
        e.term = opts.label;
        facade.record(std::move(e));
    }
    if (opts.link && parent != nullptr) {
        // The child has not run yet, so it cannot be dead: link both ways now.
        p->links.push_back(parent->pid);
        std::lock_guard lock(parent->linkMutex);
        parent->links.push_back(p->pid);
        Event e;
        e.type = EventType::Link;
        e.pid = parent->pid;
        e.other = p->pid;
        facade.record(std::move(e));
    }
    if (opts.joinable) {
        p->joinable = true;
        std::lock_guard lock(joinMutex);
        joinable.emplace(p->pid.number, std::nullopt);
    }
    schedule(p);
    return p->pid;
}

void RuntimeImpl::schedule(Process *p)
{
    Scheduler *s = readScheduler();
    if (s != nullptr && &s->runtime() == this) {
        s->pushNext(p);
        return;
    }
    {
        std::lock_guard lock(m_injectMutex);
        m_injected.push_back(p);
    }
    m_injectedSize.fetch_add(1, std::memory_order_seq_cst);
    wakeIdleScheduler();
}

Process *RuntimeImpl::takeInjected()
{
    if (m_injectedSize.load(std::memory_order_relaxed) == 0)
        return nullptr;
    std::lock_guard lock(m_injectMutex);
    if (m_injected.empty())
        return nullptr;
    Process *p = m_injected.front();
    m_injected.pop_front();
    m_injectedSize.fetch_sub(1, std::memory_order_seq_cst);
    return p;
}

Process *RuntimeImpl::takeStepTarget()
{
    const uint32_t target = stepTarget.load();
    const auto take = [target](std::deque<Process *> &queue) -> Process * {
        for (auto it = queue.begin(); it != queue.end(); ++it) {
            if ((*it)->pid.number == target) {
                Process *p = *it;
                queue.erase(it);
                return p;
            }
        }
        return nullptr;
    };
    for (auto &s : schedulers)
        if (Process *p = s->takeIf(take))
            return p;
    std::lock_guard lock(m_injectMutex);
    if (Process *p = take(m_injected)) {
        m_injectedSize.fetch_sub(1, std::memory_order_seq_cst);
        return p;
    }
    return nullptr;
}

void RuntimeImpl::wakeIdleScheduler()
{
    Scheduler *self = readScheduler();
    for (auto &s : schedulers)
        if (s.get() != self && s->unpark())
            return;
}

void RuntimeImpl::primeSchedulers(int64_t untilNs)
{
    int64_t current = spinUntilNs.load(std::memory_order_relaxed);
    while (current < untilNs && !spinUntilNs.compare_exchange_weak(current, untilNs, std::memory_order_relaxed)) {
    }
    if (timerWatch.load(std::memory_order_relaxed))
        return; // one is spinning already
    for (auto &s : schedulers)
        if (s->unpark())
            return;
}

void RuntimeImpl::wake(Process *p)
{
    if (p->state.load(std::memory_order_seq_cst) != RunState::Waiting)
        return;
    RunState expected = RunState::Waiting;
    if (p->state.compare_exchange_strong(expected, RunState::Runnable, std::memory_order_seq_cst))
        schedule(p);
}

bool RuntimeImpl::rehydrate(Process *p)
{
    try {
        p->fiber = makeFiber(p, p->stackSize);
        return true;
    } catch (const std::exception &) {
        // No stack to wake it on: it ends as a spawn past the limit would have.
        p->body = nullptr;
        const Term reason = Term::atom("system_limit");
        facade.report("** (SystemLimitError) no stack to wake " + Term(p->pid).inspect()
                      + " on: out of memory, or past the kernel's vm.max_map_count\n");
        notifyExit(p, reason);
        finalize(p);
        return false;
    }
}

void RuntimeImpl::finalize(Process *p)
{
    p->state.store(RunState::Exited, std::memory_order_seq_cst);
    const size_t mask = (size_t(1) << kTableBits) - 1;
    m_table[p->pid.number & mask].store(nullptr, std::memory_order_release);
    epochs.retire(p, [](void *object) { delete static_cast<Process *>(object); });
    live.fetch_sub(1, std::memory_order_acq_rel);
    if (stopping.load(std::memory_order_acquire) && live.load() == 0)
        for (auto &s : schedulers)
            s->unpark();
}

Pid RuntimeImpl::resolve(const Term &dest) const
{
    if (dest.isPid())
        return dest.asPid();
    if (dest.isAtom())
        return whereis(dest.asAtom());
    return {};
}

void RuntimeImpl::deliver(Pid from, Pid to, Envelope::Type type, MessageKind kind, Term term, uint64_t alias,
                          uint64_t timer)
{
    uint64_t id = 0;
    if (type == Envelope::Type::Message && recording.load(std::memory_order_relaxed)) {
        Event e;
        e.type = EventType::Send;
        e.kind = kind;
        e.pid = from;
        e.other = to;
        e.ref = timer;
        e.term = term;
        id = facade.record(std::move(e));
    }
    EpochManager::Guard guard(epochs);
    Process *p = lookup(to);
    if (p == nullptr || p->state.load(std::memory_order_acquire) == RunState::Exited) {
        return; // sending to a dead process is not an error in Erlang
    }
    auto *e = new Envelope;
    e->type = type;
    e->kind = kind;
    e->from = from;
    e->id = id;
    e->alias = alias;
    e->term = std::move(term);
    p->inbox.push(e);
    wake(p);
}

void RuntimeImpl::sendFrom(Pid from, const Term &dest, Term msg, MessageKind kind)
{
    Pid to;
    if (dest.isPid()) {
        to = dest.asPid();
    } else if (dest.isAtom()) {
        to = whereis(dest.asAtom());
        if (!to.isValid())
            throw RuntimeError("invalid destination", reasons::argumentError("errors were found at the given "
                                                                             "arguments:\n\n  * 1st argument: invalid destination\n"));
    } else {
        throw RuntimeError("invalid destination", reasons::argumentError("errors were found at the given "
                                                                         "arguments:\n\n  * 1st argument: invalid destination\n"));
    }
    deliver(from, to, Envelope::Type::Message, kind, std::move(msg));
}

std::atomic<uint32_t> *RuntimeImpl::nameSlot(Atom name, bool create) const
{
    const size_t chunk = name.id() / kNameChunk;
    if (chunk >= kNameChunks)
        return nullptr;
    std::atomic<uint32_t> *slots = m_names[chunk].load(std::memory_order_acquire);
    if (slots == nullptr) {
        if (!create)
            return nullptr;
        std::lock_guard lock(m_nameChunkMutex);
        slots = m_names[chunk].load(std::memory_order_acquire);
        if (slots == nullptr) {
            slots = new std::atomic<uint32_t>[kNameChunk]();
            m_names[chunk].store(slots, std::memory_order_release);
        }
    }
    return &slots[name.id() % kNameChunk];
}

bool RuntimeImpl::registerName(Atom name, Pid pid)
{
    EpochManager::Guard guard(epochs);
    Process *p = lookup(pid);
    if (p == nullptr)
        return false;
    std::lock_guard lock(p->linkMutex); // orders the registration against the process's exit
    if (p->dead || p->nameId.load() != 0)
        return false;
    std::atomic<uint32_t> *slot = nameSlot(name, true);
    uint32_t expected = 0;
    if (slot == nullptr || !slot->compare_exchange_strong(expected, pid.number))
        return false;
    p->nameId.store(name.id() + 1);
    Event e;
    e.type = EventType::Register;
    e.pid = pid;
    e.term = Term(name);
    facade.record(std::move(e));
    return true;
}

bool RuntimeImpl::unregisterName(Atom name, Pid expectedPid)
{
    std::atomic<uint32_t> *slot = nameSlot(name, false);
    if (slot == nullptr)
        return false;
    uint32_t current = slot->load();
    if (current == 0 || (expectedPid.isValid() && current != expectedPid.number))
        return false;
    if (!slot->compare_exchange_strong(current, 0))
        return false;
    {
        EpochManager::Guard guard(epochs);
        if (Process *p = lookup(Pid{current}))
            p->nameId.store(0);
    }
    Event e;
    e.type = EventType::Unregister;
    e.pid = Pid{current};
    e.term = Term(name);
    facade.record(std::move(e));
    return true;
}

Pid RuntimeImpl::whereis(Atom name) const
{
    const std::atomic<uint32_t> *slot = nameSlot(name, false);
    return slot == nullptr ? Pid{} : Pid{slot->load(std::memory_order_acquire)};
}

void RuntimeImpl::notifyExit(Process *p, const Term &reason)
{
    std::vector<Pid> links;
    std::vector<MonitorEntry> monitors;
    {
        std::lock_guard lock(p->linkMutex);
        p->dead = true;
        links.swap(p->links);
        monitors.swap(p->monitoredBy);
    }
    if (const uint32_t nameId = p->nameId.load(); nameId != 0)
        unregisterName(Atom::fromId(nameId - 1), p->pid);
    {
        Event e;
        e.type = EventType::Exit;
        e.pid = p->pid;
        e.term = reason;
        if (!reasons::isNormal(reason))
            e.flags = EventCrashed;
        facade.record(std::move(e));
    }
    p->state.store(RunState::Exiting, std::memory_order_seq_cst);
    for (Pid other : links)
        deliver(p->pid, other, Envelope::Type::LinkDown, MessageKind::System, reason);
    for (const auto &m : monitors)
        deliver(p->pid, m.watcher, Envelope::Type::Message, MessageKind::Info, downMessage(m.ref, p->pid, reason));
    if (p->joinable) { // the only exits anyone joins: no global lock for the rest
        std::lock_guard lock(joinMutex);
        if (auto it = joinable.find(p->pid.number); it != joinable.end()) {
            it->second = reason;
            joinCv.notify_all();
        }
    }
}

} // namespace detail

using detail::currentProcess;
using detail::EpochManager;
using detail::Envelope;
using detail::Process;

// Runtime ----------------------------------------------------------------------------------

Runtime::Runtime(RuntimeOptions options) : m_impl(std::make_unique<detail::RuntimeImpl>(*this, std::move(options)))
{
    m_impl->start();
}

Runtime::~Runtime() { m_impl->shutdown(); }

void Runtime::shutdown() { m_impl->shutdown(); }

Pid Runtime::spawn(std::function<void()> body, SpawnOptions options)
{
    Process *parent = currentProcess();
    if (parent != nullptr && &parent->rt != m_impl.get())
        parent = nullptr;
    return m_impl->spawn(std::move(body), options, parent);
}

void Runtime::send(const Term &dest, Term msg, MessageKind kind)
{
    Process *self = currentProcess();
    if (self == nullptr || &self->rt != m_impl.get()) {
        m_impl->sendFrom({}, dest, std::move(msg), kind);
        return;
    }
    m_impl->sendFrom(self->pid, dest, std::move(msg), kind);
    // Charged as proc::send is (gen::cast comes here): a casting loop yields, so the
    // receiver runs meanwhile and its mailbox stays short.
    if (++self->reductions >= 4000) {
        self->reductions = 0;
        proc::yieldPoint();
    }
}

void Runtime::sendReply(Pid to, Ref tag, Term msg, MessageKind kind)
{
    Process *self = currentProcess();
    m_impl->deliver(self != nullptr ? self->pid : Pid{}, to, Envelope::Type::Message, kind, std::move(msg), tag.value);
}

void Runtime::exit(Pid pid, Term reason)
{
    Process *self = currentProcess();
    m_impl->deliver(self != nullptr ? self->pid : Pid{}, pid, Envelope::Type::ExitSignal, MessageKind::System,
                    std::move(reason));
}

Pid Runtime::whereis(Atom name) const { return m_impl->whereis(name); }
bool Runtime::registerName(Atom name, Pid pid) { return m_impl->registerName(name, pid); }
bool Runtime::unregisterName(Atom name) { return m_impl->unregisterName(name); }

std::optional<Atom> Runtime::registeredName(Pid pid) const
{
    EpochManager::Guard guard(m_impl->epochs);
    Process *p = m_impl->lookup(pid);
    if (p == nullptr)
        return std::nullopt;
    const uint32_t id = p->nameId.load();
    if (id == 0)
        return std::nullopt;
    return Atom::fromId(id - 1);
}

void Runtime::skipPidsTo(uint32_t next) { m_impl->skipPidsTo(next); }

bool Runtime::alive(Pid pid) const
{
    EpochManager::Guard guard(m_impl->epochs);
    Process *p = m_impl->lookup(pid);
    if (p == nullptr)
        return false;
    std::lock_guard lock(p->linkMutex);
    return !p->dead;
}

std::optional<size_t> Runtime::messageQueueLen(Pid pid) const
{
    EpochManager::Guard guard(m_impl->epochs);
    Process *p = m_impl->lookup(pid);
    if (p == nullptr)
        return std::nullopt;
    // Gone first: an envelope counted gone after `pushed` was read would count as less than none.
    const uint64_t gone = p->gone.load(std::memory_order_acquire);
    const uint64_t pushed = p->inbox.pushes(std::memory_order_acquire);
    return static_cast<size_t>(pushed > gone ? pushed - gone : 0); // pushed lags a push midway
}

size_t Runtime::processCount() const { return static_cast<size_t>(std::max<int64_t>(m_impl->live.load(), 0)); }

Ref Runtime::sendAfter(const Term &dest, Term msg, int64_t ms)
{
    Process *self = currentProcess();
    const Pid setter = self != nullptr ? self->pid : Pid{};
    const int64_t deadline = m_impl->clock.now() + std::max<int64_t>(ms, 0) * 1'000'000;
    const uint64_t id = Ref::make().value;
    if (recording()) {
        // Recorded before the timer exists: it may fire the moment it does, on another thread.
        Event e;
        e.type = EventType::TimerSet;
        e.pid = setter;
        e.other = m_impl->resolve(dest);
        e.term = msg;
        e.extra = Term::integer(deadline);
        e.ref = id;
        record(std::move(e));
    }
    return Ref { m_impl->timers->addMessage(setter, dest, std::move(msg), deadline, id) };
}

std::optional<int64_t> Runtime::cancelTimer(Ref timer)
{
    const auto deadline = m_impl->timers->cancel(timer.value);
    if (!deadline)
        return std::nullopt;
    Event e;
    e.type = EventType::TimerCancel;
    Process *self = currentProcess();
    e.pid = self != nullptr ? self->pid : Pid{};
    e.ref = timer.value;
    record(std::move(e));
    const int64_t left = *deadline - m_impl->clock.now();
    return std::max<int64_t>(0, (left + 999'999) / 1'000'000);
}

std::optional<Term> Runtime::join(Pid pid, std::optional<int64_t> timeoutMs)
{
    std::unique_lock lock(m_impl->joinMutex);
    auto it = m_impl->joinable.find(pid.number);
    if (it == m_impl->joinable.end())
        throw std::logic_error("join: the process was not spawned joinable");
    const auto ready = [&] { return m_impl->joinable[pid.number].has_value(); };
    if (timeoutMs) {
        if (!m_impl->joinCv.wait_for(lock, std::chrono::milliseconds(*timeoutMs), ready))
            return std::nullopt;
    } else {
        m_impl->joinCv.wait(lock, ready);
    }
    std::optional<Term> reason = std::move(m_impl->joinable[pid.number]);
    m_impl->joinable.erase(pid.number);
    return reason;
}

void Runtime::output(Pid pid, std::string_view text)
{
    {
        std::lock_guard lock(m_impl->outputMutex);
        m_impl->options.output(pid, text);
    }
    if (!recording())
        return;
    Event e;
    e.type = EventType::Output;
    e.pid = pid;
    e.term = Term::binary(std::string(text));
    record(std::move(e));
}

void Runtime::report(std::string_view text)
{
    std::lock_guard lock(m_impl->outputMutex);
    m_impl->options.errorReport(text);
}

void Runtime::setPaused(bool paused)
{
    if (m_impl->paused.exchange(paused) == paused)
        return;
    if (paused) {
        m_impl->speedBeforePause = m_impl->clock.speed();
        m_impl->clock.setSpeed(0);
    } else {
        m_impl->stepTarget.store(0);
        m_impl->stepTokens.store(0);
        m_impl->clock.setSpeed(m_impl->speedBeforePause);
        std::vector<Pid> gated;
        {
            std::lock_guard lock(m_impl->gatedMutex);
            gated.swap(m_impl->gated);
        }
        for (const Pid pid : gated) {
            EpochManager::Guard guard(m_impl->epochs);
            if (Process *p = m_impl->lookup(pid))
                m_impl->wake(p);
        }
        for (auto &s : m_impl->schedulers)
            s->unpark();
    }
    m_impl->timers->poke();
}

bool Runtime::step(Pid pid)
{
    if (!m_impl->paused.load())
        return false;
    EpochManager::Guard guard(m_impl->epochs);
    Process *p = m_impl->lookup(pid);
    if (p == nullptr)
        return false;
    m_impl->stepTokens.store(1);
    m_impl->stepTarget.store(pid.number);
    {
        std::lock_guard lock(m_impl->gatedMutex);
        std::erase(m_impl->gated, pid);
    }
    m_impl->wake(p);
    for (auto &s : m_impl->schedulers)
        s->unpark();
    return true;
}

bool Runtime::paused() const { return m_impl->paused.load(); }

void Runtime::setSpeed(double speed)
{
    if (m_impl->paused.load())
        m_impl->speedBeforePause = speed;
    else
        m_impl->clock.setSpeed(speed);
    m_impl->timers->poke();
}

void Runtime::advance(int64_t ms)
{
    m_impl->clock.advance(ms * 1'000'000);
    m_impl->timers->poke();
}

Clock &Runtime::clock() { return m_impl->clock; }
EventLog &Runtime::events() { return m_impl->log; }
const RuntimeOptions &Runtime::options() const { return m_impl->options; }

namespace {
/// The event buffer of the scheduler thread this runs on, if it is one of `rt`'s.
EventLog::Buffer *currentBuffer(const detail::RuntimeImpl *rt)
{
    detail::Scheduler *s = detail::readScheduler();
    return s != nullptr && &s->runtime() == rt ? &s->events() : nullptr;
}
} // namespace

uint64_t Runtime::record(Event &&e, Stamp stamp)
{
    if (!m_impl->recording.load(std::memory_order_relaxed))
        return 0;
    if (EventLog::Buffer *buffer = currentBuffer(m_impl.get()))
        return buffer->pushNumbered(std::move(e), stamp); // stamps the time
    e.seq = m_impl->log.nextSeq();
    e.time = m_impl->clock.now();
    const uint64_t seq = e.seq;
    m_impl->log.append(std::move(e));
    return seq;
}

void Runtime::recordLocal(Event &&e, Stamp stamp)
{
    if (!m_impl->recording.load(std::memory_order_relaxed))
        return;
    if (EventLog::Buffer *buffer = currentBuffer(m_impl.get()))
        buffer->pushUnnumbered(std::move(e), stamp);
    else
        (void)record(std::move(e));
}

Runtime::SameInstant::SameInstant(Runtime &rt) : m_rt(rt.m_impl.get())
{
    if (EventLog::Buffer *buffer = currentBuffer(m_rt))
        buffer->holdStamp(true);
}

Runtime::SameInstant::~SameInstant()
{
    // The buffer of the thread the process runs on now: a send in the scope may have
    // yielded and the process come back on another scheduler (whose buffer then holds
    // nothing: a switch ends the hold, Buffer::runEnds).
    if (EventLog::Buffer *buffer = currentBuffer(m_rt))
        buffer->holdStamp(false);
}

void Runtime::setRecording(bool on)
{
    m_impl->recording.store(on, std::memory_order_relaxed);
}

bool Runtime::recording() const
{
    return m_impl->recording.load(std::memory_order_relaxed);
}

Runtime *Runtime::current()
{
    Process *p = currentProcess();
    return p != nullptr ? &p->rt.facade : nullptr;
}

// proc -------------------------------------------------------------------------------------

namespace proc {

using detail::requireCurrent;

Pid self() { return requireCurrent().pid; }
Runtime &runtime() { return requireCurrent().rt.facade; }
bool inProcess() { return currentProcess() != nullptr; }

void send(const Term &dest, Term msg, MessageKind kind)
{
    Process &p = requireCurrent();
    p.rt.sendFrom(p.pid, dest, std::move(msg), kind);
    // Sends cost reductions, as on the BEAM: a sending loop cannot starve the receivers.
    if (++p.reductions >= 4000) {
        p.reductions = 0;
        yieldPoint();
    }
}

namespace {
/// The timeout of a timed receive. However the receive ends (a message, the timeout, an
/// exception), the process's wait token moves on, so that its timeout, whenever it fires,
/// finds a token not its own.
struct TimedWait {
    Process &p;
    uint64_t token = 0; // 0: not armed
    explicit TimedWait(Process &process) : p(process) {}
    TimedWait(const TimedWait &) = delete;
    TimedWait &operator=(const TimedWait &) = delete;
    ~TimedWait()
    {
        if (token != 0)
            p.waitToken.fetch_add(1); // its timeout, when it comes, finds a token not its own
    }
    void arm(int64_t ms)
    {
        token = p.waitToken.fetch_add(1) + 1;
        p.rt.timers->addTimeout(p.pid, token, p.rt.clock.now() + ms * 1'000'000);
    }
    [[nodiscard]] bool fired() const
    {
        return token != 0 && p.firedToken.load(std::memory_order_seq_cst) == token;
    }
};
} // namespace

std::optional<Message> receive(const std::function<bool(const Term &)> &match, std::optional<int64_t> timeoutMs)
{
    Process &p = requireCurrent();
    Envelope *rejected = nullptr; // the last message `match` turned down; null: none yet
    TimedWait wait(p);
    for (;;) {
        detail::drain(p);
        bool gated = false;
        for (Envelope *e = p.saved.after(rejected); e != nullptr; rejected = e, e = e->later) {
            if (!match(e->term))
                continue;
            if (p.rt.paused.load(std::memory_order_acquire) && !detail::passGate(p)) {
                detail::switchOut(p, detail::YieldReason::Wait); // held back until a step or resume
                gated = true;
                break;
            }
            p.saved.unlink(rejected, e);
            p.envelopeGone();
            Message m{std::move(e->term), e->from, e->id, e->kind};
            p.inbox.dispose(e);
            if (p.rt.recording.load(std::memory_order_relaxed)) {
                Event ev;
                ev.type = EventType::Dequeue;
                ev.pid = p.pid;
                ev.other = m.from;
                ev.ref = m.id;
                ev.kind = m.kind;
                p.rt.facade.recordLocal(std::move(ev));
            }
            return m;
        }
        if (gated)
            continue; // came back from the pause gate: look again
        if ((timeoutMs && *timeoutMs <= 0) || wait.fired())
            return std::nullopt;
        if (timeoutMs && wait.token == 0)
            wait.arm(*timeoutMs);
        detail::switchOut(p, detail::YieldReason::Wait);
    }
}

void sleep(int64_t ms)
{
    Process &p = requireCurrent();
    static const Term sleepAtom = Term::atom("sleep");
    Event b;
    b.type = EventType::BlockBegin;
    b.pid = p.pid;
    b.term = sleepAtom;
    b.extra = Term::integer(ms);
    p.rt.facade.recordLocal(std::move(b));
    (void)receive([](const Term &) { return false; }, ms);
    Event e;
    e.type = EventType::BlockEnd;
    e.pid = p.pid;
    e.term = Term(atoms::ok());
    p.rt.facade.recordLocal(std::move(e));
}

void yieldPoint()
{
    Process &p = requireCurrent();
    detail::drain(p);
    detail::switchOut(p, detail::YieldReason::Yield);
}

void hibernate(std::function<void()> next) { requireCurrent().next = std::move(next); }

void exit(Term reason) { throw ProcessExit(std::move(reason)); }

Pid spawn(std::function<void()> body, SpawnOptions options)
{
    Process &p = requireCurrent();
    return p.rt.spawn(std::move(body), options, &p);
}

void link(Pid other)
{
    Process &p = requireCurrent();
    if (other == p.pid)
        return;
    bool linked = false;
    {
        EpochManager::Guard guard(p.rt.epochs);
        Process *q = p.rt.lookup(other);
        if (q != nullptr) {
            std::scoped_lock lock(p.linkMutex, q->linkMutex);
            if (!q->dead) {
                if (std::find(q->links.begin(), q->links.end(), p.pid) == q->links.end()) {
                    q->links.push_back(p.pid);
                    p.links.push_back(other);
                }
                linked = true;
            }
        }
    }
    if (!linked) {
        if (p.trapExit) {
            p.rt.deliver(other, p.pid, Envelope::Type::Message, MessageKind::Info,
                         Term::tuple({Term(atoms::exitAtom()), Term(other), Term(atoms::noproc())}));
            return;
        }
        throw ProcessExit(Term(atoms::noproc()));
    }
    Event e;
    e.type = EventType::Link;
    e.pid = p.pid;
    e.other = other;
    p.rt.facade.record(std::move(e));
}

void unlink(Pid other)
{
    Process &p = requireCurrent();
    EpochManager::Guard guard(p.rt.epochs);
    Process *q = p.rt.lookup(other);
    {
        std::lock_guard lock(p.linkMutex);
        std::erase(p.links, other);
    }
    if (q != nullptr) {
        std::lock_guard lock(q->linkMutex);
        std::erase(q->links, p.pid);
    }
    Event e;
    e.type = EventType::Unlink;
    e.pid = p.pid;
    e.other = other;
    p.rt.facade.record(std::move(e));
}

Ref monitor(const Term &target, Ref chosen)
{
    Process &p = requireCurrent();
    const Ref ref = chosen.value != 0 ? chosen : Ref::make();
    const Pid pid = p.rt.resolve(target);
    // Recorded before the target can see the monitor: a DOWN it sends must come after.
    Event e;
    e.type = EventType::Monitor;
    e.pid = p.pid;
    e.other = pid;
    e.ref = ref.value;
    p.rt.facade.record(std::move(e));
    bool added = false;
    if (pid.isValid()) {
        EpochManager::Guard guard(p.rt.epochs);
        if (Process *q = p.rt.lookup(pid)) {
            std::lock_guard lock(q->linkMutex);
            if (!q->dead) {
                q->monitoredBy.push_back({ref.value, p.pid});
                p.monitoring.emplace(ref.value, pid);
                added = true;
            }
        }
    }
    if (!added) {
        // Erlang names the target as given: the pid, or {name, node} for a name.
        const Term who = target.isAtom() ? Term::tuple({target, Term::atom("nonode@nohost")}) : target;
        p.rt.deliver(pid, p.pid, Envelope::Type::Message, MessageKind::Info,
                     Term::tuple({Term(atoms::down()), Term(ref), Term(atoms::process()), who,
                                  Term(atoms::noproc())}));
    }
    return ref;
}

void demonitor(Ref ref, bool flush)
{
    Process &p = requireCurrent();
    if (auto it = p.monitoring.find(ref.value); it != p.monitoring.end()) {
        EpochManager::Guard guard(p.rt.epochs);
        if (Process *q = p.rt.lookup(it->second)) {
            std::lock_guard lock(q->linkMutex);
            std::erase_if(q->monitoredBy, [&](const detail::MonitorEntry &m) { return m.ref == ref.value; });
        }
        p.monitoring.erase(it);
        Event e;
        e.type = EventType::Demonitor;
        e.pid = p.pid;
        e.ref = ref.value;
        p.rt.facade.recordLocal(std::move(e)); // the target no longer sees the monitor
    }
    if (flush) {
        detail::drain(p);
        Envelope *prev = nullptr;
        for (Envelope *e = p.saved.after(nullptr); e != nullptr; prev = e, e = e->later) {
            const Term &m = e->term;
            if (m.isTuple(5) && m[0].isAtom() && m[0].asAtom() == atoms::down() && m[1].isReference()
                && m[1].asRef() == ref) {
                p.saved.unlink(prev, e);
                p.inbox.dispose(e);
                p.envelopeGone();
                break;
            }
        }
    }
}

bool setTrapExit(bool on)
{
    Process &p = requireCurrent();
    const bool old = p.trapExit;
    p.trapExit = on;
    return old;
}

bool trapExit() { return requireCurrent().trapExit; }

void activateAlias(Ref tag) { requireCurrent().aliases.insert(tag.value); }
void deactivateAlias(Ref tag) { requireCurrent().aliases.erase(tag.value); }

void setLabel(const Term &label) { requireCurrent().label = label; }

} // namespace proc

namespace reasons {

Term fromException(std::string_view message)
{
    return Term::tuple({Term::structure("RuntimeError", {{Term::atom("message"), Term::binary(std::string(message))}}),
                        Term()});
}

Term argumentError(std::string_view message)
{
    return Term::structure("ArgumentError", {{Term::atom("message"), Term::binary(std::string(message))}});
}

bool isNormal(const Term &reason) { return reason.isAtom() && reason.asAtom() == atoms::normal(); }

} // namespace reasons

} // namespace mailroom
