// SPDX-License-Identifier: MIT
#pragma once

// The event record: everything a viewer needs to redraw what happened.

#include "clock.h"
#include "term.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

namespace mailroom {

/// How a message was sent, for colouring and for the trace.
enum class MessageKind : uint8_t {
    Info, ///< a plain message (send/2, Process.send, timers, EXIT/DOWN)
    Call, ///< GenServer.call request
    Cast, ///< GenServer.cast request
    Reply, ///< a call's reply
    System, ///< :sys requests and their replies
};

enum class EventType : uint8_t {
    Spawn, ///< pid, other = parent, term = module/label atom or fun description, extra = initial args
    Exit, ///< pid, term = reason
    Link, ///< pid <-> other
    Unlink, ///< pid <-> other
    Monitor, ///< pid monitors other; ref
    Demonitor, ///< pid stops monitoring; ref
    Send, ///< pid -> other, kind, term = message; flags: Dropped when other was dead; ref = the timer
          ///< when a timer delivers it (else 0). Local delivery is immediate, so a Send is also the
          ///< message's enqueue into other's mailbox.
    Dequeue, ///< pid took message `ref` (the Send's seq) out of its mailbox; flags: Discarded for late replies
    HandlerBegin, ///< pid starts handling message `ref` of kind; term = the message
    HandlerEnd, ///< pid finished; term = new state, extra = reply (Call) or the result shape atom
    TimerSet, ///< pid sets timer `ref` for other at time `extra` (virtual ns deadline), term = message
    TimerFire, ///< timer `ref` fired; flags: DeliveryTagged
    TimerCancel, ///< timer `ref` cancelled
    Suspend, ///< pid suspended (:sys.suspend)
    Resume, ///< pid resumed
    Register, ///< pid registered as term (atom)
    Unregister, ///< name term released
    Output, ///< pid printed term (a binary) through IO
    BlockBegin, ///< pid blocks waiting: term = :call / :receive / :sleep, other = whom (call target)
    BlockEnd, ///< pid stops waiting: term = :ok / :timeout
    TraceFlag, ///< pid's :sys.trace flag set: term = true/false
    StateInit, ///< pid's initial state after init: term = state, extra = module atom
};

enum EventFlags : uint8_t {
    EventDropped = 1, ///< a Send to a dead process: lost, as in Erlang
    EventDiscarded = 2, ///< a Dequeue of a late reply nobody waits for
    EventTimedOut = 4, ///< a BlockEnd or call that ended by timeout
    EventCrashed = 8, ///< an Exit whose reason is abnormal
    EventDeliveryTagged = 16, ///< a TimerFire whose delivery's Send carries the timer in its ref (recordings
                              ///< made before it have no such tag: the delivery is told by its message)
};

struct Event {
    uint64_t seq = 0; ///< dense, starting at 1, in causal order
    int64_t time = 0; ///< virtual ns since the runtime started; in seq order within a process (see
                      ///< Runtime::recordLocal for across processes)
    EventType type = EventType::Spawn;
    MessageKind kind = MessageKind::Info;
    uint8_t flags = 0;
    Pid pid; ///< the process it happened to
    Pid other; ///< the peer, when there is one
    /// A line of a server's module source, for servers defined in source (a script's module,
    /// a catalog server): on a HandlerBegin the first line of the clause that handles the
    /// message (its `def`), on a crashed HandlerEnd the line where it failed; 0 otherwise.
    /// It fills what would be padding, so it costs the record no memory.
    uint32_t line = 0;
    uint64_t ref = 0; ///< message id (a Send's seq), timer or monitor id
    Term term; ///< shared, never deep-copied
    Term extra;
};

/// How an event recorded on a scheduler thread gets its time.
enum class Stamp : uint8_t {
    Now, ///< read from the clock as it is recorded
    Previous, ///< the time of the event the same process recorded just before, for a step that
              ///< follows it with only the runtime's own bookkeeping between (a handler's
              ///< begin after its message's Dequeue; what takes time, such as a trace line,
              ///< records an event of its own): saves a clock read (~13 ns, of ~40 for the
              ///< whole event). Read from the clock after all when that event is not in the
              ///< buffer's current batch or the process has switched out since.
};

/// An append-only, bounded log of events ordered by sequence number.
/// Writers (any thread) record without taking a lock on the hot path: scheduler threads
/// buffer locally and publish in batches; readers (the UI, exporters) follow by sequence
/// number and only ever see a gap-free prefix.
///
/// A published batch is handed to the log whole (a swap of vectors under a short lock) and
/// placed into the log's slots later, by whoever comes first: a reader (every read places
/// what is pending, so a reader sees every event published before it), an idle scheduler
/// (the hand-off wakes one), or the writer itself once kMaxPending batches wait. Placing
/// 512 events (moving each into its slot, releasing the terms of the event a budget older
/// that the slot held, faulting in a growing record's fresh pages) took 10-40 µs, and the
/// process whose event filled the batch waited for it: with a call's ten events that was
/// one call in fifty, the call's p99.
class EventLog {
public:
    explicit EventLog(size_t budget = 2'000'000);
    EventLog(const EventLog &) = delete;
    EventLog &operator=(const EventLog &) = delete;

