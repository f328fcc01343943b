// SPDX-License-Identifier: MIT
#pragma once

// Internal: the process control block and its mailbox. Not for use outside core/.

#include "detail/mpsc.h"
#include "detail/switch.h"
#include "heap.h"
#include "runtime.h"

#include <boost/context/fiber.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mailroom::detail {

class Scheduler;
class RuntimeImpl;

/// A mailbox entry: a message or a signal, in arrival order.
struct Envelope {
    enum class Type : uint8_t {
        Message,
        ExitSignal, ///< term = reason, from = who sent it
        LinkDown, ///< a linked process exited: term = reason, from = it (acts like an exit signal)
        Wake, ///< no content: only makes a paused-then-stepped or timed-out receiver look again
    };
    std::atomic<Envelope *> next{ nullptr }; ///< in the inbox (MpscQueue)
    Envelope *later = nullptr; ///< in the save queue
    Type type = Type::Message;
    MessageKind kind = MessageKind::Info;
    Pid from;
    uint64_t id = 0; ///< Send event seq
    uint64_t alias = 0; ///< reply tag; 0 = none
    Term term;
};

/// Owner only: the drained messages not yet received, oldest first, linked through
/// Envelope::later (no allocation of its own, unlike a std::deque's 576 bytes).
class SaveQueue {
public:
    SaveQueue() = default;
    SaveQueue(const SaveQueue &) = delete;
    SaveQueue &operator=(const SaveQueue &) = delete;
    ~SaveQueue()
    {
        while (Envelope *e = m_head) {
            m_head = e->later;
            delete e;
        }
    }
    void push(Envelope *e)
    {
        e->later = nullptr;
        (m_tail != nullptr ? m_tail->later : m_head) = e;
        m_tail = e;
    }
    /// The message after `prev`; the first when `prev` is null.
    [[nodiscard]] Envelope *after(const Envelope *prev) const { return prev != nullptr ? prev->later : m_head; }
    /// Takes out `e`, which follows `prev` (null when `e` is the first).
    void unlink(Envelope *prev, Envelope *e)
    {
        (prev != nullptr ? prev->later : m_head) = e->later;
        if (m_tail == e)
            m_tail = prev;
    }

private:
    Envelope *m_head = nullptr;
    Envelope *m_tail = nullptr;
};

enum class RunState : uint8_t { Runnable,
    Running,
    Waiting,
    Exiting,
    Exited };
/// Why a process switched back to its scheduler. Hibernated: its body returned after
/// proc::hibernate; its stack is gone and `body` is what runs when a message arrives.
enum class YieldReason : uint8_t { None,
    Yield,
    Wait,
    Hibernated,
    Exited };

struct MonitorEntry {
    uint64_t ref;
    Pid watcher;
};

class alignas(64) Process {
public:
    Process(RuntimeImpl &rt, Pid pid, std::function<void()> body, Term label);
    ~Process();
    Process(const Process &) = delete;
    Process &operator=(const Process &) = delete;

