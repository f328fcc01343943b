// SPDX-License-Identifier: MIT
#pragma once

// The actor runtime: lightweight processes on an M:N scheduler with Erlang semantics.
//
// Thread rules: functions on Runtime say which threads may call them. Functions in
// namespace `proc` act on the *current* process and may only be called from inside a
// process (they throw std::logic_error elsewhere).

#include "clock.h"
#include "eventlog.h"
#include "term.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mailroom {

class Runtime;
namespace detail {
class Process;
class RuntimeImpl;
} // namespace detail

/// Thrown inside a process to end it with `reason` (what exit/1 does). Caught by the
/// runtime at the process's top; never escapes a process.
class ProcessExit : public std::exception {
public:
    explicit ProcessExit(Term reason)
        : m_reason(std::move(reason)) {}
    [[nodiscard]] const Term &reason() const { return m_reason; }
    [[nodiscard]] const char *what() const noexcept override { return "process exit"; }

private:
    Term m_reason;
};

/// Thrown inside a process that an exit signal ends (a linked process died, or
/// Process.exit/2 from elsewhere). Unlike exit/1, code must not catch it: Erlang's
/// exit signals are not exceptions of the receiving process.
class ExitSignal : public ProcessExit {
public:
    ExitSignal(Term reason, Pid from)
        : ProcessExit(std::move(reason)), m_from(from) {}
    [[nodiscard]] Pid from() const { return m_from; }

private:
    Pid m_from;
};

/// An error raised by a runtime API, carrying an Elixir exception struct or reason term
/// (for example ArgumentError when sending to an unregistered name).
class RuntimeError : public std::runtime_error {
public:
    RuntimeError(const std::string &message, Term term)
        : std::runtime_error(message), m_term(std::move(term)) {}
    [[nodiscard]] const Term &term() const { return m_term; }

private:
    Term m_term;
};

struct SpawnOptions {
    bool link = false; ///< link to the spawning process (spawn_link)
    size_t stackSize = 0; ///< 0: the runtime's default
    Term label; ///< shown by the UI: module atom (:"Elixir.Counter") or [] for a plain process
    bool joinable = false; ///< keep the exit reason for Runtime::join
    /// The body begins with a receive (without `after`): until a message is in its mailbox
    /// it would do nothing but wait, so the process holds no stack until then, as a
    /// hibernated one. Signals that arrive first are applied without starting the body.
    bool startOnMessage = false;
    /// Called once with the process's pid and exit reason after it has ended, whether or
    /// not its body ever ran (a kill waiting before its first run ends it without running
    /// a line): who handed work to the process learns its fate without being a process.
    /// Runs on a runtime thread, after the Exit is recorded and links and monitors are
    /// told; it must not block. It may spawn.
    std::function<void(Pid, const Term &reason)> onExit;
};

/// A message as the receiver sees it.
struct Message {
    Term term;
    Pid from; ///< sender, or invalid when sent from outside the runtime
    uint64_t id = 0; ///< the Send event's seq: identifies the message in the event log
    MessageKind kind = MessageKind::Info;
};

using OutputSink = std::function<void(Pid, std::string_view text)>;

struct RuntimeOptions {
    unsigned schedulers = 0; ///< scheduler threads; 0 = one per core
    Clock::Mode clockMode = Clock::Mode::Real;
    double speed = 1.0; ///< virtual clock speed factor
    size_t eventBudget = 2'000'000; ///< events kept before the oldest are dropped
    bool recordEvents = true; ///< keep the event record (Runtime::setRecording changes it later)
    size_t stackSize = 256 * 1024; ///< default process stack
    uint32_t firstPid = 80; ///< N of the first <0.N.0>
    OutputSink output; ///< IO.puts and *DBG* lines; default: stdout
    std::function<void(std::string_view)> errorReport; ///< crash reports; default: stderr
    /// How a gen_server's crash report shows its reason, as Elixir's Logger translator does:
    /// the "** (...)" line(s) under "GenServer NAME terminating", with the stacktrace's lines
    /// (the script layer's script::formatTerminateReason). Default: "** (stop) " and the
    /// reason inspected. Called on the crashing server's process.
    std::function<std::string(const Term &reason)> translateReason;
};

class Runtime {
public:
    explicit Runtime(RuntimeOptions options = {});
    /// Kills every process and joins the scheduler threads. Not from inside a process.
    ~Runtime();
    Runtime(const Runtime &) = delete;
    Runtime &operator=(const Runtime &) = delete;

    /// Kills every process and stops the scheduler threads; the runtime accepts no new
    /// processes afterwards. Idempotent. Not from inside a process.
    void shutdown();

    /// Starts a process running `body`. Any thread. From inside a process with
    /// options.link, the new process is linked to the caller.
    Pid spawn(std::function<void()> body, const SpawnOptions &options = {});

