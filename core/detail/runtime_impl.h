// SPDX-License-Identifier: MIT
#pragma once

// Internal: the runtime's machinery. Not for use outside core/.

#include "detail/epoch.h"
#include "detail/process.h"
#include "detail/scheduler.h"
#include "detail/stacks.h"
#include "detail/timers.h"
#include "runtime.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

namespace mailroom::detail {

class RuntimeImpl;

class RuntimeImpl {
public:
    RuntimeImpl(Runtime &facade, RuntimeOptions options);
    ~RuntimeImpl();
    RuntimeImpl(const RuntimeImpl &) = delete;
    RuntimeImpl &operator=(const RuntimeImpl &) = delete;

    void start();
    void shutdown();

    Runtime &facade;
    RuntimeOptions options;
    Clock clock;
    EventLog log;
    EpochManager epochs;
    StackPool stacks;
    std::vector<std::unique_ptr<Scheduler>> schedulers;
    std::unique_ptr<TimerService> timers;

    // Processes ----------------------------------------------------------------------
    Pid spawn(std::function<void()> body, const SpawnOptions &options, Process *parent);
    /// The fiber that runs `p` from its first switch to its exit. Throws when no stack can be had.
    boost::context::fiber makeFiber(Process *p, size_t stackSize);
    /// What a process without a stack (hibernated, or not started yet) does when woken.
    enum class Stackless : uint8_t {
        Exited, ///< an exit signal ended it; it is finalized
        Idle, ///< not started and no message to take: it waits on, still without a stack
        Run, ///< it needs a stack to run its body (rehydrate)
    };
    /// Scheduler thread, for a process with no fiber: applies the signals in its mailbox on
    /// the scheduler's own stack, so that killing a million waiting processes (a shutdown)
    /// maps no stack for any of them.
    Stackless settleStackless(Process *p);
    /// Gives a hibernated process a fresh fiber to run its `body` on. False when no stack
    /// could be had: the process has exited (system_limit).
    bool rehydrate(Process *p);
    void skipPidsTo(uint32_t next);
    /// Under an EpochManager::Guard only.
    Process *lookup(Pid pid) const;
    /// Makes a Runnable process run. Any thread.
    void schedule(Process *p);
    /// Wakes a waiting process (after a push or a timeout). Any thread.
    void wake(Process *p);
    /// Called on the scheduler after a process's fiber finished.
    void finalize(Process *p);
    void wakeIdleScheduler();
    /// A timer fires soon: one scheduler that runs out of work spins rather than parks until
    /// the real instant `untilNs` (Clock::realNs) and fires the timer itself when it is due; a parked
    /// one wakes now for it. A parked thread's wake-up is 100–300 µs late on this virtual
    /// machine, and the timer thread's own as late.
    void primeSchedulers(int64_t untilNs);
    std::atomic<int64_t> spinUntilNs{ 0 }; // Clock::realNs(); see primeSchedulers
    std::atomic<bool> timerWatch{ false }; // held by the one scheduler spinning for a timer
    Process *takeInjected();
    [[nodiscard]] bool hasInjected() const { return m_injectedSize.load(std::memory_order_seq_cst) > 0; }

    /// The virtual deadline `ms` milliseconds from now (at least now), INT64_MAX (never) when
    /// that lies past what the clock can count: a huge timeout must not wrap round into the past.
    [[nodiscard]] int64_t deadlineAfter(int64_t ms) const;

    // Delivery -------------------------------------------------------------------------
    Pid resolve(const Term &dest) const; // pid or registered name; invalid when none
    /// `timer`: the timer delivering the message (send_after), named in the Send's ref.
    void deliver(Pid from, Pid to, Envelope::Type type, MessageKind kind, Term term, uint64_t alias = 0,
        uint64_t timer = 0);
    void sendFrom(Pid from, const Term &dest, Term msg, MessageKind kind);

    // Registry -------------------------------------------------------------------------
    bool registerName(Atom name, Pid pid);
    bool unregisterName(Atom name, Pid expected = {});
    Pid whereis(Atom name) const;

    // Exits ----------------------------------------------------------------------------
    void notifyExit(Process *p, const Term &reason);
    /// Cancels the message timers aimed at `pid` by its pid, recording each as cancelled by
    /// it: OTP cancels them when that process exits, or at once when it is already gone.
    void cancelTimersAimedAt(Pid pid);
    /// Whether `pid` names no process, or one whose exit has delivered all its DOWN
    /// messages (each in its watcher's mailbox). Any thread.
    [[nodiscard]] bool downsDelivered(Pid pid);
    /// Whether `pid` names no process, or one that has begun to exit. Any thread.
    [[nodiscard]] bool goneOrExiting(Pid pid);
    std::mutex joinMutex; // protects joinable, joinCv's predicate
    std::condition_variable joinCv;
    std::unordered_map<uint32_t, std::optional<Term>> joinable; // pid -> reason once exited

    // Output ---------------------------------------------------------------------------
    std::mutex outputMutex; // serialises the output sink so lines never interleave

    // State ----------------------------------------------------------------------------
    std::atomic<bool> stopping{ false };
    std::atomic<bool> recording{ true }; // Runtime::setRecording; read relaxed on every event
    std::atomic<bool> paused{ false };
    // Pause world and step: while paused, only the step target may run, and it may take
    // one message (stepTokens) out of its mailbox.
    std::atomic<uint32_t> stepTarget{ 0 };
    std::atomic<int> stepTokens{ 0 };
    std::mutex gatedMutex; // protects gated
    std::vector<Pid> gated; // processes holding a message back because the world is paused
    /// Takes the step target out of whichever run queue holds it. Any scheduler thread.
    Process *takeStepTarget();
    double speedBeforePause = 1.0;
    std::atomic<int64_t> live{ 0 };

private:
    static constexpr size_t kTableBits = 20;
    std::unique_ptr<std::atomic<Process *>[]> m_table;
    std::atomic<uint32_t> m_nextPid{ 80 };

    std::mutex m_injectMutex; // protects m_injected
    std::deque<Process *> m_injected;
    std::atomic<size_t> m_injectedSize{ 0 };

    // Registered names indexed by atom id; chunks allocated on first use.
    static constexpr size_t kNameChunk = 4096;
    static constexpr size_t kNameChunks = 256;
    std::atomic<uint32_t> *nameSlot(Atom name, bool create) const;
    mutable std::mutex m_nameChunkMutex; // serialises chunk allocation
    mutable std::array<std::atomic<std::atomic<uint32_t> *>, kNameChunks> m_names{};
};

} // namespace mailroom::detail
