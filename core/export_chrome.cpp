// SPDX-License-Identifier: MIT
#include "export_chrome.h"

#include "jsontext.h"
#include "labels.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

namespace mailroom {

namespace {

constexpr int kTracePid = 1; // every Mailroom process is a thread of one trace process
constexpr uint32_t kOutsideTid = 2147483647; // the track of sends from outside the runtime (pid 0)
constexpr size_t kNameChars = 48; // slice and instant names
constexpr size_t kArgChars = 400; // terms shown in a slice's details
constexpr size_t kRecentExits = 4096; // exited processes remembered, for the DOWN they still send
constexpr size_t kFlushBytes = size_t(1) << 16U;

/// Virtual nanoseconds as microseconds with three decimals, exactly.
void appendMicros(std::string &out, int64_t ns)
{
    ns = std::max<int64_t>(ns, 0);
    out += std::to_string(ns / 1000);
    const auto frac = static_cast<int>(ns % 1000);
    out += '.';
    out += static_cast<char>('0' + frac / 100);
    out += static_cast<char>('0' + frac / 10 % 10);
    out += static_cast<char>('0' + frac % 10);
}

} // namespace

class ChromeTraceWriter::Impl {
public:
    explicit Impl(std::ostream &out)
        : m_out(out)
    {
        m_buf = "{\"traceEvents\":[\n";
        open('M', std::nullopt, 0);
        m_buf += R"(,"name":"process_name","args":{"name":"Mailroom"})";
        close();
    }

    void add(const Event &e);
    size_t finish();

private:
    /// A slice begun on a track and not yet ended.
    struct Frame {
        bool handler = false; ///< a handler execution, else a blocked wait
        uint64_t ref = 0; ///< the handled message
    };
    /// A message taken out of the mailbox whose arrow is not drawn yet: it ends on the handler
    /// when the process's next step begins one for it, else where the message was taken.
    struct Taken {
        uint64_t ref = 0;
        int64_t time = 0;
        uint64_t flowId = 0;
        bool timer = false;
        MessageKind kind = MessageKind::Info;
        bool discarded = false;
    };
    struct Track {
        std::vector<Frame> open;
        std::optional<Taken> taken;
        std::string module;
        std::string name;
        bool ghost = false; ///< events after its exit (the DOWN it sends): its name is already written
    };
    struct TimerMessage {
        uint64_t flowId = 0;
        Pid receiver;
    };

    Track &track(Pid pid)
    {
        auto [it, inserted] = m_tracks.try_emplace(pid.number);
        if (inserted && m_exitedLabels.contains(pid.number))
            it->second.ghost = true;
        return it->second;
    }

    [[nodiscard]] std::string label(Pid pid) const
    {
        if (pid.number == 0)
            return "outside the runtime";
        if (const auto it = m_tracks.find(pid.number); it != m_tracks.end() && !it->second.ghost)
            return label(pid, it->second);
        if (const auto it = m_exitedLabels.find(pid.number); it != m_exitedLabels.end())
            return it->second;
        return pidText(pid);
    }

    static std::string label(Pid pid, const Track &t)
    {
        if (pid.number == 0)
            return "outside the runtime";
        std::string who = pidText(pid);
        if (!t.module.empty())
            who = t.module + " " + who;
        if (!t.name.empty())
            return t.name + " (" + who + ")";
        return who;
    }

    // Writing ---------------------------------------------------------------------------------

