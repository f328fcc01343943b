// SPDX-License-Identifier: MIT
// The public facade of the runtime (runtime.h): what code outside a process calls.

#include "runtime.h"

#include "detail/runtime_impl.h"

#include <algorithm>
#include <chrono>

namespace mailroom {

using detail::currentProcess;
using detail::Envelope;
using detail::EpochManager;
using detail::Process;

// Runtime ----------------------------------------------------------------------------------

Runtime::Runtime(RuntimeOptions options)
    : m_impl(std::make_unique<detail::RuntimeImpl>(*this, std::move(options)))
{
    m_impl->start();
}

Runtime::~Runtime() { m_impl->shutdown(); }

void Runtime::shutdown() { m_impl->shutdown(); }

Pid Runtime::spawn(std::function<void()> body, const SpawnOptions &options)
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

bool Runtime::waitingOnTimer(Pid pid) const
{
    EpochManager::Guard guard(m_impl->epochs);
    const Process *p = m_impl->lookup(pid);
    // Parked (after its switch out, so after its timeout was armed), and the token odd: a
    // timed wait moves it on once as its timeout is armed and once as the wait ends.
    return p != nullptr && p->state.load(std::memory_order_seq_cst) == detail::RunState::Waiting
        && (p->waitToken.load(std::memory_order_seq_cst) & 1U) != 0;
}

std::optional<int64_t> Runtime::maxHeapWords(Pid pid) const
{
    EpochManager::Guard guard(m_impl->epochs);
    const Process *p = m_impl->lookup(pid);
    if (p == nullptr)
        return std::nullopt;
    return p->maxHeapWords.load(std::memory_order_relaxed);
}

size_t Runtime::processCount() const { return static_cast<size_t>(std::max<int64_t>(m_impl->live.load(), 0)); }

Ref Runtime::sendAfter(const Term &dest, Term msg, int64_t ms)
{
    Process *self = currentProcess();
    const Pid setter = self != nullptr ? self->pid : Pid{};
    const int64_t deadline = m_impl->deadlineAfter(ms);
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
    const Ref timer{ m_impl->timers->addMessage(setter, dest, std::move(msg), deadline, id) };
    // A timer aimed at a pid that is gone (or going: its exit may have looked for timers
    // before this one was added) is cancelled at once, as OTP's is.
    if (dest.isPid() && m_impl->goneOrExiting(dest.asPid()))
        m_impl->cancelTimersAimedAt(dest.asPid());
    return timer;
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
    const int64_t left = std::max<int64_t>(0, *deadline - m_impl->clock.now());
    return left / 1'000'000 + (left % 1'000'000 != 0 ? 1 : 0); // rounded up, without overflow
}

std::optional<Term> Runtime::join(Pid pid, std::optional<int64_t> timeoutMs)
{
    std::unique_lock lock(m_impl->joinMutex);
    auto it = m_impl->joinable.find(pid.number);
    if (it == m_impl->joinable.end())
        throw std::logic_error("join: the process was not spawned joinable");
    const auto ready = [&] { return m_impl->joinable[pid.number].has_value(); };
    // Past a year a timeout is as good as none (and milliseconds that size overflow the
    // condition variable's nanoseconds).
    constexpr int64_t kYearMs = int64_t(366) * 24 * 3600 * 1000;
    if (timeoutMs && *timeoutMs < kYearMs) {
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

Runtime::SameInstant::SameInstant(Runtime &rt)
    : m_rt(rt.m_impl.get())
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

} // namespace mailroom
