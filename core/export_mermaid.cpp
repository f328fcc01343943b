// SPDX-License-Identifier: MIT
#include "export_mermaid.h"

#include "labels.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace mailroom {

namespace {

/// What the participants are called, learnt from the whole record before writing.
class Names {
public:
    void learn(const Event &e)
    {
        switch (e.type) {
        case EventType::Spawn:
            if (std::string module = moduleName(e.term); !module.empty())
                m_byPid[e.pid.number].module = std::move(module);
            break;
        case EventType::StateInit:
            if (auto &known = m_byPid[e.pid.number]; known.module.empty())
                known.module = moduleName(e.extra);
            break;
        case EventType::Register:
            if (auto &known = m_byPid[e.pid.number]; known.name.empty() && e.term.isAtom())
                known.name = std::string(e.term.asAtom().name());
            break;
        default: break;
        }
    }

    /// The registered name, else "Module <0.N.0>", else "<0.N.0>".
    [[nodiscard]] std::string label(Pid pid) const
    {
        if (pid.number == 0)
            return "outside the runtime";
        const auto it = m_byPid.find(pid.number);
        if (it == m_byPid.end())
            return pidText(pid);
        if (!it->second.name.empty())
            return it->second.name;
        if (!it->second.module.empty())
            return it->second.module + " " + pidText(pid);
        return pidText(pid);
    }

private:
    struct Known {
        std::string module;
        std::string name;
    };
    std::unordered_map<uint32_t, Known> m_byPid;
};

/// Turns events into statements. Run once without output to find the participants in order
/// of appearance, then again writing the same statements.
class Diagram {
public:
    Diagram(const MermaidOptions &options, std::ostream *out)
        : m_options(options), m_out(out)
    {
        for (const Pid pid : options.pids)
            m_selected.insert(pid.number);
    }

    void add(const Event &e);

    /// Ends the activations still open, so every bar is drawn.
    void finish()
    {
        const std::vector<Pid> participants = m_participants;
        for (const Pid pid : participants) {
            for (int &depth = m_active[pid.number]; depth > 0; --depth)
                statement("deactivate " + alias(pid), pid);
        }
    }

    [[nodiscard]] const std::vector<Pid> &participants() const { return m_participants; }
    [[nodiscard]] size_t statements() const { return m_statements; }

private:
    static std::string alias(Pid pid) { return "p" + std::to_string(pid.number); }

    [[nodiscard]] bool selected(Pid pid) const { return m_selected.empty() || m_selected.contains(pid.number); }

    [[nodiscard]] std::string text(const Term &term) const
    {
        return mermaidEscape(inspectShort(term, m_options.maxTextChars));
    }

    void appear(Pid pid)
    {
        if (m_seen.insert(pid.number).second)
            m_participants.push_back(pid);
    }

    void statement(const std::string &line, Pid first, std::optional<Pid> second = std::nullopt)
    {
        appear(first);
        if (second)
            appear(*second);
        ++m_statements;
        if (m_out != nullptr)
            *m_out << "    " << line << '\n';
    }

    void arrow(Pid from, std::string_view shape, Pid to, const std::string &label)
    {
        statement(alias(from) + std::string(shape) + alias(to) + ": " + label, from, to);
    }

    void note(Pid over, const std::string &label) { statement("Note over " + alias(over) + ": " + label, over); }

    void note(Pid a, Pid b, const std::string &label)
    {
        statement("Note over " + alias(a) + "," + alias(b) + ": " + label, a, b);
    }

    void send(const Event &e, std::optional<uint64_t> timer);