    /// Starts a trace event object: {"ph":..,"pid":1[,"tid":..][,"ts":..]
    void open(char phase, std::optional<Pid> pid, int64_t time, bool timed = false)
    {
        if (m_count > 0)
            m_buf += ",\n";
        m_buf += R"({"ph":")";
        m_buf += phase;
        m_buf += R"(","pid":)";
        m_buf += std::to_string(kTracePid);
        if (pid) {
            m_buf += ",\"tid\":";
            m_buf += std::to_string(pid->number == 0 ? kOutsideTid : pid->number);
        }
        if (timed) {
            m_buf += ",\"ts\":";
            appendMicros(m_buf, time);
        }
    }
    void close()
    {
        m_buf += '}';
        ++m_count;
        if (m_buf.size() >= kFlushBytes) {
            m_out.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
            m_buf.clear();
        }
    }
    void field(std::string_view key, std::string_view value)
    {
        m_buf += ",\"";
        m_buf += key;
        m_buf += "\":";
        json::appendString(m_buf, value);
    }
    void field(std::string_view key, uint64_t value)
    {
        m_buf += ",\"";
        m_buf += key;
        m_buf += "\":";
        m_buf += std::to_string(value);
    }
    /// Args as a JSON object of strings and numbers, built by the caller.
    void args(const std::string &object)
    {
        m_buf += ",\"args\":";
        m_buf += object;
    }

    struct ArgsBuilder {
        std::string text = "{";
        ArgsBuilder &add(std::string_view key, std::string_view value)
        {
            sep();
            json::appendString(text, key);
            text += ':';
            json::appendString(text, value);
            return *this;
        }
        ArgsBuilder &add(std::string_view key, int64_t value)
        {
            sep();
            json::appendString(text, key);
            text += ':';
            text += std::to_string(value);
            return *this;
        }
        [[nodiscard]] std::string done() const { return text + '}'; }

    private:
        void sep()
        {
            if (text.size() > 1)
                text += ',';
        }
    };

    void instant(Pid pid, int64_t time, std::string_view cat, std::string_view name, const std::string &argsObject = {})
    {
        open('i', pid, time, true);
        m_buf += R"(,"s":"t")";
        field("cat", cat);
        field("name", name);
        if (!argsObject.empty())
            args(argsObject);
        close();
    }

    void begin(Pid pid, int64_t time, std::string_view cat, std::string_view name, const std::string &argsObject)
    {
        open('B', pid, time, true);
        field("cat", cat);
        field("name", name);
        args(argsObject);
        close();
    }

    void end(Pid pid, int64_t time, const std::string &argsObject)
    {
        open('E', pid, time, true);
        args(argsObject);
        close();
    }

    /// A flow event: 's' binds to the slice enclosing it, 'f' (with "bp":"e") too.
    void flow(char phase, Pid pid, int64_t time, bool timer, std::string_view name, uint64_t id)
    {
        open(phase, pid, time, true);
        if (phase == 'f')
            m_buf += R"(,"bp":"e")";
        field("cat", timer ? "timer" : "message");
        field("name", name);
        field("id", id);
        close();
    }

    /// Arrows bind to the slice open on the track; where none is, an instant carries them.
    void anchor(Pid pid, const Track &t, int64_t time, std::string_view cat, std::string_view name)
    {
        if (t.open.empty())
            instant(pid, time, cat, name);
    }

    void names(Pid pid, const Track &t)
    {
        if (t.ghost)
            return;
        open('M', pid, 0);
        m_buf += R"(,"name":"thread_name","args":{"name":)";
        json::appendString(m_buf, label(pid, t));
        m_buf += '}';
        close();
        open('M', pid, 0);
        m_buf += R"(,"name":"thread_sort_index","args":{"sort_index":)";
        m_buf += std::to_string(pid.number == 0 ? kOutsideTid : pid.number);
        m_buf += '}';
        close();
    }

    // Acting on events -----------------------------------------------------------------------

    void endTaken(Pid pid, Track &t)
    {
        const Taken taken = *t.taken;
        t.taken.reset();
        const std::string_view flowName = taken.timer ? "timer" : toString(taken.kind);
        anchor(pid, t, taken.time, taken.timer ? "timer" : "message",
            taken.discarded ? "discard late reply" : "receive " + std::string(flowName));
        flow('f', pid, taken.time, taken.timer, flowName, taken.flowId);
    }

    /// Ends the slices above `keep` frames, marked as cut short.
    void closeFrames(Pid pid, Track &t, size_t keep, int64_t time)
    {
        while (t.open.size() > keep) {
            end(pid, time, ArgsBuilder().add("unfinished", "ended without its end event").done());
            t.open.pop_back();
        }
    }

    void send(const Event &e, Track &t)
    {
        const MessageSummary summary = summarize(e.term, e.kind);
        std::string what = e.kind == MessageKind::Reply ? "send reply " : "send " + std::string(summary.prefix);
        what += inspectShort(summary.payload, kNameChars);
        if ((e.flags & EventDropped) != 0) {
            // No arrow: nobody received it. Shown only where it cannot capture another arrow.
            anchor(e.pid, t, e.time, "message", what + " (dropped)");
            return;
        }
        anchor(e.pid, t, e.time, "message", what);
        flow('s', e.pid, e.time, false, toString(e.kind), e.seq);
    }

    void handlerBegin(const Event &e, Track &t)
    {
        const Term payload = messagePayload(e.term, e.kind);
        begin(e.pid, e.time, "handler", std::string(toString(e.kind)) + " " + inspectShort(payload, kNameChars),
            ArgsBuilder()
                .add("message", inspectShort(e.term, kArgChars))
                .add("from", label(e.other))
                .add("message id", static_cast<int64_t>(e.ref))
                .done());
        t.open.push_back(Frame{ true, e.ref });
        if (t.taken && t.taken->ref == e.ref) {
            const Taken taken = *t.taken;
            t.taken.reset();
            flow('f', e.pid, e.time, taken.timer, taken.timer ? "timer" : toString(taken.kind), taken.flowId);
        }
    }

    void handlerEnd(const Event &e, Track &t)
    {
        for (size_t i = t.open.size(); i-- > 0;) {
            if (!t.open[i].handler || t.open[i].ref != e.ref)
                continue;
            closeFrames(e.pid, t, i + 1, e.time);
            end(e.pid, e.time,
                ArgsBuilder()
                    .add("result", inspectShort(e.extra, kArgChars))
                    .add("state", inspectShort(e.term, kArgChars))
                    .done());
            t.open.pop_back();
            return;
        }
    }

    void blockBegin(const Event &e, Track &t)
    {
        std::string name;
        ArgsBuilder a;
        const int64_t limit = e.extra.isInteger() ? e.extra.asInteger() : -1;
        if (e.term.isAtom("call")) {
            name = std::string(e.kind == MessageKind::System ? "sys call to " : "call to ") + label(e.other);
            a.add("timeout", limit < 0 ? std::string(":infinity") : std::to_string(limit) + " ms");
        } else if (e.term.isAtom("sleep")) {
            name = "sleep " + std::to_string(limit) + " ms";
        } else if (e.term.isAtom("await")) {
            name = e.other.isValid() ? "await " + label(e.other) : "await";
            a.add("timeout", limit < 0 ? std::string(":infinity") : std::to_string(limit) + " ms");
        } else {
            name = inspectShort(e.term, kNameChars);
        }
        begin(e.pid, e.time, "blocked", shorten(name, kNameChars * 2), a.done());
        t.open.push_back(Frame{ false, 0 });
    }

    void blockEnd(const Event &e, Track &t)
    {
        for (size_t i = t.open.size(); i-- > 0;) {
            if (t.open[i].handler)
                continue;
            closeFrames(e.pid, t, i + 1, e.time);
            ArgsBuilder a;
            a.add("outcome", inspectShort(e.term, kArgChars));
            if (!e.extra.isNil())
                a.add(e.term.isAtom("down") ? "reason" : "value", inspectShort(e.extra, kArgChars));
            end(e.pid, e.time, a.done());
            t.open.pop_back();
            return;
        }
    }

    void exit(const Event &e, Track &t)
    {
        closeFrames(e.pid, t, 0, e.time);
        instant(e.pid, e.time, "process", "exit " + inspectShort(e.term, kNameChars),
            ArgsBuilder().add("reason", inspectShort(e.term, kArgChars)).done());
        names(e.pid, t);
        if (!t.ghost && m_exitedLabels.try_emplace(e.pid.number, label(e.pid, t)).second) {
            m_recentExits.push_back(e.pid.number);
            if (m_recentExits.size() > kRecentExits) {
                m_exitedLabels.erase(m_recentExits.front());
                m_recentExits.pop_front();
            }
        }
        m_tracks.erase(e.pid.number);
        std::erase_if(m_timerMessages, [&](const auto &entry) { return entry.second.receiver == e.pid; });
    }

    std::ostream &m_out;
    std::string m_buf;
    size_t m_count = 0;
    uint64_t m_firstSeq = 0; // messages sent before it have no flow start
    int64_t m_lastTime = 0;
    std::unordered_map<uint32_t, Track> m_tracks; // live processes (and a ghost while it is used)
    std::deque<uint32_t> m_recentExits; // oldest first
    std::unordered_map<uint32_t, std::string> m_exitedLabels; // the recent exits' track names
    TimerDeliveries m_deliveries;
    std::unordered_map<uint64_t, uint64_t> m_timerFlows; // timer id -> flow id (its TimerSet's seq)
    std::unordered_map<uint64_t, uint64_t> m_fired; // a timer fired, its delivery to come -> flow id
    std::unordered_map<uint64_t, TimerMessage> m_timerMessages; // message id -> the timer that sent it
};

