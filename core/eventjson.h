// SPDX-License-Identifier: MIT
#pragma once

// The event record as JSON Lines: one object per event, schema in docs/events.md.

#include "eventlog.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailroom {

/// The events whose term is a server's state, which the writer may write as a marker
/// (`same`, `prepend`) and the reader expands.
[[nodiscard]] inline bool carriesState(EventType type)
{
    return type == EventType::HandlerEnd || type == EventType::StateInit;
}

/// Writes events as JSON Lines, one per line, in the order given. A server's state (the term of
/// `handler_end` and `state_init`) is written in full only when it changed since the previous
/// state written for that pid: otherwise as `{"same":true}`, or as `{"prepend":[...]}` when it is
/// that state with elements consed on the front (docs/events.md). So the file grows with what
/// changes, not with the size of the states. Not thread-safe; one writer per stream.
class JsonlWriter {
public:
    explicit JsonlWriter(std::ostream &out);
    /// Writes `e` as one line (with its newline).
    void write(const Event &e);
    /// Events written so far.
    [[nodiscard]] size_t count() const;

private:
    std::ostream *m_out;
    std::unordered_map<uint32_t, Term> m_states; // the last state written, per live pid number
    std::string m_line;
    size_t m_count = 0;
};

/// Reads what JsonlWriter (or eventToJson) wrote, line by line in file order, restoring a state
/// written as a marker from the previous state read for that pid. Not thread-safe.
class JsonlReader {
public:
    /// Reads the next line; false with `error` naming what is wrong (and the column). Line numbers
    /// are the caller's. After a false the reader's states are as before the line. Seqs must be
    /// dense: each line's one more than the line before's (the first may be any).
    bool read(std::string_view line, Event &out, std::string &error);

private:
    std::unordered_map<uint32_t, Term> m_states; // the last state read, per live pid number
    uint64_t m_lastSeq = 0; // the seq of the last line read; 0: none yet
};

/// How deep a term in the record may nest: the writer writes a tuple, map or list found this
/// deep as the atom :"mailroom:cut" (as the BEAM tracer cuts what does not fit), and the reader
/// refuses anything deeper, so that neither recurses without bound.
inline constexpr int kMaxJsonTermDepth = 1000;

/// A term in the record's typed JSON encoding (reversible up to kMaxJsonTermDepth levels; see
/// docs/events.md).
[[nodiscard]] std::string termToJson(const Term &term);
/// One event as one JSON object (no newline), its term always in full.
[[nodiscard]] std::string eventToJson(const Event &event);
/// Writes every kept event, oldest first, one per line (with JsonlWriter). Returns the number
/// written.
size_t writeEventsJsonl(const EventLog &log, std::ostream &out);
/// Writes `events` in order, one per line (with JsonlWriter). Returns the number written.
size_t writeEventsJsonl(const std::vector<Event> &events, std::ostream &out);

/// Reads a term in the typed encoding. False with `error` set when `json` is not one.
bool termFromJson(std::string_view json, Term &out, std::string &error);
/// Reads one line written by eventToJson, on its own: a state marker is refused, as there
/// is no earlier state. False with `error` saying what is wrong (and at which column) when the
/// line is not a valid event; `out` is then unspecified.
bool readEventJsonLine(std::string_view line, Event &out, std::string &error);
/// The event type named by toString(EventType), if any.
[[nodiscard]] std::optional<EventType> eventTypeFromString(std::string_view name);
[[nodiscard]] std::optional<MessageKind> messageKindFromString(std::string_view name);

} // namespace mailroom
