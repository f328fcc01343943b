// SPDX-License-Identifier: MIT
#pragma once

// What the views show, derived from the event record. GUI thread only (the EventBridge is
// the one place that reads the runtime's log and feeds this).
//
// Two halves, so that a playhead can be added without reworking the models:
// - WorldState: what is true at one point of the record (processes, mailboxes, timers). It
//   is a value: a copy is a snapshot, and the state at seq N is a snapshot before N plus
//   the events up to N applied with apply().
// - History: append-only logs indexed by seq (events, trace rows, call bars, state
//   changes). A view at seq N shows the entries with seq <= N.

#include "eventlog.h"
#include "labels.h"
#include "term.h"

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mailroom {

/// Categories of trace lines, as bits for filters.
enum class TraceCategory : uint8_t {
    Call, ///< a call request handled or sent
    Cast, ///< a cast handled or sent
    Info, ///< a plain message handled or sent
    Reply, ///< a reply sent (and the handler's "sent ... to")
    System, ///< :sys requests
    Lifecycle, ///< spawn, exit, link, monitor, register, suspend, trace flags
    Timer, ///< send_after set, fired, cancelled
    Output, ///< IO.puts
    Mailbox, ///< a message taken out of a mailbox by receive
    Block, ///< a process starts or stops waiting (call, sleep, await)
};
constexpr uint32_t categoryBit(TraceCategory c)
{
    return 1U << static_cast<uint8_t>(c);
}
constexpr uint32_t kAllCategories = (1U << 10U) - 1U;
/// The category of a message sent or handled with this kind.
[[nodiscard]] TraceCategory categoryOf(MessageKind kind);

/// Counts of something per 100 ms bucket over the last second of virtual time.
class RateMeter {
public:
    void add(int64_t timeNs, uint32_t n = 1);
    /// Events per second over the second before `nowNs`.
    [[nodiscard]] double perSecond(int64_t nowNs) const;

private:
    static constexpr int64_t kBucketNs = 100'000'000;
    std::array<int64_t, 10> m_bucket{}; // bucket number (time / kBucketNs) + 1; 0 = empty
    std::array<uint32_t, 10> m_count{};
};

/// An event flag the views set, not the runtime: the console's own plumbing (the wake-up
/// the session sends its idle shell, and the shell taking it). It stays in the History, so
/// seqs stay dense, but no view shows it: it is no message of the user's.
constexpr uint8_t kEventPlumbing = 0x80;

struct QueuedMessage {
    uint64_t id = 0; ///< the Send's seq
    Pid from;
    MessageKind kind = MessageKind::Info;
    int64_t sentNs = 0;
    Term term;
};

enum class BlockKind : uint8_t { None,
    Call,
    Sleep,
    Await };

struct ProcessRecord { // NOLINT(clang-analyzer-optin.performance.Padding): grouped for reading; one per
                       // process
    Pid pid;
    Pid parent;
    std::string module; ///< "Counter" for a process labelled :"Elixir.Counter"; "" for plain ones
    std::string node; ///< the BEAM node it runs on, as its spawn says (a record of a cluster); "" else
    std::optional<Atom> name;
    std::optional<Atom> formerName; ///< the last name it had (an exited process loses its name)
    int64_t spawnedNs = 0;
    uint64_t spawnSeq = 0;

    bool isServer = false; ///< has a GenServer state (StateInit seen)
    bool hasState = false; ///< `state` was set (by StateInit or a handler)
    Term state;
    int64_t stateChangedNs = 0;

    bool handling = false; ///< inside a callback
    QueuedMessage handled; ///< the message being handled
    int64_t handlingSinceNs = 0;
    /// The line of the clause that handled its latest message (the HandlerBegin's), while it
    /// runs and after; 0 when its module is not source or no clause ran. :sys leaves it.
    uint32_t clauseLine = 0;
    uint32_t crashLine = 0; ///< where its handler crashed in its module's source (0: unknown)
    /// When the handler of clauseLine began: the definition of its module it ran (a module
    /// may be redefined since).
    int64_t clauseNs = 0;

    BlockKind block = BlockKind::None;
    Pid blockedOn;
    MessageKind blockMessageKind = MessageKind::Info;
    int64_t blockedSinceNs = 0;
    int64_t blockParam = -1; ///< the call's timeout or the sleep's ms (-1: infinity / unknown)

    bool suspended = false;
    bool traced = false;

    bool exited = false;
    bool crashed = false;
    Term exitReason;
    int64_t exitedNs = 0;
    Pid diedWith; ///< a linked process whose crash (same reason) took this one down

    std::vector<Pid> links;
    std::deque<QueuedMessage> mailbox; ///< oldest first
    uint64_t received = 0;
    RateMeter receiveRate;

    uint64_t version = 0; ///< bumped on every change a card shows
    uint64_t mailboxVersion = 0; ///< bumped when the mailbox or the handled message changes
};

struct TimerRecord {
    uint64_t ref = 0;
    Pid setter;
    Pid target;
    Term message;
    int64_t setNs = 0;
    int64_t deadlineNs = 0;
};

/// One line of the trace pane, compact: the text is made when the line is shown.
struct TraceRow {
    uint64_t seq = 0;
    int64_t timeNs = 0;
    int64_t aux = 0; ///< BlockEnd: how long the process waited (ns)
    uint32_t pid = 0;
    uint32_t other = 0;
    uint32_t name = 0; ///< the pid's registered name then: atom id + 1, 0 = none
    uint32_t otherName = 0;
    EventType type = EventType::Spawn;
    MessageKind kind = MessageKind::Info;
    TraceCategory category = TraceCategory::Lifecycle;
    uint8_t flags = 0;
};

/// A call from request to reply, or a cast from send to return.
struct CallRecord {
    enum class Outcome : uint8_t { Pending,
        Ok,
        Timeout,
        Down };
    uint64_t seq = 0; ///< BlockBegin of a call, Send of a cast
    uint64_t endSeq = 0; ///< BlockEnd (0 while pending)
    bool isCast = false; ///< a cast, or a plain message a client sent a server
    MessageKind kind = MessageKind::Call; ///< Call, System, Cast or Info
    Pid client;
    Pid server;
    std::string clientName;
    std::string serverName;
    Term request;
    Term reply;
    int64_t beginNs = 0;
    int64_t endNs = -1; ///< -1 while pending
    int64_t timeoutMs = -1;
    Outcome outcome = Outcome::Pending;
    bool hasRequest = false;
    uint32_t version = 0; ///< bumped on each change of this record
    uint32_t group = 0; ///< index into History::callGroups()
    [[nodiscard]] int64_t durationNs(int64_t nowNs) const { return (endNs < 0 ? nowNs : endNs) - beginNs; }
};

/// A finished call or returned cast, for the per-server summary.
struct CallSample {
    uint64_t endSeq = 0;
    int64_t durationNs = 0;
    uint32_t group = 0;
    bool isCast = false;
    bool isSystem = false;
    bool isSend = false; ///< a plain message (send/2), not a GenServer.cast
};

struct StatePoint {
    uint64_t seq = 0;
    int64_t timeNs = 0;
    Term state;
};

/// Everything true at one point of the record. Copyable: a copy is a snapshot.
class WorldState {
public:
    /// Exited processes kept on the stage; older ones are forgotten (deterministically, so a
    /// rebuilt state equals the live one).
    static constexpr size_t kKeptExited = 24;

    [[nodiscard]] const std::vector<ProcessRecord> &processes() const { return m_processes; }
    [[nodiscard]] const ProcessRecord *process(Pid pid) const;
    [[nodiscard]] const ProcessRecord *processNamed(std::string_view name) const;
    [[nodiscard]] const std::vector<TimerRecord> &timers() const { return m_timers; }
    /// The seq of the last event applied.
    [[nodiscard]] uint64_t seq() const { return m_seq; }
    [[nodiscard]] int64_t timeNs() const { return m_timeNs; }
    /// Bumped whenever a process is added or removed.
    [[nodiscard]] uint64_t structureVersion() const { return m_structureVersion; }
    [[nodiscard]] uint64_t timersVersion() const { return m_timersVersion; }

    /// "Counter", ":pledge_server" or "<0.5.0>": how the UI names a process.
    [[nodiscard]] std::string displayName(Pid pid) const;

    // Changes, called by the reducer.
    ProcessRecord *mutableProcess(Pid pid);
    ProcessRecord &addProcess(Pid pid);
    void setSeq(uint64_t seq, int64_t timeNs)
    {
        m_seq = seq;
        m_timeNs = timeNs;
    }
    void addTimer(TimerRecord timer);
    void removeTimer(uint64_t ref);
    /// Counts an exit; forgets the oldest exited processes beyond kKeptExited.
    void processExited();

private:
    void reindex();

    std::vector<ProcessRecord> m_processes; // in spawn order
    std::unordered_map<uint32_t, size_t> m_index; // pid number -> index in m_processes
    std::vector<TimerRecord> m_timers; // in order of deadline
    uint64_t m_seq = 0;
    int64_t m_timeNs = 0;
    uint64_t m_structureVersion = 0;
    uint64_t m_timersVersion = 0;
    size_t m_exitedCount = 0;
};

/// Append-only logs, bounded by dropping the oldest entries.
class History {
public:
    explicit History(size_t eventBudget = 1'500'000);

    /// The event with this seq, or nullptr when not kept.
    [[nodiscard]] const Event *event(uint64_t seq) const;
    [[nodiscard]] uint64_t firstSeq() const { return m_eventBase; }
    [[nodiscard]] uint64_t endSeq() const { return m_eventBase + m_events.size(); }

    [[nodiscard]] const std::deque<TraceRow> &trace() const { return m_trace; }
    /// Trace rows dropped from the front so far (a model's row index + this = absolute index).
    [[nodiscard]] uint64_t traceDropped() const { return m_traceDropped; }

    [[nodiscard]] const std::deque<CallRecord> &calls() const { return m_calls; }
    [[nodiscard]] uint64_t callsDropped() const { return m_callsDropped; }
    /// Bumped whenever a call record changes (new, finished or its cast returned).
    [[nodiscard]] uint64_t callsVersion() const { return m_callsVersion; }

    /// Finished calls and returned casts in the order they ended.
    [[nodiscard]] const std::deque<CallSample> &samples() const { return m_samples; }
    [[nodiscard]] uint64_t samplesDropped() const { return m_samplesDropped; }
    /// Names of servers calls and casts went to ("Counter", "<0.9.0>").
    [[nodiscard]] const std::vector<std::string> &callGroups() const { return m_groups; }

    /// State changes of a process, oldest first (at most kStatePoints).
    [[nodiscard]] const std::deque<StatePoint> *states(Pid pid) const;

    static constexpr size_t kStatePoints = 4096;
    static constexpr size_t kCallRecords = 20'000;
    static constexpr size_t kSamples = 2'000'000;

private:
    friend class Reducer;
    size_t m_budget;
    std::deque<Event> m_events;
    uint64_t m_eventBase = 1;
    std::deque<TraceRow> m_trace;
    uint64_t m_traceDropped = 0;
    std::deque<CallRecord> m_calls;
    uint64_t m_callsDropped = 0;
    uint64_t m_callsVersion = 0;
    std::deque<CallSample> m_samples;
    uint64_t m_samplesDropped = 0;
    std::vector<std::string> m_groups;
    std::unordered_map<std::string, uint32_t> m_groupIndex;
    std::unordered_map<uint32_t, std::deque<StatePoint>> m_states;
};

/// Applies events to a WorldState and (live) appends to the History.
class Reducer {
public:
    Reducer(WorldState &state, History &history)
        : m_state(state)
        , m_history(&history)
    {
    }
    /// Applies events to `state` alone (rebuilding a snapshot forward): the same changes to
    /// the state as live, nothing appended anywhere.
    explicit Reducer(WorldState &state)
        : m_state(state)
    {
    }

    /// Applies one event; events come in seq order without gaps (a gap after a dropped
    /// stretch of the runtime's log is tolerated).
    void apply(const Event &e);
    /// A client's evaluation ended at `finishedNs`: a cast it sent since `startedNs` has
    /// returned by then (the runtime records no event when a cast returns).
    void noteEvaluation(Pid client, int64_t startedNs, int64_t finishedNs);

private:
    void applyToState(const Event &e, ProcessRecord *p);
    void appendTrace(const Event &e);
    void trackCalls(const Event &e);
    void callChanged(CallRecord &record);
    void finishCall(CallRecord &record, uint64_t endSeq);
    uint32_t groupOf(const std::string &name);
    CallRecord *findCall(uint64_t seq);
    [[nodiscard]] uint32_t nameId(Pid pid) const;
    [[nodiscard]] bool isFireAndForget(const Event &e) const;

    WorldState &m_state;
    History *m_history = nullptr; // null: state only
    std::unordered_map<uint32_t, uint64_t> m_openCall; // client pid -> BlockBegin seq of its call
    std::unordered_map<uint32_t, uint64_t>
        m_pendingCast; // client pid -> Send seq of its last unreturned cast
    std::unordered_map<uint32_t, std::pair<int64_t, int64_t>> m_evaluations; // client -> [started, finished]
    TimerDeliveries m_timerDeliveries; // timer messages sent in their setter's name
    std::vector<uint64_t> m_plumbing; // seqs of wake-ups sent to the shell and not yet taken
};

/// Inspect text cut to `maxChars` with an ellipsis.
[[nodiscard]] std::string shortInspect(const Term &term, size_t maxChars = 48);
/// "Counter" for :"Elixir.Counter", ":pledge_server" for other atoms.
[[nodiscard]] std::string nameText(Atom name);

} // namespace mailroom