    /// Sends `msg` to a pid or registered name. Any thread. A dead pid drops the message
    /// silently (as in Erlang); an unregistered name throws RuntimeError(ArgumentError).
    void send(const Term &dest, Term msg, MessageKind kind = MessageKind::Info);
    /// Sends a call's reply through the caller's alias `tag`: dropped when the caller no
    /// longer waits for it (a late reply). Any thread.
    void sendReply(Pid to, Ref tag, Term msg, MessageKind kind = MessageKind::Reply);

    /// Sends an exit signal, as Process.exit/2. Any thread.
    void exit(Pid pid, Term reason);

    /// The pid registered under `name`, or an invalid Pid. Any thread.
    [[nodiscard]] Pid whereis(Atom name) const;
    /// Registers `pid` as `name`; false when the name is taken or pid is dead. Any thread.
    bool registerName(Atom name, Pid pid);
    /// Any thread.
    bool unregisterName(Atom name);
    /// The name `pid` is registered under, if any. Any thread.
    [[nodiscard]] std::optional<Atom> registeredName(Pid pid) const;

    /// Makes the next pids start at `next` at least (to number processes as a real node
    /// does: the elixir script process is <0.96.0>, the first it spawns <0.132.0>). Any thread.
    void skipPidsTo(uint32_t next);

    /// Any thread.
    [[nodiscard]] bool alive(Pid pid) const;
    /// Messages waiting in `pid`'s mailbox, or nullopt when dead. Any thread.
    [[nodiscard]] std::optional<size_t> messageQueueLen(Pid pid) const;
    /// Whether `pid` is parked in a receive or sleep whose timeout is armed: its deadline was
    /// set from the clock as it was then. For tests that step a manual clock, which must not
    /// step it before the wait began (the deadline would count from the later time). A
    /// moment's answer (a message may wake it the next instant). Any thread.
    [[nodiscard]] bool waitingOnTimer(Pid pid) const;
    /// `pid`'s max_heap_size in words (proc::setMaxHeapWords), or nullopt when dead. Any thread.
    [[nodiscard]] std::optional<int64_t> maxHeapWords(Pid pid) const;
    /// Live processes. Any thread.
    [[nodiscard]] size_t processCount() const;

    /// Sets a timer delivering `msg` to `dest` (pid or name) after `ms` of virtual time.
    /// Any thread.
    Ref sendAfter(const Term &dest, Term msg, int64_t ms);
    /// Cancels a timer: the virtual ms left, or nullopt when it already fired or never
    /// existed. Any thread.
    std::optional<int64_t> cancelTimer(Ref timer);

    /// Blocks the calling thread (not a process) until `pid` exits; its exit reason.
    /// nullopt on timeout. Any non-process thread.
    std::optional<Term> join(Pid pid, std::optional<int64_t> timeoutMs = std::nullopt);

    /// Writes text (with its newline) to the output sink, in the order calls happen,
    /// and records it. Any thread.
    void output(Pid pid, std::string_view text);
    /// Writes a crash or unexpected-message report. Any thread.
    void report(std::string_view text);

    /// Pause world: no process is scheduled and the virtual clock stands still (when
    /// `paused`); resuming continues where it was. Any thread.
    void setPaused(bool paused);
    [[nodiscard]] bool paused() const;
    /// While paused: lets `pid` take exactly one message out of its mailbox and handle
    /// it (it runs until it next tries to receive), then everything is paused again. The
    /// virtual clock stays still, so a handler that sleeps stops there until resumed.
    /// Returns false when not paused or `pid` is not alive. Any thread.
    bool step(Pid pid);

    /// Sets the virtual clock's speed (slow motion) and re-arms the timers. Any thread.
    void setSpeed(double speed);
    /// Manual clock: moves virtual time forward and fires the timers that fall due. Any thread.
    void advance(int64_t ms);
    [[nodiscard]] Clock &clock();
    [[nodiscard]] EventLog &events();
    [[nodiscard]] const RuntimeOptions &options() const;

    /// Records an event stamped with the next seq and the virtual time; its seq, or 0
    /// (and nothing recorded) while recording is off. Any thread.
    uint64_t record(Event &&e, Stamp stamp = Stamp::Now);
    /// Records an event that only the recording process itself acts on until it next
    /// sends, records another event or switches out (a Dequeue, HandlerBegin/End,
    /// BlockBegin/End, Demonitor): on a scheduler thread its seq is given then, with those
    /// of the events around it, so the counter all schedulers share is taken once for
    /// several. The order stays causal: anything another process can see follows it. Its
    /// time is when it happened, so along the seq order another process's later events
    /// may come before it. Any thread.
    void recordLocal(Event &&e, Stamp stamp = Stamp::Now);
    /// Within its scope every event the current process records takes the time of the one
    /// it recorded just before (Stamp::Previous): for runtime steps with only bookkeeping
    /// between them, such as a call's BlockBegin and request after its Monitor. On a
    /// scheduler thread of this runtime; elsewhere it does nothing. Should the process
    /// switch out within the scope (a send that yields), the events after the switch read
    /// the clock.
    class SameInstant {
    public:
        explicit SameInstant(Runtime &rt);
        ~SameInstant();
        SameInstant(const SameInstant &) = delete;
        SameInstant &operator=(const SameInstant &) = delete;