    /// Called after a batch is handed to the log (on the publishing thread), so that an
    /// idle thread can place it. Set before any buffer publishes; not changed after.
    void setOnHandOff(std::function<void()> onHandOff) { m_onHandOff = std::move(onHandOff); }
    /// Whether batches wait to be placed. Any thread, no lock.
    [[nodiscard]] bool hasPending() const { return m_hasPending.load(std::memory_order_acquire); }
    /// Places the batches waiting to be placed. Any thread.
    void placePending();
    /// While the record grows towards its budget, makes a chunk for it to grow into (its
    /// pages faulted in here, ~18 page faults, rather than by a writer placing a batch).
    /// False when there is nothing to do. For an idle thread; any thread.
    bool growAhead();

    /// A per-thread buffer; owned by one thread at a time. It stamps each event with the
    /// clock's time as it is pushed. A clock read (clock_gettime) costs ~27 ns on this
    /// machine, a quarter of a recorded cast; where the CPU's time-stamp counter runs at a
    /// constant rate the buffer reads the counter instead (~13 ns) and maps the readings
    /// onto the clock when it publishes them: linearly between two exact clock readings,
    /// one at the batch's first event and one at its publication, so no stamp falls outside
    /// that span or before the stamp of the event pushed before it.
    class Buffer {
    public:
        Buffer(EventLog &log, const Clock &clock);
        ~Buffer() { flush(false); }
        Buffer(const Buffer &) = delete;
        Buffer &operator=(const Buffer &) = delete;
        /// Numbers and stamps `e` and keeps it for the next batch; its seq. Events pushed
        /// unnumbered before it are numbered first, in the order they came.
        uint64_t pushNumbered(Event &&e, Stamp stamp = Stamp::Now)
        {
            const uint64_t seq = numberUnnumbered(m_log->reserveSeqs(m_unnumbered + 1));
            e.seq = seq;
            keep(std::move(e), stamp);
            return seq;
        }
        /// Stamps `e` and keeps it with its seq still to come: numbered with the next
        /// numbered event, at numberAll() or when the batch is published. Only for events no
        /// other thread can act on before then (see Runtime::recordLocal): taking a seq
        /// from the counter every scheduler shares costs more than the rest of the event.
        void pushUnnumbered(Event &&e, Stamp stamp = Stamp::Now)
        {
            ++m_unnumbered;
            keep(std::move(e), stamp);
        }
        /// Numbers the events pushed unnumbered.
        void numberAll()
        {
            if (m_unnumbered != 0)
                (void)numberUnnumbered(m_log->reserveSeqs(m_unnumbered));
        }
        /// A process starts to run on this buffer's thread / stops (and its events are
        /// numbered). Stamp::Previous shares a time only within one run.
        void runBegins() { m_lastInRun = false; }
        void runEnds()
        {
            m_holdStamp = false;
            numberAll();
        }
        /// While on, every push is Stamp::Previous (Runtime::SameInstant).
        void holdStamp(bool on) { m_holdStamp = on; }
        /// Publishes the events kept so far (hands them to the log); `notify`: calls the
        /// log's onHandOff after.
        void flush(bool notify = true);
        [[nodiscard]] bool empty() const { return m_events.empty(); }