void ChromeTraceWriter::Impl::add(const Event &e)
{
    if (m_firstSeq == 0)
        m_firstSeq = e.seq;
    m_lastTime = std::max(m_lastTime, e.time);

    // The timer service acts for the setter: its firing and delivery draw nothing on the
    // setter's track; the message's arrow starts at the send_after.
    if (e.type == EventType::TimerFire) {
        m_deliveries.fired(e);
        if (auto node = m_timerFlows.extract(e.ref))
            m_fired[e.ref] = node.mapped();
        return;
    }
    if (e.type == EventType::Send) {
        if (const auto timer = m_deliveries.deliveryOf(e)) {
            if (auto it = m_fired.find(*timer); it != m_fired.end()) {
                m_timerMessages[e.seq] = TimerMessage{ it->second, e.other };
                m_fired.erase(it);
            }
            return;
        }
    }

    Track &t = track(e.pid);
    switch (e.type) {
    case EventType::Send:
    case EventType::Dequeue:
    case EventType::HandlerEnd:
    case EventType::BlockBegin:
    case EventType::BlockEnd:
    case EventType::TimerSet:
    case EventType::TimerCancel:
    case EventType::Exit:
        if (t.taken)
            endTaken(e.pid, t);
        break;
    case EventType::HandlerBegin:
        if (t.taken && t.taken->ref != e.ref)
            endTaken(e.pid, t);
        break;
    default: break;
    }

    switch (e.type) {
    case EventType::Spawn:
        if (const std::string module = moduleName(e.term); !module.empty())
            t.module = module;
        instant(e.pid, e.time, "process", t.module.empty() ? "spawn" : "spawn " + t.module,
            ArgsBuilder().add("parent", label(e.other)).done());
        break;
    case EventType::StateInit:
        if (t.module.empty())
            t.module = moduleName(e.extra);
        break;
    case EventType::Register:
        if (t.name.empty() && e.term.isAtom())
            t.name = std::string(e.term.asAtom().name());
        break;
    case EventType::Send: send(e, t); break;
    case EventType::Dequeue: {
        Taken taken{ e.ref, e.time, e.ref, false, e.kind, (e.flags & EventDiscarded) != 0 };
        if (auto it = m_timerMessages.find(e.ref); it != m_timerMessages.end()) {
            taken.timer = true;
            taken.flowId = it->second.flowId;
            m_timerMessages.erase(it);
            t.taken = taken;
        } else if (e.ref >= m_firstSeq) {
            t.taken = taken;
        }
        break;
    }
    case EventType::HandlerBegin: handlerBegin(e, t); break;
    case EventType::HandlerEnd: handlerEnd(e, t); break;
    case EventType::BlockBegin: blockBegin(e, t); break;
    case EventType::BlockEnd: blockEnd(e, t); break;
    case EventType::TimerSet: {
        m_timerFlows[e.ref] = e.seq;
        const int64_t delay = e.extra.isInteger() ? e.extra.asInteger() - e.time : 0;
        anchor(e.pid, t, e.time, "timer", "send_after " + millisText(delay) + " " + inspectShort(e.term, kNameChars));
        flow('s', e.pid, e.time, true, "timer", e.seq);
        break;
    }
    case EventType::TimerCancel:
        if (auto node = m_timerFlows.extract(e.ref)) {
            anchor(e.pid, t, e.time, "timer", "cancel timer");
            flow('f', e.pid, e.time, true, "timer", node.mapped());
        }
        break;
    case EventType::Exit: exit(e, t); return; // `t` is gone
    default: break;
    }
    if (t.ghost && t.open.empty() && !t.taken)
        m_tracks.erase(e.pid.number);
}

