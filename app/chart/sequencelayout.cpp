// SPDX-License-Identifier: MIT
#include "sequencelayout.h"

#include "labels.h"

#include <algorithm>
#include <cmath>

namespace mailroom {

namespace {

bool isSysRequest(const Event &send)
{
    return send.term.isTuple(3) && send.term[0].isAtom("system");
}

ArrowStyle styleOf(const Event &send)
{
    switch (send.kind) {
    case MessageKind::Call:
        return ArrowStyle::Call;
    case MessageKind::Cast:
        return ArrowStyle::Cast;
    case MessageKind::Reply:
        return ArrowStyle::Reply;
    case MessageKind::System:
        if (send.term.isTuple(3) && send.term[0].isAtom("$ack"))
            return ArrowStyle::Reply; // a server's start acknowledgement answers its starter
        return isSysRequest(send) ? ArrowStyle::SysRequest : ArrowStyle::SysReply;
    case MessageKind::Info:
        return ArrowStyle::Info;
    }
    return ArrowStyle::Info;
}

/// The reference that pairs a request with its reply: {tag, {pid, ref}, request} asks,
/// {ref, value} answers. 0: none.
uint64_t requestRef(const Event &send)
{
    const Term &t = send.term;
    if (t.isTuple(3) && t[1].isTuple(2) && t[1][1].isReference())
        return t[1][1].asRef().value;
    return 0;
}

uint64_t replyRef(const Event &send)
{
    const Term &t = send.term;
    if (t.isTuple(2) && t[0].isReference())
        return t[0].asRef().value;
    return 0;
}

double distanceToSegment(double px, double py, double ax, double ay, double bx, double by)
{
    const double dx = bx - ax;
    const double dy = by - ay;
    const double length2 = dx * dx + dy * dy;
    double t = length2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / length2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(px - (ax + t * dx), py - (ay + t * dy));
}

} // namespace

void SequenceLayout::clear()
{
    m_firstSeq = 1;
    m_lastSeq = 0;
    m_lifelines.clear();
    m_columns.clear();
    m_rows.clear();
    m_arrows.clear();
    m_activations.clear();
    m_blocks.clear();
    m_crosses.clear();
    m_byMessage.clear();
}

int SequenceLayout::column(Pid pid, int row)
{
    const auto [it, added] = m_columns.emplace(pid.number, int(m_lifelines.size()));
    if (added)
        m_lifelines.push_back(SequenceLifeline{ pid, std::max(row, 0), -1 });
    return it->second;
}

int SequenceLayout::addRow(const Event &e)
{
    m_rows.push_back(SequenceRow{ e.seq, e.time });
    return int(m_rows.size()) - 1;
}

int SequenceLayout::columnOf(Pid pid) const
{
    const auto it = m_columns.find(pid.number);
    return it == m_columns.end() ? -1 : it->second;
}

int SequenceLayout::arrowOfMessage(uint64_t messageId) const
{
    const auto it = m_byMessage.find(messageId);
    return it == m_byMessage.end() ? -1 : it->second;
}

void SequenceLayout::build(
    const History &history, uint64_t lastSeq, const SequenceFilter &filter, size_t maxEvents)
{
    clear();
    const uint64_t last = std::min(lastSeq, history.endSeq() - 1);
    if (last < history.firstSeq() || maxEvents == 0)
        return;
    m_lastSeq = last;
    m_firstSeq = std::max(history.firstSeq(), last >= maxEvents ? last - maxEvents + 1 : uint64_t(1));

    const auto on = [&](TraceCategory c) { return (filter.categories & categoryBit(c)) != 0; };
    const auto involves
        = [&](Pid a, Pid b) { return filter.pid == 0 || a.number == filter.pid || b.number == filter.pid; };
    const auto own = [&](Pid p) { return filter.pid == 0 || p.number == filter.pid; };

    // Filtered, the window is the last maxEvents events that concern what is shown, so that
    // other processes' traffic (the ticking counters) does not push it out of the chart. It
    // is looked for among at most kScanFactor times as many events: a flood stays bounded.
    if (filter.pid != 0) {
        constexpr uint64_t kScanFactor = 32;
        const uint64_t span = uint64_t(maxEvents) * kScanFactor;
        const uint64_t floor = std::max(history.firstSeq(), last >= span ? last - span + 1 : uint64_t(1));
        size_t kept = 0;
        uint64_t seq = last;
        for (;; --seq) {
            const Event *e = history.event(seq);
            if (e != nullptr && (e->flags & kEventPlumbing) == 0 && involves(e->pid, e->other) && ++kept == maxEvents)
                break;
            if (seq == floor)
                break;
        }
        m_firstSeq = seq;
    }

    // Where a bar's ends go, known once every row is: `anchor` rows came before the event;
    // `related` when the row just before is the one it belongs to (the message a handler
    // takes, the call a band waits on, the reply that ends it), so the end meets its arrow.
    struct Mark {
        std::vector<SequenceBar> *bars;
        size_t index;
        bool top;
        int anchor;
        bool related;
        Pid sender; // a call's band starts at the next row when it is `sender`'s request to `to`
        Pid to;
    };
    std::vector<Mark> marks;
    std::vector<Pid> rowFrom; // sender of each row's arrow (0: none)
    std::vector<Pid> rowTo; // receiver of each row's arrow
    const auto rowOf = [&](const Event &e, Pid from, Pid to) {
        rowFrom.push_back(from);
        rowTo.push_back(to);
        return addRow(e);
    };
    const auto mark = [&](std::vector<SequenceBar> &bars, size_t index, bool top, bool related,
                          Pid sender = {}, Pid to = {}) {
        marks.push_back(
            Mark{ &bars, index, top, int(m_rows.size()), related && !m_rows.empty(), sender, to });
    };

    TimerDeliveries deliveries;
    std::unordered_map<uint64_t, int> timers; // timer id -> its arrow
    std::unordered_map<uint64_t, int> requests; // call/:sys request ref -> its arrow
    std::unordered_map<uint32_t, std::vector<size_t>> handling; // pid -> open activations
    std::unordered_map<uint32_t, size_t> blocked; // pid -> open band

    const auto addArrow = [&](SequenceArrow arrow) {
        arrow.fromColumn = column(arrow.from, arrow.row);
        arrow.toColumn = column(arrow.to, arrow.row);
        m_arrows.push_back(arrow);
        const int index = int(m_arrows.size()) - 1;
        if (arrow.messageId != 0)
            m_byMessage[arrow.messageId] = index;
        return index;
    };

    for (uint64_t seq = m_firstSeq; seq <= last; ++seq) {
        const Event *event = history.event(seq);
        if (event == nullptr || (event->flags & kEventPlumbing) != 0)
            continue;
        const Event &e = *event;
        switch (e.type) {
        case EventType::Send: {
            const std::optional<uint64_t> timer = deliveries.deliveryOf(e);
            if (timer && on(TraceCategory::Timer) && involves(e.pid, e.other)) {
                const int row = rowOf(e, e.pid, e.other);
                if (const auto it = timers.find(*timer); it != timers.end()) {
                    SequenceArrow &arrow = m_arrows[size_t(it->second)];
                    arrow.row = row;
                    arrow.messageId = e.seq;
                    arrow.pending = false;
                    arrow.to = e.other;
                    arrow.toColumn = column(e.other, row);
                    m_byMessage[e.seq] = it->second;
                    timers.erase(it);
                } else {
                    SequenceArrow arrow;
                    arrow.seq = e.seq;
                    arrow.messageId = e.seq;
                    arrow.from = e.pid;
                    arrow.to = e.other;
                    arrow.row = row;
                    arrow.startRow = -1;
                    arrow.style = ArrowStyle::Timer;
                    arrow.timer = *timer;
                    arrow.dropped = (e.flags & EventDropped) != 0;
                    addArrow(arrow);
                }
                break;
            }
            if (!on(categoryOf(e.kind)) || !involves(e.pid, e.other))
                break;
            SequenceArrow arrow;
            arrow.seq = e.seq;
            arrow.messageId = e.seq;
            arrow.from = e.pid;
            arrow.to = e.other;
            arrow.row = rowOf(e, e.pid, e.other);
            arrow.startRow = arrow.row;
            arrow.kind = e.kind;
            arrow.style = styleOf(e);
            arrow.dropped = (e.flags & EventDropped) != 0;
            const int index = addArrow(arrow);
            if (arrow.style == ArrowStyle::Call || arrow.style == ArrowStyle::SysRequest) {
                if (const uint64_t ref = requestRef(e); ref != 0)
                    requests[ref] = index;
            } else if (arrow.style == ArrowStyle::Reply || arrow.style == ArrowStyle::SysReply) {
                if (const auto it = requests.find(replyRef(e)); it != requests.end()) {
                    m_arrows[size_t(index)].paired = it->second;
                    m_arrows[size_t(it->second)].paired = index;
                    requests.erase(it);
                }
            }
            break;
        }
        case EventType::TimerSet: {
            if (!on(TraceCategory::Timer) || !involves(e.pid, e.other))
                break;
            SequenceArrow arrow;
            arrow.seq = e.seq;
            arrow.from = e.pid;
            arrow.to = e.other.isValid() ? e.other : e.pid;
            arrow.row = rowOf(e, e.pid, Pid{});
            arrow.startRow = arrow.row;
            arrow.style = ArrowStyle::Timer;
            arrow.pending = true;
            arrow.timer = e.ref;
            timers[e.ref] = addArrow(arrow);
            break;
        }
        case EventType::TimerFire:
            deliveries.fired(e);
            break;
        case EventType::TimerCancel: {
            const auto it = timers.find(e.ref);
            if (it == timers.end())
                break;
            SequenceArrow &arrow = m_arrows[size_t(it->second)];
            arrow.row = rowOf(e, Pid{}, Pid{});
            arrow.pending = false;
            arrow.cancelled = true;
            timers.erase(it);
            break;
        }
        case EventType::Spawn: {
            if (!on(TraceCategory::Lifecycle) || !e.other.isValid() || !involves(e.pid, e.other))
                break;
            SequenceArrow arrow;
            arrow.seq = e.seq;
            arrow.from = e.other;
            arrow.to = e.pid;
            arrow.row = rowOf(e, e.other, e.pid);
            arrow.startRow = arrow.row;
            arrow.style = ArrowStyle::Spawn;
            addArrow(arrow);
            break;
        }
        case EventType::Exit: {
            // A process's bars end where it does, shown or not.
            const int row = own(e.pid) && on(TraceCategory::Lifecycle) ? rowOf(e, Pid{}, Pid{}) : -1;
            const double end = row >= 0 ? row + 0.5 : double(m_rows.size());
            if (const auto it = handling.find(e.pid.number); it != handling.end()) {
                for (const size_t bar : it->second)
                    m_activations[bar].bottom = -end - 1; // placed below: negative = fixed
                handling.erase(it);
            }
            if (const auto it = blocked.find(e.pid.number); it != blocked.end()) {
                m_blocks[it->second].bottom = -end - 1;
                blocked.erase(it);
            }
            if (row >= 0) {
                const int col = column(e.pid, row);
                m_lifelines[size_t(col)].exitRow = row;
                m_crosses.push_back(SequenceCross{ col, e.pid, row, (e.flags & EventCrashed) != 0, e.seq });
            }
            break;
        }
        case EventType::HandlerBegin: {
            if (!own(e.pid) || !on(categoryOf(e.kind)))
                break;
            SequenceBar bar;
            bar.pid = e.pid;
            bar.column = column(e.pid, int(m_rows.size()) - 1);
            bar.kind = e.kind;
            bar.messageId = e.ref;
            bar.seq = e.seq;
            bar.open = true;
            m_activations.push_back(bar);
            handling[e.pid.number].push_back(m_activations.size() - 1);
            mark(
                m_activations, m_activations.size() - 1, true, !m_rows.empty() && m_rows.back().seq == e.ref);
            break;
        }
        case EventType::HandlerEnd: {
            if (!own(e.pid) || !on(categoryOf(e.kind)))
                break;
            auto &open = handling[e.pid.number];
            size_t index = 0;
            if (open.empty()) { // begun before the range
                SequenceBar bar;
                bar.pid = e.pid;
                bar.column = column(e.pid, 0);
                bar.kind = e.kind;
                bar.messageId = e.ref;
                m_activations.push_back(bar);
                index = m_activations.size() - 1;
            } else {
                index = open.back();
                open.pop_back();
            }
            m_activations[index].open = false;
            const bool related = !rowFrom.empty() && rowFrom.back() == e.pid
                && (m_activations[index].seq == 0 || m_rows.back().seq > m_activations[index].seq);
            mark(m_activations, index, false, related);
            break;
        }
        case EventType::BlockBegin: {
            if (!own(e.pid) || !on(TraceCategory::Block))
                break;
            SequenceBar bar;
            bar.pid = e.pid;
            bar.column = column(e.pid, int(m_rows.size()) - 1);
            bar.kind = e.kind;
            bar.block = e.term.isAtom("sleep") ? BlockKind::Sleep
                : e.term.isAtom("call")        ? BlockKind::Call
                                               : BlockKind::Await;
            bar.seq = e.seq;
            bar.open = true;
            m_blocks.push_back(bar);
            blocked[e.pid.number] = m_blocks.size() - 1;
            // A call blocks just before it sends its request: the band starts at that arrow.
            if (bar.block == BlockKind::Call)
                mark(m_blocks, m_blocks.size() - 1, true, false, e.pid, e.other);
            else
                mark(m_blocks, m_blocks.size() - 1, true, false);
            break;
        }
        case EventType::BlockEnd: {
            if (!own(e.pid) || !on(TraceCategory::Block))
                break;
            size_t index = 0;
            if (const auto it = blocked.find(e.pid.number); it != blocked.end()) {
                index = it->second;
                blocked.erase(it);
            } else { // begun before the range
                SequenceBar bar;
                bar.pid = e.pid;
                bar.column = column(e.pid, 0);
                bar.kind = e.kind;
                bar.block = e.other.isValid() ? BlockKind::Call : BlockKind::Sleep;
                m_blocks.push_back(bar);
                index = m_blocks.size() - 1;
            }
            m_blocks[index].open = false;
            const bool related = !rowTo.empty() && rowTo.back() == e.pid
                && (m_blocks[index].seq == 0 || m_rows.back().seq > m_blocks[index].seq);
            mark(m_blocks, index, false, related);
            break;
        }
        default:
            break;
        }
    }

    // Bars' ends in row units, now that every row is known.
    const int rowCount = int(m_rows.size());
    const auto place = [&](std::vector<SequenceBar> &bars) {
        for (SequenceBar &bar : bars) {
            bar.top = 0; // begun before the range unless a mark says otherwise
            if (bar.bottom < 0) {
                bar.bottom = -bar.bottom - 1; // ended by an exit
                bar.open = false;
            } else {
                bar.bottom = bar.open ? rowCount : -1; // -1: set by its mark
            }
        }
    };
    place(m_activations);
    place(m_blocks);
    for (const Mark &m : marks) {
        SequenceBar &bar = (*m.bars)[m.index];
        double y = 0;
        if (m.top) {
            if (m.sender.isValid() && m.anchor < rowCount && rowFrom[size_t(m.anchor)] == m.sender
                && rowTo[size_t(m.anchor)] == m.to)
                y = m.anchor + 0.5;
            else
                y = m.anchor == 0 ? 0.0 : (m.related ? m.anchor - 0.5 : m.anchor - 0.2);
            bar.top = y;
        } else {
            if (m.related)
                y = m.anchor - 0.5;
            else if (m.anchor < rowCount)
                y = m.anchor + 0.2;
            else
                y = m.anchor - 0.1;
            bar.bottom = std::max(y, 0.0);
        }
    }
    for (auto *bars : { &m_activations, &m_blocks }) {
        for (SequenceBar &bar : *bars) {
            if (bar.bottom < 0)
                bar.bottom = rowCount;
            bar.bottom = std::max(bar.bottom, bar.top + 0.3);
        }
    }
    // A pending timer reaches to the end of the range.
    for (SequenceArrow &arrow : m_arrows) {
        if (arrow.pending)
            arrow.row = std::max(rowCount - 1, arrow.startRow);
    }
}

int SequenceLayout::arrowAt(double x, double y, const SequenceGeometry &g) const
{
    // Rows are in order: look only at the arrows ending near `y`, and the long ones (timers).
    int best = -1;
    double bestDistance = 7.0; // pixels
    for (size_t i = 0; i < m_arrows.size(); ++i) {
        const SequenceArrow &a = m_arrows[i];
        const double x1 = g.columnX(a.fromColumn);
        const double x2 = g.columnX(a.toColumn);
        const double y2 = g.rowY(a.row + 0.5);
        const double y1 = a.startRow < 0 ? g.rowY(0) : g.rowY(a.startRow + 0.5);
        if (y < std::min(y1, y2) - 10 || y > std::max(y1, y2) + 10)
            continue;
        double d = 0;
        if (a.fromColumn == a.toColumn) {
            const double xr = x1 + g.selfLoop;
            const double top = y1 == y2 ? y1 - g.rowHeight * 0.2 : y1;
            const double bottom = y1 == y2 ? y1 + g.rowHeight * 0.2 : y2;
            d = std::min(
                { distanceToSegment(x, y, x1, top, xr, top), distanceToSegment(x, y, xr, top, xr, bottom),
                    distanceToSegment(x, y, xr, bottom, x1, bottom) });
        } else {
            d = distanceToSegment(x, y, x1, y1, x2, y2);
        }
        if (d < bestDistance) {
            bestDistance = d;
            best = int(i);
        }
    }
    return best;
}

std::pair<double, double> SequenceLayout::arrowPoint(int index, const SequenceGeometry &g) const
{
    if (index < 0 || size_t(index) >= m_arrows.size())
        return { -1, -1 };
    const SequenceArrow &a = m_arrows[size_t(index)];
    const double x1 = g.columnX(a.fromColumn);
    const double x2 = g.columnX(a.toColumn);
    const double y2 = g.rowY(a.row + 0.5);
    const double y1 = a.startRow < 0 ? g.rowY(0) : g.rowY(a.startRow + 0.5);
    if (a.fromColumn == a.toColumn)
        return { x1 + g.selfLoop, (y1 + y2) / 2 };
    // A third of the way from the sender: clear of the receiver's bars and of labels.
    return { x1 + (x2 - x1) / 3, y1 + (y2 - y1) / 3 };
}

std::string arrowLabel(const SequenceArrow &arrow, const Event &event, size_t maxChars)
{
    switch (arrow.style) {
    case ArrowStyle::Spawn:
        return "spawn";
    case ArrowStyle::Timer: {
        std::string text = "timer " + inspectShort(event.term, maxChars);
        if (event.type == EventType::TimerSet && event.extra.isInteger())
            text += " in " + millisText(event.extra.asInteger() - event.time);
        if (arrow.cancelled)
            text += " (cancelled)";
        return text;
    }
    default:
        break;
    }
    const MessageSummary summary = summarize(event.term, event.kind);
    std::string text = std::string(summary.prefix) + inspectShort(summary.payload, maxChars);
    if (arrow.dropped)
        text += " (dropped)";
    return text;
}

std::string arrowText(const SequenceArrow &arrow, const Event &event, size_t maxChars)
{
    if (arrow.style == ArrowStyle::Spawn)
        return "spawn " + inspectShort(event.term, maxChars);
    return inspectShort(event.term, maxChars);
}

} // namespace mailroom
