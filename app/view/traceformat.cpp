// SPDX-License-Identifier: MIT
#include "traceformat.h"

namespace mailroom {

namespace {

constexpr size_t kMaxTermChars = 400;

class Writer {
public:
    Writer(const History &history, bool erlang)
        : m_history(history)
        , m_erlang(erlang)
    {
    }

    [[nodiscard]] std::string term(const Term &t) const
    {
        std::string text = m_erlang ? t.toErlang() : t.inspect();
        if (text.size() > kMaxTermChars) {
            size_t cut = kMaxTermChars;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U)
                --cut;
            text.resize(cut);
            text += "…";
        }
        return text;
    }

    [[nodiscard]] std::string who(uint32_t pid, uint32_t name) const
    {
        if (name != 0)
            return term(Term(Atom::fromId(name - 1)));
        if (pid == 0)
            return "(outside)";
        return term(Term(Pid{ pid }));
    }

    [[nodiscard]] std::string message(uint64_t sendSeq) const
    {
        if (const Event *send = m_history.event(sendSeq))
            return term(send->term);
        return "message #" + std::to_string(sendSeq);
    }

private:
    const History &m_history;
    bool m_erlang;
};

std::string ms(int64_t ns)
{
    const int64_t whole = ns / 1'000'000;
    const int64_t tenths = (ns % 1'000'000) / 100'000;
    return std::to_string(whole) + (tenths != 0 ? "." + std::to_string(tenths) : "") + " ms";
}

/// The integer under `key` in a keyword list ([reason: :rate, events: 5001]), or -1.
int64_t keyword(const Term &list, const char *key)
{
    for (const Term &item : list.listElements())
        if (item.isTuple(2) && item[0].isAtom(key) && item[1].isInteger())
            return item[1].asInteger();
    return -1;
}

/// The BEAM tracer's own trace_flag (pid 0): it stopped watching at a trip of its rate limit, or
/// watches again once the flood is over, with what it missed (docs/beam.md).
std::string tracerLine(const Event &e)
{
    std::string node;
    for (const Term &item : e.extra.listElements())
        if (item.isTuple(2) && item[0].isAtom("node") && item[1].isAtom())
            node = " on " + std::string(item[1].asAtom().name());
    if (e.term.isAtom("false")) {
        const int64_t limit = keyword(e.extra, "limit");
        if (const int64_t events = keyword(e.extra, "events"); events >= 0)
            return "*DBG* the tracer stopped watching" + node + ": " + std::to_string(events)
                + " events within a second, above its limit of " + std::to_string(limit);
        if (const int64_t queued = keyword(e.extra, "queued"); queued >= 0)
            return "*DBG* the tracer stopped watching" + node + ": " + std::to_string(queued)
                + " events waiting, above its limit of " + std::to_string(limit);
        return "*DBG* the tracer stopped watching" + node + " while another node's flood lasts";
    }
    const int64_t exited = keyword(e.extra, "exited");
    return "*DBG* the tracer watches again" + node + " after " + std::to_string(keyword(e.extra, "missed_ms"))
        + " ms unwatched: " + std::to_string(keyword(e.extra, "dropped")) + " trace messages dropped, "
        + std::to_string(exited) + (exited == 1 ? " watched process" : " watched processes") + " gone meanwhile";
}

} // namespace

const char *categoryName(TraceCategory category)
{
    switch (category) {
    case TraceCategory::Call:
        return "call";
    case TraceCategory::Cast:
        return "cast";
    case TraceCategory::Info:
        return "info";
    case TraceCategory::Reply:
        return "reply";
    case TraceCategory::System:
        return "system";
    case TraceCategory::Lifecycle:
        return "process";
    case TraceCategory::Timer:
        return "timer";
    case TraceCategory::Output:
        return "output";
    case TraceCategory::Mailbox:
        return "mailbox";
    case TraceCategory::Block:
        return "wait";
    }
    return "?";
}