    private:
        [[gnu::always_inline]] void keep(Event &&e, Stamp stamp)
        {
            const bool share = (stamp == Stamp::Previous || m_holdStamp) && m_lastInRun && !m_events.empty()
                && m_events.back().pid == e.pid;
            e.time = share ? lastStamp() : this->stamp();
            m_lastInRun = true;
            m_events.push_back(std::move(e));
            if (m_events.size() >= kBatch)
                flush();
        }
        /// Gives the last m_unnumbered events seqs from `first` on; the seq after them.
        uint64_t numberUnnumbered(uint64_t first)
        {
            const size_t from = m_events.size() - m_unnumbered;
            for (size_t i = from; i < m_events.size(); ++i)
                m_events[i].seq = first + (i - from);
            return first + std::exchange(m_unnumbered, 0);
        }
        /// m_events.back()'s stamp as kept: counter ticks, but for a batch's first event,
        /// which holds the exact time (see stamp()).
        [[nodiscard]] int64_t lastStamp() const
        {
            if (m_useTicks && m_events.size() == 1)
                return static_cast<int64_t>(m_anchorTicks);
            return m_events.back().time;
        }
        [[nodiscard]] int64_t stamp()
        {
            if (!m_useTicks)
                return m_clock->now();
            if (!m_events.empty())
                return static_cast<int64_t>(Clock::ticks()); // mapped onto the clock by flush()
            readTogether(m_anchorTicks, m_anchorTime);
            return m_anchorTime;
        }
        void readTogether(uint64_t &ticks, int64_t &time) const;

        EventLog *m_log;
        const Clock *m_clock;
        const bool m_useTicks;
        uint64_t m_anchorTicks = 0; // the counter and the clock at the first event of the batch
        int64_t m_anchorTime = 0;
        size_t m_unnumbered = 0; // the last this many of m_events have no seq yet
        bool m_lastInRun = false; // m_events.back() was pushed since the last runBegins()
        bool m_holdStamp = false;
        std::vector<Event> m_events;
    };

    /// Assigns the next sequence number. Thread-safe, lock-free.
    [[nodiscard]] uint64_t nextSeq() { return reserveSeqs(1); }
    /// Assigns `n` consecutive sequence numbers; the first. Thread-safe, lock-free.
    [[nodiscard]] uint64_t reserveSeqs(size_t n) { return m_nextSeq.fetch_add(n, std::memory_order_relaxed); }
    /// Records from a thread without a buffer (takes the log's lock). Thread-safe.
    void append(Event &&e);
    /// A published batch on its way into the slots, with what maps its counter ticks onto
    /// the clock (see Buffer): linearly from (anchorTicks, anchorTime) to (endTicks, endTime).
    struct Batch {
        std::vector<Event> events;
        bool ticks = false; // events after the first hold counter ticks, not times
        uint64_t anchorTicks = 0;
        uint64_t endTicks = 0;
        int64_t anchorTime = 0;
        int64_t endTime = 0;
    };
    /// Publishes a batch: takes it whole and gives back an empty vector with room for the
    /// next (a reused one when there is one). Thread-safe; places it at once only when
    /// kMaxPending batches wait.
    void handOff(Batch &&batch, std::vector<Event> &next, bool notify);

