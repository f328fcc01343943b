// SPDX-License-Identifier: MIT
// What a process does to itself (namespace proc in runtime.h): send, receive, sleep, links,
// monitors; and the exit reasons the runtime builds (namespace reasons).

#include "runtime.h"

#include "detail/runtime_impl.h"

#include <algorithm>

namespace mailroom {

using detail::currentProcess;
using detail::Envelope;
using detail::EpochManager;
using detail::Process;

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
    explicit TimedWait(Process &process)
        : p(process) {}
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
        p.rt.timers->addTimeout(p.pid, token, p.rt.deadlineAfter(ms));
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
            Message m{ std::move(e->term), e->from, e->id, e->kind };
            p.inbox.dispose(e);
            detail::countReceived(p, m.term);
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

int64_t setMaxHeapWords(int64_t words)
{
    Process &p = requireCurrent();
    p.nextWeighing = p.allocatedWords; // the new budget holds from the next weighing on
    return p.maxHeapWords.exchange(words, std::memory_order_relaxed);
}

int64_t maxHeapWords() { return requireCurrent().maxHeapWords.load(std::memory_order_relaxed); }

void heapLimitReached(int64_t words) { detail::heapLimitReached(requireCurrent(), uint64_t(std::max<int64_t>(words, 0))); }

void checkHeap(std::span<const Term> held) { detail::checkHeap(requireCurrent(), held); }

void hibernate(std::function<void()> next) { requireCurrent().next = std::move(next); }

void exit(Term reason) { throw ProcessExit(std::move(reason)); }

Pid spawn(std::function<void()> body, const SpawnOptions &options)
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
                Term::tuple({ Term(atoms::exitAtom()), Term(other), Term(atoms::noproc()) }));
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
                q->monitoredBy.push_back({ ref.value, p.pid });
                p.monitoring.emplace(ref.value, pid);
                added = true;
            }
        }
    }
    if (!added) {
        // Erlang names the target as given: the pid, or {name, node} for a name.
        const Term who = target.isAtom() ? Term::tuple({ target, Term::atom("nonode@nohost") }) : target;
        p.rt.deliver(pid, p.pid, Envelope::Type::Message, MessageKind::Info,
            Term::tuple({ Term(atoms::down()), Term(ref), Term(atoms::process()), who,
                Term(atoms::noproc()) }));
    }
    return ref;
}

void demonitor(Ref ref, bool flush)
{
    Process &p = requireCurrent();
    if (auto it = p.monitoring.find(ref.value); it != p.monitoring.end()) {
        const Pid target = it->second;
        bool taken = false; // by the target's exit, whose DOWN may still be on its way
        {
            EpochManager::Guard guard(p.rt.epochs);
            if (Process *q = p.rt.lookup(target)) {
                std::lock_guard lock(q->linkMutex);
                const auto removed
                    = std::erase_if(q->monitoredBy, [&](const detail::MonitorEntry &m) { return m.ref == ref.value; });
                taken = removed == 0 && q->dead;
            }
        }
        p.monitoring.erase(it);
        Event e;
        e.type = EventType::Demonitor;
        e.pid = p.pid;
        e.ref = ref.value;
        p.rt.facade.recordLocal(std::move(e)); // the target no longer sees the monitor
        // Once demonitor returns no DOWN of this monitor may arrive (the BEAM's promise). The
        // exiting target delivers its DOWNs after releasing its lock, so wait until it says
        // they are all delivered: a few of its steps, never anything of ours. Waiting for the
        // DOWN itself would hang when this process has already received it (gen::call does).
        while (taken && !p.rt.downsDelivered(target))
            detail::switchOut(p, detail::YieldReason::Yield);
    }
    if (!flush)
        return;
    detail::drain(p);
    Envelope *prev = nullptr;
    for (Envelope *e = p.saved.after(nullptr); e != nullptr; prev = e, e = e->later) {
        const Term &m = e->term;
        if (m.isTuple(5) && m[0].isAtom() && m[0].asAtom() == atoms::down() && m[1].isReference()
            && m[1].asRef() == ref) {
            p.saved.unlink(prev, e);
            p.inbox.dispose(e);
            p.envelopeGone();
            return;
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
    return Term::tuple({ Term::structure("RuntimeError", { { Term::atom("message"), Term::binary(std::string(message)) } }),
        Term() });
}

Term argumentError(std::string_view message)
{
    return Term::structure("ArgumentError", { { Term::atom("message"), Term::binary(std::string(message)) } });
}

bool isNormal(const Term &reason) { return reason.isAtom() && reason.asAtom() == atoms::normal(); }

} // namespace reasons

} // namespace mailroom