std::string traceLine(const TraceRow &row, const History &history, bool erlang)
{
    const Writer w(history, erlang);
    std::string self = "*DBG* " + w.who(row.pid, row.name);
    const std::string other = w.who(row.other, row.otherName);
    const Event *e = history.event(row.seq);
    if (e == nullptr)
        return self + " (event no longer kept)";

    switch (e->type) {
    case EventType::Spawn: {
        std::string line = self + " spawned";
        if (row.other != 0)
            line += " by " + other;
        if (e->term.isAtom())
            line += " as " + w.term(e->term);
        return line;
    }
    case EventType::Exit:
        return self + ((e->flags & EventCrashed) != 0 ? " crashed with reason " : " exited with reason ")
            + w.term(e->term);
    case EventType::Link:
        return self + " linked to " + other;
    case EventType::Unlink:
        return self + " unlinked from " + other;
    case EventType::Monitor:
        return self + " monitors " + other;
    case EventType::Demonitor:
        return self + (row.other != 0 ? " stopped monitoring " + other : " removed a monitor");
    case EventType::Send: {
        // A timer's delivery, made in its setter's name: the setter did not send it itself.
        const bool byTimer = deliveringTimer(*e) != 0;
        std::string line = self + (byTimer ? " timer sent " : " sent ") + w.term(e->term) + " to " + other;
        if ((e->flags & EventDropped) != 0)
            line += " (no such process: dropped)";
        return line;
    }
    case EventType::Dequeue:
        if ((e->flags & EventDiscarded) != 0)
            return self + " discarded the late reply " + w.term(e->term);
        return self + " received " + w.message(e->ref);
    case EventType::HandlerBegin: {
        const Term &m = e->term;
        switch (e->kind) {
        case MessageKind::Call:
            return self + " got call " + w.term(messagePayload(m, MessageKind::Call)) + " from " + other;
        case MessageKind::Cast:
            return self + " got cast " + w.term(messagePayload(m, MessageKind::Cast));
        case MessageKind::System:
            return self + " got system " + w.term(messagePayload(m, MessageKind::System)) + " from " + other;
        default:
            return self + " got " + w.term(m);
        }
    }
    case EventType::HandlerEnd: {
        const Term &result = e->extra;
        if (result.isTuple(2) && result[0].isAtom("reply")) {
            if (e->kind == MessageKind::System)
                return self + " sent " + w.term(result[1]) + " to " + other;
            return self + " sent " + w.term(result[1]) + " to " + other + ", new state " + w.term(e->term);
        }
        if (result.isAtom("unexpected"))
            return self + " ignored an unexpected message, state " + w.term(e->term);
        if (result.isAtom("stop"))
            return self + " stopping, state " + w.term(e->term);
        if (result.isAtom("crash"))
            return self + " crashed in its callback, state " + w.term(e->term);
        return self + " new state " + w.term(e->term);
    }
    case EventType::TimerSet: {
        const int64_t left = e->extra.isInteger() ? e->extra.asInteger() - e->time : 0;
        return self + " set a timer: " + w.term(e->term) + " to " + other + " in " + ms(left);
    }
    case EventType::TimerFire:
        return self + " timer fired: " + w.term(e->term);
    case EventType::TimerCancel:
        return self + " cancelled a timer";
    case EventType::Suspend:
        return self + " suspended";
    case EventType::Resume:
        return self + " resumed";
    case EventType::Register:
        return "*DBG* " + w.who(row.pid, 0) + " registered as " + w.term(e->term);
    case EventType::Unregister:
        return "*DBG* " + w.who(row.pid, 0) + " gave up the name " + w.term(e->term);
    case EventType::Output: {
        std::string text(e->term.isBinary() ? e->term.asBinary() : std::string_view());
        while (!text.empty() && text.back() == '\n')
            text.pop_back();
        return self + " printed " + w.term(Term::binary(text));
    }
    case EventType::BlockBegin:
        if (e->term.isAtom("call")) {
            const int64_t timeout = e->extra.isInteger() ? e->extra.asInteger() : -1;
            return self + " waits for a reply from " + other + " (timeout "
                + (timeout < 0 ? std::string(erlang ? "infinity" : ":infinity") : std::to_string(timeout))
                + ")";
        }
        if (e->term.isAtom("sleep"))
            return self + " sleeps " + (e->extra.isInteger() ? std::to_string(e->extra.asInteger()) : "?")
                + " ms";
        return self + " awaits task " + other;
    case EventType::BlockEnd:
        return self + " stopped waiting after " + ms(row.aux) + ": " + w.term(e->term);
    case EventType::TraceFlag:
        if (row.pid == 0)
            return tracerLine(*e);
        return self + (e->term.isAtom("true") ? " trace on" : " trace off");
    case EventType::StateInit:
        return self + " init done, state " + w.term(e->term);
    }
    return self;
}

} // namespace mailroom
