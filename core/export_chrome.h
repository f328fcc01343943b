// SPDX-License-Identifier: MIT
#pragma once

// The event record as Chrome Trace Event JSON, the format Perfetto (ui.perfetto.dev) and
// chrome://tracing open; layout in docs/events.md ("Other exports"):
// - one track (thread) per Mailroom process, named by its registered name or pid and module;
// - a slice per handler execution (HandlerBegin..HandlerEnd) and per blocked call, sleep
//   or await (BlockBegin..BlockEnd) on the process that ran or waited;
// - a flow arrow per message from its Send, on the sender's track, to its handler (or to
//   its Dequeue when no handler runs it) on the receiver's track; a timer's message flows
//   from the send_after instead, and a cancelled timer's arrow ends at the cancel;
// - an instant per exit with its reason.
// Timestamps are virtual time in microseconds (nanoseconds as three decimals).

#include "eventlog.h"

#include <memory>
#include <ostream>
#include <vector>

namespace mailroom {

/// Writes the trace while events are fed to it in sequence order. It keeps per-process
/// state only (the open slices, the last message taken out of the mailbox, the name), so
/// memory stays bounded by the live processes however long the record is.
/// One thread feeds one writer.
class ChromeTraceWriter {
public:
    explicit ChromeTraceWriter(std::ostream &out);
    ~ChromeTraceWriter();
    ChromeTraceWriter(const ChromeTraceWriter &) = delete;
    ChromeTraceWriter &operator=(const ChromeTraceWriter &) = delete;

    /// Adds the next event (seq greater than the previous one's).
    void add(const Event &event);
    /// Ends slices still open at the last event's time, names the remaining tracks and
    /// closes the JSON. Call once, after the last add(); without it the file is incomplete.
    /// Returns the number of trace events written.
    size_t finish();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Writes every kept event of `log` as one Chrome trace, reading the log in chunks.
/// Returns the number of trace events written. Any thread.
size_t writeChromeTrace(const EventLog &log, std::ostream &out);
/// The same for a recording already in memory (read back from JSON Lines, for instance).
size_t writeChromeTrace(const std::vector<Event> &events, std::ostream &out);

} // namespace mailroom
