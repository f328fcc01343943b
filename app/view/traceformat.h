// SPDX-License-Identifier: MIT
#pragma once

// The trace pane's lines: every event in the `*DBG*` format of :sys.trace, in Erlang
// syntax (as OTP prints them) or in Elixir inspect syntax.

#include "world.h"

#include <string>

namespace mailroom {

/// The line for `row` (without the time column). `history` supplies the event's terms.
[[nodiscard]] std::string traceLine(const TraceRow &row, const History &history, bool erlang);
/// "call", "cast", "info", "reply", "system", "process", "timer", "output", "mailbox", "wait".
[[nodiscard]] const char *categoryName(TraceCategory category);

} // namespace mailroom
