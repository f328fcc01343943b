// SPDX-License-Identifier: MIT
// The process's own side of the runtime: which process and scheduler a thread is running,
// draining a mailbox into the save queue (applying signals), the switch back to the
// scheduler, and the pause gate.

#include "detail/process.h"

#include "detail/allocation.h"
#include "detail/runtime_impl.h"

#include <algorithm>

namespace mailroom::detail {

namespace {

thread_local Process *tl_current = nullptr;
thread_local Scheduler *tl_scheduler = nullptr;

/// What an exit signal does to the process that takes it: it ends, for this reason.
struct Exit {
    Term reason;
    Pid from;
};

/// Acts on one drained envelope: messages go to the save queue; signals are applied. An
/// exit signal that ends the process is returned, not thrown: a stackless process ends on
/// its scheduler's stack, where a million kills (a shutdown) must not cost a million throws.
std::optional<Exit> absorb(Process &p, Envelope *e)
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
            return std::nullopt;
        }
        p.saved.push(e);
        return std::nullopt;
    }
    if (e->type == Envelope::Type::Wake) {
        p.inbox.dispose(e);
        p.envelopeGone();
        return std::nullopt;
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
        return Exit{ Term(atoms::killed()), from };
    }
    if (p.trapExit) {
        auto *msg = new Envelope; // the signal stays in the mailbox as an {:EXIT, from, reason} message
        msg->from = from;
        msg->term = Term::tuple({ Term(atoms::exitAtom()), Term(from), reason });
        p.saved.push(msg);
        return std::nullopt;
    }
    p.envelopeGone();
    if (reasons::isNormal(reason) && !(from == p.pid && !isLink))
        return std::nullopt;
    return Exit{ reason, from };
}

/// drain's loop: stops at the first exit signal that ends the process and returns it.
std::optional<Exit> drainUntilExit(Process &p)
{
    // The count of envelopes taken is stored once per drain rather than once per envelope,
    // and however the drain ends.
    struct Taken {
        Process &p;
        uint64_t n;
        ~Taken() { p.drained.store(n, std::memory_order_relaxed); }
    } taken{ p, p.drained.load(std::memory_order_relaxed) };
    for (;;) {
        Envelope *e = p.inbox.pop();
        if (e == nullptr) {
            if (p.inbox.pushes(std::memory_order_acquire) > taken.n)
                continue; // a push is midway: its node shows up in a moment
            return std::nullopt;
        }
        ++taken.n;
        if (auto exit = absorb(p, e))
            return exit;
    }
}

} // namespace

// Fibers migrate between threads; reading the thread-locals through a call the compiler
// cannot inline stops it from caching their addresses across a context switch.
[[gnu::noinline]] Process *readCurrent()
{
    asm volatile("" ::
                     : "memory");
    return tl_current;
}

[[gnu::noinline]] Scheduler *readScheduler()
{
    asm volatile("" ::
                     : "memory");
    return tl_scheduler;
}

void setCurrent(Process *p)
{
    tl_current = p;
    countAllocationsInto(p != nullptr ? &p->allocatedWords : nullptr);
}
void setScheduler(Scheduler *s) { tl_scheduler = s; }

Process *currentProcess() { return readCurrent(); }

Process &requireCurrent()
{
    Process *p = readCurrent();
    if (p == nullptr)
        throw std::logic_error("this operation is only allowed inside a process");
    return *p;
}

/// Moves everything that has arrived into the save queue, applying signals.
void drain(Process &p)
{
    if (auto exit = drainUntilExit(p))
        throw ExitSignal(std::move(exit->reason), exit->from);
}

std::optional<Term> drainStackless(Process &p)
{
    if (auto exit = drainUntilExit(p))
        return std::move(exit->reason);
    return std::nullopt;
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

} // namespace mailroom::detail
