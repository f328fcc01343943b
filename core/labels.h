// SPDX-License-Identifier: MIT
#pragma once

// How Mailroom names things wherever it shows them — the stage, the trace, the sequence
// chart, the Chrome trace and Mermaid exports: pids, process labels, message payloads,
// shortened texts, and which Send a timer's firing made. One source, so that every view
// labels one message the same way. Pure functions (TimerDeliveries: one per reader).

#include "eventlog.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mailroom {

/// "<0.N.0>".
[[nodiscard]] std::string pidText(Pid pid);
/// The module a Spawn's label or a StateInit's module atom names: "Counter" for
/// :"Elixir.Counter", "iex" for :iex; empty for anything else ([] of a plain process, a fun).
[[nodiscard]] std::string moduleName(const Term &label);
/// What a message asks for: the request of a call or :sys call, the request of a cast,
/// the value of a reply, the result a started server acknowledges its starter with
/// ({:"$ack", tag, result}: {:ok, pid} or {:error, reason}), the message itself otherwise.
[[nodiscard]] Term messagePayload(const Term &message, MessageKind kind);
/// A message as the exports label it: `prefix` + inspect(`payload`), as in "call :get_count",
/// "cast :increment", "sys :get_state", "init ack {:ok, #PID<0.132.0>}"; a reply or a plain
/// message has no prefix.
struct MessageSummary {
    std::string_view prefix;
    Term payload;
};
[[nodiscard]] MessageSummary summarize(const Term &message, MessageKind kind);
/// `text` cut to at most `maxChars` code points, the last one "…" when it was cut.
[[nodiscard]] std::string shorten(std::string text, size_t maxChars);
/// term.inspect(), shortened.
[[nodiscard]] std::string inspectShort(const Term &term, size_t maxChars);
/// Virtual nanoseconds as "1000 ms" or "2.5 ms".
[[nodiscard]] std::string millisText(int64_t ns);

/// Recognises the Send a timer makes when it fires: the timer service records TimerFire
/// (pid = the setter, ref = the timer) and then delivers with a Send from the setter
/// carrying the same message, possibly with other processes' events in between. That
/// Send names the timer in its ref (EventDeliveryTagged on the TimerFire says so); in a
/// recording made before it did, the delivery is the setter's next plain Send of the same
/// message soon after the firing.
class TimerDeliveries {
public:
    /// Notes a TimerFire.
    void fired(const Event &fire);
    /// The timer id when `send` is the delivery of a timer.
    [[nodiscard]] std::optional<uint64_t> deliveryOf(const Event &send);

private:
    struct Fired {
        uint64_t timer = 0;
        uint64_t seq = 0;
        Term message;
    };
    std::unordered_map<uint32_t, Fired> m_bySetter; // at most one firing awaits its Send per setter
};

} // namespace mailroom