    const MermaidOptions &m_options;
    std::ostream *m_out;
    std::unordered_set<uint32_t> m_selected;
    std::vector<Pid> m_participants;
    std::unordered_set<uint32_t> m_seen;
    std::unordered_map<uint32_t, int> m_active; // activations open per process
    TimerDeliveries m_deliveries;
    size_t m_statements = 0;
};

void Diagram::send(const Event &e, std::optional<uint64_t> timer)
{
    const MessageSummary summary = summarize(e.term, e.kind);
    std::string label = std::string(summary.prefix) + text(summary.payload);
    std::string_view shape;
    if (timer) {
        shape = "--)";
        label = "timer " + std::to_string(*timer) + ": " + label;
    } else {
        switch (e.kind) {
        case MessageKind::Call: shape = "->>"; break;
        case MessageKind::Cast: shape = "-)"; break;
        case MessageKind::Reply: shape = "-->>"; break;
        case MessageKind::Info: shape = "--)"; break;
        case MessageKind::System: shape = summary.prefix == "sys " ? "->>" : "-->>"; break;
        }
    }
    if ((e.flags & EventDropped) != 0) {
        shape = "-x";
        label += " (dropped)";
    }
    arrow(e.pid, shape, e.other, label);
}

void Diagram::add(const Event &e)
{
    // Timer deliveries are matched over the whole record so a range cuts them consistently.
    if (e.type == EventType::TimerFire) {
        m_deliveries.fired(e);
        return;
    }
    std::optional<uint64_t> timer;
    if (e.type == EventType::Send)
        timer = m_deliveries.deliveryOf(e);
    if (e.seq < m_options.firstSeq || e.seq > m_options.lastSeq)
        return;

    switch (e.type) {
    case EventType::Spawn:
        if (e.other.isValid() && (selected(e.pid) || selected(e.other)))
            note(e.other, e.pid, "spawn");
        break;
    case EventType::Send:
        if (selected(e.pid) || selected(e.other))
            send(e, timer);
        break;
    case EventType::Dequeue:
        if ((e.flags & EventDiscarded) != 0 && selected(e.pid))
            note(e.pid, "late reply discarded");
        break;
    case EventType::HandlerBegin:
        if (selected(e.pid)) {
            ++m_active[e.pid.number];
            statement("activate " + alias(e.pid), e.pid);
        }
        break;
    case EventType::HandlerEnd:
        if (selected(e.pid)) {
            if (int &depth = m_active[e.pid.number]; depth > 0) {
                --depth;
                statement("deactivate " + alias(e.pid), e.pid);
            }
        }
        break;
    case EventType::BlockBegin:
        if (selected(e.pid) && e.term.isAtom("sleep"))
            note(e.pid, "sleep " + std::to_string(e.extra.isInteger() ? e.extra.asInteger() : 0) + " ms");
        break;
    case EventType::BlockEnd:
        if (selected(e.pid)) {
            const char *what = e.kind == MessageKind::Info ? "await" : "call";
            if (e.term.isAtom("timeout"))
                note(e.pid, std::string(what) + " timed out");
            else if (e.term.isAtom("down"))
                note(e.pid, std::string(what) + " failed: " + text(e.extra));
        }
        break;
    case EventType::TimerSet:
        if (selected(e.pid) || selected(e.other)) {
            const int64_t delay = e.extra.isInteger() ? e.extra.asInteger() - e.time : 0;
            const std::string label
                = "timer " + std::to_string(e.ref) + ": " + text(e.term) + " in " + millisText(delay);
            if (e.other.isValid() && e.other != e.pid)
                note(e.pid, e.other, label);
            else
                note(e.pid, label);
        }
        break;
    case EventType::TimerCancel:
        if (selected(e.pid))
            note(e.pid, "timer " + std::to_string(e.ref) + " cancelled");
        break;
    case EventType::Exit:
        if (selected(e.pid)) {
            for (int &depth = m_active[e.pid.number]; depth > 0; --depth)
                statement("deactivate " + alias(e.pid), e.pid);
            note(e.pid, "exit " + text(e.term));
        }
        break;
    default: break;
    }
}

template<typename ForEach>
size_t writeDiagram(const ForEach &forEach, std::ostream &out, const MermaidOptions &options)
{
    Names names;
    Diagram dry(options, nullptr);
    forEach([&](const Event &e) {
        names.learn(e);
        dry.add(e);
    });
    dry.finish();

    out << "sequenceDiagram\n";
    for (const Pid pid : dry.participants())
        out << "    participant p" << pid.number << " as " << mermaidEscape(names.label(pid)) << '\n';
    Diagram diagram(options, &out);
    forEach([&](const Event &e) { diagram.add(e); });
    diagram.finish();
    out.flush();
    return diagram.statements();
}

} // namespace

std::string mermaidEscape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
        case ';': out += "#59;"; break;
        case '#': out += "#35;"; break;
        case '<': out += "#lt;"; break;
        case '>': out += "#gt;"; break;
        case '%':
            // "%%" starts a comment
            out += (i + 1 < text.size() && text[i + 1] == '%') ? "#37;" : "%";
            break;
        default:
            out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
        }
    }
    return out;
}

size_t writeMermaidSequence(const EventLog &log, std::ostream &out, const MermaidOptions &options)
{
    const uint64_t from = log.begin();
    const uint64_t to = log.end();
    return writeDiagram([&](auto &&visit) { log.forEach(from, to, visit); }, out, options);
}

size_t writeMermaidSequence(const std::vector<Event> &events, std::ostream &out, const MermaidOptions &options)
{
    return writeDiagram(
        [&](auto &&visit) {
            for (const Event &e : events)
                visit(e);
        },
        out, options);
}

} // namespace mailroom
