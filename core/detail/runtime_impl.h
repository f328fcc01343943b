#pragma once

// Internal: the runtime's machinery. Not for use outside core/.

#include "detail/epoch.h"
#include "detail/process.h"
#include "detail/stacks.h"
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

class Scheduler {
public:
    Scheduler(RuntimeImpl &rt, int index);
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    void start();
    void join();
    /// Owner thread only: makes p run next on this scheduler.
    void pushNext(Process *p);
    /// Owner thread only.
    void pushBack(Process *p);
    /// `thief`'s thread: takes half this scheduler's queue (at most kStealBatch) from the
    /// back; returns one to run and queues the rest on `thief`.
    Process *steal(Scheduler &thief);
    static constexpr size_t kStealBatch = 32;
    [[nodiscard]] bool hasStealable() const { return m_queueSize.load(std::memory_order_seq_cst) > 0; }
    /// Takes the process `pick` chooses from this scheduler's queues (run-next only on the
    /// owner thread). Any thread.
    Process *takeIf(const std::function<Process *(std::deque<Process *> &)> &pick);
    /// Any thread: wakes the scheduler if it is parked. True when it was.
    bool unpark();
    [[nodiscard]] EventLog::Buffer &events() { return m_events; }
    [[nodiscard]] RuntimeImpl &runtime() const { return m_rt; }


private:
    void loop();
    Process *next();
    void run(Process *p);
    /// After `p` switched out to wait (or hibernated): Waiting, unless something it waits
    /// for came meanwhile.
    void park(Process *p);
    void idle();

    RuntimeImpl &m_rt;
    const int m_index;
    std::thread m_thread;
    Process *m_runNext = nullptr;    // owner thread only
    uint32_t m_picks = 0;            // processes taken to run; owner thread only
    std::mutex m_queueMutex;         // protects m_queue
    std::deque<Process *> m_queue;
    std::atomic<size_t> m_queueSize{0};
    std::atomic<bool> m_parked{false};
    std::atomic<uint32_t> m_parkSeq{0};
    EventLog::Buffer m_events;
    int64_t m_lastFlush = 0;
    uint32_t m_runsUnchecked = 0; // runs since run() last read the clock
    SwitchSide m_side; // this thread's own stack, for the sanitizers
};

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
        Pid pid;        // setter (message) or waiting process (timeout)
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
    std::unordered_map<uint64_t, int64_t> m_deadlines;          // message timer id -> deadline
    std::vector<Timeout> m_timeouts;                            // a heap, earliest on top
    size_t m_purgeAt = 0;                                       // m_timeouts' size that starts a purge
    bool m_stop = false;
    uint64_t m_pokes = 0;
    // The virtual deadline the thread will wake at by itself (INT64_MAX: it waits for a
    // notify; INT64_MIN: it is firing timers and looks again before sleeping).
    int64_t m_armedFor = INT64_MAX;
    int64_t m_primedFor = INT64_MIN; // the deadline the schedulers were last primed for
    std::atomic<int64_t> m_next{INT64_MAX}; // the earliest deadline of either kind
    std::thread m_thread;
};

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
    std::atomic<int64_t> spinUntilNs{0}; // Clock::realNs(); see primeSchedulers
    std::atomic<bool> timerWatch{false}; // held by the one scheduler spinning for a timer
    Process *takeInjected();
    [[nodiscard]] bool hasInjected() const { return m_injectedSize.load(std::memory_order_seq_cst) > 0; }

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
    std::mutex joinMutex; // protects joinable, joinCv's predicate
    std::condition_variable joinCv;
    std::unordered_map<uint32_t, std::optional<Term>> joinable; // pid -> reason once exited

    // Output ---------------------------------------------------------------------------
    std::mutex outputMutex; // serialises the output sink so lines never interleave

    // State ----------------------------------------------------------------------------
    std::atomic<bool> stopping{false};
    std::atomic<bool> recording { true }; // Runtime::setRecording; read relaxed on every event
    std::atomic<bool> paused{false};
    // Pause world and step: while paused, only the step target may run, and it may take
    // one message (stepTokens) out of its mailbox.
    std::atomic<uint32_t> stepTarget{0};
    std::atomic<int> stepTokens{0};
    std::mutex gatedMutex; // protects gated
    std::vector<Pid> gated; // processes holding a message back because the world is paused
    /// Takes the step target out of whichever run queue holds it. Any scheduler thread.
    Process *takeStepTarget();
    double speedBeforePause = 1.0;
    std::atomic<int64_t> live{0};

private:
    static constexpr size_t kTableBits = 20;
    std::unique_ptr<std::atomic<Process *>[]> m_table;
    std::atomic<uint32_t> m_nextPid{80};

    std::mutex m_injectMutex; // protects m_injected
    std::deque<Process *> m_injected;
    std::atomic<size_t> m_injectedSize{0};

    // Registered names indexed by atom id; chunks allocated on first use.
    static constexpr size_t kNameChunk = 4096;
    static constexpr size_t kNameChunks = 256;
    std::atomic<uint32_t> *nameSlot(Atom name, bool create) const;
    mutable std::mutex m_nameChunkMutex; // serialises chunk allocation
    mutable std::array<std::atomic<std::atomic<uint32_t> *>, kNameChunks> m_names{};
};

/// The process running on this thread, or nullptr.
Process *currentProcess();

} // namespace mailroom::detail
