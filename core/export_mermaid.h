// SPDX-License-Identifier: MIT
#pragma once

// The event record as a Mermaid `sequenceDiagram` (mermaid.js, GitHub and GitLab Markdown):
// one participant per process in order of first appearance, one arrow per message at the
// moment it was sent (calls `->>` with their replies `-->>`, casts `-)`, plain messages
// `--)`, timer deliveries `--)` labelled with the timer, messages to dead processes `-x`),
// handler executions as activations, and notes for timers set or cancelled, sleeps, call
// timeouts, spawns and exits. Layout in docs/events.md ("Other exports").

#include "eventlog.h"

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace mailroom {

struct MermaidOptions {
    /// Only these processes: their notes and activations, and the messages they send or
    /// receive (whose peers appear too). Empty: every process.
    std::vector<Pid> pids;
    /// Only events with firstSeq <= seq <= lastSeq.
    uint64_t firstSeq = 0;
    uint64_t lastSeq = std::numeric_limits<uint64_t>::max();
    /// Message texts longer than this many characters end in "…".
    size_t maxTextChars = 48;
};

/// Writes the diagram for every kept event of `log` (read twice: once to learn names and
/// participants, once to write). Returns the number of statements below the participants.
/// Any thread.
size_t writeMermaidSequence(const EventLog &log, std::ostream &out, const MermaidOptions &options = {});
/// The same for a recording already in memory.
size_t writeMermaidSequence(const std::vector<Event> &events, std::ostream &out,
    const MermaidOptions &options = {});

/// Text made safe for a Mermaid sequence diagram: `;` and `#` (which end a statement or
/// start a comment), `<` and `>` (read as HTML) become entity codes such as `#59;`, line
/// breaks become spaces.
[[nodiscard]] std::string mermaidEscape(std::string_view text);

} // namespace mailroom
