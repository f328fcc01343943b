#pragma once

// The event record as JSON Lines: one object per event, schema in docs/events.md.

#include "eventlog.h"

#include <ostream>
#include <string>

namespace mailroom {

/// A term in the record's typed JSON encoding (reversible; see docs/events.md).
[[nodiscard]] std::string termToJson(const Term &term);
/// One event as one JSON object (no newline).
[[nodiscard]] std::string eventToJson(const Event &event);
/// Writes every kept event, oldest first, one per line. Returns the number written.
size_t writeEventsJsonl(const EventLog &log, std::ostream &out);

} // namespace mailroom