    /// Copies events with seq >= from (at most max) into out; returns the seq to read next.
    /// When `from` was already dropped, reading starts at the oldest kept. Thread-safe.
    uint64_t read(uint64_t from, size_t max, std::vector<Event> &out) const;
    /// Feeds `visit` every kept event with seq in [from, to), read in chunks so that a long
    /// record is never copied whole. Thread-safe; events recorded meanwhile past `to` are left.
    template<typename Visit>
    void forEach(uint64_t from, uint64_t to, Visit &&visit) const
    {
        constexpr uint64_t kReadChunk = 4096;
        std::vector<Event> chunk;
        for (uint64_t next = from; next < to;) {
            chunk.clear();
            next = read(next, static_cast<size_t>(std::min(kReadChunk, to - next)), chunk);
            if (chunk.empty())
                break;
            for (const Event &e : chunk)
                visit(e);
        }
    }
    /// Feeds `visit` every event kept now, oldest first.
    template<typename Visit>
    void forEach(Visit &&visit) const { forEach(begin(), end(), std::forward<Visit>(visit)); }
    /// One past the last readable seq. Thread-safe.
    [[nodiscard]] uint64_t end() const;
    /// The oldest seq still kept. Thread-safe.
    [[nodiscard]] uint64_t begin() const;
    /// Events dropped to stay within the budget (placing what is published first, as
    /// begin() does, so the two agree). Thread-safe.
    [[nodiscard]] uint64_t dropped() const;
    [[nodiscard]] size_t budget() const { return m_budget; }

private:
    // Events live in fixed chunks that are reused once trimmed: a std::deque<Event> grew
    // and shrank by a 512-byte block (seven events) at a time, a malloc and a free per
    // seven events at millions of events a second.
    static constexpr size_t kChunk = 1024;
    static constexpr size_t kBatch = 512; // events a buffer publishes at a time
    struct Chunk {
        std::array<Event, kChunk> events;
    };
    // Batches that may wait for an idle thread; past this many a writer places the oldest
    // itself (one batch, what publishing cost before batches were handed off), so a log
    // whose threads are all busy (or a runtime of one scheduler) stays this far behind.
    static constexpr size_t kMaxPending = 16;
    static constexpr size_t kSpares = 4; // chunks made ahead at most
    static void mapTicks(Batch &batch);
    void placeOldest();
    void placePendingLocked();
    void placeLocked(Event &&e);
    void trimLocked();
    [[nodiscard]] Event &slotLocked(uint64_t seq) const;

    const size_t m_budget;
    std::atomic<uint64_t> m_nextSeq{ 1 };
    std::atomic<uint64_t> m_dropped{ 0 };
    std::function<void()> m_onHandOff; // set before any buffer publishes
    std::atomic<bool> m_hasPending{ false }; // m_pending is not empty
    // Taken alone by a writer handing a batch off, or after m_mutex by whoever places
    // batches, so that a writer never waits for a placement in progress.
    std::mutex m_pendingMutex; // protects m_pending and m_emptied
    std::vector<Batch> m_pending; // published, not placed yet, in publication order
    std::vector<std::vector<Event>> m_emptied; // placed batches' vectors, for the next hand-offs
    mutable std::mutex m_mutex; // protects everything below
    std::deque<std::unique_ptr<Chunk>> m_chunks; // m_chunks[i] holds seqs m_chunkBase + i * kChunk...
    // Chunks for the log to grow into: trimmed ones (their old events go as they are
    // overwritten) and, while the record grows towards its budget, fresh ones an idle
    // thread made ahead (growAhead), so that no writer faults in a chunk's pages.
    std::vector<std::unique_ptr<Chunk>> m_spares;
    uint64_t m_chunkBase = 1;
    uint64_t m_base = 1; // the oldest seq kept
    uint64_t m_ready = 1; // every seq below this is filled (a filled slot holds its own seq)
    uint64_t m_top = 1; // one past the highest seq placed
};

/// The timer whose firing `e` delivers (a Send the timer service made in its setter's
/// name), or 0. Recordings made before such Sends were tagged always give 0.
[[nodiscard]] inline uint64_t deliveringTimer(const Event &e)
{
    return e.type == EventType::Send && e.kind == MessageKind::Info ? e.ref : 0;
}

[[nodiscard]] std::string_view toString(EventType type);
[[nodiscard]] std::string_view toString(MessageKind kind);

} // namespace mailroom