size_t ChromeTraceWriter::Impl::finish()
{
    std::vector<uint32_t> pids;
    pids.reserve(m_tracks.size());
    for (const auto &[pid, t] : m_tracks)
        pids.push_back(pid);
    std::sort(pids.begin(), pids.end());
    for (const uint32_t number : pids) {
        Track &t = m_tracks[number];
        const Pid pid{ number };
        if (t.taken)
            endTaken(pid, t);
        closeFrames(pid, t, 0, m_lastTime);
        names(pid, t);
    }
    m_tracks.clear();
    m_buf += "\n]}\n";
    m_out.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
    m_buf.clear();
    m_out.flush();
    return m_count;
}

ChromeTraceWriter::ChromeTraceWriter(std::ostream &out)
    : m_impl(std::make_unique<Impl>(out)) {}
ChromeTraceWriter::~ChromeTraceWriter() = default;
void ChromeTraceWriter::add(const Event &event) { m_impl->add(event); }
size_t ChromeTraceWriter::finish() { return m_impl->finish(); }

size_t writeChromeTrace(const EventLog &log, std::ostream &out)
{
    ChromeTraceWriter writer(out);
    log.forEach([&](const Event &e) { writer.add(e); });
    return writer.finish();
}

size_t writeChromeTrace(const std::vector<Event> &events, std::ostream &out)
{
    ChromeTraceWriter writer(out);
    for (const Event &e : events)
        writer.add(e);
    return writer.finish();
}

} // namespace mailroom
