#pragma once

// The event record as JSON Lines: one object per event, schema in docs/events.md.

#include "eventlog.h"

#include <optional>
#include <ostream>
#include <string_view>
#include <string>

namespace mailroom {

/// A term in the record's typed JSON encoding (reversible; see docs/events.md).
[[nodiscard]] std::string termToJson(const Term &term);
/// One event as one JSON object (no newline).
[[nodiscard]] std::string eventToJson(const Event &event);
/// Writes every kept event, oldest first, one per line. Returns the number written.
size_t writeEventsJsonl(const EventLog &log, std::ostream &out);

/// Reads a term in the typed encoding. False with `error` set when `json` is not one.
bool termFromJson(std::string_view json, Term &out, std::string &error);
/// Reads one line written by eventToJson. False with `error` saying what is wrong (and
/// at which column) when the line is not a valid event; `out` is then unspecified.
bool readEventJsonLine(std::string_view line, Event &out, std::string &error);
/// The event type named by toString(EventType), if any.
[[nodiscard]] std::optional<EventType> eventTypeFromString(std::string_view name);
[[nodiscard]] std::optional<MessageKind> messageKindFromString(std::string_view name);

} // namespace mailroom
