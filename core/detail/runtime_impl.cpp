// SPDX-License-Identifier: MIT
// The runtime's internals: the process table, spawning and ending processes, delivery,
// the registry of names and the exit signals.

#include "detail/runtime_impl.h"

#include "detail/switch.h"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <utility>

namespace mailroom::detail {

namespace {

Term downMessage(uint64_t ref, Pid who, const Term &reason)
{
    return Term::tuple({ Term(atoms::down()), Term(Ref{ ref }), Term(atoms::process()), Term(who), reason });
}

} // namespace

RuntimeImpl::RuntimeImpl(Runtime &f, RuntimeOptions opts)
    : facade(f), options(std::move(opts)), clock(options.clockMode, options.speed), log(options.eventBudget), m_table(new std::atomic<Process *>[size_t(1) << kTableBits]())
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
    if (!options.translateReason)
        options.translateReason = [](const Term &reason) { return "** (stop) " + reason.inspect(); };
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
    // A published batch is placed by an idle scheduler, off the path of the process whose
    // event filled it (EventLog's hand-off).
    log.setOnHandOff([this] { wakeIdleScheduler(); });
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
                p->startOnMessage = false;
                p->body();
                hibernating = static_cast<bool>(p->next);
            } catch (const ProcessExit &e) {
                reason = e.reason();
            } catch (const RuntimeError &e) {
                reason = Term::tuple({ e.term(), Term() });
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
        if (attempts > mask) // every slot of the table is taken: the BEAM's +P
            throw RuntimeError("too many processes: the process table holds "
                    + std::to_string(mask + 1) + " processes",
                Term::atom("system_limit"));
        const Pid pid{ m_nextPid.fetch_add(1, std::memory_order_relaxed) };
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
    p->startOnMessage = opts.startOnMessage;
    p->onExit = opts.onExit;
    try {
        if (!opts.startOnMessage) // otherwise its first message gives it a stack (rehydrate)
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
    if (opts.startOnMessage) {
        // Waiting, stackless, as a hibernated process: whatever arrives wakes it. What came
        // before it was marked Waiting (a kill at shutdown) found it Runnable and woke nobody.
        p->state.store(RunState::Waiting, std::memory_order_seq_cst);
        if (!p->inboxPending())
            return p->pid;
        RunState expected = RunState::Waiting;
        if (!p->state.compare_exchange_strong(expected, RunState::Runnable, std::memory_order_seq_cst))
            return p->pid;
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

RuntimeImpl::Stackless RuntimeImpl::settleStackless(Process *p)
{
    if (const std::optional<Term> reason = drainStackless(*p)) {
        p->body = nullptr;
        p->next = nullptr;
        notifyExit(p, *reason);
        finalize(p);
        return Stackless::Exited;
    }
    return p->startOnMessage && p->saved.after(nullptr) == nullptr ? Stackless::Idle : Stackless::Run;
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
    EpochManager::Guard guard(epochs);
    Process *p = lookup(to);
    const bool recorded = type == Envelope::Type::Message && recording.load(std::memory_order_relaxed);
    // Counted in from before the look at `state` until the Send is recorded, so that a Send
    // recorded after the target's Exit is always one that found it Exiting (notifyExit
    // waits for the count to fall to zero between the two).
    struct Counted {
        Process *p;
        ~Counted()
        {
            if (p != nullptr)
                p->recordingSends.fetch_sub(1, std::memory_order_release);
        }
        void done() { std::exchange(p, nullptr)->recordingSends.fetch_sub(1, std::memory_order_release); }
    } counted{ p != nullptr && recorded ? p : nullptr };
    if (counted.p != nullptr)
        p->recordingSends.fetch_add(1, std::memory_order_seq_cst);
    // A process whose body has ended takes no more messages: what is sent to it is lost,
    // which is not an error in Erlang; the record says so.
    const bool gone = p == nullptr || p->state.load(std::memory_order_seq_cst) >= RunState::Exiting;
    uint64_t id = 0;
    if (recorded) {
        // Recorded before the push: the receiver's Dequeue must come after it.
        Event e;
        e.type = EventType::Send;
        e.kind = kind;
        e.pid = from;
        e.other = to;
        e.ref = timer;
        e.term = term;
        if (gone)
            e.flags = EventDropped;
        id = facade.record(std::move(e));
        if (counted.p != nullptr)
            counted.done();
    }
    if (gone)
        return;
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
        if (Process *p = lookup(Pid{ current }))
            p->nameId.store(0);
    }
    Event e;
    e.type = EventType::Unregister;
    e.pid = Pid{ current };
    e.term = Term(name);
    facade.record(std::move(e));
    return true;
}

Pid RuntimeImpl::whereis(Atom name) const
{
    const std::atomic<uint32_t> *slot = nameSlot(name, false);
    return slot == nullptr ? Pid{} : Pid{ slot->load(std::memory_order_acquire) };
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
    // Exiting before the Exit is recorded, and no sender left between its look at the state
    // and its Send's record: every Send the record shows after this Exit is marked dropped.
    // (What was sent before stays in the mailbox, lost with it, as on the BEAM.)
    p->state.store(RunState::Exiting, std::memory_order_seq_cst);
    while (p->recordingSends.load(std::memory_order_seq_cst) != 0)
        std::this_thread::yield();
    {
        Event e;
        e.type = EventType::Exit;
        e.pid = p->pid;
        e.term = reason;
        if (!reasons::isNormal(reason))
            e.flags = EventCrashed;
        facade.record(std::move(e));
    }
    cancelTimersAimedAt(p->pid); // after Exiting: a timer set from now on sees it (Runtime::sendAfter)
    for (Pid other : links)
        deliver(p->pid, other, Envelope::Type::LinkDown, MessageKind::System, reason);
    for (const auto &m : monitors)
        deliver(p->pid, m.watcher, Envelope::Type::Message, MessageKind::Info, downMessage(m.ref, p->pid, reason));
    p->downsDelivered.store(true, std::memory_order_release); // proc::demonitor waits for it
    if (p->joinable) { // the only exits anyone joins: no global lock for the rest
        std::lock_guard lock(joinMutex);
        if (auto it = joinable.find(p->pid.number); it != joinable.end()) {
            it->second = reason;
            joinCv.notify_all();
        }
    }
    if (p->onExit)
        std::exchange(p->onExit, nullptr)(p->pid, reason);
}

void RuntimeImpl::cancelTimersAimedAt(Pid pid)
{
    for (const uint64_t id : timers->cancelAimedAt(pid)) {
        Event e;
        e.type = EventType::TimerCancel;
        e.pid = pid;
        e.ref = id;
        facade.record(std::move(e));
    }
}

bool RuntimeImpl::downsDelivered(Pid pid)
{
    EpochManager::Guard guard(epochs);
    const Process *p = lookup(pid);
    // Out of the table means finalized, which comes after its exit's deliveries.
    return p == nullptr || p->downsDelivered.load(std::memory_order_acquire);
}

bool RuntimeImpl::goneOrExiting(Pid pid)
{
    EpochManager::Guard guard(epochs);
    const Process *p = lookup(pid);
    if (p == nullptr)
        return true;
    const RunState state = p->state.load(std::memory_order_seq_cst);
    return state == RunState::Exiting || state == RunState::Exited;
}

int64_t RuntimeImpl::deadlineAfter(int64_t ms) const
{
    constexpr int64_t kNsPerMs = 1'000'000;
    const int64_t now = clock.now();
    if (ms <= 0)
        return now;
    if (ms > (INT64_MAX - now) / kNsPerMs)
        return INT64_MAX;
    return now + ms * kNsPerMs;
}

} // namespace mailroom::detail