    private:
        const detail::RuntimeImpl *m_rt;
    };
    /// Turns the event record on or off (RuntimeOptions::recordEvents is the initial
    /// value). Off, no event is built or kept and messages carry id 0; the runtime's
    /// behaviour is otherwise the same. Events recorded before stay. Any thread.
    void setRecording(bool on);
    /// Whether events are being recorded. Any thread.
    [[nodiscard]] bool recording() const;

    /// The runtime of the current process, or nullptr outside processes.
    static Runtime *current();

private:
    friend class detail::Process;
    friend class detail::RuntimeImpl;
    std::unique_ptr<detail::RuntimeImpl> m_impl;
};

/// Operations on the current process. Only from inside a process.
namespace proc {

[[nodiscard]] Pid self();
[[nodiscard]] Runtime &runtime();
[[nodiscard]] bool inProcess();

/// Sends from the current process (see Runtime::send).
void send(const Term &dest, Term msg, MessageKind kind = MessageKind::Info);

/// Takes the oldest message that `match` accepts out of the mailbox, waiting up to
/// `timeoutMs` (forever when nullopt; 0 = just look). Messages it skips stay, in order.
/// Exit signals are acted on while waiting.
std::optional<Message> receive(const std::function<bool(const Term &)> &match,
    std::optional<int64_t> timeoutMs = std::nullopt);

/// Suspends the current process for `ms` of virtual time; only it is blocked.
void sleep(int64_t ms);

/// Gives other processes a turn and acts on pending exit signals (long computations
/// call this so they can be preempted and killed).
void yieldPoint();

/// Process.flag(:max_heap_size, words): the current process's heap budget in words, as the
/// BEAM counts a heap (heap.h); 0 is none. Returns the previous budget. Every process
/// starts with kDefaultMaxHeapWords.
int64_t setMaxHeapWords(int64_t words);
[[nodiscard]] int64_t maxHeapWords();
/// Ends the current process as the BEAM ends one past its max_heap_size (kill: true,
/// error_logger: true): the "maximum heap size reached" report on stderr, then the exit
/// reason :killed, which no `try` catches. `words`: the heap size it reached (or would).
[[noreturn]] void heapLimitReached(int64_t words);
/// When the current process has allocated about as much as it held at its last
/// weighing, weighs what it holds (its mailbox, its HeapFrames and `held`, which the caller
/// shows) and ends it past its max_heap_size (heapLimitReached). Otherwise costs a
/// comparison. Call it where what the process holds is in sight: GenServers after each
/// callback, with their state; the script evaluator as each function call begins, its
/// arguments and variables in HeapFrames.
void checkHeap(std::span<const Term> held = {});

/// erlang:hibernate/3: once the current body returns, the process goes on living without
/// a stack, and the next message to arrive starts `next` on a fresh stack (messages
/// already in the mailbox do not wake it: hibernate when none of them is wanted). An idle
/// server costs no stack this way. The caller returns at once after this; nothing on its
/// stack survives.
void hibernate(std::function<void()> next);

/// Ends the current process with `reason` (exit/1). Never returns.
[[noreturn]] void exit(Term reason);

/// Spawns, linking when options.link.
Pid spawn(std::function<void()> body, const SpawnOptions &options = {});
void link(Pid other);
void unlink(Pid other);
/// Monitors a pid or registered name; a {:DOWN, ref, :process, who, reason} message
/// follows its exit (at once with :noproc when it is not alive). `ref` lets the caller
/// choose the reference (Task uses one ref as monitor and reply tag); zero makes a new one.
Ref monitor(const Term &target, Ref ref = {});
/// Stops monitoring; with `flush`, removes a DOWN already delivered.
void demonitor(Ref ref, bool flush = false);
/// Process.flag(:trap_exit, on): returns the previous value.
bool setTrapExit(bool on);
[[nodiscard]] bool trapExit();

/// Accepts replies sent with Runtime::sendReply(self(), tag, ...) while active.
void activateAlias(Ref tag);
void deactivateAlias(Ref tag);

/// Records the current process's label (module atom) for viewers.
void setLabel(const Term &label);

} // namespace proc

/// Exit reasons and exception structs shaped as Elixir shows them.
namespace reasons {
/// {%RuntimeError{message: text}, []}: what an exception escaping a callback becomes.
[[nodiscard]] Term fromException(std::string_view message);
/// %ArgumentError{message: text}
[[nodiscard]] Term argumentError(std::string_view message);
[[nodiscard]] bool isNormal(const Term &reason);
} // namespace reasons

} // namespace mailroom