    /// Owner only: one envelope has left the mailbox (received, discarded or applied).
    void envelopeGone() { gone.store(gone.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
    /// Envelopes pushed and not yet drained. Owner only, or its scheduler when parking it.
    [[nodiscard]] bool inboxPending() const
    {
        return inbox.pushes() > drained.load(std::memory_order_relaxed);
    }

    // The fields are grouped by who writes them, each group on cache lines of its own: a
    // sender on another core reads the first group and writes the inbox's producer side,
    // and neither is a line the process's own scheduler keeps writing (sharing them cost
    // a line transfer per message in each direction).

    // Read by every sender; `state` changes only when the process starts or stops waiting.
    RuntimeImpl &rt; // the first line: the class is aligned to one
    const Pid pid;
    Term label;
    std::atomic<RunState> state{ RunState::Runnable };

    // Scheduling (the scheduler running it) -------------------------------------------
    alignas(64) YieldReason yieldReason = YieldReason::None; // set by the process before switching out
    // The frames holding its terms in C++ locals (heap.h); owner only. Declared before the
    // fiber, whose destruction unwinds a suspended stack and with it the frames on it.
    HeapFrame *heapFrames = nullptr;
    boost::context::fiber fiber; // the suspended process (owned by the scheduler running it)
    boost::context::fiber sink; // the scheduler to return to (owned by the process)
    Scheduler *scheduler = nullptr; // the scheduler currently running it
    std::function<void()> body;
    std::function<void()> next; // set by proc::hibernate: the body after this one returns
    bool startOnMessage = false; // SpawnOptions::startOnMessage, until the body has started
    size_t stackSize = 0; // of each fiber it runs on
    SwitchSide side; // this fiber's stack, for the sanitizers
    SwitchSide returnTo; // the scheduler that last resumed it

    // Mailbox --------------------------------------------------------------------
    // The counts only grow: the mailbox's length is inbox.pushes() - gone, with no moment
    // when an envelope moving from the inbox to the save queue counts twice or not at all.
    SaveQueue saved; // drained messages not yet received
    std::atomic<uint64_t> drained{ 0 }; // envelopes taken out of the inbox; written by the owner only
    std::atomic<uint64_t> gone{ 0 }; // envelopes out of the mailbox (received, or a signal applied); owner
    std::atomic<uint64_t> waitToken{ 0 }; // identifies the current timed wait (odd while one is armed); moves on when it ends
    std::atomic<uint64_t> firedToken{ UINT64_MAX }; // the token of the last timed wait whose timer fired

    // Owner-only flags -----------------------------------------------------------
    bool trapExit = false;
    bool joinable = false; // set before it first runs: Runtime::join waits for its reason
    std::unordered_set<uint64_t> aliases; // active call tags
    std::unordered_map<uint64_t, Pid> monitoring; // monitor ref -> watched process
    uint32_t reductions = 0;
    uint64_t allocatedWords = 0; // by the term allocator while it ran (heap.h)
    uint64_t nextWeighing = 0; // weigh what it holds once allocatedWords reaches this
    std::function<void(Pid, const Term &)> onExit; // SpawnOptions::onExit, called by notifyExit

    MpscQueue<Envelope> inbox; // producers: any thread (its producer side on a line of its own)
    /// Senders between looking at `state` and recording their Send (RuntimeImpl::deliver):
    /// the exit waits for none to be left before it records its Exit.
    std::atomic<uint32_t> recordingSends{ 0 };

    // Links and monitors ------------------------------------------------------------
    std::mutex linkMutex; // protects links, monitoredBy, dead
    std::vector<Pid> links;
    std::vector<MonitorEntry> monitoredBy;
    bool dead = false;
    /// Set by the exiting process once every DOWN it owed is in its watcher's mailbox (its
    /// delivery runs after it has released linkMutex). A watcher demonitoring a monitor the
    /// exit already took waits for this, not for the DOWN, which it may have received.
    std::atomic<bool> downsDelivered{ false };

    /// max_heap_size in words (0: none); written by the owner, read by Process.info from any.
    std::atomic<int64_t> maxHeapWords{ kDefaultMaxHeapWords };

    // Registered name (atom id + 1; 0 = none). Written under the registry's rules.
    std::atomic<uint32_t> nameId{ 0 };
};

// The thread's own side (detail/process.cpp) ---------------------------------------

/// The process running on this thread, or nullptr.
Process *currentProcess();
/// As currentProcess(), but read through a call the compiler cannot inline: a fiber may have
/// moved to another thread since the last read.
Process *readCurrent();
/// The scheduler whose thread this is, or nullptr.
Scheduler *readScheduler();
/// Scheduler thread only: the process it is about to run (nullptr after).
void setCurrent(Process *p);
/// Scheduler thread only: itself, as its loop starts (nullptr as it ends).
void setScheduler(Scheduler *s);
/// The running process; throws std::logic_error outside one.
Process &requireCurrent();
/// Owning process only: moves everything that has arrived into the save queue, applying
/// signals (an exit signal throws ExitSignal).
void drain(Process &p);
/// As drain, for a process without a stack, on its scheduler's thread: an exit signal that
/// ends it is returned (its reason) instead of thrown.
std::optional<Term> drainStackless(Process &p);
/// Owning process only: weighs what `p` holds (heap.h) when it has allocated enough since
/// the last weighing, and ends it (ExitSignal :killed) when that passes its max_heap_size.
/// `held`: terms its caller holds that no frame shows (a GenServer's state).
void checkHeap(Process &p, std::span<const Term> held = {});
/// Owning process only: `p` has taken `message` out of its mailbox. Its words count as
/// allocated by `p` (the BEAM copies a message onto its receiver's heap), so that a process
/// that keeps what it receives is weighed as often as one that builds it.
void countReceived(Process &p, const Term &message);
/// Owning process only: ends `p` as the BEAM ends a process past its max_heap_size (kill:
/// true, error_logger: true): the report on stderr, then ExitSignal :killed, which no
/// `try` catches. `words`: the heap size it reached.
[[noreturn]] void heapLimitReached(Process &p, uint64_t words);
/// Owning process only: switches back to its scheduler, saying why.
void switchOut(Process &p, YieldReason why);
/// Owning process only, while the world is paused: whether `p` may take a message now (it
/// is the step target and a step token is left). When it may not, it is recorded as held
/// back, and a finished step ends here.
bool passGate(Process &p);

} // namespace mailroom::detail
